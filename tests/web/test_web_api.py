"""The JSON API and the exports, through the in-process client, over the story store."""

from __future__ import annotations

import csv
import io
import json
from urllib.parse import quote

import pytest

from .conftest import IMG, SCRIPT, csrf_of


def test_documents_are_paged_newest_first_in_one_envelope(client, story):
    first = client.get("/api/v1/documents", params={"limit": 3}).json()
    assert set(first) == {"items", "total", "limit", "offset", "next", "updating"}
    assert first["updating"] is False
    assert first["total"] == 4 and first["limit"] == 3 and first["offset"] == 0
    assert [d["id"] for d in first["items"]] == [story.transcript.id, story.hostile.id, story.echo.id]
    second = client.get(first["next"]).json()
    assert [d["id"] for d in second["items"]] == [story.plain.id]
    assert second["next"] is None and second["offset"] == 3


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"source": "harbor post"}, ["plain"]),
        ({"kind": "transcript"}, ["transcript"]),
        ({"since": "2026-03-03", "until": "2026-03-04"}, ["hostile", "echo"]),
        ({"until": "2026-03-02"}, ["plain"]),
        ({"source": "", "kind": ""}, ["transcript", "hostile", "echo", "plain"]),  # blank form fields: no filter
    ],
)
def test_document_filters(client, story, params, expected):
    items = client.get("/api/v1/documents", params=params).json()["items"]
    assert [d["id"] for d in items] == [getattr(story, name).id for name in expected]


@pytest.mark.parametrize(
    ("params", "field"),
    [({"limit": 0}, "limit"), ({"limit": 501}, "limit"), ({"offset": -1}, "offset"), ({"since": "yesterday"}, "since")],
)
def test_bad_paging_and_filters_are_one_line_json_errors(client, params, field):
    r = client.get("/api/v1/documents", params=params)
    assert r.status_code == 422
    body = r.json()
    assert body["status"] == 422 and body["error"].startswith(field) and "\n" not in body["error"]


def test_one_document_has_its_text_cues_and_facts(client, story):
    d = client.get(f"/api/v1/documents/{story.transcript.id}").json()
    assert d["text"].startswith("Hello everyone.")
    assert d["cues"][1] == {"start": 47, "end": 64, "t_start": 751.5, "t_end": 760.0}
    place = d["facts"]["places"][0]
    assert place["name"] == "Pokrovsk" and d["text"][place["start"] : place["end"]] == "Pokrovsk"
    assert place["kind"] == "places" and place["document_id"] == story.transcript.id and place["id"] > 0
    assert client.get("/api/v1/documents/nope").json() == {
        "error": "no stored document has the id 'nope'",
        "status": 404,
    }


def test_facts_by_kind_and_document_with_paging(client, story):
    places = client.get("/api/v1/facts", params={"kind": "places"}).json()
    assert places["total"] == 4 and {f["kind"] for f in places["items"]} == {"places"}
    one = client.get("/api/v1/facts", params={"document": story.plain.id}).json()
    assert {f["kind"] for f in one["items"]} == {
        "attributions",
        "places",
        "provisions",
        "stances",
        "predictions",
        "quantities",
    }
    page = client.get("/api/v1/facts", params={"limit": 2, "offset": 1}).json()
    assert len(page["items"]) == 2 and page["total"] == client.get("/api/v1/facts").json()["total"]
    assert client.get("/api/v1/facts", params={"kind": "rumours"}).status_code == 400


def test_search_finds_words_with_filters_and_marks_hits(client, story):
    hits = client.get("/api/v1/search", params={"q": "Kupiansk"}).json()
    assert {h["document_id"] for h in hits["items"]} == {story.plain.id, story.echo.id}
    assert any(seg["hit"] and seg["text"].lower() == "kupiansk" for seg in hits["items"][0]["segments"])
    only = client.get("/api/v1/search", params={"q": "Kupiansk", "source": "Meridian Wire"}).json()
    assert [h["document_id"] for h in only["items"]] == [story.echo.id]
    assert client.get("/api/v1/search", params={"q": "Kupiansk", "until": "2026-03-02"}).json()["total"] == 1
    assert client.get("/api/v1/search", params={"q": '"); DROP TABLE documents; --'}).json()["total"] == 0
    assert client.get("/api/v1/search").status_code == 422  # q is required


def test_claim_groups_join_the_same_claim_from_two_sources(client, story):
    groups = client.get("/api/v1/claim-groups", params={"min_sources": 2}).json()["items"]
    assert len(groups) == 1
    group = groups[0]
    assert set(group["sources"]) == {"Harbor Post", "Meridian Wire"} and group["independent_sources"] == 2
    assert {c["document_id"] for c in group["claims"]} == {story.plain.id, story.echo.id}
    again = client.get(f"/api/v1/claim-groups/{quote(group['id'], safe='')}").json()
    assert again["id"] == group["id"]
    assert client.get("/api/v1/claim-groups/none:0").status_code == 404
    assert client.get("/api/v1/claim-groups", params={"topic": "no such words"}).json()["total"] == 0


def test_places_with_status_filter_and_date(client):
    places = client.get("/api/v1/places").json()["items"]
    by_name = {p["name"]: p for p in places}
    assert by_name["Kupiansk"]["status"] == "captured" and by_name["Kupiansk"]["by"] == "Russia"
    assert "reports" not in by_name["Kupiansk"]
    assert {p["name"] for p in client.get("/api/v1/places", params={"status": "contested"}).json()["items"]} == {
        f"Lyman{SCRIPT}"
    }
    early = client.get("/api/v1/places", params={"at": "2026-03-02", "reports": True}).json()["items"]
    assert [p["name"] for p in early] == ["Kupiansk"] and early[0]["reports"]


def test_plans_list_and_one_plan(client):
    names = client.get("/api/v1/plans").json()["items"]
    assert len(names) == 1  # (how the plan is named is the analyse stage's business)
    plan = client.get(f"/api/v1/plans/{quote(names[0], safe='')}").json()
    assert plan["plan"] == names[0]
    assert plan["current"]["provisions"][0]["topic"] == "army_size"
    assert any(c["actor"] == "Kyiv" and c["stance"] == "oppose" for c in plan["stances"])
    assert client.get("/api/v1/plans/nothing-like-it").status_code == 404


def test_predictions_ledger_filters_and_resolution(client, story):
    items = client.get("/api/v1/predictions").json()["items"]
    assert len(items) == 1 and items[0]["by"] == "Kyrylo Budanov" and items[0]["deadline"] == "2026-02"
    pid = items[0]["id"]
    assert client.get("/api/v1/predictions", params={"by": "budanov"}).json()["total"] == 1
    assert client.get("/api/v1/predictions", params={"by": "nobody"}).json()["total"] == 0
    assert client.get("/api/v1/predictions", params={"due_before": "2026-01-31"}).json()["total"] == 0
    assert client.get("/api/v1/predictions", params={"today": "2026-03-10", "status": "due"}).json()["total"] == 1
    headers = {"X-CSRF-Token": csrf_of(client)}
    r = client.post(
        f"/api/v1/predictions/{pid}/resolve", json={"outcome": "true", "note": "talks resumed"}, headers=headers
    )
    assert r.status_code == 201
    resolved = client.get("/api/v1/predictions", params={"status": "resolved"}).json()["items"]
    assert resolved[0]["outcome"] == "true" and resolved[0]["note"] == "talks resumed"
    assert (
        client.post("/api/v1/predictions/999999/resolve", json={"outcome": "true"}, headers=headers).status_code == 404
    )
    bad = client.post(f"/api/v1/predictions/{pid}/resolve", json={"outcome": "maybe"}, headers=headers)
    assert bad.status_code == 422
    missing = client.post(
        f"/api/v1/predictions/{pid}/resolve", json={"outcome": "true", "evidence": "nope"}, headers=headers
    )
    assert missing.status_code == 400 and "no stored document" in missing.json()["error"]


def test_sources_and_contradictions(client):
    names = {r["name"] for r in client.get("/api/v1/sources", params={"limit": 500}).json()["items"]}
    assert {"Harbor Post", "Meridian Wire"} <= names
    contradictions = client.get("/api/v1/contradictions").json()
    assert set(contradictions) == {"items", "total", "limit", "offset", "next", "updating"}


def test_openapi_lists_every_api_route_with_its_models(client):
    spec = client.get("/openapi.json").json()
    paths = spec["paths"]
    for path in (
        "/api/v1/documents",
        "/api/v1/documents/{document_id}",
        "/api/v1/facts",
        "/api/v1/search",
        "/api/v1/claim-groups",
        "/api/v1/claim-groups/{group_id}",
        "/api/v1/places",
        "/api/v1/plans",
        "/api/v1/plans/{name}",
        "/api/v1/predictions",
        "/api/v1/predictions/{prediction_id}/resolve",
        "/api/v1/sources",
        "/api/v1/contradictions",
        "/api/v1/export/documents.jsonl",
        "/api/v1/export/facts.csv",
        "/api/v1/export/places.geojson",
        "/api/v1/export/brief.md",
        "/api/v1/export/claim-groups.jsonld",
    ):
        assert path in paths, path
    assert not any(p == "/" or p.startswith(("/documents", "/ingest")) for p in paths)  # pages stay out
    schemas = spec["components"]["schemas"]
    assert {"DocumentOut", "DocumentDetail", "FactOut", "ErrorOut", "ResolveIn"} <= set(schemas)
    listed = paths["/api/v1/documents"]["get"]
    assert {p["name"] for p in listed["parameters"]} >= {"limit", "offset", "source", "kind", "since", "until"}
    for code in ("404", "422"):  # errors are documented as they are sent: {"error", "status"}
        assert listed["responses"][code]["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorOut")


def test_export_documents_jsonl(client, story):
    r = client.get("/api/v1/export/documents.jsonl")
    assert r.headers["content-disposition"] == 'attachment; filename="documents.jsonl"'
    rows = [json.loads(line) for line in r.text.splitlines()]
    assert {row["id"] for row in rows} == {story.plain.id, story.echo.id, story.hostile.id, story.transcript.id}
    assert any(SCRIPT in row["text"] for row in rows)  # data, not markup: exported as it is


def test_export_facts_csv_defuses_formulas(client, story):
    r = client.get("/api/v1/export/facts.csv")
    assert r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert len(rows) == client.get("/api/v1/facts").json()["total"]
    assert all(not row["fields"].startswith(("=", "+", "-", "@")) for row in rows)
    place = next(row for row in rows if row["kind"] == "places" and row["document_id"] == story.plain.id)
    assert json.loads(place["fields"])["name"] == "Kupiansk"
    from sitroom.web.exports import csv_cell

    assert csv_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)" and csv_cell("-2") == "'-2" and csv_cell(None) == ""


def test_export_places_geojson(client):
    data = client.get("/api/v1/export/places.geojson").json()
    assert data["type"] == "FeatureCollection"
    names = {f["properties"]["name"] for f in data["features"]}
    assert "Kupiansk" in names
    early = client.get("/api/v1/export/places.geojson", params={"at": "2026-03-02"}).json()
    assert {f["properties"]["name"] for f in early["features"]} == {"Kupiansk"}


def test_export_brief_markdown(client):
    r = client.get("/api/v1/export/brief.md", params={"since": "2026-03-03"})
    assert r.headers["content-type"].startswith("text/markdown")
    assert "Meridian Wire" in r.text and "Harbor Post" not in r.text.split("## Sources")[-1]


def test_export_claim_review_jsonld(client, story):
    data = client.get("/api/v1/export/claim-groups.jsonld", params={"min_sources": 2}).json()
    assert data["@context"] == "https://schema.org"
    review = data["@graph"][0]
    assert review["@type"] == "ClaimReview"
    claim = review["itemReviewed"]
    assert claim["@type"] == "Claim" and review["claimReviewed"] == claim["text"]
    urls = {a.get("url") for a in claim["appearance"]}
    assert urls == {"https://example.org/harbor/kupiansk", "https://example.org/meridian/echo"}
    assert claim["firstAppearance"]["publisher"]["name"] == "Harbor Post"
    assert "2 independent source(s)" in review["reviewRating"]["alternateName"]
    everything = client.get("/api/v1/export/claim-groups.jsonld").json()["@graph"]
    hostile = [a for r in everything for a in r["itemReviewed"]["appearance"] if a["identifier"] == story.hostile.id]
    assert hostile and all("url" not in a for a in hostile)  # a javascript: URL is never offered as a link
    assert any(IMG in a["publisher"]["name"] for a in hostile)  # JSON carries the name as data


def test_unknown_export_is_404(client):
    assert client.get("/api/v1/export/secrets.txt").status_code == 404


def test_claim_groups_follow_new_documents(client, story):
    from ..story_kit import Doc, day

    before = client.get("/api/v1/claim-groups", params={"min_sources": 2}).json()["items"]
    assert before[0]["independent_sources"] == 2
    third = Doc("Russian forces captured Kupiansk on Monday, a spokesman said.", source="Coast Wire", when=day(6))
    story.store.save(third.said("a spokesman", "Russian forces captured Kupiansk on Monday").extraction)
    after = client.get("/api/v1/claim-groups", params={"min_sources": 2}).json()["items"]
    assert after[0]["independent_sources"] == 3 and "Coast Wire" in after[0]["sources"]
