"""Lexicons and patterns as data, without spaCy: the JSON files in ``sitroom/extract/data`` and the
regex helper the lexicons are compiled with. The analyse layer reads the same data (plan catalogue,
topic lists) and must not pay for importing spaCy, so these live apart from ``base``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import ConfigError

DATA_DIR = Path(str(resources.files("sitroom.extract") / "data"))


def alternation(phrases: Iterable[str]) -> str:
    """A regex alternation of literal phrases, longest first, any run of spaces matching any whitespace."""
    return "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in sorted(set(phrases), key=len, reverse=True))


def resolve_data_path(name: str | None, default: str) -> Path:
    path = Path(name) if name else DATA_DIR / default
    if not path.is_absolute() and not path.exists():
        path = DATA_DIR / path
    return path


@cache
def _load_json_cached(path: str, mtime: float) -> Any:
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def load_data(name: str | None, default: str) -> Any:
    """Load a JSON lexicon by path (or by file name inside the package's data folder)."""
    path = resolve_data_path(name, default)
    try:
        return _load_json_cached(str(path), path.stat().st_mtime)
    except FileNotFoundError as exc:
        raise ConfigError("lexicon file not found", input=str(path), hint="check the path") from exc
    except json.JSONDecodeError as exc:
        raise ConfigError(f"lexicon is not valid JSON ({exc})", input=str(path)) from exc


__all__ = ["DATA_DIR", "alternation", "load_data", "resolve_data_path"]
