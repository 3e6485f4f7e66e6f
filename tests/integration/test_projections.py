"""Projections are built exactly once from the event log: in batches, across restarts, from scratch."""

from __future__ import annotations

import random
import tempfile
from datetime import date
from pathlib import Path

import pytest
from eventsourcing.persistence import IntegrityError, Tracking
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from sqlalchemy import create_engine, select

from domain.application import Docket
from projections import schema
from projections.projector import APPLICATION_NAME, PROJECTION_NAMES, Projector
from projections.settings import Settings
from projections.tables import metadata, tracking_cases
from tests.integration.projection_support import dump_read_models, expected_row_counts, random_history, row_counts

START = date(2024, 1, 8)


def in_memory_docket() -> Docket:
    return Docket(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})


def fresh_views(folder: Path) -> Settings:
    """Read models in a new SQLite file (the schema from the tables; Alembic is tested apart)."""
    settings = Settings(database_url=None, var_dir=folder)
    engine = create_engine(settings.views_url)
    metadata.create_all(engine)
    engine.dispose()
    return settings


def project_everything(settings: Settings, docket: Docket, batch_size: int = 1000) -> dict[str, int]:
    with Projector(settings, docket=docket, batch_size=batch_size) as projector:
        return projector.catch_up()


@hypothesis_settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rng=st.randoms(use_true_random=False),
    batch_sizes=st.lists(st.integers(min_value=1, max_value=60), min_size=2, max_size=4),
    batches_before_restart=st.integers(min_value=0, max_value=4),
)
def test_incremental_build_in_batches_with_restarts_equals_a_rebuild(rng: random.Random, batch_sizes: list[int], batches_before_restart: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        docket = in_memory_docket()
        incremental = fresh_views(Path(tmp) / "incremental")

        # A first stretch of history, projected only partly before the projector stops.
        court = random_history(docket, rng, cases=4, steps=40, start=START)
        with Projector(incremental, docket=docket, batch_size=batch_sizes[0]) as projector:
            for name in PROJECTION_NAMES:
                for _ in range(batches_before_restart):
                    projector.process_batch(name)

        # More history; each restart resumes where the last one stopped, with another batch size.
        random_history(docket, rng, cases=3, steps=40, start=START, court=court)
        for batch_size in batch_sizes[1:]:
            with Projector(incremental, docket=docket, batch_size=batch_size) as projector:
                for name in PROJECTION_NAMES:
                    projector.process_batch(name)
        project_everything(incremental, docket, batch_size=batch_sizes[-1])

        # The same log projected in one go into an empty database gives the same rows.
        rebuilt = fresh_views(Path(tmp) / "rebuilt")
        project_everything(rebuilt, docket)
        incremental_engine, rebuilt_engine = create_engine(incremental.views_url), create_engine(rebuilt.views_url)
        try:
            assert dump_read_models(incremental_engine) == dump_read_models(rebuilt_engine)
            expected = expected_row_counts(docket)
            assert row_counts(incremental_engine, list(expected)) == expected
        finally:
            incremental_engine.dispose()
            rebuilt_engine.dispose()


@pytest.fixture
def docket(settings: Settings) -> Docket:
    app = Docket(env=settings.event_store_env(create_tables=True))
    yield app
    app.close()


def test_projecting_while_the_docket_grows_equals_rebuilding_on_each_database(settings: Settings, docket: Docket) -> None:
    schema.upgrade(settings)
    rng = random.Random(20240108)

    # Project in small batches while cases are filed and decided, restarting in between.
    court = random_history(docket, rng, cases=5, steps=60, start=START)
    with Projector(settings, batch_size=7) as projector:
        for name in PROJECTION_NAMES:
            projector.process_batch(name)
            projector.process_batch(name)
    random_history(docket, rng, cases=4, steps=80, start=START, court=court)
    with Projector(settings, batch_size=13) as projector:
        projector.catch_up()
        head = projector.head()
        assert {name: projector.position(name) for name in PROJECTION_NAMES} == dict.fromkeys(PROJECTION_NAMES, head)
    engine = create_engine(settings.views_url)
    try:
        incremental = dump_read_models(engine)
        expected = expected_row_counts(docket)
        assert row_counts(engine, list(expected)) == expected

        # Rebuilding every projection from position zero gives the same rows.
        with Projector(settings) as projector:
            assert projector.rebuild(["registry"]) == {"registry": head}
            assert projector.rebuild() == dict.fromkeys(PROJECTION_NAMES, head)
        assert dump_read_models(engine) == incremental
    finally:
        engine.dispose()


def test_a_position_already_tracked_is_refused_and_changes_nothing(tmp_path: Path) -> None:
    # The exactly-once guard of eventsourcing's tracking recorder, on our tracking tables.
    docket = in_memory_docket()
    random_history(docket, random.Random(3), cases=2, steps=10, start=START)
    views = fresh_views(tmp_path)
    with Projector(views, docket=docket) as projector:
        projector.catch_up()
        head = projector.head()
        with pytest.raises(IntegrityError), projector.datastore.transaction(commit=True) as session:
            projector.recorders["cases"]._insert_tracking(session, Tracking(APPLICATION_NAME, head))
        assert projector.position("cases") == head
    engine = create_engine(views.views_url)
    with engine.connect() as conn:
        assert conn.execute(select(tracking_cases.c.notification_id)).scalars().all() == [head]
    engine.dispose()


def test_events_a_projection_ignores_still_advance_its_position(tmp_path: Path) -> None:
    # Registry events only: the case file and the timeline have nothing to write, yet they
    # are at the head of the log, so waiting for a registry write never times out.
    docket = in_memory_docket()
    docket.register_judge("Judge Dredd", "ALA", {"user": "admin", "role": "admin"})
    views = fresh_views(tmp_path)
    with Projector(views, docket=docket) as projector:
        projector.catch_up()
        assert [status.lag_events for status in projector.status()] == [0] * len(PROJECTION_NAMES)
        assert {name: projector.position(name) for name in PROJECTION_NAMES} == dict.fromkeys(PROJECTION_NAMES, projector.head())
