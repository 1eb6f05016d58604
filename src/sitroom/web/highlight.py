"""A document's text as HTML with its facts highlighted — every character of source text escaped.

The text is cut at every fact boundary (and every transcript cue start); each piece is escaped on
its own and wrapped in a link to the innermost fact covering it, with the kinds of all the facts
covering it as classes. Overlapping and nested spans therefore need no nesting of tags.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise

from markupsafe import Markup, escape

from ..model import Cue

HIGHLIGHT_KINDS = ("attributions", "hedges", "places", "provisions", "stances", "predictions", "quantities")


@dataclass(frozen=True, slots=True)
class Span:
    """One fact's evidence in the text: ``anchor`` names the fact's entry in the page (``f-places-12``)."""

    kind: str
    start: int
    end: int
    anchor: str
    label: str


def clock(seconds: float) -> str:
    """12.5 → "0:12"; 3725 → "1:02:05"."""
    total = int(seconds)
    h, rest = divmod(total, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def highlight(text: str, spans: Iterable[Span], cues: Sequence[Cue] = ()) -> Markup:
    """``text`` as safe HTML: escaped pieces, highlighted where facts are, timestamps at cue starts."""
    n = len(text)
    valid = [s for s in spans if 0 <= s.start < s.end <= n]
    cuts = {0, n}
    for s in valid:
        cuts.update((s.start, s.end))
    cue_at: dict[int, float] = {}
    for cue in cues:
        if 0 <= cue.start < n:
            cue_at.setdefault(cue.start, cue.t_start)
            cuts.add(cue.start)
    bounds = sorted(cuts)
    out: list[str] = []
    for a, b in pairwise(bounds):
        if a in cue_at:
            stamp = clock(cue_at[a])
            out.append(f'<span class="ts" id="t-{a}">{escape(stamp)}</span>')
        for s in valid:
            if s.start == a:  # where the fact's list entry links back to
                out.append(f'<span class="anchor" id="s-{escape(s.anchor)}"></span>')
        piece = escape(text[a:b])
        covering = [s for s in valid if s.start <= a and b <= s.end]
        if not covering:
            out.append(str(piece))
            continue
        inner = min(covering, key=lambda s: (s.end - s.start, s.anchor))
        kinds = " ".join(sorted({f"hl-{s.kind}" for s in covering}))
        title = "; ".join(dict.fromkeys(s.label for s in covering))
        out.append(f'<a class="hl {kinds}" href="#{escape(inner.anchor)}" title="{escape(title)}">{piece}</a>')
    return Markup("".join(out))
