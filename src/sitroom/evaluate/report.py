"""What an evaluation run produces: one :class:`Score` per (extractor, dataset, metric), grouped in one
:class:`DatasetRun` per dataset, inside an :class:`EvalReport`.

Values are fractions in [0, 1]; tables show them as percentages. ``better`` says which way is good:
"higher" for F1 and accuracy, "lower" for the geocoding AUC.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Better = Literal["higher", "lower"]
Status = Literal["ok", "skipped", "error"]


@dataclass(slots=True)
class Published:
    """The best published figure to compare with, as a fraction, and where it comes from."""

    value: float | None
    source: str
    verified: bool = True
    comparable: bool = True  # False: a different quantity (e.g. inter-annotator agreement), for context only


@dataclass(slots=True)
class Score:
    extractor: str
    dataset: str
    metric: str
    value: float | None
    sample: int  # the number of items the metric is computed over
    unit: str  # what ``sample`` counts: "attributions", "toponyms", "pairs", ...
    better: Better = "higher"
    published: Published | None = None
    note: str = ""

    @property
    def key(self) -> str:
        """The stable name of this metric in eval/floors.json."""
        return f"{self.dataset}/{self.extractor}/{self.metric}"


@dataclass(slots=True)
class DatasetRun:
    name: str
    status: Status
    scores: list[Score] = field(default_factory=list)
    data_hash: str | None = None
    documents: int = 0  # documents extracted or read
    sample_note: str = ""  # how the sample was drawn
    note: str = ""  # why skipped, what failed, what was repaired
    seconds: float = 0.0
    extraction_errors: list[str] = field(default_factory=list)


@dataclass(slots=True)
class EvalReport:
    runs: list[DatasetRun] = field(default_factory=list)
    seconds: float = 0.0
    build_seconds: float = 0.0
    limit: int | None = None
    warnings: list[str] = field(default_factory=list)

    def scores(self) -> list[Score]:
        return [s for run in self.runs if run.status == "ok" for s in run.scores]

    def run(self, name: str) -> DatasetRun | None:
        return next((r for r in self.runs if r.name == name), None)

    def to_json(self) -> dict[str, Any]:
        return {
            "seconds": round(self.seconds, 2),
            "build_seconds": round(self.build_seconds, 2),
            "limit": self.limit,
            "warnings": list(self.warnings),
            "datasets": [
                {
                    "name": run.name,
                    "status": run.status,
                    "data_hash": run.data_hash,
                    "documents": run.documents,
                    "sample_note": run.sample_note,
                    "note": run.note,
                    "seconds": round(run.seconds, 2),
                    "extraction_errors": run.extraction_errors,
                    "scores": [{**asdict(s), "key": s.key} for s in run.scores],
                }
                for run in self.runs
            ],
        }


__all__ = ["Better", "DatasetRun", "EvalReport", "Published", "Score", "Status"]
