"""The clerk's work in the browser: intake, filings and downloads, judges, hearings, examinations,
mediation, appeals, corrections, sealing, the calendar; messages next to the fields, forms kept as typed."""

from __future__ import annotations

import hashlib
import html
import io
from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient

from tests.court_clock import COURT_TODAY
from tests.integration.web_support import PDF, Court, post, sign_in


def clerk_of(app: Flask, username: str = "clerk") -> FlaskClient:
    client = app.test_client()
    sign_in(client, username)
    return client


def intake(**changes: str) -> dict[str, str]:
    today = COURT_TODAY
    form = {
        "track": "civil", "court": "ALA", "received_on": today.isoformat(), "specialty": "obstetrics_gynecology",
        "alleged_harm": "moderate", "incident_date": (today - timedelta(days=60)).isoformat(),
        "claimant.name": "Aliya Serikova", "claimant.relation": "patient",
        "respondents.0.kind": "organization", "respondents.0.name": "Perinatal Centre No. 2", "respondents.0.bin": "111122223333",
        "respondents.1.kind": "specialist", "respondents.1.name": "Dr Yerlan Akhmetov", "respondents.1.certificate_no": "KZ-77-001",
        "claimed.real_damage": "1 250 000,50", "claimed.moral_harm": "3000000", "summary": "Birth injury alleged",
    }
    form.update(changes)
    return form


def test_a_clerk_files_a_civil_case_and_lands_on_it(fresh: tuple[Flask, Court]) -> None:
    app, _ = fresh
    client = clerk_of(app)
    response = post(client, "/cases/new", intake())
    assert response.status_code == 303
    number = response.headers["Location"].rsplit("/", 1)[1]
    assert number == f"ALA-{COURT_TODAY.year}-C-00004"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f"Case {number} is on the docket." in page
    assert "Perinatal Centre No. 2" in page and "1,250,000.50\u00a0₸" in page
    assert number in client.get("/cases?q=perinatal").get_data(as_text=True)  # the search sees the write at once


def test_an_empty_intake_form_says_what_is_missing_next_to_each_field(fresh: tuple[Flask, Court]) -> None:
    app, _ = fresh
    response = post(clerk_of(app), "/cases/new", {"summary": "only a summary"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    for field in ("track", "received_on", "specialty", "alleged_harm", "incident_date", "claimant-name"):
        assert f'id="{field}-error"' in page, field
    assert "This field is required." in page
    assert "Name at least one respondent." in page
    assert ">only a summary</textarea>" in page  # kept as typed


def test_malformed_values_get_their_own_messages_and_the_form_keeps_them(fresh: tuple[Flask, Court]) -> None:
    app, _ = fresh
    response = post(clerk_of(app), "/cases/new", intake(received_on="yesterday", **{"respondents.0.bin": "12ab", "claimed.real_damage": "a lot", "respondents.1.certificate_no": ""}))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Enter a date as YYYY-MM-DD." in page
    assert "A BIN is 12 digits." in page
    assert "Enter an amount in tenge" in page
    assert "A specialist needs a certificate number." in page
    assert 'value="a lot"' in page and 'value="Aliya Serikova"' in page


def test_the_domain_refusal_lands_on_the_field_it_concerns(fresh: tuple[Flask, Court]) -> None:
    app, _ = fresh
    client = clerk_of(app)
    mismatch = post(client, "/cases/new", intake(track="criminal", alleged_harm="minor", **{"claimed.real_damage": "", "claimed.moral_harm": ""}, **{"authority.kind": "prosecutor", "authority.name": "City Prosecutor"}))
    assert mismatch.status_code == 422
    page = mismatch.get_data(as_text=True)
    assert 'id="alleged_harm-error"' in page and "A criminal case cannot be about minor harm" in page
    future = post(client, "/cases/new", intake(received_on=(COURT_TODAY + timedelta(days=3)).isoformat()))
    assert future.status_code == 422 and 'id="received_on-error"' in future.get_data(as_text=True)
    no_claim = post(client, "/cases/new", intake(**{"claimed.real_damage": "", "claimed.moral_harm": ""}))
    assert "A civil claim states the amount claimed" in no_claim.get_data(as_text=True)


def test_a_clerk_uploads_a_document_and_it_downloads_with_safe_headers(fresh: tuple[Flask, Court]) -> None:
    app, court = fresh
    client = clerk_of(app)
    form = {"kind": "medical_record", "title": "Discharge summary", "filed_by": "Claimant", "received_on": COURT_TODAY.isoformat(),
            "sha256": hashlib.sha256(PDF).hexdigest(), "file": (io.BytesIO(PDF), "discharge.pdf")}
    response = post(client, f"/cases/{court.open_case}/documents/new", form, content_type="multipart/form-data")
    assert response.status_code == 303
    assert "Discharge summary" in client.get(f"/cases/{court.open_case}").get_data(as_text=True)
    download = client.get(f"/cases/{court.open_case}/documents/D2")
    assert download.status_code == 200 and download.data == PDF
    assert download.headers["Content-Type"] == "application/pdf"
    assert download.headers["Content-Disposition"] == f'attachment; filename="{court.open_case}-D2.pdf"'
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    stored = app.extensions["medcourt"].settings.documents_dir
    assert (stored / hashlib.sha256(PDF).hexdigest()[:2]).is_dir()


def test_uploads_of_the_wrong_kind_or_with_a_wrong_checksum_are_refused(fresh: tuple[Flask, Court]) -> None:
    app, court = fresh
    client = clerk_of(app)
    base = {"kind": "evidence", "title": "Photo", "filed_by": "Claimant", "received_on": COURT_TODAY.isoformat()}
    script = post(client, f"/cases/{court.open_case}/documents/new", {**base, "file": (io.BytesIO(b"<script>alert(1)</script>"), "x.html")}, content_type="multipart/form-data")
    assert script.status_code == 422 and "The court accepts PDF" in script.get_data(as_text=True)
    disguised = post(client, f"/cases/{court.open_case}/documents/new", {**base, "file": (io.BytesIO(PDF), "photo.png")}, content_type="multipart/form-data")
    assert disguised.status_code == 422 and "does not match its content" in disguised.get_data(as_text=True)
    wrong_hash = post(client, f"/cases/{court.open_case}/documents/new", {**base, "sha256": "0" * 64, "file": (io.BytesIO(PDF), "a.pdf")}, content_type="multipart/form-data")
    assert wrong_hash.status_code == 422 and 'id="sha256-error"' in wrong_hash.get_data(as_text=True)
    missing = post(client, f"/cases/{court.open_case}/documents/new", base, content_type="multipart/form-data")
    assert missing.status_code == 422 and "Choose the file to upload." in missing.get_data(as_text=True)
    assert 'value="Photo"' in missing.get_data(as_text=True)


def test_an_upload_over_the_size_limit_is_refused_with_a_message(tmp_path: object) -> None:
    from pathlib import Path

    from tests.integration.web_support import make_app, seed

    app = make_app(Path(str(tmp_path)) / "var", MAX_UPLOAD_BYTES=1024)
    court = seed(app)
    client = clerk_of(app)
    big = {"kind": "evidence", "title": "Scan", "filed_by": "Claimant", "received_on": COURT_TODAY.isoformat(), "file": (io.BytesIO(b"%PDF-" + b"0" * 4000), "scan.pdf")}
    response = post(client, f"/cases/{court.open_case}/documents/new", big, content_type="multipart/form-data")
    assert response.status_code == 422 and "larger than the limit" in response.get_data(as_text=True)
    huge = {**big, "file": (io.BytesIO(b"%PDF-" + b"0" * 3_000_000), "scan.pdf")}
    assert post(client, f"/cases/{court.open_case}/documents/new", huge, content_type="multipart/form-data").status_code == 413


def test_a_damaged_stored_file_is_not_served(fresh: tuple[Flask, Court]) -> None:
    app, court = fresh
    path = app.extensions["medcourt"].documents.path_for(hashlib.sha256(PDF).hexdigest())
    path.write_bytes(b"%PDF-tampered")
    response = clerk_of(app).get(f"/cases/{court.open_case}/documents/{court.document_id}")
    assert response.status_code == 500
    assert "does not match the document's checksum" in html.unescape(response.get_data(as_text=True))


def test_the_judge_suggestion_is_the_certified_judge_with_the_lightest_caseload(fresh: tuple[Flask, Court]) -> None:
    app, court = fresh
    client = clerk_of(app)
    number = post(client, "/cases/new", intake()).headers["Location"].rsplit("/", 1)[1]
    page = client.get(f"/cases/{number}/judge").get_data(as_text=True)
    # Aigerim Sadykova has three open cases, Bolat Nurlanov none (his one case is decided).
    assert "Suggested: Bolat Nurlanov. Of the 2 judges of this court certified in medical law today, they have the fewest open cases (0)." in page
    assert f'<option value="{court.second_judge_id}" selected>' in page
    assert "Dana Omarova" not in page  # a judge of another court
    assert post(client, f"/cases/{number}/judge", {"judge_id": court.second_judge_id}).status_code == 303
    assert "judge: Bolat Nurlanov" in client.get(f"/cases/{number}").get_data(as_text=True)
    again = post(client, f"/cases/{number}/judge", {"judge_id": court.other_court_judge_id})
    assert again.status_code == 422 and "sits in AST, not in this court" in again.get_data(as_text=True)


def test_hearings_are_scheduled_and_a_double_booking_is_refused_with_the_clash_named(fresh: tuple[Flask, Court]) -> None:
    app, court = fresh
    client = clerk_of(app)
    day = (COURT_TODAY + timedelta(days=2)).isoformat()
    clash = post(client, f"/cases/{court.criminal_case}/hearings/new", {"date": day, "time": "10:30", "duration_minutes": "60", "courtroom": "101", "purpose": "merits"})
    assert clash.status_code == 409  # R7: a conflict with the calendar's state, as in the API
    page = clash.get_data(as_text=True)
    assert f"(case {court.open_case}, hearing H1)" in page and 'id="date-error"' in page
    assert 'value="merits"' in page
    ok = post(client, f"/cases/{court.criminal_case}/hearings/new", {"date": day, "time": "14:00", "duration_minutes": "90", "courtroom": "102", "purpose": "merits"})
    assert ok.status_code == 303
    past = post(client, f"/cases/{court.criminal_case}/hearings/new", {"date": "2020-01-01", "time": "09:00", "courtroom": "103", "purpose": "late"})
    assert past.status_code == 409 and "start in the future" in past.get_data(as_text=True)
    week = client.get(f"/calendar?view=week&day={day}").get_data(as_text=True)
    assert court.open_case in week and court.criminal_case in week and "(90 minutes)" in week


def test_a_hearing_is_rescheduled_and_cancelled(fresh: tuple[Flask, Court]) -> None:
    app, court = fresh
    client = clerk_of(app)
    hearing = f"/cases/{court.open_case}/hearings/{court.hearing_id}"
    day = (COURT_TODAY + timedelta(days=3)).isoformat()
    no_reason = post(client, f"{hearing}/reschedule", {"date": day, "time": "11:00"})
    assert no_reason.status_code == 422 and 'id="reason-error"' in no_reason.get_data(as_text=True)
    assert post(client, f"{hearing}/reschedule", {"date": day, "time": "11:00", "reason": "expert unavailable"}).status_code == 303
    assert "rescheduled once" in client.get(f"/cases/{court.open_case}").get_data(as_text=True)
    assert post(client, f"{hearing}/cancel", {"reason": "claim withdrawn"}).status_code == 303
    assert post(client, f"{hearing}/cancel", {"reason": "again"}).status_code == 422


def test_the_calendar_hides_hearings_of_sealed_cases_from_those_who_may_not_see_them(fresh: tuple[Flask, Court]) -> None:
    app, court = fresh
    docket = app.extensions["medcourt"].docket
    day = COURT_TODAY + timedelta(days=4)
    from datetime import datetime, time

    docket.schedule_hearing(court.sealed_case, starts_at=datetime.combine(day, time(9)), courtroom="105", purpose="sealed", actor={"user": "clerk", "role": "clerk", "court": "ALA"})
    url = f"/calendar?view=day&day={day.isoformat()}&court=ALA"
    assert court.sealed_case in clerk_of(app).get(url).get_data(as_text=True)
    assert court.sealed_case not in clerk_of(app, "clerk_ast").get(url).get_data(as_text=True)
    assert court.sealed_case not in clerk_of(app, "judge2").get(url).get_data(as_text=True)


def test_an_examination_is_ordered_and_its_report_recorded(fresh: tuple[Flask, Court]) -> None:
    app, court = fresh
    client = clerk_of(app)
    due = (COURT_TODAY + timedelta(days=20)).isoformat()
    commission = post(client, f"/cases/{court.criminal_case}/examinations/new", {"kind": "commission", "questions": "Was anaesthesia adequate?", "expert_ids": court.expert_id, "due_on": due})
    assert commission.status_code == 422 and "at least two experts" in commission.get_data(as_text=True)
    assert post(client, f"/cases/{court.criminal_case}/examinations/new", {"kind": "forensic_medical", "questions": "Q1\nQ2", "expert_ids": court.expert_id, "due_on": due}).status_code == 303
    report = {"received_on": COURT_TODAY.isoformat(), "standard_of_care_met": "no", "causation": "yes", "harm_found": "serious", "summary": "Dose too high"}
    assert post(client, f"/cases/{court.criminal_case}/examinations/EX1/report", report).status_code == 303
    page = client.get(f"/cases/{court.criminal_case}").get_data(as_text=True)
    assert "standard of care met: no, causation: yes, harm: serious" in page


def test_an_affiliated_expert_is_refused_with_the_affiliation_named(fresh: tuple[Flask, Court]) -> None:
    app, court = fresh
    from datetime import date

    app.extensions["medcourt"].docket.declare_affiliation(court.expert_id, "123456789012", "City Hospital No. 4", date(2010, 1, 1), None, {"user": "admin", "role": "admin"})
    response = post(clerk_of(app), f"/cases/{court.decided_case}/examinations/new", {"kind": "forensic_medical", "questions": "Q", "expert_ids": court.expert_id, "due_on": (COURT_TODAY + timedelta(days=9)).isoformat()})
    assert response.status_code == 409  # the case is decided (R8, a conflict with its state) before independence is even asked
    number = post(clerk_of(app), "/cases/new", intake(specialty="surgery", **{"respondents.0.bin": "123456789012"})).headers["Location"].rsplit("/", 1)[1]
    app.extensions["medcourt"].docket.assign_judge(number, court.judge_id, {"user": "clerk", "role": "clerk", "court": "ALA"})
    refused = post(clerk_of(app), f"/cases/{number}/examinations/new", {"kind": "forensic_medical", "questions": "Q", "expert_ids": court.expert_id, "due_on": (COURT_TODAY + timedelta(days=9)).isoformat()})
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert "The expert is not independent (R6)" in page and "BIN 123456789012" in page and 'id="expert_ids-error"' in page


def test_mediation_is_referred_and_concluded(fresh: tuple[Flask, Court]) -> None:
    app, court = fresh
    client = clerk_of(app)
    due = (COURT_TODAY + timedelta(days=30)).isoformat()
    assert post(client, f"/cases/{court.open_case}/mediation/refer", {"mediator_id": court.mediator_id, "due_on": due}).status_code == 303
    twice = post(client, f"/cases/{court.open_case}/mediation/refer", {"mediator_id": court.mediator_id, "due_on": due})
    assert twice.status_code == 409 and "already open" in twice.get_data(as_text=True)
    assert post(client, f"/cases/{court.open_case}/mediation/conclude", {"outcome": "settled", "concluded_on": COURT_TODAY.isoformat()}).status_code == 303
    assert "Gulnara Abenova" in client.get(f"/cases/{court.open_case}").get_data(as_text=True)


def test_appeals_are_filed_and_decided_and_late_ones_refused(fresh: tuple[Flask, Court]) -> None:
    app, court = fresh
    client = clerk_of(app)
    decided_on = app.extensions["medcourt"].docket.case(court.decided_case).ruling["decided_on"]
    early = post(client, f"/cases/{court.decided_case}/appeals/file", {"filed_on": "2020-01-01", "appellant": "Claimant"})
    assert early.status_code == 409 and "cannot be filed before the ruling" in early.get_data(as_text=True)
    late = post(client, f"/cases/{court.decided_case}/appeals/file", {"filed_on": COURT_TODAY.isoformat(), "appellant": "Claimant"})
    assert late.status_code == 409 and "The appeal is not allowed (R8)" in late.get_data(as_text=True) and "too late" in late.get_data(as_text=True)
    in_time = (decided_on + timedelta(days=5)).isoformat()
    assert post(client, f"/cases/{court.decided_case}/appeals/file", {"filed_on": in_time, "appellant": "Claimant"}).status_code == 303
    assert post(client, f"/cases/{court.decided_case}/appeals/decide", {"outcome": "remanded", "decided_on": COURT_TODAY.isoformat()}).status_code == 303
    assert "status: <strong>pending</strong>" in client.get(f"/cases/{court.decided_case}").get_data(as_text=True)


def test_an_entry_is_corrected_and_both_versions_stay_in_the_history(fresh: tuple[Flask, Court]) -> None:
    app, court = fresh
    client = clerk_of(app)
    refused = post(client, f"/cases/{court.open_case}/corrections/new", {"corrects_version": "1", "reason": "typo", "field": "title", "value": "x"})
    assert refused.status_code == 422 and "cannot be corrected on a CaseFiled entry" in refused.get_data(as_text=True)
    ok = post(client, f"/cases/{court.open_case}/corrections/new", {"corrects_version": "1", "reason": "typo in the summary", "field": "summary", "value": "Complications after a cholecystectomy"})
    assert ok.status_code == 303
    history = client.get(f"/cases/{court.open_case}/history").get_data(as_text=True)
    assert "Complications after an appendectomy" in history and "Complications after a cholecystectomy" in history
    assert "corrected by" in history


def test_a_clerk_seals_a_case_and_only_a_judge_or_administrator_unseals_it(fresh: tuple[Flask, Court]) -> None:
    app, court = fresh
    client = clerk_of(app)
    assert post(client, f"/cases/{court.open_case}/seal", {"reason": "sensitive_diagnosis"}).status_code == 303
    assert app.test_client().get(f"/public/{court.open_case}").status_code == 404
    assert post(client, f"/cases/{court.open_case}/unseal", {"reason": "no longer needed"}).status_code == 403
    judge = app.test_client()
    sign_in(judge, "judge")
    assert post(judge, f"/cases/{court.open_case}/unseal", {"reason": "order lifted"}).status_code == 303
    assert app.test_client().get(f"/public/{court.open_case}").status_code == 200


def test_a_form_submitted_after_someone_else_changed_the_case_says_what_changed(fresh: tuple[Flask, Court]) -> None:
    app, court = fresh
    client = clerk_of(app)
    case = app.extensions["medcourt"].docket.case(court.open_case)
    shown_at = case.version
    app.extensions["medcourt"].docket.seal_case(court.open_case, reason="minor", actor={"user": "other-clerk", "role": "clerk", "court": "ALA"})
    response = post(client, f"/cases/{court.open_case}/mediation/refer", {"expected_version": str(shown_at), "mediator_id": court.mediator_id, "due_on": (COURT_TODAY + timedelta(days=5)).isoformat()})
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "the case changed" in page and "Case sealed" in page and "other-clerk" in page
    assert f'name="expected_version" value="{shown_at + 1}"' in page
    again = post(client, f"/cases/{court.open_case}/mediation/refer", {"expected_version": str(shown_at + 1), "mediator_id": court.mediator_id, "due_on": (COURT_TODAY + timedelta(days=5)).isoformat()})
    assert again.status_code == 303


def test_bad_input_never_breaks_a_form(fresh: tuple[Flask, Court]) -> None:
    app, court = fresh
    client = clerk_of(app)
    nasty = ["", " ", "0", "-1", "9" * 40, "2026-02-30", "x" * 50_000, "<b>bold</b>", "NaN", "Infinity", "1e999", "\u0000", "📎"]
    targets = {
        "/cases/new": ["track", "received_on", "claimed.real_damage", "respondents.0.bin", "respondents.7.name", "claimant"],
        f"/cases/{court.open_case}/hearings/new": ["date", "time", "duration_minutes", "courtroom"],
        f"/cases/{court.open_case}/examinations/new": ["kind", "due_on", "expert_ids"],
        f"/cases/{court.open_case}/corrections/new": ["corrects_version", "field", "value"],
        f"/cases/{court.open_case}/mediation/refer": ["mediator_id", "due_on"],
        f"/cases/{court.open_case}/judge": ["judge_id", "expected_version"],
        f"/cases/{court.decided_case}/appeals/file": ["filed_on", "appellant"],
    }
    for path, names in targets.items():
        for value in nasty:
            form = {name: value for name in names}
            response = post(client, path, form)
            assert response.status_code < 500, (path, value, response.get_data(as_text=True)[:500])
            if value == "<b>bold</b>":
                assert "<b>bold</b>" not in response.get_data(as_text=True)  # escaped, never markup


def test_with_an_outside_projector_a_write_waits_for_it_and_says_when_lists_lag(tmp_path: object) -> None:
    from pathlib import Path

    from projections.projector import Projector
    from tests.integration.web_support import make_app, seed

    app = make_app(Path(str(tmp_path)) / "var", PROJECT_INLINE=False, READ_YOUR_WRITES_SECONDS=0.2)
    court = seed(app)
    client = clerk_of(app)
    response = post(client, "/cases/new", intake())
    assert response.status_code == 303  # nothing projects: the write is saved, the wait times out
    assert "Lists and dashboards may take a moment to show it." in client.get(response.headers["Location"]).get_data(as_text=True)
    with Projector(app.extensions["medcourt"].settings) as projector:
        projector.catch_up()
    assert court.open_case in client.get("/cases").get_data(as_text=True)
