"""Attribution: who says what, with which cue, and how sure.

Component ``sitroom_attributions`` reads the dependency parse, entities and the hedges written by
``sitroom_hedges``; it writes ``model.Attribution`` facts whose ``start``/``end`` span the attributed
content. Shapes it finds:

* a reporting verb with a clause: "Mercouris suggests that ...", "Kellogg has said he will ..."
* a reporting verb with an object: "Lavrov has emphasized the fact that ..."
* a passive with an agent: "... are reported by Mercouris to be telling ..."
* a phrase before or after the content: "According to Alex Mercouris, ...", "..., according to X."

Nested chains are kept: an attribution whose cue sits inside another's content gets ``parent``
set to the index of the outer one; each link keeps its own certainty. Speakers are canonical names
(``speakers.SpeakerNamer``: actors, unnamed sources, the country of an unnamed official), with pronouns,
role nouns and surnames resolved across sentences (``references.resolve_references``); the author's
own voice ("I think") is ``AUTHOR`` until the pipeline fills in the document's author.
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
from .base import add_fact, facts_of
from .hedges import strongest
from .lexicon import alternation, load_data
from .references import Found as _Found
from .references import resolve_references
from .speakers import AUTHOR, Speaker, SpeakerLexicon, SpeakerNamer

__all__ = ["AUTHOR", "AttributionFinder", "AttributionLexicon"]

_SUBJECTS = ("nsubj", "nsubjpass", "csubj")
_TRAIL = " \t\n,;:.—–-\"“”'’)("
_MODALS = frozenset(
    ("would", "will", "could", "should", "might", "may", "must", "can", "'d", "’d", "'ll", "’ll", "wo", "ca")
)
_LABELS = frozenset(("it", "that", "this", "those", "these", "them", "which", "what", "so", "any", "all", "of", "one"))
_DATELINE = re.compile(r"[A-Z][A-Z .'’-]+(?:,[^()\n]{0,20})?\s*\([^()\n]{1,40}\)\s*[–—-]\s*")


@dataclass(slots=True)
class AttributionLexicon:
    verbs: dict[str, str]
    object_verbs: frozenset[str]
    claim_object_verbs: frozenset[str]
    noun_cues: dict[str, str]
    according_to: re.Pattern[str]
    speakers: SpeakerLexicon
    refusal_verbs: frozenset[str]
    silent_when_negated: frozenset[str]
    denial_phrases: re.Pattern[str]

    @classmethod
    def from_data(cls, raw: dict[str, Any]) -> AttributionLexicon:
        phrases = alternation(raw["according_to"])
        denials = alternation(raw.get("denial_phrases", [])) or "(?!)"
        return cls(
            verbs=dict(raw["verbs"]),
            object_verbs=frozenset(raw["object_verbs"]),
            claim_object_verbs=frozenset(raw.get("claim_object_verbs", [])),
            noun_cues=dict(raw.get("noun_cues", {})),
            according_to=re.compile(rf"\b(?:{phrases})\b", re.IGNORECASE),
            speakers=SpeakerLexicon.from_data(raw),
            refusal_verbs=frozenset(raw.get("refusal_verbs", [])),
            silent_when_negated=frozenset(raw.get("silent_when_negated", [])),
            denial_phrases=re.compile(rf"(?<![\w'’])(?:{denials})(?![\w'’])", re.IGNORECASE),
        )


class AttributionFinder:
    def __init__(self, lexicon: AttributionLexicon, actors: ActorIndex) -> None:
        self.lex = lexicon
        self.actors = actors
        self.namer = SpeakerNamer(lexicon.speakers, actors)

    def __call__(self, doc: Doc) -> Doc:
        text = doc.text  # Doc.text is rebuilt from the tokens on every read: read it once
        found: list[_Found] = []
        for sent in doc.sents:
            found.extend(self._according_to(sent, text))
            for token in sent:
                item = None
                verb_like = token.pos_ in ("VERB", "AUX") or (
                    token.dep_ == "ROOT" and any(c.dep_ == "nsubj" for c in token.children)  # "Kyiv rejects" as NNS
                )
                if verb_like and _lemma(token, self.lex.verbs) in self.lex.verbs:
                    item = self._from_verb(token, text)
                elif token.pos_ == "NOUN" and token.lemma_.lower() in self.lex.noun_cues:
                    item = self._from_noun(token, text)
                if item:
                    found.append(item)
        found = _dedupe(found)
        found = _dedupe(found + _quote_continuations(doc, text, found))
        resolve_references(self.namer, doc, found)
        found = [f for f in found if f.speaker not in self.lex.speakers.pronouns]  # nobody to point back to
        _quoted_first_person(found, text)
        found = _merge_self_reports(found)
        hedges: list[Hedge] = facts_of(doc).get("hedges", [])
        parents = _parents(found)
        for item, parent in zip(found, parents, strict=True):
            if parent is not None:
                item.speaker = self.namer.national(item.speaker, found[parent].speaker)
        own = [
            self._certainty(item, text, found, [c for c, p in enumerate(parents) if p == i], hedges)
            for i, item in enumerate(found)
        ]
        for i, item in enumerate(found):
            certainty = own[i]  # each link of a chain: its own speaker's cue (eval/gold/README.md)
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
        lemma = _lemma(verb, self.lex.verbs)
        if lemma == "point" and not any(c.dep_ == "prt" and c.lower_ == "out" for c in verb.children):
            return None
        if lemma == "ask" and verb.tag_ == "VBN" and not any(c.dep_ in _SUBJECTS for c in verb.children):
            return None  # "Asked whether ..., X said": the reporter's question
        refusal = any(c.dep_ == "neg" for c in verb.children) and _asks_whether(verb)  # "would not say whether"
        if any(c.dep_ == "aux" and c.lower_ in _MODALS for c in verb.children) and not refusal:
            return None  # "Ukraine would write into its constitution": not a report
        refused = verb.dep_ == "xcomp" and verb.head.lemma_.lower() in self.lex.refusal_verbs
        negated = refused or any(c.dep_ == "neg" for c in verb.children)
        if verb.dep_ == "xcomp" and verb.tag_ == "VB" and not refused and _agent_of(verb) is None:
            return None  # "to say" under a verb that is not a refusal: "wanted to say"
        if any(c.dep_ == "mark" and c.lower_ == "as" for c in verb.children):
            return None  # "not by half, as several commentators have claimed": a comparison, no content
        content = self._content_of(verb, lemma, text)
        if content is None:
            content = self._content_before(verb, text)
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
        speaker = self.namer.name(subject)
        if speaker is None or not speaker.name:
            return None
        certainty = self.lex.verbs[lemma]
        if negated and certainty == "asserted":
            if _asks_whether(verb):
                certainty, negated = "questioned", False
            elif lemma in self.lex.silent_when_negated or refused:
                return None  # "He did not say which points had been dropped": nothing was said
        if _answers_no(verb, content, text):
            certainty = "denied"
        cue = _cue_text(verb)
        if refused:
            cue = f"{verb.head.text} {cue}"
        return _found(speaker, cue, verb.idx, content, certainty, negated)

    def _content_of(self, verb: Token, lemma: str, text: str) -> tuple[int, int] | None:
        doc = verb.doc
        for child in verb.children:
            if child.dep_ == "ccomp" and not _trailing_cue(child, self.lex.verbs):
                if child.i < verb.i and not _separated_by_comma(child, verb):
                    continue
                if (
                    child.i < verb.i
                    and _lemma(child, self.lex.verbs) in self.lex.verbs
                    and any(c.dep_ == "nsubj" for c in child.children)
                    and not _quoted(doc, child.left_edge.i)
                ):
                    continue  # "RU claims it, UA denies": the clause before is someone else's report
                return _trimmed(doc, text, _clause_start(child), child.right_edge.i)
        for child in verb.children:
            gerund = lemma == "say" and child.tag_ == "VBG" and child.i > verb.i  # notes: "UA says mopping up"
            if child.dep_ == "xcomp" and (_agent_of(verb) is not None or gerund):
                return _trimmed(doc, text, child.left_edge.i, child.right_edge.i)
        dobj = next((c for c in verb.children if c.dep_ == "dobj"), None)
        if dobj is None and lemma in self.lex.object_verbs:
            for prep in (c for c in verb.children if c.dep_ == "prep"):
                for pobj in (c for c in prep.children if c.dep_ == "pobj"):
                    clause = next(
                        (c for c in pobj.children if c.dep_ in ("acl", "ccomp", "relcl") and _starts_with_that(c)), None
                    )
                    if clause is not None:
                        return _trimmed(doc, text, clause.left_edge.i, clause.right_edge.i)
        if lemma == "call" and dobj is not None:
            named = next((c for c in verb.children if c.dep_ in ("oprd", "xcomp", "ccomp") and c.i > dobj.i), None)
            return _trimmed(doc, text, named.left_edge.i, named.right_edge.i) if named is not None else None
        if lemma == "call":
            named = next((c for c in verb.children if c.dep_ == "oprd"), None)
            return _trimmed(doc, text, named.left_edge.i, named.right_edge.i) if named is not None else None
        if dobj is not None:
            clause = next((c for c in dobj.children if c.dep_ in ("acl", "relcl", "ccomp")), None)
            if clause is not None and _starts_with_that(clause):
                return _trimmed(doc, text, clause.left_edge.i, clause.right_edge.i)
            if lemma not in self.lex.object_verbs:
                return None
            if clause is not None and dobj.lower_ in ("fact", "claim", "idea", "notion", "report", "reports"):
                return _trimmed(doc, text, clause.left_edge.i, clause.right_edge.i)
            if lemma not in self.lex.claim_object_verbs or _is_label(dobj):
                return None
            last = dobj.right_edge.i
            following = next((c for c in verb.children if c.dep_ in ("xcomp", "ccomp") and c.i > dobj.i), None)
            if following is not None:
                last = max(last, following.right_edge.i)  # "expect the Americans to offer ..."
            return _trimmed(doc, text, dobj.left_edge.i, last)
        return None

    def _from_noun(self, noun: Token, text: str) -> _Found | None:
        """'the Defence Ministry's statements that its troops had taken X': the owner said X."""
        owner = next((c for c in noun.children if c.dep_ == "poss"), None)
        if owner is None:  # "the statements of the Russian Foreign Ministry that ..."
            of = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ in ("of", "by", "from")), None)
            owner = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
        clause = next((c for c in noun.children if c.dep_ in ("acl", "ccomp", "relcl") and _starts_with_that(c)), None)
        if owner is None or clause is None or owner.pos_ == "PRON":
            return None
        content = _trimmed(noun.doc, text, clause.left_edge.i, clause.right_edge.i)
        speaker = self.namer.name(owner)
        if content is None or speaker is None or not speaker.name:
            return None
        return _found(speaker, noun.text, noun.idx, content, self.lex.noun_cues[noun.lemma_.lower()], False)

    def _content_before(self, verb: Token, text: str) -> tuple[int, int] | None:
        """'Budanov rejected that demand, one participant said.': the clause the cue is tacked onto."""
        doc = verb.doc
        subjects = [c for c in verb.children if c.dep_ == "nsubj"]
        if len(subjects) == 2 and self.lex.verbs.get(_lemma(verb, self.lex.verbs)) == "asserted":
            # a dateline broke the parse: "MOSCOW (Wire) – Russian forces have ..., the chief told Putin"
            comma = subjects[1].left_edge.i - 1
            start = verb.sent.start
            if comma > start and doc[comma].text == "," and any(t.pos_ == "VERB" for t in doc[start:comma]):
                return _trimmed(doc, text, start, comma - 1)
        if verb.dep_ != "ccomp" or verb.head.i >= verb.i or not _trailing_cue(verb, self.lex.verbs):
            return None
        if self.lex.verbs.get(_lemma(verb, self.lex.verbs)) != "asserted":
            return None  # "RU claims it, UA denies": a bare denial has no content of its own
        head = verb.head
        comma = verb.left_edge.i - 1
        first = head.left_edge.i
        for token in doc[first:comma]:
            if token.text in (":", ";"):  # "Reservists are another matter: Kyiv would keep ..., one planner said"
                first = token.i + 1
        if comma <= first:
            return None
        return _trimmed(doc, text, first, comma - 1)

    def _subject_of(self, verb: Token) -> Token | None:
        current: Token | None = verb
        for _ in range(3):  # "..., but saying also that ..." inherits the subject of the verb it joins
            if current is None:
                return None
            subjects = [c for c in current.children if c.dep_ in _SUBJECTS]
            if subjects:
                before = [c for c in subjects if c.i < current.i]
                return before[-1] if before else subjects[0]  # the nearest: a dateline may add a false one
            climbs = current.dep_ in ("conj", "xcomp") or (current.dep_ == "advcl" and current.tag_ == "VBG")
            if climbs and current.head.i != current.i:
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
            speaker = self.namer.name(node)
            if speaker is None or not speaker.name:
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
            out.append(_found(speaker, match.group(0), begin, content, "asserted", False))
        return out

    # --- certainty ----------------------------------------------------------------------

    def _certainty(self, item: _Found, text: str, found: list[_Found], children: list[int], hedges: list[Hedge]) -> str:
        base = item.certainty
        if item.negated:
            base = "hedged" if base == "denied" else "questioned"
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
            if h.kind != "denied":  # denial verbs are cues of their own attributions
                seen.append(h.kind)
        own = _outside(text, item.start, item.end, excluded)
        if self.lex.denial_phrases.search(own):
            seen.append("denied")
        return strongest(base, *seen)


def _found(
    speaker: Speaker, cue: str, cue_start: int, content: tuple[int, int], certainty: str, negated: bool
) -> _Found:
    return _Found(
        speaker=speaker.name,
        speaker_span=speaker.span,
        cue=cue,
        cue_start=cue_start,
        start=content[0],
        end=content[1],
        certainty=certainty,
        negated=negated,
        anonymous=speaker.anonymous,
        person=speaker.person,
        pronoun=speaker.name in ("he", "she", "they", "him", "her", "it"),
    )


# --- helpers ----------------------------------------------------------------------------


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
                person=source.person,
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
    words = [t for t in doc[first : last + 1] if not t.is_punct]
    clause = len(words) >= 2 and any(t.pos_ in ("VERB", "AUX") for t in words)  # "it is theirs", "it had not"
    if not words or (
        all(t.lower_ in _LABELS or t.pos_ in ("PRON", "AUX", "PART", "DET", "ADP") for t in words) and not clause
    ):
        return None  # "won't confirm any of it", "which he has announced": no claim, only a pointer
    return _strip(text, doc[first].idx, doc[last].idx + len(doc[last]))


def _lemma(token: Token, verbs: dict[str, str]) -> str:
    """The verb's lemma, with a fallback for the tagger's misses ('hoped' → 'hop')."""
    lemma = token.lemma_.lower()
    if lemma in verbs or token.tag_ not in ("VBD", "VBN", "VBZ"):
        return lemma
    lower = token.lower_
    for candidate in (lower[:-1], lower[:-2], lower[:-3] + "y" if lower.endswith("ied") else ""):
        if candidate in verbs:
            return candidate
    return lemma


def _clause_start(clause: Token) -> int:
    """Where a reported clause starts: 'said on Friday it had ...' loses the cue's own adverbial."""
    first = clause.left_edge.i
    subject = next((c for c in clause.children if c.dep_ in _SUBJECTS), None)
    if subject is None or subject.left_edge.i == first:
        return first
    leading = [c for c in clause.children if c.i < subject.i and c.dep_ in ("prep", "npadvmod")]
    if leading and leading[0].left_edge.i == first and all(c.right_edge.i < subject.left_edge.i for c in leading):
        mark = next((c for c in clause.children if c.dep_ == "mark" and c.i < subject.i), None)
        return mark.i if mark is not None and mark.i > leading[-1].right_edge.i else subject.left_edge.i
    return first


def _is_label(node: Token) -> bool:
    """'rejected that demand', 'confirmed the pause': the object names a thing already in the text."""
    det = next((c for c in node.children if c.dep_ == "det"), None)
    if det is not None and det.lower_ in ("that", "this", "those", "these"):
        return True
    if node.pos_ == "PRON":
        return True
    size = node.right_edge.i - node.left_edge.i + 1
    return det is not None and det.lower_ == "the" and size <= 2


def _starts_with_that(clause: Token) -> bool:
    first = clause.left_edge
    return first.lower_ == "that" and first.dep_ == "mark"


def _trailing_cue(verb: Token, verbs: dict[str, str]) -> bool:
    """'..., one participant said.': a reporting verb with a subject and nothing after it."""
    if _lemma(verb, verbs) not in verbs or verb.i <= verb.head.i:
        return False
    if any(c.dep_ in ("ccomp", "dobj", "xcomp") for c in verb.children):
        return False
    if not any(c.dep_ == "nsubj" for c in verb.children):
        return False
    if verb.left_edge.i == 0 or verb.doc[verb.left_edge.i - 1].text != ",":
        return False
    rest = verb.doc[verb.right_edge.i + 1 : verb.sent.end]
    return all(t.is_punct or t.is_space for t in rest)


def _separated_by_comma(clause: Token, verb: Token) -> bool:
    """Content before its cue ends at a comma or a closing quote ('Russia will not ..., Lavrov said'),
    not at a semicolon or a full stop ('RU says centre taken; UA denies')."""
    between = verb.doc[clause.right_edge.i : verb.i]
    marks = [t.text for t in between if t.is_punct]
    return bool(marks) and marks[0] in (",", "”", '"', "’", "'") and ";" not in marks and ":" not in marks


def _asks_whether(verb: Token) -> bool:
    return any(
        c.dep_ == "ccomp" and any(m.dep_ == "mark" and m.lower_ in ("whether", "if") for m in c.children)
        for c in verb.children
    )


def _answers_no(verb: Token, content: tuple[int, int], text: str) -> bool:
    """'Asked whether Kyiv had accepted ..., Umerov said it had not.': a 'no' to a whether-question."""
    asked = any(c.dep_ == "advcl" and c.lemma_.lower() == "ask" and _asks_whether(c) for c in verb.children)
    said = text[content[0] : content[1]].lower().replace("’", "'").split()
    negative = any(w in ("not", "no") or w.endswith("n't") for w in said)
    # "Ukraine says it isn't": a bare negated pronoun clause answers the claim before it
    elliptic = len(said) <= 3 and bool(said) and said[0] in ("it", "they", "he", "she", "this", "that")
    return negative and ((asked and len(said) <= 5) or elliptic)


def _outside(text: str, start: int, end: int, excluded: list[tuple[int, int]]) -> str:
    """The content's own words, with nested contents blanked out."""
    chars = list(text[start:end])
    for s, e in excluded:
        for i in range(max(s, start), min(e, end)):
            chars[i - start] = " "
    return "".join(chars)


def _quoted(doc: Doc, first: int) -> bool:
    """Whether the clause starting at token ``first`` opens a quotation."""
    return doc[first].text in _OPEN_QUOTES or (first > 0 and doc[first - 1].text in _OPEN_QUOTES)


def _quoted_first_person(found: list[_Found], text: str) -> None:
    """'Zelensky said: "I think ..."': the 'I' inside a quotation is the quoted speaker, not the author."""
    for item in found:
        if item.speaker != AUTHOR:
            continue
        holders = [
            f
            for f in found
            if f is not item
            and f.speaker != AUTHOR
            and f.start <= item.cue_start < f.end
            and f.start > 0
            and text[f.start - 1] in _OPEN_QUOTES
        ]
        if holders:
            outer = min(holders, key=lambda f: f.end - f.start)
            item.speaker, item.person, item.anonymous, item.pronoun = outer.speaker, outer.person, outer.anonymous, True


def _merge_self_reports(found: list[_Found]) -> list[_Found]:
    """'Kushner told reporters he believed X' is one attribution: the inner 'he believed' is the
    same speaker's framing. Drop it; when it opens the outer content, its cue sets the certainty."""
    parents = _parents(found)
    drop: set[int] = set()
    for i, item in enumerate(found):
        p = parents[i]
        if p is None or not item.pronoun or item.speaker != found[p].speaker:
            continue
        outer = found[p]
        drop.add(i)
        if item.speaker_span is not None and item.speaker_span[0] == outer.start:
            cue = "denied" if item.certainty == "denied" and item.negated else item.certainty
            outer.certainty = strongest(outer.certainty, "hedged" if cue == "denied" else cue)
    return [f for i, f in enumerate(found) if i not in drop]


def _strip(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start] in _TRAIL:
        start += 1
    while end > start and text[end - 1] in _TRAIL:
        end -= 1
    if text[start:end].lower().startswith("that "):
        start += 5
    dateline = _DATELINE.match(text, start, end)
    if dateline is not None:
        start = dateline.end()
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
