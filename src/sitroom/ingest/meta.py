"""Document metadata from front matter and sidecars: validation, dates, and who wins.

Precedence, lowest to highest: what the input itself says (HTML meta tags, feed fields, front
matter), then a ``<stem>.meta.json`` sidecar, then :class:`IngestOptions` (the CLI flags).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

from ..errors import ParseError
from ..model import DOCUMENT_KINDS, Document
from .messages import one_line, warn
from .options import IngestOptions

SIDECAR_SUFFIX = ".meta.json"
_SIDECAR_MAX_BYTES = 64 * 1024


@dataclass(frozen=True, slots=True)
class Metadata:
    """What an input says about itself; ``None`` means "not said"."""

    source: str | None = None
    url: str | None = None
    author: str | None = None
    published: datetime | None = None
    kind: str | None = None
    title: str | None = None
    language: str | None = None


METADATA_KEYS: tuple[str, ...] = tuple(f.name for f in fields(Metadata))


def to_utc(value: datetime) -> datetime:
    """A timezone-aware UTC datetime; a naive one is taken to be UTC already."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def parse_datetime(value: Any, input: str, key: str = "published") -> datetime:
    """A date or datetime from YAML/JSON (ISO 8601 or a written date) as aware UTC."""
    if isinstance(value, datetime):
        return to_utc(value)
    if isinstance(value, date):
        return datetime.combine(value, time(), tzinfo=UTC)
    text = str(value).strip()
    if text:
        try:
            return to_utc(datetime.fromisoformat(text))
        except ValueError:
            pass
        import dateparser  # slow to import; only needed for dates not written in ISO 8601

        parsed = dateparser.parse(
            text,
            settings={
                "PARSERS": ["absolute-time", "timestamp"],
                "TIMEZONE": "UTC",
                "RETURN_AS_TIMEZONE_AWARE": True,
            },
        )
        if parsed is not None:
            return to_utc(parsed)
    raise ParseError(f"cannot read the {key} date {text!r}", input=input, hint="write it as YYYY-MM-DD (ISO 8601)")


def parse_kind(value: Any, input: str) -> str:
    kind = str(value).strip().lower()
    if kind not in DOCUMENT_KINDS:
        raise ParseError(
            f"unknown document kind {value!r}", input=input, hint=f"use one of: {', '.join(DOCUMENT_KINDS)}"
        )
    return kind


def normalise_language(value: str | None) -> str | None:
    """``"en-GB"`` → ``"en"``: the primary language subtag, lower case."""
    if not value:
        return None
    primary = value.strip().replace("_", "-").split("-")[0].lower()
    return primary or None


def _as_text(key: str, value: Any, input: str) -> str | None:
    if value is None:
        return None
    if isinstance(value, list | tuple):
        value = ", ".join(str(v).strip() for v in value if v is not None)
    elif isinstance(value, Mapping):
        raise ParseError(f"{key} must be a single value, not a mapping", input=input, hint=f"write `{key}: …`")
    text = str(value).strip()
    return text or None


def parse_metadata(raw: Mapping[Any, Any], input: str, warnings: list[str] | None = None) -> Metadata:
    """Validate a front-matter or sidecar mapping; unknown keys are reported, not fatal."""
    values: dict[str, Any] = {}
    for key, value in raw.items():
        name = str(key).strip().lower()
        if name not in METADATA_KEYS:
            known = ", ".join(METADATA_KEYS)
            warn(warnings, f"{input}: ignored unknown metadata key {key!r} (known: {known})")
            continue
        if value is None or value == "":
            continue
        if name == "published":
            values[name] = parse_datetime(value, input)
        elif name == "kind":
            values[name] = parse_kind(value, input)
        elif name == "language":
            values[name] = normalise_language(_as_text(name, value, input))
        else:
            values[name] = _as_text(name, value, input)
    return Metadata(**values)


def sidecar_path(path: Path) -> Path:
    """``talk.vtt`` → ``talk.meta.json`` (next to it)."""
    return path.with_name(path.stem + SIDECAR_SUFFIX) if path.suffix else path.with_name(path.name + SIDECAR_SUFFIX)


def is_sidecar(path: Path) -> bool:
    """Whether ``path`` is a ``.meta.json`` sidecar (metadata for another file, not a document)."""
    return path.name.lower().endswith(SIDECAR_SUFFIX)


def load_sidecar(path: Path, warnings: list[str] | None = None) -> Metadata | None:
    """The metadata in ``path``'s sidecar, or ``None`` if there is none. Bad JSON → ``ParseError``."""
    side = sidecar_path(path)
    if not side.is_file():
        return None
    name = str(side)
    if side.stat().st_size > _SIDECAR_MAX_BYTES:
        raise ParseError(
            f"metadata sidecar is over {_SIDECAR_MAX_BYTES:,} bytes",
            input=name,
            hint="it should hold a few fields",
        )
    try:
        raw = json.loads(side.read_bytes().decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ParseError(
            f"metadata sidecar is not valid UTF-8 JSON ({one_line(exc)})",
            input=name,
            hint='fix it, e.g. {"source": "…", "published": "2025-11-20"}, or remove it',
        ) from exc
    if not isinstance(raw, dict):
        raise ParseError("metadata sidecar must be a JSON object", input=name, hint='e.g. {"source": "…"}')
    return parse_metadata(raw, name, warnings)


_PER_ENTRY = ("title", "url", "published")


def apply_metadata(doc: Document, meta: Metadata, *, single: bool = True) -> None:
    """Overwrite ``doc``'s fields with what ``meta`` says.

    ``single=False`` (one of a feed's entries) keeps the entry's own title, url and date.
    """
    for name in METADATA_KEYS:
        value = getattr(meta, name)
        if value is None or (not single and name in _PER_ENTRY):
            continue
        setattr(doc, name, value)


_NAME_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?!\d)")


def date_from_name(path: Path) -> datetime | None:
    """The date a file's name starts with (``2025-11-22-desk-notes.txt`` → 2025-11-22, midnight UTC)."""
    m = _NAME_DATE.match(path.name)
    if not m:
        return None
    try:
        return datetime.combine(date(int(m[1]), int(m[2]), int(m[3])), time.min, tzinfo=UTC)
    except ValueError:
        return None


def finish(
    docs: list[Document],
    *,
    origin: str,
    options: IngestOptions,
    layers: list[Metadata | None],
    single: bool = True,
    fallback_published: datetime | None = None,
) -> None:
    """Apply metadata layers, then the options, then set origin, retrieved and UTC dates.

    ``single=False`` (a feed): the layers keep each entry's own title, url and date; the options
    (what the user typed) still win over everything. ``fallback_published`` (the date a file's name
    starts with) dates a document that nothing else dates.
    """
    retrieved = to_utc(options.now())
    overrides = Metadata(source=options.source, author=options.author, published=options.published, kind=options.kind)
    for doc in docs:
        for layer in layers:
            if layer is not None:
                apply_metadata(doc, layer, single=single)
        apply_metadata(doc, overrides)
        if doc.published is None:
            doc.published = fallback_published
        if doc.published is not None:
            doc.published = to_utc(doc.published)
        doc.origin = origin
        doc.retrieved = retrieved
