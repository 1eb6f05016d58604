"""The predictions ledger: who predicted what, by when, how surely, and how it turned out.

* **Probability**: stated in the prediction's sentence ("35%", "50/50", "one chance in four",
  "70 per cent") when it is; otherwise read from its certainty (``certainty_probability`` in
  ``link/data/linking.json``: an asserted forecast 0.85, a hedged one 0.6, ...). Which of the two
  it came from is kept (``probability_from``).
* **Status**: ``resolved`` (the user's latest verdict: true / false / void), else ``due`` once the
  deadline has passed at the ledger's date, else ``open``; predictions without a deadline stay open.
* **Suggestions**: for an unresolved prediction, later claims that say much the same thing (claim
  similarity at least ``SUGGEST_THRESHOLD``; claims that are themselves forecasts are left out)
  are offered as possible evidence that it came true; a later *denial* of the same thing as
  evidence that it did not. The user confirms with ``sitroom predictions resolve``. Not offered on a
  corpus of more than ``SUGGEST_MAX_CLAIMS`` claims (``suggestions_skipped`` says so).
* **Brier score** of a set of resolved predictions (void ones left out): the mean of
  ``(probability - outcome)²``, 0 is perfect, 0.25 is a coin toss.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from ..link.claims import Claim, text_keys
from ..link.corpus import Corpus, FactRef
from ..link.text import content_words, lexicon

SUGGEST_THRESHOLD = 0.35
# Suggestions probe the linker's index of every claim; with the claim groups read from the store that
# index is built for them alone — at 1.4 million claims (100,000 documents) that took over 20 minutes.
SUGGEST_MAX_CLAIMS = 150_000
_PERCENT = re.compile(r"\b(\d{1,3}(?:\.\d+)?)\s*(?:%|per\s*cent|percent)")
_EVEN = re.compile(r"\b(?:50[/-]50|fifty[- ]fifty|even odds|coin[- ]toss)\b", re.I)
_CHANCE_IN = re.compile(
    r"\b(one|two|three|1|2|3)\s+(?:chance|in)\s+(?:in\s+)?(two|three|four|five|ten|2|3|4|5|10)\b", re.I
)
_ODDS_WORDS = re.compile(r"\b(?:chance|chances|probability|likel\w*|odds|bet|confiden\w*|percent chance)\b", re.I)
_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "ten": 10}


def stated_probability(text: str) -> float | None:
    """A probability written in ``text``, or None. A percentage counts only beside a word of odds
    ("chance", "likely", "probability", "bet", ...): "prices rose 5%" states no probability."""
    if _EVEN.search(text):
        return 0.5
    m = _CHANCE_IN.search(text)
    if m:
        a, b = (int(_WORDS.get(x.lower(), x)) for x in m.groups())
        if 0 < a < b:
            return a / b
    m = _PERCENT.search(text)
    if m and _ODDS_WORDS.search(text):
        value = float(m.group(1))
        if 0 <= value <= 100:
            return value / 100
    return None


@dataclass(slots=True)
class Suggestion:
    outcome: str  # true | false
    similarity: float
    document_id: str
    source: str | None
    published: datetime | None
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "outcome": self.outcome,
            "similarity": round(self.similarity, 3),
            "document_id": self.document_id,
            "source": self.source,
            "published": self.published.isoformat() if self.published else None,
            "text": self.text,
        }


@dataclass(slots=True)
class LedgerEntry:
    id: int | None
    by: str | None
    what: str
    deadline: str | None
    conditional: bool
    made: datetime | None
    document_id: str
    source: str | None
    certainty: str
    probability: float
    probability_from: str  # stated | certainty
    evidence: str
    status: str  # open | due | resolved
    outcome: str | None = None
    note: str | None = None
    suggestions: list[Suggestion] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "by": self.by,
            "what": self.what,
            "deadline": self.deadline,
            "conditional": self.conditional,
            "made": self.made.isoformat() if self.made else None,
            "document_id": self.document_id,
            "source": self.source,
            "certainty": self.certainty,
            "probability": round(self.probability, 3),
            "probability_from": self.probability_from,
            "evidence": self.evidence,
            "status": self.status,
            "outcome": self.outcome,
            "note": self.note,
            "suggestions": [s.to_dict() for s in self.suggestions],
        }


def deadline_end(deadline: str | None) -> date | None:
    """The last day a deadline allows: "2026-02" → 2026-02-28, "2026" → 2026-12-31."""
    if not deadline:
        return None
    try:
        if len(deadline) == 4:
            return date(int(deadline), 12, 31)
        if len(deadline) == 7:
            year, month = int(deadline[:4]), int(deadline[5:7])
            date(year, month, 1)  # ValueError for a month outside 1-12 (no silent wrap-around)
            nxt = date(year + (month == 12), month % 12 + 1, 1)
            return date.fromordinal(nxt.toordinal() - 1)
        return date.fromisoformat(deadline[:10])
    except ValueError:
        return None


def _entry(ref: FactRef, corpus: Corpus, resolutions: dict[int, dict[str, Any]], today: date) -> LedgerEntry:
    p = ref.fact
    stated = stated_probability(ref.context)
    probability = stated if stated is not None else float(lexicon()["certainty_probability"].get(ref.certainty, 0.5))
    verdict = resolutions.get(ref.id) if ref.id is not None else None
    end = deadline_end(p.deadline)
    if verdict is not None:
        status = "resolved"
    elif end is not None and end < today:
        status = "due"
    else:
        status = "open"
    return LedgerEntry(
        id=ref.id,
        by=p.by,
        what=p.what,
        deadline=p.deadline,
        conditional=bool(p.conditional),
        made=ref.published,
        document_id=ref.document_id,
        source=corpus.source_of(ref.document_id),
        certainty=ref.certainty,
        probability=probability,
        probability_from="stated" if stated is not None else "certainty",
        evidence=ref.context,
        status=status,
        outcome=verdict["outcome"] if verdict else None,
        note=verdict["note"] if verdict else None,
    )


def ledger(
    corpus: Corpus,
    resolutions: dict[int, dict[str, Any]] | None = None,
    *,
    today: date | None = None,
    due_before: date | None = None,
    by: str | None = None,
    suggest: bool = True,
) -> list[LedgerEntry]:
    """The ledger, soonest deadline first (no deadline last)."""
    resolutions = resolutions or {}
    today = today or datetime.now(UTC).date()
    entries = []
    for ref in corpus.facts.get("predictions", []):
        e = _entry(ref, corpus, resolutions, today)
        if by and (e.by is None or by.casefold() not in e.by.casefold()):
            continue
        end = deadline_end(e.deadline)
        if due_before is not None and (end is None or end > due_before):
            continue
        entries.append(e)
    if suggest:
        _suggest(corpus, [e for e in entries if e.status != "resolved"])
    entries.sort(key=lambda e: (deadline_end(e.deadline) or date.max, e.made or datetime.min.replace(tzinfo=UTC)))
    return entries


def suggestions_skipped(corpus: Corpus) -> str | None:
    """Why the ledger of this corpus carries no suggested resolutions (None: it does)."""
    if len(corpus.claims) > SUGGEST_MAX_CLAIMS:
        return (
            f"no suggested resolutions: the store has {len(corpus.claims):,} claims, more than "
            f"{SUGGEST_MAX_CLAIMS:,} (matching every prediction against them all would take tens of minutes)"
        )
    return None


def _suggest(corpus: Corpus, entries: list[LedgerEntry]) -> None:
    if not entries or not corpus.claims or suggestions_skipped(corpus):
        return
    for entry in entries:
        names = {k for k in text_keys(entry.evidence) if k.startswith("name:")}
        probe = Claim(
            id=f"prediction:{entry.id}",
            document_id=entry.document_id,
            start=0,
            end=0,
            text=entry.what,
            speaker=entry.by,
            source=entry.source,
            published=entry.made,
            certainty=entry.certainty,
            words=tuple(content_words(entry.what)),
            keys=frozenset(text_keys(" " + entry.what) | names),
        )
        found = []
        for c, score in corpus.linker.neighbours(probe):
            if c.document_id == entry.document_id or (entry.made and c.published and c.published <= entry.made):
                continue
            if any(f.kind == "predictions" for f in c.facts):
                continue  # a restatement of a forecast is not evidence of how it turned out
            if score >= SUGGEST_THRESHOLD:
                outcome = "false" if c.certainty == "denied" else "true"
                found.append(Suggestion(outcome, score, c.document_id, c.source, c.published, c.text))
        found.sort(key=lambda s: -s.similarity)
        entry.suggestions = found[:3]


def brier(entries: list[LedgerEntry]) -> float | None:
    """Mean squared error of the probabilities of resolved true/false predictions (None if none)."""
    scored = [(e.probability, 1.0 if e.outcome == "true" else 0.0) for e in entries if e.outcome in ("true", "false")]
    if not scored:
        return None
    return sum((p - o) ** 2 for p, o in scored) / len(scored)


__all__ = [
    "SUGGEST_MAX_CLAIMS",
    "SUGGEST_THRESHOLD",
    "LedgerEntry",
    "Suggestion",
    "brier",
    "deadline_end",
    "ledger",
    "stated_probability",
    "suggestions_skipped",
]
