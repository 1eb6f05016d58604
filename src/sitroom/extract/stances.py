"""Stances: each actor's position on a plan (support, oppose, undecided).

Component ``sitroom_stances`` reads the parse and entities. A stance needs a cue (a verb such as
"rejects", a noun such as "buy-in" or "hostility", or an undecided phrase such as "make his decision
whether to accept"), an actor (the verb's subject, the noun's modifier or its "from/by" phrase) and a
target that names a plan. A negated support cue ("does not agree with") is opposition. Cues, target
words are data in ``data/stances.json``; demonyms ("European hostility" → European leaders) in ``actors.json``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from ..model import Attribution, Stance
from .actors import ActorIndex
from .base import add_fact, facts_of, load_data

_PLAN_NAME = re.compile(r"\b(\d{1,2})[- ]point\b", re.IGNORECASE)
_FLIP = {"support": "oppose", "oppose": "undecided", "undecided": "undecided"}
_SUBJECTS = ("nsubj", "nsubjpass")


@dataclass(slots=True)
class StanceLexicon:
    verbs: dict[str, str]
    nouns: dict[str, str]
    undecided: list[re.Pattern[str]]
    phrases: list[tuple[re.Pattern[str], str]]
    targets: re.Pattern[str]

    @classmethod
    def from_data(cls, raw: dict[str, Any]) -> StanceLexicon:
        words = "|".join(re.escape(t) for t in sorted(raw["targets"], key=len, reverse=True))
        return cls(
            verbs=dict(raw["verbs"]),
            nouns=dict(raw["nouns"]),
            undecided=[re.compile(p, re.IGNORECASE) for p in raw["undecided_phrases"]],
            phrases=[
                (re.compile(p, re.IGNORECASE), value) for value, items in raw.get("phrases", {}).items() for p in items
            ],
            targets=re.compile(rf"\b(?:{words})\b", re.IGNORECASE),
        )


class StanceFinder:
    def __init__(self, lexicon: StanceLexicon, actors: ActorIndex) -> None:
        self.lex = lexicon
        self.actors = actors

    def __call__(self, doc: Doc) -> Doc:
        text = doc.text  # rebuilt from the tokens on every read: read it once
        names = [(m.start(), f"{m.group(1)}-point plan") for m in _PLAN_NAME.finditer(text)]
        for sent in doc.sents:
            # the plan named in the sentence, else the last one named before it, else the first at all
            inside = [n for at, n in names if sent.start_char <= at < sent.end_char]
            before = [n for at, n in names if at < sent.start_char]
            target = (inside or before[-1:] or [n for _, n in names[:1]] or ["peace plan"])[0]
            for stance in self._in_sentence(sent, target, text):
                add_fact(doc, "stances", stance, label=stance.stance)
        return doc

    def _in_sentence(self, sent: Span, target: str, text: str) -> list[Stance]:
        out: list[Stance] = []
        seen: set[tuple[str, str]] = set()
        start, end = sent.start_char, sent.end_char
        while end > start and text[end - 1].isspace():
            end -= 1

        undecided: set[str] = set()

        def emit(actors: list[str], value: str) -> None:
            for actor in actors:
                if actor in undecided:
                    continue  # "has not decided whether to sign" is not opposition to signing
                if value == "undecided":
                    undecided.add(actor)
                if actor and (actor, value) not in seen:
                    seen.add((actor, value))
                    out.append(Stance(start=start, end=end, actor=actor, target=target, stance=value))

        for pattern in self.lex.undecided:
            found = pattern.search(sent.text)
            if found and self.lex.targets.search(sent.text):
                verb = _token_at(sent, sent.start_char + found.start())
                while verb is not None and verb.dep_ in ("aux", "auxpass", "neg") and verb.head.i != verb.i:
                    verb = verb.head
                if verb is not None:
                    emit(self._actors_of_clause(verb), "undecided")
        for pattern, value in self.lex.phrases:
            found = pattern.search(sent.text)
            if found and self.lex.targets.search(sent.text):
                token = _token_at(sent, sent.start_char + found.start())
                head = _clause_head(token) if token is not None else None
                subject = next((c for c in head.children if c.dep_ in _SUBJECTS), None) if head is not None else None
                about_plan = subject is not None and self.lex.targets.search(_subtree(subject)) is not None
                # "the European text was unacceptable": the subject is the plan, the holder is whoever says so
                actors = self._actors_of_clause(head) if head is not None and not about_plan else []
                if not actors:
                    speaker = _speaker_around(sent, sent.start_char + found.start())
                    actors = [speaker] if speaker else []
                emit(actors, value)
        for token in sent:
            lemma = token.lemma_.lower()
            if token.pos_ in ("VERB", "AUX") and lemma in self.lex.verbs:
                if not self._has_target(token):
                    continue
                value = self.lex.verbs[lemma]
                if _negated(token):
                    value = _FLIP[value]
                emit(self._actors_of_clause(token), value)
            elif token.pos_ in ("NOUN", "PROPN") and _noun_key(token) in self.lex.nouns:
                if not (self._has_target(token) or self._sibling_target(token)):
                    continue
                value = self.lex.nouns[_noun_key(token)]
                if value == "undecided" and lemma == "decision" and "whether" not in sent.text.lower():
                    continue
                emit(self._actors_of_noun(token), value)
        return out

    def _has_target(self, cue: Token) -> bool:
        """The cue's object, complement or 'of/to/with' phrase names a plan."""
        for child in cue.children:
            if child.dep_ in ("dobj", "prep", "pobj", "ccomp", "xcomp", "attr", "compound", "nsubjpass", "dative"):
                span = cue.doc[child.left_edge.i : child.right_edge.i + 1]
                if self.lex.targets.search(span.text):
                    return True
        return cue.dep_ in ("compound", "amod") and self.lex.targets.search(cue.head.text) is not None

    def _sibling_target(self, noun: Token) -> bool:
        """'hostility to the plan' when the parser hangs 'to the plan' on the verb instead."""
        for sibling in noun.head.children:
            if sibling.i > noun.i and sibling.dep_ == "prep" and sibling.lower_ in ("to", "towards", "toward", "of"):
                span = noun.doc[sibling.left_edge.i : sibling.right_edge.i + 1]
                if self.lex.targets.search(span.text):
                    return True
        return False

    def _actors_of_clause(self, verb: Token) -> list[str]:
        node: Token | None = verb
        for _ in range(4):
            if node is None:
                break
            subject = next((c for c in node.children if c.dep_ in _SUBJECTS), None)
            if subject is not None:
                if subject.lower_ in ("who", "which", "that") and node.dep_ == "relcl":
                    return [self._actor(node.head)]
                return self._actor_list(subject)
            node = node.head if node.dep_ in ("xcomp", "conj", "advcl", "ccomp", "acl") else None
        return []

    def _actors_of_noun(self, noun: Token) -> list[str]:
        for child in noun.children:
            if child.dep_ == "prep" and child.lower_ in ("from", "by", "of", "among"):
                pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
                if pobj is not None and not self.lex.targets.search(pobj.text):
                    return self._actor_list(pobj)
        mods = [c for c in noun.children if c.dep_ in ("compound", "amod", "poss", "nmod", "npadvmod")]
        actors: list[str] = []
        for mod in mods:
            actors.extend(self._actor_list(mod))
        return [a for a in actors if a]

    def _actor_list(self, node: Token) -> list[str]:
        """An actor and its coordinated partners: 'Ukrainian and European' → two actors."""
        nodes = [node, *[c for c in node.children if c.dep_ == "conj"]]
        return [a for a in (self._actor(n) for n in nodes) if a]

    def _actor(self, node: Token) -> str:
        demonym = self.actors.demonym(node.text)
        if demonym:
            return demonym
        doc = node.doc
        ents = [e for e in doc.ents if e.start <= node.i < e.end or (node.left_edge.i <= e.start <= node.i)]
        for ent in ents:
            if ent.label_ in ("PERSON", "ORG", "GPE", "NORP"):
                return self.actors.canonical(ent.text)
        words = [t for t in doc[node.left_edge.i : node.i + 1] if t.dep_ not in ("det", "punct", "cc")]
        phrase = " ".join(t.text for t in words)
        actor = self.actors.lookup(phrase) or self.actors.lookup(node.text)
        if actor:
            return actor.name
        if node.pos_ == "PROPN" or node.ent_type_:
            return self.actors.canonical(phrase)
        return ""


def _subtree(token: Token) -> str:
    return token.doc[token.left_edge.i : token.right_edge.i + 1].text


def _clause_head(token: Token) -> Token:
    """From a word of a stance phrase up to the verb whose subject holds the stance."""
    node = token
    for _ in range(4):
        if node.pos_ in ("VERB", "AUX") and any(c.dep_ in _SUBJECTS for c in node.children):
            return node
        if node.head.i == node.i:
            return node
        node = node.head
    return node


def _speaker_around(sent: Span, char: int) -> str | None:
    """The speaker of the attribution whose content holds ``char`` ("Ushakov said the text was unacceptable")."""
    attributions = [a for a in facts_of(sent.doc).get("attributions", []) if isinstance(a, Attribution)]
    holders = [a for a in attributions if a.start <= char < a.end]
    return min(holders, key=lambda a: a.end - a.start).speaker if holders else None


def _noun_key(token: Token) -> str:
    text = token.lower_
    if text == "in" and token.i >= 2 and token.nbor(-1).text == "-" and token.nbor(-2).lower_ == "buy":
        return "buy-in"
    return token.lemma_.lower() if token.lemma_.lower() in ("denouncement", "objection") else text


def _negated(token: Token) -> bool:
    return any(c.dep_ == "neg" for c in token.children) or any(
        c.dep_ == "neg" for c in token.head.children if token.dep_ == "xcomp"
    )


def _token_at(sent: Span, char: int) -> Token | None:
    for token in sent:
        if token.idx <= char < token.idx + len(token) + 1:
            return token
    return None


@Language.factory(
    "sitroom_stances",
    requires=["token.dep", "token.lemma", "doc.ents", "doc.sents"],
    assigns=["doc._.sitroom_facts", "doc.spans"],
    default_config={"lexicon_path": None, "actors_paths": []},
)
def make_stances(nlp: Language, name: str, lexicon_path: str | None, actors_paths: list[str]) -> StanceFinder:
    return StanceFinder(StanceLexicon.from_data(load_data(lexicon_path, "stances.json")), ActorIndex.load(actors_paths))
