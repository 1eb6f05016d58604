"""PolNeAR (Newell, Margolin & Ruths, LREC 2018): attributions in US political news, brat standoff.

Layout under ``polnear/``: ``metadata.tsv`` (compartment, filename, publication_date, annotators, ...),
``<split>/text/<name>.txt`` and ``<split>/attributions/<name>_<annotator>.ann``.

In an ``.ann`` file, ``T`` lines are spans — ``T3<TAB>Content 315 448;463 553<TAB>text``, discontinuous
fragments joined by ``;`` — labelled Source, Cue, Content, Attribution (the trigger), Discuss or Discard;
``E`` lines tie one attribution's roles together: ``E1<TAB>Attribution:T4 Content:T3 Cue:T2 Source:T1``
(the trigger is ``Attribution-no-source`` when there is no source; a second content is ``Content2``).

Choices:

* **Split.** Scores are reported on ``dev`` (84 articles). The corpus authors keep ``test`` for a single
  final run and it is not in ``../shared``; ``train`` is for whoever tunes the extractor.
* **One annotator per article.** Most articles have one annotation file; two dev articles (and the
  annotator-training ones) have six. We take the lexicographically first annotator code, a fixed rule
  rather than the corpus software's ``random.choice``, so runs are repeatable.
* **Tolerance.** Malformed lines, unknown labels and references to missing ``T`` ids are skipped; an
  attribution without a cue or a content is dropped and counted.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..metrics import Fragments

SPLITS = ("train", "dev")


@dataclass(frozen=True, slots=True)
class BratAttribution:
    id: str
    cue: Fragments
    content: Fragments
    source: Fragments | None = None


@dataclass(slots=True)
class Article:
    name: str
    annotator: str
    text: str
    published: date | None
    attributions: list[BratAttribution]
    dropped: int = 0  # E lines without a cue or a content


def parse_fragments(offsets: str) -> Fragments:
    """``"315 448;463 553"`` → ``((315, 448), (463, 553))``."""
    frags = []
    for part in offsets.split(";"):
        start, end = part.split()
        frags.append((int(start), int(end)))
    return tuple(frags)


def parse_ann(text: str) -> tuple[list[BratAttribution], int]:
    """Attributions in one ``.ann`` file and the number of E lines dropped as incomplete."""
    spans: dict[str, tuple[str, Fragments]] = {}
    events: list[tuple[str, list[tuple[str, str]]]] = []
    for line in text.splitlines():
        parts = line.rstrip("\n").split("\t")
        if len(parts) < 2 or not parts[0]:
            continue
        ident, body = parts[0], parts[1]
        try:
            if ident[0] == "T":
                label, offsets = body.split(" ", 1)
                spans[ident] = (label, parse_fragments(offsets))
            elif ident[0] == "E":
                pairs = [arg.split(":", 1) for arg in body.split() if ":" in arg]
                events.append((ident, [(role, ref) for role, ref in pairs]))
        except ValueError:
            continue  # a malformed line: skip it, keep the file
    out: list[BratAttribution] = []
    dropped = 0
    for event_id, args in events:
        roles: dict[str, list[Fragments]] = {}
        for role, ref in args:
            if ref not in spans:
                continue
            kind = role.rstrip("0123456789")
            if kind.startswith("Attribution"):
                kind = "Trigger"
            roles.setdefault(kind, []).append(spans[ref][1])
        cues = roles.get("Cue") or roles.get("Trigger") or []
        contents = roles.get("Content", [])
        if not cues or not contents:
            dropped += 1
            continue
        content = tuple(sorted(frag for c in contents for frag in c))
        source = tuple(sorted(frag for s in roles.get("Source", []) for frag in s)) or None
        out.append(BratAttribution(id=event_id, cue=cues[0], content=content, source=source))
    return out, dropped


def metadata(root: Path) -> dict[str, dict[str, str]]:
    with (root / "metadata.tsv").open(encoding="utf-8", newline="") as fh:
        return {row["filename"]: row for row in csv.DictReader(fh, delimiter="\t")}


def files(root: Path, split: str = "dev") -> list[Path]:
    """Every file the loader reads for a split (the data hash covers all annotators' files)."""
    paths = [root / "metadata.tsv"]
    paths += sorted((root / split / "text").glob("*.txt"))
    paths += sorted((root / split / "attributions").glob("*.ann"))
    return paths


def available(root: Path, split: str = "dev") -> bool:
    return (root / "metadata.tsv").is_file() and (root / split / "text").is_dir()


def load(root: Path, split: str = "dev") -> Iterator[Article]:
    """Articles of a split in file-name order, each with one annotator's attributions."""
    meta = metadata(root)
    by_name: dict[str, list[Path]] = {}
    for ann in (root / split / "attributions").glob("*.ann"):
        name, _, _annotator = ann.stem.rpartition("_")
        by_name.setdefault(name, []).append(ann)
    for text_path in sorted((root / split / "text").glob("*.txt")):
        name = text_path.stem
        anns = sorted(by_name.get(name, []))
        if not anns:
            continue
        ann_path = anns[0]
        attributions, dropped = parse_ann(ann_path.read_text(encoding="utf-8"))
        published = None
        row = meta.get(name)
        if row and row.get("publication_date"):
            try:
                published = date.fromisoformat(row["publication_date"])
            except ValueError:
                published = None
        yield Article(
            name=name,
            annotator=ann_path.stem.rpartition("_")[2],
            text=text_path.read_text(encoding="utf-8"),
            published=published,
            attributions=attributions,
            dropped=dropped,
        )


__all__ = ["SPLITS", "Article", "BratAttribution", "available", "files", "load", "parse_ann", "parse_fragments"]
