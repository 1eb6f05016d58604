"""The reader's highlighted text: every piece of source text escaped, overlapping spans, timestamps."""

from __future__ import annotations

import re
from html import unescape

from sitroom.model import Cue
from sitroom.web.highlight import Span, clock, highlight


def visible_text(html: str) -> str:
    """What a browser shows: tags dropped (timestamps included), entities decoded."""
    return unescape(re.sub(r"<[^>]+>", "", html))


def test_text_round_trips_and_markup_in_it_is_escaped():
    text = 'a <script>alert(1)</script> b "><img src=x onerror=alert(2)> c & d'
    spans = [Span("places", 2, 10, "f-places-1", "x"), Span("hedges", 31, 40, "f-hedges-2", "y")]
    html = str(highlight(text, spans))
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;" in html and "&lt;img src" in html and "&amp; d" in html
    assert visible_text(html) == text


def test_overlapping_and_nested_spans_cut_the_text_without_nesting_tags():
    text = "Russian forces captured Kupiansk on Monday"
    outer = Span("attributions", 0, len(text), "f-attributions-1", "ministry said")
    inner = Span("places", 24, 32, "f-places-2", "Kupiansk: captured")
    cross = Span("quantities", 20, 27, "f-quantities-3", "q")  # crosses the start of the place
    html = str(highlight(text, [outer, inner, cross]))
    assert visible_text(html) == text
    assert "<a" not in re.sub(r"<a [^>]*>[^<]*</a>", "", html)  # every link closes before the next opens
    pieces = re.findall(r'<a class="([^"]+)" href="#([^"]+)"[^>]*>([^<]*)</a>', html)
    by_text = {p[2]: (set(p[0].split()), p[1]) for p in pieces}
    assert by_text["Kup"] == ({"hl", "hl-attributions", "hl-places", "hl-quantities"}, "f-quantities-3")
    assert by_text["iansk"] == ({"hl", "hl-attributions", "hl-places"}, "f-places-2")  # innermost wins the link
    assert by_text[" on Monday"] == ({"hl", "hl-attributions"}, "f-attributions-1")
    for anchor in ("f-attributions-1", "f-places-2", "f-quantities-3"):
        assert html.count(f'id="s-{anchor}"') == 1  # the way back from the fact list


def test_labels_from_source_text_are_escaped_in_attributes():
    html = str(highlight("Lyman", [Span("places", 0, 5, "f-places-1", '"><script>x</script>')]))
    assert "<script>" not in html
    assert 'title="&#34;&gt;&lt;script&gt;' in html


def test_spans_outside_the_text_are_ignored():
    html = str(highlight("short", [Span("places", 3, 99, "f-places-1", "x"), Span("places", -1, 2, "f-places-2", "y")]))
    assert html == "short"


def test_transcripts_get_a_timestamp_at_each_cue():
    text = "first line\nsecond line"
    html = str(highlight(text, [], [Cue(0, 11, 1.0, 5.0), Cue(11, 22, 3725.0, 3730.0)]))
    assert '<span class="ts" id="t-0">0:01</span>first line' in html
    assert '<span class="ts" id="t-11">1:02:05</span>second line' in html
    assert clock(61.9) == "1:01"
