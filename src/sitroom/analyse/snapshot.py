"""The analysis snapshot: views of the whole linked corpus, computed once per state of the store.

A brief of one day, the ground and a GeoJSON export all need the corpus analysed as a whole (who
controls each place, which reports contradict, what changed in a plan, which predictions fall due).
Loading and analysing a 100,000-document corpus takes minutes, so ``sitroom link`` (and the relink
after an ingest) computes these once and stores them (``Store.replace_analysis``):

* **places** — ``ground.places`` (every place's state, with its reports);
* **events** — what a brief's "What moved" lists when one of their documents is new: the latest
  contradictions (``BRIEF_CONTRADICTIONS``), plan changes, town status changes, stance changes; each
  with the documents that take part in it;
* **predictions** — the ledger's rows without the user's verdicts (those are read when asked).

Claim groups confirmed by several sources are read from the stored claim groups themselves.

The snapshot is fresh while the store is in the state it was computed from, the analysis and linking
code are the same (``code_fingerprint``) and the stored claim groups are fresh. Readers that find it
stale compute the same views from the corpus (``CorpusMoves``), slowly but identically: a test
compares both on the example corpus.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

from ..link import Corpus, persist
from ..link.persist import LinkStats
from ..store import Store, StoreGeneration
from . import contradictions as contra
from . import ground, plans
from .predictions import deadline_end, ledger

BRIEF_CONTRADICTIONS = 40  # the latest contradictions a brief looks at


@dataclass(frozen=True, slots=True)
class Confirmed:
    """A claim group with several independent sources that a new document's claim belongs to."""

    text: str
    sources: list[str]  # independent sources, first reporter first
    first_source: str | None
    first_published: datetime | None
    strongest: str
    document_id: str  # the last of the group's claims from a new document
    start: int


@dataclass(frozen=True, slots=True)
class SnapshotStats:
    places: int
    reports: int
    events: int
    predictions: int
    seconds: float

    def summary(self) -> str:
        return (
            f"analysed: {self.places:,} places ({self.reports:,} reports), {self.events:,} story events, "
            f"{self.predictions:,} predictions in {self.seconds:.1f} s"
        )


class Moves(Protocol):
    """Where "What moved" reads the corpus-wide analysis: the corpus itself or the stored snapshot."""

    def confirmed(self, new: set[str]) -> list[Confirmed]: ...

    def events(self, new: set[str]) -> list[tuple[str, dict[str, Any]]]: ...

    def predictions_due(self, start: date | None, end: date) -> list[dict[str, Any]]: ...


# -- computing ---------------------------------------------------------------------------------


def story_events(
    corpus: Corpus, contradictions: list[contra.Contradiction] | None = None
) -> Iterator[tuple[str, dict[str, Any], list[str]]]:
    """(kind, data, documents taking part) of every event "What moved" can list, in its order.
    ``contradictions``: ``contradictions.find(corpus)`` when the caller has it already (in its order)."""
    found = contra.find(corpus) if contradictions is None else contradictions
    for x in found[:BRIEF_CONTRADICTIONS]:
        a, b = x.a[-1], x.b[-1]
        data = {
            "kind": x.kind,
            "subject": x.subject,
            "a": {"voice": a.voice, "source": a.source, "value": a.value, "document_id": a.document_id},
            "b": {"voice": b.voice, "source": b.source, "value": b.value, "document_id": b.document_id, "text": b.text},
        }
        yield "contradiction", data, [e.document_id for e in x.a + x.b]
    for name in plans.plan_names(corpus):
        if name == plans.UNNAMED:
            continue
        view = plans.plan(corpus, name)
        for ch in view.changes:
            detail = ch.after or ch.before or ""
            doc = ch.version.document_id
            data = {"plan": view.name, "topic": ch.topic, "kind": ch.kind, "detail": detail}
            yield "plan", {**data, "document_id": doc}, [doc]
    for place, reports in sorted(ground.reports_by_place(corpus).items()):
        for sc in ground.changes(place, reports):
            doc = sc.evidence.document_id
            change: dict[str, Any] = {"place": place, "before": sc.before, "after": sc.after, "by": sc.by}
            yield "status", {**change, "voice": sc.evidence.voice, "document_id": doc}, [doc]
    for st in plans.stance_changes(corpus):
        data = {"actor": st.actor, "target": st.target, "before": st.before, "after": st.after}
        yield "stance", {**data, "document_id": st.document_id}, [st.document_id]


def ledger_rows(corpus: Corpus) -> list[tuple[date | None, dict[str, Any]]]:
    """The predictions ledger without verdicts, as (deadline end, row), in the ledger's order."""
    rows = []
    for e in ledger(corpus, {}, suggest=False):
        data = {
            "id": e.id,
            "deadline": e.deadline,
            "by": e.by,
            "what": e.what,
            "probability": e.probability,
            "document_id": e.document_id,
        }
        rows.append((deadline_end(e.deadline), data))
    return rows


def place_rows(corpus: Corpus) -> list[tuple[dict[str, Any], list[dict[str, Any]]]]:
    out = []
    for state in ground.places(corpus):
        full = state.to_dict()
        reports = full.pop("reports")
        out.append((full, reports))
    return out


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """SHA-256 (16 hex digits) over the analysis code, the extraction data it reads (plan catalogue,
    lexicons) and the linking code's own fingerprint: a snapshot made by other code is stale."""
    root = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256(persist.code_fingerprint().encode())
    files = [*sorted((root / "analyse").glob("*.py")), *sorted((root / "extract" / "data").rglob("*.json"))]
    for path in files:
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def store_snapshot(store: Store, corpus: Corpus, computed_from: StoreGeneration) -> SnapshotStats:
    """Compute the snapshot from ``corpus`` (read at ``computed_from``) and replace the stored one."""
    began = time.perf_counter()
    places = place_rows(corpus)
    events = [(kind, data, docs) for kind, data, docs in story_events(corpus)]
    predictions = ledger_rows(corpus)
    seconds = time.perf_counter() - began
    counts = store.replace_analysis(
        places=places,
        events=events,
        predictions=predictions,
        computed_from=computed_from,
        code=code_fingerprint(),
        seconds=seconds,
    )
    return SnapshotStats(
        counts["places"], counts["reports"], counts["events"], counts["predictions"], time.perf_counter() - began
    )


def link_and_analyse(store: Store, *, force: bool = True) -> tuple[LinkStats | None, SnapshotStats | None]:
    """What ``sitroom link`` does: link every stored claim and store the groups, then compute and
    store the analysis snapshot from the same corpus (read once).

    ``force=False``: keep stored claim groups that are fresh (``None`` for the link part) and a
    snapshot that is fresh (``None`` for the analysis part)."""
    began = time.perf_counter()
    computed_from = store.generation()
    if not force and persist.stale_reason(store.link_state()) is None:
        if stale_reason(store) is None:
            return None, None
        return None, store_snapshot(store, Corpus.load(store), computed_from)
    corpus, n_groups, n_claims = persist.link_and_store(store)
    linked = LinkStats(len(corpus.documents), n_claims, n_groups, len(corpus.copies), time.perf_counter() - began)
    return linked, store_snapshot(store, corpus, computed_from)


# -- reading -------------------------------------------------------------------------------------


def stale_reason(store: Store) -> str | None:
    """Why the stored snapshot cannot be used (None: it can)."""
    state = store.analysis_state()
    if state is None:
        return "no analysis is stored (run `sitroom link`)"
    if state.computed_from != state.current:
        return "the store changed since it was analysed (run `sitroom link`)"
    if state.code != code_fingerprint():
        return "the stored analysis was made by another version of sitroom (run `sitroom link`)"
    return persist.stale_reason(store.link_state())


class CorpusMoves:
    """The corpus-wide analysis computed from a loaded corpus (slow on a big one; always right)."""

    def __init__(self, corpus: Corpus, contradictions: list[contra.Contradiction] | None = None) -> None:
        self.corpus = corpus
        self.contradictions = contradictions  # ``contradictions.find(corpus)``, when already found
        self._events: list[tuple[str, dict[str, Any], list[str]]] | None = None
        self._ledger: list[tuple[date | None, dict[str, Any]]] | None = None

    def confirmed(self, new: set[str]) -> list[Confirmed]:
        out = []
        for g in self.corpus.groups:
            fresh = [c for c in g.claims if c.document_id in new]
            if not fresh:
                continue
            independent = self.corpus.independent_sources(g)
            if len(independent) < 2:
                continue
            first, latest = g.first, fresh[-1]
            out.append(
                Confirmed(
                    g.text,
                    independent,
                    first.source,
                    first.published,
                    g.strongest_certainty(),
                    latest.document_id,
                    latest.start,
                )
            )
        return out

    def events(self, new: set[str]) -> list[tuple[str, dict[str, Any]]]:
        if self._events is None:
            self._events = list(story_events(self.corpus, self.contradictions))
        return [(kind, data) for kind, data, docs in self._events if new.intersection(docs)]

    def predictions_due(self, start: date | None, end: date) -> list[dict[str, Any]]:
        if self._ledger is None:
            self._ledger = ledger_rows(self.corpus)
        return [d for e, d in self._ledger if e is not None and e <= end and (start is None or e >= start)]


class StoredMoves:
    """The same, read from the stored snapshot and claim groups (check ``stale_reason`` first)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def confirmed(self, new: set[str]) -> list[Confirmed]:
        return [
            Confirmed(
                g.text, g.sources, g.first_source, g.first_published, g.strongest_certainty, m.document_id, m.start
            )
            for g, m in self.store.claim_groups_touching(new, 2)
        ]

    def events(self, new: set[str]) -> list[tuple[str, dict[str, Any]]]:
        return self.store.analysis_events(new)

    def predictions_due(self, start: date | None, end: date) -> list[dict[str, Any]]:
        return self.store.analysis_predictions_due(start, end)


def stored_places(store: Store, reports: int | None = 20) -> list[ground.PlaceState]:
    """The stored place states with their latest ``reports`` reports (None: all)."""
    rows = store.analysis_places(reports)
    return [ground.PlaceState.from_dict({**state, "reports": kept}) for state, kept, _ in rows]


__all__ = [
    "BRIEF_CONTRADICTIONS",
    "Confirmed",
    "CorpusMoves",
    "Moves",
    "SnapshotStats",
    "StoredMoves",
    "code_fingerprint",
    "ledger_rows",
    "link_and_analyse",
    "place_rows",
    "stale_reason",
    "store_snapshot",
    "stored_places",
    "story_events",
]
