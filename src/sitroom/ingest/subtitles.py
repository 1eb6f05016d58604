"""WebVTT (webvtt-py) and SubRip (pysrt) transcripts → one ``transcript`` Document with cues.

``Document.text`` is the cues' texts joined with ``"\\n"``; inside a cue, the lines a subtitle
editor wrapped are joined with a space. Inline tags (``<v Speaker>``, ``<c>``, ``<i>``, karaoke
timestamps, SRT ``{\\an8}``) are dropped and the words kept; WebVTT character references
(``&amp;``) are decoded. Each :class:`~sitroom.model.Cue` gives the character span of its text in
``Document.text`` and its times in seconds.

Auto-generated captions repeat each line in the next cue as they roll up; a line identical to a
line of the cue just before is dropped, and a cue left empty is skipped.
"""

from __future__ import annotations

import html
import io
import re
from collections.abc import Iterable

import pysrt
import webvtt
from webvtt.errors import MalformedCaptionError, MalformedFileError

from ..errors import EmptyInputError, ParseError
from ..model import Cue, Document
from .messages import one_line
from .meta import normalise_language

_TAG = re.compile(r"<[^>]*>")
_ASS_TAG = re.compile(r"\{\\[^}]*\}")
_VTT_HINT = "check the timing lines (00:00:01.000 --> 00:00:04.000) and the blank line after each cue"
_SRT_HINT = "check the cue numbers, the timing lines (00:00:01,000 --> 00:00:04,000) and the blank lines"

RawCue = tuple[list[str], float, float]


def _clean(line: str, *, entities: bool) -> str:
    text = _ASS_TAG.sub("", _TAG.sub("", line))
    if entities:
        text = html.unescape(text)
    return " ".join(text.split())


def build_transcript(raw: Iterable[RawCue], *, entities: bool) -> tuple[str, list[Cue]]:
    """Join cue lines into one text and record each cue's character span and times."""
    parts: list[str] = []
    cues: list[Cue] = []
    pos = 0
    previous: set[str] = set()
    for lines, t_start, t_end in raw:
        cleaned = [_clean(line, entities=entities) for line in lines]
        kept = [line for line in cleaned if line and line not in previous]
        previous = {line for line in cleaned if line}
        if not kept:
            continue
        cue_text = " ".join(kept)
        if parts:
            pos += 1  # the "\n" between cues
        cues.append(Cue(start=pos, end=pos + len(cue_text), t_start=t_start, t_end=t_end))
        parts.append(cue_text)
        pos += len(cue_text)
    return "\n".join(parts), cues


def _document(text: str, cues: list[Cue], input: str, language: str | None = None) -> Document:
    if not cues:
        raise EmptyInputError(
            "the subtitle file has no cues with text", input=input, hint="check that it is the right file"
        )
    doc = Document(text=text, cues=cues, kind="transcript")
    if language:
        doc.language = language
    return doc


def _vtt_language(metadata: Iterable[str]) -> str | None:
    for line in metadata:
        key, _, value = line.partition(":")
        if key.strip().lower() == "language":
            return normalise_language(value)
    return None


def read_vtt(text: str, input: str) -> Document:
    """A WebVTT file (decoded, BOM removed) → transcript Document. Malformed → ``ParseError``."""
    try:
        vtt = webvtt.from_buffer(io.StringIO(text), strict=True)
    except (MalformedFileError, MalformedCaptionError, ValueError) as exc:
        raise ParseError(
            f"malformed WebVTT ({one_line(exc)})", input=input, hint=f"it must start with 'WEBVTT'; {_VTT_HINT}"
        ) from exc
    raw = [
        (
            caption.lines,
            caption.start_time.in_milliseconds() / 1000,
            caption.end_time.in_milliseconds() / 1000,
        )
        for caption in vtt.captions
    ]
    if not raw and "->" in text:
        raise ParseError("no valid cues in the WebVTT file", input=input, hint=_VTT_HINT)
    joined, cues = build_transcript(raw, entities=True)
    return _document(joined, cues, input, _vtt_language(getattr(vtt, "metadata", None) or []))


def read_srt(text: str, input: str) -> Document:
    """A SubRip file (decoded, BOM removed) → transcript Document. Malformed → ``ParseError``."""
    try:
        items = pysrt.from_string(text, error_handling=pysrt.SubRipFile.ERROR_RAISE)
    except (pysrt.Error, ValueError) as exc:
        raise ParseError(f"malformed SubRip subtitle ({type(exc).__name__})", input=input, hint=_SRT_HINT) from exc
    if not items and text.strip():
        raise ParseError("no valid cues in the SubRip file", input=input, hint=_SRT_HINT)
    raw = [(item.text.split("\n"), item.start.ordinal / 1000, item.end.ordinal / 1000) for item in items]
    joined, cues = build_transcript(raw, entities=False)
    return _document(joined, cues, input)
