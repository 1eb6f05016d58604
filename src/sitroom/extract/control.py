"""Control status helpers for :mod:`sitroom.extract.places`: the cue lexicon (``control.json``) compiled
for lookups, and the rules that work beside the parse walk: the status a desk-note line gives the place
that heads it ("- Lyman: pressure from the north-east"), and a second name of a place taking the first
name's status ("Dimitrov, which Ukrainians call Myrnohrad").
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from spacy.tokens import Doc, Span, Token

from .base import doc_text, tokens_between

_VERBAL = frozenset({"VERB", "AUX"})
RENAME_WINDOW = 8  # tokens between a place and its other name
_LINE_HEAD = re.compile(r"[ \t]*(?:[-*•][ \t]*)?")
_AFTER_HEAD = re.compile(r"^[ \t]*(?:\([^)\n]*\))?[ \t]*:")


def _inflect(lemma: str) -> set[str]:
    """Regular English inflections of a lemma (over-generating is harmless here)."""
    forms = {lemma, lemma + "s", lemma + "es", lemma + "ed", lemma + "ing"}
    if lemma.endswith("e"):
        forms |= {lemma + "d", lemma[:-1] + "ing"}
    if lemma.endswith("y"):
        forms |= {lemma[:-1] + "ies", lemma[:-1] + "ied"}
    if re.search(r"[^aeiou][aeiou][bdglmnprt]$", lemma):
        forms |= {lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"}
    return forms


class ControlLexicon:
    """``control.json`` compiled for lookups: surface form → lemma, lemma → status, word → actor."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.verbs: dict[str, str] = dict(data["verbs"])
        self.nouns: dict[str, str] = dict(data["nouns"])
        self.adjectives: dict[str, str] = dict(data["adjectives"])
        self.adjective_actors: dict[str, str] = dict(data.get("adjective_actors", {}))
        self.noun_needs_verb = {k: frozenset(v) for k, v in data.get("noun_needs_verb", {}).items()}
        self.light = {k: frozenset(v) for k, v in data.get("light_verb_objects", {}).items()}
        self.preps = {k: frozenset(v) for k, v in data["preps"].items()}
        self.subject_verbs: dict[str, str] = dict(data.get("subject_verbs", {}))
        self.agent_preps = frozenset(data.get("agent_preps", ["by"]))
        self.under: dict[str, str] = dict(data.get("under", {}))
        self.upgrades: dict[str, dict[str, Any]] = dict(data.get("upgrades", {}))
        self.negations = frozenset(data.get("negations", []))
        self.negating = frozenset(data.get("negating_governors", []))
        self.attempts: dict[str, str] = dict(data.get("attempt_governors", {}))
        self.modals = frozenset(data.get("modals", []))
        self.weapons = frozenset(data.get("weapons", []))
        self.containers = frozenset(data.get("containers", []))
        self.actor_of = {w: actor for actor, words in data["actors"].items() for w in words}
        self.demonyms = frozenset(data.get("demonyms", []))
        self.breaks = frozenset(data.get("clause_breaks", []))
        self.list_words = frozenset(data.get("list_words", []))
        self.weapon_verbs = frozenset(data.get("weapon_verbs", []))
        self.attack_cues = frozenset(data.get("attack_cues", []))
        self.partial_adverbs = frozenset(data.get("partial_adverbs", []))
        self.conditionals = frozenset(data.get("conditionals", []))
        self.losses = frozenset(data.get("losses", []))
        self.recall_subjects = frozenset(data.get("recall_subjects", []))
        self.predicate_adjectives: dict[str, str] = dict(data.get("predicate_adjectives", {}))
        self.in_range: dict[str, str] = dict(data.get("in_range", {}))
        self.progressive = frozenset(data.get("progressive_contested", []))
        self.completion = frozenset(data.get("completion_verbs", []))
        self.part_nouns = frozenset(data.get("part_nouns", []))
        self.owner_holds = frozenset(data.get("owner_holds", []))
        self.owner_of: dict[str, str] = dict(data.get("owner_of", {}))
        self.default_attacker: dict[str, str] = dict(data.get("default_attacker", {}))
        self.future = re.compile(
            r"\b(?:" + "|".join(re.escape(w) for w in data.get("future_markers", [])) + r")\b"
            if data.get("future_markers")
            else r"(?!)",
            re.I,
        )
        self.locative = frozenset(data.get("locative_preps", []))
        self.line_cues: dict[str, str] = dict(data.get("line_cues", {}))
        words = {*self.verbs, *self.nouns, *self.subject_verbs, *self.negating, *self.attempts, *self.light}
        words |= self.completion | {"lose", "expose"}
        words |= {w for group in self.noun_needs_verb.values() for w in group} | set(self.noun_needs_verb)
        words |= {w for up in self.upgrades.values() for w in up.get("verbs", [])}
        self.lemma_of: dict[str, str] = {}
        for word in sorted(words):
            for form in _inflect(word):
                self.lemma_of.setdefault(form, word)
        for lemma, forms in data.get("irregular", {}).items():
            self.lemma_of.update(dict.fromkeys(forms, lemma))

    def lemma(self, tok: Token) -> str:
        return self.lemma_of.get(tok.lower_) or tok.lemma_.lower() or tok.lower_

    def cue(self, tok: Token) -> str | None:
        """The status a token signals by itself, judged by its part of speech when known."""
        lem, low, pos = self.lemma(tok), tok.lower_, tok.pos_
        if pos in _VERBAL or (pos == "" and lem in self.verbs):
            if tok.dep_ == "amod" and low in self.adjectives:
                return self.adjectives[low]
            return self.verbs.get(lem)
        if pos in ("NOUN", ""):
            return self.nouns.get(low) or self.nouns.get(lem) or (self.adjectives.get(low) if pos == "" else None)
        return self.adjectives.get(low) if pos == "ADJ" else None


class Judged(Protocol):
    @property
    def span(self) -> Span: ...


def line_head_status(
    lex: ControlLexicon, doc: Doc, span: Span, places: Sequence[Span] = ()
) -> tuple[str, str | None] | None:
    """A place heading a note line ("- Orikhiv: heavy shelling; ...") takes the first cue of the line's
    first clause; ``by`` is left to the caller (the speaker of "RU says" is not the attacker)."""
    text = doc_text(doc)
    line_start = text.rfind("\n", 0, span.start_char) + 1
    line_end = text.find("\n", span.end_char)
    line_end = len(text) if line_end < 0 else line_end
    head = _AFTER_HEAD.match(text[span.end_char : line_end])
    if not _LINE_HEAD.fullmatch(text[line_start : span.start_char]) or head is None:
        return None
    start = span.end_char + head.end()
    tokens = list(tokens_between(doc, start, line_end))
    if tokens and tokens[0].lower_ not in lex.actor_of and any(p.start == tokens[0].i for p in places):
        return None  # "- Harrow: Myrnohrad falls ...": the head labels a line about another place
    seen: list[Token] = []
    for tok in tokens:
        if tok.text in (";", ".") and seen:
            break
        lem = lex.lemma_of.get(tok.lower_) or tok.lemma_.lower()
        status = (
            lex.line_cues.get(tok.lower_)
            or lex.verbs.get(lem)
            or lex.nouns.get(tok.lower_)
            or lex.nouns.get(lem)
            or lex.adjectives.get(tok.lower_)
            or lex.predicate_adjectives.get(tok.lower_)
        )
        if status is None or lem in lex.noun_needs_verb:
            seen.append(tok)
            continue
        if {t.lower_ for t in seen[-3:]} & lex.negations:
            return "mentioned", None
        if lem in lex.progressive or tok.lower_ in lex.progressive:
            status = "captured" if tok.lower_.endswith("ed") else "contested"
        if status == "captured" and any(t.lower_ in lex.part_nouns for t in seen):
            status = "contested"  # "RU says centre taken"
        return status, None
    return None


def renamed(judged: Sequence[tuple[Any, str, str | None]], span: Span, name: str) -> tuple[str, str | None] | None:
    """The status of the same place named just before in the sentence: "Myrnohrad (RU name Dimitrov)"."""
    for prev, status, by in reversed(judged):
        pspan: Span = prev.span
        if span.start - pspan.end > RENAME_WINDOW or pspan.sent.start != span.sent.start:
            return None
        if status != "mentioned" and (prev.match.entry.name if prev.match is not None else pspan.text) == name:
            return status, by
    return None
