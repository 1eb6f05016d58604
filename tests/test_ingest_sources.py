"""Detection, dispatch, overrides and batches: every bad input gets one clear line, the rest goes on."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import httpx
import pytest

from sitroom.errors import (
    DecodeError,
    EmptyInputError,
    FetchError,
    InputError,
    InputTooLargeError,
    ParseError,
    UnsupportedInputError,
)
from sitroom.ingest import Fetcher, IngestOptions, expand_targets, iter_documents, read_file, read_url

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
NOW = datetime(2025, 11, 21, 12, 0, tzinfo=UTC)
OPTIONS = IngestOptions(fetch_linked=False, now=lambda: NOW)


def mock_fetcher(routes: dict[str, httpx.Response | Exception], options: IngestOptions = OPTIONS) -> Fetcher:
    def handler(request: httpx.Request) -> httpx.Response:
        answer = routes.get(str(request.url), httpx.Response(404))
        if isinstance(answer, Exception):
            raise answer
        return answer

    return Fetcher(options, client=httpx.Client(transport=httpx.MockTransport(handler)))


# --- dispatch -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "kind", "count"),
    [
        ("plain.txt", "article", 1),
        ("note.md", "note", 1),
        ("article.html", "article", 1),
        ("feed.rss", "article", 2),
        ("feed.atom", "article", 2),
        ("talk.vtt", "transcript", 1),
        ("harbour.srt", "transcript", 1),
    ],
)
def test_each_fixture_is_read_by_its_extension(name: str, kind: str, count: int) -> None:
    docs = read_file(FIXTURES / name, OPTIONS)
    assert len(docs) == count
    for doc in docs:
        assert doc.kind == kind
        assert doc.origin == str(FIXTURES / name)
        assert doc.retrieved == NOW
        assert doc.text.strip()
        assert doc.id


@pytest.mark.parametrize(
    ("fixture", "title"),
    [
        ("feed.rss", "Pilots strike called off"),
        ("article.html", "Envoys trade drafts in Geneva"),
        ("talk.vtt", None),
        ("harbour.srt", None),
        ("plain.txt", None),
    ],
)
def test_unknown_extensions_are_sniffed(tmp_path: Path, fixture: str, title: str | None) -> None:
    path = tmp_path / "download"
    shutil.copy(FIXTURES / fixture, path)
    docs = read_file(path, OPTIONS)
    assert docs[0].text == read_file(FIXTURES / fixture, OPTIONS)[0].text
    if title:
        assert docs[0].title == title


def test_xml_extension_is_a_feed_or_refused(tmp_path: Path) -> None:
    shutil.copy(FIXTURES / "feed.atom", tmp_path / "feed.xml")
    assert len(read_file(tmp_path / "feed.xml", OPTIONS)) == 2
    (tmp_path / "config.xml").write_text('<?xml version="1.0"?><!-- x --><settings a="1"/>', encoding="utf-8")
    with pytest.raises(UnsupportedInputError, match=r"not an RSS or Atom feed \(<settings>\)"):
        read_file(tmp_path / "config.xml", OPTIONS)


# --- overrides ------------------------------------------------------------------------------------


def test_options_override_what_the_file_says() -> None:
    options = IngestOptions(
        source="Analyst copy",
        published=datetime(2025, 11, 20, 15, 0, tzinfo=timezone(timedelta(hours=3))),
        kind="statement",
        author="Someone Else",
        fetch_linked=False,
    )
    [doc] = read_file(FIXTURES / "note.md", options)
    assert (doc.source, doc.kind, doc.author) == ("Analyst copy", "statement", "Someone Else")
    assert doc.published == datetime(2025, 11, 20, 12, 0, tzinfo=UTC)
    assert doc.title == "Morning notes"  # not overridable, kept from the header


def test_sidecar_applies_to_any_file_and_options_still_win(tmp_path: Path) -> None:
    shutil.copy(FIXTURES / "plain.txt", tmp_path / "port.txt")
    (tmp_path / "port.meta.json").write_text(
        '{"source": "Port bulletin", "published": "2025-11-17T09:00:00", "author": ["A. One", "B. Two"]}',
        encoding="utf-8",
    )
    [doc] = read_file(tmp_path / "port.txt", OPTIONS)
    assert doc.source == "Port bulletin"
    assert doc.author == "A. One, B. Two"
    assert doc.published == datetime(2025, 11, 17, 9, 0, tzinfo=UTC)
    [doc] = read_file(tmp_path / "port.txt", IngestOptions(source="CLI", fetch_linked=False))
    assert doc.source == "CLI"


def test_feed_entries_keep_their_own_titles_under_a_sidecar(tmp_path: Path) -> None:
    shutil.copy(FIXTURES / "feed.rss", tmp_path / "wire.rss")
    (tmp_path / "wire.meta.json").write_text(
        '{"title": "ignored", "published": "2020-01-01", "source": "Wire (saved)"}', encoding="utf-8"
    )
    docs = read_file(tmp_path / "wire.rss", OPTIONS)
    assert [d.title for d in docs] == ["Pilots strike called off", "Grain corridor reopens"]
    assert [d.published.day if d.published else None for d in docs] == [19, 20]
    assert {d.source for d in docs} == {"Wire (saved)"}
    forced = read_file(tmp_path / "wire.rss", IngestOptions(published=datetime(2025, 11, 22), fetch_linked=False))
    assert {d.published for d in forced} == {datetime(2025, 11, 22, tzinfo=UTC)}  # the user's flag wins


def test_bad_kind_option_is_a_config_error() -> None:
    from sitroom.errors import ConfigError

    with pytest.raises(ConfigError, match="'essay'"):
        IngestOptions(kind="essay")


# --- bad input (PRODUCT.md: "Bad input gets a clear error, and nothing is lost") -----------------


def _bad_inputs(tmp_path: Path) -> dict[str, tuple[Path, type[InputError], str]]:
    cases: dict[str, tuple[bytes, type[InputError], str]] = {
        "binary.txt": (b"\x00\x01\x02\x03 some bytes \x00", UnsupportedInputError, "binary file"),
        "image.md": (b"\x89PNG\r\n\x1a\n....", UnsupportedInputError, "PNG image"),
        "report.txt": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", UnsupportedInputError, "PDF"),
        "utf16.txt": ("hello".encode("utf-16"), DecodeError, "UTF-16"),
        "latin1.txt": ("na\u00efve".encode("latin-1"), DecodeError, "byte 2"),
        "empty.txt": (b"", EmptyInputError, "empty"),
        "blank.md": (b" \n\t\r\n", EmptyInputError, "whitespace"),
        "bom-only.txt": (b"\xef\xbb\xbf\n", EmptyInputError, "whitespace"),
        "mystery.bin": (b"\xc3\x28\xa0\xa1 not text", UnsupportedInputError, "unknown file type"),
        "bad-header.md": (b"---\ntitle: [\n---\nBody\n", ParseError, "front matter"),
        "broken.vtt": (b"WEBVTT\n\n00:00:aa --> 00:00:02.000\nx\n", ParseError, "WebVTT"),
        "empty-feed.atom": (
            b'<feed xmlns="http://www.w3.org/2005/Atom"><title>x</title></feed>',
            EmptyInputError,
            "no entries",
        ),
    }
    out = {}
    for name, (data, error, needle) in cases.items():
        (tmp_path / name).write_bytes(data)
        out[name] = (tmp_path / name, error, needle)
    return out


def test_every_bad_input_gets_one_clear_line(tmp_path: Path) -> None:
    for name, (path, error, needle) in _bad_inputs(tmp_path).items():
        with pytest.raises(error) as info:
            read_file(path, OPTIONS)
        message = str(info.value)
        assert message.startswith(f"{path}: "), name
        assert needle in message, (name, message)
        assert info.value.hint, name
        assert "\n" not in message, name


def test_gigantic_file_is_refused_before_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "huge.txt"
    path.write_bytes(b"words " * 400)

    def no_open(*args: object, **kwargs: object) -> None:
        raise AssertionError("the file must not be opened")

    monkeypatch.setattr(Path, "open", no_open)
    with pytest.raises(InputTooLargeError) as info:
        read_file(path, IngestOptions(max_bytes=1000))
    assert str(info.value).startswith(f"{path}: the file is 2,400 bytes, over the 1,000-byte limit")


def test_missing_file_and_folder_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_file(tmp_path / "nope.txt", OPTIONS)
    (tmp_path / "empty-dir").mkdir()
    with pytest.raises(EmptyInputError, match="no files sitroom can read"):
        read_file(tmp_path / "empty-dir", OPTIONS)
    with pytest.raises(UnsupportedInputError, match="sidecar"):
        read_file(FIXTURES / "talk.meta.json", OPTIONS)


def test_duplicate_documents_do_not_crash(tmp_path: Path) -> None:
    shutil.copy(FIXTURES / "plain.txt", tmp_path / "a.txt")
    shutil.copy(FIXTURES / "plain.txt", tmp_path / "b.txt")
    items = list(iter_documents([str(tmp_path), str(tmp_path / "a.txt")], OPTIONS))
    ids = {item.documents[0].id for item in items}
    assert len(items) == 3 and len(ids) == 1


# --- folders and batches --------------------------------------------------------------------------


def test_expand_targets(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "z.md").write_text("z", encoding="utf-8")
    (tmp_path / "a.txt").write_text("a", encoding="utf-8")
    (tmp_path / "c.vtt").write_text("WEBVTT\n", encoding="utf-8")
    (tmp_path / "c.meta.json").write_text("{}", encoding="utf-8")
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    (tmp_path / ".hidden.txt").write_text("h", encoding="utf-8")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.txt").write_text("g", encoding="utf-8")
    (tmp_path / "empty").mkdir()
    targets = [str(tmp_path), "https://news.example/a", str(tmp_path / "missing.txt"), str(tmp_path / "empty")]
    assert expand_targets(targets) == [
        str(tmp_path / "a.txt"),
        str(tmp_path / "b" / "z.md"),
        str(tmp_path / "c.vtt"),
        "https://news.example/a",
        str(tmp_path / "missing.txt"),
        str(tmp_path / "empty"),
    ]


def test_folder_batch_with_bad_files_still_yields_the_good_documents(tmp_path: Path) -> None:
    for name in ("plain.txt", "note.md", "talk.vtt", "talk.meta.json", "malformed.rss", "broken.html"):
        shutil.copy(FIXTURES / name, tmp_path / name)
    (tmp_path / "zeros.txt").write_bytes(b"\x00" * 64)
    (tmp_path / "latin1.md").write_bytes("caf\u00e9".encode("latin-1"))
    (tmp_path / "void.txt").write_bytes(b"")
    items = list(iter_documents([str(tmp_path)], OPTIONS))
    by_name = {Path(item.target).name: item for item in items}
    assert sorted(by_name) == sorted(
        ["broken.html", "latin1.md", "malformed.rss", "note.md", "plain.txt", "talk.vtt", "void.txt", "zeros.txt"]
    )
    good = {name for name, item in by_name.items() if item.ok}
    assert good == {"broken.html", "note.md", "plain.txt", "talk.vtt"}
    assert all(item.documents for item in by_name.values() if item.ok)
    assert isinstance(by_name["zeros.txt"].error, UnsupportedInputError)
    assert isinstance(by_name["latin1.md"].error, DecodeError)
    assert isinstance(by_name["malformed.rss"].error, ParseError)
    assert isinstance(by_name["void.txt"].error, EmptyInputError)
    for item in items:
        if item.error is not None:
            assert item.error.input == item.target
            assert "\n" not in str(item.error)


def test_batch_mixing_files_and_urls_goes_on_after_failures() -> None:
    fetcher = mock_fetcher(
        {
            "https://news.example/down": httpx.ConnectTimeout("timed out"),
            "https://news.example/story": httpx.Response(
                200, headers={"Content-Type": "text/html"}, content=(FIXTURES / "article.html").read_bytes()
            ),
        }
    )
    targets = [
        "https://news.example/down",
        str(FIXTURES / "plain.txt"),
        "https://news.example/gone",
        "ftp://files.example/x.txt",
        "https://news.example/story",
    ]
    items = list(iter_documents(targets, OPTIONS, fetcher))
    assert [item.target for item in items] == targets
    assert [type(item.error).__name__ if item.error else "ok" for item in items] == [
        "FetchError",
        "ok",
        "FetchError",
        "InputError",
        "ok",
    ]
    assert "timed out" in str(items[0].error) and "https://news.example/down" in str(items[0].error)
    assert "HTTP 404" in str(items[2].error)
    story = items[4].documents[0]
    assert story.origin == "https://news.example/story"
    assert story.source == "The Lakeside Courier"


def test_unexpected_reader_failure_is_contained(monkeypatch: pytest.MonkeyPatch) -> None:
    import sitroom.ingest.sources as sources

    def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(sources, "read_vtt", explode)
    items = list(iter_documents([str(FIXTURES / "talk.vtt"), str(FIXTURES / "plain.txt")], OPTIONS))
    assert isinstance(items[0].error, InputError)
    assert "RuntimeError: boom" in str(items[0].error)
    assert isinstance(items[0].error.__cause__, RuntimeError)
    assert items[1].ok


# --- URLs -----------------------------------------------------------------------------------------


def test_read_url_dispatches_by_content_type() -> None:
    rss = (FIXTURES / "feed.rss").read_bytes()
    fetcher = mock_fetcher(
        {
            "https://wire.example/feed": httpx.Response(
                200, headers={"Content-Type": "application/rss+xml"}, content=rss
            ),
            "https://wire.example/feed-as-html": httpx.Response(
                200, headers={"Content-Type": "text/html"}, content=rss
            ),
            "https://wire.example/notes": httpx.Response(
                200,
                headers={"Content-Type": "text/plain; charset=utf-8"},
                content=b"---\nkind: note\n---\nQuay open.\n",
            ),
            "https://wire.example/latin": httpx.Response(
                200,
                headers={"Content-Type": "text/plain; charset=iso-8859-1"},
                content="Caf\u00e9 open.".encode("latin-1"),
            ),
            "https://wire.example/talk.vtt": httpx.Response(
                200, headers={"Content-Type": "text/plain"}, content=(FIXTURES / "talk.vtt").read_bytes()
            ),
            "https://wire.example/doc.pdf": httpx.Response(
                200, headers={"Content-Type": "application/pdf"}, content=b"%PDF-1.4 ..."
            ),
            "https://wire.example/data": httpx.Response(
                200, headers={"Content-Type": "application/json"}, content=b'{"a": 1}'
            ),
            "https://wire.example/blank": httpx.Response(200, headers={"Content-Type": "text/html"}, content=b"  "),
        }
    )
    feed_docs = read_url("https://wire.example/feed", OPTIONS, fetcher)
    assert [d.url for d in feed_docs] == ["https://wire.example/pilots", "https://wire.example/grain"]
    assert all(d.origin == "https://wire.example/feed" for d in feed_docs)
    assert len(read_url("https://wire.example/feed-as-html", OPTIONS, fetcher)) == 2

    [note] = read_url("https://wire.example/notes", OPTIONS, fetcher)
    assert (note.text, note.kind, note.url, note.body_offset) == (
        "Quay open.\n",
        "note",
        "https://wire.example/notes",
        19,
    )
    assert read_url("https://wire.example/latin", OPTIONS, fetcher)[0].text == "Caf\u00e9 open."
    assert read_url("https://wire.example/talk.vtt", OPTIONS, fetcher)[0].cues

    with pytest.raises(UnsupportedInputError, match="PDF"):
        read_url("https://wire.example/doc.pdf", OPTIONS, fetcher)
    with pytest.raises(UnsupportedInputError, match="application/json"):
        read_url("https://wire.example/data", OPTIONS, fetcher)
    with pytest.raises(EmptyInputError, match="empty response"):
        read_url("https://wire.example/blank", OPTIONS, fetcher)


def test_read_url_oversize_and_unreachable() -> None:
    fetcher = mock_fetcher(
        {
            "https://big.example/": httpx.Response(200, content=b"z" * 2048),
            "https://down.example/": httpx.ConnectError("connection refused"),
        },
        IngestOptions(max_bytes=1024, fetch_linked=False),
    )
    with pytest.raises(InputTooLargeError, match=r"^https://big\.example/: "):
        read_url("https://big.example/", OPTIONS, fetcher)
    with pytest.raises(FetchError, match=r"^https://down\.example/: could not connect"):
        read_url("https://down.example/", OPTIONS, fetcher)
