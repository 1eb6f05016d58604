"""Evaluation: sitroom's extractors scored on public labelled datasets and on the project's gold set.

    from sitroom.evaluate import EvalOptions, run_evaluation, gate
    report = run_evaluation(EvalOptions(only=("gold",)))
    for score in report.scores(): print(score.key, score.value)

Layout: :mod:`.metrics` (P/R/F1, span matching, FNC score, Acc@161, AUC), :mod:`.datasets` (one
loader per dataset), :mod:`.scorers` (run the extractor, compare), :mod:`.floors` (the gate),
:mod:`.runner` (which dataset measures which extractor), :mod:`.render` (tables), ``__main__`` (the
command). docs/benchmarks.md has the numbers and how each dataset was mapped to our task.
"""

from __future__ import annotations

from .floors import Floors, FloorsRefused, GateResult
from .report import DatasetRun, EvalReport, Published, Score
from .runner import SUITES, EvalOptions, gate, run_evaluation, update_floors

__all__ = [
    "SUITES",
    "DatasetRun",
    "EvalOptions",
    "EvalReport",
    "Floors",
    "FloorsRefused",
    "GateResult",
    "Published",
    "Score",
    "gate",
    "run_evaluation",
    "update_floors",
]
