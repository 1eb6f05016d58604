"""web stage: the situation room in a browser, and a JSON API — a thin layer over the library.

    from sitroom.web import create_app, serve
    app = create_app(WebSettings(db=".demo/sitroom.db"))    # or create_app(store)
    serve(".demo/sitroom.db", "127.0.0.1", 8765, token=None)

Modules: ``settings`` (WebSettings, the bind check), ``app`` (the factory), ``security`` (token,
CSRF, body cap, headers), ``site`` (shared state, stored claim groups), ``analysis`` (the analysed
corpus, once per store generation, in a background thread), ``views`` (the library calls pages and
API share), ``api`` + ``schemas`` (``/api/v1``), ``exports``, ``pages``, ``plan_page`` and ``forms``
(HTML), ``ingest`` (from the browser and the API), ``highlight`` (escaped, highlighted text),
``render`` (Jinja2, autoescaped; htmx fragments). See docs/web.md.
"""

from __future__ import annotations

from .app import create_app
from .settings import (
    DEFAULT_HOST,
    DEFAULT_MAX_UPLOAD_BYTES,
    DEFAULT_PORT,
    TOKEN_ENV,
    UnsafeBindError,
    WebSettings,
    check_bind,
    is_loopback,
)


def serve(
    db: str | None = None,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    token: str | None = None,
    *,
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD_BYTES,
    log_level: str = "info",
) -> None:
    """Run the app with uvicorn until interrupted. ``token=None`` reads ``$SITROOM_TOKEN``.

    Raises ``UnsafeBindError`` (a ConfigError) before listening on a non-loopback ``host`` without a token.
    """
    import uvicorn

    settings = WebSettings.from_env(db=db, host=host, port=port, token=token, max_upload_bytes=max_upload_bytes)
    check_bind(settings)
    app = create_app(settings)
    uvicorn.run(app, host=host, port=port, log_level=log_level, proxy_headers=False, server_header=False)


__all__ = [
    "DEFAULT_HOST",
    "DEFAULT_PORT",
    "TOKEN_ENV",
    "UnsafeBindError",
    "WebSettings",
    "check_bind",
    "create_app",
    "is_loopback",
    "serve",
]
