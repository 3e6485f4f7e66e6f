"""A small court for the domain's unit tests: an in-memory docket with its people in place.

``court`` gives a ``Court``: the ``Docket`` application (in memory, snapshots on) with the
default rulebook, two certified judges of Almaty and one whose certification ends on 31 March 2025, three
experts (one of them affiliated with City Hospital No. 4) and a mediator. Its helpers file a
case of a given track and bring it to the point a test needs. The clock is frozen at
``NOW`` for the whole test; ``at(day)`` moves it to 09:00 court time on another day.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

import pytest

from domain import clock
from domain.application import Docket
from domain.vocabulary import Actor
from scripts.rulebook_data import kz_non_working_days

TODAY = date(2025, 3, 3)
NOW = datetime.combine(TODAY, time(9), tzinfo=clock.COURT_TZ)

CLERK = Actor(user="clerk-1", role="clerk", court="ALA")
# The judge's account acts for the registry judge ``court.judge``; its id is set when the court is set up.
JUDGE = Actor(user="judge-1", role="judge", judge_id=None)
ADMIN = Actor(user="admin-1", role="admin")
ANALYST = Actor(user="analyst-1", role="analyst")

HOSPITAL = {"kind": "organization", "name": "City Hospital No. 4", "bin": "123456789012"}
SURGEON = {"kind": "specialist", "name": "Serik Nurlanov", "certificate_no": "KZ-SP-0001"}
PROSECUTOR = {"kind": "prosecutor", "name": "Almaty City Prosecutor's Office"}
INSPECTORATE = {"kind": "inspectorate", "name": "Committee for Medical and Pharmaceutical Control"}
CLAIMED = {"real_damage": "500000", "lost_profit": "200000", "moral_harm": "1000000"}

HARM_FOR_TRACK = {"civil": "serious", "criminal": "serious", "administrative": "minor"}


def clerk_of(court: str) -> Actor:
    """A clerk of ``court`` (R14: clerks act on their own court's cases)."""
    return CLERK if court == "ALA" else Actor(user=f"clerk-{court.lower()}", role="clerk", court=court)


def judge_acting_for(judge_id: str) -> Actor:
    """The account of the registry judge ``judge_id`` (R14: a judge acts on the cases assigned to them)."""
    return Actor(user=f"judge-{judge_id[:8]}", role="judge", judge_id=judge_id)


def at(day: date, hour: int = 9) -> AbstractContextManager[datetime]:
    """Freeze the clock at ``hour`` o'clock court time on ``day``."""
    return clock.frozen_at(datetime.combine(day, time(hour), tzinfo=clock.COURT_TZ))


def in_memory_docket() -> Docket:
    return Docket(env={"PERSISTENCE_MODULE": "eventsourcing.popo", "IS_SNAPSHOTTING_ENABLED": "y"})


def filing(track: str = "civil", **overrides: Any) -> dict[str, Any]:
    """The arguments of a plausible filing on the given track, received ten days ago."""
    arguments: dict[str, Any] = {
        "track": track,
        "court": "ALA",
        "received_on": TODAY - timedelta(days=10),
        "specialty": "surgery",
        "alleged_harm": HARM_FOR_TRACK[track],
        "incident_date": date(2024, 11, 1),
        "claimant": {"name": "Aliya Bekova"},
        "respondents": [HOSPITAL, SURGEON] if track == "civil" else [SURGEON],
        "authority": {"civil": None, "criminal": PROSECUTOR, "administrative": INSPECTORATE}[track],
        "claimed": CLAIMED if track == "civil" else {},
        "summary": "Complications after a laparoscopic cholecystectomy",
    }
    if track == "administrative":
        arguments["respondents"] = [HOSPITAL, SURGEON]
    arguments.update(overrides)
    return arguments


@dataclass
class Court:
    """The application and the registry ids a test needs, with helpers that read like the docket."""

    app: Docket
    judge: str
    other_judge: str
    expiring_judge: str
    expert: str
    second_expert: str
    hospital_expert: str
    mediator: str

    def file(self, track: str = "civil", **overrides: Any) -> str:
        """File a plausible case of ``track``; returns its docket number."""
        arguments = filing(track, **overrides)
        receipt = self.app.file_case(**arguments, actor=clerk_of(arguments["court"]))
        return str(receipt["docket_number"])

    def file_assigned(self, track: str = "civil", judge: str | None = None, **overrides: Any) -> str:
        docket = self.file(track, **overrides)
        self.app.assign_judge(docket, judge or self.judge, CLERK)
        return docket

    def order_examination(self, docket: str, *experts: str, due_on: date | None = None) -> str:
        receipt = self.app.order_examination(
            docket,
            kind="forensic_medical",
            questions=["Was the standard of care met?", "Did the care cause the harm?"],
            expert_ids=list(experts or [self.expert]),
            due_on=due_on or clock.today() + timedelta(days=30),
            actor=JUDGE,
        )
        return str(receipt["id"])

    def report(self, docket: str, examination: str, *, harm_found: str = "serious", met: str = "no") -> None:
        self.app.submit_expert_report(
            docket,
            examination_id=examination,
            received_on=clock.today(),
            standard_of_care_met=met,
            causation="yes",
            harm_found=harm_found,
            actor=CLERK,
        )

    def ready_for_merits(self, track: str = "civil", *, harm_found: str | None = None, **overrides: Any) -> str:
        """A case with an assigned judge and one submitted expert report: ready for a merits ruling."""
        docket = self.file_assigned(track, **overrides)
        self.report(docket, self.order_examination(docket), harm_found=harm_found or HARM_FOR_TRACK[track])
        return docket

    def rule(self, docket: str, by: Actor | None = None, **draft: Any) -> dict[str, Any]:
        return self.app.issue_ruling(docket, {"decided_on": clock.today(), **draft}, by or JUDGE)

    def rule_liable(self, docket: str, by: Actor | None = None, **draft: Any) -> dict[str, Any]:
        """A liability ruling against the first respondent that fits the case's track."""
        case = self.app.case(docket)
        by_track: dict[str, dict[str, Any]] = {
            "civil": {"liable_respondents": ["R1"], "compensation": {"real_damage": "400000"}},
            "criminal": {"liable_respondents": ["R1"], "sanctions": [{"respondent_id": "R1", "kind": "fine", "amount_mci": 100}]},
            "administrative": {"liable_respondents": ["R1"], "sanctions": [{"respondent_id": "R1", "kind": "fine", "amount_mci": 50}]},
        }
        ruling = {
            "disposition": "liability_found",
            "finding": "malpractice",
            "harm_found": HARM_FOR_TRACK[case.track],
            **by_track[case.track],
            **draft,
        }
        return self.rule(docket, by, **ruling)

    def decided(self, track: str = "civil", **overrides: Any) -> str:
        """A case with a liability ruling issued today."""
        docket = self.ready_for_merits(track, **overrides)
        self.rule_liable(docket)
        return docket


def set_up_court(app: Docket) -> Court:
    """Register the court's people, as the administrator does on installation (at ``NOW``)."""
    with clock.frozen_at(NOW):
        app.install_default_rulebook(kz_non_working_days())
        judge = app.register_judge("Aigerim Sadykova", "ALA", ADMIN)["id"]
        JUDGE["judge_id"] = judge
        app.certify_judge(judge, date(2024, 1, 1), None, "Medical law for judges", ADMIN)
        other_judge = app.register_judge("Marat Ospanov", "ALA", ADMIN)["id"]
        app.certify_judge(other_judge, date(2024, 1, 1), None, "Medical law for judges", ADMIN)
        expiring_judge = app.register_judge("Gulnara Akhmetova", "ALA", ADMIN)["id"]
        app.certify_judge(expiring_judge, date(2020, 1, 1), date(2025, 3, 31), "Medical law for judges", ADMIN)
        expert = app.register_expert("Dr Yerlan Ivanov", ["surgery"], "Professor of surgery", "EXP-001", ADMIN)["id"]
        second_expert = app.register_expert("Dr Dana Zhumabayeva", ["surgery", "anesthesiology"], "MD", "EXP-002", ADMIN)["id"]
        hospital_expert = app.register_expert("Dr Timur Kassymov", ["surgery"], "Head of surgery", "EXP-003", ADMIN)["id"]
        app.declare_affiliation(hospital_expert, HOSPITAL["bin"], HOSPITAL["name"], date(2019, 9, 1), date(2024, 12, 31), ADMIN)
        mediator = app.register_mediator("Saule Tulegenova", "ALA", "Almaty Mediation Centre", ADMIN)["id"]
    return Court(app, judge, other_judge, expiring_judge, expert, second_expert, hospital_expert, mediator)


@pytest.fixture
def court() -> Iterator[Court]:
    with clock.frozen_at(NOW):
        yield set_up_court(in_memory_docket())
