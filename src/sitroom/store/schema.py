"""The tables of a sitroom store, in SQLAlchemy Core, portable to SQLite and PostgreSQL.

Decisions that hold for every table:

* **Timestamps** are :class:`UTCDateTime`: ``TIMESTAMP WITH TIME ZONE`` on PostgreSQL; on SQLite
  fixed-width ISO-8601 text in UTC with an explicit offset (``2025-11-20T09:30:00.000000+00:00``),
  so text order is time order. Values are normalised to UTC when written (a naive datetime is
  taken to be UTC) and always come back timezone-aware in UTC.
* **Ids**: a document's id is the text ``model.document_id`` of its text; facts have integer
  autoincrement ids. ``documents.ingest_seq`` is a store-assigned integer (ingest order) that
  SQLite's full-text index uses as its rowid: a rowid that is not an ``INTEGER PRIMARY KEY``
  may change on ``VACUUM``, this column does not.
* **Offsets**: the model's ``start``/``end`` are the columns ``start_char``/``end_char``, and a
  fact's ``by`` is ``by_actor`` (``end`` and ``by`` are SQL keywords). ``position`` keeps the
  order of a document's cues and facts (``Attribution.parent`` is a position).
* **extra** (JSON as text) holds any model field that has no column yet, so a newer model field
  survives a round trip before it gets a column of its own.

This module describes the *current* schema; ``migrations.py`` is how a database gets there.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    func,
    text,
)
from sqlalchemy.dialects import sqlite
from sqlalchemy.types import TypeDecorator

_SQLITE_UTC = sqlite.DATETIME(
    storage_format=("%(year)04d-%(month)02d-%(day)02dT%(hour)02d:%(minute)02d:%(second)02d.%(microsecond)06d+00:00"),
    regexp=re.compile(r"(\d+)-(\d+)-(\d+)[T ](\d+):(\d+):(\d+)(?:\.(\d{6}))?"),
)


class UTCDateTime(TypeDecorator[datetime]):
    """A point in time, stored in UTC and returned timezone-aware (naive input is taken as UTC)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> Any:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(_SQLITE_UTC)
        return dialect.type_descriptor(DateTime(timezone=True))

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if not isinstance(value, datetime):
            raise TypeError(f"expected a datetime, got {type(value).__name__}: {value!r}")
        return to_utc(value)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else to_utc(value)


def to_utc(value: datetime) -> datetime:
    """``value`` as an aware UTC datetime; a naive value is taken to be UTC already."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


# Constraint names that are the same on every backend (PostgreSQL needs names to alter them).
metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

DOC_ID = String(64)
# BIGINT on PostgreSQL; plain INTEGER on SQLite, where only "INTEGER PRIMARY KEY" autoincrements.
FACT_ID = BigInteger().with_variant(Integer(), "sqlite")

documents = Table(
    "documents",
    metadata,
    Column("id", DOC_ID, primary_key=True),
    Column("ingest_seq", Integer, nullable=False, unique=True),
    Column("source", Text),
    Column("author", Text),
    Column("url", Text, index=True),
    Column("title", Text),
    Column("published", UTCDateTime, index=True),
    Column("retrieved", UTCDateTime),
    Column("ingested_at", UTCDateTime, nullable=False, index=True),
    Column("kind", String(32), nullable=False),
    Column("language", String(16), nullable=False),
    Column("text", Text, nullable=False),
    Column("body_offset", Integer, nullable=False),
    Column("origin", Text),
    Column("previous_id", DOC_ID, ForeignKey("documents.id"), nullable=True, index=True),
    Column("extra", Text),
)
# Paged document lists (store/pages.py): newest first with a stable tie-break, by source (compared
# case-insensitively) or by kind. Migration 0007 adds them to older stores.
DOCUMENT_LIST_INDEXES = (
    Index("ix_documents_published_seq", documents.c.published, documents.c.ingest_seq),
    Index("ix_documents_source_published", func.lower(documents.c.source), documents.c.published),
    Index("ix_documents_kind_published", documents.c.kind, documents.c.published),
)

cues = Table(
    "cues",
    metadata,
    Column("document_id", DOC_ID, ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("start_char", Integer, nullable=False),
    Column("end_char", Integer, nullable=False),
    Column("t_start", Float, nullable=False),
    Column("t_end", Float, nullable=False),
)


def _fact_table(name: str, *columns: Column[Any]) -> Table:
    """A fact table: id, document, position, evidence offsets, the kind's columns, extra."""
    return Table(
        name,
        metadata,
        Column("id", FACT_ID, primary_key=True, autoincrement=True),
        Column("document_id", DOC_ID, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
        Column("position", Integer, nullable=False),
        Column("start_char", Integer, nullable=False),
        Column("end_char", Integer, nullable=False),
        *columns,
        Column("extra", Text),
        # Unique (document_id, position) is also the index on the foreign key.
        Index(None, "document_id", "position", unique=True),
        CheckConstraint("start_char >= 0 AND end_char >= start_char", name="offsets"),
    )


attributions = _fact_table(
    "attributions",
    Column("speaker", Text, nullable=False, index=True),
    Column("cue", Text, nullable=False),
    Column("content", Text, nullable=False),
    Column("certainty", String(16), nullable=False),
    Column("speaker_start", Integer),
    Column("speaker_end", Integer),
    Column("parent", Integer),
)

hedges = _fact_table(
    "hedges",
    Column("text", Text, nullable=False),
    Column("kind", String(16), nullable=False),
)

places = _fact_table(
    "places",
    Column("name", Text, nullable=False, index=True),
    Column("mention", Text, nullable=False),
    Column("lat", Float),
    Column("lon", Float),
    Column("country", String(8)),
    Column("admin1", Text),
    Column("status", String(16), nullable=False),
    Column("by_actor", Text),
    Column("geonameid", Integer),
    Column("feature", String(16), nullable=False),
)

provisions = _fact_table(
    "provisions",
    Column("topic", String(32), nullable=False, index=True),
    Column("text", Text, nullable=False),
    Column("number", Integer),
    Column("plan", Text),
)

stances = _fact_table(
    "stances",
    Column("actor", Text, nullable=False, index=True),
    Column("target", Text, nullable=False),
    Column("stance", String(16), nullable=False),
)

predictions = _fact_table(
    "predictions",
    Column("by_actor", Text),
    Column("what", Text, nullable=False),
    Column("deadline", String(10)),
    Column("conditional", Boolean, nullable=False),
)

quantities = _fact_table(
    "quantities",
    Column("value", Float, nullable=False),
    Column("unit", String(32)),
    Column("text", Text, nullable=False),
    Column("about", Text),
)

briefs = Table(
    "briefs",
    metadata,
    Column("id", FACT_ID, primary_key=True, autoincrement=True),
    Column("created_at", UTCDateTime, nullable=False, index=True),
    Column("since", UTCDateTime),
    Column("format", String(16), nullable=False),
    Column("path", Text),
)

# The user's verdicts on predictions: a history (the latest row per prediction counts).
prediction_resolutions = Table(
    "prediction_resolutions",
    metadata,
    Column("id", FACT_ID, primary_key=True, autoincrement=True),
    Column("prediction_id", FACT_ID, ForeignKey("predictions.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("outcome", String(8), nullable=False),
    Column("note", Text),
    Column("evidence_document_id", DOC_ID, ForeignKey("documents.id", ondelete="SET NULL")),
    Column("resolved_at", UTCDateTime, nullable=False),
    CheckConstraint("outcome IN ('true', 'false', 'void')", name="outcome"),
)

# -- linking results (issue #4): what ``sitroom link`` computed, replaced as a whole -------------
# A claim id is "<document id>:<start>"; a group's id is the id of its first claim.
CLAIM_ID = String(96)

# One row (id 1): the store's generation, bumped in the same transaction as every write that changes
# documents or facts (``Store.save``). Linking results record the generation they were computed from.
store_state = Table(
    "store_state",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("generation", BigInteger, nullable=False),
)

# One row (id 1) once results exist: what they were computed from and with.
link_state = Table(
    "link_state",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("generation", BigInteger, nullable=False),  # store_state.generation when the store was read
    Column("documents", Integer, nullable=False),  # count of documents then
    Column("last_ingest_seq", Integer, nullable=False),  # max(documents.ingest_seq) then (0: none)
    Column("options", Text, nullable=False),  # the LinkOptions, as sorted JSON
    Column("code", String(64), nullable=False),  # fingerprint of the linking code and lexicons
    Column("computed_at", UTCDateTime, nullable=False),
    Column("claims", Integer, nullable=False),
    Column("groups", Integer, nullable=False),
    Column("copies", Integer, nullable=False),
)

claim_groups = Table(
    "claim_groups",
    metadata,
    Column("id", CLAIM_ID, primary_key=True),
    Column("seq", Integer, nullable=False, unique=True),  # order of first report (the linker's order)
    Column("text", Text, nullable=False),  # the first report that asserts it
    Column("search_text", Text, nullable=False),  # member texts joined by spaces, casefolded (topic filter)
    Column("first_document_id", DOC_ID, nullable=False),
    Column("first_source", Text),
    Column("first_speaker", Text),
    Column("first_published", UTCDateTime),
    Column("latest_document_id", DOC_ID, nullable=False),
    Column("latest_source", Text),
    Column("latest_published", UTCDateTime),
    Column("claims", Integer, nullable=False),  # number of member claims
    Column("documents", Integer, nullable=False),
    Column("independent_sources", Integer, nullable=False),
    Column("sources", Text, nullable=False),  # JSON list: the independent sources, first reporter first
    Column("all_sources", Text, nullable=False),  # JSON list: every outlet that carries it
    Column("strongest_certainty", String(16), nullable=False),
    Column("denials", Integer, nullable=False),
    # one index per order of ``Store.claim_groups`` (a page is an index walk, not a sort of every group)
    Index("ix_claim_groups_order_sources", text("independent_sources DESC"), "first_published", "seq"),
    Index("ix_claim_groups_order_latest", text("latest_published DESC"), "seq"),
    Index("ix_claim_groups_order_first", "first_published", "seq"),
    Index("ix_claim_groups_order_size", text("claims DESC"), "seq"),
)

claim_group_members = Table(
    "claim_group_members",
    metadata,
    Column("group_id", CLAIM_ID, ForeignKey("claim_groups.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, primary_key=True),  # order within the group (as reported)
    Column("claim_id", CLAIM_ID, nullable=False, index=True),
    Column("document_id", DOC_ID, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("start_char", Integer, nullable=False),
    Column("end_char", Integer, nullable=False),
    Column("text", Text, nullable=False),  # the claim's text, whitespace folded
    Column("speaker", Text),
    Column("source", Text),
    Column("certainty", String(16), nullable=False),
    Column("published", UTCDateTime),
    Column("origin_id", DOC_ID),  # the document this claim's document copies (None: not a copy)
    Column("timestamp", Float),  # seconds into a transcript
)

document_copies = Table(
    "document_copies",
    metadata,
    Column("document_id", DOC_ID, ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("origin_id", DOC_ID, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
)

# Replaced together by ``Store.replace_link_results`` (children first when deleting).
LINK_TABLES: tuple[Table, ...] = (claim_group_members, claim_groups, document_copies, link_state)

# -- the analysis snapshot (issue #6): views computed from the linked corpus once per store state ----
# Written by ``sitroom link`` (and the relink after an ingest) after the claim groups, replaced as a
# whole; ``sitroom brief``, ``places`` and ``export geojson`` read them while they are fresh instead
# of loading and analysing the whole corpus. Payloads are JSON text made by ``analyse.snapshot``.
analysis_state = Table(
    "analysis_state",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("generation", BigInteger, nullable=False),  # the store's generation the corpus was read at
    Column("documents", Integer, nullable=False),
    Column("last_ingest_seq", Integer, nullable=False),
    Column("code", String(64), nullable=False),  # fingerprint of the analysis code (and the linker's)
    Column("computed_at", UTCDateTime, nullable=False),
    Column("seconds", Float, nullable=False),
)

analysis_places = Table(
    "analysis_places",
    metadata,
    Column("rank", Integer, primary_key=True, autoincrement=False),  # the order of ``ground.places``
    Column("name", Text, nullable=False),
    Column("state", Text, nullable=False),  # JSON: ``PlaceState.to_dict(with_reports=False)``
    Column("reports", Integer, nullable=False),  # how many reports it has (rows below)
)

analysis_place_reports = Table(
    "analysis_place_reports",
    metadata,
    Column("place_rank", Integer, primary_key=True, autoincrement=False),
    Column("position", Integer, primary_key=True, autoincrement=False),  # time order
    Column("report", Text, nullable=False),  # JSON: one entry of ``PlaceState.to_dict()["reports"]``
)

# Cross-source events a brief's "What moved" lists when one of their documents is new.
analysis_events = Table(
    "analysis_events",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),  # kind order, then the kind's own order
    Column("kind", String(16), nullable=False),  # contradiction | plan | status | stance
    Column("data", Text, nullable=False),  # JSON
)

analysis_event_documents = Table(
    "analysis_event_documents",
    metadata,
    Column("document_id", DOC_ID, primary_key=True),
    Column("event_seq", Integer, primary_key=True, autoincrement=False),
)

# The predictions ledger without the user's verdicts (read at query time), by deadline.
analysis_predictions = Table(
    "analysis_predictions",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),  # the ledger's order
    Column("deadline_end", Date, index=True),  # the last day the deadline allows (None: no deadline)
    Column("data", Text, nullable=False),  # JSON
)

# Replaced together by ``Store.replace_analysis`` (state last, so a failure leaves it stale).
ANALYSIS_TABLES: tuple[Table, ...] = (
    analysis_places,
    analysis_place_reports,
    analysis_events,
    analysis_event_documents,
    analysis_predictions,
    analysis_state,
)

schema_migrations = Table(
    "schema_migrations",
    metadata,
    Column("name", String(200), primary_key=True),
    Column("applied_at", UTCDateTime, nullable=False),
)

# Table of each fact kind, keyed like ``model.FACT_KINDS``.
FACT_TABLES: dict[str, Table] = {
    "attributions": attributions,
    "hedges": hedges,
    "places": places,
    "provisions": provisions,
    "stances": stances,
    "predictions": predictions,
    "quantities": quantities,
}

# Model field name → column name, where they differ.
COLUMN_FOR_FIELD: dict[str, str] = {"start": "start_char", "end": "end_char", "by": "by_actor"}
