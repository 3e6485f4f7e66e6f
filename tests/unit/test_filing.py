"""Filing a case: what the clerk's filing must say, and R1 (track and alleged harm agree)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from domain.errors import InvalidMoney, InvalidValue, PermissionDenied, TrackHarmMismatch
from tests.unit.conftest import ANALYST, CLERK, TODAY, Court, filing


def test_a_civil_claim_is_docketed_with_its_parties_and_claimed_amounts(court: Court) -> None:
    docket = court.file("civil")

    case = court.app.case(docket)
    assert docket == "ALA-2025-C-00001"
    assert case.status == "pending"
    assert case.track == "civil"
    assert case.alleged_harm == "serious"
    assert [(r["id"], r["kind"]) for r in case.respondents] == [("R1", "organization"), ("R2", "specialist")]
    assert case.claimed == {"real_damage": Decimal("500000.00"), "lost_profit": Decimal("200000.00"), "moral_harm": Decimal("1000000.00")}
    assert case.version == 1


@pytest.mark.parametrize(
    ("track", "harm"),
    [
        ("administrative", "none"),
        ("administrative", "minor"),
        ("criminal", "moderate"),
        ("criminal", "serious"),
        ("criminal", "death"),
        ("civil", "none"),
        ("civil", "death"),
    ],
)
def test_a_track_is_accepted_with_a_harm_it_hears(court: Court, track: str, harm: str) -> None:
    docket = court.file(track, alleged_harm=harm)

    assert court.app.case(docket).alleged_harm == harm


def test_an_administrative_case_about_a_death_is_refused(court: Court) -> None:
    with pytest.raises(TrackHarmMismatch, match=r"An administrative case cannot be about death harm: .*death harm belongs in a criminal or civil case"):
        court.file("administrative", alleged_harm="death")


def test_a_criminal_case_about_minor_harm_is_refused(court: Court) -> None:
    with pytest.raises(TrackHarmMismatch, match="A criminal case cannot be about minor harm") as refusal:
        court.file("criminal", alleged_harm="minor")

    assert refusal.value.rule == "R1"
    assert refusal.value.field == "alleged_harm"


def test_a_refused_filing_uses_no_docket_number(court: Court) -> None:
    with pytest.raises(TrackHarmMismatch):
        court.file("criminal", alleged_harm="none")

    assert court.file("criminal") == "ALA-2025-K-00001"


def test_a_filing_received_in_the_future_is_refused(court: Court) -> None:
    tomorrow = TODAY + timedelta(days=1)

    with pytest.raises(InvalidValue, match=f"The date of receipt \\({tomorrow}\\) cannot be in the future \\(today is {TODAY}\\)"):
        court.file(received_on=tomorrow)


def test_a_filing_received_today_is_accepted(court: Court) -> None:
    docket = court.file(received_on=TODAY, incident_date=TODAY)

    assert court.app.case(docket).received_on == TODAY


def test_an_incident_after_the_date_of_receipt_is_refused(court: Court) -> None:
    with pytest.raises(InvalidValue, match=r"The date of receipt \(2025-02-01\) cannot be before the incident date \(2025-02-02\)") as refusal:
        court.file(received_on=date(2025, 2, 1), incident_date=date(2025, 2, 2))

    assert refusal.value.field == "incident_date"


def test_a_criminal_case_needs_its_prosecutor(court: Court) -> None:
    with pytest.raises(InvalidValue, match="A criminal case needs its prosecutor"):
        court.file("criminal", authority=None)


def test_a_civil_case_has_no_prosecutor(court: Court) -> None:
    with pytest.raises(InvalidValue, match="Civil cases have no prosecutor or inspecting authority"):
        court.file("civil", authority={"kind": "prosecutor", "name": "Almaty City Prosecutor's Office"})


def test_a_civil_claim_must_state_an_amount(court: Court) -> None:
    with pytest.raises(InvalidValue, match="A civil claim states the amount claimed under at least one head"):
        court.file("civil", claimed={})


def test_only_civil_cases_claim_compensation(court: Court) -> None:
    with pytest.raises(InvalidValue, match="Only civil cases claim compensation"):
        court.file("criminal", claimed={"moral_harm": "100000"})


def test_a_claimed_amount_in_fractions_of_a_tiyn_is_refused(court: Court) -> None:
    with pytest.raises(InvalidMoney, match=r"at most two decimal places \(tiyn\): 100.005") as refusal:
        court.file("civil", claimed={"real_damage": "100.005"})

    assert refusal.value.field == "claimed.real_damage"


def test_an_unknown_compensation_head_is_refused(court: Court) -> None:
    with pytest.raises(InvalidValue, match="'punitive' is not a compensation head"):
        court.file("civil", claimed={"punitive": "1"})


def test_a_case_needs_a_respondent(court: Court) -> None:
    with pytest.raises(InvalidValue, match="Name at least one respondent"):
        court.file("civil", respondents=[])


def test_an_organization_is_identified_by_a_twelve_digit_bin(court: Court) -> None:
    with pytest.raises(InvalidValue, match="An organization's BIN is 12 digits; '12345' is not"):
        court.file("civil", respondents=[{"kind": "organization", "name": "Clinic", "bin": "12345"}])


def test_a_specialist_is_identified_by_a_certificate_number(court: Court) -> None:
    with pytest.raises(InvalidValue, match="specialist's certificate number is required"):
        court.file("civil", respondents=[{"kind": "specialist", "name": "Dr Nurlanov"}])


def test_an_unknown_court_is_refused(court: Court) -> None:
    with pytest.raises(InvalidValue, match="'XYZ' is not a court"):
        court.file(court="XYZ")


def test_an_unknown_specialty_is_refused(court: Court) -> None:
    with pytest.raises(InvalidValue, match="'astrology' is not a medical specialty"):
        court.file(specialty="astrology")


def test_an_analyst_may_not_file_a_case(court: Court) -> None:
    with pytest.raises(PermissionDenied, match="A user acting as analyst may not file case"):
        court.app.file_case(**filing("civil"), actor=ANALYST)


def test_the_filing_event_records_who_filed_and_when(court: Court) -> None:
    docket = court.file("civil")

    [filed] = court.app.case_history(docket)
    assert filed["type"] == "CaseFiled"
    assert filed["recorded_at"] == "2025-03-03T04:00:00Z"
    assert filed["data"]["actor"] == dict(CLERK)
    assert filed["data"]["received_on"] == "2025-02-21"
    assert filed["data"]["claimed"]["moral_harm"] == "1000000.00"
