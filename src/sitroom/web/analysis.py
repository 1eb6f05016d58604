"""The analysed corpus, computed once per state of the store in a background thread.

Places, the map, plans, predictions, sources, contradictions, the timeline and the dashboard need
the linked corpus (``Corpus.load``: seconds on a large store, tens of seconds when it must link).
``Analyser`` computes it — and the views every request would otherwise recompute — once per store
generation (``Store.generation()``): at startup, after an ingest, and when a request finds that the
store changed (another process ingested). While it computes, requests are served the previous
results, marked ``updating``; a request waits at most ``WebSettings.analysis_wait`` seconds.

When the stored claim groups are stale, the analysis links the corpus itself and stores the groups
(as ``sitroom link`` does), so the claim pages read them from the store afterwards.
"""

from __future__ import annotations

import gc
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any, TypeVar

from ..analyse import ground, plans
from ..analyse.contradictions import Contradiction, find
from ..analyse.snapshot import CorpusMoves
from ..errors import StoreError
from ..link import Corpus, persist
from ..store import Store, StoreGeneration

log = logging.getLogger(__name__)
T = TypeVar("T")
_EARLIEST = datetime.min.replace(tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class TimelineEvent:
    when: datetime
    kind: str  # document | control | stance | plan
    text: str
    source: str | None
    document_id: str


class NotReady(StoreError):
    """The store is being analysed for the first time and no earlier results exist to serve."""


@dataclass(slots=True)
class Analysed:
    """The corpus of one store generation and the views computed from it (read-only once made)."""

    generation: StoreGeneration
    corpus: Corpus
    places: list[ground.PlaceState]
    report_days: list[date]
    plan_names: list[str]
    contradictions: list[Contradiction]  # latest first
    events: list[TimelineEvent]  # newest first
    seconds: float
    linked: bool  # the groups were linked (and stored) by this analysis, not read
    moves: CorpusMoves  # what the briefs' "What moved" reads (its events computed on first use)
    _memo: OrderedDict[tuple[Any, ...], Any] = field(default_factory=OrderedDict)
    _memo_lock: threading.Lock = field(default_factory=threading.Lock)

    def memo(self, key: tuple[Any, ...], make: Callable[[], T], keep: int = 32) -> T:
        """``make()`` once per key for this generation (plans at a date, the map at a date, the ledger)."""
        with self._memo_lock:
            if key in self._memo:
                self._memo.move_to_end(key)
                found: T = self._memo[key]
                return found
        value = make()
        with self._memo_lock:
            self._memo[key] = value
            while len(self._memo) > keep:
                self._memo.popitem(last=False)
        return value


def link_and_store(store: Store) -> tuple[Corpus, bool]:
    """The linked corpus: read with the stored groups when they are fresh; else linked here and the
    groups stored (``persist.link_and_store``, keeping the corpus instead of loading it twice)."""
    if persist.stale_reason(store.link_state()) is None:
        return Corpus.load(store), False
    corpus, _, _ = persist.link_and_store(store)
    return corpus, True


def timeline_events(corpus: Corpus) -> list[TimelineEvent]:
    """Documents published, control changes, stance and plan changes, newest first."""
    events: list[TimelineEvent] = []
    for info in corpus.documents.values():
        if info.published is not None:
            events.append(TimelineEvent(info.published, "document", info.title or info.id, info.source, info.id))
    for name, reports in ground.reports_by_place(corpus).items():
        for ch in ground.changes(name, reports):
            by = f" ({ch.by})" if ch.by else ""
            text = f"{name}: {ch.before} → {ch.after}{by}"
            events.append(TimelineEvent(ch.when, "control", text, ch.evidence.source, ch.evidence.document_id))
    for sc in plans.stance_changes(corpus):
        text = f"{sc.actor} on {sc.target}: {sc.before} → {sc.after}"
        events.append(TimelineEvent(sc.when, "stance", text, sc.source, sc.document_id))
    for name in plans.plan_names(corpus):
        for change in plans.plan(corpus, name).changes:
            v = change.version
            if v.published is not None:
                text = f"{v.plan}: {change.topic} {change.kind}"
                events.append(TimelineEvent(v.published, "plan", text, v.source, v.document_id))
    events.sort(key=lambda e: e.when, reverse=True)
    return events


def analyse(store: Store) -> Analysed:
    began = time.perf_counter()
    generation = store.generation()
    corpus, linked = link_and_store(store)
    found = find(corpus)  # in its own order: the briefs' "What moved" reads it so
    contradictions = sorted(found, key=lambda x: x.latest or _EARLIEST, reverse=True)
    reports = ground.reports_by_place(corpus)
    days = sorted({r.when.date() for rs in reports.values() for r in rs if r.when})
    return Analysed(
        generation=generation,
        corpus=corpus,
        places=ground.places(corpus),
        report_days=days,
        plan_names=plans.plan_names(corpus),
        contradictions=contradictions,
        events=timeline_events(corpus),
        seconds=time.perf_counter() - began,
        linked=linked,
        moves=CorpusMoves(corpus, found),
    )


def settle_heap() -> None:
    """Take the objects alive now out of the cyclic garbage collector's sight (``gc.freeze``).

    An analysed corpus is millions of objects (1.4 million at 10,000 documents); every full
    collection walks all of them while holding the interpreter lock — 0.7 s at 10,000 documents,
    measured — and a request that arrives meanwhile waits: the long tails of the web latency under
    load. Frozen objects are never scanned. Once per analysis, in its thread: unfreeze the previous
    generation's objects, collect what is garbage now (the previous analysis's cycles), freeze the rest.
    """
    began = time.perf_counter()
    gc.unfreeze()
    gc.collect()
    gc.freeze()
    log.info("heap settled in %.1f s (%d objects frozen)", time.perf_counter() - began, gc.get_freeze_count())


class Analyser:
    """Keeps the latest ``Analysed`` and recomputes it in a background thread when the store changes."""

    def __init__(
        self, store: Store, wait: float, compute: Callable[[Store], Analysed] = analyse, settle_from: int = 2_000
    ) -> None:
        self.store = store
        self.settle_from = settle_from  # documents from which ``settle_heap`` runs after an analysis
        self.on_ready: Callable[[Analysed], None] | None = None  # run in the thread before it is served
        self.wait_seconds = wait
        self._compute = compute
        self._lock = threading.Lock()
        self._done = threading.Condition(self._lock)
        self._current: Analysed | None = None
        self._running: threading.Thread | None = None
        self._error: str | None = None
        self._closed = False
        self.runs = 0  # analyses finished (tests check that a request did not start another)

    @property
    def error(self) -> str | None:
        """The last analysis's failure, while no later one succeeded."""
        return self._error

    def start(self, generation: StoreGeneration | None = None) -> bool:
        """Start an analysis unless one is running or the current one is of ``generation``."""
        with self._lock:
            if self._closed or self._running is not None:
                return False
            if generation is not None and self._current is not None and self._current.generation == generation:
                return False
            self._running = threading.Thread(target=self._run, name="sitroom-analyse", daemon=True)
            self._running.start()
            return True

    def _run(self) -> None:
        result: Analysed | None = None
        error: str | None = None
        warmed = False
        try:
            result = self._compute(self.store)
            log.info("analysed %d documents in %.1f s", result.generation.documents, result.seconds)
            if result.generation.documents >= self.settle_from:
                settle_heap()
            if self._current is None:  # nothing served yet: warm first, so the first pages are quick
                warmed = self._warm(result)
        except Exception as exc:  # kept and shown; the previous results stay served
            log.exception("analysis failed")
            error = str(exc) or type(exc).__name__
        with self._lock:  # served from here on
            if result is not None:
                self._current = result
                self.runs += 1
            self._error = error
            self._done.notify_all()
        again = False
        if result is not None:
            if not warmed:
                self._warm(result)  # while the new results are already served
            try:
                again = self.store.generation() != result.generation  # saved meanwhile: go again
            except Exception:
                log.exception("reading the store's generation failed")
        with self._lock:
            self._running = None
            if again and not self._closed:
                self._running = threading.Thread(target=self._run, name="sitroom-analyse", daemon=True)
                self._running.start()
            self._done.notify_all()

    def close(self, timeout: float = 60.0) -> None:
        """Start no more analyses and wait for the running one (the store is about to close: a thread
        still writing claim groups into it would fail, or on PostgreSQL deadlock with a schema drop)."""
        with self._lock:
            self._closed = True
        while True:
            with self._lock:
                thread = self._running
            if thread is None or thread is threading.current_thread():
                return
            thread.join(timeout)
            if thread.is_alive():
                log.warning("the analysis did not finish within %.0f s of shutdown", timeout)
                return

    def _warm(self, result: Analysed) -> bool:
        if self.on_ready is None:
            return True
        try:
            self.on_ready(result)
        except Exception:
            log.exception("warming the analysed views failed")
        return True

    def get(self) -> tuple[Analysed, bool]:
        """The latest results and whether they are out of date (an analysis of a newer state runs).

        Starts an analysis when the store changed; waits up to ``wait_seconds`` for it; raises
        ``NotReady`` when nothing was ever computed and the first analysis is still running."""
        generation = self.store.generation()
        self.start(generation)
        deadline = time.monotonic() + self.wait_seconds
        with self._lock:
            while self._running is not None and (self._current is None or self._current.generation != generation):
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self._done.wait(left)
            current = self._current
            running = self._running is not None
            error = self._error
        if current is None:
            if error is not None and not running:
                raise NotReady(f"the store could not be analysed: {error}", hint="see the server's log")
            raise NotReady(
                f"sitroom is analysing the store ({generation.documents:,} documents) for the first time",
                hint="reload in a moment",
            )
        return current, current.generation != generation

    def wait(self, timeout: float | None = None) -> Analysed | None:
        """Wait until no analysis runs (tests, the timing script); the latest results."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._lock:
            while self._running is not None:
                left = None if deadline is None else deadline - time.monotonic()
                if left is not None and left <= 0:
                    break
                self._done.wait(left)
            return self._current
