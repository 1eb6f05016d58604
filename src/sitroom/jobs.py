"""The main job: read inputs, extract facts, store them — one input's failure never stops the batch.
A batch that stored something new ends by linking the store again (``link.persist.refresh``), so
queries read fresh claim groups; ``link=False`` skips that (bulk loads: run ``sitroom link`` once after).

Extraction runs in this process, in N forked processes (``BatchOptions(workers=N)``) or on a Dask
cluster (``BatchOptions(dask=ADDRESS)``, see ``batch.cluster``); whichever it is, the outcomes come
back in input order and are stored here, through the store's one writer, so every way of running
a batch stores the same facts and reports the same lines.

This is the library function the CLI's ``ingest`` command (and a notebook user) calls;
``ingest_items`` takes documents already read (``sitroom watch`` hands it a feed's new entries).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field

from .analyse.snapshot import SnapshotStats, link_and_analyse
from .batch import BatchOptions, read_items, with_processes
from .errors import ConfigError, ExtractionError, SitroomError
from .extract.llm import SupportsExtract
from .extract.pipeline import Extractor
from .ingest import IngestItem, IngestOptions, expand_targets
from .ingest.fetch import Fetcher
from .link.persist import LinkStats
from .model import Document, Extraction
from .store import Store


@dataclass(slots=True)
class Failure:
    target: str
    message: str
    exit_code: int


@dataclass(slots=True)
class IngestReport:
    new: int = 0
    unchanged: int = 0
    versions: int = 0
    failed: list[Failure] = field(default_factory=list)
    document_ids: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    linked: LinkStats | None = None  # what the closing refresh stored (None: it did not run)
    analysed: SnapshotStats | None = None  # the analysis snapshot stored after it

    @property
    def exit_code(self) -> int:
        """0 when every input went in; otherwise the code of the first failure (see docs/cli.md)."""
        return self.failed[0].exit_code if self.failed else 0

    def summary(self) -> str:
        return f"{self.new} new, {self.unchanged} unchanged, {self.versions} new versions, {len(self.failed)} failed"


ProgressHook = Callable[[str, int], None]  # (target just finished, documents it produced)


def ingest(
    targets: Iterable[str],
    *,
    store: Store,
    extractor: SupportsExtract | None = None,
    options: IngestOptions | None = None,
    fetcher: Fetcher | None = None,
    on_item: ProgressHook | None = None,
    link: bool = True,
    batch: BatchOptions | None = None,
) -> IngestReport:
    """Read every target (file, folder, URL), extract each new document and store it with its facts;
    then, if anything new was stored and ``link`` is true, store the claim groups anew. A failure to
    link is a warning: the documents are stored, and ``sitroom link`` can be run later.

    ``batch`` says how: inputs read by ``batch.threads`` threads, extraction in ``batch.workers``
    processes or on the Dask cluster ``batch.dask`` (which needs the rule pipeline, ``Extractor``)."""
    options = options or IngestOptions()
    batch = batch or BatchOptions()
    with ExitStack() as stack:
        if fetcher is None:
            fetcher = stack.enter_context(Fetcher(options))
        items = read_items(expand_targets(targets), options, fetcher, threads=batch.threads)
        report = ingest_items(items, store=store, extractor=extractor, on_item=on_item, batch=batch)
    if link:
        relink(store, report)
    return report


def relink(store: Store, report: IngestReport) -> None:
    """If ``report`` stored anything new, store the claim groups and the analysis snapshot anew (a
    failure is a warning)."""
    if report.new or report.versions:
        try:
            report.linked, report.analysed = link_and_analyse(store)  # forced: both are returned
        except SitroomError as exc:
            report.warnings.append(f"claim groups not updated ({exc}); run `sitroom link`")


def ingest_items(
    items: Iterable[IngestItem],
    *,
    store: Store,
    extractor: SupportsExtract | None = None,
    on_item: ProgressHook | None = None,
    batch: BatchOptions | None = None,
    report: IngestReport | None = None,
) -> IngestReport:
    """Extract and store the documents of inputs already read (no linking), in order, into ``report``."""
    batch = batch or BatchOptions()
    run = _Run(store, report or IngestReport(), on_item)
    if batch.dask is None and batch.workers == 1:
        run.consume(_serial(run.documents(items), extractor))
        return run.report
    rules = extractor if extractor is not None else Extractor()
    if not isinstance(rules, Extractor):
        raise ConfigError(
            "--workers and --dask run the rule pipeline", hint="leave out --extractor llm, or run without them"
        )
    if batch.dask is None:
        outcomes = with_processes(rules, batch.workers).extract_each(run.documents(items))
        run.consume(_Done(o.document, o.extraction, o.error) for o in outcomes)
        return run.report
    try:
        from .batch.cluster import dask_client, dask_outcomes
    except ImportError as exc:
        raise ConfigError("--dask needs dask and distributed", hint="pip install 'sitroom[cluster]'") from exc
    with dask_client(batch.dask) as client:
        outcomes = dask_outcomes(client, run.documents(items), rules.options, batch)
        run.consume(_Done(o.document, o.extraction, o.error) for o in outcomes)
    return run.report


@dataclass(slots=True)
class _Done:
    """What extraction gave for one document: its facts or the error, and any warnings."""

    document: Document
    extraction: Extraction | None
    error: SitroomError | None
    warnings: list[str] = field(default_factory=list)


def _serial(documents: Iterable[Document], extractor: SupportsExtract | None) -> Iterator[_Done]:
    """One document at a time in this process, with the extractor's warnings for each (the LLM's)."""
    for document in documents:
        try:
            if extractor is None:
                extractor = Extractor()
            extraction = extractor.extract(document)
        except SitroomError as exc:
            yield _Done(document, None, exc)
            continue
        yield _Done(document, extraction, None, list(getattr(extractor, "last_warnings", []) or []))


@dataclass(slots=True)
class _Event:
    """A step of the batch in input order: an input starts, a document, an input ends."""

    item: IngestItem
    document: Document | None = None
    extract: bool = False  # the document waits for its extraction
    end: bool = False


class _Run:
    """Keeps a batch's steps in input order while extraction runs ahead of the writer.

    ``documents`` reads the inputs and hands on the documents to extract, queueing every step;
    ``consume`` takes the extraction outcomes (in the same order) and stores each one when its turn
    comes. A step that waits for nothing is done at once, so a re-run holds no documents in memory."""

    def __init__(self, store: Store, report: IngestReport, on_item: ProgressHook | None) -> None:
        self.store = store
        self.report = report
        self.on_item = on_item
        self.queue: deque[_Event] = deque()

    def documents(self, items: Iterable[IngestItem]) -> Iterator[Document]:
        for item in items:
            self._step(_Event(item))
            for document in item.documents:
                if self.store.document_info(document.id) is not None:  # metadata only: no text, no cues
                    self._step(_Event(item, document))
                    continue
                self._step(_Event(item, document, extract=True))
                yield document
            self._step(_Event(item, end=True))

    def consume(self, outcomes: Iterable[_Done]) -> None:
        for done in outcomes:
            while self.queue:
                event = self.queue.popleft()
                if event.extract:
                    assert event.document is not None and event.document.id == done.document.id
                    self._store(event.item, done)
                    break
                self._apply(event)
            while self.queue and not self.queue[0].extract:  # what no longer waits is done now
                self._apply(self.queue.popleft())
        while self.queue:
            self._apply(self.queue.popleft())

    def _step(self, event: _Event) -> None:
        if self.queue or event.extract:
            self.queue.append(event)
        else:
            self._apply(event)

    def _apply(self, event: _Event) -> None:
        item, report = event.item, self.report
        if event.end:
            if self.on_item is not None:
                self.on_item(item.target, len(item.documents))
        elif event.document is not None:  # already stored
            report.unchanged += 1
            report.document_ids.append(event.document.id)
        else:  # an input starts: what reading it said (each line names the input)
            report.warnings.extend(item.warnings)
            if item.error is not None:
                report.failed.append(Failure(item.target, str(item.error), item.error.exit_code))

    def _store(self, item: IngestItem, done: _Done) -> None:
        report = self.report
        document = done.document
        label = document.origin or item.target
        try:
            if done.error is not None:
                raise done.error
            assert done.extraction is not None
            report.warnings.extend(f"{label}: {line}" for line in done.warnings)
            result = self.store.save(done.extraction)
        except SitroomError as exc:
            if not isinstance(exc, ExtractionError) and exc.input is None:
                exc.input = label
            report.failed.append(Failure(label, str(exc), exc.exit_code))
            return
        report.document_ids.append(document.id)
        if result.status == "new":
            report.new += 1
        elif result.status == "version":
            report.versions += 1
        else:
            report.unchanged += 1
