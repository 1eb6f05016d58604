"""Everything that differs between SQLite and PostgreSQL, and nothing else.

The rest of ``sitroom.store`` speaks portable SQLAlchemy Core. Here live the engines and their
connection set-up (SQLite: WAL, foreign keys, busy timeout, ``BEGIN IMMEDIATE`` on the writer,
``query_only`` on readers; PostgreSQL: an advisory lock per store for writers, read-only
snapshots for readers), full-text search (SQLite FTS5 here; PostgreSQL ``tsvector`` in
``pg_fulltext``), and the translation of a driver's failure to open a database into a
:class:`~sitroom.errors.StoreError` with a hint. On both, NUL characters in bound strings become
U+FFFD before they reach the driver (PostgreSQL cannot store them).
"""

from __future__ import annotations

import importlib.util
import unicodedata
from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import StaticPool

from ..errors import StoreError
from . import pg_fulltext
from .schema import UTCDateTime

BUSY_TIMEOUT_MS = 10_000
# Snippet highlight markers: control characters (STX, ETX), not expected in source text.
HIGHLIGHT_START = "\x02"
HIGHLIGHT_END = "\x03"
ELLIPSIS = "…"
# What a NUL character in a stored string becomes (PostgreSQL cannot store NUL in text).
NUL_REPLACEMENT = "\ufffd"
SNIPPET_TOKENS = 16
MAX_QUERY_TERMS = 32


class Dialect:
    """What a backend needs beyond portable SQLAlchemy Core. Subclassed once per backend."""

    name = ""

    def engines(self, url: URL) -> tuple[Engine, Engine]:
        """The (writer, reader) engines; they may be one engine."""
        raise NotImplementedError

    def begin_write(self, conn: Connection) -> None:
        """Run first in every write transaction (serialise writers where BEGIN cannot)."""

    def create_fulltext(self, conn: Connection) -> None:
        """Create the full-text index over documents(title, text, source)."""
        raise NotImplementedError

    def search(self, conn: Connection, terms: list[str], limit: int) -> list[dict[str, Any]]:
        """Rows (document_id, title, source, published, snippet, relevance) best first."""
        raise NotImplementedError

    def count_matches(self, conn: Connection, terms: list[str], cap: int) -> int:
        """How many documents ``search`` would find, counting no further than ``cap`` (no ranking,
        no snippets: cheap beside a page of hits)."""
        raise NotImplementedError

    def open_error(self, exc: SQLAlchemyError, location: str) -> StoreError:
        """The error to show when a database cannot be opened."""
        return StoreError(
            f"could not open the database: {driver_message(exc)}",
            input=location,
            hint="check the --db path or URL (or SITROOM_DB) and that the database server is running",
        )


class SQLiteDialect(Dialect):
    """SQLite: WAL, one ``BEGIN IMMEDIATE`` writer, ``query_only`` readers, FTS5 search."""

    name = "sqlite"

    def engines(self, url: URL) -> tuple[Engine, Engine]:
        if url.database in (None, "", ":memory:"):
            # One connection shared by all threads; writes are still serialised by Store's lock.
            engine = create_engine(url, poolclass=StaticPool, connect_args={"check_same_thread": False})
            _configure_sqlite(engine, writer=True)
            _scrub_nul_characters(engine)
            return engine, engine
        writer = create_engine(url, pool_size=1, max_overflow=0)
        _configure_sqlite(writer, writer=True)
        reader = create_engine(url)
        _configure_sqlite(reader, writer=False)
        for engine in (writer, reader):
            _scrub_nul_characters(engine)
        return writer, reader

    def create_fulltext(self, conn: Connection) -> None:
        # External content: the index stores no copy of the text; snippet() reads it from
        # documents through content_rowid. Triggers keep it in step with every insert, update
        # and delete, in the same transaction as the change.
        for statement in _FTS5_DDL:
            conn.exec_driver_sql(statement)
        conn.exec_driver_sql("INSERT INTO documents_fts(documents_fts) VALUES ('rebuild')")

    def search(self, conn: Connection, terms: list[str], limit: int) -> list[dict[str, Any]]:
        query = fts5_query(terms)
        if not query:
            return []
        rows = conn.execute(
            _FTS5_SEARCH,
            {
                "query": query,
                "limit": limit,
                "hl_start": HIGHLIGHT_START,
                "hl_end": HIGHLIGHT_END,
                "ellipsis": ELLIPSIS,
                "tokens": SNIPPET_TOKENS,
            },
        )
        return [dict(row._mapping) for row in rows]

    def count_matches(self, conn: Connection, terms: list[str], cap: int) -> int:
        query = fts5_query(terms)
        if not query:
            return 0
        return int(conn.scalar(_FTS5_COUNT, {"query": query, "cap": cap}) or 0)

    def open_error(self, exc: SQLAlchemyError, location: str) -> StoreError:
        message = driver_message(exc)
        if "malformed" in message:
            return StoreError(
                "the database file is damaged",
                input=location,
                hint="restore it from a backup, or give another path with --db or SITROOM_DB",
            )
        if "not a database" in message:
            return StoreError(
                "this file is not a SQLite database",
                input=location,
                hint="give the path of a sitroom database, or of a new file to create one (--db or SITROOM_DB)",
            )
        if "unable to open" in message:
            return StoreError(
                "could not open the database file",
                input=location,
                hint="check that its folder exists and is writable",
            )
        if "locked" in message or "busy" in message:
            return StoreError(
                "the database is locked by another program",
                input=location,
                hint="wait for the other sitroom process to finish, then try again",
            )
        return super().open_error(exc, location)


class PostgresDialect(Dialect):
    """PostgreSQL: one pool; writers serialised across processes by an advisory lock per store;
    full-text search over a generated ``tsvector`` column with a GIN index."""

    name = "postgresql"
    # Any fixed 32-bit key; it only needs to be the same for every sitroom process. The second key is
    # the store's schema, so two stores in one database (two schemas) do not wait for each other.
    WRITE_LOCK_KEY = 0x5174_7200

    def engines(self, url: URL) -> tuple[Engine, Engine]:
        if url.drivername == "postgresql" and importlib.util.find_spec("psycopg") is not None:
            url = url.set(drivername="postgresql+psycopg")
        writer = create_engine(url, pool_pre_ping=True)
        _scrub_nul_characters(writer)
        # Readers share the pool; each read is one read-only snapshot, as on SQLite.
        reader = writer.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
        return writer, reader

    def begin_write(self, conn: Connection) -> None:
        conn.execute(
            text("SELECT pg_advisory_xact_lock(:key, hashtext(current_schema()))"), {"key": self.WRITE_LOCK_KEY}
        )

    def create_fulltext(self, conn: Connection) -> None:
        pg_fulltext.create(conn)

    def search(self, conn: Connection, terms: list[str], limit: int) -> list[dict[str, Any]]:
        statement, params = pg_fulltext.search_statement(
            terms[:MAX_QUERY_TERMS],
            limit,
            highlight=(HIGHLIGHT_START, HIGHLIGHT_END),
            ellipsis=ELLIPSIS,
            words=SNIPPET_TOKENS,
        )
        if statement is None:
            return []
        return [dict(row._mapping) for row in conn.execute(statement.columns(published=UTCDateTime), params)]

    def count_matches(self, conn: Connection, terms: list[str], cap: int) -> int:
        statement, params = pg_fulltext.count_statement(terms[:MAX_QUERY_TERMS], cap)
        return 0 if statement is None else int(conn.scalar(statement, params) or 0)


def driver_message(exc: BaseException) -> str:
    """The database driver's own message for ``exc``, on one line."""
    return " ".join(str(getattr(exc, "orig", None) or exc).split())


def without_nul(value: str) -> str:
    """``value`` with each NUL character replaced by U+FFFD (one character for one: offsets hold)."""
    return value.replace("\x00", NUL_REPLACEMENT)


def _scrub(parameters: Any) -> Any:
    """One statement's parameters (a mapping or a sequence of values) with no NUL in any string."""
    if isinstance(parameters, Mapping):
        if any(type(v) is str and "\x00" in v for v in parameters.values()):
            return {k: without_nul(v) if type(v) is str else v for k, v in parameters.items()}
        return parameters
    if isinstance(parameters, (list, tuple)) and any(type(v) is str and "\x00" in v for v in parameters):
        return type(parameters)(without_nul(v) if type(v) is str else v for v in parameters)
    return parameters


def _scrub_nul_characters(engine: Engine) -> None:
    """Replace NUL characters in every string a statement binds, on every backend alike.

    PostgreSQL refuses a NUL in text; SQLite would store it. Doing it here, where every value
    reaches the driver, keeps the two stores equal and covers writes and lookups alike.
    """

    def before_cursor_execute(
        conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool
    ) -> tuple[str, Any]:
        if executemany and isinstance(parameters, (list, tuple)):
            return statement, [_scrub(p) for p in parameters]
        return statement, _scrub(parameters)

    event.listen(engine, "before_cursor_execute", before_cursor_execute, retval=True)


def dialect_for(url: URL) -> Dialect:
    """The dialect for a database URL; StoreError for a backend sitroom does not support."""
    backend = url.get_backend_name()
    if backend == "sqlite":
        return SQLiteDialect()
    if backend == "postgresql":
        return PostgresDialect()
    raise StoreError(
        f"unsupported database backend {backend!r}",
        input=url.render_as_string(hide_password=True),
        hint="use a file path, sqlite:///PATH or postgresql://USER@HOST/DB",
    )


def _configure_sqlite(engine: Engine, *, writer: bool) -> None:
    """Connection set-up for SQLite, after SQLAlchemy's "pysqlite serializable" recipe."""

    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event, not the sqlite3 module, decide when transactions start.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS:d}")
            cursor.execute("PRAGMA foreign_keys = ON")
            if writer:
                cursor.execute("PRAGMA journal_mode = WAL")
                cursor.execute("PRAGMA synchronous = NORMAL")
            else:
                cursor.execute("PRAGMA query_only = ON")
        finally:
            cursor.close()

    def on_begin(conn: Connection) -> None:
        # A writer takes the write lock up front, so it never fails half-way on a lock upgrade;
        # a reader's deferred BEGIN gives it one consistent snapshot (WAL: never blocked).
        conn.exec_driver_sql("BEGIN IMMEDIATE" if writer else "BEGIN")

    event.listen(engine, "connect", on_connect)
    event.listen(engine, "begin", on_begin)


def fts5_query(terms: list[str]) -> str:
    """An FTS5 MATCH expression that finds documents containing all ``terms``.

    Each term becomes a quoted FTS5 string, so operators (``OR``, ``NEAR(``, ``-``, ``:``,
    parentheses, quotes) are plain words; a trailing ``*`` is kept as a prefix search. Terms
    with no letter or digit are dropped. The result is passed as a bound parameter.
    """
    out: list[str] = []
    for raw in terms[:MAX_QUERY_TERMS]:
        prefix = raw.endswith("*")
        word = raw.rstrip("*")
        if not any(ch.isalnum() for ch in word):
            continue
        out.append('"' + word.replace('"', '""') + '"' + ("*" if prefix else ""))
    return " ".join(out)


def query_terms(query: str) -> list[str]:
    """Split a user's search query into terms, dropping control and format characters."""
    cleaned = "".join(" " if unicodedata.category(ch).startswith(("C", "Z")) else ch for ch in query)
    return cleaned.split()


_FTS5_DDL = (
    """
    CREATE VIRTUAL TABLE documents_fts USING fts5(
        title, text, source,
        content='documents', content_rowid='ingest_seq',
        tokenize='porter unicode61 remove_diacritics 2'
    )
    """,
    """
    CREATE TRIGGER documents_fts_insert AFTER INSERT ON documents BEGIN
        INSERT INTO documents_fts(rowid, title, text, source)
        VALUES (new.ingest_seq, new.title, new.text, new.source);
    END
    """,
    """
    CREATE TRIGGER documents_fts_delete AFTER DELETE ON documents BEGIN
        INSERT INTO documents_fts(documents_fts, rowid, title, text, source)
        VALUES ('delete', old.ingest_seq, old.title, old.text, old.source);
    END
    """,
    """
    CREATE TRIGGER documents_fts_update AFTER UPDATE OF title, text, source, ingest_seq
    ON documents BEGIN
        INSERT INTO documents_fts(documents_fts, rowid, title, text, source)
        VALUES ('delete', old.ingest_seq, old.title, old.text, old.source);
        INSERT INTO documents_fts(rowid, title, text, source)
        VALUES (new.ingest_seq, new.title, new.text, new.source);
    END
    """,
)

# bm25 weights: a match in the title counts 5×, in the source 2×, in the text 1×. FTS5's bm25 is
# lower-is-better; relevance is its negation, so a higher relevance is a better match.
_FTS5_COUNT = text("SELECT count(*) FROM (SELECT 1 FROM documents_fts WHERE documents_fts MATCH :query LIMIT :cap)")

_FTS5_SEARCH = text(
    """
    SELECT d.id AS document_id, d.title AS title, d.source AS source, d.published AS published,
           snippet(documents_fts, -1, :hl_start, :hl_end, :ellipsis, :tokens) AS snippet,
           -bm25(documents_fts, 5.0, 1.0, 2.0) AS relevance
    FROM documents_fts JOIN documents AS d ON d.ingest_seq = documents_fts.rowid
    WHERE documents_fts MATCH :query
    ORDER BY relevance DESC, d.ingest_seq
    LIMIT :limit
    """
).columns(published=UTCDateTime)
