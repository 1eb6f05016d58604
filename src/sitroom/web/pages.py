"""The HTML pages (GET). Each gathers what it shows through ``views`` — the same calls as the API."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from markupsafe import Markup
from starlette.responses import HTMLResponse

from .. import model
from ..analyse.predictions import suggestions_skipped
from ..errors import ConfigError
from . import views
from .api import search_page
from .highlight import Span, highlight
from .plan_page import plan_context
from .render import fragment, is_htmx, render
from .site import Site, claim_group, claim_groups, document_claims, get_site

router = APIRouter(include_in_schema=False)
SiteDep = Annotated[Site, Depends(get_site)]
Day = Annotated[date | None, Query()]
Text = Annotated[str | None, Query(max_length=200)]
READ_COOKIE = "sitroom_read_upto"  # when the user last marked the brief as read (forms.mark_read)
FIRST_VISIT_DAYS = views.FIRST_VISIT_DAYS
DASHBOARD_DUE = 10  # due predictions listed on the dashboard (the rest: a link to the ledger)
TIMELINE_EVENTS = 300  # events per timeline page (whole days)
DAY_DOCUMENTS = 20  # documents listed per day on the timeline
WINDOWS = {"unread": None, "24h": timedelta(hours=24), "7d": timedelta(days=7)}


def _blank(value: str | None) -> str | None:
    return value.strip() or None if value else None


def _pager(request: Request, total: int | None, limit: int, offset: int, shown: int | None = None) -> dict[str, Any]:
    """Links to the previous and next page; ``total=None``: not counted (more than a cap), so a full
    page (``shown == limit``) has a next one."""

    def at(o: int) -> str:
        url = request.url.include_query_params(offset=max(o, 0))
        return f"{url.path}?{url.query}"

    more = (offset + limit < total) if total is not None else shown == limit
    last = offset + (shown if shown is not None else limit)
    return {
        "total": total,
        "first": offset + 1 if (total or shown) else 0,
        "last": min(last, total) if total is not None else last,
        "prev": at(offset - limit) if offset > 0 else None,
        "next": at(offset + limit) if more else None,
    }


def read_upto(request: Request) -> datetime | None:
    """When the user last marked the brief as read (the cookie), or None."""
    raw = request.cookies.get(READ_COOKIE)
    if not raw:
        return None
    try:
        value = datetime.fromisoformat(raw)
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


@router.get("/", response_class=HTMLResponse)
def dashboard(
    request: Request,
    site: SiteDep,
    since: Day = None,
    window: Annotated[str, Query(pattern="^(unread|24h|7d)$")] = "unread",
) -> HTMLResponse:
    """The brief of what is new: since the user last marked it read (kept in a cookie until they
    do again, so a reload shows the same), or the last 24 hours / 7 days, or published since a day."""
    now = site.now()
    upto = read_upto(request)
    if since is not None:
        after, basis = None, f"published since {since.isoformat()}"
    elif window != "unread":
        after = now - WINDOWS[window]  # type: ignore[operator]
        basis = f"added in the last {'24 hours' if window == '24h' else '7 days'} (since {views.when_text(after)})"
    elif upto is not None:
        after, basis = upto, f"added since you marked the brief read ({views.when_text(upto)})"
    else:
        after = now - timedelta(days=FIRST_VISIT_DAYS)
        basis = f"added in the last {FIRST_VISIT_DAYS} days (since {views.when_text(after)})"
    analysed = site.analysed(request)
    found = views.dashboard_brief(site, analysed, since, after)
    brief = found.brief
    context = {
        "brief": brief,
        "brief_html": analysed.memo(("brief-html", *found.key), lambda: fragment("_brief.html", {"brief": brief})),
        "basis": basis,
        "capped": found.total if found.capped else None,
        "window": "since" if since is not None else window,
        "upto": upto,
        "rendered": now.isoformat(),
        "due": views.predictions(site, status="due", request=request),
        "due_shown": DASHBOARD_DUE,
        "contradictions": views.contradictions(site, request=request)[:10],
        "documents": analysed.generation.documents,
    }
    return render(request, "dashboard.html", context)


@router.get("/documents", response_class=HTMLResponse)
def documents(
    request: Request,
    site: SiteDep,
    source: Text = None,
    kind: Text = None,
    since: Day = None,
    until: Day = None,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> HTMLResponse:
    where = views.DocumentFilter(_blank(source), _blank(kind), since, until)
    limit = site.settings.page_size
    rows, total = views.documents(site, where, limit, offset)
    pager = _pager(request, total, limit, offset, len(rows))
    if is_htmx(request, "results"):
        return render(request, "_documents_results.html", {"rows": rows, "pager": pager})
    sources, kinds = views.sources_and_kinds(site)
    context = {"rows": rows, "where": where, "sources": sources, "kinds": kinds, "pager": pager}
    return render(request, "documents.html", context)


def fact_label(kind: str, fact: Any) -> str:
    if kind == "attributions":
        return f"{fact.speaker} {fact.cue} ({fact.certainty})"
    if kind == "hedges":
        return f"hedge ({fact.kind})"
    if kind == "places":
        by = f" by {fact.by}" if fact.by else ""
        return f"{fact.name}: {fact.status}{by}"
    if kind == "provisions":
        return f"provision: {fact.topic}" + (f" ({fact.plan})" if fact.plan else "")
    if kind == "stances":
        return f"{fact.actor}: {fact.stance} {fact.target}"
    if kind == "predictions":
        return f"prediction by {fact.by or 'unknown'}: {fact.what}" + (
            f" (by {fact.deadline})" if fact.deadline else ""
        )
    if kind == "quantities":
        return f"{fact.text}" + (f" about {fact.about}" if fact.about else "")
    return kind


@router.get("/documents/{document_id}", response_class=HTMLResponse)
def document(request: Request, site: SiteDep, document_id: str) -> HTMLResponse:
    info = site.store.document_info(document_id)
    found = views.load_document(site, document_id) if info else None
    if info is None or found is None:
        raise HTTPException(404, "no stored document has this id")
    extraction, ids = found
    doc = extraction.document
    claims = document_claims(site, document_id, request)
    spans: list[Span] = []
    entries: dict[str, list[dict[str, Any]]] = {}
    for kind in model.FACT_KINDS:
        for i, fact in enumerate(getattr(extraction, kind)):
            anchor = f"f-{kind}-{ids[kind][i]}"
            label = fact_label(kind, fact)
            spans.append(Span(kind, fact.start, fact.end, anchor, label))
            groups = {gid: text for s, e, gid, text in claims if s <= fact.start and fact.end <= e}
            seconds = doc.timestamp_at(fact.start) if doc.cues else None
            entries.setdefault(kind, []).append(
                {
                    "anchor": anchor,
                    "label": label,
                    "evidence": doc.text[fact.start : fact.end],
                    "groups": groups,
                    "at": seconds,
                }
            )
    context = {
        "info": info,
        "doc": doc,
        "body": highlight(doc.text, spans, doc.cues),
        "entries": entries,
        "groups": list({gid: text for _, _, gid, text in claims}.items()),
    }
    return render(request, "document.html", context)


@router.get("/search", response_class=HTMLResponse)
def search(
    request: Request,
    site: SiteDep,
    q: Annotated[str, Query(max_length=500)] = "",
    source: Text = None,
    kind: Text = None,
    since: Day = None,
    until: Day = None,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> HTMLResponse:
    where = views.DocumentFilter(_blank(source), _blank(kind), since, until)
    limit = site.settings.page_size
    hits, total = search_page(site, q, where, limit, offset) if q.strip() else ([], 0)
    results = {"q": q, "hits": hits, "pager": _pager(request, total, limit, offset)}
    if is_htmx(request, "results"):
        return render(request, "_search_results.html", results)
    sources, kinds = views.sources_and_kinds(site)
    return render(request, "search.html", {**results, "where": where, "sources": sources, "kinds": kinds})


@router.get("/claims", response_class=HTMLResponse)
def claims(
    request: Request,
    site: SiteDep,
    topic: Text = None,
    min_sources: Annotated[int, Query(ge=1, le=1000)] = 2,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> HTMLResponse:
    limit = site.settings.page_size
    rows, total = claim_groups(
        site, topic=_blank(topic), min_sources=min_sources, limit=limit, offset=offset, request=request
    )
    context = {
        "rows": rows,
        "topic": topic or "",
        "min_sources": min_sources,
        "pager": _pager(request, total, limit, offset),
    }
    return render(request, "claims.html", context)


@router.get("/claims/{group_id}", response_class=HTMLResponse)
def claim(
    request: Request, site: SiteDep, group_id: str, offset: Annotated[int, Query(ge=0)] = 0
) -> HTMLResponse:
    group = claim_group(site, group_id, request, offset=offset)
    if group is None:
        raise HTTPException(404, "no claim group has this id")
    return render(request, "claim.html", {"group": group})


@router.get("/plans", response_class=HTMLResponse)
def plans(request: Request, site: SiteDep) -> HTMLResponse:
    return render(request, "plans.html", {"names": views.plan_names(site, request)})


@router.get("/plans/{name}", response_class=HTMLResponse)
def plan(request: Request, site: SiteDep, name: str, at: Day = None) -> HTMLResponse:
    view = views.plan(site, name, at, request)
    if view is None:
        raise HTTPException(404, "no plan matches this name")
    body = site.analysed(request).memo(
        ("plan-html", name, at), lambda: fragment("_plan_body.html", {**plan_context(view), "at": at, "name": name})
    )
    return render(request, "plan.html", {"view": view, "body": body})


@router.get("/places", response_class=HTMLResponse)
def places(request: Request, site: SiteDep, at: Day = None, status: Text = None) -> HTMLResponse:
    rows = views.places(site, at, _blank(status), request)
    return render(request, "places.html", {"rows": rows, "at": at, "status": status or ""})


@router.get("/map", response_class=HTMLResponse)
def map_page(
    request: Request, site: SiteDep, at: Day = None, i: Annotated[int | None, Query(ge=0)] = None
) -> HTMLResponse:
    """Places coloured by status (``web.geo``'s SVG); the slider steps through the days with reports.
    htmx asks for ``#map-frame`` only when the slider moves."""
    from .geo import render_map

    days = views.report_days(site, request)
    if at is None and i is not None and days:
        at = days[min(i, len(days) - 1)]
    index = len(days) - 1
    if at is not None and days:
        index = max((n for n, d in enumerate(days) if d <= at), default=0)
    svg, error = None, None
    try:
        analysed = site.analysed(request)
        states = views.places(site, at, request=request)
        svg = analysed.memo(
            ("map", at),
            lambda: Markup(
                render_map(
                    states,
                    at=views.day_start(at) if at else None,
                    boundaries=site.boundaries(),
                    details_id="map-details",
                )
            ),  # render_map escapes every name it writes (web.geo.svg)
        )
    except ConfigError as exc:
        error = str(exc)
    context = {"at": at, "days": days, "index": max(index, 0), "svg": svg, "error": error}
    if is_htmx(request, "map-frame"):
        return render(request, "_map_frame.html", context)
    return render(request, "map.html", context)


@router.get("/timeline", response_class=HTMLResponse)
def timeline(request: Request, site: SiteDep, since: Day = None, until: Day = None) -> HTMLResponse:
    """Newest day first, a page of about ``TIMELINE_EVENTS`` events (whole days); on each day at most
    ``DAY_DOCUMENTS`` documents are listed, the rest counted with a link to the documents of that day."""
    shown: list[tuple[date, list[views.TimelineEvent], int]] = []
    n = 0
    earlier = None
    for d, events in views.timeline(site, since, until, request):
        if shown and n >= TIMELINE_EVENTS:
            earlier = d
            break
        docs = [e for e in events if e.kind == "document"]
        kept = [e for e in events if e.kind != "document"] + docs[:DAY_DOCUMENTS]
        kept.sort(key=lambda e: e.when, reverse=True)
        shown.append((d, kept, len(docs) - min(len(docs), DAY_DOCUMENTS)))
        n += len(kept)
    more = None
    if earlier is not None:
        url = request.url.include_query_params(until=earlier.isoformat())
        more = f"{url.path}?{url.query}"
    return render(request, "timeline.html", {"days": shown, "since": since, "until": until, "earlier": more})


@router.get("/predictions", response_class=HTMLResponse)
def predictions(
    request: Request,
    site: SiteDep,
    due_before: Day = None,
    by: Text = None,
    status: Text = None,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> HTMLResponse:
    entries = views.predictions(site, due_before=due_before, by=_blank(by), status=_blank(status), request=request)
    limit = site.settings.page_size
    rows, total = views.page(entries, limit, offset)
    context = {
        "entries": rows,
        "due_before": due_before,
        "by": by or "",
        "status": status or "",
        "pager": _pager(request, total, limit, offset),
        "no_suggestions": suggestions_skipped(site.analysed(request).corpus),
    }
    return render(request, "predictions.html", context)


@router.get("/sources", response_class=HTMLResponse)
def sources(request: Request, site: SiteDep) -> HTMLResponse:
    return render(request, "sources.html", {"rows": views.source_records(site, request)})


@router.get("/ingest", response_class=HTMLResponse)
def ingest(request: Request, site: SiteDep) -> HTMLResponse:
    return render(request, "ingest.html", {"report": None, "error": None, "cap": site.settings.max_upload_bytes})


@router.get("/login", response_class=HTMLResponse)
def login(request: Request, next: Annotated[str, Query(max_length=500)] = "/") -> HTMLResponse:
    return render(request, "login.html", {"next": next})
