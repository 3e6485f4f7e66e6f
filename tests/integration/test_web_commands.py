"""``medcourt user ...`` and ``medcourt serve``'s arguments, and the accounts' Alembic revision."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect

from projections import schema
from projections.settings import Settings
from scripts.cli import main


@pytest.fixture
def installation(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    var_dir = tmp_path / "var"
    monkeypatch.setenv("MEDCOURT_VAR", str(var_dir))
    monkeypatch.delenv("MEDCOURT_DATABASE_URL", raising=False)
    return Settings(database_url=None, var_dir=var_dir)


def test_an_operator_creates_lists_and_resets_web_accounts(installation: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["user", "create", "aigerim", "--role", "clerk", "--court", "ALA", "--name", "Aigerim S.", "--language", "kk"]) == 0
    created = capsys.readouterr().out
    assert created.startswith("Created clerk 'aigerim' of ALA; password: ")
    assert main(["user", "create", "boss", "--role", "admin", "--password", "a long admin secret"]) == 0
    assert "password" not in capsys.readouterr().out  # a given password is not printed back
    assert main(["user", "list"]) == 0
    listing = capsys.readouterr().out
    assert "aigerim" in listing and "kk" in listing and "boss" in listing
    assert main(["user", "set-password", "aigerim", "--password", "another long one"]) == 0
    assert main(["user", "unlock", "aigerim"]) == 0


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["user", "create", "bob", "--role", "judge"], "Clerks and judges belong to a court"),
        (["user", "create", "bob", "--role", "analyst", "--password", "short"], "at least 10 characters"),
        (["user", "create", "Bob Smith", "--role", "analyst"], "A username is"),
        (["user", "set-password", "nobody"], "No user 'nobody'"),
        (["user", "create", "bob", "--role", "emperor"], "invalid choice"),
        (["serve", "--port", "70000"], "is not a port number"),
        (["serve", "--workers", "3"], "--workers goes with --prod"),
        (["serve", "--insecure-cookies"], "--insecure-cookies goes with --prod"),
    ],
)
def test_mistakes_exit_2_with_one_line(installation: Settings, capsys: pytest.CaptureFixture[str], argv: list[str], message: str) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


def test_the_accounts_revision_upgrades_and_downgrades(installation: Settings) -> None:
    schema.upgrade(installation)
    head = schema.current_revision(installation)
    engine = create_engine(installation.views_url)
    assert {"users", "sealed_case_views"} <= set(inspect(engine).get_table_names())
    schema.downgrade(installation, "0001_read_models")
    assert not {"users", "sealed_case_views"} & set(inspect(engine).get_table_names())
    schema.upgrade(installation, "0002_accounts")
    assert {"users", "sealed_case_views"} <= set(inspect(engine).get_table_names())
    schema.upgrade(installation)
    assert schema.current_revision(installation) == head
    engine.dispose()
