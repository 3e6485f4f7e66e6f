"""R13: docket numbers, unique and gap-free per court, year and track.

One ``DocketSequence`` aggregate per (court, year, track) issues the numbers. A
case is saved in the same transaction as the sequence event that numbered it, so
a number is either used by exactly one case or not issued at all; two clerks
filing at once conflict on the sequence's version and one of them retries.
"""

from __future__ import annotations

import re
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import event

from domain.base import CourtAggregate
from domain.vocabulary import TRACK_LETTER, Actor

DOCKET_PATTERN = re.compile(r"^(?P<court>[A-Z]{3})-(?P<year>\d{4})-(?P<letter>[ACK])-(?P<seq>\d{5,})$")


def format_docket_number(court: str, year: int, track: str, seq: int) -> str:
    return f"{court}-{year}-{TRACK_LETTER[track]}-{seq:05d}"


def is_docket_number(value: str) -> bool:
    return DOCKET_PATTERN.match(value.upper()) is not None


def sequence_id(court: str, year: int, track: str) -> UUID:
    return uuid5(NAMESPACE_URL, f"medcourt:docket-sequence:{court}:{year}:{track}")


class DocketSequence(CourtAggregate):
    """The numbering of one court's cases of one track in one year."""


    @staticmethod
    def create_id(court: str, year: int, track: str, **_: Any) -> UUID:
        return sequence_id(court, year, track)

    @event("DocketSequenceOpened")
    def __init__(self, court: str, year: int, track: str, actor: Actor) -> None:
        self.court = court
        self.year = year
        self.track = track
        self.last_issued = 0

    def issue_next(self, actor: Actor) -> str:
        number = format_docket_number(self.court, self.year, self.track, self.last_issued + 1)
        self._issued(self.last_issued + 1, number, actor)
        return number

    @event("DocketNumberIssued")
    def _issued(self, seq: int, docket_number: str, actor: Actor) -> None:
        self.last_issued = seq
