"""What a page or an API response reads of a case: ``CaseView.of(case)``, typed and frozen, never the aggregate's dicts."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import pytest

from domain.records import plain
from domain.views import AppealView, CaseView, CorrectionView, ReopeningView, SanctionView
from tests.unit.conftest import CLERK, NOW, TODAY, Court, at
from web.api.cases import case_state
from web.api.schemas import CaseStateSchema

if TYPE_CHECKING:
    from domain.case import Case


def view(court: Court, docket: str) -> CaseView:
    return CaseView.of(court.app.case(docket))


def test_a_case_without_a_ruling_shows_no_ruling_appeals_corrections_or_reopenings(court: Court) -> None:
    shown = view(court, court.file("civil"))

    assert shown.ruling is None
    assert (shown.rulings_count, shown.appeals, shown.corrections, shown.reopenings, shown.recused_judges) == (0, (), (), (), ())
    assert shown.claimed == {"real_damage": Decimal("500000.00"), "lost_profit": Decimal("200000.00"), "moral_harm": Decimal("1000000.00")}


def test_a_ruling_is_shown_with_its_sanctions_and_money_as_decimals(court: Court) -> None:
    docket = court.ready_for_merits("criminal")
    court.rule_liable(docket, sanctions=[{"respondent_id": "R1", "kind": "fine", "amount_mci": 430}])

    ruling = view(court, docket).ruling

    assert ruling is not None
    assert (ruling.ruling_id, ruling.decided_on, ruling.disposition) == ("RU1", TODAY, "liability_found")
    assert ruling.sanctions == (SanctionView(respondent_id="R1", kind="fine", amount_mci=Decimal(430), amount_kzt=Decimal("1587560.00")),)
    assert isinstance(ruling.liable_respondents, tuple)
    assert isinstance(ruling.contributory_fault_pct, Decimal)


def test_compensation_and_what_is_payable_are_shown_per_head(court: Court) -> None:
    docket = court.decided("civil")

    ruling = view(court, docket).ruling

    assert ruling is not None
    assert ruling.compensation and set(ruling.payable) == set(ruling.compensation)
    assert all(isinstance(amount, Decimal) for amount in (*ruling.compensation.values(), *ruling.payable.values()))


def test_the_view_of_a_ruling_cannot_be_changed(court: Court) -> None:
    ruling = view(court, court.decided("civil")).ruling
    assert ruling is not None

    with pytest.raises(dataclasses.FrozenInstanceError):
        ruling.disposition = "withdrawn"  # type: ignore[misc]
    with pytest.raises(TypeError):
        ruling.compensation["moral_harm"] = Decimal(1)  # type: ignore[index]


def test_an_appeal_is_shown_pending_then_with_its_outcome(court: Court) -> None:
    docket = court.decided("civil")
    with at(date(2025, 3, 20)):
        court.app.file_appeal(docket, filed_on=date(2025, 3, 20), appellant="the respondent", actor=CLERK)
    pending = view(court, docket)

    with at(date(2025, 5, 5)):
        court.app.decide_appeal(docket, outcome="upheld", decided_on=date(2025, 5, 5), actor=CLERK)
    decided = view(court, docket)

    assert pending.appeals == (AppealView(id="A1", filed_on=date(2025, 3, 20), appellant="the respondent", outcome=None, decided_on=None),)
    assert pending.pending_appeal() == pending.appeal("A1")
    assert decided.appeals == (AppealView(id="A1", filed_on=date(2025, 3, 20), appellant="the respondent", outcome="upheld", decided_on=date(2025, 5, 5)),)
    assert (decided.status, decided.in_force_on, decided.pending_appeal()) == ("in_force", date(2025, 5, 5), None)


def test_a_remand_is_shown_as_a_reopening(court: Court) -> None:
    docket = court.decided("civil")
    with at(date(2025, 3, 20)):
        court.app.file_appeal(docket, filed_on=date(2025, 3, 20), appellant="the respondent", actor=CLERK)
    with at(date(2025, 5, 5)):
        court.app.decide_appeal(docket, outcome="remanded", decided_on=date(2025, 5, 5), actor=CLERK)

    shown = view(court, docket)

    assert (shown.status, shown.in_force_on) == ("pending", None)
    assert shown.reopenings == (ReopeningView(reopened_on=date(2025, 5, 5), reason="remand"),)


def test_a_correction_is_shown_beside_the_corrected_value(court: Court) -> None:
    docket = court.file("civil", summary="Complications after surgery")
    court.app.correct_entry(docket, corrects_version=1, reason="clerical error", corrections={"summary": "Complications after a caesarean section"}, actor=CLERK)

    shown = view(court, docket)

    assert shown.summary == "Complications after a caesarean section"
    assert shown.corrections == (
        CorrectionView(corrects_version=1, entry_type="CaseFiled", reason="clerical error", corrections={"summary": "Complications after a caesarean section"}),
    )


def test_a_recused_judge_is_shown_and_no_judge_is_assigned(court: Court) -> None:
    docket = court.file_assigned("civil")
    court.app.recuse_judge(docket, "a former patient of the judge's spouse", CLERK)

    shown = view(court, docket)

    assert shown.recused_judges == (court.judge,)
    assert (shown.judge_id, shown.judge_name) == (None, None)


def test_a_transfer_is_shown_on_both_cases_and_the_new_case_keeps_the_authority(court: Court) -> None:
    docket = court.ready_for_merits("criminal", harm_found="minor")
    court.rule(docket, disposition="transferred", harm_found="minor", transferred_to_track="administrative")

    old, new = view(court, docket), view(court, "ALA-2025-A-00001")

    assert old.ruling is not None and old.ruling.transferred_to_track == "administrative"
    assert (old.transferred_to, new.transferred_from, new.track) == ("ALA-2025-A-00001", docket, "administrative")
    assert new.authority is not None and new.authority.kind == "prosecutor"


# the API's as-of response, read from the view, is what the aggregate's state was ------------------------------------


def aggregate_state(case: Case) -> dict[str, Any]:
    """How the as-of response was built before it read a ``CaseView``: every attribute of the aggregate, made plain."""
    names = [name for name in CaseStateSchema().fields if name not in ("version", "as_of")]
    return {**{name: plain(getattr(case, name)) for name in names}, "version": case.version, "as_of": None}


def a_case_with_everything(court: Court) -> str:
    docket = court.ready_for_merits("civil", representatives=[{"name": "Dana Omarova", "represents": "claimant"}])
    court.app.file_document(
        docket, kind="claim", title="Statement of claim", filed_by="claimant", received_on=TODAY, sha256="ab" * 32, size=2048,
        media_type="application/pdf", actor=CLERK,
    )
    court.app.schedule_hearing(docket, starts_at=NOW + timedelta(hours=1), courtroom="101", purpose="preliminary", actor=CLERK)
    court.app.schedule_hearing(docket, starts_at=NOW + timedelta(hours=3), courtroom="101", purpose="merits", actor=CLERK)
    court.app.refer_to_mediation(docket, mediator_id=court.mediator, due_on=TODAY + timedelta(days=9), actor=CLERK)
    with at(TODAY, hour=11):
        court.app.hold_hearing(docket, "H1", minutes_summary="The parties were heard", actor=CLERK)
        court.app.cancel_hearing(docket, "H2", reason="the parties are mediating", actor=CLERK)
        court.app.conclude_mediation(docket, outcome="failed", concluded_on=TODAY, actor=CLERK)
        court.rule_liable(docket, contributory_fault_pct="0.00")
        court.app.seal_case(docket, reason="minor", actor=CLERK)
    return docket


def test_the_as_of_response_of_a_case_with_everything_is_the_aggregate_s_state(court: Court) -> None:
    docket = a_case_with_everything(court)
    held = court.app.case(docket).hearings["H1"]["held_version"]
    court.app.correct_entry(docket, corrects_version=held, reason="typo", corrections={"minutes_summary": "Both parties were heard"}, actor=CLERK)

    case = court.app.case(docket)

    assert case_state(CaseView.of(case), None) == aggregate_state(case)
    for version in range(1, case.version + 1):
        earlier = court.app.case_at_version(docket, version)
        assert case_state(CaseView.of(earlier), None) == aggregate_state(earlier)


def test_the_as_of_response_of_a_fined_appealed_remanded_or_transferred_case_is_the_aggregate_s_state(court: Court) -> None:
    fined = court.ready_for_merits("criminal")
    court.rule_liable(fined, sanctions=[{"respondent_id": "R1", "kind": "fine", "amount_mci": 430}])
    with at(date(2025, 3, 10)):
        court.app.file_appeal(fined, filed_on=date(2025, 3, 10), appellant="the respondent", actor=CLERK)
    with at(date(2025, 5, 5)):
        court.app.decide_appeal(fined, outcome="remanded", decided_on=date(2025, 5, 5), actor=CLERK)
        court.app.recuse_judge(fined, "a conflict of interest", CLERK)
    transferred = court.ready_for_merits("criminal", harm_found="minor")
    court.rule(transferred, disposition="transferred", harm_found="minor", transferred_to_track="administrative")

    for docket in (fined, transferred, "ALA-2025-A-00001"):
        case = court.app.case(docket)
        assert case_state(CaseView.of(case), None) == aggregate_state(case), docket
