"""Hedge cues: the words that tell how sure a statement is ("rumored", "presumably (?)", "unclear").

Component ``sitroom_hedges`` reads only the text, so it runs on ``spacy.blank("en")``. It writes
``model.Hedge`` facts whose ``kind`` is the certainty the cue signals. Cues live in
``data/hedges.json``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from ..model import Hedge
from .base import add_fact
from .lexicon import alternation, load_data

# Strength order: when cues overlap a statement, the strongest decides its certainty.
CERTAINTY_RANK = {"asserted": 0, "hedged": 1, "rumoured": 2, "questioned": 3, "denied": 4}


def strongest(*values: str | None) -> str:
    best = "asserted"
    for value in values:
        if value and CERTAINTY_RANK.get(value, 0) > CERTAINTY_RANK[best]:
            best = value
    return best


_CLAUSE_BREAK = re.compile(r"[,;:.!?()\n—–]")
_MONTH_MAY = re.compile(r"(?:\b(?:in|on|of|since|until|by|early|late|mid)\s+May\b|\bMay\s+\d)")


@dataclass(slots=True)
class HedgeLexicon:
    pattern: re.Pattern[str]
    kinds: dict[str, str]  # folded phrase → kind
    regexes: list[tuple[re.Pattern[str], str]]
    ability_modals: frozenset[str] = frozenset()
    condition: re.Pattern[str] | None = None

    @classmethod
    def from_data(cls, raw: dict[str, Any]) -> HedgeLexicon:
        kinds: dict[str, str] = {}
        for kind, phrases in raw.get("phrases", {}).items():
            for phrase in phrases:
                kinds[_fold(phrase)] = kind
        body = alternation(kinds)
        pattern = re.compile(rf"(?<![\w'’])(?:{body})(?![\w'’])", re.IGNORECASE)
        regexes = [(re.compile(item["pattern"], re.IGNORECASE), item["kind"]) for item in raw.get("regex", [])]
        words = raw.get("condition_words", [])
        condition = re.compile(rf"\b(?:{alternation(words)})\b", re.IGNORECASE) if words else None
        modals = frozenset(m.lower() for m in raw.get("ability_modals", []))
        return cls(pattern=pattern, kinds=kinds, regexes=regexes, ability_modals=modals, condition=condition)

    def _not_epistemic(self, text: str, start: int, end: int) -> bool:
        """'if partners could guarantee', 'Ukraine could not be asked', 'in May': no uncertainty."""
        word = text[start:end]
        if word == "May" and any(
            m.start() <= start < m.end() for m in _MONTH_MAY.finditer(text, max(0, start - 8), end + 4)
        ):
            return True
        if word.lower() not in self.ability_modals:
            return False
        after = text[end : end + 6].lower()
        if after.startswith((" not", "n't", " never")):
            return True
        clause_start = max((m.end() for m in _CLAUSE_BREAK.finditer(text, 0, start)), default=0)
        return self.condition is not None and self.condition.search(text, clause_start, start) is not None

    def find(self, text: str) -> list[Hedge]:
        found: list[Hedge] = []
        for match in self.pattern.finditer(text):
            if self._not_epistemic(text, match.start(), match.end()):
                continue
            kind = self.kinds.get(_fold(match.group(0)), "hedged")
            found.append(Hedge(start=match.start(), end=match.end(), text=match.group(0), kind=kind))
        for regex, kind in self.regexes:
            for match in regex.finditer(text):
                found.append(Hedge(start=match.start(), end=match.end(), text=match.group(0), kind=kind))
        return _drop_overlaps(found)


def _fold(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("’", "'")).strip().lower()


def _drop_overlaps(hedges: list[Hedge]) -> list[Hedge]:
    """Keep the longest of overlapping cues, in text order."""
    kept: list[Hedge] = []
    for hedge in sorted(hedges, key=lambda h: (h.start, -(h.end - h.start))):
        if kept and hedge.start < kept[-1].end:
            if hedge.end - hedge.start > kept[-1].end - kept[-1].start:
                kept[-1] = hedge
            continue
        kept.append(hedge)
    return kept


class HedgeFinder:
    def __init__(self, lexicon: HedgeLexicon) -> None:
        self.lexicon = lexicon

    def __call__(self, doc: Doc) -> Doc:
        for hedge in self.lexicon.find(doc.text):
            add_fact(doc, "hedges", hedge, label=hedge.kind)
        return doc


@Language.factory(
    "sitroom_hedges",
    requires=[],
    assigns=["doc._.sitroom_facts", "doc.spans"],
    default_config={"lexicon_path": None},
)
def make_hedges(nlp: Language, name: str, lexicon_path: str | None) -> HedgeFinder:
    return HedgeFinder(HedgeLexicon.from_data(load_data(lexicon_path, "hedges.json")))
