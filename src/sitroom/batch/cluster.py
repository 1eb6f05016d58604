"""Extraction on a Dask distributed cluster, the results back in input order for the one writer.

Documents go in batches to the cluster's workers. Each worker builds the spaCy pipeline once
(:class:`ExtractorPlugin`, a worker plugin: the options travel, the pipeline never does), extracts
a batch and sends back the facts only (plain dataclasses, which pickle); the client joins them to
the documents it kept and yields them in input order. At most ``window`` batches are out at a
time, so memory stays flat however long the corpus. A document that fails, or a batch whose task
fails as a whole (a worker died, ``KilledWorker``), comes back as an error for those documents:
the batch goes on. ``local:N`` starts a ``LocalCluster`` of N worker processes for the run.

Reading inputs and the store stay on the client. This module imports ``distributed``: it is the
optional ``cluster`` extra, so only ``jobs`` imports it, and only for ``--dask``.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterable, Iterator
from dataclasses import replace
from itertools import islice
from typing import Any

from distributed import Client, Future, LocalCluster, as_completed, get_worker
from distributed.diagnostics.plugin import WorkerPlugin

from ..errors import ConfigError, ExtractionError
from ..extract.parallel import ERROR_HINT, Outcome, document_error, one_line
from ..extract.pipeline import ExtractOptions, Extractor
from ..model import Document, Extraction, Fact
from . import BatchOptions, local_workers

PLUGIN_NAME = "sitroom-extractor"
# One document's result from a worker: its facts, or the error's message.
Reply = tuple[dict[str, list[Fact]] | None, str | None]


class ExtractorPlugin(WorkerPlugin):
    """Holds one ``Extractor`` per worker process, built on first use (about a second).

    A lock lets one task at a time use it, so a worker started with several threads stays correct
    (``--nthreads 1`` per worker process wastes nothing)."""

    name = PLUGIN_NAME

    def __init__(self, options: ExtractOptions) -> None:
        self.options = replace(options, n_process=1)
        self._extractor: Extractor | None = None
        self._lock = threading.Lock()

    def __getstate__(self) -> dict[str, Any]:
        return {"options": self.options}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.options = state["options"]
        self._extractor = None
        self._lock = threading.Lock()

    def teardown(self, worker: Any) -> None:
        self._extractor = None

    def extract(self, documents: list[Document]) -> list[Reply]:
        with self._lock:
            if self._extractor is None:
                self._extractor = Extractor(options=self.options)
            return [_reply(outcome) for outcome in self._extractor.extract_each(documents)]


def _reply(outcome: Outcome) -> Reply:
    if outcome.extraction is not None:
        return outcome.extraction.facts(), None
    return None, outcome.error.message if outcome.error is not None else "extraction failed (no result)"


def extract_batch(documents: list[Document]) -> list[Reply]:
    """The task a worker runs: one reply per document, from the worker's own pipeline."""
    plugin = get_worker().plugins.get(PLUGIN_NAME)
    if not isinstance(plugin, ExtractorPlugin):
        raise RuntimeError("the sitroom extractor plugin is not registered on this worker")
    return plugin.extract(documents)


@contextlib.contextmanager
def dask_client(address: str) -> Iterator[Client]:
    """A client of the scheduler at ``address``, or of a new ``LocalCluster`` for ``local:N``."""
    count = local_workers(address)
    cluster: LocalCluster | None = None
    try:
        if count is not None:
            cluster = LocalCluster(n_workers=count, threads_per_worker=1, processes=True, dashboard_address=None)
            client = Client(cluster)
        else:
            client = Client(address, timeout=10)
    except (OSError, TimeoutError, ValueError) as exc:
        if cluster is not None:
            cluster.close()
        raise ConfigError(
            f"cannot use the Dask cluster at {address} ({one_line(exc)})",
            hint="start one with `dask scheduler` and `dask worker`, then give its address, e.g. tcp://host:8786",
        ) from exc
    try:
        yield client
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def dask_outcomes(
    client: Client, documents: Iterable[Document], options: ExtractOptions, batch: BatchOptions
) -> Iterator[Outcome]:
    """One ``Outcome`` per document, in input order, extracted on the cluster behind ``client``."""
    client.register_plugin(ExtractorPlugin(options), name=PLUGIN_NAME)
    workers = len(client.scheduler_info().get("workers", {}))
    window = batch.window or 4 * max(workers, 1)
    source = iter(documents)
    sent: dict[int, list[Document]] = {}  # batch number → its documents, until yielded
    done: dict[int, list[Reply] | str] = {}  # batch number → replies, or why the whole batch failed
    running: dict[Any, tuple[int, Future]] = {}
    finished = as_completed()
    submitted = next_out = 0

    def submit() -> bool:
        nonlocal submitted
        docs = list(islice(source, batch.batch_size))
        if not docs:
            return False
        future = client.submit(extract_batch, docs, pure=False)
        running[future.key] = (submitted, future)
        sent[submitted] = docs
        finished.add(future)
        submitted += 1
        return True

    try:
        while len(sent) < window and submit():
            pass
        while sent:
            while next_out in done:
                yield from _outcomes(sent.pop(next_out), done.pop(next_out))
                next_out += 1
                submit()
            if not sent:
                break
            future = next(finished)
            number, _ = running.pop(future.key)
            try:
                done[number] = future.result()
            except Exception as exc:  # the task failed as a whole: each of its documents says so
                done[number] = f"the cluster could not run the batch ({one_line(exc)})"
            future.release()
    finally:
        for _, future in running.values():
            future.cancel()


def _outcomes(documents: list[Document], replies: list[Reply] | str) -> Iterator[Outcome]:
    if isinstance(replies, str) or len(replies) != len(documents):
        reason = replies if isinstance(replies, str) else "the worker sent a wrong number of results"
        for document in documents:
            yield Outcome(document, error=document_error(document, reason))
        return
    for document, (facts, error) in zip(documents, replies, strict=True):
        if error is None and facts is not None:
            yield Outcome(document, Extraction(document, **facts))  # type: ignore[arg-type]
        else:
            label = document.origin or document.id
            yield Outcome(document, error=ExtractionError(error or "extraction failed", input=label, hint=ERROR_HINT))


__all__ = ["ExtractorPlugin", "dask_client", "dask_outcomes", "extract_batch"]
