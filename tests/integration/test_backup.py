"""Backup and restore: a restored installation exports exactly the same events, byte for byte."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from projections.settings import Settings
from scripts.cli import main
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
    settings.documents_dir.mkdir(parents=True, exist_ok=True)
    (settings.documents_dir / "ab").mkdir()
    (settings.documents_dir / "ab" / "cd.bin").write_bytes(b"evidence")
    original = export(capsys)

    # Back it up while it is online, then restore into an empty installation.
    assert main(["backup", str(tmp_path / "backup"), "--include-key"]) == 0
    assert "Backed up" in capsys.readouterr().out
    monkeypatch.setenv("MEDCOURT_VAR", str(tmp_path / "restored"))
    if other_pg_database:
        monkeypatch.setenv("MEDCOURT_DATABASE_URL", other_pg_database)
    assert main(["restore", str(tmp_path / "backup")]) == 0

    assert export(capsys) == original
    assert (tmp_path / "restored" / "documents" / "ab" / "cd.bin").read_bytes() == b"evidence"
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
