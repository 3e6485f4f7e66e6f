"""Where Medcourt keeps its data, from the environment.

Embedded default: SQLite files under ``var/`` (events in ``var/events.db``, read
models in ``var/views.db``), no server needed. With
``MEDCOURT_DATABASE_URL=postgresql://user@host:port/db`` everything lives in that
PostgreSQL database. ``MEDCOURT_VAR`` moves the ``var/`` folder (tests use it).
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit


@dataclass(frozen=True)
class Settings:
    database_url: str | None
    var_dir: Path

    @property
    def is_postgres(self) -> bool:
        return self.database_url is not None

    @property
    def events_path(self) -> Path:
        return self.var_dir / "events.db"

    @property
    def views_path(self) -> Path:
        return self.var_dir / "views.db"

    @property
    def documents_dir(self) -> Path:
        return self.var_dir / "documents"

    def event_store_env(self, *, create_tables: bool | None = None) -> dict[str, str]:
        """The eventsourcing environment for the ``Docket`` application.

        On PostgreSQL only ``medcourt init`` creates tables (``create_tables=True``):
        several processes racing to CREATE TABLE IF NOT EXISTS fail with
        "tuple concurrently updated". SQLite's file lock makes that race harmless.
        """
        from projections.keys import MissingKey, load_keys

        create = (self.database_url is None) if create_tables is None else create_tables
        try:
            key, retired = load_keys(self.var_dir)
        except MissingKey:
            # A new key only for a store without events: never one beside data it cannot read.
            if self.store_holds_events():
                raise
            key, retired = load_keys(self.var_dir, create=True)
        env = {
            "IS_SNAPSHOTTING_ENABLED": "y",
            "CREATE_TABLE": "y" if create else "n",
            # Payloads are compressed, then encrypted (AES-GCM); see projections/keys.py.
            "COMPRESSOR_TOPIC": "eventsourcing.compressor:ZlibCompressor",
            "CIPHER_TOPIC": "projections.keys:RotatingAESCipher",
            "CIPHER_KEY": key,
            "CIPHER_OLD_KEYS": ",".join(retired),
            # Aggregates stay in memory between commands; each read fast-forwards from the
            # store, so several processes still see each other's writes.
            "AGGREGATE_CACHE_MAXSIZE": "5000",
            "AGGREGATE_CACHE_FASTFORWARD": "y",
        }
        if self.database_url is None:
            self.var_dir.mkdir(parents=True, exist_ok=True)
            env.update(PERSISTENCE_MODULE="eventsourcing.sqlite", SQLITE_DBNAME=str(self.events_path), SQLITE_LOCK_TIMEOUT="30")
            return env
        parts = urlsplit(self.database_url)
        env.update(
            PERSISTENCE_MODULE="eventsourcing.postgres",
            POSTGRES_DBNAME=parts.path.lstrip("/") or "postgres",
            POSTGRES_HOST=parts.hostname or "127.0.0.1",
            POSTGRES_PORT=str(parts.port or 5432),
            POSTGRES_USER=unquote(parts.username or "postgres"),
            POSTGRES_PASSWORD=unquote(parts.password or ""),
            POSTGRES_POOL_SIZE="5",
            POSTGRES_CONNECT_TIMEOUT="10",
            POSTGRES_MAX_OVERFLOW="10",
        )
        return env

    def store_holds_events(self) -> bool:
        """Whether the event store has any stored event (read without the key: rows only)."""
        if self.database_url is None:
            if not self.events_path.exists():
                return False
            import sqlite3

            with contextlib.closing(sqlite3.connect(f"file:{self.events_path}?mode=ro", uri=True)) as conn:
                try:
                    return conn.execute("SELECT 1 FROM stored_events LIMIT 1").fetchone() is not None
                except sqlite3.OperationalError:
                    return False  # no table yet
        import psycopg

        with psycopg.connect(self.database_url.replace("postgresql+psycopg://", "postgresql://"), connect_timeout=10) as conn:
            exists = conn.execute("SELECT to_regclass('public.docket_events') IS NOT NULL").fetchone()
            if not exists or not exists[0]:
                return False
            return conn.execute("SELECT 1 FROM docket_events LIMIT 1").fetchone() is not None

    @property
    def views_url(self) -> str:
        """The SQLAlchemy URL of the read models."""
        if self.database_url is None:
            self.var_dir.mkdir(parents=True, exist_ok=True)
            return f"sqlite:///{self.views_path}"
        url = self.database_url
        for prefix in ("postgresql+psycopg://", "postgresql://", "postgres://"):
            if url.startswith(prefix):
                return "postgresql+psycopg://" + url[len(prefix):]
        return url


def load_settings() -> Settings:
    url = os.environ.get("MEDCOURT_DATABASE_URL") or None
    if url is not None and not url.startswith(("postgresql://", "postgres://", "postgresql+psycopg://")):
        raise ValueError(f"MEDCOURT_DATABASE_URL must be a postgresql:// URL, not {url!r}")
    var_dir = Path(os.environ.get("MEDCOURT_VAR") or Path.cwd() / "var")
    return Settings(database_url=url, var_dir=var_dir)
