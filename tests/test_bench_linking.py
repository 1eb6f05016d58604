"""The linking benchmark (bench/linking.py) at a tiny size: generator, quality scores, report structure.

No timing assertions: speed is measured by `make bench` and reported in docs/benchmarks.md.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from bench import linking
from bench.run import parse_args

from sitroom.link.claims import Claim
from sitroom.link.groups import LinkOptions, link_claims


def _clusters(groups) -> list[list[str]]:
    return [[c.id for c in g.claims] for g in groups]


def test_generator_is_deterministic_and_exact():
    first = linking.generate_claims(300)
    second = linking.generate_claims(300)
    assert len(first.claims) == 300
    assert [(c.id, c.text, c.keys) for c in first.claims] == [(c.id, c.text, c.keys) for c in second.claims]
    assert [c.text for c in linking.generate_claims(300, seed=1).claims] != [c.text for c in first.claims]
    assert len({c.id for c in first.claims}) == 300 and set(first.story) == {c.id for c in first.claims}
    assert all(isinstance(c, Claim) and c.words and c.keys and c.published for c in first.claims)
    times = [c.published for c in first.claims]
    assert times == sorted(times)  # documents are cut from the claims in publication order
    assert 0 < first.repeated_stories < first.stories < 300
    assert first.repeated_claims >= 2 * first.repeated_stories


def test_re_reports_share_figures_and_places_but_differ_in_wording():
    synthetic = linking.generate_claims(2_000)
    by_story: dict[int, list[Claim]] = {}
    for c in synthetic.claims:
        by_story.setdefault(synthetic.story[c.id], []).append(c)
    repeated = [cs for cs in by_story.values() if len(cs) > 1]
    assert repeated
    assert any(len({c.text for c in cs}) > 1 for cs in repeated)
    for cs in repeated:
        assert all(cs[0].keys & c.keys for c in cs)  # a re-report keeps the story's names, places or figures


def test_pairwise_quality_counts_pairs():
    truth: dict[str, int | str] = {"a": 1, "b": 1, "c": 1, "d": 2, "e": 3}
    q = linking.pairwise_quality([["a", "b"], ["c", "d"], ["e"]], truth)
    assert q["true_pairs"] == 3 and q["predicted_pairs"] == 2 and q["correct_pairs"] == 1
    assert q["precision"] == 0.5 and q["recall"] == pytest.approx(1 / 3, abs=1e-3)
    perfect = linking.pairwise_quality([["a", "b", "c"], ["d"], ["e"]], truth)
    assert perfect["precision"] == perfect["recall"] == perfect["f1"] == 1.0


def test_linking_the_synthetic_claims_is_sane():
    synthetic = linking.generate_claims(300)
    n = len(synthetic.claims)
    chance = sum(linking._pairs(c) for c in Counter(synthetic.story.values()).values())
    chance /= linking._pairs(n)
    for options in (LinkOptions(), LinkOptions(threshold=0.45)):
        groups = link_claims(synthetic.claims, options)
        assert sorted(c.id for g in groups for c in g.claims) == sorted(c.id for c in synthetic.claims)
        q = linking.pairwise_quality(_clusters(groups), dict(synthetic.story))
        assert q["recall"] >= 0.8  # re-reports are found
        assert q["precision"] >= 20 * chance  # far better than putting claims together at random
    assert q["precision"] >= 0.6  # at 0.45, most pairs put together report the same story


def test_copies_of_synthetic_documents_are_found():
    docs = linking.generate_documents(120)
    assert len(docs.documents) == 120 and docs.origin
    assert all(c > o for c, o in docs.origin.items())  # a copy comes after what it copies
    from sitroom.link.copies import find_copies

    found = find_copies(docs.documents)
    truth: dict[str, int | str] = {d.id: docs.origin.get(d.id, d.id) for d in docs.documents}
    q = linking.pairwise_quality(linking.copy_clusters(docs.documents, found), truth)
    assert q["precision"] >= 0.9 and q["recall"] >= 0.8


def test_exponent():
    assert linking.exponent(1.0, 10.0, 1_000, 10_000) == 1.0
    assert linking.exponent(1.0, 100.0, 1_000, 10_000) == 2.0
    assert linking.exponent(0.0, 1.0, 1, 2) is None


def test_run_in_process_and_report(tmp_path: Path):
    result = linking.run((150, 300), (60,), (100, 200), sweep_size=300, command="pytest",
                         job=linking.measure)
    assert [r["n"] for r in result["link"]] == [150, 300]
    assert [r["n"] for r in result["naive"]] == [100, 200]
    assert [r["n"] for r in result["copies"]] == [60]
    last = result["link"][-1]
    assert "exponent" in last and "exponent" not in result["link"][0]
    assert last["naive_measured"] is False and last["naive_s"] > 0 and last["naive_ratio"] is not None
    assert last["groups"] <= 300 and last["stories"] <= 300 and last["peak_rss_mb"] > 0
    assert 0 <= last["quality"]["precision"] <= 1 and 0 <= last["quality"]["recall"] <= 1
    assert result["naive"][-1]["pairs"] == 200 * 199 // 2
    assert [r["threshold"] for r in result["sweep"]["sweep"]] == list(linking.SWEEP_THRESHOLDS)
    assert result["copies"][0]["true_copies"] > 0

    json_path, md_path = linking.write_outputs(result, tmp_path)
    assert json.loads(json_path.read_text(encoding="utf-8"))["config"]["sizes"] == [150, 300]
    markdown = md_path.read_text(encoding="utf-8")
    assert "Reproduce with `pytest`" in markdown
    assert "| claims | wall s | CPU s | claims/s | exponent |" in markdown
    assert "**`find_copies`**" in markdown and "Quality against the threshold" in markdown
    assert "growth exponent" in markdown


def test_bench_run_flags_for_the_linking_step():
    assert parse_args(["--no-linking"]).no_linking
    assert parse_args(["--linking-only"]).linking_only
    with pytest.raises(SystemExit):
        parse_args(["--no-linking", "--linking-only"])


def test_distinct_stories_of_one_family_differ_in_their_specifics():
    synthetic = linking.generate_claims(3_000)
    assert synthetic.identity_repeats == 0
    # with identity_days=0 the generator may give two stories one identity (the first benchmark's corpus)
    old = linking.generate_claims(3_000, identity_days=0)
    assert [c.text for c in old.claims] != [c.text for c in synthetic.claims]
    assert old.identity_repeats == 0  # not counted when not checked
