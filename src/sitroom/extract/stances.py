"""Stances: each actor's position on a plan or on one part of it (support, oppose, undecided).

Component ``sitroom_stances`` reads the parse and entities. A stance needs a cue (a verb such as
"rejects", a noun such as "buy-in" or "hostility", or a phrase such as "is content with", "red line",
"might be discussed"), an actor (the verb's subject, the noun's modifier or its "from/by" phrase, or
the speaker of the attribution the cue sits in) and a target. A negated support cue ("does not agree
with") is opposition; one actor both supporting and opposing in a sentence ("some proposals suited
Moscow, others were unacceptable") is undecided.

Targets (``data/stances.json``, ``targets``) are resolved from the words after the cue:

* a named target — "the 28-point plan", "the Geneva text" (19-point plan), "the European text",
  "the reparations loan", "the pause" (energy truce), "elections";
* a generic plan word — "the draft", "the proposal", "a document" — is the named target most mentioned
  before it in the document (ties: the latest), else ``peace plan``;
* the negotiation as a whole ("the talks", "any settlement") is ``peace plan``;
* one part of a plan ("the territorial points", "NATO", "the army limit") is a provision-level stance
  on the plan most mentioned before it, else on ``peace plan``;
* a pronoun object ("call it a starting point") refers to the last target named in the paragraph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from ..model import Attribution, Stance
from .actors import ActorIndex
from .attributions import AUTHOR
from .base import add_fact, entities, facts_of, reference_date
from .lexicon import alternation, load_data
from .plan_catalogue import GENERIC, NAMED, PRONOUN, TALKS, TOPIC, Mention
from .stance_shapes import StanceShapes

_FLIP = {"support": "oppose", "oppose": "undecided", "undecided": "undecided"}
_SUBJECTS = ("nsubj", "nsubjpass")
_NUMBERED = re.compile(r"\b(?P<n>\d{1,2})(?:[- ]point\b|\s+points\b)", re.IGNORECASE)
_FROM_TO = re.compile(r"\bfrom\s+\d{1,2}(?:[- ]points?)?\s+to\s+(?P<n>\d{1,2})\b", re.IGNORECASE)
_OBJECT_PREPS = {
    "to",
    "with",
    "on",
    "of",
    "for",
    "about",
    "from",
    "against",
    "toward",
    "towards",
    "behind",
    "over",
    "through",
    "via",
    "under",
}
_INDEFINITE = {"anything", "everything", "nothing", "something"}
_WISH = {"should", "must", "ought"}
_HYPOTHETICAL = {"if", "unless", "whether"}
_OWN_COUNTRY = {"his country", "her country", "my country", "our country"}
_FIRST_PERSON = {"i", "we"}
_MEETINGS = {"talks", "negotiations", "peace talks", "meeting", "mediation"}
_PERSONAL = {"he", "she", "they", "we", "it", "i", "him", "her", "them"}
PEACE_PLAN = "peace plan"


@dataclass(slots=True)
class StanceLexicon:
    verbs: dict[str, str]
    nouns: dict[str, str]
    undecided: list[re.Pattern[str]]
    phrases: list[tuple[re.Pattern[str], str]]
    named: list[tuple[str, re.Pattern[str]]]
    dated: list[tuple[str, date, re.Pattern[str]]]
    generic: re.Pattern[str]
    talks: re.Pattern[str]
    topics: re.Pattern[str]
    pronouns: re.Pattern[str]
    any_object_verbs: set[str]
    head_roles: tuple[str, ...]
    backers: set[str]
    not_referents: set[str]
    default_plan: tuple[str, date] | None
    groups: dict[str, set[str]]
    group_size: int
    plan_only_verbs: set[str]
    indefinite_object_verbs: set[str]

    @classmethod
    def from_data(cls, raw: dict[str, Any]) -> StanceLexicon:
        targets = raw["targets"]
        return cls(
            verbs=dict(raw["verbs"]),
            nouns=dict(raw["nouns"]),
            undecided=[re.compile(p, re.IGNORECASE) for p in raw["undecided_phrases"]],
            phrases=[
                (re.compile(p, re.IGNORECASE), value) for value, items in raw.get("phrases", {}).items() for p in items
            ],
            named=[(name, re.compile(p, re.IGNORECASE)) for name, p in targets["named"]],
            dated=[
                (d["target"], date.fromisoformat(d["until"]), re.compile(d["pattern"], re.IGNORECASE))
                for d in targets.get("dated", [])
            ],
            generic=_words(targets["plan_words"]),
            talks=_words(targets["negotiation_words"]),
            topics=_words(targets["topic_words"]),
            pronouns=_words(targets["pronouns"], ignore_case=False),
            any_object_verbs=set(targets.get("any_object_verbs", [])),
            head_roles=tuple(raw.get("head_roles", [])),
            backers=set(raw.get("backers", [])),
            not_referents=set(targets.get("not_referents", [])),
            default_plan=(
                (targets["default_plan"]["target"], date.fromisoformat(targets["default_plan"]["until"]))
                if "default_plan" in targets
                else None
            ),
            groups={k: set(v) for k, v in raw.get("groups", {}).items() if isinstance(v, list)},
            group_size=int(raw.get("groups", {}).get("min_members", 3)),
            plan_only_verbs=set(targets.get("plan_only_verbs", [])),
            indefinite_object_verbs=set(targets.get("indefinite_object_verbs", [])),
        )


def _words(items: list[str], ignore_case: bool = True) -> re.Pattern[str]:
    return re.compile(rf"\b(?:{alternation(items)})\b", re.IGNORECASE if ignore_case else 0)


class Targets:
    """Every target mention in a document, and how a mention resolves to a target name."""

    def __init__(self, lex: StanceLexicon, text: str, published: date | None) -> None:
        self.text = text
        self.not_referents = lex.not_referents
        self.default = PEACE_PLAN
        if lex.default_plan is not None and published is not None and published <= lex.default_plan[1]:
            self.default = lex.default_plan[0]
        found: list[Mention] = []
        taken: list[tuple[int, int]] = []

        def add(start: int, end: int, kind: str, target: str = "") -> None:
            if any(s < end and start < e for s, e in taken):
                return
            taken.append((start, end))
            found.append(Mention(start, end, kind, target))

        for match in _FROM_TO.finditer(text):  # "from 28 points to 19": only the new version is named
            add(match.start(), match.end(), NAMED, f"{match.group('n')}-point plan")
        for match in _NUMBERED.finditer(text):
            add(match.start(), match.end(), NAMED, f"{match.group('n')}-point plan")
        for name, until, pattern in lex.dated:
            if published is not None and published <= until:
                for match in pattern.finditer(text):
                    add(match.start(), match.end(), NAMED, name)
        for name, pattern in lex.named:
            for match in pattern.finditer(text):
                add(match.start(), match.end(), NAMED, name)
        for kind, pattern in ((TALKS, lex.talks), (GENERIC, lex.generic), (TOPIC, lex.topics), (PRONOUN, lex.pronouns)):
            for match in pattern.finditer(text):
                add(match.start(), match.end(), kind)
        self.mentions = sorted(found, key=lambda m: m.start)

    def within(self, start: int, end: int, kinds: tuple[str, ...] = (NAMED, GENERIC, TALKS, TOPIC)) -> list[Mention]:
        return [m for m in self.mentions if m.start < end and start < m.end and m.kind in kinds]

    def resolve(self, mention: Mention) -> str:
        if mention.kind == NAMED:
            return mention.target
        if mention.kind == TALKS:
            return PEACE_PLAN
        if mention.kind == GENERIC:
            # "his request not to strike Kyiv": a generic word defined by the named target right after it
            following = next((m for m in self.mentions if m.start >= mention.end and m.kind == NAMED), None)
            if (
                following is not None
                and following.start - mention.end <= 40
                and not re.search(r"[,;.]", self.text[mention.end : following.start])
            ):
                return following.target
            return self._salient(mention.start)
        if mention.kind == PRONOUN:
            paragraph = self.text.rfind("\n\n", 0, mention.start)
            before = [m for m in self.mentions if paragraph <= m.start < mention.start and m.kind != PRONOUN]
            return self.resolve(before[-1]) if before else ""
        return self._salient(mention.start)

    def in_paragraph(self, char: int) -> str:
        """The last target named in the paragraph before ``char`` ("… is undecided, or playing for time")."""
        paragraph = self.text.rfind("\n\n", 0, char)
        before = [m for m in self.mentions if paragraph <= m.start < char and m.kind != PRONOUN]
        return self.resolve(before[-1]) if before else ""

    def salient(self, before: int) -> str:
        return self._salient(before)

    def _salient(self, before: int) -> str:
        """The named target mentioned most often before ``before`` (ties: the latest)."""
        counts: dict[str, tuple[int, int]] = {}
        for m in self.mentions:
            if m.kind != NAMED or m.start >= before:
                continue
            if m.target in self.not_referents:
                continue
            n, _ = counts.get(m.target, (0, 0))
            counts[m.target] = (n + 1, m.start)
        if not counts:
            return self.default
        return max(counts.items(), key=lambda item: item[1])[0]

    def pick(self, start: int, end: int, cue_end: int) -> str:
        """The target of a cue: the first mention after it in the clause, else the last before it."""
        after = self.within(cue_end, end)
        if after:
            return self.resolve(after[0])
        before = self.within(start, cue_end)
        return self.resolve(before[-1]) if before else ""


class StanceFinder:
    def __init__(self, lexicon: StanceLexicon, actors: ActorIndex, shapes: StanceShapes) -> None:
        self.lex = lexicon
        self.actors = actors
        self.shapes = shapes

    def __call__(self, doc: Doc) -> Doc:
        text = doc.text  # rebuilt from the tokens on every read: read it once
        targets = Targets(self.lex, text, reference_date(doc))
        seen: set[tuple[str, str, str]] = set()
        self._last: tuple[int, str, str] | None = None  # the last verb cue: where, its stance, its target
        for sent in doc.sents:
            for stance in self._in_sentence(sent, targets, text):
                key = (stance.actor, stance.target, stance.stance)
                if key not in seen:  # one position per actor, target and stance in a document
                    seen.add(key)
                    add_fact(doc, "stances", stance, label=stance.stance)
        return doc

    def _in_sentence(self, sent: Span, targets: Targets, text: str) -> list[Stance]:
        found: list[tuple[str, str, str]] = []
        start, end = sent.start_char, sent.end_char
        sent_text = text[start:end]  # Span.text is rebuilt from the tokens on every read
        while end > start and text[end - 1].isspace():
            end -= 1
        undecided: set[str] = set()

        def emit(actors: list[str], value: str, target: str) -> None:
            if not target:
                return
            for actor in actors:
                if not actor:
                    continue
                if actor in undecided:
                    continue  # "has not decided whether to sign" is not opposition to signing
                if value == "undecided":
                    undecided.add(actor)
                found.append((actor, target, value))

        def target_after(char: int) -> str:
            """The target after the cue, else a pronoun's, else (a strong cue) the paragraph's."""
            target = targets.pick(start, end, char)
            if not target:
                pronouns = targets.within(start, end, (PRONOUN,))
                target = targets.resolve(pronouns[0]) if pronouns else ""
            return target or targets.in_paragraph(start)

        for pattern in self.lex.undecided:
            match = pattern.search(sent_text)
            if match:
                verb = _token_at(sent, start + match.start())
                if verb is not None and not self._real(verb):
                    continue
                while verb is not None and verb.dep_ in ("aux", "auxpass", "neg") and verb.head.i != verb.i:
                    verb = verb.head
                target = target_after(start + match.end())
                if verb is not None:
                    emit(self._holders(self._actors_of_clause(verb), sent, start + match.start()), "undecided", target)
        for pattern, value in self.lex.phrases:
            match = pattern.search(sent_text)
            if not match:
                continue
            target = target_after(start + match.end())
            if not target:
                continue
            token = _token_at(sent, start + match.start())
            if token is not None and not self._real(token):
                continue
            head = _clause_head(token) if token is not None else None
            subject = next((c for c in head.children if c.dep_ in _SUBJECTS), None) if head is not None else None
            subject_mentions = targets.within(subject.left_edge.idx, _end(subject)) if subject is not None else []
            about_plan = bool(subject_mentions)
            if about_plan and subject_mentions[0].kind != TOPIC:
                target = targets.resolve(subject_mentions[0])  # "the plan could serve as a basis for talks"
            # "the European text was unacceptable": the subject is the plan, the holder is whoever says so
            actors = self._actors_of_clause(head) if head is not None and not about_plan else []
            if not actors:
                speaker = _speaker_around(sent, start + match.start())
                actors = [speaker] if speaker else []
            else:
                actors = self._holders(actors, sent, start + match.start())
            emit(actors, value, target)
        for judged in self.shapes.judgements(sent, text):
            # "Kallas called the draft a capitulation", "the text is not acceptable", "the one-sided plan"
            lo, hi = judged.said_of.left_edge.idx, _end(judged.said_of)
            mentions = targets.within(lo, hi) or [m for m in targets.within(lo, hi, (PRONOUN,)) if m.start == lo]
            mentions.sort(key=lambda m: m.kind == TOPIC)  # "the guarantees in the 20-point framework": the plan
            if not mentions or text[mentions[0].start : mentions[0].end].lower() in _MEETINGS:
                continue  # "called the talks constructive" judges the meeting, not a plan
            value = _FLIP[judged.value] if judged.negated else judged.value
            if judged.judge is not None:
                actors = self._holders(self._actors_of_clause(judged.judge), sent, judged.start)
            else:
                speaker = _speaker_around(sent, judged.start)
                actors = [speaker] if speaker else []
            emit(actors, value, targets.resolve(mentions[0]))
        for token in sent:
            lemma = token.lemma_.lower()
            phrasal = self.shapes.phrasal_value(token) if token.pos_ in ("VERB", "AUX") else None
            if token.pos_ in ("VERB", "AUX") and (lemma in self.lex.verbs or phrasal is not None):
                if _asked_to(token) or not self._real(token) or self._inner_cue(token):
                    continue  # "had not been asked to co-sign the document", "if Moscow rejects it"
                target, kind = self._object_target(token, targets)
                subject = next((c for c in token.children if c.dep_ == "nsubj"), None)
                subject_mentions = targets.within(subject.left_edge.idx, _end(subject)) if subject is not None else []
                if not target and subject_mentions:  # "some of the proposals suited Moscow"
                    target, kind = targets.resolve(subject_mentions[0]), subject_mentions[0].kind
                if not target or (kind in (TOPIC, TALKS) and lemma in self.lex.plan_only_verbs):
                    continue
                value = phrasal or self.lex.verbs[lemma]  # "backed away from" is not "backed"
                self._last = (token.idx, value, target)
                if _negated(token) and lemma in self.shapes.unflippable:
                    continue  # "I can't confirm that"
                if _negated(token):
                    value = _FLIP[value]
                agents = [p for c in token.children if c.dep_ == "agent" for p in c.children if p.dep_ == "pobj"]
                if agents:  # "the draft was rejected by parliament"
                    actors = self._actor_list(agents[0])
                elif any(c.dep_ == "nsubjpass" for c in token.children):
                    continue
                elif any(c.dep_ == "aux" and c.lower_ in _WISH for c in token.children):
                    # "Trump said Zelensky should accept the deal": the speaker's position, not Zelensky's
                    speaker = _speaker_around(sent, token.idx)
                    actors = [speaker] if speaker else []
                elif token.dep_ == "pcomp" and token.head.head.pos_ == "VERB":
                    # "accused Europe of sabotaging the talks": the accused holds the position
                    accused = [c for c in token.head.head.children if c.dep_ == "dobj"]
                    actors = self._actor_list(accused[0]) if accused else []
                elif subject_mentions:
                    # "some proposals suited Moscow": the plan is the subject, the holder is whoever says so
                    speaker = _speaker_around(sent, token.idx)
                    actors = [speaker] if speaker else []
                else:
                    actors = self._holders(self._actors_of_clause(token), sent, token.idx)
                emit(actors, value, target)
                emit(self._backers(token), value, target)
            elif lemma == "do" and self._last is not None and _elliptical(token):
                # "Who wants it? Trump plainly does. The Europeans plainly do not."
                at, value, target = self._last
                if text.rfind("\n\n", 0, token.idx) < at:
                    subject = next(c for c in token.children if c.dep_ == "nsubj")
                    emit(self._actor_list(subject), _FLIP[value] if _negated(token) else value, target)
            elif token.pos_ in ("NOUN", "PROPN") and _noun_key(token) in self.lex.nouns:
                if token.dep_ == "pobj" and token.head.lower_ == "with":
                    continue  # "with the support of X" is read with its verb
                target = self._noun_target(token, targets)
                if not target and token.dep_ == "dobj":  # "the plan drew criticism from Moscow", "won the backing of"
                    subject = next((c for c in token.head.children if c.dep_ == "nsubj"), None)
                    mentions = targets.within(subject.left_edge.idx, _end(subject)) if subject is not None else []
                    target = targets.resolve(mentions[0]) if mentions else ""
                if not target:
                    continue
                value = self.lex.nouns[_noun_key(token)]
                if value == "undecided" and lemma == "decision" and "whether" not in sent_text.lower():
                    continue
                actors = self._actors_of_noun(token)
                carried = self.shapes.carrier(token) if not actors else None
                if carried is not None:  # "Warsaw voiced support for …", "withdrew its backing for …"
                    verb, reverses = carried
                    if reverses != _negated(verb):
                        value = _FLIP[value]
                    actors = self._holders(self._actors_of_clause(verb), sent, token.idx)
                emit(actors, value, target)
        return [Stance(start=start, end=end, actor=a, target=t, stance=v) for a, t, v in _settle(found)]

    def _object_target(self, cue: Token, targets: Targets, depth: int = 0) -> tuple[str, str]:
        """The target in the cue's object, complement or 'to/with/on' phrase, and the kind of its mention."""
        if depth < 2:  # "agreed to hold elections": the object of the complement clause
            for child in cue.children:
                if child.dep_ in ("xcomp", "ccomp") and child.pos_ in ("VERB", "AUX"):
                    found = self._object_target(child, targets, depth + 1)
                    if found[0]:
                        return found
        has_object = any(child.dep_ == "dobj" for child in cue.children)
        spans = [
            (child.left_edge.idx, _end(child))
            for child in cue.children
            if child.dep_ in ("dobj", "pobj", "attr", "nsubjpass", "dative", "oprd")
            or (
                child.dep_ == "prep"
                and child.lower_ in _OBJECT_PREPS
                # "criticised Hungary for blocking the loan": the loan is what Hungary did, not the target
                and not (has_object and any(c.dep_ == "pcomp" for c in child.children))
            )
        ]
        for lo, hi in sorted(spans):
            mentions = targets.within(lo, hi)
            if mentions:
                return targets.resolve(mentions[0]), mentions[0].kind
        for lo, hi in sorted(spans):
            pronouns = targets.within(lo, hi, (PRONOUN,))
            if pronouns and pronouns[0].start == lo:
                return targets.resolve(pronouns[0]), PRONOUN
        window = []  # a misparsed object: the words right after the cue, up to a comma
        for word in cue.doc[cue.i + 1 : cue.i + 5]:
            if word.is_punct or word.sent != cue.sent:
                break
            window.append(word)
        if window:
            mentions = targets.within(window[0].idx, window[-1].idx + len(window[-1]))
            if mentions:
                return targets.resolve(mentions[0]), mentions[0].kind
        objects = [c for c in cue.children if c.dep_ == "dobj"]
        lemma = cue.lemma_.lower()
        if objects and (
            lemma in self.lex.any_object_verbs
            or (lemma in self.lex.indefinite_object_verbs and objects[0].lower_ in _INDEFINITE)
        ):
            return targets.salient(cue.idx), GENERIC  # "would not sign anything", "would accept anything …"
        if cue.dep_ in ("compound", "amod"):
            mentions = targets.within(cue.head.idx, cue.head.idx + len(cue.head))
            if mentions:
                return targets.resolve(mentions[0]), mentions[0].kind
        return "", ""

    def _noun_target(self, noun: Token, targets: Targets) -> str:
        """'rejection of the plan', or 'hostility to the plan' hung on the verb instead."""
        spans = [(c.left_edge.idx, _end(c)) for c in noun.children if c.dep_ in ("prep", "compound")]
        spans += [
            (s.left_edge.idx, _end(s))
            for s in noun.head.children
            if s.i > noun.i and s.dep_ == "prep" and s.lower_ in ("to", "towards", "toward", "of", "for")
        ]
        for lo, hi in sorted(spans):
            mentions = [m for m in targets.within(lo, hi) if m.kind != TOPIC or noun.lower_ != "support"]
            if mentions:
                return targets.resolve(mentions[0])
        if noun.dep_ in ("compound", "amod"):
            mentions = targets.within(noun.head.idx, noun.head.idx + len(noun.head))
            return targets.resolve(mentions[0]) if mentions else ""
        return ""

    def _inner_cue(self, token: Token) -> bool:
        """'refuses to sign': the complement of another stance verb is read with that verb."""
        return token.dep_ == "xcomp" and token.head.lemma_.lower() in self.lex.verbs

    def _real(self, token: Token) -> bool:
        """Not a hypothetical ('if Moscow rejects it', 'whether Kyiv had accepted') nor a denied report."""
        node = token
        for _ in range(8):
            if any(c.dep_ == "mark" and c.lower_ in _HYPOTHETICAL for c in node.children):
                return False
            if node.head.i == node.i:
                break
            node = node.head
        attributions = [a for a in facts_of(token.doc).get("attributions", []) if isinstance(a, Attribution)]
        inner = [a for a in attributions if a.start <= token.idx < a.end]
        return not inner or min(inner, key=lambda a: a.end - a.start).certainty not in ("denied", "questioned")

    def _holders(self, actors: list[str], sent: Span, char: int) -> list[str]:
        """Pronoun subjects are the reporting speaker; a head of government speaking for the country holds it."""
        speaker = _speaker_around(sent, char)
        out = []
        for actor in actors:
            if actor.lower() in _PERSONAL:
                if actor.lower() in _FIRST_PERSON and speaker in (None, AUTHOR):
                    actor = AUTHOR  # "I support that": the writer's own stance (the pipeline names the writer)
                else:
                    actor = speaker if speaker and speaker != AUTHOR else ""
            elif actor.lower() in _OWN_COUNTRY:
                actor = self._country_of(speaker) if speaker else ""
            if actor and speaker and self._speaks_for(speaker, actor):
                actor = speaker
            out.append(actor)
        return out

    def _country_of(self, person: str) -> str:
        """'his country' said by a known person: the country actor with that person's country code."""
        known = self.actors.actors.get(person)
        if known is None or not known.country:
            return ""
        return next(
            (a.name for a in self.actors.actors.values() if a.type == "country" and a.country == known.country), ""
        )

    def _speaks_for(self, speaker: str, actor: str) -> bool:
        person = self.actors.actors.get(speaker)
        country = self.actors.actors.get(actor)
        if person is None or country is None or person.type != "person" or country.type != "country":
            return False
        return person.country == country.country and person.role.startswith(self.lex.head_roles)

    def _backers(self, verb: Token) -> list[str]:
        """'block the settlement with the support of European capitals' → European capitals too."""
        out: list[str] = []
        for prep in verb.subtree:
            if prep.dep_ != "prep" or prep.lower_ != "with":
                continue
            for noun in prep.children:
                if noun.dep_ == "pobj" and noun.lemma_.lower() in self.lex.backers:
                    for of in noun.children:
                        if of.dep_ == "prep" and of.lower_ in ("of", "from"):
                            for pobj in of.children:
                                if pobj.dep_ == "pobj":
                                    out.extend(self._actor_list(pobj))
        return out

    def _actors_of_clause(self, verb: Token) -> list[str]:
        node: Token | None = verb
        for _ in range(4):
            if node is None:
                break
            subject = next((c for c in node.children if c.dep_ in _SUBJECTS), None)
            if subject is not None:
                if subject.lower_ in ("who", "which", "that") and node.dep_ == "relcl":
                    return [self._actor(node.head)]
                if subject.lower_ in _PERSONAL:
                    # "Moscow signalled it could work with …": with no speaker, the clause above holds it
                    above = next((c for c in node.head.children if c.dep_ == "nsubj"), None)
                    climb = node.dep_ == "ccomp" and above is not None and above.lower_ not in _PERSONAL
                    if climb and above is not None and _speaker_around(node.sent, node.idx) is None:
                        return self._actor_list(above)
                    return [subject.lower_]
                own = f"{subject.left_edge.lower_} {subject.lower_}"
                if own in _OWN_COUNTRY:
                    return [own]
                return self._actor_list(subject)
            node = node.head if node.dep_ in ("xcomp", "conj", "advcl", "ccomp", "acl") else None
        return []

    def _actors_of_noun(self, noun: Token) -> list[str]:
        preps = list(noun.children)
        if noun.dep_ == "dobj":  # "drew criticism from Moscow": the parser hangs "from" on the verb
            preps += [c for c in noun.head.children if c.i > noun.i and c.lower_ == "from"]
        for child in preps:
            if child.dep_ == "prep" and child.lower_ in ("from", "by", "of", "among"):
                pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
                if pobj is not None and not self.lex.generic.search(pobj.text):
                    return self._actor_list(pobj)
        mods = [c for c in noun.children if c.dep_ in ("compound", "amod", "poss", "nmod", "npadvmod")]
        actors: list[str] = []
        for mod in mods:
            actors.extend(self._actor_list(mod))
        return [a for a in actors if a]

    def _actor_list(self, node: Token) -> list[str]:
        """An actor and its coordinated partners: 'Ukrainian and European' → two actors; 'Britain, France
        and Germany' → European leaders (``groups`` in the lexicon)."""
        nodes = [node]
        while nodes[-1] is not None and len(nodes) < 12:
            nxt = next((c for c in nodes[-1].children if c.dep_ == "conj"), None)
            if nxt is None:
                break
            nodes.append(nxt)
        nodes += [c for c in node.children if c.dep_ == "conj" and c not in nodes]
        actors = [a for a in (self._actor(n) for n in nodes) if a]
        for group, members in self.lex.groups.items():
            if len(actors) >= self.lex.group_size and all(a in members for a in actors):
                return [group]
        return actors

    def _actor(self, node: Token) -> str:
        demonym = self.actors.demonym(node.text)
        if demonym:
            return demonym
        owner = self.shapes.represented(node)  # "Europe's leaders", "the Ukrainian side"
        if owner is not None and owner.i != node.i:
            owned = self._actor(owner)
            if owned:
                return owned
        doc = node.doc
        words = [t for t in doc[node.left_edge.i : node.i + 1] if t.dep_ not in ("det", "punct", "cc")]
        phrase = " ".join(t.text for t in words)
        metonym = self.shapes.metonym(phrase)  # "Warsaw balked at …": the capital stands for its government
        if metonym:
            return self.actors.canonical(metonym)
        known = self.actors.lookup(phrase)
        if known:
            return known.name
        ents = sorted(
            (e for e in entities(doc) if e.start <= node.i < e.end or node.left_edge.i <= e.start <= node.i),
            key=lambda e: (not (e.start <= node.i < e.end), e.label_ != "PERSON"),
        )
        for ent in ents:
            if ent.label_ in ("PERSON", "ORG", "GPE", "NORP"):
                name = re.sub(r"^the\s+", "", ent.text, flags=re.IGNORECASE)  # "The European Council"
                return self.actors.demonym(name) or self.actors.canonical(name)
        actor = self.actors.lookup(node.text)
        if actor:
            return actor.name
        if node.pos_ == "PROPN" or node.ent_type_ in ("PERSON", "ORG", "GPE", "NORP"):
            return self.actors.canonical(phrase)
        return ""


def _settle(found: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    """One stance per actor and target in a sentence; support and opposition together are undecided."""
    values: dict[tuple[str, str], set[str]] = {}
    order: list[tuple[str, str]] = []
    for actor, target, value in found:
        key = (actor, target)
        if key not in values:
            values[key] = set()
            order.append(key)
        values[key].add(value)
    out = []
    for key in order:
        vs = values[key]
        value = "undecided" if "undecided" in vs or {"support", "oppose"} <= vs else next(iter(vs))
        out.append((key[0], key[1], value))
    return out


def _elliptical(token: Token) -> bool:
    """A bare 'does' / 'do not' standing for the verb before it."""
    if token.dep_ not in ("ROOT", "conj") or not any(c.dep_ == "nsubj" for c in token.children):
        return False
    return not any(c.dep_ in ("dobj", "xcomp", "ccomp", "acomp", "attr", "oprd", "prep") for c in token.children)


def _end(token: Token) -> int:
    last = token.right_edge
    return last.idx + len(last)


def _asked_to(token: Token) -> bool:
    head = token.head
    return token.dep_ == "xcomp" and any(c.dep_ == "nsubjpass" for c in head.children)


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
    default_config={"lexicon_path": None, "actors_paths": [], "shapes_path": None},
)
def make_stances(
    nlp: Language, name: str, lexicon_path: str | None, actors_paths: list[str], shapes_path: str | None
) -> StanceFinder:
    return StanceFinder(
        StanceLexicon.from_data(load_data(lexicon_path, "stances.json")),
        ActorIndex.load(actors_paths),
        StanceShapes.from_data(load_data(shapes_path, "stance_shapes.json")),
    )
