"""Model dataclasses ⇄ table rows.

A field maps to the column of the same name (or ``schema.COLUMN_FOR_FIELD``'s name); a field
with no column is kept in the row's ``extra`` JSON, so it survives a round trip.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from sqlalchemy import Table

from .. import model
from . import schema

# Columns that belong to the store, not to the model.
_FACT_STORE_COLUMNS = frozenset({"id", "document_id", "position", "extra"})
_DOCUMENT_STORE_COLUMNS = frozenset({"ingest_seq", "ingested_at", "previous_id", "extra"})


@dataclass(frozen=True, slots=True)
class Plan:
    """How one dataclass maps onto one table: (field, column) pairs and the fields kept in extra."""

    cls: type[Any]
    table: Table
    columns: tuple[tuple[str, str], ...]
    extra_fields: tuple[str, ...]


def make_plan(cls: type[Any], table: Table, reserved: frozenset[str], skip: frozenset[str] = frozenset()) -> Plan:
    """Map ``cls``'s fields (less ``skip``) onto ``table``'s columns (less ``reserved``)."""
    columns: list[tuple[str, str]] = []
    extra: list[str] = []
    for f in dataclasses.fields(cls):
        if f.name in skip:
            continue
        column = schema.COLUMN_FOR_FIELD.get(f.name, f.name)
        if column in table.c and column not in reserved:
            columns.append((f.name, column))
        else:
            extra.append(f.name)
    return Plan(cls, table, tuple(columns), tuple(extra))


FACT_PLANS: Mapping[str, Plan] = MappingProxyType(
    {kind: make_plan(cls, schema.FACT_TABLES[kind], _FACT_STORE_COLUMNS) for kind, cls in model.FACT_KINDS.items()}
)
DOCUMENT_PLAN = make_plan(model.Document, schema.documents, _DOCUMENT_STORE_COLUMNS, skip=frozenset({"cues"}))


def _extra_json(obj: object, plan: Plan) -> str | None:
    if not plan.extra_fields:
        return None
    values = {name: getattr(obj, name) for name in plan.extra_fields}
    return json.dumps(values, ensure_ascii=False, sort_keys=True)


def _from_row(plan: Plan, row: Mapping[Any, Any], **more: Any) -> Any:
    kwargs: dict[str, Any] = {name: row[column] for name, column in plan.columns}
    if row.get("extra"):
        stored = json.loads(row["extra"])
        names = {f.name for f in dataclasses.fields(plan.cls)}
        kwargs.update({k: v for k, v in stored.items() if k in names})
    kwargs.update(more)
    return plan.cls(**kwargs)


def fact_to_row(kind: str, fact: model.Fact, document_id: str, position: int) -> dict[str, Any]:
    plan = FACT_PLANS[kind]
    if not isinstance(fact, plan.cls):
        raise TypeError(f"{kind}[{position}] is a {type(fact).__name__}, not a {plan.cls.__name__}")
    row = {column: getattr(fact, name) for name, column in plan.columns}
    row.update(document_id=document_id, position=position, extra=_extra_json(fact, plan))
    return row


def row_to_fact(kind: str, row: Mapping[Any, Any]) -> model.Fact:
    fact: model.Fact = _from_row(FACT_PLANS[kind], row)
    return fact


def document_to_row(doc: model.Document) -> dict[str, Any]:
    row = {column: getattr(doc, name) for name, column in DOCUMENT_PLAN.columns}
    row["extra"] = _extra_json(doc, DOCUMENT_PLAN)
    return row


def row_to_document(row: Mapping[Any, Any], cues: list[model.Cue]) -> model.Document:
    doc: model.Document = _from_row(DOCUMENT_PLAN, row, cues=cues)
    return doc


def cue_to_row(cue: model.Cue, document_id: str, position: int) -> dict[str, Any]:
    return {
        "document_id": document_id,
        "position": position,
        "start_char": cue.start,
        "end_char": cue.end,
        "t_start": cue.t_start,
        "t_end": cue.t_end,
    }


def row_to_cue(row: Mapping[Any, Any]) -> model.Cue:
    return model.Cue(row["start_char"], row["end_char"], row["t_start"], row["t_end"])
