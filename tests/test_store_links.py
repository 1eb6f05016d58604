"""The store's side of persisted linking results: migration 0004, the write generation, replacing
results in one transaction, and reading groups back with filters and paging done in SQL.

Groups here are hand-made ``StoredClaimGroup`` rows (no linking runs); ``test_link_persist.py``
checks that the stored groups are the computed ones. Like ``test_store.py``, the ``store`` and
``target`` fixtures run on SQLite and, when configured, PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import inspect, select

from sitroom import model
from sitroom.errors import StoreError
from sitroom.store import GroupQuery, Store, StoredClaim, StoredClaimGroup, StoreGeneration, schema
from sitroom.store.migrations import MIGRATIONS

from .test_store import database_with_steps, raw_engine, small_extraction, store, target  # noqa: F401 (fixtures)

T0 = datetime(2026, 3, 1, 9, tzinfo=UTC)


def claim(doc: str, start: int, text: str, *, when: datetime | None, source: str = "Harbor Post",
          certainty: str = "asserted", speaker: str | None = None, origin: str | None = None) -> StoredClaim:
    return StoredClaim(f"{doc}:{start}", doc, start, start + len(text), text, speaker, source, certainty, when,
                       origin)


def group(seq: int, members: list[StoredClaim], sources: list[str]) -> StoredClaimGroup:
    first, latest = members[0], members[-1]
    return StoredClaimGroup(
        id=first.claim_id, seq=seq, text=first.text,
        first_document_id=first.document_id, first_source=first.source, first_speaker=first.speaker,
        first_published=first.published,
        latest_document_id=latest.document_id, latest_source=latest.source, latest_published=latest.published,
        claims=len(members), documents=len({m.document_id for m in members}), sources=sources,
        all_sources=list(dict.fromkeys(m.source or "unknown source" for m in members)),
        strongest_certainty="asserted", denials=sum(m.certainty == "denied" for m in members), members=members,
    )


def saved_documents(s: Store, n: int) -> list[str]:
    ids = []
    for i in range(n):
        extraction = small_extraction(i)
        s.save(extraction)
        ids.append(extraction.document.id)
    return ids


def sample_groups(docs: list[str]) -> list[StoredClaimGroup]:
    """Five groups: sizes, dates (one undated) and independent sources that differ; hostile text."""
    a, b, c, d, e = docs
    return [
        group(0, [claim(a, 0, "Bridge at Varnel reopened", when=T0),
                  claim(b, 5, "The Varnel bridge reopened", when=T0 + timedelta(days=2), source="Coast Wire")],
              ["Harbor Post", "Coast Wire"]),
        group(1, [claim(c, 0, "100% of 'power_lines' are down; DROP TABLE x;--", when=T0 + timedelta(days=1))],
              ["Harbor Post"]),
        group(2, [claim(d, 0, "Undated note on Kessel", when=None, source="Notes")], ["Notes"]),
        group(3, [claim(a, 40, "Kessel captured", when=T0 + timedelta(days=3)),
                  claim(b, 40, "Kessel was captured", when=T0 + timedelta(days=4), source="Coast Wire",
                        origin=a),
                  claim(e, 0, "Kyiv denies Kessel fell", when=T0 + timedelta(days=5), source="Valley Times",
                        certainty="denied", speaker="Kyiv")],
              ["Harbor Post"]),
        group(4, [claim(e, 30, "Grain exports resume from Ostra", when=T0 + timedelta(days=6), source="Valley Times"),
                  claim(c, 30, "Ostra grain exports resumed", when=T0 + timedelta(days=7), source="Coast Wire"),
                  claim(d, 30, "Exports of grain from Ostra restart", when=T0 + timedelta(days=7), source="Notes")],
              ["Valley Times", "Coast Wire", "Notes"]),
    ]


def replace(s: Store, groups: list[StoredClaimGroup], copies: dict[str, str] | None = None) -> None:
    s.replace_link_results(groups, copies or {}, computed_from=s.generation(), options="{}", code="test")


def ids(groups: list[StoredClaimGroup]) -> list[int]:
    return [g.seq for g in groups]


# -- migration and generation ------------------------------------------------------------------


def test_fresh_store_has_the_link_tables_and_a_generation_row(target: str) -> None:  # noqa: F811
    with Store.open(target) as s:
        assert "0004_link_results" in s.applied_migrations()
        with s.read() as conn:
            tables = set(inspect(conn).get_table_names())
        assert {"claim_groups", "claim_group_members", "document_copies", "link_state", "store_state"} <= tables
        assert s.generation() == StoreGeneration(0, 0, 0)
        assert s.link_state() is None


def test_migration_0004_on_a_store_at_0003_keeps_its_documents(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    database_with_steps(path, MIGRATIONS[:3])
    # Step 1 creates today's tables: drop those a 0003 store lacks.
    with raw_engine(path) as (engine, _), engine.begin() as conn:
        for name in ("claim_group_members", "claim_groups", "document_copies", "link_state", "store_state"):
            schema.metadata.tables[name].drop(conn)
    with Store.open(path) as s:
        assert [m for m in s.applied_migrations()] == [m.name for m in MIGRATIONS]
        assert s.generation() == StoreGeneration(0, 1, 1)
        s.save(small_extraction(2))
        assert s.generation() == StoreGeneration(1, 2, 2)
        with s.read() as conn:
            assert conn.scalar(select(schema.store_state.c.generation)) == 1


def test_only_a_save_that_stores_bumps_the_generation(store: Store) -> None:  # noqa: F811
    extraction = small_extraction(1)
    store.save(extraction)
    assert store.generation().generation == 1
    assert store.save(extraction).status == "unchanged"
    store.record_brief(T0, None, "md", None)
    assert store.generation().generation == 1
    changed = model.Extraction(model.Document(text="A changed text entirely.", url=extraction.document.url))
    store.save(changed)
    assert store.generation().generation == 2


def test_a_failed_save_does_not_bump_the_generation(store: Store) -> None:  # noqa: F811
    bad = small_extraction(1)
    bad.quantities.append(model.Quantity(10, 5, 1.0, None, "x"))  # end before start: refused
    with pytest.raises(StoreError):
        store.save(bad)
    assert store.generation() == StoreGeneration(0, 0, 0)


# -- writing -----------------------------------------------------------------------------------


def test_results_round_trip_with_state(store: Store) -> None:  # noqa: F811
    docs = saved_documents(store, 5)
    groups = sample_groups(docs)
    replace(store, groups, {docs[1]: docs[0]})
    state = store.link_state()
    assert state is not None
    assert state.computed_from == state.current == StoreGeneration(5, 5, 5)
    assert (state.claims, state.groups, state.copies, state.options, state.code) == (10, 5, 1, "{}", "test")
    assert store.stored_copies() == {docs[1]: docs[0]}
    back = store.claim_groups(GroupQuery(order="first"))
    assert {g.id: g for g in back} == {g.id: g for g in groups}
    assert store.claim_group(groups[3].id) == groups[3]
    assert store.claim_group("nope:0") is None
    assert [gid for gid, _ in store.claim_group_members()] == [g.id for g in groups]
    store.save(small_extraction(9))
    state = store.link_state()
    assert state is not None and state.computed_from != state.current


def test_replacing_removes_the_previous_results(store: Store) -> None:  # noqa: F811
    docs = saved_documents(store, 5)
    replace(store, sample_groups(docs), {docs[1]: docs[0]})
    replace(store, sample_groups(docs)[:2])
    assert ids(store.claim_groups()) == [0, 1]
    assert store.stored_copies() == {}
    state = store.link_state()
    assert state is not None and (state.groups, state.claims, state.copies) == (2, 3, 0)


def test_a_failure_mid_write_leaves_the_previous_results(store: Store) -> None:  # noqa: F811
    docs = saved_documents(store, 5)
    replace(store, sample_groups(docs), {docs[1]: docs[0]})
    before = (store.claim_groups(), store.link_state(), store.stored_copies())

    def failing() -> Iterator[StoredClaimGroup]:
        yield from sample_groups(docs)[:2]
        raise RuntimeError("linking broke half-way")

    with pytest.raises(RuntimeError):
        store.replace_link_results(failing(), {}, computed_from=store.generation(), options="{}", code="other")
    assert (store.claim_groups(), store.link_state(), store.stored_copies()) == before
    # a database error (a member naming a document that is not stored) also rolls back
    broken = [*sample_groups(docs)[:1], group(9, [claim("f" * 20, 0, "no such document", when=T0)], ["X"])]
    with pytest.raises(StoreError):
        replace(store, broken)
    assert (store.claim_groups(), store.link_state(), store.stored_copies()) == before


# -- reading: filters, order, paging -----------------------------------------------------------


@pytest.fixture
def filled(store: Store) -> Store:  # noqa: F811
    replace(store, sample_groups(saved_documents(store, 5)))
    return store


def test_orders(filled: Store) -> None:
    assert ids(filled.claim_groups()) == [4, 0, 2, 1, 3]  # most sources; then first report, undated first
    assert ids(filled.claim_groups(GroupQuery(order="latest"))) == [4, 3, 0, 1, 2]  # undated last
    assert ids(filled.claim_groups(GroupQuery(order="first"))) == [0, 1, 3, 4, 2]
    assert ids(filled.claim_groups(GroupQuery(order="size"))) == [3, 4, 0, 1, 2]


def test_filters(filled: Store) -> None:
    def q(**kw: object) -> list[int]:
        query = GroupQuery(order="first", **kw)  # type: ignore[arg-type]
        found = ids(filled.claim_groups(query))
        assert filled.count_claim_groups(query) == len(found)
        return found

    assert q(since=T0 + timedelta(days=2)) == [0, 3, 4]  # latest report on or after
    assert q(until=T0 + timedelta(days=1)) == [0, 1]  # first report on or before
    assert q(since=T0 + timedelta(days=1), until=T0 + timedelta(days=3)) == [0, 1, 3]
    assert q(min_sources=2) == [0, 4]
    assert q(topic="KESSEL") == [3, 2]  # case-insensitive; undated last in "first" order
    assert q(topic="denies kessel") == [3]  # a member's text, not only the group's
    assert q(topic="varnel kessel") == []  # words of two different groups
    assert q(topic="100%") == [1]  # LIKE wildcards are literal
    assert q(topic="%") == [1]
    assert q(topic="_lines") == [1]
    assert q(topic="s_lines") == []  # "_" is not "any character"
    assert q(topic="; DROP TABLE x;--") == [1]
    assert q(topic="") == [0, 1, 3, 4, 2]


def test_paging(filled: Store) -> None:
    everything = ids(filled.claim_groups(GroupQuery(order="latest")))
    pages = [ids(filled.claim_groups(GroupQuery(order="latest", limit=2, offset=o))) for o in (0, 2, 4, 6)]
    assert pages == [everything[0:2], everything[2:4], everything[4:], []]
    assert ids(filled.claim_groups(GroupQuery(order="latest", offset=3))) == everything[3:]
    assert filled.count_claim_groups(GroupQuery(limit=1)) == 5
    bare = filled.claim_groups(GroupQuery(limit=1), members=False)
    assert bare[0].members == [] and bare[0].claims == 3


def test_the_groups_of_one_document(store: Store) -> None:  # noqa: F811
    docs = saved_documents(store, 5)
    groups = sample_groups(docs)
    replace(store, groups)
    a = docs[0]
    assert store.document_claim_groups(a) == [
        (0, len("Bridge at Varnel reopened"), groups[0].id, groups[0].text),
        (40, 40 + len("Kessel captured"), groups[3].id, groups[3].text),
    ]
    assert store.document_claim_groups(docs[3], min_claims=1) == [
        (0, len("Undated note on Kessel"), groups[2].id, groups[2].text),
        (30, 30 + len("Exports of grain from Ostra restart"), groups[4].id, groups[4].text),
    ]
    assert store.document_claim_groups(docs[3]) == [
        (30, 30 + len("Exports of grain from Ostra restart"), groups[4].id, groups[4].text)
    ]
    assert store.document_claim_groups("no such document") == []


def test_a_bad_query_is_refused() -> None:
    with pytest.raises(ValueError, match="order"):
        GroupQuery(order="random")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        GroupQuery(limit=-1)
