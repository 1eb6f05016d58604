"""WebVTT and SubRip transcripts: text, cue offsets, timestamps, sidecar metadata."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from sitroom.errors import EmptyInputError, ParseError
from sitroom.ingest import IngestOptions, read_file, read_srt, read_vtt

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
OPTIONS = IngestOptions(fetch_linked=False)


def test_vtt_text_cues_and_sidecar() -> None:
    [doc] = read_file(FIXTURES / "talk.vtt", OPTIONS)
    assert doc.text == (
        "Good evening, the river is open again.\nBarges & tugs are back on the northern stretch.\nLocks close at nine."
    )
    spans = [(doc.text[c.start : c.end], c.t_start, c.t_end) for c in doc.cues]
    assert spans == [
        ("Good evening, the river is open again.", 1.0, 4.5),
        ("Barges & tugs are back on the northern stretch.", 4.5, 7.25),
        ("Locks close at nine.", 7.25, 9.0),
    ]
    assert doc.kind == "transcript"
    assert doc.language == "en"
    # from talk.meta.json
    assert doc.source == "River Roundup"
    assert doc.title == "Weekly river traffic"
    assert doc.url == "https://video.example/watch/river"
    assert doc.published == datetime(2025, 11, 18, tzinfo=UTC)
    assert doc.timestamp_at(doc.text.index("tugs")) == 4.5


def test_srt_text_and_cues() -> None:
    [doc] = read_file(FIXTURES / "harbour.srt", OPTIONS)
    assert doc.text == (
        "Welcome back to the harbour report.\n"
        "Two cranes are out of service until the weekend.\n"
        "Queues at the gate are short."
    )
    assert [doc.text[c.start : c.end] for c in doc.cues] == doc.text.split("\n")
    assert [(c.t_start, c.t_end) for c in doc.cues] == [(1.0, 3.2), (3.2, 6.0), (62.5, 65.75)]
    assert doc.kind == "transcript"
    assert doc.source is None  # no sidecar for this one


def test_options_win_over_the_sidecar(tmp_path: Path) -> None:
    shutil.copy(FIXTURES / "talk.vtt", tmp_path / "talk.vtt")
    shutil.copy(FIXTURES / "talk.meta.json", tmp_path / "talk.meta.json")
    options = IngestOptions(source="My label", published=datetime(2025, 11, 19, 9, 0), fetch_linked=False)
    [doc] = read_file(tmp_path / "talk.vtt", options)
    assert doc.source == "My label"
    assert doc.published == datetime(2025, 11, 19, 9, 0, tzinfo=UTC)  # naive taken as UTC
    assert doc.title == "Weekly river traffic"  # not overridden


def test_rolling_auto_captions_are_not_repeated() -> None:
    vtt = (
        "WEBVTT\n\n"
        "00:00:00.000 --> 00:00:02.000\n \nthe locks<00:00:00.500><c> open</c><00:00:01.000><c> at</c>\n\n"
        "00:00:02.000 --> 00:00:02.010\nthe locks open at\n \n\n"
        "00:00:02.010 --> 00:00:04.000\nthe locks open at\nseven<00:00:02.500><c> sharp</c>\n"
    )
    doc = read_vtt(vtt, "auto.vtt")
    assert doc.text == "the locks open at\nseven sharp"
    assert [(doc.text[c.start : c.end], c.t_start) for c in doc.cues] == [
        ("the locks open at", 0.0),
        ("seven sharp", 2.01),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "not a subtitle file at all\n",
        "WEBVTT\n\n00:00:xx --> 00:00:02.000\nbad time\n",
        "WEBVTT\n\n00:00:01.000 -> 00:00:02.000\nwrong arrow\n",
    ],
)
def test_malformed_vtt_is_a_parse_error(text: str) -> None:
    with pytest.raises(ParseError) as info:
        read_vtt(text, "bad.vtt")
    assert str(info.value).startswith("bad.vtt: ")
    assert "\n" not in str(info.value)


@pytest.mark.parametrize(
    "text",
    [
        "garbage here\nwithout any timing\n",
        "1\n00:00:01,000 --> zz\nhello\n",
    ],
)
def test_malformed_srt_is_a_parse_error(text: str) -> None:
    with pytest.raises(ParseError, match=r"^bad\.srt: malformed SubRip"):
        read_srt(text, "bad.srt")


def test_vtt_without_cues_is_empty() -> None:
    with pytest.raises(EmptyInputError):
        read_vtt("WEBVTT\n\n", "empty.vtt")
    with pytest.raises(EmptyInputError):
        read_vtt("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<c></c>\n", "tags-only.vtt")


def test_bad_sidecar_is_a_parse_error_naming_the_sidecar(tmp_path: Path) -> None:
    shutil.copy(FIXTURES / "harbour.srt", tmp_path / "harbour.srt")
    (tmp_path / "harbour.meta.json").write_text('{"source": "x", ', encoding="utf-8")
    with pytest.raises(ParseError) as info:
        read_file(tmp_path / "harbour.srt", OPTIONS)
    assert info.value.input == str(tmp_path / "harbour.meta.json")

    (tmp_path / "harbour.meta.json").write_text('{"kind": "podcast"}', encoding="utf-8")
    with pytest.raises(ParseError, match="'podcast'"):
        read_file(tmp_path / "harbour.srt", OPTIONS)


@pytest.mark.parametrize("name", ["talk.vtt", "harbour.srt"])
def test_bom_and_crlf_subtitles_give_the_same_transcript(tmp_path: Path, name: str) -> None:
    original = (FIXTURES / name).read_bytes()
    (tmp_path / name).write_bytes(b"\xef\xbb\xbf" + original.replace(b"\n", b"\r\n"))
    [expected] = read_file(FIXTURES / name, OPTIONS)
    [doc] = read_file(tmp_path / name, OPTIONS)
    assert doc.text == expected.text
    assert doc.cues == expected.cues
