"""Batches run serially, in worker processes and on a Dask cluster store the same facts."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from sitroom.batch import BatchOptions, local_workers, read_items
from sitroom.cli import app
from sitroom.errors import ConfigError
from sitroom.ingest import Fetcher, IngestOptions
from sitroom.jobs import ingest
from sitroom.model import Document
from sitroom.store import Store, schema

from .conftest import EXAMPLES

CORPUS = [
    EXAMPLES / "articles" / "2025-11-20-meridian-wire-28-points.md",
    EXAMPLES / "articles" / "2025-11-21-kyiv-ledger-kupiansk-denial.md",
    EXAMPLES / "articles" / "2025-11-25-meridian-wire-abu-dhabi.txt",
    EXAMPLES / "articles" / "2025-11-25-meridian-wire-abu-dhabi-copy.txt",
    EXAMPLES / "feeds" / "frontline-digest.xml",
    EXAMPLES / "transcripts" / "2025-11-21-daily-dispatch.vtt",
]
FIXED = IngestOptions(now=lambda: datetime(2025, 12, 6, 12, 0, tzinfo=UTC))
FACT_TABLES = ("cues", "attributions", "hedges", "places", "provisions", "stances", "predictions", "quantities")
NOT_COMPARED = {"id", "ingested_at"}  # assigned by the store at write time


def contents(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    """Every document and fact row, without the columns the store assigns, in a stable order."""
    out: dict[str, list[tuple[Any, ...]]] = {}
    with store.read() as conn:
        for name in ("documents", *FACT_TABLES):
            table = schema.metadata.tables[name]
            columns = [c for c in table.columns if c.name not in NOT_COMPARED]
            rows = conn.execute(select(*columns)).all()
            out[name] = sorted((tuple(row) for row in rows), key=repr)
    return out


def run(db: Path, extractor: Any, batch: BatchOptions | None, targets: list[Path] = CORPUS) -> Any:
    with Store.open(db) as store:
        report = ingest([str(p) for p in targets], store=store, extractor=extractor, options=FIXED, batch=batch)
        return report, contents(store)


@pytest.fixture(scope="module")
def serial(tmp_path_factory: pytest.TempPathFactory, extractor: Any) -> tuple[Any, dict[str, list[tuple[Any, ...]]]]:
    return run(tmp_path_factory.mktemp("serial") / "s.db", extractor, None)


@pytest.fixture(scope="module")
def cluster_address() -> Iterator[str]:
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None
    ) as cluster:
        yield cluster.scheduler_address


def test_serial_run_stores_facts(serial: Any) -> None:
    report, stored = serial
    assert report.failed == [] and report.new == len(stored["documents"]) > len(CORPUS)  # the feed has entries
    assert stored["attributions"] and stored["places"] and stored["cues"]


def test_workers_store_the_same_facts(tmp_path: Path, extractor: Any, serial: Any) -> None:
    report, stored = run(tmp_path / "w.db", extractor, BatchOptions(workers=2))
    assert report.summary() == serial[0].summary()
    assert report.document_ids == serial[0].document_ids  # input order kept
    assert report.warnings == serial[0].warnings
    assert stored == serial[1]


def test_dask_cluster_stores_the_same_facts(tmp_path: Path, extractor: Any, serial: Any, cluster_address: str) -> None:
    batch = BatchOptions(dask=cluster_address, batch_size=2, window=2)  # more batches than the window holds
    report, stored = run(tmp_path / "d.db", extractor, batch)
    assert report.summary() == serial[0].summary()
    assert report.document_ids == serial[0].document_ids and report.warnings == serial[0].warnings
    assert stored == serial[1]
    again, _ = run(tmp_path / "d.db", extractor, batch)
    assert again.summary() == f"0 new, {len(serial[0].document_ids)} unchanged, 0 new versions, 0 failed"


def test_a_bad_input_is_one_failure_and_the_batch_goes_on(tmp_path: Path, extractor: Any, cluster_address: str) -> None:
    bad = tmp_path / "empty.md"
    bad.write_text("   \n", encoding="utf-8")
    targets = [CORPUS[0], bad, CORPUS[1]]
    for name, batch in (("w", BatchOptions(workers=2)), ("d", BatchOptions(dask=cluster_address))):
        report, stored = run(tmp_path / f"{name}.db", extractor, batch, targets)
        assert [f.target for f in report.failed] == [str(bad)]
        assert report.exit_code == 3 and report.new == 2 == len(stored["documents"])


def test_extraction_errors_come_back_per_document(tmp_path: Path, cluster_address: str) -> None:
    from sitroom.batch.cluster import dask_client, dask_outcomes
    from sitroom.extract.pipeline import ExtractOptions

    documents = [Document(text="Officials said the talks went on."), Document(text="A second, plain sentence.")]
    options = ExtractOptions(model="no_such_spacy_model")  # every worker fails to build its pipeline
    with dask_client(cluster_address) as client:
        outcomes = list(dask_outcomes(client, documents, options, BatchOptions(dask=cluster_address, batch_size=1)))
    assert [o.document.id for o in outcomes] == [d.id for d in documents]
    assert all(o.error is not None and "no_such_spacy_model" in str(o.error) for o in outcomes)


def test_threads_read_in_input_order(tmp_path: Path) -> None:
    files = []
    for n in range(7):
        path = tmp_path / f"{n}.txt"
        path.write_text(f"Note number {n} says little.", encoding="utf-8")
        files.append(str(path))
    with Fetcher(FIXED) as fetcher:
        items = list(read_items(files, FIXED, fetcher, threads=3))
    assert [i.target for i in items] == files
    assert [i.documents[0].text for i in items] == [f"Note number {n} says little." for n in range(7)]


def test_batch_options_are_checked() -> None:
    assert local_workers("local:3") == 3 and local_workers("local") == 2 and local_workers("tcp://h:8786") is None
    for bad in ({"workers": 0}, {"workers": 2, "dask": "local:2"}, {"dask": "local:x"}, {"batch_size": 0}):
        with pytest.raises(ConfigError):
            BatchOptions(**bad)  # type: ignore[arg-type]


def test_cli_workers_option(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["--db", str(tmp_path / "c.db"), "ingest", "--workers", "2", "--no-link", *map(str, CORPUS[:2])]
    )
    assert result.exit_code == 0, result.output
    assert "2 new, 0 unchanged, 0 new versions, 0 failed" in result.output
    refused = CliRunner().invoke(app, ["--db", str(tmp_path / "c.db"), "ingest", "--workers", "0", str(CORPUS[0])])
    assert refused.exit_code == 2


def test_what_crosses_to_a_worker_and_back_pickles(extractor: Any) -> None:
    """A real cluster pickles the plugin, the documents and the replies (the in-process one above
    may not): the plugin travels without its pipeline, and the facts come back equal."""
    import pickle

    from sitroom.batch.cluster import ExtractorPlugin, _outcomes, _reply

    plugin = ExtractorPlugin(extractor.options)
    plugin._extractor = extractor  # as on a worker that has built it
    copy = pickle.loads(pickle.dumps(plugin))
    assert copy._extractor is None and copy.options == plugin.options and copy.options.n_process == 1
    document = Document(text="Officials said the talks in Geneva would resume on Monday.", origin="note.txt")
    [outcome] = extractor.extract_each([document])
    document_back, reply_back = pickle.loads(pickle.dumps((document, _reply(outcome))))
    [again] = _outcomes([document_back], [reply_back])
    assert again.extraction is not None and outcome.extraction is not None and outcome.extraction.attributions
    assert again.extraction.facts() == outcome.extraction.facts() and again.document.id == document.id
