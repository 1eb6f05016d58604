"""``python -m sitroom.evaluate.inspect KIND [--split dev|test|all] [--doc STEM ...]``: what the gold scorer
counted against one kind of fact, document by document, for tuning on the dev half.

For each document it prints the gold items nothing matched (misses, ``-``), the extracted items that
matched nothing (false positives, ``+``) and matched pairs whose secondary fields disagree (``~``), each
with its evidence text. The matching rules are the scorer's own (:mod:`sitroom.evaluate.scorers.gold`).
Only tune on ``--split dev`` (the default); the test half is for reporting.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from ..extract.pipeline import ExtractOptions, Extractor
from ..model import Extraction
from .datasets import gold as gold_data
from .metrics import match
from .scorers.gold import MATCH, same, scored_hedges

# kind -> (the Extraction's facts the scorer compares, secondary fields shown on "~"); the matching
# rule itself is the scorer's own (scorers.gold.MATCH).
SECONDARY: dict[str, tuple[Callable[[Extraction], list[Any]], tuple[str, ...]]] = {
    "attributions": (lambda ex: list(ex.attributions), ("certainty",)),
    "hedges": (scored_hedges, ("kind",)),
    "places": (lambda ex: list(ex.places), ("status", "by")),
    "provisions": (lambda ex: list(ex.provisions), ("number",)),
    "stances": (lambda ex: list(ex.stances), ()),
    "predictions": (lambda ex: list(ex.predictions), ("deadline", "conditional")),
    "quantities": (lambda ex: list(ex.quantities), ("about",)),
}


def _show(text: str, start: int, end: int, fields: dict[str, Any]) -> str:
    shown = {k: v for k, v in fields.items() if k not in {"start", "end", "evidence", "content", "mention", "text"}}
    snippet = " ".join(text[start:end].split())
    return f"{snippet!r}  {shown}"


def inspect(documents: Sequence[gold_data.GoldDocument], extractions: Sequence[Extraction], kind: str) -> str:
    facts_of, secondary = SECONDARY[kind]
    key = MATCH[kind]
    lines: list[str] = []
    totals = [0, 0, 0]
    for doc, ex in zip(documents, extractions, strict=True):
        gold = doc.facts.get(kind, [])
        pred = facts_of(ex)
        pairs = match(gold, pred, key)
        totals[0] += len(pairs)
        totals[1] += len(pred) - len(pairs)
        totals[2] += len(gold) - len(pairs)
        text = doc.document.text
        out: list[str] = []
        matched_g = {gi for gi, _ in pairs}
        matched_p = {pi for _, pi in pairs}
        for gi, g in enumerate(gold):
            if gi not in matched_g:
                out.append("  - " + _show(text, g.start, g.end, g.fields))
        for pi, p in enumerate(pred):
            if pi not in matched_p:
                out.append("  + " + _show(text, p.start, p.end, asdict(p)))
        for gi, pi in pairs:
            g, p = gold[gi], pred[pi]
            for name in secondary:
                if not same(g.get(name), getattr(p, name, None)):
                    out.append(
                        f"  ~ {' '.join(text[g.start : g.end].split())!r}: {name} gold={g.get(name)!r} "
                        f"got={getattr(p, name, None)!r}"
                    )
        if out:
            lines.append(f"## {doc.name}")
            lines.extend(out)
    tp, fp, fn = totals
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    lines.append(f"{kind}: tp={tp} fp={fp} fn={fn}  P={p:.3f} R={r:.3f} F1={f:.3f}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sitroom.evaluate.inspect", description=__doc__)
    parser.add_argument("kind", choices=sorted(MATCH))
    parser.add_argument("--split", choices=("dev", "test", "all"), default="dev")
    parser.add_argument("--doc", nargs="*", default=None, help="only these document stems")
    parser.add_argument("--gold", type=Path, default=Path("eval/gold"))
    args = parser.parse_args(argv)
    documents = [
        d
        for d in gold_data.load(args.gold)
        if (args.split == "all" or gold_data.split_of(d.name) == args.split) and (not args.doc or d.name in args.doc)
    ]
    extractor = Extractor(options=ExtractOptions(actors_paths=[]))
    extractions = [extractor.extract(d.document) for d in documents]
    print(inspect(documents, extractions, args.kind))
    return 0


if __name__ == "__main__":
    sys.exit(main())
