"""analyse/contradictions.py: control, number, stance and denial contradictions, and what is not one."""

from __future__ import annotations

from sitroom.analyse import contradictions as contra

from .story_kit import Doc, corpus_of, day


def kinds(corpus) -> list[str]:
    return [x.kind for x in contra.find(corpus)]


# -- control --------------------------------------------------------------------------------------


def captured(when, source="Coast Wire") -> Doc:
    return Doc("Northern forces captured Kessel after heavy fighting.", source, when).place(
        "Kessel", "captured", by="Northern forces"
    )


def contested(when, source="Harbor Post") -> Doc:
    return Doc("Fighting goes on inside Kessel, residents told us.", source, when).place("Kessel", "contested")


def test_control_contradiction_between_two_voices_within_the_window():
    [x] = list(contra.control(corpus_of(captured(day(2)), contested(day(4)))))
    assert x.kind == "control" and x.subject == "control of Kessel"
    assert [(e.value, e.voice, e.source) for e in x.a] == [("captured by Northern forces", "Coast Wire", "Coast Wire")]
    assert [(e.value, e.voice) for e in x.b] == [("contested", "Harbor Post")]
    assert x.a[0].text == "Northern forces captured Kessel after heavy fighting."
    assert x.a[0].fact_id is not None
    assert x.latest == day(4)


def test_control_change_beyond_the_window_is_not_a_contradiction():
    corpus = corpus_of(contested(day(2)), captured(day(6)))
    assert list(contra.control(corpus)) == []
    assert list(contra.control(corpus, window_days=5)) != []


def test_control_reports_of_one_voice_do_not_contradict_each_other():
    corpus = corpus_of(captured(day(2), "Harbor Post"), contested(day(3), "Harbor Post"))
    assert list(contra.control(corpus)) == []


def test_control_sides_hold_only_the_reports_close_to_the_other_side():
    corpus = corpus_of(captured(day(1)), contested(day(8)), captured(day(9), "Valley Times"))
    [x] = list(contra.control(corpus))
    assert [e.published for e in x.a] == [day(9)]  # the capture of the 1st is a week away from any rival
    assert [e.published for e in x.b] == [day(8)]


# -- numbers --------------------------------------------------------------------------------------


def cap(figure: str, value: float, source: str, when, extra: str = "") -> Doc:
    text = f"The draft caps the Marovian army at {figure} troops under the Tessel agreement.{extra}"
    return Doc(text, source, when).quantity(f"{figure} troops", value, "troops")


def test_number_contradiction_inside_a_claim_group():
    corpus = corpus_of(cap("600,000", 600000, "Harbor Post", day(2)), cap("800,000", 800000, "Coast Wire", day(3)))
    assert len(corpus.groups) == 2  # two statements for the linker (the figures disagree) ...
    [x] = list(contra.numbers(corpus))  # ... and one contradiction
    assert x.kind == "number" and x.subject.endswith("(troops)")
    values = {x.a[0].value, x.b[0].value}
    assert values == {"600,000 troops", "800,000 troops"}
    assert {e.source for e in x.a + x.b} == {"Harbor Post", "Coast Wire"}


def test_number_contradiction_between_provisions_of_one_topic():
    a = (
        Doc("Point 6: the Marovian army is capped at 600,000 troops.", "Harbor Post", day(2))
        .provision("the Marovian army is capped at 600,000 troops", "army_size", "12-point plan", 6)
        .quantity("600,000 troops", 600000, "troops")
    )
    b = (
        Doc("Under point six the ceiling on soldiers becomes 800,000 troops, diplomats said.", "Coast Wire", day(5))
        .provision("the ceiling on soldiers becomes 800,000 troops", "army_size", "12-point plan", 6)
        .quantity("800,000 troops", 800000, "troops")
    )
    found = [x for x in contra.numbers(corpus_of(a, b)) if x.subject.startswith("provision")]
    assert [x.subject for x in found] == ["provision: army_size (troops)"]
    assert {found[0].a[0].document_id, found[0].b[0].document_id} == {a.id, b.id}


def test_figures_within_one_percent_agree():
    corpus = corpus_of(cap("600,000", 600000, "Harbor Post", day(2)), cap("602,000", 602000, "Coast Wire", day(3)))
    assert list(contra.numbers(corpus)) == []


def test_figures_of_different_units_do_not_contradict():
    a = Doc("The Tessel convoy carried 400 tonnes of grain to Marovia.", "Harbor Post", day(2)).quantity(
        "400 tonnes", 400, "tonnes"
    )
    b = Doc("The Tessel convoy carried 40 trucks of grain to Marovia.", "Coast Wire", day(3)).quantity(
        "40 trucks", 40, "trucks"
    )
    assert list(contra.numbers(corpus_of(a, b))) == []


def test_one_document_giving_two_figures_is_not_a_contradiction():
    text = "Point 6: the Marovian army, now 900,000 troops, is capped at 600,000 troops."
    doc = (
        Doc(text, "Harbor Post", day(2))
        .provision(text[len("Point 6: ") :], "army_size", "12-point plan", 6)
        .quantity("900,000 troops", 900000, "troops")
        .quantity("600,000 troops", 600000, "troops")
    )
    assert list(contra.numbers(corpus_of(doc))) == []


# -- stances --------------------------------------------------------------------------------------


def stance(text: str, value: str, source: str, when) -> Doc:
    return Doc(text, source, when).stance(text.rstrip("."), "Marovia", "peace plan", value)


def test_stance_contradiction_within_the_window():
    corpus = corpus_of(
        stance("Marovia backs the peace plan.", "support", "Harbor Post", day(2)),
        stance("Marovia rejects the peace plan.", "oppose", "Coast Wire", day(3)),
    )
    [x] = list(contra.stances(corpus))
    assert x.kind == "stance" and x.subject == "Marovia on peace plan"
    assert [e.value for e in x.a] == ["support"] and [e.value for e in x.b] == ["oppose"]
    assert x.a[0].voice == "Marovia"  # a stance is voiced by its holder


def test_stance_change_beyond_the_window_is_not_a_contradiction():
    corpus = corpus_of(
        stance("Marovia backs the peace plan.", "support", "Harbor Post", day(2)),
        stance("Marovia rejects the peace plan.", "oppose", "Coast Wire", day(9)),
    )
    assert list(contra.stances(corpus)) == []


def test_stances_on_different_targets_do_not_contradict():
    a = Doc("Marovia backs the peace plan.", "Harbor Post", day(2)).stance(
        "Marovia backs the peace plan", "Marovia", "peace plan", "support"
    )
    b = Doc("Marovia rejects the sanctions.", "Coast Wire", day(2)).stance(
        "Marovia rejects the sanctions", "Marovia", "sanctions", "oppose"
    )
    assert list(contra.stances(corpus_of(a, b))) == []


# -- denials --------------------------------------------------------------------------------------

BRIDGE = "the Varnel rail bridge had been blown up by saboteurs"


def report(source: str, when) -> Doc:
    return Doc(f"Police said that {BRIDGE}.", source, when).said("police", BRIDGE)


def denial(speaker: str, source: str, when) -> Doc:
    return Doc(f"The railway company denied that {BRIDGE}.", source, when).said(speaker, BRIDGE, "denied")


def test_denial_contradiction_inside_a_claim_group():
    corpus = corpus_of(report("Harbor Post", day(2)), denial("railway company", "Coast Wire", day(3)))
    [x] = list(contra.denials(corpus))
    assert x.kind == "denial"
    assert [(e.voice, e.value) for e in x.a] == [("police", "claimed")]
    assert [(e.voice, e.value, e.certainty) for e in x.b] == [("railway company", "denied", "denied")]


def test_same_voice_denying_itself_is_not_a_contradiction():
    corpus = corpus_of(report("Harbor Post", day(2)), denial("police", "Coast Wire", day(3)))
    assert len(corpus.groups) == 1
    assert list(contra.denials(corpus)) == []


def test_a_denial_alone_is_not_a_contradiction():
    assert list(contra.denials(corpus_of(denial("railway company", "Coast Wire", day(3))))) == []


# -- find -----------------------------------------------------------------------------------------


def test_find_collects_every_kind_newest_first():
    corpus = corpus_of(
        captured(day(2)),
        contested(day(3)),
        cap("600,000", 600000, "Harbor Post", day(4)),
        cap("800,000", 800000, "Coast Wire", day(5)),
        stance("Marovia backs the peace plan.", "support", "Harbor Post", day(6)),
        stance("Marovia rejects the peace plan.", "oppose", "Coast Wire", day(7)),
        report("Harbor Post", day(8)),
        denial("railway company", "Coast Wire", day(9)),
    )
    found = contra.find(corpus)
    assert [x.kind for x in found] == ["denial", "stance", "number", "control"]
    assert [x.to_dict()["kind"] for x in found] == ["denial", "stance", "number", "control"]
    assert found[0].to_dict()["b"][0]["published"] == day(9).isoformat()


def test_find_puts_undated_contradictions_last_without_failing():
    undated = [
        Doc("Point 6: the army is capped at 600,000 troops.", "Harbor Post", None)
        .provision("the army is capped at 600,000 troops", "army_size")
        .quantity("600,000 troops", 600000, "troops"),
        Doc("Point six: the army may keep 800,000 troops.", "Coast Wire", None)
        .provision("the army may keep 800,000 troops", "army_size")
        .quantity("800,000 troops", 800000, "troops"),
    ]
    found = contra.find(corpus_of(*undated, captured(day(2)), contested(day(3))))
    assert found[0].kind == "control" and found[0].latest == day(3)
    # the provision topic (and, when the two sentences group, their claim group) disagree on the
    # figure; neither has a date
    assert found[1:] and {x.kind for x in found[1:]} == {"number"}
    assert any(x.subject == "provision: army_size (troops)" for x in found[1:])
    assert all(x.latest is None for x in found[1:])


def test_a_stance_on_one_provision_does_not_contradict_a_stance_on_the_whole_plan():
    corpus = corpus_of(
        stance("Marovia backs the peace plan.", "support", "Harbor Post", day(2)),
        stance("Marovia rejects the territorial point of the peace plan.", "oppose", "Coast Wire", day(3)),
    )
    assert list(contra.stances(corpus)) == []


def test_opposite_stances_on_one_provision_contradict_under_its_topic():
    corpus = corpus_of(
        stance("Marovia accepts the territorial point of the peace plan.", "support", "Harbor Post", day(2)),
        stance("Marovia rejects the territorial point of the peace plan.", "oppose", "Coast Wire", day(3)),
    )
    [x] = list(contra.stances(corpus))
    assert x.subject == "Marovia on peace plan (territory)"
