import json

import spacy

from sitroom.extract.base import facts_of
from sitroom.extract.hedges import HedgeLexicon, strongest


def _finder(tmp_path, data):
    path = tmp_path / "hedges.json"
    path.write_text(json.dumps(data))
    nlp = spacy.blank("en")
    nlp.add_pipe("sitroom_hedges", config={"lexicon_path": str(path)})
    return nlp


def test_component_on_blank_pipeline_with_fixture_lexicon(tmp_path):
    nlp = _finder(tmp_path, {"phrases": {"rumoured": ["is rumored to"], "hedged": ["perhaps"]}, "regex": []})
    doc = nlp("The plan is rumored to have leaked, perhaps on purpose. Perhapsnot here.")
    hedges = facts_of(doc)["hedges"]
    assert [(h.text, h.kind) for h in hedges] == [("is rumored to", "rumoured"), ("perhaps", "hedged")]
    for h in hedges:
        assert doc.text[h.start : h.end] == h.text
    assert len(doc.spans["sitroom_hedges"]) == 2


def test_shipped_lexicon_kinds():
    from sitroom.extract.lexicon import load_data

    lex = HedgeLexicon.from_data(load_data(None, "hedges.json"))
    found = {h.text.lower(): h.kind for h in lex.find("It is still unclear. Presumably (?) it was reportedly denied.")}
    assert found["it is still unclear"] == "questioned"
    assert found["presumably"] == "hedged"
    assert found["(?)"] == "questioned"
    assert found["reportedly"] == "rumoured"
    assert found["denied"] == "denied"


def test_longest_overlapping_cue_wins():
    lex = HedgeLexicon.from_data({"phrases": {"hedged": ["unclear"], "questioned": ["it is unclear"]}})
    hedges = lex.find("it is unclear why")
    assert [(h.text, h.kind) for h in hedges] == [("it is unclear", "questioned")]


def test_strongest_certainty_order():
    assert strongest("asserted", "hedged") == "hedged"
    assert strongest("rumoured", "hedged") == "rumoured"
    assert strongest("questioned", "denied", None) == "denied"
    assert strongest() == "asserted"


def _shipped(text):
    from sitroom.extract.lexicon import load_data

    lex = HedgeLexicon.from_data(load_data(None, "hedges.json"))
    return [(h.text, h.kind) for h in lex.find(text)]


def test_ability_and_conditional_modals_and_the_month_are_not_hedges():
    assert _shipped("Kyiv would vote if its allies could guarantee the polls.") == []
    assert _shipped("Residents could not leave the town.") == []
    assert _shipped("The summit is planned for May 12 and talks resume in May.") == []
    assert _shipped("The bridge could reopen soon, and it may rain.") == [("could", "hedged"), ("may", "hedged")]


def test_approximators_prediction_cues_and_speakers_are_not_hedges():
    text = "Roughly 900, an estimated third, are expected to go, people familiar with it said; reports suggest it."
    assert _shipped(text) == []


def test_first_person_doubt_and_whether_cues():
    found = dict(_shipped("I can't verify that and I doubt it. Not sure. Peskov declined to say whether it was true."))
    assert found == {
        "I can't verify": "questioned",
        "I doubt": "questioned",
        "Not sure": "questioned",
        "declined to say whether": "questioned",
    }
    assert dict(_shipped("I also think so, maybe. My guess: apparently a leak.")) == {
        "I also think": "hedged",
        "maybe": "hedged",
        "My guess": "hedged",
        "apparently": "rumoured",
    }
