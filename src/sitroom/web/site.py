"""What every request needs, made once per app: the store, the settings, the linked corpus.

``claim_groups`` is the one place the web layer gets claim groups from. Today it links the stored
claims itself (``Corpus.load``, cached until a document is added); once the store keeps claim
groups, only this module changes.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from fastapi import Request

from ..extract.llm import SupportsExtract
from ..ingest import Fetcher, IngestOptions
from ..link import Corpus
from ..present.story import group_dict
from ..store import Store
from .settings import WebSettings

ExtractorFactory = Callable[[], SupportsExtract]
FetcherFactory = Callable[[IngestOptions], Fetcher]


class CorpusCache:
    """``Corpus.load`` once per state of the store (documents are only ever added, so their count
    tells when it changed); a few dated views (``until``) are kept beside the full one."""

    def __init__(self, store: Store, keep: int = 4) -> None:
        self.store = store
        self.keep = keep
        self._lock = threading.Lock()
        self._cached: OrderedDict[tuple[int, datetime | None], Corpus] = OrderedDict()

    def get(self, until: datetime | None = None) -> Corpus:
        key = (self.store.count_documents(), until)
        with self._lock:
            corpus = self._cached.get(key)
            if corpus is None:
                corpus = Corpus.load(self.store, until=until)
                self._cached[key] = corpus
                while len(self._cached) > self.keep:
                    self._cached.popitem(last=False)
            self._cached.move_to_end(key)
            return corpus


@dataclass(slots=True)
class Site:
    """The app's shared state (``app.state.site``); routes get it with ``Depends(get_site)``."""

    store: Store
    settings: WebSettings
    extractor_factory: ExtractorFactory
    fetcher_factory: FetcherFactory | None = None
    owns_store: bool = False
    corpus: CorpusCache = field(init=False)
    ingest_lock: threading.Lock = field(default_factory=threading.Lock)
    _extractor: SupportsExtract | None = None
    _boundaries: Any = None
    groups_cache: tuple[Corpus, list[dict[str, Any]]] | None = None
    groups_lock: threading.Lock = field(default_factory=threading.Lock)

    def boundaries(self) -> Any:
        """The map's boundaries (``web.geo``), read on first use; ConfigError when not built."""
        if self._boundaries is None:
            from .geo import load_boundaries

            self._boundaries = load_boundaries()
        return self._boundaries

    def __post_init__(self) -> None:
        self.corpus = CorpusCache(self.store)

    def extractor(self) -> SupportsExtract:
        """The extractor, built on first use (the rules pipeline loads spaCy: seconds, once)."""
        if self._extractor is None:
            self._extractor = self.extractor_factory()
        return self._extractor

    def now(self) -> datetime:
        return datetime.now(UTC)


def get_site(request: Request) -> Site:
    site: Site = request.app.state.site
    return site


def _all_groups(site: Site) -> list[dict[str, Any]]:
    """Every claim group as a dict, most independent sources first (built once per corpus)."""
    corpus = site.corpus.get()
    with site.groups_lock:
        cached = site.groups_cache
        if cached is not None and cached[0] is corpus:
            return cached[1]
        rows = [group_dict(corpus, g) for g in corpus.groups]
        never = datetime.min.replace(tzinfo=UTC).isoformat()
        rows.sort(key=lambda r: (-r["independent_sources"], r["first"]["published"] or never, r["id"]))
        site.groups_cache = (corpus, rows)
        return rows


def claim_groups(site: Site, *, topic: str | None = None, min_sources: int = 1) -> list[dict[str, Any]]:
    """Claim groups as dicts (``present.story.group_dict``), most independent sources first.

    ``topic``: only groups one of whose claims contains it (case-insensitive); ``min_sources``: at
    least this many independent sources."""
    needle = topic.casefold() if topic else None
    return [
        r
        for r in _all_groups(site)
        if r["independent_sources"] >= min_sources
        and (needle is None or any(needle in c["text"].casefold() for c in r["claims"]))
    ]


def claim_group(site: Site, group_id: str) -> dict[str, Any] | None:
    return next((r for r in _all_groups(site) if r["id"] == group_id), None)


def document_claims(site: Site, document_id: str) -> list[tuple[int, int, str, str]]:
    """The claims of one document that another report joins: (start, end, group id, group text)."""
    corpus = site.corpus.get()
    out: list[tuple[int, int, str, str]] = []
    for g in corpus.groups:
        if len(g.claims) < 2:
            continue
        for c in g.claims:
            if c.document_id == document_id:
                out.append((c.start, c.end, g.id, g.text))
    return sorted(out)
