"""The guard in front of every request: the token, CSRF, the body size cap and security headers.

* Token (when set): ``Authorization: Bearer <token>`` or the ``sitroom_token`` cookie, which
  ``GET any-page?token=<token>`` or the login form sets (HttpOnly, SameSite=Strict). Compared in
  constant time. Without it an API call gets 401 JSON and a page gets the login form.
* CSRF: double submit. Every response carries a random ``sitroom_csrf`` cookie; every POST, PUT,
  PATCH or DELETE must send the same value in the ``X-CSRF-Token`` header or a ``csrf_token`` form
  field (a request authenticated by a Bearer header is exempt: a browser never adds one by itself).
  A cross-site ``Origin`` header is refused as well.
* Body cap: a request body larger than the upload cap (plus room for the other form fields) is cut
  off with 413 before it is parsed.
* Headers: a strict Content-Security-Policy (no inline script, nothing from another origin),
  nosniff, no framing, no referrer.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from fastapi import HTTPException, Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .settings import host_name

TOKEN_COOKIE = "sitroom_token"
CSRF_COOKIE = "sitroom_csrf"
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
FORM_SLACK_BYTES = 1024 * 1024  # room for the form fields sent beside an upload

SECURITY_HEADERS = {
    "content-security-policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
}


def same(a: str | None, b: str | None) -> bool:
    """Constant-time equality of two secrets; None never matches."""
    if not a or not b:
        return False
    return hmac.compare_digest(a.encode("utf-8"), b.encode("utf-8"))


def bearer(request: Request) -> str | None:
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def is_api(path: str) -> bool:
    return path.startswith("/api/") or path == "/openapi.json"


def set_token_cookie(response: Response, token: str, request: Request) -> None:
    response.set_cookie(
        TOKEN_COOKIE,
        token,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        path="/",
    )


def _local_target(request: Request) -> str:
    """The requested address without ``token=``, as a path (never another host)."""
    url = request.url.remove_query_params("token")
    return url.path + (f"?{url.query}" if url.query else "")


def authenticated(request: Request, token: str | None) -> bool:
    if token is None:
        return True
    return same(bearer(request), token) or same(request.cookies.get(TOKEN_COOKIE), token)


Unauthorised = Callable[[Request], Awaitable[Response]]


async def guard(
    request: Request,
    call_next: Callable[[Request], Awaitable[Response]],
    *,
    token: str | None,
    unauthorised: Unauthorised,
) -> Response:
    """The http middleware: authenticate, hand out the CSRF cookie, add the security headers."""
    csrf = request.cookies.get(CSRF_COOKIE) or ""
    fresh = not (20 <= len(csrf) <= 100 and csrf.replace("-", "").replace("_", "").isalnum())
    if fresh:
        csrf = secrets.token_urlsafe(32)
    request.state.csrf = csrf
    response: Response
    if authenticated(request, token) or request.url.path == "/login":
        response = await call_next(request)
    elif token is not None and request.method == "GET" and same(request.query_params.get("token"), token):
        response = RedirectResponse(_local_target(request), status_code=303)
        set_token_cookie(response, token, request)
    else:
        response = await unauthorised(request)
    if fresh:
        response.set_cookie(CSRF_COOKIE, csrf, httponly=False, samesite="strict", path="/")
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if is_api(request.url.path):
        response.headers.setdefault("cache-control", "no-store")
    return response


async def require_csrf(request: Request) -> None:
    """A dependency on every route: state-changing requests must prove they come from our own pages."""
    if request.method in SAFE_METHODS:
        return
    token = request.app.state.site.settings.token
    if token is not None and same(bearer(request), token):
        return
    origin = request.headers.get("origin")
    if origin and origin != "null" and urlsplit(origin).netloc != request.headers.get("host", ""):
        raise HTTPException(403, "cross-site request refused")
    cookie = request.cookies.get(CSRF_COOKIE)
    sent = request.headers.get(CSRF_HEADER)
    if sent is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        form = await request.form()
        value = form.get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    if not same(cookie, sent):
        raise HTTPException(403, "the CSRF token is missing or wrong; reload the page and try again")


class HostCheck:
    """Pure ASGI middleware: answer only to the Host names allowed (DNS rebinding), IPv6 included."""

    def __init__(self, app: ASGIApp, allowed: list[str]) -> None:
        self.app = app
        self.allowed = {name.strip("[]").lower() for name in allowed}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and "*" not in self.allowed:
            header = dict(scope.get("headers") or []).get(b"host", b"").decode("latin-1")
            if host_name(header) not in self.allowed:
                response = Response(
                    "this server does not answer to that host name\n",
                    status_code=400,
                    media_type="text/plain; charset=utf-8",
                    headers=dict(SECURITY_HEADERS),
                )
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


class DropEmptyQuery:
    """Pure ASGI middleware: ``?since=&kind=`` (a form's blank fields) means no filter, not a bad date."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        raw = scope.get("query_string", b"") if scope["type"] == "http" else b""
        if raw:
            pairs = parse_qsl(raw.decode("latin-1"), keep_blank_values=True)
            kept = [(k, v) for k, v in pairs if v.strip()]
            if len(kept) != len(pairs):
                scope = {**scope, "query_string": urlencode(kept).encode("latin-1")}
        await self.app(scope, receive, send)


class BodyLimit:
    """Pure ASGI middleware: refuse (413) a request body over ``limit`` bytes, declared or streamed."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await _too_large(scope, self.limit)(scope, receive, send)
            return
        seen = 0
        over = False
        replaced = False

        async def counted() -> Message:
            nonlocal seen, over
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    over = True
                    raise BodyTooLarge(f"the request is over the {self.limit:,}-byte limit")
            return message

        async def answer(message: Message) -> None:
            # However the layers inside report the cut-off body, the client is told 413.
            nonlocal replaced
            if over:
                if not replaced and message["type"] == "http.response.start":
                    replaced = True
                    await _too_large(scope, self.limit)(scope, receive, send)
                return
            await send(message)

        try:
            await self.app(scope, counted, answer)
        except Exception:
            if not over:
                raise
            if not replaced:
                await _too_large(scope, self.limit)(scope, receive, send)


class BodyTooLarge(Exception):
    """Raised into the app when a streamed body passes the cap."""


def _too_large(scope: Scope, limit: int) -> Response:
    message = f"the request is over the {limit:,}-byte limit"
    headers: dict[str, Any] = dict(SECURITY_HEADERS)
    if is_api(scope.get("path", "")):
        return JSONResponse({"error": message, "status": 413}, status_code=413, headers=headers)
    return Response(message + "\n", status_code=413, media_type="text/plain; charset=utf-8", headers=headers)
