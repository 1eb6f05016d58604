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
from .scorers.gold import HALF, _overlap, same, same_value

# kind -> (attribute on Extraction, key function deciding a match, secondary fields shown on "~")
Rule = tuple[str, Callable[[gold_data.GoldFact, Any], float | None], tuple[tuple[str, str], ...]]


def _rules() -> dict[str, Rule]:
    return {
        "attributions": (
            "attributions",
            lambda g, p: _overlap(g, p, HALF) if same(g.get("speaker"), p.speaker) else None,
            (("certainty", "certainty"),),
        ),
        "places": (
            "places",
            lambda g, p: _overlap(g, p) if same(g.get("name"), p.name) else None,
            (("status", "status"), ("by", "by")),
        ),
        "provisions": (
            "provisions",
            lambda g, p: _overlap(g, p, HALF) if same(g.get("topic"), p.topic) else None,
            (("number", "number"),),
        ),
        "stances": (
            "stances",
            lambda g, p: (
                (1.0 + (_overlap(g, p) or 0.0))
                if same(g.get("actor"), p.actor) and same(g.get("target"), p.target) and same(g.get("stance"), p.stance)
                else None
            ),
            (),
        ),
        "predictions": (
            "predictions",
            lambda g, p: _overlap(g, p, HALF) if same(g.get("by"), p.by) else None,
            (("deadline", "deadline"), ("conditional", "conditional")),
        ),
        "quantities": (
            "quantities",
            lambda g, p: (
                _overlap(g, p) if same_value(g.get("value"), p.value) and same(g.get("unit"), p.unit) else None
            ),
            (("about", "about"),),
        ),
        "hedges": ("hedges", lambda g, p: _overlap(g, p) if p.kind != "denied" else None, (("kind", "kind"),)),
    }


def _show(text: str, start: int, end: int, fields: dict[str, Any]) -> str:
    shown = {k: v for k, v in fields.items() if k not in {"start", "end", "evidence", "content", "mention", "text"}}
    snippet = " ".join(text[start:end].split())
    return f"{snippet!r}  {shown}"


def inspect(documents: Sequence[gold_data.GoldDocument], extractions: Sequence[Extraction], kind: str) -> str:
    attr, key, secondary = _rules()[kind]
    lines: list[str] = []
    totals = [0, 0, 0]
    for doc, ex in zip(documents, extractions, strict=True):
        gold = doc.facts.get(kind, [])
        pred = list(getattr(ex, attr))
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
            for gname, pname in secondary:
                if not same(g.get(gname), getattr(p, pname, None)):
                    out.append(
                        f"  ~ {' '.join(text[g.start : g.end].split())!r}: {gname} gold={g.get(gname)!r} "
                        f"got={getattr(p, pname, None)!r}"
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
    parser.add_argument("kind", choices=sorted(_rules()))
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
