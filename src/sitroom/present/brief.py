"""The brief: what is new since a moment, grouped the way an analyst writes, every line cited.

``build_brief(store, since=...)`` gathers the facts of the documents published (or, with
``ingested_after``, stored) since then into a ``Brief``; ``render_markdown`` and ``render_html``
(in ``html.py``) turn it into text. Sections: the plan and positions, the ground, numbers,
predictions, who said what.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from ..model import Document, Extraction
from ..store import Store

if TYPE_CHECKING:
    from ..analyse.snapshot import Moves
    from ..link import Corpus

_SAFE_URL = re.compile(r"https?://[^\s<>()\[\]`\\]+")
CERTAINTY_WORDS = {
    "asserted": "says",
    "hedged": "suggests (hedged)",
    "rumoured": "rumoured",
    "denied": "denies",
    "questioned": "questions",
}
STATUS_WORDS = {
    "captured": "taken by",
    "contested": "fighting, with",
    "threatened": "threatened by",
}
TOPIC_TITLES = {
    "territory": "Territory",
    "army_size": "Size of Ukraine's army",
    "weapons_limits": "Limits on weapons",
    "foreign_troops": "Foreign troops",
    "nato_membership": "NATO membership",
    "security_guarantees": "Security guarantees",
    "language_religion": "Language and religion",
    "sanctions": "Sanctions",
    "frozen_assets": "Frozen assets",
    "elections": "Elections",
    "economic_cooperation": "Economic cooperation",
    "amnesty": "Amnesty",
    "nuclear_plant": "Zaporizhzhia nuclear plant",
    "ceasefire_monitoring": "Ceasefire and monitoring",
    "other": "Other provisions",
}


@dataclass(slots=True)
class Citation:
    number: int
    document: Document

    def label(self, offset: int | None = None) -> str:
        doc = self.document
        parts = [doc.source or "unknown source"]
        if doc.published:
            parts.append(doc.published.date().isoformat())
        if offset is not None and doc.cues:
            seconds = doc.timestamp_at(offset)
            if seconds is not None:
                parts.append(f"at {_clock(seconds)}")
        return ", ".join(parts)


@dataclass(slots=True)
class Line:
    """One statement of the brief: text (source words quoted, never markup) and its citation."""

    text: str
    citation: int
    where: str  # "Source, date[, at mm:ss]"
    quote: str = ""


@dataclass(slots=True)
class Brief:
    title: str
    since: datetime | None
    generated: datetime
    documents: int
    sources: list[str]
    sections: dict[str, dict[str, list[Line]]] = field(default_factory=dict)
    citations: list[Citation] = field(default_factory=list)
    stale: str | None = None  # why "What moved" was computed from the corpus, not the stored analysis


def build_brief(
    store: Store,
    *,
    since: datetime | None = None,
    ingested_after: datetime | None = None,
    now: datetime | None = None,
    corpus: Corpus | None = None,
    moves: Moves | None = None,
) -> Brief:
    """Collect the stored facts of the documents new since ``since`` (published) or ``ingested_after``.

    ``corpus``: the store's linked corpus when the caller has it ready (the web app keeps one);
    by default "What moved" reads the stored analysis snapshot (``sitroom link`` makes it), or loads
    and analyses the corpus when that is stale (``Brief.stale`` says why). ``moves``: that analysis
    when the caller keeps one (``analyse.snapshot.CorpusMoves``: its events are computed once)."""
    documents = store.documents(since=since, ingested_after=ingested_after)
    extractions = [x for x, _ in store.iter_extractions([doc.id for doc in documents])]
    generated = now or datetime.now().astimezone()
    brief = Brief(
        title="What changed" + (f" since {since.date().isoformat()}" if since else ""),
        since=since or ingested_after,
        generated=generated,
        documents=len(documents),
        sources=sorted({d.source or "unknown source" for d in documents}),
    )
    numbers: dict[str, int] = {}
    for ex in extractions:
        numbers[ex.document.id] = len(brief.citations) + 1
        brief.citations.append(Citation(len(brief.citations) + 1, ex.document))
    brief.sections = {
        "What moved": _what_moved(store, brief, numbers, {d.id for d in documents}, since, generated, corpus, moves),
        "The plan and positions": _plan(extractions, numbers),
        "The ground": _ground(extractions, numbers),
        "Numbers": _numbers(extractions, numbers),
        "Predictions": _predictions(extractions, numbers),
        "Who said what": _who_said(extractions, numbers),
    }
    return brief


def _what_moved(
    store: Store,
    brief: Brief,
    numbers: dict[str, int],
    new: set[str],
    since: datetime | None,
    now: datetime,
    corpus: Corpus | None = None,
    moves: Moves | None = None,
) -> dict[str, list[Line]]:
    """Cross-source changes (see ``brief_story``); documents outside the window are cited as needed.

    Read from the stored analysis snapshot when it is fresh; else (or when ``corpus`` is given)
    computed from the corpus, and ``brief.stale`` says why."""
    from ..analyse import snapshot
    from ..link import Corpus
    from .brief_story import what_moved

    if not new:
        return {}
    if moves is not None:
        pass
    elif corpus is not None:
        moves = snapshot.CorpusMoves(corpus)
    else:
        brief.stale = snapshot.stale_reason(store)
        moves = snapshot.CorpusMoves(Corpus.load(store)) if brief.stale else snapshot.StoredMoves(store)
    pending: list[tuple[str, str, str, int | None]] = []
    what_moved(
        moves,
        new,
        lambda *line: pending.append(line),
        since=since,
        now=now,
        resolutions=store.prediction_resolutions(),
    )
    loaded = store.documents_by_id({doc_id for _, _, doc_id, _ in pending if doc_id not in numbers})
    groups: dict[str, list[Line]] = defaultdict(list)
    for heading, text, document_id, offset in pending:
        if document_id not in numbers:
            doc = loaded.get(document_id)
            if doc is None:
                continue
            numbers[document_id] = len(brief.citations) + 1
            brief.citations.append(Citation(numbers[document_id], doc))
        number = numbers[document_id]
        groups[heading].append(Line(text, number, brief.citations[number - 1].label(offset)))
    return dict(groups)


def _cite(ex: Extraction, numbers: dict[str, int], offset: int) -> tuple[int, str]:
    number = numbers[ex.document.id]
    return number, Citation(number, ex.document).label(offset)


def _voice(ex: Extraction, start: int, end: int) -> str:
    """Whose words a fact is in, and how sure: ' (according to Peskov, hedged)', or ''."""
    holders = [a for a in ex.attributions if a.start <= start and end <= a.end]
    if not holders:
        return ""
    inner = min(holders, key=lambda a: a.end - a.start)
    sureness = "" if inner.certainty == "asserted" else f", {inner.certainty}"
    return f" (according to {inner.speaker}{sureness})"


def _sentence_around(text: str, start: int, end: int, limit: int = 280) -> str:
    """The sentence holding text[start:end], cut to ``limit`` characters around it."""
    left = max(text.rfind(". ", 0, start), text.rfind("\n", 0, start)) + 1
    right_candidates = [i for i in (text.find(". ", end), text.find("\n", end)) if i != -1]
    right = min(right_candidates) + 1 if right_candidates else len(text)
    left = max(left, start - limit // 2)
    right = min(right, end + limit // 2)
    return text[left:right].strip()


def _plan(extractions: list[Extraction], numbers: dict[str, int]) -> dict[str, list[Line]]:
    groups: dict[str, list[Line]] = defaultdict(list)
    for ex in extractions:
        for prov in ex.provisions:
            n, where = _cite(ex, numbers, prov.start)
            prefix = f"({prov.number})" if prov.number else ""
            text = (prefix + _voice(ex, prov.start, prov.end)).strip()
            groups[TOPIC_TITLES.get(prov.topic, prov.topic)].append(Line(text, n, where, quote=prov.text))
    for ex in extractions:
        for stance in ex.stances:
            n, where = _cite(ex, numbers, stance.start)
            verb = {"support": "supports", "oppose": "opposes", "undecided": "is undecided on"}[stance.stance]
            text = f"{stance.actor} {verb} the {stance.target}" + _voice(ex, stance.start, stance.end)
            groups["Positions"].append(Line(text, n, where, quote=ex.document.text[stance.start : stance.end]))
    return dict(groups)


def _ground(extractions: list[Extraction], numbers: dict[str, int]) -> dict[str, list[Line]]:
    groups: dict[str, list[Line]] = defaultdict(list)
    for ex in extractions:
        for place in ex.places:
            if place.status == "mentioned":
                continue
            n, where = _cite(ex, numbers, place.start)
            by = f" {place.by}" if place.by else ""
            status = STATUS_WORDS.get(place.status, place.status)
            region = f" ({place.admin1})" if place.admin1 else ""
            text = f"{place.status}: {status}{by}".rstrip() + _voice(ex, place.start, place.end)
            quote = _sentence_around(ex.document.text, place.start, place.end)
            groups[place.name + region].append(Line(text, n, where, quote=quote))
    return dict(sorted(groups.items()))


def _numbers(extractions: list[Extraction], numbers: dict[str, int]) -> dict[str, list[Line]]:
    lines = []
    for ex in extractions:
        for q in ex.quantities:
            n, where = _cite(ex, numbers, q.start)
            about = f" — {q.about}" if q.about else ""
            lines.append(Line(f"{q.text}{about}" + _voice(ex, q.start, q.end), n, where))
    return {"": lines} if lines else {}


def _predictions(extractions: list[Extraction], numbers: dict[str, int]) -> dict[str, list[Line]]:
    lines = []
    for ex in extractions:
        for p in ex.predictions:
            n, where = _cite(ex, numbers, p.start)
            due = f" (due {p.deadline})" if p.deadline else " (no deadline)"
            cond = " [conditional]" if p.conditional else ""
            lines.append(Line(f"{p.by or 'unattributed'}: {p.what}{due}{cond}", n, where))
    lines.sort(key=lambda line: line.text)
    return {"": lines} if lines else {}


def _who_said(extractions: list[Extraction], numbers: dict[str, int]) -> dict[str, list[Line]]:
    groups: dict[str, list[Line]] = defaultdict(list)
    for ex in extractions:
        for a in ex.attributions:
            n, where = _cite(ex, numbers, a.start)
            via = ""
            if a.parent is not None and 0 <= a.parent < len(ex.attributions):
                via = f" (as reported by {ex.attributions[a.parent].speaker})"
            words = CERTAINTY_WORDS.get(a.certainty, a.certainty)
            groups[a.speaker].append(Line(f"{words} ({a.cue}){via}", n, where, quote=a.content))
    return dict(sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0])))


def _clock(seconds: float) -> str:
    whole = int(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def md_escape(text: str) -> str:
    """Source text inside Markdown: no markup, no HTML, one line."""
    out = " ".join(text.split())
    for ch in "\\`*_[]<>#|":
        out = out.replace(ch, "\\" + ch)
    return out


def render_markdown(brief: Brief) -> str:
    lines = [f"# {brief.title}", ""]
    lines.append(
        f"{brief.documents} documents from {len(brief.sources)} sources; generated "
        f"{brief.generated.strftime('%Y-%m-%d %H:%M %Z').strip()}."
    )
    lines.append("")
    for section, groups in brief.sections.items():
        if not groups:
            continue
        lines += [f"## {section}", ""]
        for heading, items in groups.items():
            if heading:
                lines += [f"### {md_escape(heading)}", ""]
            for item in items:
                quote = f"“{md_escape(item.quote)}”" if item.quote else ""
                body = " ".join(part for part in (md_escape(item.text), quote) if part)
                lines.append(f"- {body} — {md_escape(item.where)} [{item.citation}]")
            lines.append("")
    lines += ["## Sources", ""]
    for c in brief.citations:
        doc = c.document
        title = md_escape(doc.title or "(untitled)")
        url = f" <{doc.url}>" if doc.url and _SAFE_URL.fullmatch(doc.url) else ""
        lines.append(f"{c.number}. {md_escape(c.label())} — {title} (`{doc.id}`){url}")
    return "\n".join(lines).rstrip() + "\n"
