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
  week after the brief is made (overdue ones first: resolve them with ``sitroom predictions resolve``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta

from ..analyse import contradictions as contra
from ..analyse import ground, plans
from ..analyse.predictions import deadline_end, ledger
from ..link.corpus import Corpus

Cite = Callable[[str, str, str, int | None], None]  # (heading, text, document id, offset) -> adds a line
DUE_AHEAD = timedelta(days=7)


def what_moved(
    corpus: Corpus,
    new_documents: set[str],
    cite: Cite,
    *,
    since: datetime | None,
    now: datetime,
    resolutions: dict[int, dict[str, object]] | None = None,
) -> None:
    """Add the section's lines through ``cite`` (heading, text, document id, character offset)."""
    _confirmed(corpus, new_documents, cite)
    _contradicted(corpus, new_documents, cite)
    _plan_changed(corpus, new_documents, cite)
    _status_changed(corpus, new_documents, cite)
    _stance_changed(corpus, new_documents, cite)
    _due(corpus, cite, since.date() if since else None, now.date(), resolutions or {})


def _confirmed(corpus: Corpus, new: set[str], cite: Cite) -> None:
    rows = []
    for g in corpus.groups:
        fresh = [c for c in g.claims if c.document_id in new]
        if not fresh:
            continue
        independent = corpus.independent_sources(g)
        if len(independent) < 2:
            continue
        rows.append((len(independent), g, fresh[-1], independent))
    rows.sort(key=lambda r: -r[0])
    for n, g, latest, independent in rows[:15]:
        first = g.first
        when = first.published.date().isoformat() if first.published else "undated"
        text = (
            f"“{g.text}” — confirmed by {n} independent sources ({', '.join(independent)}); "
            f"first reported by {first.source or 'unknown source'} on {when}, strongest: {g.strongest_certainty()}"
        )
        cite("Now confirmed", text, latest.document_id, latest.start)


def _contradicted(corpus: Corpus, new: set[str], cite: Cite) -> None:
    for x in contra.find(corpus)[:40]:
        sides = x.a + x.b
        if not any(e.document_id in new for e in sides):
            continue
        a, b = x.a[-1], x.b[-1]
        text = (
            f"{x.kind}: {x.subject} — {a.voice} ({a.source or 'unknown source'}): {a.value}; "
            f"contradicted by {b.voice} ({b.source or 'unknown source'}): {b.value}"
        )
        cite("Contradicted", text, a.document_id, None)
        cite("Contradicted", f"… the other side: “{b.text}”", b.document_id, None)


def _plan_changed(corpus: Corpus, new: set[str], cite: Cite) -> None:
    for name in plans.plan_names(corpus):
        if name == plans.UNNAMED:
            continue
        view = plans.plan(corpus, name)
        for ch in view.changes:
            if ch.version.document_id not in new:
                continue
            detail = ch.after or ch.before or ""
            cite(
                "Plan changed", f"{view.name}: point on {ch.topic} {ch.kind} — “{detail}”", ch.version.document_id, None
            )


def _status_changed(corpus: Corpus, new: set[str], cite: Cite) -> None:
    for place, reports in sorted(ground.reports_by_place(corpus).items()):
        for ch in ground.changes(place, reports):
            if ch.evidence.document_id not in new:
                continue
            by = f" by {ch.by}" if ch.by else ""
            text = f"{place}: {ch.before} → {ch.after}{by} (reported by {ch.evidence.voice})"
            cite("Town status changed", text, ch.evidence.document_id, None)


def _stance_changed(corpus: Corpus, new: set[str], cite: Cite) -> None:
    for sc in plans.stance_changes(corpus):
        if sc.document_id in new:
            cite("Stance changed", f"{sc.actor} on {sc.target}: {sc.before} → {sc.after}", sc.document_id, None)


def _due(
    corpus: Corpus, cite: Cite, start: date | None, today: date, resolutions: dict[int, dict[str, object]]
) -> None:
    horizon = today + DUE_AHEAD
    entries = ledger(corpus, resolutions, today=today, suggest=False)
    for e in entries:
        end = deadline_end(e.deadline)
        if e.status == "resolved" or end is None or end > horizon or (start is not None and end < start):
            continue
        state = "overdue" if end < today else "due"
        text = f"{state} {e.deadline}: {e.by or 'unattributed'} — {e.what} (p={e.probability:.2f}, id {e.id})"
        cite("Predictions due", text, e.document_id, None)


__all__ = ["DUE_AHEAD", "what_moved"]
