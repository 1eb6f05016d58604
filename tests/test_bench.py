"""The benchmark machinery (bench/): corpus cycling, and one smoke run on two short texts.

No timing assertions here: speed is measured by `make bench` and reported in docs/benchmarks.md.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bench import corpus
from bench.run import Config, parse_args, run_bench, write_outputs

TEXTS = [
    corpus.BenchText(
        text="Peskov said that the Kremlin had received the 28-point draft. Russian forces captured Kupyansk, "
        "according to the General Staff.",
        published="2025-11-20T00:00:00+00:00",
    ),
    corpus.BenchText(
        text="Budanov predicts that talks will resume in February. I think the $140 billion loan will fail.",
        published="2025-11-21T00:00:00+00:00",
    ),
]


def test_corpus_cycles_in_order_to_the_word_count():
    cycled = corpus.cycle_to_words(TEXTS, 60)
    assert sum(t.words for t in cycled) >= 60
    assert sum(t.words for t in cycled[:-1]) < 60
    assert cycled[:4] == [TEXTS[0], TEXTS[1], TEXTS[0], TEXTS[1]][: len(cycled[:4])]
    assert corpus.digest(cycled) == corpus.digest(corpus.cycle_to_words(TEXTS, 60))
    assert corpus.cycle_to_words(TEXTS, 0) == [TEXTS[0]]


def test_default_corpus_is_the_same_every_time():
    first = corpus.cycle_to_words(corpus.load_base(corpus.default_sources()), 5_000)
    second = corpus.cycle_to_words(corpus.load_base(corpus.default_sources()), 5_000)
    assert corpus.digest(first) == corpus.digest(second)


def test_quick_flag_shrinks_the_run():
    from bench.run import config_from_args

    config = config_from_args(parse_args(["--quick", "--processes", "2,1"]))
    assert config.processes == (1, 2)
    assert config.repeats == 1 and config.words < 5_000


@pytest.mark.slow
def test_smoke_run_on_two_texts(tmp_path: Path):
    config = Config(words=0, repeats=1, warmup=1, processes=(1, 2), long_copies=(1,), sources=["(test)"])
    result = run_bench(TEXTS, config, command="pytest")

    rows = {(r["kind"], r["n_process"]): r for r in result["results"]}
    assert set(rows) == {("bare", 1), ("sitroom", 1), ("bare", 2), ("sitroom", 2)}
    for (_, n), row in rows.items():
        assert row["texts"] == 2 and row["words"] == sum(t.words for t in TEXTS)
        assert len(row["times_s"]) == 1 and row["words_per_s"] > 0 and row["peak_rss_mb"] > 0
        assert (row["children_peak_rss_mb"] is not None) == (n > 1)
    assert set(result["ratios"]) == {"1", "2"} and all(r > 0 for r in result["ratios"].values())
    assert isinstance(result["goal"]["met"], bool)

    breakdown = result["breakdown"]
    names = {c["name"] for c in breakdown["components"]}
    assert {"ner", "sitroom_attributions", "sitroom_places"} <= names
    assert {c["group"] for c in breakdown["components"]} == {"spaCy built-ins", "sitroom"}
    assert sum(c["share"] for c in breakdown["components"]) == pytest.approx(1.0, abs=0.01)
    assert [d["copies"] for d in breakdown["long_documents"]] == [1]

    json_path, md_path = write_outputs(result, tmp_path)
    assert json.loads(json_path.read_text(encoding="utf-8"))["config"]["corpus"]["texts"] == 2
    markdown = md_path.read_text(encoding="utf-8")
    assert "`make bench`" in markdown and "| configuration | words/s | ratio vs bare spaCy | peak MB" in markdown
    assert "Goal" in markdown
