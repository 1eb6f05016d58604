"""The project's own gold set in ``eval/gold`` (see eval/gold/README.md for the annotation guidelines).

``annotations/<name>.json`` annotates ``docs/<name>.<ext>``; every fact names its evidence as an exact
substring of the document text as sitroom's ingest reads it (``sitroom.ingest.read_file``), and
``occurrence`` (1-based, default 1) picks among repeats, counted with overlapping ``str.find`` as in
``eval/gold/validate.py`` ("Russia" inside "Russian" counts). An evidence string that cannot be found,
an annotation whose document is missing or unreadable, and a document that reads as more than one
document are errors of the gold set: loading stops with an ``InputError`` naming the file and the string.
Fields this scorer does not know (``hard_cases``, ``not_places``, ``topic``, ...) are ignored.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ...errors import InputError, SitroomError
from ...ingest import read_file
from ...model import EVIDENCE_FIELDS, Document
from . import as_published, hash_files

KINDS = ("attributions", "hedges", "places", "provisions", "stances", "predictions", "quantities")
EVIDENCE_KEY = EVIDENCE_FIELDS


@dataclass(frozen=True, slots=True)
class GoldFact:
    start: int
    end: int
    fields: dict[str, Any]

    def get(self, key: str, default: Any = None) -> Any:
        return self.fields.get(key, default)


@dataclass(slots=True)
class GoldDocument:
    name: str
    annotation: Path
    document: Document
    facts: dict[str, list[GoldFact]] = field(default_factory=dict)


def split_of(name: str) -> str:
    """``"dev"`` or ``"test"``: the fixed half of the set a document belongs to (eval/gold/README.md).

    Extractors are tuned on the dev half only; the test half is reported separately so that tuning
    cannot flatter the headline numbers unnoticed.
    """
    return "dev" if int(hashlib.sha1(name.encode()).hexdigest()[0], 16) < 8 else "test"


def locate(text: str, needle: str, occurrence: int = 1) -> int:
    """Start of the ``occurrence``-th match (1-based, overlapping matches counted), or -1."""
    pos = -1
    for _ in range(max(1, occurrence)):
        pos = text.find(needle, pos + 1)
        if pos < 0:
            return -1
    return pos


def annotation_files(gold_dir: Path) -> list[Path]:
    return sorted((gold_dir / "annotations").glob("*.json"))


def files(gold_dir: Path) -> list[Path]:
    """What the gold hash covers: every annotation and every file under docs/ (sidecars included)."""
    docs = gold_dir / "docs"
    return annotation_files(gold_dir) + (sorted(p for p in docs.rglob("*") if p.is_file()) if docs.is_dir() else [])


def data_hash(gold_dir: Path) -> str:
    return hash_files(files(gold_dir), gold_dir)


def _published(value: Any) -> datetime | None:
    try:
        return as_published(date.fromisoformat(str(value)[:10]))
    except ValueError:
        return None


def load_one(gold_dir: Path, annotation: Path) -> GoldDocument:
    where = str(annotation)
    try:
        raw = json.loads(annotation.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"gold annotation is not readable JSON ({exc})", input=where) from exc
    if not isinstance(raw, dict) or not isinstance(raw.get("file"), str):
        raise InputError('gold annotation has no "file"', input=where, hint='add "file": "docs/<name>.<ext>"')
    path = gold_dir / raw["file"]
    try:
        documents = read_file(path)
    except SitroomError as exc:
        raise InputError(f"gold document {raw['file']!r} cannot be read: {exc}", input=where) from exc
    if len(documents) != 1:
        raise InputError(f"gold document {raw['file']!r} reads as {len(documents)} documents", input=where)
    document = documents[0]
    if document.published is None:
        document.published = _published(raw.get("published"))
    text = document.text
    facts: dict[str, list[GoldFact]] = {}
    for kind in KINDS:
        items = raw.get(kind, [])
        if not isinstance(items, list):
            raise InputError(f"{kind!r} is not a list", input=where)
        out = []
        for i, item in enumerate(items):
            key = EVIDENCE_KEY[kind]
            needle = item.get(key) if isinstance(item, dict) else None
            if not isinstance(needle, str) or not needle:
                raise InputError(f"{kind}[{i}] has no {key!r} evidence string", input=where)
            occurrence = item.get("occurrence", 1)
            if not isinstance(occurrence, int) or occurrence < 1:
                raise InputError(f"{kind}[{i}] has a bad occurrence {occurrence!r}", input=where)
            start = locate(text, needle, occurrence)
            if start < 0:
                raise InputError(
                    f"{kind}[{i}]: evidence {needle!r} (occurrence {occurrence}) is not in the text of "
                    f"{raw['file']} as sitroom reads it",
                    input=where,
                    hint="fix the string or its occurrence in the annotation",
                )
            out.append(GoldFact(start, start + len(needle), dict(item)))
        facts[kind] = out
    return GoldDocument(name=annotation.stem, annotation=annotation, document=document, facts=facts)


def load(gold_dir: Path) -> list[GoldDocument]:
    """Every annotated document; the first error in the set stops loading."""
    return [load_one(gold_dir, path) for path in annotation_files(gold_dir)]


__all__ = [
    "EVIDENCE_KEY",
    "KINDS",
    "GoldDocument",
    "GoldFact",
    "annotation_files",
    "data_hash",
    "files",
    "load",
    "locate",
    "split_of",
]
