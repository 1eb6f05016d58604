"""What the plan page shows, arranged from ``analyse.plans.PlanView``: the versions as reported
(lineage), the plan as known (with a flag where sources differ), provisions × accounts with what
changed in each, the variants with the sources carrying each reading, and the stance matrix
actors × (the whole plan, each provision) with the reports behind every cell."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..analyse.plans import Cell, PlanView

WHOLE_PLAN = ""  # the matrix column of stances on the plan as a whole


@dataclass(slots=True)
class MatrixCell:
    """One actor on one column: the latest stance per target named, with the reports behind it."""

    cells: list[Cell] = field(default_factory=list)

    @property
    def stance(self) -> str:
        stances = list(dict.fromkeys(c.stance for c in self.cells))
        return stances[0] if len(stances) == 1 else "mixed"

    @property
    def evidence(self) -> list[dict[str, Any]]:
        out = [{**e, "target": c.target} for c in self.cells for e in c.evidence]
        out.sort(key=lambda e: e["published"] or "")
        return out


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


def plan_context(view: PlanView) -> dict[str, Any]:
    topics = list(dict.fromkeys(t for v in view.versions for t in v.provisions))
    disputed = {(v.plan, v.topic) for v in view.variants}
    known = [{**p, "variant": (p["plan"], p["topic"]) in disputed} for p in view.known.to_dict()]
    actors, columns, cells = stance_matrix(view)
    return {
        "view": view,
        "topics": topics,
        "known": known,
        "marks": account_changes(view),
        "actors": actors,
        "columns": columns,
        "cells": cells,
        "whole_plan": WHOLE_PLAN,
    }
