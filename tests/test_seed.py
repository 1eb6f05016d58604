"""Issue #2's acceptance check on the real analyst post in ../shared/seed (skipped when absent)."""

from __future__ import annotations

import pytest

from sitroom.model import Document

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def seed(request):
    from datetime import UTC, datetime

    from .conftest import SEED

    if not SEED.exists():
        pytest.skip("../shared/seed is not present")
    text = SEED.read_bytes().decode("utf-8")
    extractor = request.getfixturevalue("extractor")
    doc = Document(text=text, source="seed", published=datetime(2025, 11, 20, tzinfo=UTC))
    return text, extractor.extract(doc)


def test_every_fact_points_at_its_evidence(seed):
    text, ex = seed
    for a in ex.attributions:
        assert text[a.start : a.end] == a.content
    for p in ex.places:
        assert text[p.start : p.end] == p.mention
    for q in ex.quantities:
        assert text[q.start : q.end] == q.text
    for prov in ex.provisions:
        assert text[prov.start : prov.end] == prov.text


def test_towns_taken_and_fighting(seed):
    _, ex = seed
    status = {(p.name, p.status, p.by) for p in ex.places}
    for town in ("Pokrovsk", "Kupiansk", "Vovchansk", "Kostiantynivka"):
        assert (town, "captured", "Russia") in status, town
    for town in ("Siversk", "Lyman"):
        assert any(name == town and st == "contested" for name, st, _ in status), town


def test_attributions_to_mercouris_lavrov_budanov(seed):
    _, ex = seed
    speakers = {a.speaker for a in ex.attributions}
    assert {"Alex Mercouris", "Sergey Lavrov", "Kyrylo Budanov"} <= speakers
    nested = [a for a in ex.attributions if a.parent is not None]
    assert any(ex.attributions[a.parent].speaker == "Alex Mercouris" for a in nested)


def test_plan_provisions_by_topic(seed):
    _, ex = seed
    numbered = {p.number: p.topic for p in ex.provisions if p.number}
    assert numbered == {
        1: "territory",
        2: "army_size",
        3: "weapons_limits",
        4: "foreign_troops",
        5: "language_religion",
        6: "nato_membership",
        7: "security_guarantees",
    }


def test_budanov_prediction_deadline(seed):
    _, ex = seed
    assert any(p.by == "Kyrylo Budanov" and p.deadline == "2026-02" and "talks" in p.what for p in ex.predictions)


def test_loan_figure(seed):
    _, ex = seed
    assert any(q.value == 140_000_000_000 and q.unit == "USD" for q in ex.quantities)


def test_stances(seed):
    _, ex = seed
    stances = {(s.actor, s.stance) for s in ex.stances}
    assert ("Keith Kellogg", "oppose") in stances
    assert ("Volodymyr Zelenskyy", "undecided") in stances
