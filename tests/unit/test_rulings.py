"""Final rulings: R1 (harm found fits the track), R2 (who can be liable), R3 (liability needs
malpractice), R4 (sanctions and their caps), R5 (judge and expert evidence), R9 (compensation)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from domain import clock
from domain.errors import (
    ActorNotResponsible,
    CompensationAboveClaim,
    InvalidValue,
    LiabilityNotForThisRespondent,
    LiabilityWithoutMalpractice,
    MediationNotAllowed,
    PermissionDenied,
    RulingNotReady,
    SanctionNotAllowed,
    TrackHarmMismatch,
)
from domain.rulebook import DEFAULT_PARAMETERS, DEFAULT_SOURCES
from tests.unit.conftest import ADMIN, CLERK, HOSPITAL, SURGEON, TODAY, Court, at, judge_acting_for


def fine(mci: int, respondent: str = "R1") -> dict[str, object]:
    return {"respondent_id": respondent, "kind": "fine", "amount_mci": mci}


# R1 -----------------------------------------------------------------------------------------


def test_criminal_liability_is_found_for_moderate_harm(court: Court) -> None:
    docket = court.ready_for_merits("criminal", harm_found="moderate")

    court.rule_liable(docket, harm_found="moderate")

    case = court.app.case(docket)
    assert case.status == "decided"
    assert case.ruling is not None
    assert case.ruling["harm_found"] == "moderate"


def test_criminal_liability_is_refused_when_the_harm_found_is_minor(court: Court) -> None:
    docket = court.ready_for_merits("criminal", harm_found="minor")

    with pytest.raises(TrackHarmMismatch, match="A criminal case cannot be about minor harm") as refusal:
        court.rule_liable(docket, harm_found="minor")

    assert refusal.value.field == "harm_found"
    assert court.app.case(docket).status == "pending"


def test_a_criminal_case_with_minor_harm_found_may_end_without_liability(court: Court) -> None:
    docket = court.ready_for_merits("criminal", harm_found="minor")

    court.rule(docket, disposition="no_liability", finding="malpractice", harm_found="minor")

    assert court.app.case(docket).ruling["disposition"] == "no_liability"  # type: ignore[index]


def test_a_criminal_case_with_minor_harm_found_may_be_transferred_to_the_administrative_track(court: Court) -> None:
    docket = court.ready_for_merits("criminal", harm_found="minor")

    receipt = court.rule(docket, disposition="transferred", harm_found="minor", transferred_to_track="administrative")

    assert receipt["transferred_to"] == "ALA-2025-A-00001"
    new_case = court.app.case("ALA-2025-A-00001")
    assert (new_case.track, new_case.alleged_harm, new_case.transferred_from) == ("administrative", "minor", docket)
    assert court.app.case(docket).transferred_to == "ALA-2025-A-00001"


def test_a_transfer_to_a_track_that_does_not_hear_the_harm_is_refused(court: Court) -> None:
    docket = court.ready_for_merits("criminal", harm_found="serious")

    with pytest.raises(TrackHarmMismatch, match="An administrative case cannot be about serious harm"):
        court.rule(docket, disposition="transferred", transferred_to_track="administrative")


def test_a_civil_case_revealing_serious_negligence_may_be_transferred_to_the_criminal_track(court: Court) -> None:
    docket = court.ready_for_merits("civil")

    receipt = court.rule(docket, disposition="transferred", harm_found="serious", transferred_to_track="criminal")

    assert court.app.case(receipt["transferred_to"]).track == "criminal"


def test_a_criminal_case_may_be_transferred_to_the_civil_track(court: Court) -> None:
    docket = court.ready_for_merits("criminal")

    receipt = court.rule(docket, disposition="transferred", harm_found="serious", transferred_to_track="civil")

    assert court.app.case(receipt["transferred_to"]).track == "civil"


# R2 -----------------------------------------------------------------------------------------


def test_criminal_liability_is_found_for_an_individual_specialist(court: Court) -> None:
    docket = court.ready_for_merits("criminal")

    court.rule_liable(docket, sanctions=[{"respondent_id": "R1", "kind": "imprisonment", "months": 12}])

    assert court.app.case(docket).ruling["liable_respondents"] == ["R1"]  # type: ignore[index]


def test_criminal_liability_is_refused_for_an_organization(court: Court) -> None:
    docket = court.ready_for_merits("criminal", respondents=[HOSPITAL, SURGEON])

    with pytest.raises(
        LiabilityNotForThisRespondent, match="Criminal liability applies only to individuals: 'City Hospital No. 4' is an organization"
    ) as refusal:
        court.rule_liable(docket, liable_respondents=["R1"], sanctions=[fine(100)])

    assert refusal.value.rule == "R2"


def test_a_specialist_s_certificate_can_be_withdrawn(court: Court) -> None:
    docket = court.ready_for_merits("administrative")

    court.rule_liable(docket, liable_respondents=["R2"], sanctions=[{"respondent_id": "R2", "kind": "certificate_withdrawal"}])

    assert court.app.case(docket).ruling["sanctions"] == [{"respondent_id": "R2", "kind": "certificate_withdrawal"}]  # type: ignore[index]


def test_certificate_withdrawal_is_refused_for_an_organization(court: Court) -> None:
    docket = court.ready_for_merits("administrative")

    with pytest.raises(LiabilityNotForThisRespondent, match="Only a specialist's certificate can be withdrawn: 'City Hospital No. 4' is an organization"):
        court.rule_liable(docket, liable_respondents=["R1"], sanctions=[{"respondent_id": "R1", "kind": "certificate_withdrawal"}])


def test_an_organization_s_licence_can_be_suspended(court: Court) -> None:
    docket = court.ready_for_merits("administrative")

    court.rule_liable(docket, liable_respondents=["R1"], sanctions=[{"respondent_id": "R1", "kind": "licence_suspension", "months": 6}])

    assert court.app.case(docket).status == "decided"


def test_licence_sanctions_are_refused_for_a_specialist(court: Court) -> None:
    docket = court.ready_for_merits("administrative")

    with pytest.raises(LiabilityNotForThisRespondent, match="Licence sanctions apply only to organizations: 'Serik Nurlanov' is a specialist"):
        court.rule_liable(docket, liable_respondents=["R2"], sanctions=[{"respondent_id": "R2", "kind": "licence_revocation"}])


def test_a_sanction_on_a_respondent_not_found_liable_is_refused(court: Court) -> None:
    docket = court.ready_for_merits("administrative")

    with pytest.raises(InvalidValue, match="Sanctions may only be imposed on a liable respondent"):
        court.rule_liable(docket, liable_respondents=["R1"], sanctions=[fine(10, "R2")])


def test_a_liable_respondent_must_be_a_respondent_of_the_case(court: Court) -> None:
    docket = court.ready_for_merits("civil")

    with pytest.raises(InvalidValue, match="'R7' is not a respondent in this case"):
        court.rule_liable(docket, liable_respondents=["R7"])


# R3 -----------------------------------------------------------------------------------------


def test_liability_is_found_on_a_finding_of_malpractice(court: Court) -> None:
    docket = court.ready_for_merits("civil")

    court.rule_liable(docket, finding="malpractice")

    assert court.app.case(docket).ruling["finding"] == "malpractice"  # type: ignore[index]


@pytest.mark.parametrize(("finding", "shown"), [("medical_error", "medical error"), ("incident", "incident"), ("no_causation", "no causation")])
def test_liability_is_refused_without_a_finding_of_malpractice(court: Court, finding: str, shown: str) -> None:
    docket = court.ready_for_merits("civil")

    with pytest.raises(LiabilityWithoutMalpractice, match=f"Liability can only be found on a finding of malpractice; the finding is '{shown}'"):
        court.rule_liable(docket, finding=finding)


def test_an_incident_may_be_compensated_no_fault_by_the_insurer(court: Court) -> None:
    docket = court.ready_for_merits("civil")

    court.rule(docket, disposition="no_liability", finding="incident", harm_found="serious", insurer_compensation="150000")

    ruling = court.app.case(docket).ruling
    assert ruling is not None
    assert (ruling["disposition"], ruling["insurer_compensation"], ruling["compensation"]) == ("no_liability", Decimal("150000.00"), {})


def test_compensation_from_a_respondent_without_liability_is_refused(court: Court) -> None:
    docket = court.ready_for_merits("civil")

    with pytest.raises(LiabilityWithoutMalpractice, match="Compensation from a respondent requires a finding of liability"):
        court.rule(docket, disposition="no_liability", finding="medical_error", harm_found="serious", compensation={"real_damage": "1000"})


def test_liable_respondents_without_a_finding_of_liability_are_refused(court: Court) -> None:
    docket = court.ready_for_merits("civil")

    with pytest.raises(LiabilityWithoutMalpractice, match="Only a ruling finding liability names liable respondents"):
        court.rule(docket, disposition="no_liability", finding="unfounded", harm_found="none", liable_respondents=["R1"])


# R4 -----------------------------------------------------------------------------------------


def test_a_criminal_fine_at_the_cap_is_accepted(court: Court) -> None:
    docket = court.ready_for_merits("criminal")

    court.rule_liable(docket, sanctions=[fine(430)])

    # R4: the fine is recorded in MCI and in KZT at the MCI of the incident date (2024: 3,692 KZT).
    assert court.app.case(docket).ruling["sanctions"] == [  # type: ignore[index]
        {"respondent_id": "R1", "kind": "fine", "amount_mci": Decimal(430), "amount_kzt": Decimal("1587560.00")}
    ]


def test_a_criminal_fine_above_the_cap_is_refused(court: Court) -> None:
    docket = court.ready_for_merits("criminal")

    with pytest.raises(
        SanctionNotAllowed,
        match=r"Fines on 'Serik Nurlanov' add up to 431 MCI \(1,591,252.00 KZT\), above the cap of 430 MCI for a criminal case in force on the incident date 2024-11-01 \(rulebook of 2015-01-01\)",
    ) as refusal:
        court.rule_liable(docket, sanctions=[fine(431)])

    assert refusal.value.rule == "R4"


def test_an_administrative_fine_above_its_cap_is_refused(court: Court) -> None:
    docket = court.ready_for_merits("administrative")

    with pytest.raises(SanctionNotAllowed, match="add up to 201 MCI .* above the cap of 200 MCI for an administrative case"):
        court.rule_liable(docket, sanctions=[fine(201)])


def test_imprisonment_up_to_thirty_six_months_is_accepted(court: Court) -> None:
    docket = court.ready_for_merits("criminal")

    court.rule_liable(docket, sanctions=[{"respondent_id": "R1", "kind": "imprisonment", "months": 36}])

    assert court.app.case(docket).status == "decided"


def test_imprisonment_beyond_thirty_six_months_is_refused(court: Court) -> None:
    docket = court.ready_for_merits("criminal")

    with pytest.raises(SanctionNotAllowed, match="Imprisonment of 'Serik Nurlanov' adds up to 37 months, above the cap of 36 months in force on the incident date 2024-11-01"):
        court.rule_liable(docket, sanctions=[{"respondent_id": "R1", "kind": "imprisonment", "months": 37}])


def test_a_licence_suspension_beyond_six_months_is_refused(court: Court) -> None:
    docket = court.ready_for_merits("administrative")

    with pytest.raises(SanctionNotAllowed, match="Licence suspension of 'City Hospital No. 4' adds up to 7 months, above the cap of 6 months"):
        court.rule_liable(docket, sanctions=[{"respondent_id": "R1", "kind": "licence_suspension", "months": 7}])


def test_imprisonment_is_refused_in_an_administrative_case(court: Court) -> None:
    docket = court.ready_for_merits("administrative")

    with pytest.raises(
        SanctionNotAllowed,
        match="An administrative case cannot impose imprisonment; it imposes: fine, certificate withdrawal, licence suspension, licence revocation",
    ):
        court.rule_liable(docket, liable_respondents=["R2"], sanctions=[{"respondent_id": "R2", "kind": "imprisonment", "months": 1}])


def test_a_civil_case_imposes_no_sanctions(court: Court) -> None:
    docket = court.ready_for_merits("civil")

    with pytest.raises(SanctionNotAllowed, match=r"A civil case imposes no sanctions \(compensation only\)"):
        court.rule_liable(docket, sanctions=[fine(10)])


def test_a_criminal_case_awards_no_compensation(court: Court) -> None:
    docket = court.ready_for_merits("criminal")

    with pytest.raises(SanctionNotAllowed, match="A criminal case does not award compensation"):
        court.rule_liable(docket, compensation={"moral_harm": "100"})


def test_criminal_liability_needs_a_sanction(court: Court) -> None:
    docket = court.ready_for_merits("criminal")

    with pytest.raises(SanctionNotAllowed, match="A criminal finding of liability needs at least one sanction"):
        court.rule_liable(docket, sanctions=[])


def test_a_fine_of_no_amount_is_refused(court: Court) -> None:
    docket = court.ready_for_merits("criminal")

    with pytest.raises(SanctionNotAllowed, match="A fine needs an amount in MCI greater than zero"):
        court.rule_liable(docket, sanctions=[fine(0)])


def lower_criminal_fine_cap_from_2025(court: Court) -> None:
    parameters = {**DEFAULT_PARAMETERS, "criminal_fine_cap_mci": 300}
    court.app.adopt_rulebook_version(date(2025, 1, 1), parameters, DEFAULT_SOURCES, ADMIN)


def test_the_fine_cap_is_the_one_in_force_on_the_incident_date_not_on_the_ruling_date(court: Court) -> None:
    lower_criminal_fine_cap_from_2025(court)
    docket = court.ready_for_merits("criminal", incident_date=date(2024, 11, 1))

    court.rule_liable(docket, sanctions=[fine(430)])

    assert court.app.case(docket).status == "decided"


def test_a_fine_above_a_cap_lowered_before_the_incident_is_refused(court: Court) -> None:
    lower_criminal_fine_cap_from_2025(court)
    docket = court.ready_for_merits("criminal", incident_date=date(2025, 2, 1))

    with pytest.raises(SanctionNotAllowed, match=r"above the cap of 300 MCI for a criminal case in force on the incident date 2025-02-01 \(rulebook of 2025-01-01\)"):
        court.rule_liable(docket, sanctions=[fine(400)])


# R5 -----------------------------------------------------------------------------------------


def test_a_ruling_without_an_assigned_judge_is_refused(court: Court) -> None:
    docket = court.file("civil")

    with pytest.raises(ActorNotResponsible, match=f"{docket} is not assigned to this judge") as refusal:
        court.rule(docket, disposition="withdrawn")
    assert refusal.value.rule == "R14"
    (blocking,) = court.app.check_ruling(docket, {"disposition": "withdrawn"})
    assert (blocking.rule, str(blocking)) == ("R5", "No judge is assigned to this case: assign a certified judge first")


def test_a_withdrawal_needs_no_expert_evidence(court: Court) -> None:
    docket = court.file_assigned("civil")

    court.rule(docket, disposition="withdrawn")

    assert court.app.case(docket).ruling["disposition"] == "withdrawn"  # type: ignore[index]


def test_a_ruling_by_a_judge_whose_certification_has_lapsed_is_refused(court: Court) -> None:
    docket = court.ready_for_merits("civil")
    court.app.recuse_judge(docket, "conflict of interest", CLERK)
    court.app.assign_judge(docket, court.expiring_judge, CLERK)

    with at(date(2025, 4, 1)), pytest.raises(RulingNotReady, match="Judge Gulnara Akhmetova is not certified in medical law on 2025-04-01"):
        court.rule_liable(docket, judge_acting_for(court.expiring_judge))


def test_a_judge_rules_while_certified(court: Court) -> None:
    docket = court.ready_for_merits("civil")
    court.app.recuse_judge(docket, "conflict of interest", CLERK)
    court.app.assign_judge(docket, court.expiring_judge, CLERK)

    with at(date(2025, 3, 31)):
        court.rule_liable(docket, judge_acting_for(court.expiring_judge))

    assert court.app.case(docket).status == "decided"


def test_a_ruling_by_a_retired_judge_is_refused(court: Court) -> None:
    docket = court.ready_for_merits("civil")
    court.app.retire_judge(court.judge, TODAY, ADMIN)

    with pytest.raises(RulingNotReady, match="Judge Aigerim Sadykova is not certified in medical law on 2025-03-03"):
        court.rule_liable(docket)


def test_a_recused_judge_cannot_rule_or_be_assigned_again(court: Court) -> None:
    docket = court.ready_for_merits("civil")
    court.app.recuse_judge(docket, "related to the claimant", CLERK)

    with pytest.raises(ActorNotResponsible, match="is not assigned to this judge"):
        court.rule_liable(docket)
    with pytest.raises(InvalidValue, match="Judge Aigerim Sadykova has recused from this case"):
        court.app.assign_judge(docket, court.judge, CLERK)


def test_a_merits_ruling_without_an_expert_report_is_refused(court: Court) -> None:
    docket = court.file_assigned("civil")

    with pytest.raises(RulingNotReady, match="A ruling on the merits needs at least one submitted expert report; none has been recorded"):
        court.rule_liable(docket)


def test_a_merits_ruling_while_an_examination_is_pending_is_refused(court: Court) -> None:
    docket = court.ready_for_merits("civil")
    court.order_examination(docket, court.second_expert)

    with pytest.raises(RulingNotReady, match="Expert examination EX2 is still pending: record its report or withdraw it"):
        court.rule(docket, disposition="no_liability", finding="unfounded", harm_found="serious")


def test_a_merits_ruling_after_the_pending_examination_is_withdrawn_is_accepted(court: Court) -> None:
    docket = court.ready_for_merits("civil")
    examination = court.order_examination(docket, court.second_expert)
    court.app.withdraw_examination(docket, examination, "expert fell ill", CLERK)

    court.rule(docket, disposition="no_liability", finding="unfounded", harm_found="serious")

    assert court.app.case(docket).status == "decided"


def test_a_ruling_that_does_not_decide_the_merits_withdraws_pending_examinations(court: Court) -> None:
    docket = court.file_assigned("civil")
    examination = court.order_examination(docket)

    court.rule(docket, disposition="withdrawn")

    assert court.app.case(docket).examinations[examination]["status"] == "withdrawn"


def test_only_a_judge_issues_a_ruling(court: Court) -> None:
    docket = court.ready_for_merits("civil")

    with pytest.raises(PermissionDenied, match="A user acting as clerk may not issue ruling"):
        court.app.issue_ruling(docket, {"disposition": "withdrawn", "decided_on": TODAY}, CLERK)


# R9 -----------------------------------------------------------------------------------------


def test_compensation_within_the_claim_is_awarded_less_the_claimant_s_contributory_fault(court: Court) -> None:
    docket = court.ready_for_merits("civil")

    court.rule_liable(docket, compensation={"real_damage": "400000", "moral_harm": "333333.33"}, contributory_fault_pct="10")

    ruling = court.app.case(docket).ruling
    assert ruling is not None
    assert ruling["compensation"] == {"real_damage": Decimal("400000.00"), "moral_harm": Decimal("333333.33")}
    assert ruling["payable"] == {"real_damage": Decimal("360000.00"), "moral_harm": Decimal("300000.00")}


def test_compensation_above_the_amount_claimed_is_refused(court: Court) -> None:
    docket = court.ready_for_merits("civil")

    with pytest.raises(
        CompensationAboveClaim, match=r"Compensation for real damage \(600,000.00 KZT\) exceeds the amount claimed for it \(500,000.00 KZT\)"
    ) as refusal:
        court.rule_liable(docket, compensation={"real_damage": "600000"})

    assert refusal.value.rule == "R9"
    assert court.app.case(docket).version == 4


@pytest.mark.parametrize("pct", ["100", "-1", "150"])
def test_contributory_fault_outside_zero_to_below_one_hundred_percent_is_refused(court: Court, pct: str) -> None:
    docket = court.ready_for_merits("civil")

    with pytest.raises(InvalidValue, match=r"Contributory fault is a percentage from 0 up to \(not including\) 100"):
        court.rule_liable(docket, contributory_fault_pct=pct)


@pytest.mark.parametrize("pct", ["NaN", "Infinity", "sNaN"])
def test_contributory_fault_that_is_not_a_number_is_refused(court: Court, pct: str) -> None:
    docket = court.ready_for_merits("civil")

    with pytest.raises(InvalidValue, match="Contributory fault is a percentage"):
        court.rule_liable(docket, contributory_fault_pct=pct)


@pytest.mark.parametrize("amount", ["NaN", "Infinity"])
def test_a_fine_that_is_not_a_number_is_refused(court: Court, amount: str) -> None:
    docket = court.ready_for_merits("criminal")

    with pytest.raises(InvalidValue, match="A fine is a number of MCI"):
        court.rule_liable(docket, sanctions=[{"respondent_id": "R1", "kind": "fine", "amount_mci": amount}])


# dates, mediation and settlement ------------------------------------------------------------


def test_a_ruling_decided_in_the_future_is_refused(court: Court) -> None:
    docket = court.ready_for_merits("civil")

    with pytest.raises(InvalidValue, match=r"The decision date \(2025-03-04\) cannot be in the future \(today is 2025-03-03\)"):
        court.rule_liable(docket, decided_on=TODAY + timedelta(days=1))


def test_a_ruling_decided_before_the_case_was_received_is_refused(court: Court) -> None:
    docket = court.ready_for_merits("civil")

    with pytest.raises(InvalidValue, match=r"The decision date \(2025-02-01\) cannot be before the date of receipt \(2025-02-21\)"):
        court.rule_liable(docket, decided_on=date(2025, 2, 1))


def test_a_ruling_while_a_mediation_is_open_is_refused(court: Court) -> None:
    docket = court.ready_for_merits("civil")
    court.app.refer_to_mediation(docket, mediator_id=court.mediator, due_on=TODAY + timedelta(days=30), actor=CLERK)

    with pytest.raises(MediationNotAllowed, match="A mediation is still open: record its outcome before the ruling"):
        court.rule_liable(docket)


def test_a_settlement_is_approved_after_a_settled_mediation(court: Court) -> None:
    docket = court.file_assigned("civil")
    court.app.refer_to_mediation(docket, mediator_id=court.mediator, due_on=TODAY + timedelta(days=30), actor=CLERK)
    court.app.conclude_mediation(docket, outcome="settled", concluded_on=TODAY, actor=CLERK)

    court.rule(docket, disposition="settled")

    assert court.app.case(docket).ruling["disposition"] == "settled"  # type: ignore[index]


def test_a_settlement_without_a_settled_mediation_or_agreement_is_refused(court: Court) -> None:
    docket = court.file_assigned("civil")

    with pytest.raises(InvalidValue, match="A settlement can be approved only after a settled mediation or with a settlement agreement on file"):
        court.rule(docket, disposition="settled")


def test_a_ruling_that_does_not_decide_the_merits_carries_no_finding(court: Court) -> None:
    docket = court.file_assigned("civil")

    with pytest.raises(InvalidValue, match="A 'withdrawn' ruling does not decide the merits"):
        court.rule(docket, disposition="withdrawn", finding="malpractice")


def test_the_ruling_records_the_judge_and_the_decision_date(court: Court) -> None:
    docket = court.ready_for_merits("civil")

    court.rule_liable(docket)

    ruling = court.app.case(docket).ruling
    assert ruling is not None
    assert (ruling["judge_id"], ruling["decided_on"]) == (court.judge, clock.today())


@pytest.mark.parametrize("months", ["twelve", float("inf"), None])
def test_a_term_that_is_not_a_whole_number_of_months_is_refused(court: Court, months: object) -> None:
    docket = court.ready_for_merits("criminal")

    expected = "Imprisonment needs a number of months" if months is None else "A term is a whole number of months"
    with pytest.raises((InvalidValue, SanctionNotAllowed), match=expected):
        court.rule_liable(docket, sanctions=[{"respondent_id": "R1", "kind": "imprisonment", "months": months}])


def test_the_ruling_check_lists_every_rule_that_blocks_a_ruling_at_once(court: Court) -> None:
    docket = court.file_assigned("criminal")

    refusals = [str(refusal) for refusal in court.app.check_ruling(docket, {
        "disposition": "liability_found", "finding": "malpractice", "harm_found": "minor",
        "liable_respondents": ["R1"], "sanctions": [{"respondent_id": "R1", "kind": "fine", "amount_mci": 100}],
    })]

    assert any("needs at least one submitted expert report" in r for r in refusals)
    assert any("criminal case cannot be about minor harm" in r for r in refusals)
    assert len(refusals) >= 2


def test_the_ruling_check_is_empty_when_the_ruling_would_be_accepted(court: Court) -> None:
    docket = court.ready_for_merits("civil")

    assert court.app.check_ruling(docket, {"disposition": "no_liability", "finding": "incident", "harm_found": "moderate"}) == []
