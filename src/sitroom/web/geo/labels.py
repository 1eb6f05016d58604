"""Where the map's place labels go: beside their dot, never over another label or dot.

Greedy, in order of importance: each label takes the first of four spots (right, left, above, below
its dot) that stays inside the map and overlaps no label placed before it and no other dot; a label
with no free spot is left out (its dot keeps its tooltip, and map.js shows it when chosen). Widths
are estimated from the number of characters, which is close enough for an 11 px sans-serif label.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

Box = tuple[float, float, float, float]  # x0, y0, x1, y1

CHAR_PX = 6.5  # rough width of one character at 11 px
SIZE = 11.0
GAP = 2.0


@dataclass(frozen=True, slots=True)
class Dot:
    text: str
    x: float
    y: float
    r: float

    @property
    def box(self) -> Box:
        return (self.x - self.r, self.y - self.r, self.x + self.r, self.y + self.r)


@dataclass(frozen=True, slots=True)
class Label:
    """A text element's position: ``x``, ``y`` (baseline) and ``anchor`` (start, end or middle)."""

    x: float
    y: float
    anchor: str
    box: Box


def overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def candidates(dot: Dot) -> list[Label]:
    w, h, x, y, r = CHAR_PX * len(dot.text), SIZE, dot.x, dot.y, dot.r
    right, left = x + r + GAP, x - r - GAP
    above, below = y - r - GAP - 1, y + r + GAP + h - 2
    return [
        Label(right, y + 4, "start", (right, y - h / 2, right + w, y + h / 2)),
        Label(left, y + 4, "end", (left - w, y - h / 2, left, y + h / 2)),
        Label(x, above, "middle", (x - w / 2, above - h + 2, x + w / 2, above + 2)),
        Label(x, below, "middle", (x - w / 2, below - h + 2, x + w / 2, below + 2)),
    ]


def place_labels(dots: Sequence[Dot], width: float, height: float) -> list[Label | None]:
    """One position per dot, in the same order (most important first); None where no spot is free."""
    taken: list[Box] = []
    out: list[Label | None] = []
    boxes = [d.box for d in dots]
    for i, dot in enumerate(dots):
        chosen = None
        for label in candidates(dot):
            x0, y0, x1, y1 = label.box
            if x0 < 0 or y0 < 0 or x1 > width or y1 > height:
                continue
            if any(overlaps(label.box, b) for b in taken):
                continue
            if any(overlaps(label.box, b) for j, b in enumerate(boxes) if j != i):
                continue
            chosen = label
            break
        if chosen is not None:
            taken.append(chosen.box)
        out.append(chosen)
    return out


__all__ = ["Dot", "Label", "overlaps", "place_labels"]
