"""Loaders for the public labelled datasets in ``../shared/datasets`` (one module per dataset).

Each loader reads the files as published, streams where the files are large, and tolerates the known
defects of each set (documented in its module). Loaders never import the extraction pipeline: they
turn files into plain records that the scorers in :mod:`sitroom.evaluate.scorers` compare with what
sitroom extracts. This module also holds what every loader shares: the data hash, deterministic
sampling and document dates.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Hashable, Iterable, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")
SEED = "sitroom-eval-1"


def hash_files(paths: Iterable[Path], root: Path) -> str:
    """SHA-256 over the files' paths (relative to ``root``) and contents, in sorted order."""
    digest = hashlib.sha256()
    for path in sorted(set(paths)):
        digest.update(path.relative_to(root).as_posix().encode("utf-8") + b"\0")
        with path.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
        digest.update(b"\0")
    return "sha256:" + digest.hexdigest()


def as_published(day: date | None) -> datetime | None:
    """A document date as the ``published`` timestamp sitroom expects (UTC midnight)."""
    return datetime(day.year, day.month, day.day, tzinfo=UTC) if day is not None else None


def _rank(key: str, seed: str) -> str:
    return hashlib.sha256(f"{seed}\0{key}".encode()).hexdigest()


def stable_sample(
    items: Sequence[T],
    n: int | None,
    key: Callable[[T], str],
    *,
    stratum: Callable[[T], Hashable] | None = None,
    seed: str = SEED,
) -> list[T]:
    """Up to ``n`` items chosen by a fixed hash of their key, in their original order.

    The same items and ``n`` give the same sample on every machine and Python version (no ``random``).
    With ``stratum``, each stratum contributes in proportion to its size (largest remainders), so a
    sample keeps the set's class balance.
    """
    if n is None or n >= len(items):
        return list(items)
    if n <= 0:
        return []
    groups: dict[Hashable, list[int]] = {}
    for i, item in enumerate(items):
        groups.setdefault(stratum(item) if stratum else None, []).append(i)
    quotas = {g: n * len(members) / len(items) for g, members in groups.items()}
    take = {g: math.floor(q) for g, q in quotas.items()}
    left = n - sum(take.values())
    for g in sorted(groups, key=lambda g: (-(quotas[g] - take[g]), str(g)))[:left]:
        take[g] += 1
    chosen: list[int] = []
    for g, members in groups.items():
        ranked = sorted(members, key=lambda i: _rank(key(items[i]), seed))
        chosen.extend(ranked[: take[g]])
    return [items[i] for i in sorted(chosen)]


__all__ = ["SEED", "as_published", "hash_files", "stable_sample"]
