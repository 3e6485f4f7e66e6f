"""Projection ``cases``: the case file as tables.

One row per case (search, dashboards), its parties (search by name, certificate number,
BIN), and one row per examination, hearing, mediation, ruling, appeal and reopening:
what the docket search, the judge dashboards, the court calendar and the statistics read.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import singledispatchmethod
from typing import Any

from domain.case import Case
from projections.base import Projection, local_day, tiyn, utc
from projections.search import case_search_text, public_search_text, with_corrected
from projections.tables import (
    HEADS,
    appeals,
    case_parties,
    cases,
    examination_experts,
    examinations,
    hearings,
    judge_caseload,
    mediations,
    reopenings,
    rulings,
)

# Which stored rows an event changes, beyond its case's row: those tables are loaded once per
# batch, in a few queries, for the cases whose events need them.
_CHANGES: dict[type, tuple[Any, ...]] = {
    Case.ExpertExaminationOrdered: (examinations,),  # the case's examinations are recounted
    Case.ExpertReportSubmitted: (examinations,),
    Case.ExpertExaminationWithdrawn: (examinations,),
    Case.HearingRescheduled: (hearings,),
    Case.HearingHeld: (hearings,),
    Case.HearingCancelled: (hearings,),
    Case.MediationConcluded: (mediations,),
    Case.AppealDecided: (appeals,),
    Case.DocketEntryCorrected: (examinations, hearings),
}


class CaseFileProjection(Projection):
    name = "cases"

    def prepare(self, events: Sequence[tuple[int, Any]]) -> None:
        created = {str(e.originator_id) for _, e in events if isinstance(e, Case.CaseFiled)}
        wanted: dict[str, set[str]] = {table.name: set() for table in self.tables}
        for _, event in events:
            if isinstance(event, Case.Event):
                case_id = str(event.originator_id)
                wanted[cases.name].add(case_id)
                for table in _CHANGES.get(type(event), ()):
                    wanted[table.name].add(case_id)
        for table in self.tables:
            if table is judge_caseload:
                continue  # by judge, not by case: its rows load when a judge's count changes
            buffer = self.buffer(table)
            for case_id in created:
                buffer.mark_new(case_id)
            buffer.load(self.db, wanted[table.name] - created)

    # --- helpers ---------------------------------------------------------------------------------

    def _case(self, event: Any) -> dict[str, Any]:
        row = self.buffer(cases).get(self.db, str(event.originator_id))
        if row is None:
            raise LookupError(f"Event {type(event).__qualname__} for a case the projection never saw filed ({event.originator_id})")
        return row

    def _touch(self, event: Any, **changes: Any) -> dict[str, Any]:
        """Apply ``changes`` to the case row and note the case's latest version."""
        row = self._case(event)
        self.buffer(cases).update(row, version=event.originator_version, updated_at=utc(event.timestamp), **changes)
        return row

    def _examinations_changed(self, event: Any) -> None:
        """Recount the case's examinations for the judge dashboard (awaited, in, next due, R5's readiness)."""
        rows = self.buffer(examinations).find(self.db, str(event.originator_id))
        awaited = [row["due_on"] for row in rows if row["status"] == "ordered"]
        reported = sum(1 for row in rows if row["status"] == "reported")
        self._touch(
            event, reports_awaited=len(awaited), reports_in=reported, next_report_due=min(awaited, default=None),
            ready_for_ruling=reported > 0 and not awaited,
        )

    def _count_pending(self, judge_id: str | None, received_on: Any, change: int) -> None:
        """A case received on ``received_on`` joins (+1) or leaves (-1) the pending caseload of ``judge_id``."""
        if not judge_id:
            return
        buffer = self.buffer(judge_caseload)
        row = buffer.get(self.db, judge_id, received_on)
        if row is None:
            buffer.insert(judge_id=judge_id, received_on=received_on, pending=change)
        else:
            buffer.update(row, pending=row["pending"] + change)

    def _item(self, table: Any, event: Any, item_id: str) -> dict[str, Any]:
        row = self.buffer(table).get(self.db, str(event.originator_id), item_id)
        if row is None:
            raise LookupError(f"{table.name}: case {event.originator_id} has no {item_id}")
        return row

    # --- events ---------------------------------------------------------------------------------

    @singledispatchmethod
    def process_event(self, domain_event: Any, position: int) -> None:
        """Events the case file does not show (registries, calendars, documents' details)."""

    @process_event.register
    def _filed(self, event: Case.CaseFiled, position: int) -> None:
        case_id = str(event.originator_id)
        found_by = case_search_text(
            event.docket_number, [event.claimant, *event.respondents, *([event.authority] if event.authority else []), *event.representatives], event.summary,
        )
        claimed = {f"claimed_{head}": tiyn(event.claimed.get(head)) or 0 for head in HEADS}
        self.buffer(cases).insert(
            case_id=case_id, docket_number=event.docket_number, track=event.track, court=event.court,
            specialty=event.specialty, alleged_harm=event.alleged_harm, incident_date=event.incident_date,
            received_on=event.received_on, status="pending", sealed=False, seal_reason=None,
            judge_id=None, judge_name=None, claimant_name=event.claimant["name"],
            claimant_relation=event.claimant["relation"], summary=event.summary, **claimed,
            transferred_from=event.transferred_from, transferred_to=None, rulings_count=0, reopenings_count=0,
            version=event.originator_version, filed_at=utc(event.timestamp), updated_at=utc(event.timestamp),
            search_text=found_by,
            public_text=public_search_text(event.docket_number, [*event.respondents, *([{**event.authority, "role": "authority"}] if event.authority else [])]),
            reports_awaited=0, reports_in=0, next_report_due=None, mediation_due_on=None, ready_for_ruling=False,
        )
        parties = self.buffer(case_parties)
        parties.insert(case_id=case_id, position=0, role="claimant", kind="person", name=event.claimant["name"])
        position_no = 1
        for respondent in event.respondents:
            parties.insert(
                case_id=case_id, position=position_no, role="respondent", party_ref=respondent["id"], kind=respondent["kind"],
                name=respondent["name"], certificate_no=respondent.get("certificate_no"), bin=respondent.get("bin"),
            )
            position_no += 1
        if event.authority:
            parties.insert(case_id=case_id, position=position_no, role="authority", kind=event.authority["kind"], name=event.authority["name"])
            position_no += 1
        for representative in event.representatives:
            parties.insert(case_id=case_id, position=position_no, role="representative", kind="person", name=representative["name"])
            position_no += 1

    @process_event.register
    def _document(self, event: Case.DocumentFiled, position: int) -> None:
        self._touch(event)

    @process_event.register
    def _corrected(self, event: Case.DocketEntryCorrected, position: int) -> None:
        case = self._touch(event)
        corrections = event.corrections
        case_id = str(event.originator_id)
        if event.entry_type == "CaseFiled":
            changes = {name: corrections[name] for name in ("summary", "specialty", "incident_date", "received_on") if name in corrections}
            if "claimant_name" in corrections:
                changes["claimant_name"] = corrections["claimant_name"]
                claimant = self.buffer(case_parties).get(self.db, case_id, 0)
                if claimant is not None:
                    self.buffer(case_parties).update(claimant, name=corrections["claimant_name"])
            if "received_on" in changes and case["status"] == "pending":
                self._count_pending(case["judge_id"], case["received_on"], -1)
                self._count_pending(case["judge_id"], changes["received_on"], +1)
            for corrected in ("claimant_name", "summary"):
                if corrections.get(corrected):
                    changes["search_text"] = with_corrected(changes.get("search_text", case["search_text"]), corrections[corrected])
            self.buffer(cases).update(case, **changes)
        elif event.entry_type == "ExpertReportSubmitted" and "received_on" in corrections:
            for row in self.buffer(examinations).find(self.db, case_id, reported_version=event.corrects_version):
                self.buffer(examinations).update(row, received_on=corrections["received_on"])
        elif event.entry_type == "HearingScheduled":
            changes = {name: corrections[name] for name in ("purpose", "courtroom") if name in corrections}
            for row in self.buffer(hearings).find(self.db, case_id, scheduled_version=event.corrects_version):
                self.buffer(hearings).update(row, **changes)

    @process_event.register
    def _judge_assigned(self, event: Case.JudgeAssigned, position: int) -> None:
        case = self._case(event)
        if case["status"] == "pending":
            self._count_pending(case["judge_id"], case["received_on"], -1)  # a reassignment
            self._count_pending(event.judge_id, case["received_on"], +1)
        self._touch(event, judge_id=event.judge_id, judge_name=event.judge_name)

    @process_event.register
    def _judge_recused(self, event: Case.JudgeRecused, position: int) -> None:
        case = self._case(event)
        if case["status"] == "pending":
            self._count_pending(case["judge_id"], case["received_on"], -1)
        self._touch(event, judge_id=None, judge_name=None)

    @process_event.register
    def _examination_ordered(self, event: Case.ExpertExaminationOrdered, position: int) -> None:
        case = self._touch(event)
        case_id = str(event.originator_id)
        self.buffer(examinations).insert(
            case_id=case_id, examination_id=event.examination_id, kind=event.kind, judge_id=case["judge_id"],
            ordered_on=event.ordered_on, due_on=event.due_on, status="ordered", ordered_version=event.originator_version,
        )
        for expert in event.experts:
            self.buffer(examination_experts).insert(case_id=case_id, examination_id=event.examination_id, expert_id=expert["id"], expert_name=expert["name"])
        self._examinations_changed(event)

    @process_event.register
    def _report_submitted(self, event: Case.ExpertReportSubmitted, position: int) -> None:
        self._touch(event)
        self.buffer(examinations).update(
            self._item(examinations, event, event.examination_id), status="reported", received_on=event.received_on,
            standard_of_care_met=event.standard_of_care_met, causation=event.causation, harm_found=event.harm_found,
            reported_version=event.originator_version,
        )
        self._examinations_changed(event)

    @process_event.register
    def _examination_withdrawn(self, event: Case.ExpertExaminationWithdrawn, position: int) -> None:
        self._touch(event)
        # The event states no date: the day it was recorded at the court is the day of withdrawal.
        self.buffer(examinations).update(self._item(examinations, event, event.examination_id), status="withdrawn", withdrawn_on=local_day(event.timestamp))
        self._examinations_changed(event)

    @process_event.register
    def _hearing_scheduled(self, event: Case.HearingScheduled, position: int) -> None:
        case = self._touch(event)
        starts_at: datetime = event.starts_at
        self.buffer(hearings).insert(
            case_id=str(event.originator_id), hearing_id=event.hearing_id, docket_number=case["docket_number"], court=case["court"],
            judge_id=case["judge_id"], judge_name=case["judge_name"], courtroom=event.courtroom, purpose=event.purpose,
            starts_at=utc(starts_at), starts_on=local_day(starts_at), duration_minutes=event.duration_minutes,
            first_starts_at=utc(starts_at), reschedule_count=0, status="scheduled", scheduled_version=event.originator_version,
        )

    @process_event.register
    def _hearing_rescheduled(self, event: Case.HearingRescheduled, position: int) -> None:
        self._touch(event)
        row = self._item(hearings, event, event.hearing_id)
        self.buffer(hearings).update(row, starts_at=utc(event.starts_at), starts_on=local_day(event.starts_at), reschedule_count=row["reschedule_count"] + 1)

    @process_event.register
    def _hearing_held(self, event: Case.HearingHeld, position: int) -> None:
        self._touch(event)
        self.buffer(hearings).update(self._item(hearings, event, event.hearing_id), status="held", ended_at=utc(event.timestamp))

    @process_event.register
    def _hearing_cancelled(self, event: Case.HearingCancelled, position: int) -> None:
        self._touch(event)
        self.buffer(hearings).update(self._item(hearings, event, event.hearing_id), status="cancelled", ended_at=utc(event.timestamp))

    @process_event.register
    def _mediation_referred(self, event: Case.MediationReferred, position: int) -> None:
        self._touch(event, mediation_due_on=event.due_on)
        self.buffer(mediations).insert(
            case_id=str(event.originator_id), mediation_id=event.mediation_id, mediator_id=event.mediator_id,
            mediator_name=event.mediator_name, referred_on=event.referred_on, due_on=event.due_on,
        )

    @process_event.register
    def _mediation_concluded(self, event: Case.MediationConcluded, position: int) -> None:
        self._touch(event, mediation_due_on=None)
        self.buffer(mediations).update(self._item(mediations, event, event.mediation_id), outcome=event.outcome, concluded_on=event.concluded_on)

    @process_event.register
    def _ruling_issued(self, event: Case.RulingIssued, position: int) -> None:
        case = self._case(event)
        if case["status"] == "pending":
            self._count_pending(case["judge_id"], case["received_on"], -1)
        money = {f"awarded_{head}": tiyn(event.compensation.get(head)) or 0 for head in HEADS}
        money.update({f"payable_{head}": tiyn(event.payable.get(head)) or 0 for head in HEADS})
        self.buffer(rulings).insert(
            case_id=str(event.originator_id), ruling_id=event.ruling_id, version=event.originator_version,
            decided_on=event.decided_on, judge_id=event.judge_id, disposition=event.disposition, finding=event.finding,
            harm_found=event.harm_found, is_first=case["rulings_count"] == 0, **money,
            insurer_compensation=tiyn(event.insurer_compensation),
            contributory_fault_bp=int(event.contributory_fault_pct * 100),
            liable_respondents=list(event.liable_respondents),
            sanctions=[{k: (str(v) if k in ("amount_mci", "amount_kzt") else v) for k, v in s.items()} for s in event.sanctions],
            transferred_to=event.transferred_to,
        )
        self._touch(
            event, status="decided", rulings_count=case["rulings_count"] + 1, latest_ruling_id=event.ruling_id,
            decided_on=event.decided_on, disposition=event.disposition, finding=event.finding,
            transferred_to=event.transferred_to or case["transferred_to"],
        )

    @process_event.register
    def _appeal_filed(self, event: Case.AppealFiled, position: int) -> None:
        case = self._touch(event, status="appealed")
        self.buffer(appeals).insert(
            case_id=str(event.originator_id), appeal_id=event.appeal_id, ruling_id=case["latest_ruling_id"],
            filed_on=event.filed_on, appellant=event.appellant,
        )

    @process_event.register
    def _appeal_decided(self, event: Case.AppealDecided, position: int) -> None:
        self._touch(event)
        self.buffer(appeals).update(self._item(appeals, event, event.appeal_id), outcome=event.outcome, decided_on=event.decided_on)

    @process_event.register
    def _in_force(self, event: Case.RulingEnteredIntoForce, position: int) -> None:
        self._touch(event, status="in_force", in_force_on=event.in_force_on)

    @process_event.register
    def _reopened(self, event: Case.CaseReopened, position: int) -> None:
        case = self._case(event)
        if case["status"] != "pending":
            self._count_pending(case["judge_id"], case["received_on"], +1)
        self._touch(event, status="pending", in_force_on=None, reopenings_count=case["reopenings_count"] + 1)
        self.buffer(reopenings).insert(case_id=str(event.originator_id), version=event.originator_version, reopened_on=event.reopened_on, reason=event.reason)

    @process_event.register
    def _sealed(self, event: Case.CaseSealed, position: int) -> None:
        self._touch(event, sealed=True, seal_reason=event.reason)

    @process_event.register
    def _unsealed(self, event: Case.CaseUnsealed, position: int) -> None:
        self._touch(event, sealed=False, seal_reason=None)
