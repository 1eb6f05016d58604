"""analyse/plans.py: versions of one plan over time vs variants across sources, on hand-made corpora.

The plan family used here is the shipped catalogue's (``plans`` in extract/data/provisions.json): the
28-point plan, then the 19-point plan. Every text is invented for these tests.
"""

from __future__ import annotations

from sitroom.analyse import plans

from .story_kit import Doc, corpus_of, day


def cap(source: str, when: int, figure: str, value: float, plan: str = "19-point plan", unit: str = "troops") -> Doc:
    text = f"{source} reports that under the reworked text the Marovian army would be capped at {figure} {unit}."
    return (
        Doc(text, source, day(when))
        .provision(f"the Marovian army would be capped at {figure} {unit}", "army_size", plan)
        .quantity(f"{figure} {unit}", value, unit)
    )


def full(source: str, when: int, plan: str = "28-point plan") -> Doc:
    text = (
        f"The text, in brief, from {source}. (1) The Marovian army would be capped at 600,000 troops. "
        "(2) Marovia would stay out of every alliance. (3) Elections would follow within 100 days."
    )
    return (
        Doc(text, source, day(when))
        .provision("The Marovian army would be capped at 600,000 troops", "army_size", plan, 1)
        .quantity("600,000 troops", 600000, "troops")
        .provision("Marovia would stay out of every alliance", "nato_membership", plan, 2)
        .provision("Elections would follow within 100 days", "elections", plan, 3)
    )


def test_two_outlets_with_different_figures_on_about_the_same_day_are_a_variant_not_a_change():
    corpus = corpus_of(
        cap("Harbor Post", 10, "800,000", 800000),
        cap("Coast Wire", 11, "600,000", 600000),
        cap("Valley Times", 15, "600,000", 600000),  # days later, but a carrier of a reading already disputed
    )
    view = plans.plan(corpus, "19-point")
    [variant] = view.variants
    assert (variant.plan, variant.topic) == ("19-point plan", "army_size")
    assert [(r.label, r.sources) for r in variant.readings] == [
        ("600,000 troops", ["Coast Wire", "Valley Times"]),
        ("800,000 troops", ["Harbor Post"]),
    ]
    assert view.changes == []  # the disagreement is listed once, as a variant
    data = view.to_dict()
    assert data["variants"][0]["readings"][1]["carriers"][0]["source"] == "Harbor Post"
    assert [p["variant"] for p in data["provisions"]] == [True]


def test_a_different_figure_days_later_is_a_change_and_the_same_outlet_never_makes_a_variant():
    later = corpus_of(cap("Harbor Post", 2, "800,000", 800000), cap("Coast Wire", 4, "600,000", 600000))
    view = plans.plan(later, "19-point")
    assert view.variants == []
    assert [(c.kind, c.topic, c.version.source) for c in view.changes] == [("changed", "army_size", "Coast Wire")]
    same_outlet = corpus_of(cap("Harbor Post", 10, "800,000", 800000), cap("Harbor Post", 11, "600,000", 600000))
    assert plans.plan(same_outlet, "19-point").variants == []


def test_figures_conflict_only_on_a_unit_both_give():
    # "50%" in one account and "half" (a ratio) in the other, the same $100 billion: no conflict
    a = Doc("The fund would take $100 billion and keep 50% of the profits.", "Harbor Post", day(10))
    a.provision("The fund would take $100 billion and keep 50% of the profits", "frozen_assets", "28-point plan")
    a.quantity("$100 billion", 1e11, "USD").quantity("50%", 50, "%")
    b = Doc("The fund would take $100 billion, Washington half the profits.", "Coast Wire", day(10))
    b.provision("The fund would take $100 billion, Washington half the profits", "frozen_assets", "28-point plan")
    b.quantity("$100 billion", 1e11, "USD").quantity("half", 0.5, "ratio")
    view = plans.plan(corpus_of(a, b), "28-point")
    assert view.variants == [] and view.changes == []


def test_the_first_figure_of_a_unit_is_the_provisions_own():
    doc = Doc("The army would be capped at 800,000 troops, instead of the 600,000 troops in the US text.")
    doc.provision(doc.text.rstrip("."), "army_size", "European counter-proposal")
    doc.quantity("800,000 troops", 800000, "troops").quantity("600,000 troops", 600000, "troops")
    corpus = corpus_of(doc)
    [ref] = corpus.facts["provisions"]
    assert plans.figures(ref, corpus) == {"troops": (800000, "800,000 troops")}


def test_versions_of_one_family_are_one_plan_with_changes_between_versions():
    revised = Doc("Officials said the cap on the Marovian army had been raised.", "Coast Wire", day(16))
    revised.provision("the cap on the Marovian army had been raised", "army_size", "19-point plan")
    corpus = corpus_of(full("Harbor Post", 9), revised, cap("Valley Times", 17, "800,000", 800000))
    assert plans.plan_names(corpus) == ["US peace plan"]
    view = plans.plan(corpus, "28-point")
    assert view.name == "US peace plan"
    assert view.lineage == ["28-point plan", "19-point plan"]
    assert [(v.plan, v.source) for v in view.versions] == [
        ("28-point plan", "Harbor Post"),
        ("19-point plan", "Coast Wire"),
        ("19-point plan", "Valley Times"),
    ]
    # the revision is a change between versions; the later figure is no variant (no other reading)
    [change] = view.changes
    assert (change.kind, change.topic, change.since, change.version.plan) == (
        "changed",
        "army_size",
        "28-point plan",
        "19-point plan",
    )
    assert change.to_dict()["from_plan"] == "28-point plan"
    assert {p["topic"]: p["plan"] for p in view.to_dict()["provisions"]} == {
        "army_size": "19-point plan",
        "nato_membership": "28-point plan",
        "elections": "28-point plan",
    }
    assert plans.plan(corpus, "19-point").name == "US peace plan"  # any version finds the whole plan


def test_another_outlets_shorter_list_within_days_is_a_selection_not_a_drop():
    short = Doc("Two points of the text: (1) the army cap. (3) elections within 100 days.", "Coast Wire", day(10))
    short.provision("the army cap", "army_size", "28-point plan", 1)
    short.provision("elections within 100 days", "elections", "28-point plan", 3)
    assert plans.plan(corpus_of(full("Harbor Post", 9), short), "28-point").changes == []
    short_later = Doc(short.text, "Coast Wire", day(20))
    short_later.provision("the army cap", "army_size", "28-point plan", 1)
    short_later.provision("elections within 100 days", "elections", "28-point plan", 3)
    changes = plans.plan(corpus_of(full("Harbor Post", 9), short_later), "28-point").changes
    assert [(c.kind, c.topic) for c in changes] == [("dropped", "nato_membership")]


def stance(text: str, actor: str, target: str, value: str, when: int, source: str = "Harbor Post") -> Doc:
    return Doc(text, source, day(when)).stance(text.rstrip("."), actor, target, value)


def test_the_stance_matrix_at_a_date_covers_every_version_of_the_plan():
    corpus = corpus_of(
        full("Harbor Post", 9),
        cap("Coast Wire", 16, "800,000", 800000),
        stance("Dravik welcomed the 28-point plan.", "Dravik", "28-point plan", "support", 9),
        stance("Dravik rejected the 19-point plan.", "Dravik", "19-point plan", "oppose", 17),
        stance("Marovia turned down the 28-point plan.", "Marovia", "28-point plan", "oppose", 10),
        stance("Marovia came round to the 28-point plan.", "Marovia", "28-point plan", "support", 20),
        stance("Dravik backs the grain deal.", "Dravik", "grain deal", "support", 9),
    )
    cells = {(c.actor, c.target): (c.stance, c.since) for c in plans.plan(corpus, "28-point").matrix}
    assert cells == {
        ("Dravik", "28-point plan"): ("support", day(9)),
        ("Dravik", "19-point plan"): ("oppose", day(17)),
        ("Marovia", "28-point plan"): ("support", day(20)),
    }
    earlier = plans.plan(corpus, "28-point", at=day(12))
    assert {(c.actor, c.target): c.stance for c in earlier.matrix} == {
        ("Dravik", "28-point plan"): "support",
        ("Marovia", "28-point plan"): "oppose",
    }
    assert earlier.lineage == ["28-point plan"]  # the 19-point plan was not reported yet
    [change] = plans.plan(corpus, "28-point").stance_changes
    assert (change.actor, change.before, change.after) == ("Marovia", "oppose", "support")


def test_a_stance_on_one_provision_is_filed_under_its_topic_not_under_the_plan():
    corpus = corpus_of(
        full("Harbor Post", 9),
        stance("Dravik welcomed the 28-point plan.", "Dravik", "28-point plan", "support", 9),
        stance(
            "Dravik rejects the territorial provisions of the 28-point plan.", "Dravik", "28-point plan", "oppose", 10
        ),
        stance(
            "Marovia dislikes the points on the army in the 28-point plan.", "Marovia", "28-point plan", "oppose", 10
        ),
    )
    view = plans.plan(corpus, "28-point")
    assert {(c.actor, c.topic, c.stance) for c in view.matrix} == {
        ("Dravik", None, "support"),
        ("Dravik", "territory", "oppose"),
        ("Marovia", "army_size", "oppose"),
    }
    assert {c["provision"] for c in view.to_dict()["stances"]} == {None, "territory", "army_size"}
    # one actor supporting the plan and opposing one of its points is neither a contradiction nor a change
    assert view.stance_changes == []


def test_the_markdown_view_shows_the_lineage_the_plan_as_known_and_the_variants_apart_from_changes():
    from sitroom.present.story import plan_md

    corpus = corpus_of(
        full("Harbor Post", 9),
        cap("Coast Wire", 16, "800,000", 800000),
        cap("Valley Times", 17, "600,000", 600000),
    )
    text = plan_md(plans.plan(corpus, "28-point"))
    assert text.startswith("# US peace plan\n")
    assert "Versions as reported: 28-point plan → 19-point plan." in text
    assert "- **army_size** (19-point plan; Valley Times, 2026-03-17):" in text
    assert "(sources differ: see Variants)" in text
    assert "- army_size (19-point plan): 800,000 troops: Coast Wire; 600,000 troops: Valley Times" in text
    # the first 19-point figure changes the 28-point plan's; the second disputes it, and is no change
    assert "- changed: army_size (28-point plan → 19-point plan; Coast Wire, 2026-03-16)" in text
    assert "Valley Times, 2026-03-17): the Marovian" not in text.split("## What changed")[1]
