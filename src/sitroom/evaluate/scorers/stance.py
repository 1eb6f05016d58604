"""Headline stance (Emergent) and headline/body stance (FNC-1), read from sitroom's certainty cues.

Neither task is one sitroom's extractors perform: its ``stances`` are positions of actors on a plan. What
maps is certainty — how sure a text is of a claim, and whether it denies it — so both sets measure the
certainty signals (attribution certainty and hedge kinds) through a fixed rule of our own design. Nothing
is trained and no threshold was tuned on these test sets; the rules were written before the first run.

**Emergent** (headline toward a rumoured claim; for / against / observing). Only the article headline is
extracted; the claim is not used:

* a denial — an attribution with certainty ``denied`` or a hedge of kind ``denied`` — → against;
* otherwise any attribution (the headline reports someone's claim: "…, officials say") or any hedge of
  kind hedged, rumoured or questioned → observing;
* otherwise (the headline asserts the claim) → for.

**FNC-1** (body toward headline; agree / disagree / discuss / unrelated). Each body is extracted once and
reused for all its headlines:

1. *related or unrelated*, from lexical and entity overlap. Content words are lower-cased words of at
   least three letters or digits, minus a stop list, through a crude suffix stripper (-s, -es, -ies,
   -ed, -ing). ``share`` is the fraction of the headline's content words that occur in the body. A pair
   is related when ``share >= 0.4`` with at least two shared words, or ``share >= 0.25`` and the
   headline names an entity sitroom found in the body (a place's name or mention, an attribution's
   speaker).
2. *agree / disagree / discuss*, from the body sentences that share at least two headline content words
   (one, for headlines of at most three; the first three sentences if none do): a denial there (as
   above) → disagree; else a hedged, rumoured or questioned attribution or hedge there → discuss; else
   → agree.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from ...model import Document, Extraction
from ..context import Context
from ..datasets import emergent, fnc, hash_files, stable_sample
from ..metrics import FNC_LABELS, PRF, Accuracy, fnc_relative, macro_f1
from ..report import DatasetRun, Published, Score

EXTRACTOR = "certainty"
UNCERTAIN = frozenset({"hedged", "rumoured", "questioned"})
RELATED_SHARE = 0.4
RELATED_SHARE_WITH_ENTITY = 0.25
# fmt: off
_STOP = frozenset((
    "the", "and", "for", "with", "from", "that", "this", "these", "those", "was", "were", "are", "has", "have",
    "had", "its", "his", "her", "their", "our", "not", "but", "will", "would", "could", "should", "may", "might",
    "can", "after", "over", "about", "into", "than", "then", "there", "here", "who", "what", "when", "where",
    "which", "while", "says", "said", "say", "report", "reports", "new", "more", "most", "also", "been", "being",
    "just", "now", "out", "only", "all", "any", "some", "one", "two", "three", "first", "last", "year", "years",
    "day", "days", "week", "weeks", "time", "get", "got", "make", "made", "like", "very", "much", "many", "they",
    "them", "she", "him", "you", "your", "via", "per",
))
# fmt: on
_WORD = re.compile(r"[a-z0-9]+")
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")


def _stem(word: str) -> str:
    """A crude suffix stripper, enough to meet "resigns" and "resigned" at "resign"."""
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("ing") and len(word) > 5:
        return word[:-3]
    if word.endswith("ed") and len(word) > 4:
        return word[:-2]
    if word.endswith("es") and len(word) > 4 and word[-3] in "sxz":
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


def content_words(text: str) -> set[str]:
    out = set()
    for word in _WORD.findall(text.lower()):
        if len(word) < 3 or word in _STOP:
            continue
        out.add(_stem(word))
    return out


def signals(extraction: Extraction, spans: Iterable[tuple[int, int]] | None = None) -> tuple[bool, bool]:
    """(denial, uncertainty) among the attributions and hedges inside ``spans`` (all if ``None``)."""
    windows = list(spans) if spans is not None else None

    def inside(start: int, end: int) -> bool:
        return windows is None or any(s < end and start < e for s, e in windows)

    kinds = [h.kind for h in extraction.hedges if inside(h.start, h.end)]
    kinds += [a.certainty for a in extraction.attributions if inside(a.start, a.end)]
    return "denied" in kinds, any(k in UNCERTAIN for k in kinds)


# --- Emergent -------------------------------------------------------------------------------


def headline_stance(extraction: Extraction) -> str:
    denial, uncertain = signals(extraction)
    if denial:
        return "against"
    if uncertain or extraction.attributions:
        return "observing"
    return "for"


def evaluate_emergent(ctx: Context) -> DatasetRun:
    dataset = "emergent"
    root = ctx.datasets / "emergent_test"
    if not emergent.available(root):
        return DatasetRun(dataset, "skipped", note=f"{root} not found")
    items, skipped = emergent.load(root)
    sample = stable_sample(items, ctx.limit, key=lambda i: f"{i.index}:{i.article_id}", stratum=lambda i: i.stance)
    documents = [Document(text=i.headline, origin=f"emergent:{i.article_id}") for i in sample]
    extracted = ctx.extract(documents, dataset)
    gold = [i.stance for i in sample]
    pred = [headline_stance(x) for _, x in extracted.results(documents)]
    paper = Accuracy()
    for item in sample:
        paper.add(item.paper_prediction == item.stance)
    ours = Accuracy(sum(g == p for g, p in zip(gold, pred, strict=True)), len(gold))
    published = Published(
        0.7328,
        f"Ferreira & Vlachos 2016 (claim + headline features, trained on the train split); their stored "
        f"predictions give {paper.value:.2%} on this sample",
        verified=True,
    )
    majority = max(gold.count(s) for s in emergent.STANCES) / len(gold) if gold else 0.0
    return DatasetRun(
        dataset,
        "ok",
        scores=[
            Score(EXTRACTOR, dataset, "accuracy", ours.value, len(gold), "headlines", published=published),
            Score(EXTRACTOR, dataset, "macro_f1", macro_f1(gold, pred, emergent.STANCES), len(gold), "headlines"),
        ],
        data_hash=hash_files(emergent.files(root), ctx.datasets),
        documents=len(sample),
        sample_note=f"{len(sample)} of {len(items)} test headlines; majority class 'for' = {majority:.1%}",
        note=f"{skipped} row(s) with an unknown stance skipped" if skipped else "",
        extraction_errors=extracted.errors,
    )


# --- FNC-1 ----------------------------------------------------------------------------------


@dataclass(slots=True)
class Body:
    text: str
    extraction: Extraction
    words: set[str] = field(default_factory=set)
    entities: set[str] = field(default_factory=set)
    sentences: list[tuple[int, int, set[str]]] = field(default_factory=list)

    @classmethod
    def of(cls, text: str, extraction: Extraction) -> Body:
        entities = {p.name.lower() for p in extraction.places} | {p.mention.lower() for p in extraction.places}
        entities |= {a.speaker.lower() for a in extraction.attributions}
        sentences = []
        start = 0
        for m in [*_SENTENCE.finditer(text), None]:
            end = m.start() if m else len(text)
            if text[start:end].strip():
                sentences.append((start, end, content_words(text[start:end])))
            start = m.end() if m else len(text)
        return cls(text, extraction, content_words(text), {e for e in entities if len(e) >= 3}, sentences)


def _names_entity(headline: str, entities: set[str]) -> bool:
    low = headline.lower()
    return any(re.search(rf"(?<!\w){re.escape(e)}(?!\w)", low) for e in entities)


def pair_stance(headline: str, body: Body) -> str:
    words = content_words(headline)
    shared = words & body.words
    share = len(shared) / len(words) if words else 0.0
    related = (share >= RELATED_SHARE and len(shared) >= 2) or (
        share >= RELATED_SHARE_WITH_ENTITY and _names_entity(headline, body.entities)
    )
    if not related:
        return "unrelated"
    need = 1 if len(words) <= 3 else 2
    spans = [(s, e) for s, e, w in body.sentences if len(w & words) >= need]
    if not spans:
        spans = [(s, e) for s, e, _ in body.sentences[:3]]
    denial, uncertain = signals(body.extraction, spans)
    if denial:
        return "disagree"
    return "discuss" if uncertain else "agree"


def fnc_scores(dataset: str, gold: Sequence[str], pred: Sequence[str]) -> list[Score]:
    n = len(gold)
    related = Accuracy(sum((g == "unrelated") == (p == "unrelated") for g, p in zip(gold, pred, strict=True)), n)
    published = Published(0.8202, "FNC-1 winner, SOLAT in the SWEN (FNC-1 leaderboard; official baseline 79.53%)")
    per_class = {label: PRF() for label in FNC_LABELS}
    for g, p in zip(gold, pred, strict=True):
        for label, counts in per_class.items():
            counts.add(int(g == label), int(p == label), int(g == p == label))
    return [
        Score(EXTRACTOR, dataset, "fnc_score", fnc_relative(gold, pred), n, "pairs", published=published),
        Score(EXTRACTOR, dataset, "macro_f1", macro_f1(gold, pred, FNC_LABELS), n, "pairs"),
        Score(EXTRACTOR, dataset, "related_accuracy", related.value, n, "pairs"),
        *[
            Score(EXTRACTOR, dataset, f"f1_{label}", per_class[label].f1, per_class[label].n_gold, "pairs")
            for label in FNC_LABELS
        ],
    ]


def evaluate_fnc(ctx: Context) -> DatasetRun:
    dataset = "fnc-1"
    root = ctx.datasets / "fnc-1"
    if not fnc.available(root):
        return DatasetRun(dataset, "skipped", note=f"{root} not found")
    bodies = fnc.load_bodies(root / fnc.BODIES_FILE)
    pairs, skipped = fnc.load_pairs(root / fnc.STANCES_FILE, bodies)
    body_ids = stable_sample(sorted({p.body_id for p in pairs}), ctx.limit, key=str)
    chosen = set(body_ids)
    sample = [p for p in pairs if p.body_id in chosen]
    documents = [Document(text=bodies[b], origin=f"fnc-1:body {b}") for b in body_ids]
    extracted = ctx.extract(documents, dataset)
    cache = {b: Body.of(bodies[b], x) for b, (_, x) in zip(body_ids, extracted.results(documents), strict=True)}
    gold = [p.stance for p in sample]
    pred = [pair_stance(p.headline, cache[p.body_id]) for p in sample]
    return DatasetRun(
        dataset,
        "ok",
        scores=fnc_scores(dataset, gold, pred),
        data_hash=hash_files(fnc.files(root), ctx.datasets),
        documents=len(body_ids),
        sample_note=f"{len(sample)} of {len(pairs)} test pairs: every pair of {len(body_ids)} of {len(bodies)} bodies",
        note=f"{skipped} pair(s) skipped (unknown stance or body)" if skipped else "",
        extraction_errors=extracted.errors,
    )


__all__ = [
    "Body",
    "content_words",
    "evaluate_emergent",
    "evaluate_fnc",
    "fnc_scores",
    "headline_stance",
    "pair_stance",
    "signals",
]
