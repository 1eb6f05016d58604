"""The store: opening, migrations, saving (idempotent, versioned, atomic) and reading back.

Like the whole suite, these run on SQLite, and on PostgreSQL when ``SITROOM_TEST_DB`` is set
(tests/conftest.py); tests about SQLite itself are marked ``sqlite_only``.
"""

from __future__ import annotations

import dataclasses
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import platformdirs
import pytest
from sqlalchemy import Connection, Engine, func, insert, inspect, select

import sitroom.store
from sitroom import model
from sitroom.errors import MigrationError, StoreError
from sitroom.store import GroupQuery, SaveResult, Store, codec, database, schema
from sitroom.store.dialect import Dialect, dialect_for
from sitroom.store.migrations import MIGRATIONS, Migration, migrate

TEXT = (
    "According to Alex Mercouris, recent reports suggest the 28-point plan was rumored to have "
    "been leaked. Russia has taken effective control of Pokrovsk. Kellogg does not agree. "
    "Budanov predicts that peace talks will resume in February. The $140 billion loan is "
    "frozen. (1) Ukraine cedes the rest of Donbas."
)


def span(text: str, needle: str) -> tuple[int, int]:
    start = text.index(needle)
    return start, start + len(needle)


def full_extraction(text: str = TEXT, **doc_fields: object) -> model.Extraction:
    """One document with cues and at least one fact of every kind, optional fields set and unset."""
    fields: dict[str, object] = {
        "source": "Military Summary",
        "author": "A. Writer",
        "url": "https://example.org/update",
        "title": "Peace plan update",
        "published": datetime(2025, 11, 20, 9, 30, tzinfo=UTC),
        "retrieved": datetime(2025, 11, 20, 12, 0, 5, 123456, tzinfo=UTC),
        "kind": "transcript",
        "language": "en",
        "body_offset": 42,
        "origin": "/data/update.txt",
        "cues": [model.Cue(0, 60, 0.0, 4.5), model.Cue(60, len(text), 4.5, 19.25)],
    }
    fields.update(doc_fields)
    doc = model.Document(text=text, **fields)  # type: ignore[arg-type]
    s_outer, e_outer = span(text, "recent reports suggest the 28-point plan was rumored to have been leaked")
    s_inner, e_inner = span(text, "the 28-point plan was rumored to have been leaked")
    return model.Extraction(
        document=doc,
        attributions=[
            model.Attribution(s_outer, e_outer, "Alex Mercouris", "According to", text[s_outer:e_outer],
                              "hedged", 13, 27, None),
            model.Attribution(s_inner, e_inner, "recent reports", "suggest", text[s_inner:e_inner],
                              "rumoured", None, None, 0),
        ],
        hedges=[model.Hedge(*span(text, "rumored to have been leaked"), "rumored to have been leaked",
                            "rumoured")],
        places=[
            model.Place(*span(text, "Pokrovsk"), "Pokrovsk", "Pokrovsk", 48.28, 37.18, "UA", "Donetsk",
                        "captured", "Russia", 704508, "city"),
            model.Place(*span(text, "Donbas"), "Donbas", "Donbas", None, None, None, None),
        ],
        provisions=[
            model.Provision(*span(text, "(1) Ukraine cedes the rest of Donbas."), "territory",
                            "Ukraine cedes the rest of Donbas", 1, "28-point plan"),
            model.Provision(0, 5, "other", "According"),
        ],
        stances=[model.Stance(*span(text, "Kellogg does not agree."), "Keith Kellogg", "28-point plan",
                              "oppose")],
        predictions=[
            model.Prediction(*span(text, "peace talks will resume in February"), "Kyrylo Budanov",
                             "peace talks will resume", "2026-02", True),
            model.Prediction(0, 5, None, "something", None),
        ],
        quantities=[
            model.Quantity(*span(text, "$140 billion"), 140_000_000_000.0, "USD", "$140 billion", "loan"),
            model.Quantity(0, 5, 0.5, None, "half"),
        ],
    )


def small_extraction(i: int, url: str | None = None, n_facts: int = 3) -> model.Extraction:
    text = f"Document number {i}: Russia and Ukraine discuss point {i} of the plan."
    doc = model.Document(text=text, source=f"source{i % 3}", url=url,
                         published=datetime(2025, 11, 1, tzinfo=UTC) + timedelta(hours=i))
    return model.Extraction(
        document=doc,
        places=[model.Place(21, 27, "Russia", "Russia", 60.0, 100.0, "RU", None, feature="country")
                for _ in range(n_facts)],
        quantities=[model.Quantity(0, 8, float(i), None, str(i)) for _ in range(n_facts)],
    )


@pytest.fixture
def target(tmp_path: Path) -> str:
    """A fresh database: a SQLite path (a fresh PostgreSQL schema when the suite runs on PostgreSQL)."""
    return str(tmp_path / "sitroom.db")


@pytest.fixture
def store(target: str):
    with Store.open(target) as s:
        yield s


def count_rows(store: Store, table_name: str) -> int:
    table = schema.metadata.tables[table_name]
    with store.read() as conn:
        return int(conn.scalar(select(func.count()).select_from(table)) or 0)


# -- opening and migrations --------------------------------------------------------------------


@pytest.mark.sqlite_only("the database file and its folders are created")
def test_open_creates_database_and_records_migrations(tmp_path: Path) -> None:
    path = tmp_path / "new" / "folder" / "sitroom.db"
    with Store.open(path) as store:
        assert path.exists()
        assert store.applied_migrations() == [m.name for m in MIGRATIONS]
        assert store.count_documents() == 0
        assert store.location == str(path)


def test_migrations_are_idempotent(target: str) -> None:
    Store.open(target).close()
    with Store.open(target) as store:
        assert store.applied_migrations() == [m.name for m in MIGRATIONS]
        assert count_rows(store, "schema_migrations") == len(MIGRATIONS)
        with store.write() as conn:
            assert migrate(conn, store.dialect) == []


@contextmanager
def raw_engine(path: Path) -> Iterator[tuple[Engine, Dialect]]:
    """The writer engine of the database at ``path`` (a PostgreSQL schema when the suite runs on
    PostgreSQL), without opening a Store: nothing is migrated."""
    url = database.resolve_url(path)
    dialect = dialect_for(url)
    writer, reader = dialect.engines(url)
    try:
        yield writer, dialect
    finally:
        writer.dispose()
        reader.dispose()


def database_with_steps(path: Path, steps: tuple[Migration, ...]) -> None:
    """Make a database as a sitroom that knew only ``steps`` would have, with one document."""
    with raw_engine(path) as (writer, dialect), writer.begin() as conn:
        migrate(conn, dialect, steps)
        row = codec.document_to_row(small_extraction(1).document)
        row.update(ingest_seq=1, ingested_at=datetime.now(UTC), previous_id=None)
        conn.execute(insert(schema.documents), row)


def has_fulltext_index(conn: Connection) -> bool:
    """Whether migration 0002 left its mark: FTS5's table on SQLite, the tsvector column on PostgreSQL."""
    if conn.dialect.name == "sqlite":
        return inspect(conn).has_table("documents_fts")
    return "search_vector" in {c["name"] for c in inspect(conn).get_columns("documents")}


def test_migrations_apply_only_missing_steps(tmp_path: Path) -> None:
    path = tmp_path / "sitroom.db"
    database_with_steps(path, MIGRATIONS[:1])
    with Store.open(path) as store:
        assert store.applied_migrations() == [m.name for m in MIGRATIONS]
        assert store.count_documents() == 1
        # The full-text step indexed the document that was already there.
        assert [hit.document_id for hit in store.search("Ukraine")] == [small_extraction(1).document.id]


def test_database_from_newer_sitroom_is_refused(target: str) -> None:
    with Store.open(target) as store, store.write() as conn:
        conn.execute(insert(schema.schema_migrations),
                     {"name": "9999_from_the_future", "applied_at": datetime.now(UTC)})
    with pytest.raises(MigrationError, match="newer sitroom") as info:
        Store.open(target)
    assert info.value.hint and "upgrade" in info.value.hint


def _broken_step(conn: Connection, dialect: Dialect) -> None:
    conn.exec_driver_sql("CREATE TABLE documents (x INTEGER)")  # already exists: fails


def test_failed_migration_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "sitroom.db"
    database_with_steps(path, MIGRATIONS[:1])
    broken = (*MIGRATIONS, Migration("0003_broken", _broken_step))
    with pytest.raises(MigrationError, match="0003_broken"):
        database_with_steps(tmp_path / "sitroom.db", broken)
    with raw_engine(path) as (engine, _), engine.connect() as conn:
        applied = [name for (name,) in conn.execute(select(schema.schema_migrations.c.name))]
        assert applied == ["0001_create_tables"]
        assert not has_fulltext_index(conn)  # step 0002 ran in the same transaction and was rolled back


@pytest.mark.sqlite_only("a SQLite file that is not a database")
def test_text_file_is_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("These are my notes, not a database.\n" * 20)
    before = path.read_bytes()
    with pytest.raises(StoreError, match="not a SQLite database") as info:
        Store.open(path)
    assert info.value.input == str(path)
    assert info.value.hint
    assert path.read_bytes() == before


@pytest.mark.sqlite_only("another program's SQLite file")
def test_other_programs_sqlite_database_is_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as raw:
        raw.execute("CREATE TABLE recipes (name TEXT)")
    with pytest.raises(StoreError, match="not made by sitroom"):
        Store.open(path)
    with sqlite3.connect(path) as raw:
        tables = {name for (name,) in raw.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert tables == {"recipes"}


def test_folder_is_not_a_database(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="folder"):
        Store.open(tmp_path)


def test_bad_url_and_unsupported_backend(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="unsupported"):
        Store.open("mysql://user@localhost/db")
    with pytest.raises(StoreError):
        Store.open("not a url://")


def test_sitroom_db_environment_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, database_backend: str
) -> None:
    path = tmp_path / "from-env.db"
    monkeypatch.setenv("SITROOM_DB", str(path))
    with Store.open() as store:
        store.save(small_extraction(1))
    assert path.exists() == (database_backend == "sqlite")
    monkeypatch.setenv("SITROOM_DB", f"sqlite:///{path}")
    with Store.open(None) as store:
        assert store.count_documents() == 1


@pytest.mark.sqlite_only("the default store is a SQLite file in the user data folder")
def test_default_location_is_user_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SITROOM_DB", raising=False)
    monkeypatch.setattr(platformdirs, "user_data_dir", lambda appname: str(tmp_path / "data" / appname))
    with Store.open() as store:
        assert store.location == str(tmp_path / "data" / "sitroom" / "sitroom.db")
    assert (tmp_path / "data" / "sitroom" / "sitroom.db").exists()


def test_in_memory_store() -> None:
    with Store.open(":memory:") as store:
        assert store.save(full_extraction()).status == "new"
        assert store.count_documents() == 1
        assert store.search("Pokrovsk")


def test_public_api_is_what_it_says() -> None:
    for name in sitroom.store.__all__:
        assert hasattr(sitroom.store, name), name
    for method in ("open", "write", "read", "save", "get_document", "documents", "load_extraction",
                   "facts", "count_documents", "search", "record_brief", "last_brief_at", "close"):
        assert callable(getattr(Store, method)), method


# -- saving and reading back -------------------------------------------------------------------


def test_round_trip_of_every_fact_kind_and_cues(store: Store) -> None:
    extraction = full_extraction()
    assert all(extraction.facts().values()), "the fixture must have every fact kind"
    result = store.save(extraction)
    assert result == SaveResult("new", extraction.document.id)
    loaded = store.load_extraction(extraction.document.id)
    assert loaded == extraction
    assert loaded.to_contract() == extraction.to_contract()
    assert store.get_document(extraction.document.id) == extraction.document


def test_every_model_field_has_a_column() -> None:
    """A model field without a column would silently go to `extra`: make that a decision."""
    for kind, plan in codec.FACT_PLANS.items():
        assert plan.extra_fields == (), kind
    assert codec.DOCUMENT_PLAN.extra_fields == ()


def test_timestamps_come_back_aware_in_utc(store: Store) -> None:
    kyiv = timezone(timedelta(hours=2))
    ex = full_extraction(published=datetime(2025, 11, 20, 11, 30, tzinfo=kyiv),
                         retrieved=datetime(2025, 11, 20, 12, 0))  # naive: taken as UTC
    store.save(ex, ingested_at=datetime(2025, 11, 21, 8, 0, tzinfo=UTC))
    doc = store.get_document(ex.document.id)
    assert doc is not None and doc.published is not None and doc.retrieved is not None
    assert doc.published == datetime(2025, 11, 20, 9, 30, tzinfo=UTC)
    assert doc.published.tzinfo == UTC
    assert doc.retrieved == datetime(2025, 11, 20, 12, 0, tzinfo=UTC)
    info = store.document_info(ex.document.id)
    assert info is not None and info.ingested_at == datetime(2025, 11, 21, 8, 0, tzinfo=UTC)


@pytest.mark.sqlite_only("SQLite's text encoding of timestamps")
def test_sqlite_timestamps_are_utc_iso_text(tmp_path: Path) -> None:
    ex = full_extraction(published=datetime(2025, 11, 20, 11, 30, tzinfo=timezone(timedelta(hours=2))))
    with Store.open(tmp_path / "sitroom.db") as store:
        store.save(ex, ingested_at=datetime(2025, 11, 21, 8, 0, tzinfo=UTC))
    with sqlite3.connect(tmp_path / "sitroom.db") as raw:
        published, ingested = raw.execute("SELECT published, ingested_at FROM documents").fetchone()
    assert published == "2025-11-20T09:30:00.000000+00:00"
    assert ingested == "2025-11-21T08:00:00.000000+00:00"


def test_save_is_idempotent(store: Store) -> None:
    ex = full_extraction()
    assert store.save(ex).status == "new"
    counts = {kind: count_rows(store, kind) for kind in schema.FACT_TABLES}
    again = store.save(full_extraction())
    assert again == SaveResult("unchanged", ex.document.id)
    assert store.count_documents() == 1
    assert {kind: count_rows(store, kind) for kind in schema.FACT_TABLES} == counts
    assert count_rows(store, "cues") == 2


def test_versions_are_linked_by_url(store: Store) -> None:
    url = "https://example.org/plan"
    first = store.save(small_extraction(1, url=url))
    second = store.save(small_extraction(2, url=url))
    third = store.save(small_extraction(3, url=url))
    other = store.save(small_extraction(4, url=None))
    unrelated = store.save(small_extraction(5, url="https://example.org/other"))
    assert first.status == "new" and first.previous_id is None
    assert second == SaveResult("version", second.document_id, first.document_id)
    assert third == SaveResult("version", third.document_id, second.document_id)
    assert other.status == "new" and unrelated.status == "new"
    info = store.document_info(third.document_id)
    assert info is not None and info.previous_id == second.document_id
    assert store.save(small_extraction(2, url=url)).status == "unchanged"


def test_failed_save_stores_nothing_of_the_document(store: Store) -> None:
    store.save(small_extraction(1))
    before = {name: count_rows(store, name) for name in schema.metadata.tables}
    bad = full_extraction()
    # Valid document, cues and most facts; the last quantity is invalid (NOT NULL) → fails mid-way.
    bad.quantities.append(model.Quantity(0, 5, None, None, "x"))  # type: ignore[arg-type]
    with pytest.raises(StoreError, match=bad.document.id) as info:
        store.save(bad)
    assert info.value.hint and "nothing" in info.value.hint
    assert {name: count_rows(store, name) for name in schema.metadata.tables} == before
    assert store.get_document(bad.document.id) is None
    sqlite = store.dialect.name == "sqlite"
    if sqlite:
        assert store.search("Pokrovsk") == []  # the full-text index was rolled back too
    bad.quantities.pop()
    assert store.save(bad).status == "new"
    if sqlite:
        assert store.search("Pokrovsk")[0].document_id == bad.document.id


def test_failure_outside_the_database_also_rolls_back(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    real = codec.fact_to_row

    def explode(kind: str, *args: object, **kwargs: object) -> dict[str, object]:
        if kind == "predictions":
            raise RuntimeError("injected")
        return real(kind, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(codec, "fact_to_row", explode)
    with pytest.raises(RuntimeError, match="injected"):
        store.save(full_extraction())
    assert all(count_rows(store, name) == 0 for name in (*schema.FACT_TABLES, "documents", "cues"))


def test_bad_offsets_are_refused(store: Store) -> None:
    ex = small_extraction(1)
    ex.hedges.append(model.Hedge(10, 5, "backwards"))
    with pytest.raises(StoreError):
        store.save(ex)
    assert store.count_documents() == 0


def test_wrong_fact_type_is_refused(store: Store) -> None:
    ex = small_extraction(1)
    ex.places.append(model.Hedge(0, 5, "not a place"))  # type: ignore[arg-type]
    with pytest.raises(StoreError, match="not a Place"):
        store.save(ex)
    assert store.count_documents() == 0


def test_a_new_model_field_survives_in_extra(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    @dataclasses.dataclass(slots=True)
    class PlaceV2(model.Place):
        confidence: float = 0.5

    plans = dict(codec.FACT_PLANS)
    plans["places"] = codec.make_plan(PlaceV2, schema.places, codec._FACT_STORE_COLUMNS)
    monkeypatch.setattr(codec, "FACT_PLANS", plans)
    ex = small_extraction(1, n_facts=0)
    ex.places.append(PlaceV2(0, 8, "Document", "Document", None, None, None, None, confidence=0.9))
    store.save(ex)
    [stored] = store.facts("places")
    assert stored.fact == ex.places[0]


def test_facts_by_kind_and_document(store: Store) -> None:
    a, b = full_extraction(), small_extraction(7)
    store.save(a)
    store.save(b)
    places = store.facts(model.Place)
    assert [p.fact for p in places] == a.places + b.places
    assert {p.document_id for p in places} == {a.document.id, b.document.id}
    assert [p.fact for p in store.facts("places", [b.document.id])] == b.places
    assert store.facts("stances", []) == []
    assert [s.fact for s in store.facts("stances", iter([a.document.id, "missing"]))] == a.stances
    ids = [p.id for p in places]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    with pytest.raises(ValueError, match="unknown fact kind"):
        store.facts("rumours")


def test_load_missing_document(store: Store) -> None:
    assert store.get_document("0" * 20) is None
    assert store.document_info("0" * 20) is None
    with pytest.raises(StoreError, match="no such document"):
        store.load_extraction("0" * 20)


def test_documents_order_and_filters(store: Store) -> None:
    t0 = datetime(2025, 11, 10, tzinfo=UTC)
    late = small_extraction(30)
    early = small_extraction(10)
    undated = model.Extraction(model.Document(text="An undated note."))
    store.save(late, ingested_at=t0)
    store.save(undated, ingested_at=t0 + timedelta(hours=1))
    store.save(early, ingested_at=t0 + timedelta(hours=2))
    ids = [d.id for d in store.documents()]
    assert ids == [early.document.id, late.document.id, undated.document.id]
    assert [d.id for d in store.documents(since=datetime(2025, 11, 1, 20, tzinfo=UTC))] == [late.document.id]
    assert [d.id for d in store.documents(ingested_after=t0)] == [early.document.id, undated.document.id]
    assert [d.id for d in store.documents(limit=1)] == [early.document.id]
    info = store.documents()[0]
    assert info.length == len(early.document.text)
    assert info.ingested_at == t0 + timedelta(hours=2)


def test_briefs(store: Store) -> None:
    assert store.last_brief_at() is None
    first = store.record_brief(datetime(2025, 11, 20, 18, tzinfo=UTC), None, "md", Path("brief.md"))
    second = store.record_brief(datetime(2025, 11, 21, 20, tzinfo=timezone(timedelta(hours=3))),
                                datetime(2025, 11, 20, tzinfo=UTC), "html", None)
    assert second > first
    assert store.last_brief_at() == datetime(2025, 11, 21, 17, tzinfo=UTC)
    assert store.last_brief_at().tzinfo == UTC  # type: ignore[union-attr]


def test_saving_a_thousand_documents_takes_seconds(store: Store) -> None:
    extractions = [small_extraction(i, n_facts=10) for i in range(1000)]  # 20 facts each
    started = time.perf_counter()
    for ex in extractions:
        store.save(ex)
    elapsed = time.perf_counter() - started
    assert store.count_documents() == 1000
    assert count_rows(store, "places") + count_rows(store, "quantities") == 20_000
    assert elapsed < 30, f"saving 1,000 documents took {elapsed:.1f}s"


def test_nul_characters_become_replacement_characters_and_offsets_hold(store: Store) -> None:
    """PostgreSQL cannot store NUL in text: the store replaces it, one character for one, on both backends."""
    text = "Shelling\x00 near Pokrovsk\x00 and Lyman."
    doc = model.Document(text=text, title="Front\x00line", source="wire\x00", url="https://example.org/\x00")
    place = model.Place(*span(text, "Pokrovsk"), "Pokrovsk\x00", "Pokrovsk", None, None, None, None)
    store.save(model.Extraction(doc, places=[place]))
    stored = store.get_document(doc.id)
    assert stored is not None
    assert stored.text == text.replace("\x00", "\ufffd") and len(stored.text) == len(text)
    assert (stored.title, stored.source) == ("Front\ufffdline", "wire\ufffd")
    [fact] = store.facts(model.Place)
    assert stored.text[fact.fact.start : fact.fact.end] == "Pokrovsk"
    assert fact.fact.name == "Pokrovsk\ufffd"
    assert [hit.document_id for hit in store.search("Lyman")] == [doc.id]
    # Lookups with a NUL find nothing instead of failing.
    assert store.get_document("abc\x00") is None
    assert store.claim_groups(GroupQuery(topic="near\x00")) == []
    store.record_brief(datetime(2025, 11, 20, tzinfo=UTC), None, "md", "brief\x00.md")


def test_reads_during_a_write_see_the_last_commit_and_cannot_write(store: Store) -> None:
    when = datetime(2025, 11, 20, tzinfo=UTC)
    with store.write() as conn:
        conn.execute(insert(schema.briefs), {"created_at": when, "format": "md"})
        assert store.last_brief_at() is None  # not committed yet; the reader is not blocked
    assert store.last_brief_at() == when
    with pytest.raises(StoreError), store.read() as conn:
        conn.execute(insert(schema.briefs), {"created_at": when, "format": "md"})


def test_paged_document_lists_have_their_indexes(tmp_path: Path) -> None:
    """New stores get the list indexes from step 1, older ones from 0007; both end with the same set."""
    new_path, old_path = tmp_path / "new.db", tmp_path / "old.db"
    database_with_steps(old_path, MIGRATIONS[:6])
    names = {index.name for index in schema.DOCUMENT_LIST_INDEXES}
    listing = {
        "sqlite": "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'documents'",
        "postgresql": (
            "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND tablename = 'documents'"
        ),
    }
    for path in (new_path, old_path):
        with Store.open(path) as store, store.read() as conn:
            assert names <= set(conn.exec_driver_sql(listing[conn.dialect.name]).scalars())
