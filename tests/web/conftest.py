"""Fixtures for the web tests: a temp SQLite store filled through the library with hand-made
extractions (tests/story_kit.py) — including hostile titles, sources, URLs and text — and an
in-process client. No spaCy model loads: ingest from the browser uses a stub extractor."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from sitroom import model
from sitroom.store import Store
from sitroom.web import WebSettings, create_app

from ..story_kit import Doc, day

BASE = "http://127.0.0.1"
ANALYSIS_WAIT = 120.0
SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(2)>'
JS_URL = "javascript:alert(3)"
PAYLOADS = (SCRIPT, IMG, "<script>alert", "<img src=x", "onerror=alert(2)>")


class StubExtractor:
    """Finds nothing; records what it was given (ingest tests check what reached the store)."""

    def __init__(self) -> None:
        self.seen: list[model.Document] = []

    def extract(self, document: model.Document) -> model.Extraction:
        self.seen.append(document)
        return model.Extraction(document=document)


@dataclass
class Story:
    store: Store
    plain: Doc
    echo: Doc
    hostile: Doc
    transcript: Doc
    extractor: StubExtractor


def story_docs() -> tuple[Doc, Doc, Doc, Doc]:
    plain = (
        Doc(
            "The ministry said Russian forces captured Kupiansk on Monday. Under the 28-point plan, "
            "Ukraine's army would be capped at 600,000. Kyiv opposes the 28-point plan. "
            "Budanov predicts that talks will resume in February.",
            source="Harbor Post",
            when=day(2),
            title="Kupiansk falls",
            url="https://example.org/harbor/kupiansk",
        )
        .said("the ministry", "Russian forces captured Kupiansk on Monday")
        .place("Kupiansk", "captured", "Russia")
        .provision("Ukraine's army would be capped at 600,000", "army_size", plan="28-point plan", number=6)
        .quantity("600,000", 600000, None, about="army")
        .stance("Kyiv opposes the 28-point plan", "Kyiv", "28-point plan", "oppose")
        .predicts("talks will resume in February", "Kyrylo Budanov", "talks will resume", "2026-02")
    )
    echo = (
        Doc(
            "Russian forces captured Kupiansk on Monday, officials said. Kupiansk is now held by Russia.",
            source="Meridian Wire",
            when=day(3),
            title="Echo report",
            url="https://example.org/meridian/echo",
        )
        .said("officials", "Russian forces captured Kupiansk on Monday")
        .place("Kupiansk", "captured", "Russia")
    )
    text = f"Reports {SCRIPT} say Lyman {IMG} is contested; some doubt it. Visit {JS_URL} now."
    hostile = (
        Doc(text, source=f"Evil {IMG} Source", when=day(4), title=f"Title {SCRIPT}", url=JS_URL, author=SCRIPT)
        .said("someone", f"Lyman {IMG} is contested")
        .place("Lyman", "contested", name=f"Lyman{SCRIPT}")
        .hedge("some doubt it")
    )
    # overlapping spans inside the payload: a quantity over part of the attribution and the hedge
    s = text.index("img src")
    hostile.extraction.quantities.append(model.Quantity(s, s + 20, 1.0, None, text[s : s + 20], SCRIPT))
    transcript = Doc(
        "Hello everyone. Pokrovsk has fallen, they say.\nNext, the talks.",
        source="Frontline Channel",
        when=day(5),
        title="Daily video",
        kind="transcript",
    ).place("Pokrovsk", "captured", "Russia")
    transcript.extraction.document.cues.extend([model.Cue(0, 47, 1.0, 6.0), model.Cue(47, 64, 751.5, 760.0)])
    return plain, echo, hostile, transcript


@pytest.fixture()
def story(tmp_path: Path) -> Iterator[Story]:
    store = Store.open(tmp_path / "web.db")
    docs = story_docs()
    for d in docs:
        store.save(d.extraction)
    yield Story(store, *docs, extractor=StubExtractor())
    store.close()


@pytest.fixture()
def make_client(story: Story) -> Iterator[Callable[..., TestClient]]:
    apps: list[FastAPI] = []

    def make(settings: WebSettings | None = None, **kwargs: object) -> TestClient:
        # a request waits for the analysis of a changed store (small here): the tests see fresh results
        app = create_app(
            story.store,
            settings=replace(settings or WebSettings(), analysis_wait=ANALYSIS_WAIT),
            extractor_factory=lambda: story.extractor,
            **kwargs,  # type: ignore[arg-type]
        )
        apps.append(app)
        return TestClient(app, base_url=BASE, follow_redirects=False)

    yield make
    # Before the store closes: an analysis a request started may still be writing claim groups.
    for app in apps:
        app.state.site.analyser.close()


@pytest.fixture()
def client(make_client: Callable[..., TestClient]) -> TestClient:
    return make_client()


def csrf_of(client: TestClient) -> str:
    """The CSRF token the app handed this client (a GET first, if it has none yet)."""
    if "sitroom_csrf" not in client.cookies:
        client.get("/ingest")
    return client.cookies["sitroom_csrf"]
