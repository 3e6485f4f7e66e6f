"""Expert examinations and R6 (expert independence)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from domain.errors import ActorNotResponsible, ExpertNotIndependent, InvalidValue, NotFound
from tests.unit.conftest import ADMIN, CLERK, HOSPITAL, JUDGE, SURGEON, TODAY, Court, at


def order(court: Court, docket: str, *experts: str, kind: str = "forensic_medical", due_on: date | None = None) -> str:
    receipt = court.app.order_examination(
        docket, kind=kind, questions=["Was the standard of care met?"], expert_ids=list(experts), due_on=due_on or TODAY + timedelta(days=30), actor=JUDGE
    )
    return str(receipt["id"])


# R6 -----------------------------------------------------------------------------------------


def test_an_independent_expert_is_appointed(court: Court) -> None:
    docket = court.file_assigned("civil")

    examination = order(court, docket, court.expert)

    case = court.app.case(docket)
    assert examination == "EX1"
    assert case.examinations["EX1"]["experts"] == [{"id": court.expert, "name": "Dr Yerlan Ivanov"}]
    assert case.examinations["EX1"]["status"] == "ordered"


def test_an_expert_affiliated_with_a_respondent_on_the_incident_date_is_refused(court: Court) -> None:
    docket = court.file_assigned("civil", incident_date=date(2024, 11, 1))

    with pytest.raises(
        ExpertNotIndependent,
        match=r"Expert Dr Timur Kassymov is affiliated with respondent 'City Hospital No. 4' \(BIN 123456789012, 2019-09-01 to 2024-12-31\), "
        r"overlapping the incident date 2024-11-01 or today",
    ) as refusal:
        order(court, docket, court.hospital_expert)

    assert refusal.value.rule == "R6"
    assert court.app.case(docket).examinations == {}


def test_an_expert_whose_affiliation_ended_before_the_incident_is_appointed(court: Court) -> None:
    docket = court.file_assigned("civil", incident_date=date(2025, 1, 15))

    order(court, docket, court.hospital_expert)

    assert court.app.case(docket).examinations["EX1"]["status"] == "ordered"


def test_an_expert_affiliated_with_a_respondent_today_is_refused(court: Court) -> None:
    court.app.declare_affiliation(court.expert, HOSPITAL["bin"], HOSPITAL["name"], date(2025, 2, 1), None, ADMIN)
    docket = court.file_assigned("civil", incident_date=date(2024, 11, 1))

    with pytest.raises(ExpertNotIndependent, match=r"\(BIN 123456789012, 2025-02-01 to present\)"):
        order(court, docket, court.expert)


def test_an_affiliation_with_an_organization_that_is_not_a_respondent_is_no_conflict(court: Court) -> None:
    court.app.declare_affiliation(court.expert, "999999999999", "Regional Clinic", date(2010, 1, 1), None, ADMIN)
    docket = court.file_assigned("civil")

    order(court, docket, court.expert)

    assert "EX1" in court.app.case(docket).examinations


def test_an_expert_who_is_a_respondent_is_refused(court: Court) -> None:
    colleague = {"kind": "specialist", "name": "Dr Y. Ivanov", "certificate_no": "EXP-001"}
    docket = court.file_assigned("civil", respondents=[HOSPITAL, colleague])

    with pytest.raises(ExpertNotIndependent, match="Expert Dr Yerlan Ivanov cannot examine this case: they are a party to it"):
        order(court, docket, court.expert)


def test_an_expert_who_is_the_claimant_is_refused(court: Court) -> None:
    docket = court.file_assigned("civil", claimant={"name": "dr  yerlan IVANOV"})

    with pytest.raises(ExpertNotIndependent, match="they are a party to it"):
        order(court, docket, court.expert)


def test_one_conflicted_member_refuses_the_whole_commission(court: Court) -> None:
    docket = court.file_assigned("civil")

    with pytest.raises(ExpertNotIndependent, match="Dr Timur Kassymov"):
        order(court, docket, court.expert, court.hospital_expert, kind="commission")


# ordering and reporting ------------------------------------------------------------------------


def test_a_commission_examination_needs_two_experts(court: Court) -> None:
    docket = court.file_assigned("civil")

    with pytest.raises(InvalidValue, match="A commission examination needs at least two experts"):
        order(court, docket, court.expert, kind="commission")
    assert order(court, docket, court.expert, court.second_expert, kind="commission") == "EX1"


def test_an_examination_is_ordered_only_once_a_judge_is_assigned(court: Court) -> None:
    docket = court.file("civil")

    with pytest.raises(ActorNotResponsible, match=f"{docket} is not assigned to this judge"):
        order(court, docket, court.expert)
    with pytest.raises(InvalidValue, match="Only the assigned judge orders an examination: assign a judge first"):
        court.app.order_examination(docket, kind="forensic_medical", questions=["Q?"], expert_ids=[court.expert], due_on=TODAY + timedelta(days=30), actor=CLERK)


def test_the_report_s_due_date_must_be_after_today(court: Court) -> None:
    docket = court.file_assigned("civil")

    with pytest.raises(InvalidValue, match="The report's due date must be after today"):
        order(court, docket, court.expert, due_on=TODAY)


def test_an_examination_puts_at_least_one_question(court: Court) -> None:
    docket = court.file_assigned("civil")

    with pytest.raises(InvalidValue, match="Put at least one question to the experts"):
        court.app.order_examination(docket, kind="forensic_medical", questions=["  "], expert_ids=[court.expert], due_on=TODAY + timedelta(days=5), actor=JUDGE)


def test_an_unknown_expert_is_not_found(court: Court) -> None:
    docket = court.file_assigned("civil")

    with pytest.raises(NotFound, match="'nobody' is not a registry id"):
        order(court, docket, "nobody")


def test_a_report_records_the_experts_conclusions(court: Court) -> None:
    docket = court.file_assigned("civil")
    examination = order(court, docket, court.expert)

    with at(TODAY + timedelta(days=20)):
        court.app.submit_expert_report(
            docket, examination_id=examination, received_on=TODAY + timedelta(days=19),
            standard_of_care_met="partly", causation="undetermined", harm_found="moderate", actor=CLERK,
        )

    report = court.app.case(docket).examinations[examination]["report"]
    assert (report["standard_of_care_met"], report["causation"], report["harm_found"]) == ("partly", "undetermined", "moderate")
    assert report["received_on"] == date(2025, 3, 22)


def test_a_report_received_before_the_order_is_refused(court: Court) -> None:
    docket = court.file_assigned("civil")
    examination = order(court, docket, court.expert)

    with pytest.raises(InvalidValue, match=r"The date the report was received \(2025-03-02\) cannot be before the date of the order \(2025-03-03\)"):
        court.app.submit_expert_report(
            docket, examination_id=examination, received_on=TODAY - timedelta(days=1),
            standard_of_care_met="no", causation="yes", harm_found="serious", actor=CLERK,
        )


def test_a_report_received_in_the_future_is_refused(court: Court) -> None:
    docket = court.file_assigned("civil")
    examination = order(court, docket, court.expert)

    with pytest.raises(InvalidValue, match="cannot be in the future"):
        court.app.submit_expert_report(
            docket, examination_id=examination, received_on=TODAY + timedelta(days=1),
            standard_of_care_met="no", causation="yes", harm_found="serious", actor=CLERK,
        )


def test_an_examination_reports_once(court: Court) -> None:
    docket = court.file_assigned("civil")
    examination = order(court, docket, court.expert)
    court.report(docket, examination)

    with pytest.raises(InvalidValue, match="Examination EX1 is already reported"):
        court.report(docket, examination)


def test_a_report_for_an_examination_never_ordered_is_not_found(court: Court) -> None:
    docket = court.file_assigned("civil")

    with pytest.raises(NotFound, match="This case has no examination EX9"):
        court.report(docket, "EX9")


def test_an_examination_is_overdue_once_its_due_date_has_passed_without_a_report(court: Court) -> None:
    docket = court.file_assigned("civil")
    order(court, docket, court.expert, due_on=TODAY + timedelta(days=10))
    case = court.app.case(docket)

    assert case.overdue_examinations(TODAY + timedelta(days=10)) == []
    assert [e["id"] for e in case.overdue_examinations(TODAY + timedelta(days=11))] == ["EX1"]


def test_a_respondent_specialist_with_another_certificate_is_no_conflict(court: Court) -> None:
    docket = court.file_assigned("civil", respondents=[HOSPITAL, SURGEON])

    assert order(court, docket, court.second_expert) == "EX1"


def test_a_report_due_on_a_weekend_is_due_on_the_next_working_day(court: Court) -> None:
    # R17: TODAY is Monday 3 March 2025; a due date on Saturday the 15th ends on Monday the 17th.
    docket = court.file_assigned("civil")

    order(court, docket, court.expert, due_on=date(2025, 3, 15))
    order(court, docket, court.second_expert, due_on=date(2025, 3, 14))

    examinations = court.app.case(docket).examinations
    assert (examinations["EX1"]["due_on"], examinations["EX2"]["due_on"]) == (date(2025, 3, 17), date(2025, 3, 14))
