"""Response models of the JSON API, so ``/openapi.json`` says what each route returns.

Rows whose fields come from the analyse stage (``to_dict`` there) allow extra fields: the named ones
are documented and always present; more may be added without breaking clients.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    """One page of a list: ``items``, how many there are in all, and the address of the next page."""

    items: list[T]
    total: int = Field(description="How many items match the filters, over all pages.")
    limit: int
    offset: int
    next: str | None = Field(None, description="The address of the next page, or null on the last one.")


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
