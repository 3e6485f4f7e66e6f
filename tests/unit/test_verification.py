"""``medcourt verify`` re-checks R14-R17 on stored histories: records written past the domain are found.

Each test writes one event straight through the aggregate's private ``@event`` method (as a faulty import or a
tampering insider would, bypassing the checks), saves it, and expects the verifier to name the rule.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from domain import clock
from domain.case import Case
from domain.verification import verify_docket
from tests.unit.conftest import CLERK, JUDGE, TODAY, Court, at, judge_acting_for


def violations(court: Court) -> list[str]:
    return [str(v) for v in verify_docket(court.app).violations]


def test_a_clean_history_verifies(court: Court) -> None:
    court.decided("civil")
    assert violations(court) == []


def test_r14_a_document_recorded_by_a_clerk_of_another_court_is_found(court: Court) -> None:
    docket = court.file("civil")
    case = court.app.case(docket)
    case._document_filed("D1", "evidence", "Exhibit", "claimant", TODAY, "a" * 64, 10, "application/pdf",
                         {"user": "clerk-ast", "role": "clerk", "court": "AST"})
    court.app.save(case)
    assert any("DocumentFiled: R14: clerk clerk-ast of court AST acted on a case of court ALA" in v for v in violations(court))


def test_r14_an_examination_ordered_by_a_judge_not_assigned_is_found(court: Court) -> None:
    docket = court.file_assigned("civil")
    case = court.app.case(docket)
    case._examination_ordered("EX1", "forensic_medical", ["Q?"], [{"id": court.expert, "name": "Dr Yerlan Ivanov"}], TODAY,
                              TODAY + timedelta(days=9), judge_acting_for(court.other_judge))
    court.app.save(case)
    assert any("ExpertExaminationOrdered: R14:" in v for v in violations(court))


def test_r15_a_date_of_receipt_corrected_past_a_later_document_is_found(court: Court) -> None:
    docket = court.file("civil")
    court.app.file_document(docket, kind="evidence", title="Exhibit", filed_by="claimant", received_on=TODAY - timedelta(days=5),
                            sha256="b" * 64, size=10, media_type="application/pdf", actor=CLERK)
    case = court.app.case(docket)
    case._entry_corrected(1, "CaseFiled", "typo", {"received_on": TODAY - timedelta(days=1)}, CLERK)
    court.app.save(case)
    assert any("DocketEntryCorrected: R15" in v for v in violations(court))


def test_r16_an_expert_of_another_specialty_is_found(court: Court) -> None:
    docket = court.file_assigned("civil", specialty="ophthalmology")
    case = court.app.case(docket)
    case._examination_ordered("EX1", "forensic_medical", ["Q?"], [{"id": court.expert, "name": "Dr Yerlan Ivanov"}], TODAY,
                              TODAY + timedelta(days=9), JUDGE)
    court.app.save(case)
    assert any("ExpertExaminationOrdered: R16: Expert Dr Yerlan Ivanov cannot examine an ophthalmology case" in v for v in violations(court))


def test_r17_a_ruling_put_into_force_before_the_moved_deadline_is_found(court: Court) -> None:
    # A criminal ruling of Saturday 3 May 2025: fifteen days end on Sunday 18 May, so the window runs to Monday 19 May.
    with at(date(2025, 4, 20)):
        docket = court.file_assigned("criminal", received_on=date(2025, 4, 20))
    with at(date(2025, 5, 3)):
        court.rule(docket, disposition="withdrawn")
    with clock.frozen_at(datetime.combine(date(2025, 5, 19), time(9), tzinfo=clock.COURT_TZ)):
        case = court.app.case(docket)
        assert isinstance(case, Case) and case.ruling is not None
        case._entered_into_force(case.ruling["ruling_id"], date(2025, 5, 19), "appeal_window_closed", {"user": "medcourt-worker", "role": "system"})
        court.app.save(case)
    assert any("RulingEnteredIntoForce: R8/R17" in v for v in violations(court))
