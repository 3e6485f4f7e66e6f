"""The Case aggregate: one per docket number, every change an event.

Public methods are the court's actions (``file_document``, ``order_examination``,
``issue_ruling``...). Each checks the rules (``domain.rules``) and then records an
event through a private ``@event`` method whose body only applies the change, so
replaying the history never re-judges it.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import event

from domain import clock, rules
from domain.base import CourtAggregate
from domain.errors import HearingNotSchedulable, InvalidValue, NotFound
from domain.vocabulary import (
    APPEAL_OUTCOMES,
    AUTHORITY_KINDS,
    CAUSATION,
    CLAIMANT_RELATIONS,
    COMPENSATION_HEADS,
    CORRECTABLE,
    COURTS,
    DISPOSITIONS,
    DOCUMENT_KINDS,
    EXAMINATION_KINDS,
    FINDINGS,
    HARMS,
    MEDIATION_OUTCOMES,
    REOPEN_REASONS,
    RESPONDENT_KINDS,
    SEAL_REASONS,
    SPECIALTIES,
    STANDARD_OF_CARE_MET,
    TRACKS,
    Actor,
    money,
)

if TYPE_CHECKING:
    from domain.registry import Expert, Judge, Mediator
    from domain.rulebook import RulebookVersion

CASE_NAMESPACE = uuid5(NAMESPACE_URL, "medcourt:case")
EARLIEST_RECEIPT = date(2000, 1, 1)  # older matters are not docketed here (and a year must have four digits)


def case_id_for(docket_number: str) -> UUID:
    """Cases are found by docket number: the aggregate id is derived from it."""
    return uuid5(CASE_NAMESPACE, docket_number.upper())


def one_of(value: Any, options: tuple[str, ...] | dict[str, str], *, field: str, what: str) -> str:
    if value not in options:
        raise InvalidValue(f"'{value}' is not a {what} (one of: {', '.join(options)})", field=field)
    return str(value)


def text(value: Any, *, field: str, what: str, required: bool = True, limit: int = 4000) -> str:
    cleaned = str(value or "").strip()
    if required and not cleaned:
        raise InvalidValue(f"The {what} is required", field=field)
    if len(cleaned) > limit:
        raise InvalidValue(f"The {what} has at most {limit} characters", field=field)
    if any((ord(ch) < 32 and ch not in "\t\n\r") or ord(ch) == 0x7F or 0xD800 <= ord(ch) <= 0xDFFF for ch in cleaned):
        # A NUL or a lone surrogate cannot be stored in PostgreSQL's read models nor encoded as UTF-8.
        raise InvalidValue(f"The {what} contains a control character", field=field)
    return cleaned


def normalize_respondents(respondents: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Respondents are specialists (with a certificate number) or organizations (with a BIN)."""
    if not respondents:
        raise InvalidValue("Name at least one respondent (a specialist or an organization)", field="respondents")
    result = []
    for index, raw in enumerate(respondents, start=1):
        field = f"respondents.{index - 1}"
        kind = one_of(raw.get("kind"), RESPONDENT_KINDS, field=f"{field}.kind", what="respondent kind")
        name = text(raw.get("name"), field=f"{field}.name", what="respondent's name", limit=200)
        entry: dict[str, Any] = {"id": f"R{index}", "kind": kind, "name": name}
        if kind == "specialist":
            cert = text(raw.get("certificate_no"), field=f"{field}.certificate_no", what="specialist's certificate number", limit=40)
            entry["certificate_no"] = cert
            entry["organization_bin"] = raw.get("organization_bin") or None
        else:
            bin_ = str(raw.get("bin") or "").strip()
            if not (len(bin_) == 12 and bin_.isdigit()):
                raise InvalidValue(f"An organization's BIN is 12 digits; '{bin_}' is not", field=f"{field}.bin")
            entry["bin"] = bin_
        result.append(entry)
    return result


class Case(CourtAggregate):
    """A medical-malpractice matter before a specialized medical court."""


    @staticmethod
    def create_id(docket_number: str, **_: Any) -> UUID:
        return case_id_for(docket_number)

    # --- filing --------------------------------------------------------------------------

    @classmethod
    def file(
        cls,
        *,
        docket_number: str,
        track: str,
        court: str,
        received_on: date,
        specialty: str,
        alleged_harm: str,
        incident_date: date,
        claimant: dict[str, Any],
        respondents: list[dict[str, Any]],
        authority: dict[str, Any] | None,
        representatives: list[dict[str, Any]],
        claimed: dict[str, Any],
        summary: str,
        transferred_from: str | None,
        actor: Actor,
    ) -> Case:
        one_of(track, TRACKS, field="track", what="track")
        one_of(court, COURTS, field="court", what="court")
        one_of(specialty, SPECIALTIES, field="specialty", what="medical specialty")
        one_of(alleged_harm, HARMS, field="alleged_harm", what="harm severity")
        rules.ensure_not_in_future(received_on, clock.today(), what="date of receipt", field="received_on")
        rules.ensure_not_before(received_on, EARLIEST_RECEIPT, what="date of receipt", earlier_what="earliest date the docket holds", field="received_on")
        rules.ensure_not_before(received_on, incident_date, what="date of receipt", earlier_what="incident date", field="incident_date")
        rules.ensure_track_matches_harm(track, alleged_harm)
        normalized = normalize_respondents(respondents)
        rules.ensure_criminal_case_names_specialist(track, normalized)
        claimant = {
            "name": text(claimant.get("name"), field="claimant.name", what="claimant's name", limit=200),
            "relation": one_of(claimant.get("relation") or "patient", CLAIMANT_RELATIONS, field="claimant.relation", what="relation to the patient"),
        }
        if authority:
            if track == "civil":
                raise InvalidValue("Civil cases have no prosecutor or inspecting authority", field="authority")
            authority = {
                "kind": one_of(authority.get("kind"), AUTHORITY_KINDS, field="authority.kind", what="authority"),
                "name": text(authority.get("name"), field="authority.name", what="authority's name", limit=200),
            }
        elif track == "criminal":
            raise InvalidValue("A criminal case needs its prosecutor", field="authority")
        reps = [
            {"name": text(r.get("name"), field="representatives", what="representative's name", limit=200), "represents": str(r.get("represents") or "claimant")}
            for r in representatives
        ]
        amounts: dict[str, Decimal] = {}
        for head, value in (claimed or {}).items():
            one_of(head, COMPENSATION_HEADS, field="claimed", what="compensation head")
            if value not in (None, ""):
                amounts[head] = money(value, field=f"claimed.{head}")
        if track != "civil" and any(amounts.values()):
            raise InvalidValue("Only civil cases claim compensation", field="claimed")
        if track == "civil" and not any(amounts.values()) and not transferred_from:
            raise InvalidValue("A civil claim states the amount claimed under at least one head", field="claimed")
        return cls(
            docket_number=docket_number,
            track=track,
            court=court,
            received_on=received_on,
            specialty=specialty,
            alleged_harm=alleged_harm,
            incident_date=incident_date,
            claimant=claimant,
            respondents=normalized,
            authority=authority,
            representatives=reps,
            claimed={h: amounts[h] for h in COMPENSATION_HEADS if h in amounts},
            summary=text(summary, field="summary", what="summary", required=False),
            transferred_from=transferred_from,
            actor=actor,
        )

    @event("CaseFiled")
    def __init__(
        self,
        *,
        docket_number: str,
        track: str,
        court: str,
        received_on: date,
        specialty: str,
        alleged_harm: str,
        incident_date: date,
        claimant: dict[str, Any],
        respondents: list[dict[str, Any]],
        authority: dict[str, Any] | None,
        representatives: list[dict[str, Any]],
        claimed: dict[str, Decimal],
        summary: str,
        transferred_from: str | None,
        actor: Actor,
    ) -> None:
        self.docket_number = docket_number
        self.track = track
        self.court = court
        self.received_on = received_on
        self.specialty = specialty
        self.alleged_harm = alleged_harm
        self.incident_date = incident_date
        self.claimant = claimant
        self.respondents = respondents
        self.authority = authority
        self.representatives = representatives
        self.claimed = claimed
        self.summary = summary
        self.transferred_from = transferred_from
        self.transferred_to: str | None = None
        self.status = "pending"
        self.judge_id: str | None = None
        self.judge_name: str | None = None
        self.recused_judges: list[str] = []
        self.documents: dict[str, dict[str, Any]] = {}
        self.examinations: dict[str, dict[str, Any]] = {}
        self.hearings: dict[str, dict[str, Any]] = {}
        self.mediations: list[dict[str, Any]] = []
        self.ruling: dict[str, Any] | None = None
        self.ruling_version: int | None = None  # the entry that recorded the current ruling
        self.rulings_count = 0
        self.appeals: dict[str, dict[str, Any]] = {}
        self.in_force_on: date | None = None
        self.reopenings: list[dict[str, Any]] = []
        self.sealed = False
        self.seal_reason: str | None = None
        self.corrections: list[dict[str, Any]] = []

    # --- documents and corrections --------------------------------------------------------

    def file_document(
        self,
        *,
        kind: str,
        title: str,
        filed_by: str,
        received_on: date,
        sha256: str,
        size: int,
        media_type: str,
        actor: Actor,
    ) -> str:
        """Docket a filing; accepted at any stage, also after the ruling (R8)."""
        one_of(kind, DOCUMENT_KINDS, field="kind", what="document kind")
        rules.ensure_not_in_future(received_on, clock.today(), what="date of receipt", field="received_on")
        rules.ensure_not_before(received_on, self.received_on, what="date of receipt", earlier_what="case's date of receipt", field="received_on")
        if not (len(sha256) == 64 and all(c in "0123456789abcdef" for c in sha256)):
            raise InvalidValue("A document is identified by its sha256 (64 hex digits)", field="sha256")
        if size < 0:
            raise InvalidValue("A document's size cannot be negative", field="size")
        document_id = f"D{len(self.documents) + 1}"
        self._document_filed(
            document_id=document_id,
            kind=kind,
            title=text(title, field="title", what="title", limit=300),
            filed_by=text(filed_by, field="filed_by", what="filing party", limit=200),
            received_on=received_on,
            sha256=sha256,
            size=size,
            media_type=text(media_type, field="media_type", what="media type", limit=100),
            actor=actor,
        )
        return document_id

    @event("DocumentFiled")
    def _document_filed(self, document_id: str, kind: str, title: str, filed_by: str, received_on: date, sha256: str, size: int, media_type: str, actor: Actor) -> None:
        self.documents[document_id] = {
            "id": document_id, "kind": kind, "title": title, "filed_by": filed_by,
            "received_on": received_on, "sha256": sha256, "size": size, "media_type": media_type,
            "version": self.version + 1,  # the body runs before the version advances
        }

    CORRECTABLE: ClassVar[dict[str, tuple[str, ...]]] = CORRECTABLE

    def correct_entry(self, *, corrects_version: int, entry_type: str, reason: str, corrections: dict[str, Any], actor: Actor) -> None:
        """Correct a docket entry: the original stays in the history beside the correction (R8 allows it always)."""
        if not 1 <= corrects_version <= self.version:
            raise NotFound(f"This case has no entry number {corrects_version}", field="corrects_version")
        allowed = self.CORRECTABLE.get(entry_type)
        if not allowed:
            raise InvalidValue(f"A '{entry_type}' entry cannot be corrected; only: {', '.join(self.CORRECTABLE)}", field="corrects_version")
        if not corrections:
            raise InvalidValue("State at least one corrected value", field="corrections")
        cleaned: dict[str, Any] = {}
        for name, value in corrections.items():
            if name not in allowed:
                raise InvalidValue(f"'{name}' cannot be corrected on a {entry_type} entry (only {', '.join(allowed)})", field="corrections")
            if name in ("incident_date", "received_on"):
                if not isinstance(value, date):
                    value = _parse_date(value, name)
                rules.ensure_not_in_future(value, clock.today(), what=name.replace("_", " "), field="corrections")
            elif name == "specialty":
                one_of(value, SPECIALTIES, field="corrections", what="medical specialty")
            elif name == "kind":
                one_of(value, DOCUMENT_KINDS, field="corrections", what="document kind")
            else:
                value = text(value, field="corrections", what=name.replace("_", " "))
            cleaned[name] = value
        rules.ensure_correction_consistent(self, entry_type, corrects_version, cleaned)
        self._entry_corrected(corrects_version, entry_type, text(reason, field="reason", what="reason for the correction"), cleaned, actor)

    @event("DocketEntryCorrected")
    def _entry_corrected(self, corrects_version: int, entry_type: str, reason: str, corrections: dict[str, Any], actor: Actor) -> None:
        self.corrections.append({"corrects_version": corrects_version, "entry_type": entry_type, "reason": reason, "corrections": corrections})
        if entry_type == "CaseFiled":
            for name, value in corrections.items():
                if name == "claimant_name":
                    self.claimant = {**self.claimant, "name": value}
                else:
                    setattr(self, name, value)
        elif entry_type == "DocumentFiled":
            document = self._document_at_version(corrects_version)
            if document is not None:
                document.update(corrections)
        elif entry_type in ("HearingScheduled", "HearingHeld"):
            key = "version" if entry_type == "HearingScheduled" else "held_version"
            for hearing in self.hearings.values():
                if hearing.get(key) == corrects_version:
                    hearing.update(corrections)
        elif entry_type == "ExpertReportSubmitted":
            for examination in self.examinations.values():
                report = examination.get("report")
                if report and report.get("version") == corrects_version:
                    report.update(corrections)
        elif entry_type == "RulingIssued" and self.ruling is not None and corrects_version == self.ruling_version:
            # A correction of an earlier ruling (one set aside on appeal) stays in the history only.
            self.ruling.update(corrections)

    def _document_at_version(self, version: int) -> dict[str, Any] | None:
        for document in self.documents.values():
            if document.get("version") == version:
                return document
        return None

    # --- judges --------------------------------------------------------------------------

    def assign_judge(self, judge: Judge, actor: Actor) -> None:
        rules.ensure_case_open(self, "assign a judge")
        today = clock.today()
        rules.ensure_judge_may_be_assigned(self, judge, today)
        if self.judge_id == str(judge.id):
            raise InvalidValue(f"Judge {judge.name} is already assigned to this case", field="judge")
        if self.judge_id is not None and any(h["status"] == "scheduled" for h in self.hearings.values()):
            # R7: the calendar books those hearings for the current judge; replacing the judge
            # silently would let the new judge be double-booked.
            raise HearingNotSchedulable(code="R7.reassign_with_hearings", field="judge", judge=self.judge_name)
        self._judge_assigned(str(judge.id), judge.name, actor)

    @event("JudgeAssigned")
    def _judge_assigned(self, judge_id: str, judge_name: str, actor: Actor) -> None:
        self.judge_id = judge_id
        self.judge_name = judge_name

    def recuse_judge(self, reason: str, actor: Actor) -> None:
        rules.ensure_case_open(self, "record a recusal")
        if self.judge_id is None:
            raise InvalidValue("No judge is assigned to this case", field="judge")
        self._judge_recused(self.judge_id, text(reason, field="reason", what="reason for the recusal"), actor)

    @event("JudgeRecused")
    def _judge_recused(self, judge_id: str, reason: str, actor: Actor) -> None:
        self.recused_judges.append(judge_id)
        self.judge_id = None
        self.judge_name = None

    # --- expert examinations ---------------------------------------------------------------

    def order_examination(
        self, *, kind: str, questions: list[str], experts: list[Expert], due_on: date, actor: Actor, non_working_days: frozenset[date] = frozenset()
    ) -> str:
        rules.ensure_case_open(self, "order an examination")
        one_of(kind, EXAMINATION_KINDS, field="kind", what="kind of examination")
        if self.judge_id is None:
            raise InvalidValue("Only the assigned judge orders an examination: assign a judge first", field="judge")
        questions = [q.strip() for q in questions if q and q.strip()]
        if not questions:
            raise InvalidValue("Put at least one question to the experts", field="questions")
        if not experts:
            raise InvalidValue("Appoint at least one expert", field="experts")
        if kind == "commission" and len(experts) < 2:
            raise InvalidValue("A commission examination needs at least two experts", field="experts")
        today = clock.today()
        if due_on <= today:
            raise InvalidValue("The report's due date must be after today", field="due_on")
        due_on = rules.deadline_on_working_day(due_on, non_working_days)  # R17: the order states the working day it ends on
        for expert in experts:
            rules.ensure_expert_specialty(self.specialty, expert)
            rules.ensure_expert_independent(self, expert, today)
        examination_id = f"EX{len(self.examinations) + 1}"
        self._examination_ordered(
            examination_id=examination_id,
            kind=kind,
            questions=questions,
            experts=[{"id": str(e.id), "name": e.name} for e in experts],
            ordered_on=today,
            due_on=due_on,
            actor=actor,
        )
        return examination_id

    @event("ExpertExaminationOrdered")
    def _examination_ordered(self, examination_id: str, kind: str, questions: list[str], experts: list[dict[str, str]], ordered_on: date, due_on: date, actor: Actor) -> None:
        self.examinations[examination_id] = {
            "id": examination_id, "kind": kind, "questions": questions, "experts": experts,
            "ordered_on": ordered_on, "due_on": due_on, "status": "ordered", "report": None,
        }

    def _pending_examination(self, examination_id: str) -> dict[str, Any]:
        examination = self.examinations.get(examination_id)
        if examination is None:
            raise NotFound(f"This case has no examination {examination_id}", field="examination_id")
        if examination["status"] != "ordered":
            raise InvalidValue(f"Examination {examination_id} is already {examination['status']}", field="examination_id")
        return examination

    def submit_expert_report(
        self,
        *,
        examination_id: str,
        received_on: date,
        standard_of_care_met: str,
        causation: str,
        harm_found: str,
        summary: str,
        document_id: str | None,
        actor: Actor,
    ) -> None:
        rules.ensure_case_open(self, "record an expert report")
        examination = self._pending_examination(examination_id)
        rules.ensure_not_in_future(received_on, clock.today(), what="date the report was received", field="received_on")
        rules.ensure_not_before(received_on, examination["ordered_on"], what="date the report was received", earlier_what="date of the order", field="received_on")
        if document_id is not None and document_id not in self.documents:
            raise NotFound(f"This case has no document {document_id}", field="document_id")
        self._report_submitted(
            examination_id=examination_id,
            received_on=received_on,
            standard_of_care_met=one_of(standard_of_care_met, STANDARD_OF_CARE_MET, field="standard_of_care_met", what="answer on the standard of care"),
            causation=one_of(causation, CAUSATION, field="causation", what="answer on causation"),
            harm_found=one_of(harm_found, HARMS, field="harm_found", what="harm severity"),
            summary=text(summary, field="summary", what="summary of conclusions", required=False),
            document_id=document_id,
            actor=actor,
        )

    @event("ExpertReportSubmitted")
    def _report_submitted(self, examination_id: str, received_on: date, standard_of_care_met: str, causation: str, harm_found: str, summary: str, document_id: str | None, actor: Actor) -> None:
        examination = self.examinations[examination_id]
        examination["status"] = "reported"
        examination["report"] = {
            "received_on": received_on, "standard_of_care_met": standard_of_care_met,
            "causation": causation, "harm_found": harm_found, "summary": summary, "document_id": document_id,
            "version": self.version + 1,
        }

    def withdraw_examination(self, examination_id: str, reason: str, actor: Actor) -> None:
        rules.ensure_case_open(self, "withdraw an examination")
        self._pending_examination(examination_id)
        self._examination_withdrawn(examination_id, text(reason, field="reason", what="reason for withdrawing"), actor)

    @event("ExpertExaminationWithdrawn")
    def _examination_withdrawn(self, examination_id: str, reason: str, actor: Actor) -> None:
        self.examinations[examination_id]["status"] = "withdrawn"

    # --- hearings ---------------------------------------------------------------------------

    def schedule_hearing(self, *, starts_at: datetime, duration_minutes: int, courtroom: str, purpose: str, actor: Actor) -> str:
        rules.ensure_case_open(self, "schedule a hearing")
        rules.ensure_hearing_schedulable(self, starts_at, clock.now())
        if not 15 <= duration_minutes <= 480:
            raise InvalidValue("A hearing lasts from 15 minutes to 8 hours", field="duration_minutes")
        hearing_id = f"H{len(self.hearings) + 1}"
        self._hearing_scheduled(
            hearing_id=hearing_id, starts_at=starts_at, duration_minutes=duration_minutes,
            courtroom=text(courtroom, field="courtroom", what="courtroom", limit=40),
            purpose=text(purpose, field="purpose", what="purpose", limit=300), actor=actor,
        )
        return hearing_id

    @event("HearingScheduled")
    def _hearing_scheduled(self, hearing_id: str, starts_at: datetime, duration_minutes: int, courtroom: str, purpose: str, actor: Actor) -> None:
        self.hearings[hearing_id] = {
            "id": hearing_id, "starts_at": starts_at, "first_starts_at": starts_at, "duration_minutes": duration_minutes,
            "courtroom": courtroom, "purpose": purpose, "status": "scheduled", "reschedulings": 0,
            "version": self.version + 1,
        }

    def scheduled_hearing(self, hearing_id: str) -> dict[str, Any]:
        hearing = self.hearings.get(hearing_id)
        if hearing is None:
            raise NotFound(f"This case has no hearing {hearing_id}", field="hearing_id")
        if hearing["status"] != "scheduled":
            raise InvalidValue(f"Hearing {hearing_id} was already {hearing['status']}", field="hearing_id")
        return hearing

    def reschedule_hearing(self, hearing_id: str, starts_at: datetime, reason: str, actor: Actor) -> None:
        rules.ensure_case_open(self, "reschedule a hearing")
        hearing = self.scheduled_hearing(hearing_id)
        rules.ensure_hearing_schedulable(self, starts_at, clock.now())
        if starts_at == hearing["starts_at"]:
            raise InvalidValue("The new time is the same as the current one", field="starts_at")
        self._hearing_rescheduled(hearing_id, starts_at, text(reason, field="reason", what="reason for rescheduling"), actor)

    @event("HearingRescheduled")
    def _hearing_rescheduled(self, hearing_id: str, starts_at: datetime, reason: str, actor: Actor) -> None:
        hearing = self.hearings[hearing_id]
        hearing["starts_at"] = starts_at
        hearing["reschedulings"] += 1

    def hold_hearing(self, hearing_id: str, minutes_summary: str, actor: Actor) -> None:
        rules.ensure_case_open(self, "record a hearing")
        hearing = self.scheduled_hearing(hearing_id)
        if hearing["starts_at"] > clock.now():
            raise InvalidValue(f"Hearing {hearing_id} has not started yet (it starts {hearing['starts_at']:%Y-%m-%d %H:%M} UTC)", field="hearing_id")
        self._hearing_held(hearing_id, text(minutes_summary, field="minutes_summary", what="summary of the minutes"), actor)

    @event("HearingHeld")
    def _hearing_held(self, hearing_id: str, minutes_summary: str, actor: Actor) -> None:
        self.hearings[hearing_id]["status"] = "held"
        self.hearings[hearing_id]["minutes_summary"] = minutes_summary
        self.hearings[hearing_id]["held_version"] = self.version + 1

    def cancel_hearing(self, hearing_id: str, reason: str, actor: Actor) -> None:
        rules.ensure_case_open(self, "cancel a hearing")
        self.scheduled_hearing(hearing_id)
        self._hearing_cancelled(hearing_id, text(reason, field="reason", what="reason for cancelling"), actor)

    @event("HearingCancelled")
    def _hearing_cancelled(self, hearing_id: str, reason: str, actor: Actor) -> None:
        self.hearings[hearing_id]["status"] = "cancelled"

    # --- mediation ----------------------------------------------------------------------------

    def open_mediation(self) -> dict[str, Any] | None:
        return next((m for m in self.mediations if m["outcome"] is None), None)

    def refer_to_mediation(self, mediator: Mediator, due_on: date, actor: Actor) -> str:
        rules.ensure_case_open(self, "refer to mediation")
        rules.ensure_mediation_allowed(self)
        today = clock.today()
        if due_on <= today:
            raise InvalidValue("The mediation's due date must be after today", field="due_on")
        mediation_id = f"M{len(self.mediations) + 1}"
        self._mediation_referred(mediation_id, str(mediator.id), mediator.name, today, due_on, actor)
        return mediation_id

    @event("MediationReferred")
    def _mediation_referred(self, mediation_id: str, mediator_id: str, mediator_name: str, referred_on: date, due_on: date, actor: Actor) -> None:
        self.mediations.append({
            "id": mediation_id, "mediator_id": mediator_id, "mediator_name": mediator_name,
            "referred_on": referred_on, "due_on": due_on, "outcome": None, "concluded_on": None,
        })

    def conclude_mediation(self, outcome: str, concluded_on: date, actor: Actor) -> None:
        rules.ensure_case_open(self, "record a mediation's outcome")
        mediation = self.open_mediation()
        if mediation is None:
            raise InvalidValue("No mediation is open in this case", field="outcome")
        one_of(outcome, MEDIATION_OUTCOMES, field="outcome", what="mediation outcome")
        rules.ensure_not_in_future(concluded_on, clock.today(), what="date the mediation concluded", field="concluded_on")
        rules.ensure_not_before(concluded_on, mediation["referred_on"], what="date the mediation concluded", earlier_what="referral date", field="concluded_on")
        self._mediation_concluded(mediation["id"], outcome, concluded_on, actor)

    @event("MediationConcluded")
    def _mediation_concluded(self, mediation_id: str, outcome: str, concluded_on: date, actor: Actor) -> None:
        for mediation in self.mediations:
            if mediation["id"] == mediation_id:
                mediation["outcome"] = outcome
                mediation["concluded_on"] = concluded_on

    # --- rulings ---------------------------------------------------------------------------------

    def issue_ruling(self, draft: dict[str, Any], judge: Judge | None, rulebook: RulebookVersion, actor: Actor) -> dict[str, Any]:
        """Record the final ruling of first instance, if every rule allows it. Returns the ruling."""
        rules.ensure_case_open(self, "issue a ruling")
        ruling = self.normalize_ruling(draft)
        rules.check_ruling(self, ruling, judge, rulebook, clock.today())
        for sanction in ruling["sanctions"]:
            if sanction["kind"] == "fine":
                # R4: a fine is stated in MCI and recorded with its KZT value at the incident date's MCI.
                sanction["amount_kzt"] = rules.fine_kzt(sanction["amount_mci"], rulebook, self.incident_date)
        self._ruling_issued(**ruling, judge_id=self.judge_id, actor=actor)
        return ruling

    def normalize_ruling(self, draft: dict[str, Any]) -> dict[str, Any]:
        """The ruling as it will be recorded: vocabulary checked, money and payable amounts computed (R9)."""
        disposition = one_of(draft.get("disposition"), DISPOSITIONS, field="disposition", what="disposition")
        finding = draft.get("finding") or None
        if finding is not None:
            one_of(finding, FINDINGS, field="finding", what="finding")
        harm_found = draft.get("harm_found") or None
        if harm_found is not None:
            one_of(harm_found, HARMS, field="harm_found", what="harm severity")
        compensation = {}
        for head, value in _mapping(draft.get("compensation"), field="compensation", what="Compensation").items():
            one_of(head, COMPENSATION_HEADS, field="compensation", what="compensation head")
            if value not in (None, ""):
                compensation[head] = money(value, field=f"compensation.{head}")
        try:
            pct = Decimal(str(draft.get("contributory_fault_pct") or 0))
        except ArithmeticError:
            raise InvalidValue("Contributory fault is a percentage", field="contributory_fault_pct") from None
        if not pct.is_finite():  # NaN would break every comparison and the payable arithmetic
            raise InvalidValue("Contributory fault is a percentage", field="contributory_fault_pct")
        sanctions = []
        for raw in _listed(draft.get("sanctions"), field="sanctions", what="Sanctions"):
            raw = _mapping(raw, field="sanctions", what="Each sanction")
            sanction: dict[str, Any] = {"respondent_id": str(raw.get("respondent_id")), "kind": str(raw.get("kind"))}
            if raw.get("amount_mci") not in (None, ""):
                try:
                    amount_mci = Decimal(str(raw["amount_mci"]))
                except ArithmeticError:
                    raise InvalidValue("A fine is a number of MCI", field="sanctions") from None
                if not amount_mci.is_finite():  # NaN and infinity are not amounts
                    raise InvalidValue("A fine is a number of MCI", field="sanctions")
                sanction["amount_mci"] = amount_mci
            if raw.get("months") not in (None, ""):
                try:
                    sanction["months"] = int(raw["months"])
                except (TypeError, ValueError, OverflowError):
                    raise InvalidValue("A term is a whole number of months", field="sanctions") from None
            sanctions.append(sanction)
        insurer = draft.get("insurer_compensation")
        decided_on = draft.get("decided_on")
        if not isinstance(decided_on, date):
            decided_on = _parse_date(decided_on, "decided_on")
        return {
            "ruling_id": f"RU{self.rulings_count + 1}",
            "decided_on": decided_on,
            "disposition": disposition,
            "finding": finding,
            "harm_found": harm_found,
            "liable_respondents": [str(r) for r in _listed(draft.get("liable_respondents"), field="liable_respondents", what="Liable respondents")],
            "sanctions": sanctions,
            "compensation": compensation,
            "contributory_fault_pct": pct,
            "payable": {head: rules.payable_amount(amount, pct) for head, amount in compensation.items()},
            "insurer_compensation": money(insurer, field="insurer_compensation") if insurer not in (None, "") else None,
            "reasoning": text(draft.get("reasoning"), field="reasoning", what="reasoning", required=False, limit=20000),
            "recommendation": text(draft.get("recommendation"), field="recommendation", what="recommendation", required=False),
            "transferred_to_track": draft.get("transferred_to_track") or None,
            "transferred_to": draft.get("transferred_to") or None,
        }

    @event("RulingIssued")
    def _ruling_issued(
        self, ruling_id: str, decided_on: date, judge_id: str | None, disposition: str, finding: str | None,
        harm_found: str | None, liable_respondents: list[str], sanctions: list[dict[str, Any]],
        compensation: dict[str, Decimal], contributory_fault_pct: Decimal, payable: dict[str, Decimal],
        insurer_compensation: Decimal | None, reasoning: str, recommendation: str,
        transferred_to_track: str | None, transferred_to: str | None, actor: Actor,
    ) -> None:
        self.ruling = {
            "ruling_id": ruling_id, "decided_on": decided_on, "judge_id": judge_id, "disposition": disposition,
            "finding": finding, "harm_found": harm_found, "liable_respondents": liable_respondents,
            "sanctions": sanctions, "compensation": compensation, "contributory_fault_pct": contributory_fault_pct,
            "payable": payable, "insurer_compensation": insurer_compensation, "reasoning": reasoning,
            "recommendation": recommendation, "transferred_to_track": transferred_to_track,
        }
        self.ruling_version = self.version + 1  # the body runs before the version advances
        self.rulings_count += 1
        self.transferred_to = transferred_to or self.transferred_to
        self.status = "decided"

    # --- appeals, legal force, reopening -------------------------------------------------------------

    def file_appeal(self, filed_on: date, appellant: str, rulebook: RulebookVersion, actor: Actor) -> str:
        rules.ensure_not_in_future(filed_on, clock.today(), what="date the appeal was filed", field="filed_on")
        rules.ensure_appeal_allowed(self, filed_on, rulebook)
        appeal_id = f"A{len(self.appeals) + 1}"
        self._appeal_filed(appeal_id, filed_on, text(appellant, field="appellant", what="appellant", limit=200), actor)
        return appeal_id

    @event("AppealFiled")
    def _appeal_filed(self, appeal_id: str, filed_on: date, appellant: str, actor: Actor) -> None:
        self.appeals[appeal_id] = {"id": appeal_id, "filed_on": filed_on, "appellant": appellant, "outcome": None, "decided_on": None}
        self.status = "appealed"

    def decide_appeal(self, outcome: str, decided_on: date, actor: Actor) -> None:
        """Record the appellate court's decision: a remand reopens the case, any other outcome
        puts the ruling (as upheld, modified or reversed) into legal force."""
        appeal = next((a for a in self.appeals.values() if a["outcome"] is None), None)
        if appeal is None:
            raise InvalidValue("No appeal is pending in this case", field="outcome")
        one_of(outcome, APPEAL_OUTCOMES, field="outcome", what="appeal outcome")
        rules.ensure_not_in_future(decided_on, clock.today(), what="date of the appeal decision", field="decided_on")
        rules.ensure_not_before(decided_on, appeal["filed_on"], what="date of the appeal decision", earlier_what="date the appeal was filed", field="decided_on")
        self._appeal_decided(appeal["id"], outcome, decided_on, actor)
        if outcome == "remanded":
            self._reopened(decided_on, "remand", actor)
        else:
            assert self.ruling is not None
            self._entered_into_force(self.ruling["ruling_id"], decided_on, "appeal_decided", actor)

    @event("AppealDecided")
    def _appeal_decided(self, appeal_id: str, outcome: str, decided_on: date, actor: Actor) -> None:
        self.appeals[appeal_id]["outcome"] = outcome
        self.appeals[appeal_id]["decided_on"] = decided_on

    def appeal_deadline(self, rulebook: RulebookVersion) -> date | None:
        if self.ruling is None or self.status != "decided":
            return None
        return rulebook.appeal_deadline(self.track, self.ruling["decided_on"])

    def enter_into_force(self, rulebook: RulebookVersion, actor: Actor) -> date:
        """The appeal window closed with no appeal: the ruling enters into legal force the day after."""
        deadline = self.appeal_deadline(rulebook)
        if deadline is None:
            raise InvalidValue(f"The case is {self.status.replace('_', ' ')}: there is no ruling awaiting legal force")
        if clock.today() <= deadline:
            raise InvalidValue(f"The appeal window is open until {deadline}")
        assert self.ruling is not None
        in_force_on = date.fromordinal(deadline.toordinal() + 1)
        self._entered_into_force(self.ruling["ruling_id"], in_force_on, "appeal_window_closed", actor)
        return in_force_on

    @event("RulingEnteredIntoForce")
    def _entered_into_force(self, ruling_id: str, in_force_on: date, basis: str, actor: Actor) -> None:
        self.status = "in_force"
        self.in_force_on = in_force_on

    def reopen(self, reopened_on: date, reason: str, actor: Actor) -> None:
        """Reopen after a higher court set the ruling aside (a remand reopens through ``decide_appeal``)."""
        one_of(reason, REOPEN_REASONS, field="reason", what="reason for reopening")
        if self.status == "pending":
            raise InvalidValue("The case is already pending", field="reason")
        if self.status == "appealed":
            raise InvalidValue("An appeal is pending: record its decision instead", field="reason")
        rules.ensure_not_in_future(reopened_on, clock.today(), what="date of reopening", field="reopened_on")
        assert self.ruling is not None
        rules.ensure_not_before(reopened_on, self.ruling["decided_on"], what="date of reopening", earlier_what="ruling", field="reopened_on")
        self._reopened(reopened_on, reason, actor)

    @event("CaseReopened")
    def _reopened(self, reopened_on: date, reason: str, actor: Actor) -> None:
        self.status = "pending"
        self.in_force_on = None
        self.reopenings.append({"reopened_on": reopened_on, "reason": reason})

    # --- sealing -------------------------------------------------------------------------------------

    def seal(self, reason: str, actor: Actor) -> None:
        one_of(reason, SEAL_REASONS, field="reason", what="reason for sealing")
        if self.sealed:
            raise InvalidValue("The case is already sealed", field="reason")
        self._sealed(reason, actor)

    @event("CaseSealed")
    def _sealed(self, reason: str, actor: Actor) -> None:
        self.sealed = True
        self.seal_reason = reason

    def unseal(self, reason: str, actor: Actor) -> None:
        if not self.sealed:
            raise InvalidValue("The case is not sealed", field="reason")
        self._unsealed(text(reason, field="reason", what="reason for unsealing"), actor)

    @event("CaseUnsealed")
    def _unsealed(self, reason: str, actor: Actor) -> None:
        self.sealed = False
        self.seal_reason = None

    # --- derived facts ----------------------------------------------------------------------------------

    def overdue_examinations(self, today: date) -> list[dict[str, Any]]:
        """Overdue is derived, never stored: pending past the due date."""
        return [e for e in self.examinations.values() if e["status"] == "ordered" and e["due_on"] < today]


def _listed(value: Any, *, field: str, what: str) -> list[Any]:
    """A list given in a draft (nothing: an empty one); anything else is refused, not iterated."""
    if not value:
        return []
    if not isinstance(value, (list, tuple)):
        raise InvalidValue(f"{what} are given as a list", field=field)
    return list(value)


def _mapping(value: Any, *, field: str, what: str) -> dict[str, Any]:
    """A mapping given in a draft (nothing: an empty one); anything else is refused."""
    if not value:
        return {}
    if not isinstance(value, dict):
        raise InvalidValue(f"{what} is given as named values", field=field)
    return value


def _parse_date(value: Any, field: str) -> date:
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise InvalidValue(f"'{value}' is not a date (YYYY-MM-DD)", field=field) from None
