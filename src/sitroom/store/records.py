"""Small typed rows the store returns besides the model's own dataclasses."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Generic, Literal, TypeVar

from .. import model
from .dialect import HIGHLIGHT_END, HIGHLIGHT_START

F = TypeVar("F", bound=model.Fact)

SaveStatus = Literal["new", "unchanged", "version"]


@dataclass(frozen=True, slots=True)
class SaveResult:
    """What ``Store.save`` did with a document.

    ``new``: stored. ``unchanged``: a document with the same id (the same text) was already
    stored; nothing was written. ``version``: stored as a new version of the latest stored
    document with the same URL, whose id is ``previous_id``.
    """

    status: SaveStatus
    document_id: str
    previous_id: str | None = None


@dataclass(frozen=True, slots=True)
class StoredDocument:
    """A stored document's metadata, without its text (``Store.get_document`` has the text)."""

    id: str
    source: str | None
    author: str | None
    url: str | None
    title: str | None
    published: datetime | None
    retrieved: datetime | None
    ingested_at: datetime
    kind: str
    language: str
    body_offset: int
    origin: str | None
    previous_id: str | None
    length: int  # characters of text


@dataclass(frozen=True, slots=True)
class StoredFact(Generic[F]):
    """A stored fact with its row id and the document it came from."""

    id: int
    document_id: str
    fact: F


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One document that matches a search.

    ``snippet`` is plain source text around the match, with each matched term wrapped in
    ``HIGHLIGHT_START``/``HIGHLIGHT_END`` (control characters; never render it as HTML — use
    ``segments()``). ``rank``: higher is a better match (negated bm25), comparable within one search.
    """

    document_id: str
    title: str | None
    source: str | None
    published: datetime | None
    snippet: str
    rank: float

    def segments(self) -> list[tuple[str, bool]]:
        """The snippet as (text, highlighted) pieces, for a presenter to escape and style."""
        out: list[tuple[str, bool]] = []
        for i, chunk in enumerate(self.snippet.split(HIGHLIGHT_START)):
            if i == 0:
                if chunk:
                    out.append((chunk, False))
                continue
            hit, _, rest = chunk.partition(HIGHLIGHT_END)
            if hit:
                out.append((hit, True))
            if rest:
                out.append((rest, False))
        return out

    @property
    def plain_snippet(self) -> str:
        """The snippet without highlight markers."""
        return self.snippet.replace(HIGHLIGHT_START, "").replace(HIGHLIGHT_END, "")


@dataclass(frozen=True, slots=True)
class StoreGeneration:
    """What a store holds, as far as derived results care: its write generation (bumped by every
    ``Store.save`` that stores a document), its number of documents and its last ingest number."""

    generation: int
    documents: int
    last_ingest_seq: int


@dataclass(frozen=True, slots=True)
class AnalysisState:
    """What the stored analysis snapshot was computed from (``computed_from``) and with (``code``,
    a fingerprint of the analysis and linking code), and the store now (``current``)."""

    computed_from: StoreGeneration
    code: str
    computed_at: datetime
    seconds: float
    current: StoreGeneration


@dataclass(frozen=True, slots=True)
class LinkState:
    """What the stored linking results were computed from (``computed_from``) and with (``options``,
    the linking options as JSON; ``code``, a fingerprint of the linking code), and the store now."""

    computed_from: StoreGeneration
    options: str
    code: str
    computed_at: datetime
    claims: int
    groups: int
    copies: int
    current: StoreGeneration


@dataclass(frozen=True, slots=True)
class StoredClaim:
    """A member of a stored claim group. ``origin_id``: the document its document copies, else None."""

    claim_id: str
    document_id: str
    start: int
    end: int
    text: str
    speaker: str | None
    source: str | None
    certainty: str
    published: datetime | None
    origin_id: str | None = None
    timestamp: float | None = None

    @property
    def voice(self) -> str:
        """Who makes the claim: the speaker, else the source, else "unknown" (as ``Claim.voice``)."""
        return self.speaker or self.source or "unknown"


@dataclass(frozen=True, slots=True)
class StoredClaimGroup:
    """A stored claim group: what it claims, who carries it, first and latest report, its members
    (in the order reported; empty when read without them)."""

    id: str
    seq: int
    text: str
    first_document_id: str
    first_source: str | None
    first_speaker: str | None
    first_published: datetime | None
    latest_document_id: str
    latest_source: str | None
    latest_published: datetime | None
    claims: int
    documents: int
    sources: list[str]  # independent sources, first reporter first
    all_sources: list[str]
    strongest_certainty: str
    denials: int
    members: list[StoredClaim] = field(default_factory=list)

    @property
    def independent_sources(self) -> int:
        return len(self.sources)
