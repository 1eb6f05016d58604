"""The brief's "What moved" section: what the new documents change in the story across sources.

Headings (each line cited; documents older than the brief's window are cited too when they are the
other side of a comparison):

* **Now confirmed** — claim groups that a new document joins and that have at least two independent
  sources: "confirmed by N independent sources", first reporter and date.
* **Contradicted** — contradictions with evidence from a new document, both sides quoted.
* **Plan changed** — provisions added, dropped or changed in a plan version from a new document.
* **Town status changed** — a place's decided control status changing on a new report.
* **Stance changed** — an actor's stance on a target differing from its previous one, more than three
  days after that was last reported (closer together, the two are a contradiction).
* **Predictions due** — unresolved predictions whose deadline falls from the window's start to a
  week after the brief is made (overdue ones first: resolve them with ``sitroom predictions resolve``);
  the first ``DUE_LINES``, and the heading says how many there are in all.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from ..analyse.predictions import deadline_end
from ..analyse.snapshot import Moves

Cite = Callable[[str, str, str, int | None], None]  # (heading, text, document id, offset) -> adds a line
DUE_AHEAD = timedelta(days=7)
CONFIRMED_LINES = 15
DUE_LINES = 25  # predictions listed as due (soonest deadline first); the heading says how many more


def what_moved(
    moves: Moves,
    new_documents: set[str],
    cite: Cite,
    *,
    since: datetime | None,
    now: datetime,
    resolutions: dict[int, dict[str, object]] | None = None,
) -> None:
    """Add the section's lines through ``cite`` (heading, text, document id, character offset).

    ``moves``: the corpus-wide analysis, computed from the corpus (``analyse.snapshot.CorpusMoves``)
    or read from the stored snapshot (``StoredMoves``); both give the same lines."""
    _confirmed(moves, new_documents, cite)
    events = moves.events(new_documents)
    for kind, render in _EVENTS:
        for event_kind, data in events:
            if event_kind == kind:
                render(data, cite)
    _due(moves, cite, since.date() if since else None, now.date(), resolutions or {})


def _confirmed(moves: Moves, new: set[str], cite: Cite) -> None:
    rows = sorted(moves.confirmed(new), key=lambda c: -len(c.sources))  # stable: first-report order within
    for c in rows[:CONFIRMED_LINES]:
        when = c.first_published.date().isoformat() if c.first_published else "undated"
        text = (
            f"“{c.text}” — confirmed by {len(c.sources)} independent sources ({', '.join(c.sources)}); "
            f"first reported by {c.first_source or 'unknown source'} on {when}, strongest: {c.strongest}"
        )
        cite("Now confirmed", text, c.document_id, c.start)


def _contradicted(x: dict[str, Any], cite: Cite) -> None:
    a, b = x["a"], x["b"]
    text = (
        f"{x['kind']}: {x['subject']} — {a['voice']} ({a['source'] or 'unknown source'}): {a['value']}; "
        f"contradicted by {b['voice']} ({b['source'] or 'unknown source'}): {b['value']}"
    )
    cite("Contradicted", text, a["document_id"], None)
    cite("Contradicted", f"… the other side: “{b['text']}”", b["document_id"], None)


def _plan_changed(ch: dict[str, Any], cite: Cite) -> None:
    text = f"{ch['plan']}: point on {ch['topic']} {ch['kind']} — “{ch['detail']}”"
    cite("Plan changed", text, ch["document_id"], None)


def _status_changed(ch: dict[str, Any], cite: Cite) -> None:
    by = f" by {ch['by']}" if ch["by"] else ""
    text = f"{ch['place']}: {ch['before']} → {ch['after']}{by} (reported by {ch['voice']})"
    cite("Town status changed", text, ch["document_id"], None)


def _stance_changed(sc: dict[str, Any], cite: Cite) -> None:
    text = f"{sc['actor']} on {sc['target']}: {sc['before']} → {sc['after']}"
    cite("Stance changed", text, sc["document_id"], None)


_EVENTS: tuple[tuple[str, Callable[[dict[str, Any], Cite], None]], ...] = (
    ("contradiction", _contradicted),
    ("plan", _plan_changed),
    ("status", _status_changed),
    ("stance", _stance_changed),
)


def _due(moves: Moves, cite: Cite, start: date | None, today: date, resolutions: dict[int, dict[str, object]]) -> None:
    horizon = today + DUE_AHEAD
    due = [e for e in moves.predictions_due(start, horizon) if e["id"] is None or e["id"] not in resolutions]
    heading = "Predictions due"
    if len(due) > DUE_LINES:
        heading += (
            f" (the first {DUE_LINES} of {len(due):,}; all: sitroom predictions --due-before {horizon.isoformat()})"
        )
    for e in due[:DUE_LINES]:
        deadline = e["deadline"]
        state = "overdue" if deadline_before(deadline, today) else "due"
        text = f"{state} {deadline}: {e['by'] or 'unattributed'} — {e['what']} (p={e['probability']:.2f}, id {e['id']})"
        cite(heading, text, e["document_id"], None)


def deadline_before(deadline: str, today: date) -> bool:
    end = deadline_end(deadline)
    return end is not None and end < today


__all__ = ["CONFIRMED_LINES", "DUE_AHEAD", "DUE_LINES", "what_moved"]
