"""Each loader on a tiny hand-written file in its dataset's format (tests/fixtures/evaluate/shared)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sitroom.evaluate.datasets import emergent, fnc, geoparsing, hash_files, polnear, sfu, stable_sample, tempeval

DATASETS = Path(__file__).parent / "fixtures" / "evaluate" / "shared" / "datasets"


def test_polnear_reads_roles_fragments_and_the_first_annotator():
    root = DATASETS / "polnear"
    articles = list(polnear.load(root, "dev"))
    assert len(articles) == 1
    article = articles[0]
    assert article.annotator == "b222"  # the lexicographically first of b222, c333
    assert article.published == date(2016, 9, 1)
    assert article.dropped == 1  # E4 points at T ids that do not exist
    first, second, third = article.attributions
    text = article.text
    assert text[slice(*first.source[0])] == "Senator Smith"
    assert text[slice(*first.cue[0])] == "said"
    assert text[slice(*first.content[0])] == "the bill would pass by Friday"
    assert [text[a:b] for a, b in second.content] == ["It is a good day,", "and we are ready."]
    assert third.source is None  # Attribution-no-source
    assert text[slice(*third.cue[0])] == "according to"
    assert polnear.available(root) and not polnear.available(root, "train")


def test_polnear_parse_ann_tolerates_bad_lines():
    attributions, dropped = polnear.parse_ann("garbage\nT1\tCue x y\tz\nT2\tContent 0 4\tabcd\nE1\tAttribution:T2\n")
    assert attributions == [] and dropped == 1
    assert polnear.parse_fragments("1 2;5 9") == ((1, 2), (5, 9))


def test_geoparsing_loads_all_three_formats_and_repairs_offsets():
    root = DATASETS / "geoparsing"
    stats = geoparsing.LoadStats()
    (lgl,) = list(geoparsing.load(geoparsing.path_of(root, "lgl"), stats))
    assert lgl.published == date(2009, 3, 20)
    alexandria, pineville = lgl.toponyms
    assert lgl.text[alexandria.start : alexandria.end] == "Alexandria"
    assert (alexandria.geonameid, alexandria.lat, alexandria.lon) == (4314550, 31.3113, -92.4451)
    assert pineville.lat is None and pineville.geonameid is None  # no gaztag: tagged, not geocoded
    assert stats.repaired == 0

    stats = geoparsing.LoadStats()
    (virus,) = list(geoparsing.load(geoparsing.path_of(root, "geovirus"), stats))  # the comment is not an article
    assert [virus.text[t.start : t.end] for t in virus.toponyms] == ["Lima", "Cusco"]
    assert stats.repaired == 2  # GeoVirus offsets are one character to the right

    stats = geoparsing.LoadStats()
    (tr,) = list(geoparsing.load(geoparsing.path_of(root, "tr-news"), stats))
    assert [tr.text[t.start : t.end] for t in tr.toponyms] == ["Ankara", "Turkish"]
    assert stats.repaired == 1


def test_geoparsing_repair_gives_up_outside_the_window():
    text = "x" * 100 + "Lima"
    assert geoparsing.repair(text, 100, 104, "Lima") == (100, 104)
    assert geoparsing.repair(text, 50, 54, "Lima") is None


def test_tempeval_flattens_text_and_reads_the_creation_time():
    root = DATASETS / "tempeval3"
    (doc,) = list(tempeval.load(root, "platinum"))
    assert doc.dct == date(2013, 3, 22)
    assert [(t.text, t.type, t.value) for t in doc.timexes] == [
        ("Thursday", "DATE", "2013-03-21"),
        ("April", "DATE", "2013-04"),
        ("2010", "DATE", "2010"),
        ("three months", "DURATION", "P3M"),
    ]
    for timex in doc.timexes:
        assert doc.text[timex.start : timex.end] == timex.text
    assert "<EVENT" not in doc.text and "met Thursday" in doc.text
    stats = tempeval.LoadStats()
    (train,) = list(tempeval.load(root, "tbaq", stats))  # the malformed AQUAINT file is skipped
    assert train.dct == date(1998, 1, 8) and len(stats.skipped) == 1


def test_sfu_rebuilds_text_and_groups_speculation_cues():
    root = DATASETS / "sfu_review_spec"
    (review,) = list(sfu.load(root))
    assert review.name == "BOOKS/no1done.xml"
    assert review.text == "I think it is good .\nIt might rain , it can't be dry .\nEither red or blue .\n"

    def words(cue: tuple[int, ...]) -> list[str]:
        return [review.text[slice(*review.tokens[i])] for i in cue]

    # negation cues are not loaded; the split "Either ... or" cue is one cue
    assert sorted(words(c) for c in review.cues) == [["Either", "or"], ["might"], ["think"]]


def test_fnc_reads_pairs_and_skips_rows_without_a_body():
    root = DATASETS / "fnc-1"
    bodies = fnc.load_bodies(root / fnc.BODIES_FILE)
    assert sorted(bodies) == [1, 2] and "\n\n" in bodies[1]
    pairs, skipped = fnc.load_pairs(root / fnc.STANCES_FILE, bodies)
    assert [p.stance for p in pairs] == ["disagree", "discuss", "unrelated", "unrelated"]
    assert skipped == 1


def test_emergent_merges_both_files_in_row_order():
    items, skipped = emergent.load(DATASETS / "emergent_test")
    assert [i.index for i in items] == [1, 2, 3]
    assert [i.stance for i in items] == ["for", "against", "observing"]
    assert items[1].paper_prediction == "for" and skipped == 1


def test_hash_covers_names_and_contents(tmp_path):
    (tmp_path / "a.txt").write_text("one")
    (tmp_path / "b.txt").write_text("two")
    first = hash_files([tmp_path / "b.txt", tmp_path / "a.txt"], tmp_path)
    assert first == hash_files([tmp_path / "a.txt", tmp_path / "b.txt"], tmp_path)
    (tmp_path / "b.txt").write_text("two!")
    assert hash_files([tmp_path / "a.txt", tmp_path / "b.txt"], tmp_path) != first
    assert first.startswith("sha256:")


def test_stable_sample_is_deterministic_and_stratified():
    items = [(i, "big" if i < 80 else "small") for i in range(100)]
    first = stable_sample(items, 10, key=lambda x: str(x[0]), stratum=lambda x: x[1])
    assert first == stable_sample(items, 10, key=lambda x: str(x[0]), stratum=lambda x: x[1])
    assert [x[1] for x in first].count("small") == 2  # 20% of the set, 20% of the sample
    assert first == sorted(first)  # original order kept
    assert stable_sample(items, None, key=str) == items
    assert stable_sample(items, 0, key=str) == []
    assert len(stable_sample(items, 7, key=lambda x: str(x[0]))) == 7
