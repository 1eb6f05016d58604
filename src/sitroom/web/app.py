"""The app factory: one FastAPI app over one store, with the guard, the API, exports and pages."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from importlib.resources import files
from pathlib import Path
from typing import Any

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse, Response

from .. import __version__
from ..errors import SitroomError
from ..extract.llm import SupportsExtract
from ..store import Store
from . import api, exports, forms, pages, views
from .render import compile_templates, render
from .security import FORM_SLACK_BYTES, BodyLimit, DropEmptyQuery, HostCheck, guard, is_api, require_csrf
from .settings import WebSettings
from .site import ExtractorFactory, FetcherFactory, Site
from .status import status_for

PACKAGE_DIR = Path(str(files("sitroom.web")))
STATIC_DIR = PACKAGE_DIR / "static"


def _default_extractor() -> SupportsExtract:
    from ..config import load_settings
    from ..extract.llm import build_extractor

    return build_extractor(load_settings())


def one_line(text: object) -> str:
    return " ".join(str(text).split())[:500]


async def error_response(
    request: Request, status: int, message: str, headers: dict[str, str] | None = None
) -> Response:
    if is_api(request.url.path):
        return JSONResponse({"error": one_line(message), "status": status}, status_code=status, headers=headers)
    return render(request, "error.html", {"status": status, "message": one_line(message)}, status=status)


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors()[:3]:
        where = ".".join(str(x) for x in err.get("loc", ()) if x not in ("query", "body", "path"))
        parts.append(f"{where or 'request'}: {err.get('msg', 'invalid')}")
    return "; ".join(parts)


def create_app(
    store_or_settings: Store | WebSettings | None = None,
    *,
    settings: WebSettings | None = None,
    extractor_factory: ExtractorFactory | None = None,
    fetcher_factory: FetcherFactory | None = None,
) -> FastAPI:
    """The web app over a ``Store`` (left open for the caller) or ``WebSettings`` (the app opens the
    store named by ``settings.db`` and closes it at shutdown). ``extractor_factory`` and
    ``fetcher_factory`` replace the configured extractor and the URL fetcher (tests, embedding)."""
    if isinstance(store_or_settings, Store):
        store, owns = store_or_settings, False
        settings = settings or WebSettings()
    else:
        settings = store_or_settings or settings or WebSettings.from_env()
        store, owns = Store.open(settings.db), True
    site = Site(
        store=store,
        settings=settings,
        extractor_factory=extractor_factory or _default_extractor,
        fetcher_factory=fetcher_factory,
        owns_store=owns,
    )

    site.analyser.on_ready = lambda analysed: views.warm(site, analysed)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if settings.warm:  # analyse the store while the first page is being asked for, not after
            site.analyser.start()
            compile_templates()
        yield
        site.analyser.close()
        if site.owns_store:
            site.store.close()

    app = FastAPI(
        title="sitroom",
        version=__version__,
        description="Who claims what, with what certainty, across sources and over time. See docs/web.md.",
        docs_url=None,  # Swagger UI and ReDoc load their scripts from a CDN: not here
        redoc_url=None,
        openapi_url="/openapi.json",
        lifespan=lifespan,
        dependencies=[Depends(require_csrf)],
    )
    app.state.site = site

    async def unauthorised(request: Request) -> Response:
        headers = {"www-authenticate": "Bearer"}
        if is_api(request.url.path):
            return JSONResponse(
                {"error": "a token is required: send Authorization: Bearer <token>", "status": 401},
                status_code=401,
                headers=headers,
            )
        return render(request, "login.html", {"next": request.url.path}, status=401, headers=headers)

    @app.middleware("http")
    async def _guard(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        return await guard(request, call_next, token=settings.token, unauthorised=unauthorised)

    app.add_middleware(HostCheck, allowed=settings.hosts)
    app.add_middleware(BodyLimit, limit=settings.max_upload_bytes + FORM_SLACK_BYTES)
    app.add_middleware(DropEmptyQuery)

    @app.exception_handler(HTTPException)
    async def _http_error(request: Request, exc: HTTPException) -> Response:
        return await error_response(request, exc.status_code, str(exc.detail), getattr(exc, "headers", None))

    @app.exception_handler(404)
    async def _not_found(request: Request, exc: Any) -> Response:
        return await error_response(request, 404, getattr(exc, "detail", None) or "not found")

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        return await error_response(request, 422, _validation_message(exc))

    @app.exception_handler(SitroomError)
    async def _sitroom_error(request: Request, exc: SitroomError) -> Response:
        return await error_response(request, status_for(exc), str(exc))

    app.include_router(api.router)
    app.include_router(exports.router)
    app.include_router(forms.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return app
