"""``medcourt backup PATH`` and ``medcourt restore PATH``: a court's installation, whole and consistent.

A backup is a folder: the databases (SQLite files copied with SQLite's online
backup API; PostgreSQL as one ``pg_dump`` snapshot, which includes the event
store, the read models and the projections' positions), the document store, and
a manifest with a sha256 of every file. It is taken while the court works:
read models are copied before the events, so they are never ahead of them and
the projections simply catch up after a restore. The encryption key is left out
unless ``--include-key`` is given: keep it apart from the data. The manifest names
the key by its fingerprint (never the key), and ``restore`` refuses, before it
touches anything, to restore without that key or with another one.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import sqlite3
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from projections.keys import KeyProblem, fingerprint, key_file, load_keys
from projections.settings import Settings
from scripts.cli import UsageError
from scripts.context import open_docket, settings

FORMAT = 1


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    backup = subparsers.add_parser("backup", help="back up the installation (online, consistent) into a new folder")
    backup.add_argument("path", type=Path)
    backup.add_argument("--include-key", action="store_true", help="also copy the encryption key (keep such a backup especially safe)")
    backup.set_defaults(func=cmd_backup)
    restore = subparsers.add_parser("restore", help="restore a backup into an empty installation")
    restore.add_argument("path", type=Path)
    restore.set_defaults(func=cmd_restore, own_key_handling=True)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _sqlite_copy(source: Path, target: Path) -> None:
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    dst.close()
    src.close()


def _pg_url(current: Settings) -> str:
    assert current.database_url is not None
    return current.database_url.replace("postgresql+psycopg://", "postgresql://")


def backup(current: Settings, path: Path, include_key: bool = False) -> dict[str, Any]:
    if path.exists() and any(path.iterdir()):
        raise UsageError(f"medcourt backup: {path} exists and is not empty")
    path.mkdir(parents=True, exist_ok=True)
    head = open_docket(current).log_head()
    if current.database_url is None:
        for name, source in (("views.db", current.views_path), ("events.db", current.events_path)):
            if source.exists():
                _sqlite_copy(source, path / name)
    else:
        done = subprocess.run(["pg_dump", "--format=custom", "--no-owner", f"--file={path / 'medcourt.pgdump'}", _pg_url(current)],
                              capture_output=True, text=True)
        if done.returncode != 0:
            raise UsageError(f"medcourt backup: pg_dump failed: {done.stderr.strip().splitlines()[-1] if done.stderr.strip() else done.returncode}")
    if current.documents_dir.exists():
        shutil.copytree(current.documents_dir, path / "documents")
    if (current.var_dir / "certificates").exists():  # judges' signing certificates: signed acts verify against them
        shutil.copytree(current.var_dir / "certificates", path / "certificates")
    if include_key and key_file(current.var_dir).exists():
        shutil.copy2(key_file(current.var_dir), path / "cipher.key")
    files = {str(p.relative_to(path)): _sha256(p) for p in sorted(path.rglob("*")) if p.is_file()}
    current_key, retired = load_keys(current.var_dir)
    manifest = {
        "format": FORMAT,
        "key_fingerprint": fingerprint(current_key),
        "retired_key_fingerprints": [fingerprint(k) for k in retired],
        "created_at": datetime.now(tz=UTC).isoformat(),
        "backend": "postgresql" if current.database_url else "sqlite",
        "log_head": head,
        "files": files,
    }
    (path / "manifest.json").write_text(json.dumps(manifest, indent=2))
    return manifest


def restore(current: Settings, path: Path) -> dict[str, Any]:
    manifest_path = path / "manifest.json"
    if not manifest_path.exists():
        raise UsageError(f"medcourt restore: {path} is not a Medcourt backup (no manifest.json)")
    manifest = json.loads(manifest_path.read_text())
    for name, digest in manifest["files"].items():
        if not (path / name).exists() or _sha256(path / name) != digest:
            raise UsageError(f"medcourt restore: {name} is missing or damaged in the backup (sha256 differs)")
    wanted = "postgresql" if current.database_url else "sqlite"
    if manifest["backend"] != wanted:
        raise UsageError(f"medcourt restore: the backup is of a {manifest['backend']} installation; this one uses {wanted}")
    _check_key(current, path, manifest)
    if current.database_url is None:
        for target in (current.events_path, current.views_path):
            if target.exists() and target.stat().st_size > 0:
                raise UsageError(f"medcourt restore: {target} exists: restore goes into an empty installation")
        current.var_dir.mkdir(parents=True, exist_ok=True)
        for name, target in (("events.db", current.events_path), ("views.db", current.views_path)):
            if (path / name).exists():
                _sqlite_copy(path / name, target)
    else:
        import psycopg

        with psycopg.connect(_pg_url(current)) as conn:
            tables = conn.execute("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'").fetchone()
        if tables and tables[0]:
            raise UsageError("medcourt restore: the database is not empty: restore goes into an empty database")
        done = subprocess.run(["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={_pg_url(current)}", str(path / "medcourt.pgdump")],
                              capture_output=True, text=True)
        if done.returncode != 0:
            raise UsageError(f"medcourt restore: pg_restore failed: {done.stderr.strip().splitlines()[-1] if done.stderr.strip() else done.returncode}")
    if (path / "documents").exists():
        shutil.copytree(path / "documents", current.documents_dir, dirs_exist_ok=True)
    if (path / "certificates").exists():
        shutil.copytree(path / "certificates", current.var_dir / "certificates", dirs_exist_ok=True)
    if (path / "cipher.key").exists() and not key_file(current.var_dir).exists():
        key_file(current.var_dir).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path / "cipher.key", key_file(current.var_dir))
    return manifest


def _keys_in(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


def _check_key(current: Settings, path: Path, manifest: dict[str, Any]) -> None:
    """The installation's key (or, if it has none, the backup's own copy) must be the one that
    encrypted the backup; say which key is needed otherwise."""
    needed = manifest.get("key_fingerprint")
    if not needed:
        return  # a backup from before keys were named
    try:
        current_key, retired = load_keys(current.var_dir)
        here, source = [current_key, *retired], "this installation's key"
    except KeyProblem:
        copy = path / "cipher.key"
        here, source = (_keys_in(copy.read_text()), "the key in the backup") if copy.exists() else ([], "")
    if not here:
        raise UsageError(
            f"medcourt restore: the backup is encrypted with the key {needed}; this installation has no key: "
            f"set MEDCOURT_CIPHER_KEY or put that key in {key_file(current.var_dir)}, then restore again"
        )
    if needed not in {fingerprint(k) for k in here}:
        raise UsageError(
            f"medcourt restore: the backup needs the key {needed}; {source} is {fingerprint(here[0])}: "
            "set the right key and restore again (nothing was restored)"
        )


def cmd_backup(args: argparse.Namespace) -> int:
    manifest = backup(settings(), args.path, args.include_key)
    print(f"Backed up {manifest['backend']} installation ({manifest['log_head']} events, {len(manifest['files'])} files) to {args.path}.")
    if not args.include_key:
        print("The encryption key is not in the backup: keep a copy of it apart (see docs/operations.md).")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    manifest = restore(settings(), args.path)
    print(f"Restored {manifest['log_head']} events from {args.path}; run 'medcourt projections run --until-caught-up' if read models lag.")
    return 0
