"""The JSON API: tokens, scopes, reading cases, docketing through the same services and rules as the
site, problem details with the right status, pagination, the calendar and the documentation."""

from __future__ import annotations

import base64
import json
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from domain import clock
from scripts.cli import main as medcourt
from tests.court_clock import COURT_TODAY
from tests.integration.test_api_support import ApiClient
from tests.integration.web_support import PDF, Court, csrf_token, sign_in
from web.api.tokens import TokenStore, api_tokens, digest

PROBLEM = "application/problem+json"


def token_for(app: Flask, username: str, **kwargs: Any) -> str:
    store: TokenStore = app.extensions["medcourt_api_tokens"]
    return store.create(username, name="tests", created_by="tests", **kwargs)[0]


def api(app: Flask, username: str) -> ApiClient:
    return ApiClient(app.test_client(), token_for(app, username))


def problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.get_data(as_text=True)[:2000]
    assert response.content_type == PROBLEM
    body: dict[str, Any] = response.get_json(force=True)
    assert {"type", "title", "status", "detail", "field", "rule"} <= set(body)
    assert body["status"] == status
    return body


# --- tokens ---------------------------------------------------------------------------------------------------------


def test_a_request_without_a_token_is_refused_with_a_bearer_challenge(seeded: tuple[Flask, Court]) -> None:
    app, _ = seeded
    response = app.test_client().get("/api/cases")
    assert problem(response, 401)["type"] == "/api/problems/unauthorized"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_signed_in_browser_session_does_not_open_the_api(seeded: tuple[Flask, Court]) -> None:
    app, _ = seeded
    client = app.test_client()
    sign_in(client, "admin")
    problem(client.get("/api/cases"), 401)


def test_tokens_are_stored_only_as_digests_and_work_until_revoked(seeded: tuple[Flask, Court]) -> None:
    app, _ = seeded
    store: TokenStore = app.extensions["medcourt_api_tokens"]
    token, record = store.create("analyst", name="reporting", created_by="admin")
    with store.engine.connect() as conn:
        stored = conn.execute(select(api_tokens).where(api_tokens.c.id == record.id)).mappings().one()
    assert token not in json.dumps({k: str(v) for k, v in stored.items()})
    assert stored["digest"] == digest(token)
    client = ApiClient(app.test_client(), token)
    assert client.get("/api/cases").status_code == 200
    assert store.get(record.id).last_used_at is not None
    store.revoke(record.id, revoked_by="admin")
    problem(client.get("/api/cases"), 401)
    problem(ApiClient(app.test_client(), token + "x").get("/api/cases"), 401)


def test_an_expired_token_and_a_disabled_users_token_are_refused(fresh: tuple[Flask, Court]) -> None:
    app, court = fresh
    store: TokenStore = app.extensions["medcourt_api_tokens"]
    token, record = store.create("clerk", name="old", created_by="admin", expires_at=clock.now() + timedelta(seconds=30))
    assert store.authenticate(token) is not None
    assert store.authenticate(token, now=clock.now() + timedelta(minutes=1)) is None
    live = ApiClient(app.test_client(), token_for(app, "judge"))
    assert live.get("/api/cases").status_code == 200
    app.extensions["medcourt"].accounts.update_user(court.user_ids["judge"], active=False)
    problem(live.get("/api/cases"), 401)


def test_medcourt_token_create_prints_a_token_once_and_list_and_revoke_manage_it(
    fresh: tuple[Flask, Court], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    app, _ = fresh
    monkeypatch.setenv("MEDCOURT_VAR", str(app.extensions["medcourt"].settings.var_dir))
    monkeypatch.delenv("MEDCOURT_DATABASE_URL", raising=False)
    assert medcourt(["token", "create", "--user", "analyst", "--name", "dashboard sync"]) == 0
    printed = capsys.readouterr()
    token = printed.out.strip()
    assert token.startswith("mct_") and "not shown again" in printed.err
    assert ApiClient(app.test_client(), token).get("/api/statistics/outcomes").status_code == 200

    assert medcourt(["token", "list", "--format", "json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    mine = next(row for row in listed if row["name"] == "dashboard sync")
    assert mine["user"] == "analyst" and mine["state"] == "active" and token not in json.dumps(listed)

    assert medcourt(["token", "revoke", mine["prefix"]]) == 0
    capsys.readouterr()
    problem(ApiClient(app.test_client(), token).get("/api/statistics/outcomes"), 401)
    assert medcourt(["token", "create", "--user", "nobody"]) == 2
    assert "No user named 'nobody'" in capsys.readouterr().err


def test_an_administrator_creates_a_token_on_the_site_sees_it_once_and_revokes_it(fresh: tuple[Flask, Court]) -> None:
    app, _ = fresh
    admin = app.test_client()
    sign_in(admin, "admin")
    page = admin.post("/admin/api-tokens", data={"user": "clerk", "name": "court system", "csrf_token": csrf_token(admin, "/admin/api-tokens")})
    assert page.status_code == 201
    text = page.get_data(as_text=True)
    token = text.split('<code id="token-value">')[1].split("</code>")[0]
    assert ApiClient(app.test_client(), token).get("/api/cases").status_code == 200
    listing = admin.get("/admin/api-tokens").get_data(as_text=True)
    assert token not in listing and token[:12] in listing
    record = app.extensions["medcourt_api_tokens"].list_tokens(username="clerk")[0]
    revoked = admin.post(f"/admin/api-tokens/{record.id}/revoke", data={"csrf_token": csrf_token(admin, "/admin/api-tokens")})
    assert revoked.status_code == 303
    problem(ApiClient(app.test_client(), token).get("/api/cases"), 401)
    clerk = app.test_client()
    sign_in(clerk, "clerk")
    assert clerk.get("/admin/api-tokens").status_code == 403


def test_the_token_page_keeps_its_csrf_protection(fresh: tuple[Flask, Court]) -> None:
    app, _ = fresh
    admin = app.test_client()
    sign_in(admin, "admin")
    assert admin.post("/admin/api-tokens", data={"user": "clerk"}).status_code == 400


# --- scope: the user's role and court --------------------------------------------------------------------------------


def test_a_token_acts_with_its_users_role(seeded: tuple[Flask, Court]) -> None:
    app, court = seeded
    assert problem(api(app, "clerk").get("/api/statistics/outcomes"), 403)["type"] == "/api/problems/permission-denied"
    assert api(app, "analyst").get("/api/statistics/outcomes").status_code == 200
    assert problem(api(app, "judge").get("/api/statistics/outcomes"), 403)
    assert problem(api(app, "analyst").get("/api/calendar?court=ALA"), 403)
    refused = problem(api(app, "analyst").post(f"/api/cases/{court.open_case}/seal", {"reason": "minor"}), 403)
    assert "analyst" in refused["detail"]


def test_a_sealed_case_is_not_found_for_those_r11_keeps_it_from(seeded: tuple[Flask, Court]) -> None:
    app, court = seeded
    for username in ("analyst", "clerk_ast", "judge2"):
        client = api(app, username)
        assert problem(client.get(f"/api/cases/{court.sealed_case}"), 404)["type"] == "/api/problems/not-found"
        problem(client.get(f"/api/cases/{court.sealed_case}/history"), 404)
        listed = client.get(f"/api/cases?q={court.sealed_case}").get_json()
        assert listed["total"] == 0
    for username in ("clerk", "judge", "admin"):
        assert api(app, username).get(f"/api/cases/{court.sealed_case}").status_code == 200
    views = app.extensions["medcourt"].accounts.sealed_views(court.sealed_case)
    assert {v.username for v in views if v.page.startswith("api:")} >= {"clerk", "judge", "admin"}


# --- reading ------------------------------------------------------------------------------------------------------------


def test_search_pages_through_the_docket(seeded: tuple[Flask, Court]) -> None:
    app, _ = seeded
    client = api(app, "admin")
    first = client.get("/api/cases?per_page=2&page=1").get_json()
    second = client.get("/api/cases?per_page=2&page=2").get_json()
    assert first["total"] == second["total"] >= 4 and first["pages"] == -(-first["total"] // 2)
    assert len(first["items"]) == 2
    assert not {c["docket_number"] for c in first["items"]} & {c["docket_number"] for c in second["items"]}
    civil = client.get("/api/cases?track=criminal").get_json()
    assert {c["track"] for c in civil["items"]} == {"criminal"}
    problem(client.get("/api/cases?per_page=0"), 422)
    problem(client.get("/api/cases?colour=blue"), 422)


def test_a_case_reads_now_as_of_a_date_at_a_version_and_as_its_history(seeded: tuple[Flask, Court]) -> None:
    app, court = seeded
    client = api(app, "clerk")
    now = client.get(f"/api/cases/{court.open_case}").get_json()
    assert now["docket_number"] == court.open_case and now["judge_id"] == court.judge_id
    assert {p["role"] for p in now["parties"]} >= {"claimant", "respondent"}
    first = client.get(f"/api/cases/{court.open_case}/as-of?version=1").get_json()
    assert first["version"] == 1 and first["judge_id"] is None and first["status"] == "pending"
    before = client.get(f"/api/cases/{court.open_case}/as-of?date={(COURT_TODAY - timedelta(days=400)).isoformat()}")
    assert problem(before, 404)["field"] == "as_of"
    today = client.get(f"/api/cases/{court.open_case}/as-of?date={COURT_TODAY.isoformat()}").get_json()
    assert today["version"] == now["version"] and set(today["documents"]) == {court.document_id}
    problem(client.get(f"/api/cases/{court.open_case}/as-of?version=1&date=2024-01-01"), 422)
    history = client.get(f"/api/cases/{court.open_case}/history").get_json()
    assert history["items"] == json.loads(json.dumps(app.extensions["medcourt"].docket.case_history(court.open_case)))
    assert [e["type"] for e in history["items"]][:2] == ["CaseFiled", "JudgeAssigned"]
    assert problem(client.get("/api/cases/ALA-2020-C-99999"), 404)["field"] == "docket_number"


def test_the_calendar_lists_the_courts_hearings(seeded: tuple[Flask, Court]) -> None:
    app, court = seeded
    day = (COURT_TODAY + timedelta(days=2)).isoformat()
    found = api(app, "clerk").get(f"/api/calendar?day={day}&span=week").get_json()
    assert found["court"] == "ALA"
    assert court.hearing_id in {h["hearing_id"] for h in found["hearings"] if h["docket_number"] == court.open_case}
    assert problem(api(app, "admin").get("/api/calendar"), 422)["field"] == "court"


def test_the_registries_give_the_ids_actions_need(seeded: tuple[Flask, Court]) -> None:
    app, court = seeded
    client = api(app, "clerk")
    assert court.judge_id in {j["judge_id"] for j in client.get("/api/registry/judges?court=ALA").get_json()}
    assert court.expert_id in {e["expert_id"] for e in client.get("/api/registry/experts?specialty=surgery").get_json()}
    assert court.mediator_id in {m["mediator_id"] for m in client.get("/api/registry/mediators").get_json()}


# --- docketing ------------------------------------------------------------------------------------------------------------


def new_case(**changes: Any) -> dict[str, Any]:
    today = COURT_TODAY
    body = {
        "track": "civil", "court": "ALA", "received_on": today.isoformat(), "specialty": "surgery", "alleged_harm": "serious",
        "incident_date": (today - timedelta(days=60)).isoformat(), "claimant": {"name": "Patient Z"},
        "respondents": [{"kind": "organization", "name": "City Hospital No. 4", "bin": "123456789012"}],
        "claimed": {"real_damage": "100000", "moral_harm": "250000.50"}, "summary": "Filed through the API",
    }
    body.update(changes)
    return body


def test_a_case_filed_and_worked_through_the_api_follows_the_same_rules_as_the_site(fresh: tuple[Flask, Court]) -> None:
    app, court = fresh
    clerk, judge = api(app, "clerk"), api(app, "judge")
    today = COURT_TODAY

    # File the case: 201, its number, and a Location to read it from.
    filed = clerk.post("/api/cases", new_case())
    assert filed.status_code == 201, filed.get_data(as_text=True)
    number = filed.get_json()["docket_number"]
    assert filed.headers["Location"].endswith(f"/api/cases/{number}")
    assert clerk.get(f"/api/cases/{number}").get_json()["status"] == "pending"

    # A judge, an expert examination, its report.
    assigned = clerk.post(f"/api/cases/{number}/judge", {"judge_id": court.judge_id, "expected_version": 1})
    assert assigned.status_code == 200 and assigned.get_json()["version"] == 2
    ordered = judge.post(f"/api/cases/{number}/examinations", {
        "kind": "forensic_medical", "questions": ["Was the standard of care met?"], "expert_ids": [court.expert_id],
        "due_on": (today + timedelta(days=20)).isoformat(),
    })
    examination = ordered.get_json()["id"]

    # A merits ruling before the report: the case is not ready (R5), a conflict with its state.
    ruling = {"disposition": "no_liability", "decided_on": today.isoformat(), "finding": "unfounded", "harm_found": "serious"}
    not_ready = problem(judge.post(f"/api/cases/{number}/ruling", ruling), 409)
    assert not_ready["rule"] == "R5" and not_ready["type"] == "/api/problems/rule-conflict"

    reported = judge.post(f"/api/cases/{number}/examinations/{examination}/report", {
        "received_on": today.isoformat(), "standard_of_care_met": "yes", "causation": "no", "harm_found": "serious",
    })
    assert reported.status_code == 200

    # A document, as a program sends it.
    document = clerk.post(f"/api/cases/{number}/documents", {
        "kind": "evidence", "title": "Discharge summary", "filed_by": "claimant", "received_on": today.isoformat(),
        "filename": "summary.pdf", "content_base64": base64.b64encode(PDF).decode(),
    })
    assert document.status_code == 200 and document.get_json()["id"] == "D1"

    # Only the assigned judge rules; then the ruling is recorded and the case is decided.
    problem(api(app, "judge2").post(f"/api/cases/{number}/ruling", ruling), 403)
    problem(clerk.post(f"/api/cases/{number}/ruling", ruling), 403)
    decided = judge.post(f"/api/cases/{number}/ruling", ruling)
    assert decided.status_code == 200, decided.get_data(as_text=True)
    after = clerk.get(f"/api/cases/{number}").get_json()
    assert (after["status"], after["disposition"], after["finding"]) == ("decided", "no_liability", "unfounded")

    # After the ruling the case takes no new hearing (R8).
    late = problem(clerk.post(f"/api/cases/{number}/hearings", {
        "starts_at": f"{(today + timedelta(days=3)).isoformat()}T10:00:00", "courtroom": "101", "purpose": "too late",
    }), 409)
    assert late["rule"] in ("R7", "R8")


def test_refusals_come_back_as_problem_details_with_the_right_status(fresh: tuple[Flask, Court]) -> None:
    app, court = fresh
    clerk = api(app, "clerk")
    mismatch = problem(clerk.post("/api/cases", new_case(track="criminal", alleged_harm="minor")), 422)
    assert (mismatch["rule"], mismatch["type"]) == ("R1", "/api/problems/rule-violation")
    future = problem(clerk.post("/api/cases", new_case(received_on=(COURT_TODAY + timedelta(days=3)).isoformat())), 422)
    assert future["field"] == "received_on" and future["type"] == "/api/problems/invalid-value"
    shape = problem(clerk.post("/api/cases", {"track": "maritime"}), 422)
    assert shape["type"] == "/api/problems/validation" and "track" in shape["errors"] and "court" in shape["errors"]
    unknown = problem(clerk.post(f"/api/cases/{court.open_case}/judge", {"judge_id": "0c0ffee0-0000-4000-8000-000000000000"}), 422)
    assert unknown["type"] == "/api/problems/unknown-reference"
    stale = problem(clerk.post(f"/api/cases/{court.open_case}/seal", {"reason": "minor", "expected_version": 1}), 409)
    assert (stale["type"], stale["field"]) == ("/api/problems/concurrent-change", "expected_version")
    missing = problem(clerk.post(f"/api/cases/{court.open_case}/hearings/H99/held", {"minutes_summary": "x"}), 404)
    assert missing["field"] == "hearing_id"
    broken = clerk.client.post("/api/cases", data="{not json", content_type="application/json", headers={"Authorization": f"Bearer {clerk.token}"})
    assert problem(broken, 400)["type"] == "/api/problems/malformed-request"


def test_token_calls_need_no_csrf_token_while_the_sites_forms_still_do(fresh: tuple[Flask, Court]) -> None:
    app, court = fresh
    assert app.config.get("WTF_CSRF_ENABLED", True)
    sealed = api(app, "clerk").post(f"/api/cases/{court.open_case}/seal", {"reason": "court_order"})
    assert sealed.status_code == 200
    browser = app.test_client()
    sign_in(browser, "clerk")
    assert browser.post(f"/cases/{court.criminal_case}/seal", data={"reason": "minor"}).status_code == 400


# --- errors and documentation --------------------------------------------------------------------------------------------


def test_statistics_take_any_filters_with_any_breakdown_and_refuse_unknown_values(seeded: tuple[Flask, Court]) -> None:
    app, court = seeded
    analyst = api(app, "analyst")
    year = COURT_TODAY.year
    period = f"from={year - 3}-01-01&to={year}-12-31"
    whole = analyst.get(f"/api/statistics/outcomes?{period}&by=none").get_json()["groups"][0]
    assert whole["filed"] > 0
    combined = analyst.get(f"/api/statistics/outcomes?{period}&court=ALA&track=civil&judge={court.judge_id}&by=month")
    assert combined.status_code == 200, combined.get_data(as_text=True)
    body = combined.get_json()
    assert body["filters"] == {"court": "ALA", "track": "civil", "judge": court.judge_id} and body["by"] == "month"
    assert len(body["groups"]) == 48
    by_track = analyst.get(f"/api/statistics/outcomes?{period}&court=ALA&by=track").get_json()
    court_only = analyst.get(f"/api/statistics/outcomes?{period}&court=ALA&by=none").get_json()["groups"][0]
    assert sum(g["filed"] for g in by_track["groups"]) == court_only["filed"] <= whole["filed"]
    pending = analyst.get(f"/api/statistics/pending?{period}&court=ALA&specialty=surgery&by=judge").get_json()
    assert pending["filters"] == {"court": "ALA", "specialty": "surgery"} and pending["to"] == f"{year}-12-31"
    csv_text = analyst.get(f"/api/statistics/experts.csv?{period}&track=civil&judge={court.judge_id}&by=court").get_data(as_text=True)
    assert csv_text.startswith("key,")

    assert problem(analyst.get(f"/api/statistics/outcomes?{period}&court=XXX"), 422)["field"] == "court"
    assert problem(analyst.get(f"/api/statistics/outcomes?{period}&court=ALA&track=maritime"), 422)["field"] == "track"
    assert problem(analyst.get(f"/api/statistics/outcomes?{period}&court=ALA&judge=nobody"), 422)["field"] == "judge"
    assert problem(analyst.get(f"/api/statistics/outcomes?{period}&specialty="), 422)["field"] == "specialty"
    assert problem(analyst.get(f"/api/statistics/pending?{period}&court=ALA&by=month"), 422)["field"] == "by"


def test_unknown_api_paths_answer_in_problem_details_and_site_pages_stay_html(seeded: tuple[Flask, Court]) -> None:
    app, _ = seeded
    client = app.test_client()
    problem(client.get("/api/no-such-thing"), 404)
    wrong_method = client.delete("/api/cases")
    assert problem(wrong_method, 405) and "GET" in wrong_method.headers["Allow"]
    page = client.get("/no-such-page")
    assert page.status_code == 404 and page.content_type.startswith("text/html")


def test_the_openapi_document_describes_every_endpoint_its_security_and_problems(seeded: tuple[Flask, Court]) -> None:
    app, _ = seeded
    document = app.test_client().get("/api/openapi.json").get_json()
    assert document["openapi"].startswith("3.")
    assert document["components"]["securitySchemes"]["bearerAuth"] == {"type": "http", "scheme": "bearer", "description": "An API token (shown once when created)"}
    paths = document["paths"]
    for path in ("/api/cases", "/api/cases/{docket_number}", "/api/cases/{docket_number}/as-of", "/api/cases/{docket_number}/history",
                 "/api/cases/{docket_number}/ruling", "/api/calendar", "/api/statistics/{measure}", "/api/registry/judges"):
        assert path in paths, path
    assert "application/problem+json" in paths["/api/cases"]["post"]["responses"]["422"]["content"]
    assert len([op for item in paths.values() for op in item]) >= 28


def test_the_browsable_docs_load_vendored_assets_only(seeded: tuple[Flask, Court]) -> None:
    app, _ = seeded
    client = app.test_client()
    page = client.get("/api/docs")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "/api/openapi.json" in html
    assert "http://" not in html and "https://" not in html
    for asset in ("/static/vendor/swagger-ui/swagger-ui-bundle.js", "/static/vendor/swagger-ui/swagger-ui.css", "/api/static/api-docs.js"):
        assert asset in html
        assert client.get(asset).status_code == 200
    assert "script-src 'self';" in page.headers["Content-Security-Policy"]
    assert client.get("/api/problems/rule-conflict").get_json()["status"] == 409



def test_a_fault_of_ours_is_a_logged_500_in_problem_details(fresh: tuple[Flask, Court], monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    app, _ = fresh
    app.config["PROPAGATE_EXCEPTIONS"] = False

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("the read models are unreachable")

    monkeypatch.setattr("web.api.cases.queries.search_cases", broken)
    body = problem(api(app, "clerk").get("/api/cases"), 500)
    assert body["type"] == "/api/problems/server-error" and "unreachable" not in body["detail"]
    assert any("API request GET /api/cases failed" in record.getMessage() for record in caplog.records)
