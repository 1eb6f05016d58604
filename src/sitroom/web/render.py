"""Templates: one Jinja2 environment with autoescaping on for every template, and the few filters
pages need. Source text only ever reaches a page through autoescaping (or ``highlight.py``, which
escapes every piece itself); links are only made from http(s) URLs."""

from __future__ import annotations

from datetime import date, datetime
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import Request
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup
from starlette.responses import HTMLResponse

from .. import __version__
from .highlight import clock
from .security import CSRF_FIELD

NAV = (
    ("/", "Dashboard"),
    ("/documents", "Documents"),
    ("/search", "Search"),
    ("/claims", "Claims"),
    ("/plans", "Plans"),
    ("/places", "Places"),
    ("/map", "Map"),
    ("/timeline", "Timeline"),
    ("/predictions", "Predictions"),
    ("/sources", "Sources"),
    ("/ingest", "Ingest"),
)


def web_url(url: object) -> str | None:
    """``url`` if it is an http(s) URL (safe as an href once escaped), else None."""
    if isinstance(url, str) and url.strip().lower().startswith(("http://", "https://")) and " " not in url.strip():
        return url.strip()
    return None


def day(value: object) -> str:
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str) and value:
        return value[:10]
    return "undated"


def when(value: object) -> str:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return day(value)


def path_part(value: object) -> str:
    """A value as one URL path segment (slashes and all else percent-encoded)."""
    return quote(str(value), safe="")


@cache
def environment() -> Environment:
    folder = Path(str(files("sitroom.web"))) / "templates"
    env = Environment(
        loader=FileSystemLoader(folder),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(day=day, when=when, web_url=web_url, seg=path_part, clock=clock)
    env.globals.update(nav=NAV, version=__version__, csrf_field=CSRF_FIELD)
    return env


def compile_templates() -> int:
    """Compile every template once (at startup: the first page asked for does not pay for it)."""
    env = environment()
    names = env.list_templates(extensions=["html"])
    for name in names:
        env.get_template(name)
    return len(names)


def is_htmx(request: Request, target: str | None = None) -> bool:
    """Whether htmx asked (``HX-Request``), and for the element ``target`` when given: the page then
    answers with that fragment only. Without JavaScript the same address gives the whole page."""
    if request.headers.get("hx-request") != "true":
        return False
    return target is None or request.headers.get("hx-target") == target


def fragment(template: str, context: dict[str, Any]) -> Markup:
    """A part of a page that depends on no request (no CSRF token, no path), rendered to be kept and
    put into pages as it is (``Analysed.memo``): autoescaped like every template."""
    return Markup(environment().get_template(template).render(context))


def render(
    request: Request,
    template: str,
    context: dict[str, Any],
    *,
    status: int = 200,
    headers: dict[str, str] | None = None,
) -> HTMLResponse:
    values = {
        "request": request,
        "path": request.url.path,
        "csrf": getattr(request.state, "csrf", ""),
        "updating": bool(getattr(request.state, "updating", False)),  # set by Site.analysed
        **context,
    }
    body = environment().get_template(template).render(values)
    return HTMLResponse(body, status_code=status, headers=headers)
