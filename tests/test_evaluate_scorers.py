"""The comparison rules of each public-dataset scorer, on hand-made gold records and facts."""

from __future__ import annotations

from datetime import date

import pytest

from sitroom.evaluate.datasets import geoparsing, polnear, sfu, tempeval
from sitroom.evaluate.metrics import span
from sitroom.evaluate.scorers import attribution, hedges, places, stance, timex
from sitroom.model import Attribution, Document, Extraction, Hedge, Place

TEXT = 'Senator Smith said the bill would pass by Friday. "It is a good day," the mayor added.'


def test_trim_drops_quotes_and_punctuation_at_both_ends():
    text = '"It is a good day," he said.'
    assert attribution.trim(text, span(0, 19)) == span(1, 17)
    assert attribution.trim(text, ((0, 3), (7, 19))) == ((1, 3), (7, 17))


def test_locate_cue_takes_the_occurrence_nearest_the_content():
    text = "He said no. Later she said that it was over."
    content = span(text.index("it was"), len(text) - 1)
    second = text.index("said", 10)
    assert attribution.locate_cue(text, "said", content) == span(second, second + 4)
    assert attribution.locate_cue(text, "has said", content) == span(second, second + 4)  # the last word
    assert attribution.locate_cue(text, "declared", content) == ()


def test_attribution_counts_roles_and_whole_attributions():
    gold = [
        polnear.BratAttribution("E1", cue=span(14, 18), content=span(19, 48), source=span(0, 13)),
        polnear.BratAttribution("E2", cue=span(80, 85), content=span(51, 68), source=span(70, 79)),
    ]
    pred = [
        attribution.Predicted(content=span(19, 48), cue=span(14, 18), source=span(8, 13)),  # "Smith": overlaps
        attribution.Predicted(content=span(50, 67), cue=span(80, 85), source=None),  # no source span
    ]
    counts = attribution.Counts()
    attribution.compare(TEXT, gold, pred, counts)
    assert counts.content_overlap.tp == 2 and counts.cue.tp == 2
    assert counts.content_exact.tp == 2  # 51-68 and 50-67 are the same once quotes and commas are trimmed
    assert (counts.source.tp, counts.source.fp, counts.source.fn) == (1, 0, 1)
    assert counts.cue_content.tp == 2
    assert counts.full.tp == 1  # the second has no source where the gold one has
    rows = {s.metric: s for s in attribution.scores(counts)}
    assert rows["attribution_f1"].value == pytest.approx(0.5)
    assert rows["attribution_f1"].published is not None and not rows["attribution_f1"].published.comparable


def test_predicted_attribution_uses_speaker_offsets():
    fact = Attribution(start=19, end=48, speaker="John Smith", cue="said", content="x", speaker_start=0, speaker_end=13)
    p = attribution.predicted(TEXT, fact)
    assert p.source == span(0, 13) and p.cue == span(14, 18)


def _place(start: int, end: int, lat: float | None = None, lon: float | None = None, gid: int | None = None) -> Place:
    return Place(
        start=start, end=end, name="x", mention="x", lat=lat, lon=lon, country=None, admin1=None, geonameid=gid
    )


def test_places_geotagging_and_geocoding():
    gold = [
        geoparsing.Toponym(0, 10, "Alexandria", 31.31, -92.45, 4314550),
        geoparsing.Toponym(20, 29, "Pineville", None, None),
        geoparsing.Toponym(40, 45, "Paris", 48.85, 2.35, 2988507),
    ]
    found = [
        _place(0, 10, 31.3, -92.4, 4314550),  # exact, right
        _place(20, 25),  # overlaps a toponym without coordinates
        _place(40, 45, 33.66, -95.55, 4717560),  # Paris, Texas: far off
        _place(60, 65),  # nothing there
    ]
    counts = places.Counts()
    places.compare(gold, found, counts)
    assert (counts.exact.tp, counts.exact.fp, counts.exact.fn) == (2, 2, 1)
    assert (counts.overlap.tp, counts.overlap.fp, counts.overlap.fn) == (3, 1, 0)
    assert len(counts.errors_km) == 2 and counts.errors_km[0] < 10 and counts.errors_km[1] > 7000
    assert counts.geonameid.correct == 1 and counts.geonameid.total == 2
    rows = {s.metric: s for s in places.scores("lgl", counts)}
    assert rows["geocoding_acc161"].value == 0.5
    assert rows["geocoding_auc"].better == "lower"
    assert rows["geocoding_acc161"].published is not None


def test_places_without_coordinates_get_the_maximum_error():
    counts = places.Counts()
    places.compare([geoparsing.Toponym(0, 4, "Lima", -12.0, -77.0)], [_place(0, 4)], counts)
    assert counts.errors_km == [places.MAX_ERROR_KM]


def test_hedges_token_and_cue_level():
    review = sfu.Review(
        name="x",
        text="I think it might rain",
        tokens=[(0, 1), (2, 7), (8, 10), (11, 16), (17, 21)],
        cues=[(1,), (3,)],
    )
    found = [
        Hedge(start=0, end=7, text="I think", kind="hedged"),  # covers tokens 0 and 1: cue-level miss
        Hedge(start=11, end=16, text="might", kind="hedged"),
        Hedge(start=17, end=21, text="rain", kind="denied"),  # denials are not speculation
    ]
    counts = hedges.Counts()
    hedges.compare(review, found, counts)
    assert (counts.tokens.tp, counts.tokens.fp, counts.tokens.fn) == (2, 1, 0)
    assert (counts.cues.tp, counts.cues.fp, counts.cues.fn) == (1, 1, 1)


def test_timex_comparable_and_value_rules():
    dct = date(2013, 3, 22)
    assert timex.period_end("2013-02") == date(2013, 2, 28)
    assert timex.period_end("2013-W12") == date(2013, 3, 24)
    assert timex.period_end("PRESENT_REF") is None
    assert timex.comparable(tempeval.Timex(0, 5, "April", "DATE", "2013-04"), dct)
    assert timex.comparable(tempeval.Timex(0, 5, "March", "DATE", "2013-03"), dct)  # not ended yet
    assert not timex.comparable(tempeval.Timex(0, 4, "2010", "DATE", "2010"), dct)
    assert not timex.comparable(tempeval.Timex(0, 7, "a month", "DURATION", "P1M"), dct)
    assert timex.value_matches("2013-03-24", "2013-W12")
    assert timex.value_matches("2013-04", "2013-04") and not timex.value_matches(None, "2013")


def test_timex_compare_counts_strict_relaxed_and_values():
    text = "They met Thursday and will vote in April, as in 2010."
    doc = tempeval.TimeMLDocument(
        name="d",
        text=text,
        dct=date(2013, 3, 22),
        timexes=[
            tempeval.Timex(9, 17, "Thursday", "DATE", "2013-03-21"),
            tempeval.Timex(35, 40, "April", "DATE", "2013-04"),
            tempeval.Timex(48, 52, "2010", "DATE", "2010"),
        ],
    )
    found = [(32, 40, "in April")]
    counts = timex.Counts()
    timex.compare(doc, found, lambda expr, ref: "2013-04" if "April" in expr else None, counts)
    assert counts.strict.tp == 0 and counts.strict_trimmed.tp == 1 and counts.relaxed.tp == 1
    assert (counts.value.tp, counts.value.fn) == (1, 2)
    assert (counts.comparable_recall.tp, counts.comparable_recall.fn) == (1, 0)
    assert counts.comparable_value.value == 1.0


def _extraction(text: str, attributions=(), hedge_list=(), place_list=()) -> Extraction:
    return Extraction(
        document=Document(text=text),
        attributions=list(attributions),
        hedges=list(hedge_list),
        places=list(place_list),
    )


def test_headline_stance_mapping():
    text = "Mayor resigns, officials say"
    said = Attribution(start=0, end=13, speaker="officials", cue="say", content="Mayor resigns")
    assert stance.headline_stance(_extraction(text, [said])) == "observing"
    assert stance.headline_stance(_extraction("Mayor resigns")) == "for"
    hedge = Hedge(start=0, end=10, text="reportedly", kind="rumoured")
    assert stance.headline_stance(_extraction("Reportedly, the mayor resigns", hedge_list=[hedge])) == "observing"
    denial = Attribution(start=0, end=5, speaker="Mayor", cue="denied", content="x", certainty="denied")
    assert stance.headline_stance(_extraction("Mayor denied resigning", [denial])) == "against"


def test_fnc_pair_stance_rules():
    text = "Officials denied reports that the mayor resigned. The mayor will stay.\n\nSquid news later."
    denial = Hedge(start=10, end=16, text="denied", kind="denied")
    body = stance.Body.of(text, _extraction(text, hedge_list=[denial]))
    assert len(body.sentences) == 3
    assert stance.pair_stance("Mayor resigns after scandal", body) == "disagree"
    assert stance.pair_stance("Stock markets rally on Friday", body) == "unrelated"
    plain = stance.Body.of(text, _extraction(text))
    assert stance.pair_stance("Mayor resigned, officials confirm", plain) == "agree"
    hedged = Hedge(start=0, end=9, text="Officials", kind="hedged")
    assert stance.pair_stance("Mayor resigned", stance.Body.of(text, _extraction(text, hedge_list=[hedged]))) == (
        "discuss"
    )


def test_content_words_drop_stop_words_and_plurals():
    assert stance.content_words("The squids were found near the harbours, officials said") == {
        "squid",
        "found",
        "near",
        "harbour",
        "official",
    }


def test_fnc_scores_rows():
    rows = {s.metric: s for s in stance.fnc_scores("fnc-1", ["agree", "unrelated"], ["agree", "discuss"])}
    assert rows["fnc_score"].value == pytest.approx(1.0 / 1.25)
    assert rows["related_accuracy"].value == 0.5
    assert rows["f1_agree"].value == 1.0
