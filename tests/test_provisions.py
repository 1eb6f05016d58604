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


def _found(text):
    return [(p.topic, p.number, p.text) for p in facts_of(_nlp()(text)).get("provisions", [])]


def test_revised_clauses_are_one_provision_each():
    text = "An aide said that the limit on the army had been lowered and that the clause on amnesty was dropped."
    assert [(t, x) for t, _, x in _found(text)] == [
        ("army_size", "the limit on the army had been lowered"),
        ("amnesty", "the clause on amnesty was dropped"),
    ]


def test_relative_clause_of_a_document_gives_its_terms():
    text = (
        'Lavrov said Russia could not sign a text that "freezes the front line" and caps the army at 500,000 soldiers.'
    )
    assert [(t, x) for t, _, x in _found(text)] == [
        ("territory", "freezes the front line"),
        ("army_size", "caps the army at 500,000 soldiers"),
    ]


def test_a_stance_on_points_is_not_a_provision():
    assert _found("The minister does not agree with the territorial points and will not sign them.") == []
    assert _found('Senators said the guarantees in the 20-point plan "must be ratified".') == []


def test_drafting_side_proposals_and_agreed_terms():
    assert _found("Washington has floated a demilitarised zone along the Donbas front.")[0][0] == "territory"
    found = _found("The two sides agreed in principle that any ceasefire would be monitored by observers.")
    assert [(t, x) for t, _, x in found] == [("ceasefire_monitoring", "any ceasefire would be monitored by observers")]


def test_inline_numbered_declaration():
    text = (
        "The summit adopted a declaration with four parts: (1) a truce monitoring mechanism run by the US; "
        "(2) Ukraine's armed forces kept at 800,000; (3) a multinational force deployed after the fighting; "
        "and (4) binding commitments to help Ukraine if it is attacked again."
    )
    assert [(t, n) for t, n, _ in _found(text)] == [
        ("ceasefire_monitoring", 1),
        ("army_size", 2),
        ("foreign_troops", 3),
        ("security_guarantees", 4),
    ]


def test_texts_side_by_side_are_cut_per_text():
    text = (
        "On security, the US draft promises a vague pledge, the European text an Article 5 guarantee "
        "and the 20-point framework guarantees voted by Congress."
    )
    found = _found(text)
    assert [t for t, _, _ in found] == ["security_guarantees"] * 3
    assert found[1][2] == "the European text an Article 5 guarantee"


def test_bullets_after_a_plan_lead_in():
    text = "The leaked plan, in short:\n- army capped at 700,000\n- no NATO seat for Kyiv\n- a sunny spring\n"
    assert [(t, n) for t, n, _ in _found(text)] == [("army_size", None), ("nato_membership", None)]


def test_assessment_and_forecast_lists_are_not_provisions():
    text = "The plan is back.\n\nOur three takeaways from the plan:\n\n(1) The army cap will hold. (2) NATO stays out."
    assert all(n is None for _, n, _ in _found(text))
    bullets = "My predictions on the plan:\n- elections by June\n- the army cap holds\n"
    assert _found(bullets) == []


def test_a_text_named_as_a_label_before_its_terms():
    text = "The Turkish draft: troops capped at 700,000; a ceasefire watched by observers."
    assert [(t, x) for t, _, x in _found(text)] == [
        ("army_size", "troops capped at 700,000"),
        ("ceasefire_monitoring", "a ceasefire watched by observers"),
    ]


def test_participle_terms_of_a_plan():
    assert [t for t, _, _ in _found("In the leaked draft Crimea is recognised as Russian.")] == ["territory"]


def test_conditions_and_forecasts_about_a_plan_are_not_terms():
    assert _found("If no framework is signed by March, the army will shrink.") == []
    assert _found("I think the draft will cap the army at 700,000.") == []


def _plans(text):
    return [(p.number, p.plan) for p in facts_of(_nlp()(text)).get("provisions", [])]


def test_a_numbered_list_after_a_named_plan_belongs_to_it():
    text = (
        "The 28-point plan says: (1) Ukraine's army would be capped at 600,000; (2) Ukraine would never join NATO; "
        "(3) elections would be held within 100 days."
    )
    assert _plans(text) == [(1, "28-point plan"), (2, "28-point plan"), (3, "28-point plan")]


def test_a_list_under_the_european_counter_proposal_is_named_as_stances_name_it():
    text = (
        "Under the European counter-proposal, (1) the army would be limited to 800,000 in peacetime; "
        "(2) territorial talks would start from the line of contact."
    )
    assert _plans(text) == [(1, "European counter-proposal"), (2, "European counter-proposal")]


def test_a_list_with_no_plan_named_has_no_plan():
    text = "The leaked draft would: (1) cap the army at 600,000; (2) rule out NATO membership."
    assert _plans(text) == [(1, None), (2, None)]


def test_a_prose_provision_takes_its_own_plan_then_the_nearest_before():
    text = (
        "The 28-point plan was cut to 19 points in Geneva.\n\n"
        "The Geneva text caps the army at 800,000. The European text would recognise no territory as Russian.\n\n"
        "Diplomats said the draft bans nuclear weapons in Ukraine."
    )
    found = facts_of(_nlp()(text))["provisions"]
    assert [(p.topic, p.plan) for p in found] == [
        ("army_size", "19-point plan"),
        ("territory", "European counter-proposal"),
        ("weapons_limits", "19-point plan"),
    ]


def test_sides_compared_in_one_sentence_each_get_their_text():
    text = "On security, the Geneva text promises a vague pledge, the European text an Article 5 guarantee."
    assert [p for _, p in _plans(text)] == ["19-point plan", "European counter-proposal"]


# -- plan names from the catalogue: authors, versions, count changes ------------------------------


def _dated(text: str, day: str) -> list[tuple[str, str | None]]:
    from sitroom.extract.base import REF_DATE_EXT

    nlp = _nlp()
    doc = nlp.make_doc(text)
    doc._.set(REF_DATE_EXT, day)
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    return [(p.topic, p.plan) for p in facts_of(doc).get("provisions", [])]


def _catalogue():
    from sitroom.extract.plan_catalogue import PlanCatalogue

    return PlanCatalogue.from_data(
        {
            "plans": {
                "families": [
                    {
                        "family": "Marovian plan",
                        "author": "Marovia",
                        "versions": [
                            {"name": "9-point plan", "from": "2026-03-01"},
                            {"name": "7-point plan", "from": "2026-03-10"},
                        ],
                    },
                    {
                        "family": "Dravik reply",
                        "author": "Dravik",
                        "versions": [{"name": "Dravik reply", "from": "2026-03-05"}],
                    },
                ],
                "authors": {"Marovia": ["Marovian", "Marovia's"], "Dravik": ["Dravik"]},
                "nouns": ["draft", "text", "plan"],
                "newest": ["revised", "new"],
                "first": ["original"],
            },
            "count_changes": [r"\b\d{1,2}\s+points\s+(?:were|had\s+been)\s+cut\s+to\s+(?:about\s+)?(?P<n>\d{1,2})\b"],
        }
    )


def _names(text: str, day: str | None) -> list[tuple[str, str]]:
    from datetime import date

    when = date.fromisoformat(day) if day else None
    return [(text[m.start : m.end], m.target) for m in _catalogue().mentions(text, when, [])]


def test_a_revised_draft_is_the_newest_version_its_author_had_at_the_date():
    text = "The revised Marovian draft keeps the valley. The original Marovian text gave it away."
    assert _names(text, "2026-03-12") == [
        ("revised Marovian draft", "7-point plan"),
        ("original Marovian text", "9-point plan"),
    ]
    # before the second version existed, "revised" can only mean the first
    assert _names(text, "2026-03-04")[0] == ("revised Marovian draft", "9-point plan")


def test_an_authors_plan_with_no_qualifier_is_its_first_version_unless_the_document_ties_it_to_a_count():
    assert _names("The Marovian draft keeps the valley.", "2026-03-12") == [("Marovian draft", "9-point plan")]
    tied = "The Marovian draft of 7 points is out. The Marovian draft keeps the valley."
    assert [n for _, n in _names(tied, "2026-03-12")] == ["7-point plan", "7-point plan"]


def test_a_qualified_draft_with_no_author_takes_the_family_named_before_it():
    text = "The Dravik text came first. Then the revised text arrived."
    assert _names(text, "2026-03-12") == [("Dravik text", "Dravik reply"), ("revised text", "Dravik reply")]
    # with no plan named before it, the first family of the catalogue
    assert _names("The revised text arrived.", "2026-03-12") == [("revised text", "7-point plan")]


def test_a_count_change_names_the_new_count():
    assert _names("Officials said the 9 points were cut to about 7.", "2026-03-12") == [
        ("9 points were cut to about 7", "7-point plan")
    ]


def test_provisions_named_by_author_and_version_on_the_shipped_catalogue():
    # after Geneva: "the revised draft" is the Geneva text, "the US draft" still the original 28 points
    text = "Diplomats say the revised draft caps the army at 750,000. The US draft caps it at 600,000."
    assert _dated(text, "2025-11-28") == [("army_size", "19-point plan"), ("army_size", "28-point plan")]
    # a revision belongs to the newest version of the family named before it, not to a text it is compared with
    text = (
        "The US draft has been trimmed to 19 points. Officials said the cap on the army had been raised to "
        "750,000, close to the figure in the European text."
    )
    assert _dated(text, "2025-11-25") == [("army_size", "19-point plan")]


def test_an_item_that_names_its_own_plan_keeps_it_over_the_lead_in():
    text = (
        "Officials say the framework has been cut from 28 points to about 20. Where it stands:\n"
        "1. territory: still open between the presidents\n"
        "2. the army: the US draft said 600,000, and the current text is closer to 800,000\n"
    )
    assert _dated(text, "2025-12-06") == [("territory", "20-point plan"), ("army_size", "28-point plan")]


def test_a_revised_text_in_a_story_the_catalogue_does_not_know_stays_with_the_plan_the_document_names():
    text = "The 12-point plan was reworked overnight. The revised text bans long-range missiles."
    assert _dated(text, "2026-03-05") == [("weapons_limits", "12-point plan")]


def test_a_cap_or_clause_that_has_moved_is_a_revision():
    text = "The 12-point plan was reworked. Negotiators say the troop ceiling has gone up to 750,000."
    assert _dated(text, "2026-03-05") == [("army_size", "12-point plan")]
    text = "The 12-point plan was reworked. Officials say the clause barring NATO membership has been softened."
    assert _dated(text, "2026-03-05") == [("nato_membership", "12-point plan")]
