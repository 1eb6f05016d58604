"""Speakers of attributions: from a subject or agent token to a canonical name.

``SpeakerNamer`` turns the noun phrase that says something into a canonical name: a known actor, an
unnamed source kept as its noun phrase ("people familiar with the talks"), the country an unnamed
official speaks for ("a Ukrainian official" → Ukraine), or a pronoun / role noun that
``resolve_references`` later ties to a person named earlier ("he said", "the diplomat said").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from spacy.tokens import Doc, Span, Token

from .actors import Actor, ActorIndex
from .base import entities, tokens_between

AUTHOR = "(author)"
_NAME_ENTS = ("PERSON", "ORG", "GPE", "NORP")
_TRAIL = " \t\n,;:.—–-\"“”'’)("
_POSSESSIVE = ("'s", "’s", "'", "’")
_INDEFINITE = frozenset(("a", "an", "one", "two", "three", "four", "several", "some", "another"))
_LEADING = re.compile(r"^(?:(?:the|a|an|one|two|three|four|five|several|some|another)\s+)+", re.I)


@dataclass(slots=True)
class SpeakerLexicon:
    vague_heads: frozenset[str]
    anonymous: frozenset[str]
    carrier_heads: frozenset[str]
    author_pronouns: frozenset[str]
    pronouns: frozenset[str]
    speaker_heads: frozenset[str]
    country_heads: frozenset[str]
    collective_heads: frozenset[str]
    spokesperson_heads: frozenset[str]
    role_synonyms: dict[str, list[str]] = field(default_factory=dict)
    role_modifiers: frozenset[str] = frozenset()
    national_institutions: frozenset[str] = frozenset()
    institution_heads: frozenset[str] = frozenset()
    body_heads: frozenset[str] = frozenset()
    generic_bodies: frozenset[str] = frozenset()

    @classmethod
    def from_data(cls, raw: dict[str, Any]) -> SpeakerLexicon:
        return cls(
            vague_heads=frozenset(raw["vague_heads"]),
            anonymous=frozenset(raw["anonymous"]),
            carrier_heads=frozenset(raw["carrier_heads"]),
            author_pronouns=frozenset(raw["author_pronouns"]),
            pronouns=frozenset(raw["pronouns"]),
            speaker_heads=frozenset(raw.get("speaker_heads", [])),
            country_heads=frozenset(raw.get("country_heads", [])),
            collective_heads=frozenset(raw.get("collective_heads", [])),
            spokesperson_heads=frozenset(raw.get("spokesperson_heads", [])),
            role_synonyms={k: list(v) for k, v in raw.get("role_synonyms", {}).items()},
            role_modifiers=frozenset(raw.get("role_modifiers", [])),
            national_institutions=frozenset(raw.get("national_institutions", [])),
            institution_heads=frozenset(raw.get("institution_heads", [])),
            body_heads=frozenset(raw.get("body_heads", [])),
            generic_bodies=frozenset(raw.get("generic_bodies", [])),
        )


@dataclass(slots=True)
class Speaker:
    name: str
    span: tuple[int, int] | None
    anonymous: bool = False
    person: bool = False  # a person (named or not), so "he"/"she" may refer back to it


class SpeakerNamer:
    def __init__(self, lexicon: SpeakerLexicon, actors: ActorIndex) -> None:
        self.lex = lexicon
        self.actors = actors
        self.countries = {
            a.country: a.name for a in actors.actors.values() if a.type == "country" and a.country is not None
        }
        adjectives: dict[str, str] = {}
        for word, name in actors.demonyms.items():
            if name in self.countries.values() and word.isalpha() and name not in adjectives:
                adjectives[name] = word.capitalize()
        self.adjectives = adjectives

    # --- one phrase -----------------------------------------------------------------------

    def name(self, node: Token) -> Speaker | None:
        """Canonical speaker for a subject, agent or 'according to' object node."""
        doc = node.doc
        lower = node.lower_
        if lower in ("who", "that") and node.head.dep_ == "relcl":
            node = node.head.head  # "Mercouris, who said ...": the noun the clause hangs on
            lower = node.lower_
        if lower in self.lex.author_pronouns:
            return Speaker(AUTHOR, (node.idx, node.idx + len(node)))
        if lower in self.lex.pronouns:
            return Speaker(lower, (node.idx, node.idx + len(node)), person=lower not in ("it", "they"))
        lemma = node.lemma_.lower()
        for child in node.children:  # "Zelensky's chief of staff, Andriy Yermak, said": the name wins
            if child.dep_ == "appos" and child.ent_type_ == "PERSON":
                return self._person(child)
        if node.ent_type_ == "PERSON" and node.pos_ == "PROPN":
            return self._person(node)  # "Putin's envoy Kirill Dmitriev": the name, not the possessor
        if lower in self.lex.carrier_heads or lemma in self.lex.carrier_heads:
            inner = self._complement(node, ("from", "by", "of"))
            if inner is not None:
                return self.name(inner)
        if lower in self.lex.spokesperson_heads or lemma in self.lex.spokesperson_heads:
            inner = self._complement(node, ("for", "of"))
            found = self.name(inner) if inner is not None else self._spokesperson(node)
            if found is not None:
                return found
        owner = next((c for c in node.children if c.dep_ == "poss" and c.pos_ in ("PROPN", "NOUN")), None)
        if owner is not None:
            found = self._possessed(node, owner)
            if found is not None:
                return found
        if lemma in self.lex.collective_heads or lower in self.lex.collective_heads:
            for child in node.children:
                if child.dep_ in ("amod", "compound") and child.i < node.i:
                    actor = self.actors.lookup(child.text)
                    country = self.actors.demonym(child.text) or (
                        actor.name if actor and actor.type != "person" else None
                    )
                    if country:
                        left, right = noun_phrase(node, False)
                        return Speaker(country, (doc[left].idx, doc[right].idx + len(doc[right])))
        if node.tag_ in ("NNPS", "NNS") and lower.endswith("s") and len(list(node.subtree)) <= 2:
            people = self.actors.demonym(node.text[:-1])  # "the Russians say": the country
            if people is not None and people in self.countries.values():
                return Speaker(people, (node.idx, node.idx + len(node)))
        vague = lower in self.lex.vague_heads or lemma in self.lex.vague_heads
        left, right = noun_phrase(node, vague)
        phrase = doc[left : right + 1]
        anonymous = any(t.lower_ in self.lex.anonymous for t in phrase)
        named_person = any(e.label_ == "PERSON" and left <= e.start and e.end <= right + 1 for e in entities(doc))
        span = (phrase.start_char, phrase.end_char)
        if vague and not named_person:
            return self._unnamed(node, phrase)
        exact = self.actors.by_name(phrase.text)
        if exact is not None:
            return Speaker(exact.name, span, anonymous, person=exact.type == "person")
        person_ent = next(
            (e for e in entities(doc) if e.label_ == "PERSON" and left <= e.start and e.end <= right + 1), None
        )
        if person_ent is None:
            person_ent = self._titled_name(phrase)
        if person_ent is not None:  # a name beats a title: "military intelligence chief Igor Kostyukov"
            known = self.actors.lookup(person_ent.text)
            name = known.name if known is not None else self.actors.canonical(person_ent.text)
            return Speaker(name, (person_ent.start_char, person_ent.end_char), anonymous, person=True)
        whole = self.actors.lookup(phrase.text)
        if whole is not None:
            indefinite = doc[left].lower_ in _INDEFINITE or any(t.lower_ == "deputy" for t in phrase)
            if whole.type == "person" and indefinite and not named_person:
                # "a deputy head of the presidential office": someone in that government, unnamed
                country = self.countries.get(whole.country or "")
                return Speaker(country or _clean(phrase.text), span, anonymous=True, person=True)
            return Speaker(whole.name, span, anonymous, person=whole.type == "person")
        root = phrase.root.lower_
        root_lemma = phrase.root.lemma_.lower()
        generic = root in self.lex.carrier_heads
        ents = [e for e in entities(doc) if e.start >= left and e.end <= right + 1]
        for ent in sorted(ents, key=lambda e: e.label_ != "PERSON"):
            if ent.label_ not in _NAME_ENTS:
                continue
            actor = self.actors.lookup(ent.text)
            heads_phrase = ent.start <= phrase.root.i < ent.end
            if ent.label_ == "PERSON" or heads_phrase or (generic and (actor or ent.label_ == "ORG")):
                name = actor.name if actor else self.actors.canonical(ent.text)
                is_person = ent.label_ == "PERSON" or (actor is not None and actor.type == "person")
                return Speaker(name, (ent.start_char, ent.end_char), anonymous, person=is_person)
        text = _clean(phrase.text)
        speaker_like = (
            generic
            or root in self.lex.speaker_heads
            or root_lemma in self.lex.speaker_heads
            or phrase.root.pos_ == "PROPN"
        )
        if not text or not speaker_like:
            return None
        return Speaker(self.actors.canonical(text), span, anonymous)

    def _person(self, token: Token) -> Speaker:
        ent = next((e for e in entities(token.doc) if e.start <= token.i < e.end), None)
        text = ent.text if ent is not None else token.text
        span = (ent.start_char, ent.end_char) if ent is not None else (token.idx, token.idx + len(token))
        return Speaker(self.actors.canonical(text), span, person=True)

    def _titled_name(self, phrase: Span) -> Span | None:
        """'Military intelligence chief Pavel Orlov' (tagged ORG): a run of proper nouns after a title noun."""
        tokens = list(phrase)
        end = len(tokens)
        start = end
        while start > 0 and tokens[start - 1].pos_ == "PROPN":
            start -= 1
        if end - start < 2 or start == 0:
            return None
        titled = any(t.lower_ in self.lex.speaker_heads or t.lower_ in self.lex.vague_heads for t in tokens[:start])
        name = phrase.doc[tokens[start].i : tokens[-1].i + 1]
        known = self.actors.lookup(name.text)
        if not titled or (known is not None and known.type != "person"):
            return None
        return name

    def _spokesperson(self, node: Token) -> Speaker | None:
        """'the Kremlin spokesman' → Peskov (a title); 'a White House spokeswoman' → White House."""
        doc = node.doc
        left, right = noun_phrase(node, False)
        phrase = doc[left : right + 1]
        whole = self.actors.lookup(phrase.text)
        indefinite = doc[left].lower_ in _INDEFINITE  # "a White House spokeswoman" speaks for the White House
        if whole is not None and not indefinite:
            return Speaker(whole.name, (phrase.start_char, phrase.end_char), person=whole.type == "person")
        for token in phrase:
            if token.i != node.i and token.dep_ == "compound":
                org = self.actors.by_name(doc[token.left_edge.i : token.i + 1].text)
                if org is not None and org.type != "person":
                    return Speaker(org.name, (phrase.start_char, phrase.end_char))
        for ent in entities(doc):
            if left <= ent.start and ent.end <= right + 1 and ent.label_ in ("ORG", "GPE", "NORP"):
                actor = self.actors.lookup(ent.text)
                if actor is not None and actor.type != "person":
                    return Speaker(actor.name, (ent.start_char, ent.end_char))
        return None

    @staticmethod
    def _complement(node: Token, preps: tuple[str, ...]) -> Token | None:
        for child in node.children:
            if child.dep_ == "prep" and child.lower_ in preps:
                pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
                if pobj is not None:
                    return pobj
        return None

    def _possessed(self, node: Token, owner: Token) -> Speaker | None:
        """'Zelenskiy's office' → Zelenskyy; 'Russia's delegation' → Russia; 'Ukraine's navy' → Ukrainian navy."""
        doc = node.doc
        left, right = noun_phrase(node, False)
        phrase = doc[left : right + 1]
        span = (phrase.start_char, phrase.end_char)
        whole = self.actors.lookup(phrase.text)
        if whole is not None:
            return Speaker(whole.name, span, person=whole.type == "person")
        owner_left = owner.left_edge.i
        owner_text = doc[owner_left : owner.i + 1].text
        actor: Actor | None = self.actors.lookup(owner_text)
        lemma = node.lemma_.lower()
        if actor is None:
            return None
        if actor.type == "person" and lemma in ("office", "team", "camp", "aides"):
            return Speaker(actor.name, span, person=True)
        if actor.type != "person" and lemma in self.lex.collective_heads:
            return Speaker(actor.name, span)
        adjective = self.adjectives.get(actor.name)
        if adjective and actor.type == "country":
            rest_start = owner.i + 1
            while rest_start <= right and doc[rest_start].text in _POSSESSIVE:
                rest_start += 1
            rest = doc[rest_start : right + 1].text if rest_start <= right else ""
            if rest and node.pos_ == "NOUN":
                candidate = f"{adjective} {rest}"
                known = self.actors.lookup(candidate)
                return Speaker(known.name if known else _clean(candidate), span)
        return None

    def _unnamed(self, node: Token, phrase: Span) -> Speaker:
        """Officials, sources, people familiar with ...: a rumour; the country when a demonym says whose."""
        span = (phrase.start_char, phrase.end_char)
        whole = self.actors.lookup(phrase.text)
        if whole is not None:
            return Speaker(whole.name, span, anonymous=True, person=True)
        root = node.lower_
        lemma = node.lemma_.lower()
        located = any(
            c.dep_ in ("prep", "acl", "amod") and c.i > node.i and c.lower_ not in ("of", "from") for c in node.children
        )
        institution = self._institution_country(node)
        if institution and (lemma in self.lex.institution_heads or root in self.lex.institution_heads):
            return Speaker(institution, span, anonymous=True, person=True)  # "a source in the presidential office"
        if (root in self.lex.country_heads or lemma in self.lex.country_heads) and not located:
            for token in phrase:
                if token.i == node.i:
                    continue
                country = self.actors.demonym(token.text)
                if country is None and token.ent_type_ in ("GPE", "ORG", "NORP"):
                    actor = self.actors.lookup(token.text)
                    country = actor.name if actor is not None and actor.type != "person" else None
                if country:
                    return Speaker(country, span, anonymous=True, person=True)
        return Speaker(_clean(phrase.text), span, anonymous=True, person=True)

    def _institution_country(self, node: Token) -> str | None:
        """The country whose government institution a source sits in ('in the presidential office');
        a place ('diplomats in Brussels') is not an institution and keeps the phrase."""
        inner = self._complement(node, ("in", "at", "inside", "within", "close to", "near"))
        if inner is None or inner.ent_type_ == "GPE":
            return None
        left, right = noun_phrase(inner, False)
        actor = self.actors.lookup(node.doc[left : right + 1].text)
        if actor is None or actor.type not in ("organisation", "government"):
            return None
        return self.countries.get(actor.country or "")

    # --- references across sentences ------------------------------------------------------

    def people(self, doc: Doc) -> list[Mention]:
        """Every named person in the text, with the words that introduce them ('Deputy Foreign Minister')."""
        out: list[Mention] = []
        seen: set[int] = set()
        for ent in entities(doc):
            if ent.label_ != "PERSON":
                continue
            actor = self.actors.lookup(ent.text)
            if actor is not None and actor.type != "person":
                continue
            name = actor.name if actor else self.actors.canonical(ent.text)
            out.append(Mention(ent.start_char, name, _role(actor), _intro(ent), _is_subject(ent.root)))
            seen.update(range(ent.start, ent.end))
        for token in doc:
            if token.pos_ == "PROPN" and token.i not in seen:
                actor = self.actors.lookup(token.text)
                if actor is not None and actor.type == "person":
                    span = doc[token.i : token.i + 1]
                    out.append(Mention(token.idx, actor.name, _role(actor), _intro(span), _is_subject(token)))
        out.sort(key=lambda m: m.char)
        return out

    def national(self, speaker: str, reporter: str) -> str:
        """'Budanov said intelligence suggests ...': a bare institution is the reporter's country's."""
        if speaker.lower() not in self.lex.national_institutions:
            return speaker
        actor = self.actors.lookup(reporter)
        country = self.countries.get(actor.country or "") if actor is not None else None
        adjective = self.adjectives.get(country or "")
        if not adjective:
            return speaker
        candidate = f"{adjective} {speaker}"
        known = self.actors.by_name(candidate)
        return known.name if known is not None else candidate

    def earlier_country(self, doc: Doc, noun: str, before: int) -> str | None:
        """'one planner said' after 'Ukrainian planners we spoke to': the country named with that noun."""
        lemma = noun.lower().rstrip("s")
        for token in reversed(tokens_between(doc, 0, before)):
            if token.lower_.rstrip("s") != lemma or token.pos_ != "NOUN":
                continue
            for child in token.children:
                if child.dep_ in ("amod", "compound") and child.i < token.i:
                    country = self.actors.demonym(child.text)
                    if country in self.countries.values():
                        return country
        return None

    def role_matches(self, head: str, mention: Mention) -> tuple[bool, bool]:
        """(matches the role at all, matches a title the text gave the person)."""
        words = [head, *self.lex.role_synonyms.get(head, [])]
        by_role = any(w in mention.role for w in words)
        by_intro = any(w in mention.intro for w in words)
        return by_role or by_intro, by_intro


@dataclass(slots=True)
class Mention:
    char: int
    name: str
    role: str
    intro: str
    subject: bool


def _role(actor: Actor | None) -> str:
    if actor is None:
        return ""
    return " ".join([actor.role, *actor.titles]).lower()


def _intro(ent: Span) -> str:
    """Title words around a name: 'Deputy Foreign Minister Sergei Ryabkov', 'X, the chancellor,'."""
    doc = ent.doc
    words: list[str] = []
    i = ent.start - 1
    while i >= 0 and doc[i].dep_ in ("compound", "amod", "nmod", "poss", "case") and doc[i].head.i >= ent.start:
        words.append(doc[i].lower_)
        i -= 1
    root = ent.root
    for child in root.children:
        if child.dep_ == "appos" and not (ent.start <= child.i < ent.end):
            words.extend(t.lower_ for t in child.subtree)
    if root.dep_ == "appos":
        head = root.head
        words.extend(t.lower_ for t in head.subtree if t.i < ent.start and t.i >= head.left_edge.i)
    return " ".join(words)


def _is_subject(token: Token) -> bool:
    """The subject of a main clause ('Putin congratulated the troops'), not of a reported one."""
    while token.dep_ in ("compound", "flat", "appos") and token.head.i != token.i:
        token = token.head
    if token.dep_ not in ("nsubj", "nsubjpass"):
        return False
    verb = token.head
    while verb.dep_ == "conj" and verb.head.i != verb.i:
        verb = verb.head
    return verb.dep_ == "ROOT"


def noun_phrase(node: Token, loose: bool = False) -> tuple[int, int]:
    """Token range of a speaker phrase: modifiers and 'of/to' complements, no clauses or appositions.

    ``loose`` also keeps the post-modifiers that identify an unnamed source: "officials briefed on
    the talks", "people familiar with the planning", "diplomats in Brussels".
    """
    left = node.left_edge.i
    right = node.i
    for child in node.rights:
        complement = child.dep_ == "prep" and child.lower_ in ("of", "to", "for", "at", "in")
        if loose and child.dep_ in ("prep", "acl", "amod") and not child.is_punct:
            complement = True
        if complement or child.dep_ in ("compound", "amod", "nummod", "flat"):
            right = max(right, child.right_edge.i)
        else:
            break
    for token in node.doc[node.i + 1 : right + 1]:
        if token.text in (",", ";", "(", "—", "–"):
            right = token.i - 1
            break
    for child in node.lefts:
        if child.dep_ in ("appos",):
            left = max(left, child.right_edge.i + 1)
    while left < right and node.doc[left].is_punct:
        left += 1
    return left, right


def _clean(text: str) -> str:
    text = " ".join(text.split()).strip(_TRAIL)
    return _LEADING.sub("", text)
