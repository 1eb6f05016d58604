"""PostgreSQL's side of the store: what the suite's other tests cannot see from the outside.

These run only when the suite runs on PostgreSQL (``SITROOM_TEST_DB``, ``make test-pg``); every
other store test runs there too. They check that search really is PostgreSQL's own full-text
search, that timestamps are ``timestamptz`` whatever the session's time zone, and that the write
lock belongs to one store (schema), not to the whole database.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from sitroom import model
from sitroom.store import Store, pg_fulltext
from sitroom.store.dialect import PostgresDialect

pytestmark = pytest.mark.postgres_only


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "pg.db") as s:
        assert s.dialect.name == "postgresql"
        yield s


def test_search_is_a_tsvector_column_with_a_gin_index(store: Store) -> None:
    with store.read() as conn:
        columns = {c["name"]: c for c in inspect(conn).get_columns("documents")}
        indexes = conn.execute(
            text("SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = 'documents'")
        ).scalars()
        assert pg_fulltext.uses_unaccent(conn)
    assert str(columns["search_vector"]["type"]).upper() == "TSVECTOR"
    assert any("USING gin (search_vector)" in definition for definition in indexes)


def test_the_query_plan_can_use_the_index(store: Store) -> None:
    for i in range(50):
        store.save(model.Extraction(model.Document(text=f"Report {i} from the front near Siversk.")))
    with store.read() as conn:
        conn.execute(text("SET LOCAL enable_seqscan = off"))
        plan = "\n".join(
            conn.execute(
                text("EXPLAIN SELECT ingest_seq FROM documents WHERE search_vector @@ plainto_tsquery("
                     "'sitroom_search', :word)"),
                {"word": "Siversk"},
            ).scalars()
        )
    assert "ix_documents_search_vector" in plan


def test_stop_words_and_diacritics_are_searchable_as_on_sqlite(store: Store) -> None:
    doc = model.Document(text="The front near Zaporižžia holds, and the talks go on.", title="Front")
    store.save(model.Extraction(doc))
    assert [h.document_id for h in store.search("the")] == [doc.id]  # no stop-word list
    assert [h.document_id for h in store.search("zaporizzia")] == [doc.id]
    assert [h.document_id for h in store.search("talking")] == [doc.id]  # stemmed
    assert [h.document_id for h in store.search("Zapor*")] == [doc.id]


def test_timestamps_are_timestamptz_in_any_session_time_zone(store: Store) -> None:
    doc = model.Document(text="Dated text.", published=datetime(2025, 11, 20, 9, 30, tzinfo=UTC))
    store.save(model.Extraction(doc))
    with store.read() as conn:
        zone = conn.scalar(text("SHOW timezone"))
        utc_text = conn.scalar(
            text("SELECT to_char(published AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') FROM documents")
        )
        data_type = conn.scalar(
            text("SELECT data_type FROM information_schema.columns WHERE table_schema = current_schema() "
                 "AND table_name = 'documents' AND column_name = 'published'")
        )
    assert zone != "UTC"  # the suite's sessions run in another zone on purpose (tests/conftest.py)
    assert data_type == "timestamp with time zone"
    assert utc_text == "2025-11-20 09:30"
    assert store.documents()[0].published == datetime(2025, 11, 20, 9, 30, tzinfo=UTC)


def test_the_write_lock_is_the_stores_own(tmp_path: Path) -> None:
    with Store.open(tmp_path / "a.db") as first, Store.open(tmp_path / "b.db") as second:
        with first.write() as conn:
            schema_a = conn.scalar(text("SELECT current_schema()"))
            locks = conn.execute(
                text("SELECT classid::bigint, objid::bigint FROM pg_locks WHERE locktype = 'advisory' "
                     "AND pid = pg_backend_pid()")
            ).all()
            mine = conn.scalar(text("SELECT hashtext(current_schema())::oid::bigint"))
            # Another store in the same database writes while this one holds its lock.
            assert second.save(model.Extraction(model.Document(text="Another store."))).status == "new"
        with second.read() as conn:
            assert conn.scalar(text("SELECT current_schema()")) != schema_a
    assert locks == [(PostgresDialect.WRITE_LOCK_KEY, mine)]


def test_a_store_path_and_the_cli_db_option_open_postgresql(tmp_path: Path) -> None:
    """The suite's switch is honest: a path given to Store.open or the CLI is a PostgreSQL store."""
    from typer.testing import CliRunner

    from sitroom.cli import app

    note = tmp_path / "note.txt"
    note.write_text("Shelling near Siversk, officials said.\n", encoding="utf-8")
    path = tmp_path / "cli.db"
    result = CliRunner().invoke(app, ["--db", str(path), "ingest", str(note), "--no-link"])
    assert result.exit_code == 0, result.output
    assert not path.exists()
    with Store.open(path) as store:
        assert store.dialect.name == "postgresql"
        assert store.count_documents() == 1
        assert len(store.search("Siversk")) == 1


def test_a_store_whose_0002_built_no_search_column_gets_it_from_0006(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with Store.open(path) as store, store.write() as conn:
        # What a store made before the tsvector column existed looks like: 0002 recorded, no column.
        conn.execute(text("DROP INDEX IF EXISTS ix_documents_search_vector"))
        conn.execute(text("ALTER TABLE documents DROP COLUMN search_vector"))
        conn.execute(text("DELETE FROM schema_migrations WHERE name = '0006_postgres_fulltext'"))
    with Store.open(path) as store:
        store.save(model.Extraction(model.Document(text="Shelling near Siversk overnight.")))
        assert len(store.search("Siversk")) == 1
        assert "0006_postgres_fulltext" in store.applied_migrations()
