"""Linking results kept in the store, so a query does not relink the corpus.

``refresh(store)`` links everything stored (``Corpus.load`` with linking forced) and replaces the
stored claim groups, their members and the copies in one transaction, recording what they were
computed from: the store's generation (bumped by every save), its number of documents and last
ingest number, the linking options and a fingerprint of the linking code and lexicons. Results are
*fresh* while all of those are unchanged; :func:`stale_reason` says why they are not.

``group_record`` turns a computed :class:`ClaimGroup` into the row the store keeps
(:class:`~sitroom.store.StoredClaimGroup`), so that views render the stored and the recomputed
groups through one function and cannot drift apart.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from .groups import ClaimGroup, Embedder, LinkOptions

if TYPE_CHECKING:
    from ..store import GroupQuery, LinkState, Store, StoredClaimGroup
    from .corpus import Corpus


@dataclass(frozen=True, slots=True)
class LinkStats:
    """What ``refresh`` stored."""

    documents: int
    claims: int
    groups: int
    copies: int
    seconds: float  # wall time of the whole refresh (read, link, write)

    def summary(self) -> str:
        return (
            f"{self.groups} claim groups of {self.claims} claims from {self.documents} documents "
            f"({self.copies} copies) in {self.seconds:.1f} s"
        )


def options_key(options: LinkOptions | None = None, embedder: Embedder | None = None) -> str:
    """The linking options as sorted JSON (with the embedder's class when embeddings are mixed in)."""
    opts = options or LinkOptions()
    values: dict[str, object] = dataclasses.asdict(opts)
    if opts.semantic_weight > 0:
        values["embedder"] = type(embedder).__qualname__ if embedder is not None else None
    return json.dumps(values, sort_keys=True)


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """SHA-256 (first 16 hex digits) over the linking code and its data files: results computed by
    another version of the linker are stale. (Read once per process.)"""
    here = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    files = sorted(p for p in here.rglob("*") if p.is_file() and p.suffix in (".py", ".json", ".txt"))
    for path in files:
        if path.name == "persist.py":
            continue  # how results are stored is not how they are computed
        digest.update(path.relative_to(here).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def stale_reason(
    state: LinkState | None, options: LinkOptions | None = None, embedder: Embedder | None = None
) -> str | None:
    """None when the stored results are fresh for these options; else why not, in a few words."""
    if state is None:
        return "no claim groups are stored yet"
    if state.computed_from != state.current:
        return "the store changed since the claim groups were stored"
    if state.options != options_key(options, embedder):
        return "the claim groups were stored with other linking options"
    if state.code != code_fingerprint():
        return "the claim groups were stored by another version of the linker"
    return None


def is_fresh(store: Store, options: LinkOptions | None = None, embedder: Embedder | None = None) -> bool:
    return stale_reason(store.link_state(), options, embedder) is None


def group_record(group: ClaimGroup, seq: int, source_of: Callable[[str], str | None]) -> StoredClaimGroup:
    """The stored form of a computed group (``source_of`` gives a document's outlet, for independent
    sources after copies are folded into their origin)."""
    from ..store import StoredClaim, StoredClaimGroup

    members = [
        StoredClaim(
            claim_id=c.id,
            document_id=c.document_id,
            start=c.start,
            end=c.end,
            text=c.text,
            speaker=c.speaker,
            source=c.source,
            certainty=c.certainty,
            published=c.published,
            origin_id=c.origin if c.origin != c.document_id else None,
            timestamp=c.timestamp,
        )
        for c in group.claims
    ]
    first, latest = group.first, group.latest
    return StoredClaimGroup(
        id=group.id,
        seq=seq,
        text=group.text,
        first_document_id=first.document_id,
        first_source=first.source,
        first_speaker=first.speaker,
        first_published=first.published,
        latest_document_id=latest.document_id,
        latest_source=latest.source,
        latest_published=latest.published,
        claims=len(group.claims),
        documents=len(group.documents()),
        sources=group.independent_sources(source_of),
        all_sources=group.sources(),
        strongest_certainty=group.strongest_certainty(),
        denials=len(group.denials()),
        members=members,
    )


def refresh(store: Store, options: LinkOptions | None = None, embedder: Embedder | None = None) -> LinkStats:
    """Link everything stored and replace the stored results with these, in one transaction."""
    began = time.perf_counter()
    corpus, n_groups, n_claims = link_and_store(store, options, embedder)
    return LinkStats(len(corpus.documents), n_claims, n_groups, len(corpus.copies), time.perf_counter() - began)


def link_and_store(
    store: Store, options: LinkOptions | None = None, embedder: Embedder | None = None
) -> tuple[Corpus, int, int]:
    """What ``refresh`` does, returning the linked corpus too (for a caller that goes on to analyse it,
    instead of loading it a second time) with the numbers of groups and claims stored."""
    from .corpus import Corpus

    computed_from = store.generation()  # before reading: a save made meanwhile leaves the results stale
    corpus = Corpus.load(store, options=options, embedder=embedder, stored=False)
    # built before the write transaction: the writer's lock is held for the inserts only
    records = [group_record(group, seq, corpus.source_of) for seq, group in enumerate(corpus.groups)]
    n_groups, n_claims = store.replace_link_results(
        records,
        corpus.copies,
        computed_from=computed_from,
        options=options_key(options, embedder),
        code=code_fingerprint(),
    )
    return corpus, n_groups, n_claims


@dataclass(frozen=True, slots=True)
class GroupsAnswer:
    """Claim groups for a query; ``stale``: why they were computed here instead of read (None: read)."""

    groups: list[StoredClaimGroup]
    total: int  # groups matching the filters, before limit and offset
    stale: str | None


def claim_groups(
    store: Store,
    query: GroupQuery | None = None,
    *,
    options: LinkOptions | None = None,
    embedder: Embedder | None = None,
) -> GroupsAnswer:
    """The claim groups matching ``query``: read from the store (filtered and paged in SQL) when its
    results are fresh, else linked here and filtered the same way (slow on a large store)."""
    from ..store import GroupQuery
    from .corpus import Corpus

    q = query or GroupQuery()
    reason = stale_reason(store.link_state(), options, embedder)
    if reason is None:
        return GroupsAnswer(store.claim_groups(q), store.count_claim_groups(q), None)
    corpus = Corpus.load(store, options=options, embedder=embedder, stored=False)
    found = [r for r in (group_record(g, i, corpus.source_of) for i, g in enumerate(corpus.groups)) if _matches(r, q)]
    found.sort(key=_ORDERS[q.order])
    end = None if q.limit is None else q.offset + q.limit
    return GroupsAnswer(found[q.offset : end], len(found), reason)


def _matches(g: StoredClaimGroup, q: GroupQuery) -> bool:
    """The filters of ``GroupQuery`` in Python (``store.linkresults`` has them in SQL)."""
    if q.since is not None and (g.latest_published is None or g.latest_published < q.since):
        return False
    if q.until is not None and (g.first_published is None or g.first_published > q.until):
        return False
    if q.topic and q.topic.casefold() not in " ".join(c.text for c in g.members).casefold():
        return False
    return len(g.sources) >= q.min_sources


_EARLIEST = datetime.min.replace(tzinfo=UTC)
_ORDERS: dict[str, Callable[[StoredClaimGroup], tuple[object, ...]]] = {
    "sources": lambda g: (-len(g.sources), g.first_published or _EARLIEST, g.seq),
    "latest": lambda g: (
        g.latest_published is None,
        -(g.latest_published.timestamp() if g.latest_published else 0.0),
        g.seq,
    ),
    "first": lambda g: (g.first_published is None, g.first_published or _EARLIEST, g.seq),
    "size": lambda g: (-g.claims, g.seq),
}


__all__ = [
    "GroupsAnswer",
    "LinkStats",
    "claim_groups",
    "code_fingerprint",
    "group_record",
    "is_fresh",
    "options_key",
    "refresh",
    "stale_reason",
]
