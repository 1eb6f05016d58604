"""References across sentences: who 'he', 'they', 'the diplomat', 'the ministry' and 'Marsh' are.

``resolve_references`` rewrites the speakers of the attributions found in a document in place: pronouns
go to whoever spoke or acted last, role nouns to the person the text (then the actor table) gives that
role, surnames to the full name given earlier, 'the ministry' to the organisation named last.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc

from .base import doc_text, entities
from .speakers import AUTHOR, Mention, SpeakerNamer


@dataclass(slots=True)
class Found:
    """One attribution while the finder works on it (offsets in characters)."""

    speaker: str
    speaker_span: tuple[int, int] | None
    cue: str
    cue_start: int
    start: int
    end: int
    certainty: str
    negated: bool = False
    anonymous: bool = False
    person: bool = False
    pronoun: bool = False


def resolve_references(namer: SpeakerNamer, doc: Doc, found: list[Found]) -> None:
    """'he said' → the person who spoke last (or, failing that, the person last named as a subject);
    'they said' → the group that spoke last; 'it did not say' → the organisation that spoke last;
    'the minister said' → the last person named before it with that role, the text's own titles
    first; 'Marsh said' → the full name given earlier. Unresolvable references stay as written."""
    people = namer.people(doc)
    pronouns = namer.lex.pronouns
    sentence_starts = [s.start_char for s in doc.sents]

    def window(char: int, sentences: int) -> int:
        earlier = [s for s in sentence_starts if s <= char]
        return earlier[-sentences - 1] if len(earlier) > sentences else 0

    for item in found:
        before = item.speaker_span[0] if item.speaker_span else item.cue_start
        if item.speaker in pronouns:
            pronoun = item.speaker
            since = window(before, 2)
            speakers = [
                f
                for f in found
                if f is not item and since <= f.cue_start < before and f.speaker not in pronouns and f.speaker != AUTHOR
            ]
            if pronoun in ("he", "she", "him", "her"):
                speakers = [f for f in speakers if f.person]
            elif pronoun == "it":
                speakers = [f for f in speakers if not f.person]
            source = max(speakers, key=lambda f: f.cue_start) if speakers else None
            if pronoun in ("he", "she", "him", "her"):
                earlier = [p for p in people if p.char < before]
                subjects = [p for p in earlier if p.subject and p.char >= since]
                topic = subjects[-1] if subjects else None
                if topic is not None and (source is None or topic.char > source.cue_start):
                    item.speaker, item.person, item.anonymous = topic.name, True, False
                    continue
                if source is None and earlier:
                    item.speaker, item.person = earlier[-1].name, True
                    continue
            if source is not None:
                item.speaker, item.anonymous, item.person = source.speaker, source.anonymous, source.person
            continue
        if item.speaker_span is not None and _resolve_name(namer, doc, item, people, before):
            continue
        if item.speaker_span is not None and _resolve_body(namer, doc, item, found, before):
            continue
        if item.anonymous and item.speaker_span is not None and " " not in item.speaker:
            country = namer.earlier_country(doc, item.speaker, item.speaker_span[0])
            if country:
                item.speaker = country


def _resolve_body(namer: SpeakerNamer, doc: Doc, item: Found, found: list[Found], before: int) -> bool:
    """'The ministry said' → the ministry named last ('the Russian Defence Ministry said ...');
    'the agency said' → the organisation that spoke last, when the text names no agency."""
    assert item.speaker_span is not None
    words = doc_text(doc)[item.speaker_span[0] : item.speaker_span[1]].lower().split()
    if len(words) != 2 or words[0] != "the" or words[1] not in namer.lex.body_heads:
        return False
    head = words[1]
    named = [
        (e.start_char, namer.actors.canonical(e.text))
        for e in entities(doc)
        if e.label_ == "ORG" and e.end_char <= before
    ]
    named += [(f.cue_start, f.speaker) for f in found if f.cue_start < before and not f.person and f.speaker != AUTHOR]
    named.sort()
    matching = [name for _, name in named if head in name.lower().split()]
    if not matching and head in namer.lex.generic_bodies:
        matching = [
            name
            for _, name in named
            if (actor := namer.actors.lookup(name)) is None or actor.type not in ("country", "person")
        ]
    if not matching:
        return False
    item.speaker, item.anonymous = matching[-1], False
    return True


def _resolve_name(namer: SpeakerNamer, doc: Doc, item: Found, people: list[Mention], before: int) -> bool:
    """A surname, a title or a role noun → the person the text means by it."""
    assert item.speaker_span is not None
    written = doc_text(doc)[item.speaker_span[0] : item.speaker_span[1]]
    words = written.lower().replace("’", "'").split()
    earlier = [p for p in people if p.char < before]
    if len(words) >= 2 and words[0] == "the":
        # titles resolve by the text first: "Budanov, the new head of the presidential office, ..."
        key = " ".join(w for w in words[1:] if w != "new")
        given = [p for p in earlier if f" {key} " in f" {p.intro} "]
        if given:
            item.speaker, item.person, item.anonymous = given[-1].name, True, False
            return True
    if namer.actors.lookup(item.speaker) is not None:
        return False
    if len(words) == 1 and written[:1].isupper():
        full = [p for p in earlier if p.name.split()[-1].lower() == words[0]]
        if full:
            item.speaker = full[-1].name
            return True
        return False
    if not (2 <= len(words) <= 6 and words[0] == "the"):
        return False
    head = _role_head(words, namer.lex.speaker_heads)
    if not head:
        return False
    required = [w for w in words if w in namer.lex.role_modifiers]
    for pool, last in ((earlier, True), ([p for p in people if p.char > before], False)):
        matching = []
        for p in pool:
            ok, intro = namer.role_matches(head, p)
            if ok and all(w in p.role or w in p.intro for w in required):
                matching.append((intro, p))
        if matching:
            introduced = [p for intro, p in matching if intro] or [p for _, p in matching]
            pick = introduced[-1] if last else introduced[0]  # "the spokeswoman ..., Maria Zakharova": forward
            item.speaker, item.person, item.anonymous = pick.name, True, False
            return True
    return False


def _role_head(words: list[str], heads: frozenset[str]) -> str:
    """The role noun of 'the secretary of state' (secretary) or 'the foreign minister' (minister)."""
    cut = words.index("of") if "of" in words else len(words)
    head = words[cut - 1]
    return head if head in heads else ""
