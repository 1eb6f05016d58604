"""HTML pages and fragments."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from sitroom.errors import EmptyInputError, ParseError
from sitroom.ingest import fragment_to_text, read_html

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"


def test_article_text_and_metadata() -> None:
    doc = read_html((FIXTURES / "article.html").read_bytes(), "article.html")
    assert "exchanged written drafts on Tuesday" in doc.text
    assert "declined to comment" in doc.text
    assert doc.title == "Envoys trade drafts in Geneva"
    assert doc.author == "Mira Castell"
    assert doc.source == "The Lakeside Courier"
    assert doc.url == "https://courier.example/world/envoys-trade-drafts"
    assert doc.published == datetime(2025, 11, 19, 8, 30, tzinfo=UTC)
    assert doc.kind == "article"


def test_scripts_styles_and_navigation_never_reach_the_text() -> None:
    doc = read_html((FIXTURES / "article.html").read_bytes(), "article.html")
    for marker in ("SCRIPT_MARKER", "INLINE_SCRIPT_MARKER", "STYLE_MARKER", "font-family", "window.tracker"):
        assert marker not in doc.text
    assert "<" not in doc.text


def test_broken_html_is_read_as_far_as_possible() -> None:
    doc = read_html((FIXTURES / "broken.html").read_bytes(), "broken.html")
    assert "ferry resumed service" in doc.text
    assert "weather permitting" in doc.text


def test_source_falls_back_to_the_host_name() -> None:
    page = (
        b"<html><body><article><p>The lock keeper reported high water on the canal today.</p></article></body></html>"
    )
    doc = read_html(page, "https://www.canal.example/x", url="https://www.canal.example/x")
    assert doc.source == "canal.example"
    assert doc.url == "https://www.canal.example/x"


def test_escaped_markup_in_the_page_is_kept_as_text() -> None:
    page = (
        b"<html><body><article><p>The comment read &lt;script&gt;alert(1)&lt;/script&gt; and was removed "
        b"by the moderators of the harbour forum later that day.</p></article></body></html>"
    )
    doc = read_html(page, "p.html")
    assert "<script>alert(1)</script>" in doc.text


@pytest.mark.parametrize(
    "page",
    [
        b"<html><head><title>Only a title</title></head><body></body></html>",
        b"<html><body><script>var a = 1;</script><style>p{}</style></body></html>",
        b"just words, no markup at all",
    ],
)
def test_no_text_is_an_empty_input_error(page: bytes) -> None:
    with pytest.raises(EmptyInputError) as info:
        read_html(page, "empty.html")
    assert str(info.value).startswith("empty.html: ")
    assert info.value.hint


def test_parser_failure_becomes_a_parse_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from lxml import etree

    import sitroom.ingest.html as html_module

    def explode(*args: object, **kwargs: object) -> None:
        raise etree.ParserError("Document is empty")

    monkeypatch.setattr(html_module.trafilatura, "bare_extraction", explode)
    with pytest.raises(ParseError, match=r"bad\.html: could not parse the HTML"):
        read_html(b"<html>", "bad.html")


def test_fragment_to_text() -> None:
    markup = "<p>First <b>bold</b> line.</p><script>evil()</script><ul><li>one</li><li>two &amp; three</li></ul>tail"
    assert fragment_to_text(markup) == "First bold line.\none\ntwo & three\ntail"
    assert fragment_to_text("plain words") == "plain words"
    assert fragment_to_text("   ") == ""
