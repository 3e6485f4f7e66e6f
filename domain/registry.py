"""The court's registries: judges, experts and mediators."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from domain import clock
from domain.base import CourtAggregate
from domain.errors import InvalidValue
from domain.vocabulary import COURTS, EXPERT_SPECIALTIES, Actor


def _require_name(name: str, field: str = "name") -> str:
    name = " ".join(str(name).split())
    if not name:
        raise InvalidValue("A name is required", field=field)
    if len(name) > 200:
        raise InvalidValue("A name has at most 200 characters", field=field)
    return name


def _require_court(court: str) -> str:
    if court not in COURTS:
        raise InvalidValue(f"'{court}' is not a court (use a region code such as ALA)", field="court")
    return court


def _require_bin(bin_: str, field: str = "bin") -> str:
    if not (isinstance(bin_, str) and len(bin_) == 12 and bin_.isdigit()):
        raise InvalidValue(f"A BIN is 12 digits; '{bin_}' is not", field=field)
    return bin_


def _require_period(valid_from: date, valid_to: date | None) -> None:
    if valid_to is not None and valid_to < valid_from:
        raise InvalidValue(
            f"The period ends ({valid_to}) before it starts ({valid_from})", field="valid_to"
        )


def _entry_id(value: object) -> UUID | None:
    """A given registry id (only the demo gives one, to be reproducible) must be a UUID."""
    if value is None or isinstance(value, UUID):
        return value
    raise InvalidValue(f"A registry id must be a UUID, not {value!r:.40}", field="entry_id")


def _covers(period: dict[str, Any], day: date) -> bool:
    return bool(period["valid_from"] <= day and (period["valid_to"] is None or day <= period["valid_to"]))


class RegistryEntry(CourtAggregate):
    """Base of the registries' aggregates."""


class Judge(RegistryEntry):
    """A judge of a specialized medical court; rules only while certified in medical law."""

    @event("JudgeRegistered")
    def __init__(self, name: str, court: str, actor: Actor) -> None:
        self.name = name
        self.court = court
        self.certifications: list[dict[str, Any]] = []
        self.retired_on: date | None = None

    @classmethod
    def register(cls, name: str, court: str, actor: Actor, *, entry_id: UUID | None = None) -> Judge:
        """A new judge; ``entry_id`` is given only where ids must be reproducible (the demo docket)."""
        return cls._create(
            cls.JudgeRegistered,  # type: ignore[attr-defined]  # the class @event made
            id=_entry_id(entry_id), name=_require_name(name), court=_require_court(court), actor=actor,
        )

    def certify(self, valid_from: date, valid_to: date | None, course: str, actor: Actor) -> None:
        _require_period(valid_from, valid_to)
        if self.retired_on is not None:
            raise InvalidValue(f"Judge {self.name} retired on {self.retired_on}")
        self._certified(valid_from, valid_to, " ".join(course.split()) or "medical law", actor)

    @event("JudgeCertified")
    def _certified(self, valid_from: date, valid_to: date | None, course: str, actor: Actor) -> None:
        self.certifications.append({"valid_from": valid_from, "valid_to": valid_to, "course": course})

    def retire(self, retired_on: date, actor: Actor) -> None:
        if self.retired_on is not None:
            raise InvalidValue(f"Judge {self.name} already retired on {self.retired_on}")
        if retired_on > clock.today():
            raise InvalidValue("A retirement date cannot be in the future", field="retired_on")
        self._retired(retired_on, actor)

    @event("JudgeRetired")
    def _retired(self, retired_on: date, actor: Actor) -> None:
        self.retired_on = retired_on

    def is_certified_on(self, day: date) -> bool:
        if self.retired_on is not None and self.retired_on <= day:
            return False
        return any(_covers(c, day) for c in self.certifications)


class Expert(RegistryEntry):
    """An independent expert witness, with declared affiliations to healthcare organizations."""

    @event("ExpertRegistered")
    def __init__(
        self,
        name: str,
        specialties: list[str],
        qualification: str,
        certificate_no: str | None,
        actor: Actor,
    ) -> None:
        self.name = name
        self.specialties = specialties
        self.qualification = qualification
        self.certificate_no = certificate_no
        self.affiliations: list[dict[str, Any]] = []

    @classmethod
    def register(
        cls,
        name: str,
        specialties: list[str],
        qualification: str,
        certificate_no: str | None,
        actor: Actor,
        *,
        entry_id: UUID | None = None,
    ) -> Expert:
        unknown = [s for s in specialties if s not in EXPERT_SPECIALTIES]
        if unknown or not specialties:
            raise InvalidValue(
                f"Unknown or missing specialties: {', '.join(unknown) or 'none given'}", field="specialties"
            )
        return cls._create(
            cls.ExpertRegistered,  # type: ignore[attr-defined]  # the class @event made
            id=_entry_id(entry_id), name=_require_name(name), specialties=sorted(set(specialties)),
            qualification=qualification.strip(), certificate_no=certificate_no or None, actor=actor,
        )

    def declare_affiliation(
        self, bin_: str, organization: str, valid_from: date, valid_to: date | None, actor: Actor
    ) -> None:
        _require_period(valid_from, valid_to)
        self._affiliation_declared(_require_bin(bin_), _require_name(organization, "organization"), valid_from, valid_to, actor)

    @event("ExpertAffiliationDeclared")
    def _affiliation_declared(
        self, bin: str, organization: str, valid_from: date, valid_to: date | None, actor: Actor
    ) -> None:
        self.affiliations.append(
            {"bin": bin, "organization": organization, "valid_from": valid_from, "valid_to": valid_to}
        )

    def affiliations_with(self, bin_: str, *days: date) -> list[dict[str, Any]]:
        """Declared affiliations with organization ``bin_`` covering any of ``days``."""
        return [a for a in self.affiliations if a["bin"] == bin_ and any(_covers(a, d) for d in days)]


class Mediator(RegistryEntry):
    """A mediator the court may refer civil cases (or criminal reconciliation) to."""

    @event("MediatorRegistered")
    def __init__(self, name: str, court: str, organization: str, actor: Actor) -> None:
        self.name = name
        self.court = court
        self.organization = organization

    @classmethod
    def register(cls, name: str, court: str, organization: str, actor: Actor, *, entry_id: UUID | None = None) -> Mediator:
        return cls._create(
            cls.MediatorRegistered,  # type: ignore[attr-defined]  # the class @event made
            id=_entry_id(entry_id), name=_require_name(name), court=_require_court(court),
            organization=organization.strip(), actor=actor,
        )
