"""A synthetic store of many small documents, and the in-process timings of docs/web.md.

    .venv/bin/python -m tests.web.synthetic /tmp/sitroom-10k.db 10000        # build (once), then time
    .venv/bin/python -m tests.web.synthetic /tmp/sitroom-10k.db 10000 --time-only

Each document is one or two sentences from 40 outlets over 120 days: an attribution, a place with
a control status, and every tenth a stance on a plan with a provision, every 25th a prediction.
Built with ``Store.save`` (the library), no extractor. Timings are medians of 5 in-process requests
(``TestClient``) after the derived views are ready, on whatever machine runs it.
"""

from __future__ import annotations

import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sitroom import model
from sitroom.store import Store

PLACES = (
    ("Kupiansk", 49.71, 37.61),
    ("Pokrovsk", 48.28, 37.18),
    ("Lyman", 48.99, 37.80),
    ("Huliaipole", 47.66, 36.26),
    ("Siversk", 48.87, 38.10),
    ("Kostiantynivka", 48.53, 37.71),
)
STATUSES = ("captured", "contested", "threatened")
ACTORS = ("Kyiv", "Moscow", "Washington", "Brussels")


def document(i: int, start: datetime) -> model.Extraction:
    place, lat, lon = PLACES[i % len(PLACES)]
    status = STATUSES[(i // 7) % len(STATUSES)]
    source = f"Outlet {i % 40:02d}"
    speaker = f"official {i % 13}"
    claim = f"the fighting near {place} went on for day {i % 97}"
    text = f"An {speaker} said {claim}. {place} is {status} (report {i})."
    ex = model.Extraction(
        model.Document(
            text=text,
            source=source,
            published=start + timedelta(hours=(i * 7) % (120 * 24)),
            title=f"Report {i} on {place}",
            url=f"https://example.org/{i % 40}/{i}",
        )
    )
    s = text.index(claim)
    ex.attributions.append(model.Attribution(s, s + len(claim), speaker, "said", claim, "asserted"))
    p = text.index(place, s + len(claim))
    ex.places.append(model.Place(p, p + len(place), place, place, lat, lon, "UA", None, status, None, None, "city"))
    if i % 10 == 0:
        actor = ACTORS[(i // 10) % len(ACTORS)]
        extra = f" {actor} opposes the 28-point plan. Under the 28-point plan the army would be capped at 600,000."
        ex.document.text += extra
        text = ex.document.text
        a = text.index(f"{actor} opposes")
        ex.stances.append(
            model.Stance(a, a + len(f"{actor} opposes the 28-point plan"), actor, "28-point plan", "oppose")
        )
        c = text.index("the army would be capped")
        ex.provisions.append(
            model.Provision(
                c,
                c + len("the army would be capped at 600,000"),
                "army_size",
                "the army would be capped at 600,000",
                6,
                "28-point plan",
            )
        )
    if i % 25 == 0:
        extra = " Analysts expect talks to resume by March."
        ex.document.text += extra
        text = ex.document.text
        w = text.index("talks to resume by March")
        ex.predictions.append(
            model.Prediction(w, w + len("talks to resume by March"), "Analysts", "talks resume", "2026-03", False)
        )
    return ex


def build(path: Path, n: int) -> Store:
    store = Store.open(path)
    have = store.count_documents()
    start = datetime(2025, 11, 1, tzinfo=UTC)
    for i in range(have, n):
        store.save(document(i, start))
    return store


ROUTES = (
    "/api/v1/documents",
    "/api/v1/documents?source=Outlet%2007",
    "/api/v1/documents?offset=5000",
    "/api/v1/facts?kind=places",
    "/api/v1/facts?kind=places&offset=5000",
    "/api/v1/search?q=Lyman",
    "/api/v1/claim-groups",
    "/api/v1/places",
    "/api/v1/predictions",
    "/api/v1/contradictions",
    "/api/v1/sources",
    "/",
    "/documents",
    "/documents?source=Outlet+07&offset=100",
    "/search?q=Lyman",
    "/claims",
    "/map",
    "/map?at=2026-01-15",
    "/plans/28-point",
    "/predictions",
    "/sources",
    "/timeline",
)


def time_routes(store: Store, rounds: int = 5) -> list[tuple[str, float, float]]:
    from fastapi.testclient import TestClient

    from sitroom.web import WebSettings, create_app

    app = create_app(store, settings=WebSettings(warm=True))
    out = []
    with TestClient(app, base_url="http://127.0.0.1") as client:
        began = time.perf_counter()
        app.state.site.analyser.wait()
        print(f"derived views ready after {time.perf_counter() - began:.1f} s", file=sys.stderr)
        for route in ROUTES:
            t0 = time.perf_counter()
            r = client.get(route)
            first = time.perf_counter() - t0
            assert r.status_code == 200, (route, r.status_code, r.text[:200])
            times = []
            for _ in range(rounds):
                t0 = time.perf_counter()
                client.get(route)
                times.append(time.perf_counter() - t0)
            out.append((route, first * 1000, statistics.median(times) * 1000))
    return out


def main(argv: list[str]) -> None:
    path, n = Path(argv[0]), int(argv[1])
    began = time.perf_counter()
    store = build(path, n) if "--time-only" not in argv else Store.open(path)
    print(f"{store.count_documents()} documents ready in {time.perf_counter() - began:.1f} s", file=sys.stderr)
    print("| route | first request ms | then (median of 5) ms |")
    print("|---|---|---|")
    for route, first, then in time_routes(store):
        print(f"| `{route}` | {first:.0f} | {then:.0f} |")
    store.close()


if __name__ == "__main__":
    main(sys.argv[1:])
