import json

import pytest

from sitroom.errors import ConfigError
from sitroom.extract.actors import ActorIndex


@pytest.fixture(scope="module")
def index():
    return ActorIndex.load([])


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("Zelenskiy", "Volodymyr Zelenskyy"),
        ("Zelensky", "Volodymyr Zelenskyy"),
        ("Zelenskyy’s", "Volodymyr Zelenskyy"),
        ("General Kellog", "Keith Kellogg"),
        ("Kellogg", "Keith Kellogg"),
        ("Mercouris", "Alex Mercouris"),
        ("Zelenskiy’s chief of military intelligence", "Kyrylo Budanov"),
        ("the Kremlin spokesman", "Dmitry Peskov"),
        ("Kremlin sources", "Kremlin"),
        ("EuroClear", "Euroclear"),
        ("the RADA", "Verkhovna Rada"),
    ],
)
def test_aliases_and_titles_resolve(index, written, canonical):
    assert index.canonical(written) == canonical


def test_unknown_actor_is_kept_as_written(index):
    assert index.lookup("Ivan Ivanovich Nobody") is None
    assert index.canonical("Ivan Ivanovich Nobody,") == "Ivan Ivanovich Nobody"


def test_user_file_extends_and_overrides(tmp_path):
    extra = tmp_path / "actors.json"
    extra.write_text(json.dumps({"actors": [{"name": "Jane Analyst", "aliases": ["J. Analyst", "Analyst Jane"]}]}))
    index = ActorIndex.load([extra, tmp_path / "missing.json"])
    assert index.canonical("J. Analyst") == "Jane Analyst"
    assert index.canonical("Putin") == "Vladimir Putin"


def test_bad_user_file_is_a_config_error(tmp_path):
    bad = tmp_path / "actors.json"
    bad.write_text("{not json")
    with pytest.raises(ConfigError) as info:
        ActorIndex.load([bad])
    assert str(bad) in str(info.value)


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("RU", "Russia"),
        ("UA", "Ukraine"),
        ("RU MoD", "Russian Defence Ministry"),
        ("the State Department", "US State Department"),
        ("ISW", "Institute for the Study of War"),
        ("Ukraine's navy", "Ukrainian Navy"),
        ("the chief of the General Staff", "Valery Gerasimov"),
        ("Ryabkov", "Sergei Ryabkov"),
    ],
)
def test_institutions_and_people_of_the_gold_guidelines(index, written, canonical):
    assert index.canonical(written) == canonical


def test_by_name_matches_names_and_aliases_only(index):
    assert index.by_name("Kellog").name == "Keith Kellogg"
    assert index.by_name("the Kremlin spokesman") is None  # a title: lookup() resolves it, by_name() does not
    assert index.lookup("the Kremlin spokesman").name == "Dmitry Peskov"
