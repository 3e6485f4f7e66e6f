"""Issue 14, "Trust, second pass": each finding of the probe, sent as the exact request it named.

Open redirects, CSRF by HEAD, a session that outlived sign-out, a lock-out that told real usernames
from unknown ones and let anyone lock any account, and a throttle kept in one process's memory.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.integration.web_support import PASSWORD, Court, csrf_token, fresh_fixture, make_app, post, seed, sign_in  # noqa: F401 - fixtures


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
