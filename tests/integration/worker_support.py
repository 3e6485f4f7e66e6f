"""Helpers for the worker's tests (``tests/integration/test_worker*.py``): a court in Almaty built
through the docket services with the clock frozen in the past, its users, and ways to run the
worker as of a given moment and to count what it produced."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from argon2 import PasswordHasher
from sqlalchemy import Engine, func, select

from domain import clock
from domain.application import Docket
from domain.vocabulary import Actor
from projections import schema
from projections.db import views_engine
from projections.notices import notices
from projections.settings import Settings
from projections.store_tables import users
from scripts.context import open_docket
from scripts.rulebook_data import kz_non_working_days
from scripts.worker import JobReport, Worker
from web.accounts import AccountStore

REPO = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse battery"
ADMIN = Actor(user="admin", role="admin")
CLERK = Actor(user="clerk", role="clerk", court="ALA")
# The account of the court's first judge; ``make_court`` sets its registry id (R14).
JUDGE = Actor(user="judge", role="judge", judge_id=None)
D0 = date(2026, 3, 2)  # a Monday; every story starts here


def at(day: date, hour: int = 9, minute: int = 0) -> datetime:
    """That court-local time, as an aware instant."""
    return datetime.combine(day, time(hour, minute), tzinfo=clock.COURT_TZ).astimezone(UTC)


@dataclass
class Court:
    """The Almaty court (ALA): two certified judges, an expert, a mediator, and users: a user per
    judge, a clerk of ALA, a clerk of Astana (AST, who must never hear of Almaty's cases)."""

    settings: Settings
    docket: Docket
    engine: Engine
    judge_id: str = ""
    judge2_id: str = ""
    expert_id: str = ""
    mediator_id: str = ""
    user_ids: dict[str, int] = field(default_factory=dict)

    def file(self, track: str = "civil", *, received_on: date = D0, judge_id: str | None = None, assign: bool = True) -> str:
        """File a case (as of ``received_on``, 09:00), assigned to a judge unless ``assign`` is false."""
        with clock.frozen_at(at(received_on)):
            number = str(self.docket.file_case(
                track=track, court="ALA", received_on=received_on, specialty="surgery",
                alleged_harm={"civil": "serious", "administrative": "minor", "criminal": "serious"}[track],
                incident_date=received_on - timedelta(days=60), claimant={"name": "Patient A"},
                respondents=[{"kind": "specialist", "name": "Dr Karimov", "certificate_no": "KZ-123"}] if track == "criminal"
                else [{"kind": "organization", "name": "City Hospital No. 4", "bin": "123456789012"}],
                claimed={"real_damage": "500000"} if track == "civil" else None,
                authority={"kind": "prosecutor", "name": "Almaty City Prosecutor"} if track == "criminal"
                else ({"kind": "inspectorate", "name": "Committee for Medical Control"} if track == "administrative" else None),
                actor=CLERK,
            )["docket_number"])
            if assign:
                self.docket.assign_judge(number, judge_id or self.judge_id, CLERK)
        return number

    def decided(self, track: str = "administrative", *, decided_on: date = D0, judge_id: str | None = None) -> str:
        """A case filed and decided (withdrawn) on ``decided_on``: its appeal window runs from then."""
        number = self.file(track, received_on=decided_on, judge_id=judge_id)
        with clock.frozen_at(at(decided_on, 15)):
            judge = Actor(user="judge", role="judge", judge_id=judge_id or self.judge_id)
            self.docket.issue_ruling(number, {"disposition": "withdrawn", "decided_on": decided_on}, judge)
        return number


def make_court(settings: Settings) -> Court:
    docket = open_docket(settings, create_tables=True)
    docket.install_default_rulebook(kz_non_working_days())
    schema.upgrade(settings)
    court = Court(settings=settings, docket=docket, engine=views_engine(settings))
    with clock.frozen_at(at(D0 - timedelta(days=30))):
        court.judge_id = docket.register_judge("Aigerim Sadykova", "ALA", ADMIN)["id"]
        JUDGE["judge_id"] = court.judge_id
        docket.certify_judge(court.judge_id, date(2020, 1, 1), None, "Medical law", ADMIN)
        court.judge2_id = docket.register_judge("Bolat Nurlanov", "ALA", ADMIN)["id"]
        docket.certify_judge(court.judge2_id, date(2020, 1, 1), None, "Medical law", ADMIN)
        court.expert_id = docket.register_expert("Dr Serik Ivanov", ["surgery"], "Professor of surgery", "EXP-1", ADMIN)["id"]
        court.mediator_id = docket.register_mediator("Gulnara Abenova", "ALA", "Almaty Mediation Centre", ADMIN)["id"]
    accounts = AccountStore(court.engine, PasswordHasher(time_cost=1, memory_cost=64, parallelism=1))
    for username, role, court_code, judge_id in (
        ("judge", "judge", "ALA", court.judge_id),
        ("judge2", "judge", "ALA", court.judge2_id),
        ("clerk", "clerk", "ALA", None),
        ("clerk_ast", "clerk", "AST", None),
        ("analyst", "analyst", None, None),
    ):
        created = accounts.create_user(username, PASSWORD, role, court=court_code, judge_id=judge_id, display_name=username.title(), language="en")
        court.user_ids[username] = created.id
    return court


def run(court: Court, when: datetime, *jobs: str, remind_days: int = 3) -> dict[str, JobReport]:
    """Run the named jobs (all by default) once, as of ``when``."""
    with clock.frozen_at(when), Worker(court.settings, docket=court.docket, remind_days=remind_days) as worker:
        reports = worker.run_all(jobs or None)
    failed = [r.line() for r in reports if r.error]
    assert not failed, failed
    return {r.job: r for r in reports}


def inbox_of(court: Court, username: str) -> list[tuple[str, str, str, date]]:
    """The notices of ``username``: (kind, docket number, subject, deadline date), sorted."""
    query = (
        select(notices.c.kind, notices.c.docket_number, notices.c.subject, notices.c.deadline_on)
        .join(users, users.c.id == notices.c.user_id)
        .where(users.c.username == username)
    )
    with court.engine.connect() as conn:
        return sorted(tuple(row) for row in conn.execute(query))  # type: ignore[misc]


def notice_count(court: Court) -> int:
    with court.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(notices)).scalar_one())


def events_of_type(docket: Docket, number: str, type_name: str) -> int:
    return sum(record["type"] == type_name for record in docket.case_history(number))


def worker_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "scripts.cli", "worker", "--run-once", "--format", "json", *args]


def run_worker_process(*args: str, timeout: float = 60) -> dict[str, Any]:
    """``medcourt worker --run-once --format json ...`` in a process of its own; its counts."""
    finished = subprocess.run(worker_command(*args), cwd=REPO, env=dict(os.environ), capture_output=True, text=True, timeout=timeout, check=False)
    assert finished.returncode == 0, finished.stderr[-3000:]
    result: dict[str, Any] = json.loads(finished.stdout)
    return result
