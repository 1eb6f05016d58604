"""The SQL of the stored analysis snapshot: place states with their reports, the story events a
brief's "What moved" draws on, and the predictions ledger's base rows. ``Store`` wraps these (its
write transaction, its read snapshots); what goes in is decided by ``sitroom.analyse.snapshot``.

Payloads are JSON text made by the analyse stage; this module only moves them. Fresh while the
store's generation is the one recorded (``analysis_state``) — ``analyse.snapshot`` also checks the
code fingerprint and that the claim groups it read are fresh.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, delete, insert, select

from . import schema
from .linkresults import GenerationReader, current_generation
from .records import AnalysisState, StoreGeneration

_CHUNK = 5_000
_IN_CHUNK = 500
_e = schema.analysis_events
_ed = schema.analysis_event_documents
_p = schema.analysis_places
_pr = schema.analysis_place_reports
_lp = schema.analysis_predictions

PlaceRow = tuple[dict[str, Any], list[dict[str, Any]]]  # state (without reports), its reports in time order
EventRow = tuple[str, dict[str, Any], Sequence[str]]  # kind, data, the documents that make it new
PredictionRow = tuple[date | None, dict[str, Any]]  # deadline end, data


def replace(
    conn: Connection,
    *,
    places: Iterable[PlaceRow],
    events: Iterable[EventRow],
    predictions: Iterable[PredictionRow],
    computed_from: StoreGeneration,
    code: str,
    computed_at: datetime,
    seconds: float,
) -> dict[str, int]:
    """Delete the previous snapshot and insert this one (inside the caller's transaction)."""
    for table in schema.ANALYSIS_TABLES:
        conn.execute(delete(table))
    counts = {"places": 0, "reports": 0, "events": 0, "predictions": 0}
    place_rows: list[dict[str, Any]] = []
    report_rows: list[dict[str, Any]] = []
    for rank, (state, reports) in enumerate(places):
        place_rows.append({"rank": rank, "name": state["name"], "state": _dump(state), "reports": len(reports)})
        report_rows.extend({"place_rank": rank, "position": i, "report": _dump(r)} for i, r in enumerate(reports))
        counts["reports"] += len(reports)
        if len(report_rows) >= _CHUNK:
            _insert(conn, _pr, report_rows)
    counts["places"] = len(place_rows)
    _insert(conn, _p, place_rows)
    _insert(conn, _pr, report_rows)
    event_rows: list[dict[str, Any]] = []
    trigger_rows: list[dict[str, Any]] = []
    for seq, (kind, data, documents) in enumerate(events):
        event_rows.append({"seq": seq, "kind": kind, "data": _dump(data)})
        trigger_rows.extend({"document_id": d, "event_seq": seq} for d in sorted(set(documents)))
        if len(trigger_rows) >= _CHUNK:
            _insert(conn, _e, event_rows)
            _insert(conn, _ed, trigger_rows)
        counts["events"] += 1
    _insert(conn, _e, event_rows)
    _insert(conn, _ed, trigger_rows)
    prediction_rows = [
        {"seq": seq, "deadline_end": end, "data": _dump(data)} for seq, (end, data) in enumerate(predictions)
    ]
    counts["predictions"] = len(prediction_rows)
    for i in range(0, len(prediction_rows), _CHUNK):
        conn.execute(insert(_lp), prediction_rows[i : i + _CHUNK])
    conn.execute(
        insert(schema.analysis_state),
        {
            "id": 1,
            "generation": computed_from.generation,
            "documents": computed_from.documents,
            "last_ingest_seq": computed_from.last_ingest_seq,
            "code": code,
            "computed_at": computed_at,
            "seconds": seconds,
        },
    )
    return counts


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _insert(conn: Connection, table: Any, rows: list[dict[str, Any]]) -> None:
    if rows:
        conn.execute(insert(table), rows)
    rows.clear()


def read_state(conn: Connection, reader: GenerationReader | None = None) -> AnalysisState | None:
    t = schema.analysis_state
    row = conn.execute(select(t).where(t.c.id == 1)).mappings().first()
    if row is None:
        return None
    return AnalysisState(
        computed_from=StoreGeneration(int(row["generation"]), int(row["documents"]), int(row["last_ingest_seq"])),
        code=row["code"],
        computed_at=row["computed_at"],
        seconds=float(row["seconds"]),
        current=current_generation(conn, reader),
    )


def read_places(conn: Connection, reports: int | None) -> list[tuple[dict[str, Any], list[dict[str, Any]], int]]:
    """Every place's state, its latest ``reports`` reports in time order (None: all; 0: none) and how
    many it has."""
    out = []
    for rank, state, total in conn.execute(select(_p.c.rank, _p.c.state, _p.c.reports).order_by(_p.c.rank)):
        kept: list[dict[str, Any]] = []
        if reports is None or reports > 0:
            stmt = select(_pr.c.report).where(_pr.c.place_rank == rank).order_by(_pr.c.position.desc())
            if reports is not None:
                stmt = stmt.limit(reports)
            kept = [json.loads(r) for (r,) in conn.execute(stmt)]
            kept.reverse()
        out.append((json.loads(state), kept, int(total)))
    return out


def events_for(conn: Connection, document_ids: Iterable[str]) -> list[tuple[str, dict[str, Any]]]:
    """The events (kind, data) one of ``document_ids`` takes part in, in stored order, each once."""
    ids = sorted(set(document_ids))
    seqs: set[int] = set()
    for i in range(0, len(ids), _IN_CHUNK):
        chunk = ids[i : i + _IN_CHUNK]
        seqs.update(int(s) for (s,) in conn.execute(select(_ed.c.event_seq).where(_ed.c.document_id.in_(chunk))))
    ordered = sorted(seqs)
    out: list[tuple[str, dict[str, Any]]] = []
    for i in range(0, len(ordered), _IN_CHUNK):
        chunk_seqs = ordered[i : i + _IN_CHUNK]
        rows = conn.execute(select(_e.c.kind, _e.c.data).where(_e.c.seq.in_(chunk_seqs)).order_by(_e.c.seq))
        out.extend((kind, json.loads(data)) for kind, data in rows)
    return out


def predictions_due(conn: Connection, start: date | None, end: date) -> list[dict[str, Any]]:
    """Ledger rows whose deadline ends from ``start`` (None: any time) to ``end``, in ledger order."""
    stmt = select(_lp.c.data).where(_lp.c.deadline_end.is_not(None), _lp.c.deadline_end <= end)
    if start is not None:
        stmt = stmt.where(_lp.c.deadline_end >= start)
    return [json.loads(data) for (data,) in conn.execute(stmt.order_by(_lp.c.seq))]


__all__ = [
    "EventRow",
    "PlaceRow",
    "PredictionRow",
    "events_for",
    "predictions_due",
    "read_places",
    "read_state",
    "replace",
]
