"""Shared fixtures: a fresh SQLite folder or a fresh PostgreSQL database per test, on a pinned court clock;
and, as Flask's tutorial has them, the web app (``app``), its test ``client`` and CLI ``runner``, and
``auth`` to sign a client in (helpers in ``tests/integration/web_support.py``).

Every test runs at ``tests.court_clock.COURT_NOW`` (a fixed date, or ``MEDCOURT_TEST_TODAY``), never today.

``settings`` is parametrized over both back ends for integration tests that ask
for it. PostgreSQL is 127.0.0.1:5432 (user postgres, trust auth) unless
``MEDCOURT_TEST_PG`` names another server URL. When it is unreachable the
PostgreSQL tests are skipped, except with ``CI=true``, where that is a failure.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from projections.settings import Settings
from tests import court_clock

if TYPE_CHECKING:
    from flask import Flask
    from flask.testing import FlaskClient, FlaskCliRunner

    from tests.integration.web_support import Court


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


# --- the web app, as Flask's tutorial tests it ----------------------------------------------------------------------------


@pytest.fixture(name="fresh")
def fresh_fixture(tmp_path: Path) -> tuple[Flask, Court]:
    """An app on a fresh SQLite installation and its seeded court, the test's own (for tests that change things)."""
    from tests.integration.web_support import make_app, seed

    app = make_app(tmp_path / "var")
    return app, seed(app)


@pytest.fixture(scope="module", name="seeded")
def seeded_fixture(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Flask, Court]]:
    """One app and court shared by a module's read-mostly tests."""
    from tests.integration.web_support import make_app, seed

    app = make_app(tmp_path_factory.mktemp("web") / "var")
    yield app, seed(app)


@pytest.fixture
def app(fresh: tuple[Flask, Court]) -> Flask:
    return fresh[0]


@pytest.fixture
def court(fresh: tuple[Flask, Court]) -> Court:
    """What ``seed`` put on the docket of ``app``: its users, judges, experts and cases."""
    return fresh[1]


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


class AuthActions:
    """Signs ``client`` in and out, as Flask's tutorial's ``auth`` fixture does."""

    def __init__(self, client: FlaskClient) -> None:
        self._client = client

    def login(self, username: str = "clerk", password: str | None = None) -> None:
        from tests.integration.web_support import PASSWORD, sign_in

        sign_in(self._client, username, password or PASSWORD)

    def logout(self) -> None:
        from tests.integration.web_support import post

        post(self._client, "/logout")


@pytest.fixture
def auth(client: FlaskClient) -> AuthActions:
    return AuthActions(client)


@pytest.fixture(name="client_for")
def client_for_fixture(seeded: tuple[Flask, Court]) -> Callable[[str | None], FlaskClient]:
    """A client of the shared ``seeded`` app, signed in as the user named (or not signed in: ``None``)."""
    from tests.integration.web_support import sign_in

    app, _ = seeded

    def make(username: str | None) -> FlaskClient:
        client = app.test_client()
        if username:
            sign_in(client, username)
        return client

    return make
