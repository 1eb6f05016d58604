"""The store: documents, their cues and facts, briefs — behind one small API.

``Store.open`` picks the database (a path, a SQLAlchemy URL, ``$SITROOM_DB`` or the user data
folder) and migrates it. Every write goes through ``Store.write()``: one writer per store at a
time (a lock), one transaction per ``with`` block; on SQLite the transaction starts with
``BEGIN IMMEDIATE`` and readers use their own connections, so a reader never sees
"database is locked" while an ingest writes (WAL). Reads return ``sitroom.model`` dataclasses or
the small rows in ``records.py``. All SQL is built with bound parameters.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from datetime import UTC, date, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar, overload

import platformdirs
from sqlalchemy import Connection, Engine, func, insert, select
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.pool import StaticPool

from .. import model
from ..errors import InputError, StoreError
from . import analysisresults, codec, linkresults, schema
from .dialect import Dialect, dialect_for, driver_message, query_terms
from .linkresults import GroupQuery, MemberKey
from .migrations import applied_migrations, migrate
from .records import (
    AnalysisState,
    LinkState,
    SaveResult,
    SearchHit,
    StoredClaim,
    StoredClaimGroup,
    StoredDocument,
    StoredFact,
    StoreGeneration,
)

F = TypeVar("F", bound=model.Fact)

ENV_VAR = "SITROOM_DB"
DEFAULT_FILENAME = "sitroom.db"
_IN_CHUNK = 500  # ids per IN (...) list, well under every backend's bound-parameter limit

_d = schema.documents
_EPOCH = datetime.min.replace(tzinfo=UTC)
STORED_DOCUMENT_COLUMNS = (
    _d.c.id,
    _d.c.source,
    _d.c.author,
    _d.c.url,
    _d.c.title,
    _d.c.published,
    _d.c.retrieved,
    _d.c.ingested_at,
    _d.c.kind,
    _d.c.language,
    _d.c.body_offset,
    _d.c.origin,
    _d.c.previous_id,
    func.length(_d.c.text).label("length"),
)


def resolve_url(target: str | Path | None = None) -> URL:
    """The database URL for ``target``: a path, a SQLAlchemy URL, or None for the default.

    None means ``$SITROOM_DB`` if set, else ``sitroom.db`` in the user data folder (created).
    A path's parent folders are created; ``":memory:"`` is a private in-memory database.
    """
    if target is None:
        env = os.environ.get(ENV_VAR, "").strip()
        target = env or Path(platformdirs.user_data_dir("sitroom")) / DEFAULT_FILENAME
    if isinstance(target, str) and "://" in target:
        try:
            return make_url(target)
        except ArgumentError as exc:
            raise StoreError(
                "not a valid database URL",
                input=target,
                hint="use a file path, sqlite:///PATH or postgresql://USER@HOST/DB",
            ) from exc
    if str(target) == ":memory:":
        return URL.create("sqlite")
    path = Path(target).expanduser().absolute()
    if path.is_dir():
        raise StoreError(
            "this is a folder, not a database file",
            input=str(path),
            hint=f"give a file path, e.g. {path / DEFAULT_FILENAME}",
        )
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(
            f"could not create the database folder: {exc.strerror}",
            input=str(path.parent),
            hint="choose a writable location with --db or SITROOM_DB",
        ) from exc
    return URL.create("sqlite", database=str(path))


def _location(url: URL) -> str:
    """How to name the database to a user: a SQLite file path, else the URL without password."""
    if url.get_backend_name() == "sqlite":
        return url.database or ":memory:"
    return url.render_as_string(hide_password=True)


class Store:
    """A sitroom database. Make one with ``Store.open``; close it (or use ``with``)."""

    def __init__(self, url: URL, dialect: Dialect, writer: Engine, reader: Engine) -> None:
        self.url = url
        self.dialect = dialect
        self.location = _location(url)
        self._writer = writer
        self._reader = reader
        self._write_lock = threading.Lock()
        self._writing_thread: int | None = None
        # An in-memory SQLite database is one shared connection: reads must wait for writes too.
        self._shared_connection = isinstance(reader.pool, StaticPool)
        self._read_lock: AbstractContextManager[Any] = self._write_lock if self._shared_connection else nullcontext()
        self._generation = linkresults.GenerationReader()  # counts documents only when a write happened

    # -- opening and closing -------------------------------------------------------------

    @classmethod
    def open(cls, target: str | Path | None = None) -> Store:
        """Open (creating if needed) and migrate the database at ``target`` (see ``resolve_url``)."""
        url = resolve_url(target)
        dialect = dialect_for(url)
        location = _location(url)
        try:
            writer, reader = dialect.engines(url)
        except (SQLAlchemyError, ImportError) as exc:
            raise StoreError(
                f"cannot use this database: {exc}",
                input=location,
                hint="for PostgreSQL install a driver: pip install 'psycopg[binary]'",
            ) from exc
        store = cls(url, dialect, writer, reader)
        try:
            with store._transaction() as conn:
                migrate(conn, dialect, location=location)
        except StoreError:
            store.close()
            raise
        except SQLAlchemyError as exc:
            store.close()
            raise dialect.open_error(exc, location) from exc
        return store

    def close(self) -> None:
        """Release all connections. The store cannot be used afterwards."""
        self._writer.dispose()
        if self._reader is not self._writer:
            self._reader.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({self.location!r})"

    # -- transactions --------------------------------------------------------------------

    @contextmanager
    def _transaction(self) -> Iterator[Connection]:
        if self._writing_thread == threading.get_ident():
            raise RuntimeError("Store.write() is not re-entrant: use the connection it yielded")
        with self._write_lock:
            self._writing_thread = threading.get_ident()
            try:
                with self._writer.begin() as conn:
                    self.dialect.begin_write(conn)
                    yield conn
            finally:
                self._writing_thread = None

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """One write transaction: commits when the block ends, rolls back if it raises."""
        try:
            with self._transaction() as conn:
                yield conn
        except SQLAlchemyError as exc:
            raise self._error(exc, "write to") from exc

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A read-only connection with one consistent snapshot of the database."""
        if self._shared_connection and self._writing_thread == threading.get_ident():
            raise RuntimeError("in-memory store: read through the connection Store.write() yielded")
        try:
            with self._read_lock, self._reader.connect() as conn:
                yield conn
        except SQLAlchemyError as exc:
            raise self._error(exc, "read") from exc

    def _error(self, exc: SQLAlchemyError, action: str) -> StoreError:
        orig = driver_message(exc)
        if "locked" in orig or "busy" in orig:
            hint = "another program is writing to this database; try again when it has finished"
        else:
            hint = "run with --debug for the details and report it if it persists"
        return StoreError(f"could not {action} the database: {orig}", input=self.location, hint=hint)

    def applied_migrations(self) -> list[str]:
        """Names of the migrations recorded in this database, oldest first."""
        with self.read() as conn:
            return applied_migrations(conn)

    # -- saving --------------------------------------------------------------------------

    def save(self, extraction: model.Extraction, *, ingested_at: datetime | None = None) -> SaveResult:
        """Store a document with its cues and facts, all in one transaction.

        A document whose id is already stored is left alone ("unchanged"); a new id with the URL
        of a stored document is a "version" linked to the latest stored one with that URL.
        If anything fails, nothing of this document is stored and StoreError says why.
        """
        doc = extraction.document
        when = schema.to_utc(ingested_at) if ingested_at else datetime.now(UTC)
        with self.write() as conn:
            if conn.scalar(select(_d.c.id).where(_d.c.id == doc.id)) is not None:
                return SaveResult("unchanged", doc.id)
            previous_id: str | None = None
            if doc.url is not None:
                previous_id = conn.scalar(
                    select(_d.c.id).where(_d.c.url == doc.url).order_by(_d.c.ingest_seq.desc()).limit(1)
                )
            seq = (conn.scalar(select(func.max(_d.c.ingest_seq))) or 0) + 1
            try:
                _insert_extraction(conn, extraction, seq=seq, ingested_at=when, previous_id=previous_id)
                linkresults.bump_generation(conn)
            except (SQLAlchemyError, TypeError, ValueError) as exc:
                raise StoreError(
                    f"could not store document {doc.id}: {driver_message(exc)}",
                    input=doc.origin or doc.url or doc.id,
                    hint="nothing of this document was stored; the rest of the store is unchanged",
                ) from exc
        return SaveResult("version" if previous_id else "new", doc.id, previous_id)

    def replace_link_results(
        self,
        groups: Iterable[StoredClaimGroup],
        copies: dict[str, str],
        *,
        computed_from: StoreGeneration,
        options: str,
        code: str,
    ) -> tuple[int, int]:
        """Replace the stored linking results (claim groups with their members, copies, state) in one
        transaction: on any failure the previous results stay. ``computed_from`` is the store's
        ``generation()`` read *before* the facts were read, so a save made meanwhile leaves them stale.
        ``groups`` may be a generator (it is consumed inside the transaction). Returns (groups, claims)."""
        with self.write() as conn:
            return linkresults.replace_results(
                conn,
                groups,
                copies,
                computed_from=computed_from,
                options=options,
                code=code,
                computed_at=datetime.now(UTC),
            )

    def record_brief(self, created_at: datetime, since: datetime | None, fmt: str, path: str | Path | None) -> int:
        """Remember that a brief was written; returns its id."""
        with self.write() as conn:
            result = conn.execute(
                insert(schema.briefs).values(
                    created_at=created_at,
                    since=since,
                    format=fmt,
                    path=None if path is None else str(path),
                )
            )
            key = result.inserted_primary_key
            assert key is not None
            return int(key[0])

    def resolve_prediction(
        self,
        prediction_id: int,
        outcome: str,
        *,
        note: str | None = None,
        evidence_document_id: str | None = None,
        resolved_at: datetime | None = None,
    ) -> int:
        """Record the user's verdict on a stored prediction (true | false | void); returns its id.

        InputError when the outcome is not one of those, the prediction is not stored, or the
        evidence document is not stored. Earlier verdicts are kept; the latest one counts.
        """
        if outcome not in ("true", "false", "void"):
            raise InputError(f"unknown outcome {outcome!r}", input=outcome, hint="use true, false or void")
        table = schema.prediction_resolutions
        with self.write() as conn:
            found = conn.scalar(select(schema.predictions.c.id).where(schema.predictions.c.id == prediction_id))
            if found is None:
                raise InputError(
                    "no stored prediction has this id", input=str(prediction_id), hint="list them: sitroom predictions"
                )
            if (
                evidence_document_id is not None
                and conn.scalar(select(_d.c.id).where(_d.c.id == evidence_document_id)) is None
            ):
                raise InputError(
                    "no stored document has this id", input=evidence_document_id, hint="check the document id"
                )
            result = conn.execute(
                insert(table).values(
                    prediction_id=prediction_id,
                    outcome=outcome,
                    note=note,
                    evidence_document_id=evidence_document_id,
                    resolved_at=resolved_at or datetime.now(UTC),
                )
            )
            key = result.inserted_primary_key
            assert key is not None
            return int(key[0])

    def prediction_resolutions(self) -> dict[int, dict[str, Any]]:
        """The latest verdict per prediction id: outcome, note, evidence_document_id, resolved_at."""
        table = schema.prediction_resolutions
        out: dict[int, dict[str, Any]] = {}
        with self.read() as conn:
            for row in conn.execute(select(table).order_by(table.c.resolved_at, table.c.id)).mappings():
                out[int(row["prediction_id"])] = {
                    "outcome": row["outcome"],
                    "note": row["note"],
                    "evidence_document_id": row["evidence_document_id"],
                    "resolved_at": row["resolved_at"],
                }
        return out

    # -- linking results -----------------------------------------------------------------

    def generation(self) -> StoreGeneration:
        """What the store holds now, for freshness checks: write generation, documents, last ingest."""
        with self.read() as conn:
            return linkresults.current_generation(conn, self._generation)

    def link_state(self) -> LinkState | None:
        """What the stored linking results were computed from, with the store's generation now (one
        snapshot); None when ``sitroom link`` never ran."""
        with self.read() as conn:
            return linkresults.read_state(conn, self._generation)

    def claim_groups(self, query: GroupQuery | None = None, *, members: bool = True) -> list[StoredClaimGroup]:
        """Stored claim groups, filtered, ordered and paged in SQL (see :class:`GroupQuery`); with
        their member claims unless ``members=False``. Whether they are fresh is ``link_state()``'s."""
        with self.read() as conn:
            return linkresults.query_groups(conn, query or GroupQuery(), members=members)

    def count_claim_groups(self, query: GroupQuery | None = None) -> int:
        """How many stored claim groups match ``query`` (its order, limit and offset are ignored)."""
        with self.read() as conn:
            return linkresults.count_groups(conn, query or GroupQuery())

    def claim_group(self, group_id: str, *, members: bool = True) -> StoredClaimGroup | None:
        """One stored claim group with its members (unless ``members=False``: ``store.pages.group_members``
        reads a page of them), or None."""
        with self.read() as conn:
            return linkresults.read_group(conn, group_id, members=members)

    def document_claim_groups(self, document_id: str, min_claims: int = 2) -> list[tuple[int, int, str, str]]:
        """The claims of one document that are in a stored group of at least ``min_claims`` claims:
        (start, end, group id, group text), in text order."""
        with self.read() as conn:
            return linkresults.document_groups(conn, document_id, min_claims)

    def stored_copies(self) -> dict[str, str]:
        """The stored copies: ``{copy document id: origin document id}``."""
        with self.read() as conn:
            return linkresults.read_copies(conn)

    def claim_group_members(self) -> list[tuple[str, list[MemberKey]]]:
        """Every stored group's id with its members' (claim id, end, speaker, certainty), in order;
        groups in first-report order."""
        with self.read() as conn:
            return linkresults.member_keys(conn)

    def claim_groups_touching(
        self, document_ids: Iterable[str], min_sources: int = 2
    ) -> list[tuple[StoredClaimGroup, StoredClaim]]:
        """Stored groups (without members) of at least ``min_sources`` independent sources holding a
        claim of one of ``document_ids``, in first-report order, each with the last such claim."""
        with self.read() as conn:
            return linkresults.groups_touching(conn, document_ids, min_sources)

    # -- the analysis snapshot -----------------------------------------------------------

    def replace_analysis(
        self,
        *,
        places: Iterable[analysisresults.PlaceRow],
        events: Iterable[analysisresults.EventRow],
        predictions: Iterable[analysisresults.PredictionRow],
        computed_from: StoreGeneration,
        code: str,
        seconds: float,
    ) -> dict[str, int]:
        """Replace the stored analysis snapshot in one transaction (on failure the previous one stays);
        ``computed_from``: the generation read before the corpus was. Returns rows written per part."""
        with self.write() as conn:
            return analysisresults.replace(
                conn,
                places=places,
                events=events,
                predictions=predictions,
                computed_from=computed_from,
                code=code,
                computed_at=datetime.now(UTC),
                seconds=seconds,
            )

    def analysis_state(self) -> AnalysisState | None:
        """What the stored analysis snapshot was computed from, with the store now; None: never made."""
        with self.read() as conn:
            return analysisresults.read_state(conn, self._generation)

    def analysis_places(self, reports: int | None = 20) -> list[tuple[dict[str, Any], list[dict[str, Any]], int]]:
        """Stored place states with their latest ``reports`` reports (None: all) and their number."""
        with self.read() as conn:
            return analysisresults.read_places(conn, reports)

    def analysis_events(self, document_ids: Iterable[str]) -> list[tuple[str, dict[str, Any]]]:
        """Stored story events that one of ``document_ids`` takes part in (kind, data), in order."""
        with self.read() as conn:
            return analysisresults.events_for(conn, document_ids)

    def analysis_predictions_due(self, start: date | None, end: date) -> list[dict[str, Any]]:
        """Stored ledger rows with a deadline ending from ``start`` to ``end``, in ledger order."""
        with self.read() as conn:
            return analysisresults.predictions_due(conn, start, end)

    # -- reading -------------------------------------------------------------------------

    def latest_published(self) -> datetime | None:
        """The latest publication time of any stored document (None: none is dated)."""
        with self.read() as conn:
            value: datetime | None = conn.scalar(select(func.max(_d.c.published)))
        return value

    def count_documents(self) -> int:
        with self.read() as conn:
            return int(conn.scalar(select(func.count()).select_from(_d)) or 0)

    def get_document(self, document_id: str) -> model.Document | None:
        """The document with its text and cues, or None if no such id is stored."""
        with self.read() as conn:
            return _load_document(conn, document_id)

    def document_info(self, document_id: str) -> StoredDocument | None:
        """A document's metadata (with ingest time and previous version), or None."""
        with self.read() as conn:
            row = conn.execute(select(*STORED_DOCUMENT_COLUMNS).where(_d.c.id == document_id)).first()
        return None if row is None else StoredDocument(**row._asdict())

    def documents(
        self,
        since: datetime | None = None,
        ingested_after: datetime | None = None,
        limit: int | None = None,
    ) -> list[StoredDocument]:
        """Stored documents, by publication time (undated last, then in ingest order).

        ``since``: published at or after it (undated documents are left out).
        ``ingested_after``: ingested strictly after it ("new since the last brief").
        """
        stmt = select(*STORED_DOCUMENT_COLUMNS).order_by(_d.c.published.asc().nulls_last(), _d.c.ingest_seq)
        if since is not None:
            stmt = stmt.where(_d.c.published >= since)
        if ingested_after is not None:
            stmt = stmt.where(_d.c.ingested_at > ingested_after)
        if limit is not None:
            stmt = stmt.limit(limit)
        with self.read() as conn:
            return [StoredDocument(**row._asdict()) for row in conn.execute(stmt)]

    def load_extraction(self, document_id: str) -> model.Extraction:
        """The document and all its facts as saved. StoreError if no such document."""
        with self.read() as conn:
            doc = _load_document(conn, document_id)
            if doc is None:
                raise StoreError(
                    "no such document in the store",
                    input=document_id,
                    hint=f"check the id; the store is {self.location}",
                )
            extraction = model.Extraction(document=doc)
            for kind, table in schema.FACT_TABLES.items():
                rows = conn.execute(
                    select(table).where(table.c.document_id == document_id).order_by(table.c.position)
                ).mappings()
                getattr(extraction, kind).extend(codec.row_to_fact(kind, row) for row in rows)
        return extraction

    def iter_extractions(
        self, document_ids: Iterable[str] | None = None, *, batch: int = _IN_CHUNK
    ) -> Iterator[tuple[model.Extraction, dict[str, list[int]]]]:
        """Every stored document (or those of ``document_ids``) with its facts, in publication order.

        Yields ``(extraction, ids)`` where ``ids[kind][i]`` is the row id of ``extraction.<kind>[i]``.
        Reads ``batch`` documents per query (a constant number of queries per batch, not per document),
        so the analyse stage can walk a large store with flat memory.
        """
        order = [d.id for d in self.documents()] if document_ids is None else self._publication_order(document_ids)
        for i in range(0, len(order), batch):
            chunk = order[i : i + batch]
            with self.read() as conn:
                extractions = {doc.id: model.Extraction(document=doc) for doc in _documents_in(conn, chunk)}
                ids: dict[str, dict[str, list[int]]] = {doc_id: {} for doc_id in extractions}
                for kind, table in schema.FACT_TABLES.items():
                    rows = conn.execute(
                        select(table)
                        .where(table.c.document_id.in_(chunk))
                        .order_by(table.c.document_id, table.c.position)
                    ).mappings()
                    for row in rows:
                        doc_id = row["document_id"]
                        getattr(extractions[doc_id], kind).append(codec.row_to_fact(kind, row))
                        ids[doc_id].setdefault(kind, []).append(int(row["id"]))
            for doc_id in chunk:
                if doc_id in extractions:
                    yield extractions[doc_id], ids[doc_id]

    def _publication_order(self, document_ids: Iterable[str]) -> list[str]:
        """The stored ones of ``document_ids`` in the order of ``documents()`` (read in chunks of ids,
        not by listing the whole store)."""
        ids = sorted(set(document_ids))
        rows: list[tuple[Any, ...]] = []
        with self.read() as conn:
            for i in range(0, len(ids), _IN_CHUNK):
                stmt = select(_d.c.id, _d.c.published, _d.c.ingest_seq).where(_d.c.id.in_(ids[i : i + _IN_CHUNK]))
                rows.extend(tuple(row) for row in conn.execute(stmt))
        rows.sort(key=lambda r: (r[1] is None, r[1] or _EPOCH, r[2]))
        return [r[0] for r in rows]

    def documents_by_id(self, document_ids: Iterable[str]) -> dict[str, model.Document]:
        """The stored ones of ``document_ids`` with their text and cues, read in chunks."""
        ids = sorted(set(document_ids))
        out: dict[str, model.Document] = {}
        with self.read() as conn:
            for i in range(0, len(ids), _IN_CHUNK):
                out.update((doc.id, doc) for doc in _documents_in(conn, ids[i : i + _IN_CHUNK]))
        return out

    @overload
    def facts(self, kind: type[F], document_ids: Iterable[str] | None = None) -> list[StoredFact[F]]: ...

    @overload
    def facts(self, kind: str, document_ids: Iterable[str] | None = None) -> list[StoredFact[Any]]: ...

    def facts(self, kind: str | type[model.Fact], document_ids: Iterable[str] | None = None) -> list[StoredFact[Any]]:
        """Stored facts of one kind (a name like "places" or a class like ``model.Place``).

        All of them, or those of ``document_ids``; in the order they were stored.
        """
        name = _kind_name(kind)
        table = schema.FACT_TABLES[name]
        base = select(table).order_by(table.c.id)
        if document_ids is None:
            statements = [base]
        else:
            ids = list(dict.fromkeys(document_ids))
            chunks = [ids[i : i + _IN_CHUNK] for i in range(0, len(ids), _IN_CHUNK)]
            statements = [base.where(table.c.document_id.in_(chunk)) for chunk in chunks]
        out: list[StoredFact[Any]] = []
        with self.read() as conn:
            for stmt in statements:
                for row in conn.execute(stmt).mappings():
                    out.append(StoredFact(row["id"], row["document_id"], codec.row_to_fact(name, row)))
        if len(statements) > 1:
            out.sort(key=lambda stored: stored.id)
        return out

    def search(self, query: str, limit: int = 20) -> list[SearchHit]:
        """Documents matching every word of ``query`` (a trailing * makes a prefix), best first.

        The query is plain words: quotes, operators and punctuation are taken literally, never
        as search syntax, so any input is safe. An empty query finds nothing.
        """
        terms = query_terms(query)
        if not terms or limit <= 0:
            return []
        with self.read() as conn:
            rows = self.dialect.search(conn, terms, limit)
        return [
            SearchHit(
                document_id=row["document_id"],
                title=row["title"],
                source=row["source"],
                published=row["published"],
                snippet=row["snippet"] or "",
                rank=float(row["relevance"]),
            )
            for row in rows
        ]

    def count_matches(self, query: str, cap: int = 1000) -> int:
        """How many documents ``search(query)`` finds, counted no further than ``cap``."""
        terms = query_terms(query)
        if not terms or cap <= 0:
            return 0
        with self.read() as conn:
            return self.dialect.count_matches(conn, terms, cap)

    def last_brief_at(self) -> datetime | None:
        """When the latest brief was made, or None if none was recorded."""
        with self.read() as conn:
            value: datetime | None = conn.scalar(select(func.max(schema.briefs.c.created_at)))
        return value


def _kind_name(kind: str | type[model.Fact]) -> str:
    if isinstance(kind, str):
        if kind in schema.FACT_TABLES:
            return kind
    else:
        for name, cls in model.FACT_KINDS.items():
            if cls is kind:
                return name
    raise ValueError(f"unknown fact kind {kind!r}; expected one of {', '.join(model.FACT_KINDS)}")


def _insert_extraction(
    conn: Connection,
    extraction: model.Extraction,
    *,
    seq: int,
    ingested_at: datetime,
    previous_id: str | None,
) -> None:
    """Insert a document, its cues and facts: one statement per table (executemany)."""
    doc = extraction.document
    row = codec.document_to_row(doc)
    row.update(ingest_seq=seq, ingested_at=ingested_at, previous_id=previous_id)
    conn.execute(insert(_d), row)
    if doc.cues:
        rows = [codec.cue_to_row(cue, doc.id, i) for i, cue in enumerate(doc.cues)]
        conn.execute(insert(schema.cues), rows)
    for kind, facts in extraction.facts().items():
        if facts:
            rows = [codec.fact_to_row(kind, fact, doc.id, i) for i, fact in enumerate(facts)]
            conn.execute(insert(schema.FACT_TABLES[kind]), rows)


def _documents_in(conn: Connection, ids: list[str]) -> list[model.Document]:
    """The stored ones of ``ids`` (one IN list: at most ``_IN_CHUNK``) with their text and cues."""
    cues: dict[str, list[model.Cue]] = {}
    for row in conn.execute(
        select(schema.cues)
        .where(schema.cues.c.document_id.in_(ids))
        .order_by(schema.cues.c.document_id, schema.cues.c.position)
    ).mappings():
        cues.setdefault(row["document_id"], []).append(codec.row_to_cue(row))
    rows = conn.execute(select(_d).where(_d.c.id.in_(ids))).mappings()
    return [codec.row_to_document(row, cues.get(row["id"], [])) for row in rows]


def _load_document(conn: Connection, document_id: str) -> model.Document | None:
    row = conn.execute(select(_d).where(_d.c.id == document_id)).mappings().first()
    if row is None:
        return None
    cue_rows = conn.execute(
        select(schema.cues).where(schema.cues.c.document_id == document_id).order_by(schema.cues.c.position)
    ).mappings()
    return codec.row_to_document(row, [codec.row_to_cue(r) for r in cue_rows])
