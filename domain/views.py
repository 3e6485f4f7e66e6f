"""Read-only, typed views of a case, for pages and API responses.

The ``Case`` aggregate keeps its state in plain dicts and lists, shaped for replaying
events; a page or an endpoint that reads them (``case.hearings[id]["status"]``) depends on
that shape. These frozen dataclasses are what readers get instead (``CaseView.of(case)``):
named, typed fields, nothing to mutate, and lookups that say "no such hearing" with ``None``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Mapping

    from domain.case import Case


@dataclass(frozen=True)
class PartyView:
    """The claimant, a respondent, the prosecutor or inspecting authority, or a representative."""

    name: str
    kind: str | None = None  # a respondent's "specialist" or "organization"; an authority's kind
    id: str | None = None  # a respondent's id in the case (R2, R6 name them by it)
    certificate_no: str | None = None
    bin: str | None = None
    organization_bin: str | None = None  # a specialist's employer, when named
    relation: str | None = None  # the claimant's: patient, relative...
    represents: str | None = None  # a representative's client

    @classmethod
    def of(cls, party: Mapping[str, Any]) -> PartyView:
        return cls(
            name=str(party.get("name") or ""), kind=party.get("kind"), id=party.get("id"), certificate_no=party.get("certificate_no"),
            bin=party.get("bin"), organization_bin=party.get("organization_bin"), relation=party.get("relation"), represents=party.get("represents"),
        )


@dataclass(frozen=True)
class DocumentView:
    id: str
    kind: str
    title: str
    filed_by: str
    received_on: date
    sha256: str
    size: int
    media_type: str
    version: int


@dataclass(frozen=True)
class ExpertRef:
    id: str
    name: str


@dataclass(frozen=True)
class ReportView:
    received_on: date
    standard_of_care_met: str
    causation: str
    harm_found: str
    summary: str
    document_id: str | None
    version: int


@dataclass(frozen=True)
class ExaminationView:
    id: str
    kind: str
    questions: tuple[str, ...]
    experts: tuple[ExpertRef, ...]
    ordered_on: date
    due_on: date
    status: str  # ordered, reported, withdrawn
    report: ReportView | None


@dataclass(frozen=True)
class HearingView:
    id: str
    starts_at: datetime
    first_starts_at: datetime
    duration_minutes: int
    courtroom: str
    purpose: str
    status: str  # scheduled, held, cancelled
    reschedulings: int
    version: int
    minutes_summary: str | None = None
    held_version: int | None = None  # the entry that recorded the hearing held


@dataclass(frozen=True)
class MediationView:
    id: str
    mediator_id: str
    mediator_name: str
    referred_on: date
    due_on: date
    outcome: str | None  # None while open
    concluded_on: date | None


@dataclass(frozen=True)
class SanctionView:
    respondent_id: str
    kind: str
    amount_mci: Decimal | None = None
    amount_kzt: Decimal | None = None  # a fine's value in KZT at the incident date's MCI (R4)
    months: int | None = None


@dataclass(frozen=True)
class RulingView:
    ruling_id: str
    decided_on: date
    judge_id: str | None
    disposition: str
    finding: str | None
    harm_found: str | None
    liable_respondents: tuple[str, ...]
    sanctions: tuple[SanctionView, ...]
    compensation: Mapping[str, Decimal]
    contributory_fault_pct: Decimal
    payable: Mapping[str, Decimal]
    insurer_compensation: Decimal | None
    reasoning: str
    recommendation: str
    transferred_to_track: str | None

    @classmethod
    def of(cls, ruling: Mapping[str, Any]) -> RulingView:
        return cls(
            ruling_id=ruling["ruling_id"], decided_on=ruling["decided_on"], judge_id=ruling.get("judge_id"), disposition=ruling["disposition"],
            finding=ruling.get("finding"), harm_found=ruling.get("harm_found"), liable_respondents=tuple(ruling.get("liable_respondents") or ()),
            sanctions=tuple(SanctionView(**s) for s in ruling.get("sanctions") or ()),
            compensation=MappingProxyType(dict(ruling.get("compensation") or {})), contributory_fault_pct=ruling.get("contributory_fault_pct", Decimal(0)),
            payable=MappingProxyType(dict(ruling.get("payable") or {})), insurer_compensation=ruling.get("insurer_compensation"),
            reasoning=ruling.get("reasoning") or "", recommendation=ruling.get("recommendation") or "",
            transferred_to_track=ruling.get("transferred_to_track"),
        )


@dataclass(frozen=True)
class AppealView:
    id: str
    filed_on: date
    appellant: str
    outcome: str | None  # None while pending
    decided_on: date | None


@dataclass(frozen=True)
class CorrectionView:
    """A docket entry corrected: which entry (by version), what changed, and why."""

    corrects_version: int
    entry_type: str
    reason: str
    corrections: Mapping[str, Any]


@dataclass(frozen=True)
class ReopeningView:
    reopened_on: date
    reason: str


@dataclass(frozen=True)
class CaseView:
    docket_number: str
    version: int
    track: str
    court: str
    received_on: date
    specialty: str
    alleged_harm: str
    incident_date: date
    claimant: PartyView
    respondents: tuple[PartyView, ...]
    authority: PartyView | None
    representatives: tuple[PartyView, ...]
    claimed: Mapping[str, Decimal]
    summary: str
    status: str
    judge_id: str | None
    judge_name: str | None
    sealed: bool
    seal_reason: str | None
    transferred_from: str | None
    transferred_to: str | None
    in_force_on: date | None
    documents: tuple[DocumentView, ...]
    examinations: tuple[ExaminationView, ...]
    hearings: tuple[HearingView, ...]
    mediations: tuple[MediationView, ...]
    ruling: RulingView | None
    rulings_count: int = 0
    appeals: tuple[AppealView, ...] = ()
    reopenings: tuple[ReopeningView, ...] = ()
    corrections: tuple[CorrectionView, ...] = ()
    recused_judges: tuple[str, ...] = ()

    @classmethod
    def of(cls, case: Case) -> CaseView:
        def report(raw: Mapping[str, Any] | None) -> ReportView | None:
            return None if raw is None else ReportView(**raw)

        return cls(
            docket_number=case.docket_number, version=case.version, track=case.track, court=case.court, received_on=case.received_on,
            specialty=case.specialty, alleged_harm=case.alleged_harm, incident_date=case.incident_date,
            claimant=PartyView.of(case.claimant), respondents=tuple(PartyView.of(r) for r in case.respondents),
            authority=PartyView.of(case.authority) if case.authority else None,
            representatives=tuple(PartyView.of(r) for r in case.representatives),
            claimed=MappingProxyType(dict(case.claimed)), summary=case.summary or "", status=case.status,
            judge_id=case.judge_id, judge_name=case.judge_name, sealed=case.sealed, seal_reason=case.seal_reason,
            transferred_from=case.transferred_from, transferred_to=case.transferred_to, in_force_on=case.in_force_on,
            documents=tuple(DocumentView(**d) for d in case.documents.values()),
            examinations=tuple(
                ExaminationView(
                    id=e["id"], kind=e["kind"], questions=tuple(e["questions"]), experts=tuple(ExpertRef(**x) for x in e["experts"]),
                    ordered_on=e["ordered_on"], due_on=e["due_on"], status=e["status"], report=report(e["report"]),
                )
                for e in case.examinations.values()
            ),
            hearings=tuple(
                HearingView(
                    id=h["id"], starts_at=h["starts_at"], first_starts_at=h["first_starts_at"], duration_minutes=h["duration_minutes"],
                    courtroom=h["courtroom"], purpose=h["purpose"], status=h["status"], reschedulings=h["reschedulings"],
                    version=h["version"], minutes_summary=h.get("minutes_summary"), held_version=h.get("held_version"),
                )
                for h in case.hearings.values()
            ),
            mediations=tuple(MediationView(**m) for m in case.mediations),
            ruling=RulingView.of(case.ruling) if case.ruling is not None else None, rulings_count=case.rulings_count,
            appeals=tuple(AppealView(**a) for a in case.appeals.values()),
            reopenings=tuple(ReopeningView(**r) for r in case.reopenings),
            corrections=tuple(
                CorrectionView(
                    corrects_version=c["corrects_version"], entry_type=c["entry_type"], reason=c["reason"],
                    corrections=MappingProxyType(dict(c["corrections"])),
                )
                for c in case.corrections
            ),
            recused_judges=tuple(case.recused_judges),
        )

    def document(self, document_id: str) -> DocumentView | None:
        return next((d for d in self.documents if d.id == document_id), None)

    def examination(self, examination_id: str) -> ExaminationView | None:
        return next((e for e in self.examinations if e.id == examination_id), None)

    def hearing(self, hearing_id: str) -> HearingView | None:
        return next((h for h in self.hearings if h.id == hearing_id), None)

    def appeal(self, appeal_id: str) -> AppealView | None:
        return next((a for a in self.appeals if a.id == appeal_id), None)

    def pending_appeal(self) -> AppealView | None:
        return next((a for a in self.appeals if a.outcome is None), None)

    def open_mediation(self) -> MediationView | None:
        return next((m for m in self.mediations if m.outcome is None), None)
