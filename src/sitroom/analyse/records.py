"""Track records of sources (outlets) and speakers.

For each outlet and each speaker: claims made; first reports (claim groups that later got at least
one other independent source, where this one reported first); corroboration rate (the share of its
claims that at least one other independent source also carries); contradictions it is part of;
predictions made, resolved, right; and the Brier score of its resolved predictions.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from ..link.corpus import Corpus
from .contradictions import Contradiction
from .predictions import LedgerEntry, brier


@dataclass(slots=True)
class Record:
    name: str
    kind: str  # source | speaker
    claims: int = 0
    corroborated: int = 0
    first_reports: int = 0
    contradictions: int = 0
    predictions: int = 0
    resolved: int = 0
    right: int = 0
    _entries: list[LedgerEntry] = field(default_factory=list)

    @property
    def corroboration_rate(self) -> float | None:
        return self.corroborated / self.claims if self.claims else None

    @property
    def brier(self) -> float | None:
        return brier(self._entries)

    def to_dict(self) -> dict[str, Any]:
        rate, score = self.corroboration_rate, self.brier
        return {
            "name": self.name,
            "kind": self.kind,
            "claims": self.claims,
            "first_reports": self.first_reports,
            "corroboration_rate": None if rate is None else round(rate, 3),
            "contradictions": self.contradictions,
            "predictions": self.predictions,
            "resolved": self.resolved,
            "right": self.right,
            "brier": None if score is None else round(score, 3),
        }


def records(corpus: Corpus, contradictions: list[Contradiction], ledger: list[LedgerEntry]) -> list[Record]:
    """Outlets first, then speakers; each list by claims made, most first."""
    out: dict[tuple[str, str], Record] = {}

    def rec(kind: str, name: str | None) -> Record | None:
        if not name:
            return None
        return out.setdefault((kind, name), Record(name, kind))

    for group in corpus.groups:
        independent = corpus.independent_sources(group)
        origin_sources = {corpus.origin_source(c.document_id) for c in group.claims}
        first = group.first
        for c in group.claims:
            outlet = corpus.origin_source(c.document_id)
            others = [s for s in independent if s != outlet]
            for r in (rec("source", c.source), rec("speaker", c.speaker)):
                if r is None:
                    continue
                r.claims += 1
                if others and c.certainty not in ("denied", "questioned"):
                    r.corroborated += 1
        if len(origin_sources) > 1:
            for r in (rec("source", first.source), rec("speaker", first.speaker)):
                if r is not None:
                    r.first_reports += 1
    for x in contradictions:
        seen: set[tuple[str, str]] = set()
        for e in x.a + x.b:
            for key in (("source", e.source), ("speaker", e.voice)):
                if key[1] and key not in seen and (key[0] == "source" or e.voice != e.source):
                    seen.add(key)  # type: ignore[arg-type]
                    r = rec(key[0], key[1])
                    if r is not None:
                        r.contradictions += 1
    for entry in ledger:
        for r in (rec("source", entry.source), rec("speaker", entry.by)):
            if r is None:
                continue
            r.predictions += 1
            if entry.outcome in ("true", "false"):
                r.resolved += 1
                r.right += entry.outcome == "true"
                r._entries.append(entry)
    grouped: dict[str, list[Record]] = defaultdict(list)
    for r in out.values():
        grouped[r.kind].append(r)
    result = []
    for kind in ("source", "speaker"):
        result.extend(sorted(grouped[kind], key=lambda r: (-r.claims, r.name)))
    return result


__all__ = ["Record", "records"]
