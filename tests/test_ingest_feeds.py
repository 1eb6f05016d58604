"""RSS and Atom feeds, including fetching the article behind a summary-only entry."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from sitroom.errors import EmptyInputError, FetchError, ParseError
from sitroom.ingest import Fetcher, IngestOptions, read_feed, read_file
from sitroom.ingest.feeds import read_feed_entries
from sitroom.ingest.fetch import Validators

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
NO_FETCH = IngestOptions(fetch_linked=False)


def no_network(request: httpx.Request) -> httpx.Response:
    raise AssertionError(f"unexpected request to {request.url}")


def mock_fetcher(handler: object, options: IngestOptions | None = None) -> Fetcher:
    transport = httpx.MockTransport(handler)  # type: ignore[arg-type]
    return Fetcher(options or IngestOptions(), client=httpx.Client(transport=transport))


def serve_article(request: httpx.Request) -> httpx.Response:
    if request.url.path == "/grain":
        return httpx.Response(
            200,
            headers={"Content-Type": "text/html; charset=utf-8"},
            content=(FIXTURES / "linked-article.html").read_bytes(),
        )
    return httpx.Response(404)


def test_rss_entries() -> None:
    docs = read_feed((FIXTURES / "feed.rss").read_bytes(), "feed.rss", options=NO_FETCH)
    assert [d.title for d in docs] == ["Pilots strike called off", "Grain corridor reopens"]
    first = docs[0]
    assert first.text == (
        "The harbour pilots' union has called off Thursday's strike.\n"
        "Talks with the port authority will continue next week."
    )  # content:encoded wins over the teaser; markup and script are gone
    assert "FEED_SCRIPT" not in first.text and "<" not in first.text
    assert first.url == "https://wire.example/pilots"
    assert first.author == "Jon Arden"
    assert first.source == "Harbour Wire"
    assert first.language == "en"
    assert first.published == datetime(2025, 11, 19, 6, 15, tzinfo=UTC)
    assert docs[1].text == "Ships are moving again."  # summary kept: fetching is off


def test_atom_entries() -> None:
    docs = read_feed((FIXTURES / "feed.atom").read_bytes(), "feed.atom", options=NO_FETCH)
    assert len(docs) == 2
    bridge, budget = docs
    assert (
        bridge.text
        == "Engineers finished repairs to the rail bridge overnight.\nTrains run on the usual timetable from today."
    )
    assert bridge.author == "Ola Brenn"
    assert bridge.source == "Northern Desk"
    assert bridge.published == datetime(2025, 11, 20, 9, 30, tzinfo=UTC)
    assert "&" in budget.text and "&amp;" not in budget.text
    assert budget.published == datetime(2025, 11, 18, 14, 0, tzinfo=UTC)  # published wins over updated
    assert budget.url is None  # its id is a urn, not a link
    assert budget.author == "Desk Editors"  # the feed's author


def test_summary_only_entry_fetches_the_linked_article() -> None:
    warnings: list[str] = []
    docs = read_feed(
        (FIXTURES / "feed.rss").read_bytes(),
        "feed.rss",
        options=IngestOptions(),
        fetcher=mock_fetcher(serve_article),
        warnings=warnings,
    )
    grain = docs[1]
    assert grain.text.startswith("Grain corridor reopens\nThe first convoy of grain ships left port at dawn")
    assert grain.title == "Grain corridor reopens"
    assert grain.url == "https://wire.example/grain"
    assert grain.source == "Harbour Wire"
    assert docs[0].text.startswith("The harbour pilots' union")  # had full content: not fetched
    assert warnings == []


def test_failed_linked_fetch_falls_back_to_the_summary_with_a_warning() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectTimeout("timed out")

    warnings: list[str] = []
    docs = read_feed(
        (FIXTURES / "feed.rss").read_bytes(),
        "feed.rss",
        options=IngestOptions(),
        fetcher=mock_fetcher(handler),
        warnings=warnings,
    )
    assert docs[1].text == "Ships are moving again."
    assert len(warnings) == 1
    assert "https://wire.example/grain" in warnings[0] and "using the summary" in warnings[0]


def test_read_file_passes_the_fetcher_to_the_feed_reader() -> None:
    [_, grain] = read_file(FIXTURES / "feed.rss", IngestOptions(), mock_fetcher(serve_article))
    assert "first convoy" in grain.text
    assert grain.origin == str(FIXTURES / "feed.rss")


def test_fetching_off_makes_no_request() -> None:
    docs = read_file(FIXTURES / "feed.rss", NO_FETCH, mock_fetcher(no_network))
    assert len(docs) == 2


def test_malformed_feed_without_entries_is_a_parse_error() -> None:
    with pytest.raises(ParseError) as info:
        read_file(FIXTURES / "malformed.rss", NO_FETCH)
    message = str(info.value)
    assert message.startswith(f"{FIXTURES / 'malformed.rss'}: malformed feed")
    assert "\n" not in message


def test_feed_with_errors_but_entries_goes_on() -> None:
    broken = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>Loose Wire</title>'
        b"<item><title>Ok</title><description>The tide gauge was repaired &nbsp; on Monday.</description></item>"
        b"<item><title>Cut off</title><description>Half a sent"
    )
    warnings: list[str] = []
    docs = read_feed(broken, "loose.rss", options=NO_FETCH, warnings=warnings)
    assert docs and "tide gauge" in docs[0].text
    assert any("the feed has errors" in w for w in warnings)


def test_feed_without_entries_is_empty() -> None:
    empty = b'<?xml version="1.0"?><rss version="2.0"><channel><title>Quiet</title></channel></rss>'
    with pytest.raises(EmptyInputError, match="no entries"):
        read_feed(empty, "quiet.rss", options=NO_FETCH)


def test_entry_without_text_uses_its_title() -> None:
    feed = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>Flash</title>'
        b"<item><title>Port closed after fog</title></item></channel></rss>"
    )
    warnings: list[str] = []
    [doc] = read_feed(feed, "flash.rss", options=NO_FETCH, warnings=warnings)
    assert doc.text == "Port closed after fog"
    assert "using the title" in warnings[0]


def test_linked_page_with_less_text_than_the_summary_is_not_used() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        page = b"<html><body><article><p>Placeholder page.</p></article></body></html>"
        return httpx.Response(200, headers={"Content-Type": "text/html"}, content=page)

    warnings: list[str] = []
    docs = read_feed(
        (FIXTURES / "feed.rss").read_bytes(),
        "feed.rss",
        options=IngestOptions(),
        fetcher=mock_fetcher(handler),
        warnings=warnings,
    )
    assert docs[1].text == "Ships are moving again."
    assert "less text than the summary" in warnings[0]


# -- what sitroom watch reads: entry keys and conditional GETs ---------------------------------


def test_known_entries_are_skipped_before_their_article_is_fetched() -> None:
    data = (FIXTURES / "feed.rss").read_bytes()
    first = read_feed_entries(data, "feed.rss", options=NO_FETCH)
    assert first.entries == 2 and len(first.keys) == 2 and first.document_keys == first.keys
    again = read_feed_entries(
        data, "feed.rss", options=IngestOptions(), fetcher=mock_fetcher(no_network), known=set(first.keys)
    )
    assert again.documents == [] and again.keys == first.keys  # nothing read, nothing fetched


def test_an_edited_entry_has_a_new_key() -> None:
    def feed(updated: str) -> bytes:
        return (
            '<?xml version="1.0"?><rss version="2.0"><channel><title>W</title><item><guid>g</guid>'
            f"<description>Text.</description><pubDate>{updated}</pubDate></item></channel></rss>"
        ).encode()

    before = read_feed_entries(feed("Thu, 20 Nov 2025 09:00:00 GMT"), "w", options=NO_FETCH)
    after = read_feed_entries(feed("Fri, 21 Nov 2025 09:00:00 GMT"), "w", options=NO_FETCH, known=set(before.keys))
    assert before.keys != after.keys and len(after.documents) == 1


def test_an_empty_feed_is_no_error_for_polling() -> None:
    empty = b'<?xml version="1.0"?><rss version="2.0"><channel><title>Quiet</title></channel></rss>'
    read = read_feed_entries(empty, "quiet.rss", options=NO_FETCH)
    assert (read.entries, read.documents) == (0, [])


def test_conditional_get_sends_validators_and_takes_a_304() -> None:
    sent: list[httpx.Headers] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request.headers)
        if request.headers.get("if-none-match") == '"v1"':
            return httpx.Response(304, headers={"ETag": '"v1"'})
        return httpx.Response(200, headers={"ETag": '"v1"', "Last-Modified": "Thu, 20 Nov 2025 09:00:00 GMT"})

    fetcher = mock_fetcher(handler)
    first = fetcher.fetch("https://wire.example/feed")
    assert not first.not_modified
    assert first.validators == Validators('"v1"', "Thu, 20 Nov 2025 09:00:00 GMT")
    second = fetcher.fetch("https://wire.example/feed", validators=first.validators)
    assert second.not_modified and second.content == b""
    assert sent[1]["if-modified-since"] == "Thu, 20 Nov 2025 09:00:00 GMT"
    with pytest.raises(FetchError, match="HTTP 304"):  # a 304 nobody asked for is an error
        mock_fetcher(lambda request: httpx.Response(304)).fetch("https://wire.example/feed")
