"""Corrections and documents: nothing is deleted; a correction stands beside the entry it corrects."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from domain.errors import CorrectionInconsistent, InvalidValue, NotFound
from tests.unit.conftest import CLERK, TODAY, Court

SHA = "0123456789abcdef" * 4


def correct(court: Court, docket: str, version: int, **corrections: Any) -> None:
    court.app.correct_entry(docket, corrects_version=version, reason="clerical error", corrections=corrections, actor=CLERK)


def test_a_corrected_summary_replaces_the_old_one_and_both_stay_in_the_history(court: Court) -> None:
    docket = court.file("civil", summary="Complications after surgery")

    correct(court, docket, 1, summary="Complications after a caesarean section", specialty="obstetrics_gynecology")

    case = court.app.case(docket)
    assert (case.summary, case.specialty) == ("Complications after a caesarean section", "obstetrics_gynecology")
    history = court.app.case_history(docket)
    assert [h["type"] for h in history] == ["CaseFiled", "DocketEntryCorrected"]
    assert history[0]["data"]["summary"] == "Complications after surgery"
    assert history[1]["data"]["corrects_version"] == 1


def test_the_track_is_not_corrected_but_changed_by_transfer(court: Court) -> None:
    docket = court.file("civil")

    with pytest.raises(InvalidValue, match="'track' cannot be corrected on a CaseFiled entry"):
        correct(court, docket, 1, track="criminal")


def test_an_entry_of_a_kind_that_is_not_corrected_is_refused(court: Court) -> None:
    docket = court.file_assigned("civil")

    with pytest.raises(InvalidValue, match="A 'JudgeAssigned' entry cannot be corrected"):
        correct(court, docket, 2, judge_name="Someone else")


def test_an_entry_that_does_not_exist_is_not_found(court: Court) -> None:
    docket = court.file("civil")

    with pytest.raises(NotFound, match="This case has no entry number 7"):
        correct(court, docket, 7, summary="x")


def test_a_correction_states_a_corrected_value(court: Court) -> None:
    docket = court.file("civil")

    with pytest.raises(InvalidValue, match="State at least one corrected value"):
        correct(court, docket, 1)


def test_a_date_of_receipt_is_not_corrected_into_the_future(court: Court) -> None:
    docket = court.file("civil")

    with pytest.raises(InvalidValue, match=r"The received on \(2025-03-04\) cannot be in the future"):
        correct(court, docket, 1, received_on=(TODAY + timedelta(days=1)).isoformat())


def test_an_incident_date_is_not_corrected_to_after_the_date_of_receipt(court: Court) -> None:
    docket = court.file("civil", received_on=date(2025, 2, 21))

    with pytest.raises(CorrectionInconsistent, match=r"The corrected incident date \(2025-02-22\) cannot be after the date of receipt \(2025-02-21\)"):
        correct(court, docket, 1, incident_date="2025-02-22")


def test_a_date_of_receipt_is_not_corrected_to_before_the_incident_date(court: Court) -> None:
    docket = court.file("civil", incident_date=date(2024, 11, 1))

    with pytest.raises(CorrectionInconsistent, match=r"The corrected date of receipt \(2024-10-31\) cannot be before the incident date \(2024-11-01\)"):
        correct(court, docket, 1, received_on="2024-10-31")

    assert court.app.case(docket).received_on == date(2025, 2, 21)


def test_a_corrected_date_of_receipt_is_accepted(court: Court) -> None:
    docket = court.file("civil")

    correct(court, docket, 1, received_on="2025-02-20")

    assert court.app.case(docket).received_on == date(2025, 2, 20)


def test_a_document_is_docketed_by_its_hash(court: Court) -> None:
    docket = court.file("civil")

    receipt = court.app.file_document(docket, kind="medical_record", title="Discharge summary", filed_by="claimant", received_on=TODAY, sha256=SHA, size=2048, media_type="application/pdf", actor=CLERK)

    document = court.app.case(docket).documents[receipt["id"]]
    assert (receipt["id"], document["sha256"], document["version"]) == ("D1", SHA, 2)


def test_a_corrected_document_title_applies_to_that_document(court: Court) -> None:
    docket = court.file("civil")
    court.app.file_document(docket, kind="evidence", title="Photo", filed_by="claimant", received_on=TODAY, sha256=SHA, size=1, media_type="image/jpeg", actor=CLERK)
    court.app.file_document(docket, kind="evidence", title="Scan", filed_by="claimant", received_on=TODAY, sha256=SHA, size=1, media_type="image/png", actor=CLERK)

    correct(court, docket, 3, title="CT scan of the abdomen")

    documents = court.app.case(docket).documents
    assert (documents["D1"]["title"], documents["D2"]["title"]) == ("Photo", "CT scan of the abdomen")


def test_a_document_received_before_the_case_is_refused(court: Court) -> None:
    docket = court.file("civil")

    with pytest.raises(InvalidValue, match=r"The date of receipt \(2025-01-01\) cannot be before the case's date of receipt \(2025-02-21\)"):
        court.app.file_document(docket, kind="claim", title="Claim", filed_by="claimant", received_on=date(2025, 1, 1), sha256=SHA, size=1, media_type="application/pdf", actor=CLERK)


def test_a_document_is_identified_by_a_sha256_digest(court: Court) -> None:
    docket = court.file("civil")

    with pytest.raises(InvalidValue, match=r"A document is identified by its sha256 \(64 hex digits\)"):
        court.app.file_document(docket, kind="claim", title="Claim", filed_by="claimant", received_on=TODAY, sha256="abc", size=1, media_type="application/pdf", actor=CLERK)


def test_correcting_the_first_ruling_of_a_remanded_case_leaves_the_new_ruling_alone(court: Court) -> None:
    docket = court.decided("civil")  # the first ruling is entry 5
    court.app.file_appeal(docket, filed_on=TODAY, appellant="the respondent", actor=CLERK)
    court.app.decide_appeal(docket, outcome="remanded", decided_on=TODAY, actor=CLERK)
    court.rule(docket, disposition="no_liability", finding="medical_error", harm_found="serious", reasoning="Second reasoning")

    correct(court, docket, 5, reasoning="First reasoning, corrected")

    case = court.app.case(docket)
    assert case.ruling is not None
    assert (case.ruling["ruling_id"], case.ruling["reasoning"]) == ("RU2", "Second reasoning")
    assert case.corrections[-1]["corrections"] == {"reasoning": "First reasoning, corrected"}


def test_correcting_the_current_ruling_applies_to_it(court: Court) -> None:
    docket = court.decided("civil")

    correct(court, docket, 5, reasoning="Corrected", recommendation="Retrain the surgical team")

    ruling = court.app.case(docket).ruling
    assert ruling is not None
    assert (ruling["reasoning"], ruling["recommendation"]) == ("Corrected", "Retrain the surgical team")
