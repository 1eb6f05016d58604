"""Download one URL politely and safely: honest User-Agent, timeouts, redirect and size limits.

Every failure becomes a :class:`~sitroom.errors.FetchError` (or ``InputTooLargeError``) whose
``input`` is the URL that was asked for, so a batch can report it and go on.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from types import TracebackType

import httpx

from ..errors import FetchError, InputError, InputTooLargeError
from .messages import GO_ON, one_line
from .options import IngestOptions

SCHEMES = ("http", "https")


@dataclass(frozen=True, slots=True)
class FetchResult:
    """What a URL returned: the body, where it ended up, and how the server described it."""

    requested_url: str
    url: str  # final URL after redirects
    status: int
    content: bytes
    content_type: str  # media type, lower case, without parameters; "" when not given
    charset: str | None
    headers: httpx.Headers

    @property
    def not_modified(self) -> bool:
        """A 304 answer to a conditional request: nothing changed since the validators were given."""
        return self.status == 304

    @property
    def validators(self) -> Validators:
        """What to send next time to ask "has it changed?" (``ETag``, ``Last-Modified``)."""
        return Validators(self.headers.get("etag"), self.headers.get("last-modified"))


@dataclass(frozen=True, slots=True)
class Validators:
    """A response's ``ETag`` and ``Last-Modified``, sent back as ``If-None-Match`` and
    ``If-Modified-Since`` so an unchanged resource costs a 304 with no body (a conditional GET)."""

    etag: str | None = None
    last_modified: str | None = None

    def headers(self) -> dict[str, str]:
        out: dict[str, str] = {}
        if self.etag:
            out["If-None-Match"] = self.etag
        if self.last_modified:
            out["If-Modified-Since"] = self.last_modified
        return out


def check_url(url: str) -> httpx.URL:
    """Parse ``url`` and accept only http(s); anything else is an :class:`InputError`."""
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError, ValueError) as exc:
        raise InputError(f"not a valid URL ({one_line(exc)})", input=url, hint="check the URL") from exc
    if parsed.scheme not in SCHEMES:
        scheme = parsed.scheme or "no scheme"
        raise InputError(
            f"unsupported URL scheme ({scheme}); only http and https are fetched",
            input=url,
            hint="give a local file as a path, or use an http(s) URL",
        )
    if not parsed.host:
        raise InputError("URL has no host", input=url, hint="check the URL")
    return parsed


def split_content_type(value: str | None) -> tuple[str, str | None]:
    """``"text/html; charset=UTF-8"`` → ``("text/html", "utf-8")``."""
    if not value:
        return "", None
    media, _, params = value.partition(";")
    charset = None
    for param in params.split(";"):
        key, _, val = param.partition("=")
        if key.strip().lower() == "charset" and val.strip():
            charset = val.strip().strip("\"'").lower()
    return media.strip().lower(), charset


def _status_hint(status: int) -> str:
    if status in (401, 403):
        return f"the site refuses access; save the page from a browser and ingest the file; {GO_ON}"
    if status in (404, 410):
        return f"check the URL; {GO_ON}"
    if status == 429 or status >= 500:
        return f"the server is busy or failing; try again later; {GO_ON}"
    return f"check the URL; {GO_ON}"


class Fetcher:
    """Fetches URLs through an ``httpx.Client`` (injectable, e.g. with ``httpx.MockTransport``).

    Redirects are followed by hand, so the limit holds whatever client is passed in. A client the
    fetcher creates itself is created on first use and closed by :meth:`close`.
    """

    def __init__(self, options: IngestOptions | None = None, client: httpx.Client | None = None) -> None:
        self.options = options or IngestOptions()
        self._client = client
        self._owns_client = client is None

    @property
    def client(self) -> httpx.Client:
        if self._client is None:
            self._client = httpx.Client(follow_redirects=False)
        return self._client

    def close(self) -> None:
        if self._owns_client and self._client is not None:
            self._client.close()
            self._client = None

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def fetch(self, url: str, *, validators: Validators | None = None) -> FetchResult:
        """GET ``url``; raises ``FetchError``, ``InputTooLargeError`` or (bad URL) ``InputError``.

        With ``validators`` the request is conditional, and a 304 answer is a result with
        ``not_modified`` true and no content (it is an error without them)."""
        check_url(url)
        opts = self.options
        headers = {"User-Agent": opts.user_agent, "Accept": "*/*"}
        headers.update(validators.headers() if validators else {})
        request = self.client.build_request("GET", url, headers=headers, timeout=httpx.Timeout(opts.timeout))
        deadline = time.monotonic() + opts.total_timeout
        try:
            for _ in range(opts.max_redirects + 1):
                response = self.client.send(request, stream=True, follow_redirects=False)
                try:
                    if response.next_request is not None:
                        request = response.next_request
                        if request.url.scheme not in SCHEMES:
                            raise FetchError(
                                f"redirected to an unsupported URL ({request.url})",
                                input=url,
                                hint=f"only http and https are fetched; {GO_ON}",
                            )
                        continue
                    if response.status_code == 304 and validators is not None:
                        return self._not_modified(url, response)
                    return self._read(url, response, deadline)
                finally:
                    response.close()
        except httpx.TimeoutException as exc:
            raise FetchError(
                f"timed out after {opts.timeout:g} s ({type(exc).__name__})",
                input=url,
                hint=f"the site may be slow or down; check the URL or your connection; {GO_ON}",
            ) from exc
        except (httpx.ConnectError, httpx.UnsupportedProtocol) as exc:
            raise FetchError(
                f"could not connect ({one_line(exc) or type(exc).__name__})",
                input=url,
                hint=f"check the URL or your connection; {GO_ON}",
            ) from exc
        except httpx.HTTPError as exc:
            raise FetchError(
                f"download failed ({type(exc).__name__}: {one_line(exc)})",
                input=url,
                hint=f"check the URL or your connection; {GO_ON}",
            ) from exc
        raise FetchError(
            f"too many redirects (more than {opts.max_redirects})",
            input=url,
            hint=f"open the URL in a browser to see where it leads; {GO_ON}",
        )

    def _not_modified(self, url: str, response: httpx.Response) -> FetchResult:
        return FetchResult(
            requested_url=url,
            url=str(response.url),
            status=304,
            content=b"",
            content_type="",
            charset=None,
            headers=response.headers,
        )

    def _read(self, url: str, response: httpx.Response, deadline: float) -> FetchResult:
        status = response.status_code
        if not 200 <= status < 300:
            reason = f" {response.reason_phrase}" if response.reason_phrase else ""
            raise FetchError(f"HTTP {status}{reason}", input=url, hint=_status_hint(status))
        cap = self.options.max_bytes
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > cap:
            raise _too_large(url, f"the server announces {int(declared):,} bytes", cap)
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > cap:
                raise _too_large(url, "the response is larger", cap)
            if time.monotonic() > deadline:
                raise FetchError(
                    f"download took longer than {self.options.total_timeout:g} s",
                    input=url,
                    hint=f"the site is very slow; try again later or save the page as a file; {GO_ON}",
                )
            chunks.append(chunk)
        media, charset = split_content_type(response.headers.get("content-type"))
        return FetchResult(
            requested_url=url,
            url=str(response.url),
            status=status,
            content=b"".join(chunks),
            content_type=media,
            charset=charset,
            headers=response.headers,
        )


def _too_large(url: str, what: str, cap: int) -> InputTooLargeError:
    return InputTooLargeError(
        f"{what} than the {cap:,}-byte limit",
        input=url,
        hint=f"raise max_bytes if you need it, or save the part you need as a file; {GO_ON}",
    )
