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
from .base import add_fact, alternation, load_data

# Strength order: when cues overlap a statement, the strongest decides its certainty.
CERTAINTY_RANK = {"asserted": 0, "hedged": 1, "rumoured": 2, "questioned": 3, "denied": 4}


def strongest(*values: str | None) -> str:
    best = "asserted"
    for value in values:
        if value and CERTAINTY_RANK.get(value, 0) > CERTAINTY_RANK[best]:
            best = value
    return best


@dataclass(slots=True)
class HedgeLexicon:
    pattern: re.Pattern[str]
    kinds: dict[str, str]  # folded phrase → kind
    regexes: list[tuple[re.Pattern[str], str]]

    @classmethod
    def from_data(cls, raw: dict[str, Any]) -> HedgeLexicon:
        kinds: dict[str, str] = {}
        for kind, phrases in raw.get("phrases", {}).items():
            for phrase in phrases:
                kinds[_fold(phrase)] = kind
        body = alternation(kinds)
        pattern = re.compile(rf"(?<![\w'’])(?:{body})(?![\w'’])", re.IGNORECASE)
        regexes = [(re.compile(item["pattern"], re.IGNORECASE), item["kind"]) for item in raw.get("regex", [])]
        return cls(pattern=pattern, kinds=kinds, regexes=regexes)

    def find(self, text: str) -> list[Hedge]:
        found: list[Hedge] = []
        for match in self.pattern.finditer(text):
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
