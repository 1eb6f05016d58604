"""Plan provisions: what a negotiated plan contains, by topic.

Component ``sitroom_provisions`` finds (a) numbered items — "(1) ...", "1. ...", "Point 3: ..." — in a
document that talks about a plan, and (b) sentences that say what a plan contains ("the draft calls
for a cap on the army"). Each becomes a ``model.Provision`` with a contract topic chosen from the
keyword lists in ``data/provisions.json``. Reads sentence boundaries only, so it runs on a blank
pipeline with a sentencizer.

A provision's ``plan`` is named as stances name their targets (``stances.Targets`` and the ``targets``
block of ``data/stances.json``: "the 28-point plan", "from 28 points to 19", "the Geneva text", "the
European text", "the US draft" by publication date; "the draft" is the plan most mentioned before it).
Only targets that are plans count (N-point plans and ``plan_targets`` in ``data/provisions.json``).
Where to look: for a prose provision, its own clause, then the rest of its sentence (the lead-in before
it first); for a list item, the list's lead-in (its last sentence naming a plan, the plan named first in
it), then the item; then the nearest plan named before it in the paragraph, then in the document, then
the first N-point plan the document names. Else ``None``.

Besides the stance targets, the plan catalogue (``plans`` in ``data/provisions.json``) names plans by
author and version: "the revised draft" / "the updated US text" is the newest version of its author's
family at the document's date ("the revised draft" with no author: the first family's, the US plan);
"the original US draft" is the first; "the US draft" with no qualifier is the version the document ties to
a count ("the US draft of 28 points"), else the first. A change of count ("reduced to about 19", "19
points instead of 28", ``count_changes``) names the new count. A revision ("the cap had been raised")
belongs to the newest version, at the document's date, of the family named nearest before it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from itertools import pairwise
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from ..model import Provision
from .base import add_fact, alternation, load_data, reference_date
from .stances import GENERIC, NAMED, Mention, StanceLexicon, Targets

_MARKER = re.compile(
    r"(?:(?<=\s)|^)(?:\((?P<a>\d{1,2})\)|(?P<b>\d{1,2})[.)](?=\s)|(?:[Pp]oint|[Pp]rovision|[Cc]lause)\s+"
    r"(?P<c>\d{1,2})\b:?)",
    re.MULTILINE,
)
_LEAD = re.compile(
    r"\b(?:said|says|say|added|reported|confirmed|agreed(?: in principle)?|told \w+)\s+that\s+"
    r"|\b(?:document|draft|text|plan|proposal|framework)\s+(?:that|which)\s+[\"“]?",
    re.IGNORECASE,
)
_BULLET = re.compile(r"^[ \t]*[-•*–][ \t]+(?P<body>\S[^\n]*)$", re.MULTILINE)
_TOPIC_LEAD = re.compile(r"(?:On|For|As for|As to|Regarding|Concerning|In terms of)\s+(?:\S+\s*){1,3}$")
_AND_VERB = re.compile(r"\s+and\s+")
_TRAIL = " \t\n,;:.—–-\"“”'’("
_N_POINT_PLAN = re.compile(r"\d{1,2}-point plan")
_SENTENCE_GAP = re.compile(r"(?<=[.!?:])\s+|\n\s*")


@dataclass(slots=True)
class ProvisionLexicon:
    plan_words: re.Pattern[str]
    provision_verbs: re.Pattern[str]
    plan_says: re.Pattern[str]
    topics: dict[str, list[str]]
    revision: re.Pattern[str]
    proposal: re.Pattern[str]
    agreement: re.Pattern[str]
    verbs_after_and: re.Pattern[str]
    text_names: re.Pattern[str]
    not_plan_leads: re.Pattern[str]
    not_provision: re.Pattern[str]
    label: re.Pattern[str]
    plan_targets: frozenset[str]
    catalogue: PlanCatalogue

    @classmethod
    def from_data(cls, raw: dict[str, Any]) -> ProvisionLexicon:
        return cls(
            plan_words=_words(raw["plan_words"]),
            provision_verbs=_words(raw["provision_verbs"]),
            plan_says=re.compile(
                # "Under the plan, …", "In the US draft, …" (not "the guarantees in the framework must …")
                rf"\bunder the (?:\S+ ){{0,3}}(?:{alternation(raw['plan_words'])})\b"
                rf"|(?:^|[,;:]\s*)in the (?:\S+ ){{0,3}}(?:{alternation(raw['plan_words'])})\b"
                # "the draft … caps", with no "and"/"but" between: "the points and will not sign" is a stance
                rf"|\b(?:{alternation(raw['plan_words'])})\b(?:\s+(?!and\b|but\b|or\b)[^\s,;]+){{0,5}}?\s+[\"“]?"
                rf"(?:{alternation(raw['provision_verbs'])})\b",
                re.IGNORECASE,
            ),
            topics={k: [w.lower() for w in v] for k, v in raw["topics"].items()},
            revision=re.compile(raw["revision"], re.IGNORECASE),
            proposal=re.compile(raw["proposal"]),
            agreement=re.compile(raw["agreement"], re.IGNORECASE),
            verbs_after_and=re.compile(
                rf"\s+and\s+(?=(?:{alternation(raw['provision_verbs'])})\b)|\s+and\s+that\s+|;\s*|:\s+",
                re.IGNORECASE,
            ),
            text_names=re.compile(raw["text_names"], re.IGNORECASE),
            not_plan_leads=_words(raw.get("not_plan_leads", [])),
            not_provision=re.compile(raw.get("not_provision", "(?!)"), re.IGNORECASE),
            label=re.compile(raw.get("label", "(?!)"), re.IGNORECASE),
            plan_targets=frozenset(raw.get("plan_targets", [])),
            catalogue=PlanCatalogue.from_data(raw),
        )

    def topic(self, text: str) -> str:
        lowered = " " + text.lower()
        best, best_hits = "other", 0
        for topic, keys in self.topics.items():
            hits = sum(1 for key in keys if (" " + key) in lowered or ("-" + key) in lowered)
            if hits > best_hits:
                best, best_hits = topic, hits
        return best


@dataclass(frozen=True, slots=True)
class PlanCatalogue:
    """Plan families (versions by one author, in order) and the words that name them (module doc)."""

    families: dict[str, list[tuple[str, date]]]  # family -> [(version name, first day it can be meant)]
    authors: dict[str, str]  # author code -> family
    alias: re.Pattern[str]  # [qualifier] [author['s]] noun
    author_words: list[tuple[str, re.Pattern[str]]]
    newest_words: re.Pattern[str]
    count_changes: tuple[re.Pattern[str], ...]

    @classmethod
    def from_data(cls, raw: dict[str, Any]) -> PlanCatalogue:
        plans = raw.get("plans", {})
        families = {
            f["family"]: [(v["name"], date.fromisoformat(v["from"])) for v in f["versions"]]
            for f in plans.get("families", [])
        }
        authors = {f["author"]: f["family"] for f in plans.get("families", [])}
        words = plans.get("authors", {})
        qualifiers = alternation(plans.get("newest", []) + plans.get("first", [])) or "(?!)"
        every_author = alternation([w for ws in words.values() for w in ws]) or "(?!)"
        nouns = alternation(plans.get("nouns", [])) or "(?!)"
        return cls(
            families=families,
            authors=authors,
            alias=re.compile(
                rf"(?:\b(?P<q>(?i:{qualifiers}))\s+)?(?:(?<![\w-])(?P<a>{every_author})(?:['’]s)?\s+)?"
                rf"\b(?P<n>(?i:{nouns}))\b"
            ),
            author_words=[(a, re.compile(rf"^(?:{alternation(ws)})$")) for a, ws in words.items()],
            newest_words=re.compile(rf"^(?:{alternation(plans.get('newest', [])) or '(?!)'})$", re.IGNORECASE),
            count_changes=tuple(re.compile(p, re.IGNORECASE) for p in raw.get("count_changes", [])),
        )

    def family_of(self, name: str) -> str | None:
        return next((f for f, versions in self.families.items() if any(v == name for v, _ in versions)), None)

    def lineage(self, name: str) -> list[str]:
        """The versions of ``name``'s family in order (``[name]`` when it has none)."""
        family = self.family_of(name)
        return [v for v, _ in self.families[family]] if family else [name]

    def newest(self, family: str, day: date | None) -> str:
        """The newest version of ``family`` that can be meant on ``day`` (undated: the newest of all)."""
        versions = self.families[family]
        known = [v for v, since in versions if day is None or since <= day]
        return known[-1] if known else versions[0][0]

    def first(self, family: str) -> str:
        return self.families[family][0][0]

    def author_family(self, word: str) -> str | None:
        author = next((a for a, pattern in self.author_words if pattern.match(word)), None)
        return self.authors.get(author) if author else None

    def default_family(self) -> str | None:
        return next(iter(self.families), None)

    def mentions(self, text: str, day: date | None, named: list[Mention]) -> list[Mention]:
        """Count changes and author/qualifier names in ``text`` as named mentions, not over the N-point
        plans of ``named`` (the stance targets the document names)."""
        found: list[Mention] = []
        counted = [m for m in named if _N_POINT_PLAN.fullmatch(m.target)]

        def overlaps(start: int, end: int, mentions: list[Mention]) -> bool:
            return any(m.start < end and start < m.end for m in mentions)

        for pattern in self.count_changes:
            for match in pattern.finditer(text):
                if not overlaps(match.start(), match.end(), found):
                    found.append(Mention(match.start(), match.end(), NAMED, f"{int(match.group('n'))}-point plan"))
        counted = [m for m in counted if not overlaps(m.start, m.end, found)]
        outside = any(self.family_of(m.target) is None for m in counted)  # an uncatalogued "12-point plan"
        ties = self._ties(text)
        for match in self.alias.finditer(text):
            qualifier, author = match.group("q"), match.group("a")
            if not (qualifier or author) or overlaps(match.start(), match.end(), [*counted, *found]):
                continue
            if author:
                family = self.author_family(author)
            else:  # "the revised draft": the family named nearest before it, else the first family
                before = [m for m in [*named, *found] if m.end <= match.start() and self.family_of(m.target)]
                nearest = max(before, key=lambda m: m.end, default=None)
                family = self.family_of(nearest.target) if nearest else (None if outside else self.default_family())
            if family is None:
                continue
            if qualifier:
                newest = self.newest_words.match(qualifier) is not None
                name = self.newest(family, day) if newest else self.first(family)
            else:
                name = ties.get(family) or self.first(family)
            found.append(Mention(match.start(), match.end(), NAMED, name))
        return sorted(found, key=lambda m: m.start)

    def _ties(self, text: str) -> dict[str, str]:
        """Families the document ties to a count: "the US draft of 28 points", "the 28-point US draft"."""
        ties: dict[str, str] = {}
        for match in self.alias.finditer(text):
            author = match.group("a")
            family = self.author_family(author) if author else None
            if family is None or family in ties:
                continue
            after = re.match(
                r"\s+(?:of|with)\s+(?:about\s+)?(\d{1,2})\s+points\b", text[match.end() : match.end() + 30]
            )
            before = re.search(r"\b(\d{1,2})-point\s+$", text[max(match.start() - 12, 0) : match.start("a")])
            count = after or before
            if count and f"{int(count.group(1))}-point plan" in self.lineage(self.first(family)):
                ties[family] = f"{int(count.group(1))}-point plan"
        return ties


def _words(items: list[str]) -> re.Pattern[str]:
    body = alternation(items)
    return re.compile(rf"\b(?:{body})\b", re.IGNORECASE)


class PlanNames:
    """Which plan a provision belongs to, named as stances name their targets (see the module doc)."""

    def __init__(self, lex: ProvisionLexicon, targets: Targets, day: date | None = None) -> None:
        self.lex = lex
        self.targets = targets
        self.text = targets.text
        self.day = day
        own = lex.catalogue.mentions(self.text, day, [m for m in targets.mentions if m.kind == NAMED])
        kept = [
            m
            for m in targets.mentions
            if m.kind in (NAMED, GENERIC) and not any(o.start < m.end and m.start < o.end for o in own)
        ]
        self.mentions = sorted([*kept, *own], key=lambda m: m.start)

    def _plan(self, mention: Mention) -> str | None:
        name = self.targets.resolve(mention)
        return name if _N_POINT_PLAN.fullmatch(name) or name in self.lex.plan_targets else None

    def _first(self, start: int, end: int) -> str | None:
        return next((n for m in self.mentions if start <= m.start < end and (n := self._plan(m))), None)

    def _last(self, start: int, end: int) -> str | None:
        inside = [m for m in self.mentions if start <= m.start and m.end <= end]
        return next((n for m in reversed(inside) if (n := self._plan(m))), None)

    def _around(self, start: int) -> str | None:
        """The nearest plan named before ``start`` in its paragraph, else in the document, else the first
        N-point plan the document names."""
        paragraph = max(self.text.rfind("\n\n", 0, start), 0)
        return (
            self._last(paragraph, start)
            or self._last(0, start)
            or next((m.target for m in self.mentions if _N_POINT_PLAN.fullmatch(m.target)), None)
        )

    def _lead(self, start: int, end: int) -> str | None:
        """A list's lead-in: the last sentence before the list that names a plan, and in it the plan named
        first ("The E3 text follows the American draft but rewrites its points. Among them:")."""
        bounds = [start] + [m.end() for m in _SENTENCE_GAP.finditer(self.text, start, end)] + [end]
        for lo, hi in reversed(list(pairwise(bounds))):
            named = [m for m in self.mentions if lo <= m.start and m.end <= hi and m.kind == NAMED]
            name = next((n for m in named if (n := self._plan(m))), None) or self._first(lo, hi)
            if name:
                return name
        return None

    def of_clause(self, start: int, end: int, sent_start: int, sent_end: int, revision: bool = False) -> str | None:
        """A prose provision: its own words, its lead-in, the rest of its sentence, then around it. A
        revision ("the cap had been raised") belongs to the newest version of the family named nearest."""
        if revision and (family := self._revised_family(start, sent_end)):
            return self.lex.catalogue.newest(family, self.day)
        return (
            self._first(start, end)
            or self._last(sent_start, start)
            or self._first(end, sent_end)
            or self._around(sent_start)
        )

    def _revised_family(self, start: int, sent_end: int) -> str | None:
        """The family with more than one version named nearest before ``start`` (else later in the sentence)."""
        catalogue = self.lex.catalogue

        def revisable(m: Mention) -> str | None:
            name = self._plan(m)
            family = catalogue.family_of(name) if name else None
            return family if family and len(catalogue.families[family]) > 1 else None

        before = [f for m in self.mentions if m.start < start and (f := revisable(m))]
        after = [f for m in self.mentions if start <= m.start < sent_end and (f := revisable(m))]
        return before[-1] if before else (after[0] if after else None)

    def of_list(self, lead_start: int, first: int, items: list[tuple[int, int]]) -> list[str | None]:
        """List items: the list's lead-in names the plan of every item, else each item's own words."""
        lead = self._lead(lead_start, first) or self._around(first)
        return [self._own(lo, hi) or lead for lo, hi in items]

    def _own(self, start: int, end: int) -> str | None:
        """A plan an item names as its subject, in its first six words ("the army: the US draft said
        600,000"); not a generic "the plan", nor a comparison later on ("… instead of the US version's")."""
        words = list(re.finditer(r"\S+", self.text[start:end]))
        head = start + words[min(5, len(words) - 1)].end() if words else end
        return next(
            (n for m in self.mentions if start <= m.start < head and m.kind == NAMED and (n := self._plan(m))), None
        )


class ProvisionFinder:
    def __init__(self, lexicon: ProvisionLexicon, stance_lexicon: StanceLexicon) -> None:
        self.lex = lexicon
        self.stance_lex = stance_lexicon

    def __call__(self, doc: Doc) -> Doc:
        text = doc.text
        if not any(
            p.search(text) for p in (self.lex.plan_words, self.lex.proposal, self.lex.revision, self.lex.agreement)
        ):
            return doc
        day = reference_date(doc)
        plans = PlanNames(self.lex, Targets(self.stance_lex, text, day), day)
        numbered = self._numbered(text, plans) + self._bulleted(text, plans)
        for prov in numbered:
            add_fact(doc, "provisions", prov, label=prov.topic)
        covered = [(p.start, p.end) for p in numbered]
        for sent in doc.sents:
            if any(s < sent.end_char and sent.start_char < e for s, e in covered):
                continue
            stext = sent.text
            triggers = (self.lex.plan_says, self.lex.revision, self.lex.proposal, self.lex.agreement, self.lex.label)
            if not any(p.search(stext) for p in triggers):
                continue
            if self.lex.not_provision.search(stext) or self.lex.not_plan_leads.search(stext):
                continue  # "If no framework is signed, Russia will …", "I think the plan will …"
            clauses = self._clauses(text, sent.start_char, sent.end_char)
            labelled = self.lex.label.search(stext) is not None  # "The US draft: army capped …; …"
            default = "other"
            if len(clauses) > 1 and _TOPIC_LEAD.match(text, clauses[0][0], clauses[0][1]):
                # "On guarantees, the US draft offers …, the European text …": the lead gives the topic
                default = self.lex.topic(text[clauses[0][0] : clauses[0][1]])
                clauses = clauses[1:]
            kept: list[tuple[int, int, str]] = []
            for start, end in clauses:
                topic = self.lex.topic(text[start:end])
                topic = default if topic == "other" else topic
                if topic == "other" or (len(clauses) > 1 and not labelled and not self._states_terms(text[start:end])):
                    continue
                span = _strip(text, start, end)
                if span is None:
                    continue
                gap = text[kept[-1][1] : span[0]] if kept else ""
                names_a_text = self.lex.plan_words.search(" ".join(text[span[0] : span[1]].split()[:4]))
                if kept and kept[-1][2] == topic and _AND_VERB.fullmatch(gap) and not names_a_text:
                    kept[-1] = (kept[-1][0], span[1], topic)  # "freezes the line and proposes a zone": one term
                else:
                    kept.append((span[0], span[1], topic))
            for lo, hi, topic in kept:
                revision = self.lex.revision.search(text, lo, hi) is not None
                plan = plans.of_clause(lo, hi, sent.start_char, sent.end_char, revision)
                add_fact(doc, "provisions", Provision(lo, hi, topic, text[lo:hi], None, plan))
        return doc

    def _states_terms(self, clause: str) -> bool:
        """A clause cut from a longer sentence still says what a plan contains."""
        patterns = (self.lex.plan_words, self.lex.provision_verbs, self.lex.revision, self.lex.proposal)
        return any(p.search(clause) for p in patterns)

    def _clauses(self, text: str, start: int, end: int) -> list[tuple[int, int]]:
        """A sentence cut at ';', ':', 'and that' and 'and' + a provision verb; each clause starts after a
        reporting 'said that' or a 'document that', when it has one. One clause: the whole sentence."""
        cuts = sorted(
            (m.start(), m.end())
            for pattern in (self.lex.verbs_after_and, self.lex.text_names)
            for m in pattern.finditer(text, start, end)
        )
        if not cuts:
            lead = _LEAD.search(text, start, end)
            return [(lead.end(), end) if lead else (start, end)]
        pieces, at = [], start
        for lo, hi in cuts:
            pieces.append((at, lo))
            at = hi
        pieces.append((at, end))
        out = []
        for lo, hi in pieces:
            lead = _LEAD.search(text, lo, hi)
            out.append((lead.end(), hi) if lead else (lo, hi))
        return [(lo, hi) for lo, hi in out if hi - lo >= 8]

    def _about_a_plan(self, text: str, first: re.Match[str]) -> bool:
        """'Point 3' always is; a '(1) (2)' list is when the lead-in before it names a plan."""
        if first.group("c"):
            return True
        return self._plan_lead(text[_list_lead_start(text, first.start()) : first.end()])

    def _plan_lead(self, lead: str) -> bool:
        """The lead-in names a plan and does not announce an assessment, forecast or scenario list."""
        return self.lex.plan_words.search(lead) is not None and not self.lex.not_plan_leads.search(lead)

    def _bulleted(self, text: str, plans: PlanNames) -> list[Provision]:
        """'- army capped at 600,000' lines after a lead-in that names a plan; a bullet needs a topic."""
        lines = list(_BULLET.finditer(text))
        runs: list[list[re.Match[str]]] = []
        for line in lines:
            if runs and text[runs[-1][-1].end() : line.start()].strip() == "":
                runs[-1].append(line)
            else:
                runs.append([line])
        out: list[Provision] = []
        for run in runs:
            if len(run) < 2:
                continue
            first = run[0].start()
            lead_start = text.rfind("\n\n", 0, max(first - 1, 0))
            lead_start = max(lead_start, first - 400, 0)
            if not self._plan_lead(text[lead_start:first]):
                continue
            spans = [s for s in (_strip(text, m.start("body"), m.end("body")) for m in run) if s is not None]
            for (lo, hi), plan in zip(spans, plans.of_list(lead_start, first, spans), strict=True):
                body = text[lo:hi]
                topic = self.lex.topic(body)
                if topic != "other":
                    out.append(Provision(lo, hi, topic, body, None, plan))
        return out

    def _numbered(self, text: str, plans: PlanNames) -> list[Provision]:
        markers = [m for m in _MARKER.finditer(text) if _is_list_marker(text, m)]
        runs = _runs(markers)
        out: list[Provision] = []
        for run in runs:
            if not self._about_a_plan(text, run[0]):
                continue  # a numbered list of scenarios or forecasts is not a plan
            items: list[tuple[int, int, int]] = []
            for i, match in enumerate(run):
                number = int(match.group("a") or match.group("b") or match.group("c"))
                start = match.end()
                stop = _item_end(text, start)
                if i + 1 < len(run):
                    nxt = run[i + 1].start()
                    stop = stop if -1 < stop < nxt else nxt
                span = _strip(text, start, stop)
                if span is not None:
                    items.append((number, span[0], span[1]))
            first = run[0].start()
            names = plans.of_list(_list_lead_start(text, first), first, [(lo, hi) for _, lo, hi in items])
            for (number, lo, hi), plan in zip(items, names, strict=True):
                body = text[lo:hi]
                out.append(Provision(lo, hi, self.lex.topic(body), body, number, plan))
        return out


def _list_lead_start(text: str, first: int) -> int:
    """Where the lead-in of a numbered list starts: its paragraph and the one before, at most 600 characters."""
    paragraph = text.rfind("\n\n", 0, first)
    previous = text.rfind("\n\n", 0, paragraph) if paragraph > 0 else -1
    return max(previous, first - 600, 0)


def _is_list_marker(text: str, match: re.Match[str]) -> bool:
    """Numbers that start list items, not '(2022)' or 'at 5. Then'."""
    if match.group("b"):
        line_start = text.rfind("\n", 0, match.start()) + 1
        return not text[line_start : match.start()].strip()
    return True


def _runs(markers: list[re.Match[str]]) -> list[list[re.Match[str]]]:
    """Markers that count up (1, 2, 3 …) form a list; a lone '(3)' in prose does not, unless 'Point 3'."""
    runs: list[list[re.Match[str]]] = []
    current: list[re.Match[str]] = []
    last = 0
    for match in markers:
        number = int(match.group("a") or match.group("b") or match.group("c"))
        if current and number == last + 1:
            current.append(match)
        else:
            if current:
                runs.append(current)
            current = [match]
        last = number
    if current:
        runs.append(current)
    return [r for r in runs if len(r) >= 2 or r[0].group("c")]


def _item_end(text: str, start: int) -> int:
    """The last item of a list runs to the end of its sentence or line."""
    candidates = [i for i in (text.find("\n", start), _sentence_end(text, start)) if i != -1]
    return min(candidates) if candidates else len(text)


def _sentence_end(text: str, start: int) -> int:
    match = re.compile(r"[.!?](?=\s+[A-Z(]|\s*$)").search(text, start)
    return match.end() if match else -1


def _strip(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start] in _TRAIL:
        start += 1
    while end > start and text[end - 1] in _TRAIL + ")":
        if text[end - 1] == ")" and text.count("(", start, end) >= text.count(")", start, end):
            break
        end -= 1
    for lead in ("and ", "or "):
        if text[start:end].lower().startswith(lead):
            start += len(lead)
    for tail in (" and", " or"):
        if text[start:end].lower().endswith(tail):
            end -= len(tail)
    while end > start and text[end - 1] in " ,;":
        end -= 1
    return (start, end) if end - start >= 8 else None


@Language.factory(
    "sitroom_provisions",
    requires=["doc.sents"],
    assigns=["doc._.sitroom_facts", "doc.spans"],
    default_config={"lexicon_path": None, "stances_lexicon_path": None},
)
def make_provisions(
    nlp: Language, name: str, lexicon_path: str | None, stances_lexicon_path: str | None
) -> ProvisionFinder:
    return ProvisionFinder(
        ProvisionLexicon.from_data(load_data(lexicon_path, "provisions.json")),
        StanceLexicon.from_data(load_data(stances_lexicon_path, "stances.json")),
    )
