"""The library calls behind both the pages and the JSON API, so the two always agree.

Lists of documents and facts are filtered, ordered and paged by the database (``store.pages``);
views of the analysed corpus (places, plans, predictions, sources, contradictions, the timeline)
come from the results ``web.analysis`` computes once per store generation, never from a corpus
loaded for one request. Formatting is left to ``api.py`` and the templates.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from functools import partial
from typing import Any, TypeVar

from fastapi import Request

from .. import model
from ..analyse import ground, plans, records
from ..analyse.contradictions import Contradiction
from ..analyse.plans import PlanView
from ..analyse.predictions import LedgerEntry, deadline_end, ledger
from ..analyse.snapshot import CorpusMoves
from ..link import day_end
from ..present.brief import Brief, build_brief
from ..store import StoredDocument
from ..store import pages as store_pages
from .analysis import Analysed, TimelineEvent
from .site import Site

T = TypeVar("T")
_EARLIEST = datetime.min.replace(tzinfo=UTC)
COUNT_CAP = 10_000  # a filtered document count stops here: "more than 10,000"

__all__ = ["TimelineEvent"]


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

    def query(self, limit: int | None, offset: int = 0) -> store_pages.DocumentQuery:
        return store_pages.DocumentQuery(
            source=self.source,
            kind=self.kind,
            since=day_start(self.since) if self.since else None,
            until=day_end(self.until) if self.until else None,
            limit=limit,
            offset=offset,
        )


def documents(site: Site, where: DocumentFilter, limit: int, offset: int) -> tuple[list[StoredDocument], int | None]:
    """One page of documents, newest first (undated last), and how many match (None: over
    ``COUNT_CAP`` with a filter; the whole store is always counted exactly)."""
    q = where.query(limit, offset)
    rows = store_pages.documents_page(site.store, q)
    total = store_pages.count_documents(site.store, q, cap=COUNT_CAP if q.filtered else None)
    if total is None and len(rows) == limit:
        return rows, None
    return rows, total if total is not None else offset + len(rows)


def sources_and_kinds(site: Site) -> tuple[list[str], list[str]]:
    """The source names and document kinds in the store (for filter menus)."""
    return site.names()


def fact_row(kind: str, fact_id: int, document_id: str, fact: model.Fact) -> dict[str, Any]:
    return {"id": fact_id, "kind": kind, "document_id": document_id, **fact.to_dict()}


def facts(
    site: Site, kind: str | None = None, document_id: str | None = None, *, limit: int = 50, offset: int = 0
) -> tuple[list[dict[str, Any]], int]:
    """One page of stored facts (one kind or all, one document or all) as flat rows: kinds in
    ``model.FACT_KINDS`` order, each in stored order; and how many there are."""
    counts = store_pages.count_facts(site.store, kind, document_id)
    found = store_pages.facts_page(site.store, kind, document_id, limit=limit, offset=offset, counts=counts)
    return [fact_row(name, f.id, f.document_id, f.fact) for name, f in found], sum(counts.values())


def all_facts(site: Site, kind: str | None = None) -> list[dict[str, Any]]:
    """Every stored fact of one kind or all, as flat rows (the CSV export)."""
    kinds = [kind] if kind else list(model.FACT_KINDS)
    return [fact_row(name, f.id, f.document_id, f.fact) for name in kinds for f in site.store.facts(name)]


def document_facts(extraction: model.Extraction, ids: dict[str, list[int]]) -> dict[str, list[dict[str, Any]]]:
    return {
        kind: [fact_row(kind, ids[kind][i], extraction.document.id, f) for i, f in enumerate(getattr(extraction, kind))]
        for kind in model.FACT_KINDS
    }


def load_document(site: Site, document_id: str) -> tuple[model.Extraction, dict[str, list[int]]] | None:
    """One document with its facts and their row ids, or None."""
    return store_pages.extraction_with_ids(site.store, document_id)


def _resolutions_key(resolutions: dict[int, dict[str, Any]]) -> tuple[Any, ...]:
    return tuple(sorted((k, v["outcome"], str(v["resolved_at"])) for k, v in resolutions.items()))


def predictions(
    site: Site,
    *,
    due_before: date | None = None,
    by: str | None = None,
    status: str | None = None,
    today: date | None = None,
    suggest: bool = True,
    request: Request | None = None,
) -> list[LedgerEntry]:
    """The ledger (with suggested resolutions), computed once per store state and set of verdicts."""
    analysed = site.analysed(request)
    entries = ledger_entries(site, analysed, today or site.now().date(), suggest)
    out = []
    for e in entries:
        if status is not None and e.status != status:
            continue
        if by and (e.by is None or by.casefold() not in e.by.casefold()):
            continue
        if due_before is not None:
            end = deadline_end(e.deadline)
            if end is None or end > due_before:
                continue
        out.append(e)
    return out


def ledger_entries(site: Site, analysed: Analysed, day: date, suggest: bool = True) -> list[LedgerEntry]:
    """The whole ledger as of ``day`` with the user's verdicts. Suggested resolutions (seconds on a
    large store: each open prediction is matched against every claim) are computed once per store
    state and day, then laid over the ledger of the current verdicts, so resolving one is cheap."""
    resolutions = site.store.prediction_resolutions()
    key = _resolutions_key(resolutions)
    entries = analysed.memo(
        ("ledger", day, key), lambda: ledger(analysed.corpus, resolutions, today=day, suggest=False)
    )
    if not suggest:
        return entries
    base = analysed.memo(("suggestions", day), lambda: ledger(analysed.corpus, {}, today=day, suggest=True))
    found = {e.id: e.suggestions for e in base if e.id is not None}

    def merged() -> list[LedgerEntry]:
        return [
            replace(e, suggestions=found.get(e.id, [])) if e.status != "resolved" and e.id is not None else e
            for e in entries
        ]

    return analysed.memo(("ledger+suggestions", day, key), merged)


BRIEF_CAP = 200  # documents in the dashboard's brief: the newest, when more came in
EPSILON = timedelta(microseconds=1)


@dataclass(frozen=True, slots=True)
class DashboardBrief:
    brief: Brief
    total: int  # documents new in the window
    capped: bool  # the brief covers the newest BRIEF_CAP of them
    key: tuple[Any, ...]  # what the brief was built from (its memo key): its rendered form is kept under it


def dashboard_brief(site: Site, analysed: Analysed, since: date | None, after: datetime | None) -> DashboardBrief:
    """The brief of what was published since ``since`` (a day) or stored after ``after``: of the newest
    ``BRIEF_CAP`` documents when more came in; built once per window and store state."""
    generation = site.store.generation()
    now = site.now()
    if since is not None:
        total, cutoff = store_pages.newest_cutoff(site.store, "published", day_start(since) - EPSILON, BRIEF_CAP)
        start = cutoff + EPSILON if cutoff else day_start(since)
        key: tuple[Any, ...] = ("brief", "published", start, generation)
        brief = analysed.memo(key, lambda: build_brief(site.store, since=start, now=now, moves=moves(analysed)))
    else:
        total, cutoff = store_pages.newest_cutoff(site.store, "ingested_at", after, BRIEF_CAP)
        begin = cutoff or after
        key = ("brief", "ingested", begin, generation)
        brief = analysed.memo(
            key, lambda: build_brief(site.store, ingested_after=begin, now=now, moves=moves(analysed))
        )
    return DashboardBrief(brief, total, cutoff is not None, key)


def moves(analysed: Analysed) -> CorpusMoves:
    """The corpus-wide analysis the briefs' "What moved" reads, computed once per store state (with
    the contradictions the analysis found)."""
    return analysed.moves


FIRST_VISIT_DAYS = 7


def warm(site: Site, analysed: Analysed) -> None:
    """After an analysis, in its thread: what the first pages will ask for (the ledger with its
    suggestions, the dashboard of a first visit, the plans' pages)."""
    ledger_entries(site, analysed, site.now().date())
    dashboard_brief(site, analysed, None, site.now() - timedelta(days=FIRST_VISIT_DAYS))
    records_of(site, analysed)
    analysed.memo(("contradiction-dicts",), lambda: [contradiction_dict(x) for x in analysed.contradictions])
    for name in analysed.plan_names[:WARM_PLANS]:  # seconds each on a large store
        analysed.memo(("plan", name.casefold().strip(), None), partial(plans.plan, analysed.corpus, name, None))


WARM_PLANS = 8  # plan pages computed before they are asked for (the memo keeps 32 views)


def places(
    site: Site, at: date | None = None, status: str | None = None, request: Request | None = None
) -> list[ground.PlaceState]:
    analysed = site.analysed(request)
    if at is None:
        states = analysed.places
    else:
        when = day_end(at)
        states = analysed.memo(("places", at), lambda: ground.places(analysed.corpus, when))
    return [s for s in states if status is None or s.status == status]


def plan_names(site: Site, request: Request | None = None) -> list[str]:
    return site.analysed(request).plan_names


def plan(site: Site, name: str, at: date | None = None, request: Request | None = None) -> PlanView | None:
    """The plan whose name contains ``name``, or None when nothing matches."""
    analysed = site.analysed(request)
    when = day_end(at) if at else None
    view = analysed.memo(("plan", name.casefold().strip(), at), lambda: plans.plan(analysed.corpus, name, when))
    return view if view.versions or view.matrix else None


def contradictions(site: Site, since: date | None = None, request: Request | None = None) -> list[Contradiction]:
    items = site.analysed(request).contradictions
    if since is None:
        return items
    start = day_start(since)
    return [x for x in items if x.latest is not None and x.latest >= start]


EVIDENCE_CAP = 20  # reports per side of a contradiction in a list


def contradiction_dict(x: Contradiction, cap: int = EVIDENCE_CAP) -> dict[str, Any]:
    """A contradiction as JSON-ready data with at most ``cap`` reports a side, the latest kept
    (``a_total``/``b_total``: how many there are)."""
    out: dict[str, Any] = {"kind": x.kind, "subject": x.subject}
    for side, items in (("a", x.a), ("b", x.b)):
        latest = sorted(items, key=lambda e: e.published or _EARLIEST, reverse=True)[:cap]
        out[side] = [e.to_dict() for e in latest]
        out[f"{side}_total"] = len(items)
    return out


def contradiction_dicts(site: Site, since: date | None = None, request: Request | None = None) -> list[dict[str, Any]]:
    """``contradictions`` as ``contradiction_dict``s (made once per store state)."""
    analysed = site.analysed(request)
    every = analysed.memo(("contradiction-dicts",), lambda: [contradiction_dict(x) for x in analysed.contradictions])
    if since is None:
        return every
    start = day_start(since)
    return [
        d for x, d in zip(analysed.contradictions, every, strict=True) if x.latest is not None and x.latest >= start
    ]


def source_records(site: Site, request: Request | None = None) -> list[records.Record]:
    return records_of(site, site.analysed(request))


def records_of(site: Site, analysed: Analysed) -> list[records.Record]:
    """Track records, once per store state and set of verdicts."""
    resolutions = site.store.prediction_resolutions()

    def make() -> list[records.Record]:
        entries = ledger(analysed.corpus, resolutions, suggest=False)
        return records.records(analysed.corpus, analysed.contradictions, entries)

    return analysed.memo(("records", _resolutions_key(resolutions)), make)


def timeline(
    site: Site, since: date | None = None, until: date | None = None, request: Request | None = None
) -> list[tuple[date, list[TimelineEvent]]]:
    """Day by day, newest first: documents published, control changes, stance and plan changes."""
    start = day_start(since) if since else None
    end = day_end(until) if until else None
    days: dict[date, list[TimelineEvent]] = {}
    for e in site.analysed(request).events:
        if (start and e.when < start) or (end and e.when > end):
            continue
        days.setdefault(e.when.date(), []).append(e)
    return list(days.items())


def when_text(value: datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC")


def report_days(site: Site, request: Request | None = None) -> list[date]:
    """The days on which control of some place was reported, oldest first (the map's time slider)."""
    return site.analysed(request).report_days
