"""Projection ``registry``: judges with their certification periods, experts with their
specialties and declared affiliations, and mediators."""

from __future__ import annotations

from functools import singledispatchmethod
from typing import Any

from domain.registry import Expert, Judge, Mediator
from projections.base import Projection, utc
from projections.tables import expert_affiliations, expert_specialties, experts, judge_certifications, judges, mediators


class RegistryProjection(Projection):
    name = "registry"

    @singledispatchmethod
    def process_event(self, domain_event: Any, position: int) -> None:
        """Case, calendar, sequence and rulebook events: not part of the registries."""

    @process_event.register
    def _judge_registered(self, event: Judge.JudgeRegistered, position: int) -> None:
        self.buffer(judges).insert(judge_id=str(event.originator_id), name=event.name, court=event.court, registered_at=utc(event.timestamp))

    @process_event.register
    def _judge_certified(self, event: Judge.JudgeCertified, position: int) -> None:
        self.buffer(judge_certifications).insert(
            judge_id=str(event.originator_id), version=event.originator_version,
            valid_from=event.valid_from, valid_to=event.valid_to, course=event.course,
        )

    @process_event.register
    def _judge_retired(self, event: Judge.JudgeRetired, position: int) -> None:
        row = self.buffer(judges).get(self.db, str(event.originator_id))
        if row is None:
            raise LookupError(f"JudgeRetired for a judge the projection never saw registered ({event.originator_id})")
        self.buffer(judges).update(row, retired_on=event.retired_on)

    @process_event.register
    def _expert_registered(self, event: Expert.ExpertRegistered, position: int) -> None:
        expert_id = str(event.originator_id)
        self.buffer(experts).insert(
            expert_id=expert_id, name=event.name, qualification=event.qualification,
            certificate_no=event.certificate_no, registered_at=utc(event.timestamp),
        )
        for specialty in event.specialties:
            self.buffer(expert_specialties).insert(expert_id=expert_id, specialty=specialty)

    @process_event.register
    def _affiliation_declared(self, event: Expert.ExpertAffiliationDeclared, position: int) -> None:
        self.buffer(expert_affiliations).insert(
            expert_id=str(event.originator_id), version=event.originator_version, bin=event.bin,
            organization=event.organization, valid_from=event.valid_from, valid_to=event.valid_to,
        )

    @process_event.register
    def _mediator_registered(self, event: Mediator.MediatorRegistered, position: int) -> None:
        self.buffer(mediators).insert(
            mediator_id=str(event.originator_id), name=event.name, court=event.court,
            organization=event.organization, registered_at=utc(event.timestamp),
        )
