"""Backup and restore: a restored installation exports exactly the same events, byte for byte."""

from __future__ import annotations

import io
import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from projections.keys import fingerprint, key_file, new_key
from projections.settings import Settings
from scripts.cli import main
from scripts.context import document_store
from tests.conftest import PG_SERVER


@pytest.fixture
def other_pg_database(settings: Settings) -> Iterator[str | None]:
    """A second empty PostgreSQL database to restore into (None on SQLite)."""
    if settings.database_url is None:
        yield None
        return
    import psycopg

    name = f"medcourt_restore_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_SERVER, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield PG_SERVER.rpartition("/")[0] + f"/{name}"
    finally:
        with psycopg.connect(PG_SERVER, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def export(capsys: pytest.CaptureFixture[str]) -> str:
    capsys.readouterr()
    assert main(["export", "events"]) == 0
    return capsys.readouterr().out


def test_a_restored_backup_exports_the_same_bytes(settings: Settings, other_pg_database: str | None, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    # Construct an installation with demo data and documents.
    assert main(["init"]) == 0
    assert main(["demo", "--cases", "40", "--seed", "5", "--today", "2026-11-20"]) == 0
    evidence = document_store(settings).put(io.BytesIO(b"evidence"), "evidence.txt")
    original = export(capsys)

    # Back it up while it is online, then restore into an empty installation.
    assert main(["backup", str(tmp_path / "backup"), "--include-key"]) == 0
    assert "Backed up" in capsys.readouterr().out
    monkeypatch.setenv("MEDCOURT_VAR", str(tmp_path / "restored"))
    if other_pg_database:
        monkeypatch.setenv("MEDCOURT_DATABASE_URL", other_pg_database)
    assert main(["restore", str(tmp_path / "backup")]) == 0

    assert export(capsys) == original
    restored = Settings(database_url=other_pg_database or settings.database_url, var_dir=tmp_path / "restored")
    assert b"".join(document_store(restored).iter_bytes(evidence.sha256)) == b"evidence"
    assert main(["verify"]) == 0


def test_restore_refuses_a_non_empty_installation_and_a_damaged_backup(settings: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["init"]) == 0
    assert main(["backup", str(tmp_path / "backup")]) == 0
    assert main(["restore", str(tmp_path / "backup")]) == 2
    assert "empty" in capsys.readouterr().err
    victim = next(p for p in (tmp_path / "backup").iterdir() if p.name != "manifest.json")
    victim.write_bytes(victim.read_bytes() + b"x")
    assert main(["restore", str(tmp_path / "backup")]) == 2
    assert "missing or damaged" in capsys.readouterr().err
    assert main(["backup", str(tmp_path / "backup")]) == 2
    assert "not empty" in capsys.readouterr().err


def test_restore_without_the_key_refuses_and_names_the_key_it_needs(settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                     other_pg_database: str | None, capsys: pytest.CaptureFixture[str]) -> None:
    # An installation with events, backed up without its key.
    assert main(["init"]) == 0
    assert main(["demo", "--cases", "3", "--seed", "2", "--today", "2026-11-20"]) == 0
    assert main(["backup", str(tmp_path / "backup")]) == 0
    the_key = key_file(settings.var_dir).read_text().split()[0]
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert manifest["key_fingerprint"] == fingerprint(the_key) and the_key not in json.dumps(manifest)

    # Restoring into an empty installation without the key refuses, and says which key it needs.
    monkeypatch.setenv("MEDCOURT_VAR", str(tmp_path / "restored"))
    if other_pg_database:
        monkeypatch.setenv("MEDCOURT_DATABASE_URL", other_pg_database)
    capsys.readouterr()
    assert main(["restore", str(tmp_path / "backup")]) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and fingerprint(the_key) in error and "no key" in error
    assert not (tmp_path / "restored" / "events.db").exists() and not key_file(tmp_path / "restored").exists()

    # Another key is refused too, naming both.
    wrong = new_key()
    monkeypatch.setenv("MEDCOURT_CIPHER_KEY", wrong)
    assert main(["restore", str(tmp_path / "backup")]) == 2
    error = capsys.readouterr().err
    assert fingerprint(the_key) in error and fingerprint(wrong) in error

    # With the right key it restores, and every command reads the store.
    monkeypatch.setenv("MEDCOURT_CIPHER_KEY", the_key)
    assert main(["restore", str(tmp_path / "backup")]) == 0
    assert main(["verify"]) == 0


def test_no_command_runs_on_a_store_without_the_key_that_decrypts_it(settings: Settings, monkeypatch: pytest.MonkeyPatch,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["init"]) == 0
    assert main(["demo", "--cases", "2", "--seed", "3", "--today", "2026-11-20"]) == 0
    path = key_file(settings.var_dir)
    the_key = path.read_text()
    capsys.readouterr()

    # The key is gone: no command makes a new one beside the data; each says so in one line, exit 2.
    path.unlink()
    for command in (["export", "events"], ["verify"], ["init"], ["projections", "status"], ["stats", "outcomes", "--from", "2026-01-01", "--to", "2026-12-31"]):
        assert main(command) == 2, command
        error = capsys.readouterr().err
        assert error.count("\n") == 1 and "no key" in error, (command, error)
        assert not path.exists(), command

    # Another key: refused, and nothing written under it.
    path.write_text(new_key() + "\n")
    for command in (["export", "events"], ["init"], ["demo", "--cases", "1", "--if-empty"]):
        assert main(command) == 2, command
        assert "cannot decrypt" in capsys.readouterr().err

    # The right key back: all is well; only `key generate` needs no store.
    path.write_text(the_key)
    assert main(["verify"]) == 0
    assert main(["key", "generate"]) == 0
