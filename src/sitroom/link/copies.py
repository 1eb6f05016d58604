"""Copies: documents that are the same story under another name (syndication, an outlet's reprint).

Two documents are copies when the Jaccard similarity of their word 5-gram sets is at least
``threshold`` (0.6 by default). Candidates come from MinHash signatures split into bands
(locality-sensitive hashing), so the cost grows with the number of documents, not its square; every
candidate pair is then checked on the exact shingle sets. Copies form groups (transitively); the
*origin* of a group is its earliest published member (ties: the first stored).

A claim found only in copies of one origin is one independent report, not several.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from .text import jaccard, minhash, shingles

PERMUTATIONS = 64
BANDS = 16  # 16 bands of 4 rows: pairs at Jaccard 0.6 become candidates with probability > 0.99


@dataclass(frozen=True, slots=True)
class DocumentText:
    id: str
    text: str
    published: datetime | None
    order: int  # ingest order: breaks ties between equal publication times


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def find_copies(documents: Iterable[DocumentText], threshold: float = 0.6) -> dict[str, str]:
    """``{document id: origin id}`` for every document that copies another (origins map to nothing)."""
    docs = list(documents)
    sets = {d.id: shingles(d.text) for d in docs}
    buckets: dict[tuple[int, tuple[int, ...]], list[str]] = defaultdict(list)
    rows = PERMUTATIONS // BANDS
    for d in docs:
        signature = minhash(sets[d.id], PERMUTATIONS)
        for band in range(BANDS):
            buckets[(band, signature[band * rows : (band + 1) * rows])].append(d.id)
    groups = _UnionFind()
    checked: set[tuple[str, str]] = set()
    for bucket in buckets.values():
        if len(bucket) < 2:
            continue
        for i, a in enumerate(bucket):
            for b in bucket[i + 1 :]:
                pair = (a, b) if a < b else (b, a)
                if pair in checked:
                    continue
                checked.add(pair)
                if jaccard(sets[a], sets[b]) >= threshold:
                    groups.union(a, b)
    by_root: dict[str, list[DocumentText]] = defaultdict(list)
    for d in docs:
        by_root[groups.find(d.id)].append(d)
    origins: dict[str, str] = {}
    for members in by_root.values():
        if len(members) < 2:
            continue
        first = min(members, key=_first_key)
        for d in members:
            if d.id != first.id:
                origins[d.id] = first.id
    return origins


def _first_key(d: DocumentText) -> tuple[int, datetime | str, int]:
    return (0, d.published, d.order) if d.published else (1, "", d.order)


__all__ = ["BANDS", "PERMUTATIONS", "DocumentText", "find_copies"]
