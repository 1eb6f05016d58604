"""The synthetic corpus generator (bench/corpus.py, second half): deterministic by seed, streamable,
read by the normal ingest, and written so that the extractors find the facts it was built to carry.

No timing assertions: speed is measured by `make bench` (bench/scale.py) and reported in docs/benchmarks.md.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from bench import corpus

from sitroom.ingest import iter_documents


def _texts(n: int, seed: int = corpus.SYNTH_SEED) -> list[tuple[str, str]]:
    return [(d.path, d.text) for d in corpus.synth_documents(n, seed)]


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path: Path):
    first = corpus.write_synth(tmp_path / "a", 120, seed=7)
    second = corpus.write_synth(tmp_path / "b", 120, seed=7)
    other = corpus.write_synth(tmp_path / "c", 120, seed=8)
    assert first.sha256 == second.sha256 and first.bytes == second.bytes
    assert other.sha256 != first.sha256
    files_a = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*.md"))
    files_b = sorted(p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*.md"))
    assert files_a == files_b and len(files_a) == 120
    assert all((tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes() for f in files_a)
    texts_c = {p.read_text(encoding="utf-8") for p in (tmp_path / "c").rglob("*.md")}
    assert len(texts_c & {(tmp_path / "a" / f).read_text(encoding="utf-8") for f in files_a}) < 5


def test_a_prefix_of_a_corpus_is_the_smaller_corpus_and_any_document_stands_alone():
    assert _texts(40) == _texts(100)[:40]
    lone = corpus.synth_document(77)
    assert (lone.path, lone.text) == _texts(78)[77]
    assert list(corpus.synth_documents(3, start=50)) == [corpus.synth_document(i) for i in (50, 51, 52)]


def test_every_document_is_distinct_dated_in_order_and_in_a_day_folder():
    docs = list(corpus.synth_documents(1_200))
    assert len({d.text for d in docs}) == len(docs)  # same text = same document id: copies must differ
    assert len({d.path for d in docs}) == len(docs)
    days = [d.path.split("/")[:2] for d in docs]
    assert days == sorted(days)
    assert days[0] != days[-1]  # 400 a day: three days


def test_mix_of_kinds_copies_and_re_reports():
    docs = list(corpus.synth_documents(2_000))
    kinds = Counter(d.kind for d in docs)
    roles = Counter(d.role for d in docs)
    assert set(kinds) == {"article", "statement", "post", "note"} and kinds["article"] > len(docs) / 2
    assert roles["copy"] > 40 and roles["re-report"] > 40
    by_index = {d.index: d for d in docs}
    for doc in docs:
        if doc.role == "original":
            assert doc.origin is None
            continue
        assert doc.origin is not None and doc.origin < doc.index
        origin = by_index[doc.origin]
        assert origin.role == "original" and origin.kind == "article"
        body, origin_body = doc.text.split("\n---\n\n", 1)[1], origin.text.split("\n---\n\n", 1)[1]
        if doc.role == "copy":  # the origin's body, word for word, then a distribution line
            assert body.startswith(origin_body.rstrip("\n")) and "distributed by" in body[len(origin_body) - 1:]
            assert _field(doc.text, "source") != _field(origin.text, "source") or doc.text != origin.text
        else:  # the same story in other words
            assert body != origin_body
        assert _field(doc.text, "published") >= _field(origin.text, "published")


def _field(text: str, key: str) -> str:
    return text.split(f"\n{key}: ", 1)[1].split("\n", 1)[0]


def test_written_files_are_read_by_the_normal_ingest_with_their_front_matter(tmp_path: Path):
    summary = corpus.write_synth(tmp_path, 30)
    assert summary.documents == 30 and summary.mean_words > 100
    items = list(iter_documents([str(tmp_path)]))
    documents = [d for item in items for d in item.documents]
    assert not [item.error for item in items if item.error is not None]
    assert len(documents) == 30 and len({d.id for d in documents}) == 30
    assert all(d.source and d.published and d.title and d.kind in {"article", "statement", "post", "note"}
               for d in documents)
    assert all(not d.text.startswith("---") for d in documents)  # the header was cut off


@pytest.mark.slow
def test_extractors_find_what_the_generator_put_in(extractor, tmp_path: Path):
    corpus.write_synth(tmp_path, 24)
    documents = [d for item in iter_documents([str(tmp_path)]) for d in item.documents]
    found: Counter[str] = Counter()
    statuses: Counter[str] = Counter()
    for extraction in extractor.extract_many(documents):
        for kind in ("attributions", "hedges", "places", "provisions", "stances", "predictions", "quantities"):
            found[kind] += bool(getattr(extraction, kind))
        statuses.update(p.status for p in extraction.places)
    # Every kind of fact turns up in most documents; places carry control claims, not only mentions.
    assert found["attributions"] >= 20 and found["places"] >= 20 and found["quantities"] >= 15
    assert found["provisions"] >= 8 and found["predictions"] >= 12 and found["hedges"] >= 12
    assert found["stances"] >= 6
    assert statuses["captured"] + statuses["contested"] >= 3
