"""Schema migrations: named, ordered steps, each recorded in ``schema_migrations`` once applied.

Like ``sqlite_utils``' migrations, and the same list for SQLite and PostgreSQL: a step is a
function ``(conn, dialect)``; what differs between backends it asks of the dialect.

Rules for adding a step:

* Append; never rename, reorder, or change a released step (databases have recorded its name).
* ``0001_create_tables`` creates the tables from ``schema.metadata``, the *current* schema. So a
  later step that adds a column to ``schema.py`` must first check that the column is missing
  (a new database already got it from step 1): ``column in inspect(conn).get_columns(table)``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import NamedTuple

from sqlalchemy import Connection, insert, inspect, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.schema import CreateIndex

from ..errors import MigrationError, StoreError
from . import feeds, schema
from .dialect import Dialect, driver_message


class Migration(NamedTuple):
    name: str
    apply: Callable[[Connection, Dialect], None]


def _create_tables(conn: Connection, dialect: Dialect) -> None:
    tables = [t for t in schema.metadata.sorted_tables if t is not schema.schema_migrations]
    schema.metadata.create_all(conn, tables=tables)


def _create_fulltext(conn: Connection, dialect: Dialect) -> None:
    dialect.create_fulltext(conn)


def _prediction_resolutions(conn: Connection, dialect: Dialect) -> None:
    if not inspect(conn).has_table(schema.prediction_resolutions.name):
        schema.prediction_resolutions.create(conn)


def _link_results(conn: Connection, dialect: Dialect) -> None:
    """Tables for persisted claim groups, copies and their state; the store's generation row."""
    existing = set(inspect(conn).get_table_names())
    for table in (schema.store_state, *reversed(schema.LINK_TABLES)):
        if table.name not in existing:
            table.create(conn)
    if conn.scalar(select(schema.store_state.c.id).where(schema.store_state.c.id == 1)) is None:
        conn.execute(insert(schema.store_state), {"id": 1, "generation": 0})


def _postgres_fulltext(conn: Connection, dialect: Dialect) -> None:
    """PostgreSQL stores made before step 0002 built the tsvector column recorded 0002 without it:
    build it now (idempotent). SQLite's FTS5 index came with 0002: nothing to do."""
    if dialect.name == "postgresql":
        dialect.create_fulltext(conn)


def _document_list_indexes(conn: Connection, dialect: Dialect) -> None:
    """Indexes for paged document lists by date, source and kind (new stores got them from step 1)."""
    for index in schema.DOCUMENT_LIST_INDEXES:
        # IF NOT EXISTS: the inspector does not see SQLite's expression indexes, so checkfirst cannot
        conn.execute(CreateIndex(index, if_not_exists=True))


def _analysis_snapshot(conn: Connection, dialect: Dialect) -> None:
    """Tables of the stored analysis snapshot (places, story events, the ledger's base)."""
    existing = set(inspect(conn).get_table_names())
    for table in schema.ANALYSIS_TABLES:
        if table.name not in existing:
            table.create(conn)


MIGRATIONS: tuple[Migration, ...] = (
    Migration("0001_create_tables", _create_tables),
    Migration("0002_fulltext_search", _create_fulltext),
    Migration("0003_prediction_resolutions", _prediction_resolutions),
    Migration("0004_link_results", _link_results),
    Migration("0005_feed_state", feeds.create_table),
    Migration("0006_postgres_fulltext", _postgres_fulltext),
    Migration("0007_document_list_indexes", _document_list_indexes),
    Migration("0008_analysis_snapshot", _analysis_snapshot),
)


def applied_migrations(conn: Connection) -> list[str]:
    """Names recorded in ``schema_migrations``, oldest first ([] before the first migration)."""
    if not inspect(conn).has_table(schema.schema_migrations.name):
        return []
    table = schema.schema_migrations
    rows = conn.execute(select(table.c.name).order_by(table.c.applied_at, table.c.name))
    return [name for (name,) in rows]


def migrate(
    conn: Connection,
    dialect: Dialect,
    migrations: tuple[Migration, ...] = MIGRATIONS,
    *,
    location: str | None = None,
) -> list[str]:
    """Apply the steps this database lacks, in order, inside ``conn``'s transaction.

    Returns the names applied now ([] when the database was up to date). Raises MigrationError
    when the database records a step this sitroom does not know (it was made by a newer one) or
    a step fails, and StoreError when the database holds tables but is not a sitroom database.
    """
    known = [m.name for m in migrations]
    if not inspect(conn).has_table(schema.schema_migrations.name):
        others = inspect(conn).get_table_names()
        if others:
            raise StoreError(
                "this database was not made by sitroom (it has tables but no schema_migrations)",
                input=location,
                hint="give the path of a sitroom database, or of a new file to create one",
            )
        schema.schema_migrations.create(conn)
    applied = applied_migrations(conn)
    unknown = [name for name in applied if name not in known]
    if unknown:
        raise MigrationError(
            f"database was created by a newer sitroom (it has migration {unknown[-1]!r})",
            input=location,
            hint="upgrade sitroom (pip install -U sitroom), or use another database",
        )
    done: list[str] = []
    for migration in migrations:
        if migration.name in applied:
            continue
        try:
            migration.apply(conn, dialect)
        except SQLAlchemyError as exc:
            raise MigrationError(
                f"migration {migration.name} failed: {driver_message(exc)}",
                input=location,
                hint="nothing was changed; report this with the traceback (--debug)",
            ) from exc
        conn.execute(
            insert(schema.schema_migrations),
            {"name": migration.name, "applied_at": datetime.now(UTC)},
        )
        done.append(migration.name)
    return done
