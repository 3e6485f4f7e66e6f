"""Create, upgrade and drop the read models' schema with Alembic (revisions in ``migrations/versions``).

``medcourt init`` calls ``upgrade``; so do the projection and statistics commands, so a
fresh installation works without a separate step. Upgrading is idempotent and safe to run
from several processes at once (PostgreSQL: an advisory lock in env.py; SQLite: a lock file).
"""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, pool

# Every module that declares tables, so that the one MetaData holds every table of the database.
from projections import notices, store_tables  # noqa: F401 - imported for their tables
from projections.search import FTS_TABLES, SEARCH_INDEXES
from projections.settings import Settings
from projections.tables import metadata

# The one MetaData: every table the migrations manage, read models and stores alike.
TARGET_METADATA = metadata

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
READ_MODELS_REVISION = "0001_read_models"


def include_object(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    """What autogenerate compares: the tables of ``metadata``, not what others keep in the same database.

    On PostgreSQL the event store (eventsourcing's own tables, created by ``medcourt init``) shares the
    database; on SQLite the search index is an FTS5 table with shadow tables of its own. Both, and
    PostgreSQL's trigram index, are made outside this MetaData (the search ones in SQL by their revision).
    """
    if type_ == "index" and name in SEARCH_INDEXES:
        return False
    if type_ == "table" and reflected and compare_to is None:
        return not (name or "").startswith(tuple(FTS_TABLES.values())) and not (name or "").endswith(("_events", "_snapshots", "_tracking"))
    return True


def alembic_config(settings: Settings) -> Config:
    """An Alembic configuration for these settings, independent of the working directory."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["settings"] = settings
    config.attributes["configure_logger"] = False
    return config


@contextmanager
def _migration_lock(settings: Settings) -> Iterator[None]:
    if settings.is_postgres:
        yield  # env.py takes a transaction-scoped advisory lock
        return
    settings.var_dir.mkdir(parents=True, exist_ok=True)
    with open(settings.var_dir / "views.migration.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def upgrade(settings: Settings, to: str = "head") -> None:
    """Bring the read models' schema up to revision ``to`` (default: the newest)."""
    with _migration_lock(settings):
        command.upgrade(alembic_config(settings), to)
    if not settings.is_postgres:
        # WAL lets readers (web, statistics) read while a projector writes; the mode stays with the file.
        engine = create_engine(settings.views_url, poolclass=pool.NullPool)
        try:
            with engine.connect() as connection:
                connection.exec_driver_sql("PRAGMA journal_mode=WAL")
        finally:
            engine.dispose()


def downgrade(settings: Settings, to: str = "base") -> None:
    """Take the schema back to revision ``to``; ``base`` drops every read-model table."""
    with _migration_lock(settings):
        command.downgrade(alembic_config(settings), to)


def current_revision(settings: Settings) -> str | None:
    """The revision the read models' database is at (None: no schema yet)."""
    engine = create_engine(settings.views_url, poolclass=pool.NullPool)
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()
