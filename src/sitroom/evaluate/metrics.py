"""Scores, computed the standard way: precision/recall/F1, span matching, accuracy, the FNC-1 score and
the geocoding error measures of Gritta et al.

Spans are tuples of character fragments, ``((start, end), ...)``, so a discontinuous brat span is one
span; :func:`span` makes the common one-fragment case. Matching is one-to-one and greedy: candidate
pairs are taken best first (largest overlap, then text order), each gold and each predicted item used
at most once.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import TypeVar

Fragments = tuple[tuple[int, int], ...]
G = TypeVar("G")
P = TypeVar("P")

EARTH_RADIUS_KM = 6371.0088  # mean Earth radius (IUGG)
MAX_ERROR_KM = 20039.0  # Gritta et al.: the largest error, half the Earth's circumference (their constant)
ACC_KM = 161.0  # "accuracy within 161 km" (100 miles)


def span(start: int, end: int) -> Fragments:
    return ((start, end),)


def length(s: Fragments) -> int:
    return sum(max(0, e - b) for b, e in s)


def overlap(a: Fragments, b: Fragments) -> int:
    """Characters the two spans share."""
    return sum(max(0, min(ae, be) - max(ab, bb)) for ab, ae in a for bb, be in b)


def overlap_ratio(a: Fragments, b: Fragments) -> float:
    """Shared characters as a fraction of the shorter span (0 when either is empty)."""
    shorter = min(length(a), length(b))
    return overlap(a, b) / shorter if shorter else 0.0


def first_start(s: Fragments) -> int:
    return min(b for b, _ in s) if s else 0


def span_score(a: Fragments, b: Fragments, mode: str, min_ratio: float = 0.0) -> float | None:
    """How well two spans match: ``None`` if they do not. ``mode``: "exact" (same fragments) or
    "overlap" (at least one shared character and, if given, ``min_ratio`` of the shorter span)."""
    if mode == "exact":
        return 1.0 if tuple(sorted(a)) == tuple(sorted(b)) else None
    if mode != "overlap":
        raise ValueError(f"unknown span match mode {mode!r}")
    shared = overlap(a, b)
    if shared == 0 or overlap_ratio(a, b) < min_ratio:
        return None
    return shared / max(length(a), length(b))


def match(gold: Sequence[G], pred: Sequence[P], score: Callable[[G, P], float | None]) -> list[tuple[int, int]]:
    """One-to-one pairs ``(gold index, predicted index)``: best-scoring candidates first."""
    candidates = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            value = score(g, p)
            if value is not None:
                candidates.append((-value, gi, pi))
    candidates.sort()
    used_gold: set[int] = set()
    used_pred: set[int] = set()
    pairs = []
    for _, gi, pi in candidates:
        if gi not in used_gold and pi not in used_pred:
            used_gold.add(gi)
            used_pred.add(pi)
            pairs.append((gi, pi))
    return sorted(pairs)


def match_spans(
    gold: Sequence[Fragments], pred: Sequence[Fragments], mode: str = "overlap", min_ratio: float = 0.0
) -> list[tuple[int, int]]:
    return match(gold, pred, lambda g, p: span_score(g, p, mode, min_ratio))


@dataclass(slots=True)
class PRF:
    """Counts for precision, recall and F1; add them up over documents for micro scores."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @classmethod
    def from_match(cls, n_gold: int, n_pred: int, n_matched: int) -> PRF:
        return cls(tp=n_matched, fp=n_pred - n_matched, fn=n_gold - n_matched)

    def __add__(self, other: PRF) -> PRF:
        return PRF(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    def add(self, n_gold: int, n_pred: int, n_matched: int) -> None:
        self.tp += n_matched
        self.fp += n_pred - n_matched
        self.fn += n_gold - n_matched

    @property
    def n_gold(self) -> int:
        return self.tp + self.fn

    @property
    def n_pred(self) -> int:
        return self.tp + self.fp

    @property
    def precision(self) -> float:
        return self.tp / self.n_pred if self.n_pred else 0.0

    @property
    def recall(self) -> float:
        return self.tp / self.n_gold if self.n_gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def micro(counts: Iterable[PRF]) -> PRF:
    total = PRF()
    for c in counts:
        total = total + c
    return total


@dataclass(slots=True)
class Accuracy:
    correct: int = 0
    total: int = 0

    def add(self, ok: bool) -> None:
        self.correct += int(ok)
        self.total += 1

    @property
    def value(self) -> float:
        return self.correct / self.total if self.total else 0.0


def macro_f1(gold: Sequence[str], pred: Sequence[str], labels: Sequence[str]) -> float:
    """Mean of per-class F1 over ``labels`` (every label counts, present or not)."""
    scores = []
    for label in labels:
        counts = PRF()
        for g, p in zip(gold, pred, strict=True):
            counts.tp += g == label and p == label
            counts.fp += g != label and p == label
            counts.fn += g == label and p != label
        scores.append(counts.f1)
    return sum(scores) / len(scores) if scores else 0.0


# --- FNC-1 ----------------------------------------------------------------------------------

FNC_LABELS = ("agree", "disagree", "discuss", "unrelated")
FNC_RELATED = frozenset({"agree", "disagree", "discuss"})


def fnc_score(gold: Sequence[str], pred: Sequence[str]) -> float:
    """The official FNC-1 score (FakeNewsChallenge/fnc-1 ``scorer.py``): 0.25 for a right unrelated
    label or for calling a related pair related, +0.75 for the right related class."""
    score = 0.0
    for g, p in zip(gold, pred, strict=True):
        if g == p:
            score += 0.25
            if g != "unrelated":
                score += 0.50
        if g in FNC_RELATED and p in FNC_RELATED:
            score += 0.25
    return score


def fnc_relative(gold: Sequence[str], pred: Sequence[str]) -> float:
    """FNC score as a fraction of the best possible score (the leaderboard's "% of max")."""
    best = fnc_score(gold, gold)
    return fnc_score(gold, pred) / best if best else 0.0


# --- geocoding --------------------------------------------------------------------------------


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp = p2 - p1
    dl = math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def accuracy_at_km(errors: Sequence[float], km: float = ACC_KM) -> float:
    """Share of errors of at most ``km`` kilometres (Acc@161 by default)."""
    return sum(1 for e in errors if e <= km) / len(errors) if errors else 0.0


def auc_error(errors: Sequence[float]) -> float:
    """Area under the curve of sorted log errors, normalised to [0, 1] (Gritta et al. 2018; lower is
    better): the trapezoid rule over ``log(e + 1)`` divided by ``log(20039) * (n - 1)``."""
    if not errors:
        return 0.0
    logs = sorted(math.log(min(e, MAX_ERROR_KM) + 1) for e in errors)
    scale = math.log(MAX_ERROR_KM)
    if len(logs) == 1:
        return logs[0] / scale
    area = sum((a + b) / 2 for a, b in pairwise(logs))
    return area / (scale * (len(logs) - 1))


__all__ = [
    "ACC_KM",
    "FNC_LABELS",
    "MAX_ERROR_KM",
    "PRF",
    "Accuracy",
    "Fragments",
    "accuracy_at_km",
    "auc_error",
    "fnc_relative",
    "fnc_score",
    "haversine_km",
    "length",
    "macro_f1",
    "match",
    "match_spans",
    "micro",
    "overlap",
    "overlap_ratio",
    "span",
    "span_score",
]
