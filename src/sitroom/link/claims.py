"""Claims: the statements of a document that linking compares across documents.

A claim is either

* an **attribution** (``X said that ...``): its content span, its speaker and its certainty; or
* a **sentence in the document's own voice** that carries information (at least a few content words
  and something to anchor it: a place, a name, a figure, or an extracted fact), spoken by the
  document's source. A sentence mostly covered by an attribution's content is not a second claim.

Each claim keeps its evidence (document id and character offsets), the facts that fall inside it
(so contradictions can compare control status, numbers and stances), and its *keys*: canonical place
names, names, figures and provision topics, used both to find candidate matches quickly and to score
them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime

from .. import model
from .text import content_words, numbers, sentence_around, sentence_bounds, stopwords

MIN_WORDS = 4  # a sentence with fewer content words is not a claim
_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b([A-Z][a-z]+(?:[-’'][A-Za-z]+)?)")


@dataclass(frozen=True, slots=True)
class ClaimFact:
    """A fact inside a claim, with its row id in the store (``None`` when not stored)."""

    kind: str
    id: int | None
    fact: model.Fact


@dataclass(slots=True)
class Claim:
    id: str  # "<document id>:<start>" ("<doc>:<start>-<end>" for a second claim at one start): stable while stored
    document_id: str
    start: int
    end: int
    text: str
    speaker: str | None  # None: the document's own voice
    source: str | None  # the outlet (document source)
    published: datetime | None
    certainty: str
    origin: str = ""  # the document this one copies (syndication), else its own id; set by linking
    words: tuple[str, ...] = ()
    keys: frozenset[str] = frozenset()
    facts: list[ClaimFact] = field(default_factory=list)
    timestamp: float | None = None  # seconds into a transcript

    @property
    def voice(self) -> str:
        """Who makes the claim: the speaker, else the source, else "unknown"."""
        return self.speaker or self.source or "unknown"


def _inside(fact: model.Fact, start: int, end: int) -> bool:
    return fact.start >= start and fact.end <= end


def _strongest_hedge(hedges: Iterable[model.Hedge], start: int, end: int) -> str:
    """The certainty of an own-voice sentence: its hedge cues (denied beats questioned beats ...)."""
    found = {h.kind for h in hedges if _inside(h, start, end)}
    for kind in ("denied", "questioned", "rumoured", "hedged"):
        if kind in found:
            return kind
    return "asserted"


def fact_keys(kind: str, fact: model.Fact) -> set[str]:
    """What a fact contributes to a claim's keys."""
    if isinstance(fact, model.Place):
        keys = {f"place:{fact.name.casefold()}"}
        if fact.status != "mentioned":
            keys.add(f"control:{fact.name.casefold()}")
        return keys
    if isinstance(fact, model.Quantity):
        unit = (fact.unit or "").casefold()
        return {f"num:{fact.value:g}{unit}"}
    if isinstance(fact, model.Provision):
        return {f"topic:{fact.topic}"}
    if isinstance(fact, model.Stance):
        return {f"name:{fact.actor.casefold()}", f"stance:{fact.actor.casefold()}"}
    if isinstance(fact, model.Prediction) and fact.by:
        return {f"name:{fact.by.casefold()}"}
    return set()


def text_keys(text: str) -> set[str]:
    """Names (capitalised words not opening a sentence) and figures written in the text."""
    stop = stopwords()
    keys = {f"name:{m.group(1).casefold()}" for m in _NAME.finditer(text) if m.group(1).casefold() not in stop}
    keys.update(f"num:{n}" for n in numbers(text) if len(n) >= 2)
    return keys


def claims_of(extraction: model.Extraction, ids: dict[str, list[int]] | None = None) -> list[Claim]:
    """The claims of one document, in text order."""
    doc = extraction.document
    text = doc.text
    ids = ids or {}
    facts: list[ClaimFact] = []
    for kind in ("places", "quantities", "provisions", "stances", "predictions"):
        kind_ids = ids.get(kind, [])
        for i, fact in enumerate(getattr(extraction, kind)):
            if isinstance(fact, model.Place) and fact.status == "mentioned" and fact.feature == "country":
                continue
            facts.append(ClaimFact(kind, kind_ids[i] if i < len(kind_ids) else None, fact))

    def build(start: int, end: int, speaker: str | None, certainty: str) -> Claim | None:
        body = text[start:end]
        words = tuple(content_words(body))
        inside = [f for f in facts if _inside(f.fact, start, end)]
        keys = text_keys(body)
        for f in inside:
            keys |= fact_keys(f.kind, f.fact)
        if len(words) < MIN_WORDS or not keys:
            return None
        return Claim(
            id=f"{doc.id}:{start}",
            document_id=doc.id,
            start=start,
            end=end,
            text=" ".join(body.split()),
            speaker=speaker,
            source=doc.source,
            published=doc.published,
            certainty=certainty,
            origin=doc.id,
            words=words,
            keys=frozenset(keys),
            facts=inside,
            timestamp=doc.timestamp_at(start),
        )

    out: list[Claim] = []
    covered: list[tuple[int, int]] = []
    for att in extraction.attributions:
        start, end = _content_span(text, att)
        claim = build(start, end, att.speaker, att.certainty)
        covered.append((start, end))
        if claim is not None:
            out.append(claim)
    bounds = sentence_bounds(text)
    for start, end in bounds:
        overlap = sum(max(0, min(end, e) - max(start, s)) for s, e in covered)
        if overlap * 2 >= end - start:
            continue
        claim = build(start, end, None, _strongest_hedge(extraction.hedges, start, end))
        if claim is not None:
            out.append(claim)
    return _unique(out)


def _unique(claims: list[Claim]) -> list[Claim]:
    """Claims in text order with distinct ids: a second claim over the very same span is dropped (two
    short attributions that both grow to one sentence); a second claim starting at the same character
    with another end (an attribution's content and the sentence it opens) gets ``<doc>:<start>-<end>``."""
    seen_spans: set[tuple[int, int]] = set()
    ids: set[str] = set()
    out: list[Claim] = []
    for claim in sorted(claims, key=lambda c: c.start):
        if (claim.start, claim.end) in seen_spans:
            continue
        seen_spans.add((claim.start, claim.end))
        if claim.id in ids:
            claim.id = f"{claim.document_id}:{claim.start}-{claim.end}"
        ids.add(claim.id)
        out.append(claim)
    return out


def _content_span(text: str, att: model.Attribution) -> tuple[int, int]:
    """The attribution's content span; a content shorter than a few words grows to its sentence."""
    start, end = att.start, att.end
    if len(content_words(text[start:end])) < MIN_WORDS:
        start, end = sentence_around(sentence_bounds(text), start, end)
    return start, end


def text_claim(
    claim_id: str,
    text: str,
    *,
    source: str | None = None,
    published: datetime | None = None,
    certainty: str = "asserted",
    facts: Iterable[ClaimFact] = (),
) -> Claim:
    """A claim made of one whole short text (a headline, a note line) with the words and keys linking
    reads; its own document (``document_id`` = ``claim_id``). No spaCy needed."""
    return Claim(
        id=claim_id,
        document_id=claim_id,
        start=0,
        end=len(text),
        text=text,
        speaker=None,
        source=source,
        published=published,
        certainty=certainty,
        origin=claim_id,
        words=tuple(content_words(text)),
        keys=frozenset(text_keys(" " + text)),
        facts=list(facts),
    )


def iter_claims(extractions: Iterable[tuple[model.Extraction, dict[str, list[int]]]]) -> Iterator[Claim]:
    for extraction, ids in extractions:
        yield from claims_of(extraction, ids)


__all__ = ["MIN_WORDS", "Claim", "ClaimFact", "claims_of", "fact_keys", "iter_claims", "text_claim", "text_keys"]
