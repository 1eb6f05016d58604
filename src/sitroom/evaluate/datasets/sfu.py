"""SFU Review Corpus annotated for negation and speculation (Konstantinova et al., LREC 2012).

400 reviews in 8 domain folders, one XML file each: ``<SENTENCE>`` elements of ``<W>`` tokens, with
``<cue type="speculation|negation" ID=...>`` wrapping the cue tokens and ``<xcope>`` marking scopes.
Only speculation cues are loaded. A cue whose tokens are split over several ``<cue>`` elements with the
same ID ("either ... or") is one cue.

The text a review is scored on is rebuilt from the tokens: tokens joined by one space, sentences by a
newline; each token keeps its character offsets, so a character span found in the text maps back to
tokens. Files that are not well-formed XML are skipped and counted.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

CORPUS = Path("data/SFU_Review_Corpus_Negation_Speculation")


@dataclass(slots=True)
class Review:
    name: str  # "<DOMAIN>/<file>"
    text: str
    tokens: list[tuple[int, int]]  # character offsets of each token in ``text``
    cues: list[tuple[int, ...]]  # speculation cues as sorted token indices


@dataclass(slots=True)
class LoadStats:
    reviews: int = 0
    skipped: list[str] = field(default_factory=list)


def parse(path: Path, name: str) -> Review:
    root = ET.parse(path).getroot()
    pieces: list[str] = []
    tokens: list[tuple[int, int]] = []
    cues: dict[str, list[int]] = {}
    length = 0

    def walk(node: ET.Element, active: tuple[str, ...]) -> None:
        nonlocal length
        for child in node:
            if child.tag == "W":
                word = " ".join((child.text or "").split())
                if not word:
                    continue
                if tokens and not pieces[-1].endswith("\n"):
                    pieces.append(" ")
                    length += 1
                tokens.append((length, length + len(word)))
                pieces.append(word)
                length += len(word)
                for cue_id in active:
                    cues.setdefault(cue_id, []).append(len(tokens) - 1)
            elif child.tag == "cue" and child.get("type") == "speculation":
                walk(child, (*active, child.get("ID", f"anon{len(cues)}")))
            else:
                walk(child, active)
            if child.tag == "SENTENCE" and tokens and not pieces[-1].endswith("\n"):
                pieces.append("\n")
                length += 1

    walk(root, ())
    return Review(
        name=name,
        text="".join(pieces),
        tokens=tokens,
        cues=sorted(tuple(sorted(set(ix))) for ix in cues.values() if ix),
    )


def files(root: Path) -> list[Path]:
    return sorted((root / CORPUS).glob("*/*.xml"))


def available(root: Path) -> bool:
    return (root / CORPUS).is_dir()


def load(root: Path, stats: LoadStats | None = None) -> Iterator[Review]:
    stats = stats if stats is not None else LoadStats()
    for path in files(root):
        name = f"{path.parent.name}/{path.name}"
        try:
            review = parse(path, name)
        except ET.ParseError as exc:
            stats.skipped.append(f"{name}: {exc}")
            continue
        stats.reviews += 1
        yield review


__all__ = ["CORPUS", "LoadStats", "Review", "available", "files", "load", "parse"]
