"""The read models' schema comes from Alembic: up from nothing, down to nothing, on both databases."""

from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from projections import schema
from projections.schema import TARGET_METADATA as metadata
from projections.schema import include_object
from projections.search import SEARCH_INDEXES
from projections.settings import Settings
from scripts.cli import main

OURS = set(metadata.tables)


def only_ours(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    # Other revisions (accounts) and the event store share the database: compare our tables only.
    # The search index differs per database (projections.search) and is made in SQL by its revision.
    if type_ == "index" and name in SEARCH_INDEXES:
        return False
    table = obj if type_ == "table" else getattr(obj, "table", None)
    return table is None or table.name in OURS


def tables_in(settings: Settings) -> set[str]:
    engine = create_engine(settings.views_url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_upgrade_from_empty_creates_the_tables_of_tables_py_and_downgrade_removes_them(settings: Settings) -> None:
    assert schema.current_revision(settings) is None

    # Up to the read models' first revision, then to the newest: exactly the tables, columns and
    # indexes tables.py declares (later revisions add tables of their own, e.g. 0004's statistics,
    # and columns, e.g. the cases' search text).
    schema.upgrade(settings, to=schema.READ_MODELS_REVISION)
    assert schema.current_revision(settings) == schema.READ_MODELS_REVISION
    schema.upgrade(settings)
    engine = create_engine(settings.views_url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True, "include_object": only_ours})
            assert compare_metadata(context, metadata) == []
    finally:
        engine.dispose()

    # Up to the newest revision, twice (idempotent), then all the way down.
    schema.upgrade(settings)
    schema.upgrade(settings)
    assert tables_in(settings) >= OURS
    schema.downgrade(settings)
    assert schema.current_revision(settings) is None
    assert tables_in(settings) & OURS == set()

    # And up again: a downgrade leaves nothing behind that would stop it.
    schema.upgrade(settings)
    assert tables_in(settings) >= OURS


def test_medcourt_init_creates_the_read_models(settings: Settings) -> None:
    assert main(["init"]) == 0
    assert tables_in(settings) >= OURS
    assert schema.current_revision(settings) is not None
    assert main(["init"]) == 0  # and again, harmlessly


def test_autogenerate_against_a_migrated_database_proposes_nothing(settings: Settings) -> None:
    # `medcourt init` migrates the database and (on PostgreSQL) creates the event store beside the read models.
    assert main(["init"]) == 0

    # What `alembic revision --autogenerate` would compare: the one MetaData of every table, filtered as
    # the migrations' environment filters it (the event store's and the search index's own tables).
    engine = create_engine(settings.views_url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True, "include_object": include_object})
            assert compare_metadata(context, metadata) == []
    finally:
        engine.dispose()
