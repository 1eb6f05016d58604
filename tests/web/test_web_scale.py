"""What lets the app scale: lists paged by the database (``store.pages``), claim groups read from
the store, corpus views computed once per store state in the background (``web.analysis``) and
served, marked "updating", while the next state is analysed."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from sitroom import model
from sitroom.link import persist
from sitroom.store import Store
from sitroom.store import pages as store_pages
from sitroom.web import WebSettings, create_app
from sitroom.web.analysis import analyse

from ..story_kit import Doc, day
from .conftest import BASE, StubExtractor, csrf_of
from .synthetic import build


@pytest.fixture()
def many(tmp_path: Path):
    store = build(tmp_path / "many.db", 120)  # 40 outlets over 120 days: paging across every boundary
    yield store
    store.close()


def test_documents_page_orders_filters_and_pages_in_sql(many):
    everything = store_pages.documents_page(many, store_pages.DocumentQuery(limit=None))
    assert len(everything) == 120
    stamps = [d.published for d in everything]
    assert stamps == sorted(stamps, reverse=True)  # newest first
    pages = [store_pages.documents_page(many, store_pages.DocumentQuery(limit=50, offset=o)) for o in (0, 50, 100)]
    assert [d.id for p in pages for d in p] == [d.id for d in everything]
    outlet = store_pages.DocumentQuery(source="outlet 07", limit=None)  # case-insensitive
    found = store_pages.documents_page(many, outlet)
    assert {d.source for d in found} == {"Outlet 07"} and len(found) == 3
    assert store_pages.count_documents(many, outlet) == 3
    assert store_pages.count_documents(many, store_pages.DocumentQuery()) == 120
    assert store_pages.count_documents(many, store_pages.DocumentQuery(), cap=100) is None
    start, end = everything[80].published, everything[20].published
    window = store_pages.documents_page(many, store_pages.DocumentQuery(since=start, until=end, limit=None))
    assert [d.id for d in window] == [d.id for d in everything[20:81]]
    hostile = store_pages.DocumentQuery(source="x' OR '1'='1", limit=None)
    assert store_pages.documents_page(many, hostile) == []


def test_facts_page_walks_every_kind_in_turn(many):
    counts = store_pages.count_facts(many)
    assert counts["attributions"] == 120 and counts["places"] == 120 and counts["stances"] == 12
    whole = store_pages.facts_page(many, limit=10_000)
    assert len(whole) == sum(counts.values())
    assert [k for k, _ in whole] == sorted((k for k, _ in whole), key=list(model.FACT_KINDS).index)
    across = store_pages.facts_page(many, limit=7, offset=117)  # the last attributions, then places
    assert [(k, f.id) for k, f in across] == [(k, f.id) for k, f in whole[117:124]]
    assert {k for k, _ in across} == {"attributions", "places"}
    one = everything_first = store_pages.documents_page(many, store_pages.DocumentQuery(limit=1))[0]
    mine = store_pages.facts_page(many, document_id=one.id, limit=100)
    assert mine and {f.document_id for _, f in mine} == {everything_first.id}


def test_the_brief_window_keeps_the_newest(many):
    n, cutoff = store_pages.newest_cutoff(many, "ingested_at", None, 200)
    assert (n, cutoff) == (120, None)
    n, cutoff = store_pages.newest_cutoff(many, "ingested_at", None, 30)
    assert n == 120 and cutoff is not None
    assert len(many.documents(ingested_after=cutoff)) == 30


def one_group_store(path: Path, denied: int) -> Store:
    """Six outlets report one claim (outlet ``denied`` denies it), linked into one stored group."""
    store = Store.open(path)
    claim = "Russian forces captured Kupiansk on Monday"
    for i in range(6):
        certainty = "denied" if i == denied else "asserted"
        store.save(
            Doc(f"{claim}, outlet {i} said.", f"Outlet {i}", day(2 + i)).said(f"voice {i}", claim, certainty).extraction
        )
    persist.refresh(store)
    return store


def test_group_lists_carry_the_first_claims_and_every_denial(tmp_path: Path):
    store = one_group_store(tmp_path / "g.db", denied=5)
    group = store.claim_groups()[0]
    assert group.claims == 6
    assert group.denials == 1
    members = store_pages.group_members(store, [group.id], first=2, denied={group.id})[group.id]
    assert [m.certainty for m in members] == ["asserted", "asserted", "denied"]
    assert len(store_pages.group_members(store, [group.id], first=2)[group.id]) == 2
    assert [m.claim_id for m in members[:2]] == [m.claim_id for m in group.members[:2]]
    later = store_pages.group_members(store, [group.id], first=2, denied={group.id}, offset=2)[group.id]
    assert [m.claim_id for m in later] == [m.claim_id for m in (group.members[2], group.members[3], group.members[5])]
    store.close()


def test_one_group_is_read_a_page_of_claims_at_a_time_with_every_denial(tmp_path: Path):
    store = one_group_store(tmp_path / "g.db", denied=0)
    group_id = store.claim_groups()[0].id
    app = create_app(store, settings=WebSettings(warm=False))
    try:
        with TestClient(app, base_url=BASE) as client:
            every = client.get(f"/api/v1/claim-groups/{quote(group_id)}").json()
            assert every["claims_total"] == 6 and len(every["claims"]) == 6
            page = client.get(f"/api/v1/claim-groups/{quote(group_id)}?limit=2&offset=3").json()
            assert [c["source"] for c in page["claims"]] == ["Outlet 0", "Outlet 3", "Outlet 4"]  # + the denial
            assert page["denied_by"] == ["voice 0"] and page["claims_offset"] == 3
            assert client.get(f"/api/v1/claim-groups/{quote(group_id)}?limit=0").status_code == 422
            html = client.get(f"/claims/{quote(group_id, safe='')}?offset=2").text
            assert "<td>Outlet 2</td>" in html and "<td>Outlet 1</td>" not in html  # from the 3rd claim on
    finally:
        store.close()


def test_claim_groups_have_the_same_ids_on_every_page_and_are_not_relinked(client, story):
    listed = client.get("/api/v1/claim-groups").json()
    site = client.app.state.site  # type: ignore[attr-defined]
    runs = site.analyser.runs
    assert persist.stale_reason(story.store.link_state()) is None  # the analysis stored them
    ids = {g["id"] for g in listed["items"]}
    joined = next(g for g in listed["items"] if g["independent_sources"] == 2)
    assert joined["claims_total"] == 2
    link = f"/claims/{quote(joined['id'], safe='')}"
    assert f'href="{link}"' in client.get("/claims").text
    assert link in client.get(f"/documents/{story.plain.id}").text
    assert client.get(f"/api/v1/claim-groups/{joined['id']}").json()["id"] == joined["id"]
    assert ids == {g.id for g in story.store.claim_groups()}
    assert site.analyser.runs == runs  # reading them analysed nothing again


def test_views_are_served_marked_updating_while_the_next_state_is_analysed(story):
    gate = threading.Event()

    def slow(store: Store):
        gate.wait()
        return analyse(store)

    app = create_app(story.store, settings=WebSettings(analysis_wait=0), extractor_factory=StubExtractor)
    with TestClient(app, base_url=BASE) as client:
        site = app.state.site
        site.analyser.wait()
        before = client.get("/api/v1/places").json()
        assert before["updating"] is False and "Kherson" not in {p["name"] for p in before["items"]}
        site.analyser._compute = slow
        story.store.save(Doc("Russian forces captured Kherson.", "Night Desk", day(6)).place("Kherson").extraction)
        during = client.get("/api/v1/places").json()
        assert during["updating"] is True and "Kherson" not in {p["name"] for p in during["items"]}
        page = client.get("/places").text
        assert 'class="updating"' in page and "being brought up to date" in page
        gate.set()
        site.analyser.wait()
        after = client.get("/api/v1/places").json()
        assert after["updating"] is False and "Kherson" in {p["name"] for p in after["items"]}
        assert 'class="updating"' not in client.get("/places").text


def test_the_first_analysis_still_running_is_a_503_not_a_wait(tmp_path: Path):
    store = Store.open(tmp_path / "s.db")
    store.save(Doc("Russian forces captured Kherson.", "Night Desk", day(6)).place("Kherson").extraction)
    gate = threading.Event()
    app = create_app(store, settings=WebSettings(analysis_wait=0, warm=False))
    site = app.state.site
    site.analyser._compute = lambda s: (gate.wait(), analyse(s))[1]
    with TestClient(app, base_url=BASE) as client:
        r = client.get("/api/v1/places")
        assert r.status_code == 503 and "analysing the store" in r.json()["error"]
        assert client.get("/api/v1/documents").status_code == 200  # lists do not need the analysis
        gate.set()
        site.analyser.wait()
        assert client.get("/api/v1/places").json()["items"][0]["name"] == "Kherson"
    store.close()


def test_an_ingest_starts_the_analysis_of_the_new_state(client, story):
    site = client.app.state.site  # type: ignore[attr-defined]
    client.get("/places")
    site.analyser.wait()
    runs = site.analyser.runs
    r = client.post(
        "/api/v1/documents", json={"text": "Kherson was shelled."}, headers={"X-CSRF-Token": csrf_of(client)}
    )
    assert r.status_code == 201
    site.analyser.wait()
    assert site.analyser.runs == runs + 1
    assert site.analyser.wait().generation == story.store.generation()


def test_ingest_api_stores_a_text_once_and_reports_what_it_did(client, story):
    headers = {"X-CSRF-Token": csrf_of(client)}
    body = {
        "text": "Kherson was shelled overnight.",
        "title": "Night",
        "source": "Night Desk",
        "published": "2026-03-06",
    }
    first = client.post("/api/v1/documents", json=body, headers=headers)
    assert first.status_code == 201, first.text
    out = first.json()
    assert out["new"] == 1 and len(out["document_ids"]) == 1 and out["failed"] == []
    stored = story.store.document_info(out["document_ids"][0])
    assert stored is not None and stored.source == "Night Desk" and stored.title == "Night"
    assert stored.published == datetime(2026, 3, 6, tzinfo=UTC)
    again = client.post("/api/v1/documents", json=body, headers=headers)
    assert again.status_code == 200 and again.json()["unchanged"] == 1
    for bad, status in (
        ({}, 400),
        ({"text": "a", "url": "https://example.org/"}, 400),
        ({"text": "   "}, 400),
        ({"url": "file:///etc/passwd"}, 400),
        ({"text": "a", "kind": "rumour"}, 422),
        ({"text": "a", "extra": 1}, 422),
    ):
        r = client.post("/api/v1/documents", json=bad, headers=headers)
        assert r.status_code == status, (bad, r.text)
        assert set(r.json()) == {"error", "status"} and "\n" not in r.json()["error"]


def test_htmx_gets_fragments_and_the_same_address_without_it_a_page(client, story):
    hx = {"HX-Request": "true", "HX-Target": "results"}
    fragment = client.get("/search?q=Kupiansk", headers=hx).text
    assert "<html" not in fragment and "Kupiansk falls" in fragment and '<ol class="hits">' in fragment
    page = client.get("/search?q=Kupiansk").text
    assert page.startswith("<!DOCTYPE html>") and 'hx-target="#results"' in page
    docs = client.get("/documents?source=Meridian+Wire", headers=hx).text
    assert "<html" not in docs and "Echo report" in docs and "Kupiansk falls" not in docs
    frame = client.get("/map?i=0", headers={"HX-Request": "true", "HX-Target": "map-frame"}).text
    assert "<html" not in frame and "As reported up to" in frame


def test_resolving_with_htmx_answers_the_updated_row(client, story):
    pid = client.get("/api/v1/predictions").json()["items"][0]["id"]
    r = client.post(
        f"/predictions/{pid}/resolve",
        data={"outcome": "true", "note": "talks resumed", "csrf_token": csrf_of(client)},
        headers={"HX-Request": "true"},
    )
    assert r.status_code == 200 and r.text.lstrip().startswith(f'<tr id="p-{pid}" class="status-resolved">')
    assert "resolved: true" in r.text and "talks resumed" in r.text


def test_the_plan_page_shows_versions_variants_and_the_stance_matrix_with_evidence(tmp_path: Path):
    store = Store.open(tmp_path / "plan.db")
    text_a = "Under the 28-point plan Ukraine's army would be capped at 600,000. Kyiv rejects the 28-point plan."
    text_b = "The 28-point plan caps Ukraine's army at 800,000, officials said."
    a = (
        Doc(text_a, "Harbor Post", day(2), title="Plan A")
        .provision("Ukraine's army would be capped at 600,000", "army_size", plan="28-point plan", number=6)
        .stance("Kyiv rejects the 28-point plan", "Kyiv", "28-point plan", "oppose")
        .quantity("600,000", 600000, None, about="army")
    )
    b = (
        Doc(text_b, "Meridian Wire", day(2, 15), title="Plan B")
        .provision("caps Ukraine's army at 800,000", "army_size", plan="28-point plan", number=6)
        .quantity("800,000", 800000, None, about="army")
    )
    for d in (a, b):
        store.save(d.extraction)
    app = create_app(store, settings=WebSettings(analysis_wait=120))
    with TestClient(app, base_url=BASE) as client:
        html = client.get("/plans/28-point").text
        api = client.get("/api/v1/plans/28-point").json()
    assert '<h2 id="known">The plan as known</h2>' in html and '<h2 id="versions">Provisions × versions</h2>' in html
    assert '<h2 id="variants">Variants</h2>' in html and '<h2 id="stances">Stance matrix</h2>' in html
    assert [v["topic"] for v in api["variants"]] == ["army_size"]  # sources differ on the cap, same day
    variants = html[html.index('<h2 id="variants">') : html.index('<h2 id="stances">')]
    assert "600,000" in variants and "800,000" in variants and "Harbor Post" in variants and "Meridian Wire" in variants
    assert "sources differ: see Variants" in html
    stance = api["stances"][0]
    assert stance["actor"] == "Kyiv" and stance["stance"] == "oppose"
    row = html[html.index("<th>Kyiv</th>") :]
    assert 'class="stance-oppose">oppose' in row and "Kyiv rejects the 28-point plan" in row
    assert f'href="/documents/{a.extraction.document.id}"' in row and "Harbor Post, 2026-03-02" in row
    store.close()


def test_the_timeline_pages_by_days(tmp_path: Path):
    store = build(tmp_path / "t.db", 400)
    app = create_app(store, settings=WebSettings(analysis_wait=120))
    with TestClient(app, base_url=BASE) as client:
        html = client.get("/timeline").text
        assert "earlier days →" in html
        earlier = html.split('<p class="pager"><a href="')[1].split('"')[0].replace("&amp;", "&")
        assert "until=" in earlier and client.get(earlier).status_code == 200
    store.close()


def test_settings_refuse_a_negative_wait():
    from sitroom.errors import ConfigError

    with pytest.raises(ConfigError):
        replace(WebSettings(), analysis_wait=-1)


def test_long_lists_on_pages_stay_bounded(tmp_path: Path):
    store = build(tmp_path / "long.db", 800)  # 32 predictions due, 80 accounts of one plan, 20 stances an actor
    app = create_app(store, settings=WebSettings(analysis_wait=120, page_size=10))
    with TestClient(app, base_url=BASE) as client:
        dashboard = client.get("/?window=7d").text
        due = dashboard[dashboard.index("<h2>Due predictions</h2>") : dashboard.index("<h2>Contradictions</h2>")]
        assert due.count("<li>") == 10 and 'href="/predictions?status=due">All 32 due predictions' in due
        ledger = client.get("/predictions").text
        assert ledger.count('class="resolve"') == 10 and "1–10 of 32" in ledger
        last = client.get("/predictions?offset=30").text
        assert last.count('class="resolve"') == 2 and "next →" not in last
        plan = client.get("/plans/28-point").text
        columns = plan[
            plan.index('<table class="matrix versions">') : plan.index("</thead>", plan.index("matrix versions"))
        ]
        assert columns.count("<th>") == 3  # the provision column, the first account and the latest
        assert "80 accounts report this plan" in plan
        kyiv = plan[plan.index("<th>Kyiv</th>") :]
        assert "<summary>20 report(s)</summary>" in kyiv and "the latest 10:" in kyiv
    store.close()


def test_settle_heap_collects_the_old_cycles_and_freezes_what_lives() -> None:
    import gc
    import weakref

    from sitroom.web.analysis import settle_heap

    class Node:
        me: object = None

    old = Node()
    old.me = old  # a cycle: only the cyclic collector frees it
    gone = weakref.ref(old)
    alive = Node()
    alive.me = alive
    gc.freeze()  # as a previous analysis left it
    del old
    try:
        settle_heap()
        assert gone() is None  # unfrozen and collected
        assert gc.get_freeze_count() > 0  # what is still alive is frozen again
        assert alive.me is alive
    finally:
        gc.unfreeze()


def test_a_large_analysis_is_frozen_out_of_the_collectors_sight(tmp_path: Path) -> None:
    import gc

    store = build(tmp_path / "small.db", 30)
    app = create_app(store, settings=WebSettings(settle_heap_from=10))
    try:
        with TestClient(app, base_url=BASE) as client:
            analysed = client.app.state.site.analyser.wait()  # type: ignore[attr-defined]
            assert analysed is not None and gc.get_freeze_count() > len(analysed.corpus.documents)
            assert client.get("/places").status_code == 200
    finally:
        gc.unfreeze()
        store.close()
