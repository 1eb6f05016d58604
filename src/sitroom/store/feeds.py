"""What ``sitroom watch`` remembers about each feed it polls, so a restart goes on where it stopped.

One row per feed URL in ``feed_state`` (migration ``0005_feed_state``): the validators of the last
answer (``ETag``, ``Last-Modified``) for a conditional GET, when it was polled and what came back,
how many polls in a row failed (the backoff), when it is due again, how many new entries it has
given in all, and the keys of the entries in its last answer (``ingest.feeds.entry_key``), so an
entry read once is not read, fetched or extracted again. Rows are written through the store's one
writer. The table is not part of ``schema.metadata`` (it is watch's own), so step 1 does not make
it and the migration does.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Column, Connection, Integer, MetaData, Table, Text, delete, insert, inspect, select

from .schema import UTCDateTime

if TYPE_CHECKING:
    from .database import Store
    from .dialect import Dialect

metadata = MetaData()

feed_state = Table(
    "feed_state",
    metadata,
    Column("url", Text, primary_key=True),
    Column("etag", Text),
    Column("last_modified", Text),
    Column("last_poll", UTCDateTime),
    Column("last_status", Text),  # "200", "304" or "error"
    Column("last_error", Text),
    Column("errors", Integer, nullable=False, default=0),  # failed polls in a row
    Column("next_poll", UTCDateTime),
    Column("entries", Integer, nullable=False, default=0),  # new entries stored from this feed, in all
    Column("seen", Text, nullable=False, default="[]"),  # JSON list of the last answer's entry keys
)


@dataclass(slots=True)
class FeedState:
    """One feed's row; a feed never polled is ``FeedState(url)``."""

    url: str
    etag: str | None = None
    last_modified: str | None = None
    last_poll: datetime | None = None
    last_status: str | None = None
    last_error: str | None = None
    errors: int = 0
    next_poll: datetime | None = None
    entries: int = 0
    seen: list[str] = field(default_factory=list)


def create_table(conn: Connection, dialect: Dialect) -> None:
    """Migration ``0005_feed_state``: the same table on SQLite and PostgreSQL."""
    if not inspect(conn).has_table(feed_state.name):
        feed_state.create(conn)


def load_states(store: Store, urls: Iterable[str]) -> dict[str, FeedState]:
    """The stored state of each of ``urls`` (a new ``FeedState`` for one never polled)."""
    wanted = list(dict.fromkeys(urls))
    found: dict[str, FeedState] = {}
    with store.read() as conn:
        for row in conn.execute(select(feed_state)).mappings():
            if row["url"] in wanted:
                values = dict(row)
                values["seen"] = json.loads(values["seen"] or "[]")
                found[row["url"]] = FeedState(**values)
    return {url: found.get(url) or FeedState(url) for url in wanted}


def save_state(store: Store, state: FeedState) -> None:
    """Replace the feed's row, in one write transaction."""
    values = {
        "url": state.url,
        "etag": state.etag,
        "last_modified": state.last_modified,
        "last_poll": state.last_poll,
        "last_status": state.last_status,
        "last_error": state.last_error,
        "errors": state.errors,
        "next_poll": state.next_poll,
        "entries": state.entries,
        "seen": json.dumps(state.seen),
    }
    with store.write() as conn:
        conn.execute(delete(feed_state).where(feed_state.c.url == state.url))
        conn.execute(insert(feed_state), values)


__all__ = ["FeedState", "create_table", "feed_state", "load_states", "save_state"]
