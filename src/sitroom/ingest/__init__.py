"""Ingest: files, folders and URLs → :class:`~sitroom.model.Document` objects.

Readers for plain text and Markdown (with front matter), HTML (trafilatura), RSS/Atom
(feedparser) and subtitles (webvtt-py, pysrt); detection and dispatch in :mod:`.sources`.
Every failure is an :class:`~sitroom.errors.InputError` naming the input and what to do.
"""

from __future__ import annotations

from .detect import Format, check_binary, format_for_file, format_for_response, sniff
from .feeds import read_feed
from .fetch import Fetcher, FetchResult
from .html import fragment_to_text, read_html
from .meta import Metadata, load_sidecar, parse_metadata
from .options import DEFAULT_MAX_BYTES, DEFAULT_USER_AGENT, IngestOptions
from .sources import IngestItem, expand_targets, is_url, iter_documents, read_file, read_url
from .subtitles import read_srt, read_vtt
from .text import decode_utf8, read_text, split_front_matter

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_USER_AGENT",
    "FetchResult",
    "Fetcher",
    "Format",
    "IngestItem",
    "IngestOptions",
    "Metadata",
    "check_binary",
    "decode_utf8",
    "expand_targets",
    "format_for_file",
    "format_for_response",
    "fragment_to_text",
    "is_url",
    "iter_documents",
    "load_sidecar",
    "parse_metadata",
    "read_feed",
    "read_file",
    "read_html",
    "read_srt",
    "read_text",
    "read_url",
    "read_vtt",
    "sniff",
    "split_front_matter",
]
