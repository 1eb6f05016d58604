"""Ingest from the browser: pasted text, an uploaded file, or one URL the user typed.

Nothing is written to disk but the store: an upload is read from memory. Linked articles of a feed
are not fetched (``fetch_linked=False``), so the only URL ever fetched is the one the user submitted.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import PurePath

from .. import model
from ..errors import (
    ExtractionError,
    InputError,
    InputTooLargeError,
    ParseError,
    SitroomError,
    UnsupportedInputError,
)
from ..ingest import IngestOptions, is_url, parse_metadata, read_text
from ..ingest.fetch import check_url
from ..ingest.meta import Metadata, finish
from ..ingest.sources import read_bytes, read_url
from ..jobs import Failure, IngestReport
from .site import Site

UPLOAD_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".vtt", ".srt", ".xml", ".json")
METADATA_SUFFIX = ".json"
MAX_METADATA_BYTES = 64 * 1024


def web_options(options: IngestOptions) -> IngestOptions:
    """The user's options, never following links out of what they gave."""
    return replace(options, fetch_linked=False)


def upload_name(filename: str | None) -> str:
    """The last part of an uploaded file's name (a browser may send a path; it is never used as one)."""
    name = PurePath((filename or "").replace("\\", "/")).name.strip()
    return name or "upload.txt"


def check_upload(name: str, size: int, cap: int) -> None:
    """InputTooLargeError over the cap; UnsupportedInputError for a type sitroom does not read here."""
    if size > cap:
        raise InputTooLargeError(
            f"the file is {size:,} bytes, over the {cap:,}-byte upload limit", input=name, hint="split it"
        )
    suffix = PurePath(name).suffix.lower()
    if suffix not in UPLOAD_SUFFIXES:
        raise UnsupportedInputError(
            f"cannot read {suffix or 'a file without an extension'} here",
            input=name,
            hint=f"upload one of {' '.join(UPLOAD_SUFFIXES)}",
        )
    if suffix == METADATA_SUFFIX:
        raise UnsupportedInputError(
            "a .json file is metadata, not a document",
            input=name,
            hint="upload it as the metadata of a transcript or text, beside that file",
        )


def read_metadata(name: str, data: bytes) -> Metadata:
    """A ``.meta.json``-style object (source, published, title, …) uploaded beside a document."""
    if PurePath(name).suffix.lower() != METADATA_SUFFIX:
        raise UnsupportedInputError("metadata must be a .json file", input=name, hint='e.g. {"source": "…"}')
    if len(data) > MAX_METADATA_BYTES:
        raise InputTooLargeError(f"metadata is over {MAX_METADATA_BYTES:,} bytes", input=name, hint="keep a few fields")
    try:
        raw = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ParseError("metadata is not valid UTF-8 JSON", input=name, hint='e.g. {"source": "…"}') from exc
    if not isinstance(raw, dict):
        raise ParseError("metadata must be a JSON object", input=name, hint='e.g. {"source": "…"}')
    return parse_metadata(raw, name)


def read_upload(
    name: str, data: bytes, options: IngestOptions, metadata: Metadata | None = None
) -> tuple[list[model.Document], list[str]]:
    """An uploaded file's documents (and reading warnings), read from memory like a file on disk."""
    label = f"upload:{name}"
    if not data.strip():
        raise InputError("the file is empty", input=label, hint="nothing to ingest")
    warnings: list[str] = []
    docs = read_bytes(data, name, web_options(options), None, origin=label, metadata=metadata, warnings=warnings)
    return docs, warnings


def read_pasted(text: str, options: IngestOptions, title: str | None = None) -> tuple[list[model.Document], list[str]]:
    """Pasted text (a front-matter header works as in a file)."""
    warnings: list[str] = []
    if not text.strip():
        raise InputError("nothing was pasted", input="pasted text", hint="paste the text to ingest")
    doc = read_text(text.replace("\r\n", "\n"), "pasted text", markdown=False, warnings=warnings)
    if title and not doc.title:
        doc.title = title
    finish([doc], origin="pasted text", options=web_options(options), layers=[])
    return [doc], warnings


def read_submitted_url(site: Site, url: str, options: IngestOptions) -> tuple[list[model.Document], list[str]]:
    """Fetch the one http(s) URL the user typed (never a path on this machine)."""
    url = url.strip()
    if not is_url(url):
        raise InputError("not a URL", input=url, hint="type an http(s) address, or upload the file instead")
    check_url(url)
    options = web_options(options)
    fetcher = site.fetcher_factory(options) if site.fetcher_factory else None
    warnings: list[str] = []
    try:
        docs = read_url(url, options, fetcher, warnings=warnings)
    finally:
        if fetcher is not None:
            fetcher.close()
    return docs, warnings


def store_documents(site: Site, docs: list[model.Document], warnings: list[str]) -> IngestReport:
    """Extract and store each document not stored yet (the per-document step of ``jobs.ingest``)."""
    report = IngestReport(warnings=list(warnings))
    stored = False
    with site.ingest_lock:
        for document in docs:
            if site.store.document_info(document.id) is not None:
                report.unchanged += 1
                report.document_ids.append(document.id)
                continue
            try:
                extractor = site.extractor()
                extraction = extractor.extract(document)
                report.warnings.extend(getattr(extractor, "last_warnings", []) or [])
                result = site.store.save(extraction)
            except SitroomError as exc:
                label = document.origin or document.id
                if not isinstance(exc, ExtractionError) and exc.input is None:
                    exc.input = label
                report.failed.append(Failure(label, str(exc), exc.exit_code))
                continue
            report.document_ids.append(document.id)
            stored = True
            if result.status == "version":
                report.versions += 1
            elif result.status == "new":
                report.new += 1
            else:
                report.unchanged += 1
    if stored:
        site.analyser.start()  # analyse the new state now, not on the next page asked for
    return report
