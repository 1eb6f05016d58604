"""Markdown and JSON views of the linked story: claim groups, places, a plan, the predictions ledger,
contradictions and source records. Source text is escaped for Markdown (never emitted as HTML)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from ..analyse.contradictions import Contradiction
from ..analyse.ground import PlaceState
from ..analyse.plans import PlanView
from ..analyse.predictions import LedgerEntry
from ..analyse.records import Record
from ..link.corpus import Corpus
from ..link.groups import ClaimGroup
from ..link.persist import group_record
from ..store.records import StoredClaimGroup
from .brief import md_escape as md


def _day(value: datetime | None) -> str:
    return value.date().isoformat() if value else "undated"


def group_dict(corpus: Corpus, group: ClaimGroup) -> dict[str, Any]:
    return stored_group_dict(group_record(group, 0, corpus.source_of))


def stored_group_dict(group: StoredClaimGroup) -> dict[str, Any]:
    """A claim group (stored, or computed and turned into its stored form) as JSON-ready data."""
    return {
        "id": group.id,
        "text": group.text,
        "independent_sources": len(group.sources),
        "sources": group.sources,
        "all_sources": group.all_sources,
        "first": {
            "source": group.first_source,
            "speaker": group.first_speaker,
            "published": _iso(group.first_published),
            "document_id": group.first_document_id,
        },
        "latest": {
            "source": group.latest_source,
            "published": _iso(group.latest_published),
            "document_id": group.latest_document_id,
        },
        "strongest_certainty": group.strongest_certainty,
        "denied_by": [c.voice for c in group.members if c.certainty == "denied"],
        "claims": [
            {
                "document_id": c.document_id,
                "start": c.start,
                "end": c.end,
                "text": c.text,
                "speaker": c.speaker,
                "source": c.source,
                "certainty": c.certainty,
                "copy_of": c.origin_id,
                "published": _iso(c.published),
                "timestamp": c.timestamp,
            }
            for c in group.members
        ],
    }


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def to_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2) + "\n"


def claims_md(corpus: Corpus, groups: Iterable[ClaimGroup]) -> str:
    return stored_claims_md(group_record(g, 0, corpus.source_of) for g in groups)


def stored_claims_md(groups: Iterable[StoredClaimGroup]) -> str:
    """Claim groups (stored, or computed and turned into their stored form) as Markdown."""
    lines = ["# Claims", ""]
    for g in groups:
        lines.append(f"## {md(g.text)}")
        lines.append("")
        lines.append(
            f"- {len(g.sources)} independent source(s): {md(', '.join(g.sources))}; strongest certainty: "
            f"{g.strongest_certainty}"
        )
        lines.append(
            f"- first reported by {md(g.first_source or 'unknown source')} on {_day(g.first_published)}; "
            f"latest {md(g.latest_source or 'unknown source')} on {_day(g.latest_published)}"
        )
        for c in g.members:
            if c.certainty == "denied":
                lines.append(f"- denied by {md(c.voice)} ({md(c.source or 'unknown source')}, {_day(c.published)})")
        for c in g.members:
            copy = " (copy)" if c.origin_id is not None else ""
            lines.append(
                f"  - {md(c.source or 'unknown source')}{copy}, {_day(c.published)}, {md(c.voice)}, "
                f"{c.certainty}: {md(c.text)}"
            )
        lines.append("")
    return "\n".join(lines) + "\n"


def places_md(states: Iterable[PlaceState]) -> str:
    lines = [
        "# The ground",
        "",
        "| place | status | by | since | last report | sources | disputed |",
        "|---|---|---|---|---|---|---|",
    ]
    for s in states:
        disputed = "; ".join(f"{k}: {', '.join(v)}" for k, v in s.rival.items()) if s.disputed else ""
        lines.append(
            f"| {md(s.name)} | {s.status} | {md(s.by or '')} | {_day(s.since)} | {_day(s.last_report)} | "
            f"{md(', '.join(s.sources))} | {md(disputed)} |"
        )
    return "\n".join(lines) + "\n"


def plan_md(view: PlanView) -> str:
    lines = [f"# {md(view.name)}", ""]
    if not view.versions:
        return "\n".join([*lines, "No provisions reported for this plan.", ""])
    if len(view.lineage) > 1:
        lines += [f"Versions as reported: {md(' → '.join(view.lineage))}.", ""]
    current = view.versions[-1]
    lines += [f"Latest account: {md(current.source or 'unknown source')}, {_day(current.published)}.", ""]
    disputed = {(v.plan, v.topic) for v in view.variants}
    lines += ["## The plan as known", ""]
    for topic, ref in view.known.provisions.items():
        plan = view.known.plan_of[topic]
        account = view.known.account_of[topic]
        source = f"{md(account.source or 'unknown source')}, {_day(account.published)}"
        mark = " (sources differ: see Variants)" if (plan, topic) in disputed else ""
        lines.append(f"- **{topic}** ({md(plan)}; {source}): {md(ref.fact.text)}{mark}")
    if view.variants:
        lines += ["", "## Variants (sources differ at about the same time)", ""]
        for variant in view.variants:
            readings = "; ".join(f"{md(r.label)}: {md(', '.join(r.sources))}" for r in variant.readings)
            lines.append(f"- {variant.topic} ({md(variant.plan)}): {readings}")
    lines += ["", "## Accounts", ""]
    for v in view.versions:
        lines.append(
            f"- {_day(v.published)} {md(v.source or 'unknown source')} ({md(v.plan)}): {', '.join(v.provisions)}"
        )
    if view.changes:
        lines += ["", "## What changed", ""]
        for ch in view.changes:
            where = f"{md(ch.version.source or 'unknown source')}, {_day(ch.version.published)}"
            step = f"{md(ch.since)} → {md(ch.version.plan)}" if ch.since else md(ch.version.plan)
            detail = md(ch.after or ch.before or "")
            lines.append(f"- {ch.kind}: {ch.topic} ({step}; {where}): {detail}")
    if view.stance_changes:
        lines += ["", "## Stance changes", ""]
        for sc in view.stance_changes:
            lines.append(
                f"- {_day(sc.when)}: {md(sc.actor)} on {md(sc.target)}{f' ({sc.topic})' if sc.topic else ''}: "
                f"{sc.before} → {sc.after} "
                f"({md(sc.source or 'unknown source')}): {md(sc.text)}"
            )
    if view.matrix:
        lines += [
            "",
            "## Stances",
            "",
            "| actor | target | provision | stance | since | reports |",
            "|---|---|---|---|---|---|",
        ]
        for cell in view.matrix:
            lines.append(
                f"| {md(cell.actor)} | {md(cell.target)} | {cell.topic or 'the whole plan'} | {cell.stance} | "
                f"{_day(cell.since)} | {len(cell.evidence)} |"
            )
    return "\n".join(lines) + "\n"


def predictions_md(entries: Iterable[LedgerEntry]) -> str:
    lines = [
        "# Predictions",
        "",
        "| id | by | what | deadline | p | status | suggestion |",
        "|---|---|---|---|---|---|---|",
    ]
    for e in entries:
        status = f"{e.status}: {e.outcome}" if e.outcome else e.status
        hint = ""
        if e.suggestions:
            s = e.suggestions[0]
            hint = f"{s.outcome}? {md(s.source or 'unknown source')} {_day(s.published)}"
        lines.append(
            f"| {e.id} | {md(e.by or 'unknown')} | {md(e.what)} | {e.deadline or '—'} | {e.probability:.2f} | "
            f"{status} | {hint} |"
        )
    return "\n".join(lines) + "\n"


def contradictions_md(items: Iterable[Contradiction]) -> str:
    lines = ["# Contradictions", ""]
    for x in items:
        lines.append(f"## {x.kind}: {md(x.subject)}")
        for side, evidence in (("A", x.a), ("B", x.b)):
            for e in evidence:
                lines.append(
                    f"- {side} — {md(e.value)} — {md(e.source or 'unknown source')}, {_day(e.published)}, "
                    f"{md(e.voice)}: {md(e.text)}"
                )
        lines.append("")
    return "\n".join(lines) + "\n"


def records_md(items: Iterable[Record]) -> str:
    lines = [
        "# Sources and speakers",
        "",
        "| name | kind | claims | first reports | corroborated | contradictions | predictions | resolved | right "
        "| Brier |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in items:
        rate = f"{r.corroboration_rate:.0%}" if r.corroboration_rate is not None else "—"
        score = f"{r.brier:.3f}" if r.brier is not None else "—"
        lines.append(
            f"| {md(r.name)} | {r.kind} | {r.claims} | {r.first_reports} | {rate} | {r.contradictions} | "
            f"{r.predictions} | {r.resolved} | {r.right} | {score} |"
        )
    return "\n".join(lines) + "\n"


__all__ = [
    "claims_md",
    "contradictions_md",
    "group_dict",
    "places_md",
    "plan_md",
    "predictions_md",
    "records_md",
    "stored_claims_md",
    "stored_group_dict",
    "to_json",
]
