"""Hearings and R7: an assigned judge, a start in the future, no double-booked judge or courtroom."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from eventsourcing.domain import Aggregate

from domain import clock
from domain.calendar import CourtCalendar, calendar_id
from domain.errors import HearingNotSchedulable, InvalidValue
from tests.unit.conftest import CLERK, NOW, TODAY, Court, at

TEN_AM = datetime(2025, 3, 10, 10, tzinfo=clock.COURT_TZ)


def schedule(court: Court, docket: str, starts_at: datetime = TEN_AM, courtroom: str = "101", minutes: int = 60) -> str:
    receipt = court.app.schedule_hearing(docket, starts_at=starts_at, courtroom=courtroom, purpose="preliminary hearing", actor=CLERK, duration_minutes=minutes)
    return str(receipt["id"])


def bookings(court: Court) -> list[tuple[str, str, str]]:
    if calendar_id("ALA") not in court.app.repository:
        return []
    calendar: Aggregate = court.app.repository.get(calendar_id("ALA"))
    assert isinstance(calendar, CourtCalendar)
    return sorted((b["docket_number"], b["hearing_id"], b["courtroom"]) for b in calendar.bookings.values())


def test_a_hearing_is_scheduled_in_the_future_before_the_assigned_judge(court: Court) -> None:
    docket = court.file_assigned("civil")

    hearing = schedule(court, docket)

    case = court.app.case(docket)
    assert hearing == "H1"
    assert case.hearings["H1"]["starts_at"] == TEN_AM
    assert case.hearings["H1"]["status"] == "scheduled"
    assert bookings(court) == [(docket, "H1", "101")]


def test_a_time_typed_without_a_time_zone_is_court_time(court: Court) -> None:
    docket = court.file_assigned("civil")

    schedule(court, docket, starts_at=datetime(2025, 3, 10, 10))

    assert court.app.case(docket).hearings["H1"]["starts_at"] == TEN_AM


def test_a_hearing_without_an_assigned_judge_is_refused(court: Court) -> None:
    docket = court.file("civil")

    with pytest.raises(HearingNotSchedulable, match="Assign a judge before scheduling a hearing") as refusal:
        schedule(court, docket)

    assert refusal.value.rule == "R7"
    assert bookings(court) == []


@pytest.mark.parametrize("starts_at", [NOW, NOW - timedelta(days=1)])
def test_a_hearing_starting_now_or_in_the_past_is_refused(court: Court, starts_at: datetime) -> None:
    docket = court.file_assigned("civil")

    with pytest.raises(HearingNotSchedulable, match="A hearing must be scheduled to start in the future"):
        schedule(court, docket, starts_at=starts_at)


def test_a_judge_is_not_booked_twice_at_once(court: Court) -> None:
    first = court.file_assigned("civil")
    second = court.file_assigned("civil")
    schedule(court, first, courtroom="101")

    with pytest.raises(
        HearingNotSchedulable,
        match=r"Judge Aigerim Sadykova is already booked from 2025-03-10 10:00 for 60 minutes \(case ALA-2025-C-00001, hearing H1\)",
    ):
        schedule(court, second, starts_at=TEN_AM + timedelta(minutes=30), courtroom="102")

    assert court.app.case(second).hearings == {}
    assert bookings(court) == [(first, "H1", "101")]


def test_a_courtroom_is_not_booked_twice_at_once(court: Court) -> None:
    first = court.file_assigned("civil")
    second = court.file_assigned("civil", judge=court.other_judge)
    schedule(court, first, courtroom="101")

    with pytest.raises(HearingNotSchedulable, match=r"Courtroom 101 is already booked from 2025-03-10 10:00 for 60 minutes \(case ALA-2025-C-00001"):
        schedule(court, second, starts_at=TEN_AM + timedelta(minutes=59), courtroom=" 101 ")


def test_back_to_back_hearings_share_a_judge_and_a_courtroom(court: Court) -> None:
    first = court.file_assigned("civil")
    second = court.file_assigned("civil")
    schedule(court, first)

    schedule(court, second, starts_at=TEN_AM + timedelta(minutes=60))

    assert len(bookings(court)) == 2


def test_other_judges_in_other_courtrooms_hear_cases_at_the_same_time(court: Court) -> None:
    first = court.file_assigned("civil")
    second = court.file_assigned("civil", judge=court.other_judge)
    schedule(court, first, courtroom="101")

    schedule(court, second, courtroom="102")

    assert len(bookings(court)) == 2


def test_a_held_hearing_frees_its_slot(court: Court) -> None:
    first = court.file_assigned("civil")
    second = court.file_assigned("civil")
    schedule(court, first, starts_at=NOW + timedelta(hours=1))

    with at(TODAY, hour=11):
        court.app.hold_hearing(first, "H1", minutes_summary="The parties were heard", actor=CLERK)
        schedule(court, second, starts_at=NOW + timedelta(hours=2, minutes=30))

    assert court.app.case(first).hearings["H1"]["status"] == "held"
    assert bookings(court) == [(second, "H1", "101")]


def test_a_hearing_is_not_held_before_it_starts(court: Court) -> None:
    docket = court.file_assigned("civil")
    schedule(court, docket)

    with pytest.raises(InvalidValue, match="Hearing H1 has not started yet"):
        court.app.hold_hearing(docket, "H1", minutes_summary="Heard", actor=CLERK)


def test_a_cancelled_hearing_frees_its_slot(court: Court) -> None:
    first = court.file_assigned("civil")
    second = court.file_assigned("civil")
    schedule(court, first)
    court.app.cancel_hearing(first, "H1", reason="claimant ill", actor=CLERK)

    schedule(court, second)

    assert court.app.case(first).hearings["H1"]["status"] == "cancelled"
    assert bookings(court) == [(second, "H1", "101")]


def test_a_hearing_is_rescheduled_to_a_free_slot(court: Court) -> None:
    docket = court.file_assigned("civil")
    schedule(court, docket)

    court.app.reschedule_hearing(docket, "H1", starts_at=TEN_AM + timedelta(days=1), reason="expert unavailable", actor=CLERK)

    hearing = court.app.case(docket).hearings["H1"]
    assert (hearing["starts_at"], hearing["first_starts_at"], hearing["reschedulings"]) == (TEN_AM + timedelta(days=1), TEN_AM, 1)


def test_rescheduling_into_a_booked_slot_is_refused(court: Court) -> None:
    first = court.file_assigned("civil")
    second = court.file_assigned("civil")
    schedule(court, first)
    schedule(court, second, starts_at=TEN_AM + timedelta(hours=2))

    with pytest.raises(HearingNotSchedulable, match="Judge Aigerim Sadykova is already booked from 2025-03-10 10:00"):
        court.app.reschedule_hearing(second, "H1", starts_at=TEN_AM + timedelta(minutes=15), reason="earlier", actor=CLERK)

    assert court.app.case(second).hearings["H1"]["starts_at"] == TEN_AM + timedelta(hours=2)


def test_rescheduling_into_the_past_is_refused(court: Court) -> None:
    docket = court.file_assigned("civil")
    schedule(court, docket)

    with pytest.raises(HearingNotSchedulable, match="A hearing must be scheduled to start in the future"):
        court.app.reschedule_hearing(docket, "H1", starts_at=NOW - timedelta(hours=1), reason="typo", actor=CLERK)


def test_a_recusal_cancels_the_judge_s_hearings_in_the_case(court: Court) -> None:
    docket = court.file_assigned("civil")
    schedule(court, docket)

    court.app.recuse_judge(docket, "related to a respondent", CLERK)

    assert court.app.case(docket).hearings["H1"]["status"] == "cancelled"
    assert bookings(court) == []


def test_a_judge_with_hearings_booked_in_a_case_is_not_replaced_without_a_recusal(court: Court) -> None:
    # Replacing the judge would leave the calendar booking the old judge, so the new
    # judge could be booked twice at once (R7).
    first = court.file_assigned("civil")
    second = court.file_assigned("civil", judge=court.other_judge)
    schedule(court, first, courtroom="101")
    schedule(court, second, courtroom="102")

    with pytest.raises(HearingNotSchedulable, match="Judge Marat Ospanov has hearings scheduled in this case"):
        court.app.assign_judge(second, court.judge, CLERK)

    assert court.app.case(second).judge_id == court.other_judge


def test_a_judge_without_hearings_in_the_case_is_replaced(court: Court) -> None:
    docket = court.file_assigned("civil")

    court.app.assign_judge(docket, court.other_judge, CLERK)

    assert court.app.case(docket).judge_name == "Marat Ospanov"


def test_a_hearing_lasts_from_a_quarter_of_an_hour_to_eight_hours(court: Court) -> None:
    docket = court.file_assigned("civil")

    with pytest.raises(InvalidValue, match="A hearing lasts from 15 minutes to 8 hours"):
        schedule(court, docket, minutes=481)
