"""Showing a report: a Rich table (extractor, dataset, metric, ours, published best, floor, sample), the
datasets' sample notes and timings, the gate's verdict, and a Rich progress bar for the long work."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from .context import ProgressHook
from .floors import Floors, GateResult, passes
from .report import EvalReport, Published, Score
from .runner import EXTRACTOR_ORDER, SUITES


def pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}"


def published_text(published: Published | None) -> str:
    """ "82.0", "90.3?" (unverified), "(92.3)" (a different quantity, for context) or "—"."""
    if published is None or published.value is None:
        return "—"
    text = pct(published.value)
    if not published.verified:
        text += "?"
    return f"({text})" if not published.comparable else text


def ordered(scores: list[Score]) -> list[Score]:
    dataset_rank = {s.name: i for i, s in enumerate(SUITES)}
    extractor_rank = {e: i for i, e in enumerate(EXTRACTOR_ORDER)}
    indexed = list(enumerate(scores))
    indexed.sort(
        key=lambda item: (
            extractor_rank.get(item[1].extractor, len(extractor_rank)),
            dataset_rank.get(item[1].dataset, len(dataset_rank)),
            item[0],
        )
    )
    return [score for _, score in indexed]


def report_table(report: EvalReport, floors: Floors | None = None) -> Table:
    table = Table(title="sitroom evaluation (values in %)", show_lines=False)
    for name, justify in (
        ("extractor", "left"),
        ("dataset", "left"),
        ("metric", "left"),
        ("ours", "right"),
        ("published best", "right"),
        ("floor", "right"),
        ("n", "right"),
    ):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    entries = floors.entries if floors else {}
    previous = None
    for score in ordered(report.scores()):
        entry = entries.get(score.key)
        floor = "—"
        ours = pct(score.value)
        if entry is not None:
            floor = pct(float(entry["floor"])) + ("↓" if entry.get("better") == "lower" else "")
            if score.value is not None and not passes(
                score.value, float(entry["floor"]), entry.get("better", "higher")
            ):
                ours = f"[bold red]{ours}[/]"
        if previous is not None and previous != score.extractor:
            table.add_section()
        previous = score.extractor
        table.add_row(
            score.extractor,
            score.dataset,
            score.metric,
            ours,
            published_text(score.published),
            floor,
            f"{score.sample:,}",
        )
    return table


def notes(report: EvalReport) -> list[str]:
    lines = []
    for run in report.runs:
        if run.status == "skipped":
            lines.append(f"[yellow]skipped[/] {run.name}: {run.note}")
            continue
        if run.status == "error":
            lines.append(f"[red]error[/] {run.name}: {run.note}")
            continue
        parts = [run.sample_note, f"{run.seconds:.1f} s"]
        if run.note:
            parts.append(run.note)
        if run.extraction_errors:
            parts.append(f"{len(run.extraction_errors)} document(s) failed to extract (scored as empty)")
        lines.append(f"{run.name}: " + "; ".join(p for p in parts if p))
    lines.append(
        f"total {report.seconds:.1f} s (pipeline build {report.build_seconds:.1f} s). "
        "published best: ? = not verified here, ( ) = a different quantity given for context; ↓ = lower is better"
    )
    lines.extend(f"[yellow]warning[/] {w}" for w in report.warnings)
    return lines


def print_report(console: Console, report: EvalReport, floors: Floors | None = None) -> None:
    console.print(report_table(report, floors))
    for line in notes(report):
        console.print(line, soft_wrap=True)
    for run in report.runs:
        for error in run.extraction_errors[:5]:
            console.print(f"  [dim]{run.name} extraction error: {error}[/]", soft_wrap=True)


def print_gate(console: Console, result: GateResult) -> None:
    for line in result.notes:
        console.print(f"[dim]{line}[/]", soft_wrap=True)
    for line in result.warnings:
        console.print(f"[yellow]warning[/] {line}", soft_wrap=True)
    if result.ok:
        console.print(f"[green]gate passed[/]: {result.checked} metric(s) at or above their floors")
    else:
        console.print(f"[bold red]gate failed[/]: {len(result.failures)} metric(s)")
        for line in result.failures:
            console.print(f"  [red]✗[/] {line}", soft_wrap=True)


@contextmanager
def rich_progress(console: Console) -> Iterator[ProgressHook]:
    """A progress hook that shows one bar per dataset on ``console`` (stderr, usually)."""
    progress = Progress(
        TextColumn("{task.description:<20}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    )

    def hook(label: str, total: int) -> Callable[[int], None]:
        task = progress.add_task(label, total=total)
        return lambda advance: progress.advance(task, advance)

    with progress:
        yield hook


__all__ = ["notes", "print_gate", "print_report", "published_text", "report_table", "rich_progress"]
