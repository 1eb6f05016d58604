"""The HTML pages: every one renders, hostile source text stays text, the reader links facts and
claim groups, and the forms (resolve, ingest) change the store only as asked."""

from __future__ import annotations

import json
import re
from urllib.parse import quote

import httpx
import pytest

from sitroom.ingest import Fetcher
from sitroom.web import WebSettings

from ..story_kit import Doc, day
from .conftest import IMG, JS_URL, PAYLOADS, SCRIPT, csrf_of

PAGES = [
    "/",
    "/?since=2026-03-01",
    "/documents",
    "/documents?source=Harbor+Post&kind=article&since=2026-03-01&until=2026-03-31",
    "/search",
    "/search?q=Lyman",
    "/search?q=Kupiansk&source=&kind=&since=&until=",
    "/claims",
    "/claims?min_sources=1&topic=Lyman",
    "/plans",
    "/places",
    "/places?at=2026-03-02&status=captured",
    "/map",
    "/map?i=1",
    "/timeline",
    "/timeline?since=2026-03-03&until=2026-03-04",
    "/predictions",
    "/predictions?by=budanov&status=open&due_before=2026-12-31",
    "/sources",
    "/ingest",
    "/login",
]


def document_pages(story) -> list[str]:
    return [f"/documents/{d.id}" for d in (story.plain, story.echo, story.hostile, story.transcript)]


def group_pages(client) -> list[str]:
    groups = client.get("/api/v1/claim-groups").json()["items"]
    return [f"/claims/{quote(g['id'], safe='')}" for g in groups]


def plan_pages(client) -> list[str]:
    return [f"/plans/{quote(n, safe='')}" for n in client.get("/api/v1/plans").json()["items"]]


def all_pages(client, story) -> list[str]:
    return PAGES + document_pages(story) + group_pages(client) + plan_pages(client)


def test_every_page_renders(client, story):
    for path in all_pages(client, story):
        r = client.get(path)
        assert r.status_code == 200, path
        assert r.headers["content-type"].startswith("text/html"), path
        assert "</html>" in r.text, path


def test_hostile_text_titles_sources_and_urls_never_reach_a_page_as_markup(client, story):
    for path in all_pages(client, story):
        html = client.get(path).text
        for payload in PAYLOADS:
            assert payload not in html, f"{payload!r} unescaped on {path}"
        for href in re.findall(r'(?:href|src|action)="([^"]*)"', html):
            assert not href.lower().lstrip().startswith(("javascript:", "data:", "vbscript:")), (path, href)


def test_the_hostile_document_shows_its_words_as_text(client, story):
    html = client.get(f"/documents/{story.hostile.id}").text
    assert "Title &lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Evil &#34;&gt;&lt;img src=x onerror=alert(2)&gt; Source" in html
    assert "javascript:alert(3)" in html  # shown as text ...
    assert 'href="javascript:' not in html  # ... never as a link


def test_the_plain_document_links_its_url(client, story):
    html = client.get(f"/documents/{story.plain.id}").text
    assert '<a href="https://example.org/harbor/kupiansk" rel="noopener noreferrer nofollow">' in html


def test_the_reader_highlights_facts_and_links_them_both_ways(client, story):
    html = client.get(f"/documents/{story.plain.id}").text
    place_id = client.get("/api/v1/facts", params={"kind": "places", "document": story.plain.id}).json()["items"][0][
        "id"
    ]
    anchor = f"f-places-{place_id}"
    assert f'href="#{anchor}"' in html and f'id="s-{anchor}"' in html  # text → fact, and back
    assert f'<li id="{anchor}"><a href="#s-{anchor}">Kupiansk: captured by Russia</a>' in html
    for kind in ("attributions", "places", "provisions", "stances", "predictions", "quantities"):
        assert f"hl-{kind}" in html
    group = client.get("/api/v1/claim-groups", params={"min_sources": 2}).json()["items"][0]
    assert f'href="/claims/{quote(group["id"], safe="")}"' in html  # the claim group the fact supports


def test_the_transcript_reader_shows_timestamps(client, story):
    html = client.get(f"/documents/{story.transcript.id}").text
    assert '<span class="ts" id="t-0">0:01</span>' in html
    assert '<span class="ts" id="t-47">12:31</span>' in html
    assert "at 0:01" in html  # the fact list gives the moment of each fact


def test_search_page_marks_hits_and_filters(client, story):
    html = client.get("/search", params={"q": "Kupiansk", "source": "Meridian Wire"}).text
    assert "<mark>Kupiansk</mark>" in html
    assert f"/documents/{story.echo.id}" in html and f"/documents/{story.plain.id}" not in html


def test_documents_page_pages(make_client, story):
    client = make_client(WebSettings(page_size=2))
    html = client.get("/documents").text
    assert "1–2 of 4" in html and "offset=2" in html
    assert "3–4 of 4" in client.get("/documents?offset=2").text


def test_unknown_things_are_404_pages(client):
    for path in ("/documents/nope", "/claims/nope", "/plans/no-such-plan", "/no-such-page"):
        r = client.get(path)
        assert r.status_code == 404 and "<h1>404</h1>" in r.text, path


def test_bad_query_values_are_a_readable_error(client):
    r = client.get("/documents", params={"since": "soon"})
    assert r.status_code == 422 and "since" in r.text


def test_dashboard_keeps_what_is_new_until_the_brief_is_marked_read(client, story):
    first = client.get("/")
    assert "added in the last 7 days" in first.text and "4 document(s)" in first.text
    again = client.get("/")  # a reload shows the same brief: visiting is not reading
    assert "4 document(s)" in again.text and "sitroom_read_upto" not in again.headers.get("set-cookie", "")
    upto = re.search(r'name="upto" value="([^"]+)"', again.text)
    assert upto is not None
    marked = client.post("/brief/read", data={"upto": upto[1], "csrf_token": csrf_of(client)})
    assert marked.status_code == 303 and "sitroom_read_upto=" in marked.headers["set-cookie"]
    after = client.get("/")
    assert "since you marked the brief read" in after.text and "0 document(s)" in after.text
    story.store.save(Doc("Kherson was shelled overnight.", "Night Desk", day(6)).extraction)
    newer = client.get("/")
    assert "1 document(s)" in newer.text and "Night Desk" in newer.text
    assert "4 document(s)" not in newer.text
    week = client.get("/?window=7d")  # the selector: everything stored in the last 7 days again
    assert "5 document(s)" in week.text and 'href="/?window=7d" aria-current="true"' in week.text
    dated = client.get("/?since=2026-03-03")
    assert "published since 2026-03-03" in dated.text and "Meridian Wire" in dated.text
    assert client.get("/?window=yesterday").status_code == 422


def test_marking_read_never_moves_past_now(client):
    marked = client.post("/brief/read", data={"upto": "2999-01-01T00:00:00+00:00", "csrf_token": csrf_of(client)})
    cookie = marked.headers["set-cookie"]
    assert "2999" not in cookie and "sitroom_read_upto=" in cookie


def test_dashboard_shows_due_predictions_and_contradictions_sections(client):
    html = client.get("/").text
    assert "<h2>Due predictions</h2>" in html and "<h2>Contradictions</h2>" in html
    assert "Kyrylo Budanov" in html  # the February deadline has passed


def test_resolving_from_the_ledger(client, story):
    pid = client.get("/api/v1/predictions").json()["items"][0]["id"]
    page = client.get("/predictions").text
    assert f'action="/predictions/{pid}/resolve"' in page and 'name="csrf_token"' in page
    r = client.post(
        f"/predictions/{pid}/resolve",
        data={"outcome": "false", "note": SCRIPT, "evidence": story.echo.id, "csrf_token": csrf_of(client)},
    )
    assert r.status_code == 303 and r.headers["location"] == f"/predictions#p-{pid}"
    saved = story.store.prediction_resolutions()[pid]
    assert saved["outcome"] == "false" and saved["evidence_document_id"] == story.echo.id
    html = client.get("/predictions").text
    assert "resolved: false" in html and SCRIPT not in html and "&lt;script&gt;" in html


def test_resolving_with_a_bad_outcome_or_id_changes_nothing(client, story):
    pid = client.get("/api/v1/predictions").json()["items"][0]["id"]
    csrf = csrf_of(client)
    assert client.post(f"/predictions/{pid}/resolve", data={"outcome": "maybe", "csrf_token": csrf}).status_code == 400
    assert client.post("/predictions/424242/resolve", data={"outcome": "true", "csrf_token": csrf}).status_code == 400
    assert story.store.prediction_resolutions() == {}


def test_ingest_pasted_text(client, story):
    before = story.store.count_documents()
    text = f"Kherson was shelled overnight. {SCRIPT}"
    r = client.post(
        "/ingest/text",
        data={
            "text": text,
            "title": "Desk note",
            "source": "My notes",
            "published": "2026-03-06",
            "kind": "note",
            "csrf_token": csrf_of(client),
        },
    )
    assert r.status_code == 200 and "1 new" in r.text
    assert story.store.count_documents() == before + 1
    doc = story.extractor.seen[-1]
    assert doc.text == text and doc.source == "My notes" and doc.kind == "note" and doc.title == "Desk note"
    assert doc.published is not None and doc.published.date().isoformat() == "2026-03-06"
    assert SCRIPT not in r.text
    again = client.post("/ingest/text", data={"text": text, "csrf_token": csrf_of(client)})
    assert "0 new, 1 unchanged" in again.text and story.store.count_documents() == before + 1


def test_ingest_pasted_text_errors(client, story):
    csrf = csrf_of(client)
    assert client.post("/ingest/text", data={"text": "   ", "csrf_token": csrf}).status_code == 400
    bad_date = client.post("/ingest/text", data={"text": "x y", "published": "soon", "csrf_token": csrf})
    assert bad_date.status_code == 400 and "YYYY-MM-DD" in bad_date.text
    bad_kind = client.post("/ingest/text", data={"text": "x y", "kind": "rumour", "csrf_token": csrf})
    assert bad_kind.status_code == 400
    assert story.extractor.seen == []


def upload(client, name: str, data: bytes, **extra):
    files = {"file": (name, data, "application/octet-stream")}
    if "metadata" in extra:
        files["metadata"] = extra.pop("metadata")
    return client.post("/ingest/file", files=files, data={"csrf_token": csrf_of(client), **extra})


def test_upload_a_text_file(client, story):
    r = upload(client, "2026-03-07-field-notes.md", b"# Field notes\n\nSloviansk is quiet today.\n")
    assert r.status_code == 200 and "1 new" in r.text
    doc = story.extractor.seen[-1]
    assert doc.title == "Field notes" and doc.origin == "upload:2026-03-07-field-notes.md"
    assert doc.published is not None and doc.published.date().isoformat() == "2026-03-07"


def test_upload_a_transcript_with_its_metadata(client, story):
    vtt = (
        b"WEBVTT\n\n00:00:01.000 --> 00:00:04.000\nGood evening from Kyiv.\n\n"
        b"00:12:31.000 --> 00:12:35.000\nMore later.\n"
    )
    meta = (
        "talk.meta.json",
        json.dumps({"source": "Evening Channel", "published": "2026-03-08"}).encode(),
        "application/json",
    )
    r = upload(client, "talk.vtt", vtt, metadata=meta)
    assert r.status_code == 200, r.text
    doc = story.extractor.seen[-1]
    assert doc.source == "Evening Channel" and doc.kind == "transcript" and doc.cues[1].t_start == 751.0


def test_upload_names_are_never_paths(client, story):
    r = upload(client, "../../etc/passwd.txt", b"Harmless words about Izium.")
    assert r.status_code == 200
    assert story.extractor.seen[-1].origin == "upload:passwd.txt"


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("report.pdf", b"%PDF-1.7 ..."),
        ("image.png", b"\x89PNG\r\n\x1a\n...."),
        ("notes", b"no extension"),
        ("sneaky.txt", b"%PDF-1.7 binary pretending to be text \x00\x01"),
        ("zip.html", b"PK\x03\x04...."),
        ("meta.json", b'{"source": "x"}'),
    ],
)
def test_upload_of_a_wrong_type_is_415(client, story, name, data):
    r = upload(client, name, data)
    assert r.status_code == 415, r.text
    assert story.extractor.seen == []


def test_upload_over_the_cap_is_413(make_client, story):
    client = make_client(WebSettings(max_upload_bytes=2000))
    assert upload(client, "big.txt", b"word " * 401).status_code == 413
    assert upload(client, "ok.txt", b"word " * 399).status_code == 200
    assert [d.origin for d in story.extractor.seen] == ["upload:ok.txt"]
    html = client.get("/ingest").text
    assert "2,000 bytes" in html


def test_ingest_a_url_fetches_only_that_url(make_client, story):
    asked: list[str] = []
    feed = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>Wire feed</title>'
        b"<item><title>Short item</title><link>https://elsewhere.example/full-story</link>"
        b"<description>Bakhmut summary.</description><pubDate>Mon, 09 Mar 2026 10:00:00 GMT</pubDate></item>"
        b"</channel></rss>"
    )

    def handler(request: httpx.Request) -> httpx.Response:
        asked.append(str(request.url))
        return httpx.Response(200, content=feed, headers={"content-type": "application/rss+xml"})

    def fetcher(options):
        return Fetcher(options, client=httpx.Client(transport=httpx.MockTransport(handler)))

    client = make_client(fetcher_factory=fetcher)
    r = client.post("/ingest/url", data={"url": "https://wire.example/feed.xml", "csrf_token": csrf_of(client)})
    assert r.status_code == 200, r.text
    assert asked == ["https://wire.example/feed.xml"]  # the linked article was not fetched
    assert story.extractor.seen[-1].source == "Wire feed"


@pytest.mark.parametrize(
    "target", ["/etc/passwd", "file:///etc/passwd", "examples/corpus", "ftp://x.example/a.txt", JS_URL]
)
def test_ingest_url_refuses_anything_but_http(make_client, story, target):
    asked: list[str] = []

    def fetcher(options):
        return Fetcher(options, client=httpx.Client(transport=httpx.MockTransport(lambda r: asked.append(str(r.url)))))

    client = make_client(fetcher_factory=fetcher)
    r = client.post("/ingest/url", data={"url": target, "csrf_token": csrf_of(client)})
    assert r.status_code == 400
    assert asked == [] and story.extractor.seen == []
    assert SCRIPT not in r.text and IMG not in r.text


def test_static_assets_are_served_from_the_package(client):
    css = client.get("/static/sitroom.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    js = client.get("/static/sitroom.js")
    assert js.status_code == 200 and "csrf-token" in js.text
    html = client.get("/").text
    assert 'src="/static/vendor/htmx.min.js"' in html and "https://" not in re.sub(
        r"<a [^>]*>", "", html.split("<main>")[0]
    )
