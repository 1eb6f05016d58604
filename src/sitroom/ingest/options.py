"""One typed options object for the ingest stage (no long keyword lists)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from .. import __version__
from ..errors import ConfigError
from ..model import DOCUMENT_KINDS

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
DEFAULT_USER_AGENT = f"sitroom/{__version__} (+https://github.com/sitroom; local analyst tool)"


def utc_now() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class IngestOptions:
    """How to read inputs. ``source``/``published``/``kind``/``author`` win over what a file says.

    ``timeout`` bounds each network operation (connect, each read); ``total_timeout`` bounds the
    whole download of one URL, so a server that trickles bytes cannot stall a batch.
    ``linked_summary_chars``: a feed entry whose only text is a summary shorter than this has its
    linked article fetched (when ``fetch_linked``).
    """

    source: str | None = None
    published: datetime | None = None
    kind: str | None = None
    author: str | None = None
    max_bytes: int = DEFAULT_MAX_BYTES
    timeout: float = 20.0
    total_timeout: float = 120.0
    max_redirects: int = 5
    user_agent: str = DEFAULT_USER_AGENT
    fetch_linked: bool = True
    linked_summary_chars: int = 400
    now: Callable[[], datetime] = utc_now

    def __post_init__(self) -> None:
        if self.kind is not None and self.kind not in DOCUMENT_KINDS:
            raise ConfigError(f"unknown document kind {self.kind!r}", hint=f"use one of: {', '.join(DOCUMENT_KINDS)}")
        if self.max_bytes <= 0:
            raise ConfigError(f"max_bytes must be positive, not {self.max_bytes}")
        if self.timeout <= 0 or self.total_timeout <= 0:
            raise ConfigError("timeouts must be positive")
        if self.max_redirects < 0:
            raise ConfigError("max_redirects must not be negative")
