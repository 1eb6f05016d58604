"""Plan provisions: what a negotiated plan contains, by topic.

Component ``sitroom_provisions`` finds (a) numbered items — "(1) ...", "1. ...", "Point 3: ..." — in a
document that talks about a plan, and (b) sentences that say what a plan contains ("the draft calls
for a cap on the army"). Each becomes a ``model.Provision`` with a contract topic chosen from the
keyword lists in ``data/provisions.json``. Reads sentence boundaries only, so it runs on a blank
pipeline with a sentencizer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from ..model import Provision
from .base import add_fact, alternation, load_data

_MARKER = re.compile(
    r"(?:(?<=\s)|^)(?:\((?P<a>\d{1,2})\)|(?P<b>\d{1,2})[.)](?=\s)|(?:[Pp]oint|[Pp]rovision|[Cc]lause)\s+"
    r"(?P<c>\d{1,2})\b:?)",
    re.MULTILINE,
)
_TRAIL = " \t\n,;:.—–-\"“”'’("


@dataclass(slots=True)
class ProvisionLexicon:
    plan_words: re.Pattern[str]
    provision_verbs: re.Pattern[str]
    plan_says: re.Pattern[str]
    plan_name: re.Pattern[str]
    topics: dict[str, list[str]]

    @classmethod
    def from_data(cls, raw: dict[str, Any]) -> ProvisionLexicon:
        return cls(
            plan_words=_words(raw["plan_words"]),
            provision_verbs=_words(raw["provision_verbs"]),
            plan_says=re.compile(
                rf"\b(?:under|in) the (?:\S+ ){{0,3}}(?:{alternation(raw['plan_words'])})\b"
                rf"|\b(?:{alternation(raw['plan_words'])})\b(?:\s+\S+){{0,5}}?\s+(?:{alternation(raw['provision_verbs'])})\b",
                re.IGNORECASE,
            ),
            plan_name=re.compile(raw["plan_name"], re.IGNORECASE),
            topics={k: [w.lower() for w in v] for k, v in raw["topics"].items()},
        )

    def topic(self, text: str) -> str:
        lowered = " " + text.lower()
        best, best_hits = "other", 0
        for topic, keys in self.topics.items():
            hits = sum(1 for key in keys if (" " + key) in lowered or ("-" + key) in lowered)
            if hits > best_hits:
                best, best_hits = topic, hits
        return best


def _words(items: list[str]) -> re.Pattern[str]:
    body = alternation(items)
    return re.compile(rf"\b(?:{body})\b", re.IGNORECASE)


class ProvisionFinder:
    def __init__(self, lexicon: ProvisionLexicon) -> None:
        self.lex = lexicon

    def __call__(self, doc: Doc) -> Doc:
        text = doc.text
        if not self.lex.plan_words.search(text):
            return doc
        plan = self._plan_name(text)
        numbered = self._numbered(text, plan)
        for prov in numbered:
            add_fact(doc, "provisions", prov, label=prov.topic)
        covered = [(p.start, p.end) for p in numbered]
        for sent in doc.sents:
            if any(s < sent.end_char and sent.start_char < e for s, e in covered):
                continue
            stext = sent.text
            if not self.lex.plan_says.search(stext):
                continue
            topic = self.lex.topic(stext)
            if topic == "other":
                continue
            span = _strip(text, sent.start_char, sent.end_char)
            if span:
                add_fact(doc, "provisions", Provision(span[0], span[1], topic, text[span[0] : span[1]], None, plan))
        return doc

    def _about_a_plan(self, text: str, first: re.Match[str]) -> bool:
        """'Point 3' always is; a '(1) (2)' list is when the lead-in before it names a plan."""
        if first.group("c"):
            return True
        paragraph = text.rfind("\n\n", 0, first.start())
        previous = text.rfind("\n\n", 0, paragraph) if paragraph > 0 else -1
        lead_start = max(previous, first.start() - 600, 0)
        return self.lex.plan_words.search(text[lead_start : first.end()]) is not None

    def _plan_name(self, text: str) -> str | None:
        match = self.lex.plan_name.search(text)
        return f"{match.group(1)}-point plan" if match else None

    def _numbered(self, text: str, plan: str | None) -> list[Provision]:
        markers = [m for m in _MARKER.finditer(text) if _is_list_marker(text, m)]
        runs = _runs(markers)
        out: list[Provision] = []
        for run in runs:
            if not self._about_a_plan(text, run[0]):
                continue  # a numbered list of scenarios or forecasts is not a plan
            for i, match in enumerate(run):
                number = int(match.group("a") or match.group("b") or match.group("c"))
                start = match.end()
                stop = _item_end(text, start)
                if i + 1 < len(run):
                    nxt = run[i + 1].start()
                    stop = stop if -1 < stop < nxt else nxt
                span = _strip(text, start, stop)
                if span is None:
                    continue
                body = text[span[0] : span[1]]
                out.append(Provision(span[0], span[1], self.lex.topic(body), body, number, plan))
        return out


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
    default_config={"lexicon_path": None},
)
def make_provisions(nlp: Language, name: str, lexicon_path: str | None) -> ProvisionFinder:
    return ProvisionFinder(ProvisionLexicon.from_data(load_data(lexicon_path, "provisions.json")))
