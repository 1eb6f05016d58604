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
from datetime import date
from itertools import pairwise

from spacy.language import Language
from spacy.tokens import Doc

from ..model import Provision
from .base import add_fact, reference_date
from .lexicon import load_data
from .plan_catalogue import _N_POINT_PLAN, GENERIC, NAMED, Mention, ProvisionLexicon
from .stances import StanceLexicon, Targets

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
_SENTENCE_GAP = re.compile(r"(?<=[.!?:])\s+|\n\s*")


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
