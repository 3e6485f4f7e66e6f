"""Issue 14, "Trust, second pass": each finding of the probe, sent as the exact request it named.

Open redirects, CSRF by HEAD, a session that outlived sign-out, a lock-out that told real usernames
from unknown ones and let anyone lock any account, and a throttle kept in one process's memory.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.integration.web_support import PASSWORD, Court, csrf_token, make_app, post, seed, sign_in


def login(client: FlaskClient, username: str, password: str, path: str = "/login", **kwargs: object) -> tuple[int, str]:
    token = csrf_token(client)
    response = client.post(path, data={"username": username, "password": password, "csrf_token": token}, **kwargs)  # type: ignore[arg-type]
    return response.status_code, response.headers.get("Location", "")


# --- open redirects ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("next_", ["/%09/evil.example", "/%0a/evil.example", "/%0d%0a/evil.example", "/%0d%0aSet-Cookie:%20x=1", "/%5c/evil.example", "/%20/evil.example"])
def test_sign_in_never_redirects_off_the_site_nor_fails_on_a_line_break_in_next(fresh: tuple[Flask, Court], next_: str) -> None:
    app, _ = fresh
    status, location = login(app.test_client(), "clerk", PASSWORD, f"/login?next={next_}")
    assert (status, location) == (302, "/cases")


@pytest.mark.parametrize("path", ["/language", "/inbox/read"])
@pytest.mark.parametrize("next_", ["/\t/evil.example", "/\n/evil.example", "/\r\n/evil.example", "//evil.example", "https://evil.example/"])
def test_the_next_field_of_the_language_switch_and_the_inbox_stays_on_the_site(fresh: tuple[Flask, Court], path: str, next_: str) -> None:
    app, _ = fresh
    client = app.test_client()
    sign_in(client, "clerk")
    response = post(client, path, {"language": "kk", "next": next_})
    assert response.status_code in (302, 303)
    location = response.headers["Location"]
    assert location.startswith("/") and not location.startswith("//") and "evil" not in location and "\t" not in location


def test_a_local_next_is_still_followed(fresh: tuple[Flask, Court]) -> None:
    app, court = fresh
    assert login(app.test_client(), "clerk", PASSWORD, f"/login?next=/cases/{court.open_case}%3Ftab%3Ddocuments") == (302, f"/cases/{court.open_case}?tab=documents")


# --- HEAD is GET ---------------------------------------------------------------------------------------------------


def test_head_with_a_form_body_and_no_token_changes_no_password(fresh: tuple[Flask, Court]) -> None:
    app, _ = fresh
    client = app.test_client()
    sign_in(client, "judge")
    body = {"current_password": PASSWORD, "new_password": "taken over 123", "confirm_password": "taken over 123"}
    response = client.open("/account", method="HEAD", data=body)
    assert response.status_code == 200 and response.get_data() == b""
    assert login(app.test_client(), "judge", "taken over 123")[0] == 401
    assert login(app.test_client(), "judge", PASSWORD)[0] == 302


def test_head_login_with_a_body_signs_nobody_in(fresh: tuple[Flask, Court]) -> None:
    app, _ = fresh
    client = app.test_client()
    response = client.open("/login", method="HEAD", data={"username": "clerk", "password": PASSWORD})
    assert response.status_code == 200
    assert client.get("/cases").status_code == 302  # still to the sign-in page


# --- sign-out ends the session on the server ------------------------------------------------------------------------


def test_a_cookie_saved_before_sign_out_no_longer_opens_analytics(fresh: tuple[Flask, Court]) -> None:
    app, _ = fresh
    browser = app.test_client()
    sign_in(browser, "analyst")
    saved = browser.get_cookie("medcourt_session")
    assert saved is not None and browser.get("/analytics").status_code == 200
    assert post(browser, "/logout").status_code == 302

    thief = app.test_client()
    thief.set_cookie("medcourt_session", saved.value)
    response = thief.get("/analytics")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_signing_out_in_one_browser_keeps_the_users_other_session(fresh: tuple[Flask, Court]) -> None:
    app, _ = fresh
    laptop, phone = app.test_client(), app.test_client()
    sign_in(laptop, "analyst")
    sign_in(phone, "analyst")
    post(laptop, "/logout")
    assert phone.get("/analytics").status_code == 200


# --- lock-out and throttle ------------------------------------------------------------------------------------------


def test_an_unknown_username_gets_the_same_answers_as_a_real_one(fresh: tuple[Flask, Court]) -> None:
    app, _ = fresh
    answers = {}
    for username in ("clerk", "no-such-user"):
        client = app.test_client()
        statuses = [login(client, username, f"guess {i}")[0] for i in range(7)]
        page = client.post("/login", data={"username": username, "password": "x", "csrf_token": csrf_token(client)}).get_data(as_text=True)
        answers[username] = (statuses, "This account is locked" in page)
    assert answers["clerk"] == answers["no-such-user"] == ([401, 401, 401, 401, 429, 429, 429], True)


def test_guesses_from_one_address_do_not_lock_the_owner_out_elsewhere(fresh: tuple[Flask, Court]) -> None:
    app, _ = fresh
    attacker = {"REMOTE_ADDR": "203.0.113.7"}
    statuses = [login(app.test_client(), "judge", f"guess {i}", environ_base=attacker)[0] for i in range(6)]
    assert statuses == [401, 401, 401, 401, 429, 429]
    assert login(app.test_client(), "judge", PASSWORD, environ_base=attacker)[0] == 429  # locked for that address
    assert login(app.test_client(), "judge", PASSWORD, environ_base={"REMOTE_ADDR": "192.0.2.10"})[0] == 302


def test_the_throttle_and_lock_out_hold_across_web_processes(tmp_path: Path) -> None:
    # Two apps on one installation stand for two gunicorn workers: they share only the database.
    first = make_app(tmp_path / "var", LOGIN_ATTEMPTS_PER_ADDRESS=4)
    seed(first)
    second = make_app(tmp_path / "var", LOGIN_ATTEMPTS_PER_ADDRESS=4)
    statuses = [login((first if i % 2 else second).test_client(), f"user{i}", "guess")[0] for i in range(6)]
    assert statuses == [401, 401, 401, 401, 429, 429]
    for app in (first, second):
        app.extensions["medcourt"].close()


# --- no 500s: the probe's requests -----------------------------------------------------------------------------------


@pytest.fixture(scope="module", name="probed")
def probed_fixture(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Flask, Court, str]]:
    app = make_app(tmp_path_factory.mktemp("probe") / "var")
    court = seed(app)
    token = app.extensions["medcourt_api_tokens"].create("clerk", name="probe", created_by="tests")[0]
    yield app, court, token
    app.extensions["medcourt"].close()


PAGES = [
    (None, "/public?page=99999999999999999999", 200),
    ("clerk", "/cases?page=9223372036854775808", 200),
    ("clerk", "/calendar?day=0001-01-01", 200),
    ("clerk", "/calendar?day=9999-12-31", 200),
    ("judge", "/cases/{open}/history?as_of=9999-12-31", 422),
    ("judge", "/cases/{open}/diff?from=2026-02-30", 200),  # the case now, and the message below
]


@pytest.mark.parametrize(("who", "path", "status"), PAGES)
def test_pages_answer_out_of_range_numbers_and_dates_without_a_server_error(probed: tuple[Flask, Court, str], who: str | None, path: str, status: int) -> None:
    app, court, _ = probed
    client = app.test_client()
    if who:
        sign_in(client, who)
    response = client.get(path.format(open=court.open_case))
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    if "=2026-02-30" in path or "=9999-12-31" in path and "history" in path:
        assert "is not a date" in response.get_data(as_text=True)


def test_a_nul_byte_in_the_search_matches_no_case(probed: tuple[Flask, Court, str]) -> None:
    app, court, token = probed
    clerk = app.test_client()
    sign_in(clerk, "clerk")
    everything = clerk.get("/cases").get_data(as_text=True)
    assert court.open_case in everything
    for client, path in ((clerk, "/cases?q=%00"), (app.test_client(), "/public?q=%00"), (clerk, f"/cases?q={court.open_case[:3]}%00")):
        response = client.get(path)
        assert response.status_code == 200 and court.open_case not in response.get_data(as_text=True), path
    api = app.test_client().get("/api/cases?q=%00", headers={"Authorization": f"Bearer {token}"})
    assert api.status_code == 422  # the API's query text refuses control characters outright


def api_post(app: Flask, token: str, path: str, raw: str) -> tuple[int, dict[str, object]]:
    response = app.test_client().post(path, data=raw, headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    return response.status_code, response.get_json()


def test_the_api_refuses_hostile_json_as_a_client_error(probed: tuple[Flask, Court, str]) -> None:
    app, court, token = probed
    number = court.open_case
    before = app.extensions["medcourt"].docket.case(number).version
    huge_version = '{"corrects_version": 99999999999999999999, "reason": "typo", "corrections": {"title": "x"}}'
    assert api_post(app, token, f"/api/cases/{number}/corrections", huge_version)[0] == 422
    deep = "[" * 100_000 + "]" * 100_000
    status, problem = api_post(app, token, f"/api/cases/{number}/documents", deep)
    assert status == 400 and problem["status"] == 400
    digits = f'{{"judge_id": "{court.judge_id}", "expected_version": {"9" * 5000}}}'
    assert api_post(app, token, f"/api/cases/{number}/judge", digits)[0] == 400
    surrogate = '{"kind": "other", "title": "\\ud800", "filed_by": "claimant", "received_on": "2026-01-01", "filename": "a.txt", "content_base64": "YQ=="}'
    assert api_post(app, token, f"/api/cases/{number}/documents", surrogate)[0] == 400
    surrogate_key = '{"\\udfff": 1, "judge_id": "x"}'
    assert api_post(app, token, f"/api/cases/{number}/judge", surrogate_key)[0] == 400
    assert app.extensions["medcourt"].docket.case(number).version == before


def test_a_hearing_in_the_year_2999_is_refused(probed: tuple[Flask, Court, str]) -> None:
    app, court, token = probed
    status, problem = api_post(app, token, f"/api/cases/{court.open_case}/hearings",
                               '{"starts_at": "2999-01-01T10:00:00+05:00", "courtroom": "1", "purpose": "hearing"}')
    assert status == 422 and problem["field"] == "starts_at", problem


def test_a_nul_byte_in_a_form_field_is_a_field_message(probed: tuple[Flask, Court, str]) -> None:
    app, court, _ = probed
    clerk = app.test_client()
    sign_in(clerk, "clerk")
    response = post(clerk, f"/cases/{court.open_case}/documents/new", {"title": "Exhibit\x00", "kind": "evidence", "filed_by": "claimant"})
    assert response.status_code == 422 and "control characters" in response.get_data(as_text=True)


def test_the_administrator_sees_a_sign_in_lock_and_lifts_it(fresh: tuple[Flask, Court]) -> None:
    app, _ = fresh
    for i in range(5):
        login(app.test_client(), "clerk", f"guess {i}")
    admin = app.test_client()
    sign_in(admin, "admin")
    page = admin.get("/admin/users").get_data(as_text=True)
    assert "locked until" in page and "Unlock" in page
    clerk_id = next(u.id for u in app.extensions["medcourt"].accounts.list_users() if u.username == "clerk")
    assert post(admin, f"/admin/users/{clerk_id}/unlock").status_code == 303
    assert login(app.test_client(), "clerk", PASSWORD)[0] == 302
