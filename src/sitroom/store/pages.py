"""Paged, filtered reads for lists a user scrolls (the web app, the API): the database does the
filtering, ordering, ``LIMIT``/``OFFSET`` and counting, so a page costs the same on a store of 100
documents as on one of 100,000.

    q = DocumentQuery(source="Harbor Post", since=day, limit=50)
    rows = documents_page(store, q)          # newest first, undated last
    total = count_documents(store, q)        # exact, or None past ``cap`` ("more than cap")

Every value a user gives travels as a bound parameter. Functions take a ``Store`` and use its read
snapshot (``Store.read``); they add no method to it.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, func, literal_column, select

from .. import model
from . import codec, schema
from .database import STORED_DOCUMENT_COLUMNS, Store
from .linkresults import stored_claim
from .records import StoredClaim, StoredDocument, StoredFact

_d = schema.documents
_IN_CHUNK = 500

DOCUMENT_COLUMNS = STORED_DOCUMENT_COLUMNS  # what a document list reads: metadata and length, no text


@dataclass(frozen=True, slots=True)
class DocumentQuery:
    """Which documents: ``source`` (exact, case-insensitive), ``kind`` (exact), ``since``/``until``
    (publication time, inclusive; undated documents are left out by either), and which page."""

    source: str | None = None
    kind: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    limit: int | None = 50
    offset: int = 0

    def __post_init__(self) -> None:
        if self.offset < 0 or (self.limit is not None and self.limit < 0):
            raise ValueError("limit and offset cannot be negative")

    @property
    def filtered(self) -> bool:
        return any(v is not None for v in (self.source, self.kind, self.since, self.until))


def _document_filters(q: DocumentQuery) -> list[ColumnElement[bool]]:
    out: list[ColumnElement[bool]] = []
    if q.source is not None:
        out.append(func.lower(_d.c.source) == q.source.lower())
    if q.kind is not None:
        out.append(_d.c.kind == q.kind)
    if q.since is not None:
        out.append(_d.c.published >= q.since)
    if q.until is not None:
        out.append(_d.c.published <= q.until)
    return out


def documents_page(store: Store, q: DocumentQuery) -> list[StoredDocument]:
    """One page of documents, newest first (undated last, newest ingest first among equals)."""
    stmt = (
        select(*DOCUMENT_COLUMNS)
        .where(*_document_filters(q))
        .order_by(_d.c.published.desc().nulls_last(), _d.c.ingest_seq.desc())
    )
    if q.limit is not None:
        stmt = stmt.limit(q.limit)
    if q.offset:
        stmt = stmt.offset(q.offset)
    with store.read() as conn:
        return [StoredDocument(**row._asdict()) for row in conn.execute(stmt)]


def _capped_count(stmt: Select[Any], cap: int | None) -> Select[Any]:
    """``SELECT count(*)`` over the rows of ``stmt``, stopping after ``cap + 1`` of them."""
    if cap is not None:
        stmt = stmt.limit(cap + 1)
    return select(func.count()).select_from(stmt.subquery())


def count_documents(store: Store, q: DocumentQuery, cap: int | None = None) -> int | None:
    """How many documents match ``q`` (its page is ignored); None when there are more than ``cap``
    (counting stops there: the cost of a count is bounded on a large store)."""
    stmt: Select[Any] = select(literal_column("1")).select_from(_d).where(*_document_filters(q))
    with store.read() as conn:
        n = int(conn.scalar(_capped_count(stmt, cap)) or 0)
    return None if cap is not None and n > cap else n


def document_names(store: Store) -> tuple[list[str], list[str]]:
    """The distinct sources and kinds of the stored documents, sorted (for filter menus)."""
    with store.read() as conn:
        sources = [s for (s,) in conn.execute(select(_d.c.source).where(_d.c.source.is_not(None)).distinct())]
        kinds = [k for (k,) in conn.execute(select(_d.c.kind).distinct())]
    return sorted(sources, key=str.casefold), sorted(kinds)


def newest_cutoff(store: Store, column: str, after: datetime | None, keep: int) -> tuple[int, datetime | None]:
    """How many documents have ``column`` (``published`` or ``ingested_at``) after ``after`` (all
    dated ones when None), and a time past which only the newest ``keep`` of them lie (None: they
    are ``keep`` or fewer). For a brief of "the latest ``keep``" on a store that got thousands."""
    col = _d.c[column]
    where = [col > after] if after is not None else [col.is_not(None)]
    with store.read() as conn:
        n = int(conn.scalar(select(func.count()).select_from(_d).where(*where)) or 0)
        if n <= keep:
            return n, None
        cutoff = conn.scalar(select(col).where(*where).order_by(col.desc()).limit(1).offset(keep))
    return n, cutoff


def matching_ids(store: Store, ids: Sequence[str], q: DocumentQuery) -> set[str]:
    """Those of ``ids`` whose documents match the filters of ``q`` (a few queries, not one per id)."""
    found: set[str] = set()
    filters = _document_filters(q)
    unique = list(dict.fromkeys(ids))
    with store.read() as conn:
        for i in range(0, len(unique), _IN_CHUNK):
            chunk = unique[i : i + _IN_CHUNK]
            found.update(r for (r,) in conn.execute(select(_d.c.id).where(_d.c.id.in_(chunk), *filters)))
    return found


def extraction_with_ids(store: Store, document_id: str) -> tuple[model.Extraction, dict[str, list[int]]] | None:
    """One document with its cues and facts (in position order) and each fact's row id (``ids[kind][i]``
    is that of ``extraction.<kind>[i]``), in one read snapshot; None when no such document."""
    with store.read() as conn:
        row = conn.execute(select(_d).where(_d.c.id == document_id)).mappings().first()
        if row is None:
            return None
        cue_rows = conn.execute(
            select(schema.cues).where(schema.cues.c.document_id == document_id).order_by(schema.cues.c.position)
        ).mappings()
        extraction = model.Extraction(document=codec.row_to_document(row, [codec.row_to_cue(c) for c in cue_rows]))
        ids: dict[str, list[int]] = {kind: [] for kind in schema.FACT_TABLES}
        for kind, table in schema.FACT_TABLES.items():
            stmt = select(table).where(table.c.document_id == document_id).order_by(table.c.position)
            for fact_row in conn.execute(stmt).mappings():
                getattr(extraction, kind).append(codec.row_to_fact(kind, fact_row))
                ids[kind].append(int(fact_row["id"]))
    return extraction, ids


# -- claim group members --------------------------------------------------------------------


def group_members(
    store: Store, group_ids: Sequence[str], first: int, denied: Collection[str] = (), offset: int = 0
) -> dict[str, list[StoredClaim]]:
    """For each stored group, ``first`` members from position ``offset`` (in the order reported) and,
    for the groups in ``denied`` (those whose ``denials`` count is not 0), up to ``first`` other
    members that deny it, the earliest, in order — what a list of groups or one group's page shows,
    without reading the thousands of members of a big group (one walk of the members' primary key)."""
    m = schema.claim_group_members
    out: dict[str, list[StoredClaim]] = {}
    with store.read() as conn:
        for group_id in dict.fromkeys(group_ids):
            stmt = (
                select(m).where(m.c.group_id == group_id, m.c.position >= offset).order_by(m.c.position).limit(first)
            )
            rows = list(conn.execute(stmt).mappings())
            if group_id in denied:
                shown = {row["position"] for row in rows}
                denials = (
                    select(m)
                    .where(m.c.group_id == group_id, m.c.certainty == "denied")
                    .order_by(m.c.position)
                    .limit(first + len(shown))
                )
                others = [row for row in conn.execute(denials).mappings() if row["position"] not in shown]
                rows.extend(others[:first])
                rows.sort(key=lambda row: row["position"])
            out[group_id] = [stored_claim(row) for row in rows]
    return out


# -- facts --------------------------------------------------------------------------------


def _fact_kinds(kind: str | None) -> list[str]:
    if kind is None:
        return list(model.FACT_KINDS)
    if kind not in schema.FACT_TABLES:
        raise ValueError(f"unknown fact kind {kind!r}")
    return [kind]


def count_facts(store: Store, kind: str | None = None, document_id: str | None = None) -> dict[str, int]:
    """How many facts of each kind (one kind or all), of one document or all."""
    out: dict[str, int] = {}
    with store.read() as conn:
        for name in _fact_kinds(kind):
            table = schema.FACT_TABLES[name]
            stmt = select(func.count()).select_from(table)
            if document_id is not None:
                stmt = stmt.where(table.c.document_id == document_id)
            out[name] = int(conn.scalar(stmt) or 0)
    return out


def facts_page(
    store: Store,
    kind: str | None = None,
    document_id: str | None = None,
    *,
    limit: int = 50,
    offset: int = 0,
    counts: dict[str, int] | None = None,
) -> list[tuple[str, StoredFact[Any]]]:
    """One page of facts as (kind, stored fact): kinds in ``model.FACT_KINDS`` order, each in stored
    order — the order of walking every kind's table in turn. ``counts`` (from ``count_facts``) saves
    counting again."""
    if limit < 0 or offset < 0:
        raise ValueError("limit and offset cannot be negative")
    counts = counts if counts is not None else count_facts(store, kind, document_id)
    out: list[tuple[str, StoredFact[Any]]] = []
    skip, want = offset, limit
    with store.read() as conn:
        for name in _fact_kinds(kind):
            n = counts.get(name, 0)
            if want <= 0:
                break
            if skip >= n:
                skip -= n
                continue
            table = schema.FACT_TABLES[name]
            stmt = select(table).order_by(table.c.id).limit(want).offset(skip)
            if document_id is not None:
                stmt = stmt.where(table.c.document_id == document_id)
            rows = list(conn.execute(stmt).mappings())
            out.extend((name, StoredFact(row["id"], row["document_id"], codec.row_to_fact(name, row))) for row in rows)
            want -= len(rows)
            skip = 0
    return out


__all__ = [
    "DOCUMENT_COLUMNS",
    "DocumentQuery",
    "count_documents",
    "count_facts",
    "document_names",
    "documents_page",
    "extraction_with_ids",
    "facts_page",
    "group_members",
    "matching_ids",
    "newest_cutoff",
]
