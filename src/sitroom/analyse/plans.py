"""Plans, their versions as reported over time, and who stands where on them.

* A **plan** is named by its provisions' ``plan`` field (the name the extractor found near them,
  e.g. "28-point plan"), else by an "N-point" phrase in the document, else "unnamed plan".
* A **version** is one document's account of a plan's provisions, dated by the document. Versions
  of one plan are compared in time order, provision by provision (matched on topic): a topic that
  appears is **added**, one that disappears is **dropped**, one whose figures differ or whose wording
  shares less than half its content words is **changed**. An account that lists fewer than half as
  many provisions as the one before is partial (a few points quoted): it adds and changes, but
  drops nothing. Accounts of the same plan from different
  outlets on the same day are *variants*, compared the same way.
* The **stance matrix** is actors × targets (a plan as a whole, or a provision topic): each cell is
  the actor's latest stance at the date, with every report behind it.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from ..link.corpus import Corpus, FactRef
from ..link.text import content_words, jaccard

_N_POINT = re.compile(r"\b(\d{1,2})[- ]point\b", re.I)
UNNAMED = "unnamed plan"


@dataclass(slots=True)
class Version:
    plan: str
    document_id: str
    source: str | None
    published: datetime | None
    provisions: dict[str, FactRef] = field(default_factory=dict)  # topic -> provision

    def to_dict(self) -> dict[str, Any]:
        return {
            "plan": self.plan,
            "document_id": self.document_id,
            "source": self.source,
            "published": self.published.isoformat() if self.published else None,
            "provisions": [
                {"topic": t, "number": r.fact.number, "text": r.fact.text, "fact_id": r.id}
                for t, r in self.provisions.items()
            ],
        }


@dataclass(frozen=True, slots=True)
class Change:
    kind: str  # added | dropped | changed
    topic: str
    before: str | None
    after: str | None
    version: Version  # the version the change appears in

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "topic": self.topic,
            "before": self.before,
            "after": self.after,
            "document_id": self.version.document_id,
            "source": self.version.source,
            "published": self.version.published.isoformat() if self.version.published else None,
        }


def plan_name(refs: list[FactRef], text: str | None = None) -> str:
    named = Counter(r.fact.plan for r in refs if r.fact.plan)
    if named:
        return str(named.most_common(1)[0][0])
    if text:
        m = _N_POINT.search(text)
        if m:
            return f"{m.group(1)}-point plan"
    return UNNAMED


def versions(corpus: Corpus, at: datetime | None = None) -> list[Version]:
    """Every document's account of a plan (published by ``at``), in time order."""
    by_doc: dict[str, list[FactRef]] = defaultdict(list)
    for ref in corpus.facts.get("provisions", []):
        if at is None or (ref.published is not None and ref.published <= at):
            by_doc[ref.document_id].append(ref)
    out = []
    for doc_id, refs in by_doc.items():
        context = " ".join(r.context for r in refs)
        v = Version(plan_name(refs, context), doc_id, corpus.source_of(doc_id), refs[0].published)
        for r in refs:
            v.provisions.setdefault(r.fact.topic, r)
        out.append(v)
    out.sort(key=lambda v: (v.published is None, v.published or datetime.min, v.document_id))
    return out


def _figures(ref: FactRef, corpus: Corpus) -> set[str]:
    return {
        f"{q.fact.value:g}{q.fact.unit or ''}"
        for q in corpus.facts_in("quantities", ref.document_id)
        if ref.fact.start <= q.fact.start and q.fact.end <= ref.fact.end
    }


def diff(old: Version, new: Version, corpus: Corpus) -> list[Change]:
    """What ``new`` says differently from ``old`` (the plan as known so far, or an earlier account).

    A topic ``old`` lacks is **added**. A topic whose figures differ is **changed**; so is one whose
    wording shares less than half its content words *when both accounts come from one outlet*
    (different outlets paraphrase; that is not a change of the plan). A topic ``new`` lacks is
    **dropped** only when ``new`` is a full account: it lists at least half as many topics as ``old``.
    """
    changes: list[Change] = []
    for topic, ref in new.provisions.items():
        before = old.provisions.get(topic)
        if before is None:
            changes.append(Change("added", topic, None, ref.fact.text, new))
            continue
        figures_old, figures_new = _figures(before, corpus), _figures(ref, corpus)
        same_outlet = corpus.origin_source(before.document_id) == corpus.origin_source(ref.document_id)
        words = jaccard(set(content_words(before.fact.text)), set(content_words(ref.fact.text)))
        if (figures_old and figures_new and figures_old != figures_new) or (same_outlet and words < 0.5):
            changes.append(Change("changed", topic, before.fact.text, ref.fact.text, new))
    if len(new.provisions) * 2 < len(old.provisions):
        return changes  # a partial account (a few points quoted) drops nothing
    for topic, ref in old.provisions.items():
        if topic not in new.provisions:
            changes.append(Change("dropped", topic, ref.fact.text, None, new))
    return changes


def history(chosen: list[Version], corpus: Corpus) -> list[Change]:
    """Each account compared with the plan as known before it (the latest text of every topic, less
    the topics a full account dropped); the first account is the baseline."""
    changes: list[Change] = []
    if not chosen:
        return changes
    known = Version(
        chosen[0].plan, chosen[0].document_id, chosen[0].source, chosen[0].published, dict(chosen[0].provisions)
    )
    for account in chosen[1:]:
        found = diff(known, account, corpus)
        changes.extend(found)
        for ch in found:
            if ch.kind == "dropped":
                known.provisions.pop(ch.topic, None)
        known.provisions.update(account.provisions)
    return changes


@dataclass(slots=True)
class Cell:
    actor: str
    target: str
    stance: str
    since: datetime | None
    evidence: list[dict[str, Any]]


@dataclass(slots=True)
class PlanView:
    name: str
    versions: list[Version]
    changes: list[Change]
    matrix: list[Cell]
    stance_changes: list[StanceChange] = field(default_factory=list)

    @property
    def current(self) -> Version | None:
        return self.versions[-1] if self.versions else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "plan": self.name,
            "current": self.current.to_dict() if self.current else None,
            "versions": [v.to_dict() for v in self.versions],
            "changes": [c.to_dict() for c in self.changes],
            "stances": [
                {
                    "actor": c.actor,
                    "target": c.target,
                    "stance": c.stance,
                    "since": c.since.isoformat() if c.since else None,
                    "evidence": c.evidence,
                }
                for c in self.matrix
            ],
            "stance_changes": [c.to_dict() for c in self.stance_changes],
        }


def stance_matrix(corpus: Corpus, at: datetime | None = None, targets: set[str] | None = None) -> list[Cell]:
    cells: dict[tuple[str, str], list[FactRef]] = defaultdict(list)
    for ref in corpus.facts.get("stances", []):
        if at is not None and (ref.published is None or ref.published > at):
            continue
        if targets is not None and ref.fact.target.casefold() not in targets:
            continue
        cells[(ref.fact.actor, ref.fact.target)].append(ref)
    out = []
    for (actor, target), refs in sorted(cells.items()):
        refs.sort(key=lambda r: (r.published is not None, r.published or datetime.min))  # undated first
        latest = refs[-1].fact.stance
        since = refs[-1].published
        for r in reversed(refs):
            if r.fact.stance != latest:
                break
            since = r.published
        evidence = [
            {
                "stance": r.fact.stance,
                "document_id": r.document_id,
                "source": corpus.source_of(r.document_id),
                "published": r.published.isoformat() if r.published else None,
                "certainty": r.certainty,
                "text": r.context,
                "fact_id": r.id,
            }
            for r in refs
        ]
        out.append(Cell(actor, target, latest, since, evidence))
    return out


@dataclass(frozen=True, slots=True)
class StanceChange:
    """An actor's stance on a target that changed: the new stance first reported ``when``."""

    actor: str
    target: str
    before: str
    after: str
    when: datetime
    document_id: str
    source: str | None
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "actor": self.actor,
            "target": self.target,
            "before": self.before,
            "after": self.after,
            "when": self.when.isoformat(),
            "document_id": self.document_id,
            "source": self.source,
            "text": self.text,
        }


def stance_changes(
    corpus: Corpus, at: datetime | None = None, targets: set[str] | None = None, window_days: int = 3
) -> list[StanceChange]:
    """Stances that changed over time: a report of another stance more than ``window_days`` after the
    last report of the previous one. Closer than that, the two are a contradiction (reported by
    ``analyse.contradictions``), not a change."""
    by_cell: dict[tuple[str, str], list[FactRef]] = defaultdict(list)
    for ref in corpus.facts.get("stances", []):
        if ref.published is None or (at is not None and ref.published > at):
            continue
        if targets is not None and ref.fact.target.casefold() not in targets:
            continue
        by_cell[(ref.fact.actor, ref.fact.target)].append(ref)
    window = timedelta(days=window_days)
    out: list[StanceChange] = []
    for (actor, target), refs in sorted(by_cell.items()):
        refs.sort(key=lambda r: r.published or datetime.min)
        current, last_seen = refs[0].fact.stance, refs[0].published
        for r in refs[1:]:
            assert r.published is not None and last_seen is not None
            if r.fact.stance == current:
                last_seen = r.published
                continue
            if r.published - last_seen > window:
                out.append(
                    StanceChange(
                        actor,
                        target,
                        current,
                        r.fact.stance,
                        r.published,
                        r.document_id,
                        corpus.source_of(r.document_id),
                        r.context,
                    )
                )
                current, last_seen = r.fact.stance, r.published
    out.sort(key=lambda c: c.when)
    return out


def plan_names(corpus: Corpus) -> list[str]:
    return list(dict.fromkeys(v.plan for v in versions(corpus)))


def plan(corpus: Corpus, name: str, at: datetime | None = None) -> PlanView:
    """The plan whose name contains ``name`` (case-insensitive): versions, changes and stances."""
    wanted = name.casefold().strip()
    chosen = [v for v in versions(corpus, at) if wanted in v.plan.casefold()]
    names = list(dict.fromkeys(v.plan for v in chosen))
    label = names[0] if len(names) == 1 else (name if not names else " / ".join(names))
    changes = history(chosen, corpus)
    topics = {t for v in chosen for t in v.provisions}
    targets = {n.casefold() for n in names} | {t.casefold() for t in topics} | {"peace plan", "plan", wanted}
    return PlanView(label, chosen, changes, stance_matrix(corpus, at, targets), stance_changes(corpus, at, targets))


__all__ = [
    "UNNAMED",
    "Cell",
    "Change",
    "PlanView",
    "StanceChange",
    "Version",
    "diff",
    "history",
    "plan",
    "plan_name",
    "plan_names",
    "stance_changes",
    "stance_matrix",
    "versions",
]
