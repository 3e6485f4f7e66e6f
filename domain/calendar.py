"""R7: the court's calendar, which refuses to double-book a judge or a courtroom.

Hearings belong to cases, but a conflict is between cases, so each court keeps
one ``CourtCalendar`` aggregate of its booked hearings. Scheduling saves the
case and the calendar in one transaction; two clerks booking the same slot at
once conflict on the calendar's version and the second one sees the conflict.
Only hearings still to be held are kept: a held or cancelled hearing frees its slot.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Snapshot as LibrarySnapshot
from eventsourcing.domain import event

from domain import clock
from domain.base import CourtAggregate
from domain.errors import HearingNotSchedulable
from domain.rules import overlaps
from domain.vocabulary import Actor


def calendar_id(court: str) -> UUID:
    return uuid5(NAMESPACE_URL, f"medcourt:calendar:{court}")


ONE_DAY = timedelta(days=1)


def _day(moment: datetime) -> date:
    return moment.astimezone(UTC).date()


class CourtCalendar(CourtAggregate):

    @staticmethod
    def create_id(court: str, **_: Any) -> UUID:
        return calendar_id(court)

    @event("CalendarOpened")
    def __init__(self, court: str, actor: Actor) -> None:
        self.court = court
        self.bookings: dict[str, dict[str, Any]] = {}

    @staticmethod
    def key(docket_number: str, hearing_id: str) -> str:
        return f"{docket_number}/{hearing_id}"

    class Snapshot(LibrarySnapshot):
        @classmethod
        def take(cls, aggregate: Any) -> Any:
            snapshot = super().take(aggregate)
            snapshot.state.pop("_by_day", None)  # derived from the bookings: rebuilt when first needed
            return snapshot

    def _bookings_by_day(self) -> dict[date, list[str]]:
        """The bookings' keys by the (UTC) day each starts: a booking can only clash with those starting the
        day before, the same day or the day after (a hearing lasts at most eight hours), so a court's
        calendar is not read whole for every booking; with years of hearings, that grew with the square of
        the docket. Derived state, kept beside the bookings by ``_booked``/``_released``, never stored."""
        index: dict[date, list[str]] | None = self.__dict__.get("_by_day")
        if index is None:
            index = {}
            for key, booking in self.bookings.items():
                index.setdefault(_day(booking["starts_at"]), []).append(key)
            self._by_day = index
        return index

    def conflicts(self, key: str, judge_id: str, courtroom: str, starts_at: datetime, minutes: int) -> list[dict[str, Any]]:
        index, day = self._bookings_by_day(), _day(starts_at)
        nearby = (self.bookings[other] for near in (day - ONE_DAY, day, day + ONE_DAY) for other in index.get(near, ()) if other != key)
        return sorted(
            (
                booking
                for booking in nearby
                if (booking["judge_id"] == judge_id or booking["courtroom"].lower() == courtroom.lower())
                and overlaps(starts_at, minutes, booking["starts_at"], booking["duration_minutes"])
            ),
            key=lambda booking: (booking["starts_at"], booking["docket_number"], booking["hearing_id"]),
        )

    def book(
        self, docket_number: str, hearing_id: str, judge_id: str, judge_name: str, courtroom: str, starts_at: datetime,
        duration_minutes: int, actor: Actor, may_name: Callable[[str], bool] = lambda docket_number: False,
    ) -> None:
        """Book the slot, or refuse with the clash (R7). The clashing case is named only when
        ``may_name`` allows it: a sealed case the scheduler may not see stays unnamed (R11)."""
        key = self.key(docket_number, hearing_id)
        for clash in self.conflicts(key, judge_id, courtroom, starts_at, duration_minutes):
            local = f"{clash['starts_at'].astimezone(clock.COURT_TZ):%Y-%m-%d %H:%M}"
            judge_clash = clash["judge_id"] == judge_id
            common: dict[str, Any] = {"starts_at": local, "minutes": clash["duration_minutes"], "field": "starts_at"}
            if may_name(clash["docket_number"]):
                if judge_clash:
                    raise HearingNotSchedulable(code="R7.judge_booked", judge=judge_name, case=clash["docket_number"], hearing=clash["hearing_id"], **common)
                raise HearingNotSchedulable(code="R7.courtroom_booked", courtroom=courtroom, case=clash["docket_number"], hearing=clash["hearing_id"], **common)
            if judge_clash:
                raise HearingNotSchedulable(code="R7.judge_booked_elsewhere", judge=judge_name, **common)
            raise HearingNotSchedulable(code="R7.courtroom_booked_elsewhere", courtroom=courtroom, **common)
        self._booked(key, docket_number, hearing_id, judge_id, courtroom, starts_at, duration_minutes, actor)

    @event("HearingSlotBooked")
    def _booked(self, key: str, docket_number: str, hearing_id: str, judge_id: str, courtroom: str, starts_at: datetime, duration_minutes: int, actor: Actor) -> None:
        self._unindex(key)
        self.bookings[key] = {
            "docket_number": docket_number, "hearing_id": hearing_id, "judge_id": judge_id,
            "courtroom": courtroom, "starts_at": starts_at, "duration_minutes": duration_minutes,
        }
        if "_by_day" in self.__dict__:
            self._by_day.setdefault(_day(starts_at), []).append(key)

    def _unindex(self, key: str) -> None:
        booking = self.bookings.get(key)
        if booking is not None and "_by_day" in self.__dict__:
            keys = self._by_day.get(_day(booking["starts_at"]), [])
            if key in keys:
                keys.remove(key)

    def release(self, docket_number: str, hearing_id: str, actor: Actor) -> None:
        key = self.key(docket_number, hearing_id)
        if key in self.bookings:
            self._released(key, actor)

    @event("HearingSlotReleased")
    def _released(self, key: str, actor: Actor) -> None:
        self._unindex(key)
        self.bookings.pop(key, None)
