"""The general shapes in which a stance is taken, for ``sitroom_stances`` (lexicon: ``data/stance_shapes.json``).

Cue words alone (``stances.json``) only catch the phrasings someone listed. These shapes generalise:

* **phrasal verbs** — the verb with its particle or first preposition is the cue: "pushed back on the
  draft" (oppose), "backed away from the loan" (oppose, although "back" alone supports), "signed off on";
* **a stance noun carried by a verb** — "Warsaw voiced strong support for the text", "Moscow expressed
  reservations about it": the verb's subject holds the noun's stance; "withdrew its support" reverses it;
* **a judgement said of a plan** — an evaluative word or phrase ("unacceptable", "a capitulation", "a
  basis for talks", "a starting point") counts only when it is said of a target: the subject of a
  copula ("the draft is unacceptable" — held by whoever says so) or the object of a verb of judging
  ("Kallas called the draft a capitulation", "Moscow described it as a basis for talks", "branded the
  loan a dangerous idea" — held by the subject); not an attribute alone ("any realistic settlement"
  is a wish), nor a judgement of the talks as a meeting ("called the talks constructive"); a negation
  before it flips it ("the text is not acceptable"; "must not be a blank cheque" is undecided);
* **who holds it** — "Europe's leaders", "Ukraine's negotiators", "the Ukrainian side" are the actor
  that owns them; a capital that holds a stance is its government ("Warsaw balked at …").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from spacy.tokens import Span, Token

_NEGATION = re.compile(r"\b(?:not|n't|never|no longer|hardly|nothing like|far from)\s+(?:\w+\s+){0,2}$", re.IGNORECASE)
_AS = {"as"}


@dataclass(frozen=True, slots=True)
class Judgement:
    """An evaluative word said of something: its stance, the node it is said of, and the verb of judging
    whose subject holds it (``None``: whoever says the sentence holds it)."""

    value: str
    start: int  # the evaluative phrase, in document characters
    end: int
    negated: bool
    said_of: Token
    judge: Token | None


@dataclass(slots=True)
class StanceShapes:
    phrasal: dict[str, str]
    carrier_negators: set[str]
    evaluations: list[tuple[re.Pattern[str], str]]
    copulas: set[str]
    judging_verbs: set[str]
    representatives: set[str]
    metonyms: dict[str, str]
    unflippable: set[str]

    @classmethod
    def from_data(cls, raw: dict[str, Any]) -> StanceShapes:
        return cls(
            phrasal={k.lower(): v for k, v in raw["phrasal_verbs"].items()},
            carrier_negators=set(raw["carrier_negators"]),
            evaluations=[
                (re.compile(rf"(?<![\w-])(?:{'|'.join(items)})(?![\w-])", re.IGNORECASE), value)
                for value, items in raw["evaluations"].items()
            ],
            copulas=set(raw["copulas"]),
            judging_verbs=set(raw["judging_verbs"]),
            representatives={w.lower() for w in raw["representatives"]},
            metonyms={k.lower(): v for k, v in raw["metonyms"].items()},
            unflippable=set(raw.get("unflippable_verbs", [])),
        )

    # ------------------------------------------------------------------ phrasal verbs
    def phrasal_value(self, verb: Token) -> str | None:
        """The stance of "push back (on)", "back away (from)", "warm to": particle first, then prepositions."""
        lemma = verb.lemma_.lower()
        particles = [  # the parser often takes "back", "away" for adverbs
            c.lower_ for c in verb.children if c.dep_ == "prt" or (c.dep_ == "advmod" and 0 < c.i - verb.i <= 2)
        ]
        preps = [c.lower_ for c in verb.children if c.dep_ in ("prep", "agent") and c.i > verb.i]
        for word in [*particles, *preps[:1]]:
            value = self.phrasal.get(f"{lemma} {word}")
            if value is not None:
                return value
        return None

    def is_phrasal_head(self, verb: Token) -> bool:
        return verb.pos_ in ("VERB", "AUX") and self.phrasal_value(verb) is not None

    # ------------------------------------------------------------------ stance nouns carried by verbs
    def carrier(self, noun: Token) -> tuple[Token, bool] | None:
        """The verb that carries a stance noun as its object ("voiced support for"), and whether it
        reverses the stance ("withdrew its support")."""
        if noun.dep_ != "dobj" or noun.head.pos_ not in ("VERB", "AUX"):
            return None
        verb = noun.head
        return verb, verb.lemma_.lower() in self.carrier_negators

    # ------------------------------------------------------------------ judgements
    def judgements(self, sent: Span, text: str) -> list[Judgement]:
        """Evaluative phrases in ``sent`` said of something, with the node they are said of."""
        out: list[Judgement] = []
        start = sent.start_char
        sent_text = text[start : sent.end_char]
        taken: list[tuple[int, int]] = []
        for pattern, value in self.evaluations:
            for match in pattern.finditer(sent_text):
                lo, hi = start + match.start(), start + match.end()
                if any(s < hi and lo < e for s, e in taken):
                    continue
                span = sent.doc.char_span(lo, hi, alignment_mode="expand")
                if span is None or not len(span):
                    continue
                found = self._said_of(span.root)
                if found is None:
                    continue
                taken.append((lo, hi))
                negated = bool(_NEGATION.search(sent_text[: match.start()])) and self._negation_near(span.root)
                out.append(Judgement(value, lo, hi, negated, found[0], found[1]))
        return out

    def _said_of(self, word: Token) -> tuple[Token, Token | None] | None:
        """What an evaluative word is said of, and the verb of judging if there is one."""
        head = word.head
        if word.dep_ == "pobj" and head.lower_ in _AS:  # "described it as a capitulation"
            word, head = head, head.head
            if head.dep_ in ("dobj", "nsubjpass") and head.head.lemma_.lower() in self.judging_verbs:
                return head, head.head  # "regards the plan as a wish list": "as" hung on the object
        if word.dep_ in ("acomp", "attr", "oprd", "xcomp", "ccomp", "dobj", "prep", "advcl") and head.pos_ in (
            "VERB",
            "AUX",
        ):
            lemma = head.lemma_.lower()
            if lemma in self.judging_verbs:
                obj = next((c for c in head.children if c.dep_ in ("dobj", "nsubjpass") and c.i != word.i), None)
                if obj is not None and obj.i < word.i:
                    return obj, head  # "called the draft a capitulation", "the draft was called unacceptable"
                if obj is None and word.dep_ in ("ccomp", "xcomp", "oprd"):  # "called the draft unacceptable"
                    subj = next((c for c in word.children if c.dep_ in ("nsubj", "nsubjpass")), None)
                    if subj is not None:
                        return subj, head
            if lemma in self.copulas and word.dep_ in ("acomp", "attr"):
                subj = next((c for c in head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
                if subj is not None:
                    return subj, None  # "the draft is unacceptable"
        if word.dep_ == "amod" and head.pos_ in ("NOUN", "PROPN") and head.dep_ != "amod":
            # "branded the loan a dangerous idea", "is a terrible idea"; not "any realistic settlement"
            return self._said_of(head)  # "was a much better document"
        return None

    @staticmethod
    def _negation_near(word: Token) -> bool:
        """A negation on the phrase's own clause, not one in a clause before it."""
        return any(any(c.dep_ == "neg" for c in node.children) for node in (word, word.head, word.head.head))

    # ------------------------------------------------------------------ holders
    def metonym(self, text: str) -> str | None:
        return self.metonyms.get(text.lower())

    def represented(self, node: Token) -> Token | None:
        """The owner of "Europe's leaders", "Ukraine's negotiators", "the Ukrainian side"."""
        if node.lower_ not in self.representatives and node.lemma_.lower() not in self.representatives:
            return None
        owner = next((c for c in node.children if c.dep_ == "poss"), None)
        if owner is None:
            owner = next((c for c in node.children if c.dep_ in ("amod", "compound") and c.pos_ != "NUM"), None)
        return owner


__all__ = ["Judgement", "StanceShapes"]
