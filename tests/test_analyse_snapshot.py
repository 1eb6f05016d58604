"""The stored analysis snapshot: written by ``sitroom link``, read by ``brief``, ``places`` and
``export geojson`` while fresh, and giving what the corpus computed now gives."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import inspect
from typer.testing import CliRunner

from sitroom.analyse import ground, snapshot
from sitroom.cli import app
from sitroom.link import Corpus
from sitroom.present.brief import build_brief, render_markdown
from sitroom.store import Store, schema
from sitroom.store.migrations import MIGRATIONS

from .story_kit import Doc, day
from .test_cli_story import documents
from .test_store import database_with_steps, raw_engine, target  # noqa: F401 (fixture)

runner = CliRunner()
NOW = day(28, 12)  # General Orsk's March deadline falls due within a week
WINDOWS: list[datetime | None] = [None, day(2), day(3), day(4), day(5), day(8)]


@pytest.fixture
def analysed(target: str):  # noqa: F811
    with Store.open(target) as store:
        for doc in documents():
            store.save(doc.extraction)
        linked, stats = snapshot.link_and_analyse(store)
        assert linked.groups > 0 and stats.places == 3 and stats.events > 0
        yield store


def both_briefs(store: Store, since: datetime | None) -> tuple[str, str]:
    stored = build_brief(store, since=since, now=NOW)
    assert stored.stale is None
    live = build_brief(store, since=since, now=NOW, corpus=Corpus.load(store))
    return render_markdown(stored), render_markdown(live)


def test_brief_from_the_snapshot_is_the_brief_from_the_corpus(analysed: Store) -> None:
    seen = set()
    for since in WINDOWS:
        stored, live = both_briefs(analysed, since)
        assert stored == live, since
        seen.update(
            h
            for h in ("Now confirmed", "Contradicted", "Plan changed", "Town status changed", "Predictions due")
            if f"### {h}" in stored
        )
    # every kind of line was compared at least once (the comparison is not of empty sections)
    assert seen == {"Now confirmed", "Contradicted", "Plan changed", "Town status changed", "Predictions due"}


def test_a_resolved_prediction_leaves_the_due_list_without_a_new_snapshot(analysed: Store) -> None:
    due = analysed.analysis_predictions_due(None, NOW.date().replace(day=31))
    orsk = next(d for d in due if d["by"] == "General Orsk")
    assert "General Orsk" in render_markdown(build_brief(analysed, since=day(2), now=NOW)).split("## The plan")[0]
    analysed.resolve_prediction(orsk["id"], "true")
    assert snapshot.stale_reason(analysed) is None  # a verdict is not a change of the corpus
    stored, live = both_briefs(analysed, day(2))
    assert stored == live
    assert "Predictions due" not in stored


def test_places_from_the_snapshot_are_the_places_computed(analysed: Store) -> None:
    computed = ground.places(Corpus.load(analysed, claims=False))
    assert [s.to_dict() for s in snapshot.stored_places(analysed, None)] == [s.to_dict() for s in computed]
    latest = {s.name: s for s in snapshot.stored_places(analysed, 1)}
    kessel = next(s for s in computed if s.name == "Kessel")
    assert kessel.reports_total == 2
    assert latest["Kessel"].reports_total == 2 and latest["Kessel"].reports == kessel.reports[-1:]
    assert latest["Kessel"].to_dict() == kessel.latest_reports(1).to_dict()


def test_a_save_makes_the_snapshot_stale_and_the_brief_computes_it(analysed: Store) -> None:
    analysed.save(
        Doc("Southern units retook Orlen.", "Coast Wire", day(9))
        .place("Orlen", "captured", by="Southern units")
        .extraction
    )
    assert "changed" in (snapshot.stale_reason(analysed) or "")
    brief = build_brief(analysed, since=day(8), now=NOW)
    assert brief.stale is not None
    assert render_markdown(brief) == render_markdown(
        build_brief(analysed, since=day(8), now=NOW, corpus=Corpus.load(analysed))
    )


def test_other_code_makes_the_snapshot_stale(analysed: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(snapshot, "code_fingerprint", lambda: "another-version")
    assert "another version" in (snapshot.stale_reason(analysed) or "")


def test_stored_groups_touching_new_documents(analysed: Store) -> None:
    new = {d.id for d in analysed.documents(since=day(3))}
    touching = analysed.claim_groups_touching(new, 2)
    assert touching, "the bridge report is confirmed by a new document"
    for group, member in touching:
        assert len(group.sources) >= 2 and member.document_id in new
    assert snapshot.StoredMoves(analysed).confirmed(new) == snapshot.CorpusMoves(Corpus.load(analysed)).confirmed(new)


def test_documents_by_id_and_extractions_of_some_ids_in_publication_order(analysed: Store) -> None:
    every = [d.id for d in analysed.documents()]
    some = [every[5], every[1], every[3], "not-an-id"]
    assert [x.document.id for x, _ in analysed.iter_extractions(some)] == [every[1], every[3], every[5]]
    found = analysed.documents_by_id(some)
    assert set(found) == {every[1], every[3], every[5]}
    assert found[every[1]].text == analysed.get_document(every[1]).text  # type: ignore[union-attr]


@pytest.mark.sqlite_only("builds an old database file")
def test_migration_0008_on_a_store_at_0007(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    database_with_steps(path, MIGRATIONS[:7])
    with raw_engine(path) as (engine, _), engine.begin() as conn:  # step 1 makes today's tables: drop the new
        for table in reversed(schema.ANALYSIS_TABLES):
            table.drop(conn)
    with Store.open(path) as s:
        assert s.applied_migrations() == [m.name for m in MIGRATIONS]
        with s.read() as conn:
            assert {t.name for t in schema.ANALYSIS_TABLES} <= set(inspect(conn).get_table_names())
        assert s.analysis_state() is None
        assert snapshot.stale_reason(s) is not None


# -- through the CLI ------------------------------------------------------------------------------------


def cli(db: Path, *args: str):
    return runner.invoke(app, ["--db", str(db), *args], catch_exceptions=False)


@pytest.mark.sqlite_only("copies a database file")
def test_cli_link_stores_the_snapshot_and_views_read_it(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    with Store.open(db) as store:
        for doc in documents():
            store.save(doc.extraction)
    before = cli(db, "places")
    assert before.exit_code == 0 and "no analysis is stored" in before.stderr
    linked = cli(db, "link")
    assert linked.exit_code == 0 and "analysed: 3 places" in linked.stdout
    after = cli(db, "places")
    assert after.exit_code == 0 and after.stderr == ""
    assert json.loads(after.stdout) == json.loads(before.stdout)
    none = {p["name"]: p for p in json.loads(cli(db, "places", "--reports", "0").stdout)}
    assert none["Kessel"]["reports"] == [] and none["Kessel"]["reports_total"] == 2
    brief = cli(db, "brief", "--since", "2026-03-04")
    assert brief.exit_code == 0 and "note:" not in brief.stderr and "## What moved" in brief.stdout
    geo = tmp_path / "p.geojson"
    assert cli(db, "export", "geojson", "-o", str(geo)).exit_code == 0
    kessel = next(f for f in json.loads(geo.read_text())["features"] if f["id"] == "Kessel")
    assert kessel["properties"]["reports"] == 2 and "reports_total" not in kessel["properties"]


class ManyDue:
    """A corpus-wide analysis with nothing but 30 overdue predictions."""

    def confirmed(self, new: set[str]) -> list[snapshot.Confirmed]:
        return []

    def events(self, new: set[str]) -> list[tuple[str, dict]]:
        return []

    def predictions_due(self, start, end) -> list[dict]:
        return [
            {"id": i, "deadline": "2026-03-01", "by": f"Analyst {i}", "what": "talks resume", "probability": 0.5,
             "document_id": f"d{i}"}
            for i in range(30)
        ]


def test_the_due_list_is_capped_and_says_how_many_there_are() -> None:
    from sitroom.present.brief_story import DUE_LINES, what_moved

    lines: list[tuple[str, str, str, int | None]] = []
    what_moved(ManyDue(), {"d0"}, lambda *line: lines.append(line), since=day(2), now=NOW, resolutions={3: {}})
    assert len(lines) == DUE_LINES < 29
    heading = lines[0][0]
    assert heading.startswith("Predictions due (the first 25 of 29;") and "--due-before 2026-04-04" in heading
    assert "id 3)" not in " ".join(text for _, text, _, _ in lines)  # resolved: left out
