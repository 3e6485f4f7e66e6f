"""`medcourt projections run` killed at any moment, or run twice at once, still projects every event exactly once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine

from domain.application import Docket
from projections import schema
from projections.projector import PROJECTION_NAMES
from projections.queries import positions
from projections.settings import Settings
from scripts.demo import generate
from tests.integration.projection_support import dump_read_models, expected_row_counts, row_counts

REPO = Path(__file__).resolve().parents[2]
PATIENCE = 120.0  # seconds before a stuck subprocess fails the test instead of hanging it


def medcourt(*args: str) -> list[str]:
    return [sys.executable, "-m", "scripts.cli", *args]


@pytest.fixture
def docket(settings: Settings) -> Iterator[Docket]:
    """A docket of 60 demo cases (about 1,200 events), recorded but not yet projected."""
    app = Docket(env=settings.event_store_env(create_tables=True))
    generate(app, 60, seed=7, today=date(2025, 6, 30))
    yield app
    app.close()


@pytest.fixture
def views(settings: Settings) -> Iterator[Engine]:
    engine = create_engine(settings.views_url)
    yield engine
    engine.dispose()


def current_positions(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return positions(conn)


def wait_until_past(engine: Engine, runner: subprocess.Popen[bytes], position: int) -> dict[str, int]:
    """Wait until the projector has committed beyond ``position`` in every projection."""
    deadline = time.monotonic() + PATIENCE
    while True:
        seen = current_positions(engine)
        if min(seen.values()) > position:
            return seen
        if runner.poll() is not None:
            raise AssertionError(f"the projector exited ({runner.returncode}) at {seen}: {runner.stderr.read().decode() if runner.stderr else ''}")
        if time.monotonic() > deadline:
            raise AssertionError(f"no progress past {position} in {PATIENCE}s: {seen}")
        time.sleep(0.01)


def test_a_projector_killed_mid_catch_up_resumes_and_projects_every_event_exactly_once(settings: Settings, docket: Docket, views: Engine) -> None:
    schema.upgrade(settings)
    head = docket.log_head()

    # Three times: start a slow catch-up (small batches, a pause after each), let it commit
    # some batches, and SIGKILL it wherever it is, quite possibly inside a transaction.
    reached = 0
    for _ in range(3):
        runner = subprocess.Popen(
            medcourt("projections", "run", "--batch-size", "5", "--throttle", "0.005"),
            cwd=REPO, env=os.environ.copy(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )
        try:
            seen = wait_until_past(views, runner, reached)
            runner.send_signal(signal.SIGKILL)
            runner.wait(timeout=PATIENCE)
        finally:
            if runner.poll() is None:
                runner.kill()
                runner.wait()
            if runner.stderr:
                runner.stderr.close()
        reached = max(current_positions(views).values())
        assert seen["cases"] < head, "the projector finished before it could be killed: make the catch-up slower"
    assert min(current_positions(views).values()) < head

    # Restarted, it finishes the catch-up: every projection at the head, one row per event.
    finished = subprocess.run(medcourt("projections", "run", "--until-caught-up"), cwd=REPO, env=os.environ.copy(), capture_output=True, timeout=PATIENCE)
    assert finished.returncode == 0, finished.stderr.decode()
    assert current_positions(views) == dict.fromkeys(PROJECTION_NAMES, head)
    expected = expected_row_counts(docket)
    assert row_counts(views, list(expected)) == expected

    # And its rows are those of a rebuild from scratch.
    projected = dump_read_models(views)
    rebuilt = subprocess.run(medcourt("projections", "rebuild"), cwd=REPO, env=os.environ.copy(), capture_output=True, timeout=PATIENCE)
    assert rebuilt.returncode == 0, rebuilt.stderr.decode()
    assert dump_read_models(views) == projected


def test_two_projectors_at_once_take_turns_and_never_project_an_event_twice(settings: Settings, docket: Docket, views: Engine) -> None:
    # Both also race to create the schema: the migration lock makes one wait for the other.
    command = medcourt("projections", "run", "--until-caught-up", "--batch-size", "20")
    runners = [subprocess.Popen(command, cwd=REPO, env=os.environ.copy(), stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)]
    outputs = [runner.communicate(timeout=PATIENCE) for runner in runners]
    assert [runner.returncode for runner in runners] == [0, 0], [err.decode() for _, err in outputs]

    head = docket.log_head()
    assert current_positions(views) == dict.fromkeys(PROJECTION_NAMES, head)
    expected = expected_row_counts(docket)
    assert row_counts(views, list(expected)) == expected
    # Between them they processed each event of each projection once.
    processed = [int(part.split(": ")[1].split()[0]) for out, _ in outputs for part in out.decode().strip().split(", ") if part.startswith("cases:")]
    assert sum(processed) == sum(1 for _ in docket.iter_log(batch=1000))
