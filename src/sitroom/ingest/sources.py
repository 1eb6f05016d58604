"""Where documents come from: files, folders and URLs, dispatched to the right reader.

:func:`iter_documents` is the batch entry point: one :class:`IngestItem` per target, and an
error in one target never stops the others.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import EmptyInputError, InputError, InputTooLargeError, SitroomError, UnsupportedInputError
from ..model import Document
from .detect import EXTENSIONS, SUPPORTED, Format, check_binary, format_for_file, format_for_response
from .feeds import read_feed
from .fetch import Fetcher, check_url
from .html import read_html
from .messages import one_line
from .meta import Metadata, date_from_name, finish, is_sidecar, load_sidecar
from .options import IngestOptions
from .subtitles import read_srt, read_vtt
from .text import BOM, decode_declared, decode_utf8, read_text


@dataclass(slots=True)
class IngestItem:
    """The outcome of reading one target: its documents, or the error that stopped it."""

    target: str
    documents: list[Document] = field(default_factory=list)
    error: InputError | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.error is None


def is_url(target: str) -> bool:
    """Whether a target is meant as a URL (``scheme://…``) rather than a path."""
    scheme, sep, _ = target.partition("://")
    return bool(sep) and scheme.isascii() and scheme.isalpha() and len(scheme) > 1


def _readable(path: Path) -> bool:
    return path.suffix.lower() in EXTENSIONS and not is_sidecar(path)


def _walk(folder: Path) -> list[Path]:
    found: list[Path] = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        found.extend(Path(root, f) for f in files if not f.startswith(".") and _readable(Path(f)))
    return sorted(found, key=lambda p: p.relative_to(folder).parts)


def expand_targets(targets: Iterable[str]) -> list[str]:
    """Files and URLs as given; folders replaced by the readable files in them, recursively and sorted.

    Hidden files and folders and ``.meta.json`` sidecars are skipped. A folder with nothing to read
    stays as itself (reading it says so), and a missing path stays too (reading it says "no such file").
    """
    out: list[str] = []
    for target in targets:
        path = Path(target)
        if not is_url(target) and path.is_dir():
            files = [str(f) for f in _walk(path)]
            out.extend(files or [target])
        else:
            out.append(target)
    return out


def _parse(
    fmt: Format,
    data: bytes,
    input: str,
    options: IngestOptions,
    *,
    fetcher: Fetcher | None,
    url: str | None,
    charset: str | None,
    warnings: list[str] | None,
) -> list[Document]:
    """Bytes of a known format → documents (no overrides applied yet)."""
    if fmt == "feed":
        return read_feed(data, input, options=options, fetcher=fetcher, base_url=url, warnings=warnings)
    if fmt == "html":
        return [read_html(data, input, url=url)]
    text = decode_declared(data, input, charset) if url else decode_utf8(data, input)
    if not text.removeprefix(BOM).strip():
        raise EmptyInputError("only whitespace", input=input, hint="nothing to ingest; leave it out")
    if fmt == "vtt":
        return [read_vtt(text.removeprefix(BOM), input)]
    if fmt == "srt":
        return [read_srt(text.removeprefix(BOM), input)]
    doc = read_text(text, input, markdown=fmt == "markdown", warnings=warnings)
    if url:
        doc.url = doc.url or url
    return [doc]


def read_file(
    path: str | os.PathLike[str],
    options: IngestOptions | None = None,
    fetcher: Fetcher | None = None,
    *,
    warnings: list[str] | None = None,
) -> list[Document]:
    """Read one file (any supported format) into documents, with overrides, origin and retrieval time.

    The size is checked before reading. A feed's linked articles are fetched with ``fetcher`` (or a
    fetcher made for the call) when ``options.fetch_linked``.
    """
    options = options or IngestOptions()
    name = os.fspath(path)
    p = Path(name)
    if not p.exists():
        raise InputError("no such file or folder", input=name, hint="check the path")
    if p.is_dir():
        if not _walk(p):
            raise EmptyInputError("the folder has no files sitroom can read", input=name, hint=SUPPORTED)
        raise UnsupportedInputError(
            "is a folder", input=name, hint="pass folders to iter_documents, which reads each file"
        )
    if is_sidecar(p):
        raise UnsupportedInputError(
            "is a metadata sidecar, not a document",
            input=name,
            hint="it applies to the file with the same stem",
        )
    try:
        size = p.stat().st_size
        if size > options.max_bytes:
            raise _too_large(name, size, options.max_bytes)
        with p.open("rb") as fh:
            data = fh.read(options.max_bytes + 1)
    except OSError as exc:
        raise InputError(
            f"cannot read the file ({one_line(exc.strerror or exc)})", input=name, hint="check its permissions"
        ) from exc
    if len(data) > options.max_bytes:  # it grew since stat()
        raise _too_large(name, len(data), options.max_bytes)
    sidecar = load_sidecar(p, warnings)
    return read_bytes(data, p.name, options, fetcher, origin=name, metadata=sidecar, warnings=warnings)


def read_bytes(
    data: bytes,
    name: str,
    options: IngestOptions | None = None,
    fetcher: Fetcher | None = None,
    *,
    origin: str | None = None,
    metadata: Metadata | None = None,
    warnings: list[str] | None = None,
) -> list[Document]:
    """Read the bytes of a file called ``name`` (an upload, an attachment) as ``read_file`` reads a
    file: size cap, empty and binary checks, the format from the name and the content, overrides,
    ``metadata`` as its sidecar would be, a date in the name as the fallback publication date.
    ``origin`` names the input in errors and on the documents (default: ``name``). Nothing is read
    from disk; ``name`` is never opened."""
    options = options or IngestOptions()
    label = origin or name
    if len(data) > options.max_bytes:
        raise _too_large(label, len(data), options.max_bytes)
    if not data.strip():
        what = "the file is empty" if not data else "the file holds only whitespace"
        raise EmptyInputError(what, input=label, hint="nothing to ingest; leave it out")
    check_binary(data, label)
    fmt = format_for_file(name, data, label)
    docs = _parse(fmt, data, label, options, fetcher=fetcher, url=None, charset=None, warnings=warnings)
    finish(
        docs,
        origin=label,
        options=options,
        layers=[metadata],
        single=fmt != "feed",
        fallback_published=date_from_name(Path(name)) if fmt != "feed" else None,
    )
    return docs


def _too_large(name: str, size: int, cap: int) -> InputTooLargeError:
    return InputTooLargeError(
        f"the file is {size:,} bytes, over the {cap:,}-byte limit",
        input=name,
        hint="split it, or raise max_bytes if you really mean to ingest it",
    )


def read_url(
    url: str,
    options: IngestOptions | None = None,
    fetcher: Fetcher | None = None,
    *,
    warnings: list[str] | None = None,
) -> list[Document]:
    """Fetch an http(s) URL and read it as HTML, a feed, text or subtitles (by Content-Type, then content)."""
    options = options or IngestOptions()
    check_url(url)
    own = fetcher is None
    fetcher = fetcher or Fetcher(options)
    try:
        result = fetcher.fetch(url)
        if not result.content.strip():
            raise EmptyInputError("the server sent an empty response", input=url, hint="check the URL")
        check_binary(result.content, url)
        fmt = format_for_response(result.content_type, result.url, result.content, url)
        docs = _parse(
            fmt,
            result.content,
            url,
            options,
            fetcher=fetcher,
            url=result.url,
            charset=result.charset,
            warnings=warnings,
        )
    finally:
        if own:
            fetcher.close()
    finish(docs, origin=url, options=options, layers=[], single=fmt != "feed")
    return docs


def iter_documents(
    targets: Iterable[str], options: IngestOptions | None = None, fetcher: Fetcher | None = None
) -> Iterator[IngestItem]:
    """Read every target (files, folders, URLs), yielding one :class:`IngestItem` per file or URL.

    Input errors are caught per target. An unexpected exception from a reader is reported as an
    ``InputError`` for that target (its cause chained), so a bug on one input cannot sink a batch.
    """
    options = options or IngestOptions()
    own = fetcher is None
    fetcher = fetcher or Fetcher(options)
    try:
        for target in expand_targets(targets):
            item = IngestItem(target=target)
            try:
                if is_url(target):
                    item.documents = read_url(target, options, fetcher, warnings=item.warnings)
                else:
                    item.documents = read_file(target, options, fetcher, warnings=item.warnings)
            except InputError as exc:
                item.error = exc
            except SitroomError:
                raise
            except Exception as exc:
                error = InputError(
                    f"unexpected error ({type(exc).__name__}: {one_line(exc)})",
                    input=target,
                    hint="this is a bug in sitroom; please report it (--debug shows the traceback)",
                )
                error.__cause__ = exc
                item.error = error
            yield item
    finally:
        if own:
            fetcher.close()
