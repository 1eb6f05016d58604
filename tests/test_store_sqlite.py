"""One writer, readers that never see "database is locked": WAL and BEGIN IMMEDIATE on SQLite (those
tests are SQLite's own), an advisory lock and snapshots on PostgreSQL (the rest run on both)."""

from __future__ import annotations

import sqlite3
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import insert

from sitroom import model
from sitroom.errors import StoreError
from sitroom.store import Store, codec, schema


def extraction(i: int) -> model.Extraction:
    text = f"Report {i}: shelling near Siversk and Lyman, according to officials."
    return model.Extraction(
        model.Document(text=text, source="wire"),
        places=[model.Place(22, 29, "Siversk", "Siversk", 48.87, 38.1, "UA", "Donetsk")],
    )


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "sitroom.db"


@pytest.mark.sqlite_only("SQLite's pragmas")
def test_wal_foreign_keys_and_query_only_readers(path: Path) -> None:
    with Store.open(path) as store:
        with store.read() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA query_only").scalar() == 1
        with store.write() as conn:
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert (conn.exec_driver_sql("PRAGMA busy_timeout").scalar() or 0) >= 1000
        with pytest.raises(StoreError), store.read() as conn:
            conn.execute(insert(schema.briefs), {"created_at": "x", "format": "md"})


def test_foreign_keys_are_enforced(path: Path) -> None:
    with Store.open(path) as store:
        row = codec.fact_to_row("hedges", model.Hedge(0, 1, "x"), "no-such-document", 0)
        with pytest.raises(StoreError, match=r"(?i)foreign key"), store.write() as conn:
            conn.execute(insert(schema.hedges), row)


@pytest.mark.sqlite_only("SQLite's BEGIN IMMEDIATE, seen through the sqlite3 module")
def test_writer_holds_the_write_lock_from_begin(path: Path) -> None:
    """BEGIN IMMEDIATE: the write lock is taken when the transaction starts, not at the first write."""
    with Store.open(path) as store, store.write():
        other = sqlite3.connect(path, timeout=0, isolation_level=None)
        try:
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
        finally:
            other.close()


def test_readers_are_not_blocked_by_an_open_write(path: Path) -> None:
    with Store.open(path) as writer_store, Store.open(path) as reader_store:
        writer_store.save(extraction(0))
        with writer_store.write() as conn:
            ex = extraction(1)
            row = codec.document_to_row(ex.document)
            row.update(ingest_seq=2, ingested_at=datetime.now(UTC), previous_id=None)
            conn.execute(insert(schema.documents), row)
            # Another store (as a web UI would be) and this store's own readers see the last commit.
            assert reader_store.count_documents() == 1
            assert len(reader_store.search("Siversk")) == 1
            assert reader_store.load_extraction(extraction(0).document.id).places
            assert writer_store.count_documents() == 1
        assert reader_store.count_documents() == 2


def test_a_second_writer_waits_instead_of_failing(path: Path) -> None:
    with Store.open(path) as first, Store.open(path) as second:
        started = threading.Event()
        errors: list[BaseException] = []

        def hold_write() -> None:
            try:
                with first.write():
                    started.set()
                    time.sleep(0.5)
            except BaseException as exc:  # pragma: no cover - reported below
                errors.append(exc)

        thread = threading.Thread(target=hold_write)
        thread.start()
        started.wait(5)
        t0 = time.perf_counter()
        assert second.save(extraction(1)).status == "new"
        waited = time.perf_counter() - t0
        thread.join()
        assert not errors
        assert waited > 0.2
        assert first.count_documents() == 1


def test_many_threads_write_through_one_store(path: Path) -> None:
    with Store.open(path) as store:
        errors: list[BaseException] = []

        def work(offset: int) -> None:
            try:
                for i in range(offset, offset + 25):
                    store.save(extraction(i))
                    store.count_documents()
            except BaseException as exc:  # pragma: no cover - reported below
                errors.append(exc)

        threads = [threading.Thread(target=work, args=(n * 100,)) for n in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert not errors
        assert store.count_documents() == 100
        assert len(store.facts("places")) == 100


def test_write_is_not_reentrant(path: Path) -> None:
    with Store.open(path) as store, store.write(), pytest.raises(RuntimeError, match="re-entrant"):
        store.save(extraction(1))
