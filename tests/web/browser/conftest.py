"""Browser tests: a real Chromium (Debian's /usr/bin/chromium) driven by Playwright against an app
served by uvicorn on a free loopback port.

* Every test here is marked ``browser`` (``pytest -m browser`` runs only them, ``-m "not browser"`` none).
* Without /usr/bin/chromium they skip — unless ``SITROOM_REQUIRE_BROWSER`` is set, as ``.ci/run``
  sets it, and then they fail: CI must never pass by skipping them. ``.ci/run`` installs Debian's
  ``chromium``; never ``playwright install`` (it downloads a browser build, which this network refuses).
* Chromium starts with the flags the machine notes list (no sandbox as root, no GPU, no background
  networking, sync or component updates: the closed network refuses those connections). Playwright
  gives every launch a new, empty profile (its own temporary ``--user-data-dir``).
* Each page refuses requests to any host other than the app's and records them; ``page_log`` holds
  them and the page's console errors for the test to assert on.
* Each test leaves a screenshot in ``test-output/screenshots/<test>.png`` (gitignored).
"""

from __future__ import annotations

import importlib.util
import os
import re
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path(os.environ.get("SITROOM_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[3] / "test-output" / "screenshots"
START_TIMEOUT = 20.0  # seconds for uvicorn to accept connections; a loaded 2-core machine can be slow


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: drives Debian's Chromium with Playwright (tests/web/browser)")


def browser_required() -> bool:
    return bool(os.environ.get("SITROOM_REQUIRE_BROWSER"))


def chromium_or_skip() -> None:
    """Go on if Chromium and the Python drivers are there; else fail when SITROOM_REQUIRE_BROWSER is
    set, skip when not."""
    missing = [] if CHROMIUM.exists() else [f"{CHROMIUM} (apt-get install chromium)"]
    missing += [
        f"the Python package {name} (dev extra, requirements.lock)"
        for name in ("playwright", "uvicorn")
        if importlib.util.find_spec(name) is None
    ]
    if not missing:
        return
    if browser_required():
        pytest.fail(f"SITROOM_REQUIRE_BROWSER is set but these are missing: {'; '.join(missing)}")
    pytest.skip(f"missing: {'; '.join(missing)} (CI sets SITROOM_REQUIRE_BROWSER=1 and must not skip)")


@pytest.fixture(autouse=True)
def _chromium_or_skip() -> None:
    chromium_or_skip()


@dataclass
class LiveServer:
    url: str
    server: Any
    thread: threading.Thread


def serve(app: Any) -> Iterator[LiveServer]:
    """Run an ASGI app with uvicorn in a daemon thread on a free 127.0.0.1 port until the generator closes."""
    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, log_level="warning", lifespan="auto", access_log=False)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name="uvicorn-test", daemon=True)
    thread.start()
    deadline = time.monotonic() + START_TIMEOUT
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError(f"uvicorn did not start on 127.0.0.1:{port}")
        time.sleep(0.02)
    try:
        yield LiveServer(f"http://127.0.0.1:{port}", server, thread)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    chromium_or_skip()  # a session fixture is set up before the autouse one
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@dataclass
class PageLog:
    """What a page asked for and complained about."""

    origin: str
    requests: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def assert_clean(self) -> None:
        assert self.refused == [], f"the page asked another host: {self.refused}"
        assert self.errors == [], f"console errors: {self.errors}"


def _local(url: str, origin: str) -> bool:
    return url.startswith((origin + "/", "data:", "about:", "blob:")) or url == origin


@pytest.fixture()
def open_page(browser: Any, request: pytest.FixtureRequest) -> Iterator[Callable[[str], tuple[Any, PageLog]]]:
    """``page, log = open_page(origin)``: a fresh context and page that may only reach ``origin``."""
    contexts: list[Any] = []
    pages: list[Any] = []

    def make(origin: str) -> tuple[Any, PageLog]:
        log = PageLog(origin)
        context = browser.new_context(viewport={"width": 1100, "height": 900}, service_workers="block")
        contexts.append(context)

        def route(route: Any) -> None:
            url = route.request.url
            log.requests.append(url)
            if _local(url, origin):
                route.continue_()
            else:
                log.refused.append(url)
                route.abort()

        context.route("**/*", route)
        page = context.new_page()
        page.on("console", lambda msg: log.errors.append(msg.text) if msg.type == "error" else None)
        page.on("pageerror", lambda exc: log.errors.append(str(exc)))
        pages.append(page)
        return page, log

    yield make
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)
    for i, page in enumerate(pages):
        suffix = f"-{i}" if i else ""
        try:
            page.screenshot(path=str(SCREENSHOTS / f"{name}{suffix}.png"), full_page=True)
        except Exception as exc:  # a page that crashed still lets the others be saved
            print(f"screenshot of {name}{suffix} failed: {exc}")
    for context in contexts:
        context.close()
