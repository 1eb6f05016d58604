"""analyse/plans.py, analyse/predictions.py and analyse/records.py on hand-made corpora."""

from __future__ import annotations

from datetime import date

import pytest

from sitroom.analyse import plans
from sitroom.analyse import predictions as pred
from sitroom.analyse.contradictions import find
from sitroom.analyse.records import records

from .story_kit import Doc, corpus_of, day

# -- plan versions --------------------------------------------------------------------------------

FIRST = (
    "The 12-point plan was published on Monday. "
    "(1) Marovia keeps the Tessel valley. "
    "(2) The Dravik army is capped at 600,000 troops. "
    "(3) Fighters on both sides receive an amnesty. "
    "(4) Elections are held within one hundred days."
)
SECOND = (
    "A revised 12-point plan circulated on Wednesday. "
    "(1) Marovia keeps the Tessel valley. "
    "(2) The Dravik army is capped at 800,000 troops. "
    "(4) Elections are held within one hundred days. "
    "(5) Sanctions on Dravik are lifted in stages."
)
PARTIAL = "Diplomats quoted one point of the 12-point plan: the Tessel valley is handed to a joint commission."


def first_version() -> Doc:
    return (
        Doc(FIRST, "Harbor Post", day(2))
        .provision("Marovia keeps the Tessel valley.", "territory", "12-point plan", 1)
        .provision("The Dravik army is capped at 600,000 troops.", "army_size", "12-point plan", 2)
        .quantity("600,000 troops", 600000, "troops")
        .provision("Fighters on both sides receive an amnesty.", "amnesty", "12-point plan", 3)
        .provision("Elections are held within one hundred days.", "elections", "12-point plan", 4)
    )


def second_version() -> Doc:
    return (
        Doc(SECOND, "Coast Wire", day(9))  # a week later: a new text, not another outlet's selection
        .provision("Marovia keeps the Tessel valley.", "territory", "12-point plan", 1)
        .provision("The Dravik army is capped at 800,000 troops.", "army_size", "12-point plan", 2)
        .quantity("800,000 troops", 800000, "troops")
        .provision("Elections are held within one hundred days.", "elections", "12-point plan", 4)
        .provision("Sanctions on Dravik are lifted in stages.", "sanctions", "12-point plan", 5)
    )


def partial_version(source: str = "Valley Times", when: int = 12) -> Doc:
    return Doc(PARTIAL, source, day(when)).provision("the Tessel valley is handed to a joint commission", "territory")


def test_versions_are_one_per_document_in_time_order_with_the_plan_name():
    corpus = corpus_of(second_version(), first_version())
    versions = plans.versions(corpus)
    assert [(v.plan, v.source, v.published) for v in versions] == [
        ("12-point plan", "Harbor Post", day(2)),
        ("12-point plan", "Coast Wire", day(9)),
    ]
    assert list(versions[0].provisions) == ["territory", "army_size", "amnesty", "elections"]
    assert [v.document_id for v in plans.versions(corpus, at=day(3))] == [versions[0].document_id]


def test_plan_diff_finds_added_changed_and_dropped_provisions():
    corpus = corpus_of(first_version(), second_version())
    old, new = plans.versions(corpus)
    changes = {(c.kind, c.topic) for c in plans.diff(old, new, corpus)}
    assert changes == {("changed", "army_size"), ("added", "sanctions"), ("dropped", "amnesty")}
    changed = next(c for c in plans.diff(old, new, corpus) if c.kind == "changed")
    assert changed.before == "The Dravik army is capped at 600,000 troops."
    assert changed.after == "The Dravik army is capped at 800,000 troops."
    assert changed.to_dict()["source"] == "Coast Wire"


def test_a_partial_account_changes_but_drops_nothing():  # and paraphrase across outlets is no change
    corpus = corpus_of(second_version(), partial_version())
    old, new = plans.versions(corpus)
    assert new.plan == "12-point plan"  # named by the "N-point" phrase in its sentence
    assert (
        plans.diff(old, new, corpus) == []
    )  # another outlet's wording is a paraphrase; a partial account drops nothing
    corpus = corpus_of(second_version(), partial_version("Coast Wire"))
    old, new = plans.versions(corpus)
    changes = plans.diff(old, new, corpus)
    assert [(c.kind, c.topic) for c in changes] == [("changed", "territory")]  # the same outlet rewords it


def test_a_full_account_with_half_the_provisions_still_drops():
    corpus = corpus_of(first_version(), second_version())
    old, _ = plans.versions(corpus)
    half = Doc(
        "The 12-point plan now reads: (1) Marovia keeps the Tessel valley. (4) Elections are held within one "
        "hundred days.",
        "Valley Times",
        day(7),
    )
    half.provision("Marovia keeps the Tessel valley.", "territory", "12-point plan", 1)
    half.provision("Elections are held within one hundred days.", "elections", "12-point plan", 4)
    corpus = corpus_of(first_version(), half)
    old, new = plans.versions(corpus)
    assert {(c.kind, c.topic) for c in plans.diff(old, new, corpus)} == {
        ("dropped", "army_size"),
        ("dropped", "amnesty"),
    }


def test_plan_name_prefers_the_extracted_name_then_the_n_point_phrase():
    corpus = corpus_of(first_version())
    refs = corpus.facts["provisions"]
    assert plans.plan_name(refs) == "12-point plan"
    unnamed = corpus_of(Doc("Sanctions on Dravik are lifted in stages.").provision("Sanctions on Dravik", "sanctions"))
    assert plans.plan_name(unnamed.facts["provisions"], "a 20-point framework") == "20-point plan"
    assert plans.plan_name(unnamed.facts["provisions"], "no number here") == plans.UNNAMED


def stance(text: str, value: str, when, target: str = "12-point plan", source: str = "Harbor Post") -> Doc:
    return Doc(text, source, when).stance(text.rstrip("."), "Dravik", target, value)


def test_stance_matrix_keeps_the_latest_stance_and_since_when():
    corpus = corpus_of(
        stance("Dravik welcomed the 12-point plan.", "support", day(2)),
        stance("Dravik rejected the 12-point plan.", "oppose", day(4)),
        stance("Dravik again rejected the 12-point plan.", "oppose", day(6), source="Coast Wire"),
        stance("Dravik backs the grain deal.", "support", day(5), target="grain deal"),
    )
    cells = {(c.actor, c.target): c for c in plans.stance_matrix(corpus)}
    plan_cell = cells[("Dravik", "12-point plan")]
    assert plan_cell.stance == "oppose" and plan_cell.since == day(4)
    assert [e["stance"] for e in plan_cell.evidence] == ["support", "oppose", "oppose"]
    assert cells[("Dravik", "grain deal")].stance == "support"
    earlier = plans.stance_matrix(corpus, at=day(3))
    assert [(c.target, c.stance, c.since) for c in earlier] == [("12-point plan", "support", day(2))]
    only_plan = plans.stance_matrix(corpus, targets={"12-point plan"})
    assert [c.target for c in only_plan] == ["12-point plan"]


def test_stance_matrix_with_an_undated_report_does_not_fail():
    corpus = corpus_of(
        stance("Dravik welcomed the 12-point plan.", "support", None),
        stance("Dravik rejected the 12-point plan.", "oppose", day(4)),
    )
    [cell] = plans.stance_matrix(corpus)
    assert cell.stance == "oppose" and cell.since == day(4)


def test_plan_view_gathers_versions_changes_and_stances():
    corpus = corpus_of(
        first_version(),
        second_version(),
        stance("Dravik rejected the 12-point plan.", "oppose", day(4)),
        stance("Dravik backs the grain deal.", "support", day(5), target="grain deal"),
    )
    assert plans.plan_names(corpus) == ["12-point plan"]
    view = plans.plan(corpus, "12-POINT")
    assert view.name == "12-point plan"
    assert view.current is not None and view.current.source == "Coast Wire"
    assert len(view.versions) == 2 and len(view.changes) == 3
    assert [(c.target, c.stance) for c in view.matrix] == [("12-point plan", "oppose")]
    data = view.to_dict()
    assert data["plan"] == "12-point plan" and len(data["versions"]) == 2
    missing = plans.plan(corpus, "30-point")
    assert missing.versions == [] and missing.current is None


# -- stated probability and deadlines -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("There is a 35% chance the talks collapse.", 0.35),
        ("I would put it at 70 per cent likely that the dam holds.", 0.7),
        ("It is 50/50 whether the ferry runs in May.", 0.5),
        ("Call it fifty-fifty.", 0.5),
        ("I give it one chance in four.", 0.25),
        ("Three in four analysts expect a deal, so three in four it is.", 0.75),
        ("Prices rose 5% in March.", None),
        ("The talks will resume in April.", None),
        ("A 150% chance is not a probability.", None),
    ],
)
def test_stated_probability(text, expected):
    assert pred.stated_probability(text) == expected


@pytest.mark.parametrize(
    ("deadline", "end"),
    [
        ("2026", date(2026, 12, 31)),
        ("2026-02", date(2026, 2, 28)),
        ("2028-02", date(2028, 2, 29)),
        ("2026-12", date(2026, 12, 31)),
        ("2026-03-15", date(2026, 3, 15)),
        (None, None),
        ("", None),
        ("soon", None),
        ("2026-13", None),
    ],
)
def test_deadline_end(deadline, end):
    assert pred.deadline_end(deadline) == end


# -- the ledger -----------------------------------------------------------------------------------


def forecasts() -> list[Doc]:
    return [
        Doc("General Orsk predicted that Kessel will fall by the end of March 2026.", "Harbor Post", day(2))
        .said("General Orsk", "Kessel will fall by the end of March 2026")
        .predicts("Kessel will fall by the end of March 2026", "General Orsk", "Kessel will fall", "2026-03"),
        Doc(
            "Analyst Vera Lind gives a 35% chance that the Tessel talks resume in 2027.", "Coast Wire", day(3)
        ).predicts("the Tessel talks resume in 2027", "Vera Lind", "the Tessel talks resume", "2027"),
        Doc("Lind thinks the ferry may perhaps restart by 10 March 2026.", "Valley Times", day(4))
        .hedge("may perhaps", "hedged")
        .predicts("the ferry may perhaps restart by 10 March 2026", "Vera Lind", "the ferry restarts", "2026-03-10"),
        Doc("Someone said the border will reopen one day.", "Valley Times", day(4)).predicts(
            "the border will reopen one day", None, "the border reopens", None
        ),
    ]


def ids_of(entries):
    return {e.what: e.id for e in entries}


def test_ledger_probability_status_and_order():
    corpus = corpus_of(*forecasts())
    entries = pred.ledger(corpus, today=date(2026, 3, 20), suggest=False)
    assert [e.what for e in entries] == [
        "the ferry restarts",
        "Kessel will fall",
        "the Tessel talks resume",
        "the border reopens",
    ]  # soonest deadline first, no deadline last
    by_what = {e.what: e for e in entries}
    assert by_what["the ferry restarts"].status == "due"
    assert by_what["Kessel will fall"].status == "open"  # March is not over on the 20th
    assert by_what["the Tessel talks resume"].status == "open"
    assert by_what["the border reopens"].status == "open"
    talks = by_what["the Tessel talks resume"]
    assert talks.probability == 0.35 and talks.probability_from == "stated"
    ferry = by_what["the ferry restarts"]
    assert ferry.certainty == "hedged" and ferry.probability == 0.6 and ferry.probability_from == "certainty"
    kessel = by_what["Kessel will fall"]
    assert kessel.certainty == "asserted" and kessel.probability == 0.85
    assert kessel.source == "Harbor Post" and kessel.made == day(2)
    assert all(e.id is not None for e in entries)
    later = pred.ledger(corpus, today=date(2026, 4, 1), suggest=False)
    assert {e.what: e.status for e in later}["Kessel will fall"] == "due"


def test_ledger_resolutions_mark_entries_resolved():
    corpus = corpus_of(*forecasts())
    ids = ids_of(pred.ledger(corpus, suggest=False))
    resolutions = {ids["the ferry restarts"]: {"outcome": "false", "note": "still docked"}}
    entries = pred.ledger(corpus, resolutions, today=date(2026, 3, 20), suggest=False)
    ferry = next(e for e in entries if e.what == "the ferry restarts")
    assert (ferry.status, ferry.outcome, ferry.note) == ("resolved", "false", "still docked")
    assert ferry.to_dict()["status"] == "resolved"


def test_ledger_filters_by_due_date_and_by_name():
    corpus = corpus_of(*forecasts())
    due = pred.ledger(corpus, today=date(2026, 3, 1), due_before=date(2026, 3, 31), suggest=False)
    assert [e.what for e in due] == ["the ferry restarts", "Kessel will fall"]
    lind = pred.ledger(corpus, by="LIND", suggest=False)
    assert {e.what for e in lind} == {"the Tessel talks resume", "the ferry restarts"}
    assert pred.ledger(corpus, by="nobody", suggest=False) == []


def test_ledger_suggests_later_reports_as_evidence():
    later = [
        Doc("Engineers said the ferry will restart service on 10 March after repairs.", "Coast Wire", day(5)),
        Doc("The port authority denied that the ferry will restart on 10 March.", "Harbor Post", day(6)).said(
            "port authority", "the ferry will restart on 10 March", "denied"
        ),
        Doc("Engineers rebuilt the Ostrava grain pier in nine days.", "Coast Wire", day(8)),
    ]
    corpus = corpus_of(*forecasts(), *later)
    entries = pred.ledger(corpus, today=date(2026, 3, 20))
    ferry = next(e for e in entries if e.what == "the ferry restarts")
    assert {(s.outcome, s.source) for s in ferry.suggestions} == {("true", "Coast Wire"), ("false", "Harbor Post")}
    assert all(s.similarity >= pred.SUGGEST_THRESHOLD for s in ferry.suggestions)
    sims = [s.similarity for s in ferry.suggestions]
    assert sims == sorted(sims, reverse=True)
    assert ferry.to_dict()["suggestions"][0]["outcome"] in ("true", "false")
    # a resolved prediction gets no suggestions; nothing earlier than the prediction is offered
    resolved = pred.ledger(corpus, {ferry.id: {"outcome": "true", "note": None}}, today=date(2026, 3, 20))
    assert next(e for e in resolved if e.what == "the ferry restarts").suggestions == []
    early = Doc("Engineers said the ferry will restart service on 10 March after repairs.", "Coast Wire", day(1))
    corpus = corpus_of(*forecasts(), early)
    ferry = next(e for e in pred.ledger(corpus, today=date(2026, 3, 20)) if e.what == "the ferry restarts")
    assert ferry.suggestions == []
    assert all(e.suggestions == [] for e in pred.ledger(corpus, suggest=False))


def test_no_suggestions_on_a_corpus_too_large_to_probe(monkeypatch: pytest.MonkeyPatch):
    later = Doc("Engineers said the ferry will restart service on 10 March after repairs.", "Coast Wire", day(5))
    corpus = corpus_of(*forecasts(), later)
    assert pred.suggestions_skipped(corpus) is None
    monkeypatch.setattr(pred, "SUGGEST_MAX_CLAIMS", len(corpus.claims) - 1)
    assert "no suggested resolutions" in (pred.suggestions_skipped(corpus) or "")
    assert all(e.suggestions == [] for e in pred.ledger(corpus, today=date(2026, 3, 20)))


def entry(probability: float, outcome: str | None) -> pred.LedgerEntry:
    return pred.LedgerEntry(
        id=1,
        by="x",
        what="y",
        deadline=None,
        conditional=False,
        made=None,
        document_id="d",
        source=None,
        certainty="asserted",
        probability=probability,
        probability_from="stated",
        evidence="",
        status="resolved" if outcome else "open",
        outcome=outcome,
    )


def test_brier_score():
    assert pred.brier([]) is None
    assert pred.brier([entry(0.8, None), entry(0.3, "void")]) is None
    assert pred.brier([entry(0.8, "true")]) == pytest.approx(0.04)
    assert pred.brier([entry(0.8, "true"), entry(0.3, "false")]) == pytest.approx((0.04 + 0.09) / 2)
    assert pred.brier([entry(0.8, "true"), entry(0.5, "void"), entry(1.0, "false")]) == pytest.approx((0.04 + 1.0) / 2)


# -- source records -------------------------------------------------------------------------------


def test_records_count_claims_corroboration_first_reports_and_predictions():
    docs = [
        Doc("Engineers reopened the Varnel rail bridge to freight traffic after repairs.", "Harbor Post", day(1)),
        Doc("The Varnel rail bridge reopened to freight traffic, engineers said.", "Coast Wire", day(2)),
        Doc("A fire destroyed the Ostrava grain warehouse overnight.", "Coast Wire", day(3)),
        *forecasts()[:2],
    ]
    corpus = corpus_of(*docs)
    ids = ids_of(pred.ledger(corpus, suggest=False))
    ledger = pred.ledger(corpus, {ids["Kessel will fall"]: {"outcome": "true", "note": None}}, suggest=False)
    items = records(corpus, [], ledger)
    assert [r.kind for r in items] == ["source"] * 2 + ["speaker"] * 2  # outlets first, then speakers
    out = {(r.kind, r.name): r for r in items}
    harbor, coast = out[("source", "Harbor Post")], out[("source", "Coast Wire")]
    # Harbor Post: the bridge (first, corroborated) and the Kessel forecast (alone)
    assert (harbor.claims, harbor.corroborated, harbor.first_reports) == (2, 1, 1)
    # Coast Wire: the bridge (second), the fire and the talks odds (alone)
    assert (coast.claims, coast.corroborated, coast.first_reports) == (3, 1, 0)
    assert coast.corroboration_rate == pytest.approx(1 / 3)
    assert harbor.predictions == 1 and harbor.resolved == 1 and harbor.right == 1
    assert harbor.brier == pytest.approx((0.85 - 1) ** 2)
    assert harbor.to_dict()["brier"] == round((0.85 - 1) ** 2, 3)
    assert coast.predictions == 1 and coast.resolved == 0 and coast.brier is None
    orsk = out[("speaker", "General Orsk")]
    assert (orsk.claims, orsk.predictions, orsk.right) == (1, 1, 1)
    lind = out[("speaker", "Vera Lind")]
    assert (lind.claims, lind.predictions, lind.resolved) == (0, 1, 0)
    assert lind.corroboration_rate is None and lind.to_dict()["corroboration_rate"] is None


def test_records_count_each_contradiction_once_per_source_and_speaker():
    docs = [
        Doc("Northern forces captured Kessel, the ministry said.", "Coast Wire", day(4))
        .said("ministry", "Northern forces captured Kessel")
        .place("Kessel", "captured"),
        Doc("Residents say street battles continue in Kessel.", "Harbor Post", day(5)).place("Kessel", "contested"),
        Doc("Street battles continue in Kessel, residents say again.", "Harbor Post", day(5, hour=15)).place(
            "Kessel", "contested"
        ),
    ]
    corpus = corpus_of(*docs)
    found = find(corpus)
    assert [x.kind for x in found] == ["control"]
    out = {(r.kind, r.name): r for r in records(corpus, found, [])}
    assert out[("source", "Harbor Post")].contradictions == 1  # two reports, one contradiction
    assert out[("source", "Coast Wire")].contradictions == 1
    assert out[("speaker", "ministry")].contradictions == 1
    # a document's own voice is its source, not a second (speaker) record
    assert ("speaker", "Harbor Post") not in out


def test_a_stance_that_changes_after_the_window_is_a_change_and_one_within_it_is_not():
    from sitroom.analyse.plans import stance_changes

    def said(stance: str, when, source: str) -> Doc:
        verb = {"support": "backs", "oppose": "rejects"}[stance]
        text = f"Dravik {verb} the 12-point plan."
        return Doc(text, source, when).stance(text[:-1], "Dravik", "12-point plan", stance)

    corpus = corpus_of(
        said("support", day(1), "Harbor Post"),
        said("oppose", day(2), "Coast Wire"),  # within 3 days of the support: a contradiction, not a change
        said("support", day(3), "Harbor Post"),
        said("oppose", day(10), "Valley Times"),  # a week after support was last reported: a change
    )
    [change] = stance_changes(corpus)
    assert (change.actor, change.before, change.after, change.when) == ("Dravik", "support", "oppose", day(10))
    assert change.source == "Valley Times"
    assert stance_changes(corpus, at=day(9)) == []


def test_history_compares_each_account_with_the_plan_as_known_so_far():
    corpus = corpus_of(first_version(), partial_version(when=6), second_version())
    chosen = plans.versions(corpus)
    kinds = [(c.kind, c.topic, c.version.source) for c in plans.history(chosen, corpus)]
    # the partial account (Valley Times) neither adds nor drops; the revision then changes the army cap,
    # adds sanctions and drops the amnesty against the plan as known, not against the partial account
    assert kinds == [
        ("changed", "army_size", "Coast Wire"),
        ("added", "sanctions", "Coast Wire"),
        ("dropped", "amnesty", "Coast Wire"),
    ]
