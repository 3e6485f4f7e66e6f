"""The judge's pages: the dashboard, a case's history as of a date and between two dates, and a
ruling form that shows what the rules refuse before anything is recorded."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask

from tests.court_clock import COURT_TODAY
from tests.integration.web_support import Court, post, sign_in, signed_in, text

CLERK = {"user": "clerk", "role": "clerk", "court": "ALA"}  # the seeded court's clerk (R14)


def test_the_dashboard_lists_the_judges_cases_hearings_and_overdue_reports(fresh: tuple[Flask, Court]) -> None:
    app, court = fresh
    page = text(signed_in(app, "judge").get("/judge"))
    for number in (court.open_case, court.sealed_case, court.criminal_case):
        assert number in page
    assert court.decided_case not in page  # decided, and another judge's
    assert "preliminary hearing" in page
    assert "days overdue" in page  # EX1 was due ten days ago


def test_a_judge_account_without_a_registry_link_is_told_so(fresh: tuple[Flask, Court]) -> None:
    app, court = fresh
    app.extensions["medcourt"].accounts.create_user("newjudge", "long enough pw", "judge", court="ALA", language="en")
    client = app.test_client()
    sign_in(client, "newjudge", "long enough pw")
    assert "not linked to a judge of the registry" in text(client.get("/judge"))


def test_the_history_lists_every_entry_with_who_and_when_and_filters_by_kind(fresh: tuple[Flask, Court]) -> None:
    app, court = fresh
    client = signed_in(app, "judge")
    page = text(client.get(f"/cases/{court.open_case}/history"))
    for kind in ("Case filed", "Judge assigned", "Examination ordered", "Document filed", "Hearing scheduled"):
        assert kind in page
    assert "Clerk (clerk)" in page and "Judge (judge)" in page  # who, by the account's display name
    # People by name with labelled fields, never by id.
    assert court.judge_id not in page and court.expert_id not in page
    assert "Aigerim Sadykova" in page and "Dr Serik Ivanov" in page and "<dt>medical specialty</dt><dd>surgery</dd>" in page
    only = text(client.get(f"/cases/{court.open_case}/history?kind=HearingScheduled"))
    assert "#5 Hearing scheduled" in only and "#1 Case filed" not in only


def test_the_case_as_it_stood_on_an_earlier_date(fresh: tuple[Flask, Court]) -> None:
    app, court = fresh
    client = signed_in(app, "judge")
    earlier = COURT_TODAY - timedelta(days=35)
    page = text(client.get(f"/cases/{court.open_case}/history?as_of={earlier.isoformat()}"))
    assert "The case as it stood at the end of" in page and "(entry 3)" in page
    assert "Statement of claim" not in page  # filed today, after that date
    before = text(client.get(f"/cases/{court.open_case}/history?as_of=2020-01-01"))
    assert "was not yet on the docket on 2020-01-01" in before
    bad = client.get(f"/cases/{court.open_case}/history?as_of=31.12.2025")
    assert bad.status_code == 422 and "is not a date (YYYY-MM-DD)" in text(bad)


def test_two_dates_side_by_side_with_the_changes_marked(fresh: tuple[Flask, Court]) -> None:
    app, court = fresh
    earlier = (COURT_TODAY - timedelta(days=35)).isoformat()
    page = text(signed_in(app, "judge").get(f"/cases/{court.open_case}/diff?from={earlier}&to={COURT_TODAY.isoformat()}"))
    assert '<tr class="changed"><th scope="row">Document D1' in page
    assert '<tr class="changed"><th scope="row">Hearing H1' in page
    assert '<tr><th scope="row">Track' in page  # unchanged rows are not marked


def test_the_ruling_form_shows_what_blocks_a_ruling_on_the_merits_before_anything_is_typed(fresh: tuple[Flask, Court]) -> None:
    app, court = fresh
    page = text(signed_in(app, "judge").get(f"/cases/{court.open_case}/ruling"))
    assert "Before a ruling on the merits:" in page
    assert "Expert examination EX1 is still pending" in page


def test_a_ruling_the_rules_refuse_is_shown_with_why_and_then_issued_once_fixed(fresh: tuple[Flask, Court]) -> None:
    app, court = fresh
    docket = app.extensions["medcourt"].docket
    docket.submit_expert_report(court.open_case, examination_id="EX1", received_on=COURT_TODAY, standard_of_care_met="no", causation="yes", harm_found="serious", actor=CLERK)
    client = signed_in(app, "judge")
    today = COURT_TODAY.isoformat()
    draft = {"disposition": "liability_found", "decided_on": today, "finding": "malpractice", "harm_found": "serious",
             "liable_respondents": "R1", "compensation.real_damage": "600 000", "compensation.moral_harm": "250000", "contributory_fault_pct": "10"}
    checked = post(client, f"/cases/{court.open_case}/ruling", {**draft, "action": "check"})
    assert checked.status_code == 200
    assert "The rules refuse this ruling:" in text(checked) and "exceeds the amount claimed" in text(checked)
    refused = post(client, f"/cases/{court.open_case}/ruling", {**draft, "action": "issue"})
    assert refused.status_code == 422
    page = text(refused)
    assert "Compensation above the claim (R9)" in page and 'id="compensation-real_damage-error"' in page
    assert 'value="600 000"' in page  # kept as typed
    fixed = {**draft, "compensation.real_damage": "400000"}
    assert "No rule blocks this ruling" in text(post(client, f"/cases/{court.open_case}/ruling", {**fixed, "action": "check"}))
    issued = post(client, f"/cases/{court.open_case}/ruling", {**fixed, "action": "issue"})
    assert issued.status_code == 303
    case_page = text(client.get(f"/cases/{court.open_case}"))
    assert "The ruling was recorded." in case_page and "liability found" in case_page
    assert "360,000.00\u00a0₸" in case_page  # 400,000 less 10% contributory fault (R9)


def test_the_live_check_answers_in_json(fresh: tuple[Flask, Court]) -> None:
    app, court = fresh
    client = signed_in(app, "judge")
    answer = post(client, f"/cases/{court.criminal_case}/ruling/check", {"disposition": "liability_found", "decided_on": COURT_TODAY.isoformat(), "finding": "incident", "harm_found": "serious"})
    assert answer.status_code == 200 and answer.is_json
    assert answer.get_json()["blocking"]
    malformed = post(client, f"/cases/{court.criminal_case}/ruling/check", {"disposition": "guilty"})
    assert malformed.get_json()["errors"]["disposition"] == ["Choose one of the options."]


def test_an_organization_cannot_be_held_criminally_liable(fresh: tuple[Flask, Court]) -> None:
    app, court = fresh
    docket = app.extensions["medcourt"].docket
    docket.order_examination(court.criminal_case, kind="forensic_medical", questions=["Q"], expert_ids=[court.expert_id], due_on=COURT_TODAY + timedelta(days=5), actor=CLERK)
    docket.submit_expert_report(court.criminal_case, examination_id="EX1", received_on=COURT_TODAY, standard_of_care_met="no", causation="yes", harm_found="serious", actor=CLERK)
    draft = {"disposition": "liability_found", "decided_on": COURT_TODAY.isoformat(), "finding": "malpractice", "harm_found": "serious",
             "liable_respondents": ["R1", "R2"], "sanctions.0.respondent_id": "R1", "sanctions.0.kind": "imprisonment", "sanctions.0.months": "12", "action": "issue"}
    refused = post(signed_in(app, "judge"), f"/cases/{court.criminal_case}/ruling", draft)
    assert refused.status_code == 422
    assert "Criminal liability applies only to individuals: 'Clinic One' is an organization" in text(refused)


def test_views_of_a_sealed_case_are_recorded_and_listed_for_administrators(fresh: tuple[Flask, Court]) -> None:
    app, court = fresh
    assert signed_in(app, "analyst").get(f"/cases/{court.sealed_case}").status_code == 404
    signed_in(app, "clerk").get(f"/cases/{court.sealed_case}")
    signed_in(app, "judge").get(f"/cases/{court.sealed_case}/history")
    views = app.extensions["medcourt"].accounts.sealed_views(court.sealed_case)
    assert [(v.username, v.page) for v in views] == [("judge", "history"), ("clerk", "case")]
    admin_page = text(signed_in(app, "admin").get(f"/cases/{court.sealed_case}"))
    assert "Views of this sealed case" in admin_page and "<td>judge</td>" in admin_page and "<td>clerk</td>" in admin_page
    assert "Views of this sealed case" not in text(signed_in(app, "clerk").get(f"/cases/{court.sealed_case}"))


def test_sealed_cases_are_not_found_by_those_who_may_not_see_them(fresh: tuple[Flask, Court]) -> None:
    app, court = fresh
    assert court.sealed_case not in text(signed_in(app, "analyst").get("/cases"))
    assert court.sealed_case in text(signed_in(app, "clerk").get("/cases"))
    assert court.sealed_case not in text(signed_in(app, "judge2").get("/cases?q=Sealed"))


def test_a_write_that_keeps_colliding_with_another_tells_the_user_to_reload(fresh: tuple[Flask, Court], monkeypatch: object) -> None:
    from domain.errors import ConcurrentChange

    app, court = fresh

    def collide(*args: object, **kwargs: object) -> None:
        raise ConcurrentChange("Someone else changed this record at the same moment several times in a row")

    monkeypatch.setattr(app.extensions["medcourt"].docket, "seal_case", collide)  # type: ignore[attr-defined]
    response = post(signed_in(app, "judge"), f"/cases/{court.open_case}/seal", {"reason": "minor"})
    assert response.status_code == 409
    assert "Someone else changed this case at the same moment. Reload the case and try again." in text(response)


def test_bad_input_never_breaks_the_judges_and_administrators_forms(fresh: tuple[Flask, Court]) -> None:
    app, court = fresh
    judge, admin = signed_in(app, "judge"), signed_in(app, "admin")
    nasty = ["", "-1", "1e999", "NaN", "2026-02-30", "x" * 30_000, "<i>x</i>", "\u0000", "R9", "../../etc/passwd"]
    targets = [
        (judge, f"/cases/{court.open_case}/ruling", ["disposition", "decided_on", "finding", "liable_respondents", "sanctions.0.kind", "sanctions.0.amount_mci", "sanctions.0.months", "compensation.real_damage", "contributory_fault_pct", "insurer_compensation", "action"]),
        (judge, f"/cases/{court.open_case}/ruling/check", ["disposition", "decided_on", "contributory_fault_pct", "compensation"]),
        (admin, "/admin/users/new", ["username", "role", "court", "judge_id", "language", "password"]),
        (admin, f"/admin/users/{court.user_ids['clerk']}", ["display_name", "role", "court", "judge_id", "active", "new_password"]),
        (admin, f"/admin/judges/{court.judge_id}/certify", ["valid_from", "valid_to", "course"]),
        (admin, f"/admin/experts/{court.expert_id}/affiliations", ["bin", "organization", "valid_from", "valid_to"]),
        (admin, "/admin/experts", ["name", "specialties"]),
    ]
    for client, path, names in targets:
        for value in nasty:
            response = post(client, path, {name: value for name in names})
            assert response.status_code < 500, (path, value, response.get_data(as_text=True)[:500])
    for query in ("as_of=9999-99-99", "kind=Nope&as_of=", "as_of=0001-01-01"):
        assert judge.get(f"/cases/{court.open_case}/history?{query}").status_code < 500
    for query in ("from=x&to=y", "from=2020-01-01&to=1999-01-01", "to=2020-01-01"):
        assert judge.get(f"/cases/{court.open_case}/diff?{query}").status_code < 500
