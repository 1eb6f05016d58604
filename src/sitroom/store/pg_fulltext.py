"""Full-text search on PostgreSQL: a generated ``tsvector`` column, a GIN index, ``ts_rank``.

Made to answer like SQLite's FTS5 index (``dialect.SQLiteDialect``) does:

* **Words** are folded the way FTS5's ``porter unicode61 remove_diacritics 2`` folds them: the text
  search configuration ``sitroom_search`` runs every word through ``unaccent`` (when the extension
  can be had) and then an English Snowball stemmer *without* a stop-word list, so "the" is a word
  that can be searched for, as on SQLite. Numbers and other tokens are kept as they are.
* **Weights**: a match in the title counts 5×, in the source 2×, in the text 1× (the bm25 weights
  on SQLite): ``setweight`` labels title A, source B and text D, and ``ts_rank`` weighs D, C, B, A
  as 0.2, 0, 0.4, 1.0, with the rank divided by 1 + log(length), as bm25 favours short documents.
  Ties go to the earlier ingest, as on SQLite. The ranks are not bm25's numbers: only their order
  is comparable, and only within one backend.
* **Queries** are the user's words, every one required; a trailing ``*`` makes a prefix. Each word
  is a bound parameter: ``plainto_tsquery`` for a word, ``to_tsquery`` of a quoted lexeme with
  ``:*`` for a prefix, so no input is search syntax.
* **Snippets** come from ``ts_headline`` over the text, with the same markers and length in words.

The index covers the first ``INDEXED_CHARS`` characters of a document's text (a ``tsvector`` is
limited to 1 MB; 200,000 characters of even the most varied text stay well under it). The SQL
here is fixed text; only the number of query words changes the statement, never its content.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, TextClause, inspect, text
from sqlalchemy.exc import SQLAlchemyError

CONFIG = "sitroom_search"
STEMMER = "sitroom_stem"
VECTOR_COLUMN = "search_vector"
INDEXED_CHARS = 200_000
# ts_rank's weights, in its order {D, C, B, A}: text, (unused), source, title.
RANK_WEIGHTS = "{0.2, 0, 0.4, 1.0}"
RANK_NORMALIZATION = 1  # divide by 1 + log(document length)
# Token types of the default parser that are words (the others, numbers and such, stay as they are).
_WORD_TOKENS = "asciiword, asciihword, hword_asciipart, word, hword, hword_part"


def create(conn: Connection) -> None:
    """Create the text search configuration, the generated column and its index (idempotent)."""
    unaccent_schema = _unaccent_schema(conn)
    if not _exists(conn, "SELECT 1 FROM pg_ts_dict WHERE dictname = :name AND dictnamespace = "
                   "current_schema()::regnamespace", STEMMER):
        conn.execute(text(f"CREATE TEXT SEARCH DICTIONARY {STEMMER} (TEMPLATE = snowball, Language = english)"))
    if not _exists(conn, "SELECT 1 FROM pg_ts_config WHERE cfgname = :name AND cfgnamespace = "
                   "current_schema()::regnamespace", CONFIG):
        conn.execute(text(f"CREATE TEXT SEARCH CONFIGURATION {CONFIG} (COPY = pg_catalog.simple)"))
        dictionaries = STEMMER if unaccent_schema is None else f"{_quote(conn, unaccent_schema)}.unaccent, {STEMMER}"
        conn.execute(
            text(f"ALTER TEXT SEARCH CONFIGURATION {CONFIG} ALTER MAPPING FOR {_WORD_TOKENS} WITH {dictionaries}")
        )
    columns = {c["name"] for c in inspect(conn).get_columns("documents")}
    if VECTOR_COLUMN not in columns:
        conn.execute(text(_ADD_COLUMN))
        conn.execute(text(f"CREATE INDEX ix_documents_{VECTOR_COLUMN} ON documents USING gin ({VECTOR_COLUMN})"))


def uses_unaccent(conn: Connection) -> bool:
    """Whether this store's configuration folds diacritics (``unaccent`` was there to use)."""
    return bool(
        conn.scalar(
            text(
                "SELECT count(*) FROM pg_ts_config_map m JOIN pg_ts_config c ON c.oid = m.mapcfg "
                "JOIN pg_ts_dict d ON d.oid = m.mapdict WHERE c.cfgname = :config "
                "AND c.cfgnamespace = current_schema()::regnamespace AND d.dictname = 'unaccent'"
            ),
            {"config": CONFIG},
        )
    )


def search_statement(
    terms: list[str], limit: int, *, highlight: tuple[str, str], ellipsis: str, words: int
) -> tuple[TextClause | None, dict[str, Any]]:
    """The search for documents that hold every term, best first; (None, {}) when no term has a
    letter or digit. Its rows: document_id, title, source, published, snippet, relevance."""
    parts, params = _query_parts(terms)
    if not parts:
        return None, {}
    start, stop = highlight
    params.update(
        limit=limit,
        weights=RANK_WEIGHTS,
        headline=(
            f'StartSel="{start}", StopSel="{stop}", MaxWords={words}, MinWords={max(words // 2, 1)}, '
            f'ShortWord=0, MaxFragments=1, FragmentDelimiter="{ellipsis}"'
        ),
    )
    statement = text(_SEARCH.replace("{query}", " && ".join(parts)))
    return statement, params


def count_statement(terms: list[str], cap: int) -> tuple[TextClause | None, dict[str, Any]]:
    """How many documents hold every term, counting no further than ``cap``; (None, {}) as above."""
    parts, params = _query_parts(terms)
    if not parts:
        return None, {}
    query = " && ".join(parts)
    sql = f"SELECT count(*) FROM (SELECT 1 FROM documents AS d WHERE d.{VECTOR_COLUMN} @@ ({query}) LIMIT :cap) AS m"
    return text(sql), {**params, "cap": cap}


def _query_parts(terms: list[str]) -> tuple[list[str], dict[str, Any]]:
    """The tsquery expressions of the terms (a trailing * makes a prefix) and their bound values."""
    parts: list[str] = []
    params: dict[str, Any] = {}
    for raw in terms:
        prefix = raw.endswith("*")
        word = raw.rstrip("*")
        if not any(ch.isalnum() for ch in word):
            continue
        name = f"t{len(parts)}"
        if prefix:
            params[name] = "'" + word.replace("\\", "\\\\").replace("'", "''") + "':*"
            parts.append(f"to_tsquery('{CONFIG}', :{name})")
        else:
            params[name] = word
            parts.append(f"plainto_tsquery('{CONFIG}', :{name})")
    return parts, params


def _exists(conn: Connection, sql: str, name: str) -> bool:
    return conn.scalar(text(sql), {"name": name}) is not None


def _quote(conn: Connection, identifier: str) -> str:
    quoted: str = conn.dialect.identifier_preparer.quote_identifier(identifier)
    return quoted


def _unaccent_schema(conn: Connection) -> str | None:
    """The schema of the ``unaccent`` dictionary, creating the extension if it is missing and can be
    created here; None when it cannot (then diacritics are not folded, and search says so nowhere
    else: see ``uses_unaccent``)."""
    found = conn.scalar(
        text(
            "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
            "WHERE e.extname = 'unaccent'"
        )
    )
    if found is not None:
        return str(found)
    if conn.scalar(text("SELECT 1 FROM pg_available_extensions WHERE name = 'unaccent'")) is None:
        return None
    try:
        with conn.begin_nested():
            conn.execute(text("CREATE EXTENSION IF NOT EXISTS unaccent"))
    except SQLAlchemyError:  # no right to create it here: search then keeps diacritics
        return None
    return _unaccent_schema(conn)


_ADD_COLUMN = f"""
ALTER TABLE documents ADD COLUMN {VECTOR_COLUMN} tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('{CONFIG}', coalesce(title, '')), 'A')
    || setweight(to_tsvector('{CONFIG}', coalesce(source, '')), 'B')
    || setweight(to_tsvector('{CONFIG}', left(text, {INDEXED_CHARS})), 'D')
) STORED
"""

# The headline is made for the page of hits only (it parses the whole text: the costly part).
_SEARCH = f"""
WITH q AS (SELECT {{query}} AS query),
hits AS (
    SELECT d.ingest_seq AS ingest_seq,
           ts_rank(CAST(:weights AS real[]), d.{VECTOR_COLUMN}, q.query, {RANK_NORMALIZATION}) AS relevance
    FROM documents AS d, q
    WHERE d.{VECTOR_COLUMN} @@ q.query
    ORDER BY relevance DESC, d.ingest_seq
    LIMIT :limit
)
SELECT d.id AS document_id, d.title AS title, d.source AS source, d.published AS published,
       ts_headline('{CONFIG}', left(d.text, {INDEXED_CHARS}), q.query, :headline) AS snippet,
       hits.relevance AS relevance
FROM hits JOIN documents AS d ON d.ingest_seq = hits.ingest_seq, q
ORDER BY hits.relevance DESC, hits.ingest_seq
"""
