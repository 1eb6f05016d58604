"""The library calls behind both the pages and the JSON API, so the two always agree.

Each function takes the ``Site`` and plain filter values and returns the analyse stage's own
objects (or the store's rows); formatting is left to ``api.py`` and the templates.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any, TypeVar

from .. import model
from ..analyse import ground, plans, records
from ..analyse.contradictions import Contradiction, find
from ..analyse.plans import PlanView
from ..analyse.predictions import LedgerEntry, ledger
from ..link import day_end
from ..store import StoredDocument
from .site import Site

T = TypeVar("T")


def page(items: Sequence[T], limit: int, offset: int) -> tuple[list[T], int]:
    """One page of ``items`` and how many there are in all."""
    return list(items[offset : offset + limit]), len(items)


def day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class DocumentFilter:
    """``source``/``kind``: exact match (source case-insensitive); ``since``/``until``: publication days."""

    source: str | None = None
    kind: str | None = None
    since: date | None = None
    until: date | None = None

    def keep(self, d: StoredDocument) -> bool:
        if self.source and (d.source or "").casefold() != self.source.casefold():
            return False
        if self.kind and d.kind != self.kind:
            return False
        if self.since and (d.published is None or d.published < day_start(self.since)):
            return False
        return not (self.until and (d.published is None or d.published > day_end(self.until)))


def documents(site: Site, where: DocumentFilter) -> list[StoredDocument]:
    """Stored documents, newest first (undated last), filtered."""
    rows = [d for d in site.store.documents(since=day_start(where.since) if where.since else None) if where.keep(d)]
    dated = [d for d in rows if d.published is not None]
    undated = [d for d in rows if d.published is None]
    return [*reversed(dated), *undated]


def sources_and_kinds(site: Site) -> tuple[list[str], list[str]]:
    """The source names and document kinds in the store (for filter menus)."""
    docs = site.store.documents()
    return sorted({d.source for d in docs if d.source}), sorted({d.kind for d in docs})


def fact_row(kind: str, fact_id: int, document_id: str, fact: model.Fact) -> dict[str, Any]:
    return {"id": fact_id, "kind": kind, "document_id": document_id, **fact.to_dict()}


def facts(site: Site, kind: str | None = None, document_id: str | None = None) -> list[dict[str, Any]]:
    """Stored facts (one kind or all, one document or all) as flat rows, in stored order."""
    kinds = [kind] if kind else list(model.FACT_KINDS)
    ids = [document_id] if document_id else None
    out: list[dict[str, Any]] = []
    for name in kinds:
        out.extend(fact_row(name, f.id, f.document_id, f.fact) for f in site.store.facts(name, ids))
    return out


def document_facts(extraction: model.Extraction, ids: dict[str, list[int]]) -> dict[str, list[dict[str, Any]]]:
    return {
        kind: [fact_row(kind, ids[kind][i], extraction.document.id, f) for i, f in enumerate(getattr(extraction, kind))]
        for kind in model.FACT_KINDS
    }


def load_document(site: Site, document_id: str) -> tuple[model.Extraction, dict[str, list[int]]] | None:
    """One document with its facts and their row ids, or None."""
    for extraction, ids in site.store.iter_extractions([document_id]):
        return extraction, {kind: ids.get(kind, []) for kind in model.FACT_KINDS}
    return None


def predictions(
    site: Site,
    *,
    due_before: date | None = None,
    by: str | None = None,
    status: str | None = None,
    today: date | None = None,
    suggest: bool = True,
) -> list[LedgerEntry]:
    entries = ledger(
        site.corpus.get(),
        site.store.prediction_resolutions(),
        today=today,
        due_before=due_before,
        by=by,
        suggest=suggest,
    )
    return [e for e in entries if status is None or e.status == status]


def places(site: Site, at: date | None = None, status: str | None = None) -> list[ground.PlaceState]:
    when = day_end(at) if at else None
    states = ground.places(site.corpus.get(when), when)
    return [s for s in states if status is None or s.status == status]


def plan_names(site: Site) -> list[str]:
    return plans.plan_names(site.corpus.get())


def plan(site: Site, name: str, at: date | None = None) -> PlanView | None:
    """The plan whose name contains ``name``, or None when nothing matches."""
    when = day_end(at) if at else None
    view = plans.plan(site.corpus.get(when), name, when)
    return view if view.versions or view.matrix else None


def contradictions(site: Site, since: date | None = None) -> list[Contradiction]:
    start = day_start(since) if since else None
    items = [x for x in find(site.corpus.get()) if start is None or (x.latest is not None and x.latest >= start)]
    items.sort(key=lambda x: x.latest or datetime.min.replace(tzinfo=UTC), reverse=True)
    return items


def source_records(site: Site) -> list[records.Record]:
    corpus = site.corpus.get()
    entries = ledger(corpus, site.store.prediction_resolutions(), suggest=False)
    return records.records(corpus, find(corpus), entries)


@dataclass(frozen=True, slots=True)
class TimelineEvent:
    when: datetime
    kind: str  # document | control | stance | plan
    text: str
    source: str | None
    document_id: str


def timeline(
    site: Site, since: date | None = None, until: date | None = None
) -> list[tuple[date, list[TimelineEvent]]]:
    """Day by day, newest first: documents published, control changes, stance and plan changes."""
    corpus = site.corpus.get()
    events: list[TimelineEvent] = []
    for info in corpus.documents.values():
        if info.published is not None:
            events.append(TimelineEvent(info.published, "document", info.title or info.id, info.source, info.id))
    for name, reports in ground.reports_by_place(corpus).items():
        for ch in ground.changes(name, reports):
            by = f" ({ch.by})" if ch.by else ""
            events.append(
                TimelineEvent(
                    ch.when,
                    "control",
                    f"{name}: {ch.before} → {ch.after}{by}",
                    ch.evidence.source,
                    ch.evidence.document_id,
                )
            )
    for sc in plans.stance_changes(corpus):
        text = f"{sc.actor} on {sc.target}: {sc.before} → {sc.after}"
        events.append(TimelineEvent(sc.when, "stance", text, sc.source, sc.document_id))
    for name in plans.plan_names(corpus):
        for change in plans.plan(corpus, name).changes:
            v = change.version
            if v.published is not None:
                events.append(
                    TimelineEvent(
                        v.published, "plan", f"{v.plan}: {change.topic} {change.kind}", v.source, v.document_id
                    )
                )
    start = day_start(since) if since else None
    end = day_end(until) if until else None
    days: dict[date, list[TimelineEvent]] = {}
    for e in sorted(events, key=lambda e: e.when, reverse=True):
        if (start and e.when < start) or (end and e.when > end):
            continue
        days.setdefault(e.when.date(), []).append(e)
    return list(days.items())


def when_text(value: datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC")


def report_days(site: Site) -> list[date]:
    """The days on which control of some place was reported, oldest first (the map's time slider)."""
    corpus = site.corpus.get()
    return sorted({r.when.date() for reports in ground.reports_by_place(corpus).values() for r in reports if r.when})
