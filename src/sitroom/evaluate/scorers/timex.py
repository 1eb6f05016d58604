"""Time expressions on TempEval-3: ``sitroom.extract.dates`` against the TIMEX3 annotations.

sitroom does not tag every time expression: ``find_time_expressions`` looks for the ones a prediction's
deadline can come from, and skips past-anchored ones ("last year", "two weeks ago"); ``resolve_deadline``
turns such an expression into the end of the period it names, read forwards from the reference date
(here the document creation time). So we report the task's standard measures, computed the standard
way, beside measures restricted to what is comparable:

* **strict / relaxed span F1** (TempEval-3 task A): a predicted expression matches a gold TIMEX3 with the
  same extent (strict) or an overlapping one (relaxed; one-to-one). Our spans include a leading
  preposition ("in February"), which TimeML leaves out, so we also report strict F1 with that
  preposition removed;
* **value F1** as in the task: a relaxed match whose value is right, over all gold and all predicted
  expressions. This counts every past date (which we deliberately do not normalise) as wrong;
* **relaxed recall on future-or-present dates** — recall over the gold DATE timexes with a calendar
  value (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD`` or ``YYYY-Www``) whose period has not ended before the
  creation time: the expressions a deadline could come from;
* **value accuracy on comparable matches** — over relaxed matches of those gold timexes, the share
  where ``resolve_deadline(our text, creation date)`` equals the gold value (for a gold ISO week, our
  day falls in that week).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache

from ...extract import dates
from ...extract.lexicon import alternation
from ..context import Context
from ..datasets import hash_files, stable_sample, tempeval
from ..metrics import PRF, Accuracy, match_spans, span
from ..report import DatasetRun, Published, Score

EXTRACTOR = "predictions"
SETS = {"tempeval3-platinum": "platinum", "tempeval3-tbaq": "tbaq"}
_HEIDELTIME = "HeidelTime, TempEval-3 platinum (UzZaman et al. 2013)"
PUBLISHED: dict[str, Published] = {
    # F1 from the strict P 83.85 / R 78.99 given in ../shared/datasets/tempeval3/SOURCE.txt
    "strict_f1": Published(0.8135, _HEIDELTIME + ", from its strict P/R", verified=True),
    "relaxed_f1": Published(0.903, _HEIDELTIME + " — figure from memory in SOURCE.txt, unchecked", verified=False),
    "value_f1": Published(0.776, _HEIDELTIME + " — figure from memory in SOURCE.txt, unchecked", verified=False),
}
_ISO = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")

Finder = Callable[[str], list[tuple[int, int, str]]]
Resolver = Callable[[str, date], str | None]


@dataclass(slots=True)
class Counts:
    strict: PRF = field(default_factory=PRF)
    strict_trimmed: PRF = field(default_factory=PRF)
    relaxed: PRF = field(default_factory=PRF)
    value: PRF = field(default_factory=PRF)
    comparable_recall: PRF = field(default_factory=PRF)
    comparable_value: Accuracy = field(default_factory=Accuracy)


def period_end(value: str) -> date | None:
    """The last day of the calendar period a TimeML value names, if it is a plain calendar value."""
    m = _WEEK.match(value)
    if m:
        try:
            return date.fromisocalendar(int(m.group(1)), int(m.group(2)), 7)
        except ValueError:
            return None
    m = _ISO.match(value)
    if not m:
        return None
    year, month, day = int(m.group(1)), m.group(2), m.group(3)
    try:
        if day:
            return date(year, int(month), int(day))
        if month:
            nxt = date(year + int(month) // 12, int(month) % 12 + 1, 1)
            return nxt - timedelta(days=1)
        return date(year, 12, 31)
    except ValueError:
        return None


def comparable(timex: tempeval.Timex, dct: date | None) -> bool:
    """A gold DATE with a calendar value whose period has not ended before the creation date."""
    if timex.type != "DATE" or dct is None:
        return False
    end = period_end(timex.value)
    return end is not None and end >= dct


def value_matches(ours: str | None, gold: str) -> bool:
    if ours is None:
        return False
    m = _WEEK.match(gold)
    if m and _ISO.match(ours) and len(ours) == 10:
        year, week, _ = date.fromisoformat(ours).isocalendar()
        return (year, week) == (int(m.group(1)), int(m.group(2)))
    return ours == gold


@cache
def _leading_preposition() -> re.Pattern[str]:
    return re.compile(rf"(?:{alternation(dates.date_rules().preps)})\s+", re.IGNORECASE)


def strip_preposition(text: str, start: int, end: int) -> tuple[int, int]:
    """The span without the leading deadline preposition our finder includes ("in", "by", ...)."""
    m = _leading_preposition().match(text, start, end)
    return (m.end(), end) if m and m.end() < end else (start, end)


def compare(
    document: tempeval.TimeMLDocument,
    found: Sequence[tuple[int, int, str]],
    resolve: Resolver,
    counts: Counts,
) -> None:
    gold = document.timexes
    g_spans = [span(t.start, t.end) for t in gold]
    p_spans = [span(s, e) for s, e, _ in found]
    p_trimmed = [span(*strip_preposition(document.text, s, e)) for s, e, _ in found]
    counts.strict.add(len(gold), len(found), len(match_spans(g_spans, p_spans, "exact")))
    counts.strict_trimmed.add(len(gold), len(found), len(match_spans(g_spans, p_trimmed, "exact")))
    pairs = match_spans(g_spans, p_spans, "overlap")
    counts.relaxed.add(len(gold), len(found), len(pairs))
    right = 0
    for gi, pi in pairs:
        ours = resolve(found[pi][2], document.dct) if document.dct else None
        ok = value_matches(ours, gold[gi].value)
        right += ok
        if comparable(gold[gi], document.dct):
            counts.comparable_value.add(ok)
    counts.value.add(len(gold), len(found), right)
    wanted = [i for i, t in enumerate(gold) if comparable(t, document.dct)]
    hit = {gi for gi, _ in pairs}
    counts.comparable_recall.add(len(wanted), 0, sum(1 for i in wanted if i in hit))


def scores(dataset: str, counts: Counts) -> list[Score]:
    n = counts.relaxed.n_gold
    platinum = dataset == "tempeval3-platinum"

    def row(metric: str, value: float, sample: int, unit: str = "timexes") -> Score:
        published = PUBLISHED.get(metric) if platinum else None
        return Score(EXTRACTOR, dataset, metric, value, sample, unit, published=published)

    return [
        row("strict_f1", counts.strict.f1, n),
        row("strict_f1_without_preposition", counts.strict_trimmed.f1, n),
        row("relaxed_f1", counts.relaxed.f1, n),
        row("relaxed_precision", counts.relaxed.precision, n),
        row("relaxed_recall", counts.relaxed.recall, n),
        row("value_f1", counts.value.f1, n),
        row("relaxed_recall_future_dates", counts.comparable_recall.recall, counts.comparable_recall.n_gold),
        row("value_accuracy_comparable", counts.comparable_value.value, counts.comparable_value.total, "matches"),
    ]


def evaluate(
    ctx: Context, dataset: str, find: Finder = dates.find_time_expressions, resolve: Resolver = dates.resolve_deadline
) -> DatasetRun:
    root = ctx.datasets / "tempeval3"
    name = SETS[dataset]
    if not tempeval.available(root, name):
        return DatasetRun(dataset, "skipped", note=f"{root} ({name}) not found")
    stats = tempeval.LoadStats()
    documents = list(tempeval.load(root, name, stats))
    sample = stable_sample(documents, ctx.limit, key=lambda d: d.name)
    advance = ctx.progress(dataset, len(sample))
    counts = Counts()
    for document in sample:
        compare(document, find(document.text), resolve, counts)
        advance(1)
    split = "evaluation (platinum)" if name == "platinum" else "training (TimeBank + AQUAINT)"
    return DatasetRun(
        dataset,
        "ok",
        scores=scores(dataset, counts),
        data_hash=hash_files(tempeval.files(root, name), ctx.datasets),
        documents=len(sample),
        sample_note=f"{len(sample)} of {len(documents)} {split} documents, TEXT section",
        note=f"{len(stats.skipped)} file(s) not well-formed, skipped" if stats.skipped else "",
    )


__all__ = ["Counts", "comparable", "compare", "evaluate", "period_end", "scores", "strip_preposition", "value_matches"]
