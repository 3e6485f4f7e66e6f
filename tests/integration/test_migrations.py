"""The database's schema comes from Alembic: up from nothing, down to nothing, on both databases, and
exactly the one MetaData's tables (autogenerate proposes nothing)."""

from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from domain.application import Docket
from projections import schema
from projections.schema import TARGET_METADATA as metadata
from projections.schema import include_object
from projections.settings import Settings
from projections.tables import MONTHLY
from scripts.cli import main
from scripts.demo import generate
from tests.court_clock import COURT_TODAY
from tests.integration.projection_support import dump_read_models

OURS = set(metadata.tables)


def autogenerate_diff(settings: Settings) -> list[Any]:
    """What ``alembic revision --autogenerate`` would propose against this database: the one MetaData of
    every table, compared as the migrations' environment compares it (``schema.include_object`` leaves out
    the event store's tables and the search index, made outside the MetaData)."""
    engine = create_engine(settings.views_url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True, "include_object": include_object})
            return list(compare_metadata(context, metadata))
    finally:
        engine.dispose()


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
    assert autogenerate_diff(settings) == []

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

    # Every table of the database (read models, accounts, API tokens, idempotency keys, the worker's) is
    # in the one MetaData, exactly as the migrations made it.
    assert autogenerate_diff(settings) == []


def test_0011_fills_the_month_rows_of_outcome_facts_projected_before_it(settings: Settings) -> None:
    def outcome_facts() -> list[tuple[Any, ...]]:
        engine = create_engine(settings.views_url)
        try:
            return dump_read_models(engine, ("statistics",))["stat_outcomes"]
        finally:
            engine.dispose()

    # A small docket, projected with the month rows the projection writes.
    assert main(["init"]) == 0
    generate(Docket(env=settings.event_store_env()), 20, 5, COURT_TODAY)
    assert main(["projections", "run", "--until-caught-up"]) == 0
    projected = outcome_facts()
    assert any(row[0].startswith(MONTHLY) for row in projected)

    # Back to 0010 (no month rows), then up again: 0011 fills them from the day rows, exactly as projected.
    schema.downgrade(settings, "0010_statistics_indexes")
    assert not any(row[0].startswith(MONTHLY) for row in outcome_facts())
    schema.upgrade(settings)
    assert outcome_facts() == projected
