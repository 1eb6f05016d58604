"""Hedge cues on the SFU Review corpus (speculation cues).

sitroom's hedge cues of kind hedged, rumoured and questioned are the prediction; its "denied" cues
(denied, rejected) mark negation, not speculation, and are left out. A review's text is rebuilt from its
tokens (see :mod:`..datasets.sfu`) and run through the hedges component alone (``spacy.blank`` plus
``sitroom_hedges``): that component reads only the text, so it finds exactly what it finds inside the
full pipeline, at a fraction of the cost.

* **token-level cue F1** (the measure of the cue-detection literature on this corpus): every token is
  a cue token or not; a token is a predicted cue token when a predicted cue overlaps it.
* **cue-level F1 (exact)** — a predicted cue (the tokens one hedge overlaps) matches a gold cue with
  exactly the same tokens.

The corpus is opinion text (reviews), labelled with a broader notion of speculation than ours: it
counts conditionals ("if"), "would" and "or" alternatives, which sitroom does not treat as hedges.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ...model import Document, Hedge
from ..context import Context
from ..datasets import hash_files, sfu, stable_sample
from ..metrics import PRF
from ..report import DatasetRun, Published, Score

DATASET = "sfu-review"
EXTRACTOR = "certainty"
SPECULATIVE_KINDS = frozenset({"hedged", "rumoured", "questioned"})
PUBLISHED = Published(
    None,
    "Cruz, Taboada & Mitkov 2016 (JASIST); Britto & Khandelwal 2020 (arXiv:2001.02885) — "
    "cue F1 figures not retrieved here",
    verified=False,
)


@dataclass(slots=True)
class Counts:
    tokens: PRF = field(default_factory=PRF)
    cues: PRF = field(default_factory=PRF)


def cue_tokens(tokens: Sequence[tuple[int, int]], start: int, end: int) -> tuple[int, ...]:
    """Indices of the tokens a character span overlaps."""
    return tuple(i for i, (s, e) in enumerate(tokens) if s < end and start < e)


def compare(review: sfu.Review, hedges: Sequence[Hedge], counts: Counts) -> None:
    predicted = [cue_tokens(review.tokens, h.start, h.end) for h in hedges if h.kind in SPECULATIVE_KINDS]
    predicted = [p for p in predicted if p]
    gold_tokens = {i for cue in review.cues for i in cue}
    pred_tokens = {i for cue in predicted for i in cue}
    counts.tokens.add(len(gold_tokens), len(pred_tokens), len(gold_tokens & pred_tokens))
    gold_cues = set(review.cues)
    pred_cues = set(predicted)
    counts.cues.add(len(gold_cues), len(pred_cues), len(gold_cues & pred_cues))


def scores(counts: Counts) -> list[Score]:
    def row(metric: str, value: float, n: int, unit: str, published: Published | None = None) -> Score:
        return Score(EXTRACTOR, DATASET, metric, value, n, unit, published=published)

    return [
        row("cue_token_f1", counts.tokens.f1, counts.tokens.n_gold, "cue tokens", PUBLISHED),
        row("cue_token_precision", counts.tokens.precision, counts.tokens.n_gold, "cue tokens"),
        row("cue_token_recall", counts.tokens.recall, counts.tokens.n_gold, "cue tokens"),
        row("cue_f1_exact", counts.cues.f1, counts.cues.n_gold, "cues"),
    ]


def evaluate(ctx: Context) -> DatasetRun:
    root = ctx.datasets / "sfu_review_spec"
    if not sfu.available(root):
        return DatasetRun(DATASET, "skipped", note=f"{root} not found")
    stats = sfu.LoadStats()
    reviews = list(sfu.load(root, stats))
    sample = stable_sample(reviews, ctx.limit, key=lambda r: r.name)
    documents = [Document(text=r.text, origin=f"sfu:{r.name}") for r in sample]
    extracted = ctx.extract(documents, DATASET, hedges_only=True)
    counts = Counts()
    for review, (_document, extraction) in zip(sample, extracted.results(documents), strict=True):
        compare(review, extraction.hedges, counts)
    return DatasetRun(
        DATASET,
        "ok",
        scores=scores(counts),
        data_hash=hash_files(sfu.files(root), ctx.datasets),
        documents=len(sample),
        sample_note=f"{len(sample)} of {len(reviews)} reviews (all 8 domains)",
        note=f"{len(stats.skipped)} file(s) not well-formed, skipped" if stats.skipped else "",
        extraction_errors=extracted.errors,
    )


__all__ = ["Counts", "compare", "cue_tokens", "evaluate", "scores"]
