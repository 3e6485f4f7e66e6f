"""In a real browser: a judge issues a ruling, downloads its act in Kazakh and Russian, reads the
PDF's text, signs each act with a certificate made for the test, and the signed acts verify; a clerk
prints the docket sheet as of a date. Screenshots of the acts (rasterised with PDFium) and of the
pages go under tests/e2e/artifacts/."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from projections import acts
from projections.signatures import CertificateStore, check_signed
from tests.court_clock import COURT_NOW, COURT_TODAY
from tests.e2e.conftest import ARTIFACTS, LiveCourt, sign_in
from tests.integration.act_support import PASSPHRASE, judge_pkcs12

pytestmark = pytest.mark.e2e
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def pdf_text(data: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split())


def save_first_page(data: bytes, name: str) -> None:
    """The act's first page as a PNG (PDFium), beside the browser screenshots."""
    import pypdfium2

    ARTIFACTS.mkdir(exist_ok=True)
    document = pypdfium2.PdfDocument(data)
    try:
        document[0].render(scale=1.5).to_pil().save(ARTIFACTS / name)
    finally:
        document.close()


def download(page: Page, link_name: str) -> bytes:
    with page.expect_download() as info:
        page.get_by_role("link", name=link_name).click()
    path = info.value.path()
    assert path is not None
    return path.read_bytes()


def test_a_judge_issues_a_ruling_downloads_its_act_in_kazakh_and_russian_signs_them_and_they_verify(page: Page, live: LiveCourt) -> None:
    court = live.court
    services = live.app.extensions["medcourt"]
    docket = services.docket
    docket.submit_expert_report(
        court.open_case, examination_id="EX1", received_on=COURT_TODAY, standard_of_care_met="no", causation="yes",
        harm_found="serious", summary="Sepsis after a delayed diagnosis", actor={"user": "judge", "role": "judge", "judge_id": court.judge_id},
    )
    certificates = CertificateStore(services.settings.var_dir / "certificates")
    certificates.import_pkcs12(court.judge_id, judge_pkcs12("Aigerim Sadykova"), PASSPHRASE, COURT_NOW)

    # The judge issues a liability ruling; its act is filed with it.
    sign_in(page, live, "judge")
    page.goto(f"{live.url}/cases/{court.open_case}/ruling")
    page.get_by_label("Disposition").select_option("liability_found")
    page.get_by_label("Finding").select_option("malpractice")
    page.get_by_label("Harm found", exact=True).select_option("serious")
    page.get_by_label(re.compile("^R1: City Hospital No. 4")).check()
    page.get_by_label("real damage").fill("450000")
    page.get_by_label("Reasoning").fill("The diagnosis was delayed by two days.")
    page.get_by_role("button", name="Issue the ruling").click()
    expect(page.get_by_text(re.compile(r"The ruling was recorded\. Its act was filed as document D2"))).to_be_visible()
    page.get_by_role("link", name="Judicial act", exact=True).click()

    for language, words, amount in (
        ("kk", "СОТ ШЕШІМІ", "450 000,00 KZT (төрт жүз елу мың теңге, нөл тиын)"),
        ("ru", "РЕШЕНИЕ СУДА", "450 000,00 KZT (четыреста пятьдесят тысяч тенге, ноль тиынов)"),
    ):
        # Render the act in the language, download it and read it.
        page.get_by_label("Language of the act").select_option(language)
        page.get_by_role("button", name="Render the act").click()
        filed = page.get_by_text(re.compile(r"The act was filed as document D\d+\."))
        expect(filed).to_be_visible()
        document_id = re.findall(r"D\d+", filed.inner_text())[0]
        title = acts.act_title(acts.ActRequest(court.open_case, 0, language))
        data = download(page, title)
        text = pdf_text(data)
        assert words in text and court.open_case in text and amount in text and "Aigerim Sadykova" in text
        save_first_page(data, f"act-{language}.png")

        # Sign it with the certificate's passphrase; the signed copy is filed and downloads.
        page.get_by_label("Act", exact=True).select_option(label=f"{document_id}: {title}")
        page.get_by_label("Passphrase of your certificate").fill(PASSPHRASE)
        page.get_by_role("button", name="Sign", exact=True).click()
        expect(page.get_by_text(re.compile(r"The act was signed and filed as document D\d+\."))).to_be_visible()
        signed = download(page, acts.act_title(acts.ActRequest(court.open_case, 0, language), signed=True))
        check = check_signed(signed, certificates.public_pem(court.judge_id))
        assert (check.signed, check.problems) == (True, [])
        assert signed.startswith(data)

    page.screenshot(path=str(ARTIFACTS / "ruling-page-acts.png"), full_page=True)
    report = acts.verify_acts(docket, services.documents, certificates)
    assert (report.acts, report.signed, report.problems) == (5, 2, [])


def test_a_clerk_prints_the_docket_sheet_as_of_a_date(page: Page, live: LiveCourt) -> None:
    court = live.court
    sign_in(page, live, "clerk")
    page.goto(f"{live.url}/cases/{court.open_case}")
    page.get_by_role("link", name="Docket sheet").click()
    expect(page.get_by_role("heading", name=f"Docket sheet of case {court.open_case}")).to_be_visible()
    expect(page.locator("table.sheet-table")).to_contain_text("Judge Aigerim Sadykova assigned.")
    assert not UUID.search(page.content())
    page.get_by_label("As it stood on").fill((COURT_TODAY - timedelta(days=35)).isoformat())
    page.get_by_role("button", name="Show").click()
    expect(page.locator("table.sheet-table tbody tr")).to_have_count(3)
    page.emulate_media(media="print")  # as printed: no navigation, the sheet alone
    expect(page.locator("header.top")).to_be_hidden()
    page.screenshot(path=str(ARTIFACTS / "docket-sheet-print.png"), full_page=True)
    page.emulate_media(media="screen")
    with page.expect_download() as info:
        page.evaluate("document.getElementById('sheet-pdf').setAttribute('download', '')")
        page.locator("#sheet-pdf").click()
    path = info.value.path()
    assert path is not None
    assert f"Docket sheet of case {court.open_case}" in pdf_text(path.read_bytes())
    save_first_page(path.read_bytes(), "docket-sheet-pdf.png")
