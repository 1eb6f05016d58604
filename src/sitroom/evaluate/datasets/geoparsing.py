"""Geoparsing corpora collected by Gritta et al. (2019): LGL, TR-News and GeoVirus, one XML file each.

``<article>`` holds ``<text>`` and the gold toponyms: LGL and TR-News as ``<toponyms><toponym>`` with
``start``, ``end``, ``phrase`` and a ``<gaztag geonameid=...>`` carrying ``lat``/``lon`` (some LGL
toponyms have no gaztag, hence no coordinates); GeoVirus as ``<locations><location>`` with ``name``,
``start``, ``end``, ``lat``, ``lon`` and a Wikipedia ``page`` (no GeoNames id).

Known defects, repaired and counted (``LoadStats.repaired``): every GeoVirus offset is one character
too far right, and about 9% of TR-News offsets are a few characters off. When ``text[start:end]`` is not
the annotated phrase, the phrase's nearest occurrence within 40 characters is used; a phrase that is not
found there is kept at its stated offsets and counted in ``LoadStats.unrepaired``.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

CORPORA: dict[str, str] = {"lgl": "lgl.xml", "tr-news": "TR-News.xml", "geovirus": "GeoVirus.xml"}
REPAIR_WINDOW = 40


@dataclass(frozen=True, slots=True)
class Toponym:
    start: int
    end: int
    phrase: str
    lat: float | None
    lon: float | None
    geonameid: int | None = None


@dataclass(slots=True)
class Article:
    id: str
    text: str
    published: date | None
    toponyms: list[Toponym] = field(default_factory=list)


@dataclass(slots=True)
class LoadStats:
    articles: int = 0
    toponyms: int = 0
    repaired: int = 0
    unrepaired: int = 0


def _float(value: str | None) -> float | None:
    try:
        return float(value) if value is not None and value.strip() else None
    except ValueError:
        return None


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value.strip()[:10]) if value else None
    except ValueError:
        return None


def repair(text: str, start: int, end: int, phrase: str) -> tuple[int, int] | None:
    """Offsets of ``phrase`` nearest to ``start`` (within the window), or ``None`` if it is not there."""
    if text[start:end] == phrase:
        return start, end
    best: int | None = None
    lo = max(0, start - REPAIR_WINDOW)
    pos = text.find(phrase, lo)
    while 0 <= pos <= start + REPAIR_WINDOW:
        if best is None or abs(pos - start) < abs(best - start):
            best = pos
        pos = text.find(phrase, pos + 1)
    return None if best is None else (best, best + len(phrase))


def _toponym(elem: ET.Element, text: str, stats: LoadStats) -> Toponym | None:
    start, end = _int(elem.findtext("start")), _int(elem.findtext("end"))
    phrase = elem.findtext("phrase") or elem.findtext("name") or ""
    if start is None or end is None or not phrase:
        return None
    fixed = repair(text, start, end, phrase)
    if fixed is None:
        stats.unrepaired += 1
    elif fixed != (start, end):
        stats.repaired += 1
        start, end = fixed
    gaztag = elem.find("gaztag")
    holder = gaztag if gaztag is not None else elem
    geonameid = _int(gaztag.get("geonameid")) if gaztag is not None else None
    return Toponym(
        start=start,
        end=end,
        phrase=phrase,
        lat=_float(holder.findtext("lat")),
        lon=_float(holder.findtext("lon")),
        geonameid=geonameid,
    )


def load(path: Path, stats: LoadStats | None = None) -> Iterator[Article]:
    """Articles in file order, streamed (``iterparse``), with repaired toponym offsets."""
    stats = stats if stats is not None else LoadStats()
    for _, elem in ET.iterparse(path, events=("end",)):
        if elem.tag != "article":
            continue
        text = elem.findtext("text") or ""
        published = _date(elem.findtext("dltime"))
        ident = elem.get("docid") or (elem.findtext("source") or "").strip() or str(stats.articles)
        toponyms = []
        for node in [*elem.iter("toponym"), *elem.iter("location")]:
            toponym = _toponym(node, text, stats)
            if toponym is not None:
                toponyms.append(toponym)
        stats.articles += 1
        stats.toponyms += len(toponyms)
        yield Article(id=f"{stats.articles}:{ident}", text=text, published=published, toponyms=toponyms)
        elem.clear()


def path_of(root: Path, corpus: str) -> Path:
    return root / CORPORA[corpus]


__all__ = ["CORPORA", "Article", "LoadStats", "Toponym", "load", "path_of", "repair"]
