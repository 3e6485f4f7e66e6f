"""Shared fixtures: a fresh SQLite folder or a fresh PostgreSQL database per test, on a pinned court clock.

Every test runs at ``tests.court_clock.COURT_NOW`` (a fixed date, or ``MEDCOURT_TEST_TODAY``), never today.

``settings`` is parametrized over both back ends for integration tests that ask
for it. PostgreSQL is 127.0.0.1:5432 (user postgres, trust auth) unless
``MEDCOURT_TEST_PG`` names another server URL. When it is unreachable the
PostgreSQL tests are skipped, except with ``CI=true``, where that is a failure.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from projections.settings import Settings
from tests import court_clock


def pytest_configure(config: pytest.Config) -> None:
    # Before any test module is imported: module-level dates are computed on the pinned court clock too.
    court_clock.pin()


def pytest_unconfigure(config: pytest.Config) -> None:
    court_clock.unpin()


def pytest_report_header(config: pytest.Config) -> str:
    return f"court clock pinned at {court_clock.COURT_NOW.isoformat()} (set {court_clock.COURT_DATE_VARIABLE}=YYYY-MM-DD to move it)"


PG_SERVER = os.environ.get("MEDCOURT_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")


def _pg_reachable() -> str | None:
    try:
        import psycopg

        with psycopg.connect(PG_SERVER, connect_timeout=3) as conn:
            conn.execute("SELECT 1")
        return None
    except Exception as error:  # noqa: BLE001 - any failure means "not reachable"
        return str(error).splitlines()[0] if str(error) else type(error).__name__


_PG_PROBLEM: str | None | bool = False


def require_postgres() -> None:
    global _PG_PROBLEM
    if _PG_PROBLEM is False:
        _PG_PROBLEM = _pg_reachable()
    if _PG_PROBLEM:
        message = f"PostgreSQL at {PG_SERVER} is unreachable: {_PG_PROBLEM}"
        if os.environ.get("CI") == "true":
            pytest.fail(message + " (CI=true: PostgreSQL tests must run)")
        pytest.skip(message)


def _server_url(database: str) -> str:
    base, _, _ = PG_SERVER.rpartition("/")
    return f"{base}/{database}"


@pytest.fixture
def pg_database() -> Iterator[str]:
    """A fresh, empty PostgreSQL database; dropped afterwards."""
    require_postgres()
    import psycopg

    name = f"medcourt_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_SERVER, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield _server_url(name)
    finally:
        with psycopg.connect(PG_SERVER, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def settings(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Settings]:
    """Settings for a fresh installation, on SQLite and on PostgreSQL; also exported to the
    environment, so CLI commands run in-process or as subprocesses see the same store."""
    var_dir = tmp_path / "var"
    monkeypatch.setenv("MEDCOURT_VAR", str(var_dir))
    if request.param == "sqlite":
        monkeypatch.delenv("MEDCOURT_DATABASE_URL", raising=False)
        yield Settings(database_url=None, var_dir=var_dir)
    else:
        url = request.getfixturevalue("pg_database")
        monkeypatch.setenv("MEDCOURT_DATABASE_URL", url)
        yield Settings(database_url=url, var_dir=var_dir)
