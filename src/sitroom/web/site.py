"""What every request needs, made once per app: the store, the settings, the analysed corpus.

Claim groups come from the store (``link.persist``): the same stored groups, with the same ids, on
the claim pages, the API and the reader. When they are stale (the store changed since they were
linked) the background analysis (``web.analysis``) links again and stores them; meanwhile the
previous groups are served, marked as updating. No request links the whole corpus itself.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from fastapi import Request

from ..extract.llm import SupportsExtract
from ..ingest import Fetcher, IngestOptions
from ..link import persist
from ..present.story import stored_group_dict
from ..store import GroupQuery, Store
from ..store.pages import group_members
from .analysis import Analysed, Analyser
from .settings import WebSettings

LIST_CLAIMS = 20  # claims shown per group in a list (every denial besides)
ExtractorFactory = Callable[[], SupportsExtract]
FetcherFactory = Callable[[IngestOptions], Fetcher]


@dataclass(slots=True)
class Site:
    """The app's shared state (``app.state.site``); routes get it with ``Depends(get_site)``."""

    store: Store
    settings: WebSettings
    extractor_factory: ExtractorFactory
    fetcher_factory: FetcherFactory | None = None
    owns_store: bool = False
    analyser: Analyser = field(init=False)
    ingest_lock: threading.Lock = field(default_factory=threading.Lock)
    _extractor: SupportsExtract | None = None
    _boundaries: Any = None
    _names: tuple[Any, tuple[list[str], list[str]]] | None = None
    _group_counts: dict[tuple[Any, ...], int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.analyser = Analyser(self.store, self.settings.analysis_wait, settle_from=self.settings.settle_heap_from)

    def boundaries(self) -> Any:
        """The map's boundaries (``web.geo``), read on first use; ConfigError when not built."""
        if self._boundaries is None:
            from .geo import load_boundaries

            self._boundaries = load_boundaries()
        return self._boundaries

    def extractor(self) -> SupportsExtract:
        """The extractor, built on first use (the rules pipeline loads spaCy: seconds, once)."""
        if self._extractor is None:
            self._extractor = self.extractor_factory()
        return self._extractor

    def analysed(self, request: Request | None = None) -> Analysed:
        """The analysed corpus (``web.analysis``). With a request, records on it whether the results
        are behind the store, so the page can say "updating"."""
        current, behind = self.analyser.get()
        if request is not None and behind:
            request.state.updating = True
        return current

    def count_groups(self, query: GroupQuery) -> int:
        """How many stored groups match ``query``'s filters, counted once per state of the stored
        groups (counting 450,000 groups took 25 ms a request at 100,000 documents)."""
        state = self.store.link_state()
        key = (state.computed_at if state else None, query.since, query.until, query.topic, query.min_sources)
        found = self._group_counts.get(key)
        if found is None:
            found = self.store.count_claim_groups(query)
            if len(self._group_counts) > 256:
                self._group_counts.clear()
            self._group_counts[key] = found
        return found

    def names(self) -> tuple[list[str], list[str]]:
        """The sources and kinds of the stored documents (filter menus), read once per generation."""
        generation = self.store.generation()
        cached = self._names
        if cached is None or cached[0] != generation:
            from ..store.pages import document_names

            cached = (generation, document_names(self.store))
            self._names = cached
        return cached[1]

    def now(self) -> datetime:
        return datetime.now(UTC)


def get_site(request: Request) -> Site:
    site: Site = request.app.state.site
    return site


def _groups_ready(site: Site, request: Request | None) -> None:
    """Make sure stored groups exist (waiting for the first analysis when none were ever stored);
    when they are stale, start the analysis that relinks them and mark the page as updating."""
    state = site.store.link_state()
    if state is None:
        site.analysed(request)  # its analysis stores the groups (NotReady while it runs too long)
        state = site.store.link_state()
    if persist.stale_reason(state) is not None:
        site.analyser.start()
        site.analyser.wait(site.settings.analysis_wait)
        if request is not None and persist.stale_reason(site.store.link_state()) is not None:
            request.state.updating = True


def claim_groups(
    site: Site,
    *,
    topic: str | None = None,
    min_sources: int = 1,
    limit: int | None = None,
    offset: int = 0,
    request: Request | None = None,
) -> tuple[list[dict[str, Any]], int]:
    """One page of claim groups as dicts (``present.story.stored_group_dict``), most independent
    sources first, and how many match. ``topic``: a claim's text contains it (case-insensitive);
    ``min_sources``: at least this many independent sources. Filtered and paged in SQL.

    Each carries its first ``LIST_CLAIMS`` claims and up to as many denials (``claims_total`` and
    ``denials``: how many it has in all); ``claim_group`` pages through every claim of one group."""
    _groups_ready(site, request)
    q = GroupQuery(topic=topic or None, min_sources=min_sources, limit=limit, offset=offset)
    groups = site.store.claim_groups(q, members=False)
    denied = {g.id for g in groups if g.denials}
    members = group_members(site.store, [g.id for g in groups], LIST_CLAIMS, denied)
    rows = [
        {**stored_group_dict(replace(g, members=members.get(g.id, []))), "claims_total": g.claims, "denials": g.denials}
        for g in groups
    ]
    return rows, site.count_groups(q)


GROUP_CLAIMS = 200  # claims of one group per page (a story carried by many outlets has thousands)


def claim_group(
    site: Site, group_id: str, request: Request | None = None, *, limit: int = GROUP_CLAIMS, offset: int = 0
) -> dict[str, Any] | None:
    """One claim group with ``limit`` of its claims from ``offset`` and up to ``limit`` more that deny it
    (``claims_total``: how many it has; ``claims_offset``: where this page starts; ``denials``: how
    many deny it)."""
    _groups_ready(site, request)
    group = site.store.claim_group(group_id, members=False)
    if group is None:
        return None
    denied = {group_id} if group.denials else set()
    members = group_members(site.store, [group_id], limit, denied, offset=offset).get(group_id, [])
    out = stored_group_dict(replace(group, members=members))
    paging = {"claims_total": group.claims, "claims_offset": offset, "claims_limit": limit}
    return {**out, **paging, "denials": group.denials}


def document_claims(site: Site, document_id: str, request: Request | None = None) -> list[tuple[int, int, str, str]]:
    """The claims of one document that another report joins: (start, end, group id, group text)."""
    _groups_ready(site, request)
    return site.store.document_claim_groups(document_id)
