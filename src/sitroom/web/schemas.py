"""Response models of the JSON API, so ``/openapi.json`` says what each route returns.

Rows whose fields come from the analyse stage (``to_dict`` there) allow extra fields: the named ones
are documented and always present; more may be added without breaking clients.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    """One page of a list: ``items``, how many there are in all, and the address of the next page."""

    items: list[T]
    total: int | None = Field(
        description="How many items match the filters, over all pages; null when a filtered document "
        "list matches more than 10,000 (it is not counted further: follow next)."
    )
    limit: int
    offset: int
    next: str | None = Field(None, description="The address of the next page, or null on the last one.")
    updating: bool = Field(
        False, description="The store changed and is being analysed again: these are the previous results."
    )


class ErrorOut(BaseModel):
    error: str = Field(description="One line: what went wrong and what to do.")
    status: int


class DocumentOut(BaseModel):
    id: str
    title: str | None
    source: str | None
    author: str | None
    url: str | None
    published: datetime | None
    retrieved: datetime | None
    ingested_at: datetime
    kind: str
    language: str
    length: int = Field(description="Characters of text.")
    previous_id: str | None = Field(description="The earlier stored version with the same URL.")


class FactOut(BaseModel):
    """A stored fact: its row id, kind, document and evidence offsets, plus the fields of its kind."""

    model_config = ConfigDict(extra="allow")

    id: int
    kind: str
    document_id: str
    start: int
    end: int


class CueOut(BaseModel):
    start: int
    end: int
    t_start: float
    t_end: float


class DocumentDetail(DocumentOut):
    text: str
    body_offset: int
    cues: list[CueOut]
    facts: dict[str, list[FactOut]]


class Segment(BaseModel):
    text: str
    hit: bool


class SearchHitOut(BaseModel):
    document_id: str
    title: str | None
    source: str | None
    published: datetime | None
    snippet: str = Field(description="Plain text around the match.")
    segments: list[Segment] = Field(description="The snippet in pieces, matched terms marked hit.")
    rank: float


class ClaimOut(BaseModel):
    model_config = ConfigDict(extra="allow")

    document_id: str
    start: int
    end: int
    text: str
    source: str | None
    certainty: str


class ClaimGroupOut(BaseModel):
    model_config = ConfigDict(extra="allow")

    id: str
    text: str
    independent_sources: int
    sources: list[str]
    strongest_certainty: str
    claims: list[ClaimOut]


class PlaceOut(BaseModel):
    model_config = ConfigDict(extra="allow")

    name: str
    lat: float | None
    lon: float | None
    status: str
    by: str | None
    disputed: bool


class PlanOut(BaseModel):
    model_config = ConfigDict(extra="allow")

    plan: str
    current: dict[str, Any] | None
    versions: list[dict[str, Any]]
    changes: list[dict[str, Any]]
    stances: list[dict[str, Any]]


class PredictionOut(BaseModel):
    model_config = ConfigDict(extra="allow")

    id: int | None
    by: str | None
    what: str
    deadline: str | None
    status: str
    probability: float
    document_id: str


class ResolveIn(BaseModel):
    outcome: Literal["true", "false", "void"]
    note: str | None = Field(None, max_length=2000)
    evidence: str | None = Field(None, description="The id of a stored document that shows it.", max_length=64)


class ResolveOut(BaseModel):
    prediction_id: int
    resolution_id: int
    outcome: str


class SourceOut(BaseModel):
    model_config = ConfigDict(extra="allow")

    name: str
    kind: str
    claims: int


class ContradictionOut(BaseModel):
    model_config = ConfigDict(extra="allow")

    kind: str
    subject: str


class DocumentIn(BaseModel):
    """A document to ingest: ``text`` you paste, or one http(s) ``url`` to fetch (exactly one)."""

    model_config = ConfigDict(extra="forbid")

    text: str | None = Field(None, description="The text (a front-matter header works as in a file).")
    url: str | None = Field(None, max_length=2000, description="An http(s) address to fetch instead.")
    title: str | None = Field(None, max_length=500)
    source: str | None = Field(None, max_length=500)
    author: str | None = Field(None, max_length=500)
    published: date | None = Field(None, description="YYYY-MM-DD")
    kind: Literal["article", "transcript", "post", "statement", "note"] | None = None


class IngestFailureOut(BaseModel):
    input: str
    error: str


class IngestOut(BaseModel):
    """What was stored: new documents, new versions of a stored URL, ones already stored."""

    new: int
    versions: int
    unchanged: int
    document_ids: list[str]
    failed: list[IngestFailureOut]
    warnings: list[str]
