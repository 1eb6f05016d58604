"""TempEval-3 (UzZaman et al., SemEval 2013 task 1): TimeML documents with inline ``<TIMEX3>`` tags.

A ``.tml`` file has a ``<DCT>`` holding the creation-time TIMEX3 (``functionInDocument="CREATION_TIME"``)
and a ``<TEXT>`` element whose text, with the tags removed, is the document the timexes index. Only the
TEXT section is scored, as in the task (the DCT is given, not found). Sets under ``tempeval3/``:

* ``platinum`` — the evaluation set (20 documents), on which the task's scores were published;
* ``tbaq`` — TimeBank + AQUAINT "cleaned" (256 documents), the task's training data.

Files that are not well-formed XML are skipped and counted.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

BASE = Path("data/TempEval3")
SETS: dict[str, tuple[Path, ...]] = {
    "platinum": (BASE / "Evaluation/te3-platinum",),
    "tbaq": (BASE / "Training/TBAQ-cleaned/TimeBank", BASE / "Training/TBAQ-cleaned/AQUAINT"),
}


@dataclass(frozen=True, slots=True)
class Timex:
    start: int
    end: int
    text: str
    type: str
    value: str


@dataclass(slots=True)
class TimeMLDocument:
    name: str
    text: str
    dct: date | None
    timexes: list[Timex] = field(default_factory=list)


@dataclass(slots=True)
class LoadStats:
    documents: int = 0
    skipped: list[str] = field(default_factory=list)


def flatten(elem: ET.Element) -> tuple[str, list[Timex]]:
    """The element's text with tags removed, and the TIMEX3 spans in it."""
    parts: list[str] = []
    found: list[tuple[int, int, str, str]] = []
    length = 0

    def walk(node: ET.Element) -> None:
        nonlocal length
        if node.text:
            parts.append(node.text)
            length += len(node.text)
        for child in node:
            start = length
            walk(child)
            if child.tag == "TIMEX3":
                found.append((start, length, child.get("type", ""), child.get("value", "")))
            if child.tail:
                parts.append(child.tail)
                length += len(child.tail)

    walk(elem)
    text = "".join(parts)
    return text, [Timex(s, e, text[s:e], kind, value) for s, e, kind, value in sorted(found)]


def _dct(root: ET.Element) -> date | None:
    for timex in root.iter("TIMEX3"):
        if timex.get("functionInDocument") == "CREATION_TIME":
            try:
                return date.fromisoformat(timex.get("value", "")[:10])
            except ValueError:
                return None
    return None


def parse(path: Path) -> TimeMLDocument:
    root = ET.parse(path).getroot()
    body = root.find("TEXT")
    text, timexes = flatten(body) if body is not None else ("", [])
    return TimeMLDocument(name=path.stem, text=text, dct=_dct(root), timexes=timexes)


def files(root: Path, name: str) -> list[Path]:
    return sorted(p for folder in SETS[name] for p in (root / folder).glob("*.tml"))


def available(root: Path, name: str) -> bool:
    return all((root / folder).is_dir() for folder in SETS[name])


def load(root: Path, name: str, stats: LoadStats | None = None) -> Iterator[TimeMLDocument]:
    stats = stats if stats is not None else LoadStats()
    for path in files(root, name):
        try:
            document = parse(path)
        except ET.ParseError as exc:
            stats.skipped.append(f"{path.name}: {exc}")
            continue
        stats.documents += 1
        yield document


__all__ = ["SETS", "LoadStats", "TimeMLDocument", "Timex", "available", "files", "flatten", "load", "parse"]
