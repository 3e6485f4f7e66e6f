"""Alembic environment for the read models.

The database comes from ``projections.settings`` (the ``Settings`` that
``projections.schema`` passes in ``config.attributes["settings"]``, otherwise
``load_settings()`` from the environment), never from alembic.ini.
"""

from __future__ import annotations

from logging.config import fileConfig

from alembic import context
from sqlalchemy import create_engine, pool, text

from projections.schema import TARGET_METADATA as metadata
from projections.schema import include_object
from projections.settings import Settings, load_settings

config = context.config
if config.config_file_name is not None and config.attributes.get("configure_logger", True):
    fileConfig(config.config_file_name)

settings: Settings = config.attributes.get("settings") or load_settings()
# Every table the migrations manage (one MetaData), so an autogenerate never proposes dropping one.
target_metadata = metadata


# Any fixed number will do: it names the lock every Medcourt process takes to migrate.
MIGRATION_LOCK = 7_350_112


def run_migrations_offline() -> None:
    context.configure(url=settings.views_url, target_metadata=target_metadata, include_object=include_object, literal_binds=True, dialect_opts={"paramstyle": "named"})
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    engine = create_engine(settings.views_url, poolclass=pool.NullPool)
    try:
        with engine.connect() as connection:
            context.configure(connection=connection, target_metadata=target_metadata, include_object=include_object)
            with context.begin_transaction():
                if connection.dialect.name == "postgresql":
                    # Two processes upgrading at once (two `medcourt init`s, a projector and a
                    # web worker) take turns; the second then finds the schema at head already.
                    connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
                context.run_migrations()
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
