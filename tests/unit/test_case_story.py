"""One case from filing to legal force, told in steps, and what its history records."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

from domain import clock
from domain.errors import NotFound
from tests.unit.conftest import CLERK, JUDGE, TODAY, Court, at


def test_a_civil_malpractice_claim_from_filing_to_legal_force(court: Court) -> None:
    app = court.app

    # The clerk dockets the claim and assigns a certified judge.
    docket = court.file("civil")
    app.assign_judge(docket, court.judge, CLERK)

    # The judge orders a forensic examination; the clerk books a preliminary hearing.
    examination = court.order_examination(docket, due_on=TODAY + timedelta(days=30))
    app.schedule_hearing(docket, starts_at=datetime(2025, 3, 10, 10, tzinfo=clock.COURT_TZ), courtroom="101", purpose="preliminary", actor=CLERK)

    # A week later the hearing is held; the report arrives on 19 March.
    with at(date(2025, 3, 10), hour=12):
        app.hold_hearing(docket, "H1", minutes_summary="The parties were heard", actor=CLERK)
    with at(date(2025, 3, 20)):
        app.submit_expert_report(
            docket, examination_id=examination, received_on=date(2025, 3, 19),
            standard_of_care_met="no", causation="yes", harm_found="serious", actor=CLERK,
        )

        # The judge finds malpractice and awards compensation, less 10% contributory fault.
        app.issue_ruling(
            docket,
            {
                "disposition": "liability_found", "finding": "malpractice", "harm_found": "serious",
                "liable_respondents": ["R1"], "compensation": {"real_damage": "400000", "moral_harm": "333333.33"},
                "contributory_fault_pct": "10", "decided_on": "2025-03-20",
            },
            JUDGE,
        )

    # No appeal within a month: the window ends on Sunday 20 April, so on Monday 21 April (R17),
    # and the ruling enters into force the day after.
    with at(date(2025, 5, 20)):
        app.enter_into_force(docket)

    # The case now, and its history.
    case = app.case(docket)
    assert (case.status, case.in_force_on) == ("in_force", date(2025, 4, 22))
    assert case.ruling is not None
    assert case.ruling["payable"] == {"real_damage": Decimal("360000.00"), "moral_harm": Decimal("300000.00")}
    history = app.case_history(docket)
    assert [h["type"] for h in history] == [
        "CaseFiled", "JudgeAssigned", "ExpertExaminationOrdered", "HearingScheduled",
        "HearingHeld", "ExpertReportSubmitted", "RulingIssued", "RulingEnteredIntoForce",
    ]
    assert [h["version"] for h in history] == list(range(1, 9))
    assert history[4]["recorded_at"] == "2025-03-10T07:00:00Z"
    assert history[6]["data"]["payable"] == {"real_damage": "360000.00", "moral_harm": "300000.00"}

    # What the docket showed on earlier days.
    assert app.case_as_of(docket, date(2025, 3, 3)).version == 4
    assert app.case_as_of(docket, date(2025, 3, 19)).status == "pending"
    assert app.case_as_of(docket, date(2025, 3, 20)).status == "decided"
    assert app.case_at_version(docket, 6).examinations[examination]["status"] == "reported"


def test_every_case_event_records_who_acted_and_when(court: Court) -> None:
    docket = court.decided("criminal")
    court.app.seal_case(docket, reason="sensitive_diagnosis", actor=JUDGE)

    for record in court.app.case_history(docket):
        assert record["data"]["actor"]["user"] and record["data"]["actor"]["role"], record["type"]
        assert record["recorded_at"].endswith("Z"), record["type"]


def test_a_case_is_not_shown_as_of_a_day_before_it_was_filed(court: Court) -> None:
    docket = court.file("civil")

    with pytest.raises(NotFound, match=f"Case {docket} was not yet on the docket on 2025-03-02"):
        court.app.case_as_of(docket, date(2025, 3, 2))


def test_a_case_has_no_version_beyond_its_last_event(court: Court) -> None:
    docket = court.file_assigned("civil")

    with pytest.raises(NotFound, match=f"Case {docket} has versions 1 to 2; there is no version 3"):
        court.app.case_at_version(docket, 3)
