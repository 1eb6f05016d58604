"""The main job: read inputs, extract facts, store them — one input's failure never stops the batch.
A batch that stored something new ends by linking the store again (``link.persist.refresh``), so
queries read fresh claim groups; ``link=False`` skips that (bulk loads: run ``sitroom link`` once after).

This is the library function the CLI's ``ingest`` command (and a notebook user) calls.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from .errors import ExtractionError, SitroomError
from .extract.llm import SupportsExtract
from .extract.pipeline import Extractor
from .ingest import IngestOptions, iter_documents
from .ingest.fetch import Fetcher
from .link.persist import LinkStats, refresh
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
) -> IngestReport:
    """Read every target (file, folder, URL), extract each new document and store it with its facts;
    then, if anything new was stored and ``link`` is true, store the claim groups anew. A failure to
    link is a warning: the documents are stored, and ``sitroom link`` can be run later."""
    options = options or IngestOptions()
    report = IngestReport()
    for item in iter_documents(list(targets), options, fetcher=fetcher):
        if item.error is not None:
            report.failed.append(Failure(item.target, str(item.error), item.error.exit_code))
        for document in item.documents:
            if store.document_info(document.id) is not None:  # metadata only: no text, no cues
                report.unchanged += 1
                report.document_ids.append(document.id)
                continue
            try:
                if extractor is None:
                    extractor = Extractor()
                extraction = extractor.extract(document)
                for line in getattr(extractor, "last_warnings", []) or []:
                    report.warnings.append(f"{document.origin or item.target}: {line}")
                result = store.save(extraction)
            except SitroomError as exc:
                label = document.origin or item.target
                if not isinstance(exc, ExtractionError) and exc.input is None:
                    exc.input = label
                report.failed.append(Failure(label, str(exc), exc.exit_code))
                continue
            report.document_ids.append(document.id)
            if result.status == "new":
                report.new += 1
            elif result.status == "version":
                report.versions += 1
            else:
                report.unchanged += 1
        if on_item is not None:
            on_item(item.target, len(item.documents))
    if link and (report.new or report.versions):
        try:
            report.linked = refresh(store)
        except SitroomError as exc:
            report.warnings.append(f"claim groups not updated ({exc}); run `sitroom link`")
    return report
