"""R10: mediation in civil cases, reconciliation in criminal ones, never in administrative cases,
one open at a time."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from domain.errors import InvalidValue, MediationNotAllowed
from tests.unit.conftest import CLERK, TODAY, Court, at

IN_A_MONTH = TODAY + timedelta(days=30)


def refer(court: Court, docket: str, due_on: date = IN_A_MONTH) -> str:
    return str(court.app.refer_to_mediation(docket, mediator_id=court.mediator, due_on=due_on, actor=CLERK)["id"])


def conclude(court: Court, docket: str, outcome: str, concluded_on: date = TODAY) -> None:
    court.app.conclude_mediation(docket, outcome=outcome, concluded_on=concluded_on, actor=CLERK)


def test_a_civil_case_is_referred_to_mediation(court: Court) -> None:
    docket = court.file("civil")

    assert refer(court, docket) == "M1"

    mediation = court.app.case(docket).open_mediation()
    assert mediation is not None
    assert (mediation["mediator_name"], mediation["referred_on"], mediation["due_on"]) == ("Saule Tulegenova", TODAY, IN_A_MONTH)


def test_an_administrative_case_is_refused_mediation(court: Court) -> None:
    docket = court.file("administrative")

    with pytest.raises(MediationNotAllowed, match="Administrative cases cannot be referred to mediation") as refusal:
        refer(court, docket)

    assert refusal.value.rule == "R10"
    assert court.app.case(docket).mediations == []


def test_a_criminal_reconciliation_may_end_the_case_terminated(court: Court) -> None:
    docket = court.file_assigned("criminal")
    refer(court, docket)
    with at(TODAY + timedelta(days=7)):
        conclude(court, docket, "settled", TODAY + timedelta(days=6))

        court.rule(docket, disposition="terminated", reasoning="The parties reconciled")

    case = court.app.case(docket)
    assert (case.status, case.ruling["disposition"], case.mediations[0]["outcome"]) == ("decided", "terminated", "settled")  # type: ignore[index]


def test_a_second_mediation_while_one_is_open_is_refused(court: Court) -> None:
    docket = court.file("civil")
    refer(court, docket)

    with pytest.raises(MediationNotAllowed, match="A mediation is already open in this case; conclude it first"):
        refer(court, docket)


def test_a_new_mediation_may_follow_a_failed_one(court: Court) -> None:
    docket = court.file("civil")
    refer(court, docket)
    conclude(court, docket, "failed")

    assert refer(court, docket) == "M2"

    assert [m["outcome"] for m in court.app.case(docket).mediations] == ["failed", None]


def test_a_mediation_is_due_after_today(court: Court) -> None:
    docket = court.file("civil")

    with pytest.raises(InvalidValue, match="The mediation's due date must be after today"):
        refer(court, docket, due_on=TODAY)


def test_a_mediation_concludes_only_when_one_is_open(court: Court) -> None:
    docket = court.file("civil")

    with pytest.raises(InvalidValue, match="No mediation is open in this case"):
        conclude(court, docket, "settled")


def test_a_mediation_does_not_conclude_before_it_was_referred(court: Court) -> None:
    docket = court.file("civil")
    refer(court, docket)

    with pytest.raises(InvalidValue, match=r"The date the mediation concluded \(2025-03-02\) cannot be before the referral date \(2025-03-03\)"):
        conclude(court, docket, "settled", TODAY - timedelta(days=1))


def test_a_mediation_outcome_comes_from_the_vocabulary(court: Court) -> None:
    docket = court.file("civil")
    refer(court, docket)

    with pytest.raises(InvalidValue, match="'agreed' is not a mediation outcome"):
        conclude(court, docket, "agreed")
