"""The JSON API under ``/api/v1``: every list paged (``limit``, ``offset``) in one envelope."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response

from .. import model
from ..errors import InputError, InputTooLargeError
from ..store import SearchHit, StoredDocument
from ..store import pages as store_pages
from . import views
from .schemas import (
    ClaimGroupOut,
    ContradictionOut,
    CueOut,
    DocumentDetail,
    DocumentIn,
    DocumentOut,
    ErrorOut,
    FactOut,
    IngestOut,
    Page,
    PlaceOut,
    PlanOut,
    PredictionOut,
    ResolveIn,
    ResolveOut,
    SearchHitOut,
    Segment,
    SourceOut,
)
from .site import GROUP_CLAIMS, Site, claim_group, claim_groups, get_site

T = TypeVar("T")
MAX_LIMIT = 500

router = APIRouter(
    prefix="/api/v1",
    tags=["api"],
    responses={code: {"model": ErrorOut} for code in (400, 401, 403, 404, 422, 503)},
)

SiteDep = Annotated[Site, Depends(get_site)]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Items per page.")]
Offset = Annotated[int, Query(ge=0, description="Items to skip.")]
Day = Annotated[date | None, Query(description="YYYY-MM-DD")]


def envelope(request: Request, items: list[T], total: int | None, limit: int, offset: int) -> dict[str, Any]:
    """The page envelope; ``total=None``: not counted (more than a cap), so a full page has a next."""
    nxt = None
    if (offset + limit < total) if total is not None else len(items) == limit:
        url = request.url.include_query_params(offset=offset + limit, limit=limit)
        nxt = f"{url.path}?{url.query}"
    updating = bool(getattr(request.state, "updating", False))
    return {"items": items, "total": total, "limit": limit, "offset": offset, "next": nxt, "updating": updating}


def paged(request: Request, rows: list[T], limit: int, offset: int) -> dict[str, Any]:
    items, total = views.page(rows, limit, offset)
    return envelope(request, items, total, limit, offset)


def document_out(d: StoredDocument) -> dict[str, Any]:
    return DocumentOut(
        id=d.id,
        title=d.title,
        source=d.source,
        author=d.author,
        url=d.url,
        published=d.published,
        retrieved=d.retrieved,
        ingested_at=d.ingested_at,
        kind=d.kind,
        language=d.language,
        length=d.length,
        previous_id=d.previous_id,
    ).model_dump()


def _kind(kind: str | None) -> str | None:
    if kind is not None and kind not in model.FACT_KINDS:
        raise HTTPException(400, f"unknown fact kind {kind!r}; use one of {', '.join(model.FACT_KINDS)}")
    return kind


@router.get("/documents", response_model=Page[DocumentOut], summary="Stored documents, newest first")
def list_documents(
    request: Request,
    site: SiteDep,
    source: Annotated[str | None, Query(description="Only this source (case-insensitive).")] = None,
    kind: Annotated[str | None, Query(description="article, transcript, post, statement or note.")] = None,
    since: Day = None,
    until: Day = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    rows, total = views.documents(site, views.DocumentFilter(source, kind, since, until), limit, offset)
    return envelope(request, [document_out(d) for d in rows], total, limit, offset)


@router.post(
    "/documents",
    response_model=IngestOut,
    status_code=201,
    summary="Ingest a text or one URL (extracted and stored like a file)",
    responses={413: {"model": ErrorOut}, 415: {"model": ErrorOut}},
)
def ingest_document(request: Request, response: Response, site: SiteDep, body: DocumentIn) -> dict[str, Any]:
    """201 when something new was stored, 200 when it was all stored already; a reading error is
    400/413/415 with one line; when nothing could be stored, the first failure as a 400."""
    from ..ingest import IngestOptions
    from . import ingest as web_ingest
    from .views import day_start

    if (body.text is None) == (body.url is None):
        raise HTTPException(400, "send exactly one of text or url")
    options = IngestOptions(
        source=body.source or None,
        published=day_start(body.published) if body.published else None,
        kind=body.kind,
        author=body.author or None,
    )
    if body.text is not None:
        if len(body.text.encode("utf-8")) > site.settings.max_upload_bytes:
            raise InputTooLargeError(
                f"the text is over the {site.settings.max_upload_bytes:,}-byte upload limit", input="text"
            )
        docs, warnings = web_ingest.read_pasted(body.text, options, body.title or None)
    else:
        docs, warnings = web_ingest.read_submitted_url(site, body.url or "", options)
    report = web_ingest.store_documents(site, docs, warnings)
    if report.failed and not report.document_ids:
        first = report.failed[0]
        raise HTTPException(400, f"{first.target}: {first.message}")
    if not report.new and not report.versions:
        response.status_code = 200
    return {
        "new": report.new,
        "versions": report.versions,
        "unchanged": report.unchanged,
        "document_ids": report.document_ids,
        "failed": [{"input": f.target, "error": f.message} for f in report.failed],
        "warnings": report.warnings,
    }


@router.get("/documents/{document_id}", response_model=DocumentDetail, summary="One document with its facts")
def get_document(site: SiteDep, document_id: str) -> dict[str, Any]:
    info = site.store.document_info(document_id)
    found = views.load_document(site, document_id) if info else None
    if info is None or found is None:
        raise HTTPException(404, f"no stored document has the id {document_id!r}")
    extraction, ids = found
    doc = extraction.document
    return {
        **document_out(info),
        "text": doc.text,
        "body_offset": doc.body_offset,
        "cues": [CueOut(start=c.start, end=c.end, t_start=c.t_start, t_end=c.t_end) for c in doc.cues],
        "facts": views.document_facts(extraction, ids),
    }


@router.get("/facts", response_model=Page[FactOut], summary="Stored facts by kind and document")
def list_facts(
    request: Request,
    site: SiteDep,
    kind: Annotated[str | None, Query(description=f"One of {', '.join(model.FACT_KINDS)}; all when left out.")] = None,
    document: Annotated[str | None, Query(description="Only this document's facts.")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    rows, total = views.facts(site, _kind(kind), document, limit=limit, offset=offset)
    return envelope(request, rows, total, limit, offset)


@router.get("/search", response_model=Page[SearchHitOut], summary="Full-text search, best match first")
def search(
    request: Request,
    site: SiteDep,
    q: Annotated[str, Query(max_length=500, description="Words to find; a trailing * matches a prefix.")],
    source: Annotated[str | None, Query()] = None,
    kind: Annotated[str | None, Query()] = None,
    since: Day = None,
    until: Day = None,
    limit: Limit = 20,
    offset: Offset = 0,
) -> dict[str, Any]:
    rows, total = search_page(site, q, views.DocumentFilter(source, kind, since, until), limit, offset)
    return envelope(request, rows, total, limit, offset)


SEARCH_CAP = 1000


def search_page(
    site: Site, q: str, where: views.DocumentFilter, limit: int, offset: int
) -> tuple[list[dict[str, Any]], int]:
    """One page of hits for ``q`` and how many there are (at most SEARCH_CAP are ranked and counted).

    Without filters the page's hits are the only ones read with their snippets, and the total is a
    count; with filters the first SEARCH_CAP hits are read and filtered by their documents' metadata
    (one query per 500 hits, in ``store.pages``)."""
    if where == views.DocumentFilter():
        end = min(offset + limit, SEARCH_CAP)
        hits = site.store.search(q, limit=end)[offset:end] if offset < end else []
        return [_hit_out(h) for h in hits], site.store.count_matches(q, SEARCH_CAP)
    found = site.store.search(q, limit=SEARCH_CAP)
    keep = store_pages.matching_ids(site.store, [h.document_id for h in found], where.query(None))
    hits, total = views.page([h for h in found if h.document_id in keep], limit, offset)
    return [_hit_out(h) for h in hits], total


def _hit_out(h: SearchHit) -> dict[str, Any]:
    return SearchHitOut(
        document_id=h.document_id,
        title=h.title,
        source=h.source,
        published=h.published,
        snippet=h.plain_snippet,
        segments=[Segment(text=t, hit=hit) for t, hit in h.segments()],
        rank=h.rank,
    ).model_dump()


@router.get("/claim-groups", response_model=Page[ClaimGroupOut], summary="Claims grouped across sources")
def list_claim_groups(
    request: Request,
    site: SiteDep,
    topic: Annotated[str | None, Query(description="Only groups whose text contains this.")] = None,
    min_sources: Annotated[int, Query(ge=1, description="At least this many independent sources.")] = 1,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    rows, total = claim_groups(site, topic=topic, min_sources=min_sources, limit=limit, offset=offset, request=request)
    return envelope(request, rows, total, limit, offset)


@router.get("/claim-groups/{group_id}", response_model=ClaimGroupOut, summary="One claim group")
def get_claim_group(
    site: SiteDep,
    group_id: str,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Claims of the group to return.")] = GROUP_CLAIMS,
    offset: Annotated[int, Query(ge=0, description="Claims to skip (in the order reported).")] = 0,
) -> dict[str, Any]:
    group = claim_group(site, group_id, limit=limit, offset=offset)
    if group is None:
        raise HTTPException(404, f"no claim group has the id {group_id!r}")
    return group


@router.get("/places", response_model=Page[PlaceOut], summary="Places and who controls them")
def list_places(
    request: Request,
    site: SiteDep,
    at: Annotated[date | None, Query(description="As reported up to this day.")] = None,
    status: Annotated[str | None, Query(description="captured, contested, threatened or mentioned.")] = None,
    reports: Annotated[bool, Query(description="Include every report behind each place.")] = False,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    states, total = views.page(views.places(site, at, status, request), limit, offset)
    return envelope(request, [s.to_dict(with_reports=reports) for s in states], total, limit, offset)


@router.get("/plans", response_model=Page[str], summary="Names of the plans reported")
def list_plans(request: Request, site: SiteDep, limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
    return paged(request, views.plan_names(site, request), limit, offset)


@router.get("/plans/{name}", response_model=PlanOut, summary="A plan: versions, changes, stance matrix")
def get_plan(
    site: SiteDep,
    name: str,
    at: Annotated[date | None, Query(description="As reported up to this day.")] = None,
) -> dict[str, Any]:
    view = views.plan(site, name, at)
    if view is None:
        raise HTTPException(404, f"no plan matches {name!r}")
    return view.to_dict()


@router.get("/predictions", response_model=Page[PredictionOut], summary="The predictions ledger")
def list_predictions(
    request: Request,
    site: SiteDep,
    due_before: Annotated[date | None, Query(description="Due on or before this day.")] = None,
    by: Annotated[str | None, Query(description="Made by a name containing this.")] = None,
    status: Annotated[str | None, Query(description="open, due or resolved.")] = None,
    today: Annotated[date | None, Query(description="Judge 'due' as of this day (default: today).")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    entries = views.predictions(site, due_before=due_before, by=by, status=status, today=today, request=request)
    page, total = views.page(entries, limit, offset)
    return envelope(request, [e.to_dict() for e in page], total, limit, offset)


@router.post(
    "/predictions/{prediction_id}/resolve",
    response_model=ResolveOut,
    status_code=201,
    summary="Record how a prediction turned out",
)
def resolve_prediction(site: SiteDep, prediction_id: int, body: ResolveIn) -> dict[str, Any]:
    try:
        rid = site.store.resolve_prediction(
            prediction_id, body.outcome, note=body.note or None, evidence_document_id=body.evidence or None
        )
    except InputError as exc:
        raise HTTPException(404 if exc.input == str(prediction_id) else 400, str(exc)) from exc
    return {"prediction_id": prediction_id, "resolution_id": rid, "outcome": body.outcome}


@router.get("/sources", response_model=Page[SourceOut], summary="Track records of outlets and speakers")
def list_sources(request: Request, site: SiteDep, limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
    page, total = views.page(views.source_records(site, request), limit, offset)
    return envelope(request, [r.to_dict() for r in page], total, limit, offset)


@router.get("/contradictions", response_model=Page[ContradictionOut], summary="Reports that disagree")
def list_contradictions(
    request: Request, site: SiteDep, since: Day = None, limit: Limit = 50, offset: Offset = 0
) -> dict[str, Any]:
    page, total = views.page(views.contradiction_dicts(site, since, request), limit, offset)
    return envelope(request, page, total, limit, offset)
