"""The main journeys, in a real browser: a clerk dockets a case; a judge reviews its history and rules;
an analyst cannot open a sealed case. Each ends with a screenshot under tests/e2e/artifacts/."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.court_clock import COURT_TODAY
from tests.e2e.conftest import LiveCourt, sign_in
from tests.integration.web_support import PDF

pytestmark = pytest.mark.e2e


def test_a_clerk_files_a_case_uploads_a_document_and_schedules_a_hearing(page: Page, live: LiveCourt, tmp_path: Path) -> None:
    # Sign in and open the intake form from the navigation.
    sign_in(page, live, "clerk")
    expect(page.get_by_role("heading", name="Cases")).to_be_visible()
    page.get_by_role("link", name="New case").click()

    # Fill in the intake form, leaving the claimant's name out: the form says so and keeps the rest.
    today = COURT_TODAY
    page.get_by_label("Track").select_option("civil")
    page.get_by_label("Received on").fill(today.isoformat())
    page.get_by_label("Medical specialty").select_option("surgery")
    page.get_by_label("Alleged harm").select_option("serious")
    page.get_by_label("Date of the medical care at issue").fill((today - timedelta(days=45)).isoformat())
    page.locator("#respondents-0-kind").select_option("organization")
    page.locator("#respondents-0-name").fill("Regional Hospital No. 7")
    page.locator("#respondents-0-bin").fill("210987654321")
    page.get_by_label("real damage").fill("750 000")
    page.get_by_role("button", name="File the case").click()
    expect(page.locator("#claimant-name-error")).to_have_text("This field is required.")
    expect(page.locator("#respondents-0-name")).to_have_value("Regional Hospital No. 7")
    page.get_by_label("Full name").fill("Madina Zhaksybekova")
    page.get_by_role("button", name="File the case").click()
    expect(page.get_by_text(re.compile(r"Case ALA-\d{4}-C-\d{5} is on the docket\."))).to_be_visible()
    number = page.url.rsplit("/", 1)[1]

    # Assign the suggested judge.
    page.get_by_role("link", name="Judge assignment").click()
    expect(page.locator("#suggestion")).to_contain_text("Suggested: Bolat Nurlanov")
    page.get_by_role("button", name="Assign").click()
    expect(page.get_by_text("The judge was assigned.")).to_be_visible()

    # Upload a document.
    scan = tmp_path / "referral.pdf"
    scan.write_bytes(PDF)
    page.get_by_role("link", name="File a document").click()
    page.locator("#file").set_input_files(str(scan))
    page.get_by_label("Kind").select_option("medical_record")
    page.get_by_label("Title").fill("Referral letter")
    page.get_by_label("Filed by").fill("Claimant")
    page.get_by_role("button", name="File the document").click()
    expect(page.get_by_role("link", name="Referral letter")).to_be_visible()

    # Schedule a hearing in three days at 15:00, Almaty time.
    page.get_by_role("link", name="Schedule a hearing").click()
    page.locator("#date").fill((today + timedelta(days=3)).isoformat())
    page.get_by_label("Start time (Almaty)").fill("15:00")
    page.get_by_label("Courtroom").fill("201")
    page.get_by_label("Purpose").fill("preliminary hearing")
    page.get_by_role("button", name="Schedule").click()
    expect(page.get_by_text("The hearing was scheduled.")).to_be_visible()
    hearings = page.locator("section", has=page.get_by_role("heading", name="Hearings"))
    expect(hearings).to_contain_text("201")
    expect(hearings).to_contain_text("preliminary hearing")
    assert number in page.url


def test_a_judge_reviews_the_history_as_of_an_earlier_date_and_issues_a_ruling_the_rules_first_refuse(page: Page, live: LiveCourt) -> None:
    court = live.court
    docket = live.app.extensions["medcourt"].docket
    docket.submit_expert_report(
        court.open_case, examination_id="EX1", received_on=COURT_TODAY, standard_of_care_met="no", causation="yes",
        harm_found="serious", summary="Sepsis after a delayed diagnosis", actor={"user": "judge", "role": "judge", "judge_id": court.judge_id},
    )
    # The dashboard lists the case as ready for a ruling; open its history.
    sign_in(page, live, "judge")
    expect(page.get_by_role("heading", name="My dashboard")).to_be_visible()
    page.get_by_role("link", name=court.open_case).first.click()
    page.get_by_role("link", name="History").click()
    expect(page.get_by_text("#1 Case filed")).to_be_visible()

    # The case as it stood 35 days ago: three entries, no documents yet.
    earlier = COURT_TODAY - timedelta(days=35)
    page.get_by_label("As it stood on").fill(earlier.isoformat())
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("heading", name=re.compile(r"The case as it stood at the end of .* \(entry 3\)"))).to_be_visible()
    expect(page.locator("ol.timeline > li")).to_have_count(3)

    # The ruling: compensation above the claim is refused, with the rule named; corrected, it is issued.
    page.get_by_role("link", name="Case", exact=True).click()
    page.get_by_role("link", name="Issue the ruling").click()
    page.get_by_label("Disposition").select_option("liability_found")
    page.get_by_label("Finding").select_option("malpractice")
    page.get_by_label("Harm found", exact=True).select_option("serious")
    page.get_by_label(re.compile("^R1: City Hospital No. 4")).check()
    page.get_by_label("real damage").fill("650000")
    page.get_by_role("button", name="Issue the ruling").click()
    expect(page.locator("#blocking")).to_contain_text("exceeds the amount claimed for it")
    expect(page.locator("#compensation-real_damage-error")).to_contain_text("Compensation above the claim (R9)")
    expect(page.get_by_label("real damage")).to_have_value("650000")
    page.get_by_label("real damage").fill("450000")
    page.get_by_role("button", name="Check against the rules").click()
    expect(page.locator("#no-blocking")).to_be_visible()
    page.get_by_role("button", name="Issue the ruling").click()
    expect(page.get_by_text("The ruling was recorded.")).to_be_visible()
    expect(page.locator(".case-head")).to_contain_text("decided")


def test_an_analyst_cannot_open_a_sealed_case_and_the_pages_speak_three_languages(page: Page, live: LiveCourt) -> None:
    court = live.court
    sign_in(page, live, "analyst")
    expect(page).to_have_url(f"{live.url}/analytics")  # an analyst's start page
    page.get_by_role("link", name="Cases").click()
    page.get_by_label("Search", exact=True).fill("Sealed Patient")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_text("0 cases found")).to_be_visible()
    response = page.goto(f"{live.url}/cases/{court.sealed_case}")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", name="There is no such page or case.")).to_be_visible()

    # Keyboard first: the first Tab reaches the skip link.
    page.keyboard.press("Tab")
    expect(page.locator(".skip")).to_be_focused()

    # Switch to Kazakh, then Russian, with the header's language form.
    page.get_by_label("Language").select_option("kk")
    page.get_by_role("button", name="Switch").click()
    expect(page.locator("html")).to_have_attribute("lang", "kk")
    expect(page.get_by_role("heading", name="Мұндай бет немесе іс жоқ.")).to_be_visible()
    page.get_by_label("Тіл").select_option("ru")
    page.get_by_role("button", name="Ауыстыру").click()
    expect(page.get_by_role("heading", name="Такой страницы или дела нет.")).to_be_visible()
