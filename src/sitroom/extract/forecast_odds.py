"""Odds and probability phrasing as forecasts, for ``sitroom_predictions``.

- odds on an event: "I'd say 50/50 it slips", "a deal by March was 'at most a 50-50 proposition'",
  "one chance in four" (``odds_patterns`` in ``predictions.json``); a bare "60/40." or "I put that at
  60%" names no event (``odds_verbs``, ``odds_words``);
- a probability adjective with a time: "a ceasefire over Christmas was possible but not certain";
- "It is likely / almost certain that X", "it seems unlikely that X": X is the forecast.

Each finder takes the ``PredictionExtractor`` for its lexicon and clause tests.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from spacy.tokens import Span

from .prediction_parts import SUBJ, Candidate, trim

if TYPE_CHECKING:
    from .predictions import PredictionExtractor


def from_odds(
    ex: PredictionExtractor, sent: Span, times: list[tuple[int, int, str]], ref: date | None
) -> Candidate | None:
    """Odds on an event: "I'd say 50/50 it slips", "a deal by March was 'at most a 50-50 proposition'",
    "one chance in four", "a ceasefire over Christmas was possible but not certain" (a probability
    adjective needs a time expression). A bare "60/40." or "I put that at 60%" names no event."""
    m = ex.odds.search(sent.text)
    span = sent.char_span(m.start(), m.end(), alignment_mode="expand") if m is not None else None
    adjectives = [  # not "likely to" (a raising construction)
        t
        for t in sent
        if t.lower_ in ex.probability_adjectives
        and t.dep_ in ("acomp", "attr")
        and not any(c.dep_ in ("xcomp", "ccomp") for c in t.children)
        and any(c.dep_ in SUBJ for c in t.head.children)
    ]
    if span is None and not adjectives:
        return None
    anchor = span.root if span is not None else adjectives[0]
    odds_ids = {t.i for t in span} if span is not None else {anchor.i}
    clause = anchor
    while clause.dep_ not in ("ROOT", "ccomp") and clause.head.i != clause.i:
        clause = clause.head
    speech = clause.head if clause.dep_ == "ccomp" else clause
    by: str | None = None
    tokens = trim(list(sent))
    if speech.lemma_.lower() in ex.speech_verbs:
        subject = ex.subject_of(speech)
        if subject is not None and subject.lower_ not in ex.first_person:
            by = ex.name_of(subject)
            # what was said: the complement, or (misparsed) all that follows the verb
            tokens = ex.clause_of(clause) if clause is not speech else trim([t for t in sent if t.i > speech.i])
        else:
            clause = speech
    event = [
        t
        for t in tokens
        if t.i not in odds_ids
        and t.pos_ in ("NOUN", "PROPN", "VERB")
        and t.lemma_.lower() not in ex.odds_verbs | ex.odds_words | ex.speech_verbs
    ]
    if not event:
        return None
    if m is None and not ex.times_in(tokens, times, ref):
        return None
    surprised = m is not None and "surprised" in m.group(0).lower()  # its "if" states no condition
    return Candidate(clause, tokens, by, conditional=False if surprised else None)


def it_is_likely(ex: PredictionExtractor, sent: Span) -> Candidate | None:
    """ "It is likely / almost certain that X", "it seems unlikely that X": X is the forecast."""
    for adj in sent:
        verb = adj.head
        if adj.lower_ not in ex.probability_adjectives or adj.lower_ == "possible" or adj.dep_ not in ("acomp", "oprd"):
            continue
        comp = next((c for c in verb.children if c.dep_ == "ccomp" and c.i > adj.i), None)
        past = comp is not None and (comp.tag_ == "VBD" or any(c.lemma_ == "have" for c in comp.children))
        if comp is not None and not past and any(c.dep_ == "nsubj" and c.lower_ == "it" for c in verb.children):
            return Candidate(comp, ex.clause_of(comp), None, cue=adj)
    return None


__all__ = ["from_odds", "it_is_likely"]
