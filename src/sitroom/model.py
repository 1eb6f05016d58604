"""The data that flows through the pipeline: documents in, facts out.

Every fact carries ``start``/``end``: character offsets of its evidence in ``Document.text``.
The extraction contract (PRODUCT.md) reports offsets into the text *as extract read it*; for a
text file with a front-matter header that is the whole file, so ``Extraction.to_contract`` adds
``Document.body_offset``.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any, Literal

Certainty = Literal["asserted", "hedged", "rumoured", "denied", "questioned"]
PlaceStatus = Literal["captured", "contested", "threatened", "mentioned"]
StanceValue = Literal["support", "oppose", "undecided"]
DocumentKind = Literal["article", "transcript", "post", "statement", "note"]

CERTAINTIES: tuple[str, ...] = ("asserted", "hedged", "rumoured", "denied", "questioned")
PLACE_STATUSES: tuple[str, ...] = ("captured", "contested", "threatened", "mentioned")
STANCES: tuple[str, ...] = ("support", "oppose", "undecided")
DOCUMENT_KINDS: tuple[str, ...] = ("article", "transcript", "post", "statement", "note")
PROVISION_TOPICS: tuple[str, ...] = (
    "territory",
    "army_size",
    "weapons_limits",
    "foreign_troops",
    "nato_membership",
    "security_guarantees",
    "language_religion",
    "sanctions",
    "frozen_assets",
    "elections",
    "economic_cooperation",
    "amnesty",
    "nuclear_plant",
    "ceasefire_monitoring",
    "other",
)

_WS = re.compile(r"\s+")


def normalise_for_id(text: str) -> str:
    """The form of a text that decides its identity: NFC, whitespace folded, trimmed."""
    return _WS.sub(" ", unicodedata.normalize("NFC", text)).strip()


def document_id(text: str) -> str:
    """Stable id of a document: the first 20 hex digits of SHA-256 of its normalised text."""
    return hashlib.sha256(normalise_for_id(text).encode("utf-8")).hexdigest()[:20]


@dataclass(slots=True)
class Cue:
    """A timed stretch of a transcript: ``text[start:end]`` was spoken from ``t_start`` seconds."""

    start: int
    end: int
    t_start: float
    t_end: float


@dataclass(slots=True)
class Document:
    text: str
    source: str | None = None
    author: str | None = None
    url: str | None = None
    title: str | None = None
    published: datetime | None = None
    retrieved: datetime | None = None
    kind: str = "article"
    language: str = "en"
    body_offset: int = 0
    origin: str | None = None  # the path or URL it was read from
    cues: list[Cue] = field(default_factory=list)
    id: str = ""

    def __post_init__(self) -> None:
        if not self.id:
            self.id = document_id(self.text)

    @property
    def reference_date(self) -> date | None:
        """The date relative expressions ("in February") are resolved against."""
        when = self.published or self.retrieved
        return when.date() if when else None

    def timestamp_at(self, offset: int) -> float | None:
        """Seconds into a transcript at which the character at ``offset`` was spoken."""
        for cue in self.cues:
            if cue.start <= offset < cue.end:
                return cue.t_start
        return None


@dataclass(slots=True)
class Fact:
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class Attribution(Fact):
    speaker: str
    cue: str
    content: str
    certainty: str = "asserted"
    speaker_start: int | None = None
    speaker_end: int | None = None
    parent: int | None = None  # index of the attribution this one is nested in


@dataclass(slots=True)
class Hedge(Fact):
    text: str
    kind: str = "hedged"  # the certainty the cue signals: hedged | rumoured | questioned | denied


@dataclass(slots=True)
class Place(Fact):
    name: str
    mention: str
    lat: float | None
    lon: float | None
    country: str | None
    admin1: str | None
    status: str = "mentioned"
    by: str | None = None
    geonameid: int | None = None
    feature: str = "city"  # city | region | country


@dataclass(slots=True)
class Provision(Fact):
    topic: str
    text: str
    number: int | None = None
    plan: str | None = None


@dataclass(slots=True)
class Stance(Fact):
    actor: str
    target: str
    stance: str


@dataclass(slots=True)
class Prediction(Fact):
    by: str | None
    what: str
    deadline: str | None  # ISO date, year-month or year
    conditional: bool = False


@dataclass(slots=True)
class Quantity(Fact):
    value: float
    unit: str | None
    text: str
    about: str | None = None


FACT_KINDS: dict[str, type[Fact]] = {
    "attributions": Attribution,
    "hedges": Hedge,
    "places": Place,
    "provisions": Provision,
    "stances": Stance,
    "predictions": Prediction,
    "quantities": Quantity,
}

# Fields that are part of the stable contract, per fact kind (more may be printed).
CONTRACT_FIELDS: dict[str, tuple[str, ...]] = {
    "attributions": ("speaker", "cue", "content", "start", "end", "certainty"),
    "hedges": ("text", "start", "end"),
    "places": ("name", "mention", "lat", "lon", "country", "admin1", "status", "by", "start", "end"),
    "provisions": ("topic", "text", "number", "start", "end"),
    "stances": ("actor", "target", "stance", "start", "end"),
    "predictions": ("by", "what", "deadline", "start", "end"),
    "quantities": ("value", "unit", "text", "about", "start", "end"),
}


# The field of each kind that quotes (or, for stances and predictions, names) the evidence: the
# gold set and the LLM extractor both give evidence as a quotation and locate it in the text.
EVIDENCE_FIELDS: dict[str, str] = {
    "attributions": "content",
    "hedges": "text",
    "places": "mention",
    "provisions": "text",
    "stances": "evidence",
    "predictions": "evidence",
    "quantities": "text",
}


@dataclass(slots=True)
class Extraction:
    """All facts found in one document."""

    document: Document
    attributions: list[Attribution] = field(default_factory=list)
    hedges: list[Hedge] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    provisions: list[Provision] = field(default_factory=list)
    stances: list[Stance] = field(default_factory=list)
    predictions: list[Prediction] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)

    def facts(self) -> dict[str, list[Fact]]:
        return {kind: list(getattr(self, kind)) for kind in FACT_KINDS}

    def to_contract(self) -> dict[str, Any]:
        """The JSON object `sitroom extract --json` prints (PRODUCT.md's extraction contract)."""
        doc = self.document
        shift = doc.body_offset
        out: dict[str, Any] = {
            "document": {
                "id": doc.id,
                "source": doc.source,
                "published": doc.published.date().isoformat() if doc.published else None,
                "title": doc.title,
                "kind": doc.kind,
                "url": doc.url,
                "author": doc.author,
            }
        }
        for kind, facts in self.facts().items():
            rows = []
            for fact in facts:
                row = fact.to_dict()
                row["start"] += shift
                row["end"] += shift
                for key in ("speaker_start", "speaker_end"):
                    if row.get(key) is not None:
                        row[key] += shift
                ts = doc.timestamp_at(fact.start) if doc.cues else None
                if ts is not None:
                    row["timestamp"] = ts
                rows.append(row)
            out[kind] = rows
        return out
