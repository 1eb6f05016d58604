"""Persisted linking results: ``refresh`` stores what ``Corpus`` computes, readers get the same
groups from the store as from linking, and anything that changes the store makes them stale.

A store of hand-made extractions (``story_kit``), no spaCy, on SQLite and (when configured, see
test_store.py) PostgreSQL; the CLI side is in test_cli_story.py.
"""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from pathlib import Path

import pytest

from sitroom import model
from sitroom.analyse.contradictions import find
from sitroom.jobs import ingest
from sitroom.link import Corpus, LinkOptions, persist
from sitroom.present.story import group_dict, stored_claims_md, stored_group_dict
from sitroom.store import GroupQuery, Store

from .story_kit import Doc, day
from .test_store import target  # noqa: F401 (fixture: SQLite, and PostgreSQL when configured)


def documents() -> list[Doc]:
    wire = "The Varnel rail bridge reopened to freight traffic after repairs, engineers said on Monday."
    return [
        Doc("Engineers reopened the Varnel rail bridge to freight traffic after repairs.", "Harbor Post", day(1)),
        Doc(wire, "Coast Wire", day(2)),
        Doc(wire + " More to follow.", "Valley Times", day(2, 15)),  # a syndicated copy of Coast Wire
        Doc("The Varnel rail bridge reopened to freight traffic, engineers said.", "North Gazette", day(3)),
        Doc("Northern forces captured Kessel, the ministry said.", "Coast Wire", day(4))
        .said("ministry", "Northern forces captured Kessel")
        .place("Kessel", "captured", by="Northern forces"),
        Doc("Kyiv denied that Northern forces captured Kessel this week.", "Harbor Post", day(5))
        .said("Kyiv", "Northern forces captured Kessel this week", "denied")
        .place("Kessel", "contested"),
        Doc("Residents say street battles continue in Kessel after the 100% blackout.", "Valley Times", day(6))
        .place("Kessel", "contested"),
        # two attributions whose short contents both grow to one sentence: one claim id, two claims
        Doc("Moscow says Brask fell; Kyiv says Brask held out overnight near the river.", "North Gazette", day(7))
        .said("Russia", "Brask fell")
        .said("Ukraine", "Brask held out"),
        Doc("An undated note: the Varnel rail bridge reopened to freight traffic.", "Notes", None),
    ]


def save_all(store: Store, docs: list[Doc]) -> None:
    for d in docs:
        assert store.save(d.extraction).status == "new"


@pytest.fixture
def store(target: str):  # noqa: F811
    with Store.open(target) as s:
        save_all(s, documents())
        yield s


def shape(corpus: Corpus) -> list[tuple[str, list[tuple[str, int, str | None]]]]:
    return [(g.id, [(c.id, c.end, c.speaker) for c in g.claims]) for g in corpus.groups]


def test_refresh_stores_what_linking_computes(store: Store) -> None:
    stats = persist.refresh(store)
    computed = Corpus.load(store, stored=False)
    assert (stats.documents, stats.claims, stats.groups, stats.copies) == (
        len(documents()),
        len(computed.claims),
        len(computed.groups),
        len(computed.copies),
    )
    assert stats.copies == 1 and len({c.id for c in computed.claims}) == len(computed.claims)  # ids are unique
    stored = store.claim_groups(GroupQuery(order="first"))
    expected = [persist.group_record(g, i, computed.source_of) for i, g in enumerate(computed.groups)]
    assert sorted(stored, key=lambda g: g.seq) == expected
    assert store.stored_copies() == computed.copies
    assert persist.is_fresh(store)


def test_corpus_takes_stored_groups_and_copies_when_fresh(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    persist.refresh(store)
    computed = Corpus.load(store, stored=False)
    import sitroom.link.corpus as corpus_module

    def no_copies(*args: object, **kwargs: object) -> dict[str, str]:
        raise AssertionError("find_copies ran although stored copies were fresh")

    monkeypatch.setattr(corpus_module, "find_copies", no_copies)
    loaded = Corpus.load(store)
    assert loaded._groups is not None  # adopted, not linked
    assert shape(loaded) == shape(computed)
    assert loaded.copies == computed.copies
    assert [c.origin for c in loaded.claims] == [c.origin for c in computed.claims]
    assert [x.to_dict() for x in find(loaded)] == [x.to_dict() for x in find(computed)]
    assert [group_dict(loaded, g) for g in loaded.groups] == [group_dict(computed, g) for g in computed.groups]


def test_corpus_links_itself_when_until_leaves_documents_out(store: Store) -> None:
    persist.refresh(store)
    until = day(4)
    loaded = Corpus.load(store, until=until)
    assert loaded._groups is None
    assert shape(loaded) == shape(Corpus.load(store, until=until, stored=False))
    assert Corpus.load(store, until=day(30))._groups is not None  # leaves nothing out


def test_corpus_does_not_adopt_groups_that_miss_a_claim(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    persist.refresh(store)
    members = store.claim_group_members()
    monkeypatch.setattr(Store, "claim_group_members", lambda self: members[1:])
    loaded = Corpus.load(store)
    assert loaded._groups is None
    assert shape(loaded) == shape(Corpus.load(store, stored=False))


def test_a_new_document_makes_them_stale(store: Store) -> None:
    persist.refresh(store)
    store.save(Doc("Shelling hit Orlen again overnight, officials said.", "Valley Times", day(8)).extraction)
    assert persist.stale_reason(store.link_state()) == "the store changed since the claim groups were stored"
    assert Corpus.load(store)._groups is None


def test_a_reingested_changed_document_makes_them_stale(store: Store) -> None:
    url = "https://example.org/bridge"
    first = Doc("Engineers say the Orlen ferry resumes service on Friday morning.", "Harbor Post", day(8), url=url)
    store.save(first.extraction)
    persist.refresh(store)
    changed = Doc("Engineers say the Orlen ferry resumes service on Sunday evening.", "Harbor Post", day(8), url=url)
    assert store.save(changed.extraction).status == "version"
    assert not persist.is_fresh(store)
    assert store.save(changed.extraction).status == "unchanged"
    persist.refresh(store)
    assert persist.is_fresh(store)


def test_other_options_or_another_linker_make_them_stale(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    persist.refresh(store)
    other = LinkOptions(threshold=0.5)
    assert persist.stale_reason(store.link_state(), other) == "the claim groups were stored with other linking options"
    assert Corpus.load(store, options=other)._groups is None
    persist.refresh(store, other)
    assert persist.is_fresh(store, other) and not persist.is_fresh(store)
    monkeypatch.setattr(persist, "code_fingerprint", lambda: "0" * 16)
    assert persist.stale_reason(store.link_state(), other) == (
        "the claim groups were stored by another version of the linker"
    )


def test_the_code_fingerprint_covers_the_linking_code_and_lexicon() -> None:
    assert persist.code_fingerprint() == persist.code_fingerprint()
    assert len(persist.code_fingerprint()) == 16
    assert persist.options_key() == persist.options_key(LinkOptions())
    assert persist.options_key(dataclasses.replace(LinkOptions(), key_weight=2.0)) != persist.options_key()


QUERIES = [
    GroupQuery(),
    GroupQuery(min_sources=2),
    GroupQuery(topic="VARNEL"),
    GroupQuery(topic="100%"),
    GroupQuery(topic="kessel", order="latest"),
    GroupQuery(since=day(3)),
    GroupQuery(until=day(4), order="first"),
    GroupQuery(order="size", limit=2, offset=1),
    GroupQuery(order="latest", limit=3),
    GroupQuery(offset=2),
]


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: repr(q)[10:60])
def test_stored_and_recomputed_answers_are_the_same(store: Store, query: GroupQuery) -> None:
    recomputed = persist.claim_groups(store, query)
    assert recomputed.stale == "no claim groups are stored yet"
    persist.refresh(store)
    stored = persist.claim_groups(store, query)
    assert stored.stale is None
    assert stored.total == recomputed.total
    assert stored.groups == recomputed.groups
    assert stored_claims_md(stored.groups) == stored_claims_md(recomputed.groups)
    assert [stored_group_dict(g) for g in stored.groups] == [stored_group_dict(g) for g in recomputed.groups]


def test_the_bridge_story_across_outlets(store: Store) -> None:
    persist.refresh(store)
    [bridge] = [g for g in store.claim_groups(GroupQuery(topic="varnel")) if g.claims >= 4]
    assert bridge.first_source == "Harbor Post" and bridge.latest_source == "Notes"  # undated last
    assert "Valley Times" not in bridge.sources  # a copy counts as its origin's outlet
    assert [m.origin_id is not None for m in bridge.members].count(True) == 1


class Fake:
    """An extractor with no facts: the documents only (ingest is what is tested)."""

    def extract(self, document: model.Document) -> model.Extraction:
        return model.Extraction(document)


def test_ingest_links_after_a_batch_that_stored_something(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("The Varnel rail bridge reopened to freight traffic after repairs.", "utf-8")
    (folder / "b.txt").write_text("Engineers said the Varnel rail bridge reopened to freight traffic.", "utf-8")
    with Store.open(tmp_path / "s.db") as s:
        report = ingest([str(folder)], store=s, extractor=Fake(), link=False)
        assert report.new == 2 and report.linked is None and s.link_state() is None
        report = ingest([str(folder)], store=s, extractor=Fake())
        assert report.unchanged == 2 and report.linked is None  # nothing new: no relinking
        (folder / "c.txt").write_text("Shelling hit Orlen again overnight, officials said.", "utf-8")
        report = ingest([str(folder)], store=s, extractor=Fake())
        assert report.new == 1 and report.linked is not None and report.linked.documents == 3
        assert persist.is_fresh(s)


def test_a_failed_link_after_ingest_is_a_warning(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from sitroom import jobs
    from sitroom.errors import StoreError

    def broken(store: Store) -> tuple[persist.LinkStats, None]:
        raise StoreError("disk full", hint="free some space")

    monkeypatch.setattr(jobs, "link_and_analyse", broken)
    (tmp_path / "a.txt").write_text("Shelling hit Orlen again overnight, officials said.", "utf-8")
    with Store.open(tmp_path / "s.db") as s:
        report = ingest([str(tmp_path / "a.txt")], store=s, extractor=Fake())
        assert report.new == 1 and report.exit_code == 0
        assert any("sitroom link" in w and "disk full" in w for w in report.warnings)


def test_dates_in_the_stored_groups_are_utc(store: Store) -> None:
    persist.refresh(store)
    for g in store.claim_groups():
        for when in (g.first_published, g.latest_published, *(m.published for m in g.members)):
            assert when is None or when.utcoffset() == timedelta(0)


def test_a_corpus_without_claims_gives_the_same_ground_and_refuses_to_link(store: Store) -> None:
    from sitroom.analyse import ground

    persist.refresh(store)
    full = Corpus.load(store)
    light = Corpus.load(store, claims=False)
    assert light.claims == [] and light.copies == full.copies and light.facts.keys() == full.facts.keys()
    places = [s.to_dict() for s in ground.places(full, None)]
    assert places and [s.to_dict() for s in ground.places(light, None)] == places
    with pytest.raises(RuntimeError, match="claims=False"):
        _ = light.groups
