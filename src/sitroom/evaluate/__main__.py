"""``python -m sitroom.evaluate [--gate] [--update-floors [--allow-lower]] [--only NAME...] [--limit N] [--json]``

Exit codes: 0 ok; 2 bad option, or ``--update-floors`` refused to lower a floor; 7 ``--gate`` failed (a
metric below its floor, or a dataset that could not be evaluated); 1 a dataset failed without ``--gate``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from contextlib import nullcontext
from pathlib import Path

from rich.console import Console

from ..errors import SitroomError
from .floors import Floors
from .render import print_gate, print_report, rich_progress
from .runner import SUITES, EvalOptions, gate, run_evaluation, update_floors

GATE_FAILED = 7


def parser() -> argparse.ArgumentParser:
    names = ", ".join(s.name for s in SUITES)
    p = argparse.ArgumentParser(
        prog="python -m sitroom.evaluate",
        description="Score sitroom's extractors on the public labelled datasets in ../shared/datasets and on "
        "the project's gold set (eval/gold); print precision, recall and F1 beside the best published scores.",
    )
    p.add_argument("--gate", action="store_true", help=f"exit {GATE_FAILED} if any metric is below its floor")
    p.add_argument("--update-floors", action="store_true", help="write eval/floors.json from this run")
    p.add_argument("--allow-lower", action="store_true", help="with --update-floors: accept lower floors")
    p.add_argument("--only", nargs="+", metavar="NAME", default=(), help=f"datasets or extractors ({names})")
    p.add_argument(
        "--limit", type=int, metavar="N", help="at most N documents per public dataset (a quick look; gold runs whole)"
    )
    p.add_argument("--jobs", type=int, default=2, metavar="N", help="worker processes for extraction (default 2)")
    p.add_argument("--json", action="store_true", help="print the report as JSON instead of a table")
    p.add_argument("--shared", type=Path, help="the shared folder (default $SITROOM_SHARED or ../shared)")
    p.add_argument("--gold", type=Path, help="the gold set folder (default eval/gold)")
    p.add_argument("--floors", type=Path, help="the floors file (default eval/floors.json)")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    out = Console(highlight=False)
    if not out.is_terminal:  # logs and CI: wide enough that metric names are not cut
        out = Console(highlight=False, width=150)
    err = Console(stderr=True, highlight=False)
    if args.allow_lower and not args.update_floors:
        err.print("[red]error:[/] --allow-lower only makes sense with --update-floors")
        return 2
    options = EvalOptions(
        shared=args.shared,
        gold=args.gold,
        floors=args.floors,
        only=tuple(args.only),
        limit=args.limit,
        jobs=args.jobs,
    )
    try:
        with rich_progress(err) if err.is_terminal else nullcontext(None) as hook:
            if hook is not None:
                options.progress = hook
            report = run_evaluation(options)
        floors = Floors.read(options.floors_path)
        result = gate(report, options) if args.gate else None
        if args.json:
            body = report.to_json()
            if result is not None:
                body["gate"] = {"ok": result.ok, "failures": result.failures, "warnings": result.warnings}
            sys.stdout.write(json.dumps(body, indent=1, ensure_ascii=False) + "\n")
        else:
            print_report(out, report, floors)
            if result is not None:
                print_gate(out, result)
        if args.update_floors:
            written = update_floors(report, options, allow_lower=args.allow_lower)
            err.print(f"wrote {len(written.entries)} floor(s) to {options.floors_path}")
    except SitroomError as exc:
        err.print(f"[red]error:[/] {exc}", soft_wrap=True)
        return exc.exit_code
    if result is not None and not result.ok:
        return GATE_FAILED
    if any(run.status == "error" for run in report.runs):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
