"""Exactly once: two workers at the same moment, a worker killed mid-run and started again, and
runs missed while no worker was up caught up (coalesced) by the scheduler when it starts."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import pytest
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from sqlalchemy import func, insert, select

from domain import clock
from projections import store_tables
from projections.settings import Settings
from scripts.worker import JOB_NAMES, CourtScheduler, Worker
from tests.integration.worker_support import (
    D0,
    JUDGE,
    REPO,
    Court,
    at,
    events_of_type,
    make_court,
    notice_count,
    run_worker_process,
    worker_command,
)

NOW = "2026-06-01T09:00"  # court-local: past every deadline of the cases below
RECIPIENTS = 2  # the assigned judge's user and the Almaty clerk


@pytest.fixture
def court(settings: Settings) -> Iterator[Court]:
    built = make_court(settings)
    yield built
    built.docket.close()
    built.engine.dispose()


def busy_court(court: Court, rulings: int) -> list[str]:
    """``rulings`` administrative rulings past their appeal window, and a few overdue examinations."""
    decided = [court.decided("administrative", decided_on=D0 + timedelta(days=i % 7)) for i in range(rulings)]
    for i in range(3):
        number = court.file()
        with clock.frozen_at(at(D0, 11)):
            court.docket.order_examination(number, kind="forensic_medical", questions=["Was the standard of care met?"],
                                           expert_ids=[court.expert_id], due_on=D0 + timedelta(days=20 + i), actor=JUDGE)
    return decided


def expected_notices(rulings: int) -> int:
    """Rulings in force and overdue reports: the judge and the clerk; civil cases past the term: the judge."""
    return RECIPIENTS * (rulings + 3) + 3


def test_two_workers_started_together_record_each_event_and_each_notice_once(court: Court) -> None:
    decided = busy_court(court, rulings=20)

    # Two workers, started at the same moment, as of the same time.
    processes = [subprocess.Popen(worker_command("--now", NOW), cwd=REPO, env=dict(os.environ), stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [process.communicate(timeout=90) for process in processes]
    assert [p.returncode for p in processes] == [0, 0], [err[-2000:] for _, err in outputs]
    results = [json.loads(out) for out, _ in outputs]

    # Each ruling entered into force once, by one worker or the other.
    assert all(events_of_type(court.docket, number, "RulingEnteredIntoForce") == 1 for number in decided)
    assert sum(r["events_recorded"] for r in results) == len(decided)
    # Each notice exists once, and the two workers' counts of what they created add up to exactly that.
    expected = expected_notices(len(decided))
    assert notice_count(court) == expected
    assert sum(r["notices_created"] for r in results) == expected
    with court.engine.connect() as conn:
        statuses = conn.execute(select(store_tables.deadline_actions.c.status, func.count()).group_by(store_tables.deadline_actions.c.status)).all()
    assert statuses == [("done", len(decided))]

    # A third run finds nothing left to do.
    again = run_worker_process("--now", NOW)
    assert (again["events_recorded"], again["notices_created"]) == (0, 0)


def test_a_worker_killed_mid_run_misses_nothing_and_doubles_nothing_when_started_again(court: Court) -> None:
    decided = busy_court(court, rulings=30)

    # The worker is killed (SIGKILL: no clean-up) after a few rulings have entered into force.
    process = subprocess.Popen(worker_command("--now", NOW, "--throttle", "0.1"), cwd=REPO, env=dict(os.environ),
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    assert process.stderr is not None
    entered = 0
    deadline = time.monotonic() + 60
    while entered < 5 and time.monotonic() < deadline:
        line = process.stderr.readline()
        if not line:
            break
        entered += '"event": "ruling_entered_into_force"' in line
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    process.stderr.close()
    assert entered == 5, "the worker did not get far enough to be killed mid-run"
    in_force_before = sum(court.docket.case(number).status == "in_force" for number in decided)
    assert 5 <= in_force_before < len(decided)

    # Started again: it finishes what was left, and nothing is recorded twice.
    result = run_worker_process("--now", NOW)
    assert result["events_recorded"] == len(decided) - in_force_before
    assert all(events_of_type(court.docket, number, "RulingEnteredIntoForce") == 1 for number in decided)
    assert notice_count(court) == expected_notices(len(decided))
    with court.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(store_tables.deadline_actions).where(store_tables.deadline_actions.c.status != "done")).scalar_one() == 0
        # The killed run is on record as never finished.
        unfinished = conn.execute(select(store_tables.worker_runs.c.job).where(store_tables.worker_runs.c.finished_at.is_(None))).scalars().all()
    assert unfinished == ["legal_force"]
    assert run_worker_process("--now", NOW)["notices_created"] == 0


def serve_until(worker: Worker, done: Callable[[], bool], timeout: float = 30) -> None:
    """Run the live scheduler in a thread until ``done()``; then stop it."""
    stop = threading.Event()
    thread = threading.Thread(target=worker.serve, args=(stop,))
    thread.start()
    try:
        deadline = time.monotonic() + timeout
        while not done() and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        stop.set()
        thread.join(timeout=60)
    assert done(), "the scheduler did not run the expected jobs in time"


def finished_runs(court: Court) -> dict[str, int]:
    with court.engine.connect() as conn:
        rows = conn.execute(
            select(store_tables.worker_runs.c.job, func.count()).where(store_tables.worker_runs.c.finished_at.is_not(None)).group_by(store_tables.worker_runs.c.job)
        ).all()
    return {job: count for job, count in rows}


def test_the_scheduler_catches_up_missed_runs_once_and_reruns_an_unfinished_job_at_start(court: Court) -> None:
    with Worker(court.settings, docket=court.docket) as worker:
        # First start: every job is installed in the job store and runs at once.
        serve_until(worker, lambda: set(finished_runs(court)) == set(JOB_NAMES))
        first = finished_runs(court)

        # The worker was down for three days: by the job store, every job missed several runs
        # (the hourly hearings job some seventy); when it starts, each runs once.
        scheduler = CourtScheduler(timezone=clock.COURT_TZ, jobstores={"default": SQLAlchemyJobStore(engine=court.engine)})
        scheduler.start(paused=True)
        for name in JOB_NAMES:
            scheduler.modify_job(name, next_run_time=datetime.now(tz=UTC) - timedelta(days=3))
        scheduler.shutdown()
        serve_until(worker, lambda: all(finished_runs(court).get(name, 0) > first[name] for name in JOB_NAMES))
        second = finished_runs(court)
        time.sleep(0.5)
        assert all(1 <= second[name] - first[name] <= 2 for name in JOB_NAMES), (first, second)  # coalesced (2: an hour struck meanwhile)

        # A run killed midway (started, never finished) is run again at start, though its next run is hours away.
        with court.engine.begin() as conn:
            conn.execute(insert(store_tables.worker_runs).values(job="legal_force", worker="gone:1", as_of=datetime.now(tz=UTC).replace(tzinfo=None),
                                                          started_at=datetime.now(tz=UTC).replace(tzinfo=None)))
        serve_until(worker, lambda: finished_runs(court)["legal_force"] > second["legal_force"])
