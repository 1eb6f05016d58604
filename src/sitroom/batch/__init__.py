"""How a batch runs: reading inputs in threads, extracting in processes or on a Dask cluster.

``jobs.ingest`` takes a :class:`BatchOptions`. With ``workers=N`` it reads N inputs at a time
(:func:`read_items`, threads: fetching is I/O) and extracts in N forked processes
(``Extractor.extract_each``). With ``dask=ADDRESS`` extraction goes to the cluster
(:mod:`.cluster`, imported only then: dask is the optional ``cluster`` extra). Either way the
results come back in input order to the one writer in the calling process; see docs/scaling.md.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace

from ..errors import ConfigError
from ..extract.pipeline import Extractor
from ..ingest import IngestItem, IngestOptions, iter_documents
from ..ingest.fetch import Fetcher


@dataclass(frozen=True, slots=True)
class BatchOptions:
    """``workers`` processes (1: this process only) or a Dask ``dask`` scheduler address
    (``tcp://host:8786``, or ``local:N`` for a local cluster of N processes). ``batch_size``
    documents go to a cluster worker at a time, and at most ``window`` batches are out at once
    (default: 4 per worker)."""

    workers: int = 1
    dask: str | None = None
    batch_size: int = 8
    window: int | None = None

    def __post_init__(self) -> None:
        if self.workers < 1:
            raise ConfigError(f"--workers must be at least 1, not {self.workers}")
        if self.batch_size < 1:
            raise ConfigError(f"the batch size must be at least 1, not {self.batch_size}")
        if self.window is not None and self.window < 1:
            raise ConfigError(f"the window must be at least 1 batch, not {self.window}")
        if self.dask is not None and self.workers > 1:
            raise ConfigError("--workers and --dask exclude each other", hint="the cluster's workers do the work")
        if self.dask is not None:
            local_workers(self.dask)  # a bad local:N fails here, before anything is read

    @property
    def threads(self) -> int:
        """Threads that read inputs: one per worker process; a few for a cluster run."""
        return 4 if self.dask is not None else self.workers


def local_workers(address: str) -> int | None:
    """``local:N`` → N (``local`` alone → 2); any other address → None."""
    if address != "local" and not address.startswith("local:"):
        return None
    count = address.partition(":")[2] or "2"
    if not count.isdigit() or int(count) < 1:
        raise ConfigError(f"--dask {address!r}: N in local:N must be a positive number", hint="e.g. --dask local:2")
    return int(count)


def with_processes(extractor: Extractor, workers: int) -> Extractor:
    """The same pipeline (shared, not loaded again) set to extract in ``workers`` processes."""
    if workers == extractor.options.n_process:
        return extractor
    return Extractor(nlp=extractor.nlp, options=replace(extractor.options, n_process=workers))


def _read_one(target: str, options: IngestOptions, fetcher: Fetcher) -> IngestItem:
    return next(iter(iter_documents([target], options, fetcher)))


def read_items(
    targets: Iterable[str], options: IngestOptions, fetcher: Fetcher, *, threads: int
) -> Iterator[IngestItem]:
    """One ``IngestItem`` per (already expanded) target, in order, read by ``threads`` threads with
    at most ``2 × threads`` inputs read ahead. One thread: read as ``iter_documents`` does."""
    if threads <= 1:
        yield from iter_documents(targets, options, fetcher)
        return
    fetcher.client  # noqa: B018 - made now, so the threads share one connection pool (httpx.Client is thread-safe)
    source = iter(targets)
    ahead: deque[Future[IngestItem]] = deque()
    with ThreadPoolExecutor(max_workers=threads, thread_name_prefix="sitroom-read") as pool:
        try:
            for target in source:
                ahead.append(pool.submit(_read_one, target, options, fetcher))
                if len(ahead) >= 2 * threads:
                    yield ahead.popleft().result()
            while ahead:
                yield ahead.popleft().result()
        finally:
            for future in ahead:
                future.cancel()


__all__ = ["BatchOptions", "local_workers", "read_items", "with_processes"]
