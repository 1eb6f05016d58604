"""The scale and web-latency benchmarks' machinery (bench/scale.py, bench/web_latency.py, bench/run.py flags),
without spaCy and in seconds: measuring a child process, growing a store by replication, the goal
arithmetic, the load generator against a local server, and the reports.

No timing assertions: the numbers are measured by `make bench` and reported in docs/benchmarks.md.
"""

from __future__ import annotations

import sys
import threading
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from bench import corpus, scale, web_latency
from bench.run import parse_args

from sitroom.model import Document, Extraction, Place
from sitroom.store import Store


def test_run_measured_reports_output_cpu_and_peak_memory_of_the_child():
    code = "x = bytearray(80_000_000); x[::4096] = b'1' * len(x[::4096]); print('done')"
    row = scale.run_measured([sys.executable, "-c", code])
    assert row["stdout"].strip() == "done"
    assert row["peak_rss_mb"] >= 70  # the child's 80 MB, not this process's
    assert row["cpu_s"] >= 0 and row["seconds"] > 0


def test_run_measured_times_out_and_reports_failures():
    assert scale.run_measured([sys.executable, "-c", "import time; time.sleep(30)"], timeout=0.5)["timed_out"]
    with pytest.raises(RuntimeError, match="boom"):
        scale.run_measured([sys.executable, "-c", "import sys; sys.exit('boom')"])


def _sample_store(path: Path, n: int = 3) -> str:
    db = str(path / "s.db")
    with Store.open(db) as store:
        for i in range(n):
            text = f"Russian forces captured Place{i}, officials said. Story {i}."
            doc = Document(text=text, source=f"Outlet {i}", published=datetime(2025, 11, 2, tzinfo=UTC),
                           url=f"https://example.net/{i}")
            place = Place(start=24, end=30, name=f"Place{i}", mention=f"Place{i}", lat=48.0, lon=37.0,
                          country="UA", admin1=None, status="captured", by="Russia")
            store.save(Extraction(document=doc, places=[place]))
    return db


def test_replicate_grows_the_store_with_new_ids_dates_outlets_and_the_same_facts(tmp_path: Path):
    db = _sample_store(tmp_path)
    done = scale.replicate(db, 10, log=lambda _: None)
    assert done["sample"] == 3 and done["added"] == 7
    with Store.open(db) as store:
        documents = store.documents()
        assert len(documents) == 10 and len({d.id for d in documents}) == 10
        places = store.facts("places")
        assert len(places) == 10 and {p.fact.status for p in places} == {"captured"}
        replicas = [d for d in documents if d.url and "/replica/" in d.url]
        assert len(replicas) == 7
        for d in replicas:  # dates as the generator's: 400 a day from its start
            assert corpus.SYNTH_START <= d.published < corpus.SYNTH_START + timedelta(days=1)
        text = store.get_document(replicas[0].id).text  # the fact's offsets still point at its evidence
        fact = next(p for p in places if p.document_id == replicas[0].id)
        assert text[fact.fact.start:fact.fact.end] == fact.fact.mention
    again = scale.replicate(db, 12, log=lambda _: None)
    assert again["sample"] == 3 and again["added"] == 2  # replicas are never replicated


def test_goal_arithmetic():
    row = {"config": "2 workers", "docs_per_s": 10.0}
    goal = scale.extrapolate(row, None, mean_words=250.0, cpu_rate=12.5)
    assert goal["hours"] == pytest.approx(200_000 / 10 / 3600, abs=0.01) and goal["met"] is False
    assert goal["needed_docs_per_s"] == pytest.approx(13.89, abs=0.01)
    assert goal["hours_at_500_words"] == pytest.approx(2 * goal["hours"], abs=0.02)
    assert goal["hours_two_idle_cores"] == pytest.approx(200_000 / 25 / 3600, abs=0.01)
    assert scale.extrapolate({"config": "x", "docs_per_s": 20.0}, None, 250.0)["met"] is True
    rows = [{"config": "serial", "documents": 100, "cpu_s": 20.0},
            {"config": "serial", "documents": 600, "cpu_s": 60.0},
            {"config": "2 workers", "documents": 600, "cpu_s": 50.0}]
    assert scale.serial_cpu_rate(rows) == 12.5


def _fake_result() -> dict[str, Any]:
    ingest = [{"config": "serial", "documents": n, "seconds": n / 5, "docs_per_s": 5.0, "cpu_s": n / 8,
               "docs_per_cpu_s": 8.0, "peak_rss_mb": 290.0, "store_mb": n / 50} for n in (100, 400)]
    queries = {"cli": {"search": {"median_s": 0.5, "cpu_s": 0.4, "peak_rss_mb": 60},
                       "brief": {"timed_out": 900}},
               "library": {"search": {"first_s": 0.01, "median_s": 0.002}}}
    return {
        "command": "python -m bench.scale", "date": "2026-11-25T12:00:00+00:00", "machine": {"cpus": 2},
        "load": [3.0, 3.0, 3.0], "load_after": [4.0, 4.0, 4.0],
        "config": {"sizes": [100, 400], "seed": 1, "repeats": 3},
        "throughput": {
            "corpus": {"400": {"documents": 400, "mean_words": 210.0, "kinds": {"article": 400},
                               "roles": {"copy": 30, "re-report": 20}}},
            "rows": ingest, "cli_options": ["--workers"], "serial_marginal_docs_per_s": 6.0,
            "goal": scale.extrapolate(ingest[1], 6.0, 210.0, 8.0),
        },
        "queries": {"rows": [{"documents": 10_000, "store_mb": 150.0, "kb_per_document": 15.0,
                              "replicate": {"saves_per_s": 300.0}, "link": {"timed_out": 1800},
                              "queries": queries}]},
    }


def test_scale_report_names_what_was_not_measured_and_the_goal():
    text = scale.to_markdown(_fake_result())
    assert "| serial | 400 | 80.0 | 5.00 |" in text
    assert "no --dask" in text  # the CLI of this checkout lacked it
    assert "**missed**" in text and "200,000 articles" in text
    assert "| 10,000 | 150.0 | 15.0 | 300.0 | timed out | `brief` | timed out |" in text
    assert "| `search` | 500 ms |" in text
    assert "PostgreSQL: not measured" in text


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # the http.server protocol names it
        status = 404 if self.path.startswith("/missing") else 200
        self.send_response(status)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args: object) -> None:
        pass


def test_load_generator_counts_every_request_per_route():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        result = web_latency.load(base, ["/a", "/b", "/missing"], clients=3, rounds=4)
    finally:
        server.shutdown()
    assert len(result["times_ms"]["/a"]) == 12 and len(result["times_ms"]["/b"]) == 12
    assert result["times_ms"]["/missing"] == [] and result["errors"] == {"/missing": 12}


def test_percentiles_and_web_report():
    assert web_latency.percentile([1, 2, 3, 4], 0.5) == 2.5
    assert web_latency.percentile(list(range(101)), 0.95) == 95
    rows = [{"route": "documents?limit=50", "kind": "api", "first_ms": 40.0, "p50_ms": 20.0, "p95_ms": 60.0,
             "goal_ms": 100.0, "met": True, "requests": 40, "errors": 0},
            {"route": "/ (dashboard)", "kind": "page", "first_ms": 9000.0, "p50_ms": 500.0, "p95_ms": 900.0,
             "goal_ms": 300.0, "met": False, "requests": 40, "errors": 0}]
    result = {"command": "x", "date": "2026-11-25", "machine": {"cpus": 2}, "load": [1.0], "load_after": [1.0],
              "config": {"documents": 10_000, "clients": 4, "rounds": 10}, "ready_s": 2.0, "warm_s": 30.0,
              "requests_per_s": 12.0, "rows": rows}
    text = web_latency.to_markdown(result)
    assert "| `/ (dashboard)` | page | 9,000 ms | 500 ms | 900 ms | 300 ms | **no** | 40 |" in text
    assert "Missed: `/ (dashboard)`." in text
    names = [name for name, _, _ in web_latency.routes("abc", "g1", "28-point plan")]
    assert "documents/{id}" in names and "claim-groups/{id}" in names and "/map" in names
    assert ("/plans/{name}", "page", "/plans/28-point%20plan") in web_latency.routes("abc", None, "28-point plan")


def test_run_flags_select_the_parts():
    args = parse_args(["--scale", "--web", "--big", "--snapshot"])
    assert args.scale and args.web and args.big and args.snapshot
    default = parse_args([])
    assert not (default.scale or default.web or default.no_scale or default.big)
    assert parse_args(["--no-scale"]).no_scale


@pytest.mark.sqlite_only("the measured CLI processes open the store file by its path")
def test_query_only_times_the_queries_on_a_linked_store_and_sees_the_snapshot(tmp_path: Path):
    from sitroom.analyse.snapshot import link_and_analyse

    db = _sample_store(tmp_path)
    with Store.open(db) as store:
        link_and_analyse(store)
    result = scale.query_only(db, 1, "test", log=lambda _: None)
    [row] = result["queries"]["rows"]
    assert row["documents"] == 3 and row["kb_per_document"] > 0
    cli = row["queries"]["cli"]
    assert set(cli) == {"brief", "search", "claims", "places"}
    assert all("median_s" in q and q["stale_groups"] is False for q in cli.values()), cli
    assert "| 3 |" in "\n".join(scale.queries_markdown(result))
