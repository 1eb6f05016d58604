"""The project's own gold set: every kind of fact, matched one-to-one per document, P/R/F1 micro-averaged
over the whole set.

Names, speakers, actors, targets, stances, topics and units compare case-insensitively with whitespace
folded. "Overlap ≥ 50%" means the shared characters are at least half of the shorter span; "overlap"
alone means at least one shared character. Candidates are paired best first (largest overlap).

================  =================================================================================
kind              a prediction matches a gold item when
================  =================================================================================
attributions      content overlap ≥ 50% and the same speaker. Also reported: the content span F1
                  whatever the speaker, and certainty accuracy on the matched pairs.
hedges            overlap (cues of kind ``denied`` are left out: the gold set files denials under the
                  attribution's certainty). Also: kind accuracy on matched pairs.
places            mention overlap and the same canonical name. Also: mention F1 whatever the name
                  (geotagging); share of matched places within 161 km of the gold point; control
                  status accuracy (status and ``by`` both right) on matched places; and "control claims"
                  F1 over non-``mentioned`` places only (overlap, name, status and ``by`` all equal).
provisions        overlap ≥ 50% and the same topic. Also: number accuracy on matched pairs.
stances           the same actor, target and stance; the evidence need not overlap (pairing prefers
                  overlapping evidence). Also: F1 when the evidence must overlap too, and F1 whatever
                  the target (actor and stance only), which shows how much is lost on naming targets.
predictions       evidence overlap ≥ 50% and the same predictor (``by``). Also: deadline accuracy on
                  matched pairs (both ``null`` counts as right).
quantities        overlap, the same value and the same unit. Also: span F1 whatever the value.
================  =================================================================================

Each headline F1 is also given for the two fixed halves of the set (``dev_f1``, ``test_f1``; see
:func:`sitroom.evaluate.datasets.gold.split_of`): extractors are tuned on dev only, so the test half
is the honest number.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ...model import Extraction, Fact
from ..context import Context
from ..datasets import gold as gold_data
from ..metrics import ACC_KM, PRF, Accuracy, haversine_km, match, span, span_score
from ..report import DatasetRun, Score

DATASET = "gold"
HALF = 0.5


def same(a: Any, b: Any) -> bool:
    """Equal after case-folding and whitespace folding; ``None`` equals only ``None``."""
    if a is None or b is None:
        return a is None and b is None
    return " ".join(str(a).split()).casefold() == " ".join(str(b).split()).casefold()


def same_value(a: Any, b: Any) -> bool:
    try:
        return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-9)
    except (TypeError, ValueError):
        return False


def _overlap(g: gold_data.GoldFact, p: Fact, min_ratio: float = 0.0) -> float | None:
    return span_score(span(g.start, g.end), span(p.start, p.end), "overlap", min_ratio)


@dataclass(slots=True)
class Tally:
    """Counts for one kind (or variant): P/R/F1 and the accuracies measured on its matched pairs."""

    prf: PRF = field(default_factory=PRF)
    accuracy: dict[str, Accuracy] = field(default_factory=dict)

    def acc(self, name: str, ok: bool) -> None:
        self.accuracy.setdefault(name, Accuracy()).add(ok)


def _pairs(
    tally: Tally,
    gold: Sequence[gold_data.GoldFact],
    pred: Sequence[Any],
    score: Callable[[gold_data.GoldFact, Any], float | None],
) -> list[tuple[gold_data.GoldFact, Any]]:
    pairs = match(gold, pred, score)
    tally.prf.add(len(gold), len(pred), len(pairs))
    return [(gold[gi], pred[pi]) for gi, pi in pairs]


def _stance_key(gf: gold_data.GoldFact, pf: Any) -> bool:
    return same(gf.get("actor"), pf.actor) and same(gf.get("target"), pf.target) and same(gf.get("stance"), pf.stance)


# The headline rule of each kind (see the table above): a score for a gold/predicted pair, or None when
# they do not match. ``compare`` counts with these; ``sitroom.evaluate.inspect`` lists what they miss.
MATCH: dict[str, Callable[[gold_data.GoldFact, Any], float | None]] = {
    "attributions": lambda gf, pf: _overlap(gf, pf, HALF) if same(gf.get("speaker"), pf.speaker) else None,
    "hedges": lambda gf, pf: _overlap(gf, pf),
    "places": lambda gf, pf: _overlap(gf, pf) if same(gf.get("name"), pf.name) else None,
    "provisions": lambda gf, pf: _overlap(gf, pf, HALF) if same(gf.get("topic"), pf.topic) else None,
    "stances": lambda gf, pf: (1.0 + (_overlap(gf, pf) or 0.0)) if _stance_key(gf, pf) else None,
    "predictions": lambda gf, pf: _overlap(gf, pf, HALF) if same(gf.get("by"), pf.by) else None,
    "quantities": lambda gf, pf: (
        _overlap(gf, pf) if same_value(gf.get("value"), pf.value) and same(gf.get("unit"), pf.unit) else None
    ),
}


def scored_hedges(ex: Extraction) -> list[Any]:
    """The hedges the gold set scores (denials are filed under the attribution's certainty)."""
    return [h for h in ex.hedges if h.kind != "denied"]


def compare(doc: gold_data.GoldDocument, ex: Extraction, t: dict[str, Tally]) -> None:
    """Add one document's counts to the tallies (keys as in :data:`TALLIES`)."""
    g = doc.facts

    def need(name: str) -> Tally:
        return t.setdefault(name, Tally())

    # attributions
    atts = ex.attributions
    for gf, pf in _pairs(need("attributions"), g["attributions"], atts, MATCH["attributions"]):
        need("attributions").acc("certainty", same(gf.get("certainty"), pf.certainty))
    _pairs(need("attributions_span"), g["attributions"], atts, lambda gf, pf: _overlap(gf, pf, HALF))

    # hedges
    hedges = scored_hedges(ex)
    for gf, pf in _pairs(need("hedges"), g["hedges"], hedges, MATCH["hedges"]):
        if gf.get("kind") is not None:
            need("hedges").acc("kind", same(gf.get("kind"), pf.kind))

    # places
    places = ex.places
    for gf, pf in _pairs(need("places"), g["places"], places, MATCH["places"]):
        lat, lon = gf.get("lat"), gf.get("lon")
        if lat is not None and lon is not None:
            ok = pf.lat is not None and pf.lon is not None and haversine_km(lat, lon, pf.lat, pf.lon) <= ACC_KM
            need("places").acc("acc161", ok)
        need("control").acc("status_by", same(gf.get("status"), pf.status) and same(gf.get("by"), pf.by))
    _pairs(need("places_span"), g["places"], places, lambda gf, pf: _overlap(gf, pf))
    claims_gold = [gf for gf in g["places"] if gf.get("status") != "mentioned"]
    claims_pred = [pf for pf in places if pf.status != "mentioned"]
    _pairs(
        need("control_claims"),
        claims_gold,
        claims_pred,
        lambda gf, pf: (
            _overlap(gf, pf)
            if same(gf.get("name"), pf.name) and same(gf.get("status"), pf.status) and same(gf.get("by"), pf.by)
            else None
        ),
    )

    # provisions
    for gf, pf in _pairs(need("provisions"), g["provisions"], ex.provisions, MATCH["provisions"]):
        need("provisions").acc("number", gf.get("number") == pf.number)

    # stances
    _pairs(need("stances"), g["stances"], ex.stances, MATCH["stances"])
    _pairs(
        need("stances_evidence"),
        g["stances"],
        ex.stances,
        lambda gf, pf: _overlap(gf, pf) if _stance_key(gf, pf) else None,
    )
    _pairs(
        need("stances_any_target"),
        g["stances"],
        ex.stances,
        lambda gf, pf: (
            (1.0 + (_overlap(gf, pf) or 0.0))
            if same(gf.get("actor"), pf.actor) and same(gf.get("stance"), pf.stance)
            else None
        ),
    )

    # predictions
    for gf, pf in _pairs(need("predictions"), g["predictions"], ex.predictions, MATCH["predictions"]):
        need("predictions").acc("deadline", same(gf.get("deadline"), pf.deadline))

    # quantities
    _pairs(need("quantities"), g["quantities"], ex.quantities, MATCH["quantities"])
    _pairs(need("quantities_span"), g["quantities"], ex.quantities, lambda gf, pf: _overlap(gf, pf))


# (tally, extractor, metric prefix, unit): which P/R/F1 rows each tally gives
TALLIES: tuple[tuple[str, str, str, str], ...] = (
    ("attributions", "attribution", "", "attributions"),
    ("attributions_span", "attribution", "content_span_", "attributions"),
    ("hedges", "certainty", "hedge_", "hedges"),
    ("places", "places", "", "places"),
    ("places_span", "places", "mention_", "places"),
    ("control_claims", "control", "claims_", "control claims"),
    ("provisions", "provisions", "", "provisions"),
    ("stances", "stances", "", "stances"),
    ("stances_evidence", "stances", "evidence_", "stances"),
    ("stances_any_target", "stances", "any_target_", "stances"),
    ("predictions", "predictions", "", "predictions"),
    ("quantities", "quantities", "", "quantities"),
    ("quantities_span", "quantities", "span_", "quantities"),
)
# (tally, accuracy name, extractor, metric)
ACCURACIES: tuple[tuple[str, str, str, str], ...] = (
    ("attributions", "certainty", "certainty", "attribution_certainty_accuracy"),
    ("hedges", "kind", "certainty", "hedge_kind_accuracy"),
    ("places", "acc161", "places", "geocoding_acc161"),
    ("control", "status_by", "control", "status_by_accuracy"),
    ("provisions", "number", "provisions", "number_accuracy"),
    ("predictions", "deadline", "predictions", "deadline_accuracy"),
)
_FULL_PRF = {"attributions", "hedges", "places", "provisions", "stances", "predictions", "quantities", "control_claims"}


def split_scores(halves: dict[str, dict[str, Tally]]) -> list[Score]:
    """``dev_f1`` / ``test_f1`` for every headline tally (the ones without a metric prefix)."""
    out: list[Score] = []
    for name, extractor, prefix, unit in TALLIES:
        if prefix:
            continue
        for half in ("dev", "test"):
            tally = halves.get(half, {}).get(name, Tally())
            out.append(Score(extractor, DATASET, f"{half}_f1", tally.prf.f1, tally.prf.n_gold, unit))
    return out


def scores(t: dict[str, Tally]) -> list[Score]:
    out: list[Score] = []
    for name, extractor, prefix, unit in TALLIES:
        tally = t.get(name, Tally())
        n = tally.prf.n_gold
        out.append(Score(extractor, DATASET, f"{prefix}f1", tally.prf.f1, n, unit))
        if name in _FULL_PRF:
            out.append(Score(extractor, DATASET, f"{prefix}precision", tally.prf.precision, n, unit))
            out.append(Score(extractor, DATASET, f"{prefix}recall", tally.prf.recall, n, unit))
    for name, acc_name, extractor, metric in ACCURACIES:
        acc = t.get(name, Tally()).accuracy.get(acc_name, Accuracy())
        out.append(Score(extractor, DATASET, metric, acc.value, acc.total, "matched pairs"))
    return out


def evaluate(ctx: Context) -> DatasetRun:
    if not gold_data.annotation_files(ctx.gold):
        return DatasetRun(DATASET, "error", note=f"no gold annotations in {ctx.gold / 'annotations'}")
    documents = gold_data.load(ctx.gold)
    extracted = ctx.extract([d.document for d in documents], DATASET)
    tallies: dict[str, Tally] = {}
    halves: dict[str, dict[str, Tally]] = {"dev": {}, "test": {}}
    for doc, (_d, extraction) in zip(documents, extracted.results([d.document for d in documents]), strict=True):
        compare(doc, extraction, tallies)
        compare(doc, extraction, halves[gold_data.split_of(doc.name)])
    facts = sum(len(v) for d in documents for v in d.facts.values())
    return DatasetRun(
        DATASET,
        "ok",
        scores=scores(tallies) + split_scores(halves),
        data_hash=gold_data.data_hash(ctx.gold),
        documents=len(documents),
        sample_note=f"all {len(documents)} documents, {facts} gold facts",
        extraction_errors=extracted.errors,
    )


__all__ = [
    "ACCURACIES",
    "DATASET",
    "MATCH",
    "TALLIES",
    "Tally",
    "compare",
    "evaluate",
    "same",
    "same_value",
    "scored_hedges",
    "scores",
    "split_scores",
]
