"""Attribution: who says what, with which cue, and how sure.

Component ``sitroom_attributions`` reads the dependency parse, entities and the hedges written by
``sitroom_hedges``; it writes ``model.Attribution`` facts whose ``start``/``end`` span the attributed
content. Shapes it finds:

* a reporting verb with a clause: "Mercouris suggests that ...", "Kellogg has said he will ..."
* a reporting verb with an object: "Lavrov has emphasized the fact that ..."
* a passive with an agent: "... are reported by Mercouris to be telling ..."
* a phrase before or after the content: "According to Alex Mercouris, ...", "..., according to X."

Nested chains are kept: an attribution whose cue sits inside another's content gets ``parent``
set to the index of the outer one. Speakers are canonical names from the ``ActorIndex``; the
author's own voice ("I think") is ``AUTHOR`` until the pipeline fills in the document's author.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from ..model import Attribution, Hedge
from .actors import ActorIndex
from .base import add_fact, alternation, facts_of, load_data
from .hedges import strongest

AUTHOR = "(author)"
CONTENT_CERTAINTIES = ("rumoured", "questioned")
_NAME_ENTS = ("PERSON", "ORG", "GPE", "NORP")
_SUBJECTS = ("nsubj", "nsubjpass", "csubj")
_TRAIL = " \t\n,;:.—–-\"“”'’)("


@dataclass(slots=True)
class AttributionLexicon:
    verbs: dict[str, str]
    object_verbs: frozenset[str]
    according_to: re.Pattern[str]
    vague_heads: frozenset[str]
    anonymous: frozenset[str]
    carrier_heads: frozenset[str]
    author_pronouns: frozenset[str]
    pronouns: frozenset[str]
    speaker_heads: frozenset[str]

    @classmethod
    def from_data(cls, raw: dict[str, Any]) -> AttributionLexicon:
        phrases = alternation(raw["according_to"])
        return cls(
            verbs=dict(raw["verbs"]),
            object_verbs=frozenset(raw["object_verbs"]),
            according_to=re.compile(rf"\b(?:{phrases})\b", re.IGNORECASE),
            vague_heads=frozenset(raw["vague_heads"]),
            anonymous=frozenset(raw["anonymous"]),
            carrier_heads=frozenset(raw["carrier_heads"]),
            author_pronouns=frozenset(raw["author_pronouns"]),
            pronouns=frozenset(raw["pronouns"]),
            speaker_heads=frozenset(raw.get("speaker_heads", [])),
        )


@dataclass(slots=True)
class _Found:
    speaker: str
    speaker_span: tuple[int, int] | None
    cue: str
    cue_start: int
    start: int
    end: int
    certainty: str
    negated: bool = False
    anonymous: bool = False


class AttributionFinder:
    def __init__(self, lexicon: AttributionLexicon, actors: ActorIndex) -> None:
        self.lex = lexicon
        self.actors = actors

    def __call__(self, doc: Doc) -> Doc:
        text = doc.text  # Doc.text is rebuilt from the tokens on every read: read it once
        found: list[_Found] = []
        for sent in doc.sents:
            found.extend(self._according_to(sent, text))
            for token in sent:
                if token.pos_ in ("VERB", "AUX") and token.lemma_.lower() in self.lex.verbs:
                    item = self._from_verb(token, text)
                    if item:
                        found.append(item)
        found = _dedupe(found)
        found = _dedupe(found + _quote_continuations(doc, text, found))
        self._resolve_references(doc, found)
        hedges: list[Hedge] = facts_of(doc).get("hedges", [])
        parents = _parents(found)
        own = [
            self._certainty(item, found, [c for c, p in enumerate(parents) if p == i], hedges)
            for i, item in enumerate(found)
        ]
        for i, item in enumerate(found):
            certainty = _through_chain(i, own, parents)
            fact = Attribution(
                start=item.start,
                end=item.end,
                speaker=item.speaker,
                cue=item.cue,
                content=text[item.start : item.end],
                certainty=certainty,
                speaker_start=item.speaker_span[0] if item.speaker_span else None,
                speaker_end=item.speaker_span[1] if item.speaker_span else None,
                parent=parents[i],
            )
            add_fact(doc, "attributions", fact, label=certainty)
        return doc

    # --- shapes -------------------------------------------------------------------------

    def _from_verb(self, verb: Token, text: str) -> _Found | None:
        lemma = verb.lemma_.lower()
        if lemma == "point" and not any(c.dep_ == "prt" and c.lower_ == "out" for c in verb.children):
            return None
        content = self._content_of(verb, lemma, text)
        if content is None:
            return None
        subject = self._subject_of(verb)
        passive_agent = _agent_of(verb)
        if passive_agent is not None:
            subject = passive_agent
        elif subject is not None and subject.dep_ == "nsubjpass":
            return None  # "the plan is rumored to ...": no speaker; the hedge records it
        if subject is None:
            return None
        speaker, span, anonymous = self._speaker(subject)
        if not speaker:
            return None
        negated = any(c.dep_ == "neg" for c in verb.children)
        return _Found(
            speaker=speaker,
            speaker_span=span,
            cue=_cue_text(verb),
            cue_start=verb.idx,
            start=content[0],
            end=content[1],
            certainty=self.lex.verbs[lemma],
            negated=negated,
            anonymous=anonymous,
        )

    def _content_of(self, verb: Token, lemma: str, text: str) -> tuple[int, int] | None:
        doc = verb.doc
        for child in verb.children:
            if child.dep_ == "ccomp":
                return _trimmed(doc, text, child.left_edge.i, child.right_edge.i)
        for child in verb.children:
            if child.dep_ == "xcomp" and _agent_of(verb) is not None:
                return _trimmed(doc, text, child.left_edge.i, child.right_edge.i)
        if lemma in self.lex.object_verbs:
            for child in verb.children:
                if child.dep_ == "dobj":
                    clause = next((c for c in child.children if c.dep_ in ("acl", "relcl", "ccomp")), None)
                    if clause is not None and child.lower_ in ("fact", "claim", "idea", "notion", "report"):
                        return _trimmed(doc, text, clause.left_edge.i, clause.right_edge.i)
                    return _trimmed(doc, text, child.left_edge.i, child.right_edge.i)
        return None

    def _subject_of(self, verb: Token) -> Token | None:
        current: Token | None = verb
        for _ in range(3):  # "..., but saying also that ..." inherits the subject of the verb it joins
            if current is None:
                return None
            for child in current.children:
                if child.dep_ in _SUBJECTS:
                    return child
            if current.dep_ in ("conj", "advcl", "xcomp") and current.head.i != current.i:
                current = current.head
            else:
                return None
        return None

    def _according_to(self, sent: Span, doc_text: str) -> list[_Found]:
        out = []
        text = sent.text
        for match in self.lex.according_to.finditer(text):
            begin = sent.start_char + match.start()
            after = sent.start_char + match.end()
            head = next((t for t in sent if t.idx >= after and not t.is_space), None)
            if head is None:
                continue
            # the speaker is the noun phrase whose subtree starts right after the phrase
            node = head
            while node.head.i != node.i and node.head.idx >= after and node.head.i < sent.end:
                node = node.head
            speaker, span, anonymous = self._speaker(node)
            if not speaker:
                continue
            phrase_end = _phrase_end(sent, node)
            before = text[: match.start()]
            opener = max(before.rfind("("), before.rfind(";"), before.rfind("—"), before.rfind(" – "))
            if before.strip(_TRAIL) and (opener < 0 or before[opener + 1 :].strip(_TRAIL)):
                start = sent.start_char + (opener + 1 if opener >= 0 else 0)
                content = _strip(doc_text, start, begin)
            else:
                content = _strip(doc_text, phrase_end, sent.end_char)
            if content is None:
                continue
            out.append(
                _Found(
                    speaker=speaker,
                    speaker_span=span,
                    cue=match.group(0),
                    cue_start=begin,
                    start=content[0],
                    end=content[1],
                    certainty="asserted",
                    anonymous=anonymous,
                )
            )
        return out

    # --- speakers -----------------------------------------------------------------------

    def _speaker(self, node: Token) -> tuple[str, tuple[int, int] | None, bool]:
        """Canonical speaker for a subject or object node; (name, char span, anonymous)."""
        doc = node.doc
        lower = node.lower_
        if lower in self.lex.author_pronouns:
            return AUTHOR, (node.idx, node.idx + len(node)), False
        if lower in self.lex.pronouns:
            return lower, (node.idx, node.idx + len(node)), False
        lemma = node.lemma_.lower()
        if lower in self.lex.carrier_heads or lemma in self.lex.carrier_heads:
            for child in node.children:
                if child.dep_ == "prep" and child.lower_ in ("from", "by", "of"):
                    pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
                    if pobj is not None:
                        return self._speaker(pobj)
        left, right = _noun_phrase(node)
        phrase = doc[left : right + 1]
        anonymous = any(t.lower_ in self.lex.anonymous for t in phrase)
        # a name inside the phrase wins: "Zelenskiy's chief of military intelligence, Budanov"
        whole = self.actors.lookup(phrase.text)
        if whole is not None:
            return whole.name, (phrase.start_char, phrase.end_char), anonymous
        root = phrase.root.lower_
        root_lemma = phrase.root.lemma_.lower()
        generic = root in self.lex.vague_heads or root in self.lex.carrier_heads
        ents = [e for e in doc.ents if e.start >= node.left_edge.i and e.end <= node.right_edge.i + 1]
        if (root in self.lex.vague_heads or root_lemma in self.lex.vague_heads) and not any(
            e.label_ == "PERSON" for e in ents
        ):
            # "officials", "two American officials", "Kremlin sources": nobody named — a rumour at best
            anonymous = True
            for token in phrase:
                country = self.actors.demonym(token.text) if token.i != phrase.root.i else None
                if country:
                    return country, (phrase.start_char, phrase.end_char), anonymous
        for ent in sorted(ents, key=lambda e: e.label_ != "PERSON"):
            if ent.label_ not in _NAME_ENTS:
                continue
            actor = self.actors.lookup(ent.text)
            heads_phrase = ent.start <= phrase.root.i < ent.end
            if ent.label_ == "PERSON" or heads_phrase or (generic and (actor or ent.label_ == "ORG")):
                name = actor.name if actor else self.actors.canonical(ent.text)
                return name, (ent.start_char, ent.end_char), anonymous
        text = phrase.text.strip(_TRAIL)
        speaker_like = (
            generic
            or root in self.lex.speaker_heads
            or root_lemma in self.lex.speaker_heads
            or phrase.root.pos_ == "PROPN"
        )
        if not text or not speaker_like:
            return "", None, anonymous
        return self.actors.canonical(text), (phrase.start_char, phrase.end_char), anonymous

    def _resolve_references(self, doc: Doc, found: list[_Found]) -> None:
        """'he said' → the person named last before it; 'the minister said' → the last person named
        before it whose role is a minister. Unresolvable references stay as written."""
        people: list[tuple[int, str, str]] = []  # (char, canonical name, role)
        for ent in doc.ents:
            if ent.label_ == "PERSON":
                actor = self.actors.lookup(ent.text)
                people.append(
                    (
                        ent.start_char,
                        actor.name if actor else self.actors.canonical(ent.text),
                        actor.role.lower() if actor else "",
                    )
                )
        for token in doc:
            if token.pos_ == "PROPN" and token.ent_type_ != "PERSON":
                actor = self.actors.lookup(token.text)
                if actor is not None and actor.type == "person":
                    people.append((token.idx, actor.name, actor.role.lower()))
        people.sort()
        for item in found:
            before = item.speaker_span[0] if item.speaker_span else item.cue_start
            earlier = [p for p in people if p[0] < before]
            if item.speaker in self.lex.pronouns:
                speakers = [
                    (f.cue_start, f.speaker, "")
                    for f in found
                    if f.cue_start < before and f.speaker not in self.lex.pronouns and f.speaker != AUTHOR
                ]
                candidates = sorted(earlier + speakers)
                if candidates:
                    item.speaker = candidates[-1][1]
            elif self.actors.lookup(item.speaker) is None:
                words = item.speaker.lower().split()
                if 2 <= len(words) <= 4 and words[0] == "the" and words[-1] in self.lex.speaker_heads:
                    matching = [p for p in earlier if words[-1] in p[2]]
                    if matching:
                        item.speaker = matching[-1][1]

    # --- certainty ----------------------------------------------------------------------

    def _certainty(self, item: _Found, found: list[_Found], children: list[int], hedges: list[Hedge]) -> str:
        base = item.certainty
        if item.negated:
            base = "hedged" if base == "denied" else "denied" if base == "asserted" else "questioned"
        if item.anonymous:
            base = strongest(base, "rumoured")
        lo = min(item.cue_start, item.speaker_span[0] if item.speaker_span else item.cue_start, item.start)
        excluded = [(found[c].start, found[c].end) for c in children]
        seen = []
        for h in hedges:
            if not (lo <= h.start and h.end <= item.end) or any(s <= h.start and h.end <= e for s, e in excluded):
                continue
            if item.cue_start <= h.start < item.cue_start + len(item.cue):
                continue
            inside = item.start <= h.start
            # "X reportedly said", "X appeared to suggest": the speaker's commitment. Inside the content a
            # modal ("could", "may") or a denial belongs to what is said, not to how sure the speaker is;
            # only rumour and doubt carried into the content ("the plan was reportedly leaked") count.
            if not inside or h.kind in CONTENT_CERTAINTIES:
                seen.append(h.kind)
        return strongest(base, *seen)


# --- helpers ----------------------------------------------------------------------------


def _through_chain(i: int, own: list[str], parents: list[int | None]) -> str:
    """A reported report is no surer than the report that carries it."""
    certainty, seen, node = own[i], {i}, parents[i]
    while node is not None and node not in seen:
        certainty = strongest(certainty, own[node])
        seen.add(node)
        node = parents[node]
    return certainty


_OPEN_QUOTES = '“"«'
_CLOSE_QUOTES = '”"»'


def _quote_continuations(doc: Doc, text: str, found: list[_Found]) -> list[_Found]:
    """A sentence that is all quotation, right after an attributed quote, is the same speaker's."""
    out: list[_Found] = []
    for prev, sent in pairwise(doc.sents):
        said = sent.text.strip()
        if len(said) < 4 or said[0] not in _OPEN_QUOTES or said.rstrip(".")[-1] not in _CLOSE_QUOTES:
            continue
        if any(sent.start_char <= f.cue_start < sent.end_char for f in found):
            continue
        quoted = [
            f
            for f in found
            if prev.start_char <= f.start < prev.end_char and f.start > 0 and text[f.start - 1] in _OPEN_QUOTES
        ]
        if not quoted:
            continue
        source = quoted[-1]
        first = sent.start_char + sent.text.index(said[0]) + 1
        span = _strip(text, first, sent.start_char + len(sent.text.rstrip()))
        if span is None:
            continue
        out.append(
            _Found(
                source.speaker,
                None,
                source.cue,
                sent.start_char,
                span[0],
                span[1],
                source.certainty,
                anonymous=source.anonymous,
            )
        )
    return out


def _agent_of(verb: Token) -> Token | None:
    for child in verb.children:
        if child.dep_ == "agent":
            return next((c for c in child.children if c.dep_ == "pobj"), None)
    return None


def _cue_text(verb: Token) -> str:
    parts = [verb]
    parts += [c for c in verb.children if c.dep_ in ("aux", "auxpass", "neg", "prt") and c.i > verb.i - 4]
    parts.sort(key=lambda t: t.i)
    return " ".join(t.text for t in parts)


def _noun_phrase(node: Token) -> tuple[int, int]:
    """Token range of a speaker phrase: modifiers and 'of/to' complements, no clauses or appositions."""
    left = node.left_edge.i
    right = node.i
    for child in node.rights:
        complement = child.dep_ == "prep" and child.lower_ in ("of", "to", "for", "at", "in")
        if complement or child.dep_ in ("compound", "amod", "nummod", "flat"):
            right = max(right, child.right_edge.i)
        else:
            break
    for child in node.lefts:
        if child.dep_ in ("appos",):
            left = max(left, child.right_edge.i + 1)
    return left, right


def _phrase_end(sent: Span, node: Token) -> int:
    """Where the 'according to X ...' phrase ends: the comma after it, or the speaker's last token."""
    for token in sent:
        if token.i > node.i and token.text in (",", ":", "—"):
            return token.idx + 1
    return node.right_edge.idx + len(node.right_edge)


def _trimmed(doc: Doc, text: str, first: int, last: int) -> tuple[int, int] | None:
    while first <= last and doc[first].dep_ == "mark" and doc[first].lower_ in ("that", "whether", "if"):
        first += 1
    if first > last:
        return None
    return _strip(text, doc[first].idx, doc[last].idx + len(doc[last]))


def _strip(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start] in _TRAIL:
        start += 1
    while end > start and text[end - 1] in _TRAIL:
        end -= 1
    if text[start:end].lower().startswith("that "):
        start += 5
    if end - start < 3:
        return None
    return start, end


def _dedupe(found: list[_Found]) -> list[_Found]:
    """One attribution per (cue position, content); keep text order."""
    seen: set[tuple[int, int, int]] = set()
    out = []
    for item in sorted(found, key=lambda f: (f.cue_start, f.start)):
        key = (item.cue_start, item.start, item.end)
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out


def _parents(found: list[_Found]) -> list[int | None]:
    """For each attribution, the innermost other attribution whose content holds its cue."""
    parents: list[int | None] = []
    for i, item in enumerate(found):
        best: int | None = None
        for j, outer in enumerate(found):
            if i == j or not (outer.start <= item.cue_start < outer.end):
                continue
            if best is None or (outer.end - outer.start) < (found[best].end - found[best].start):
                best = j
        parents.append(best)
    return parents


@Language.factory(
    "sitroom_attributions",
    requires=["token.dep", "token.lemma", "doc.ents", "doc.sents"],
    assigns=["doc._.sitroom_facts", "doc.spans"],
    default_config={"lexicon_path": None, "actors_paths": []},
)
def make_attributions(nlp: Language, name: str, lexicon_path: str | None, actors_paths: list[str]) -> AttributionFinder:
    lexicon = AttributionLexicon.from_data(load_data(lexicon_path, "attribution.json"))
    return AttributionFinder(lexicon, ActorIndex.load(actors_paths))
