"""Helpers that keep every error message to one short line, and route warnings."""

from __future__ import annotations

import logging

GO_ON = "the rest of the batch goes on"
logger = logging.getLogger("sitroom.ingest")


def one_line(value: object, limit: int = 200) -> str:
    """``str(value)`` on a single line, whitespace folded, cut to ``limit`` characters."""
    text = " ".join(str(value).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def warn(warnings: list[str] | None, message: str) -> None:
    """Record a warning in the caller's list, or log it when the caller keeps none."""
    if warnings is not None:
        warnings.append(message)
    else:
        logger.warning(message)
