"""RSS and Atom feeds (feedparser) → one Document per entry.

An entry's text is its full content, else its summary, as plain text (never markup). When the
summary is all there is and it is short, the linked article is fetched and its main text used;
if that fails the summary is kept and a warning recorded. A feed that could not be parsed at
all is a ``ParseError``; one with errors but with entries is read as far as feedparser got.
"""

from __future__ import annotations

import hashlib
import io
import time
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import feedparser

from ..errors import EmptyInputError, InputError, ParseError, UnsupportedInputError
from ..model import Document
from .detect import format_for_response
from .fetch import Fetcher
from .html import fragment_to_text, read_html
from .messages import one_line, warn
from .meta import normalise_language
from .options import IngestOptions

_HTML_TYPES = ("text/html", "application/xhtml+xml")


def _as_text(value: str | None, content_type: str | None) -> str:
    if not value:
        return ""
    if content_type in _HTML_TYPES or content_type is None:
        return fragment_to_text(value)
    return value.strip()


def _entry_text(entry: Mapping[str, Any]) -> tuple[str, bool]:
    """``(text, only_a_summary)``."""
    for content in entry.get("content") or []:
        text = _as_text(content.get("value"), content.get("type"))
        if text:
            return text, False
    detail = entry.get("summary_detail") or {}
    return _as_text(entry.get("summary"), detail.get("type")), True


def _entry_date(entry: Mapping[str, Any]) -> datetime | None:
    for key in ("published_parsed", "updated_parsed"):
        value = entry.get(key)
        if isinstance(value, time.struct_time):
            return datetime(*value[:6], tzinfo=UTC)
    return None


def _fetch_article(link: str, fetcher: Fetcher) -> Document:
    result = fetcher.fetch(link)
    fmt = format_for_response(result.content_type, result.url, result.content, link)
    if fmt != "html":
        raise UnsupportedInputError(f"the linked page is {fmt}, not an HTML article", input=link)
    return read_html(result.content, link, url=result.url)


class _LazyFetcher:
    """The caller's fetcher, or one made on first use and closed afterwards."""

    def __init__(self, options: IngestOptions, fetcher: Fetcher | None) -> None:
        self.options = options
        self.given = fetcher
        self.made: Fetcher | None = None

    def get(self) -> Fetcher:
        if self.given is not None:
            return self.given
        if self.made is None:
            self.made = Fetcher(self.options)
        return self.made

    def close(self) -> None:
        if self.made is not None:
            self.made.close()


def entry_key(entry: Mapping[str, Any]) -> str:
    """What identifies one version of an entry: its id (else link, else title) and when it was last
    updated, hashed. An entry edited upstream gets a new key, so it is read again."""
    ident = entry.get("id") or entry.get("link") or entry.get("title") or ""
    plain = dict(entry)  # a plain dict: feedparser's get("updated") falls back to "published", with a warning
    when = plain.get("updated") or plain.get("published") or ""
    return hashlib.sha256(f"{ident}\x00{when}".encode()).hexdigest()[:20]


@dataclass(slots=True)
class FeedRead:
    """A feed's entries as documents (only those not ``known``), and the keys of all its entries."""

    documents: list[Document]
    document_keys: list[str]  # the key of each document's entry
    keys: list[str]  # of every entry, in feed order
    entries: int


def read_feed(
    data: bytes,
    input: str,
    *,
    options: IngestOptions | None = None,
    fetcher: Fetcher | None = None,
    base_url: str | None = None,
    warnings: list[str] | None = None,
) -> list[Document]:
    """One Document per entry: title, link as url, date, author, and the feed's title as source.
    A feed without entries, or without text in any, is an ``EmptyInputError``."""
    read = read_feed_entries(data, input, options=options, fetcher=fetcher, base_url=base_url, warnings=warnings)
    if not read.entries:
        raise EmptyInputError("the feed has no entries", input=input, hint="nothing to ingest yet; try again later")
    if not read.documents:
        raise EmptyInputError(
            f"none of the feed's {read.entries} entries has any text", input=input, hint="check the feed"
        )
    return read.documents


def read_feed_entries(
    data: bytes,
    input: str,
    *,
    options: IngestOptions | None = None,
    fetcher: Fetcher | None = None,
    base_url: str | None = None,
    warnings: list[str] | None = None,
    known: Collection[str] = (),
    content_type: str | None = None,
) -> FeedRead:
    """As ``read_feed``, but entries whose key (``entry_key``) is in ``known`` are skipped before
    anything is fetched for them, and an empty feed is not an error (``sitroom watch`` polls).
    ``content_type``: the response's ``Content-Type`` header, whose charset feedparser honours."""
    options = options or IngestOptions()
    headers = None
    if base_url:  # with headers and no Content-Type, feedparser flags any feed "not XML": it was sniffed as one
        headers = {"content-location": base_url, "content-type": content_type or "application/xml"}
    parsed = feedparser.parse(io.BytesIO(data), response_headers=headers)
    entries = parsed.get("entries") or []
    if not entries and (parsed.get("bozo") or not parsed.get("version")):  # no version: neither RSS nor Atom
        problem = parsed.get("bozo_exception")
        raise ParseError(
            f"malformed feed ({one_line(problem or 'not RSS or Atom')})",
            input=input,
            hint="check that this is an RSS or Atom feed (open it in a browser)",
        )
    if parsed.get("bozo"):
        warn(
            warnings,
            f"{input}: the feed has errors ({one_line(parsed.get('bozo_exception'))}); read {len(entries)} entries",
        )
    feed = parsed.get("feed") or {}
    feed_source = feed.get("title") or None
    language = normalise_language(feed.get("language"))
    keys = [entry_key(entry) for entry in entries]
    lazy = _LazyFetcher(options, fetcher)
    try:
        pairs = [
            (doc, key)
            for number, (entry, key) in enumerate(zip(entries, keys, strict=True), 1)
            if key not in known and (doc := _entry_document(entry, number, input, options, lazy, warnings)) is not None
        ]
    finally:
        lazy.close()
    docs = [doc for doc, _ in pairs]
    for doc in docs:
        doc.source = doc.source or feed_source
        doc.author = doc.author or feed.get("author") or None
        if language:
            doc.language = language
    return FeedRead(docs, [key for _, key in pairs], keys, len(entries))


def _entry_document(
    entry: Mapping[str, Any],
    number: int,
    input: str,
    options: IngestOptions,
    lazy: _LazyFetcher,
    warnings: list[str] | None,
) -> Document | None:
    title = (entry.get("title") or "").strip() or None
    link = (entry.get("link") or "").strip()
    link = link if link.lower().startswith(("http://", "https://")) else None  # not an id like urn:…
    label = f"{input}: entry {number}" + (f" ({title!r})" if title else "")
    text, only_summary = _entry_text(entry)
    article: Document | None = None
    if only_summary and link and options.fetch_linked and len(text) < options.linked_summary_chars:
        try:
            article = _fetch_article(link, lazy.get())
        except InputError as exc:
            fallback = "the summary" if text else "the title" if title else "nothing"
            warn(warnings, f"{label}: could not read the linked article ({one_line(exc)}); using {fallback}")
    if article is not None and len(article.text) <= len(text):
        warn(warnings, f"{label}: the linked page has less text than the summary; using the summary")
        article = None
    if article is not None:
        text = article.text
    elif not text and title:
        text = title
        warn(warnings, f"{label}: no content or summary; using the title as its text")
    if not text.strip():
        warn(warnings, f"{label}: no text; skipped")
        return None
    return Document(
        text=text,
        title=title or (article.title if article else None),
        url=link or (article.url if article else None),
        author=(entry.get("author") or "").strip() or (article.author if article else None),
        published=_entry_date(entry) or (article.published if article else None),
        kind="article",
    )
