#!/usr/bin/env python3
"""Check the gold evaluation set in this folder (stdlib only; it never imports sitroom).

    python eval/gold/validate.py            # check everything, print a summary
    python eval/gold/validate.py --context  # also print each located fact with its surroundings
    python eval/gold/validate.py --todo     # also list place names, hedge words and numbers
                                            # in the text that no annotation covers (for review)

Checks: every annotation is valid JSON with the documented keys; its document exists and its
`published` matches the document's own metadata; every evidence string ("content", "mention",
"text", "evidence") occurs in the document text at least `occurrence` times (occurrences are
counted with overlapping `str.find`, so "Russia" inside "Russian" counts); values are in the
allowed sets; documents are 80-300 words. Exit status 1 if any check fails.

Document text, as sitroom reads it:
  .md/.txt  the body after a front-matter header (a first line `---` up to the next `---` line)
  .html     the text of the <p> elements inside <article>, tags removed, entities unescaped,
            one paragraph per line (evidence never crosses a paragraph)
  .vtt/.srt the cue texts, one cue per line (evidence never crosses a cue)
"""

from __future__ import annotations

import argparse
import collections
import html
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
DOCS = HERE / "docs"
ANNOTATIONS = HERE / "annotations"

CERTAINTY = {"asserted", "hedged", "rumoured", "denied", "questioned"}
STATUS = {"captured", "contested", "threatened", "mentioned"}
BY = {"Russia", "Ukraine", None}
TOPICS = {
    "territory", "army_size", "weapons_limits", "foreign_troops", "nato_membership", "security_guarantees",
    "language_religion", "sanctions", "frozen_assets", "elections", "economic_cooperation", "amnesty",
    "nuclear_plant", "ceasefire_monitoring", "other",
}
STANCE = {"support", "oppose", "undecided"}
TARGETS = {
    "28-point plan", "19-point plan", "20-point plan", "peace plan", "European counter-proposal",
    "reparations loan", "joint EU loan", "multinational force", "energy truce", "ceasefire", "elections",
}
HEDGE_KINDS = {"hedged", "rumoured", "questioned"}
HARD_CASES = {
    "nested", "negation", "pronoun_title", "author_voice", "ambiguous_place", "transliteration",
    "relative_date", "number_words_ranges", "numbered_points", "stance", "negated_stance", "conditional",
}
KINDS = ("attributions", "hedges", "places", "provisions", "stances", "predictions", "quantities")
EVIDENCE = {
    "attributions": "content", "hedges": "text", "places": "mention", "provisions": "text",
    "stances": "evidence", "predictions": "evidence", "quantities": "text",
}
REQUIRED = {
    "attributions": {"speaker", "cue", "content", "certainty"},
    "hedges": {"text"},
    "places": {"name", "mention", "status", "by", "country", "lat", "lon"},
    "provisions": {"topic", "text", "number"},
    "stances": {"actor", "target", "stance", "evidence"},
    "predictions": {"by", "what", "deadline", "conditional", "evidence"},
    "quantities": {"value", "unit", "text", "about"},
}
DEADLINE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

# Review aids for --todo only (not used to judge anything): names and words worth a second look.
TOPONYMS = sorted(set("""Ukraine Russia Kyiv Kiev Moscow Washington Brussels Berlin Paris London Geneva Miami Florida
Istanbul Abu Dhabi Europe Belgium France Germany Britain Poland Hungary Slovakia Georgia Tbilisi Texas Odessa Odesa
Kharkiv Kharkov Kupiansk Kupyansk Pokrovsk Krasnoarmeysk Myrnohrad Dimitrov Mirnograd Vovchansk Volchansk Huliaipole
Gulyaipole Orikhiv Orekhov Zaporizhzhia Zaporozhye Zapporizhzhia Kostiantynivka Kostyantynivka Konstantinovka Siversk
Seversk Lyman Liman Bakhmut Artemovsk Druzhkivka Druzhkovka Chernihiv Sumy Dnipro Dnepr Dnipropetrovsk Donetsk Luhansk
Donbas Donbass Crimea Kherson Enerhodar Kramatorsk Sloviansk Slavyansk Lviv Lvov Mykolaiv Nikolaev Izmail Anchorage
Moldova Romania Bucharest Munich Dublin Davos Atlanta Novgorod America""".split()))
HEDGE_WORDS = re.compile(
    r"\b(reportedly|allegedly|rumou?red|is said to|are said to|apparently|appears?|seems?|perhaps|possibly|"
    r"probably|likely|unlikely|may|might|could|unclear|not clear|unconfirmed|uncertain|I think|I suspect|"
    r"I believe|I doubt|my guess|presumably|\(\?\))\b",
    re.I,
)
NUMBER = re.compile(
    r"[$€£]?\d[\d,.]*\s*(?:%|percent|billion|million|bn|km)?|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|"
    r"eleven|twelve|fifteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|million|"
    r"billion|half|third|quarter|double|dozen)\b",
    re.I,
)


def front_matter(raw: str) -> tuple[dict[str, str], str]:
    """(header key/values, body) for a .md/.txt file; body is everything after the closing ---."""
    text = raw.removeprefix("\ufeff")
    if not text.startswith("---\n"):
        return {}, text
    end = text.find("\n---\n", 3)
    if end < 0:
        raise ValueError("front matter never closed")
    header = {}
    for line in text[4:end].splitlines():
        if ":" in line:
            key, value = line.split(":", 1)
            header[key.strip()] = value.strip().strip('"')
    return header, text[end + 5 :]


def html_text(raw: str) -> tuple[dict[str, str], str]:
    meta = {}
    for prop, key in (("article:published_time", "published"), ("og:site_name", "source")):
        m = re.search(r'<meta property="%s" content="([^"]*)"' % re.escape(prop), raw)
        if m:
            meta[key] = m.group(1)
    m = re.search(r"<title>(.*?)</title>", raw, re.S)
    if m:
        meta["title"] = html.unescape(m.group(1))
    art = re.search(r"<article[^>]*>(.*?)</article>", raw, re.S)
    if not art:
        raise ValueError("no <article>")
    paras = re.findall(r"<p[^>]*>(.*?)</p>", art.group(1), re.S)
    return meta, "\n".join(html.unescape(re.sub(r"<[^>]+>", "", p)).strip() for p in paras)


TIMING = re.compile(r"^\d{2}:\d{2}(:\d{2})?[.,]\d{3} --> ")


def subtitle_text(raw: str, vtt: bool) -> str:
    if vtt and not raw.startswith("WEBVTT"):
        raise ValueError("a .vtt file must start with WEBVTT")
    cues, current = [], []
    for block in re.split(r"\n\s*\n", raw.strip()):
        lines = block.strip().splitlines()
        if lines and lines[0].startswith("WEBVTT"):
            continue
        idx = next((i for i, line in enumerate(lines) if TIMING.match(line)), None)
        if idx is None:
            raise ValueError(f"cue without timing: {block[:40]!r}")
        current = [" ".join(line.split()) for line in lines[idx + 1 :]]
        cues.append(" ".join(current))
    return "\n".join(cues)


def load_document(path: Path) -> tuple[dict[str, str], str]:
    raw = path.read_bytes().decode("utf-8")
    suffix = path.suffix.lower()
    if suffix in (".md", ".txt"):
        return front_matter(raw)
    if suffix == ".html":
        return html_text(raw)
    if suffix in (".vtt", ".srt"):
        meta_path = path.with_suffix(".meta.json")
        meta = json.loads(meta_path.read_text("utf-8"))
        if set(meta) != {"source", "published", "kind", "title"} or meta["kind"] != "transcript":
            raise ValueError(f"{meta_path.name}: expected source, published, kind=transcript, title")
        return meta, subtitle_text(raw, suffix == ".vtt")
    raise ValueError(f"unsupported format {suffix}")


def locate(text: str, needle: str, occurrence: int) -> int:
    """Start offset of the occurrence-th (1-based, overlapping) match, or -1."""
    pos = -1
    for _ in range(occurrence):
        pos = text.find(needle, pos + 1)
        if pos < 0:
            return -1
    return pos


def word_bounded(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return not (before.isalnum() and text[start].isalnum()) and not (after.isalnum() and text[end - 1].isalnum())


def check(args: argparse.Namespace) -> int:
    errors: list[str] = []
    warnings: list[str] = []
    formats: collections.Counter[str] = collections.Counter()
    facts: collections.Counter[str] = collections.Counter()
    hard: dict[str, list[str]] = collections.defaultdict(list)
    certainty: collections.Counter[str] = collections.Counter()
    statuses: collections.Counter[str] = collections.Counter()
    words: list[int] = []
    doc_files = sorted(p for p in DOCS.iterdir() if not p.name.endswith(".meta.json"))
    ann_files = sorted(ANNOTATIONS.glob("*.json"))
    if args.only:
        doc_files = [p for p in doc_files if args.only in p.name]
        ann_files = [p for p in ann_files if args.only in p.name]
    if {p.stem for p in doc_files} != {p.stem for p in ann_files}:
        errors.append(
            f"documents without annotation: {sorted({p.stem for p in doc_files} - {p.stem for p in ann_files})}; "
            f"annotations without document: {sorted({p.stem for p in ann_files} - {p.stem for p in doc_files})}"
        )
    for ann_path in ann_files:
        name = ann_path.stem

        def err(msg: str) -> None:
            errors.append(f"{name}: {msg}")

        try:
            ann = json.loads(ann_path.read_text("utf-8"))
        except json.JSONDecodeError as exc:
            err(f"invalid JSON: {exc}")
            continue
        doc_path = HERE / ann.get("file", "")
        if not doc_path.is_file() or doc_path.stem != name:
            err(f"file {ann.get('file')!r} missing or not named like the annotation")
            continue
        try:
            meta, text = load_document(doc_path)
        except ValueError as exc:
            err(str(exc))
            continue
        formats[doc_path.suffix.lstrip(".")] += 1
        n_words = len(text.split())
        words.append(n_words)
        if not 80 <= n_words <= 300:
            err(f"{n_words} words (want 80-300)")
        published = ann.get("published", "")
        if not DATE.match(published) or not str(meta.get("published", ""))[:10] == published:
            err(f"published {published!r} does not match the document's {meta.get('published')!r}")
        if not name.startswith(published):
            err("file name does not start with the published date")
        for key in ("source", "title"):
            if not meta.get(key):
                err(f"document has no {key}")
        if doc_path.suffix in (".md", ".txt") and meta.get("kind") not in (
            "article", "transcript", "post", "statement", "note",
        ):
            err(f"front matter kind {meta.get('kind')!r}")
        for case in ann.get("hard_cases", []):
            if case not in HARD_CASES:
                err(f"unknown hard case {case!r}")
            hard[case].append(name)
        for kind in KINDS:
            items = ann.get(kind)
            if not isinstance(items, list):
                err(f"{kind} missing or not a list")
                continue
            seen = set()
            for i, item in enumerate(items):
                where = f"{kind}[{i}]"
                missing = REQUIRED[kind] - set(item)
                if missing:
                    err(f"{where}: missing {sorted(missing)}")
                    continue
                occ = item.get("occurrence", 1)
                if not isinstance(occ, int) or occ < 1:
                    err(f"{where}: bad occurrence {occ!r}")
                    continue
                needle = item[EVIDENCE[kind]]
                if not needle or needle != needle.strip():
                    err(f"{where}: empty evidence or surrounding whitespace: {needle!r}")
                start = locate(text, needle, occ)
                if start < 0:
                    err(f"{where}: {needle!r} (occurrence {occ}) not in text")
                    continue
                end = start + len(needle)
                key = (kind, start, end, item.get("speaker") or item.get("actor") or item.get("name"))
                if key in seen and kind != "stances":
                    err(f"{where}: duplicate of an earlier item")
                seen.add(key)
                if kind in ("places", "hedges", "quantities") and not word_bounded(text, start, end):
                    err(f"{where}: {needle!r} occurrence {occ} is inside a longer word: {text[start-10:end+10]!r}")
                if args.context:
                    print(f"{name} {where:16} {text[max(0, start-25):start]!r} [{needle}] {text[end:end+25]!r}")
                facts[kind] += 1
                if kind == "attributions":
                    certainty[item["certainty"]] += 1
                    if item["certainty"] not in CERTAINTY:
                        err(f"{where}: certainty {item['certainty']!r}")
                    if not item["speaker"] or not item["cue"]:
                        err(f"{where}: empty speaker or cue")
                elif kind == "hedges":
                    if item.get("kind") not in HEDGE_KINDS:
                        err(f"{where}: hedge kind {item.get('kind')!r}")
                elif kind == "places":
                    statuses[item["status"]] += 1
                    if item["status"] not in STATUS:
                        err(f"{where}: status {item['status']!r}")
                    if item["by"] not in BY:
                        err(f"{where}: by {item['by']!r}")
                    if (item["status"] == "mentioned") != (item["by"] is None):
                        err(f"{where}: 'by' must be null exactly when status is 'mentioned'")
                    if item["country"] is not None and not re.match(r"^[A-Z]{2}$", item["country"]):
                        err(f"{where}: country {item['country']!r}")
                    if not (-90 <= item["lat"] <= 90 and -180 <= item["lon"] <= 180):
                        err(f"{where}: coordinates")
                elif kind == "provisions":
                    if item["topic"] not in TOPICS:
                        err(f"{where}: topic {item['topic']!r}")
                    if item["number"] is not None and not isinstance(item["number"], int):
                        err(f"{where}: number {item['number']!r}")
                elif kind == "stances":
                    if item["stance"] not in STANCE:
                        err(f"{where}: stance {item['stance']!r}")
                    if item["target"] not in TARGETS:
                        err(f"{where}: target {item['target']!r}")
                    if item.get("topic") is not None and item["topic"] not in TOPICS:
                        err(f"{where}: topic {item['topic']!r}")
                elif kind == "predictions":
                    if item["deadline"] is not None and not DEADLINE.match(item["deadline"]):
                        err(f"{where}: deadline {item['deadline']!r}")
                    if not isinstance(item["conditional"], bool):
                        err(f"{where}: conditional must be true or false")
                elif kind == "quantities":
                    if not isinstance(item["value"], (int, float)) or isinstance(item["value"], bool):
                        err(f"{where}: value {item['value']!r}")
        for extra in ann.get("not_places", []):
            if locate(text, extra["mention"], extra.get("occurrence", 1)) < 0:
                err(f"not_places: {extra['mention']!r} not in text")
        if args.todo:
            todo(name, text, ann)
    for w in warnings:
        print("warning:", w)
    for e in errors:
        print("ERROR:", e)
    print(f"\n{len(ann_files)} documents: " + ", ".join(f"{k} {v}" for k, v in sorted(formats.items())))
    if words:
        print(f"words per document: min {min(words)}, max {max(words)}, mean {sum(words) / len(words):.0f}")
    print("facts: " + ", ".join(f"{k} {facts[k]}" for k in KINDS) + f"; total {sum(facts.values())}")
    print("attribution certainty: " + ", ".join(f"{k} {v}" for k, v in sorted(certainty.items())))
    print("place status: " + ", ".join(f"{k} {v}" for k, v in sorted(statuses.items())))
    print("hard cases (documents):")
    for case in sorted(HARD_CASES):
        print(f"  {case:20} {len(hard[case]):3}")
    print("OK" if not errors else f"{len(errors)} error(s)")
    return 1 if errors else 0


def todo(name: str, text: str, ann: dict) -> None:
    """Print candidate mentions that no annotation span covers (review aid, not a check)."""
    covered = []
    for kind in KINDS:
        for item in ann.get(kind, []):
            s = locate(text, item[EVIDENCE[kind]], item.get("occurrence", 1))
            if s >= 0:
                covered.append((kind, s, s + len(item[EVIDENCE[kind]])))
    for extra in ann.get("not_places", []):
        s = locate(text, extra["mention"], extra.get("occurrence", 1))
        covered.append(("places", s, s + len(extra["mention"])))

    def is_covered(kind: str, s: int, e: int) -> bool:
        return any(k == kind and a <= s and e <= b for k, a, b in covered)

    for word in sorted(set(TOPONYMS)):
        for m in re.finditer(r"(?<![A-Za-z])" + re.escape(word) + r"(?![a-z])", text):
            if not is_covered("places", m.start(), m.end()):
                print(f"  todo {name}: place? {text[max(0, m.start()-30):m.end()+20]!r}")
    for m in HEDGE_WORDS.finditer(text):
        if not is_covered("hedges", m.start(), m.end()):
            print(f"  todo {name}: hedge? {text[max(0, m.start()-30):m.end()+20]!r}")
    for m in NUMBER.finditer(text):
        e = m.start() + len(m.group().rstrip(" ,.\n"))
        if e > m.start() and not is_covered("quantities", m.start(), e):
            print(f"  todo {name}: number? {text[max(0, m.start()-30):m.end()+20]!r}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--context", action="store_true")
    parser.add_argument("--todo", action="store_true")
    parser.add_argument("--only", help="only annotations whose name contains this")
    sys.exit(check(parser.parse_args()))
