"""Plan names and provision lexicon as data, without spaCy.

The provisions component names a provision's plan with these (``provisions.PlanNames``), and the
analyse layer reads the same catalogue (families of versions, topics) without importing spaCy. A
``Mention`` is a word or phrase that can be a stance's target or a provision's plan; ``stances`` finds
them in parsed text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from .lexicon import alternation

_N_POINT_PLAN = re.compile(r"\d{1,2}-point plan")
NAMED, GENERIC, TALKS, TOPIC, PRONOUN = "named", "generic", "talks", "topic", "pronoun"


@dataclass(frozen=True, slots=True)
class Mention:
    """A word or phrase in the text that can be a stance's target."""

    start: int
    end: int
    kind: str  # NAMED, GENERIC, TALKS, TOPIC or PRONOUN
    target: str = ""


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
