"""RSS and Atom feeds (feedparser) → one Document per entry.

An entry's text is its full content, else its summary, as plain text (never markup). When the
summary is all there is and it is short, the linked article is fetched and its main text used;
if that fails the summary is kept and a warning recorded. A feed that could not be parsed at
all is a ``ParseError``; one with errors but with entries is read as far as feedparser got.
"""

from __future__ import annotations

import io
import time
from collections.abc import Mapping
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


def read_feed(
    data: bytes,
    input: str,
    *,
    options: IngestOptions | None = None,
    fetcher: Fetcher | None = None,
    base_url: str | None = None,
    warnings: list[str] | None = None,
) -> list[Document]:
    """One Document per entry: title, link as url, date, author, and the feed's title as source."""
    options = options or IngestOptions()
    headers = {"content-location": base_url} if base_url else None
    parsed = feedparser.parse(io.BytesIO(data), response_headers=headers)
    entries = parsed.get("entries") or []
    if not entries:
        if parsed.get("bozo"):
            problem = parsed.get("bozo_exception")
            raise ParseError(
                f"malformed feed ({one_line(problem or 'not RSS or Atom')})",
                input=input,
                hint="check that this is an RSS or Atom feed (open it in a browser)",
            )
        raise EmptyInputError("the feed has no entries", input=input, hint="nothing to ingest yet; try again later")
    if parsed.get("bozo"):
        warn(
            warnings,
            f"{input}: the feed has errors ({one_line(parsed.get('bozo_exception'))}); read {len(entries)} entries",
        )
    feed = parsed.get("feed") or {}
    feed_source = feed.get("title") or None
    language = normalise_language(feed.get("language"))
    lazy = _LazyFetcher(options, fetcher)
    try:
        docs = [
            doc
            for number, entry in enumerate(entries, 1)
            if (doc := _entry_document(entry, number, input, options, lazy, warnings)) is not None
        ]
    finally:
        lazy.close()
    if not docs:
        raise EmptyInputError(
            f"none of the feed's {len(entries)} entries has any text", input=input, hint="check the feed"
        )
    for doc in docs:
        doc.source = doc.source or feed_source
        doc.author = doc.author or feed.get("author") or None
        if language:
            doc.language = language
    return docs


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
