"""End to end through the CLI: ingest → store → search → brief, and what bad input gets."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sitroom.cli import app
from sitroom.store import Store

from .conftest import EXAMPLES

pytestmark = pytest.mark.slow
runner = CliRunner()


def run(db: Path, *args: str):
    return runner.invoke(app, ["--db", str(db), *args], catch_exceptions=False)


@pytest.fixture(scope="module")
def corpus_db(tmp_path_factory):
    db = tmp_path_factory.mktemp("corpus") / "sitroom.db"
    result = run(db, "ingest", str(EXAMPLES))
    return db, result


def test_ingest_corpus_then_rerun_is_idempotent(corpus_db):
    db, first = corpus_db
    assert first.exit_code == 0, first.output
    summary = first.output.strip().splitlines()[-1]
    new = int(re.match(r"(\d+) new", summary).group(1))
    assert new >= 40
    assert "0 failed" in summary
    with Store.open(db) as store:
        count = store.count_documents()
        places = len(store.facts("places"))
    assert count == new  # the exact duplicate file is one document
    second = run(db, "ingest", str(EXAMPLES))
    assert second.exit_code == 0
    assert second.output.strip().splitlines()[-1].startswith("0 new")
    with Store.open(db) as store:
        assert store.count_documents() == count
        assert len(store.facts("places")) == places


def test_search_finds_and_survives_hostile_queries(corpus_db):
    db, _ = corpus_db
    result = run(db, "search", "Kupiansk", "--json")
    hits = json.loads(result.output)
    assert hits and all(h["document_id"] for h in hits)
    for hostile in ['Kiev" OR', "NEAR(", "*", "'; DROP TABLE documents; --"]:
        assert run(db, "search", hostile).exit_code == 0
    with Store.open(db) as store:
        assert store.count_documents() > 0


def test_brief_markdown_cites_and_groups(corpus_db, tmp_path):
    db, _ = corpus_db
    out = tmp_path / "brief.md"
    result = run(db, "brief", "--since", "2025-11-01", "-o", str(out))
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    for section in ("## The plan and positions", "## The ground", "## Who said what", "## Sources"):
        assert section in text
    cited = set(re.findall(r"\[(\d+)\]\s*$", text, re.M))
    sources = set(re.findall(r"^(\d+)\. ", text, re.M))
    assert cited and cited <= sources
    assert re.search(r"at \d+:\d\d", text), "transcript lines carry a timestamp"


def test_brief_since_last_only_has_new_documents(tmp_path):
    db = tmp_path / "s.db"
    first = tmp_path / "a.md"
    first.write_text("---\nsource: Desk A\npublished: 2025-11-21\n---\nPeskov said the Kremlin had seen the draft.\n")
    assert run(db, "ingest", str(first)).exit_code == 0
    assert run(db, "brief", "--since", "last", "-o", str(tmp_path / "b1.md")).exit_code == 0
    assert "1 documents" in (tmp_path / "b1.md").read_text()
    assert run(db, "brief", "--since", "last", "-o", str(tmp_path / "b2.md")).exit_code == 0
    assert "0 documents" in (tmp_path / "b2.md").read_text()
    second = tmp_path / "b.md"
    second.write_text("---\nsource: Desk B\npublished: 2025-11-22\n---\nRubio said the talks were productive.\n")
    run(db, "ingest", str(second))
    assert run(db, "brief", "--since", "last", "-o", str(tmp_path / "b3.md")).exit_code == 0
    b3 = (tmp_path / "b3.md").read_text()
    assert "1 documents" in b3 and "Desk B" in b3 and "Desk A" not in b3


def test_html_brief_escapes_hostile_source_text(tmp_path):
    db = tmp_path / "s.db"
    doc = tmp_path / "evil.md"
    doc.write_text(
        "---\nsource: <script>alert(1)</script>\ntitle: <img src=x onerror=alert(2)>\npublished: 2025-11-21\n"
        "url: javascript:alert(3)\n---\n"
        "Peskov said that <script>alert(4)</script> the Kremlin <b>welcomed</b> the 28-point plan.\n"
    )
    assert run(db, "ingest", str(doc)).exit_code == 0
    out = tmp_path / "brief.html"
    assert run(db, "brief", "--format", "html", "-o", str(out)).exit_code == 0
    page = out.read_text()
    assert "<script>" not in page and "<img" not in page and "<b>" not in page
    assert "javascript:" not in page
    assert "&lt;script&gt;" in page


def test_bad_inputs_fail_alone_and_store_stays_consistent(tmp_path):
    db = tmp_path / "s.db"
    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / "good.txt").write_text("Lavrov said that the talks would continue in Geneva.\n")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02PNG\x00" * 50)
    (folder / "latin1.txt").write_bytes("Kyiv caf\xe9 report".encode("latin-1"))
    (folder / "empty.md").write_text("")
    (folder / "broken.xml").write_text("<rss><channel><title>half a feed")
    result = run(db, "ingest", str(folder))
    assert result.exit_code == 3
    lines = result.output.strip().splitlines()
    assert lines[-1].startswith("1 new") and "failed" in lines[-1]
    failed = [line for line in lines if line.startswith("failed:")]
    for name in ("binary.txt", "latin1.txt", "empty.md", "broken.xml"):
        assert any(name in line for line in failed), name
    with Store.open(db) as store:
        assert store.count_documents() == 1
        assert store.facts("attributions")


def test_unreachable_url_is_one_line(tmp_path):
    result = run(tmp_path / "s.db", "ingest", "http://127.0.0.1:9/nothing-listens-here")
    assert result.exit_code == 4
    assert "127.0.0.1:9" in result.output


def test_failure_mid_batch_keeps_earlier_documents(tmp_path, monkeypatch):
    from sitroom import jobs
    from sitroom.errors import StoreError

    a = tmp_path / "a.txt"
    b = tmp_path / "b.txt"
    a.write_text("Peskov said the draft had arrived.\n")
    b.write_text("Rubio said the talks went well.\n")
    real_save = Store.save

    def flaky_save(self, extraction, **kw):
        if "Rubio" in extraction.document.text:
            raise StoreError("disk full (simulated)")
        return real_save(self, extraction, **kw)

    monkeypatch.setattr(jobs.Store, "save", flaky_save)
    result = run(tmp_path / "s.db", "ingest", str(a), str(b))
    assert result.exit_code == 5
    assert "b.txt" in result.output
    monkeypatch.undo()
    with Store.open(tmp_path / "s.db") as store:
        assert store.count_documents() == 1
    again = run(tmp_path / "s.db", "ingest", str(a), str(b))
    assert again.output.strip().splitlines()[-1].startswith("1 new, 1 unchanged")


def test_extract_json_offsets_index_the_file_text(tmp_path):
    path = tmp_path / "note.md"
    path.write_text(
        "---\nsource: Desk\npublished: 2025-11-20\n---\n"
        "According to Alex Mercouris, Russia has taken Kupyansk. Budanov predicts talks will resume in February.\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["extract", str(path), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    text = path.read_bytes().decode("utf-8")
    assert set(data) >= {
        "document",
        "attributions",
        "hedges",
        "places",
        "provisions",
        "stances",
        "predictions",
        "quantities",
    }
    assert data["document"]["published"] == "2025-11-20"
    for kind in ("attributions", "places", "predictions"):
        assert data[kind], kind
    for a in data["attributions"]:
        assert text[a["start"] : a["end"]] == a["content"]
    for p in data["places"]:
        assert text[p["start"] : p["end"]] == p["mention"]


def test_bad_option_values_exit_2(tmp_path):
    assert run(tmp_path / "s.db", "ingest", "x", "--kind", "tweet").exit_code == 2
    assert run(tmp_path / "s.db", "brief", "--format", "pdf").exit_code == 2
    assert run(tmp_path / "s.db", "brief", "--since", "yesterday-ish").exit_code == 2


def test_store_that_is_not_a_database_exits_5(tmp_path):
    bogus = tmp_path / "notes.txt"
    bogus.write_text("this is not a database" * 100)
    result = run(bogus, "search", "x")
    assert result.exit_code == 5
    assert "notes.txt" in result.output


def test_llm_extractor_without_settings_is_a_config_error(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    for name in ("SITROOM_LLM_BASE_URL", "SITROOM_LLM_MODEL", "SITROOM_CONFIG", "SITROOM_EXTRACTOR"):
        monkeypatch.delenv(name, raising=False)
    doc = tmp_path / "a.txt"
    doc.write_text("Peskov said the draft had arrived.\n")
    result = runner.invoke(app, ["extract", str(doc), "--extractor", "llm"])
    assert result.exit_code == 2
    assert "SITROOM_LLM_BASE_URL" in result.output


def test_serve_refuses_a_public_address_without_a_token(tmp_path, monkeypatch):
    monkeypatch.delenv("SITROOM_TOKEN", raising=False)
    result = runner.invoke(app, ["--db", str(tmp_path / "s.db"), "serve", "--host", "0.0.0.0", "--port", "1"])
    assert result.exit_code == 2
    assert "refusing to listen" in result.output and "SITROOM_TOKEN" in result.output
