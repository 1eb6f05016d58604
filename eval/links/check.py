"""Check eval/links/examples.json against the example corpus.

Every evidence string must be found, at its ``occurrence`` (1-based, default 1), in the
text of its document as ``sitroom.ingest.read_file`` reads it. Feed mentions name their
entry by RSS guid or Atom id; the guid/id is mapped to the entry's link with the standard
library XML parser and matched to the Document's ``url``. Evidence must not cross a
paragraph or a transcript cue (no newline inside it).

Only the standard library and ``sitroom.ingest.read_file`` are used: no extractor or link
code, because this fixture is what those are measured against.

    .venv/bin/python eval/links/check.py [path/to/examples.json]

Prints counts; exits 1 if anything is wrong.
"""

from __future__ import annotations

import json
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
try:
    from sitroom.ingest import read_file
except ImportError:  # running without the package installed
    sys.path.insert(0, str(REPO / "src"))
    from sitroom.ingest import read_file

KINDS = {"control", "number", "stance", "denial", "other"}
LINK_IDS = [f"L{i}" for i in range(1, 22)]
CONTRA_IDS = [f"X{i}" for i in range(1, 15)]
ATOM = "{http://www.w3.org/2005/Atom}"


def feed_links(path: Path) -> dict[str, str]:
    """guid (RSS) or id (Atom) -> the entry's link."""
    root = ET.parse(path).getroot()
    out: dict[str, str] = {}
    for item in root.iter("item"):
        guid, link = item.findtext("guid"), item.findtext("link")
        if guid and link:
            out[guid.strip()] = link.strip()
    for entry in root.iter(f"{ATOM}entry"):
        eid = entry.findtext(f"{ATOM}id")
        href = None
        for ln in entry.findall(f"{ATOM}link"):
            if ln.get("rel", "alternate") == "alternate":
                href = ln.get("href")
                break
        if eid and href:
            out[eid.strip()] = href.strip()
    return out


class Corpus:
    def __init__(self, root: Path):
        self.root = root
        self._docs: dict[str, list] = {}

    def text(self, doc: str, entry: str | None) -> str:
        path = self.root / doc
        if not path.is_file():
            raise LookupError(f"no such file: {doc}")
        if doc not in self._docs:
            self._docs[doc] = list(read_file(path))
        docs = self._docs[doc]
        if entry is None:
            if len(docs) != 1:
                raise LookupError(f"{doc} holds {len(docs)} documents; give an 'entry' (guid / id)")
            return docs[0].text
        if len(docs) < 2 and path.suffix not in {".xml", ".rss", ".atom"}:
            raise LookupError(f"{doc} is not a feed, but the mention names entry {entry!r}")
        link = feed_links(path).get(entry)
        if link is None:
            raise LookupError(f"{doc}: no item with guid/id {entry!r}")
        hits = [d for d in docs if d.url == link]
        if len(hits) != 1:
            raise LookupError(f"{doc}: entry {entry!r} (link {link}) matches {len(hits)} documents")
        return hits[0].text


def occurrences(text: str, needle: str) -> int:
    n, i = 0, text.find(needle)
    while i != -1:
        n += 1
        i = text.find(needle, i + 1)
    return n


def main(argv: list[str]) -> int:
    path = Path(argv[1]) if len(argv) > 1 else Path(__file__).with_name("examples.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    corpus = Corpus(REPO / data.get("corpus", "examples/corpus"))
    errors: list[str] = []
    warnings: list[str] = []
    checked = 0
    docs_seen: set[tuple[str, str | None]] = set()

    def check(where: str, m: dict) -> None:
        nonlocal checked
        checked += 1
        doc, entry, ev = m.get("doc"), m.get("entry"), m.get("evidence")
        occ = m.get("occurrence", 1)
        label = f"{where} {m.get('ref', '')} {doc}{' #' + entry if entry else ''}"
        if not isinstance(doc, str) or not isinstance(ev, str) or not ev.strip():
            errors.append(f"{label}: 'doc' and a non-empty 'evidence' are required")
            return
        if not isinstance(occ, int) or occ < 1:
            errors.append(f"{label}: bad occurrence {occ!r}")
            return
        if "\n" in ev:
            errors.append(f"{label}: evidence crosses a paragraph or cue: {ev!r}")
            return
        try:
            text = corpus.text(doc, entry)
        except LookupError as exc:
            errors.append(f"{label}: {exc}")
            return
        n = occurrences(text, ev)
        if n < occ:
            errors.append(f"{label}: evidence found {n} time(s), occurrence {occ} wanted: {ev!r}")
            return
        if n > 1 and "occurrence" not in m:
            warnings.append(f"{label}: evidence occurs {n} times, first one used: {ev!r}")
        docs_seen.add((doc, entry))

    def ids(rows: list, want: list[str], what: str) -> None:
        got = [r.get("id") for r in rows]
        for k, c in Counter(got).items():
            if c > 1:
                errors.append(f"{what}: duplicate id {k}")
        for k in want:
            if k not in got:
                errors.append(f"{what}: {k} missing")
        for k in got:
            if k not in want:
                errors.append(f"{what}: unexpected id {k}")

    links = data.get("links", [])
    contras = data.get("contradictions", [])
    ids(links, LINK_IDS, "links")
    ids(contras, CONTRA_IDS, "contradictions")

    n_link_mentions = n_extra = 0
    for row in links:
        rid = row.get("id")
        if not row.get("claim"):
            errors.append(f"{rid}: no claim")
        mentions = row.get("mentions") or []
        if len(mentions) < 2:
            errors.append(f"{rid}: a link needs at least two mentions")
        for m in mentions:
            check(rid, m)
        n_link_mentions += len(mentions)
        for m in row.get("fulfilled_by", []):
            check(f"{rid}/fulfilled_by", m)
            n_extra += 1

    n_a = n_b = n_other = 0
    for row in contras:
        rid = row.get("id")
        if row.get("kind") not in KINDS:
            errors.append(f"{rid}: kind {row.get('kind')!r} not in {sorted(KINDS)}")
        if not row.get("subject"):
            errors.append(f"{rid}: no subject")
        if not row.get("a") or not row.get("b"):
            errors.append(f"{rid}: needs mentions on both sides ('a' and 'b')")
        for side in ("a", "b", "other"):
            for m in row.get(side, []) or []:
                check(f"{rid}/{side}", m)
        n_a += len(row.get("a") or [])
        n_b += len(row.get("b") or [])
        n_other += len(row.get("other") or [])

    print(f"links: {len(links)} groups, {n_link_mentions} mentions (+{n_extra} fulfilment mentions)")
    print(f"contradictions: {len(contras)}, mentions a={n_a} b={n_b} other={n_other}")
    print(f"evidence strings checked: {checked}; documents/entries cited: {len(docs_seen)}")
    for w in warnings:
        print("warning:", w)
    for e in errors:
        print("ERROR:", e)
    if errors:
        print(f"FAILED: {len(errors)} error(s)")
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
