"""What kind of input is this? By extension, by Content-Type, and by looking at the first bytes."""

from __future__ import annotations

import re
from typing import Literal
from urllib.parse import urlsplit

from ..errors import DecodeError, UnsupportedInputError

Format = Literal["text", "markdown", "html", "feed", "vtt", "srt"]
Hint = Literal["text", "markdown", "html", "feed", "vtt", "srt", "xml"]  # "xml": a feed or XHTML

EXTENSIONS: dict[str, Hint] = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".xml": "xml",  # a feed or XHTML, decided by the root element
    ".rss": "feed",
    ".atom": "feed",
    ".vtt": "vtt",
    ".srt": "srt",
}
CONTENT_TYPES: dict[str, Hint] = {
    "text/html": "html",
    "application/xhtml+xml": "html",
    "application/rss+xml": "feed",
    "application/atom+xml": "feed",
    "application/rdf+xml": "feed",
    "application/xml": "xml",
    "text/xml": "xml",
    "text/plain": "text",
    "text/markdown": "markdown",
    "text/x-markdown": "markdown",
    "text/vtt": "vtt",
    "application/x-subrip": "srt",
    "text/srt": "srt",
}
# Leading bytes of common non-text files, and what to call them in the error message.
SIGNATURES: dict[bytes, str] = {
    b"%PDF-": "a PDF document",
    b"PK\x03\x04": "a ZIP archive (or a Word/OpenDocument file)",
    b"\x89PNG": "a PNG image",
    b"GIF8": "a GIF image",
    b"\xff\xd8\xff": "a JPEG image",
    b"\x1f\x8b": "gzip-compressed data",
    b"\x7fELF": "a program",
    b"{\\rtf": "an RTF document",
}
SUPPORTED = "sitroom reads text, Markdown, HTML, RSS/Atom feeds and subtitles (" + " ".join(EXTENSIONS) + ")"
FEED_ROOTS = frozenset({"rss", "feed", "rdf:rdf", "rdf"})
HTML_ROOTS = frozenset({"html", "head", "body"})
SNIFF_BYTES = 8192

_UTF8_BOM = b"\xef\xbb\xbf"
_PROLOG = re.compile(rb"\s*(?:<\?.*?\?>|<!--.*?-->|<!(?!--)[^>]*>)", re.DOTALL)
_TAG_NAME = re.compile(rb"\s*<([A-Za-z_][\w:.-]*)")
_DOCTYPE_HTML = re.compile(rb"<!doctype\s+html", re.IGNORECASE)
_SRT_START = re.compile(rb"\A\s*\d+\s*\r?\n\s*\d{1,2}:\d{2}:\d{2}[,.]\d{1,3}\s*-->")


def check_binary(data: bytes, input: str) -> None:
    """Refuse binary data: known file signatures, UTF-16/32 text, NUL bytes in the first 8 KiB."""
    head = data[:SNIFF_BYTES]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DecodeError(
            "the text is UTF-16 (or UTF-32), not UTF-8",
            input=input,
            hint="save it as UTF-8 and ingest it again",
        )
    for magic, what in SIGNATURES.items():
        if head.startswith(magic):
            raise UnsupportedInputError(
                f"this is {what}, not text", input=input, hint=f"{SUPPORTED}; convert it to text first"
            )
    if b"\x00" in head:
        raise UnsupportedInputError(
            "binary file (it contains NUL bytes)", input=input, hint=f"{SUPPORTED}; leave this file out"
        )


def xml_root(data: bytes) -> str | None:
    """The lower-case name of the first element, skipping the XML declaration, comments, doctype."""
    head = data[:SNIFF_BYTES].removeprefix(_UTF8_BOM)
    pos = 0
    while match := _PROLOG.match(head, pos):
        pos = match.end()
    tag = _TAG_NAME.match(head, pos)
    return tag.group(1).decode("ascii").lower() if tag else None


def sniff(data: bytes) -> Format | None:
    """Guess the format from the content alone; ``None`` if it is not text sitroom reads."""
    head = data[:SNIFF_BYTES].removeprefix(_UTF8_BOM)
    if head.lstrip().startswith(b"WEBVTT"):
        return "vtt"
    if _SRT_START.match(head):
        return "srt"
    root = xml_root(head)
    if root in FEED_ROOTS:
        return "feed"
    if root in HTML_ROOTS or _DOCTYPE_HTML.match(head.lstrip()):
        return "html"
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return "text"


def resolve_xml(data: bytes, input: str) -> Format:
    """An ``.xml`` input is a feed or XHTML; anything else is not supported."""
    root = xml_root(data)
    if root in FEED_ROOTS:
        return "feed"
    if root in HTML_ROOTS or _DOCTYPE_HTML.match(data[:SNIFF_BYTES].lstrip()):
        return "html"
    what = f"<{root}>" if root else "no root element"
    raise UnsupportedInputError(
        f"XML but not an RSS or Atom feed ({what})",
        input=input,
        hint="give the feed's URL or file, or leave it out",
    )


def _from_hint(kind: Hint | None, data: bytes, input: str) -> Format | None:
    if kind == "xml":
        return resolve_xml(data, input)
    return kind


def format_for_file(name: str, data: bytes, input: str) -> Format:
    """The format of a file: its extension if known, else its content."""
    suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    found = _from_hint(EXTENSIONS.get(suffix), data, input) or sniff(data)
    if found is None:
        raise UnsupportedInputError("unknown file type, and the content is not UTF-8 text", input=input, hint=SUPPORTED)
    return found


def format_for_response(content_type: str, url: str, data: bytes, input: str) -> Format:
    """The format of a download: a specific Content-Type wins; else the URL's extension; else sniffing."""
    declared = CONTENT_TYPES.get(content_type)
    if declared == "html":
        return "feed" if xml_root(data) in FEED_ROOTS else "html"
    if declared not in (None, "text"):
        found = _from_hint(declared, data, input)
        if found is not None:
            return found
    if declared is None and content_type and not content_type.startswith("application/octet-stream"):
        raise UnsupportedInputError(
            f"unsupported content type {content_type}", input=input, hint=f"{SUPPORTED}; leave this URL out"
        )
    path = urlsplit(url).path.lower()
    by_ext = _from_hint(EXTENSIONS.get("." + path.rsplit(".", 1)[-1]) if "." in path else None, data, input)
    return by_ext or sniff(data) or "text"
