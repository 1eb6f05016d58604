"""Contradictions: reports that cannot all be true, shown side by side with their evidence.

Four kinds, each kept apart from legitimate change over time by a time window (``window_days``,
3 by default): two reports contradict only when they are voiced by different speakers within the
window of each other; the same disagreement further apart is a change (see ``ground.changes``).

* **control** — one place reported captured and contested (or threatened) in the same window.
* **number** — statements alike but for their figures (grouped with figures ignored), or one provision
  topic, carrying figures of the same unit whose values differ by more than 1% (an army cap of
  600,000 vs 800,000).
* **stance** — one actor reported to support and to oppose the same target in the same window.
* **denial** — a claim group that holds both reports of the claim and an explicit denial of it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from ..link.corpus import Corpus, FactRef
from ..link.groups import link_claims
from ..model import Quantity
from . import ground, plans

WINDOW_DAYS = 3


@dataclass(frozen=True, slots=True)
class Evidence:
    document_id: str
    source: str | None
    published: datetime | None
    voice: str
    certainty: str
    value: str  # what this side says: a status, a figure, a stance
    text: str  # the evidence sentence(s)
    fact_id: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "document_id": self.document_id,
            "source": self.source,
            "published": self.published.isoformat() if self.published else None,
            "voice": self.voice,
            "certainty": self.certainty,
            "value": self.value,
            "text": self.text,
            "fact_id": self.fact_id,
        }


@dataclass(slots=True)
class Contradiction:
    kind: str  # control | number | stance | denial
    subject: str
    a: list[Evidence] = field(default_factory=list)
    b: list[Evidence] = field(default_factory=list)

    @property
    def latest(self) -> datetime | None:
        dates = [e.published for e in self.a + self.b if e.published]
        return max(dates) if dates else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "subject": self.subject,
            "a": [e.to_dict() for e in self.a],
            "b": [e.to_dict() for e in self.b],
        }


def _close(a: datetime | None, b: datetime | None, window: timedelta) -> bool:
    return a is not None and b is not None and abs(a - b) <= window


def _ev(ref: FactRef, corpus: Corpus, value: str) -> Evidence:
    return Evidence(
        ref.document_id,
        corpus.source_of(ref.document_id),
        ref.published,
        ref.voice,
        ref.certainty,
        value,
        ref.context,
        ref.id,
    )


def control(corpus: Corpus, window_days: int = WINDOW_DAYS) -> Iterator[Contradiction]:
    window = timedelta(days=window_days)
    for place, reports in ground.reports_by_place(corpus).items():
        by_status: dict[str, list[ground.ControlReport]] = defaultdict(list)
        for r in reports:
            by_status[r.status].append(r)
        statuses = sorted(by_status)
        for i, s1 in enumerate(statuses):
            for s2 in statuses[i + 1 :]:
                if not ground.conflicting(s1, s2):
                    continue
                side_a = [
                    r
                    for r in by_status[s1]
                    if any(_close(r.when, o.when, window) and o.voice != r.voice for o in by_status[s2])
                ]
                side_b = [
                    r
                    for r in by_status[s2]
                    if any(_close(r.when, o.when, window) and o.voice != r.voice for o in by_status[s1])
                ]
                if side_a and side_b:
                    yield Contradiction(
                        "control",
                        f"control of {place}",
                        [_report_ev(r) for r in side_a],
                        [_report_ev(r) for r in side_b],
                    )


def _report_ev(r: ground.ControlReport) -> Evidence:
    value = r.status + (f" by {r.by}" if r.by else "")
    return Evidence(r.document_id, r.source, r.when, r.voice, r.certainty, value, r.evidence, r.fact_id)


def _distinct(values: Iterable[float]) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or abs(v - out[-1]) > 0.01 * max(abs(v), abs(out[-1])):
            out.append(v)
    return out


def numbers(corpus: Corpus) -> Iterator[Contradiction]:
    """Figures of one unit that differ inside one claim group or one provision topic."""
    # provision topics: the figures written inside each provision
    for topic, refs in _by_topic(corpus).items():
        sides: dict[tuple[str, float], list[Evidence]] = defaultdict(list)
        for prov in refs:
            for q in corpus.facts_in("quantities", prov.document_id):
                f = q.fact
                if prov.fact.start <= f.start and f.end <= prov.fact.end and f.unit:
                    sides[(f.unit, f.value)].append(_ev(prov, corpus, f.text))
        yield from _number_sides(f"provision: {topic}", sides)
    # Claims that give figures, grouped as if figures could not disagree: the linker keeps "capped at
    # 600,000" and "capped at 800,000" apart (two statements), which is exactly the pair to show here.
    with_figures = [c for c in corpus.claims if any(isinstance(cf.fact, Quantity) for cf in c.facts)]
    for group in link_claims(with_figures, replace(corpus.link_options, mismatch_penalty=1.0)):
        if len(group.documents()) < 2:
            continue
        sides = defaultdict(list)
        for claim in group.claims:
            for cf in claim.facts:
                if isinstance(cf.fact, Quantity) and cf.fact.unit:
                    sides[(cf.fact.unit, cf.fact.value)].append(
                        Evidence(
                            claim.document_id,
                            claim.source,
                            claim.published,
                            claim.voice,
                            claim.certainty,
                            cf.fact.text,
                            claim.text,
                            cf.id,
                        )
                    )
        yield from _number_sides(group.text[:80], sides)


def _by_topic(corpus: Corpus) -> dict[str, list[FactRef]]:
    out: dict[str, list[FactRef]] = defaultdict(list)
    for ref in corpus.facts.get("provisions", []):
        if ref.fact.topic != "other":
            out[ref.fact.topic].append(ref)
    return out


def _number_sides(subject: str, sides: dict[tuple[str, float], list[Evidence]]) -> Iterator[Contradiction]:
    by_unit: dict[str, dict[float, list[Evidence]]] = defaultdict(dict)
    for (unit, value), evidence in sides.items():
        by_unit[unit].setdefault(value, []).extend(evidence)
    for unit, values in by_unit.items():
        distinct = _distinct(values)
        if len(distinct) < 2:
            continue
        # the two values with the most documents behind them
        ranked = sorted(values, key=lambda v: -len({e.document_id for e in values[v]}))
        first = ranked[0]
        second = next((v for v in ranked[1:] if abs(v - first) > 0.01 * max(abs(v), abs(first))), None)
        if second is None:
            continue
        docs_a = {e.document_id for e in values[first]}
        docs_b = {e.document_id for e in values[second]}
        if not (docs_a - docs_b) or not (docs_b - docs_a):
            continue  # figures that always come together (a range, a before/after) are not a contradiction
        yield Contradiction("number", f"{subject} ({unit})", values[first], values[second])


def stances(corpus: Corpus, window_days: int = WINDOW_DAYS) -> Iterator[Contradiction]:
    window = timedelta(days=window_days)
    by_pair: dict[tuple[str, str, str | None], list[FactRef]] = defaultdict(list)
    for ref in corpus.facts.get("stances", []):
        # "supports the plan" and "rejects its territorial point" are two targets, not a flip
        by_pair[(ref.fact.actor, ref.fact.target, plans.stance_topic(ref))].append(ref)
    for (actor, target, topic), refs in by_pair.items():
        support = [r for r in refs if r.fact.stance == "support"]
        oppose = [r for r in refs if r.fact.stance == "oppose"]
        a = [r for r in support if any(_close(r.published, o.published, window) for o in oppose)]
        b = [r for r in oppose if any(_close(r.published, o.published, window) for o in support)]
        if a and b:
            yield Contradiction(
                "stance",
                f"{actor} on {target}" + (f" ({topic})" if topic else ""),
                [_ev(r, corpus, "support") for r in a],
                [_ev(r, corpus, "oppose") for r in b],
            )


def denials(corpus: Corpus) -> Iterator[Contradiction]:
    for group in corpus.groups:
        denied = group.denials()
        claimed = [c for c in group.claims if c.certainty not in ("denied", "questioned")]
        if denied and claimed and {c.voice for c in denied} != {c.voice for c in claimed}:
            yield Contradiction(
                "denial",
                group.text[:120],
                [_claim_ev(c, "claimed") for c in claimed],
                [_claim_ev(c, "denied") for c in denied],
            )


def _claim_ev(c: Any, value: str) -> Evidence:
    return Evidence(c.document_id, c.source, c.published, c.voice, c.certainty, value, c.text)


def find(corpus: Corpus, window_days: int = WINDOW_DAYS) -> list[Contradiction]:
    """Every contradiction in the corpus, the most recently reported first."""
    out = [
        *control(corpus, window_days),
        *numbers(corpus),
        *stances(corpus, window_days),
        *denials(corpus),
    ]
    # undated ones last; never compare a (timezone-aware) date with a placeholder
    out.sort(key=lambda c: (c.latest is not None, c.latest or datetime.min, c.subject), reverse=True)
    return out


__all__ = ["WINDOW_DAYS", "Contradiction", "Evidence", "control", "denials", "find", "numbers", "stances"]
