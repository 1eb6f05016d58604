"""Refresh the "ours" and "sample" columns of docs/benchmarks.md from a JSON evaluation report.

    python -m sitroom.evaluate --json > /tmp/report.json
    python eval/refresh_benchmarks.py /tmp/report.json docs/benchmarks.md

Each ``## Section`` of the page holds the metrics of the extractors named in SECTIONS. A table row
``| dataset | metric | ours | ...`` gets its value from the report; metrics the report has and the
table lacks are added at the end of the section's table (published best "—", command ``make eval``).
Rows whose metric the report does not have are left alone. Prose is never touched: update the
sentences that quote numbers by hand.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

SECTIONS = {
    "Attribution": ("attribution",),
    "Hedging and certainty": ("certainty",),
    "Places and geocoding": ("places",),
    "Control status": ("control",),
    "Provisions": ("provisions",),
    "Stances": ("stances",),
    "Predictions and deadlines": ("predictions",),
    "Quantities": ("quantities",),
    "Claim linking and contradictions": ("linking", "contradictions"),
}
ROW = re.compile(r"^\| (?P<dataset>[\w-]+) \| (?P<metric>[\w]+) \| (?P<ours>[^|]*) \|(?P<rest>.*)$")


def _value(score: dict) -> str:
    v = score["value"]
    return "—" if v is None else f"{100 * v:.1f}"


def refresh(report: dict, page: str) -> str:
    scores: dict[tuple[str, str, str], dict] = {}
    for run in report["datasets"]:
        for s in run.get("scores", []):
            scores[(s["extractor"], s["dataset"], s["metric"])] = s
    out: list[str] = []
    section: tuple[str, ...] = ()
    seen: set[tuple[str, str, str]] = set()
    lines = page.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("## "):
            section = SECTIONS.get(line[3:].strip(), ())
            seen = set()
        m = ROW.match(line)
        if m and section:
            for extractor in section:
                key = (extractor, m["dataset"], m["metric"])
                if key in scores:
                    sc = scores[key]
                    cells = m["rest"].split(" | ")  # " published", "sample", "command |"
                    if len(cells) >= 3:
                        cells[1] = f"{sc['sample']:,} {sc['unit']}"
                    line = f"| {m['dataset']} | {m['metric']} | {_value(sc)} |{' | '.join(cells)}"
                    seen.add(key)
                    break
        out.append(line)
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        if m and section and not nxt.startswith("|"):
            for key, s in scores.items():
                if key[0] in section and key not in seen:
                    out.append(f"| {key[1]} | {key[2]} | {_value(s)} | — | {s['sample']:,} {s['unit']} | `make eval` |")
                    seen.add(key)
    return "\n".join(out) + "\n"


def main() -> int:
    report = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    page = Path(sys.argv[2])
    page.write_text(refresh(report, page.read_text(encoding="utf-8")), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
