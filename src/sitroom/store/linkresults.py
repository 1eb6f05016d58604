"""The SQL of persisted linking results: claim groups, their members, copies, and what they were
computed from. ``Store`` wraps these functions (its write transaction, its read snapshots); the
link stage decides what goes in (``sitroom.link.persist``).

Freshness: ``store_state.generation`` is bumped in the transaction of every write that changes
documents or facts; ``link_state`` records the generation, the number of documents and the last
ingest number the results were computed from. Results are fresh while all three are unchanged
(and the linking options and code are those of the reader: ``link.persist`` checks those).

Every value from source text travels as a bound parameter; the topic filter is a ``LIKE`` with
its wildcards escaped.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import ColumnElement, Connection, Select, delete, func, insert, select, update

from . import schema
from .records import LinkState, StoredClaim, StoredClaimGroup, StoreGeneration

GroupOrder = Literal["sources", "latest", "first", "size"]
GROUP_ORDERS: tuple[str, ...] = ("sources", "latest", "first", "size")
_CHUNK = 5_000  # rows per executemany
_IN_CHUNK = 500

_g = schema.claim_groups
_m = schema.claim_group_members
_d = schema.documents


@dataclass(frozen=True, slots=True)
class GroupQuery:
    """Which stored claim groups to return, and in what order (all filtering and paging in SQL).

    ``since``: latest report at or after it. ``until``: first report at or before it. (Undated groups
    are left out by either.) ``topic``: some member's text contains it (case-insensitive; the
    members' texts are searched as one string, joined by spaces). ``min_sources``: at least this many
    independent sources. ``order``: ``sources`` (most independent sources first, then earliest first
    report, undated first — the ``sitroom claims`` order), ``latest`` (latest report, newest first),
    ``first`` (first report, oldest first) or ``size`` (most claims first); ties in first-report order.
    """

    since: datetime | None = None
    until: datetime | None = None
    topic: str | None = None
    min_sources: int = 0
    order: GroupOrder = "sources"
    limit: int | None = None
    offset: int = 0

    def __post_init__(self) -> None:
        if self.order not in GROUP_ORDERS:
            raise ValueError(f"unknown order {self.order!r}; expected one of {', '.join(GROUP_ORDERS)}")
        if self.offset < 0 or (self.limit is not None and self.limit < 0):
            raise ValueError("limit and offset cannot be negative")


# -- the store's generation ------------------------------------------------------------------


def bump_generation(conn: Connection) -> None:
    """Mark the store as changed (inside the transaction that changes it)."""
    conn.execute(
        update(schema.store_state)
        .where(schema.store_state.c.id == 1)
        .values(generation=schema.store_state.c.generation + 1)
    )


class GenerationReader:
    """Reads the store's generation; counts the documents again only when the write generation or the
    last ingest number moved (every write through ``Store`` moves the first: counting 100,000 rows on
    every request took 7 ms, measured, where the other two are single-row reads)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._known: StoreGeneration | None = None

    def __call__(self, conn: Connection) -> StoreGeneration:
        generation = int(conn.scalar(select(schema.store_state.c.generation).where(schema.store_state.c.id == 1)) or 0)
        last = int(conn.scalar(select(func.coalesce(func.max(_d.c.ingest_seq), 0))) or 0)
        with self._lock:
            known = self._known
        if known is not None and (known.generation, known.last_ingest_seq) == (generation, last):
            return known
        documents = int(conn.scalar(select(func.count()).select_from(_d)) or 0)
        found = StoreGeneration(generation, documents, last)
        with self._lock:
            self._known = found
        return found


def current_generation(conn: Connection, reader: GenerationReader | None = None) -> StoreGeneration:
    """What the store holds now: write generation, documents, last ingest number (``reader``: one
    that remembers the count between calls)."""
    return (reader or GenerationReader())(conn)


# -- writing ---------------------------------------------------------------------------------


def replace_results(
    conn: Connection,
    groups: Iterable[StoredClaimGroup],
    copies: dict[str, str],
    *,
    computed_from: StoreGeneration,
    options: str,
    code: str,
    computed_at: datetime,
) -> tuple[int, int]:
    """Delete the previous results and insert these (inside the caller's one transaction).
    Returns (groups, claims) written."""
    for table in schema.LINK_TABLES:
        conn.execute(delete(table))
    group_rows: list[dict[str, Any]] = []
    member_rows: list[dict[str, Any]] = []
    n_groups = n_claims = 0
    for g in groups:
        group_rows.append(_group_row(g))
        member_rows.extend(_member_row(g.id, i, c) for i, c in enumerate(g.members))
        n_groups += 1
        n_claims += len(g.members)
        if len(member_rows) >= _CHUNK:
            _flush(conn, group_rows, member_rows)
    _flush(conn, group_rows, member_rows)
    rows = [{"document_id": copy, "origin_id": origin} for copy, origin in copies.items()]
    for i in range(0, len(rows), _CHUNK):
        conn.execute(insert(schema.document_copies), rows[i : i + _CHUNK])
    conn.execute(
        insert(schema.link_state),
        {
            "id": 1,
            "generation": computed_from.generation,
            "documents": computed_from.documents,
            "last_ingest_seq": computed_from.last_ingest_seq,
            "options": options,
            "code": code,
            "computed_at": computed_at,
            "claims": n_claims,
            "groups": n_groups,
            "copies": len(copies),
        },
    )
    return n_groups, n_claims


def _flush(conn: Connection, group_rows: list[dict[str, Any]], member_rows: list[dict[str, Any]]) -> None:
    if group_rows:
        conn.execute(insert(_g), group_rows)
    if member_rows:
        conn.execute(insert(_m), member_rows)
    group_rows.clear()
    member_rows.clear()


def _group_row(g: StoredClaimGroup) -> dict[str, Any]:
    return {
        "id": g.id,
        "seq": g.seq,
        "text": g.text,
        "search_text": " ".join(c.text for c in g.members).casefold(),
        "first_document_id": g.first_document_id,
        "first_source": g.first_source,
        "first_speaker": g.first_speaker,
        "first_published": g.first_published,
        "latest_document_id": g.latest_document_id,
        "latest_source": g.latest_source,
        "latest_published": g.latest_published,
        "claims": g.claims,
        "documents": g.documents,
        "independent_sources": len(g.sources),
        "sources": json.dumps(g.sources, ensure_ascii=False),
        "all_sources": json.dumps(g.all_sources, ensure_ascii=False),
        "strongest_certainty": g.strongest_certainty,
        "denials": g.denials,
    }


def _member_row(group_id: str, position: int, c: StoredClaim) -> dict[str, Any]:
    return {
        "group_id": group_id,
        "position": position,
        "claim_id": c.claim_id,
        "document_id": c.document_id,
        "start_char": c.start,
        "end_char": c.end,
        "text": c.text,
        "speaker": c.speaker,
        "source": c.source,
        "certainty": c.certainty,
        "published": c.published,
        "origin_id": c.origin_id,
        "timestamp": c.timestamp,
    }


# -- reading ---------------------------------------------------------------------------------


def read_state(conn: Connection, reader: GenerationReader | None = None) -> LinkState | None:
    row = conn.execute(select(schema.link_state).where(schema.link_state.c.id == 1)).mappings().first()
    if row is None:
        return None
    return LinkState(
        computed_from=StoreGeneration(int(row["generation"]), int(row["documents"]), int(row["last_ingest_seq"])),
        options=row["options"],
        code=row["code"],
        computed_at=row["computed_at"],
        claims=int(row["claims"]),
        groups=int(row["groups"]),
        copies=int(row["copies"]),
        current=current_generation(conn, reader),
    )


def read_copies(conn: Connection) -> dict[str, str]:
    t = schema.document_copies
    return {row.document_id: row.origin_id for row in conn.execute(select(t.c.document_id, t.c.origin_id))}


def _where(stmt: Select[Any], q: GroupQuery) -> Select[Any]:
    if q.since is not None:
        stmt = stmt.where(_g.c.latest_published >= q.since)
    if q.until is not None:
        stmt = stmt.where(_g.c.first_published <= q.until)
    if q.topic:
        stmt = stmt.where(_g.c.search_text.contains(q.topic.casefold(), autoescape=True))
    if q.min_sources > 0:
        stmt = stmt.where(_g.c.independent_sources >= q.min_sources)
    return stmt


def _order(order: GroupOrder) -> list[ColumnElement[Any]]:
    if order == "latest":
        return [_g.c.latest_published.desc().nulls_last(), _g.c.seq]
    if order == "first":
        return [_g.c.first_published.asc().nulls_last(), _g.c.seq]
    if order == "size":
        return [_g.c.claims.desc(), _g.c.seq]
    return [_g.c.independent_sources.desc(), _g.c.first_published.asc().nulls_first(), _g.c.seq]


def count_groups(conn: Connection, q: GroupQuery) -> int:
    return int(conn.scalar(_where(select(func.count()).select_from(_g), q)) or 0)


def query_groups(conn: Connection, q: GroupQuery, *, members: bool = True) -> list[StoredClaimGroup]:
    stmt = _where(select(_g), q).order_by(*_order(q.order))
    if q.limit is not None:
        stmt = stmt.limit(q.limit)
    if q.offset:
        stmt = stmt.offset(q.offset)
    rows = list(conn.execute(stmt).mappings())
    found = read_members(conn, [row["id"] for row in rows]) if members else {}
    return [_group(row, found.get(row["id"], [])) for row in rows]


def read_group(conn: Connection, group_id: str, *, members: bool = True) -> StoredClaimGroup | None:
    row = conn.execute(select(_g).where(_g.c.id == group_id)).mappings().first()
    if row is None:
        return None
    return _group(row, read_members(conn, [group_id]).get(group_id, []) if members else [])


def read_members(conn: Connection, group_ids: Sequence[str]) -> dict[str, list[StoredClaim]]:
    out: dict[str, list[StoredClaim]] = {}
    for i in range(0, len(group_ids), _IN_CHUNK):
        chunk = list(group_ids[i : i + _IN_CHUNK])
        rows = conn.execute(select(_m).where(_m.c.group_id.in_(chunk)).order_by(_m.c.group_id, _m.c.position))
        for row in rows.mappings():
            out.setdefault(row["group_id"], []).append(stored_claim(row))
    return out


def document_groups(conn: Connection, document_id: str, min_claims: int) -> list[tuple[int, int, str, str]]:
    """(start, end, group id, group text) of a document's claims in groups of at least ``min_claims``."""
    stmt = (
        select(_m.c.start_char, _m.c.end_char, _g.c.id, _g.c.text)
        .join(_g, _g.c.id == _m.c.group_id)
        .where(_m.c.document_id == document_id, _g.c.claims >= min_claims)
        .order_by(_m.c.start_char, _m.c.end_char, _g.c.id)
    )
    return [(int(s), int(e), gid, text) for s, e, gid, text in conn.execute(stmt)]


def groups_touching(
    conn: Connection, document_ids: Iterable[str], min_sources: int
) -> list[tuple[StoredClaimGroup, StoredClaim]]:
    """The groups (without members) with at least ``min_sources`` independent sources that a claim of
    one of ``document_ids`` belongs to, in first-report order, each with the last such claim in it."""
    ids = sorted(set(document_ids))
    latest: dict[str, tuple[int, Any]] = {}
    for i in range(0, len(ids), _IN_CHUNK):
        rows = conn.execute(select(_m).where(_m.c.document_id.in_(ids[i : i + _IN_CHUNK])))
        for row in rows.mappings():
            known = latest.get(row["group_id"])
            if known is None or row["position"] > known[0]:
                latest[row["group_id"]] = (int(row["position"]), row)
    wanted = sorted(latest)
    found: list[tuple[StoredClaimGroup, StoredClaim]] = []
    for i in range(0, len(wanted), _IN_CHUNK):
        stmt = select(_g).where(_g.c.id.in_(wanted[i : i + _IN_CHUNK]), _g.c.independent_sources >= min_sources)
        found.extend((_group(row, []), stored_claim(latest[row["id"]][1])) for row in conn.execute(stmt).mappings())
    found.sort(key=lambda pair: pair[0].seq)
    return found


MemberKey = tuple[str, int, str | None, str]  # claim id, end, speaker, certainty


def member_keys(conn: Connection) -> list[tuple[str, list[MemberKey]]]:
    """Every group's id and its members' keys in order, groups in first-report order. (A claim id is
    not always unique: two attributions whose short contents both grow to one sentence share it.)"""
    out: dict[str, list[MemberKey]] = {}
    stmt = (
        select(_m.c.group_id, _m.c.claim_id, _m.c.end_char, _m.c.speaker, _m.c.certainty)
        .join(_g, _g.c.id == _m.c.group_id)
        .order_by(_g.c.seq, _m.c.position)
    )
    for group_id, claim_id, end, speaker, certainty in conn.execute(stmt):
        out.setdefault(group_id, []).append((claim_id, int(end), speaker, certainty))
    return list(out.items())


def _group(row: Any, members: list[StoredClaim]) -> StoredClaimGroup:
    return StoredClaimGroup(
        id=row["id"],
        seq=int(row["seq"]),
        text=row["text"],
        first_document_id=row["first_document_id"],
        first_source=row["first_source"],
        first_speaker=row["first_speaker"],
        first_published=row["first_published"],
        latest_document_id=row["latest_document_id"],
        latest_source=row["latest_source"],
        latest_published=row["latest_published"],
        claims=int(row["claims"]),
        documents=int(row["documents"]),
        sources=list(json.loads(row["sources"])),
        all_sources=list(json.loads(row["all_sources"])),
        strongest_certainty=row["strongest_certainty"],
        denials=int(row["denials"]),
        members=members,
    )


def stored_claim(row: Any) -> StoredClaim:
    """A ``claim_group_members`` row (as a mapping) as a :class:`StoredClaim`."""
    return StoredClaim(
        claim_id=row["claim_id"],
        document_id=row["document_id"],
        start=int(row["start_char"]),
        end=int(row["end_char"]),
        text=row["text"],
        speaker=row["speaker"],
        source=row["source"],
        certainty=row["certainty"],
        published=row["published"],
        origin_id=row["origin_id"],
        timestamp=row["timestamp"],
    )


__all__ = ["GROUP_ORDERS", "GroupOrder", "GroupQuery", "MemberKey", "stored_claim"]
