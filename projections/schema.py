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

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, pool

from projections.settings import Settings

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
READ_MODELS_REVISION = "0001_read_models"


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
