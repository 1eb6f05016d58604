"""Where sitroom's components spend their time: ``python -m bench.hotspots [--words N] [--top N]``.

Parses the benchmark corpus with the spaCy built-ins first (not profiled), then runs only sitroom's
components under cProfile, one document at a time as ``nlp.pipe`` does. Prints the functions with
the most own time and the sitroom call sites of ``Doc.text`` (spaCy rebuilds the whole text on
every access, so calling it per sentence makes a component quadratic in document length).
cProfile inflates per-token Cython calls; use it to find hotspots and ``make bench`` to size them.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
from collections.abc import Sequence
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import corpus
from bench.measure import Job, _documents, _extractor


def _where(func: tuple[str, int, str]) -> str:
    path, line, name = func
    for marker in ("/src/", "/site-packages/"):
        if marker in path:
            path = path.split(marker, 1)[1]
    return f"{path}:{line}({name})"


def profile_components(words: int, dump: Path | None = None) -> pstats.Stats:
    from sitroom.extract.base import REF_DATE_EXT

    texts = corpus.cycle_to_words(corpus.load_base(corpus.default_sources()), words)
    extractor = _extractor(Job(kind="components", corpus=""), 1)
    nlp = extractor.nlp
    ours = [(name, proc) for name, proc in nlp.pipeline if name in extractor.options.components]
    docs = []
    for document in _documents(texts):
        doc = nlp.make_doc(document.text)
        ref = document.reference_date
        doc._.set(REF_DATE_EXT, ref.isoformat() if ref else None)
        docs.append(doc)
    with nlp.select_pipes(disable=[name for name, _ in ours]):
        docs = list(nlp.pipe(docs, batch_size=16))
    for doc in docs[:4]:  # warm-up: lazy resources (the gazetteer) are built on first use
        for _, proc in ours:
            proc(doc.copy())
    profiler = cProfile.Profile()
    profiler.enable()
    for doc in docs:
        for _, proc in ours:
            doc = proc(doc)
    profiler.disable()
    if dump is not None:
        profiler.dump_stats(dump)
    return pstats.Stats(profiler)


def report(stats: pstats.Stats, top: int) -> None:
    raw = stats.stats  # type: ignore[attr-defined]  # {func: (cc, nc, tt, ct, callers)}
    print(f"{'own s':>8} {'cum s':>8} {'calls':>9}  function")
    for func, (_, calls, own, cum, _) in sorted(raw.items(), key=lambda kv: -kv[1][2])[:top]:
        print(f"{own:8.3f} {cum:8.3f} {calls:9d}  {_where(func)}")
    print("\nsitroom components (cumulative):")
    for func, (_, calls, _, cum, _) in sorted(raw.items(), key=lambda kv: -kv[1][3]):
        if func[2] == "__call__" and "sitroom/extract" in func[0]:
            print(f"{cum:8.3f} s {calls:6d} calls  {_where(func)}")
    text_line = _doc_text_line()
    for func, (_, _, _, _, callers) in raw.items():
        # cProfile names a Cython property by its decorator's line, one above the ``def``.
        if text_line and func[0].endswith("doc.pyx") and func[1] in (text_line - 1, text_line):
            print(f"\nwho reads Doc.text ({_where(func)}; each read joins every token of the document):")
            for caller, (_, calls, _, cum) in sorted(callers.items(), key=lambda kv: -kv[1][3]):
                print(f"{cum:8.3f} s {calls:6d} calls  {_where(caller)}")


def _doc_text_line() -> int | None:
    """The line of ``Doc.text`` in the installed spaCy's doc.pyx (cProfile names Cython functions by line)."""
    import spacy.tokens.doc as doc_module

    source = Path(doc_module.__file__ or "").with_name("doc.pyx")
    try:
        lines = source.read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    return next((i for i, line in enumerate(lines, 1) if line.strip() == "def text(self):"), None)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.hotspots", description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=60_000, help="corpus size in words (default 60000)")
    parser.add_argument("--top", type=int, default=25, help="functions to list (default 25)")
    parser.add_argument("--dump", type=Path, default=None, help="also write the cProfile stats to this file")
    args = parser.parse_args(argv)
    report(profile_components(args.words, args.dump), args.top)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
