"""The pages' state-changing forms (POST, CSRF-checked by the app-wide dependency): log in,
resolve a prediction, ingest pasted text, an upload or a URL."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from starlette.responses import HTMLResponse, RedirectResponse, Response

from ..errors import ConfigError, InputError, InputTooLargeError, SitroomError
from ..ingest import IngestOptions
from ..model import Document
from . import ingest as web_ingest
from .pages import READ_COOKIE
from .render import is_htmx, render
from .security import same, set_token_cookie
from .site import Site, get_site
from .status import status_for
from .views import day_start, predictions

router = APIRouter(include_in_schema=False)
SiteDep = Annotated[Site, Depends(get_site)]
Field = Annotated[str, Form(max_length=500)]


def safe_next(value: str) -> str:
    """A local path to go back to; anything else (another host, a scheme) becomes "/"."""
    if value.startswith("/") and not value.startswith(("//", "/\\")) and "\n" not in value and "\r" not in value:
        return value
    return "/"


@router.post("/login")
def login(request: Request, site: SiteDep, token: Field = "", next: Field = "/") -> Response:
    expected = site.settings.token
    if expected is None:
        return RedirectResponse(safe_next(next), status_code=303)
    if not same(token.strip(), expected):
        return render(request, "login.html", {"next": next, "error": "That token is not right."}, status=401)
    response = RedirectResponse(safe_next(next), status_code=303)
    set_token_cookie(response, expected, request)
    return response


@router.post("/predictions/{prediction_id}/resolve")
def resolve(
    request: Request,
    site: SiteDep,
    prediction_id: int,
    outcome: Field,
    note: Annotated[str, Form(max_length=2000)] = "",
    evidence: Field = "",
) -> Response:
    if outcome not in ("true", "false", "void"):
        raise InputError(f"unknown outcome {outcome!r}", hint="choose true, false or void")
    site.store.resolve_prediction(
        prediction_id, outcome, note=note.strip() or None, evidence_document_id=evidence.strip() or None
    )
    ledger = predictions(site, request=request)
    at = next((i for i, e in enumerate(ledger) if e.id == prediction_id), None)
    if is_htmx(request) and at is not None:  # htmx swaps the ledger's row in place
        return render(request, "_prediction_row.html", {"e": ledger[at]})
    page = (at or 0) // site.settings.page_size * site.settings.page_size
    where = f"/predictions?offset={page}" if page else "/predictions"
    return RedirectResponse(f"{where}#p-{prediction_id}", status_code=303)


@router.post("/brief/read")
def mark_read(request: Request, site: SiteDep, upto: Field = "") -> Response:
    """The brief was read up to the moment the page showed it (``upto``; now if missing or later):
    the dashboard's next brief starts there. Kept in a cookie until marked again."""
    now = site.now()
    try:
        when = datetime.fromisoformat(upto.strip()) if upto.strip() else now
    except ValueError:
        when = now
    when = when if when.tzinfo else when.replace(tzinfo=UTC)
    response = RedirectResponse("/", status_code=303)
    response.set_cookie(READ_COOKIE, min(when, now).isoformat(), httponly=True, samesite="strict", max_age=400 * 86400)
    return response


def _options(source: str, published: str, kind: str, author: str) -> IngestOptions:
    when = None
    if published.strip():
        try:
            when = day_start(date.fromisoformat(published.strip()))
        except ValueError as exc:
            raise ConfigError("the publication date is not a date", input=published, hint="use YYYY-MM-DD") from exc
    return IngestOptions(
        source=source.strip() or None, published=when, kind=kind.strip() or None, author=author.strip() or None
    )


def _done(request: Request, site: Site, read: tuple[list[Document], list[str]] | SitroomError) -> HTMLResponse:
    cap = site.settings.max_upload_bytes
    if isinstance(read, SitroomError):
        return render(request, "ingest.html", {"report": None, "error": str(read), "cap": cap}, status=status_for(read))
    docs, warnings = read
    report = web_ingest.store_documents(site, docs, warnings)
    titles = {d.id: d.title or d.origin or d.id for d in docs}
    context = {"report": report, "titles": titles, "error": None, "cap": cap}
    return render(request, "ingest.html", context, status=200 if not report.failed else 400)


@router.post("/ingest/text")
def ingest_text(
    request: Request,
    site: SiteDep,
    text: Annotated[str, Form()],
    title: Field = "",
    source: Field = "",
    published: Field = "",
    kind: Field = "",
    author: Field = "",
) -> HTMLResponse:
    try:
        if len(text.encode("utf-8")) > site.settings.max_upload_bytes:
            raise InputTooLargeError("the pasted text is over the upload limit", input="pasted text")
        read = web_ingest.read_pasted(text, _options(source, published, kind, author), title.strip() or None)
    except SitroomError as exc:
        return _done(request, site, exc)
    return _done(request, site, read)


@router.post("/ingest/file")
async def ingest_file(
    request: Request,
    site: SiteDep,
    file: Annotated[UploadFile, File()],
    metadata: Annotated[UploadFile | None, File()] = None,
    source: Field = "",
    published: Field = "",
    kind: Field = "",
    author: Field = "",
) -> HTMLResponse:
    cap = site.settings.max_upload_bytes
    name = web_ingest.upload_name(file.filename)
    try:
        web_ingest.check_upload(name, file.size or 0, cap)
        data = await file.read(cap + 1)
        web_ingest.check_upload(name, len(data), cap)
        meta = None
        if metadata is not None and metadata.filename:
            meta_name = web_ingest.upload_name(metadata.filename)
            meta = web_ingest.read_metadata(meta_name, await metadata.read(web_ingest.MAX_METADATA_BYTES + 1))
        read = web_ingest.read_upload(name, data, _options(source, published, kind, author), meta)
    except SitroomError as exc:
        return _done(request, site, exc)
    return _done(request, site, read)


@router.post("/ingest/url")
def ingest_url(
    request: Request,
    site: SiteDep,
    url: Annotated[str, Form(max_length=2000)],
    source: Field = "",
    published: Field = "",
    kind: Field = "",
    author: Field = "",
) -> HTMLResponse:
    try:
        read = web_ingest.read_submitted_url(site, url, _options(source, published, kind, author))
    except SitroomError as exc:
        return _done(request, site, exc)
    return _done(request, site, read)
