"""Live feeds: poll the RSS/Atom feeds the user listed and ingest their new entries.

``sitroom watch SOURCES`` is a :class:`Watcher` over the feed URLs that :func:`read_sources` finds
in its arguments (URLs, OPML files, or text files with one URL a line). Each poll is a conditional
GET (``If-None-Match`` / ``If-Modified-Since`` from the last answer): a 304 costs no body and no
work. A 200 is read with ``feeds.read_feed_entries``; entries whose key was in the last answer are
skipped before anything is fetched for them, and the rest go through ``jobs.ingest_items`` (the
store keeps documents by the hash of their text, so an entry stored before is "unchanged", never
extracted twice). A poll that fails waits ``every × 2^failures`` (capped) before the next one. All
of it — validators, last poll, failures in a row, next poll, entries seen — is the feed's row in
the store (``store.feeds``), written through the one writer, so a restart goes on where it stopped.
Each poll logs one line. Only the listed feeds are polled: no URL found in a feed's text is.
"""

from __future__ import annotations

import re
import threading
import xml.parsers.expat
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from ..errors import ConfigError, InputError, SitroomError
from ..extract.llm import SupportsExtract
from ..jobs import IngestReport, ingest_items, relink
from ..model import Document, Extraction
from ..store import Store
from ..store.feeds import FeedState, load_states, save_state
from .feeds import read_feed_entries
from .fetch import Fetcher, Validators, check_url
from .messages import one_line
from .meta import finish
from .options import IngestOptions, utc_now
from .sources import IngestItem, is_url

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_DURATION = re.compile(r"(\d+)\s*([smhd])")


def parse_duration(text: str) -> timedelta:
    """``"15m"``, ``"1h30m"``, ``"45s"``, ``"2d"`` (a bare number is seconds) → a ``timedelta``."""
    value = text.strip().lower()
    if value.isdigit():
        return timedelta(seconds=int(value))
    parts = _DURATION.findall(value)
    if not value or not parts or _DURATION.sub("", value).strip():
        raise ConfigError(f"{text!r} is not a duration", hint="write it as 30s, 15m, 1h30m or 2d")
    return timedelta(seconds=sum(int(n) * _UNITS[unit] for n, unit in parts))


def format_duration(delta: timedelta) -> str:
    """The inverse of ``parse_duration``, rounded to the second: ``timedelta(minutes=90)`` → ``1h30m``."""
    seconds = max(round(delta.total_seconds()), 0)
    if not seconds:
        return "0s"
    out = []
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        count, seconds = divmod(seconds, size)
        if count:
            out.append(f"{count}{unit}")
    return "".join(out)


# -- which feeds -------------------------------------------------------------------------------


def parse_opml(data: bytes, input: str) -> list[str]:
    """The ``xmlUrl`` of every ``<outline>`` in an OPML file, in document order.

    Parsed with expat, refusing any document type declaration: no entity is defined, so none can
    expand (the "billion laughs") and none can point at a file or URL."""
    urls: list[str] = []

    def refuse(*_: Any) -> None:
        raise InputError(
            "the OPML file declares a document type or entities, which sitroom does not read",
            input=input,
            hint="export the OPML again, or list the feed URLs in a text file",
        )

    def start(name: str, attrs: dict[str, str]) -> None:
        if name.lower() == "outline":
            url = attrs.get("xmlUrl") or attrs.get("xmlurl")
            if url and url.strip():
                urls.append(url.strip())

    parser = xml.parsers.expat.ParserCreate()
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse  # type: ignore[assignment]
    parser.StartElementHandler = start
    try:
        parser.Parse(data, True)
    except xml.parsers.expat.ExpatError as exc:
        raise InputError(f"not valid OPML ({one_line(exc)})", input=input, hint="check the file") from exc
    return urls


def read_sources(sources: Iterable[str]) -> list[str]:
    """The feed URLs to poll, in order, each once: URLs as given; an OPML file's ``xmlUrl``\\s; a
    text file's lines (blank lines and ``#`` comments skipped). Only http(s) URLs are accepted."""
    urls: list[str] = []
    for source in sources:
        if is_url(source):
            found = [source]
        else:
            path = Path(source)
            try:
                data = path.read_bytes()
            except OSError as exc:
                raise InputError(
                    f"cannot read the list of feeds ({one_line(exc)})",
                    input=source,
                    hint="give feed URLs, an OPML file or a text file with one URL a line",
                ) from exc
            if data.lstrip().startswith(b"<"):
                found = parse_opml(data, source)
            else:
                lines = data.decode("utf-8", errors="replace").splitlines()
                found = [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]
            if not found:
                raise InputError("lists no feed", input=source, hint="add feed URLs to it")
        for url in found:
            check_url(url)
            urls.append(url)
    if not urls:
        raise ConfigError("no feed to watch", hint="give feed URLs or an OPML file")
    return list(dict.fromkeys(urls))


# -- polling -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class WatchOptions:
    """How often to poll (``every``), the longest wait after failures (``max_backoff``), and a
    ``slack``: a feed due within it counts as due now (a cron job a few seconds early still polls)."""

    every: timedelta = timedelta(minutes=15)
    max_backoff: timedelta = timedelta(hours=6)
    slack: timedelta = timedelta(seconds=30)
    now: Callable[[], datetime] = utc_now

    def __post_init__(self) -> None:
        if self.every <= timedelta(0):
            raise ConfigError("--every must be longer than 0 s")
        if self.max_backoff < self.every:
            raise ConfigError("--max-backoff must not be shorter than --every")

    def delay(self, errors: int) -> timedelta:
        """How long to wait before the next poll after ``errors`` failed polls in a row."""
        if errors <= 0:
            return self.every
        return min(self.every * 2 ** min(errors, 30), self.max_backoff)


@dataclass(slots=True)
class Poll:
    """What one poll of one feed did."""

    url: str
    status: str  # "200", "304" or "error"
    next_in: timedelta
    entries: int = 0
    new: int = 0
    versions: int = 0
    errors: int = 0  # failed polls in a row, this one included
    error: SitroomError | None = None
    report: IngestReport | None = None

    @property
    def exit_code(self) -> int:
        if self.error is not None:
            return self.error.exit_code
        return self.report.exit_code if self.report is not None else 0

    def line(self) -> str:
        """``feed URL: 200, 12 entries, 3 new, next in 15m`` (or ``304 not modified``, or ``error …``)."""
        if self.status == "304":
            what = "304 not modified"
        elif self.status == "error":
            message = self.error.message if self.error is not None else "failed"
            what = f"error {message} ({self.errors} in a row)"
        else:
            what = f"200, {self.entries} {'entry' if self.entries == 1 else 'entries'}, {self.new} new"
            what += f", {self.versions} new versions" if self.versions else ""
            failed = len(self.report.failed) if self.report is not None else 0
            what += f", {failed} failed" if failed else ""
        return f"feed {self.url}: {what}, next in {format_duration(self.next_in)}"


class _LazyExtractor:
    """The extractor, built (about a second) when the first new entry needs it, then kept."""

    def __init__(self, make: Callable[[], SupportsExtract]) -> None:
        self.make = make
        self.built: SupportsExtract | None = None

    def extract(self, document: Document) -> Extraction:
        if self.built is None:
            self.built = self.make()
        return self.built.extract(document)

    @property
    def last_warnings(self) -> list[str]:
        return list(getattr(self.built, "last_warnings", []) or [])


@dataclass
class Watcher:
    """Polls ``urls`` into ``store``. ``log`` gets one line per poll (and ``failed:``/``linked:`` lines)."""

    store: Store
    urls: list[str]
    options: WatchOptions = field(default_factory=WatchOptions)
    ingest_options: IngestOptions = field(default_factory=IngestOptions)
    make_extractor: Callable[[], SupportsExtract] | None = None
    fetcher: Fetcher | None = None
    log: Callable[[str], None] = print
    link: bool = True
    states: dict[str, FeedState] = field(init=False)

    def __post_init__(self) -> None:
        from ..extract.pipeline import Extractor

        self.states = load_states(self.store, self.urls)
        self._extractor = _LazyExtractor(self.make_extractor or Extractor)
        self._stop = threading.Event()

    def due(self) -> list[str]:
        """The feeds to poll now: never polled, or due within the slack."""
        limit = self.options.now() + self.options.slack
        return [u for u in self.urls if (n := self.states[u].next_poll) is None or n <= limit]

    def round(self) -> list[Poll]:
        """Poll every feed that is due, once; then, if anything new was stored, link the store again."""
        polls: list[Poll] = []
        fetcher = self.fetcher or Fetcher(self.ingest_options)
        try:
            for url in self.due():
                polls.append(self.poll(url, fetcher))
        finally:
            if self.fetcher is None:
                fetcher.close()
        stored = IngestReport(new=sum(p.new for p in polls), versions=sum(p.versions for p in polls))
        if self.link:
            relink(self.store, stored)
            for line in stored.warnings:
                self.log(f"warning: {line}")
            if stored.linked is not None:
                self.log(f"linked: {stored.linked.summary()}")
        return polls

    def poll(self, url: str, fetcher: Fetcher) -> Poll:
        """One conditional GET of one feed, its new entries stored, its state saved; one log line."""
        state = self.states[url]
        now = self.options.now()
        poll = Poll(url, "error", self.options.every)
        try:
            known = Validators(state.etag, state.last_modified)
            result = fetcher.fetch(url, validators=known if (known.etag or known.last_modified) else None)
            if result.not_modified:
                poll.status = "304"
            else:
                warnings: list[str] = []
                read = read_feed_entries(
                    result.content,
                    url,
                    options=self.ingest_options,
                    fetcher=fetcher,
                    base_url=result.url,
                    warnings=warnings,
                    known=set(state.seen),
                    content_type=result.headers.get("content-type"),
                )
                finish(read.documents, origin=url, options=self.ingest_options, layers=[], single=False)
                item = IngestItem(url, read.documents, warnings=warnings)
                report = ingest_items([item], store=self.store, extractor=self._extractor, report=IngestReport())
                stored = set(report.document_ids)
                retry = {
                    key for doc, key in zip(read.documents, read.document_keys, strict=True) if doc.id not in stored
                }
                state.seen = [key for key in read.keys if key not in retry]  # a failed entry is tried again
                state.entries += report.new + report.versions
                poll.status, poll.entries, poll.report = "200", read.entries, report
                poll.new, poll.versions = report.new, report.versions
            fresh = result.validators
            if fresh.etag or fresh.last_modified or not result.not_modified:
                state.etag, state.last_modified = fresh.etag, fresh.last_modified
            state.errors, state.last_error = 0, None
        except SitroomError as exc:
            state.errors += 1
            state.last_error = str(exc)
            poll.error = exc
        poll.errors = state.errors
        poll.next_in = self.options.delay(state.errors)
        state.last_poll, state.last_status, state.next_poll = now, poll.status, now + poll.next_in
        save_state(self.store, state)
        self.log(poll.line())
        if poll.report is not None:
            for line in poll.report.warnings:
                self.log(f"warning: {line}")
            for failure in poll.report.failed:
                self.log(f"failed: {failure.message}")
        return poll

    def run(self, *, once: bool = False, wait: Callable[[float], bool] | None = None) -> int:
        """Poll round after round (``once``: one round) until ``stop()``; returns the exit code of
        the first failure of the last round (0 when all went well). Between rounds it waits until
        the next feed is due; ``wait(seconds)`` (returns True to stop) defaults to the stop event."""
        wait = wait or self._stop.wait
        code = 0
        while True:
            polls = self.round()
            code = next((p.exit_code for p in polls if p.exit_code), 0)
            soonest = min(s.next_poll for s in self.states.values() if s.next_poll is not None)
            if once and not polls:
                self.log(f"no feed due; the next in {format_duration(soonest - self.options.now())}")
            if once or self._stop.is_set():
                return code
            pause = max((soonest - self.options.now()).total_seconds(), 1.0)
            if wait(pause):
                return code

    def stop(self) -> None:
        """Make ``run`` return after the poll in progress (from another thread or a signal handler)."""
        self._stop.set()


__all__ = [
    "Poll",
    "WatchOptions",
    "Watcher",
    "format_duration",
    "parse_duration",
    "parse_opml",
    "read_sources",
]
