"""Run an extractor over many documents for scoring: every document once, a failure or a hang isolated
to the document that caused it, and optionally in worker processes.

``Extractor.extract_many`` ends its stream at the first failing document; with
``ExtractOptions(n_process=2)`` a failure inside a spaCy worker can leave the parent waiting forever; and
a document can send an extractor into a loop that never ends. A benchmark run must neither stop nor hang
on one bad document, so :func:`extract_all`:

* streams through ``extract_many`` (batching as usual) with a deadline on each result: a few seconds
  plus time in proportion to the text that could be in the batch (``Deadlines``);
* when the stream fails or misses a deadline, extracts the next ``SOLO_WINDOW`` documents one at a
  time, each with its own deadline, so the blame lands on the document that really fails; records
  that document's error; then streams again;
* with ``jobs > 1``, runs shards of about equal text length in forked processes that share the
  already-built pipeline (no second model load). Without ``fork`` it runs in this process.

Deadlines use ``SIGALRM`` and so apply only in a process's main thread (always true in the workers).
"""

from __future__ import annotations

import multiprocessing as mp
import queue as queue_module
import signal
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Protocol

from ..model import Document, Extraction

Progress = Callable[[int], None]
Emit = Callable[[int, Extraction | None, str | None], None]
SOLO_WINDOW = 16  # the Extractor's default batch size: the culprit is among these
_POLL_SECONDS = 1.0


class ExtractorLike(Protocol):
    def extract_many(self, documents: Iterable[Document]) -> Iterator[Extraction]: ...


@dataclass(frozen=True, slots=True)
class Deadlines:
    """How long one result may take: ``base`` seconds plus one second per ``chars_per_second``
    characters of the text it may depend on. ``None`` turns deadlines off."""

    base: float = 10.0
    chars_per_second: float = 5_000.0  # five times slower than the pipeline's usual pace

    def for_chars(self, chars: int) -> float:
        return self.base + chars / self.chars_per_second


DEFAULT_DEADLINES = Deadlines()


class DeadlineExceeded(Exception):
    pass


@contextmanager
def _deadline(seconds: float | None) -> Iterator[None]:
    if seconds is None or not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def fire(signum: int, frame: Any) -> None:
        raise DeadlineExceeded(f"no result after {seconds:.0f} s (the extractor may loop on this text)")

    previous = signal.signal(signal.SIGALRM, fire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@dataclass(slots=True)
class Extracted:
    """Extractions in input order (``None`` where extraction failed) and one line per failure."""

    extractions: list[Extraction | None]
    errors: list[str] = field(default_factory=list)

    def results(self, documents: Sequence[Document]) -> Iterator[tuple[Document, Extraction]]:
        """(document, extraction) in input order; a document that failed counts as one where nothing
        was found, so its gold items are scored as misses."""
        for document, extraction in zip(documents, self.extractions, strict=True):
            yield document, extraction if extraction is not None else Extraction(document=document)


def extract_all(
    extractor: ExtractorLike,
    documents: Sequence[Document],
    *,
    jobs: int = 1,
    progress: Progress | None = None,
    deadlines: Deadlines | None = DEFAULT_DEADLINES,
) -> Extracted:
    result = Extracted(extractions=[None] * len(documents))

    def emit(index: int, extraction: Extraction | None, error: str | None) -> None:
        if extraction is not None:
            result.extractions[index] = extraction
        if error is not None:
            label = documents[index].origin or documents[index].id
            result.errors.append(error if error.startswith(label) else f"{label}: {error}")
        if progress is not None:
            progress(1)

    if jobs > 1 and len(documents) > 1 and "fork" in mp.get_all_start_methods():
        _in_workers(extractor, documents, jobs, emit, deadlines)
    else:
        _in_process(extractor, documents, list(range(len(documents))), emit, deadlines)
    return result


def _in_process(
    extractor: ExtractorLike,
    documents: Sequence[Document],
    indices: list[int],
    emit: Emit,
    deadlines: Deadlines | None,
) -> None:
    def limit(position: int, count: int) -> float | None:
        if deadlines is None:
            return None
        return deadlines.for_chars(sum(len(documents[i].text) for i in indices[position : position + count]))

    done = 0
    solo_until = 0
    while done < len(indices):
        if done < solo_until:
            index = indices[done]
            try:
                with _deadline(limit(done, 1)):
                    extraction = next(iter(extractor.extract_many([documents[index]])))
            except Exception as exc:
                emit(index, None, _one_line(exc))
            else:
                emit(index, extraction, None)
            done += 1
            continue
        try:
            stream = iter(extractor.extract_many(documents[i] for i in indices[done:]))
            while done < len(indices):
                with _deadline(limit(done, SOLO_WINDOW)):
                    item = next(stream, None)
                if item is None:
                    break
                emit(indices[done], item, None)
                done += 1
        except Exception:  # a failure or a hang in the stream: find the culprit one document at a time
            solo_until = done + SOLO_WINDOW


def _shards(documents: Sequence[Document], jobs: int) -> list[list[int]]:
    """Indices split into ``jobs`` shards of about equal text length (longest documents first)."""
    shards: list[list[int]] = [[] for _ in range(jobs)]
    sizes = [0] * jobs
    for i in sorted(range(len(documents)), key=lambda i: -len(documents[i].text)):
        k = sizes.index(min(sizes))
        shards[k].append(i)
        sizes[k] += len(documents[i].text) + 1
    return [sorted(s) for s in shards if s]


def _in_workers(
    extractor: ExtractorLike,
    documents: Sequence[Document],
    jobs: int,
    emit: Emit,
    deadlines: Deadlines | None,
) -> None:
    ctx = mp.get_context("fork")
    results: Any = ctx.Queue()

    def work(shard: list[int], k: int) -> None:
        def send(index: int, extraction: Extraction | None, error: str | None) -> None:
            facts = extraction.facts() if extraction is not None else None
            results.put((index, facts, error))

        try:
            _in_process(extractor, documents, shard, send, deadlines)
        finally:
            results.put(("done", k, None))

    shards = _shards(documents, jobs)
    workers = [ctx.Process(target=work, args=(shard, k), daemon=True) for k, shard in enumerate(shards)]
    for worker in workers:
        worker.start()
    pending = {k: set(shard) for k, shard in enumerate(shards)}
    owner = {i: k for k, shard in enumerate(shards) for i in shard}
    finished: set[int] = set()
    try:
        while len(finished) < len(workers):
            try:
                first, second, error = results.get(timeout=_POLL_SECONDS)
            except queue_module.Empty:
                for k, worker in enumerate(workers):
                    if k not in finished and not worker.is_alive() and results.empty():
                        for index in sorted(pending[k]):  # the worker died: what it had left failed
                            emit(index, None, f"worker process ended unexpectedly (exit code {worker.exitcode})")
                        pending[k].clear()
                        finished.add(k)
                continue
            if first == "done":
                finished.add(second)
                continue
            index = first
            pending[owner[index]].discard(index)
            extraction = Extraction(document=documents[index], **second) if second is not None else None
            emit(index, extraction, error)
    finally:
        for worker in workers:
            worker.join(timeout=5)
            if worker.is_alive():
                worker.terminate()


def _one_line(exc: BaseException) -> str:
    """The error as one line; a missed deadline is named even when the pipeline wrapped it."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    cause = exc.__cause__ or exc.__context__
    if isinstance(cause, DeadlineExceeded) and str(cause) not in text:
        text = f"{text}: {cause}"
    return text[:300]


__all__ = ["DEFAULT_DEADLINES", "DeadlineExceeded", "Deadlines", "Extracted", "ExtractorLike", "extract_all"]
