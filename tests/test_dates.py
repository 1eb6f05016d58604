"""Deadline resolution and time-expression finding (pure functions; no spaCy model)."""

from __future__ import annotations

from datetime import date

import pytest

from sitroom.extract.dates import find_time_expressions, resolve_deadline

REF = date(2025, 11, 20)  # a Thursday

CASES: list[tuple[str, date, str | None]] = [
    # months without a year: the next occurrence that has not ended (year rollover)
    ("in February", REF, "2026-02"),
    ("in November", REF, "2025-11"),
    ("by January", REF, "2026-01"),
    ("in January", date(2025, 12, 31), "2026-01"),
    ("in February", date(2026, 2, 27), "2026-02"),
    ("mid-February", REF, "2026-02"),
    ("late March", REF, "2026-03"),
    ("February 2026", REF, "2026-02"),
    # days
    ("by 15 January", REF, "2026-01-15"),
    ("by January 15th", REF, "2026-01-15"),
    ("20 November", REF, "2025-11-20"),
    ("19 November", REF, "2026-11-19"),
    ("by 1 January", date(2025, 12, 31), "2026-01-01"),
    ("Dec 5", REF, "2025-12-05"),
    ("on 3 March 2027", REF, "2027-03-03"),
    # relative days
    ("today", REF, "2025-11-20"),
    ("later today", REF, "2025-11-20"),
    ("tonight", REF, "2025-11-20"),
    ("tomorrow", REF, "2025-11-21"),
    ("tomorrow", date(2025, 12, 31), "2026-01-01"),
    ("the day after tomorrow", REF, "2025-11-22"),
    # weeks (ISO, Monday–Sunday): the Sunday that ends the week
    ("next week", REF, "2025-11-30"),
    ("next week", date(2025, 12, 29), "2026-01-11"),
    ("this week", REF, "2025-11-23"),
    ("by the end of the week", REF, "2025-11-23"),
    ("this weekend", REF, "2025-11-23"),
    ("before next week", REF, "2025-11-23"),
    ("next Friday", REF, "2025-11-21"),
    ("on Monday", REF, "2025-11-24"),
    # months and years
    ("next month", REF, "2025-12"),
    ("next month", date(2025, 12, 5), "2026-01"),
    ("by the end of the month", REF, "2025-11-30"),
    ("next year", REF, "2026"),
    ("this year", REF, "2025"),
    ("early next year", REF, "2026"),
    ("by the end of the year", REF, "2025-12-31"),
    ("before the end of the year", REF, "2025-12-31"),
    ("by year-end", REF, "2025-12-31"),
    ("by the end of 2026", REF, "2026-12-31"),
    ("in 2026", REF, "2026"),
    ("before 2027", REF, "2026"),
    ("by mid-2026", REF, "2026"),
    ("the beginning of next year", REF, "2026-01"),
    # seasons: meteorological, northern hemisphere, resolved to their end month
    ("this winter", REF, "2026-02"),
    ("this winter", date(2026, 1, 10), "2026-02"),
    ("this winter", date(2026, 3, 10), "2027-02"),
    ("by the end of winter", REF, "2026-02"),
    ("next winter", REF, "2026-02"),
    ("next winter", date(2026, 1, 10), "2027-02"),
    ("in the spring", REF, "2026-05"),
    ("by summer", REF, "2026-08"),
    ("before spring", REF, "2026-02"),
    ("in the autumn", REF, "2025-11"),
    # before X: the period just before X begins
    ("before February", REF, "2026-01"),
    ("before Christmas", REF, "2025-12-24"),
    # holidays
    ("by Christmas", REF, "2025-12-25"),
    ("by Christmas", date(2025, 12, 26), "2026-12-25"),
    ("by New Year", REF, "2026-01-01"),
    ("by Easter", REF, "2026-04-05"),
    ("by Orthodox Easter", REF, "2026-04-12"),
    # durations from the reference date
    ("within 100 days", REF, "2026-02-28"),
    ("in two weeks", REF, "2025-12-04"),
    ("in a week's time", REF, "2025-11-27"),
    ("100 days from now", REF, "2026-02-28"),
    ("within a year", REF, "2026-11-20"),
    ("in six months", date(2025, 8, 31), "2026-02-28"),
    # ISO and numeric dates (the numeric one through dateparser)
    ("by 2026-03-01", REF, "2026-03-01"),
    ("15.02.2026", REF, "2026-02-15"),
    # vague or past: no deadline
    ("in the coming weeks", REF, None),
    ("soon", REF, None),
    ("in the near future", REF, None),
    ("within months", REF, None),
    ("since January", REF, None),
    ("last month", REF, None),
    ("two weeks ago", REF, None),
    ("after Christmas", REF, None),
    ("", REF, None),
]


@pytest.mark.parametrize(("expr", "ref", "expected"), CASES)
def test_resolve_deadline(expr: str, ref: date, expected: str | None) -> None:
    assert resolve_deadline(expr, ref) == expected


DEADLINE_CASES: list[tuple[str, date, str | None]] = [
    # the analyst's convention for prediction deadlines (eval/gold/README.md)
    ("this winter", date(2025, 12, 16), "2026-02-28"),
    ("before spring", REF, "2026-02-28"),
    ("before July", date(2025, 12, 31), "2026-06-30"),
    ("before Christmas", REF, "2025-12-25"),
    ("before 20 Dec", date(2025, 11, 29), "2025-12-20"),
    ("before the new year", date(2025, 12, 7), "2025-12-31"),
    ("by the summer", REF, "2026-06"),
    ("before the summer", REF, "2026-06"),
    ("by the end of winter", REF, "2026-02-28"),
    ("this month", REF, "2025-11-30"),
    ("this year", REF, "2025-12-31"),
    ("in the second half of February", date(2026, 2, 5), "2026-02-28"),
    ("in February", REF, "2026-02"),
    ("in 2026", REF, "2026"),
    ("by Christmas", REF, "2025-12-25"),
    ("within 100 days of a ceasefire", REF, None),
]


@pytest.mark.parametrize(("expr", "ref", "expected"), DEADLINE_CASES)
def test_resolve_deadline_convention(expr: str, ref: date, expected: str | None) -> None:
    assert resolve_deadline(expr, ref, style="deadline") == expected


def test_first_half_is_the_middle_day() -> None:
    assert resolve_deadline("in the first half of March", REF) == "2026-03-16"


def test_find_keeps_the_event_a_duration_counts_from() -> None:
    assert exprs("A vote follows within 90 days of the truce.") == ["within 90 days of the truce"]
    assert exprs("Aid arrives within two weeks after the vote, or in two weeks.") == [
        "within two weeks after the vote",
        "in two weeks",
    ]


def exprs(text: str) -> list[str]:
    found = find_time_expressions(text)
    for start, end, expr in found:
        assert text[start:end] == expr
    return [expr for _, _, expr in found]


def test_find_includes_preposition_and_modifier() -> None:
    text = "Talks will resume in February and end by the end of the year, or mid-February."
    assert exprs(text) == ["in February", "by the end of the year", "mid-February"]


def test_find_relative_and_vague() -> None:
    assert exprs("He is expected to decide later today.") == ["later today"]
    assert exprs("A deal could come in the coming weeks.") == ["in the coming weeks"]
    assert exprs("They will meet within 100 days, maybe next Friday.") == ["within 100 days", "next Friday"]


def test_find_skips_past_expressions() -> None:
    text = "Since January, fighting has continued; last February talks failed, and earlier this year too."
    assert exprs(text) == []
    assert exprs("That was two weeks ago, after Christmas.") == []


def test_find_needs_a_preposition_for_bare_years_seasons_and_holidays() -> None:
    assert exprs("Ukraine will survive the winter.") == []
    assert exprs("Russia will attack in the winter or this spring.") == ["in the winter", "this spring"]
    assert exprs("The war began in 2022; the treaty of 1945.") == ["in 2022"]
    assert exprs("Christmas is a holiday, but peace by Christmas is unlikely.") == ["by Christmas"]


def test_find_does_not_take_modal_may_or_verb_march() -> None:
    assert exprs("Troops may march on Kyiv, or talks may resume in May.") == ["in May"]
    assert exprs("Sanctions may hurt; the plan may be signed by May 5.") == ["by May 5"]


def test_find_dates_with_years_and_iso() -> None:
    assert exprs("Putin's terms of June 2024 and the report of 20 November 2025.") == [
        "June 2024",
        "20 November 2025",
    ]
    assert exprs("Posted 2025-11-20, valid until 2026-01-31.") == ["until 2026-01-31"]


def test_found_expressions_resolve() -> None:
    text = "Budanov predicts that peace talks will resume in February."
    ((_, _, expr),) = find_time_expressions(text)
    assert resolve_deadline(expr, REF) == "2026-02"


def test_previous_occurrence() -> None:
    from sitroom.extract.dates import previous_occurrence

    assert previous_occurrence("29 Nov", date(2026, 2, 27)) == "2025-11-29"
    assert previous_occurrence("November", date(2026, 2, 27)) == "2025-11"
    assert previous_occurrence("Thanksgiving", date(2025, 12, 7)) == "2025-11-27"
    assert previous_occurrence("next week", REF) is None
    assert previous_occurrence("in 2024", REF) is None
