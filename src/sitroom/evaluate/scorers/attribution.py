"""Attribution on PolNeAR dev: sitroom's attributions against the annotated source, cue and content spans.

Definitions (all micro-averaged over the articles; matching one-to-one, largest overlap first):

* **content F1 (overlap)** — a predicted content span matches a gold one when they share a character.
* **content F1 (exact)** — same start and end after trimming spaces, quotes and punctuation at both
  ends of both spans (PolNeAR keeps closing quotes and full stops in the content; sitroom drops them).
* **cue F1 (overlap)**, **source F1 (overlap)** — the same for cues and sources. sitroom's source span is
  the attribution's ``speaker_start``/``speaker_end`` (attributions without one predict no source). The
  ``Attribution`` fact carries the cue as text without offsets, so the cue span is that text's
  occurrence nearest to the attribution's content (or, failing that, its last word's); a cue that
  cannot be found predicts a span that matches nothing.
* **attribution F1 (cue+content)** — a predicted attribution matches a gold one when both its content
  and its cue overlap the gold ones.
* **attribution F1 (source+cue+content)** — in addition, its source overlaps the gold source (gold
  attributions without a source, "Attribution-no-source", need no source match). Its precision and
  recall are reported too.

PolNeAR labels each token with at most one attribution; sitroom nests attributions (the outer
content contains the inner cue), which costs precision here by design.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from ...model import Attribution, Document, Extraction
from ..context import Context
from ..datasets import as_published, hash_files, polnear, stable_sample
from ..metrics import PRF, Fragments, first_start, match, span, span_score
from ..report import DatasetRun, Published, Score

DATASET = "polnear-dev"
EXTRACTOR = "attribution"
_TRIM = " \t\n\r\"'“”‘’«».,;:!?()[]—–-"
AGREEMENT = Published(
    0.923,
    "inter-annotator attribution-wise agreement (PolNeAR README; Newell et al. 2018); "
    "no published extraction system on PolNeAR found",
    verified=True,
    comparable=False,
)


@dataclass(frozen=True, slots=True)
class Predicted:
    content: Fragments
    cue: Fragments  # () when the cue text could not be located
    source: Fragments | None


def trim(text: str, frags: Fragments) -> Fragments:
    """The span without surrounding spaces, quotes and punctuation (first start and last end only)."""
    if not frags:
        return frags
    ordered = sorted(frags)
    start, end = ordered[0][0], ordered[-1][1]
    first_end, last_start = ordered[0][1], ordered[-1][0]
    while start < first_end and text[start] in _TRIM:
        start += 1
    while end > last_start and text[end - 1] in _TRIM:
        end -= 1
    if len(ordered) == 1:
        return ((start, end),)
    return ((start, ordered[0][1]), *ordered[1:-1], (ordered[-1][0], end))


def locate_cue(text: str, cue: str, near: Fragments) -> Fragments:
    """The occurrence of ``cue`` (else of its last word) nearest to the ``near`` span."""
    anchor_lo = first_start(near)
    anchor_hi = max((e for _, e in near), default=anchor_lo)
    words = cue.split()
    for pattern in (r"\s+".join(map(re.escape, words)), re.escape(words[-1]) if words else ""):
        if not pattern:
            continue
        best: tuple[int, int] | None = None
        for m in re.finditer(rf"(?<!\w){pattern}(?!\w)", text):
            distance = max(0, anchor_lo - m.end(), m.start() - anchor_hi)
            if best is None or distance < max(0, anchor_lo - best[1], best[0] - anchor_hi):
                best = (m.start(), m.end())
        if best is not None:
            return (best,)
    return ()


def predicted(text: str, attribution: Attribution) -> Predicted:
    content = span(attribution.start, attribution.end)
    source = None
    if attribution.speaker_start is not None and attribution.speaker_end is not None:
        source = span(attribution.speaker_start, attribution.speaker_end)
    return Predicted(content=content, cue=locate_cue(text, attribution.cue, content), source=source)


@dataclass(slots=True)
class Counts:
    content_overlap: PRF = field(default_factory=PRF)
    content_exact: PRF = field(default_factory=PRF)
    cue: PRF = field(default_factory=PRF)
    source: PRF = field(default_factory=PRF)
    cue_content: PRF = field(default_factory=PRF)
    full: PRF = field(default_factory=PRF)


def _ov(a: Fragments | None, b: Fragments | None) -> float | None:
    if not a or not b:
        return None
    return span_score(a, b, "overlap")


def compare(text: str, gold: Sequence[polnear.BratAttribution], pred: Sequence[Predicted], counts: Counts) -> None:
    """Add one article's counts."""
    g_content = [g.content for g in gold]
    p_content = [p.content for p in pred]
    n = len(match(g_content, p_content, _ov))
    counts.content_overlap.add(len(gold), len(pred), n)
    g_trim = [trim(text, c) for c in g_content]
    p_trim = [trim(text, c) for c in p_content]
    n = len(match(g_trim, p_trim, lambda a, b: span_score(a, b, "exact")))
    counts.content_exact.add(len(gold), len(pred), n)
    n = len(match([g.cue for g in gold], [p.cue for p in pred], _ov))
    counts.cue.add(len(gold), len(pred), n)
    g_src = [g.source for g in gold if g.source]
    p_src = [p.source for p in pred if p.source]
    counts.source.add(len(g_src), len(p_src), len(match(g_src, p_src, _ov)))

    def cue_content(g: polnear.BratAttribution, p: Predicted) -> float | None:
        content, cue = _ov(g.content, p.content), _ov(g.cue, p.cue)
        return None if content is None or cue is None else content + cue

    def full(g: polnear.BratAttribution, p: Predicted) -> float | None:
        base = cue_content(g, p)
        if base is None or g.source is None:
            return base
        source = _ov(g.source, p.source)
        return None if source is None else base + source

    counts.cue_content.add(len(gold), len(pred), len(match(gold, pred, cue_content)))
    counts.full.add(len(gold), len(pred), len(match(gold, pred, full)))


def scores(counts: Counts) -> list[Score]:
    n = counts.full.n_gold

    def row(metric: str, value: float, published: Published | None = None) -> Score:
        return Score(EXTRACTOR, DATASET, metric, value, n, "attributions", published=published)

    return [
        row("attribution_f1", counts.full.f1, AGREEMENT),
        row("attribution_precision", counts.full.precision),
        row("attribution_recall", counts.full.recall),
        row("attribution_f1_cue_content", counts.cue_content.f1),
        row("content_f1_overlap", counts.content_overlap.f1),
        row("content_f1_exact", counts.content_exact.f1),
        row("cue_f1_overlap", counts.cue.f1),
        row("source_f1_overlap", counts.source.f1),
    ]


def evaluate(ctx: Context) -> DatasetRun:
    root = ctx.datasets / "polnear"
    if not polnear.available(root):
        return DatasetRun(DATASET, "skipped", note=f"{root} not found")
    articles = list(polnear.load(root, "dev"))
    sample = stable_sample(articles, ctx.limit, key=lambda a: a.name)
    documents = [
        Document(text=a.text, published=as_published(a.published), source=a.name.split("_", 1)[0], origin=a.name)
        for a in sample
    ]
    extracted = ctx.extract(documents, DATASET)
    counts = Counts()
    for article, (_document, extraction) in zip(sample, extracted.results(documents), strict=True):
        compare(article.text, article.attributions, _predictions(article.text, extraction), counts)
    dropped = sum(a.dropped for a in sample)
    return DatasetRun(
        DATASET,
        "ok",
        scores=scores(counts),
        data_hash=hash_files(polnear.files(root, "dev"), ctx.datasets),
        documents=len(sample),
        sample_note=f"{len(sample)} of {len(articles)} dev articles, first annotator file per article",
        note=f"{dropped} incomplete gold attribution(s) dropped" if dropped else "",
        extraction_errors=extracted.errors,
    )


def _predictions(text: str, extraction: Extraction) -> list[Predicted]:
    return [predicted(text, a) for a in extraction.attributions]


__all__ = ["DATASET", "Counts", "Predicted", "compare", "evaluate", "locate_cue", "predicted", "scores", "trim"]
