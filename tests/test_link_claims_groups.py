"""link/claims.py, link/copies.py and link/groups.py: claims, syndicated copies and claim groups."""

from __future__ import annotations

from datetime import datetime

import pytest

from sitroom import model
from sitroom.link import Claim, ClaimFact, DocumentText, Linker, LinkOptions, claims_of, find_copies, link_claims
from sitroom.link.claims import MIN_WORDS

from .story_kit import Doc, corpus_of, day, ids_for

BORDER = (
    "The border agency said that fourteen cargo trucks crossed into Marovia at the Tessel checkpoint. "
    "Officials in Dravik denied that any convoy had passed. "
    "Heavy rain fell across the Tessel valley on Tuesday night, flooding several roads. It was cold."
)


def border_doc() -> Doc:
    return (
        Doc(BORDER, "Harbor Post", day(3))
        .said("border agency", "fourteen cargo trucks crossed into Marovia at the Tessel checkpoint")
        .said("officials in Dravik", "any convoy had passed", "denied")
    )


# -- claims_of ------------------------------------------------------------------------------------


def test_attribution_claims_keep_speaker_certainty_and_offsets():
    doc = border_doc()
    claims = claims_of(doc.extraction)
    by_speaker = {c.speaker: c for c in claims}
    trucks = by_speaker["border agency"]
    assert trucks.certainty == "asserted"
    assert BORDER[trucks.start : trucks.end] == "fourteen cargo trucks crossed into Marovia at the Tessel checkpoint"
    assert trucks.text == BORDER[trucks.start : trucks.end]
    assert trucks.id == f"{doc.id}:{trucks.start}"
    assert trucks.document_id == doc.id and trucks.source == "Harbor Post" and trucks.published == day(3)
    assert {"name:marovia", "name:tessel"} <= trucks.keys
    assert trucks.voice == "border agency"


def test_short_attribution_content_grows_to_its_sentence_and_keeps_the_denial():
    claims = claims_of(border_doc().extraction)
    denial = next(c for c in claims if c.speaker == "officials in Dravik")
    # "any convoy had passed" has fewer than MIN_WORDS content words: the claim is the whole sentence
    assert denial.text == "Officials in Dravik denied that any convoy had passed."
    assert denial.certainty == "denied"


def test_own_voice_sentence_is_a_claim_of_the_source():
    claims = claims_of(border_doc().extraction)
    own = [c for c in claims if c.speaker is None]
    assert [c.text for c in own] == [
        "Heavy rain fell across the Tessel valley on Tuesday night, flooding several roads."
    ]
    assert own[0].voice == "Harbor Post"
    assert own[0].certainty == "asserted"


def test_sentence_covered_by_an_attribution_is_not_a_second_claim():
    claims = claims_of(border_doc().extraction)
    assert len(claims) == 3
    starts = [c.start for c in claims]
    assert starts == sorted(starts)
    # the sentence around the agency's content ("The border agency said that ...") is not repeated
    assert not any(c.text.startswith("The border agency") for c in claims)


def test_sentence_with_too_few_content_words_is_not_a_claim():
    text = "Varnel fell. Engineers rebuilt the Ostrava ferry pier within nine days."
    claims = claims_of(Doc(text).extraction)
    assert [c.text for c in claims] == ["Engineers rebuilt the Ostrava ferry pier within nine days."]
    assert MIN_WORDS == 4
    # exactly MIN_WORDS content words with a name is enough, one fewer is not
    four = claims_of(Doc("The Kessel garrison withdrew eastward.").extraction)
    assert [c.words for c in four] == [("kessel", "garrison", "withdrew", "eastward")]
    assert claims_of(Doc("The Kessel garrison withdrew.").extraction) == []


def test_sentence_without_any_key_is_not_a_claim_until_a_fact_anchors_it():
    text = "Heavy rain flooded several roads across the lower valley overnight."
    assert claims_of(Doc(text).extraction) == []
    anchored = Doc(text).place("lower valley", status="mentioned", name="Lower Valley", feature="region")
    claims = claims_of(anchored.extraction, ids_for(anchored.extraction))
    assert len(claims) == 1
    assert "place:lower valley" in claims[0].keys
    assert [f.kind for f in claims[0].facts] == ["places"]
    assert claims[0].facts[0].id == 1


def test_figures_and_control_facts_become_keys():
    text = "Rebels captured Kessel and took 1,200 prisoners near the Orlen dam."
    doc = Doc(text).place("Kessel", status="captured", by="rebels").quantity("1,200 prisoners", 1200, "prisoners")
    keys = claims_of(doc.extraction)[0].keys
    assert {"place:kessel", "control:kessel", "num:1200prisoners", "num:1200", "name:orlen"} <= keys


def test_country_mentions_do_not_anchor_a_claim():
    text = "heavy rain flooded several roads across marovia overnight."
    doc = Doc(text).place("marovia", status="mentioned", name="Marovia", feature="country")
    assert claims_of(doc.extraction) == []


def test_hedged_own_voice_sentence_takes_the_strongest_hedge():
    text = "Reportedly the Orlen dam was breached, though this is disputed by engineers at Kessel."
    doc = Doc(text).hedge("Reportedly", "rumoured").hedge("disputed", "denied")
    assert [c.certainty for c in claims_of(doc.extraction)] == ["denied"]
    only_rumour = Doc(text).hedge("Reportedly", "rumoured")
    assert [c.certainty for c in claims_of(only_rumour.extraction)] == ["rumoured"]


# -- find_copies ----------------------------------------------------------------------------------

STORY = (
    "Engineers working through the night reopened the Varnel rail bridge to freight traffic on Thursday, "
    "ending a closure that had lasted almost three weeks. The first train to cross carried grain and "
    "fertiliser bound for the Ostrava port, where dock workers had been idle since the river flooded. "
    "Local officials said that passenger services would follow once the signalling system had been "
    "tested, probably before the end of the month. Farmers in the valley welcomed the news, saying that "
    "the delay had cost them buyers abroad."
)


def test_syndicated_near_copy_is_found_and_its_origin_is_the_earliest_published():
    origin = DocumentText("orig", STORY, day(5), order=1)
    reprint = DocumentText(
        "copy", "Syndicate Daily — " + STORY.replace("on Thursday", "on Thursday morning") + " (Wire)", day(6), order=0
    )
    unrelated = DocumentText(
        "other",
        "The city council voted to rename the main square after a local poet, and the museum board agreed "
        "to lend three paintings to a gallery abroad for the summer season.",
        day(4),
        order=2,
    )
    assert find_copies([reprint, origin, unrelated]) == {"copy": "orig"}


def test_copies_without_dates_follow_the_dated_one_and_ties_go_to_ingest_order():
    a = DocumentText("a", STORY, None, order=0)
    b = DocumentText("b", STORY + " Updated.", day(9), order=1)
    assert find_copies([a, b]) == {"a": "b"}
    c = DocumentText("c", STORY, day(9), order=2)
    d = DocumentText("d", STORY + " Updated.", day(9), order=1)
    assert find_copies([c, d]) == {"c": "d"}


def test_documents_on_the_same_topic_but_written_apart_are_not_copies():
    rewrite = (
        "Freight is moving over the Varnel bridge again. After nearly three weeks shut, the line opened on "
        "Thursday night and a grain train left for Ostrava. Passenger trains should resume this month, "
        "officials said."
    )
    assert find_copies([DocumentText("a", STORY, day(5), 0), DocumentText("b", rewrite, day(5), 1)]) == {}


def test_copy_threshold_is_respected():
    half = STORY[: len(STORY) // 2]
    docs = [DocumentText("a", STORY, day(5), 0), DocumentText("b", half, day(6), 1)]
    assert find_copies(docs) == {}  # half the story shares under 60% of the 5-grams (about 48%)
    most = STORY[: len(STORY) * 3 // 4]  # about 72%
    docs = [DocumentText("a", STORY, day(5), 0), DocumentText("b", most, day(6), 1)]
    assert find_copies(docs) == {"b": "a"}
    assert find_copies(docs, threshold=0.8) == {}


# -- link_claims ----------------------------------------------------------------------------------


def bridge_docs() -> list[Doc]:
    return [
        Doc(
            "Engineers reopened the Varnel rail bridge to freight traffic after repairs. "
            "Grain exports from Ostrava port fell sharply in the spring quarter.",
            "Harbor Post",
            day(2),
        ),
        Doc("Freight traffic is moving again over the Varnel rail bridge, engineers said.", "Coast Wire", day(3)),
        Doc("The Varnel rail bridge reopened to freight traffic, according to engineers.", "Valley Times", day(1)),
    ]


def test_same_claim_in_three_documents_is_one_group_in_time_order():
    docs = bridge_docs()
    corpus = corpus_of(*docs)
    groups = corpus.groups
    bridge = [g for g in groups if "Varnel" in g.text]
    assert len(bridge) == 1
    group = bridge[0]
    assert [c.source for c in group.claims] == ["Valley Times", "Harbor Post", "Coast Wire"]
    assert group.first.source == "Valley Times" and group.latest.source == "Coast Wire"
    assert group.text == group.first.text
    assert group.documents() == [docs[2].id, docs[0].id, docs[1].id]
    assert corpus.independent_sources(group) == ["Valley Times", "Harbor Post", "Coast Wire"]
    grain = [g for g in groups if "Grain" in g.text]
    assert len(grain) == 1 and len(grain[0].claims) == 1
    assert len(groups) == 2
    # groups come back in the order of their first report
    assert groups[0] is group


def test_independent_sources_fold_copies_and_repeats_of_one_outlet():
    other = bridge_docs()[1]
    original = Doc(STORY, "Harbor Post", day(2))
    reprint = Doc("From our partners. " + STORY, "Syndicate Daily", day(2, hour=18))
    repeat = Doc("Engineers have reopened the Varnel rail bridge to freight traffic.", "Harbor Post", day(4))
    corpus = corpus_of(original, reprint, repeat, other)
    assert corpus.copies == {reprint.id: original.id}
    group = next(g for g in corpus.groups if other.id in g.documents())
    assert len(group.claims) == 4
    assert group.first.document_id == original.id
    assert group.sources() == ["Harbor Post", "Syndicate Daily", "Coast Wire"]
    assert corpus.independent_sources(group) == ["Harbor Post", "Coast Wire"]
    copy_claim = next(c for c in group.claims if c.document_id == reprint.id)
    assert copy_claim.origin == original.id
    assert corpus.origin_source(reprint.id) == "Harbor Post"


def test_denials_join_the_group_but_do_not_count_as_support():
    denial = Doc(
        "Officials denied that the Varnel rail bridge had reopened to freight traffic.", "Dravik Radio", day(4)
    ).said("Dravik officials", "the Varnel rail bridge had reopened to freight traffic", "denied")
    corpus = corpus_of(*bridge_docs(), denial)
    group = next(g for g in corpus.groups if "Varnel" in g.text)
    assert len(group.claims) == 4
    assert [c.voice for c in group.denials()] == ["Dravik officials"]
    assert "Dravik Radio" in group.sources()
    assert "Dravik Radio" not in corpus.independent_sources(group)
    assert group.strongest_certainty() == "asserted"


def test_strongest_certainty_ranks_hedged_above_rumoured_and_denied():
    text = "The Varnel rail bridge reopened to freight traffic, officials said."
    docs = [
        Doc(text, "Harbor Post", day(1)).said(
            "officials", "The Varnel rail bridge reopened to freight traffic", "denied"
        ),
        Doc(text + " ", "Coast Wire", day(2)).said(
            "officials", "The Varnel rail bridge reopened to freight traffic", "rumoured"
        ),
    ]
    group = corpus_of(*docs).groups[0]
    assert group.strongest_certainty() == "rumoured"
    docs.append(
        Doc(text + "  ", "Valley Times", day(3)).said(
            "officials", "The Varnel rail bridge reopened to freight traffic", "hedged"
        )
    )
    group = corpus_of(*docs).groups[0]
    assert len(group.claims) == 3
    assert group.strongest_certainty() == "hedged"


def test_unrelated_claims_that_share_a_place_stay_apart():
    docs = [
        Doc("Engineers reopened the Varnel rail bridge to freight traffic after repairs.", "Harbor Post", day(1)),
        Doc("A fire destroyed the Varnel grain warehouse and two nearby homes overnight.", "Coast Wire", day(2)),
    ]
    groups = corpus_of(*docs).groups
    assert len(groups) == 2


# -- Linker: candidates through the inverted index ------------------------------------------------


def claim(cid: str, words: tuple[str, ...], keys: frozenset[str] = frozenset(), when: datetime | None = None) -> Claim:
    return Claim(
        id=cid,
        document_id=cid,
        start=0,
        end=1,
        text=" ".join(words),
        speaker=None,
        source=cid,
        published=when,
        certainty="asserted",
        words=words,
        keys=keys,
    )


class CountingLinker(Linker):
    calls: list[tuple[str, str]]

    def similarity(self, a: Claim, b: Claim) -> float:
        self.calls.append((a.id, b.id))
        return super().similarity(a, b)


def test_claim_without_a_shared_feature_is_never_compared():
    claims = [
        claim("a", ("bridge", "varnel", "reopen", "freight")),
        claim("b", ("grain", "export", "ostrava", "port")),
        claim("c", ("fire", "warehouse", "destroy", "home")),
        claim("d", ("bridge", "varnel", "reopen", "train")),
    ]
    linker = CountingLinker(claims)
    linker.calls = []
    for c in claims[:3]:
        linker.add(c)
    assert linker.calls == []  # nothing in common: no candidate, no comparison
    assert linker._candidates(claims[3]) == [0]
    group = linker.add(claims[3])
    assert linker.calls == [("d", "a")]
    assert [c.id for c in group.claims] == ["a", "d"]
    assert len(linker.groups) == 3


def test_features_carried_by_too_many_claims_do_not_retrieve_candidates():
    common = [claim(f"n{i}", ("ceasefire", f"topic{i}", f"place{i}", f"thing{i}")) for i in range(10)]
    options = LinkOptions(max_share=0.1, min_postings=1)  # a feature may retrieve at most one group
    linker = CountingLinker(common, options)
    linker.calls = []
    for c in common:
        linker.add(c)
    assert linker.calls == []
    assert len(linker.groups) == 10


def test_candidates_are_capped_and_members_compared_are_the_most_recent():
    same = [claim(f"s{i}", ("bridge", "varnel", "reopen", "freight")) for i in range(12)]
    options = LinkOptions(compare_members=3)
    linker = CountingLinker(same, options)
    linker.calls = []
    for c in same:
        linker.add(c)
    assert len(linker.groups) == 1
    # each new claim is compared with at most three members of the group
    assert len(linker.calls) == sum(min(i, 3) for i in range(12))
    assert linker.calls[-3:] == [("s11", "s8"), ("s11", "s9"), ("s11", "s10")]


def test_link_claims_orders_by_time_then_document_and_undated_last():
    later = claim("x", ("bridge", "varnel", "reopen", "freight"), when=day(5))
    undated = claim("y", ("bridge", "varnel", "reopen", "freight"))
    earlier = claim("z", ("bridge", "varnel", "reopen", "freight"), when=day(1))
    groups = link_claims([later, undated, earlier])
    assert len(groups) == 1
    assert [c.id for c in groups[0].claims] == ["z", "x", "y"]
    assert groups[0].id == "z"


def text_claim(
    cid: str, text: str, *, certainty: str = "asserted", published: datetime | None = None, facts: tuple = ()
) -> Claim:
    from sitroom.link.claims import text_claim as make

    return make(cid, text, source=cid, certainty=certainty, published=published, facts=facts)


def test_claims_giving_one_place_conflicting_statuses_never_join():
    from sitroom.link.groups import Linker, LinkOptions

    def claim(cid: str, text: str, status: str, certainty: str = "asserted") -> Claim:
        place = model.Place(
            0,
            8,
            name="Kessel",
            mention="Kessel",
            lat=None,
            lon=None,
            country=None,
            admin1=None,
            status=status,
            by="Russia",
        )
        return text_claim(cid, text, certainty=certainty, facts=(ClaimFact("places", None, place),))

    a = claim("a", "Russian troops captured Kessel after weeks of fighting", "captured")
    b = claim("b", "Russian troops captured Kessel after weeks of heavy fighting", "captured")
    c = claim("c", "Russian troops have not captured Kessel after weeks of fighting", "contested")
    linker = Linker([a, b, c], LinkOptions(threshold=0.2))
    assert linker._compatible(linker._profile(a), b) == linker.options.agreement_bonus > 1  # one place, one status
    assert linker._compatible(linker._profile(a), c) == 0.0
    assert linker.add(a) is linker.add(b)
    assert linker.add(c) is not linker.groups[0]


def test_different_figures_weaken_a_match():
    from sitroom.link.groups import Linker, LinkOptions

    claim = text_claim
    same = [
        claim("a", "Overnight drone strikes on Harbin Port killed 12 people"),
        claim("b", "Overnight drone strikes on Harbin Port killed 12 civilians"),
    ]
    other = claim("c", "Overnight drone strikes on Lorsk killed 31 people")
    linker = Linker([*same, other], LinkOptions(threshold=0.2))
    assert linker._compatible(linker._profile(same[0]), same[1]) == 1.0
    # 12 vs 31: no figure agrees
    assert linker._compatible(linker._profile(same[0]), other) == linker.options.mismatch_penalty < 1


def test_a_story_told_again_weeks_later_starts_a_new_group():
    from datetime import UTC, timedelta

    first = datetime(2025, 11, 1, tzinfo=UTC)
    text = "Engineers reopened the Varnel rail bridge to freight traffic after repairs"

    def claim(cid: str, when: datetime) -> Claim:
        return text_claim(cid, text, published=when)

    days = (0, 3, 20, 50)  # 20 days after the 3rd is within the gap; 50 is 30 days after the last report
    groups = link_claims([claim(f"c{d}", first + timedelta(days=d)) for d in days], LinkOptions(max_gap_days=21))
    assert [len(g.claims) for g in groups] == [3, 1]
    assert (
        len(link_claims([claim(f"c{d}", first + timedelta(days=d)) for d in days], LinkOptions(max_gap_days=None))) == 1
    )


def test_a_closed_group_takes_no_candidate_place():
    from datetime import UTC, timedelta

    first = datetime(2025, 11, 1, tzinfo=UTC)
    old = claim("old", ("bridge", "varnel", "reopen", "freight"), when=first)  # shares three words with "new"
    recent = claim("recent", ("bridge", "varnel", "closed", "repairs"), when=first + timedelta(days=25))
    new = claim("new", ("bridge", "varnel", "reopen", "repairs"), when=first + timedelta(days=30))
    linker = Linker([old, recent, new], LinkOptions(max_candidates=1, threshold=0.1, min_postings=3))
    linker.add(old)
    linker.add(recent)
    assert len(linker.groups) == 2  # nothing joined: "old" was reported 25 days before "recent"
    # the one candidate place goes to the group still open, not to the closed one sharing more words
    assert linker._candidates(new) == [1]
    assert linker._candidates(new, windowed=False) == [0]
    # a probe (a prediction, a query) is not linked: it is offered the groups of any time
    probe = claim("probe", new.words, when=new.published)
    assert [c.id for c, _ in linker.neighbours(probe)] == ["old"]
    assert [c.id for c in linker.add(new).claims] == ["recent", "new"]


def test_a_group_joined_through_a_feature_again_stays_a_candidate_through_it():
    from datetime import UTC, timedelta

    first = datetime(2025, 11, 1, tzinfo=UTC)
    words = ("bridge", "varnel", "reopen", "freight")
    days = (0, 15, 30)  # 30 is 30 days after the first report, 15 after the last: the group is open
    claims = [claim(f"c{d}", words, when=first + timedelta(days=d)) for d in days]
    groups = link_claims(claims, LinkOptions(max_gap_days=21, min_postings=3))
    assert [[c.id for c in g.claims] for g in groups] == [["c0", "c15", "c30"]]


def test_a_group_is_named_by_its_first_report_that_asserts_it():
    from sitroom.link import ClaimGroup

    def claim(cid: str, text: str, certainty: str) -> Claim:
        return text_claim(cid, text, certainty=certainty)

    group = ClaimGroup(
        "g", [claim("a", "a new text was handed over", "denied"), claim("b", "A new text arrived", "asserted")]
    )
    assert group.text == "A new text arrived"
    assert ClaimGroup("h", [claim("a", "only denied", "denied")]).text == "only denied"


# -- Backdrop names: a name in many documents cannot carry a link on its own ----------------------

BACKDROP_GENERIC = (
    "Whether Moscow accepts the rewritten text is another matter.",
    "Diplomats formally handed the amended proposal to Moscow.",
    "Kupiansk is still claimed by Moscow and contested.",
    "Moscow seeks capitulation rather than peace.",
    "The briefing begins this evening, Moscow time.",
)
BACKDROP_VISIT = (
    "Steve Witkoff will travel to Moscow next week with Jared Kushner.",
    "Envoy Steve Witkoff is expected in Moscow next week, officials confirmed.",
)


def backdrop_corpus() -> list[Claim]:
    """Seven documents naming Moscow among 46 (15%): the five generic sentences share nothing but the city;
    the two on Witkoff's visit also share the envoy. The rest are about other things entirely."""
    named = [text_claim(f"g{i}", t) for i, t in enumerate(BACKDROP_GENERIC)]
    named += [text_claim(f"v{i}", t) for i, t in enumerate(BACKDROP_VISIT)]
    others = [
        claim(f"o{i:02}", (f"harbour{i}", f"ferry{i}", f"cargo{i}", f"pier{i}"), frozenset({f"name:port{i}"}))
        for i in range(39)
    ]
    return [*named, *others]


def test_a_backdrop_name_alone_does_not_chain_unrelated_sentences():
    claims = backdrop_corpus()
    generic = {f"g{i}" for i in range(len(BACKDROP_GENERIC))}

    def linked_with_generic(groups: list) -> int:
        return max(len(generic & {c.id for c in g.claims}) for g in groups)

    # without the rule the city alone (its word and its name key) makes the short sentences alike
    assert linked_with_generic(link_claims(claims, LinkOptions(backdrop_share=None))) >= 3
    linker = Linker(claims)
    assert "moscow" in linker._backdrop  # 7 of 46 documents, over backdrop_share
    profiles = {c.id: linker._profile(c) for c in claims}
    by_id = {c.id: c for c in claims}
    assert linker._compatible(profiles["g0"], by_id["g1"]) == 0.0  # all they share is Moscow
    assert linker._compatible(profiles["v0"], by_id["v1"]) == 1.0  # Moscow and Steve Witkoff: two things
    groups = link_claims(claims)
    assert linked_with_generic(groups) == 1  # each generic sentence stays on its own
    visit = next(g for g in groups if "v0" in {c.id for c in g.claims})
    assert [c.id for c in visit.claims] == ["v0", "v1"]  # the real corroboration still links


def test_a_name_in_few_documents_is_no_backdrop():
    claims = backdrop_corpus()
    assert "moscow" not in Linker(claims, LinkOptions(backdrop_share=0.2))._backdrop  # 15% is not over 20%
    assert "moscow" not in Linker(claims, LinkOptions(backdrop_documents=8))._backdrop  # in 7 documents only
    assert "witkoff" not in Linker(claims)._backdrop  # 2 of 46 documents
    assert not Linker(claims, LinkOptions(use_keys=False))._backdrop  # no names without keys


# -- Crowded streams: links need event-specific evidence -----------------------------------------


def _crowded_linker(claims: list[Claim], **options: object) -> Linker:
    """A linker that sees every claim as crowded (crowded=0: one earlier claim in the window is enough)."""
    return Linker(claims, LinkOptions(crowded=0, **options))  # type: ignore[arg-type]


def test_places_disagree_when_each_names_one_the_other_does_not():
    a = text_claim("a", "Russian troops seized Novopavlivka in the Donetsk region")
    b = text_claim("b", "Russian troops seized Malynivka in the Donetsk region")
    c = text_claim("c", "Russian troops seized Novopavlivka")
    places = {
        "a": frozenset({"place:novopavlivka", "place:donetsk"}),
        "b": frozenset({"place:malynivka", "place:donetsk"}),
        "c": frozenset({"place:novopavlivka"}),
    }
    for x in (a, b, c):
        x.keys = x.keys | places[x.id]
    linker = Linker([a, b, c])
    penalty = linker.options.mismatch_penalty
    # Donetsk agrees, but each names a village the other does not: two events of one kind
    assert linker._compatible(linker._profile(a), b) == penalty
    # one names fewer places than the other, and none the other lacks: the same event told more briefly
    assert linker._compatible(linker._profile(a), c) == 1.0


def test_a_shared_official_alone_is_thin_evidence_in_a_crowded_stream():
    when = datetime(2025, 3, 1)
    a = claim("a", ("village", "captur", "claire", "tarasensky"), frozenset({"name:claire", "name:tarasensky"}), when)
    a.text = "Troops captured the village, governor Claire Tarasensky said"
    b = claim("b", ("sanction", "package", "claire", "tarasensky"), frozenset({"name:claire", "name:tarasensky"}), when)
    b.text = "The bloc adopted a sanctions package, according to Claire Tarasensky"
    linker = _crowded_linker([a, b], min_what=0.0)
    # both words of one name written in a row count once: one specific thing shared
    assert linker._evidence(linker._profile(a), linker._profile(b)) == linker.options.thin_evidence
    quiet = Linker([a, b])
    assert quiet._compatible(quiet._profile(a), b) == 1.0  # a quiet stream does not ask for more


def test_two_specific_things_and_agreeing_words_are_full_evidence():
    when = datetime(2025, 3, 1)
    keys = frozenset({"place:verkhnyotoretske", "num:44"})
    a = claim("a", ("verkhnyotoretske", "fell", "after", "fight", "day"), keys, when)
    b = claim("b", ("verkhnyotoretske", "fell", "fight", "day"), keys, when)
    c = claim("c", ("verkhnyotoretske", "shell", "hit", "hardest"), frozenset({"place:verkhnyotoretske"}), when)
    linker = _crowded_linker([a, b, c])
    assert linker._evidence(linker._profile(a), linker._profile(b)) == 1.0
    # one shared place and nothing alike in what happened: thin twice
    thin = linker.options.thin_evidence
    assert linker._evidence(linker._profile(a), linker._profile(c)) == pytest.approx(thin * thin)


def test_sharing_only_generic_words_is_no_evidence():
    when = datetime(2025, 3, 1)
    common = ("drone", "missile", "overnight")
    claims = [claim(f"x{i}", (*common, f"town{i}"), frozenset({f"place:town{i}"}), when) for i in range(60)]
    linker = _crowded_linker(claims, max_share=0.02, min_postings=5)
    # the three words are in all 60 claims (> 5): too common to tell one strike from another
    assert linker._evidence(linker._profile(claims[0]), linker._profile(claims[1])) == 0.0
    groups = [linker.add(c) for c in claims]
    assert len({id(g) for g in groups}) == 60


def test_a_crowded_claim_that_fits_two_events_equally_starts_its_own_group():
    when = datetime(2025, 3, 1)
    first = claim("a", ("strike", "hit", "substation", "kharkiv"), frozenset({"place:kharkiv"}), when)
    second = claim("b", ("strike", "hit", "depot", "kharkiv"), frozenset({"place:kharkiv"}), when)
    probe = claim("c", ("strike", "hit", "kharkiv", "substation", "depot"), frozenset({"place:kharkiv"}), when)
    options = {"min_what": 0.0, "thin_evidence": 1.0, "threshold": 0.8}  # the first two stay apart
    linker = _crowded_linker([first, second, probe], **options)
    linker.add(first)
    linker.add(second)
    assert len(linker.groups) == 2
    linker.add(probe)
    assert len(linker.groups) == 3  # as close to the substation as to the depot: neither clearly
    quiet = Linker([first, second, probe], LinkOptions(crowded=None, threshold=0.8))
    for c in (first, second, probe):
        quiet.add(c)
    assert len(quiet.groups) == 2  # a quiet stream joins the best of the two


def test_undated_claims_are_never_crowded():
    claims = [claim(f"u{i}", ("bridge", "reopen", f"w{i}")) for i in range(5)]
    linker = Linker(claims, LinkOptions(crowded=0))
    assert not any(linker._crowded(c) for c in claims)
    dated = [claim(f"d{i}", ("bridge", "reopen"), when=datetime(2025, 3, 1 + i)) for i in range(3)]
    linker = Linker(dated, LinkOptions(crowded=1, max_gap_days=21))
    assert [linker._crowded(c) for c in dated] == [False, True, True]


def test_claim_ids_are_unique_within_a_document():
    # Two short contents that both grow to the one sentence are one claim, not two with one id.
    text = "Officials in Dravik and Tessel denied that any convoy had passed the Marovia crossing."
    doc = Doc(text).said("officials in Dravik", "any convoy had passed").said("Tessel", "any convoy had passed")
    claims = claims_of(doc.extraction)
    assert len({c.id for c in claims}) == len(claims) == 1
    # A quoted content and the longer own-voice sentence that opens at the same character: two ids.
    text = (
        "Aid convoys crossed the border at Marovia, the agency said, and engineers from Tessel then rebuilt "
        "the Ostrava ferry pier within nine days while heavy rain flooded roads across the valley."
    )
    doc = Doc(text).said("the agency", "Aid convoys crossed the border at Marovia")
    claims = claims_of(doc.extraction)
    assert [c.start for c in claims] == [0, 0]
    assert len({c.id for c in claims}) == 2
    assert claims[0].id == f"{doc.id}:0"
