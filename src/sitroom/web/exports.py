"""Downloads under ``/api/v1/export/``: fixed names only (nothing is read from disk, so no path can
be smuggled in), each built by the library and sent as an attachment."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from starlette.responses import Response, StreamingResponse

from ..analyse import ground
from ..present.brief import build_brief, render_markdown
from . import views
from .schemas import ErrorOut
from .site import Site, claim_groups, get_site
from .views import day_start

router = APIRouter(
    prefix="/api/v1/export",
    tags=["export"],
    responses={code: {"model": ErrorOut} for code in (400, 401, 404, 422)},
)
SiteDep = Annotated[Site, Depends(get_site)]
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def attachment(name: str) -> dict[str, str]:
    return {"content-disposition": f'attachment; filename="{name}"'}


@router.get("/documents.jsonl", summary="Every document with its text, one JSON object a line")
def documents_jsonl(site: SiteDep) -> StreamingResponse:
    def lines() -> Iterator[str]:
        for extraction, _ in site.store.iter_extractions():
            doc = extraction.document
            row = {
                "id": doc.id,
                "title": doc.title,
                "source": doc.source,
                "author": doc.author,
                "url": doc.url,
                "published": doc.published.isoformat() if doc.published else None,
                "kind": doc.kind,
                "language": doc.language,
                "text": doc.text,
            }
            yield json.dumps(row, ensure_ascii=False) + "\n"

    return StreamingResponse(
        lines(), media_type="application/x-ndjson; charset=utf-8", headers=attachment("documents.jsonl")
    )


def csv_cell(value: Any) -> str:
    """A value as a CSV cell that a spreadsheet will not run as a formula."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return "'" + text if text.startswith(FORMULA_START) else text


@router.get("/facts.csv", summary="Every stored fact as CSV (fields of the kind as JSON in `fields`)")
def facts_csv(site: SiteDep, kind: Annotated[str | None, Query()] = None) -> Response:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["id", "kind", "document_id", "start", "end", "fields"])
    from .api import _kind  # the same kind check as the facts API

    for row in views.all_facts(site, _kind(kind)):
        fields = {k: v for k, v in row.items() if k not in ("id", "kind", "document_id", "start", "end")}
        writer.writerow([row["id"], row["kind"], row["document_id"], row["start"], row["end"], csv_cell(fields)])
    return Response(buffer.getvalue(), media_type="text/csv; charset=utf-8", headers=attachment("facts.csv"))


@router.get("/places.geojson", summary="Places with their control status as GeoJSON")
def places_geojson(site: SiteDep, at: Annotated[date | None, Query()] = None) -> Response:
    body = json.dumps(ground.geojson(views.places(site, at)), ensure_ascii=False)
    return Response(body, media_type="application/geo+json", headers=attachment("places.geojson"))


@router.get("/brief.md", summary="The brief since a day (or everything) as Markdown")
def brief_md(site: SiteDep, since: Annotated[date | None, Query()] = None) -> Response:
    corpus = site.analysed().corpus
    brief = build_brief(site.store, since=day_start(since) if since else None, now=site.now(), corpus=corpus)
    return Response(render_markdown(brief), media_type="text/markdown; charset=utf-8", headers=attachment("brief.md"))


def _web_url(url: str | None) -> str | None:
    return url if url and url.startswith(("http://", "https://")) else None


def claim_review(group: dict[str, Any], documents: dict[str, Any], generated: datetime) -> dict[str, Any]:
    """One claim group as a schema.org ClaimReview of a Claim whose appearances are its documents.

    sitroom does not rule on truth: the rating names how widely the claim is carried and who denies it.
    """
    appearances = []
    for doc_id in dict.fromkeys(c["document_id"] for c in group["claims"]):
        info = documents.get(doc_id)
        work: dict[str, Any] = {"@type": "CreativeWork", "identifier": doc_id}
        if info is not None:
            if info.title:
                work["headline"] = info.title
            if info.source:
                work["publisher"] = {"@type": "Organization", "name": info.source}
            if info.published:
                work["datePublished"] = info.published.isoformat()
            if _web_url(info.url):
                work["url"] = info.url
        appearances.append(work)
    first = group["first"]
    denied = group["denied_by"]
    explanation = f"Carried by {group['independent_sources']} independent source(s): {', '.join(group['sources'])}."
    if denied:
        explanation += f" Denied by {', '.join(denied)}."
    claim: dict[str, Any] = {
        "@type": "Claim",
        "text": group["text"],
        "appearance": appearances,
        "firstAppearance": appearances[0] if appearances else None,
        "author": {"@type": "Thing", "name": first["speaker"] or first["source"] or "unknown"},
    }
    if first["published"]:
        claim["datePublished"] = first["published"]
    return {
        "@type": "ClaimReview",
        "identifier": group["id"],
        "claimReviewed": group["text"],
        "datePublished": generated.date().isoformat(),
        "author": {"@type": "Organization", "name": "sitroom (automatic cross-source grouping)"},
        "itemReviewed": claim,
        "reviewRating": {
            "@type": "Rating",
            "alternateName": f"{group['independent_sources']} independent source(s); "
            f"strongest certainty {group['strongest_certainty']}",
            "ratingExplanation": explanation,
        },
    }


@router.get("/claim-groups.jsonld", summary="Claim groups as schema.org ClaimReview JSON-LD")
def claim_groups_jsonld(site: SiteDep, min_sources: Annotated[int, Query(ge=1)] = 1) -> Response:
    documents = {d.id: d for d in site.store.documents()}
    generated = site.now()
    graph = [claim_review(g, documents, generated) for g in claim_groups(site, min_sources=min_sources)[0]]
    body = json.dumps({"@context": "https://schema.org", "@graph": graph}, ensure_ascii=False, indent=1)
    return Response(body, media_type="application/ld+json", headers=attachment("claim-groups.jsonld"))
