"""The server-rendered map in a real Chromium: it draws, a click or Enter shows a place, hostile names
stay text, htmx and map.js come from the package, and the page asks no other host for anything.

The page is served by a small ASGI app of this module (the map's SVG, the package's static/ folder),
so these tests need only the map, the static files and uvicorn, not the web app's store and routes.
"""

from __future__ import annotations

import json
import mimetypes
from collections.abc import Iterator
from datetime import UTC, datetime
from html import escape
from pathlib import Path
from typing import Any

import pytest

from sitroom.analyse.ground import PlaceState
from sitroom.web.geo import STATUS_STYLE, render_map

from .conftest import LiveServer, serve

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[3]
STATIC = ROOT / "src" / "sitroom" / "web" / "static"
HOSTILE = '<img src=x onerror="window.__pwned=1">Kurakhove'
# The web app's policy (sitroom.web.security): the map must work with no inline script or style at all.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


def place(
    name: str, lat: float, lon: float, status: str, by: str | None = "Russia", disputed: bool = False
) -> PlaceState:
    return PlaceState(
        name=name,
        lat=lat,
        lon=lon,
        country="UA",
        admin1=None,
        feature="city",
        status=status,
        by=by,
        since=datetime(2025, 11, 20, tzinfo=UTC),
        first_report=datetime(2025, 11, 18, tzinfo=UTC),
        last_report=datetime(2025, 11, 21, tzinfo=UTC),
        sources=["Meridian Wire"],
        disputed=disputed,
        rival={"contested": ["General Staff"]} if disputed else {},
    )


PLACES = [
    place("Kyiv", 50.45, 30.52, "threatened"),
    place("Pokrovsk", 48.28, 37.18, "captured", disputed=True),
    place("Kupiansk", 49.71, 37.61, "contested"),
    place("Kherson", 46.64, 32.61, "liberated", by="Ukraine"),
    place(HOSTILE, 47.90, 37.37, "captured"),
]


def page_html() -> str:
    svg = render_map(PLACES, at=datetime(2025, 11, 25), details_id="map-details")
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{escape("sitroom map test")}</title>
<meta name="htmx-config" content='{{"includeIndicatorStyles": false}}'>
<link rel="stylesheet" href="/static/map.css">
<script src="/static/vendor/htmx.min.js" defer></script>
<script src="/static/map.js" defer></script></head>
<body><h1>Map</h1>{svg}
<p id="map-details" class="sitroom-map-details" aria-live="polite"></p></body></html>"""


async def map_app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """The smallest ASGI app that serves the map page and the package's static files."""
    if scope["type"] == "lifespan":
        while True:
            message = (await receive())["type"]
            if message == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return
    path = scope["path"]
    status, body, kind = 404, b"not found", "text/plain"
    policy = [(b"content-security-policy", CSP.encode())]
    if path == "/":
        status, body, kind = 200, page_html().encode(), "text/html; charset=utf-8"
    elif path == "/bare":  # no policy: for the test of the harness's own guard
        status, body, kind, policy = 200, b"<!doctype html><title>bare</title>", "text/html", []
    elif path.startswith("/static/"):
        file = (STATIC / path.removeprefix("/static/")).resolve()
        if file.is_relative_to(STATIC) and file.is_file():
            status, body = 200, file.read_bytes()
            kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
    headers = [(b"content-type", kind.encode()), *policy]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


@pytest.fixture(scope="module")
def live() -> Iterator[LiveServer]:
    yield from serve(map_app)


def test_the_map_draws_every_place_where_it_belongs(live, open_page):
    page, log = open_page(live.url)
    page.goto(live.url + "/")
    dots = page.locator("svg.sitroom-map circle.place")
    assert dots.count() == len(PLACES)
    for p in PLACES:
        dot = page.locator(f'circle.place[data-name="{p.name.replace(chr(34), chr(92) + chr(34))}"]')
        assert dot.get_attribute("fill") == STATUS_STYLE[p.status][0]
        box = dot.bounding_box()
        assert box is not None and box["width"] > 0
    kyiv = page.locator('circle.place[data-name="Kyiv"]').bounding_box()
    city = page.locator('g.regions path[data-code="UA-30"]').bounding_box()
    lviv = page.locator('g.regions path[data-code="UA-46"]').bounding_box()
    assert kyiv and city and lviv
    centre = (kyiv["x"] + kyiv["width"] / 2, kyiv["y"] + kyiv["height"] / 2)
    assert city["x"] <= centre[0] <= city["x"] + city["width"] and city["y"] <= centre[1] <= city["y"] + city["height"]
    assert centre[0] > lviv["x"] + lviv["width"]  # east of Lviv oblast
    assert page.locator("svg.sitroom-map > title").text_content() == "Control of places on 2025-11-25"
    log.assert_clean()


def test_clicking_or_pressing_enter_on_a_place_shows_its_description(live, open_page):
    page, log = open_page(live.url)
    page.goto(live.url + "/")
    details = page.locator("#map-details")
    page.locator('circle.place[data-name="Pokrovsk"]').click()
    assert details.text_content().startswith("Pokrovsk: captured by Russia")
    assert "disputed (contested per General Staff)" in details.text_content()
    assert page.locator("circle.place[aria-current]").get_attribute("data-name") == "Pokrovsk"
    kupiansk = page.locator('circle.place[data-name="Kupiansk"]')
    kupiansk.focus()
    page.keyboard.press("Enter")
    assert details.text_content().startswith("Kupiansk: contested by Russia")
    assert page.locator("circle.place[aria-current]").get_attribute("data-name") == "Kupiansk"
    log.assert_clean()


def test_a_hostile_place_name_stays_text(live, open_page):
    page, log = open_page(live.url)
    page.on("dialog", lambda d: (log.errors.append(f"dialog: {d.message}"), d.dismiss()))
    page.goto(live.url + "/")
    hostile = page.locator("circle.place").filter(has=page.locator("title", has_text="Kurakhove"))
    hostile.click()
    assert page.locator("#map-details").text_content().startswith(HOSTILE + ": captured")
    assert page.evaluate("window.__pwned") is None
    assert page.locator("svg.sitroom-map img, #map-details img").count() == 0
    assert HOSTILE in page.locator("svg.sitroom-map g.labels").text_content()
    log.assert_clean()


def test_htmx_and_the_map_script_come_from_the_package(live, open_page):
    page, log = open_page(live.url)
    page.goto(live.url + "/")
    page.wait_for_function("window.htmx !== undefined")
    lock = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))
    assert page.evaluate("window.htmx.version") == lock["packages"]["node_modules/htmx.org"]["version"]
    loaded = {u.removeprefix(live.url) for u in log.requests}
    assert {"/", "/static/map.css", "/static/map.js", "/static/vendor/htmx.min.js"} <= loaded
    log.assert_clean()


def test_the_page_cannot_reach_another_host(live, open_page):
    """The harness's guard: a request to another host is refused and recorded, so assert_clean catches it
    (on a page without the app's policy, which would have stopped the request first)."""
    page, log = open_page(live.url)
    page.goto(live.url + "/bare")
    outcome = page.evaluate("fetch('https://cdn.example.org/x.js').then(() => 'fetched', () => 'refused')")
    assert outcome == "refused"
    assert log.refused == ["https://cdn.example.org/x.js"]
    with pytest.raises(AssertionError):
        log.assert_clean()
