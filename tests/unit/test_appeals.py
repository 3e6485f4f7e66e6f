"""After the ruling (R8): appeals within the window, legal force, remand and reopening, and what a
decided case still accepts (appeals, sealing, corrections, documents)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from domain import clock
from domain.errors import AppealNotAllowed, CaseClosed, InvalidValue, PermissionDenied
from tests.unit.conftest import ANALYST, CLERK, JUDGE, TODAY, Court, at

SHA = "ab" * 32


def appeal(court: Court, docket: str, filed_on: date) -> str:
    with at(max(filed_on, TODAY)):
        return str(court.app.file_appeal(docket, filed_on=filed_on, appellant="the respondent", actor=CLERK)["id"])


def court_time(day: date) -> datetime:
    return datetime.combine(day, time(10), tzinfo=clock.COURT_TZ)


# what a decided case refuses ------------------------------------------------------------------


def test_a_decided_case_refuses_a_new_hearing(court: Court) -> None:
    docket = court.decided("civil")

    with pytest.raises(
        CaseClosed,
        match=r"Cannot schedule a hearing: the case was decided on 2025-03-03 \(decided\); it accepts only appeals, sealing, corrections and documents",
    ) as refusal:
        court.app.schedule_hearing(docket, starts_at=court_time(TODAY + timedelta(days=3)), courtroom="101", purpose="late", actor=CLERK)

    assert refusal.value.rule == "R8"


def test_a_decided_case_refuses_a_second_ruling(court: Court) -> None:
    docket = court.decided("civil")

    with pytest.raises(CaseClosed, match="Cannot issue a ruling: the case was decided on 2025-03-03"):
        court.rule(docket, disposition="withdrawn")


def test_a_decided_case_refuses_new_examinations_judges_and_mediation(court: Court) -> None:
    docket = court.decided("civil")

    with pytest.raises(CaseClosed, match="Cannot order an examination"):
        court.order_examination(docket)
    with pytest.raises(CaseClosed, match="Cannot assign a judge"):
        court.app.assign_judge(docket, court.other_judge, CLERK)
    with pytest.raises(CaseClosed, match="Cannot refer to mediation"):
        court.app.refer_to_mediation(docket, mediator_id=court.mediator, due_on=TODAY + timedelta(days=9), actor=CLERK)
    assert court.app.case(docket).version == 5


def test_a_decided_case_accepts_documents_sealing_and_corrections(court: Court) -> None:
    docket = court.decided("civil")

    court.app.file_document(docket, kind="motion", title="Request for a copy", filed_by="claimant", received_on=TODAY, sha256=SHA, size=10, media_type="application/pdf", actor=CLERK)
    court.app.seal_case(docket, reason="sensitive_diagnosis", actor=JUDGE)
    court.app.correct_entry(docket, corrects_version=5, reason="typo", corrections={"reasoning": "Corrected reasoning"}, actor=CLERK)

    case = court.app.case(docket)
    assert (case.status, case.sealed, case.ruling["reasoning"]) == ("decided", True, "Corrected reasoning")  # type: ignore[index]
    assert case.version == 8


# appeal windows -------------------------------------------------------------------------------


@pytest.mark.parametrize(("track", "last_day"), [("civil", date(2025, 4, 3)), ("criminal", date(2025, 3, 18)), ("administrative", date(2025, 3, 13))])
def test_an_appeal_on_the_last_day_of_the_window_is_accepted(court: Court, track: str, last_day: date) -> None:
    docket = court.decided(track)

    assert appeal(court, docket, last_day) == "A1"

    assert court.app.case(docket).status == "appealed"


@pytest.mark.parametrize(("track", "last_day"), [("civil", date(2025, 4, 3)), ("criminal", date(2025, 3, 18)), ("administrative", date(2025, 3, 13))])
def test_an_appeal_after_the_window_closed_is_refused(court: Court, track: str, last_day: date) -> None:
    docket = court.decided(track)
    late = last_day + timedelta(days=1)

    with pytest.raises(
        AppealNotAllowed, match=f"The appeal window for this {track} ruling of 2025-03-03 closed on {last_day}; an appeal filed on {late} is too late"
    ) as refusal:
        appeal(court, docket, late)

    assert refusal.value.rule == "R8"
    assert court.app.case(docket).status == "decided"


def test_an_appeal_without_a_ruling_is_refused(court: Court) -> None:
    docket = court.file_assigned("civil")

    with pytest.raises(AppealNotAllowed, match="There is no ruling to appeal"):
        appeal(court, docket, TODAY)


def test_a_second_appeal_while_one_is_pending_is_refused(court: Court) -> None:
    docket = court.decided("civil")
    appeal(court, docket, TODAY)

    with pytest.raises(AppealNotAllowed, match="An appeal against this ruling is already pending"):
        appeal(court, docket, TODAY)


def test_an_appeal_filed_in_the_future_is_refused(court: Court) -> None:
    docket = court.decided("civil")

    with pytest.raises(InvalidValue, match=r"The date the appeal was filed \(2025-03-04\) cannot be in the future"):
        court.app.file_appeal(docket, filed_on=TODAY + timedelta(days=1), appellant="claimant", actor=CLERK)


def test_an_appeal_before_the_ruling_is_refused(court: Court) -> None:
    docket = court.ready_for_merits("civil")
    with at(TODAY + timedelta(days=5)):
        court.rule_liable(docket)

        with pytest.raises(AppealNotAllowed, match=r"An appeal cannot be filed before the ruling \(2025-03-08\)"):
            court.app.file_appeal(docket, filed_on=TODAY, appellant="claimant", actor=CLERK)


# legal force ---------------------------------------------------------------------------------


def test_a_ruling_enters_into_force_the_day_after_the_window_closes(court: Court) -> None:
    docket = court.decided("criminal")

    with at(date(2025, 3, 19)):
        receipt = court.app.enter_into_force(docket)

    case = court.app.case(docket)
    assert receipt["id"] == "2025-03-19"
    assert (case.status, case.in_force_on) == ("in_force", date(2025, 3, 19))


def test_a_ruling_does_not_enter_into_force_while_the_window_is_open(court: Court) -> None:
    docket = court.decided("criminal")

    with at(date(2025, 3, 18)), pytest.raises(InvalidValue, match="The appeal window is open until 2025-03-18"):
        court.app.enter_into_force(docket)


def test_a_ruling_in_force_can_no_longer_be_appealed(court: Court) -> None:
    docket = court.decided("administrative")
    with at(date(2025, 3, 14)):
        court.app.enter_into_force(docket)

    with pytest.raises(AppealNotAllowed, match="The ruling entered into legal force on 2025-03-14; it can no longer be appealed"):
        appeal(court, docket, date(2025, 3, 10))


def test_an_upheld_ruling_enters_into_force_on_the_appeal_decision(court: Court) -> None:
    docket = court.decided("civil")
    appeal(court, docket, date(2025, 3, 20))

    with at(date(2025, 5, 5)):
        court.app.decide_appeal(docket, outcome="upheld", decided_on=date(2025, 5, 5), actor=CLERK)

    case = court.app.case(docket)
    assert (case.status, case.in_force_on, case.appeals["A1"]["outcome"]) == ("in_force", date(2025, 5, 5), "upheld")


def test_an_appeal_is_not_decided_before_it_was_filed(court: Court) -> None:
    docket = court.decided("civil")
    appeal(court, docket, date(2025, 3, 20))

    with at(date(2025, 5, 5)), pytest.raises(InvalidValue, match=r"cannot be before the date the appeal was filed \(2025-03-20\)"):
        court.app.decide_appeal(docket, outcome="upheld", decided_on=date(2025, 3, 19), actor=CLERK)


# remand and reopening --------------------------------------------------------------------------


def test_a_remand_reopens_the_case_for_a_new_ruling(court: Court) -> None:
    docket = court.decided("civil")
    appeal(court, docket, date(2025, 3, 20))

    with at(date(2025, 5, 5)):
        court.app.decide_appeal(docket, outcome="remanded", decided_on=date(2025, 5, 5), actor=CLERK)
        reopened = court.app.case(docket)
        assert (reopened.status, reopened.reopenings) == ("pending", [{"reopened_on": date(2025, 5, 5), "reason": "remand"}])

        court.rule(docket, disposition="no_liability", finding="medical_error", harm_found="serious")

    case = court.app.case(docket)
    assert (case.status, case.rulings_count, case.ruling["ruling_id"]) == ("decided", 2, "RU2")  # type: ignore[index]


def test_a_ruling_in_force_that_is_set_aside_reopens_the_case(court: Court) -> None:
    docket = court.decided("administrative")
    with at(date(2025, 6, 1)):
        court.app.enter_into_force(docket)
        court.app.reopen_case(docket, reopened_on=date(2025, 6, 1), reason="set_aside", actor=CLERK)

    case = court.app.case(docket)
    assert (case.status, case.in_force_on) == ("pending", None)


def test_a_pending_case_is_not_reopened(court: Court) -> None:
    docket = court.file_assigned("civil")

    with pytest.raises(InvalidValue, match="The case is already pending"):
        court.app.reopen_case(docket, reopened_on=TODAY, reason="set_aside", actor=CLERK)


def test_a_case_under_appeal_is_reopened_only_by_the_appeal_decision(court: Court) -> None:
    docket = court.decided("civil")
    appeal(court, docket, TODAY)

    with pytest.raises(InvalidValue, match="An appeal is pending: record its decision instead"):
        court.app.reopen_case(docket, reopened_on=TODAY, reason="set_aside", actor=CLERK)


# sealing ------------------------------------------------------------------------------------------


def test_a_case_is_sealed_and_unsealed_with_a_reason(court: Court) -> None:
    docket = court.file_assigned("civil")  # the assigned judge unseals it (R14)

    court.app.seal_case(docket, reason="minor", actor=CLERK)
    assert (court.app.case(docket).sealed, court.app.case(docket).seal_reason) == (True, "minor")
    court.app.unseal_case(docket, reason="the patient came of age", actor=JUDGE)

    assert (court.app.case(docket).sealed, court.app.case(docket).seal_reason) == (False, None)


def test_a_sealed_case_is_not_sealed_twice(court: Court) -> None:
    docket = court.file("civil")
    court.app.seal_case(docket, reason="court_order", actor=CLERK)

    with pytest.raises(InvalidValue, match="The case is already sealed"):
        court.app.seal_case(docket, reason="minor", actor=CLERK)


def test_a_case_is_sealed_only_for_a_recognised_reason(court: Court) -> None:
    docket = court.file("civil")

    with pytest.raises(InvalidValue, match="'celebrity' is not a reason for sealing"):
        court.app.seal_case(docket, reason="celebrity", actor=CLERK)


def test_an_analyst_may_not_seal_and_a_clerk_may_not_unseal(court: Court) -> None:
    docket = court.file("civil")

    with pytest.raises(PermissionDenied, match="analyst may not seal case"):
        court.app.seal_case(docket, reason="minor", actor=ANALYST)
    court.app.seal_case(docket, reason="minor", actor=CLERK)
    with pytest.raises(PermissionDenied, match="clerk may not unseal case"):
        court.app.unseal_case(docket, reason="no longer needed", actor=CLERK)
