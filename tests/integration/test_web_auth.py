"""Signing in and out: argon2 passwords, locked accounts, throttled addresses, safe cookies and redirects."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.conftest import AuthActions
from tests.integration.web_support import PASSWORD, Court, csrf_token, make_app, post, seed, sign_in


def _login(client: FlaskClient, username: str, password: str, path: str = "/login") -> TestResponse:
    token = csrf_token(client)
    return client.post(path, data={"username": username, "password": password, "csrf_token": token})


def test_a_clerk_signs_in_and_lands_on_the_case_search(client: FlaskClient) -> None:
    response = _login(client, "clerk", PASSWORD)
    assert response.status_code == 302 and response.headers["Location"] == "/cases"
    assert "Cases" in client.get("/cases").get_data(as_text=True)


def test_the_session_cookie_is_secure_http_only_and_same_site(client: FlaskClient) -> None:
    response = _login(client, "judge", PASSWORD)
    cookie = next(v for k, v in response.headers.items() if k == "Set-Cookie" and v.startswith("medcourt_session="))
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_passwords_are_stored_as_argon2id_hashes(app: Flask) -> None:
    from sqlalchemy import select

    from projections.store_tables import users

    with app.extensions["medcourt"].views.connect() as conn:
        stored = conn.execute(select(users.c.password_hash).where(users.c.username == "clerk")).scalar_one()
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


def test_a_wrong_password_is_refused_without_saying_which_part_was_wrong(client: FlaskClient) -> None:
    for username in ("clerk", "nobody"):
        response = _login(client, username, "wrong password")
        assert response.status_code == 401
        page = response.get_data(as_text=True)
        assert "The username or password is wrong." in page
        assert 'value="wrong password"' not in page  # a password is never echoed back
        assert f'value="{username}"' in page  # the username is kept as typed


def test_an_account_locks_after_five_wrong_passwords_and_the_administrator_unlocks_it(fresh: tuple[Flask, Court]) -> None:
    app, court = fresh
    client = app.test_client()
    statuses = [_login(client, "clerk", f"guess {i}").status_code for i in range(5)]
    assert statuses == [401, 401, 401, 401, 429]
    locked = _login(client, "clerk", PASSWORD)
    assert locked.status_code == 429 and "locked" in locked.get_data(as_text=True)
    admin = app.test_client()
    sign_in(admin, "admin")
    assert post(admin, f"/admin/users/{court.user_ids['clerk']}/unlock").status_code == 303
    assert _login(client, "clerk", PASSWORD).status_code == 302


def test_many_failures_from_one_address_are_throttled(tmp_path: Path) -> None:
    app = make_app(tmp_path / "var", LOGIN_ATTEMPTS_PER_ADDRESS=3)
    seed(app)
    client = app.test_client()
    statuses = [_login(client, f"user{i}", "x").status_code for i in range(4)]
    assert statuses == [401, 401, 401, 429]
    assert "Too many failed sign-ins" in _login(client, "clerk", PASSWORD).get_data(as_text=True)


def test_a_disabled_account_cannot_sign_in_and_its_open_sessions_end(fresh: tuple[Flask, Court]) -> None:
    app, court = fresh
    clerk = app.test_client()
    sign_in(clerk, "clerk")
    app.extensions["medcourt"].accounts.update_user(court.user_ids["clerk"], active=False)
    assert clerk.get("/cases").status_code == 302  # the session ended
    assert _login(app.test_client(), "clerk", PASSWORD).status_code == 403


def test_sign_in_follows_next_only_within_the_site(fresh: tuple[Flask, Court]) -> None:
    app, court = fresh
    inside = _login(app.test_client(), "clerk", PASSWORD, f"/login?next=/cases/{court.open_case}")
    assert inside.headers["Location"] == f"/cases/{court.open_case}"
    for target in ("//evil.example/", "https://evil.example/", "/\\evil.example"):
        outside = _login(app.test_client(), "clerk", PASSWORD, f"/login?next={target}")
        assert outside.headers["Location"] == "/cases"


def test_signing_out_ends_the_session(client: FlaskClient, auth: AuthActions) -> None:
    auth.login("analyst")
    response = post(client, "/logout")
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    assert client.get("/cases").status_code == 302
    assert "You are signed out." in client.get("/login").get_data(as_text=True)


def test_a_user_changes_their_password_and_other_sessions_end(fresh: tuple[Flask, Court]) -> None:
    app, _ = fresh
    laptop, phone = app.test_client(), app.test_client()
    sign_in(laptop, "judge")
    sign_in(phone, "judge")
    mismatch = post(laptop, "/account", {"current_password": PASSWORD, "new_password": "a new secret 1", "confirm_password": "another"})
    assert mismatch.status_code == 422 and "The two new passwords differ." in mismatch.get_data(as_text=True)
    short = post(laptop, "/account", {"current_password": PASSWORD, "new_password": "short", "confirm_password": "short"})
    assert short.status_code == 422 and "at least 10 characters" in short.get_data(as_text=True)
    wrong = post(laptop, "/account", {"current_password": "nope", "new_password": "a new secret 1", "confirm_password": "a new secret 1"})
    assert wrong.status_code == 422 and "The current password is wrong." in wrong.get_data(as_text=True)
    changed = post(laptop, "/account", {"current_password": PASSWORD, "new_password": "a new secret 1", "confirm_password": "a new secret 1"})
    assert changed.status_code == 302
    assert laptop.get("/judge").status_code == 200
    assert phone.get("/judge").status_code == 302
    sign_in(app.test_client(), "judge", "a new secret 1")


def test_pages_carry_security_headers(fresh: tuple[Flask, Court]) -> None:
    app, _ = fresh
    response = app.test_client().get("/login")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["Cache-Control"] == "no-store"
