"""The Rulebook: effective-dated legal parameters (caps, terms, windows, the MCI).

Legal parameters are data. An administrator adopts a new version when the law
changes; each version is effective from a date and stays in force until the next.
Caps are looked up by the incident date (the law at the time of the act, R4);
appeal windows and terms by the date they run from.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import event

from domain import clock
from domain.base import CourtAggregate
from domain.errors import InvalidValue, NotFound
from domain.vocabulary import TRACKS, Actor

RULEBOOK_ID: UUID = uuid5(NAMESPACE_URL, "medcourt:rulebook")

DEFAULT_EFFECTIVE_FROM = date(2015, 1, 1)

DEFAULT_PARAMETERS: dict[str, Any] = {
    # MCI (monthly calculation index) in KZT, each from the date it took effect.
    "mci": [
        {"from": "2015-01-01", "kzt": "1982"},
        {"from": "2016-01-01", "kzt": "2121"},
        {"from": "2017-01-01", "kzt": "2269"},
        {"from": "2018-01-01", "kzt": "2405"},
        {"from": "2019-01-01", "kzt": "2525"},
        {"from": "2020-01-01", "kzt": "2651"},
        {"from": "2020-04-01", "kzt": "2778"},
        {"from": "2021-01-01", "kzt": "2917"},
        {"from": "2022-01-01", "kzt": "3063"},
        {"from": "2022-04-01", "kzt": "3180"},
        {"from": "2023-01-01", "kzt": "3450"},
        {"from": "2024-01-01", "kzt": "3692"},
        {"from": "2025-01-01", "kzt": "3932"},
        {"from": "2026-01-01", "kzt": "4325"},
    ],
    "administrative_fine_cap_mci": 200,
    "criminal_fine_cap_mci": 430,
    "imprisonment_cap_months": 36,
    "licence_suspension_cap_months": 6,
    "civil_consideration_term_months": 2,
    "appeal_window": {
        "civil": {"months": 1},
        "criminal": {"days": 15},
        "administrative": {"days": 10},
    },
}

DEFAULT_SOURCES: dict[str, str] = {
    "mci": "Annual republican budget laws of Kazakhstan, 2015-2026 (2020: 2,651, raised to 2,778 from 1 April; "
    "2022: 3,063, raised to 3,180 from 1 April)",
    "non_working_days": "Public holidays and transferred days off of Kazakhstan from the 'holidays' package (KZ), "
    "extended by the administrator; Saturdays and Sundays are never working days (R17, derived)",
    "administrative_fine_cap_mci": "Derived from seed 001: administrative fine 'up to USD 1,120' (ours to replace)",
    "criminal_fine_cap_mci": "Derived from seed 001: criminal fine 'up to USD 2,380' (ours to replace)",
    "imprisonment_cap_months": "Seed 001: imprisonment 'up to three years'",
    "licence_suspension_cap_months": "Derived: six months (ours to replace)",
    "civil_consideration_term_months": "Civil Procedure Code of Kazakhstan, art. 183: two months from receipt",
    "appeal_window": "Civil: one month from the ruling in final form (egov.kz guidance); "
    "criminal 15 days and administrative 10 days are derived (ours to replace)",
}


NON_WORKING_DAYS_YEARS = range(2015, 2036)


def default_parameters(public_holidays: Iterable[date] = ()) -> dict[str, Any]:
    """The shipped parameters with the non-working days of R17 (the caller reads them from the
    ``holidays`` package: the domain imports nothing but the standard library and eventsourcing)."""
    return {**DEFAULT_PARAMETERS, "non_working_days": sorted({day.isoformat() for day in public_holidays})}


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, clamped to the end of a shorter month."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class RulebookVersion:
    """One adopted version of the legal parameters."""

    effective_from: date
    parameters: dict[str, Any]
    sources: dict[str, str]

    def mci_on(self, day: date) -> Decimal:
        """The MCI in force on ``day`` (the earliest known value, 2015's, before the table starts)."""
        table = sorted(self.parameters["mci"], key=lambda row: row["from"])
        value = Decimal(table[0]["kzt"])
        for row in table:
            if date.fromisoformat(row["from"]) <= day:
                value = Decimal(row["kzt"])
        return value

    def fine_cap_mci(self, track: str) -> int:
        return int(self.parameters[f"{track}_fine_cap_mci"])

    @property
    def imprisonment_cap_months(self) -> int:
        return int(self.parameters["imprisonment_cap_months"])

    @property
    def licence_suspension_cap_months(self) -> int:
        return int(self.parameters["licence_suspension_cap_months"])

    @property
    def non_working_days(self) -> frozenset[date]:
        """R17: the public holidays and days off this version holds (weekends are implied)."""
        return frozenset(date.fromisoformat(day) for day in self.parameters.get("non_working_days", ()))

    def working_day(self, day: date) -> date:
        """R17: ``day``, or the next working day when it is a weekend or a public holiday."""
        from domain.rules import deadline_on_working_day

        return deadline_on_working_day(day, self.non_working_days)

    def appeal_deadline(self, track: str, decided_on: date) -> date:
        """The last day on which an appeal against a ruling of ``decided_on`` may be filed (R8, moved by R17)."""
        window = self.parameters["appeal_window"][track]
        if "months" in window:
            return self.working_day(add_months(decided_on, int(window["months"])))
        return self.working_day(decided_on + timedelta(days=int(window["days"])))

    def consideration_deadline(self, received_on: date) -> date:
        """The statutory term for deciding a civil case received on ``received_on`` (moved by R17)."""
        return self.working_day(add_months(received_on, int(self.parameters["civil_consideration_term_months"])))


def validate_parameters(parameters: dict[str, Any]) -> None:
    """Refuse a rulebook version that lacks a parameter or has one of the wrong shape."""
    missing = sorted(set(DEFAULT_PARAMETERS) - set(parameters))
    if missing:
        raise InvalidValue(f"The rulebook version lacks: {', '.join(missing)}", field="parameters")
    try:
        for row in parameters["mci"]:
            date.fromisoformat(row["from"])
            if Decimal(row["kzt"]) <= 0:
                raise ValueError
        for key in (
            "administrative_fine_cap_mci",
            "criminal_fine_cap_mci",
            "imprisonment_cap_months",
            "licence_suspension_cap_months",
            "civil_consideration_term_months",
        ):
            if int(parameters[key]) <= 0:
                raise ValueError
        for track in TRACKS:
            window = parameters["appeal_window"][track]
            if not (int(window.get("months", 0)) > 0 or int(window.get("days", 0)) > 0):
                raise ValueError
        for day in parameters.get("non_working_days", []):
            date.fromisoformat(day)
    except (KeyError, TypeError, ValueError, ArithmeticError):
        raise InvalidValue(
            "The rulebook parameters are malformed: every cap and term must be a positive whole "
            "number, each MCI row needs a 'from' date and a positive 'kzt'",
            field="parameters",
        ) from None


class Rulebook(CourtAggregate):
    """The court system's single rulebook: the versions adopted so far."""


    @staticmethod
    def create_id() -> UUID:
        return RULEBOOK_ID

    @event("RulebookEstablished")
    def __init__(self, actor: Actor) -> None:
        self.versions: list[dict[str, Any]] = []

    def adopt_version(
        self,
        effective_from: date,
        parameters: dict[str, Any],
        sources: dict[str, str],
        actor: Actor,
    ) -> None:
        validate_parameters(parameters)
        if any(v["effective_from"] == effective_from for v in self.versions):
            raise InvalidValue(
                f"A rulebook version effective from {effective_from} is already adopted",
                field="effective_from",
            )
        self._version_adopted(effective_from, parameters, sources, actor)

    @event("RulebookVersionAdopted")
    def _version_adopted(
        self,
        effective_from: date,
        parameters: dict[str, Any],
        sources: dict[str, str],
        actor: Actor,
    ) -> None:
        self.versions.append(
            {"effective_from": effective_from, "parameters": parameters, "sources": sources}
        )
        self.versions.sort(key=lambda v: v["effective_from"])

    def in_force_on(self, day: date) -> RulebookVersion:
        """The version in force on ``day``."""
        chosen = None
        for version in self.versions:
            if version["effective_from"] <= day:
                chosen = version
        if chosen is None:
            if not self.versions:
                raise NotFound("No rulebook version has been adopted: run 'medcourt init'")
            chosen = self.versions[0]
        return RulebookVersion(chosen["effective_from"], chosen["parameters"], chosen["sources"])

    @property
    def current(self) -> RulebookVersion:
        return self.in_force_on(clock.today())
