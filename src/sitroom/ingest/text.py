"""Plain text and Markdown, with an optional YAML front-matter header.

Offsets: ``file_text`` is the file's bytes decoded as UTF-8 with nothing changed — a byte-order
mark stays as U+FEFF at index 0 and CRLF line endings stay CRLF (this is what
``path.read_bytes().decode("utf-8")`` gives; ``read_text()`` would translate newlines). The BOM is
never part of ``Document.text``: ``body_offset`` counts it, so ``file_text[body_offset:] == text``
holds with and without a BOM, with and without a header.

A header is a first line of exactly ``---`` (after the BOM), YAML, and a line of exactly ``---``;
the body is everything after that closing line, untouched.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from ..errors import DecodeError, EmptyInputError, ParseError
from ..model import Document
from .messages import one_line
from .meta import Metadata, apply_metadata, parse_metadata

BOM = "\ufeff"
_DELIMITER = "---"
_HEADING = re.compile(r"^#[ \t]+(.+?)[ \t]*#*[ \t]*\r?$", re.MULTILINE)


def decode_utf8(data: bytes, input: str) -> str:
    """Strict UTF-8; the error names the byte offset and line of the first bad byte."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        bad = data[exc.start : exc.start + 1].hex()
        raise DecodeError(
            f"not valid UTF-8 at byte {exc.start} (line {line}, byte 0x{bad})",
            input=input,
            hint="save the file as UTF-8 (in most editors: Save As → Encoding → UTF-8) and ingest it again",
        ) from exc


def decode_declared(data: bytes, input: str, charset: str | None) -> str:
    """Decode with a charset a server declared, else strict UTF-8."""
    if not charset or charset.replace("-", "").replace("_", "") in ("utf8", "usascii", "ascii"):
        return decode_utf8(data, input)
    try:
        return data.decode(charset)
    except LookupError:
        return decode_utf8(data, input)
    except UnicodeDecodeError as exc:
        raise DecodeError(
            f"not valid {charset} at byte {exc.start}",
            input=input,
            hint="the server's declared charset is wrong; save the text as UTF-8 and ingest the file",
        ) from exc


def _lines(text: str, pos: int) -> list[tuple[int, int, str]]:
    """``(start, end_including_newline, content_without_newline)`` for each line from ``pos``.

    Only ``\\n`` (and ``\\r\\n``) end a line — unlike ``str.splitlines``, which also splits on
    U+2028 and form feeds and would disagree with the offsets.
    """
    out = []
    while pos < len(text):
        newline = text.find("\n", pos)
        end = len(text) if newline < 0 else newline + 1
        content = text[pos:end].removesuffix("\n").removesuffix("\r")
        out.append((pos, end, content))
        pos = end
    return out


def split_front_matter(text: str, input: str) -> tuple[str | None, int]:
    """``(header_yaml or None, body_offset)`` for a decoded file (BOM included, see module doc)."""
    start = 1 if text.startswith(BOM) else 0
    lines = _lines(text, start)
    if not lines or lines[0][2] != _DELIMITER or not text[: lines[0][1]].endswith("\n"):
        return None, start
    for line_start, line_end, content in lines[1:]:
        if content == _DELIMITER:
            return text[lines[0][1] : line_start], line_end
    raise ParseError(
        "the front-matter header that starts with '---' on line 1 is never closed",
        input=input,
        hint="end the header with a line of exactly '---', or remove the first line if it is not a header",
    )


def parse_header(header: str, input: str, warnings: list[str] | None = None) -> Metadata:
    """The YAML between the ``---`` lines, validated (``ParseError`` if malformed)."""
    try:
        raw: Any = yaml.safe_load(header)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" on line {mark.line + 2}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or type(exc).__name__
        raise ParseError(
            f"malformed front matter{where}: {one_line(problem)}",
            input=input,
            hint="write YAML `key: value` lines (source, url, author, published, kind, title, language)",
        ) from exc
    if raw is None:
        return Metadata()
    if not isinstance(raw, dict):
        raise ParseError(
            "malformed front matter: expected `key: value` lines",
            input=input,
            hint="write e.g. `source: The Hill` and `published: 2025-11-20` between the '---' lines",
        )
    return parse_metadata(raw, input, warnings)


def read_text(text: str, input: str, *, markdown: bool = False, warnings: list[str] | None = None) -> Document:
    """A text or Markdown document from decoded file text (see module doc for offsets)."""
    header, body_offset = split_front_matter(text, input)
    meta = parse_header(header, input, warnings) if header is not None else Metadata()
    body = text[body_offset:]
    if not body.strip():
        what = "no text after the front-matter header" if header is not None else "the file has no text"
        raise EmptyInputError(what, input=input, hint="add the text to ingest, or leave the file out")
    doc = Document(text=body, body_offset=body_offset)
    if markdown:
        heading = _HEADING.search(body)
        if heading:
            doc.title = heading.group(1)
    apply_metadata(doc, meta)
    return doc
