"""FNC-1, the Fake News Challenge stage 1 (2017): the stance of an article body toward a headline.

``competition_test_stances.csv`` (Headline, Body ID, Stance) lists the 25,413 labelled test pairs, with
Stance one of agree / disagree / discuss / unrelated; ``competition_test_bodies.csv`` (Body ID,
articleBody) holds the 904 bodies they refer to. The training stances are not in ``../shared`` (only
``train_bodies.csv`` is), so there is nothing to train on: the test set is run, not studied. Pairs whose
body is missing or whose stance is not one of the four labels are skipped and counted.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from ..metrics import FNC_LABELS

STANCES_FILE = "competition_test_stances.csv"
BODIES_FILE = "competition_test_bodies.csv"


@dataclass(frozen=True, slots=True)
class Pair:
    index: int
    headline: str
    body_id: int
    stance: str


def load_bodies(path: Path) -> dict[int, str]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return {int(row["Body ID"]): row["articleBody"] for row in csv.DictReader(fh) if row.get("Body ID")}


def load_pairs(path: Path, bodies: dict[int, str] | None = None) -> tuple[list[Pair], int]:
    """Labelled pairs in file order, and how many rows were skipped."""
    pairs: list[Pair] = []
    skipped = 0
    with path.open(encoding="utf-8-sig", newline="") as fh:
        for i, row in enumerate(csv.DictReader(fh)):
            try:
                body_id = int(row["Body ID"])
            except (KeyError, TypeError, ValueError):
                skipped += 1
                continue
            stance = (row.get("Stance") or "").strip().lower()
            if stance not in FNC_LABELS or (bodies is not None and body_id not in bodies):
                skipped += 1
                continue
            pairs.append(Pair(index=i, headline=row.get("Headline") or "", body_id=body_id, stance=stance))
    return pairs, skipped


def files(root: Path) -> list[Path]:
    return [root / STANCES_FILE, root / BODIES_FILE]


def available(root: Path) -> bool:
    return all(p.is_file() for p in files(root))


__all__ = ["BODIES_FILE", "STANCES_FILE", "Pair", "available", "files", "load_bodies", "load_pairs"]
