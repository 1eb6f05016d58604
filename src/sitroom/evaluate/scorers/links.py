"""Claim linking and contradiction finding, across documents.

**links** (own fixture, ``eval/links/examples.json``, hand-annotated on the example corpus): every
gold mention (a document and the span where it states a claim) is mapped to the extracted claim
that overlaps it most. Over pairs of mentions in *different* documents that both map to a claim:
precision = pairs put in one group that the fixture also links / pairs put in one group; recall =
linked pairs of the fixture put in one group / linked pairs. ``mention_coverage``: the share of gold
mentions that fall on any claim at all. Contradictions: a gold contradiction is found when one
reported contradiction has evidence from a document of its side A and from a document of its side
B; recall over the 14 gold rows; precision = reported contradictions that match a gold row / all
reported (a lower bound: the fixture is not exhaustive).

**emergent-claims** (public, Emergent test split): the 524 article headlines are linked with the
same code (one claim per headline, in file order, no dates); the groups are compared with the 60
claim ids by pairwise precision / recall / F1 and B-cubed F1. Three settings are reported: words and
keys (the default), words only, keys only. No threshold was tuned on this set.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from itertools import combinations
from pathlib import Path
from typing import Any

import feedparser

from ...analyse.contradictions import find as find_contradictions
from ...ingest import read_file
from ...link import Claim, Corpus, LinkOptions, link_claims
from ...link.claims import text_claim
from ...model import Document
from ..context import Context
from ..datasets import emergent, hash_files
from ..metrics import PRF
from ..report import DatasetRun, Score

LINKS = "links"
EMERGENT = "emergent-claims"


@dataclass(frozen=True, slots=True)
class Mention:
    group: str
    document_id: str
    start: int
    end: int


def _fixture_paths(ctx: Context) -> tuple[Path, Path]:
    """The fixture (``links/examples.json`` beside the gold folder) and its corpus folder, which the
    fixture's ``corpus`` field names relative to the folder above (the repository for eval/)."""
    fixture = ctx.gold.parent / "links" / "examples.json"
    corpus = "examples/corpus"
    if fixture.is_file():
        corpus = str(json.loads(fixture.read_text(encoding="utf-8")).get("corpus", corpus))
    return fixture, ctx.gold.parent.parent / corpus


def _documents(corpus_dir: Path, fixture: dict[str, Any]) -> dict[tuple[str, str | None], Document]:
    """(relative path, feed entry id or None) → the Document sitroom reads for it."""
    out: dict[tuple[str, str | None], Document] = {}
    mentions = [m for link in fixture["links"] for m in link["mentions"]]
    mentions += [m for x in fixture["contradictions"] for side in ("a", "b") for m in x.get(side, [])]
    for path in sorted({m["doc"] for m in mentions}):
        docs = read_file(corpus_dir / path)
        if path.endswith((".xml", ".atom", ".rss")):
            parsed = feedparser.parse((corpus_dir / path).read_bytes())
            link_of = {e.get("id"): e.get("link") for e in parsed.entries}
            by_url = {d.url: d for d in docs}
            for entry_id, link in link_of.items():
                if link in by_url:
                    out[(path, entry_id)] = by_url[link]
        else:
            out[(path, None)] = docs[0]
    return out


def _locate(doc: Document, evidence: str, occurrence: int = 1) -> tuple[int, int]:
    pos = -1
    for _ in range(max(1, occurrence)):
        pos = doc.text.find(evidence, pos + 1)
        if pos < 0:
            raise ValueError(f"evidence {evidence!r} not in {doc.origin}")
    return pos, pos + len(evidence)


def _mention(docs: dict[tuple[str, str | None], Document], group: str, m: dict[str, Any]) -> Mention:
    doc = docs[(m["doc"], m.get("entry"))]
    start, end = _locate(doc, m["evidence"], m.get("occurrence", 1))
    return Mention(group, doc.id, start, end)


def _claim_for(claims_by_doc: dict[str, list[Claim]], m: Mention) -> Claim | None:
    best, best_overlap = None, 0
    for c in claims_by_doc.get(m.document_id, []):
        overlap = min(c.end, m.end) - max(c.start, m.start)
        if overlap > best_overlap:
            best, best_overlap = c, overlap
    return best


def pairwise(gold: dict[str, str], predicted: dict[str, str], document_of: dict[str, str]) -> PRF:
    """Pairwise counts over items in different documents: ``gold``/``predicted`` map item → cluster."""
    prf = PRF()
    items = sorted(set(gold) & set(predicted))
    for a, b in combinations(items, 2):
        if document_of[a] == document_of[b]:
            continue
        same_gold = gold[a] == gold[b]
        same_pred = predicted[a] == predicted[b]
        if same_gold and same_pred:
            prf.tp += 1
        elif same_pred:
            prf.fp += 1
        elif same_gold:
            prf.fn += 1
    return prf


def bcubed(gold: dict[str, str], predicted: dict[str, str]) -> float:
    """B-cubed F1 of a clustering (every item in both maps)."""
    by_gold: dict[str, set[str]] = defaultdict(set)
    by_pred: dict[str, set[str]] = defaultdict(set)
    for item, g in gold.items():
        by_gold[g].add(item)
        by_pred[predicted[item]].add(item)
    p = r = 0.0
    for item in gold:
        shared = len(by_gold[gold[item]] & by_pred[predicted[item]])
        p += shared / len(by_pred[predicted[item]])
        r += shared / len(by_gold[gold[item]])
    p, r = p / len(gold), r / len(gold)
    return 2 * p * r / (p + r) if p + r else 0.0


def evaluate_links(ctx: Context) -> DatasetRun:
    fixture_path, corpus_dir = _fixture_paths(ctx)
    if not fixture_path.is_file() or not corpus_dir.is_dir():
        return DatasetRun(LINKS, "error", note=f"no fixture at {fixture_path}")
    fixture = json.loads(fixture_path.read_text(encoding="utf-8"))
    docs = _documents(corpus_dir, fixture)
    unique = list({d.id: d for d in docs.values()}.values())
    extracted = ctx.extract(unique, LINKS)
    corpus = Corpus.from_extractions((ex, {}) for _d, ex in extracted.results(unique))
    claims_by_doc: dict[str, list[Claim]] = defaultdict(list)
    for c in corpus.claims:
        claims_by_doc[c.document_id].append(c)
    group_of = {c.id: g.id for g in corpus.groups for c in g.claims}

    gold: dict[str, str] = {}
    predicted: dict[str, str] = {}
    document_of: dict[str, str] = {}
    covered = total = 0
    for link in fixture["links"]:
        seen_docs: set[str] = set()
        for raw in link["mentions"]:
            m = _mention(docs, link["id"], raw)
            if m.document_id in seen_docs:
                continue  # the byte-identical duplicate is one document
            seen_docs.add(m.document_id)
            total += 1
            claim = _claim_for(claims_by_doc, m)
            if claim is None:
                continue
            covered += 1
            key = f"{link['id']}:{m.document_id}"
            gold[key] = link["id"]
            predicted[key] = group_of[claim.id]
            document_of[key] = m.document_id
    links = pairwise(gold, predicted, document_of)

    found = 0
    reported = find_contradictions(corpus)
    matched_reported: set[int] = set()
    for x in fixture["contradictions"]:
        docs_a = {_mention(docs, x["id"], m).document_id for m in x.get("a", [])}
        docs_b = {_mention(docs, x["id"], m).document_id for m in x.get("b", [])}
        hit = False
        for i, r in enumerate(reported):
            ra = {e.document_id for e in r.a}
            rb = {e.document_id for e in r.b}
            if (ra & docs_a and rb & docs_b) or (ra & docs_b and rb & docs_a):
                hit = True
                matched_reported.add(i)
        found += hit
    n_gold = len(fixture["contradictions"])
    recall = found / n_gold if n_gold else None
    precision = len(matched_reported) / len(reported) if reported else None
    f1 = 2 * precision * recall / (precision + recall) if precision and recall else 0.0
    scores = [
        Score("linking", LINKS, "pairwise_f1", links.f1, links.n_gold, "mention pairs"),
        Score("linking", LINKS, "pairwise_precision", links.precision, links.n_gold, "mention pairs"),
        Score("linking", LINKS, "pairwise_recall", links.recall, links.n_gold, "mention pairs"),
        Score("linking", LINKS, "mention_coverage", covered / total if total else None, total, "mentions"),
        Score("contradictions", LINKS, "recall", recall, n_gold, "contradictions"),
        Score("contradictions", LINKS, "precision_lower_bound", precision, len(reported), "reported"),
        Score("contradictions", LINKS, "f1", f1, n_gold, "contradictions"),
    ]
    return DatasetRun(
        LINKS,
        "ok",
        scores=scores,
        data_hash=hash_files([fixture_path], fixture_path.parent),
        documents=len(unique),
        sample_note=f"{len(fixture['links'])} links, {total} mentions, {n_gold} contradictions",
        extraction_errors=extracted.errors,
    )


def headline_claims(items: Iterable[emergent.Item]) -> list[Claim]:
    return [text_claim(f"{item.article_id}:{i}", item.headline) for i, item in enumerate(items)]


SETTINGS = (
    ("", LinkOptions()),
    ("words_only_", LinkOptions(use_keys=False)),
    ("keys_only_", LinkOptions(use_words=False)),
)


def evaluate_emergent_claims(ctx: Context) -> DatasetRun:
    root = ctx.datasets / "emergent_test"
    if not emergent.available(root):
        return DatasetRun(EMERGENT, "skipped", note=f"not found: {root}")
    items, _skipped = emergent.load(root)
    claims = headline_claims(items)
    gold = {c.id: item.claim_id for c, item in zip(claims, items, strict=True)}
    document_of = {c.id: c.document_id for c in claims}
    scores: list[Score] = []
    for prefix, options in SETTINGS:
        groups = link_claims(claims, replace(options))
        predicted = {c.id: g.id for g in groups for c in g.claims}
        prf = pairwise(gold, predicted, document_of)
        scores += [
            Score("linking", EMERGENT, f"{prefix}pairwise_f1", prf.f1, prf.n_gold, "headline pairs"),
            Score("linking", EMERGENT, f"{prefix}bcubed_f1", bcubed(gold, predicted), len(claims), "headlines"),
        ]
        if not prefix:
            scores += [
                Score("linking", EMERGENT, "pairwise_precision", prf.precision, prf.n_gold, "headline pairs"),
                Score("linking", EMERGENT, "pairwise_recall", prf.recall, prf.n_gold, "headline pairs"),
            ]
    return DatasetRun(
        EMERGENT,
        "ok",
        scores=scores,
        data_hash=hash_files(emergent.files(root), root),
        documents=len(claims),
        sample_note=f"all {len(claims)} headlines, {len(set(gold.values()))} claims",
    )


__all__ = ["EMERGENT", "LINKS", "bcubed", "evaluate_emergent_claims", "evaluate_links", "headline_claims", "pairwise"]
