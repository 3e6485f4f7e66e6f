"""``medcourt verify``: replay every aggregate and re-check every rule on the recorded history.

The checks call the same rule functions the aggregates call before recording
(``domain.rules``), applied to the state just before each recorded event and to
the registries and rulebook as they stood at that moment, so a violation found
here means a record that bypassed the domain (or a rule that changed since).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, cast
from uuid import UUID

from domain import clock, rules
from domain.base import GENESIS, event_hash
from domain.calendar import CourtCalendar
from domain.case import Case, case_id_for
from domain.docket_numbers import DocketSequence, is_docket_number
from domain.errors import DomainError
from domain.registry import Expert, Judge, Mediator
from domain.rulebook import RULEBOOK_ID
from domain.vocabulary import TIYN

if TYPE_CHECKING:
    from domain.application import Docket

# R8: what a decided case still accepts.
AFTER_RULING = {
    "DocumentFiled", "DocketEntryCorrected", "AppealFiled", "AppealDecided", "RulingEnteredIntoForce",
    "CaseReopened", "CaseSealed", "CaseUnsealed",
}


@dataclass
class Violation:
    where: str
    version: int
    event_type: str
    message: str

    def __str__(self) -> str:
        return f"{self.where} v{self.version} {self.event_type}: {self.message}"


@dataclass
class Report:
    aggregates: int = 0
    events: int = 0
    cases: int = 0
    violations: list[Violation] = field(default_factory=list)

    def summary(self) -> str:
        verdict = "clean" if not self.violations else f"{len(self.violations)} violation(s)"
        return f"Verified {self.aggregates} aggregates ({self.cases} cases, {self.events} events): {verdict}."


class History:
    """A registry aggregate's events, so its state can be rebuilt as of any instant."""

    def __init__(self) -> None:
        self.events: list[Any] = []

    def as_of(self, instant: datetime) -> Any:
        aggregate = None
        for event in self.events:
            if event.timestamp > instant:
                break
            aggregate = event.mutate(aggregate)
        return aggregate


def verify_docket(docket: Docket, on_aggregate: Callable[[], None] = lambda: None) -> Report:
    report = Report()
    registries: dict[UUID, History] = defaultdict(History)
    case_ids: list[UUID] = []
    others: list[UUID] = []
    # Pass 1: the registries and rulebook (small), and which aggregates exist. Each stored
    # event is decoded on its own, so one unreadable (tampered) record cannot hide the rest.
    unreadable: set[UUID] = set()
    position = 0
    while notifications := docket.recorder.select_notifications(start=position, limit=2000, inclusive_of_start=False):
        for notification in notifications:
            try:
                event = docket.mapper.to_domain_event(notification)
            except Exception as error:  # noqa: BLE001 - an unreadable record is itself the finding
                unreadable.add(UUID(str(notification.originator_id)))
                report.violations.append(Violation(str(notification.originator_id), notification.originator_version, notification.topic.rpartition(".")[2],
                                                   f"tamper: the stored event cannot be decrypted or decoded ({type(error).__name__})"))
                continue
            owner = type(event).__qualname__.split(".")[0]
            if owner in ("Judge", "Expert", "Mediator", "Rulebook"):
                registries[event.originator_id].events.append(event)
            if event.originator_version == 1:
                (case_ids if owner == "Case" else others).append(event.originator_id)
        position = notifications[-1].id
    case_ids = [i for i in case_ids if i not in unreadable]
    others = [i for i in others if i not in unreadable]
    # Pass 2: every aggregate replayed; cases re-checked event by event.
    for aggregate_id in others:
        report.aggregates += 1
        _replay_other(docket, aggregate_id, report)
        on_aggregate()
    issued: dict[str, int] = {}
    for aggregate_id in others:
        sequence: Any = docket.repository.get(aggregate_id)
        if isinstance(sequence, DocketSequence):
            for seq in range(1, sequence.last_issued + 1):
                issued[f"{sequence.court}-{sequence.year}-{'ACK'[('administrative', 'civil', 'criminal').index(sequence.track)]}-{seq:05d}"] = 0
    for case_id in case_ids:
        report.aggregates += 1
        report.cases += 1
        docket_number = _verify_case(docket, case_id, registries, report)
        if docket_number is not None:
            if docket_number not in issued:
                report.violations.append(Violation(docket_number, 1, "CaseFiled", "R13: docket number was never issued by its sequence"))
            else:
                issued[docket_number] += 1
        on_aggregate()
    for number, uses in issued.items():
        if uses != 1:
            report.violations.append(Violation(number, 0, "DocketNumberIssued", f"R13: issued number used by {uses} cases (gap or duplicate)"))
    return report


class Chain:
    """Follows one aggregate's stored events: versions consecutive, each hash committing to the last."""

    def __init__(self) -> None:
        self.previous = GENESIS
        self.version = 0

    def check(self, event: Any) -> str | None:
        self.version += 1
        problem = None
        if event.originator_version != self.version:
            problem = f"tamper: event(s) missing or reordered before version {event.originator_version} (expected version {self.version})"
            self.version = event.originator_version
        expected = event_hash(self.previous, event)
        stored = getattr(event, "chain_hash", None)
        if problem is None and stored != expected:
            problem = "tamper: the stored event does not match its hash chain (altered, removed or reordered)"
        self.previous = stored or expected
        return problem


def _replay_other(docket: Docket, aggregate_id: UUID, report: Report) -> None:
    aggregate: Any = None
    chain = Chain()
    for event in cast(Iterable[Any], docket.events.get(aggregate_id)):
        report.events += 1
        name = type(event).__name__
        broken = chain.check(event)
        if broken:
            report.violations.append(Violation(str(getattr(aggregate, "court", aggregate_id)), event.originator_version, name, broken))
        try:
            if isinstance(aggregate, CourtCalendar) and name == "HearingSlotBooked":
                clashes = aggregate.conflicts(event.key, event.judge_id, event.courtroom, event.starts_at, event.duration_minutes)
                if clashes:
                    report.violations.append(Violation(f"calendar {aggregate.court}", event.originator_version, name,
                                                       f"R7: {event.key} double-books with {clashes[0]['docket_number']}/{clashes[0]['hearing_id']}"))
            aggregate = event.mutate(aggregate)
        except Exception as error:  # noqa: BLE001 - a replay failure is itself the finding
            report.violations.append(Violation(str(aggregate_id), event.originator_version, name, f"replay failed: {error}"))
            return


def _verify_case(docket: Docket, case_id: UUID, registries: dict[UUID, History], report: Report) -> str | None:
    case: Any = None
    chain = Chain()
    for event in cast(Iterable[Any], docket.events.get(case_id)):
        report.events += 1
        name = type(event).__name__
        where = case.docket_number if case is not None else getattr(event, "docket_number", str(case_id))
        broken = chain.check(event)
        if broken:
            report.violations.append(Violation(where, event.originator_version, name, broken))
            if "missing or reordered" in broken:
                # The rest cannot be replayed on top of a gap; the finding is reported.
                return str(case.docket_number) if case is not None else None
        try:
            with clock.frozen_at(event.timestamp):
                _check_case_event(case, event, name, registries)
        except DomainError as error:
            report.violations.append(Violation(where, event.originator_version, name, f"{error.rule or 'rule'}: {error}"))
        except Exception as error:  # noqa: BLE001
            report.violations.append(Violation(where, event.originator_version, name, f"check failed: {error!r}"))
        try:
            case = event.mutate(case)
        except Exception as error:  # noqa: BLE001
            report.violations.append(Violation(where, event.originator_version, name, f"replay failed: {error!r}"))
            return None
    if case is None:
        return None
    if case_id_for(case.docket_number) != case_id or not is_docket_number(case.docket_number):
        report.violations.append(Violation(case.docket_number, 1, "CaseFiled", "R13: docket number does not match the case's identity"))
    return str(case.docket_number)


class _Refused(DomainError):
    """A finding of the verifier itself, worded "R<n>: what was wrong"."""

    def __init__(self, message: str) -> None:
        rule, _, finding = message.partition(": ")
        super().__init__(finding if rule[:1] == "R" and finding else message)
        self.rule = rule if rule[:1] == "R" and finding else None


def _check_case_event(case: Case | None, event: Any, name: str, registries: dict[UUID, History]) -> None:
    today = clock.local_date(event.timestamp)
    # Rulebook versions are effective-dated: the law in force is chosen by date, not by
    # when the version was recorded, so the whole rulebook applies.
    rulebook_history = registries.get(RULEBOOK_ID)
    rulebook: Any = rulebook_history.as_of(datetime.max.replace(tzinfo=event.timestamp.tzinfo)) if rulebook_history else None
    _check_actor(case, event, name)
    if name == "CaseFiled":
        rules.ensure_track_matches_harm(event.track, event.alleged_harm)
        rules.ensure_criminal_case_names_specialist(event.track, event.respondents)
        rules.ensure_not_in_future(event.received_on, today, what="date of receipt", field="received_on")
        for head, amount in event.claimed.items():
            if amount != amount.quantize(TIYN) or amount < 0:
                raise _Refused(f"R12: claimed {head} {amount} is not KZT with two places")
        return
    assert case is not None
    if case.status != "pending" and name not in AFTER_RULING:
        rules.ensure_case_open(case, name)
    if name == "JudgeAssigned":
        judge = _as_of(registries, event.judge_id, event.timestamp)
        if not isinstance(judge, Judge) or not judge.is_certified_on(today) or judge.court != case.court:
            raise _Refused(f"R5: judge {event.judge_name} was not a certified judge of {case.court} on {today}")
    elif name == "ExpertExaminationOrdered":
        for entry in event.experts:
            expert = _as_of(registries, entry["id"], event.timestamp)
            if not isinstance(expert, Expert):
                raise _Refused(f"unknown expert {entry['name']}")
            rules.ensure_expert_specialty(case.specialty, expert)
            rules.ensure_expert_independent(case, expert, today)
    elif name == "HearingScheduled" or name == "HearingRescheduled":
        rules.ensure_hearing_schedulable(case, event.starts_at, event.timestamp)
    elif name == "MediationReferred":
        rules.ensure_mediation_allowed(case)
        if not isinstance(_as_of(registries, event.mediator_id, event.timestamp), Mediator):
            raise _Refused(f"unknown mediator {event.mediator_name}")
    elif name == "RulingIssued":
        judge = _as_of(registries, event.judge_id, event.timestamp) if event.judge_id else None
        if rulebook is None:
            raise _Refused("no rulebook was in force")
        ruling = {k: v for k, v in vars(event).items() if k not in ("originator_id", "originator_version", "timestamp", "actor", "judge_id")}
        rules.check_ruling(case, ruling, judge if isinstance(judge, Judge) else None, rulebook.in_force_on(case.incident_date), today)
        for head, amount in event.compensation.items():
            if event.payable.get(head) != rules.payable_amount(amount, event.contributory_fault_pct):
                raise _Refused(f"R9: payable {head} {event.payable.get(head)} is not awarded x (1 - fault%)")
    elif name == "DocketEntryCorrected":
        rules.ensure_correction_consistent(case, event.entry_type, event.corrects_version, event.corrections)
    elif name == "AppealFiled":
        assert case.ruling is not None and rulebook is not None
        rules.ensure_appeal_allowed(case, event.filed_on, rulebook.in_force_on(case.ruling["decided_on"]))
    elif name == "RulingEnteredIntoForce" and event.basis == "appeal_window_closed":
        deadline = case.appeal_deadline(rulebook.in_force_on(case.ruling["decided_on"])) if case.ruling and rulebook else None
        if deadline is None or not today > deadline or event.in_force_on <= deadline:
            raise _Refused(f"R8/R17: entered into force on {event.in_force_on} before the appeal window closed ({deadline}, moved past non-working days)")


# Events recorded by the worker on deadlines, or as a consequence of another command in the same
# transaction (hearings cancelled by a recusal or a ruling, examinations withdrawn by a ruling).
_NOT_A_COMMAND = frozenset({"RulingEnteredIntoForce"})


def _check_actor(case: Case | None, event: Any, name: str) -> None:
    """R14 on the record: a clerk acted on their own court's case, a judge on a case assigned to them.
    Events recorded before actors carried their court and judge say nothing either way."""
    actor = getattr(event, "actor", None) or {}
    role = actor.get("role")
    if name in _NOT_A_COMMAND or role not in ("clerk", "judge"):
        return
    court = event.court if name == "CaseFiled" else case.court if case is not None else None
    if role == "clerk" and "court" in actor and actor["court"] != court:
        raise _Refused(f"R14: clerk {actor.get('user')} of court {actor['court']} acted on a case of court {court}")
    if role == "judge" and "judge_id" in actor and case is not None and actor["judge_id"] != case.judge_id:
        raise _Refused(f"R14: judge {actor.get('user')} acted on a case not assigned to them")


def _as_of(registries: dict[UUID, History], aggregate_id: str, instant: datetime) -> Any:
    history = registries.get(UUID(str(aggregate_id)))
    return history.as_of(instant) if history else None


