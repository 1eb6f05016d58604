"""Text helpers for linking: sentence bounds, content words, numbers, and MinHash signatures.

Everything here is deterministic (no salted ``hash()``): signatures and keys are the same in every
process and every run, so link results can be compared across runs and workers.
"""

from __future__ import annotations

import json
import re
import zlib
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).parent / "data"

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?", re.UNICODE)
_NUMBER = re.compile(r"\d[\d,.]*")
# A sentence ends at . ! ? (optionally followed by closing quotes/brackets) before whitespace, or at a
# blank line / line break followed by a capital or a digit (headlines, list items, transcript cues).
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*\s+|\n\s*\n+|\n(?=\s*[\-*•(\dA-Z])")


@lru_cache(maxsize=1)
def lexicon() -> dict[str, Any]:
    """``link/data/linking.json``: stopwords, certainty ranks and probabilities, opposite statuses."""
    data: dict[str, Any] = json.loads((DATA / "linking.json").read_text(encoding="utf-8"))
    return data


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    return frozenset(lexicon()["stopwords"])


def sentence_bounds(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each sentence-like stretch of ``text``, whitespace trimmed, in order."""
    out: list[tuple[int, int]] = []
    pos = 0
    for match in _SENTENCE_END.finditer(text):
        # the match is the stop, any closing quotes/brackets, then whitespace (trimmed off)
        _add_trimmed(text, pos, match.end(), out)
        pos = match.end()
    _add_trimmed(text, pos, len(text), out)
    return out


def _add_trimmed(text: str, start: int, end: int, out: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append((start, end))


def sentence_around(bounds: Sequence[tuple[int, int]], start: int, end: int) -> tuple[int, int]:
    """The smallest run of sentences (from ``bounds``) that covers ``[start, end)``."""
    first = last = None
    for i, (s, e) in enumerate(bounds):
        if first is None and e > start:
            first = i
        if s < end:
            last = i
    if first is None or last is None or last < first:
        return start, end
    return bounds[first][0], bounds[last][1]


def stem(word: str) -> str:
    """A crude, fast suffix stripper: enough to match "captured"/"captures", "talks"/"talk"."""
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    for suffix in ("ations", "ation", "ings", "ing", "edly", "ed", "ies", "es", "s", "ly"):
        if len(w) > len(suffix) + 3 and w.endswith(suffix):
            return w[: -len(suffix)] + ("y" if suffix == "ies" else "")
    return w


def content_words(text: str) -> list[str]:
    """Stemmed content words of ``text`` (stopwords and one-letter words dropped)."""
    stop = stopwords()
    out = []
    for m in _WORD.finditer(text):
        w = m.group().lower()
        if len(w) < 2 or w in stop or w.isdigit():
            continue
        out.append(stem(w))
    return out


def numbers(text: str) -> set[str]:
    """Numbers written in figures, normalised ("600,000" → "600000"); years and small counts kept.
    Ordinals and labels ("23rd", "5G", "Su-34") are names, not figures, and are left out."""
    out = set()
    for m in _NUMBER.finditer(text):
        if text[m.end() : m.end() + 1].isalpha() or text[max(0, m.start() - 1) : m.start()] in ("-",):
            continue
        digits = m.group().rstrip(".,").replace(",", "")
        if digits:
            out.add(digits)
    return out


def stable_hash(value: str, seed: int = 0) -> int:
    """A 32-bit hash that is the same in every process (``hash()`` is salted per process)."""
    return zlib.crc32(value.encode("utf-8"), seed) & 0xFFFFFFFF


def shingles(text: str, size: int = 5) -> set[str]:
    """Word ``size``-grams of the lower-cased words of ``text`` (all words: copies keep stopwords)."""
    words = [m.group().lower() for m in _WORD.finditer(text)]
    if len(words) < size:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + size]) for i in range(len(words) - size + 1)}


_MASK = (1 << 32) - 1
_PRIME = 4294967311  # the first prime above 2**32


@lru_cache(maxsize=8)
def _coefficients(permutations: int) -> tuple[Any, Any]:
    """``a`` and ``b`` of the hash functions ``((a * h + b) % _PRIME) & _MASK``, as numpy columns."""
    import numpy as np  # installed with spaCy

    a = np.array([2 * i + 1 for i in range(permutations)], dtype=np.int64)[:, None]
    b = np.array([stable_hash(str(i), 7) for i in range(permutations)], dtype=np.int64)[:, None]
    return a, b


def minhash(items: Iterable[str], permutations: int = 64) -> tuple[int, ...]:
    """A MinHash signature: for each of ``permutations`` seeded hash functions, the minimum value.

    The i-th function is ``((a * h + b) % _PRIME) & _MASK`` with ``a = 2i + 1`` and ``b = stable_hash(str(i), 7)``,
    over the 32-bit ``stable_hash`` of each item. It is computed with numpy in exact int64 arithmetic
    (``a * h + b < 2**63``), in blocks of items, so a signature costs a few array operations instead of
    ``permutations × items`` Python steps; the values are the same integers as in pure Python.
    """
    import numpy as np

    hashed = [stable_hash(item) for item in items]
    if not hashed:
        return tuple([_MASK] * permutations)
    a, b = _coefficients(permutations)
    values = np.array(hashed, dtype=np.int64)
    block = 4096  # items per step: bounds the (permutations × block) temporary array
    best = ((a * values[:block] + b) % _PRIME & _MASK).min(axis=1)
    for start in range(block, len(values), block):
        best = np.minimum(best, ((a * values[start : start + block] + b) % _PRIME & _MASK).min(axis=1))
    return tuple(int(v) for v in best)


def jaccard(a: set[str] | frozenset[str], b: set[str] | frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


__all__ = [
    "content_words",
    "jaccard",
    "lexicon",
    "minhash",
    "numbers",
    "sentence_around",
    "sentence_bounds",
    "shingles",
    "stable_hash",
    "stem",
    "stopwords",
]
