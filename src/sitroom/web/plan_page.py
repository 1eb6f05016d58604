"""What the plan page shows, arranged from ``analyse.plans.PlanView``: the versions as reported
(lineage), the plan as known (with a flag where sources differ), provisions × accounts with what
changed in each, the variants with the sources carrying each reading, and the stance matrix
actors × (the whole plan, each provision) with the reports behind every cell."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..analyse.plans import Cell, PlanView

WHOLE_PLAN = ""  # the matrix column of stances on the plan as a whole
ACCOUNT_COLUMNS = 12  # accounts shown as columns: those that changed something, the first and the latest
CELL_EVIDENCE = 10  # reports listed under a stance cell (the latest; the rest counted)


@dataclass(slots=True)
class MatrixCell:
    """One actor on one column: the latest stance per target named, with the reports behind it."""

    cells: list[Cell] = field(default_factory=list)

    @property
    def stance(self) -> str:
        stances = list(dict.fromkeys(c.stance for c in self.cells))
        return stances[0] if len(stances) == 1 else "mixed"

    @property
    def reports(self) -> int:
        return sum(len(c.evidence) for c in self.cells)

    @property
    def evidence(self) -> list[dict[str, Any]]:
        """The latest ``CELL_EVIDENCE`` reports behind the cell, oldest first."""
        out = [{**e, "target": c.target} for c in self.cells for e in c.evidence]
        out.sort(key=lambda e: e["published"] or "")
        return out[-CELL_EVIDENCE:]


def account_changes(view: PlanView) -> dict[tuple[str, str, str], str]:
    """(plan, document id, topic) → added | changed | dropped, for the accounts a change appears in."""
    return {(ch.version.plan, ch.version.document_id, ch.topic): ch.kind for ch in view.changes}


def stance_matrix(view: PlanView) -> tuple[list[str], list[str], dict[tuple[str, str], MatrixCell]]:
    """Actors (rows), columns (``WHOLE_PLAN`` first, then provision topics) and the cells."""
    cells: dict[tuple[str, str], MatrixCell] = {}
    for cell in view.matrix:
        cells.setdefault((cell.actor, cell.topic or WHOLE_PLAN), MatrixCell()).cells.append(cell)
    actors = sorted({a for a, _ in cells}, key=str.casefold)
    topics = sorted({t for _, t in cells if t != WHOLE_PLAN})
    columns = ([WHOLE_PLAN] if any(t == WHOLE_PLAN for _, t in cells) else []) + topics
    return actors, columns, cells


def columns_of(view: PlanView, marks: dict[tuple[str, str, str], str]) -> list[Any]:
    """The accounts worth a column: the first, each that changed a provision, the latest — at most
    ``ACCOUNT_COLUMNS``, the latest kept (a plan reported by thousands of documents stays readable)."""
    changed = {(plan, doc) for plan, doc, _ in marks}
    keep = [
        v for i, v in enumerate(view.versions) if i in (0, len(view.versions) - 1) or (v.plan, v.document_id) in changed
    ]
    return keep if len(keep) <= ACCOUNT_COLUMNS else [keep[0], *keep[-(ACCOUNT_COLUMNS - 1) :]]


def plan_context(view: PlanView) -> dict[str, Any]:
    topics = list(dict.fromkeys(t for v in view.versions for t in v.provisions))
    marks = account_changes(view)
    accounts = columns_of(view, marks)
    disputed = {(v.plan, v.topic) for v in view.variants}
    known = [{**p, "variant": (p["plan"], p["topic"]) in disputed} for p in view.known.to_dict()]
    actors, columns, cells = stance_matrix(view)
    return {
        "view": view,
        "topics": topics,
        "known": known,
        "marks": marks,
        "accounts": accounts,
        "actors": actors,
        "columns": columns,
        "cells": cells,
        "whole_plan": WHOLE_PLAN,
    }
