"""Extraction in worker processes, one outcome per document, in input order.

spaCy's own ``nlp.pipe(n_process=N)`` ends the whole stream when a component raises on one document,
blames the first document of the batch rather than the one that failed, and waits forever when a
worker process dies. ``run_in_workers`` runs its own workers instead:

* the workers are forked from this process, so they share the pipeline that is already built (no
  second model load, no pickling of the ``Language``); without ``fork`` the caller stays serial;
* each worker has its own pipe, so the parent always knows which documents a worker holds; it waits
  on the pipes and on the processes' sentinels together, so a worker that dies is noticed at once;
* a worker that dies with a batch in hand is replaced, and the batch is retried one document per
  task, so the document that kills a worker is the only one that fails;
* ``work`` (run in the worker) reports a document that raised as an error line for that document;
* results are yielded in input order; at most ``ahead`` documents are handed out beyond the
  oldest one not yet yielded, so memory stays bounded;
* closing the stream early, an exception or Ctrl-C stops the workers and joins them: no zombies.
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from typing import Any

from ..errors import ExtractionError
from ..model import Document, Extraction, Fact

# One document's result across the pipe: (index, facts or None, the error's message or None).
Reply = tuple[int, dict[str, list[Fact]] | None, str | None]
Task = list[tuple[int, Document]]
Work = Callable[[list[Document]], list[tuple[dict[str, list[Fact]] | None, str | None]]]

ERROR_HINT = "the other documents are not affected; `sitroom --debug extract` on it shows the traceback"
_JOIN_SECONDS = 5.0


@dataclass(slots=True)
class Outcome:
    """What extraction gave for one document: its facts, or the error that stopped it."""

    document: Document
    extraction: Extraction | None = None
    error: ExtractionError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def document_error(document: Document, reason: str) -> ExtractionError:
    """The one-line error for a document that could not be extracted."""
    return ExtractionError(f"extraction failed ({reason})", input=document.origin or document.id, hint=ERROR_HINT)


def one_line(exc: BaseException) -> str:
    """``ValueError: boom`` — the exception as one short line."""
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text}"[:300] if text else type(exc).__name__


def can_fork() -> bool:
    return "fork" in mp.get_all_start_methods()


@dataclass(slots=True)
class _Worker:
    process: BaseProcess
    conn: Connection
    task: Task | None = None


@dataclass(slots=True)
class _Pool:
    work: Work
    context: Any = field(default_factory=lambda: mp.get_context("fork"))
    workers: list[_Worker] = field(default_factory=list)

    def start(self) -> _Worker:
        parent_end, child_end = self.context.Pipe(duplex=True)
        inherited = [w.conn for w in self.workers] + [parent_end]  # the child closes the parent's ends
        process = self.context.Process(
            target=_serve, args=(child_end, self.work, inherited), name="sitroom-extract", daemon=True
        )
        process.start()
        child_end.close()
        return _Worker(process, parent_end)

    def stop(self, worker: _Worker) -> None:
        """Ask an idle worker to finish; end a busy or stuck one; always reap it."""
        if worker.task is None and worker.process.is_alive():
            with contextlib.suppress(OSError, ValueError):  # it may die meanwhile
                worker.conn.send(None)
            worker.process.join(_JOIN_SECONDS)
        if worker.process.is_alive():
            worker.process.terminate()
            worker.process.join(_JOIN_SECONDS)
        if worker.process.is_alive():
            worker.process.kill()
            worker.process.join()
        worker.conn.close()


def run_in_workers(
    work: Work, documents: Iterable[Document], *, n_process: int, batch_size: int, ahead: int | None = None
) -> Iterator[Outcome]:
    """Outcomes of ``work`` over ``documents`` in ``n_process`` forked workers, in input order."""
    ahead = ahead if ahead is not None else max(4 * n_process * batch_size, 1)
    source = enumerate(documents)
    solo: deque[tuple[int, Document]] = deque()  # documents of a batch whose worker died
    held: dict[int, Document] = {}  # handed out, no outcome yet
    done: dict[int, Outcome] = {}
    next_out = 0
    handed = 0  # documents taken from ``source``
    pool = _Pool(work)

    def next_task() -> Task:
        nonlocal handed
        if solo:
            return [solo.popleft()]
        room = min(batch_size, ahead - (handed - next_out))
        task = list(islice(source, max(room, 0)))
        handed += len(task)
        return task

    def died(worker: _Worker) -> None:
        task = worker.task or []
        worker.task = None
        if len(task) > 1:  # which document killed it? each one alone finds out
            solo.extend(task)
            return
        reason = f"the worker process ended unexpectedly (exit code {worker.process.exitcode})"
        for index, document in task:
            held.pop(index, None)
            done[index] = Outcome(document, error=document_error(document, reason))

    try:
        for _ in range(max(n_process, 1)):
            pool.workers.append(pool.start())
        while True:
            while next_out in done:
                yield done.pop(next_out)
                next_out += 1
            for worker in pool.workers:
                if worker.task is None:
                    task = next_task()
                    if task:
                        held.update(task)
                        worker.task = task
                        worker.conn.send(task)
            busy = [w for w in pool.workers if w.task is not None]
            if not busy:
                break
            ready = set(wait([x for w in busy for x in (w.conn, w.process.sentinel)]))
            for k, worker in enumerate(pool.workers):
                if worker.task is None or not (worker.conn in ready or worker.process.sentinel in ready):
                    continue
                try:
                    replies: list[Reply] = worker.conn.recv() if worker.conn.poll() else []
                except (EOFError, OSError):
                    replies = []
                if replies:
                    worker.task = None
                    for index, facts, error in replies:
                        done[index] = _outcome(held.pop(index), facts, error)
                    continue
                worker.process.join(_JOIN_SECONDS)  # nothing to read and ready: it died
                died(worker)
                pool.stop(worker)
                pool.workers[k] = pool.start()
        while next_out in done:  # pragma: no cover - everything was yielded in the loop
            yield done.pop(next_out)
            next_out += 1
    finally:
        for worker in pool.workers:
            pool.stop(worker)


def _outcome(document: Document, facts: dict[str, list[Fact]] | None, error: str | None) -> Outcome:
    if error is None and facts is not None:
        return Outcome(document, Extraction(document, **facts))  # type: ignore[arg-type]
    message = error or "extraction failed (no result)"
    return Outcome(document, error=ExtractionError(message, input=document.origin or document.id, hint=ERROR_HINT))


def _serve(conn: Connection, work: Work, inherited: list[Connection]) -> None:
    """A worker: answer each task with one reply per document until told to stop or the parent goes."""
    for other in inherited:
        other.close()
    try:
        while True:
            try:
                task: Task | None = conn.recv()
            except EOFError:
                break
            if task is None:
                break
            results = work([document for _, document in task])
            conn.send([(index, facts, error) for (index, _), (facts, error) in zip(task, results, strict=True)])
    except KeyboardInterrupt:  # Ctrl-C reaches the whole process group; the parent reports it
        pass
    finally:
        conn.close()


__all__ = ["ERROR_HINT", "Outcome", "can_fork", "document_error", "one_line", "run_in_workers"]
