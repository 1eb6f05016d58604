"""sitroom watch: feeds served on loopback by the test, polled with conditional GETs and a fake clock."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from sitroom.cli import app
from sitroom.errors import ConfigError, InputError
from sitroom.ingest import IngestOptions
from sitroom.ingest.watch import (
    Watcher,
    WatchOptions,
    format_duration,
    parse_duration,
    parse_opml,
    read_sources,
)
from sitroom.store import Store
from sitroom.store.feeds import load_states


def rss(*items: tuple[str, str], links: str = "https://wire.example") -> bytes:
    entries = "".join(
        f"<item><guid>{guid}</guid><title>{guid}</title><link>{links}/{guid}</link>"
        f"<description>{text}</description><pubDate>Thu, 20 Nov 2025 09:00:00 GMT</pubDate></item>"
        for guid, text in items
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Loopback Wire</title>{entries}</channel></rss>'
    ).encode()


ONE = ("a1", "Officials said the ceasefire talks would resume in Geneva on Monday.")
TWO = ("a2", "The mayor of Kharkiv said the city had power again after the strikes.")
THREE = ("a3", "Analysts expect a new draft of the plan by the end of December.")


@dataclass
class Feed:
    body: bytes
    etag: str | None = None
    last_modified: str | None = None
    status: int = 200


@dataclass
class Server:
    feeds: dict[str, Feed] = field(default_factory=dict)
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    base: str = ""

    def url(self, path: str) -> str:
        return f"{self.base}{path}"

    def seen(self, path: str) -> list[dict[str, str]]:
        return [headers for p, headers in self.requests if p == path]


@pytest.fixture()
def server() -> Iterator[Server]:
    state = Server()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # the http.server interface names it
            state.requests.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
            feed = state.feeds.get(self.path)
            if feed is None:
                self.send_error(404)
                return
            if feed.status != 200:
                self.send_error(feed.status)
                return
            fresh_etag = feed.etag is not None and self.headers.get("If-None-Match") == feed.etag
            fresh_date = feed.last_modified is not None and self.headers.get("If-Modified-Since") == feed.last_modified
            if fresh_etag or (fresh_date and feed.etag is None):
                self.send_response(304)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("Content-Length", str(len(feed.body)))
            if feed.etag:
                self.send_header("ETag", feed.etag)
            if feed.last_modified:
                self.send_header("Last-Modified", feed.last_modified)
            self.end_headers()
            self.wfile.write(feed.body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.base = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield state
    httpd.shutdown()
    httpd.server_close()
    thread.join()


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2025, 11, 20, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta


@dataclass
class Counting:
    """The session's extractor, counting the documents it is asked to extract."""

    inner: Any
    calls: int = 0

    def extract(self, document: Any) -> Any:
        self.calls += 1
        return self.inner.extract(document)


def watcher(store: Store, urls: list[str], clock: Clock, extractor: Any, lines: list[str]) -> Watcher:
    return Watcher(
        store,
        urls,
        WatchOptions(every=timedelta(minutes=15), max_backoff=timedelta(hours=2), now=clock),
        IngestOptions(fetch_linked=False, now=clock),
        make_extractor=lambda: extractor,
        log=lines.append,
        link=False,
    )


def test_etag_304_new_entries_and_a_restart(tmp_path: Path, server: Server, extractor: Any) -> None:
    server.feeds["/wire.rss"] = Feed(rss(ONE, TWO), etag='"v1"')
    url = server.url("/wire.rss")
    clock, lines, counting = Clock(), [], Counting(extractor)
    db = tmp_path / "w.db"
    with Store.open(db) as store:
        w = watcher(store, [url], clock, counting, lines)
        [first] = w.round()
        assert (first.status, first.entries, first.new) == ("200", 2, 2)
        assert lines[-1] == f"feed {url}: 200, 2 entries, 2 new, next in 15m"
        assert w.round() == []  # not due yet
        clock.advance(timedelta(minutes=15))
        [second] = w.round()
        assert server.seen("/wire.rss")[-1]["if-none-match"] == '"v1"'
        assert second.status == "304" and lines[-1] == f"feed {url}: 304 not modified, next in 15m"
        server.feeds["/wire.rss"] = Feed(rss(THREE, ONE, TWO), etag='"v2"')
        clock.advance(timedelta(minutes=15))
        [third] = w.round()
        assert (third.entries, third.new) == (3, 1) and counting.calls == 3
        assert store.count_documents() == 3
    # A restart: a new process, the same store; the server stops sending validators.
    server.feeds["/wire.rss"] = Feed(rss(THREE, ONE, TWO))
    clock.advance(timedelta(minutes=15))
    with Store.open(db) as store:
        again = watcher(store, [url], clock, counting, lines)
        assert again.states[url].etag == '"v2"' and again.states[url].entries == 3
        [fourth] = again.round()
        assert (fourth.status, fourth.entries, fourth.new) == ("200", 3, 0)
        assert counting.calls == 3 and store.count_documents() == 3  # nothing read or extracted again
        assert load_states(store, [url])[url].etag is None  # the server's answer now has none


def test_last_modified_is_sent_back(tmp_path: Path, server: Server, extractor: Any) -> None:
    stamp = "Thu, 20 Nov 2025 11:00:00 GMT"
    server.feeds["/dated.rss"] = Feed(rss(ONE), last_modified=stamp)
    clock, lines = Clock(), []
    with Store.open(tmp_path / "d.db") as store:
        w = watcher(store, [server.url("/dated.rss")], clock, extractor, lines)
        w.round()
        clock.advance(timedelta(minutes=20))
        [poll] = w.round()
    assert server.seen("/dated.rss")[-1]["if-modified-since"] == stamp
    assert "if-none-match" not in server.seen("/dated.rss")[-1]
    assert poll.status == "304"


def test_errors_back_off_per_feed_with_a_cap_and_recover(tmp_path: Path, server: Server, extractor: Any) -> None:
    server.feeds["/broken.rss"] = Feed(b"", status=500)
    server.feeds["/fine.rss"] = Feed(rss(ONE), etag='"f"')
    broken, fine = server.url("/broken.rss"), server.url("/fine.rss")
    clock, lines = Clock(), []
    with Store.open(tmp_path / "b.db") as store:
        w = watcher(store, [broken, fine], clock, extractor, lines)
        waits = []
        for _ in range(5):
            polls = {p.url: p for p in w.round()}
            waits.append(polls[broken].next_in)
            assert polls[broken].exit_code == 4
            clock.now = w.states[broken].next_poll  # type: ignore[assignment]
        assert waits == [timedelta(minutes=m) for m in (30, 60, 120, 120, 120)]  # 15m × 2^n, capped at 2h
        assert lines[0] == f"feed {broken}: error HTTP 500 Internal Server Error (1 in a row), next in 30m"
        assert w.states[fine].errors == 0  # the other feed keeps its own pace
        server.feeds["/broken.rss"] = Feed(rss(TWO))
        [recovered] = [p for p in w.round() if p.url == broken]
        assert (recovered.status, recovered.new, recovered.next_in) == ("200", 1, timedelta(minutes=15))
        assert load_states(store, [broken])[broken].errors == 0


def test_a_malformed_feed_is_an_error_that_names_it(tmp_path: Path, server: Server, extractor: Any) -> None:
    server.feeds["/junk"] = Feed(b"<html><body>not a feed</body></html>")
    with Store.open(tmp_path / "m.db") as store:
        [poll] = watcher(store, [server.url("/junk")], Clock(), extractor, []).round()
    assert poll.status == "error" and poll.exit_code == 3 and "malformed feed" in poll.line()


def test_opml_and_url_lists(tmp_path: Path) -> None:
    opml = tmp_path / "feeds.opml"
    opml.write_text(
        '<?xml version="1.0"?><opml version="2.0"><body><outline text="News">'
        '<outline text="A" type="rss" xmlUrl="https://a.example/feed"/>'
        '<outline text="B" type="rss" xmlUrl="https://b.example/atom"/></outline></body></opml>',
        encoding="utf-8",
    )
    listed = tmp_path / "feeds.txt"
    listed.write_text("# mine\nhttps://c.example/rss\n\nhttps://a.example/feed\n", encoding="utf-8")
    urls = read_sources([str(opml), "https://d.example/x.xml", str(listed)])
    assert urls == [
        "https://a.example/feed",
        "https://b.example/atom",
        "https://d.example/x.xml",
        "https://c.example/rss",
    ]


def test_opml_with_entities_is_refused() -> None:
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
        b'<opml><body><outline xmlUrl="https://x.example/&b;"/></body></opml>'
    )
    with pytest.raises(InputError, match="declares a document type"):
        parse_opml(bomb, "bomb.opml")
    with pytest.raises(InputError, match="not valid OPML"):
        parse_opml(b"<opml><body>", "cut.opml")


def test_only_http_feeds_are_accepted(tmp_path: Path) -> None:
    listed = tmp_path / "feeds.txt"
    listed.write_text("file:///etc/passwd\n", encoding="utf-8")
    with pytest.raises(InputError, match="unsupported URL scheme"):
        read_sources([str(listed)])
    with pytest.raises(InputError):
        read_sources([str(tmp_path / "missing.opml")])


def test_durations() -> None:
    assert parse_duration("15m") == timedelta(minutes=15)
    assert parse_duration("1h30m") == timedelta(minutes=90)
    assert parse_duration("90") == timedelta(seconds=90)
    assert format_duration(timedelta(minutes=90)) == "1h30m" and format_duration(timedelta(days=1)) == "1d"
    for bad in ("", "soon", "15 minutes", "-5m"):
        with pytest.raises(ConfigError):
            parse_duration(bad)
    with pytest.raises(ConfigError):
        WatchOptions(every=timedelta(hours=1), max_backoff=timedelta(minutes=5))


def test_cli_watch_once(tmp_path: Path, server: Server) -> None:
    server.feeds["/wire.rss"] = Feed(rss(ONE, links=server.base), etag='"c"')  # the teaser's article: 404
    db = str(tmp_path / "c.db")
    result = CliRunner().invoke(app, ["--db", db, "watch", "--once", "--no-link", server.url("/wire.rss")])
    assert result.exit_code == 0, result.output
    poll, warning = result.output.strip().splitlines()
    assert poll.endswith(f"feed {server.url('/wire.rss')}: 200, 1 entry, 1 new, next in 15m")
    assert "warning:" in warning and "could not read the linked article" in warning and "HTTP 404" in warning
    failing = CliRunner().invoke(app, ["--db", db, "watch", "--once", "--every", "5m", server.url("/nothing")])
    assert failing.exit_code == 4 and "error HTTP 404" in failing.output
    early = CliRunner().invoke(app, ["--db", db, "watch", "--once", "--no-link", server.url("/wire.rss")])
    assert early.exit_code == 0 and "no feed due; the next in 1" in early.output  # 15m, less the time taken
    refused = CliRunner().invoke(app, ["--db", db, "watch", "--once", "--every", "soon", server.url("/wire.rss")])
    assert refused.exit_code == 2


def test_entries_seen_are_not_read_again(tmp_path: Path, server: Server, extractor: Any) -> None:
    """A feed without validators is read in full each time; entries seen in its last answer are
    skipped before their linked article is fetched, and an entry edited upstream is read again."""
    article = (
        b"<html><body><article><p>"
        + b"The harbour reopened to grain ships on Tuesday. " * 20
        + b"</p></article></body></html>"
    )

    def feed(updated: str) -> bytes:
        return (
            '<?xml version="1.0"?><rss version="2.0"><channel><title>Loopback Wire</title>'
            f"<item><guid>g1</guid><title>Harbour</title><link>{server.url('/article')}</link>"
            f"<description>Short teaser.</description><pubDate>{updated}</pubDate></item></channel></rss>"
        ).encode()

    server.feeds["/teasers.rss"] = Feed(feed("Thu, 20 Nov 2025 09:00:00 GMT"))
    server.feeds["/article"] = Feed(article)
    clock, lines = Clock(), []
    with Store.open(tmp_path / "t.db") as store:
        w = watcher(store, [server.url("/teasers.rss")], clock, extractor, lines)
        w.ingest_options = IngestOptions(fetch_linked=True, now=clock)
        assert w.round()[0].new == 1 and len(server.seen("/article")) == 1
        clock.advance(timedelta(minutes=15))
        assert w.round()[0].new == 0 and len(server.seen("/article")) == 1
        server.feeds["/teasers.rss"] = Feed(feed("Fri, 21 Nov 2025 09:00:00 GMT"))
        clock.advance(timedelta(minutes=15))
        w.round()
        assert len(server.seen("/article")) == 2


def test_run_waits_until_the_next_feed_is_due(tmp_path: Path, server: Server, extractor: Any) -> None:
    server.feeds["/fine.rss"] = Feed(rss(ONE), etag='"f"')
    server.feeds["/down.rss"] = Feed(b"", status=503)
    clock, lines, waits = Clock(), [], []

    def wait(seconds: float) -> bool:
        waits.append(seconds)
        clock.advance(timedelta(seconds=seconds))
        return len(waits) == 2  # stop after the second pause

    with Store.open(tmp_path / "r.db") as store:
        w = watcher(store, [server.url("/fine.rss"), server.url("/down.rss")], clock, extractor, lines)
        assert w.run(wait=wait) == 0  # the last round polled only the feed that works
    assert waits == [900.0, 900.0]  # 15m to the next poll of the good feed; then both are due at 30m
    assert len(server.seen("/fine.rss")) == 2 and len(server.seen("/down.rss")) == 1
    assert len(lines) == 3  # one line per poll
