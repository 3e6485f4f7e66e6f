"""Projection ``timeline``: every event of every case, in order, as the docket's history shows it.

Rows are only ever inserted, like the events they mirror: a correction is a row of its
own that names the version it corrects, and the original stays as it was recorded.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import singledispatchmethod
from typing import Any

from domain.case import Case
from domain.records import event_data, event_names
from projections.base import Projection, utc
from projections.tables import case_events

# The date an event states about the world, by the first of these fields it has.
_DATE_FIELDS = ("received_on", "ordered_on", "decided_on", "filed_on", "referred_on", "concluded_on", "in_force_on", "reopened_on")


class TimelineProjection(Projection):
    name = "timeline"

    @singledispatchmethod
    def process_event(self, domain_event: Any, position: int) -> None:
        """Events of registries, calendars and sequences: not part of a case's history."""

    @process_event.register
    def _case_event(self, event: Case.Event, position: int) -> None:
        fields = vars(event)
        event_date: date | None = next((fields[name] for name in _DATE_FIELDS if isinstance(fields.get(name), date)), None)
        starts_at: datetime | None = fields.get("starts_at")
        due_on = fields.get("due_on")
        actor = fields.get("actor") or {}
        self.buffer(case_events).insert(
            case_id=str(event.originator_id), version=event.originator_version, position=position,
            type=event_names(event)[1], actor_user=actor.get("user"), actor_role=actor.get("role"),
            recorded_at=utc(event.timestamp), event_date=event_date, due_on=due_on if isinstance(due_on, date) else None,
            starts_at=utc(starts_at) if isinstance(starts_at, datetime) else None,
            corrects_version=fields.get("corrects_version"), data=event_data(event),
        )
