"""The Fetcher: canned responses through httpx.MockTransport, never the network."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import httpx
import pytest

from sitroom import __version__
from sitroom.errors import FetchError, InputError, InputTooLargeError
from sitroom.ingest import Fetcher, IngestOptions

URL = "https://news.example/story"
Handler = Callable[[httpx.Request], httpx.Response]


def fetcher(handler: Handler, **options: object) -> Fetcher:
    return Fetcher(IngestOptions(**options), client=httpx.Client(transport=httpx.MockTransport(handler)))  # type: ignore[arg-type]


def test_ok_response_with_honest_user_agent() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, headers={"Content-Type": "text/html; charset=UTF-8"}, content=b"<p>hi</p>")

    result = fetcher(handler).fetch(URL)
    assert result.content == b"<p>hi</p>"
    assert (result.content_type, result.charset, result.status) == ("text/html", "utf-8", 200)
    assert result.url == URL
    agent = seen[0].headers["user-agent"]
    assert agent.startswith(f"sitroom/{__version__} ") and "local analyst tool" in agent


def test_redirects_are_followed_up_to_the_limit() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        hop = int(request.url.params.get("hop", "0"))
        if hop < 3:
            return httpx.Response(302, headers={"Location": f"{URL}?hop={hop + 1}"})
        return httpx.Response(200, content=b"arrived")

    result = fetcher(handler).fetch(URL)
    assert result.content == b"arrived"
    assert result.url == f"{URL}?hop=3"
    assert result.requested_url == URL

    with pytest.raises(FetchError, match="too many redirects") as info:
        fetcher(handler, max_redirects=2).fetch(URL)
    assert URL in str(info.value)


def test_redirect_to_another_scheme_is_refused() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(301, headers={"Location": "ftp://files.example/story.txt"})

    with pytest.raises(FetchError, match="unsupported URL"):
        fetcher(handler).fetch(URL)


@pytest.mark.parametrize(("status", "hint"), [(404, "check the URL"), (503, "try again later"), (403, "browser")])
def test_bad_status_is_a_fetch_error(status: int, hint: str) -> None:
    with pytest.raises(FetchError) as info:
        fetcher(lambda request: httpx.Response(status)).fetch(URL)
    message = str(info.value)
    assert message.startswith(f"{URL}: HTTP {status}")
    assert hint in message
    assert "the rest of the batch goes on" in message
    assert info.value.exit_code == 4


@pytest.mark.parametrize(
    ("exc", "needle"),
    [
        (httpx.ConnectTimeout("timed out"), "timed out after 20 s"),
        (httpx.ReadTimeout("timed out"), "timed out"),
        (httpx.ConnectError("Name or service not known"), "could not connect"),
        (httpx.RemoteProtocolError("server hung up"), "download failed"),
    ],
)
def test_network_failures_are_fetch_errors(exc: Exception, needle: str) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise exc

    with pytest.raises(FetchError) as info:
        fetcher(handler).fetch(URL)
    message = str(info.value)
    assert URL in message and needle in message
    assert "check the URL or your connection" in message
    assert "\n" not in message


def test_oversize_body_is_refused_by_announced_length() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=b"x" * 5000)  # sets Content-Length

    with pytest.raises(InputTooLargeError) as info:
        fetcher(handler, max_bytes=1000).fetch(URL)
    assert URL in str(info.value) and "1,000-byte limit" in str(info.value)


def test_oversize_body_is_refused_while_streaming() -> None:
    produced: list[int] = []

    def chunks() -> Iterator[bytes]:
        for _ in range(100):
            produced.append(1)
            yield b"y" * 400

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=chunks())  # no Content-Length

    with pytest.raises(InputTooLargeError) as info:
        fetcher(handler, max_bytes=1000).fetch(URL)
    assert URL in str(info.value)
    assert len(produced) < 10  # stopped early, not after reading everything


@pytest.mark.parametrize("url", ["ftp://files.example/a.txt", "file:///etc/passwd", "news.example/story"])
def test_only_http_and_https(url: str) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise AssertionError("must not be called")

    with pytest.raises(InputError) as info:
        fetcher(handler).fetch(url)
    assert not isinstance(info.value, FetchError)
    assert url in str(info.value)


def test_own_client_is_created_lazily_and_closed() -> None:
    with Fetcher() as f:
        assert f._client is None
    assert f._client is None


def test_a_download_that_takes_too_long_overall_is_stopped() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=iter([b"slow", b"drip"]))

    with pytest.raises(FetchError, match="longer than") as info:
        fetcher(handler, total_timeout=1e-9).fetch(URL)
    assert URL in str(info.value)
