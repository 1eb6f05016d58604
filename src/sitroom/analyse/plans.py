"""Plans, their versions as reported over time, the variants sources give, and who stands where.

* A **plan** is named by its provisions' ``plan`` field (the name the extractor found near them,
  e.g. "28-point plan"), else by an "N-point" phrase in the document, else "unnamed plan". Plans the
  catalogue (``plans`` in ``extract/data/provisions.json``) puts in one **family** are versions of one
  plan: the US plan's 28 points, then the 19 of the Geneva revision, then about 20.
* An **account** is one document's report of one plan version's provisions. Accounts are read in
  version order, then in time order, and each is compared with the plan as known so far (the latest
  text of every topic): a topic not known before is **added**; one whose figures conflict (a unit both
  give, with different values) is **changed**, and so is one a new version rewords as a revision
  ("the cap had been raised") or one whose wording shares less than half its content words when both
  texts come from one outlet; a known topic missing from a full account is **dropped** (a partial
  account, under half as many topics as known, drops nothing).
* A **variant** is a disagreement between sources, not a change over time: two outlets giving one
  provision of one version conflicting figures on the same or the next calendar day
  (``VARIANT_DAYS``; 600,000 vs
  800,000 for the army cap of the Geneva text). Each reading is listed with the sources that carry it,
  and the disagreement is not reported as a change.
* The **stance matrix** is actors × targets (a plan as a whole, any version of it, or a provision
  topic): each cell is the actor's latest stance at the date, with every report behind it.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from ..extract.lexicon import load_data
from ..extract.plan_catalogue import PlanCatalogue, ProvisionLexicon
from ..link.corpus import Corpus, FactRef
from ..link.text import content_words, jaccard

_N_POINT = re.compile(r"\b(\d{1,2})[- ]point\b", re.I)
UNNAMED = "unnamed plan"
VARIANT_DAYS = 1  # "about the same day": the same or the next calendar day
SELECTION_DAYS = 3  # another outlet's shorter list within this many days selects, it does not drop


@cache
def _lexicon() -> tuple[ProvisionLexicon, re.Pattern[str]]:
    raw = load_data(None, "provisions.json")
    return ProvisionLexicon.from_data(raw), re.compile(raw.get("stance_provision", "(?!)"), re.IGNORECASE)


def catalogue() -> PlanCatalogue:
    return _lexicon()[0].catalogue


def stance_topic(ref: FactRef) -> str | None:
    """The provision a stance is about when its sentence names one ("Kyiv called the territorial point
    unacceptable" → territory), else None (a stance on the plan as a whole)."""
    lexicon, phrase = _lexicon()
    for match in phrase.finditer(ref.context):
        topic = lexicon.topic(match.group(0))
        if topic != "other":
            return topic
    return None


def family_name(plan: str) -> str:
    """The family a plan version belongs to ("28-point plan" → "US peace plan"), else the plan itself."""
    return catalogue().family_of(plan) or plan


@dataclass(slots=True)
class Version:
    plan: str
    document_id: str
    source: str | None
    published: datetime | None
    provisions: dict[str, FactRef] = field(default_factory=dict)  # topic -> provision

    def to_dict(self) -> dict[str, Any]:
        return {
            "plan": self.plan,
            "document_id": self.document_id,
            "source": self.source,
            "published": self.published.isoformat() if self.published else None,
            "provisions": [
                {"topic": t, "number": r.fact.number, "text": r.fact.text, "fact_id": r.id}
                for t, r in self.provisions.items()
            ],
        }


@dataclass(frozen=True, slots=True)
class Change:
    kind: str  # added | dropped | changed
    topic: str
    before: str | None
    after: str | None
    version: Version  # the account the change appears in
    since: str | None = None  # the plan version the topic was known from, when the change crosses versions

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "topic": self.topic,
            "before": self.before,
            "after": self.after,
            "plan": self.version.plan,
            "from_plan": self.since,
            "document_id": self.version.document_id,
            "source": self.version.source,
            "published": self.version.published.isoformat() if self.version.published else None,
        }


@dataclass(frozen=True, slots=True)
class Carrier:
    """One report of a reading: which document, outlet and voice carry it, and when."""

    document_id: str
    source: str | None
    voice: str
    published: datetime | None
    text: str
    fact_id: int | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "document_id": self.document_id,
            "source": self.source,
            "voice": self.voice,
            "published": self.published.isoformat() if self.published else None,
            "text": self.text,
            "fact_id": self.fact_id,
        }


@dataclass(frozen=True, slots=True)
class Reading:
    """One figure a provision is reported with, and every report that gives it."""

    value: float
    unit: str | None
    label: str  # the figure as first written ("800,000")
    carriers: tuple[Carrier, ...]

    @property
    def sources(self) -> list[str]:
        return list(dict.fromkeys(c.source or "unknown source" for c in self.carriers))

    def to_dict(self) -> dict[str, Any]:
        return {
            "value": self.value,
            "unit": self.unit,
            "label": self.label,
            "sources": self.sources,
            "carriers": [c.to_dict() for c in self.carriers],
        }


@dataclass(frozen=True, slots=True)
class Variant:
    """Sources disagreeing on one provision of one plan version at about the same time."""

    plan: str
    topic: str
    readings: tuple[Reading, ...]  # most carriers first

    def to_dict(self) -> dict[str, Any]:
        return {"plan": self.plan, "topic": self.topic, "readings": [r.to_dict() for r in self.readings]}


def plan_name(refs: list[FactRef], text: str | None = None) -> str:
    named = Counter(r.fact.plan for r in refs if r.fact.plan)
    if named:
        return str(named.most_common(1)[0][0])
    if text:
        m = _N_POINT.search(text)
        if m:
            return f"{m.group(1)}-point plan"
    return UNNAMED


def versions(corpus: Corpus, at: datetime | None = None) -> list[Version]:
    """Every document's account of each plan it reports (published by ``at``), in time order. A
    provision with no plan of its own joins the plan its document reports most."""
    by_doc: dict[str, list[FactRef]] = defaultdict(list)
    for ref in corpus.facts.get("provisions", []):
        if at is None or (ref.published is not None and ref.published <= at):
            by_doc[ref.document_id].append(ref)
    out: list[Version] = []
    for doc_id, refs in by_doc.items():
        fallback = plan_name(refs, " ".join(r.context for r in refs))
        accounts: dict[str, Version] = {}
        for r in refs:
            name = r.fact.plan or fallback
            if name not in accounts:
                accounts[name] = Version(name, doc_id, corpus.source_of(doc_id), r.published)
            accounts[name].provisions.setdefault(r.fact.topic, r)
        out.extend(accounts.values())
    out.sort(key=lambda v: (v.published is None, v.published or datetime.min, v.document_id))
    return out


def figures(ref: FactRef, corpus: Corpus) -> dict[str | None, tuple[float, str]]:
    """The figures a provision states: per unit, the first value in its text (a later one is usually a
    comparison: "800,000, instead of the 600,000 in the US version"), with the words that give it."""
    out: dict[str | None, tuple[float, str]] = {}
    quantities = sorted(corpus.facts_in("quantities", ref.document_id), key=lambda q: q.fact.start)
    for q in quantities:
        if ref.fact.start <= q.fact.start and q.fact.end <= ref.fact.end:
            out.setdefault(q.fact.unit, (q.fact.value, q.fact.text))
    return out


def _conflict(a: dict[str | None, tuple[float, str]], b: dict[str | None, tuple[float, str]]) -> set[str | None]:
    """The units both give with different values."""
    return {u for u in a.keys() & b.keys() if a[u][0] != b[u][0]}


def _is_revision(ref: FactRef) -> bool:
    return _lexicon()[0].revision.search(ref.fact.text) is not None


def diff(
    old: Version,
    new: Version,
    corpus: Corpus,
    variants: set[tuple[str, str]] | None = None,
    plan_of: dict[str, str] | None = None,
) -> list[Change]:
    """What ``new`` says differently from ``old`` (the plan as known so far, or an earlier account).

    A topic ``old`` lacks is **added**. A topic whose figures conflict is **changed**, unless
    ``(plan, topic)`` is in ``variants`` and both texts are of that one version (sources disagreeing at
    about the same time, listed as a variant instead). A topic a later version rewords as a revision
    is changed; so is one whose wording shares less than half its content words *when both accounts
    come from one outlet in one voice* (different outlets paraphrase, and a speaker the outlet quotes
    is not its account of the plan: neither is a change of the plan). A topic
    ``new`` lacks is **dropped** only when ``new`` is a full account: it lists at least half as many
    topics as ``old``, and it is a later version than the one the topic was known from, or comes from
    the outlet that reported the topic, or more than ``SELECTION_DAYS`` after it (within one version and
    a few days, another outlet's shorter list is a selection, not a drop). ``plan_of`` gives the
    version each of ``old``'s topics was known from (default: ``old.plan``).
    """
    changes: list[Change] = []
    for topic, ref in new.provisions.items():
        before = old.provisions.get(topic)
        if before is None:
            changes.append(Change("added", topic, None, ref.fact.text, new))
            continue
        before_plan = (plan_of or {}).get(topic, old.plan)
        crosses = before_plan != new.plan
        conflict = _conflict(figures(before, corpus), figures(ref, corpus))
        if conflict and not crosses and (new.plan, topic) in (variants or set()):
            continue
        # one outlet rewording its own account (not a speaker it quotes: "Putin said the plan …")
        same_outlet = (
            corpus.origin_source(before.document_id) == corpus.origin_source(ref.document_id)
            and before.voice == ref.voice
        )
        words = jaccard(set(content_words(before.fact.text)), set(content_words(ref.fact.text)))
        if conflict or (same_outlet and words < 0.5) or (crosses and _is_revision(ref)):
            since = before_plan if crosses else None
            changes.append(Change("changed", topic, before.fact.text, ref.fact.text, new, since))
    if len(new.provisions) * 2 < len(old.provisions):
        return changes  # a partial account (a few points quoted) drops nothing
    for topic, ref in old.provisions.items():
        if topic in new.provisions:
            continue
        # within one version and a few days, another outlet's shorter list is a selection, not a drop
        newer = (plan_of or {}).get(topic, old.plan) != new.plan
        later = (
            new.published is not None
            and ref.published is not None
            and new.published - ref.published > timedelta(days=SELECTION_DAYS)
        )
        if newer or later or corpus.origin_source(ref.document_id) == corpus.origin_source(new.document_id):
            changes.append(Change("dropped", topic, ref.fact.text, None, new))
    return changes


@dataclass(slots=True)
class Known:
    """The plan as known after a run of accounts: the latest text of every topic, its version and the
    account it came from."""

    provisions: dict[str, FactRef] = field(default_factory=dict)
    plan_of: dict[str, str] = field(default_factory=dict)
    account_of: dict[str, Version] = field(default_factory=dict)

    def learn(self, account: Version) -> None:
        self.provisions.update(account.provisions)
        self.plan_of.update(dict.fromkeys(account.provisions, account.plan))
        self.account_of.update(dict.fromkeys(account.provisions, account))

    def forget(self, topic: str) -> None:
        for d in (self.provisions, self.plan_of, self.account_of):
            d.pop(topic, None)

    def to_dict(self) -> list[dict[str, Any]]:
        out = []
        for t, r in self.provisions.items():
            account = self.account_of[t]
            out.append(
                {
                    "topic": t,
                    "plan": self.plan_of[t],
                    "number": r.fact.number,
                    "text": r.fact.text,
                    "source": account.source,
                    "published": account.published.isoformat() if account.published else None,
                    "document_id": r.document_id,
                    "fact_id": r.id,
                }
            )
        return out


def walk(chosen: list[Version], corpus: Corpus, variants: list[Variant] | None = None) -> tuple[list[Change], Known]:
    """Each account compared with the plan as known before it (the latest text of every topic, less
    the topics a full account dropped); the first account is the baseline. ``chosen`` is in version
    order, then time order (as :func:`plan` sorts it). Returns the changes and the plan as known."""
    changes: list[Change] = []
    known = Known()
    if not chosen:
        return changes, known
    disputed = {(v.plan, v.topic) for v in variants or []}
    known.learn(chosen[0])
    for account in chosen[1:]:
        old = Version(account.plan, "", None, None, known.provisions)
        found = diff(old, account, corpus, disputed, known.plan_of)
        changes.extend(found)
        for ch in found:
            if ch.kind == "dropped":
                known.forget(ch.topic)
        known.learn(account)
    return changes, known


def history(chosen: list[Version], corpus: Corpus, variants: list[Variant] | None = None) -> list[Change]:
    """The changes of :func:`walk`."""
    return walk(chosen, corpus, variants)[0]


def variants(chosen: list[Version], corpus: Corpus, window_days: int = VARIANT_DAYS) -> list[Variant]:
    """Provisions of one version that two outlets report with conflicting figures at most ``window_days``
    calendar days apart. Once they do, every report of that provision is a carrier of one reading."""
    reports: dict[tuple[str, str], list[tuple[Version, FactRef, dict[str | None, tuple[float, str]]]]] = defaultdict(
        list
    )
    for account in chosen:
        for topic, ref in account.provisions.items():
            found = figures(ref, corpus)
            if found:
                reports[(account.plan, topic)].append((account, ref, found))
    out: list[Variant] = []
    for (plan, topic), items in reports.items():
        units: set[str | None] = set()
        for i, (va, ra, fa) in enumerate(items):
            for vb, rb, fb in items[i + 1 :]:
                if corpus.origin_source(ra.document_id) == corpus.origin_source(rb.document_id):
                    continue
                if va.published is None or vb.published is None:
                    continue
                if abs((va.published.date() - vb.published.date()).days) > window_days:
                    continue
                units |= _conflict(fa, fb)
        if not units:
            continue
        unit = sorted(units, key=str)[0]
        by_value: dict[float, list[tuple[Version, FactRef, str]]] = defaultdict(list)
        for account, ref, found in items:
            if unit in found:
                by_value[found[unit][0]].append((account, ref, found[unit][1]))
        readings = [
            Reading(
                value,
                unit,
                carried[0][2],
                tuple(Carrier(a.document_id, a.source, r.voice, a.published, r.fact.text, r.id) for a, r, _ in carried),
            )
            for value, carried in by_value.items()
        ]
        readings.sort(key=lambda r: (-len(r.sources), r.carriers[0].published or datetime.min))
        out.append(Variant(plan, topic, tuple(readings)))
    return out


@dataclass(slots=True)
class Cell:
    actor: str
    target: str
    stance: str
    since: datetime | None
    evidence: list[dict[str, Any]]
    topic: str | None = None  # a provision of the target, or None: the target as a whole


@dataclass(slots=True)
class PlanView:
    name: str
    versions: list[Version]  # accounts, in version order, then time order
    changes: list[Change]
    matrix: list[Cell]
    stance_changes: list[StanceChange] = field(default_factory=list)
    variants: list[Variant] = field(default_factory=list)
    lineage: list[str] = field(default_factory=list)  # the plan's versions in order, as reported
    known: Known = field(default_factory=Known)

    @property
    def current(self) -> Version | None:
        return self.versions[-1] if self.versions else None

    def to_dict(self) -> dict[str, Any]:
        disputed = {(v.plan, v.topic) for v in self.variants}
        return {
            "plan": self.name,
            "lineage": self.lineage,
            "current": self.current.to_dict() if self.current else None,
            "provisions": [{**p, "variant": (p["plan"], p["topic"]) in disputed} for p in self.known.to_dict()],
            "versions": [v.to_dict() for v in self.versions],
            "changes": [c.to_dict() for c in self.changes],
            "variants": [v.to_dict() for v in self.variants],
            "stances": [
                {
                    "actor": c.actor,
                    "target": c.target,
                    "provision": c.topic,
                    "stance": c.stance,
                    "since": c.since.isoformat() if c.since else None,
                    "evidence": c.evidence,
                }
                for c in self.matrix
            ],
            "stance_changes": [c.to_dict() for c in self.stance_changes],
        }


def stance_matrix(corpus: Corpus, at: datetime | None = None, targets: set[str] | None = None) -> list[Cell]:
    """Actors × targets × provisions: each cell is the latest stance at ``at`` with every report
    behind it. A stance whose sentence names one provision ("rejects the territorial provisions") is
    filed under that provision's topic, not under the plan as a whole."""
    cells: dict[tuple[str, str, str], list[FactRef]] = defaultdict(list)
    for ref in corpus.facts.get("stances", []):
        if at is not None and (ref.published is None or ref.published > at):
            continue
        if targets is not None and ref.fact.target.casefold() not in targets:
            continue
        cells[(ref.fact.actor, ref.fact.target, stance_topic(ref) or "")].append(ref)
    out = []
    for (actor, target, topic), refs in sorted(cells.items()):
        refs.sort(key=lambda r: (r.published is not None, r.published or datetime.min))  # undated first
        latest = refs[-1].fact.stance
        since = refs[-1].published
        for r in reversed(refs):
            if r.fact.stance != latest:
                break
            since = r.published
        evidence = [
            {
                "stance": r.fact.stance,
                "document_id": r.document_id,
                "source": corpus.source_of(r.document_id),
                "published": r.published.isoformat() if r.published else None,
                "certainty": r.certainty,
                "text": r.context,
                "fact_id": r.id,
            }
            for r in refs
        ]
        out.append(Cell(actor, target, latest, since, evidence, topic or None))
    return out


@dataclass(frozen=True, slots=True)
class StanceChange:
    """An actor's stance on a target that changed: the new stance first reported ``when``."""

    actor: str
    target: str
    before: str
    after: str
    when: datetime
    document_id: str
    source: str | None
    text: str
    topic: str | None = None  # a provision of the target, or None: the target as a whole

    def to_dict(self) -> dict[str, Any]:
        return {
            "actor": self.actor,
            "target": self.target,
            "provision": self.topic,
            "before": self.before,
            "after": self.after,
            "when": self.when.isoformat(),
            "document_id": self.document_id,
            "source": self.source,
            "text": self.text,
        }


def stance_changes(
    corpus: Corpus, at: datetime | None = None, targets: set[str] | None = None, window_days: int = 3
) -> list[StanceChange]:
    """Stances that changed over time: a report of another stance more than ``window_days`` after the
    last report of the previous one. Closer than that, the two are a contradiction (reported by
    ``analyse.contradictions``), not a change."""
    by_cell: dict[tuple[str, str, str], list[FactRef]] = defaultdict(list)
    for ref in corpus.facts.get("stances", []):
        if ref.published is None or (at is not None and ref.published > at):
            continue
        if targets is not None and ref.fact.target.casefold() not in targets:
            continue
        by_cell[(ref.fact.actor, ref.fact.target, stance_topic(ref) or "")].append(ref)
    window = timedelta(days=window_days)
    out: list[StanceChange] = []
    for (actor, target, topic), refs in sorted(by_cell.items()):
        refs.sort(key=lambda r: r.published or datetime.min)
        current, last_seen = refs[0].fact.stance, refs[0].published
        for r in refs[1:]:
            assert r.published is not None and last_seen is not None
            if r.fact.stance == current:
                last_seen = r.published
                continue
            if r.published - last_seen > window:
                out.append(
                    StanceChange(
                        actor,
                        target,
                        current,
                        r.fact.stance,
                        r.published,
                        r.document_id,
                        corpus.source_of(r.document_id),
                        r.context,
                        topic or None,
                    )
                )
                current, last_seen = r.fact.stance, r.published
    out.sort(key=lambda c: c.when)
    return out


def plan_names(corpus: Corpus) -> list[str]:
    """One name per plan: its family's name for a catalogued plan ("US peace plan"), else its own."""
    return list(dict.fromkeys(family_name(v.plan) for v in versions(corpus)))


def plan(corpus: Corpus, name: str, at: datetime | None = None) -> PlanView:
    """The plan whose name (or family's name) contains ``name`` (case-insensitive), with every version
    of its family: accounts, changes, variants and stances."""
    wanted = name.casefold().strip()
    every = versions(corpus, at)
    matched = {v.plan for v in every if wanted in v.plan.casefold() or wanted in family_name(v.plan).casefold()}
    lineages = [catalogue().lineage(p) for p in sorted(matched)]
    order = list(dict.fromkeys(p for lineage in lineages for p in lineage))
    rank = {p: i for i, p in enumerate(order)}
    chosen = sorted(
        (v for v in every if v.plan in rank),
        key=lambda v: (rank[v.plan], v.published is None, v.published or datetime.min, v.document_id),
    )
    reported = [p for p in order if any(v.plan == p for v in chosen)]
    families = list(dict.fromkeys(family_name(p) for p in reported))
    label = " / ".join(families) if families else name
    found = variants(chosen, corpus)
    changes, known = walk(chosen, corpus, found)
    topics = {t for v in chosen for t in v.provisions}
    targets = {n.casefold() for n in [*order, *families]} | {t.casefold() for t in topics}
    targets |= {"peace plan", "plan", wanted}
    return PlanView(
        label,
        chosen,
        changes,
        stance_matrix(corpus, at, targets),
        stance_changes(corpus, at, targets),
        found,
        reported,
        known,
    )


__all__ = [
    "SELECTION_DAYS",
    "UNNAMED",
    "VARIANT_DAYS",
    "Carrier",
    "Cell",
    "Change",
    "Known",
    "PlanView",
    "Reading",
    "StanceChange",
    "Variant",
    "Version",
    "catalogue",
    "diff",
    "family_name",
    "figures",
    "history",
    "plan",
    "plan_name",
    "plan_names",
    "stance_changes",
    "stance_matrix",
    "stance_topic",
    "variants",
    "versions",
    "walk",
]
