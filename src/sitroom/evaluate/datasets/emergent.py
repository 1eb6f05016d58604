"""Emergent (Ferreira & Vlachos, NAACL 2016), test split: the stance of a news headline toward the
rumoured claim it reports — ``for``, ``against`` or ``observing``.

Only the test split is in ``../shared``, rebuilt from the authors' output files
``output/url-versions-2015-06-14-clean-test-{correct,errors}.csv`` (columns: row index, claimHeadline,
articleHeadline, y = gold stance, y_hat = the paper system's prediction, articleId, claimId). Together
they are the whole clean test set: 524 pairs over 60 claims. Rows with an unknown stance are skipped.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

FILES = (
    Path("output/url-versions-2015-06-14-clean-test-correct.csv"),
    Path("output/url-versions-2015-06-14-clean-test-errors.csv"),
)
STANCES = ("for", "against", "observing")


@dataclass(frozen=True, slots=True)
class Item:
    index: int
    claim: str
    headline: str
    stance: str
    paper_prediction: str
    article_id: str
    claim_id: str


def load(root: Path) -> tuple[list[Item], int]:
    """All pairs ordered by their row index, and how many rows were skipped."""
    items: list[Item] = []
    skipped = 0
    for name in FILES:
        with (root / name).open(encoding="utf-8-sig", newline="") as fh:
            for row in csv.DictReader(fh):
                stance = (row.get("y") or "").strip()
                try:
                    index = int(row.get("") or row.get("idx") or -1)
                except ValueError:
                    index = -1
                if stance not in STANCES:
                    skipped += 1
                    continue
                items.append(
                    Item(
                        index=index,
                        claim=row.get("claimHeadline") or "",
                        headline=row.get("articleHeadline") or "",
                        stance=stance,
                        paper_prediction=(row.get("y_hat") or "").strip(),
                        article_id=row.get("articleId") or "",
                        claim_id=row.get("claimId") or "",
                    )
                )
    items.sort(key=lambda item: (item.index, item.article_id))
    return items, skipped


def files(root: Path) -> list[Path]:
    return [root / name for name in FILES]


def available(root: Path) -> bool:
    return all(p.is_file() for p in files(root))


__all__ = ["FILES", "STANCES", "Item", "available", "files", "load"]
