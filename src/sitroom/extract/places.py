"""Places: mentions resolved through the gazetteer, each with a control status and who holds it.

Mentions: spaCy's GPE/LOC/FAC entities; ORG/PERSON/NORP/... misfires the gazetteer knows exactly as a
Ukrainian or Russian place ("Lyman", "Kherson", "Crimea"); capitalised words outside entities that match
a variant exactly ("Anchorage"). Demonyms, months and people's names are not places.

Status (cues are data, ``control.json``): with a dependency parse, walk up from the place to the cue
that governs it, so a cue covers its own clause and coordination list: "has taken control of Pokrovsk,
Kupyansk" (captured), "fighting is taking place in Siversk" (contested), "advances towards Dnipro"
(threatened). Without a parse (``spacy.blank``), the nearest cue before the place in its clause. ``by``:
the cue's subject, passive agent or "fell to" object, else the nearest subject up the sentence, else
(the status not being "mentioned") the other side of the war from the place's country ("Ukraine lost X",
too, names the loser).
Negated or denied cues ("has not taken", "denied that ... captured", "refrain from advancing") keep
what the rest of the sentence supports (fighting: contested; attacks: threatened), else "mentioned";
"failed to capture" gives contested; "plans to / could capture", "takes X this winter", "if X is lost"
give threatened; strikes and attacks threaten; a capture of part of a place ("the centre of X", "70% of
X", "mostly taken") or clearing in progress is contested. Note lines headed by a place and a place's
second name: see :mod:`sitroom.extract.control`. Countries are always "mentioned" (they are actors far
more often than targets).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from ..model import Place
from .base import add_fact, entities
from .control import ControlLexicon, line_head_status, renamed
from .gazetteer import Gazetteer, GazMatch
from .lexicon import load_data

KIND = "places"
CONTROL_FILE = "control.json"
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
MISFIRE_LABELS = frozenset({"ORG", "PERSON", "NORP", "PRODUCT", "WORK_OF_ART", "EVENT", "LAW"})
REGION_WORDS = frozenset({"oblast", "region", "province", "krai"})
MISFIRE_MIN_POPULATION = 2000  # a mis-tagged name must be a real town in the focus countries
FALLBACK_MIN_POPULATION = 1000  # capitalised words outside entities, focus countries
FALLBACK_ANY_MIN_POPULATION = 100_000  # ... anywhere else
_VERBAL = frozenset({"VERB", "AUX"})
_NOMINAL = frozenset({"NOUN", "PROPN", "PRON", "NUM"})
_TRANSPARENT = frozenset({"conj", "appos", "cc", "punct", "preconj", "npadvmod", "nmod", "det"})


@dataclass(slots=True)
class _Mention:
    span: Span
    label: str
    match: GazMatch | None


class PlaceExtractor:
    """The ``sitroom_places`` component. Give it a :class:`Gazetteer` (or set ``.gazetteer`` before the
    first document; otherwise one is built on first use) and optionally a control lexicon."""

    def __init__(
        self,
        gazetteer: Gazetteer | None = None,
        control: Mapping[str, Any] | None = None,
        *,
        control_path: str | None = None,
        name: str = "sitroom_places",
    ) -> None:
        self.name = name
        self.gazetteer = gazetteer
        self.lex = ControlLexicon(control if control is not None else load_data(control_path, CONTROL_FILE))
        self._partial = self._near = False  # set by _walk for the place being judged

    def __call__(self, doc: Doc) -> Doc:
        if self.gazetteer is None:
            self.gazetteer = Gazetteer.build()
        parsed = doc.has_annotation("DEP")
        mentions = [m for m in self._mentions(doc, self.gazetteer) if not _country_as_modifier(m)]
        text = doc.text
        last_by: tuple[int, str] | None = None  # (paragraph start, actor) of the last control claim
        judged: list[tuple[_Mention, str, str | None]] = []
        spans = [x.span for x in mentions]
        for m in mentions:
            status, by = self._status(doc, m, mentions, parsed)
            country = m.match is not None and m.match.entry.feature == "country"
            if status == "mentioned" and not country and (line := line_head_status(self.lex, doc, m.span, spans)):
                status, by = line  # "- Lyman: pressure from the north-east"
            if status == "mentioned" and (same := renamed(judged, m.span, _name(m))):
                status, by = same  # "Dimitrov, which Ukrainians call Myrnohrad"
            paragraph = text.rfind("\n\n", 0, m.span.start_char)
            if status != "mentioned" and by is None and last_by is not None and last_by[0] == paragraph:
                by = last_by[1]  # "... took Pokrovsk; Myrnohrad is encircled": the same side, same paragraph
            if by is not None:
                last_by = (paragraph, by)
            if status != "mentioned" and by is None and m.match is not None:
                by = self.lex.default_attacker.get(m.match.entry.country or "")  # the other side of the war
            judged.append((m, status, by))
            add_fact(doc, KIND, self._fact(m, status, by), label=status)
        return doc

    # ------------------------------------------------------------------ mentions
    def _mentions(self, doc: Doc, gaz: Gazetteer) -> list[_Mention]:
        found = list(self._entity_mentions(doc, gaz, gaz.focus))
        taken = {i for span in (*entities(doc), *(m.span for m in found)) for i in range(span.start, span.end)}
        found += self._token_mentions(doc, gaz, taken)
        countries = Counter(m.match.entry.country for m in found if m.match and m.match.entry.country)
        context = tuple(c for c, _ in countries.most_common(3)) + tuple(c for c in gaz.focus if c in countries)
        if context:  # second pass: the document's own countries decide ambiguous names ("Lyman")
            for m in found:
                if m.match and m.match.method != "alias":
                    m.match = gaz.resolve(m.span.text, context, fuzzy=m.match.method == "fuzzy") or m.match
        return sorted(found, key=lambda m: m.span.start_char)

    def _entity_mentions(self, doc: Doc, gaz: Gazetteer, context: tuple[str, ...]) -> Iterator[_Mention]:
        for ent in entities(doc):
            span = self._trim(ent)
            if span is None or span.text.lower() in self.lex.demonyms:
                continue
            span, match = self._extend(span, gaz, context, fuzzy=ent.label_ in ("GPE", "LOC"))
            if ent.label_ in PLACE_LABELS:
                if match is not None or (
                    ent.label_ != "FAC"
                    and not gaz.is_stop(span.text)
                    and not all(t.tag_.startswith("JJ") for t in span)
                ):
                    yield _Mention(span, ent.label_, match)
            elif ent.label_ in MISFIRE_LABELS and match is not None and match.method != "fuzzy":
                e = match.entry
                if match.curated or (e.country in gaz.focus and e.population >= MISFIRE_MIN_POPULATION):
                    yield _Mention(span, ent.label_, match)

    def _token_mentions(self, doc: Doc, gaz: Gazetteer, taken: set[int]) -> Iterator[_Mention]:
        """Capitalised words outside entities that the gazetteer knows exactly ("Anchorage")."""
        tagged = doc.has_annotation("TAG")
        i = 0
        while i < len(doc):
            token = doc[i]
            if i in taken or not (token.is_title or token.is_upper):
                i += 1  # only a capitalised token can start a name: skip the slicing below
                continue
            for n in (3, 2, 1):
                span = doc[i : i + n]
                if len(span) < n or any(t.i in taken for t in span) or not self._candidate(span, tagged):
                    continue
                span, match = self._extend(span, gaz, gaz.focus, fuzzy=False)
                if match is not None and self._plausible(match, gaz):
                    yield _Mention(span, "", match)
                    i += len(span) - 1
                    break
            i += 1

    def _candidate(self, span: Span, tagged: bool) -> bool:
        first, last = span[0], span[-1]
        if not (first.is_title or first.is_upper) or not (last.is_title or last.is_upper) or not last.is_alpha:
            return False
        if len(span) == 1 and (first.is_stop or first.lower_ in self.lex.demonyms or len(first) < 3):
            return False
        return not tagged or all(t.tag_ in ("NNP", "NNPS", "HYPH") for t in span)

    @staticmethod
    def _plausible(match: GazMatch, gaz: Gazetteer) -> bool:
        e = match.entry
        floor = FALLBACK_MIN_POPULATION if e.country in gaz.focus else FALLBACK_ANY_MIN_POPULATION
        return match.curated or e.population >= floor

    @staticmethod
    def _trim(span: Span) -> Span | None:
        """Drop a leading "the" and a trailing possessive or punctuation."""
        start, end = span.start, span.end
        while start < end and span.doc[start].lower_ in ("the", "a", "an"):
            start += 1
        while end > start and (span.doc[end - 1].lower_ in ("'s", "’s", "'", "’") or span.doc[end - 1].is_punct):
            end -= 1
        return span.doc[start:end] if end > start else None

    def _extend(
        self, span: Span, gaz: Gazetteer, context: tuple[str, ...], *, fuzzy: bool
    ) -> tuple[Span, GazMatch | None]:
        """Resolve a span, taking a following "-Vuzlovyi" or "oblast" along when that names a place."""
        doc = span.doc
        if span.end + 1 < len(doc) and doc[span.end].text in "-‐‑" and doc[span.end + 1].is_title:
            longer = doc[span.start : span.end + 2]
            if gaz.resolve(longer.text, context, fuzzy=False) is not None:
                span = longer
        if span.end < len(doc) and doc[span.end].lower_ in REGION_WORDS:
            longer = doc[span.start : span.end + 1]
            match = gaz.resolve(longer.text, context, fuzzy=False)
            if match is not None and match.entry.feature == "region":
                return longer, match
        return span, gaz.resolve(span.text, context, fuzzy=fuzzy)

    @staticmethod
    def _fact(m: _Mention, status: str, by: str | None) -> Place:
        span, e = m.span, (m.match.entry if m.match else None)
        where: dict[str, Any] = {"name": span.text, "lat": None, "lon": None, "country": None, "admin1": None}
        where["feature"] = "region" if m.label == "LOC" else "city"
        if e is not None:
            where = {"name": e.name, "lat": e.lat, "lon": e.lon, "country": e.country, "admin1": e.admin1,
                     "geonameid": e.geonameid, "feature": e.feature}  # fmt: skip
        return Place(span.start_char, span.end_char, mention=span.text, status=status, by=by, **where)

    # ------------------------------------------------------------------ status
    def _status(self, doc: Doc, m: _Mention, mentions: list[_Mention], parsed: bool) -> tuple[str, str | None]:
        if m.match is not None and m.match.entry.feature == "country":
            return "mentioned", None
        hit: tuple[Token, str] | None = None
        if not parsed:
            found = self._surface_cue(doc, m, mentions)
        elif hit := self._walk(m.span.root):  # with a dependency parse
            found = self._adjust(*hit), self._actor(hit[0])
            if found[0] == "mentioned" and hit[1] == "captured" and (rest := self._after_negated_capture(hit[0])):
                found = rest, found[1] or self._actor(hit[0])  # "has not taken X; fighting goes on in the centre"
        else:
            found = None
        if found is None or found[0] == "mentioned":
            return "mentioned", None
        owner = self.lex.owner_of.get(m.match.entry.country or "") if m.match is not None else None
        holds = hit is not None and self.lex.lemma(hit[0]) in self.lex.owner_holds
        if owner is not None and found[1] == owner and holds:
            return "mentioned", None  # "the part of Donetsk region that Ukraine still controls"
        if owner is not None and found[1] == owner and hit is not None and self.lex.lemma(hit[0]) in self.lex.losses:
            return found[0], None  # "Ukraine lost Pokrovsk": the other side took it
        return found

    def _walk(self, tok: Token) -> tuple[Token, str] | None:
        """From a place's token up the parse to the cue that governs it. A capture of a part of the place
        ("the centre of X") is contested; a cue on something near it ("plants around X") threatens it."""
        self._partial = self._near = False
        hit = self._walk_up(tok)
        if hit is None or hit[1] == "mentioned":
            return hit
        if self._near:
            return (hit[0], "threatened") if hit[1] != "captured" else None
        if self._partial and hit[1] == "captured":
            return hit[0], "contested"
        return hit

    def _walk_up(self, tok: Token) -> tuple[Token, str] | None:
        lex = self.lex
        if hit := self._modifier(tok):
            return hit
        for rel in (c for c in tok.children if c.dep_ in ("relcl", "acl")):  # "Kupiansk, which Russia took"
            if (status := lex.cue(rel)) and any(
                c.dep_ in ("dobj", "nsubjpass") and c.tag_ == "WDT" for c in rel.children
            ):
                return rel, status
        node, prep = tok, ""
        for _ in range(12):
            head, dep = node.head, node.dep_
            if head.i == node.i:
                return None
            if node.i == tok.i and dep in ("advmod", "npadvmod"):
                dep = "dobj"  # a place mis-tagged as an adverb: "stormed Bakhmut"
            if dep == "advmod" and prep and node.pos_ == "ADV":
                dep = "prep"  # "pushed back towards Druzhkivka"
            if dep == "conj" and (verb_obj := self._misattached_conj(head)) is not None:
                node = verb_obj  # "liberated X in the Donetsk region and Y in the Kharkiv region"
                continue
            if dep in ("nsubj", "nsubjpass", "csubj"):
                return self._subject_cue(head, dep == "nsubjpass")
            if dep == "pobj":
                prep, node = head.lower_, head
                continue
            status = lex.cue(head)
            if status and self._governs(head, dep, prep, status):
                return head, status
            if dep in _TRANSPARENT or head.pos_ in ("X", "PUNCT", "SYM"):
                node = head
                continue
            if head.pos_ in _NOMINAL:
                if lex.lemma(head) in lex.part_nouns and dep == "prep" and prep == "of":
                    self._partial = True  # "the north of Pokrovsk"
                    node, prep = head, ""
                    continue
                if lex.lemma(head) in lex.containers and (dep != "prep" or prep == "of"):
                    if hit := self._modifier(head):  # "the Russian-occupied city of Melitopol"
                        return hit
                    node, prep = head, ""
                    continue
                if dep == "prep" and prep in lex.locative and not self._near:
                    self._near = True  # "power plants around Kiev"
                    node, prep = head, ""
                    continue
                return None  # "residents of Pokrovsk": the place qualifies some other noun
            if head.pos_ in _VERBAL:  # a plain verb: "fighting is taking place in X", "advances being made"
                opened = (  # "opened the way to Kramatorsk"
                    c
                    for c in head.children
                    if c.dep_ == "dobj" and lex.lemma(head) in lex.noun_needs_verb.get(lex.lemma(c), ())
                )
                for noun in (
                    *(c for c in head.children if c.dep_ in ("nsubj", "nsubjpass")),
                    *((head.head,) if head.dep_ in ("acl", "relcl") else ()),
                    *opened,
                ):
                    status = lex.cue(noun)
                    if status and noun.pos_ != "PROPN" and (not prep or prep in lex.preps[status]):
                        return noun, status
                return None
            node = head
        return None

    @staticmethod
    def _misattached_conj(head: Token) -> Token | None:
        """The verb's place object when a conjunct place hangs off the object's "in ..." phrase."""
        prep = head.head
        if head.dep_ != "pobj" or prep.dep_ != "prep" or prep.head.pos_ not in _VERBAL:
            return None
        return next((c for c in prep.head.children if c.dep_ == "dobj" and c.pos_ == "PROPN" and c.i < head.i), None)

    def _modifier(self, tok: Token) -> tuple[Token, str] | None:
        """A cue adjective on the place or its container noun: "besieged Pokrovsk", "occupied city"."""
        for child in tok.children:
            if child.dep_ in ("amod", "compound") and (status := self.lex.adjectives.get(child.lower_)):
                return child, status
        return None

    def _governs(self, head: Token, dep: str, prep: str, status: str) -> bool:
        lex = self.lex
        lem = lex.lemma(head)
        if head.pos_ in _VERBAL:
            if any(c.dep_ == "dobj" and c.lower_ in lex.light.get(lem, ()) for c in head.children):
                return False  # "take place", "take part"
            if lem in lex.weapon_verbs and not self._weapon_object(head):
                return False  # "launched a campaign in Kyiv" (but "launched drones at Odesa")
            return dep in ("dobj", "obj", "attr", "oprd", "dative") or (
                dep == "prep" and prep in lex.preps[status] and prep not in ("of",)
            )
        if lem in lex.noun_needs_verb and not any(
            lex.lemma(a) in lex.noun_needs_verb[lem] for a in list(head.ancestors)[:2]
        ):
            return False  # "control of" needs "take/gain/have ..."
        return dep in ("compound", "poss", "nmod") or (dep == "prep" and prep in lex.preps[status])

    def _weapon_object(self, verb: Token) -> bool:
        return any(c.dep_ == "dobj" and self.lex.lemma(c) in self.lex.weapons for c in verb.children)

    def _subject_cue(self, verb: Token, passive: bool) -> tuple[Token, str] | None:
        """The place is a subject: "X was captured", "X fell to", "X is under Russian control"."""
        lex = self.lex
        if verb.dep_ in ("aux", "auxpass") and verb.head.i != verb.i:
            verb = verb.head  # a misparse: "X is" + "gone" as the root
        lem = lex.lemma(verb)
        if passive and (status := lex.verbs.get(lem)):
            return verb, status
        if status := lex.subject_verbs.get(lem) or lex.predicate_adjectives.get(verb.lower_):
            return verb, status  # "X fell", "X is gone" (parsed as a verb)
        for child in verb.children:
            if child.dep_ in ("acomp", "attr", "oprd") and (
                status := lex.adjectives.get(child.lower_) or lex.predicate_adjectives.get(child.lower_)
            ):
                return child, status  # "X is encircled", "X is basically gone", "X is next"
            if child.dep_ == "prep" and child.lower_ in ("in", "within"):
                for obj in child.children:
                    if obj.dep_ == "pobj" and (status := lex.in_range.get(lex.lemma(obj))):
                        return obj, status  # "X is now in artillery range"
            if child.dep_ == "prep" and child.lower_ == "under":
                for obj in child.children:
                    if obj.dep_ == "pobj" and (status := lex.under.get(lex.lemma(obj))):
                        return obj, status
        return None

    def _adjust(self, cue: Token, status: str) -> str:
        """Negation, denial, attempts, intents and modals around the cue."""
        lex = self.lex
        gov = cue
        while gov.pos_ not in _VERBAL and gov.head.i != gov.i:
            if any(c.lower_ in lex.negations for c in gov.children if c.dep_ in ("neg", "det")):
                return "mentioned"  # "no fighting in X"
            gov = gov.head
        if any(c.dep_ == "neg" or (c.lower_ in lex.negations and c.dep_ == "advmod") for c in gov.children):
            return "mentioned"
        if (
            lex.lemma(gov) in lex.attempts
            and gov.tag_ == "VBD"
            and any(c.dep_ == "nsubj" and c.lower_ in lex.recall_subjects for c in gov.children)
        ):
            return "mentioned"  # "I also expected a push on X": a recalled expectation
        if gov.i != cue.i and lex.attempts.get(lex.lemma(gov)) == "threatened":
            status = "threatened"  # "we expect an assault on X": a forecast attack
        if any(c.dep_ == "aux" and c.lower_ in lex.modals for c in gov.children) and status == "captured":
            status = "threatened"
        chain = [gov, *list(gov.ancestors)[:5]]
        armed = lex.lemma(cue) in lex.in_range or lex.lemma(cue) in lex.attack_cues  # "drones struck Kharkiv"
        if not armed and any(lex.lemma(t) in lex.weapons for n in chain for t in (n, *n.children) if t.dep_ != "conj"):
            return "mentioned"  # "missiles with a range sufficient to threaten Moscow"
        status = self._aspect(cue, status)
        node = gov
        for _ in range(6):
            if node.dep_ not in ("xcomp", "ccomp", "pcomp", "advcl", "prep", "pobj", "acl"):
                break
            node = node.head
            lem = lex.lemma(node)
            if lem in lex.negating:
                return "mentioned"
            if lem in lex.attempts:  # "failed to capture" (not "trying to encircle")
                if any(c.dep_ == "neg" for c in node.children):
                    return "mentioned"
                return lex.attempts[lem] if status == "captured" else status
        if lex.lemma(cue) in lex.upgrades:
            up = lex.upgrades[lex.lemma(cue)]
            if any(t.lower_ == up["noun"] and lex.lemma(t.head) in up["verbs"] for t in cue.sent):
                return str(up["status"])
        return status

    def _after_negated_capture(self, cue: Token) -> str | None:
        """A negated capture takes what the rest of the sentence supports: contested if fighting goes on,
        threatened if attacks are mentioned, else nothing (a denial gives nothing either)."""
        lex = self.lex
        gov = cue
        while gov.pos_ not in _VERBAL and gov.head.i != gov.i:
            gov = gov.head
        denied = any(lex.lemma(a) in lex.negating for a in list(gov.ancestors)[:4])
        if not denied and not any(c.dep_ == "neg" for c in gov.children):
            return None
        found = set()
        for tok in cue.sent:
            status = lex.cue(tok) if tok.i != cue.i and tok.pos_ in ("VERB", "NOUN") else None
            if status in ("contested", "threatened") and not any(c.dep_ == "neg" for c in tok.children):
                found.add(status)
        return "contested" if "contested" in found else ("threatened" if found else None)

    def _aspect(self, cue: Token, status: str) -> str:
        """Clearing in progress is contested, completed clearing captured; "takes X this winter" a forecast."""
        lex = self.lex
        lem = lex.lemma(cue)
        if status == "captured" and any(c.lower_ in lex.partial_adverbs for c in cue.children):
            status = "contested"  # "mostly gone", "partly taken"
        if status == "captured" and self._hypothetical(cue):
            return "threatened"  # "if Siversk is lost"
        if lem in lex.progressive or cue.lower_ in lex.progressive:
            done = cue.tag_ in ("VBN", "VBD") or lex.lemma(cue.head) in lex.completion
            status = "captured" if done else "contested"
        future = lex.future.search(cue.doc[cue.i : cue.sent.end].text)
        return "threatened" if status == "captured" and cue.tag_ in ("VBZ", "VBP") and future else status

    def _hypothetical(self, cue: Token) -> bool:
        node = cue
        for _ in range(4):
            if any(c.dep_ == "mark" and c.lower_ in self.lex.conditionals for c in node.children):
                return True
            if node.head.i == node.i or node.dep_ not in ("conj", "advcl", "acomp", "xcomp", "auxpass", "aux"):
                return False
            node = node.head
        return False

    def _actor_in(self, tok: Token) -> str | None:
        """Russia/Ukraine (or another country) named by a subject phrase: "Russian forces", "Kyiv"."""
        mods = ("amod", "compound", "poss", "nmod")
        words = [tok, *(t for t in tok.subtree if t.i < tok.i and t.dep_ in mods), *tok.conjuncts]
        words += [g for c in tok.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children]
        actors = {self._actor_word(w) for w in words} - {None}
        return actors.pop() if len(actors) == 1 else None

    def _actor_word(self, tok: Token) -> str | None:
        low = tok.lower_
        if low in self.lex.actor_of:
            return self.lex.actor_of[low]
        if self.gazetteer is not None and (tok.pos_ == "PROPN" or (tok.pos_ == "" and tok.is_title)):
            match = self.gazetteer.resolve(tok.text, fuzzy=False)
            return match.entry.name if match is not None and match.entry.feature == "country" else None
        return None

    def _actor(self, cue: Token) -> str | None:
        """The cue's own subject, agent or modifier; else the nearest subject up the sentence."""
        lex = self.lex
        lem = lex.lemma(cue)
        if cue.dep_ in ("amod", "compound"):  # "Russian-occupied": the modifier's own actor only
            near = [*cue.children, *(cue.doc[cue.i - 2 : cue.i - 1] if cue.i > 1 and cue.nbor(-1).text == "-" else [])]
            found = {a for t in near if (a := self._actor_word(t))}
            return lex.adjective_actors.get(cue.lower_) or (found.pop() if len(found) == 1 else None)
        passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in cue.children) or cue.dep_ in ("acomp", "attr")
        agentive = passive or lem in lex.subject_verbs or cue.pos_ not in _VERBAL  # "by"/"fell to" name the actor
        for c in cue.children:
            if c.dep_ == "agent" or (c.dep_ == "prep" and c.lower_ in lex.agent_preps and agentive):
                for obj in c.children:
                    if obj.dep_ == "pobj" and (a := self._actor_in(obj)):
                        return a
            if c.dep_ in ("amod", "compound", "poss") and cue.pos_ not in _VERBAL and (a := self._actor_word(c)):
                return a
            if c.dep_ == "nsubj" and not passive and lem not in lex.subject_verbs and (a := self._actor_in(c)):
                return a
        if cue.lower_ in lex.adjective_actors:
            return lex.adjective_actors[cue.lower_]
        node = cue
        while node.head.i != node.i:
            node = node.head
            for c in node.children:
                if c.dep_ == "nsubj" and c.i != cue.i and (a := self._actor_in(c)):
                    return a
        return None

    # -- without a parse: the nearest cue before the place, in its clause
    def _surface_cue(self, doc: Doc, m: _Mention, mentions: list[_Mention]) -> tuple[str, str | None] | None:
        lex = self.lex
        sent = m.span.sent if doc.has_annotation("SENT_START") else doc[:]
        places = {i for x in mentions for i in range(x.span.start, x.span.end)}

        def brk(i: int) -> bool:
            low = doc[i].lower_
            if low in lex.breaks:
                return True
            if low in (",", "and", "or"):  # a list of places goes on; anything else ends the clause
                j, k = i + 1, i - 1
                while j < sent.end and doc[j].lower_ in lex.list_words and j not in places:
                    j += 1
                while k > sent.start and doc[k].lower_ in lex.list_words and k not in places:
                    k -= 1
                return j not in places or k not in places
            return False

        left = m.span.start
        while left > sent.start and not brk(left - 1):
            left -= 1
        right = m.span.end
        while right < sent.end and not brk(right):
            right += 1
        for i in range(m.span.start - 1, left - 1, -1):
            status = self._surface_status(doc, i, left)
            if status:
                return self._surface_adjust(doc, i, left, status), self._surface_actor(doc, sent, left, i)
        for i in range(m.span.end, right):  # the place as subject: "X was captured", "X fell to"
            lem = lex.lemma(doc[i])
            after_be = doc[i - 1].lower_ in ("is", "was", "are", "were", "been", "being", "remains")
            under = any(doc[j].lower_ == "under" for j in range(max(m.span.end, i - 2), i))
            status = lex.subject_verbs.get(lem) or (lex.under.get(lem) if under else None)
            if status or (after_be and (status := lex.verbs.get(lem) or lex.adjectives.get(doc[i].lower_))):
                agent = next((a for j in range(m.span.end, right) if (a := self._actor_word(doc[j]))), None)
                return self._surface_adjust(doc, i, left, status), agent
        return None

    def _surface_status(self, doc: Doc, i: int, left: int) -> str | None:
        lex = self.lex
        tok = doc[i]
        lem = lex.lemma(tok)
        nxt = doc[i + 1].lower_ if i + 1 < len(doc) else ""
        if nxt in lex.light.get(lem, ()):
            return None
        if lem in lex.noun_needs_verb:
            window = {lex.lemma(doc[j]) for j in range(max(left, i - 3), i)}
            return lex.nouns.get(lem) if window & (lex.noun_needs_verb[lem] | {"under"}) else None
        return lex.verbs.get(lem) or lex.nouns.get(tok.lower_) or lex.nouns.get(lem) or lex.adjectives.get(tok.lower_)

    def _surface_adjust(self, doc: Doc, i: int, left: int, status: str) -> str:
        lex = self.lex
        before = [doc[j] for j in range(left, i)]
        if (
            any(lex.lemma(t) in lex.negating | lex.weapons for t in before)
            or {t.lower_ for t in before[-4:]} & lex.negations
        ):
            return "mentioned"
        for t in before[-4:]:
            if lex.lemma(t) in lex.attempts and status == "captured":
                return lex.attempts[lex.lemma(t)]
        if status == "captured" and any(t.lower_ in lex.modals for t in before[-3:]):
            return "threatened"
        return status

    def _surface_actor(self, doc: Doc, sent: Span, left: int, cue: int) -> str | None:
        """The nearest actor word before the cue in its clause, else the first in the sentence."""
        for lo, hi in ((left, cue), (sent.start, cue)):
            actors = [a for j in range(lo, hi) if (a := self._actor_word(doc[j]))]
            if actors:
                return actors[-1] if lo == left else actors[0]
        return None


def _name(m: _Mention) -> str:
    return m.match.entry.name if m.match is not None else m.span.text


def _country_as_modifier(m: _Mention) -> bool:
    """'the US draft', 'a US-led fund': an abbreviated country name used as a modifier is no place."""
    entry = m.match.entry if m.match else None
    root = m.span.root
    return (
        entry is not None
        and entry.feature == "country"
        and m.span.text.isupper()
        and root.dep_ in ("compound", "nmod", "amod", "npadvmod")
    )


@Language.factory(
    "sitroom_places",
    requires=["doc.ents", "doc.sents"],
    assigns=["doc._.sitroom_facts", "doc.spans"],
    default_config={"control_path": None, "regions_path": None, "aliases_path": None, "build_gazetteer": True},
)
def make_places(nlp: Language, name: str, control_path: str | None, regions_path: str | None,
                aliases_path: str | None, build_gazetteer: bool) -> PlaceExtractor:  # fmt: skip
    """Factory: builds the gazetteer now (or, with ``build_gazetteer=False``, on first use unless the
    pipeline sets ``component.gazetteer`` to a shared one first)."""
    gaz = Gazetteer.build(regions_path=regions_path, aliases_path=aliases_path) if build_gazetteer else None
    return PlaceExtractor(gaz, control_path=control_path, name=name)
