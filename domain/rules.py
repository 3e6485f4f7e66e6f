"""The court's rules (DOMAIN.md section 3), each in one place and named after what it means.

Each ``ensure_*`` function raises the rule's own error with a message a clerk
understands, or returns quietly. The ``Case`` aggregate calls them before it
records an event, and ``medcourt verify`` calls the same functions on the
recorded history, so a rule is stated once and checked in both directions.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from domain.errors import (
    ActorNotResponsible,
    AppealNotAllowed,
    CaseClosed,
    CompensationAboveClaim,
    CorrectionInconsistent,
    DomainError,
    ExpertNotIndependent,
    ExpertSpecialtyMismatch,
    HearingNotSchedulable,
    InvalidValue,
    JudgeNotAssignable,
    LiabilityNotForThisRespondent,
    LiabilityWithoutMalpractice,
    MediationNotAllowed,
    NotFound,
    RulingNotReady,
    SanctionNotAllowed,
    TrackHarmMismatch,
)
from domain.permissions import ensure_permitted
from domain.vocabulary import (
    COMPENSATION_HEADS,
    HARMS,
    MERITS_DISPOSITIONS,
    SANCTION_KINDS,
    Actor,
    round_tiyn,
)

if TYPE_CHECKING:
    from domain.case import Case
    from domain.registry import Expert, Judge
    from domain.rulebook import RulebookVersion

# Every rule of DOMAIN.md section 3: what it says, and the named checks below that enforce it.
# docs/rules.md is generated from this table and domain.messages (scripts/rules_doc.py).
RULES: dict[str, tuple[str, tuple[str, ...]]] = {
    "R1": ("Track and harm agree, at filing and at a liability ruling", ("ensure_track_matches_harm",)),
    "R2": ("Criminal liability only for individuals, certificates only for specialists, licences only for organizations; "
           "a criminal case names a specialist", ("ensure_respondent_can_bear", "ensure_criminal_case_names_specialist")),
    "R3": ("Liability only on malpractice; no-fault insurer compensation only in civil merits rulings (incident or medical "
           "error, harm at least minor) or settlements", ("ensure_liability_follows_malpractice", "ensure_insurer_compensation_allowed")),
    "R4": ("Sanctions per track, capped per respondent by the rulebook in force on the incident date; fines in MCI and KZT",
           ("ensure_sanction_allowed", "ensure_sanctions_within_caps", "fine_kzt")),
    "R5": ("A ruling needs an assigned, certified, not-recused judge; a merits ruling needs a report and none pending",
           ("ensure_judge_may_be_assigned", "ensure_judge_may_rule", "ensure_expert_evidence_complete")),
    "R6": ("Experts are independent of the parties and of respondent organizations", ("ensure_expert_independent",)),
    "R7": ("Hearings need a judge and a future start, and never double-book a judge or a courtroom",
           ("ensure_hearing_schedulable", "overlaps", "CourtCalendar.book")),
    "R8": ("After a ruling only appeals (within the window), sealing, corrections and documents", ("ensure_case_open", "ensure_appeal_allowed")),
    "R9": ("Compensation within the claim per head; payable = awarded x (1 - fault %), half-up to the tiyn",
           ("ensure_compensation_within_claim", "payable_amount")),
    "R10": ("Mediation in civil cases, reconciliation in criminal ones, one at a time; settled only civil, terminated only criminal",
            ("ensure_mediation_allowed", "ensure_disposition_fits_track")),
    "R11": ("Sealed cases are seen only by their judge, their court's clerks and administrators, every view recorded; "
            "nothing else reveals them", ("may_see_sealed_case", "ensure_may_see_case", "Docket.read_case")),
    "R12": ("Money is Decimal KZT with two places", ("vocabulary.money", "round_tiyn")),
    "R13": ("Docket numbers unique and gap-free per court, year and track", ("DocketSequence.issue_next", "is_docket_number")),
    "R14": ("Clerks act in their own court, judges on their assigned cases, for every way in",
            ("permissions.ensure_permitted", "ensure_actor_may_act")),
    "R15": ("Corrected dates stay in order with the case's other dates and in the docket number's year", ("ensure_correction_consistent",)),
    "R16": ("Appointed experts list the case's specialty or forensic medicine", ("ensure_expert_specialty",)),
    "R17": ("Deadlines ending on a weekend or a public holiday of Kazakhstan end on the next working day",
            ("deadline_on_working_day", "RulebookVersion.appeal_deadline", "RulebookVersion.consideration_deadline", "Case.order_examination")),
}

# R1: which harms each track hears (DOMAIN.md section 1).
HARMS_BY_TRACK: dict[str, tuple[str, ...]] = {
    "administrative": ("none", "minor"),
    "criminal": ("moderate", "serious", "death"),
    "civil": HARMS,
}

LATEST_HEARING = datetime(3000, 1, 1, tzinfo=UTC)  # as the API's dates, which end with 2999
# How far ahead a hearing may be set: a court's calendar, not a typo's (year 2999). Ours to tune.
HEARING_HORIZON_DAYS = 2 * 366


def a_or_an(word: str, *, capital: bool = True) -> str:
    """The article a message needs before ``word`` ("An administrative case", "a civil case")."""
    article = "an" if word[:1].lower() in "aeiou" else "a"
    return f"{article.capitalize() if capital else article} {word}"


def tracks_for_harm(harm: str) -> list[str]:
    return [track for track, harms in HARMS_BY_TRACK.items() if harm in harms]


# --- dates ---------------------------------------------------------------------------------


def ensure_not_in_future(day: date, today: date, *, what: str, field: str) -> None:
    """Dates of things that happened outside the system may be earlier than today, never later."""
    if day > today:
        raise InvalidValue(f"The {what} ({day}) cannot be in the future (today is {today})", field=field)


def ensure_not_before(day: date, earlier: date, *, what: str, earlier_what: str, field: str) -> None:
    if day < earlier:
        raise InvalidValue(f"The {what} ({day}) cannot be before the {earlier_what} ({earlier})", field=field)


# --- R1 ------------------------------------------------------------------------------------


def ensure_track_matches_harm(track: str, harm: str, *, field: str = "alleged_harm") -> None:
    """R1: administrative hears no or minor harm, criminal moderate harm or worse, civil any harm."""
    if harm not in HARMS_BY_TRACK[track]:
        raise TrackHarmMismatch(
            code="R1.track_harm_mismatch", field=field, track=track, harm=harm,
            allowed_harms=list(HARMS_BY_TRACK[track]), allowed_tracks=tracks_for_harm(harm),
        )


# --- R2, R3, R4 ----------------------------------------------------------------------------


def ensure_respondent_can_bear(track: str, respondent: dict[str, Any], sanction_kind: str | None) -> None:
    """R2: criminal liability only for individuals; certificate withdrawal only for specialists;
    licence sanctions only for organizations."""
    name, kind = respondent["name"], respondent["kind"]
    if track == "criminal" and kind != "specialist":
        raise LiabilityNotForThisRespondent(code="R2.criminal_liability_individuals_only", field="liable_respondents", name=name)
    if sanction_kind == "certificate_withdrawal" and kind != "specialist":
        raise LiabilityNotForThisRespondent(code="R2.certificate_specialists_only", field="sanctions", name=name)
    if sanction_kind in ("licence_suspension", "licence_revocation") and kind != "organization":
        raise LiabilityNotForThisRespondent(code="R2.licence_organizations_only", field="sanctions", name=name)


def ensure_criminal_case_names_specialist(track: str, respondents: list[dict[str, Any]]) -> None:
    """R2: a criminal case names at least one specialist (an individual), at filing and on transfer."""
    if track == "criminal" and not any(r.get("kind") == "specialist" for r in respondents):
        raise LiabilityNotForThisRespondent(code="R2.criminal_case_needs_specialist", field="respondents")


def ensure_insurer_compensation_allowed(track: str, ruling: dict[str, Any]) -> None:
    """R3: no-fault (HCPL insurer) compensation only in a civil case: in a merits ruling finding an incident
    or a medical error with harm found at least minor, or in an approved settlement."""
    if not ruling.get("insurer_compensation"):
        return
    disposition = ruling["disposition"]
    if track != "civil":
        raise LiabilityWithoutMalpractice(code="R3.insurer_civil_only", field="insurer_compensation", track=track)
    if disposition == "settled":
        return
    if disposition not in MERITS_DISPOSITIONS:
        raise LiabilityWithoutMalpractice(code="R3.insurer_not_with_disposition", field="insurer_compensation", disposition=disposition)
    finding, harm = ruling.get("finding") or "none", ruling.get("harm_found") or "none"
    if finding not in NO_FAULT_FINDINGS or HARMS.index(harm) < HARMS.index("minor"):
        raise LiabilityWithoutMalpractice(code="R3.insurer_needs_no_fault_finding", field="insurer_compensation", finding=finding, harm=harm)


NO_FAULT_FINDINGS: tuple[str, ...] = ("incident", "medical_error")


def ensure_liability_follows_malpractice(disposition: str, finding: str | None) -> None:
    """R3: sanctions and compensation from a respondent only on a finding of malpractice."""
    if disposition == "liability_found" and finding != "malpractice":
        raise LiabilityWithoutMalpractice(code="R3.liability_needs_malpractice", field="finding", finding=finding or "none")


def ensure_sanction_allowed(track: str, sanction: dict[str, Any]) -> None:
    """R4: the sanction is one this track imposes, with a positive amount or term."""
    kind = sanction["kind"]
    if kind not in SANCTION_KINDS[track]:
        if not SANCTION_KINDS[track]:
            raise SanctionNotAllowed(code="R4.no_sanctions_on_track", field="sanctions", track=track)
        raise SanctionNotAllowed(
            code="R4.sanction_not_for_track", field="sanctions", track=track, kind=kind, allowed_kinds=list(SANCTION_KINDS[track])
        )
    if kind == "fine" and Decimal(str(sanction.get("amount_mci") or 0)) <= 0:
        raise SanctionNotAllowed(code="R4.fine_needs_amount", field="sanctions")
    if kind in TERM_SANCTIONS and int(sanction.get("months") or 0) <= 0:
        raise SanctionNotAllowed(code="R4.term_needs_months", field="sanctions", kind=kind)


TERM_SANCTIONS: tuple[str, ...] = ("imprisonment", "licence_suspension")


def ensure_sanctions_within_caps(
    track: str, sanctions: list[dict[str, Any]], respondents: dict[str, dict[str, Any]], rulebook: RulebookVersion, incident_date: date
) -> None:
    """R4: per respondent, the fines (in MCI) and the months of each term added up stay within the caps
    of the rulebook in force on the incident date."""
    fines: dict[str, Decimal] = {}
    months: dict[tuple[str, str], int] = {}
    for sanction in sanctions:
        rid, kind = sanction["respondent_id"], sanction["kind"]
        if kind == "fine":
            fines[rid] = fines.get(rid, Decimal(0)) + Decimal(str(sanction.get("amount_mci") or 0))
        elif kind in TERM_SANCTIONS:
            months[(rid, kind)] = months.get((rid, kind), 0) + int(sanction.get("months") or 0)
    for rid, amount in fines.items():
        cap = rulebook.fine_cap_mci(track)
        if amount > cap:
            raise SanctionNotAllowed(
                code="R4.fine_over_cap", field="sanctions", name=respondents.get(rid, {}).get("name", rid), amount=f"{amount.normalize():f}",
                kzt=f"{fine_kzt(amount, rulebook, incident_date):,.2f}", cap=cap, track=track, incident_date=incident_date.isoformat(),
                rulebook=rulebook.effective_from.isoformat(),
            )
    caps = {"imprisonment": rulebook.imprisonment_cap_months, "licence_suspension": rulebook.licence_suspension_cap_months}
    for (rid, kind), total in months.items():
        if total > caps[kind]:
            raise SanctionNotAllowed(
                code="R4.term_over_cap", field="sanctions", kind=kind, name=respondents.get(rid, {}).get("name", rid),
                months=total, cap=caps[kind], incident_date=incident_date.isoformat(), rulebook=rulebook.effective_from.isoformat(),
            )


def fine_kzt(amount_mci: Decimal, rulebook: RulebookVersion, incident_date: date) -> Decimal:
    """R4: a fine's KZT value at the MCI in force on the incident date."""
    return round_tiyn(amount_mci * rulebook.mci_on(incident_date))


# --- R5 ------------------------------------------------------------------------------------


def ensure_judge_may_rule(case: Case, judge: Judge | None, decided_on: date) -> None:
    """R5: a final ruling needs an assigned, currently certified, not-recused judge."""
    if case.judge_id is None or judge is None:
        raise RulingNotReady(code="R5.no_judge", field="judge")
    if str(judge.id) != case.judge_id:
        raise RulingNotReady(code="R5.not_the_assigned_judge", field="judge", judge=judge.name)
    if case.judge_id in case.recused_judges:
        raise RulingNotReady(code="R5.judge_recused", field="judge", judge=judge.name)
    if not judge.is_certified_on(decided_on):
        raise RulingNotReady(code="R5.judge_not_certified", field="judge", judge=judge.name, day=decided_on.isoformat())


def ensure_judge_may_be_assigned(case: Case, judge: Judge, today: date) -> None:
    """R5: a judge assigned to a case sits in its court, has not recused from it and is certified today."""
    if judge.court != case.court:
        raise JudgeNotAssignable(code="R5.judge_of_other_court", field="judge", judge=judge.name, judge_court=judge.court, court=case.court)
    if str(judge.id) in case.recused_judges:
        raise JudgeNotAssignable(code="R5.judge_recused", field="judge", judge=judge.name)
    if not judge.is_certified_on(today):
        raise JudgeNotAssignable(code="R5.judge_not_certified_today", field="judge", judge=judge.name)


def ensure_expert_evidence_complete(case: Case) -> None:
    """R5: a merits ruling needs at least one submitted expert report and none still pending."""
    pending = [e["id"] for e in case.examinations.values() if e["status"] == "ordered"]
    if pending:
        raise RulingNotReady(code="R5.examination_pending", field="disposition", examinations=pending)
    if not any(e["status"] == "reported" for e in case.examinations.values()):
        raise RulingNotReady(code="R5.no_expert_report", field="disposition")


# --- R6 ------------------------------------------------------------------------------------


def ensure_expert_independent(case: Case, expert: Expert, today: date) -> None:
    """R6: the expert is not a party, nor affiliated with a respondent organization
    on the incident date or today."""
    def same(a: str | None, b: str | None) -> bool:
        return bool(a and b and " ".join(a.lower().split()) == " ".join(b.lower().split()))

    for party in [case.claimant, *case.respondents]:
        if same(party["name"], expert.name) or same(party.get("certificate_no"), expert.certificate_no):
            raise ExpertNotIndependent(code="R6.expert_is_party", field="experts", expert=expert.name)
    for respondent in case.respondents:
        if respondent["kind"] != "organization":
            continue
        for affiliation in expert.affiliations_with(respondent["bin"], case.incident_date, today):
            raise ExpertNotIndependent(
                code="R6.expert_affiliated", field="experts", expert=expert.name, respondent=respondent["name"],
                bin=respondent["bin"], valid_from=str(affiliation["valid_from"]), valid_to=str(affiliation["valid_to"] or "present"),
                incident_date=case.incident_date.isoformat(),
            )


# --- R16 -----------------------------------------------------------------------------------

FORENSIC_MEDICINE = "forensic_medicine"


def ensure_expert_specialty(specialty: str, expert: Expert) -> None:
    """R16: every appointed expert lists the case's specialty (or forensic medicine)."""
    if specialty not in expert.specialties and FORENSIC_MEDICINE not in expert.specialties:
        raise ExpertSpecialtyMismatch(
            code="R16.expert_specialty", field="experts", expert=expert.name, specialty=specialty, specialties=list(expert.specialties)
        )


# --- R7 ------------------------------------------------------------------------------------


def ensure_hearing_schedulable(case: Case, starts_at: datetime, now: datetime) -> None:
    """R7: a hearing needs an assigned judge and a start in the future.
    (Double-booking is refused by the court's calendar, which sees every case.)"""
    if case.judge_id is None:
        raise HearingNotSchedulable(code="R7.hearing_needs_judge", field="judge")
    if starts_at >= LATEST_HEARING:
        # Not a date any court keeps (and past the last instant a calendar can compute a hearing's end for).
        raise InvalidValue(f"A hearing cannot be scheduled after {LATEST_HEARING.year - 1}", field="starts_at")
    if starts_at <= now:
        raise HearingNotSchedulable(code="R7.hearing_in_past", field="starts_at")
    if (starts_at - now).days > HEARING_HORIZON_DAYS:
        raise InvalidValue("A hearing is scheduled at most two years ahead", field="starts_at")


def overlaps(a_start: datetime, a_minutes: int, b_start: datetime, b_minutes: int) -> bool:
    return a_start < b_start + timedelta(minutes=b_minutes) and b_start < a_start + timedelta(minutes=a_minutes)


# --- R8 ------------------------------------------------------------------------------------


def ensure_case_open(case: Case, action: str) -> None:
    """R8: after a final ruling only appeals, sealing, corrections and documents are accepted."""
    if case.status != "pending":
        decided_on = case.ruling["decided_on"].isoformat() if case.ruling else "?"
        raise CaseClosed(code="R8.case_closed", decided_on=decided_on, status=case.status, action=action)


def ensure_appeal_allowed(case: Case, filed_on: date, rulebook: RulebookVersion) -> None:
    """R8: an appeal against the ruling within the track's appeal window, one at a time."""
    if case.ruling is None or case.status == "pending":
        raise AppealNotAllowed(code="R8.no_ruling_to_appeal", field="filed_on")
    if case.status == "appealed":
        raise AppealNotAllowed(code="R8.appeal_pending", field="filed_on")
    if case.status == "in_force":
        raise AppealNotAllowed(code="R8.ruling_in_force", field="filed_on", in_force_on=str(case.in_force_on))
    decided_on = case.ruling["decided_on"]
    deadline = rulebook.appeal_deadline(case.track, decided_on)
    if filed_on < decided_on:
        raise AppealNotAllowed(code="R8.appeal_before_ruling", field="filed_on", decided_on=decided_on.isoformat())
    if filed_on > deadline:
        raise AppealNotAllowed(
            code="R8.appeal_too_late", field="filed_on", track=case.track, decided_on=decided_on.isoformat(),
            deadline=deadline.isoformat(), filed_on=filed_on.isoformat(),
        )


# --- R9 ------------------------------------------------------------------------------------


def ensure_compensation_within_claim(claimed: dict[str, Decimal], awarded: dict[str, Decimal]) -> None:
    """R9: compensation awarded per head never exceeds the amount claimed for that head."""
    for head, amount in awarded.items():
        limit = claimed.get(head, Decimal("0.00"))
        if amount > limit:
            raise CompensationAboveClaim(
                code="R9.compensation_above_claim", field=f"compensation.{head}", head=head, amount=f"{amount:,.2f}", claimed=f"{limit:,.2f}"
            )


def payable_amount(awarded: Decimal, contributory_fault_pct: Decimal) -> Decimal:
    """R9: payable = awarded x (1 - contributory fault / 100), rounded half-up to the tiyn."""
    return round_tiyn(awarded * (Decimal(100) - contributory_fault_pct) / Decimal(100))


# --- R10 -----------------------------------------------------------------------------------


def ensure_mediation_allowed(case: Case) -> None:
    """R10: mediation in civil cases, reconciliation in criminal ones, never in administrative
    cases; one open at a time."""
    if case.track == "administrative":
        raise MediationNotAllowed(code="R10.mediation_administrative", field="mediator")
    if case.open_mediation() is not None:
        raise MediationNotAllowed(code="R10.mediation_already_open", field="mediator")


def ensure_disposition_fits_track(track: str, disposition: str) -> None:
    """R10: only a civil case ends settled; only a criminal case ends terminated by reconciliation;
    an administrative case ends neither way."""
    if disposition == "settled" and track != "civil":
        raise MediationNotAllowed(code="R10.settled_civil_only", field="disposition", track=track)
    if disposition == "terminated" and track != "criminal":
        raise MediationNotAllowed(code="R10.terminated_criminal_only", field="disposition", track=track)


# --- R11 -----------------------------------------------------------------------------------


def may_see_sealed_case(case_court: str, case_judge_id: str | None, viewer_role: str, viewer_court: str | None, viewer_judge_id: str | None) -> bool:
    """R11: a sealed case is seen only by its assigned judge, the clerks of its court and administrators."""
    if viewer_role == "admin":
        return True
    if viewer_role == "clerk":
        return viewer_court == case_court
    if viewer_role == "judge":
        return viewer_judge_id is not None and viewer_judge_id == case_judge_id
    return False


def ensure_may_see_case(docket_number: str, court: str, judge_id: str | None, sealed: bool, actor: Actor) -> None:
    """R11: a sealed case the actor may not see is answered exactly as a case that does not exist."""
    if sealed and actor["role"] != "system" and not may_see_sealed_case(court, judge_id, actor["role"], actor.get("court"), actor.get("judge_id")):
        raise NotFound(code="R11.not_on_docket", field="docket_number", docket_number=docket_number)


# --- R14 -----------------------------------------------------------------------------------


def ensure_actor_may_act(actor: Actor, action: str, court: str, judge_id: str | None, docket_number: str) -> None:
    """R14: the actor's role may take the action; a clerk acts only on cases of their own court (filing
    included); a judge only on the cases assigned to them. Administrators and the worker act on any case."""
    ensure_permitted(actor, action)
    role = actor["role"]
    if role == "clerk":
        if not actor.get("court"):
            raise ActorNotResponsible(code="R14.clerk_without_court")
        if actor.get("court") != court:
            raise ActorNotResponsible(code="R14.clerk_other_court", actor_court=actor.get("court"), court=court)
    elif role == "judge" and (not actor.get("judge_id") or actor.get("judge_id") != judge_id):
        raise ActorNotResponsible(code="R14.judge_not_assigned", docket_number=docket_number)


# --- R15 -----------------------------------------------------------------------------------


def dated_entries(case: Case) -> list[tuple[str, date]]:
    """Every dated event of the case after its receipt, as (what, date): documents, orders, reports,
    mediations, rulings, appeals and reopenings."""
    entries: list[tuple[str, date]] = []
    entries += [("document_received_on", d["received_on"]) for d in case.documents.values()]
    for examination in case.examinations.values():
        entries.append(("examination_ordered_on", examination["ordered_on"]))
        if examination.get("report"):
            entries.append(("report_received_on", examination["report"]["received_on"]))
    for mediation in case.mediations:
        entries.append(("mediation_referred_on", mediation["referred_on"]))
        if mediation.get("concluded_on"):
            entries.append(("mediation_concluded_on", mediation["concluded_on"]))
    if case.ruling:
        entries.append(("decided_on", case.ruling["decided_on"]))
    entries += [("appeal_filed_on", a["filed_on"]) for a in case.appeals.values()]
    entries += [("reopened_on", r["reopened_on"]) for r in case.reopenings]
    return entries


def ensure_correction_consistent(case: Case, entry_type: str, corrects_version: int, corrections: dict[str, Any]) -> None:
    """R15: a corrected date stays in order with every other dated event of the case
    (incident <= received <= every later event), and a corrected receipt stays in the docket number's year."""
    if entry_type == "CaseFiled":
        incident = corrections.get("incident_date", case.incident_date)
        received = corrections.get("received_on", case.received_on)
        if incident > received:
            what = "incident_date" if "incident_date" in corrections else "received_on"
            if what == "incident_date":
                raise CorrectionInconsistent(code="R15.correction_out_of_order", field="corrections", what=what, value=incident.isoformat(), other="received_on", other_day=received.isoformat())
            raise CorrectionInconsistent(code="R15.correction_before", field="corrections", what=what, value=received.isoformat(), other="incident_date", other_day=incident.isoformat())
        if "received_on" in corrections:
            year = int(case.docket_number.split("-")[1])
            if received.year != year:
                raise CorrectionInconsistent(code="R15.correction_outside_docket_year", field="corrections", value=received.isoformat(), year=year)
            later = [entry for entry in dated_entries(case) if entry[1] < received]
            if later:
                other, other_day = min(later, key=lambda entry: entry[1])
                raise CorrectionInconsistent(code="R15.correction_out_of_order", field="corrections", what="received_on", value=received.isoformat(), other=other, other_day=other_day.isoformat())
    elif entry_type == "DocumentFiled" and "received_on" in corrections:
        if corrections["received_on"] < case.received_on:
            raise CorrectionInconsistent(code="R15.correction_before", field="corrections", what="document_received_on", value=corrections["received_on"].isoformat(), other="received_on", other_day=case.received_on.isoformat())
    elif entry_type == "ExpertReportSubmitted" and "received_on" in corrections:
        for examination in case.examinations.values():
            report = examination.get("report")
            if report and report.get("version") == corrects_version and corrections["received_on"] < examination["ordered_on"]:
                raise CorrectionInconsistent(code="R15.correction_before", field="corrections", what="report_received_on", value=corrections["received_on"].isoformat(), other="examination_ordered_on", other_day=examination["ordered_on"].isoformat())


# --- R17 -----------------------------------------------------------------------------------


def is_working_day(day: date, non_working_days: frozenset[date]) -> bool:
    """R17: Saturdays, Sundays and the rulebook's public holidays are not working days."""
    return day.weekday() < 5 and day not in non_working_days


def deadline_on_working_day(day: date, non_working_days: frozenset[date]) -> date:
    """R17: a deadline that ends on a non-working day ends on the next working day."""
    while not is_working_day(day, non_working_days):
        day += timedelta(days=1)
    return day


# --- rulings: all of the above, composed ---------------------------------------------------


def ruling_refusals(
    case: Case,
    ruling: dict[str, Any],
    judge: Judge | None,
    rulebook: RulebookVersion,
    today: date,
) -> list[DomainError]:
    """Every rule a final ruling breaks, in the order a judge would want to hear them.

    The checks are independent groups (dates, judge, mediation, merits and evidence, liability,
    compensation, settlement, transfer), so the ruling form can list all that block it at once.
    """
    refusals: list[DomainError] = []
    for check in (_ruling_dates, _ruling_judge, _ruling_mediation, _ruling_merits, _ruling_liability,
                  _ruling_compensation, _ruling_insurer, _ruling_settlement, _ruling_transfer):
        try:
            check(case, ruling, judge, rulebook, today)
        except DomainError as refusal:
            refusals.append(refusal)
    return refusals


def check_ruling(case: Case, ruling: dict[str, Any], judge: Judge | None, rulebook: RulebookVersion, today: date) -> None:
    """Raise the first rule a final ruling breaks (see ``ruling_refusals``)."""
    refusals = ruling_refusals(case, ruling, judge, rulebook, today)
    if refusals:
        raise refusals[0]


def _ruling_dates(case: Case, ruling: dict[str, Any], judge: Judge | None, rulebook: RulebookVersion, today: date) -> None:
    decided_on: date = ruling["decided_on"]
    ensure_not_in_future(decided_on, today, what="decision date", field="decided_on")
    ensure_not_before(decided_on, case.received_on, what="decision date", earlier_what="date of receipt", field="decided_on")


def _ruling_judge(case: Case, ruling: dict[str, Any], judge: Judge | None, rulebook: RulebookVersion, today: date) -> None:
    ensure_judge_may_rule(case, judge, ruling["decided_on"])


def _ruling_mediation(case: Case, ruling: dict[str, Any], judge: Judge | None, rulebook: RulebookVersion, today: date) -> None:
    if case.open_mediation() is not None:
        raise MediationNotAllowed(code="R10.mediation_still_open", field="disposition")


def _ruling_merits(case: Case, ruling: dict[str, Any], judge: Judge | None, rulebook: RulebookVersion, today: date) -> None:
    disposition = ruling["disposition"]
    if disposition in MERITS_DISPOSITIONS:
        if not ruling.get("finding"):
            raise InvalidValue("A ruling on the merits needs a finding", field="finding")
        if not ruling.get("harm_found"):
            raise InvalidValue("A ruling on the merits needs the harm found", field="harm_found")
        ensure_expert_evidence_complete(case)
    elif ruling.get("finding") or ruling.get("liable_respondents") or ruling.get("sanctions") or any(ruling.get("compensation", {}).values()):
        raise InvalidValue(
            f"A '{disposition}' ruling does not decide the merits: leave finding, liability and compensation empty",
            field="disposition",
        )


def _ruling_liability(case: Case, ruling: dict[str, Any], judge: Judge | None, rulebook: RulebookVersion, today: date) -> None:
    disposition = ruling["disposition"]
    if disposition not in MERITS_DISPOSITIONS:
        return  # _ruling_merits already refuses liability outside a merits ruling
    ensure_liability_follows_malpractice(disposition, ruling.get("finding"))
    if disposition == "liability_found":
        if ruling.get("harm_found"):
            ensure_track_matches_harm(case.track, ruling["harm_found"], field="harm_found")
        if not ruling["liable_respondents"]:
            raise InvalidValue("Name at least one liable respondent", field="liable_respondents")
        respondents = {r["id"]: r for r in case.respondents}
        for rid in ruling["liable_respondents"]:
            if rid not in respondents:
                raise InvalidValue(f"'{rid}' is not a respondent in this case", field="liable_respondents")
            ensure_respondent_can_bear(case.track, respondents[rid], None)
        for sanction in ruling["sanctions"]:
            if sanction["respondent_id"] not in ruling["liable_respondents"]:
                raise InvalidValue("Sanctions may only be imposed on a liable respondent", field="sanctions")
            ensure_sanction_allowed(case.track, sanction)
            ensure_respondent_can_bear(case.track, respondents[sanction["respondent_id"]], sanction["kind"])
        ensure_sanctions_within_caps(case.track, ruling["sanctions"], respondents, rulebook, case.incident_date)
        if case.track != "civil" and not ruling["sanctions"]:
            raise SanctionNotAllowed(code="R4.liability_needs_sanction", field="sanctions", track=case.track)
    else:
        if ruling.get("liable_respondents") or ruling.get("sanctions"):
            raise LiabilityWithoutMalpractice(code="R3.liability_only_when_found", field="liable_respondents")
        if any(ruling.get("compensation", {}).values()):
            raise LiabilityWithoutMalpractice(code="R3.compensation_needs_liability", field="compensation")


def _ruling_compensation(case: Case, ruling: dict[str, Any], judge: Judge | None, rulebook: RulebookVersion, today: date) -> None:
    if case.track != "civil" and any(ruling.get("compensation", {}).values()):
        raise SanctionNotAllowed(code="R4.no_compensation_on_track", field="compensation", track=case.track)
    ensure_compensation_within_claim(case.claimed, ruling.get("compensation", {}))
    pct = ruling.get("contributory_fault_pct", Decimal(0))
    if not (Decimal(0) <= pct < Decimal(100)):
        raise InvalidValue("Contributory fault is a percentage from 0 up to (not including) 100", field="contributory_fault_pct")


def _ruling_insurer(case: Case, ruling: dict[str, Any], judge: Judge | None, rulebook: RulebookVersion, today: date) -> None:
    ensure_insurer_compensation_allowed(case.track, ruling)


def _ruling_settlement(case: Case, ruling: dict[str, Any], judge: Judge | None, rulebook: RulebookVersion, today: date) -> None:
    ensure_disposition_fits_track(case.track, ruling["disposition"])
    if ruling["disposition"] == "settled":
        settled = any(m["outcome"] == "settled" for m in case.mediations)
        agreement = any(d["kind"] == "settlement_agreement" for d in case.documents.values())
        if not (settled or agreement):
            raise InvalidValue(
                "A settlement can be approved only after a settled mediation or with a settlement agreement on file",
                field="disposition",
            )


def _ruling_transfer(case: Case, ruling: dict[str, Any], judge: Judge | None, rulebook: RulebookVersion, today: date) -> None:
    if ruling["disposition"] == "transferred":
        target = ruling.get("transferred_to_track")
        if target not in HARMS_BY_TRACK or target == case.track:
            raise InvalidValue("A transfer names another track to requalify the case to", field="transferred_to_track")
        ensure_track_matches_harm(target, ruling.get("harm_found") or case.alleged_harm, field="transferred_to_track")
        ensure_criminal_case_names_specialist(target, case.respondents)


def compensation_heads(values: dict[str, Any]) -> list[str]:
    unknown = [head for head in values if head not in COMPENSATION_HEADS]
    if unknown:
        raise InvalidValue(f"Unknown compensation head: {', '.join(unknown)}", field="compensation")
    return list(values)
