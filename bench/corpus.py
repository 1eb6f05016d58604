"""The benchmark corpus: the bundled examples (plus the shared seed, if present), cycled to a word count.

Deterministic: documents are read in path order and repeated in that order until the target word
count is reached, so two runs on two machines time exactly the same texts.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples" / "corpus"
SEED = REPO.parent / "shared" / "seed" / "2025-11-20-commentary.txt"
# Relative dates ("in February") need a reference. Texts without a publication date get this one, not
# their `retrieved` time (which is "now" for files, and would make every run's corpus different).
DEFAULT_PUBLISHED = datetime(2025, 11, 20, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class BenchText:
    """One text to process and the date it was published (ISO 8601, so it crosses process boundaries)."""

    text: str
    published: str

    @property
    def words(self) -> int:
        return count_words(self.text)


def count_words(text: str) -> int:
    """Words as the benchmark counts them: whitespace-separated pieces."""
    return len(text.split())


def default_sources() -> list[Path]:
    """The example corpus and, when this checkout sits next to ``shared/``, the seed commentary."""
    return [EXAMPLES, *([SEED] if SEED.exists() else [])]


def load_base(sources: Iterable[Path]) -> list[BenchText]:
    """Every document sitroom's ingest reads from ``sources``, in path order. Unreadable inputs are an error."""
    from sitroom.ingest import iter_documents

    texts: list[BenchText] = []
    for item in iter_documents([str(path) for path in sources]):
        if item.error is not None:
            raise RuntimeError(f"benchmark corpus: cannot read {item.target}: {item.error}")
        for document in item.documents:
            if not document.text.strip():
                continue
            when = document.published or DEFAULT_PUBLISHED
            texts.append(BenchText(text=document.text, published=when.isoformat()))
    if not texts:
        raise RuntimeError("benchmark corpus: no documents found")
    return texts


def cycle_to_words(base: Sequence[BenchText], words: int) -> list[BenchText]:
    """Repeat ``base`` in order until at least ``words`` words (always at least one text)."""
    if not base:
        raise ValueError("no texts to cycle")
    out: list[BenchText] = []
    total = 0
    while total < words or not out:
        text = base[len(out) % len(base)]
        out.append(text)
        total += text.words
    return out


def digest(texts: Sequence[BenchText]) -> str:
    """SHA-256 over the texts and dates, to tell whether two results timed the same corpus."""
    h = hashlib.sha256()
    for text in texts:
        h.update(text.published.encode())
        h.update(b"\0")
        h.update(text.text.encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()


def save(texts: Sequence[BenchText], path: Path) -> None:
    path.write_text(json.dumps([asdict(t) for t in texts], ensure_ascii=False), encoding="utf-8")


def load(path: Path) -> list[BenchText]:
    return [BenchText(**row) for row in json.loads(path.read_text(encoding="utf-8"))]
