"""The linking scorer's clustering metrics and its run on the small fixture."""

from __future__ import annotations

import pytest

from sitroom.evaluate.datasets.emergent import Item
from sitroom.evaluate.scorers.links import bcubed, headline_claims, pairwise


def test_pairwise_counts_only_pairs_across_documents():
    gold = {"a": "x", "b": "x", "c": "y", "d": "y"}
    pred = {"a": "1", "b": "1", "c": "1", "d": "2"}
    docs = {"a": "d1", "b": "d2", "c": "d3", "d": "d3"}
    prf = pairwise(gold, pred, docs)
    # a-b linked and right; a-c, b-c linked but wrong; c-d same document (ignored)
    assert (prf.tp, prf.fp, prf.fn) == (1, 2, 0)


def test_bcubed_is_one_for_a_perfect_clustering_and_lower_otherwise():
    gold = {"a": "x", "b": "x", "c": "y"}
    assert bcubed(gold, {"a": "1", "b": "1", "c": "2"}) == pytest.approx(1.0)
    assert bcubed(gold, {"a": "1", "b": "1", "c": "1"}) < 1.0


def test_headline_claims_keep_words_and_keys():
    item = Item(0, "claim", "Baghdadi Wounded In Airstrike, Officials Say", "for", "for", "7", "3")
    (claim,) = headline_claims([item])
    assert "baghdadi" in claim.words and "name:baghdadi" in claim.keys
