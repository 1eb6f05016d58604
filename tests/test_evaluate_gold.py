"""The own gold set: resolving evidence strings, failing loudly on bad ones, and the matching rules."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from sitroom.errors import InputError
from sitroom.evaluate.datasets import gold as gold_data
from sitroom.evaluate.scorers import gold
from sitroom.model import Attribution, Extraction, Hedge, Place, Prediction, Provision, Quantity, Stance

FIXTURE = Path(__file__).parent / "fixtures" / "evaluate" / "gold"
REPO_GOLD = Path(__file__).resolve().parents[1] / "eval" / "gold"


@pytest.fixture()
def docs() -> dict[str, gold_data.GoldDocument]:
    return {d.name: d for d in gold_data.load(FIXTURE)}


def test_evidence_resolves_in_the_text_sitroom_reads(docs):
    wire = docs["2025-11-20-fixture-wire"]
    text = wire.document.text
    assert not text.startswith("---")  # the front matter is not part of the text
    assert wire.document.published is not None and wire.document.published.date().isoformat() == "2025-11-20"
    for kind, facts in wire.facts.items():
        for fact in facts:
            assert text[fact.start : fact.end] == fact.get(gold_data.EVIDENCE_KEY[kind])
    assert len(wire.facts["places"]) == 3 and wire.facts["stances"][0].get("actor") == "Ukraine"


def test_occurrence_counts_overlapping_matches_as_validate_does(docs):
    note = docs["2025-11-21-fixture-note"]
    first, _, third, _ = note.facts["places"]
    text = note.document.text
    assert text[first.start :].startswith("Russia says")
    assert text[third.start :].startswith("Russia may")  # "Russian" was occurrence 2
    assert gold_data.locate("aaa", "aa", 2) == 1
    assert gold_data.locate("abc", "x") == -1


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "gold"
    shutil.copytree(FIXTURE, target)
    return target


def test_missing_evidence_is_an_error_naming_file_and_string(tmp_path):
    target = _copy(tmp_path)
    path = target / "annotations" / "2025-11-20-fixture-wire.json"
    raw = json.loads(path.read_text())
    raw["hedges"][0]["text"] = "allegedly"
    path.write_text(json.dumps(raw))
    with pytest.raises(InputError) as info:
        gold_data.load(target)
    message = str(info.value)
    assert "2025-11-20-fixture-wire.json" in message and "'allegedly'" in message


def test_an_occurrence_past_the_last_match_is_an_error(tmp_path):
    target = _copy(tmp_path)
    path = target / "annotations" / "2025-11-21-fixture-note.json"
    raw = json.loads(path.read_text())
    raw["places"][2]["occurrence"] = 4
    path.write_text(json.dumps(raw))
    with pytest.raises(InputError, match="occurrence 4"):
        gold_data.load(target)


def test_a_missing_document_is_an_error(tmp_path):
    target = _copy(tmp_path)
    (target / "docs" / "2025-11-21-fixture-note.txt").unlink()
    with pytest.raises(InputError, match="cannot be read"):
        gold_data.load(target)


def test_gold_hash_covers_documents_and_annotations(tmp_path):
    target = _copy(tmp_path)
    before = gold_data.data_hash(target)
    doc = target / "docs" / "2025-11-21-fixture-note.txt"
    doc.write_text(doc.read_text() + "\n")
    assert gold_data.data_hash(target) != before


def _perfect(doc: gold_data.GoldDocument) -> Extraction:
    """What an extractor that agrees with the gold set would return."""
    f = doc.facts
    return Extraction(
        document=doc.document,
        attributions=[
            Attribution(
                g.start, g.end, speaker=g.get("speaker"), cue=g.get("cue"), content="", certainty=g.get("certainty")
            )
            for g in f["attributions"]
        ],
        hedges=[Hedge(g.start, g.end, text=g.get("text"), kind=g.get("kind")) for g in f["hedges"]],
        places=[
            Place(
                g.start,
                g.end,
                g.get("name"),
                g.get("mention"),
                g.get("lat"),
                g.get("lon"),
                g.get("country"),
                None,
                status=g.get("status"),
                by=g.get("by"),
            )
            for g in f["places"]
        ],
        provisions=[
            Provision(g.start, g.end, topic=g.get("topic"), text="", number=g.get("number")) for g in f["provisions"]
        ],
        stances=[Stance(g.start, g.end, g.get("actor"), g.get("target"), g.get("stance")) for g in f["stances"]],
        predictions=[Prediction(g.start, g.end, g.get("by"), "", g.get("deadline")) for g in f["predictions"]],
        quantities=[Quantity(g.start, g.end, g.get("value"), g.get("unit"), "") for g in f["quantities"]],
    )


def _scores(tallies: dict[str, gold.Tally]) -> dict[str, float | None]:
    return {s.key: s.value for s in gold.scores(tallies)}


def test_a_perfect_extraction_scores_one_everywhere(docs):
    tallies: dict[str, gold.Tally] = {}
    for doc in docs.values():
        gold.compare(doc, _perfect(doc), tallies)
    scores = gold.scores(tallies)
    kinds = {s.extractor for s in scores}
    assert kinds == {
        "attribution",
        "certainty",
        "places",
        "control",
        "provisions",
        "stances",
        "predictions",
        "quantities",
    }
    for score in scores:
        assert score.value == 1.0, score.key


def test_matching_rules(docs):
    wire = docs["2025-11-20-fixture-wire"]
    text = wire.document.text
    a = text.index("the Kremlin had received")
    k = text.index("Kupyansk")
    p = text.index("talks will resume")
    q = text.index("$140 billion")
    s = text.index("Kyiv rejected")
    ex = Extraction(
        document=wire.document,
        attributions=[
            # right span, speaker spelled differently in case only: a match
            Attribution(a, a + 30, speaker="dmitry peskov", cue="said", content="", certainty="hedged"),
            # half of "Russian forces captured Kupyansk" is not enough overlap with the wrong speaker
            Attribution(1, 17, speaker="Russia", cue="said", content=""),
        ],
        places=[Place(k, k + 8, "Kupiansk", "Kupyansk", 49.7, 37.6, "UA", None, status="captured", by=None)],
        predictions=[Prediction(p, p + 29, "Kyrylo Budanov", "", "2026-03")],
        quantities=[Quantity(q, q + 12, 140e9, "usd", "$140 billion")],
        stances=[Stance(s, s + 4, "Ukraine", "28-point plan", "oppose")],
    )
    tallies: dict[str, gold.Tally] = {}
    gold.compare(wire, ex, tallies)
    assert (tallies["attributions"].prf.tp, tallies["attributions"].prf.fp) == (1, 1)
    assert tallies["attributions_span"].prf.tp == 2  # speaker-agnostic: the second overlaps ≥ 50% too
    assert tallies["attributions"].accuracy["certainty"].value == 0.0  # hedged vs asserted
    assert tallies["places"].prf.tp == 1
    assert tallies["places"].accuracy["acc161"].value == 1.0
    assert tallies["control"].accuracy["status_by"].value == 0.0  # by missing
    assert tallies["control_claims"].prf.tp == 0
    assert tallies["predictions"].prf.tp == 1 and tallies["predictions"].accuracy["deadline"].value == 0.0
    assert tallies["quantities"].prf.tp == 1  # unit compared case-insensitively, value numerically
    assert tallies["stances"].prf.tp == 1 and tallies["stances_evidence"].prf.tp == 1


def test_stances_match_without_evidence_only_in_the_loose_variant(docs):
    wire = docs["2025-11-20-fixture-wire"]
    ex = Extraction(document=wire.document, stances=[Stance(0, 5, "ukraine", "28-Point Plan", "oppose")])
    tallies: dict[str, gold.Tally] = {}
    gold.compare(wire, ex, tallies)
    assert tallies["stances"].prf.tp == 1
    assert tallies["stances_evidence"].prf.tp == 0


def test_denied_hedges_are_not_predicted_hedges(docs):
    note = docs["2025-11-21-fixture-note"]
    start = note.document.text.index("may")
    ex = Extraction(
        document=note.document,
        hedges=[Hedge(start, start + 3, "may", kind="hedged"), Hedge(0, 6, "Russia", kind="denied")],
    )
    tallies: dict[str, gold.Tally] = {}
    gold.compare(note, ex, tallies)
    assert (tallies["hedges"].prf.tp, tallies["hedges"].prf.fp) == (1, 0)


def test_same_and_same_value():
    assert gold.same("Kyiv  Oblast", "kyiv oblast") and gold.same(None, None)
    assert not gold.same(None, "x") and not gold.same("a", "b")
    assert gold.same_value(600000, 600000.0) and not gold.same_value(1, "x")


@pytest.mark.slow
def test_real_gold_set_runs_with_the_real_extractor(extractor):
    if not gold_data.annotation_files(REPO_GOLD):
        pytest.skip("eval/gold has no annotations yet")
    from sitroom.evaluate import EvalOptions, run_evaluation

    report = run_evaluation(EvalOptions(gold=REPO_GOLD, only=("gold",), jobs=1, make_extractor=lambda: extractor))
    run = report.run("gold")
    assert run is not None and run.status == "ok", run
    assert {s.extractor for s in run.scores} == {
        "attribution",
        "certainty",
        "places",
        "control",
        "provisions",
        "stances",
        "predictions",
        "quantities",
    }
    assert all(s.value is not None and 0.0 <= s.value <= 1.0 for s in run.scores)
