"""The ingest package's public API is what it says it is."""

from __future__ import annotations

import inspect
from datetime import UTC

import pytest

import sitroom.ingest as ingest
from sitroom import __version__
from sitroom.errors import ConfigError
from sitroom.ingest import IngestItem, IngestOptions


def test_exported_members_exist_and_are_documented() -> None:
    for name in ingest.__all__:
        member = getattr(ingest, name)
        if inspect.isfunction(member) or inspect.isclass(member):
            assert member.__doc__, f"{name} has no docstring"
    assert sorted(ingest.__all__) == ingest.__all__


def test_entry_point_signatures() -> None:
    assert list(inspect.signature(ingest.read_file).parameters) == ["path", "options", "fetcher", "warnings"]
    assert list(inspect.signature(ingest.read_url).parameters) == ["url", "options", "fetcher", "warnings"]
    assert list(inspect.signature(ingest.iter_documents).parameters) == ["targets", "options", "fetcher"]
    assert list(inspect.signature(ingest.expand_targets).parameters) == ["targets"]


def test_option_defaults() -> None:
    options = IngestOptions()
    assert options.max_bytes == 20 * 1024 * 1024
    assert options.timeout == 20
    assert options.max_redirects == 5
    assert options.fetch_linked is True
    assert options.user_agent == f"sitroom/{__version__} (+https://github.com/sitroom; local analyst tool)"
    assert options.now().tzinfo is UTC
    assert (options.source, options.published, options.kind, options.author) == (None, None, None, None)


@pytest.mark.parametrize(
    "kwargs", [{"kind": "essay"}, {"max_bytes": 0}, {"timeout": 0}, {"total_timeout": -1}, {"max_redirects": -1}]
)
def test_bad_options_are_config_errors(kwargs: dict[str, object]) -> None:
    with pytest.raises(ConfigError):
        IngestOptions(**kwargs)  # type: ignore[arg-type]


def test_ingest_item_defaults() -> None:
    item = IngestItem(target="x.txt")
    assert item.ok and item.documents == [] and item.warnings == []


def test_iter_documents_is_lazy() -> None:
    items = ingest.iter_documents(["/definitely/missing.txt"])
    assert inspect.isgenerator(items)
    [item] = list(items)
    assert not item.ok and "no such file" in str(item.error)
