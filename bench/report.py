"""Present a benchmark result: a Rich table for the terminal, JSON for the record, Markdown for the docs.

The result is the dict ``bench/run.py`` builds (and writes as ``speed.json``); see ``bench/README.md``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from rich.console import Console, JustifyMethod
from rich.table import Table

from bench.measure import SITROOM_GROUP, SPACY_GROUP

GOAL_RATIO = 0.7
LABELS = {"bare": "bare spaCy `nlp.pipe`", "sitroom": "sitroom `Extractor.extract_many`"}
SHORT_LABELS = {"bare": "bare spaCy", "sitroom": "sitroom"}


def _label(row: dict[str, Any], markdown: bool = True) -> str:
    name = (LABELS if markdown else SHORT_LABELS).get(row["kind"], row["kind"])
    procs = row["n_process"]
    return f"{name}, {procs} process{'es' if procs > 1 else ''}"


def ratio_of(result: dict[str, Any], row: dict[str, Any]) -> float | None:
    return result["ratios"].get(str(row["n_process"])) if row["kind"] == "sitroom" else None


def _fmt_ratio(value: float | None, kind: str) -> str:
    if kind == "bare":
        return "1.00 (baseline)"
    return f"{value:.2f}" if value is not None else "–"


def _fmt_mb(value: float | None) -> str:
    return f"{value:,.0f}" if value is not None else "–"


def group_totals(breakdown: dict[str, Any]) -> dict[str, float]:
    totals = {SPACY_GROUP: 0.0, SITROOM_GROUP: 0.0}
    for row in breakdown["components"]:
        totals[row["group"]] = totals.get(row["group"], 0.0) + row["seconds"]
    return totals


NOISY_SPREAD = 0.10  # (slowest − fastest pass) / median above which a run is flagged


def noisy(result: dict[str, Any]) -> list[str]:
    """Configurations whose passes spread by more than NOISY_SPREAD: something else was using the CPU."""
    return [
        f"{_label(row, markdown=False)} ({(max(row['times_s']) - min(row['times_s'])) / row['median_s'] * 100:.0f}%)"
        for row in result["results"]
        if row["median_s"] and (max(row["times_s"]) - min(row["times_s"])) / row["median_s"] > NOISY_SPREAD
    ]


def noise_warning(result: dict[str, Any]) -> str | None:
    flagged = noisy(result)
    if not flagged:
        return None
    return (f"Warning: noisy run — passes spread by more than {NOISY_SPREAD:.0%} of the median for "
            f"{', '.join(flagged)}; re-run on a quiet machine before quoting these figures.")


def verdict(result: dict[str, Any]) -> str:
    """One honest sentence on the goal, from the numbers."""
    ratios = {int(k): v for k, v in result["ratios"].items()}
    if not ratios:
        return "No sitroom/bare pair was measured, so the goal ratio cannot be judged."
    pairs = sorted(ratios.items())
    parts = " and ".join(
        f"{v:.2f}× bare spaCy's throughput with {k} process{'es' if k > 1 else ''}" if i == 0
        else f"{v:.2f}× with {k} process{'es' if k > 1 else ''}"
        for i, (k, v) in enumerate(pairs)
    )
    worst = min(ratios.values())
    if worst >= GOAL_RATIO:
        margin = " — with little margin" if worst < GOAL_RATIO + 0.05 else ""
        sentence = (f"Goal met on this corpus (ratio ≥ {GOAL_RATIO}){margin}: the full pipeline reaches {parts}, "
                    f"so sitroom's rules and lookups cost at most {(1 - worst) * 100:.0f}% of the throughput")
    else:
        sentence = (f"Goal not met (ratio ≥ {GOAL_RATIO}): the full pipeline reaches only {parts}; "
                    f"sitroom's own work costs up to {(1 - worst) * 100:.0f}% of the throughput")
    long_docs = (result.get("breakdown") or {}).get("long_documents") or []
    slow = [d for d in long_docs if d["predicted_ratio"] < GOAL_RATIO]
    if slow:
        first = slow[0]
        sentence += (f"; but sitroom's cost per word grows with document length, and a single "
                     f"{first['words']:,}-word document predicts only {first['predicted_ratio']:.2f}")
    return sentence + "."


def to_json(result: dict[str, Any], path: Path) -> None:
    path.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def to_markdown(result: dict[str, Any]) -> str:
    """A section to paste under ``## Speed`` in docs/benchmarks.md."""
    cfg, machine, corpus = result["config"], result["machine"], result["config"]["corpus"]
    how = "" if result["command"] == "make bench" else f" (this run: `{result['command']}`)"
    lines = [
        f"Reproduce with `make bench`{how}, which runs `.venv/bin/python bench/run.py` "
        f"(`--help` lists the options). Measured {result['date'][:10]}.",
        "",
        f"- Machine: {machine['cpus']} CPUs available, Python {machine['python']}, spaCy {machine['spacy']}, "
        f"{cfg['model']} {machine['model_version']}.",
        f"- Corpus: {corpus['base_documents']} documents ({corpus['base_words']:,} words: "
        f"{', '.join(corpus['sources'])}) cycled in order to {corpus['texts']} texts, "
        f"{corpus['words']:,} words (whitespace-separated). SHA-256 `{corpus['sha256'][:12]}`.",
        f"- Method: each configuration in a fresh process; model load and a warm-up on {cfg['warmup']} texts "
        f"are not timed; batch size {cfg['batch_size']}; median of {cfg['repeats']} "
        f"pass{'es' if cfg['repeats'] > 1 else ''} over the corpus. "
        "Words/s are from this machine and only comparable within one run; the ratio is the figure to track.",
        "- Peak MB is the peak resident set of the process that loads the pipeline (model load included); "
        "with 2 processes, the largest worker is shown separately (workers are forked, so they share pages "
        "with the parent and the two are not simply additive).",
        "",
        "| configuration | words/s | ratio vs bare spaCy | peak MB | largest worker MB |",
        "|---|---:|---:|---:|---:|",
    ]
    for row in result["results"]:
        lines.append(
            f"| {_label(row)} | {row['words_per_s']:,.0f} | {_fmt_ratio(ratio_of(result, row), row['kind'])} "
            f"| {_fmt_mb(row['peak_rss_mb'])} | {_fmt_mb(row['children_peak_rss_mb'])} |"
        )
    breakdown = result.get("breakdown")
    if breakdown:
        totals = group_totals(breakdown)
        whole = sum(totals.values()) or 1.0
        lines += [
            "",
            f"Where the time goes (one process, one pass over the same {breakdown['words']:,} words, each "
            "component timed batch by batch as `nlp.pipe` runs it):",
            "",
            "| component | group | seconds | share |",
            "|---|---|---:|---:|",
        ]
        for row in sorted(breakdown["components"], key=lambda r: -r["seconds"]):
            lines.append(f"| `{row['name']}` | {row['group']} | {row['seconds']:.2f} | {row['share'] * 100:.1f}% |")
        for group, seconds in totals.items():
            lines.append(f"| **{group} (all)** | | **{seconds:.2f}** | **{seconds / whole * 100:.1f}%** |")
        lines += ["", f"These times predict a 1-process ratio of {breakdown['predicted_ratio']:.2f} "
                  "(spaCy's share of the time)."]
        long_docs = breakdown.get("long_documents") or []
        if long_docs:
            lines += [
                "",
                "Cost per word on one long document (copies of the corpus's longest text, under the Extractor's "
                "chunk size), to show whether sitroom's cost grows faster than the text:",
                "",
                "| document | words | spaCy µs/word | sitroom µs/word | predicted ratio |",
                "|---|---:|---:|---:|---:|",
            ]
            for row in long_docs:
                lines.append(f"| {row['copies']} × longest text ({row['chars']:,} chars) | {row['words']:,} "
                             f"| {row['spacy_us_per_word']:.0f} | {row['sitroom_us_per_word']:.0f} "
                             f"| {row['predicted_ratio']:.2f} |")
    warning = noise_warning(result)
    lines += ["", verdict(result), *(["", warning] if warning else []), ""]
    return "\n".join(lines)


def print_tables(result: dict[str, Any], console: Console | None = None) -> None:
    console = console or Console()
    corpus = result["config"]["corpus"]
    table = Table(title=f"sitroom vs bare spaCy — {corpus['words']:,} words, {corpus['texts']} texts, "
                  f"median of {result['config']['repeats']}")
    columns: list[tuple[str, JustifyMethod]] = [("configuration", "left"), ("words/s", "right"),
                                                 ("min–max s", "right"), ("ratio", "right"),
                                                 ("peak MB", "right"), ("worker MB", "right")]
    for name, justify in columns:
        table.add_column(name, justify=justify)
    for row in result["results"]:
        table.add_row(
            _label(row, markdown=False),
            f"{row['words_per_s']:,.0f}",
            f"{min(row['times_s']):.2f}–{max(row['times_s']):.2f}",
            _fmt_ratio(ratio_of(result, row), row["kind"]),
            _fmt_mb(row["peak_rss_mb"]),
            _fmt_mb(row["children_peak_rss_mb"]),
        )
    console.print(table)
    breakdown = result.get("breakdown")
    if breakdown:
        parts = Table(title="Time per component (1 process)")
        for name in ("component", "group"):
            parts.add_column(name)
        for name in ("seconds", "share"):
            parts.add_column(name, justify="right")
        for row in sorted(breakdown["components"], key=lambda r: -r["seconds"]):
            parts.add_row(row["name"], row["group"], f"{row['seconds']:.2f}", f"{row['share'] * 100:.1f}%")
        console.print(parts)
        console.print(f"predicted 1-process ratio from these times: {breakdown['predicted_ratio']:.2f}")
        long_docs = breakdown.get("long_documents") or []
        if long_docs:
            scaling = Table(title="One long document (copies of the longest text)")
            scaling.add_column("words", justify="right")
            for name in ("spaCy µs/word", "sitroom µs/word", "predicted ratio"):
                scaling.add_column(name, justify="right")
            for row in long_docs:
                scaling.add_row(f"{row['words']:,}", f"{row['spacy_us_per_word']:.0f}",
                                f"{row['sitroom_us_per_word']:.0f}", f"{row['predicted_ratio']:.2f}")
            console.print(scaling)
    console.print(verdict(result))
    warning = noise_warning(result)
    if warning:
        console.print(f"[bold yellow]{warning}[/]")
