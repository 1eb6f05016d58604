"""Scores computed the standard way: PRF, span matching, FNC score, Acc@161 and AUC."""

from __future__ import annotations

import math

import pytest

from sitroom.evaluate import metrics as m


def test_prf_counts_and_micro_average():
    a = m.PRF.from_match(n_gold=4, n_pred=2, n_matched=2)
    assert (a.precision, a.recall) == (1.0, 0.5)
    assert a.f1 == pytest.approx(2 / 3)
    b = m.PRF(tp=0, fp=2, fn=0)
    total = m.micro([a, b])
    assert (total.tp, total.fp, total.fn) == (2, 2, 2)
    assert total.f1 == pytest.approx(0.5)


def test_prf_with_nothing_is_zero_not_an_error():
    empty = m.PRF()
    assert (empty.precision, empty.recall, empty.f1) == (0.0, 0.0, 0.0)


def test_span_score_exact_and_overlap():
    a, b = m.span(0, 10), m.span(5, 20)
    assert m.span_score(a, a, "exact") == 1.0
    assert m.span_score(a, b, "exact") is None
    assert m.span_score(a, b, "overlap") == pytest.approx(5 / 15)
    assert m.span_score(a, m.span(10, 12), "overlap") is None  # touching is not overlapping
    # 5 shared characters are half of the shorter span (10): enough for 50%, not for 60%
    assert m.span_score(a, b, "overlap", min_ratio=0.5) is not None
    assert m.span_score(a, b, "overlap", min_ratio=0.6) is None
    with pytest.raises(ValueError):
        m.span_score(a, b, "fuzzy")


def test_discontinuous_spans_overlap_per_fragment():
    gold = ((0, 5), (10, 15))
    assert m.length(gold) == 10
    assert m.overlap(gold, m.span(4, 11)) == 2
    assert m.overlap_ratio(gold, m.span(0, 15)) == 1.0


def test_matching_is_one_to_one_best_first():
    gold = [m.span(0, 10), m.span(20, 30)]
    pred = [m.span(0, 9), m.span(2, 10), m.span(40, 50)]
    pairs = m.match_spans(gold, pred, "overlap")
    assert pairs == [(0, 0)]  # the larger overlap wins; the second prediction finds no free gold span
    assert m.match_spans(gold, [m.span(0, 10), m.span(20, 30)], "exact") == [(0, 0), (1, 1)]


def test_accuracy_and_macro_f1():
    acc = m.Accuracy()
    for ok in (True, False, True, True):
        acc.add(ok)
    assert acc.value == 0.75
    assert m.Accuracy().value == 0.0
    gold = ["a", "a", "b", "c"]
    pred = ["a", "b", "b", "b"]
    # F1 a = 2/3, b = 2/3 (p 1/3, r 1) -> 0.5, c = 0
    assert m.macro_f1(gold, pred, ["a", "b", "c"]) == pytest.approx((2 / 3 + 0.5 + 0) / 3)


def test_fnc_score_follows_the_official_scorer():
    gold = ["agree", "unrelated", "discuss", "disagree"]
    assert m.fnc_score(gold, gold) == 1 + 0.25 + 1 + 1
    # right related class 1.0; related but wrong class 0.25; wrong relatedness 0
    pred = ["agree", "discuss", "agree", "unrelated"]
    assert m.fnc_score(gold, pred) == pytest.approx(1.0 + 0 + 0.25 + 0)
    assert m.fnc_relative(gold, pred) == pytest.approx(1.25 / 3.25)
    assert m.fnc_relative(["unrelated"] * 3, ["unrelated"] * 3) == 1.0


def test_haversine_known_distances():
    kyiv, kharkiv = (50.45, 30.52), (49.99, 36.23)
    assert m.haversine_km(*kyiv, *kharkiv) == pytest.approx(410, abs=5)
    assert m.haversine_km(0, 0, 0, 180) == pytest.approx(math.pi * m.EARTH_RADIUS_KM)
    assert m.haversine_km(10, 10, 10, 10) == 0.0


def test_accuracy_within_161_km_includes_the_boundary():
    assert m.accuracy_at_km([0, 100, 161, 161.5]) == 0.75
    assert m.accuracy_at_km([]) == 0.0


def test_auc_of_geocoding_error_as_in_gritta():
    assert m.auc_error([0, 0, 0]) == 0.0
    assert m.auc_error([m.MAX_ERROR_KM] * 4) == pytest.approx(math.log(m.MAX_ERROR_KM + 1) / math.log(m.MAX_ERROR_KM))
    # the trapezoid rule over sorted log errors, normalised by log(20039) * (n - 1)
    errors = [100.0, 0.0, 1000.0]
    logs = sorted(math.log(e + 1) for e in errors)
    expected = ((logs[0] + logs[1]) / 2 + (logs[1] + logs[2]) / 2) / (math.log(20039) * 2)
    assert m.auc_error(errors) == pytest.approx(expected)
    assert m.auc_error([]) == 0.0
    assert m.auc_error([9.0]) == pytest.approx(math.log(10) / math.log(20039))
