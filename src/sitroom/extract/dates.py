"""Deadlines: find time expressions in a clause and resolve them against a reference date.

``resolve_deadline("in February", date(2025, 11, 20)) == "2026-02"``. The result is an ISO string at
the granularity the text states: ``YYYY-MM-DD`` (day), ``YYYY-MM`` (month) or ``YYYY`` (year).

Rules first (lexicon in ``data/dates.json``), ``dateparser`` as the fallback (``RELATIVE_BASE`` = the
reference date, ``PREFER_DATES_FROM="future"``). Decisions, all future-looking because the caller is
resolving the deadline of a prediction:

* Every expression denotes a period; the deadline is the period's *end* at its granularity:
  "in February"/"by February" → ``YYYY-02``; "next year" → ``YYYY``; "by 15 January" → the day.
* A month, season, holiday or day without a year is its next occurrence that has not ended by the
  reference date: "in November" written on 2025-11-20 → ``2025-11``; "in February" → ``2026-02``.
  "next <X>" is the first occurrence that *starts* after the reference date ("next Friday" written on a
  Thursday is the next day; "next winter" written in November is the coming winter).
* Weeks are ISO weeks (Monday–Sunday): "next week" → the Sunday ending next week (day granularity);
  "this week", "by the end of the week" → this week's Sunday; "this/next weekend" → that Sunday.
* "by the end of the year/month" → the last day (day granularity); "year-end" likewise.
* Seasons are northern-hemisphere meteorological seasons (winter Dec–Feb, spring Mar–May, summer
  Jun–Aug, autumn/fall Sep–Nov) resolved to their end month: "this winter" on 2025-11-20 → ``2026-02``;
  "by the end of winter" → ``2026-02`` too.
* "before X" → the period just before X begins, at X's granularity: "before spring" → ``YYYY-02``,
  "before February" → January, "before Christmas" → 24 December, "before next week" → this Sunday.
  ("before the end of X" is treated as "by the end of X".)
* "early/mid/late X" → X. "the beginning/start of X" → X's first month (first day for a week).
* "today", "later today", "tonight", "this evening" → the reference date; "tomorrow" → the next day.
* "within 100 days", "in two weeks", "in a month's time", "100 days from now" → reference date +
  the duration (day granularity, months added on the calendar).
* Vague ("in the coming weeks", "soon", "in the near future", "within months") → ``None``: there is no
  honest date to give. ``find_time_expressions`` still reports them (they mark a clause as predictive).
* Past-anchored ("since January", "last month", "earlier this year", "two weeks ago", "after X",
  "from X") → ``None``: they are not deadlines, and ``find_time_expressions`` skips them.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any, Literal

from dateutil.easter import EASTER_ORTHODOX, EASTER_WESTERN, easter

from .lexicon import alternation, load_data

Grain = Literal["day", "month", "year"]
Style = Literal["period", "deadline"]
_RELATIVE_UNIT = re.compile(r"^(?:the |this |next |the coming |the following |coming )(?:month|year)$")
DEFAULT_LEXICON = "dates.json"

_YEAR = r"(?:19|20)\d\d"
_DAY = r"[0-3]?\d(?:st|nd|rd|th)?"


@dataclass(frozen=True, slots=True)
class Period:
    """A stretch of calendar time and the granularity the text stated it with."""

    start: date
    end: date
    grain: Grain

    def render(self) -> str:
        if self.grain == "year":
            return f"{self.end.year:04d}"
        if self.grain == "month":
            return f"{self.end.year:04d}-{self.end.month:02d}"
        return self.end.isoformat()


def _last_day(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _month(year: int, month: int) -> Period:
    return Period(date(year, month, 1), _last_day(year, month), "month")


def _year(year: int) -> Period:
    return Period(date(year, 1, 1), date(year, 12, 31), "year")


def _day(day: date) -> Period:
    return Period(day, day, "day")


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _pick(candidates: list[Period], ref: date, mode: str) -> Period | None:
    """ "this"/bare: the first candidate not ended by ``ref``; "next": the first starting after it."""
    for period in sorted(candidates, key=lambda p: p.start):
        if (mode == "next" and period.start > ref) or (mode != "next" and period.end >= ref):
            return period
    return None


def _normalise(expr: str) -> str:
    text = expr.lower().replace("’", "'").replace("‘", "'")
    text = re.sub(r"(?<=[a-z])-(?=[a-z0-9])", " ", text)  # mid-February, year-end
    text = re.sub(r"\s+", " ", text)
    return text.strip(' \t\n,.;:!?()[]"')


class DateRules:
    """The rules of one lexicon, compiled once; see the module docstring for what they decide."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.months: dict[str, int] = data["months"]
        self.weekdays: dict[str, int] = data["weekdays"]
        self.seasons: dict[str, list[int]] = data["seasons"]
        self.relative_days: dict[str, int] = data["relative_days"]
        self.fixed_holidays: dict[str, list[int]] = data["fixed_holidays"]
        self.movable_holidays: list[str] = data["movable_holidays"]
        self.number_words: dict[str, int] = data["number_words"]
        self.duration_units: dict[str, str] = data["duration_units"]
        self.vague: list[str] = data["vague"]
        self.past_markers: list[str] = data["past_markers"]
        self.preps: list[str] = data["deadline_prepositions"]
        self.modifiers: list[str] = data["modifiers"]
        self.year_boundaries: list[str] = data.get("year_boundaries", [])
        self._compile()

    # ------------------------------------------------------------------ patterns
    def _compile(self) -> None:
        month_names = [m.capitalize() for m in self.months] + [m.upper() for m in self.months if len(m) <= 4]
        month = rf"(?-i:(?:{alternation(month_names)})\b)"
        weekday = rf"(?:{alternation(list(self.weekdays))})"
        season = rf"(?:{alternation(list(self.seasons))})"
        holiday = rf"(?:{alternation(list(self.fixed_holidays) + self.movable_holidays)})"
        num = rf"(?:\d+|{alternation(list(self.number_words))})"
        unit = rf"(?:{alternation(list(self.duration_units))})(?:'s|s')?"
        det = r"(?:this|next|the\s+coming|the\s+following|coming)"
        # (regex, needs a preposition/modifier unless the core itself starts with this/next)
        cores: list[tuple[str, bool]] = [
            (rf"(?:{alternation(list(self.relative_days))})", False),
            (rf"(?:{alternation(self.vague)})", False),
            (rf"(?:later\s+)?{det}\s+(?:week|weekend|month|year|{season}|{weekday})", False),
            (r"(?:the\s+)?(?:end|beginning|start|middle)\s+of\s+(?:the|this|next)\s+(?:week|month|year)", False),
            (r"(?:the\s+)?year[\s-]end|the\s+year's\s+end|the\s+end\s+of\s+" + _YEAR, False),
            (rf"(?:within|in)\s+(?:the\s+(?:next|coming)\s+)?{num}\s+{unit}(?:\s+time)?", False),
            (rf"{num}\s+{unit}\s+from\s+now", False),
            (rf"{_DAY}\s+(?:of\s+)?{month}(?:,?\s+{_YEAR})?", False),
            (rf"{month}\s+{_DAY}(?!\d)(?:,?\s+{_YEAR})?", False),
            (rf"{month}(?:\s+of)?\s+(?:{_YEAR}|next\s+year|this\s+year)", False),
            (month, False),
            (rf"(?:the\s+)?{season}(?:\s+(?:of\s+)?{_YEAR})?", True),
            (weekday, True),
            (rf"{holiday}(?:\s+{_YEAR})?", True),
            (rf"(?<!\d-){_YEAR}(?![\d-])", True),
            (r"(?<!\d-)\d{4}-\d\d-\d\d", True),
        ]
        self._cores = [(re.compile(rf"(?<!\w)(?:{rx})(?!\w)", re.I), needs) for rx, needs in cores]
        self._left = re.compile(
            rf"(?:\b(?P<prep>{alternation(self.preps)})\s+)?"
            rf"(?:\b(?P<mod>{alternation(self.modifiers)})(?:\s+|-))?$",
            re.I,
        )
        self._past_before = re.compile(rf"\b(?:{alternation(self.past_markers)})\s+(?:the\s+)?$", re.I)
        self._ago_after = re.compile(r"^\s+ago\b", re.I)
        self._ambiguous_month = re.compile(r"^(?:may|march)$", re.I)
        self._duration_core = re.compile(rf"(?:(?:within|in)\s+(?:the\s+(?:next|coming)\s+)?)?{num}\s+{unit}", re.I)
        self._event_duration = re.compile(rf"\b{num}\s+{unit}\s+(?:of|after)\s+(?!now\b)", re.I)
        self._event_offset = re.compile(r"\s+(?:of|after)\s+(?!now\b)(?:(?:a|an|the|its|their)\s+)?[\w-]+", re.I)
        self._strip_prep = re.compile(rf"^(?:{alternation(self.preps)})\s+", re.I)
        self._strip_mod = re.compile(rf"^(?:later\s+)?(?:{alternation(self.modifiers)})\s+", re.I)
        self._duration = re.compile(rf"^(?:the (?:next|coming) )?({num}) ({unit})(?: time| from now)?$", re.I)
        self._day_first = re.compile(rf"^(?:(next|this) )?({_DAY}) (?:of )?([a-z]+)\.?(?:,? ({_YEAR}))?$")
        self._month_first = re.compile(rf"^(?:(next|this) )?([a-z]+)\.? ({_DAY})(?:,? ({_YEAR}))?$")
        self._month_year = re.compile(rf"^(?:(next|this) )?([a-z]+)\.?(?: of)?(?: ({_YEAR}|next year|this year))?$")

    # ------------------------------------------------------------------ finding
    def find(self, text: str) -> list[tuple[int, int, str]]:
        found: list[tuple[int, int]] = []
        for rx, needs_prep in self._cores:
            for m in rx.finditer(text):
                start, end = m.start(), m.end()
                core = m.group(0)
                before = text[max(0, start - 40) : start]
                left = self._left.search(before)
                outer = before[: len(before) - len(left.group(0))] if left else before
                if self._past_before.search(outer) or self._ago_after.match(text[end:]):
                    continue
                if core.lower() == "soon" and (before.lower().endswith("as ") or text[end:].startswith(" as")):
                    continue
                has_left = bool(left and (left.group("prep") or left.group("mod")))
                starts_det = re.match(r"(?:this|next|coming|the\s+coming)\b", core, re.I) is not None
                if needs_prep and not (has_left or starts_det):
                    continue
                if self._ambiguous_month.match(core) and not has_left:
                    continue
                if left:
                    start -= len(left.group(0))
                event = self._event_offset.match(text, end) if self._duration_core.fullmatch(core) else None
                if event:  # "within 100 days of a ceasefire": counted from an event, not from today
                    end = event.end()
                found.append((start, end))
        # Longest first, then no overlaps.
        chosen: list[tuple[int, int]] = []
        for start, end in sorted(found, key=lambda se: (-(se[1] - se[0]), se[0])):
            if all(end <= s or start >= e for s, e in chosen):
                chosen.append((start, end))
        return [(s, e, text[s:e]) for s, e in sorted(chosen)]

    # ------------------------------------------------------------------ resolving
    def resolve(self, expr: str, ref: date, style: Style = "period") -> str | None:
        text = _normalise(expr)
        if not text or any(text == v or text.endswith(" " + v) for v in self.vague):
            return None
        words = text.split()
        if words[0] in self.past_markers or words[-1] == "ago" or self._event_duration.search(text):
            return None
        prep = ""
        m = self._strip_prep.match(text)
        if m:
            prep, text = m.group(0).strip(), text[m.end() :]
        if not text or text.split()[0] in self.past_markers:
            return None
        if style == "deadline" and prep == "before" and text in self.year_boundaries:
            text = "next year"  # "before the new year" is the end of this one
        period = self._period(text, ref, prep)
        if period is None:
            period = _dateparser(text, ref)
        if period is None:
            return None
        before = prep == "before" and not re.match(r"(?:the )?end of\b", text)
        if style == "deadline":
            return self._deadline(period, text, prep, before).render()
        if before:
            period = _before(period)
        return period.render()

    def _deadline(self, period: Period, text: str, prep: str, before: bool) -> Period:
        """The analyst's convention for a deadline (eval/gold/README.md): a relative unit ("this month",
        "next year") or a season ends on its last day; "before X" is the last day before X (X itself
        when X is a day: "before Christmas"); "by (the) summer" and "before the summer" are the season's
        first month, "before spring" the last day before it."""
        season = self._season_name(text)
        whole = season is not None and not re.match(r"(?:the )?(?:end|beginning|start|middle) of ", text)
        if whole and (prep == "by" or (before and text.startswith("the "))):
            return _month(period.start.year, period.start.month)
        if before:
            return period if period.grain == "day" else _day(period.start - timedelta(days=1))
        if season is not None or _RELATIVE_UNIT.match(text):
            return _day(period.end)
        return period

    def _season_name(self, text: str) -> str | None:
        words = re.sub(r"^(?:the )?(?:end|beginning|start|middle) of ", "", text).split()
        words = [w for w in words if w not in ("this", "next", "the", "coming", "of") and not w.isdigit()]
        return words[0] if len(words) == 1 and words[0] in self.seasons else None

    def _period(self, text: str, ref: date, prep: str) -> Period | None:
        if text in self.relative_days:
            return _day(ref + timedelta(days=self.relative_days[text]))
        m = re.match(r"^(?:the )?(end|beginning|start|middle|first half|second half) of (.+)$", text)
        if m:
            inner = self._period(m.group(2), ref, "")
            return None if inner is None else _edge(inner, m.group(1))
        if text in ("year end", "the year end", "the year's end", "year's end"):
            return _day(date(ref.year, 12, 31))
        m = self._strip_mod.match(text)
        if m:  # early/mid/late/later X → X
            return self._period(text[m.end() :], ref, prep)
        return (
            self._calendar_unit(text, ref)
            or self._duration_period(text, ref, prep)
            or self._season(text, ref)
            or self._weekday(text, ref)
            or self._holiday(text, ref)
            or self._month_period(text, ref)
            or self._iso_or_year(text)
        )

    def _calendar_unit(self, text: str, ref: date) -> Period | None:
        m = re.match(r"^(the |this |next |the coming |the following |coming )?(week|weekend|month|year)$", text)
        if m is None:
            return None if text != "the year after next" else _year(ref.year + 2)
        step = 0 if m.group(1) in (None, "the ", "this ") else 1
        unit = m.group(2)
        monday = ref - timedelta(days=ref.weekday()) + timedelta(weeks=step)
        if unit == "week":
            return Period(monday, monday + timedelta(days=6), "day")
        if unit == "weekend":
            return Period(monday + timedelta(days=5), monday + timedelta(days=6), "day")
        if unit == "month":
            first = _add_months(ref.replace(day=1), step)
            return _month(first.year, first.month)
        return _year(ref.year + step)

    def _duration_period(self, text: str, ref: date, prep: str) -> Period | None:
        m = self._duration.match(text)
        if m is None or not (prep in ("within", "in") or text.endswith(("time", "from now"))):
            return None
        count_text = m.group(1).lower()
        count = int(count_text) if count_text.isdigit() else self.number_words.get(count_text)
        unit = self.duration_units.get(m.group(2).lower().replace("'s", "").replace("'", ""))
        if count is None or unit is None:
            return None
        if unit == "days":
            return _day(ref + timedelta(days=count))
        if unit == "weeks":
            return _day(ref + timedelta(weeks=count))
        if unit == "fortnights":
            return _day(ref + timedelta(weeks=2 * count))
        per_unit = {"years": 12, "decades": 120}.get(unit, 1)
        return _day(_add_months(ref, count * per_unit))

    def _season(self, text: str, ref: date) -> Period | None:
        m = re.match(rf"^(this |next |the coming |coming |the )?([a-z]+)(?: (?:of )?({_YEAR}))?$", text)
        if m is None or m.group(2) not in self.seasons:
            return None
        first, last = self.seasons[m.group(2)]

        def occurrence(year: int) -> Period:
            end_year = year if last >= first else year + 1
            return Period(date(year, first, 1), _last_day(end_year, last), "month")

        if m.group(3):  # "winter 2026" is the winter that ends in 2026
            year = int(m.group(3))
            return occurrence(year - 1 if last < first else year)
        mode = "next" if (m.group(1) or "").strip() in ("next",) else "this"
        return _pick([occurrence(y) for y in range(ref.year - 1, ref.year + 2)], ref, mode)

    def _weekday(self, text: str, ref: date) -> Period | None:
        m = re.match(r"^(this |next |coming )?([a-z]+)(?: morning| afternoon| evening| night)?$", text)
        if m is None or m.group(2) not in self.weekdays:
            return None
        want = self.weekdays[m.group(2)]
        days = [_day(ref + timedelta(days=k)) for k in range(14) if (ref.weekday() + k) % 7 == want]
        return _pick(days, ref, "next" if m.group(1) == "next " else "this")

    def _holiday(self, text: str, ref: date) -> Period | None:
        m = re.match(rf"^(.+?)(?: ({_YEAR}))?$", text)
        if m is None:
            return None
        name = m.group(1)
        years = [int(m.group(2))] if m.group(2) else [ref.year, ref.year + 1]
        days: list[Period] = []
        for year in years:
            if name in self.fixed_holidays:
                month, day = self.fixed_holidays[name]
                days.append(_day(date(year, month, day)))
            elif name in self.movable_holidays:
                days.append(_day(_movable(name, year)))
        if not days:
            return None
        return days[0] if m.group(2) else _pick(days, ref, "this")

    def _month_period(self, text: str, ref: date) -> Period | None:
        for rx, day_group, month_group in ((self._day_first, 2, 3), (self._month_first, 3, 2)):
            m = rx.match(text)
            if m and m.group(month_group) in self.months:
                month = self.months[m.group(month_group)]
                day = int(re.sub(r"\D", "", m.group(day_group)))
                if m.group(4):
                    return _safe_day(int(m.group(4)), month, day)
                days = [d for y in (ref.year, ref.year + 1) if (d := _safe_day(y, month, day))]
                return _pick(days, ref, m.group(1) or "this")
        m = self._month_year.match(text)
        if m is None or m.group(2) not in self.months:
            return None
        month = self.months[m.group(2)]
        which = m.group(3)
        if which and which[0].isdigit():
            return _month(int(which), month)
        if which == "next year":
            return _month(ref.year + 1, month)
        if which == "this year":
            return _month(ref.year, month)
        return _pick([_month(y, month) for y in (ref.year, ref.year + 1)], ref, m.group(1) or "this")

    @staticmethod
    def _iso_or_year(text: str) -> Period | None:
        m = re.match(r"^(\d{4})-(\d\d)(?:-(\d\d))?$", text)
        if m:
            year, month = int(m.group(1)), int(m.group(2))
            if not 1 <= month <= 12:
                return None
            return _safe_day(year, month, int(m.group(3))) if m.group(3) else _month(year, month)
        if re.match(rf"^{_YEAR}$", text):
            return _year(int(text))
        return None


def _safe_day(year: int, month: int, day: int) -> Period | None:
    try:
        return _day(date(year, month, day))
    except ValueError:
        return None


def _movable(name: str, year: int) -> date:
    if name == "thanksgiving":  # US: the fourth Thursday of November
        first = date(year, 11, 1)
        return first + timedelta(days=(3 - first.weekday()) % 7 + 21)
    return easter(year, EASTER_ORTHODOX if name.startswith("orthodox") else EASTER_WESTERN)


def _edge(period: Period, edge: str) -> Period:
    """The end / beginning of a period ("the end of the year" → 31 December, day granularity)."""
    season_like = period.grain == "month" and (period.start.year, period.start.month) != (
        period.end.year,
        period.end.month,
    )
    if edge == "end":
        if season_like:
            return _month(period.end.year, period.end.month)
        return _day(period.end)
    if edge == "second half":  # "the second half of February" → its last day
        return _day(period.end)
    if edge == "first half":  # → its middle day
        return _day(period.start + (period.end - period.start) // 2)
    if edge in ("beginning", "start"):
        if period.grain == "day":
            return _day(period.start)
        return _month(period.start.year, period.start.month)
    return period


def _before(period: Period) -> Period:
    last = period.start - timedelta(days=1)
    if period.grain == "year":
        return _year(last.year)
    if period.grain == "month":
        return _month(last.year, last.month)
    return _day(last)


def _dateparser(text: str, ref: date) -> Period | None:
    if not re.search(r"[a-z0-9]", text):
        return None
    from dateparser.date import DateDataParser  # imported late: loading it takes a while

    settings = {
        "RELATIVE_BASE": datetime(ref.year, ref.month, ref.day),
        "PREFER_DATES_FROM": "future",
        "PREFER_DAY_OF_MONTH": "first",
        "RETURN_TIME_AS_PERIOD": True,
    }
    try:
        data = DateDataParser(languages=["en"], settings=settings).get_date_data(text)
    except Exception:  # dateparser raises assorted errors on odd input; no date is the honest answer
        return None
    when = data.date_obj
    if when is None:
        return None
    if data.period == "year":
        return _year(when.year)
    if data.period == "month":
        return _month(when.year, when.month)
    return _day(when.date())


@lru_cache(maxsize=8)
def date_rules(lexicon_path: str | None = None) -> DateRules:
    """The compiled rules of a lexicon (the packaged ``dates.json`` by default)."""
    return DateRules(load_data(lexicon_path, DEFAULT_LEXICON))


def resolve_deadline(expr: str, ref: date, *, lexicon_path: str | None = None, style: Style = "period") -> str | None:
    """The deadline an expression states, as ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``; ``None`` if vague.

    ``style="deadline"`` applies the analyst's convention for prediction deadlines (see ``DateRules._deadline``).
    """
    return date_rules(lexicon_path).resolve(expr, ref, style)


def previous_occurrence(
    expr: str, ref: date, *, lexicon_path: str | None = None, style: Style = "deadline"
) -> str | None:
    """The latest occurrence of a yearly expression ("29 Nov", "Thanksgiving", "November") not after
    ``ref`` — for a date a note or a recalled forecast refers back to; ``None`` if there is none."""
    if re.search(r"\b(?:next|this|coming|within|from now|in \w+ (?:days?|weeks?|months?))\b", expr, re.I):
        return None
    value = date_rules(lexicon_path).resolve(expr, ref - timedelta(days=365), style)
    if value is None or len(value) == 4 or value > ref.isoformat()[: len(value)]:
        return None
    return value


def find_time_expressions(text: str, *, lexicon_path: str | None = None) -> list[tuple[int, int, str]]:
    """Future-usable time expressions in ``text`` as ``(start, end, text[start:end])``, in order.

    The span includes a leading preposition and modifier ("by the end of the year", "in February").
    Past-anchored expressions ("since January", "last month", "two weeks ago") are skipped; bare years,
    seasons, weekdays and holidays count only after a preposition ("in 2026", "by Christmas").
    """
    return date_rules(lexicon_path).find(text)


__all__ = ["DateRules", "Period", "date_rules", "find_time_expressions", "previous_occurrence", "resolve_deadline"]
