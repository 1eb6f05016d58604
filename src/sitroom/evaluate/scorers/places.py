"""Places on LGL, TR-News and GeoVirus: geotagging (finding toponyms) and geocoding (their coordinates).

As in Gritta et al. ("A Pragmatic Guide to Geoparsing Evaluation", 2019):

* **geotagging** precision, recall and F1 of sitroom's place mentions against the gold toponym spans,
  with exact spans (same start and end) and with overlapping spans (one-to-one, largest overlap first);
* **geocoding** on the correctly tagged toponyms (the overlap matches) whose gold entry has coordinates:
  the great-circle error between sitroom's ``Place.lat``/``lon`` and the gold point; **Acc@161** is the
  share of errors of at most 161 km; **AUC** the normalised area under the sorted log-error curve
  (lower is better). A matched toponym sitroom could not put on the map gets the maximum error
  (20,039 km), as in their evaluation.
* **GeoNames id accuracy** (LGL and TR-News, which carry GeoNames ids) — the share of those matches
  whose ``Place.geonameid`` equals the gold id: the "exact match" Mordecai 3 reports.

Mordecai 3 (Halterman 2023) reports exact match / Acc@161 of 84.3 / 87.3 on TR-News and 79.4 / 82.7 on
LGL, on held-out parts of those sets (its resolver was trained on the rest); we run the whole sets.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ...model import Document, Place
from ..context import Context
from ..datasets import as_published, geoparsing, hash_files, stable_sample
from ..metrics import (
    MAX_ERROR_KM,
    PRF,
    Accuracy,
    accuracy_at_km,
    auc_error,
    haversine_km,
    match_spans,
    span,
)
from ..report import Better, DatasetRun, Published, Score

EXTRACTOR = "places"
_MORDECAI = "Mordecai 3 (Halterman 2023), held-out split; as given in ../shared/datasets/README.md"
PUBLISHED: dict[tuple[str, str], Published] = {
    ("tr-news", "geocoding_acc161"): Published(0.873, _MORDECAI, verified=False),
    ("tr-news", "geocoding_geonameid_accuracy"): Published(0.843, _MORDECAI, verified=False),
    ("lgl", "geocoding_acc161"): Published(0.827, _MORDECAI, verified=False),
    ("lgl", "geocoding_geonameid_accuracy"): Published(0.794, _MORDECAI, verified=False),
}


@dataclass(slots=True)
class Counts:
    exact: PRF = field(default_factory=PRF)
    overlap: PRF = field(default_factory=PRF)
    errors_km: list[float] = field(default_factory=list)
    geonameid: Accuracy = field(default_factory=Accuracy)


def compare(gold: Sequence[geoparsing.Toponym], places: Sequence[Place], counts: Counts) -> None:
    """Add one article's counts."""
    g_spans = [span(t.start, t.end) for t in gold]
    p_spans = [span(p.start, p.end) for p in places]
    counts.exact.add(len(gold), len(places), len(match_spans(g_spans, p_spans, "exact")))
    pairs = match_spans(g_spans, p_spans, "overlap")
    counts.overlap.add(len(gold), len(places), len(pairs))
    for gi, pi in pairs:
        toponym, place = gold[gi], places[pi]
        if toponym.lat is None or toponym.lon is None:
            continue
        if place.lat is None or place.lon is None:
            counts.errors_km.append(MAX_ERROR_KM)
        else:
            counts.errors_km.append(haversine_km(toponym.lat, toponym.lon, place.lat, place.lon))
        if toponym.geonameid is not None:
            counts.geonameid.add(place.geonameid == toponym.geonameid)


def scores(corpus: str, counts: Counts) -> list[Score]:
    n_gold = counts.overlap.n_gold
    n_geo = len(counts.errors_km)

    def row(metric: str, value: float, sample: int, unit: str, better: Better = "higher") -> Score:
        published = PUBLISHED.get((corpus, metric))
        return Score(EXTRACTOR, corpus, metric, value, sample, unit, better=better, published=published)

    out = [
        row("geotagging_f1_exact", counts.exact.f1, n_gold, "toponyms"),
        row("geotagging_f1_overlap", counts.overlap.f1, n_gold, "toponyms"),
        row("geotagging_precision_overlap", counts.overlap.precision, n_gold, "toponyms"),
        row("geotagging_recall_overlap", counts.overlap.recall, n_gold, "toponyms"),
        row("geocoding_acc161", accuracy_at_km(counts.errors_km), n_geo, "matched toponyms"),
        row("geocoding_auc", auc_error(counts.errors_km), n_geo, "matched toponyms", better="lower"),
    ]
    if counts.geonameid.total:
        out.append(
            row("geocoding_geonameid_accuracy", counts.geonameid.value, counts.geonameid.total, "matched toponyms")
        )
    return out


def evaluate(ctx: Context, corpus: str) -> DatasetRun:
    root = ctx.datasets / "geoparsing"
    path = geoparsing.path_of(root, corpus)
    if not path.is_file():
        return DatasetRun(corpus, "skipped", note=f"{path} not found")
    stats = geoparsing.LoadStats()
    articles = list(geoparsing.load(path, stats))
    sample = stable_sample(articles, ctx.limit, key=lambda a: a.id)
    documents = [Document(text=a.text, published=as_published(a.published), origin=f"{corpus}:{a.id}") for a in sample]
    extracted = ctx.extract(documents, corpus)
    counts = Counts()
    for article, (_document, extraction) in zip(sample, extracted.results(documents), strict=True):
        compare(article.toponyms, extraction.places, counts)
    notes = []
    if stats.repaired:
        notes.append(f"{stats.repaired} gold offsets repaired")
    if stats.unrepaired:
        notes.append(f"{stats.unrepaired} gold offsets not repairable (kept)")
    return DatasetRun(
        corpus,
        "ok",
        scores=scores(corpus, counts),
        data_hash=hash_files([path], ctx.datasets),
        documents=len(sample),
        sample_note=f"{len(sample)} of {len(articles)} articles",
        note="; ".join(notes),
        extraction_errors=extracted.errors,
    )


__all__ = ["Counts", "compare", "evaluate", "scores"]
