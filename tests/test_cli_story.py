"""The link/analyse CLI commands on a small store of hand-made extractions (no spaCy, no ingest):
claims, contradictions, plan, places, export geojson, predictions [resolve], sources."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sitroom.cli import app
from sitroom.errors import ConfigError, InputError
from sitroom.store import Store

from .story_kit import Doc, day

runner = CliRunner()

HOSTILE_SOURCE = "<script>alert(1)</script> Gazette"
HOSTILE_LINK = "[x](javascript:alert(1))"


def documents() -> list[Doc]:
    bridge = [
        Doc("Engineers reopened the Varnel rail bridge to freight traffic after repairs.", "Harbor Post", day(1)),
        Doc("The Varnel rail bridge reopened to freight traffic, engineers said.", "Coast Wire", day(2)),
        Doc(
            f"Engineers reopened the Varnel rail bridge to freight traffic {HOSTILE_LINK} <script>alert(2)</script>.",
            HOSTILE_SOURCE,
            day(3),
            title="<img src=x onerror=alert(3)>",
        ),
    ]
    ground = [
        Doc("Northern forces captured Kessel, the ministry said.", "Coast Wire", day(4))
        .said("ministry", "Northern forces captured Kessel")
        .place("Kessel", "captured", by="Northern forces"),
        Doc("Residents say street battles continue in Kessel.", "Harbor Post", day(5)).place("Kessel", "contested"),
        Doc("Northern forces captured Orlen overnight.", "Valley Times", day(8)).place(
            "Orlen", "captured", by="Northern forces", lat=47.125, lon=36.5
        ),
        Doc("Shelling hit Brask again.", "Valley Times", day(8)).place("Brask", "contested", lat=None, lon=None),
    ]
    plan_text = (
        "The 12-point plan: (1) Marovia keeps the Tessel valley. (2) The Dravik army is capped at 600,000 troops."
    )
    revised = "Revised draft, as read to us by a mediator. " + plan_text.replace("600,000", "800,000")
    plan = [
        Doc(plan_text, "Harbor Post", day(2))
        .provision("Marovia keeps the Tessel valley.", "territory", "12-point plan", 1)
        .provision("The Dravik army is capped at 600,000 troops.", "army_size", "12-point plan", 2)
        .quantity("600,000 troops", 600000, "troops"),
        Doc(revised, "Coast Wire", day(4))
        .provision("Marovia keeps the Tessel valley.", "territory", "12-point plan", 1)
        .provision("The Dravik army is capped at 800,000 troops.", "army_size", "12-point plan", 2)
        .quantity("800,000 troops", 800000, "troops"),
        Doc("Dravik rejected the 12-point plan.", "Valley Times", day(5)).stance(
            "Dravik rejected the 12-point plan", "Dravik", "12-point plan", "oppose"
        ),
    ]
    forecasts = [
        Doc("General Orsk predicted that Kessel will fall by the end of March 2026.", "Harbor Post", day(2))
        .said("General Orsk", "Kessel will fall by the end of March 2026")
        .predicts("Kessel will fall by the end of March 2026", "General Orsk", "Kessel will fall", "2026-03"),
        Doc(
            "Analyst Vera Lind gives a 35% chance that the Tessel talks resume in 2027.", "Coast Wire", day(3)
        ).predicts("the Tessel talks resume in 2027", "Vera Lind", "the Tessel talks resume", "2027"),
    ]
    return [*bridge, *ground, *plan, *forecasts]


@pytest.fixture(scope="module")
def built_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("story") / "s.db"
    with Store.open(db) as store:
        for doc in documents():
            assert store.save(doc.extraction).status == "new"
    return db


@pytest.fixture()
def db(built_db, tmp_path) -> Path:
    """A private copy: tests that resolve predictions do not change what the others see."""
    copy = tmp_path / "s.db"
    shutil.copy(built_db, copy)
    return copy


def run(db: Path, *args: str):
    return runner.invoke(app, ["--db", str(db), *args], catch_exceptions=False)


def ok(db: Path, *args: str) -> str:
    result = run(db, *args)
    assert result.exit_code == 0, result.output
    return result.stdout


def one_line_error(result) -> str:
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error:")
    assert "Traceback" not in result.output
    return lines[0]


# -- claims ---------------------------------------------------------------------------------------


def bridge_group(groups: list[dict]) -> dict:
    [bridge] = [g for g in groups if "Varnel" in g["text"]]
    return bridge


def test_claims_json_groups_the_bridge_report_across_outlets(built_db):
    groups = json.loads(ok(built_db, "claims", "--format", "json"))
    assert all(g["independent_sources"] >= 2 for g in groups)  # the default --min-sources
    bridge = bridge_group(groups)
    assert groups[0] is bridge  # most independent sources first
    assert bridge["independent_sources"] == 3
    assert bridge["sources"] == ["Harbor Post", "Coast Wire", HOSTILE_SOURCE]
    assert bridge["first"]["source"] == "Harbor Post"
    assert bridge["latest"]["source"] == HOSTILE_SOURCE
    assert bridge["strongest_certainty"] == "asserted"
    assert [c["published"][:10] for c in bridge["claims"]] == ["2026-03-01", "2026-03-02", "2026-03-03"]
    assert all(c["copy_of"] is None for c in bridge["claims"])


def test_claims_filters(built_db):
    default = json.loads(ok(built_db, "claims", "--format", "json"))
    everything = json.loads(ok(built_db, "claims", "--format", "json", "--min-sources", "1"))
    assert len(everything) > len(default)
    assert any(g["independent_sources"] == 1 for g in everything)
    three = json.loads(ok(built_db, "claims", "--format", "json", "--min-sources", "3"))
    assert three and all(g["independent_sources"] >= 3 for g in three)
    assert len(three) <= len(default)  # (the two plan texts differ in a figure: two statements, not one)
    assert bridge_group(three)["id"] == bridge_group(default)["id"]
    assert [g["independent_sources"] for g in everything] == sorted(
        (g["independent_sources"] for g in everything), reverse=True
    )
    assert json.loads(ok(built_db, "claims", "--format", "json", "--topic", "nothing like this")) == []
    varnel = json.loads(ok(built_db, "claims", "--format", "json", "--topic", "VARNEL"))
    assert [g["text"] for g in varnel] == [bridge_group(default)["text"]]
    since = json.loads(ok(built_db, "claims", "--format", "json", "--since", "2026-03-04"))
    assert all(g["latest"]["published"] >= "2026-03-04" for g in since)
    assert not any("Varnel" in g["text"] for g in since)  # its latest report was on the 3rd


def test_claims_markdown(built_db):
    text = ok(built_db, "claims", "--format", "md")
    assert text.startswith("# Claims\n")
    assert "3 independent source(s)" in text
    assert "first reported by Harbor Post on 2026-03-01" in text


def test_claims_written_to_a_file(built_db, tmp_path):
    target = tmp_path / "out" / "claims.json"
    result = run(built_db, "claims", "--format", "json", "-o", str(target))
    assert result.exit_code == 0
    assert result.stdout == ""
    assert json.loads(target.read_text(encoding="utf-8")) == json.loads(ok(built_db, "claims", "--format", "json"))


CLAIMS_ARGS = [
    (),
    ("--json",),
    ("--min-sources", "1"),
    ("--min-sources", "1", "--json", "--topic", "kessel"),
    ("--since", "2026-03-04", "--min-sources", "0"),
    ("--topic", "VARNEL", "--json"),
]


def test_claims_are_the_same_read_from_the_store_as_linked_now(db):
    before = {}
    for args in CLAIMS_ARGS:
        result = run(db, "claims", *args)
        assert result.exit_code == 0
        [note] = result.stderr.splitlines()  # one line: linked now, and how to make it fast
        assert note.startswith("note: no claim groups are stored yet") and "sitroom link" in note
        before[args] = result.stdout
    linked = run(db, "link")
    assert linked.exit_code == 0
    assert re.fullmatch(
        r"\d+ claim groups of \d+ claims from 12 documents \(0 copies\) in [\d.]+ s\n"
        r"analysed: 3 places \(\d+ reports\), \d+ story events, 2 predictions in [\d.]+ s\n",
        linked.stdout,
    )
    assert run(db, "link").stdout == "claim groups: up to date (--force links again)\nanalysis: up to date\n"
    assert run(db, "link", "--force").stdout.startswith(linked.stdout.split(" in ")[0])
    for args in CLAIMS_ARGS:
        result = run(db, "claims", *args)
        assert result.stderr == ""  # read from the store
        assert result.stdout == before[args], args


def test_claims_say_when_the_stored_groups_are_stale(db):
    assert run(db, "link").exit_code == 0
    with Store.open(db) as store:
        store.save(Doc("Shelling hit Brask again overnight, officials said.", "Coast Wire", day(9)).extraction)
    result = run(db, "claims")
    assert result.exit_code == 0
    assert result.stderr.startswith("note: the store changed since the claim groups were stored")


def test_link_on_an_empty_store(tmp_path):
    assert ok(tmp_path / "empty.db", "link").startswith("0 claim groups of 0 claims from 0 documents")
    assert json.loads(ok(tmp_path / "empty.db", "claims", "--json")) == []


def test_unknown_format_is_a_config_error(built_db):
    result = run(built_db, "claims", "--format", "xml")
    assert result.exit_code == ConfigError.exit_code
    assert "xml" in one_line_error(result)


# -- hostile text ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("claims", "--format", "md"),
        ("contradictions", "--format", "md"),
        ("sources", "--format", "md"),
        ("places", "--format", "md"),
    ],
)
def test_markdown_escapes_hostile_source_text(built_db, args):
    text = ok(built_db, *args)
    assert re.search(r"(?<!\\)<", text) is None  # every < escaped: no HTML
    assert re.search(r"(?<!\\)\]\(", text) is None  # no live Markdown link
    assert "[x]" not in text


def test_claims_markdown_keeps_hostile_text_visible_but_inert(built_db):
    text = ok(built_db, "claims", "--format", "md")
    assert r"\<script\>alert(1)\</script\> Gazette" in text
    assert r"\[x\](javascript:alert(1))" in text


def test_json_keeps_the_text_verbatim(built_db):
    bridge = bridge_group(json.loads(ok(built_db, "claims", "--format", "json")))
    hostile = next(c for c in bridge["claims"] if c["source"] == HOSTILE_SOURCE)
    assert HOSTILE_LINK in hostile["text"]


# -- contradictions -------------------------------------------------------------------------------


def test_contradictions_json_and_markdown(built_db):
    items = json.loads(ok(built_db, "contradictions", "--format", "json"))
    by_kind = {x["kind"]: x for x in items}
    assert set(by_kind) == {"control", "number"}
    control = by_kind["control"]
    assert control["subject"] == "control of Kessel"
    assert [e["voice"] for e in control["a"]] == ["ministry"]
    assert [e["voice"] for e in control["b"]] == ["Harbor Post"]
    assert {e["value"] for e in by_kind["number"]["a"] + by_kind["number"]["b"]} == {
        "600,000 troops",
        "800,000 troops",
    }
    text = ok(built_db, "contradictions")
    assert "## control: control of Kessel" in text
    assert json.loads(ok(built_db, "contradictions", "--format", "json", "--since", "2026-03-06")) == []


# -- plan -----------------------------------------------------------------------------------------


def test_plan_lists_plans_then_shows_one(built_db):
    assert ok(built_db, "plan") == "- 12-point plan\n"
    assert json.loads(ok(built_db, "plan", "--format", "json")) == ["12-point plan"]
    view = json.loads(ok(built_db, "plan", "12-point", "--format", "json"))
    assert view["plan"] == "12-point plan"
    assert view["current"]["source"] == "Coast Wire"
    assert [(c["kind"], c["topic"]) for c in view["changes"]] == [("changed", "army_size")]
    assert [(s["actor"], s["stance"]) for s in view["stances"]] == [("Dravik", "oppose")]
    text = ok(built_db, "plan", "12-point")
    assert text.startswith("# 12-point plan\n") and "## What changed" in text
    earlier = json.loads(ok(built_db, "plan", "12-point", "--format", "json", "--at", "2026-03-02"))
    assert len(earlier["versions"]) == 1 and earlier["changes"] == [] and earlier["stances"] == []


def test_plan_unknown_name_is_a_one_line_config_error(built_db):
    result = run(built_db, "plan", "99-point")
    assert result.exit_code == ConfigError.exit_code
    assert "99-point" in one_line_error(result)
    assert result.stdout == ""


def test_bad_date_is_a_one_line_config_error(built_db):
    result = run(built_db, "plan", "12-point", "--at", "next tuesday")
    assert result.exit_code == ConfigError.exit_code
    assert "next tuesday" in one_line_error(result)


# -- places and GeoJSON ---------------------------------------------------------------------------


def test_places_now_and_at_a_date(built_db):
    now = {p["name"]: p for p in json.loads(ok(built_db, "places"))}
    assert set(now) == {"Kessel", "Orlen", "Brask"}
    assert now["Kessel"]["status"] == "contested" and now["Kessel"]["disputed"]
    assert now["Kessel"]["rival"] == {"captured": ["ministry"]}
    assert now["Orlen"]["status"] == "captured" and now["Orlen"]["by"] == "Northern forces"
    at_4 = {p["name"]: p for p in json.loads(ok(built_db, "places", "--at", "2026-03-04"))}
    assert set(at_4) == {"Kessel"}  # --at includes the whole of the 4th, nothing later
    assert at_4["Kessel"]["status"] == "captured" and not at_4["Kessel"]["disputed"]
    text = ok(built_db, "places", "--format", "md")
    assert text.startswith("# The ground\n") and "| Kessel | contested |" in text


def test_export_geojson_writes_valid_geojson(built_db, tmp_path):
    target = tmp_path / "map" / "places.geojson"
    result = run(built_db, "export", "geojson", "-o", str(target))
    assert result.exit_code == 0, result.output
    data = json.loads(target.read_text(encoding="utf-8"))
    assert data["type"] == "FeatureCollection"
    features = {f["id"]: f for f in data["features"]}
    assert set(features) == {"Kessel", "Orlen"}  # Brask has no coordinates
    assert features["Orlen"]["geometry"] == {"type": "Point", "coordinates": [36.5, 47.125]}
    assert features["Kessel"]["properties"]["status"] == "contested"
    early = tmp_path / "early.geojson"
    assert run(built_db, "export", "geojson", "-o", str(early), "--at", "2026-03-04").exit_code == 0
    assert [f["id"] for f in json.loads(early.read_text(encoding="utf-8"))["features"]] == ["Kessel"]


def test_export_geojson_needs_an_output(built_db):
    assert run(built_db, "export", "geojson").exit_code != 0


# -- predictions ----------------------------------------------------------------------------------


def ledger(db: Path, *args: str) -> dict[str, dict]:
    return {e["what"]: e for e in json.loads(ok(db, "predictions", "--format", "json", *args))}


def test_predictions_ledger_json(built_db):
    entries = ledger(built_db, "--today", "2026-04-02")
    kessel, talks = entries["Kessel will fall"], entries["the Tessel talks resume"]
    assert kessel["status"] == "due" and kessel["by"] == "General Orsk" and kessel["probability"] == 0.85
    assert talks["status"] == "open" and talks["probability"] == 0.35 and talks["probability_from"] == "stated"
    assert set(ledger(built_db, "--by", "lind")) == {"the Tessel talks resume"}
    assert set(ledger(built_db, "--due-before", "2026-12-31")) == {"Kessel will fall"}
    text = ok(built_db, "predictions", "--today", "2026-03-10")
    assert text.startswith("# Predictions\n") and "General Orsk" in text and "| open |" in text


def test_resolve_a_prediction_then_the_ledger_shows_it(db):
    kessel = ledger(db)["Kessel will fall"]
    result = run(db, "predictions", "resolve", str(kessel["id"]), "true", "--note", "fell on the 28th")
    assert result.exit_code == 0, result.output
    assert f"prediction {kessel['id']} resolved: true" in result.stderr
    after = ledger(db)["Kessel will fall"]
    assert (after["status"], after["outcome"], after["note"]) == ("resolved", "true", "fell on the 28th")
    # the latest verdict counts
    assert run(db, "predictions", "resolve", str(kessel["id"]), "void").exit_code == 0
    assert ledger(db)["Kessel will fall"]["outcome"] == "void"
    assert "resolved: void" in ok(db, "predictions")


def test_resolve_with_evidence_document(db):
    kessel = ledger(db)["Kessel will fall"]
    with Store.open(db) as store:
        evidence = next(d.id for d in store.documents() if d.source == "Coast Wire")
    assert run(db, "predictions", "resolve", str(kessel["id"]), "false", "--evidence", evidence).exit_code == 0
    result = run(db, "predictions", "resolve", str(kessel["id"]), "false", "--evidence", "0" * 20)
    assert result.exit_code == InputError.exit_code
    assert "no stored document" in one_line_error(result)


def test_resolve_with_a_bad_id_or_outcome_fails_clearly(db):
    kessel = ledger(db)["Kessel will fall"]
    bad_id = run(db, "predictions", "resolve", "99999", "true")
    assert bad_id.exit_code == InputError.exit_code
    assert "99999" in one_line_error(bad_id) and "no stored prediction" in bad_id.stderr
    bad_outcome = run(db, "predictions", "resolve", str(kessel["id"]), "maybe")
    assert bad_outcome.exit_code == InputError.exit_code
    assert "maybe" in one_line_error(bad_outcome)
    not_a_number = run(db, "predictions", "resolve", "first", "true")
    assert not_a_number.exit_code != 0
    assert ledger(db)["Kessel will fall"]["status"] != "resolved"  # nothing was recorded


# -- sources --------------------------------------------------------------------------------------


def test_sources_json(db):
    kessel = ledger(db)["Kessel will fall"]
    assert run(db, "predictions", "resolve", str(kessel["id"]), "true").exit_code == 0
    rows = json.loads(ok(db, "sources", "--format", "json"))
    kinds = [r["kind"] for r in rows]
    assert kinds == sorted(kinds, key=lambda k: k != "source")
    by = {(r["kind"], r["name"]): r for r in rows}
    harbor = by[("source", "Harbor Post")]
    assert harbor["first_reports"] >= 1
    assert harbor["contradictions"] >= 1
    assert (harbor["predictions"], harbor["resolved"], harbor["right"]) == (1, 1, 1)
    assert harbor["brier"] == round((0.85 - 1) ** 2, 3)
    assert by[("speaker", "General Orsk")]["right"] == 1
    assert by[("source", HOSTILE_SOURCE)]["claims"] == 1
    text = ok(db, "sources")
    assert text.startswith("# Sources and speakers\n")


def test_commands_on_an_empty_store(tmp_path):
    empty = tmp_path / "empty.db"
    assert json.loads(ok(empty, "claims", "--format", "json")) == []
    assert json.loads(ok(empty, "contradictions", "--format", "json")) == []
    assert json.loads(ok(empty, "places")) == []
    assert json.loads(ok(empty, "predictions", "--format", "json")) == []
    assert json.loads(ok(empty, "sources", "--format", "json")) == []
    assert ok(empty, "plan") == ""


def test_json_and_md_flags_are_short_forms_of_format(built_db):
    assert json.loads(ok(built_db, "claims", "--json")) == json.loads(ok(built_db, "claims", "--format", "json"))
    assert ok(built_db, "sources", "--md").startswith("# Sources and speakers")
    assert ok(built_db, "places", "--md").startswith("# The ground")
    result = run(built_db, "plan", "--json", "--md")
    assert result.exit_code == 2
    one_line_error(result)
