"""What a dataset's evaluation gets from the runner: where the data is, the extractors (built once, on
first use), how many worker processes, the ``--limit`` sample cap and a progress hook."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from ..model import Document
from .extraction import DEFAULT_DEADLINES, Deadlines, Extracted, ExtractorLike, extract_all


class ProgressHook(Protocol):
    def __call__(self, label: str, total: int) -> Callable[[int], None]: ...


def no_progress(label: str, total: int) -> Callable[[int], None]:
    return lambda advance: None


@dataclass(slots=True)
class Context:
    shared: Path  # the ../shared folder (datasets are under shared/datasets)
    gold: Path  # eval/gold
    make_extractor: Callable[[], ExtractorLike]
    make_hedge_extractor: Callable[[], ExtractorLike]
    jobs: int = 1
    limit: int | None = None  # --limit: at most this many documents per public dataset
    progress: ProgressHook = no_progress
    deadlines: Deadlines | None = DEFAULT_DEADLINES
    _cache: dict[str, ExtractorLike] = field(default_factory=dict)

    @property
    def datasets(self) -> Path:
        return self.shared / "datasets"

    def extractor(self, hedges_only: bool = False) -> ExtractorLike:
        """The full pipeline (or the hedges-only one), built on first use and reused."""
        key = "hedges" if hedges_only else "full"
        if key not in self._cache:
            self._cache[key] = (self.make_hedge_extractor if hedges_only else self.make_extractor)()
        return self._cache[key]

    def extract(self, documents: Sequence[Document], label: str, *, hedges_only: bool = False) -> Extracted:
        advance = self.progress(label, len(documents))
        extractor = self.extractor(hedges_only)
        return extract_all(extractor, documents, jobs=self.jobs, progress=advance, deadlines=self.deadlines)


__all__ = ["Context", "ProgressHook", "no_progress"]
