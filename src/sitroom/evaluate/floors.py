"""Pinned floors: the gate that a change must not push any measured score below.

``eval/floors.json`` records, per metric key (``<dataset>/<extractor>/<metric>``)::

    {"floor": 0.41, "better": "higher", "measured": 0.4321, "data_hash": "sha256:...",
     "sample": 283, "unit": "attributions", "date": "2025-11-25"}

* **The floor** is the measured value rounded *down* to two decimals, minus a noise margin of 0.01
  (``MARGIN``); for a metric where lower is better (the geocoding AUC) it is a ceiling: rounded *up*,
  plus the margin. The extractors are deterministic, so the margin is not for run-to-run noise but for
  the last digits that move when a library (spaCy, the gazetteer, dateparser) changes a single
  decision in a set of a few hundred items. A real regression is larger than that.
* **The gate** fails for every metric whose value is below its floor (above its ceiling). It warns when a
  dataset's hash differs from the one the floor was measured on (the data changed: the comparison may
  not hold), and notes floors whose dataset was not run.
* **Updating** measures again and ratchets: a floor rises when the new value allows it and never falls
  silently. A metric that is still above its floor keeps its floor (only ``measured``, hash, sample and
  date are refreshed); one that fell below it can only be lowered with ``allow_lower``, otherwise the
  whole update is refused and nothing is written. Floors of datasets not run this time are kept.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from .report import EvalReport, Score

MARGIN = 0.01
VERSION = 1


def floor_for(value: float, better: str, margin: float = MARGIN) -> float:
    """The bound pinned for a measured value: down to 2 decimals minus the margin (up plus, if lower is better)."""
    if better == "lower":
        return round(min(1.0, math.ceil(round(value * 100, 6)) / 100 + margin), 2)
    return round(max(0.0, math.floor(round(value * 100, 6)) / 100 - margin), 2)


def passes(value: float, bound: float, better: str) -> bool:
    return value <= bound + 1e-12 if better == "lower" else value >= bound - 1e-12


@dataclass(slots=True)
class Floors:
    entries: dict[str, dict[str, Any]] = field(default_factory=dict)
    margin: float = MARGIN

    @classmethod
    def read(cls, path: Path) -> Floors:
        if not path.is_file():
            return cls()
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise ConfigError(f"floors file is not readable JSON ({exc})", input=str(path)) from exc
        if not isinstance(raw, dict) or not isinstance(raw.get("metrics", {}), dict):
            raise ConfigError("floors file has no 'metrics' object", input=str(path))
        return cls(entries=dict(raw.get("metrics", {})), margin=float(raw.get("margin", MARGIN)))

    def write(self, path: Path) -> None:
        body = {
            "_about": "Pinned minimum scores per metric, written by `make eval-update` "
            "(python -m sitroom.evaluate --update-floors); see eval/README.md. Do not edit by hand to lower one.",
            "version": VERSION,
            "margin": self.margin,
            "metrics": {key: self.entries[key] for key in sorted(self.entries)},
        }
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(body, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        tmp.replace(path)


@dataclass(slots=True)
class GateResult:
    failures: list[str] = field(default_factory=list)  # one line per metric below its floor
    warnings: list[str] = field(default_factory=list)  # data hash changed, gold missing, ...
    notes: list[str] = field(default_factory=list)  # floors not checked (dataset skipped or not selected)
    checked: int = 0

    @property
    def ok(self) -> bool:
        return not self.failures


def check(report: EvalReport, floors: Floors, selected: set[str] | None = None) -> GateResult:
    """Compare every measured score with its floor. ``selected``: the datasets this run was asked for."""
    result = GateResult()
    measured = {s.key: s for s in report.scores()}
    hashes = {run.name: run.data_hash for run in report.runs if run.status == "ok"}
    for run in report.runs:
        if run.status == "error":
            result.failures.append(f"{run.name}: could not be evaluated ({run.note})")
    for key, entry in sorted(floors.entries.items()):
        dataset = key.split("/", 1)[0]
        if selected is not None and dataset not in selected:
            continue
        score = measured.get(key)
        if score is None:
            if dataset not in hashes:
                result.notes.append(f"{key}: not checked ({dataset} not run)")
            else:
                result.warnings.append(f"{key}: has a floor but was not measured")
            continue
        if score.value is None:
            continue
        result.checked += 1
        bound, better = float(entry["floor"]), entry.get("better", "higher")
        if not passes(score.value, bound, better):
            word = "above its ceiling" if better == "lower" else "below its floor"
            result.failures.append(f"{key} = {score.value:.4f} is {word} {bound:.2f}")
    warned: set[str] = set()
    for key, entry in floors.entries.items():
        dataset = key.split("/", 1)[0]
        pinned, now = entry.get("data_hash"), hashes.get(dataset)
        if now and pinned and pinned != now and dataset not in warned:
            warned.add(dataset)
            result.warnings.append(
                f"{dataset}: data changed since its floors were measured ({pinned[:19]}… → {now[:19]}…); "
                "compare with care, then run `make eval-update`"
            )
    return result


class FloorsRefused(ConfigError):
    """An update would lower floors and ``allow_lower`` was not given."""

    def __init__(self, keys: list[str]) -> None:
        super().__init__(
            f"refusing to lower {len(keys)} floor(s): " + "; ".join(keys),
            hint="fix the regression, or pass --allow-lower to accept the lower scores on purpose",
        )
        self.keys = keys


def update(report: EvalReport, floors: Floors, *, allow_lower: bool = False, today: date | None = None) -> Floors:
    """New floors from a report (see the module docstring); raises :class:`FloorsRefused`."""
    today = today or date.today()
    hashes = {run.name: run.data_hash for run in report.runs}
    entries = {key: dict(value) for key, value in floors.entries.items()}
    lowered: list[str] = []
    for score in report.scores():
        if score.value is None:
            continue
        entry = entries.get(score.key)
        candidate = floor_for(score.value, score.better, floors.margin)
        bound = candidate
        if entry is not None:
            old = float(entry["floor"])
            if passes(candidate, old, score.better):
                bound = candidate  # at or beyond the old floor: ratchet
            elif passes(score.value, old, score.better):
                bound = old  # still passing: keep the floor where it is
            elif allow_lower:
                bound = candidate
            else:
                lowered.append(f"{score.key} {old:.2f} → {candidate:.2f} (measured {score.value:.4f})")
                continue
        entries[score.key] = _entry(score, bound, hashes.get(score.dataset), today)
    if lowered:
        raise FloorsRefused(lowered)
    return Floors(entries=entries, margin=floors.margin)


def _entry(score: Score, bound: float, data_hash: str | None, today: date) -> dict[str, Any]:
    return {
        "floor": bound,
        "better": score.better,
        "measured": round(score.value or 0.0, 4),
        "data_hash": data_hash,
        "sample": score.sample,
        "unit": score.unit,
        "date": today.isoformat(),
    }


__all__ = ["MARGIN", "Floors", "FloorsRefused", "GateResult", "check", "floor_for", "passes", "update"]
