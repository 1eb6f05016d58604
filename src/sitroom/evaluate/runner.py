"""Run the evaluation: which datasets measure which extractor, where they are, and one report.

``run_evaluation(EvalOptions(...))`` is the library entry point (``python -m sitroom.evaluate`` and the
``sitroom eval`` command call it). The public datasets live in ``../shared`` beside the repository —
``Path(repo_root).parent / "shared"``, or ``$SITROOM_SHARED`` — and are skipped with a note when it is
absent; the project's gold set (``eval/gold``) is always run.

The full pipeline is built once and reused by every dataset, with only the packaged actor tables (a
user's ``~/.config/sitroom/actors.json`` must not change a benchmark). The SFU hedge cues run through a
pipeline with the hedges component alone, which reads nothing but the text.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from ..errors import ConfigError, SitroomError
from .context import Context, ProgressHook, no_progress
from .extraction import DEFAULT_DEADLINES, Deadlines, ExtractorLike
from .floors import Floors, GateResult, check, update
from .report import DatasetRun, EvalReport
from .scorers import attribution, gold, hedges, links, places, stance, timex

SHARED_ENV = "SITROOM_SHARED"
EXTRACTOR_ORDER = (
    "attribution",
    "certainty",
    "places",
    "control",
    "provisions",
    "stances",
    "predictions",
    "quantities",
    "linking",
    "contradictions",
)


@dataclass(frozen=True, slots=True)
class Suite:
    name: str  # the dataset name, as in --only and in floor keys
    extractor: str  # the extractor it measures (gold: all of them)
    public: bool  # needs ../shared
    run: Callable[[Context], DatasetRun]


SUITES: tuple[Suite, ...] = (
    Suite("gold", "all", False, gold.evaluate),
    Suite("polnear-dev", "attribution", True, attribution.evaluate),
    Suite("sfu-review", "certainty", True, hedges.evaluate),
    Suite("emergent", "certainty", True, stance.evaluate_emergent),
    Suite("fnc-1", "certainty", True, stance.evaluate_fnc),
    Suite("lgl", "places", True, partial(places.evaluate, corpus="lgl")),
    Suite("tr-news", "places", True, partial(places.evaluate, corpus="tr-news")),
    Suite("geovirus", "places", True, partial(places.evaluate, corpus="geovirus")),
    Suite("tempeval3-platinum", "predictions", True, partial(timex.evaluate, dataset="tempeval3-platinum")),
    Suite("tempeval3-tbaq", "predictions", True, partial(timex.evaluate, dataset="tempeval3-tbaq")),
    Suite("links", "linking", False, links.evaluate_links),
    Suite("emergent-claims", "linking", True, links.evaluate_emergent_claims),
)


def default_repo_root() -> Path:
    """The checkout this package runs from (``src/sitroom/evaluate`` → the repository), else the cwd."""
    here = Path(__file__).resolve().parents[3]
    return here if (here / "pyproject.toml").is_file() else Path.cwd()


@dataclass(slots=True)
class EvalOptions:
    """What to evaluate and where. Paths left ``None`` resolve from ``repo_root``."""

    repo_root: Path | None = None
    shared: Path | None = None  # default: $SITROOM_SHARED, else <repo_root>/../shared
    gold: Path | None = None  # default: <repo_root>/eval/gold
    floors: Path | None = None  # default: <repo_root>/eval/floors.json
    only: tuple[str, ...] = ()  # dataset names or extractor names; empty = everything
    limit: int | None = None  # at most this many documents (FNC-1: bodies) per public dataset; gold runs whole
    jobs: int = 2  # worker processes for extraction
    progress: ProgressHook = no_progress
    deadlines: Deadlines | None = DEFAULT_DEADLINES  # per-document time limits (see .extraction)
    make_extractor: Callable[[], ExtractorLike] | None = None  # tests pass fakes
    make_hedge_extractor: Callable[[], ExtractorLike] | None = None

    @property
    def root(self) -> Path:
        return self.repo_root or default_repo_root()

    @property
    def shared_dir(self) -> Path:
        if self.shared is not None:
            return self.shared
        env = os.environ.get(SHARED_ENV)
        return Path(env) if env else self.root.parent / "shared"

    @property
    def gold_dir(self) -> Path:
        return self.gold or self.root / "eval" / "gold"

    @property
    def floors_path(self) -> Path:
        return self.floors or self.root / "eval" / "floors.json"


def select(only: tuple[str, ...]) -> list[Suite]:
    """The suites ``--only`` names (dataset or extractor names), in the standard order."""
    if not only:
        return list(SUITES)
    names = {s.name for s in SUITES}
    extractors = {s.extractor for s in SUITES} | set(EXTRACTOR_ORDER)
    unknown = [n for n in only if n not in names and n not in extractors]
    if unknown:
        raise ConfigError(
            f"unknown dataset or extractor {', '.join(map(repr, unknown))}",
            hint="choose from: " + ", ".join(s.name for s in SUITES) + " (or an extractor name)",
        )
    return [s for s in SUITES if s.name in only or s.extractor in only]


def build_extractor() -> ExtractorLike:
    from ..extract.pipeline import ExtractOptions, Extractor

    return Extractor(options=ExtractOptions(actors_paths=[]))


def build_hedge_extractor() -> ExtractorLike:
    import spacy

    from ..extract.pipeline import ExtractOptions, Extractor

    nlp = spacy.blank("en")
    nlp.add_pipe("sitroom_hedges")
    return Extractor(nlp=nlp, options=ExtractOptions(actors_paths=[], components=("sitroom_hedges",)))


def run_evaluation(options: EvalOptions | None = None) -> EvalReport:
    """Evaluate every selected dataset and return the report (no gate, no files written)."""
    options = options or EvalOptions()
    if options.limit is not None and options.limit < 1:
        raise ConfigError(f"--limit {options.limit} must be at least 1")
    suites = select(options.only)
    report = EvalReport(limit=options.limit)
    built = {"seconds": 0.0}

    def timed(factory: Callable[[], ExtractorLike]) -> Callable[[], ExtractorLike]:
        def make() -> ExtractorLike:
            start = time.perf_counter()
            try:
                return factory()
            finally:
                built["seconds"] += time.perf_counter() - start

        return make

    ctx = Context(
        shared=options.shared_dir,
        gold=options.gold_dir,
        make_extractor=timed(options.make_extractor or build_extractor),
        make_hedge_extractor=timed(options.make_hedge_extractor or build_hedge_extractor),
        jobs=max(1, options.jobs),
        limit=options.limit,
        progress=options.progress,
        deadlines=options.deadlines,
    )
    shared_ok = (ctx.shared / "datasets").is_dir()
    started = time.perf_counter()
    for suite in suites:
        if suite.public and not shared_ok:
            report.runs.append(
                DatasetRun(suite.name, "skipped", note=f"{ctx.shared / 'datasets'} not found (set ${SHARED_ENV})")
            )
            continue
        t0 = time.perf_counter()
        try:
            run = suite.run(ctx)
        except SitroomError as exc:
            run = DatasetRun(suite.name, "error", note=str(exc))
        run.seconds = time.perf_counter() - t0
        report.runs.append(run)
    report.seconds = time.perf_counter() - started
    report.build_seconds = built["seconds"]
    if options.limit is not None:
        report.warnings.append(f"--limit {options.limit}: scores are on reduced samples, not comparable to the floors")
    return report


def gate(report: EvalReport, options: EvalOptions) -> GateResult:
    """Check the report against eval/floors.json."""
    selected = {s.name for s in select(options.only)}
    result = check(report, Floors.read(options.floors_path), selected)
    if options.limit is not None:
        result.warnings.append("--limit was given: a failure may be sampling, not a regression")
    return result


def update_floors(report: EvalReport, options: EvalOptions, *, allow_lower: bool = False) -> Floors:
    """Write new floors from a full run (refused with ``--limit``); returns what was written."""
    if options.limit is not None:
        raise ConfigError("--update-floors needs the full samples", hint="run it without --limit")
    errors = [f"{r.name}: {r.note}" for r in report.runs if r.status == "error"]
    if errors:
        raise ConfigError("not updating floors while a dataset fails: " + "; ".join(errors))
    floors = update(report, Floors.read(options.floors_path), allow_lower=allow_lower)
    floors.write(options.floors_path)
    return floors


__all__ = [
    "SHARED_ENV",
    "SUITES",
    "EvalOptions",
    "Suite",
    "build_extractor",
    "build_hedge_extractor",
    "default_repo_root",
    "gate",
    "run_evaluation",
    "select",
    "update_floors",
]
