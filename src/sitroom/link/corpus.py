"""The corpus as the analyse stage sees it: every stored fact with who voices it and how surely,
the claims, the copies between documents, and (on first use) the claim groups.

``Corpus.load(store)`` reads the store once, in batches. When the store holds fresh linking results
(``sitroom link``, :mod:`.persist`) for the same options, it takes the copies and claim groups from
there instead of finding and linking them again (the same groups: the store checks that every claim
read is in exactly one stored group). A fact inside an attribution's content is
voiced by that attribution's speaker with its certainty ("Russia captured Kupiansk, the ministry
said" → the ministry, asserted; "Kyiv denies that Kupiansk fell" → Kyiv, denied); any other fact is
voiced by the document's source, with the certainty of the hedge cues in its sentence.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import TYPE_CHECKING, Any

from .. import model
from .claims import Claim, claims_of
from .copies import DocumentText, find_copies
from .groups import ClaimGroup, Embedder, Linker, LinkOptions, build_linker
from .text import sentence_around, sentence_bounds

if TYPE_CHECKING:
    from ..store import Store


@dataclass(frozen=True, slots=True)
class DocInfo:
    id: str
    source: str | None
    title: str | None
    url: str | None
    published: datetime | None
    kind: str
    order: int  # position in publication order (undated last)

    @property
    def day(self) -> date | None:
        return self.published.date() if self.published else None


@dataclass(frozen=True, slots=True)
class FactRef:
    """A stored fact, where it came from, who voices it and how surely."""

    kind: str
    id: int | None
    document_id: str
    fact: Any  # the model dataclass of ``kind``
    voice: str  # the speaker of the enclosing attribution, else the document's source
    certainty: str
    published: datetime | None
    context: str  # the sentence(s) around the evidence, whitespace folded


def _voice(
    extraction: model.Extraction, fact: model.Fact, default_voice: str, bounds: Sequence[tuple[int, int]]
) -> tuple[str, str]:
    best: model.Attribution | None = None
    for att in extraction.attributions:
        if (
            att.start <= fact.start
            and fact.end <= att.end
            and (best is None or att.end - att.start < best.end - best.start)
        ):
            best = att
    if best is not None:
        return best.speaker, best.certainty
    s, e = sentence_around(bounds, fact.start, fact.end)
    kinds = {h.kind for h in extraction.hedges if h.start >= s and h.end <= e}
    for kind in ("denied", "questioned", "rumoured", "hedged"):
        if kind in kinds:
            return default_voice, kind
    return default_voice, "asserted"


def facts_of(extraction: model.Extraction, ids: dict[str, list[int]]) -> Iterator[FactRef]:
    doc = extraction.document
    bounds = sentence_bounds(doc.text)
    default_voice = doc.source or doc.author or "unknown source"
    for kind in ("places", "quantities", "provisions", "stances", "predictions"):
        kind_ids = ids.get(kind, [])
        for i, fact in enumerate(getattr(extraction, kind)):
            voice, certainty = _voice(extraction, fact, default_voice, bounds)
            if kind in ("stances", "predictions"):
                # these name their own holder; the attribution only lends its certainty
                holder = getattr(fact, "actor", None) or getattr(fact, "by", None)
                voice = holder or voice
            s, e = sentence_around(bounds, fact.start, fact.end)
            yield FactRef(
                kind,
                kind_ids[i] if i < len(kind_ids) else None,
                doc.id,
                fact,
                voice,
                certainty,
                doc.published,
                " ".join(doc.text[s:e].split()),
            )


@dataclass(slots=True)
class Corpus:
    documents: dict[str, DocInfo] = field(default_factory=dict)
    facts: dict[str, list[FactRef]] = field(default_factory=dict)
    claims: list[Claim] = field(default_factory=list)
    copies: dict[str, str] = field(default_factory=dict)  # copy document id -> origin document id
    attributions: list[tuple[str, model.Attribution]] = field(default_factory=list)
    link_options: LinkOptions = field(default_factory=LinkOptions)
    embedder: Embedder | None = None
    _linker: Linker | None = None
    _groups: list[ClaimGroup] | None = None  # stored groups, when they were fresh (else the linker's)
    _skipped: int = 0  # documents left out by ``until``
    _without_claims: bool = False  # loaded with claims=False: no claims, copies only if stored
    _by_document: dict[str, dict[str, list[FactRef]]] | None = None

    @classmethod
    def load(
        cls,
        store: Store,
        *,
        until: datetime | None = None,
        options: LinkOptions | None = None,
        embedder: Embedder | None = None,
        stored: bool = True,
        claims: bool = True,
    ) -> Corpus:
        """Everything stored (published at or before ``until``, when given; undated documents kept).

        ``stored``: use the stored copies and claim groups when they are fresh for these options and
        ``until`` leaves no document out (``False``: always find and link them here). ``claims=False``:
        the facts, documents and copies only — for views that never compare claims (the ground), which
        then skip the claim building that is most of the load (``groups`` and ``linker`` refuse)."""
        from . import persist

        use_stored = stored and persist.stale_reason(store.link_state(), options, embedder) is None
        if use_stored and until is not None:
            latest = store.latest_published()
            use_stored = latest is None or latest <= until  # ``until`` leaves no document out
        corpus = cls.from_extractions(
            store.iter_extractions(),
            until=until,
            options=options,
            embedder=embedder,
            copies=store.stored_copies() if use_stored else None,
            claims=claims,
        )
        if use_stored and claims:
            if corpus._skipped == 0 and corpus._adopt(store.claim_group_members()):
                return corpus
            # the stored results do not describe this corpus: find and link here
            corpus = cls.from_extractions(store.iter_extractions(), until=until, options=options, embedder=embedder)
        return corpus

    @classmethod
    def from_extractions(
        cls,
        extractions: Iterable[tuple[model.Extraction, dict[str, list[int]]]],
        *,
        until: datetime | None = None,
        options: LinkOptions | None = None,
        embedder: Embedder | None = None,
        copies: dict[str, str] | None = None,
        claims: bool = True,
    ) -> Corpus:
        """The corpus of ``extractions``; ``copies`` (copy id → origin id) when already known;
        ``claims=False`` builds no claims (see ``load``)."""
        corpus = cls(link_options=options or LinkOptions(), embedder=embedder, _without_claims=not claims)
        texts: list[DocumentText] = []
        for kind in ("places", "quantities", "provisions", "stances", "predictions"):
            corpus.facts[kind] = []
        for extraction, ids in extractions:
            doc = extraction.document
            if until is not None and doc.published is not None and doc.published > until:
                corpus._skipped += 1
                continue
            order = len(corpus.documents)
            corpus.documents[doc.id] = DocInfo(
                doc.id, doc.source or doc.author, doc.title, doc.url, doc.published, doc.kind, order
            )
            texts.append(DocumentText(doc.id, doc.text, doc.published, order))
            for ref in facts_of(extraction, ids):
                corpus.facts[ref.kind].append(ref)
            if claims:
                corpus.claims.extend(claims_of(extraction, ids))
            corpus.attributions.extend((doc.id, a) for a in extraction.attributions)
        if copies is None:
            corpus.copies = find_copies(texts)
        else:
            corpus.copies = {c: o for c, o in copies.items() if c in corpus.documents and o in corpus.documents}
        for claim in corpus.claims:
            claim.origin = corpus.copies.get(claim.document_id, claim.document_id)
        return corpus

    @property
    def linker(self) -> Linker:
        """The linker that grouped the claims (built on first use); its index also answers probes."""
        if self._without_claims:
            raise RuntimeError("this corpus was loaded with claims=False: it has no claims to link")
        if self._linker is None:
            self._linker = build_linker(self.claims, self.link_options, self.embedder)
        return self._linker

    @property
    def groups(self) -> list[ClaimGroup]:
        if self._without_claims:
            raise RuntimeError("this corpus was loaded with claims=False: it has no claim groups")
        return self._groups if self._groups is not None else self.linker.groups

    def _adopt(self, stored: list[tuple[str, list[tuple[str, int, str | None, str]]]]) -> bool:
        """Take stored groups (id, members' (claim id, end, speaker, certainty)) if they hold every
        claim of this corpus exactly once and nothing else; False (nothing changed) otherwise."""
        pool: dict[tuple[str, int, str | None, str], list[Claim]] = {}
        for c in self.claims:
            pool.setdefault((c.id, c.end, c.speaker, c.certainty), []).append(c)
        groups: list[ClaimGroup] = []
        for group_id, keys in stored:
            members: list[Claim] = []
            for key in keys:
                found = pool.get(key)
                if not found:
                    return False
                members.append(found.pop(0))
            groups.append(ClaimGroup(id=group_id, claims=members))
        if any(pool.values()):
            return False
        self._groups = groups
        return True

    def facts_in(self, kind: str, document_id: str) -> list[FactRef]:
        """The facts of one kind in one document (indexed on first use: no scan per call)."""
        if self._by_document is None:
            index: dict[str, dict[str, list[FactRef]]] = {}
            for name, refs in self.facts.items():
                for ref in refs:
                    index.setdefault(name, {}).setdefault(ref.document_id, []).append(ref)
            self._by_document = index
        return self._by_document.get(kind, {}).get(document_id, [])

    def source_of(self, document_id: str) -> str | None:
        info = self.documents.get(document_id)
        return info.source if info else None

    def origin_source(self, document_id: str) -> str:
        """The outlet a document counts as: the origin's outlet for a copy."""
        origin = self.copies.get(document_id, document_id)
        return self.source_of(origin) or self.source_of(document_id) or document_id

    def independent_sources(self, group: ClaimGroup) -> list[str]:
        return group.independent_sources(self.source_of)


def day_end(day: date) -> datetime:
    """The last moment of ``day`` in UTC: ``--at 2025-11-30`` includes everything published that day."""
    return datetime.combine(day, time.max, tzinfo=UTC)


__all__ = ["Corpus", "DocInfo", "FactRef", "day_end", "facts_of"]
