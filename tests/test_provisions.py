import spacy

import sitroom.extract.provisions  # noqa: F401  (imported explicitly; the factory is also an entry point)
from sitroom.extract.base import facts_of


def _nlp():
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("sitroom_provisions")
    return nlp


def test_numbered_items_get_topics_numbers_and_exact_spans():
    text = (
        "The 20-point framework is now circulating. It would (1) cap Ukraine's army at 800,000 soldiers; "
        "(2) rule out NATO membership for Ukraine; (3) hold elections within 100 days of signature."
    )
    doc = _nlp()(text)
    provisions = facts_of(doc)["provisions"]
    assert [(p.number, p.topic) for p in provisions] == [(1, "army_size"), (2, "nato_membership"), (3, "elections")]
    for p in provisions:
        assert text[p.start : p.end] == p.text
        assert p.plan == "20-point plan"
    assert provisions[0].text.endswith("800,000 soldiers")


def test_lone_parenthesised_year_is_not_a_list():
    doc = _nlp()("The plan was discussed (2022) and again in talks (3) later.")
    assert "provisions" not in facts_of(doc)


def test_plan_sentences_without_numbers():
    text = "Officials said the draft calls for frozen Russian assets to fund reconstruction. The weather was cold."
    provisions = facts_of(_nlp()(text)).get("provisions", [])
    assert len(provisions) == 1
    assert provisions[0].topic == "frozen_assets"
    assert provisions[0].number is None


def test_document_without_plan_words_has_no_provisions():
    doc = _nlp()("(1) Buy milk. (2) Call the bank about the army surplus store.")
    assert "provisions" not in facts_of(doc)


def test_numbered_scenarios_without_a_plan_lead_in_are_not_provisions():
    text = (
        "The 28-point plan is stuck.\n\nHere are my calls for the year.\n\n"
        "(1) No peace agreement is signed by December. (2) A ceasefire holds for 30 days. "
        "(3) Ukraine holds elections."
    )
    provisions = facts_of(_nlp()(text)).get("provisions", [])
    assert all(p.number is None for p in provisions)


def test_article_five_is_not_a_list_marker():
    text = "The draft says the United States would give a guarantee modelled on Article 5 of the NATO treaty."
    provisions = facts_of(_nlp()(text)).get("provisions", [])
    assert [p.number for p in provisions] == [None]
    assert provisions[0].topic == "security_guarantees"
