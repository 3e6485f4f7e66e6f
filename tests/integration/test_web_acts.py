"""The ruling page's act steps (filed on issue, rendered in kk/ru, downloaded, signed) and the
print-ready docket sheet (HTML and PDF, as of a date), through the web."""

from __future__ import annotations

import io
import re
from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient
from pypdf import PdfReader

from domain import clock
from projections import acts
from projections.signatures import CertificateStore
from tests.integration.act_support import PASSPHRASE, judge_pkcs12
from tests.integration.web_support import Court, post, signed_in, text

JUDGE = {"user": "judge", "role": "judge"}
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def pdf_text(data: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split())


def issue_liability_ruling(app: Flask, court: Court, client: FlaskClient) -> None:
    docket = app.extensions["medcourt"].docket
    docket.submit_expert_report(court.open_case, examination_id="EX1", received_on=clock.today(), standard_of_care_met="no", causation="yes", harm_found="serious", actor={**JUDGE, "judge_id": court.judge_id})
    draft = {"disposition": "liability_found", "decided_on": clock.today().isoformat(), "finding": "malpractice", "harm_found": "serious",
             "liable_respondents": "R1", "compensation.real_damage": "400000", "contributory_fault_pct": "10", "reasoning": "Imaging was not done.", "action": "issue"}
    assert post(client, f"/cases/{court.open_case}/ruling", draft).status_code == 303


def test_issuing_a_ruling_files_its_act_which_the_judge_downloads_and_renders_in_kazakh_and_russian(fresh: tuple[Flask, Court]) -> None:
    app, court = fresh
    client = signed_in(app, "judge")
    issue_liability_ruling(app, court, client)
    case_page = text(client.get(f"/cases/{court.open_case}"))
    assert "The ruling was recorded. Its act was filed as document D2" in case_page
    page = text(client.get(f"/cases/{court.open_case}/ruling"))
    assert "Judicial act (en)" in page and "not signed" in page
    english = client.get(f"/cases/{court.open_case}/documents/D2")
    assert english.mimetype == "application/pdf"
    assert "JUDGMENT" in pdf_text(english.data) and "awarded 400 000.00 KZT (four hundred thousand tenge, 00 tiyn)" in pdf_text(english.data)
    for language, document, words in (("kk", "D3", "СОТ ШЕШІМІ"), ("ru", "D4", "РЕШЕНИЕ СУДА")):
        rendered = post(client, f"/cases/{court.open_case}/ruling/act", {"language": language}, token_from=f"/cases/{court.open_case}/ruling")
        assert rendered.status_code == 303
        assert f"The act was filed as document {document}." in text(client.get(f"/cases/{court.open_case}/ruling"))
        assert words in pdf_text(client.get(f"/cases/{court.open_case}/documents/{document}").data)
    public = post(client, f"/cases/{court.open_case}/ruling/act", {"language": "ru", "public": "y"}, token_from=f"/cases/{court.open_case}/ruling")
    assert public.status_code == 303
    assert "Patient A" not in pdf_text(client.get(f"/cases/{court.open_case}/documents/D5").data)


def test_a_judge_signs_an_act_with_the_imported_certificate_and_it_verifies(fresh: tuple[Flask, Court]) -> None:
    app, court = fresh
    services = app.extensions["medcourt"]
    client = signed_in(app, "judge")
    issue_liability_ruling(app, court, client)
    assert "No signing certificate is imported for you" in text(client.get(f"/cases/{court.open_case}/ruling"))
    certificates = CertificateStore(services.settings.var_dir / "certificates")
    certificates.import_pkcs12(court.judge_id, judge_pkcs12("Aigerim Sadykova"), PASSPHRASE, clock.now())
    page = text(client.get(f"/cases/{court.open_case}/ruling"))
    assert "Your signing certificate: " in page and "CN=Aigerim Sadykova" in page
    wrong = post(client, f"/cases/{court.open_case}/ruling/sign", {"document_id": "D2", "passphrase": "guess"}, token_from=f"/cases/{court.open_case}/ruling")
    assert wrong.status_code == 303
    assert "The act was not signed: The certificate file does not open with this passphrase" in text(client.get(f"/cases/{court.open_case}/ruling"))
    post(client, f"/cases/{court.open_case}/ruling/sign", {"document_id": "D2", "passphrase": PASSPHRASE}, token_from=f"/cases/{court.open_case}/ruling")
    page = text(client.get(f"/cases/{court.open_case}/ruling"))
    assert "The act was signed and filed as document D3." in page and "Every act is signed." in page
    report = acts.verify_acts(services.docket, services.documents, certificates)
    assert (report.acts, report.signed, report.problems) == (2, 1, [])


def test_only_the_assigned_judge_renders_or_signs_an_act(fresh: tuple[Flask, Court]) -> None:
    app, court = fresh
    issue_liability_ruling(app, court, signed_in(app, "judge"))
    other = signed_in(app, "judge2")
    assert post(other, f"/cases/{court.open_case}/ruling/act", {"language": "ru"}).status_code == 403
    assert post(other, f"/cases/{court.open_case}/ruling/sign", {"document_id": "D2", "passphrase": "x"}).status_code == 403


def test_a_clerk_prints_the_docket_sheet_as_of_a_date_with_names_and_no_ids(seeded: tuple[Flask, Court]) -> None:
    app, court = seeded
    client = signed_in(app, "clerk")
    page = text(client.get(f"/cases/{court.open_case}/sheet"))
    assert f"Docket sheet of case {court.open_case}" in page
    assert "Judge Aigerim Sadykova assigned." in page and "Clerk (clerk)" in page
    assert "Examination EX1 ordered (forensic medical) from Dr Serik Ivanov" in page
    assert not UUID.search(page)
    # As it stood five weeks ago (the court was seeded 40 days ago): the document and hearing came later.
    earlier = text(client.get(f"/cases/{court.open_case}/sheet?as_of={(clock.today() - timedelta(days=35)).isoformat()}"))
    assert "Case filed" in earlier and "Document D1 filed" not in earlier
    pdf = client.get(f"/cases/{court.open_case}/sheet?format=pdf")
    assert pdf.mimetype == "application/pdf"
    assert f"Docket sheet of case {court.open_case}" in pdf_text(pdf.data) and "Aigerim Sadykova" in pdf_text(pdf.data)
    bad = client.get(f"/cases/{court.open_case}/sheet?as_of=someday")
    assert bad.status_code == 422 and "'someday' is not a date" in text(bad)


def test_the_act_steps_the_sheet_and_the_history_speak_kazakh_and_russian(fresh: tuple[Flask, Court]) -> None:
    app, court = fresh
    accounts = app.extensions["medcourt"].accounts
    client = signed_in(app, "judge")
    issue_liability_ruling(app, court, client)
    accounts.update_user(court.user_ids["judge"], language="kk")
    ruling_page = text(client.get(f"/cases/{court.open_case}/ruling"))
    assert "Сот актісі" in ruling_page and "Актіні жасау" in ruling_page
    assert "Актінің тілі" in ruling_page
    sheet = text(client.get(f"/cases/{court.open_case}/sheet"))
    assert f"{court.open_case} ісінің іс парағы" in sheet and "Aigerim Sadykova судья тағайындалды." in sheet
    accounts.update_user(court.user_ids["judge"], language="ru")
    history = text(client.get(f"/cases/{court.open_case}/history"))
    assert "<dt>медицинская специальность</dt><dd>хирургия</dd>" in history and "<dt>эксперты</dt><dd>Dr Serik Ivanov</dd>" in history
    assert not UUID.search(history)
    sheet = text(client.get(f"/cases/{court.open_case}/sheet"))
    assert "Назначен судья Aigerim Sadykova." in sheet and "Решение судьи Aigerim Sadykova" in sheet
    assert "Его акт подшит как документ D2" not in sheet  # the flash was shown once, in English, after issuing
