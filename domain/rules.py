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
    AppealNotAllowed,
    CaseClosed,
    CompensationAboveClaim,
    DomainError,
    ExpertNotIndependent,
    HearingNotSchedulable,
    InvalidValue,
    LiabilityNotForThisRespondent,
    LiabilityWithoutMalpractice,
    MediationNotAllowed,
    RulingNotReady,
    SanctionNotAllowed,
    TrackHarmMismatch,
)
from domain.vocabulary import (
    COMPENSATION_HEADS,
    HARMS,
    MERITS_DISPOSITIONS,
    SANCTION_KINDS,
    round_tiyn,
)

if TYPE_CHECKING:
    from domain.case import Case
    from domain.registry import Expert, Judge
    from domain.rulebook import RulebookVersion

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
        allowed = " or ".join(tracks_for_harm(harm))
        raise TrackHarmMismatch(
            f"{a_or_an(track)} case cannot be about {harm} harm: {track} cases hear "
            f"{', '.join(HARMS_BY_TRACK[track])} harm; {harm} harm belongs in {a_or_an(allowed, capital=False)} case",
            field=field,
        )


# --- R2, R3, R4 ----------------------------------------------------------------------------


def ensure_respondent_can_bear(track: str, respondent: dict[str, Any], sanction_kind: str | None) -> None:
    """R2: criminal liability only for individuals; certificate withdrawal only for specialists;
    licence sanctions only for organizations."""
    name, kind = respondent["name"], respondent["kind"]
    if track == "criminal" and kind != "specialist":
        raise LiabilityNotForThisRespondent(
            f"Criminal liability applies only to individuals: '{name}' is an organization",
            field="liable_respondents",
        )
    if sanction_kind == "certificate_withdrawal" and kind != "specialist":
        raise LiabilityNotForThisRespondent(
            f"Only a specialist's certificate can be withdrawn: '{name}' is an organization",
            field="sanctions",
        )
    if sanction_kind in ("licence_suspension", "licence_revocation") and kind != "organization":
        raise LiabilityNotForThisRespondent(
            f"Licence sanctions apply only to organizations: '{name}' is a specialist",
            field="sanctions",
        )


def ensure_liability_follows_malpractice(disposition: str, finding: str | None) -> None:
    """R3: sanctions and compensation from a respondent only on a finding of malpractice."""
    if disposition == "liability_found" and finding != "malpractice":
        shown = (finding or "none").replace("_", " ")
        raise LiabilityWithoutMalpractice(
            f"Liability can only be found on a finding of malpractice; the finding is '{shown}'. "
            "An incident or a medical error does not make a respondent liable",
            field="finding",
        )


def ensure_sanction_allowed(track: str, sanction: dict[str, Any], rulebook: RulebookVersion, incident_date: date) -> None:
    """R4: the sanction is one this track imposes and within the cap in force on the incident date."""
    kind = sanction["kind"]
    if kind not in SANCTION_KINDS[track]:
        allowed = ", ".join(k.replace("_", " ") for k in SANCTION_KINDS[track]) or "none (compensation only)"
        raise SanctionNotAllowed(
            f"{a_or_an(track)} case cannot impose {kind.replace('_', ' ')}; it imposes: {allowed}",
            field="sanctions",
        )
    in_force = f"in force on the incident date {incident_date} (rulebook of {rulebook.effective_from})"
    if kind == "fine":
        cap = rulebook.fine_cap_mci(track)
        amount = Decimal(str(sanction.get("amount_mci") or 0))
        if amount <= 0:
            raise SanctionNotAllowed("A fine needs an amount in MCI greater than zero", field="sanctions")
        if amount > cap:
            raise SanctionNotAllowed(
                f"{a_or_an(track)} fine of {amount} MCI exceeds the cap of {cap} MCI {in_force}",
                field="sanctions",
            )
    caps = {"imprisonment": rulebook.imprisonment_cap_months, "licence_suspension": rulebook.licence_suspension_cap_months}
    if kind in caps:
        months = int(sanction.get("months") or 0)
        if months <= 0:
            raise SanctionNotAllowed(f"{kind.replace('_', ' ').capitalize()} needs a number of months", field="sanctions")
        if months > caps[kind]:
            raise SanctionNotAllowed(
                f"{kind.replace('_', ' ').capitalize()} of {months} months exceeds the cap of "
                f"{caps[kind]} months {in_force}",
                field="sanctions",
            )


# --- R5 ------------------------------------------------------------------------------------


def ensure_judge_may_rule(case: Case, judge: Judge | None, decided_on: date) -> None:
    """R5: a final ruling needs an assigned, currently certified, not-recused judge."""
    if case.judge_id is None or judge is None:
        raise RulingNotReady("No judge is assigned to this case: assign a certified judge first", field="judge")
    if str(judge.id) != case.judge_id:
        raise RulingNotReady(f"Judge {judge.name} is not the judge assigned to this case", field="judge")
    if case.judge_id in case.recused_judges:
        raise RulingNotReady(f"Judge {judge.name} has recused from this case", field="judge")
    if not judge.is_certified_on(decided_on):
        raise RulingNotReady(
            f"Judge {judge.name} is not certified in medical law on {decided_on}: "
            "only certified judges rule in this court",
            field="judge",
        )


def ensure_expert_evidence_complete(case: Case) -> None:
    """R5: a merits ruling needs at least one submitted expert report and none still pending."""
    pending = [e["id"] for e in case.examinations.values() if e["status"] == "ordered"]
    if pending:
        raise RulingNotReady(
            f"Expert examination {', '.join(pending)} is still pending: record its report or withdraw it "
            "before ruling on the merits",
            field="disposition",
        )
    if not any(e["status"] == "reported" for e in case.examinations.values()):
        raise RulingNotReady(
            "A ruling on the merits needs at least one submitted expert report; none has been recorded",
            field="disposition",
        )


# --- R6 ------------------------------------------------------------------------------------


def ensure_expert_independent(case: Case, expert: Expert, today: date) -> None:
    """R6: the expert is not a party, nor affiliated with a respondent organization
    on the incident date or today."""
    def same(a: str | None, b: str | None) -> bool:
        return bool(a and b and " ".join(a.lower().split()) == " ".join(b.lower().split()))

    for party in [case.claimant, *case.respondents]:
        if same(party["name"], expert.name) or same(party.get("certificate_no"), expert.certificate_no):
            raise ExpertNotIndependent(
                f"Expert {expert.name} cannot examine this case: they are a party to it", field="experts"
            )
    for respondent in case.respondents:
        if respondent["kind"] != "organization":
            continue
        for affiliation in expert.affiliations_with(respondent["bin"], case.incident_date, today):
            until = affiliation["valid_to"] or "present"
            raise ExpertNotIndependent(
                f"Expert {expert.name} is affiliated with respondent '{respondent['name']}' "
                f"(BIN {respondent['bin']}, {affiliation['valid_from']} to {until}), "
                f"overlapping the incident date {case.incident_date} or today",
                field="experts",
            )


# --- R7 ------------------------------------------------------------------------------------


def ensure_hearing_schedulable(case: Case, starts_at: datetime, now: datetime) -> None:
    """R7: a hearing needs an assigned judge and a start in the future.
    (Double-booking is refused by the court's calendar, which sees every case.)"""
    if case.judge_id is None:
        raise HearingNotSchedulable("Assign a judge before scheduling a hearing", field="judge")
    if starts_at >= LATEST_HEARING:
        # Not a date any court keeps (and past the last instant a calendar can compute a hearing's end for).
        raise InvalidValue(f"A hearing cannot be scheduled after {LATEST_HEARING.year - 1}", field="starts_at")
    if starts_at <= now:
        raise HearingNotSchedulable("A hearing must be scheduled to start in the future", field="starts_at")
    if (starts_at - now).days > HEARING_HORIZON_DAYS:
        raise InvalidValue("A hearing is scheduled at most two years ahead", field="starts_at")


def overlaps(a_start: datetime, a_minutes: int, b_start: datetime, b_minutes: int) -> bool:
    return a_start < b_start + timedelta(minutes=b_minutes) and b_start < a_start + timedelta(minutes=a_minutes)


# --- R8 ------------------------------------------------------------------------------------


def ensure_case_open(case: Case, action: str) -> None:
    """R8: after a final ruling only appeals, sealing, corrections and documents are accepted."""
    if case.status != "pending":
        raise CaseClosed(
            f"Cannot {action}: the case was decided on {case.ruling['decided_on'] if case.ruling else '?'} "
            f"({case.status.replace('_', ' ')}); it accepts only appeals, sealing, corrections and "
            "documents until a remand reopens it"
        )


def ensure_appeal_allowed(case: Case, filed_on: date, rulebook: RulebookVersion) -> None:
    """R8: an appeal against the ruling within the track's appeal window, one at a time."""
    if case.ruling is None or case.status == "pending":
        raise AppealNotAllowed("There is no ruling to appeal", field="filed_on")
    if case.status == "appealed":
        raise AppealNotAllowed("An appeal against this ruling is already pending", field="filed_on")
    if case.status == "in_force":
        raise AppealNotAllowed(
            f"The ruling entered into legal force on {case.in_force_on}; it can no longer be appealed",
            field="filed_on",
        )
    decided_on = case.ruling["decided_on"]
    deadline = rulebook.appeal_deadline(case.track, decided_on)
    if filed_on < decided_on:
        raise AppealNotAllowed(f"An appeal cannot be filed before the ruling ({decided_on})", field="filed_on")
    if filed_on > deadline:
        raise AppealNotAllowed(
            f"The appeal window for this {case.track} ruling of {decided_on} closed on {deadline}; "
            f"an appeal filed on {filed_on} is too late",
            field="filed_on",
        )


# --- R9 ------------------------------------------------------------------------------------


def ensure_compensation_within_claim(claimed: dict[str, Decimal], awarded: dict[str, Decimal]) -> None:
    """R9: compensation awarded per head never exceeds the amount claimed for that head."""
    for head, amount in awarded.items():
        limit = claimed.get(head, Decimal("0.00"))
        if amount > limit:
            raise CompensationAboveClaim(
                f"Compensation for {head.replace('_', ' ')} ({amount:,.2f} KZT) exceeds the amount "
                f"claimed for it ({limit:,.2f} KZT)",
                field=f"compensation.{head}",
            )


def payable_amount(awarded: Decimal, contributory_fault_pct: Decimal) -> Decimal:
    """R9: payable = awarded x (1 - contributory fault / 100), rounded half-up to the tiyn."""
    return round_tiyn(awarded * (Decimal(100) - contributory_fault_pct) / Decimal(100))


# --- R10 -----------------------------------------------------------------------------------


def ensure_mediation_allowed(case: Case) -> None:
    """R10: mediation in civil cases, reconciliation in criminal ones, never in administrative
    cases; one open at a time."""
    if case.track == "administrative":
        raise MediationNotAllowed("Administrative cases cannot be referred to mediation", field="mediator")
    if case.open_mediation() is not None:
        raise MediationNotAllowed("A mediation is already open in this case; conclude it first", field="mediator")


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
                  _ruling_compensation, _ruling_settlement, _ruling_transfer):
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
        raise MediationNotAllowed("A mediation is still open: record its outcome before the ruling", field="disposition")


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
            ensure_sanction_allowed(case.track, sanction, rulebook, case.incident_date)
            ensure_respondent_can_bear(case.track, respondents[sanction["respondent_id"]], sanction["kind"])
        if case.track != "civil" and not ruling["sanctions"]:
            raise SanctionNotAllowed(f"{a_or_an(case.track)} finding of liability needs at least one sanction", field="sanctions")
    else:
        if ruling.get("liable_respondents") or ruling.get("sanctions"):
            raise LiabilityWithoutMalpractice(
                "Only a ruling finding liability names liable respondents or imposes sanctions", field="liable_respondents"
            )
        if any(ruling.get("compensation", {}).values()):
            raise LiabilityWithoutMalpractice(
                "Compensation from a respondent requires a finding of liability; "
                "no-fault compensation goes under 'insurer compensation'",
                field="compensation",
            )


def _ruling_compensation(case: Case, ruling: dict[str, Any], judge: Judge | None, rulebook: RulebookVersion, today: date) -> None:
    if case.track != "civil" and any(ruling.get("compensation", {}).values()):
        raise SanctionNotAllowed(f"{a_or_an(case.track)} case does not award compensation", field="compensation")
    ensure_compensation_within_claim(case.claimed, ruling.get("compensation", {}))
    pct = ruling.get("contributory_fault_pct", Decimal(0))
    if not (Decimal(0) <= pct < Decimal(100)):
        raise InvalidValue("Contributory fault is a percentage from 0 up to (not including) 100", field="contributory_fault_pct")


def _ruling_settlement(case: Case, ruling: dict[str, Any], judge: Judge | None, rulebook: RulebookVersion, today: date) -> None:
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


def compensation_heads(values: dict[str, Any]) -> list[str]:
    unknown = [head for head in values if head not in COMPENSATION_HEADS]
    if unknown:
        raise InvalidValue(f"Unknown compensation head: {', '.join(unknown)}", field="compensation")
    return list(values)
