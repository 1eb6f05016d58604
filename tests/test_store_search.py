"""Full-text search: finds words with snippets, and no input makes it raise."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from pathlib import Path

import pytest

from sitroom import model
from sitroom.store import HIGHLIGHT_END, HIGHLIGHT_START, Store
from sitroom.store.dialect import fts5_query, query_terms

DOCS = [
    ("The Hill", "Peace plan leaked",
     "A 28-point peace plan was rumored to have been leaked. Kyiv has not commented on the negotiations."),
    ("Intellinews", "Frozen assets",
     "The $140 billion loan would be financed from frozen Russian assets, according to different sources."),
    ("Kremlin", "Statement on Pokrovsk",
     "Russian forces have taken effective control of Pokrovsk and are advancing on Myrnohrad."),
    ("Military Summary", "Zaporižžia front",
     "Fighting continues near Zaporižžia and Huliaipole; Kiev says the line holds."),
]

HOSTILE = [
    '"', '""', '"""', "'", 'Kiev" OR', "Kiev OR", "OR", "AND", "NOT", "NEAR(", "NEAR(plan leaked, 2)",
    "*", "plan*)", "(", ")", "()", "((plan", "-", "- plan", "+", "^plan", "title:plan", "text:",
    "{title text}: plan", ":", ";", "'; DROP TABLE documents; --", "1=1 OR", "plan' OR '1'='1",
    "\x00", "plan\x00leaked", "\u200b", "\\", "%", "_", "plan\nleaked", "NEAR", "NEAR/2",
    "a" * 10_000, "plan " * 500, "😀", "Київ", "\ufeffplan",
]


@pytest.fixture
def store(tmp_path: Path):
    with Store.open(tmp_path / "search.db") as s:
        for i, (source, title, text) in enumerate(DOCS):
            doc = model.Document(text=text, source=source, title=title,
                                 published=datetime(2025, 11, 18 + i, tzinfo=UTC))
            s.save(model.Extraction(doc))
        yield s


def ids_for(store: Store, query: str) -> list[str]:
    return [hit.title or "" for hit in store.search(query)]


def test_finds_words_with_highlighted_snippet(store: Store) -> None:
    [hit] = store.search("Pokrovsk")
    assert hit.title == "Statement on Pokrovsk"
    assert hit.source == "Kremlin"
    assert hit.published == datetime(2025, 11, 20, tzinfo=UTC)
    assert f"{HIGHLIGHT_START}Pokrovsk{HIGHLIGHT_END}" in hit.snippet
    assert ("Pokrovsk", True) in hit.segments()
    assert HIGHLIGHT_START not in hit.plain_snippet
    assert "effective control of Pokrovsk" in hit.plain_snippet or hit.plain_snippet.startswith("Statement")


def test_every_word_must_match(store: Store) -> None:
    assert ids_for(store, "frozen assets") == ["Frozen assets"]
    assert ids_for(store, "frozen Pokrovsk") == []


def test_case_stemming_diacritics_and_prefix(store: Store) -> None:
    assert ids_for(store, "POKROVSK") == ["Statement on Pokrovsk"]
    assert ids_for(store, "negotiation") == ["Peace plan leaked"]  # porter: negotiations
    assert ids_for(store, "Zaporizzia") == ["Zaporižžia front"]  # diacritics folded
    assert ids_for(store, "Myrno*") == ["Statement on Pokrovsk"]


def test_title_and_source_are_searched_and_title_ranks_higher(store: Store) -> None:
    assert ids_for(store, "Intellinews") == ["Frozen assets"]
    hits = store.search("plan")
    assert hits[0].title == "Peace plan leaked"
    assert [h.rank for h in hits] == sorted((h.rank for h in hits), reverse=True)


def test_limit(store: Store) -> None:
    assert len(store.search("the", limit=2)) == 2
    assert store.search("the", limit=0) == []


def test_count_matches_counts_what_search_finds_up_to_a_cap(store: Store) -> None:
    for query in ("the", "plan", "Pokrovsk", "Myrno*", "frozen Pokrovsk", "Kiev OR Pokrovsk"):
        assert store.count_matches(query) == len(store.search(query, limit=100)), query
    assert store.count_matches("the", cap=2) == 2 < len(store.search("the", limit=100))
    assert store.count_matches("the", cap=0) == 0


@pytest.mark.parametrize("query", ["", "   ", "\n\t", '"', "()", "*", "-", "\x00", "\u200b"])
def test_empty_or_wordless_query_finds_nothing(store: Store, query: str) -> None:
    assert store.search(query) == []
    assert store.count_matches(query) == 0


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_never_raise(store: Store, query: str) -> None:
    hits = store.search(query)
    assert isinstance(hits, list)
    assert store.count_matches(query) == len(store.search(query, limit=100))
    assert store.count_documents() == len(DOCS)


def test_operators_are_plain_words(store: Store) -> None:
    # "OR" is a word, not an operator: no document says "or", so nothing matches.
    assert ids_for(store, "Kiev OR Pokrovsk") == []
    assert ids_for(store, 'Kiev"') == ["Zaporižžia front"]
    assert ids_for(store, "NEAR(Pokrovsk") == []
    assert ids_for(store, "(Pokrovsk)") == ["Statement on Pokrovsk"]


def test_query_quoting() -> None:
    assert fts5_query(query_terms('Kiev" OR NEAR( x*')) == '"Kiev""" "OR" "NEAR(" "x"*'
    assert fts5_query(query_terms("* ( ) \" '")) == ""
    assert query_terms("a\x00b\u200bc") == ["a", "b", "c"]


def test_index_follows_saves(tmp_path: Path) -> None:
    with Store.open(tmp_path / "s.db") as store:
        assert store.search("Huliaipole") == []
        store.save(model.Extraction(model.Document(text="Huliaipole is contested.", title="t")))
        assert len(store.search("Huliaipole")) == 1


def test_a_huge_document_of_distinct_words_is_stored_and_found(tmp_path: Path) -> None:
    """A PostgreSQL tsvector is capped at 1 MB: the most varied text the ingest cap allows must still be
    stored (PostgreSQL indexes its first 200,000 characters; SQLite all of it)."""
    alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
    words = ["".join(w) for w in itertools.islice(itertools.product(alphabet, repeat=4), 200_000)]
    body = " ".join(words)  # 1,000,000 characters, 200,000 distinct words: a 2.4 MB tsvector if all indexed
    doc = model.Document(text="Pokrovsk " + body, title="Everything")
    with Store.open(tmp_path / "huge.db") as store:
        assert store.save(model.Extraction(doc)).status == "new"
        [hit] = store.search("Pokrovsk")
        assert hit.document_id == doc.id
        assert f"{HIGHLIGHT_START}Pokrovsk{HIGHLIGHT_END}" in hit.snippet
        assert [h.document_id for h in store.search(words[1000])] == [doc.id]
