"""Floors, the gate, the runner and the command — with fake extractors: extraction is not the point here."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path

import pytest

from sitroom.evaluate import EvalOptions, Floors, FloorsRefused, run_evaluation, runner
from sitroom.evaluate import __main__ as cli
from sitroom.evaluate import floors as fl
from sitroom.evaluate.extraction import Deadlines, extract_all
from sitroom.evaluate.report import DatasetRun, EvalReport, Score
from sitroom.model import Document, Extraction, Hedge, Place

FIXTURES = Path(__file__).parent / "fixtures" / "evaluate"
SHARED = FIXTURES / "shared"
GOLD = FIXTURES / "gold"


class FakeExtractor:
    """Finds "Kupyansk" and "Siversk" as places and "may"/"might" as hedges; fails on a poisoned text
    and loops forever on a text with ``hang`` in it."""

    def __init__(self, poison: str | None = None, hang: str | None = None) -> None:
        self.poison = poison
        self.hang = hang

    def extract_many(self, documents: Iterable[Document]) -> Iterator[Extraction]:
        for document in documents:
            if self.poison and self.poison in document.text:
                raise RuntimeError("boom")
            while self.hang and self.hang in document.text:
                pass
            text = document.text
            places = []
            for name, canonical in (("Kupyansk", "Kupiansk"), ("Siversk", "Siversk")):
                at = text.find(name)
                if at >= 0:
                    places.append(Place(at, at + len(name), canonical, name, 49.7, 37.6, "UA", None))
            hedges = []
            for word in ("may", "might"):
                at = text.find(f" {word} ")
                if at >= 0:
                    hedges.append(Hedge(at + 1, at + 1 + len(word), word, "hedged"))
            yield Extraction(document=document, places=places, hedges=hedges)


def _options(tmp_path: Path, **kw) -> EvalOptions:
    return EvalOptions(
        shared=kw.pop("shared", SHARED),
        gold=kw.pop("gold", GOLD),
        floors=tmp_path / "floors.json",
        jobs=kw.pop("jobs", 1),
        make_extractor=FakeExtractor,
        make_hedge_extractor=FakeExtractor,
        **kw,
    )


# --- floors -----------------------------------------------------------------------------------


def test_floor_rounds_down_and_subtracts_the_margin():
    assert fl.floor_for(0.4378, "higher") == 0.42
    assert fl.floor_for(0.43, "higher") == 0.42  # exactly two decimals: no extra rounding down
    assert fl.floor_for(0.005, "higher") == 0.0
    assert fl.floor_for(0.2131, "lower") == 0.23  # a ceiling: up, plus the margin
    assert fl.passes(0.42, 0.42, "higher") and not fl.passes(0.41, 0.42, "higher")
    assert fl.passes(0.23, 0.23, "lower") and not fl.passes(0.24, 0.23, "lower")


def _report(**values: float) -> EvalReport:
    scores = [Score("places", "gold", metric, value, 10, "places") for metric, value in values.items()]
    return EvalReport(runs=[DatasetRun("gold", "ok", scores=scores, data_hash="sha256:aaa")])


def test_update_writes_floor_measured_hash_sample_and_date(tmp_path):
    floors = fl.update(_report(f1=0.6789), Floors(), today=date(2025, 11, 25))
    entry = floors.entries["gold/places/f1"]
    assert entry == {
        "floor": 0.66,
        "better": "higher",
        "measured": 0.6789,
        "data_hash": "sha256:aaa",
        "sample": 10,
        "unit": "places",
        "date": "2025-11-25",
    }
    floors.write(tmp_path / "floors.json")
    again = Floors.read(tmp_path / "floors.json")
    assert again.entries == floors.entries and again.margin == fl.MARGIN


def test_update_ratchets_up_and_keeps_a_floor_that_still_passes():
    old = Floors(entries={"gold/places/f1": {"floor": 0.60}, "gold/places/recall": {"floor": 0.50}})
    new = fl.update(_report(f1=0.75, recall=0.505), old)
    assert new.entries["gold/places/f1"]["floor"] == 0.74  # raised
    assert new.entries["gold/places/recall"]["floor"] == 0.50  # 0.505 would give 0.49: kept at 0.50
    assert new.entries["gold/places/recall"]["measured"] == 0.505


def test_update_refuses_to_lower_and_names_the_metrics():
    old = Floors(entries={"gold/places/f1": {"floor": 0.60}, "gold/places/recall": {"floor": 0.50}})
    with pytest.raises(FloorsRefused) as info:
        fl.update(_report(f1=0.55, recall=0.45), old)
    assert info.value.exit_code == 2
    assert "gold/places/f1" in str(info.value) and "gold/places/recall" in str(info.value)
    lowered = fl.update(_report(f1=0.55, recall=0.45), old, allow_lower=True)
    assert lowered.entries["gold/places/f1"]["floor"] == 0.54


def test_update_keeps_floors_of_datasets_not_run():
    old = Floors(entries={"lgl/places/geocoding_acc161": {"floor": 0.3}})
    new = fl.update(_report(f1=0.7), old)
    assert new.entries["lgl/places/geocoding_acc161"] == {"floor": 0.3}


def test_gate_fails_below_floor_warns_on_hash_and_notes_absent_sets():
    floors = Floors(
        entries={
            "gold/places/f1": {"floor": 0.80, "data_hash": "sha256:bbb"},
            "gold/places/recall": {"floor": 0.10, "data_hash": "sha256:bbb"},
            "lgl/places/geotagging_f1_exact": {"floor": 0.5},
        }
    )
    report = _report(f1=0.70, recall=0.40)
    report.runs.append(DatasetRun("lgl", "skipped", note="absent"))
    result = fl.check(report, floors)
    assert not result.ok and len(result.failures) == 1 and "gold/places/f1" in result.failures[0]
    assert any("data changed" in w for w in result.warnings)
    assert any("lgl/places/geotagging_f1_exact" in n for n in result.notes)
    assert result.checked == 2


def test_gate_counts_a_dataset_that_failed_as_a_failure():
    report = EvalReport(runs=[DatasetRun("gold", "error", note="no gold annotations")])
    assert not fl.check(report, Floors()).ok


def test_floors_file_that_is_not_json_is_a_config_error(tmp_path):
    path = tmp_path / "floors.json"
    path.write_text("{nope")
    with pytest.raises(fl.ConfigError):
        Floors.read(path)


def test_lower_is_better_floors_are_ceilings():
    report = EvalReport(
        runs=[DatasetRun("lgl", "ok", scores=[Score("places", "lgl", "geocoding_auc", 0.30, 5, "t", better="lower")])]
    )
    assert fl.update(report, Floors()).entries["lgl/places/geocoding_auc"]["floor"] == 0.31
    assert not fl.check(report, Floors(entries={"lgl/places/geocoding_auc": {"floor": 0.25, "better": "lower"}})).ok
    with pytest.raises(FloorsRefused):  # a higher ceiling is a lower bar
        fl.update(report, Floors(entries={"lgl/places/geocoding_auc": {"floor": 0.25, "better": "lower"}}))


# --- runner -----------------------------------------------------------------------------------


def test_runner_scores_every_dataset_on_the_fixtures(tmp_path):
    report = run_evaluation(_options(tmp_path))
    assert [r.name for r in report.runs] == [s.name for s in runner.SUITES]
    assert all(r.status == "ok" for r in report.runs), [(r.name, r.note) for r in report.runs]
    assert all(r.data_hash and r.data_hash.startswith("sha256:") for r in report.runs)
    keys = {s.key for s in report.scores()}
    assert "gold/places/f1" in keys and "fnc-1/certainty/fnc_score" in keys and "lgl/places/geocoding_acc161" in keys
    gold = {s.metric: s.value for s in report.run("gold").scores if s.extractor == "places"}
    assert gold["precision"] == 1.0  # both fake places are gold places with the right names


def test_public_sets_are_skipped_without_shared_but_own_sets_are_not(tmp_path):
    report = run_evaluation(_options(tmp_path, shared=tmp_path / "nowhere"))
    status = {r.name: r.status for r in report.runs}
    assert status.pop("gold") == "ok"
    assert status.pop("links") == "ok"
    assert set(status.values()) == {"skipped"}
    assert "nowhere" in report.run("lgl").note


def test_shared_defaults_to_the_sibling_folder_or_the_environment(tmp_path, monkeypatch):
    monkeypatch.delenv(runner.SHARED_ENV, raising=False)
    options = EvalOptions(repo_root=tmp_path / "repo")
    assert options.shared_dir == tmp_path / "shared"
    assert options.gold_dir == tmp_path / "repo" / "eval" / "gold"
    monkeypatch.setenv(runner.SHARED_ENV, str(tmp_path / "elsewhere"))
    assert options.shared_dir == tmp_path / "elsewhere"


def test_only_selects_datasets_or_extractors():
    assert [s.name for s in runner.select(("places",))] == ["lgl", "tr-news", "geovirus"]
    assert [s.name for s in runner.select(("gold", "emergent"))] == ["gold", "emergent"]
    with pytest.raises(runner.ConfigError, match="unknown"):
        runner.select(("imdb",))


def test_empty_gold_folder_is_an_error_not_a_skip(tmp_path):
    (tmp_path / "gold" / "annotations").mkdir(parents=True)
    report = run_evaluation(_options(tmp_path, gold=tmp_path / "gold", only=("gold",)))
    assert report.run("gold").status == "error"


def test_limit_caps_documents_and_warns(tmp_path):
    report = run_evaluation(_options(tmp_path, only=("sfu-review", "tempeval3-tbaq"), limit=1))
    assert report.run("sfu-review").documents == 1
    assert any("--limit" in w for w in report.warnings)
    with pytest.raises(runner.ConfigError):
        runner.update_floors(report, _options(tmp_path, limit=1))


# --- extraction -------------------------------------------------------------------------------


@pytest.mark.parametrize("jobs", [1, 2])
def test_one_failing_document_is_isolated(jobs):
    documents = [Document(text=f"doc {i} may {'POISON' if i == 2 else ''}") for i in range(5)]
    result = extract_all(FakeExtractor(poison="POISON"), documents, jobs=jobs)
    assert [x is None for x in result.extractions] == [False, False, True, False, False]
    assert len(result.errors) == 1 and "boom" in result.errors[0]
    for document, extraction in result.results(documents):
        assert extraction.document is document
    assert [len(x.hedges) for x in result.extractions if x is not None] == [1, 1, 1, 1]


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_document_that_hangs_the_extractor_is_cut_off(jobs):
    documents = [Document(text=f"doc {i} {'LOOP' if i == 1 else ''}") for i in range(4)]
    fast = Deadlines(base=0.3, chars_per_second=1e9)
    result = extract_all(FakeExtractor(hang="LOOP"), documents, jobs=jobs, deadlines=fast)
    assert [x is None for x in result.extractions] == [False, True, False, False]
    assert len(result.errors) == 1 and "no result after" in result.errors[0]


# --- the command ------------------------------------------------------------------------------


@pytest.fixture()
def fake_pipeline(monkeypatch):
    monkeypatch.setattr(runner, "build_extractor", FakeExtractor)
    monkeypatch.setattr(runner, "build_hedge_extractor", FakeExtractor)


def _cli(tmp_path: Path, *args: str) -> int:
    return cli.main(["--shared", str(SHARED), "--gold", str(GOLD), "--floors", str(tmp_path / "floors.json"), *args])


def test_command_update_then_gate_passes(tmp_path, fake_pipeline, capsys):
    assert _cli(tmp_path, "--update-floors", "--jobs", "1") == 0
    written = json.loads((tmp_path / "floors.json").read_text())
    assert "gold/places/f1" in written["metrics"] and written["margin"] == fl.MARGIN
    assert _cli(tmp_path, "--gate", "--jobs", "1") == 0
    out = capsys.readouterr().out
    assert "gate passed" in out and "published best" in out


def test_command_gate_fails_with_exit_7_naming_the_metric(tmp_path, fake_pipeline, capsys):
    Floors(entries={"gold/places/f1": {"floor": 0.99, "better": "higher"}}).write(tmp_path / "floors.json")
    assert _cli(tmp_path, "--gate", "--only", "gold", "--jobs", "1") == cli.GATE_FAILED
    assert "gold/places/f1" in capsys.readouterr().out


def test_command_refuses_to_lower_a_floor_with_exit_2(tmp_path, fake_pipeline, capsys):
    Floors(entries={"gold/places/f1": {"floor": 0.99, "better": "higher"}}).write(tmp_path / "floors.json")
    before = (tmp_path / "floors.json").read_text()
    assert _cli(tmp_path, "--update-floors", "--only", "gold", "--jobs", "1") == 2
    assert "gold/places/f1" in capsys.readouterr().err
    assert (tmp_path / "floors.json").read_text() == before  # nothing written
    assert _cli(tmp_path, "--update-floors", "--allow-lower", "--only", "gold", "--jobs", "1") == 0
    assert json.loads((tmp_path / "floors.json").read_text())["metrics"]["gold/places/f1"]["floor"] < 0.99


def test_command_json_output(tmp_path, fake_pipeline, capsys):
    assert _cli(tmp_path, "--json", "--only", "emergent", "--jobs", "1") == 0
    body = json.loads(capsys.readouterr().out)
    (dataset,) = body["datasets"]
    assert dataset["name"] == "emergent" and dataset["scores"][0]["key"] == "emergent/certainty/accuracy"


def test_command_rejects_allow_lower_alone(tmp_path, fake_pipeline):
    assert _cli(tmp_path, "--allow-lower") == 2


def test_progress_bars_and_the_table_render(tmp_path):
    import io

    from rich.console import Console

    from sitroom.evaluate.render import print_report, rich_progress

    stream = io.StringIO()
    console = Console(file=stream, force_terminal=True, width=150)
    options = _options(tmp_path, only=("gold", "emergent"), jobs=2)
    with rich_progress(console) as hook:
        options.progress = hook
        report = run_evaluation(options)
    out = io.StringIO()
    print_report(Console(file=out, width=150), report, Floors(entries={"gold/places/f1": {"floor": 0.5}}))
    text = out.getvalue()
    assert "gold" in text and "emergent" in text and "50.0" in text and "73.3" in text
