"""Hostile input: what the site and the API send back to a browser, what they accept as uploads, sign-in
under attack, secrets kept out of logs, and fuzzing of every schema, every form and every docket command.

- Headers: every answer (pages, errors, the API, its documents) carries the CSP (no inline script),
  nosniff, frame denial and a referrer policy; HSTS exactly when the request came over HTTPS, as the
  server itself or (with ``--behind-proxy``) the trusted proxy says, never because a client claims it.
- Pages: no inline script, no event-handler attributes, no inline styles; what users typed is escaped.
- Uploads: size limits, types sniffed from the content (a disguised file is refused), file names never
  become paths, empty files refused; through the site's form and through the API.
- Sign-in: throttling and lock-out cannot be dodged by claiming another address; the session changes at
  sign-in (no fixation) and a pre-sign-in cookie or CSRF token is worth nothing afterwards.
- Logs: a sign-in and token requests, with everything logged at DEBUG, never show a password, token or key.
- Fuzzing (hypothesis): every marshmallow schema of ``web.schemas`` and ``web.api.schemas`` raises nothing
  but ``ValidationError``; every form of the site answers junk without a server error; every public
  command and query of ``Docket`` raises nothing but ``DomainError`` on junk arguments, records nothing
  when it refuses, and leaves every rule holding when it accepts (``tests.unit.invariants``, and
  ``medcourt verify``'s checks over the whole history at the end).
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import inspect
import io
import logging
import os
import types
import typing
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from uuid import UUID

import marshmallow
import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from domain import clock, vocabulary
from domain.application import Docket
from domain.calendar import CourtCalendar, calendar_id
from domain.case import Case
from domain.errors import DomainError
from domain.verification import verify_docket
from domain.vocabulary import Actor
from projections.keys import load_keys
from tests.court_clock import COURT_TODAY
from tests.integration.test_web_access import GET_ROUTES, POST_ROUTES, ROLES, USERS, _path
from tests.integration.web_support import PASSWORD, PDF, Court, csrf_token, make_app, seed, sign_in
from tests.unit import invariants
from tests.unit.conftest import HOSPITAL, INSPECTORATE, NOW, PROSECUTOR, SURGEON, set_up_court
from tests.unit.conftest import JUDGE as UNIT_JUDGE
from web import schemas as web_schemas
from web.api import schemas as api_schemas
from web.api.tokens import TokenStore

# Bounded so the default run stays short; raise MEDCOURT_FUZZ_EXAMPLES for a deeper search (e.g. 500).
FUZZ_EXAMPLES = int(os.environ.get("MEDCOURT_FUZZ_EXAMPLES", "20"))
FUZZ = settings(
    max_examples=FUZZ_EXAMPLES, deadline=None, derandomize=True, database=None, phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
COMMAND_FUZZ = settings(FUZZ, max_examples=FUZZ_EXAMPLES * 4)


@pytest.fixture(scope="module", name="site")
def site_fixture(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Flask, Court, dict[str, str]]]:
    """A seeded court of this module's own (the fuzzing changes it), with API tokens for every user."""
    app = make_app(tmp_path_factory.mktemp("hostile") / "var", MAX_UPLOAD_BYTES=64 * 1024)
    court = seed(app)
    store: TokenStore = app.extensions["medcourt_api_tokens"]
    tokens = {name: store.create(name, name="hostile", created_by="tests")[0] for name in ("clerk", "judge", "analyst", "admin")}
    yield app, court, tokens
    app.extensions["medcourt"].close()


def client_as(app: Flask, username: str | None) -> FlaskClient:
    client = app.test_client()
    if username:
        sign_in(client, username)
    return client


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


# --- headers ----------------------------------------------------------------------------------------------------------


def assert_protective_headers(response: Any, where: str, *, inline_styles: bool = False) -> None:
    """``inline_styles``: the API's browsable docs (Swagger UI styles its widgets inline); scripts never."""
    headers = response.headers
    csp = headers.get("Content-Security-Policy", "")
    directives = {part.split()[0]: part.split()[1:] for part in csp.split(";") if part.strip()}
    script_sources = directives.get("script-src", directives.get("default-src"))
    assert script_sources in (["'self'"], ["'none'"]), f"{where}: scripts from {script_sources}"
    assert "'unsafe-eval'" not in csp and (inline_styles or "'unsafe-inline'" not in csp), f"{where}: {csp}"
    assert directives.get("frame-ancestors") == ["'none'"] or "sandbox" in directives, f"{where}: {csp}"
    assert headers.get("X-Frame-Options") == "DENY", where
    assert headers.get("X-Content-Type-Options") == "nosniff", where
    assert headers.get("Referrer-Policy") in ("same-origin", "no-referrer"), where


def test_every_kind_of_answer_carries_the_csp_frame_denial_nosniff_and_a_referrer_policy(site: tuple[Flask, Court, dict[str, str]]) -> None:
    app, court, tokens = site
    anonymous, clerk, analyst = client_as(app, None), client_as(app, "clerk"), client_as(app, "analyst")
    answers = {
        "sign-in page": anonymous.get("/login"),
        "public docket": anonymous.get("/public"),
        "a page one may not open": clerk.get("/admin"),
        "no such page": clerk.get("/no-such-page"),
        "a case": clerk.get(f"/cases/{court.open_case}"),
        "a document download": clerk.get(f"/cases/{court.open_case}/documents/{court.document_id}"),
        "analytics": analyst.get("/analytics"),
        "a stylesheet": anonymous.get("/static/medcourt.css"),
        "API without a token": anonymous.get("/api/cases"),
        "API with a token": anonymous.get("/api/cases", headers=bearer(tokens["clerk"])),
        "API error": anonymous.post("/api/cases", data="{", content_type="application/json", headers=bearer(tokens["clerk"])),
        "API document": anonymous.get("/api/openapi.json"),
        "API docs page": anonymous.get("/api/docs"),
    }
    for where, response in answers.items():
        assert response.status_code < 500, where
        assert_protective_headers(response, where, inline_styles=where == "API docs page")
        assert "Strict-Transport-Security" not in response.headers, f"{where}: HSTS over plain HTTP"
    # A downloaded document may not run anything even if opened in the browser.
    assert "sandbox" in answers["a document download"].headers["Content-Security-Policy"]
    assert answers["a document download"].headers["Content-Disposition"].startswith("attachment;")


def test_hsts_is_sent_over_https_and_never_on_a_clients_unproven_claim(
    site: tuple[Flask, Court, dict[str, str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app, _, _ = site
    # Served over HTTPS directly: HSTS on pages and API answers alike.
    secure = app.test_client()
    for path in ("/login", "/api/cases"):
        response = secure.get(path, base_url="https://court.example")
        assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    # A client claiming HTTPS through a proxy header is not believed when no proxy is trusted.
    assert "Strict-Transport-Security" not in app.test_client().get("/login", headers={"X-Forwarded-Proto": "https"}).headers

    # `medcourt serve --behind-proxy`: the proxy terminates TLS and says so; then HSTS is sent.
    from scripts.web_commands import build_app

    monkeypatch.setenv("MEDCOURT_VAR", str(tmp_path / "var"))
    monkeypatch.delenv("MEDCOURT_DATABASE_URL", raising=False)
    proxied = build_app(argparse.Namespace(prod=True, insecure_cookies=False, behind_proxy=True))
    try:
        through_tls = proxied.test_client().get("/login", headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"})
        assert through_tls.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
        assert_protective_headers(through_tls, "behind the proxy")
        assert "Strict-Transport-Security" not in proxied.test_client().get("/login", headers={"X-Forwarded-Proto": "http"}).headers
    finally:
        proxied.extensions["medcourt"].close()


class PageScan(HTMLParser):
    """What a Content-Security-Policy without 'unsafe-inline' would block (or that would be an injection)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.findings: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "script":
            source = values.get("src") or ""
            if not source:
                self.findings.append("inline <script>")
            elif not source.startswith("/") or source.startswith("//"):
                self.findings.append(f"script from another origin: {source}")
            self._in_script = True
        if tag == "style":
            self.findings.append("inline <style>")
        for name, value in attrs:
            if name.startswith("on"):
                self.findings.append(f"event handler {name}= on <{tag}>")
            if name == "style":
                self.findings.append(f"style= on <{tag}>")
            if name in ("href", "src", "action", "formaction") and (value or "").strip().lower().startswith("javascript:"):
                self.findings.append(f"javascript: URL on <{tag}>")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.findings.append(f"script body: {data.strip()[:80]}")


def scan(html: str) -> list[str]:
    parser = PageScan()
    parser.feed(html)
    return parser.findings


def test_no_rendered_page_has_inline_script_event_handlers_or_inline_styles(site: tuple[Flask, Court, dict[str, str]]) -> None:
    app, court, _ = site
    extra = {
        "analyst": ["/analytics", "/analytics?from=2020-01-01&to=2026-12-31&by=track"],
        "admin": ["/admin/api-tokens", "/api/docs"],
        "anonymous": ["/public/statistics", "/api/docs"],
    }
    scanned = 0
    for role in ROLES:
        client = client_as(app, USERS[role])
        paths = [_path(route, court) for route, statuses in GET_ROUTES if statuses[role] == 200 and "documents/D" not in route]
        paths = [p for p in paths if f"/documents/{court.document_id}" not in p] + extra.get(role, [])
        for path in paths:
            response = client.get(path)
            if response.status_code != 200 or not response.content_type.startswith("text/html"):
                continue
            scanned += 1
            assert scan(response.get_data(as_text=True)) == [], f"{role} {path}"
    assert scanned >= 60


def test_what_users_type_is_shown_as_text_never_run(site: tuple[Flask, Court, dict[str, str]]) -> None:
    app, _, _ = site
    services = app.extensions["medcourt"]
    hostile = '"><script>alert(1)</script><img src=x onerror=alert(2)>'
    number = services.docket.file_case(
        track="civil", court="ALA", received_on=COURT_TODAY, specialty="surgery", alleged_harm="serious",
        incident_date=COURT_TODAY - timedelta(days=10), claimant={"name": hostile},
        respondents=[{"kind": "organization", "name": f"Clinic {hostile}", "bin": "123456789012"}],
        claimed={"real_damage": "1000"}, summary=f"javascript:alert(3) {hostile}", actor={"user": "clerk", "role": "clerk", "court": "ALA"},
    )["docket_number"]
    clerk = client_as(app, "clerk")
    for path in (f"/cases/{number}", f"/cases/{number}/history", f"/cases?q={number}", f"/public/{number}"):
        page = clerk.get(path).get_data(as_text=True)
        assert "<script>alert(1)" not in page and "onerror=alert" not in page.replace("onerror=alert(2)&gt;", ""), path
        assert scan(page) == [], path


def test_times_at_the_edges_of_the_calendar_are_refused_not_crashed_on(site: tuple[Flask, Court, dict[str, str]]) -> None:
    """Found by the command fuzzing: these made the domain overflow and the API answer 500."""
    app, court, tokens = site
    api = app.test_client()
    for starts_at in ("0001-01-01T00:00:00", "0001-01-01T04:59:00+05:00", "9999-12-31T23:30:00+00:00", "3000-01-01T10:00:00"):
        response = api.post(f"/api/cases/{court.open_case}/hearings", json={"starts_at": starts_at, "courtroom": "1", "purpose": "edge"},
                            headers=bearer(tokens["clerk"]))
        assert response.status_code == 422 and response.get_json()["field"] == "starts_at", (starts_at, response.get_json())
    for at in ("0001-01-01T00:00:00%2B05:00", "0001-01-01T03:00:00%2B14:00"):
        response = api.get(f"/api/cases/{court.open_case}/as-of?at={at}", headers=bearer(tokens["clerk"]))
        assert response.status_code in (404, 422), (at, response.get_json())


# --- uploads ------------------------------------------------------------------------------------------------------------


def files_under(root: Path) -> set[Path]:
    return {p for p in root.rglob("*") if p.is_file()}


def upload_form(client: FlaskClient, number: str, content: bytes, filename: str) -> Any:
    return client.post(
        f"/cases/{number}/documents/new",
        data={"file": (io.BytesIO(content), filename), "kind": "evidence", "title": "Exhibit", "filed_by": "claimant",
              "received_on": COURT_TODAY.isoformat(), "csrf_token": csrf_token(client, f"/cases/{number}/documents/new")},
        content_type="multipart/form-data",
    )


def upload_api(client: FlaskClient, token: str, number: str, content: bytes, filename: str) -> Any:
    body = {"kind": "evidence", "title": "Exhibit", "filed_by": "claimant", "received_on": COURT_TODAY.isoformat(),
            "filename": filename, "content_base64": base64.b64encode(content).decode()}
    return client.post(f"/api/cases/{number}/documents", json=body, headers=bearer(token))


REFUSED_UPLOADS: dict[str, tuple[bytes, str]] = {
    "an empty file": (b"", "claim.pdf"),
    "a Windows program named .pdf": (b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200, "claim.pdf"),
    "an HTML page named .pdf": (b"<html><script>alert(1)</script></html>", "claim.pdf"),
    "an HTML page named .html": (b"<html><script>alert(1)</script></html>", "claim.html"),
    "an SVG with script named .png": (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "scan.png"),
    "a PDF named .png": (PDF, "scan.png"),
    "a PNG named .txt": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64, "notes.txt"),
    "a PDF with no extension": (PDF, "claim"),
    "too large for the court (over 64 KiB)": (PDF + b"0" * (70 * 1024), "big.pdf"),
}


@pytest.mark.parametrize("what", list(REFUSED_UPLOADS))
def test_an_upload_the_court_does_not_accept_is_refused_and_leaves_nothing_behind(site: tuple[Flask, Court, dict[str, str]], what: str) -> None:
    app, court, tokens = site
    services = app.extensions["medcourt"]
    content, filename = REFUSED_UPLOADS[what]
    root = services.settings.var_dir
    before, version = files_under(root), services.docket.case(court.open_case).version
    by_form = upload_form(client_as(app, "clerk"), court.open_case, content, filename)
    by_api = upload_api(app.test_client(), tokens["clerk"], court.open_case, content, filename)
    assert by_form.status_code == 422, by_form.get_data(as_text=True)[:1000]
    assert by_api.status_code == 422 and by_api.get_json()["field"] in ("file", "content_base64"), by_api.get_json()
    assert services.docket.case(court.open_case).version == version
    assert {p for p in files_under(root) - before if p.suffix not in (".db-wal", ".db-shm", ".db-journal")} == set()


def test_a_request_far_beyond_the_limit_is_cut_off_with_413(site: tuple[Flask, Court, dict[str, str]]) -> None:
    app, court, tokens = site
    huge = PDF + b"0" * (1200 * 1024)  # beyond the upload limit plus the room for the form's other fields
    assert upload_form(client_as(app, "clerk"), court.open_case, huge, "huge.pdf").status_code == 413
    response = upload_api(app.test_client(), tokens["clerk"], court.open_case, huge, "huge.pdf")
    assert response.status_code == 413 and response.content_type == "application/problem+json"


@pytest.mark.parametrize("filename", ["../../../../etc/passwd.pdf", "..\\..\\windows\\system32\\evil.pdf", "/etc/cron.d/x.pdf",
                                      "C:\\boot.pdf", "....//....//x.pdf", "%2e%2e%2fx.pdf", "claim.pdf\x00.png", "nul.pdf"])
def test_a_file_name_with_path_tricks_never_becomes_a_path(site: tuple[Flask, Court, dict[str, str]], filename: str) -> None:
    app, court, tokens = site
    services = app.extensions["medcourt"]
    var = services.settings.var_dir
    outside = {p for p in var.parent.rglob("*") if p.is_file() and not p.is_relative_to(var)}
    content = PDF + f"% {filename!r}\n".encode()
    for response in (upload_form(client_as(app, "clerk"), court.open_case, content, filename),
                     upload_api(app.test_client(), tokens["clerk"], court.open_case, content + b"api", filename)):
        assert response.status_code in (200, 303, 422), response.get_data(as_text=True)[:500]
    created = {p for p in var.parent.rglob("*") if p.is_file() and not p.is_relative_to(var)} - outside
    assert created == set()
    # Whatever was stored sits in the content-addressed store under its hash, and is downloaded under
    # a name the court makes (docket number and document id), never the uploaded one.
    documents = services.settings.documents_dir
    for path in files_under(documents):
        assert path.parent.parent.parent == documents and len(path.name) == 64 or path.parent.name == "incoming"
    case = services.docket.case(court.open_case)
    newest = max(case.documents, key=lambda d: int(d[1:]))
    download = client_as(app, "clerk").get(f"/cases/{court.open_case}/documents/{newest}")
    assert download.headers["Content-Disposition"] == f'attachment; filename="{court.open_case}-{newest}.pdf"'


# --- sign-in under attack -------------------------------------------------------------------------------------------------


def login(client: FlaskClient, username: str, password: str, **kwargs: Any) -> int:
    token = csrf_token(client)
    return client.post("/login", data={"username": username, "password": password, "csrf_token": token}, **kwargs).status_code


def test_throttling_cannot_be_dodged_by_claiming_another_address(tmp_path: Path) -> None:
    app = make_app(tmp_path / "var", LOGIN_ATTEMPTS_PER_ADDRESS=3)
    seed(app)
    client = app.test_client()
    statuses = [login(client, f"user{i}", "guess", headers={"X-Forwarded-For": f"198.51.100.{i}", "X-Real-IP": f"198.51.100.{i}"}) for i in range(5)]
    assert statuses == [401, 401, 401, 429, 429]


def test_an_account_guessed_at_from_many_addresses_gives_each_five_tries_and_stays_open_to_its_owner(tmp_path: Path) -> None:
    # Locking the account itself would let anyone lock anyone out (issue 14): the lock holds per address.
    app = make_app(tmp_path / "var")
    seed(app)
    for address in ("192.0.2.1", "192.0.2.2"):
        statuses = [login(app.test_client(), "judge", f"guess {i}", environ_base={"REMOTE_ADDR": address}) for i in range(6)]
        assert statuses == [401, 401, 401, 401, 429, 429]
        assert login(app.test_client(), "judge", PASSWORD, environ_base={"REMOTE_ADDR": address}) == 429
    assert login(app.test_client(), "judge", PASSWORD, environ_base={"REMOTE_ADDR": "192.0.2.200"}) == 302


def test_signing_in_replaces_the_session_so_a_planted_cookie_or_token_is_worthless(tmp_path: Path) -> None:
    app = make_app(tmp_path / "var")
    seed(app)
    victim = app.test_client()
    planted_token = csrf_token(victim)  # the attacker obtained this session before the victim signed in
    planted = victim.get_cookie("medcourt_session")
    assert planted is not None
    assert victim.post("/login", data={"username": "clerk", "password": PASSWORD, "csrf_token": planted_token}).status_code == 302
    signed_in = victim.get_cookie("medcourt_session")
    assert signed_in is not None and signed_in.value != planted.value
    assert victim.get("/cases").status_code == 200

    # The attacker, holding the pre-sign-in cookie, is not signed in.
    attacker = app.test_client()
    attacker.set_cookie("medcourt_session", planted.value)
    assert attacker.get("/cases").status_code == 302
    # And the CSRF token of the old session no longer passes for the victim's forms.
    refused = victim.post("/language", data={"language": "kk", "csrf_token": planted_token})
    assert refused.status_code == 400


# --- secrets and logs -----------------------------------------------------------------------------------------------------


def test_no_password_token_or_key_reaches_the_logs(tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch) -> None:
    app = make_app(tmp_path / "var")
    court = seed(app)
    services = app.extensions["medcourt"]
    token = app.extensions["medcourt_api_tokens"].create("clerk", name="logging", created_by="tests")[0]
    wrong_password, forged_token = "Wrong-Horse-Battery-9", "mct_" + "A" * 43
    cipher_key = load_keys(services.settings.var_dir)[0]
    caplog.set_level(logging.DEBUG)

    # A failed and a successful sign-in, pages, token requests (good, forged, and one that fails inside).
    assert login(app.test_client(), "clerk", wrong_password) == 401
    browser = app.test_client()
    assert login(browser, "clerk", PASSWORD) == 302
    assert browser.get(f"/cases/{court.open_case}").status_code == 200
    api = app.test_client()
    assert api.get("/api/cases", headers=bearer(token)).status_code == 200
    assert api.post(f"/api/cases/{court.open_case}/seal", json={"reason": "minor"}, headers=bearer(token)).status_code == 200
    assert api.get("/api/cases", headers=bearer(forged_token)).status_code == 401
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)  # answer 500 and log it, as in production
    monkeypatch.setattr(services.docket, "case", lambda *_a, **_k: (_ for _ in ()).throw(RuntimeError("the store broke")))
    assert api.get(f"/api/cases/{court.open_case}", headers=bearer(token)).status_code == 500

    logged = caplog.text + "\n".join(f"{r.getMessage()} {r.args!r} {r.exc_text or ''}" for r in caplog.records)
    assert "the store broke" in logged, "the failure inside the API was logged (so the logs were captured)"
    for name, secret in {"password": PASSWORD, "wrong password": wrong_password, "API token": token, "forged token": forged_token,
                         "token body": token[4:], "cipher key": cipher_key, "secret key": app.config["SECRET_KEY"]}.items():
        assert secret not in logged, f"the {name} appears in the logs"


# --- fuzzing: marshmallow schemas ---------------------------------------------------------------------------------------------

NASTY_TEXT = [
    "", " ", "\x00", "\x1b[31m", "NaN", "nan", "Infinity", "-inf", "1e999", "-1e999", "9" * 40, "-0", "0x1F", "1_000", "١٢٣",
    "2026-02-30", "0000-00-00", "0001-01-01", "9999-12-31", "99999-01-01", "2026-11-23T25:61", "25:61", "12:00", "T", "null",
    "ALA-2026-C-00001", "../../etc/passwd", "<script>alert(1)</script>", "' OR 1=1 --", "\u202e\u0644\u0627", "🏥" * 50,
    "a" * 5000, "R1", "EX1", "H1", "D1",
]
WORDS = sorted({
    *vocabulary.HARMS, *vocabulary.TRACKS, *vocabulary.FINDINGS, *vocabulary.DISPOSITIONS, *vocabulary.COMPENSATION_HEADS,
    *vocabulary.DOCUMENT_KINDS, *vocabulary.EXAMINATION_KINDS, *vocabulary.STANDARD_OF_CARE_MET, *vocabulary.CAUSATION,
    *vocabulary.MEDIATION_OUTCOMES, *vocabulary.APPEAL_OUTCOMES, *vocabulary.REOPEN_REASONS, *vocabulary.SEAL_REASONS,
    *vocabulary.SPECIALTIES, *vocabulary.COURTS, *vocabulary.ROLES, "specialist", "organization", "prosecutor", "inspectorate",
    "patient", "fine", "imprisonment", "certificate_withdrawal", "licence_suspension", "licence_revocation", "en", "kk", "ru",
})
SCALARS: st.SearchStrategy[Any] = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(2**80), max_value=2**80), st.integers(-3, 60), st.floats(),
    st.decimals(), st.text(max_size=20), st.sampled_from(NASTY_TEXT), st.sampled_from(WORDS),
    st.dates().map(date.isoformat), st.dates(), st.datetimes(timezones=st.none() | st.just(UTC)),
)
# What JSON (and so a request) can carry: the schemas' input. Python's json reads NaN and Infinity too.
JSON_SCALARS: st.SearchStrategy[Any] = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(2**80), max_value=2**80), st.integers(-3, 60), st.floats(),
    st.text(max_size=20), st.sampled_from(NASTY_TEXT), st.sampled_from(WORDS), st.dates().map(date.isoformat),
)
JSON_JUNK: st.SearchStrategy[Any] = st.one_of(JSON_SCALARS, st.recursive(
    JSON_SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8) | st.sampled_from(WORDS), inner, max_size=4),
    max_leaves=12,
))
JUNK: st.SearchStrategy[Any] = st.one_of(SCALARS, st.recursive(
    SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8) | st.sampled_from(WORDS), inner, max_size=4),
    max_leaves=12,
))


def schema_classes() -> list[type[marshmallow.Schema]]:
    found = []
    for module in (web_schemas, api_schemas):
        for _, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, marshmallow.Schema) and value.__module__ == module.__name__ and value not in (web_schemas.FormSchema, web_schemas.CommandSchema):
                found.append(value)
                # A command's schema loads the API's input as it is and a form's through its form variant: fuzz both.
                if issubclass(value, web_schemas.CommandSchema):
                    found.append(web_schemas.form_schema(value))
    return found


def field_paths(schema: marshmallow.Schema, prefix: str = "") -> list[str]:
    """The schema's input names, nested ones dotted (as the site's forms name them)."""
    paths = []
    for name, field in schema.fields.items():
        key = prefix + (field.data_key or name)
        paths.append(key)
        inner = field.inner if isinstance(field, marshmallow.fields.List) else field
        if isinstance(inner, marshmallow.fields.Nested) and isinstance(inner.schema, marshmallow.Schema):
            nested_prefix = f"{key}.0." if inner is not field else f"{key}."
            paths += field_paths(inner.schema, nested_prefix)
    return paths


def junk_input(schema: marshmallow.Schema) -> st.SearchStrategy[Any]:
    names = [n.split(".")[0] for n in field_paths(schema)]
    document = st.dictionaries(st.sampled_from(names) | st.text(max_size=6), JSON_JUNK, max_size=len(names) + 2)
    return st.one_of(document, document, JSON_JUNK)


@pytest.mark.parametrize("schema_class", schema_classes(), ids=lambda c: f"{c.__module__}.{c.__name__}")
def test_every_schema_refuses_junk_with_a_validation_error_and_nothing_else(schema_class: type[marshmallow.Schema]) -> None:
    schema = schema_class()

    @given(data=junk_input(schema))
    @FUZZ
    def load(data: Any) -> None:
        with contextlib.suppress(marshmallow.ValidationError):
            schema.load(data)

    load()


def test_every_schema_of_both_modules_is_fuzzed() -> None:
    names = {c.__name__ for c in schema_classes()}
    assert {"CaseFilingSchema", "CaseFilingSchemaForm", "RulingSchema", "RulingSchemaForm", "LoginSchema", "ProblemSchema", "StatsResultSchema"} <= names
    assert len(names) >= 80


# --- fuzzing: the site's forms -----------------------------------------------------------------------------------------------

FORM_FIELDS = sorted({path for cls in schema_classes() if cls.__module__ == web_schemas.__name__ for path in field_paths(cls())}
                     | {"file", "field", "value", "next", "claimant", "respondents", "expert_ids[]", "a..b", ".", "respondents.x.name",
                        "respondents.99999999999999999999.name", "claimant.name.first", "sanctions.0"})
FORM_VALUE = st.one_of(st.sampled_from(NASTY_TEXT), st.sampled_from(WORDS), st.text(max_size=20),
                       st.integers(min_value=-(2**70), max_value=2**70).map(str), st.dates().map(date.isoformat))
FORM = st.dictionaries(st.sampled_from(FORM_FIELDS), FORM_VALUE | st.lists(FORM_VALUE, min_size=2, max_size=3), min_size=3, max_size=30)


def allowed_role(statuses: dict[str, int]) -> str | None:
    """A signed-in role the form is for (any, for the language switch, which everyone may use)."""
    if all(status == 302 for status in statuses.values()):
        return "clerk"
    return next((role for role in ("clerk", "judge", "admin") if statuses[role] not in (302, 403, 404)), None)


FORM_ROUTES = [(route, allowed_role(statuses)) for route, statuses in POST_ROUTES if route not in ("/login", "/logout", "/account")]


# Found by the fuzzing once, kept as explicit examples: a field and a group of the same name ("claimant"
# and "claimant.name") made the form parser fail with a server error.
COLLIDING_FORM = {"claimant": "x", "claimant.name": "y", "respondents.0": "z", "respondents.0.kind": "organization", "a..b": "1"}


def form_fuzzer(client: FlaskClient, path: str, token: str, role: str) -> Callable[[], None]:
    @given(form=FORM)
    @example(form=COLLIDING_FORM)
    @example(form={"expected_version": "9" * 30, "corrects_version": "9" * 30, "duration_minutes": "9" * 30, "months": "1e999"})
    @FUZZ
    def post(form: dict[str, Any]) -> None:
        response = client.post(path, data={**form, "csrf_token": token})
        assert response.status_code < 500, f"{role} POST {path} {form!r}: {response.status_code}"

    return post


def test_every_form_answers_junk_without_a_server_error_and_the_history_stays_lawful(site: tuple[Flask, Court, dict[str, str]]) -> None:
    app, court, _ = site
    clients = {role: client_as(app, role) for role in ("clerk", "judge", "admin")}
    tokens = {role: csrf_token(client, "/public") for role, client in clients.items()}
    failures: list[str] = []
    for route, role in FORM_ROUTES:
        assert role is not None, route
        try:
            form_fuzzer(clients[role], _path(route, court), tokens[role], role)()
        except Exception as error:  # noqa: BLE001 - every form is tried; all failures are reported together
            failures.append(f"{route}: {type(error).__name__}: {str(error)[:1500]} {' '.join(getattr(error, '__notes__', []))[:1500]}")
    assert not failures, "\n\n".join(failures)
    report = verify_docket(app.extensions["medcourt"].docket)
    assert report.violations == [], [str(v) for v in report.violations]


# --- fuzzing: every docket command --------------------------------------------------------------------------------------------

PLUMBING = {"register_transcodings", "save", "install_default_rulebook", "log_head", "iter_log", "close", "take_snapshot"}
DATES = st.one_of(st.dates(), st.sampled_from([date.min, date.max]), st.integers(-400, 400).map(lambda n: NOW.date() + timedelta(days=n)))
EDGES_OF_TIME = [datetime.min, datetime.max, datetime.min.replace(tzinfo=UTC), datetime.max.replace(tzinfo=UTC),
                 datetime.min.replace(tzinfo=clock.COURT_TZ), datetime.max.replace(tzinfo=clock.COURT_TZ)]
INSTANTS = st.one_of(
    st.datetimes(timezones=st.none() | st.just(UTC) | st.just(clock.COURT_TZ)), st.sampled_from(EDGES_OF_TIME),
    st.integers(-400 * 24, 400 * 24).map(lambda h: NOW + timedelta(hours=h)),
    st.integers(-400 * 24, 400 * 24).map(lambda h: (NOW + timedelta(hours=h)).replace(tzinfo=None)),
)
ACTORS = st.one_of(
    st.sampled_from([Actor(user=f"{role}-1", role=role) for role in vocabulary.ROLES]),
    st.builds(lambda user, role: Actor(user=user, role=role), st.text(max_size=10), st.text(max_size=10)),
)
DOCUMENT_KEYS = ["name", "relation", "kind", "certificate_no", "bin", "organization_bin", "represents", "respondent_id",
                 "amount_mci", "months", *vocabulary.COMPENSATION_HEADS, *invariants.FINE_CAP]
DRAFT_KEYS = ["disposition", "decided_on", "finding", "harm_found", "liable_respondents", "sanctions", "compensation",
              "contributory_fault_pct", "insurer_compensation", "reasoning", "recommendation", "transferred_to_track",
              "transferred_to", "transferred_authority", "transferred_claimed", *Case.CORRECTABLE["CaseFiled"], "title", "kind",
              "filed_by", "purpose", "minutes_summary", "summary", *(f"{h}" for h in ("mci", "fine_cap_mci", "imprisonment_cap_months"))]


def plausible_value(key: str, ids: dict[str, list[str]]) -> st.SearchStrategy[Any]:
    """Values that sometimes make sense for ``key`` inside a dict argument (a ruling draft, a party...)."""
    if key == "sanctions":
        return st.lists(st.fixed_dictionaries({"respondent_id": st.sampled_from(["R1", "R2"]), "kind": st.sampled_from(WORDS)},
                                              optional={"amount_mci": SCALARS, "months": SCALARS}), max_size=2)
    if key in ("compensation", "claimed", "transferred_claimed"):
        return st.dictionaries(st.sampled_from(vocabulary.COMPENSATION_HEADS), SCALARS | st.sampled_from(["1000", "500000", "0.5"]), max_size=3)
    if key == "liable_respondents":
        return st.lists(st.sampled_from(["R1", "R2", "R3"]) | SCALARS, max_size=3)
    if key.endswith(("_on", "_date")):
        return DATES | DATES.map(date.isoformat)
    return st.sampled_from(WORDS + ["R1", "1000", "Dr Who", "123456789012", "KZ-1"])


def junk_dict(keys: list[str], ids: dict[str, list[str]]) -> st.SearchStrategy[dict[str, Any]]:
    return st.dictionaries(st.sampled_from(keys) | st.text(max_size=6), JUNK, max_size=4).flatmap(
        lambda base: st.fixed_dictionaries({}, optional={k: plausible_value(k, ids) for k in keys}).map(lambda extra: {**extra, **base})
    )


def junk_argument(name: str, annotation: Any, ids: dict[str, list[str]]) -> st.SearchStrategy[Any]:
    """Hostile arguments of the annotated type: the domain's own API is typed, so the types are kept at the
    top level; text, numbers, dates and everything inside dicts and lists are junk."""
    text = st.one_of(st.text(max_size=40), st.sampled_from(NASTY_TEXT), st.sampled_from(WORDS))
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if annotation is Actor or name == "actor":
        return ACTORS
    if origin in (typing.Union, types.UnionType):
        return st.one_of([junk_argument(name, arg, ids) for arg in args])
    if annotation is type(None):
        return st.none()
    if annotation is str or annotation is UUID:
        return text
    if annotation is int:
        return st.integers(min_value=-(2**70), max_value=2**70) | st.integers(-2, 40)
    if annotation is datetime:
        return INSTANTS
    if annotation is date:
        return DATES
    if origin is list and args and args[0] is str:
        return st.lists(text, max_size=4)
    keys = DRAFT_KEYS if name in ("draft", "corrections", "parameters", "sources") else DOCUMENT_KEYS
    if origin is list:
        return st.lists(junk_dict(keys, ids) | spoiled(st.sampled_from([HOSPITAL, SURGEON, {"name": "Lawyer"}]), keys), max_size=3)
    if origin is dict or annotation is dict:
        sensible = plausible_arguments(ids).get(name)
        return junk_dict(keys, ids) if sensible is None else st.one_of(spoiled(sensible, keys), spoiled(sensible, keys), junk_dict(keys, ids))
    return JUNK


def spoiled(sensible: st.SearchStrategy[Any], keys: list[str]) -> st.SearchStrategy[dict[str, Any]]:
    """A sensible dict (a ruling draft, a party) with one or two of its entries replaced by junk."""
    def spoil(value: dict[str, Any] | None) -> st.SearchStrategy[dict[str, Any]]:
        own = sorted(value or {}) or keys
        return st.dictionaries(st.sampled_from(own) | st.sampled_from(keys), JUNK, min_size=1, max_size=2).map(lambda bad: {**(value or {}), **bad})

    return sensible.flatmap(spoil)


def plausible_arguments(ids: dict[str, list[str]]) -> dict[str, st.SearchStrategy[Any]]:
    """What a clerk, judge or administrator would pass for each parameter name, so that most calls
    get past the first check and junk in one or two arguments meets the rules further in."""
    today = NOW.date()
    recent = st.integers(0, 20).map(lambda n: today - timedelta(days=n))
    ahead = st.integers(1, 60).map(lambda n: today + timedelta(days=n))
    words = st.sampled_from(["Complications after surgery", "Conflict of interest", "Dr Serik", "claimant", "Heard", "hearing"])
    ruling = st.fixed_dictionaries(
        {"disposition": st.sampled_from(vocabulary.DISPOSITIONS), "decided_on": recent},
        optional={"finding": st.sampled_from(vocabulary.FINDINGS), "harm_found": st.sampled_from(vocabulary.HARMS),
                  "liable_respondents": st.sampled_from([["R1"], ["R2"], ["R1", "R2"]]),
                  "sanctions": st.lists(st.fixed_dictionaries({"respondent_id": st.sampled_from(["R1", "R2"]),
                                                               "kind": st.sampled_from(["fine", "imprisonment", "certificate_withdrawal", "licence_suspension"])},
                                                              optional={"amount_mci": st.integers(1, 500), "months": st.integers(1, 40)}), max_size=2),
                  "compensation": st.dictionaries(st.sampled_from(vocabulary.COMPENSATION_HEADS), st.sampled_from(["1000", "400000", "2000000"]), max_size=2),
                  "contributory_fault_pct": st.sampled_from(["0", "25", "99.5"]), "transferred_to_track": st.sampled_from(vocabulary.TRACKS),
                  "reasoning": words},
    )
    return {
        "docket_number": st.sampled_from(ids["dockets"]), "judge_id": st.sampled_from(ids["judges"]),
        "expert_id": st.sampled_from(ids["experts"]), "expert_ids": st.lists(st.sampled_from(ids["experts"]), min_size=1, max_size=2),
        "mediator_id": st.sampled_from(ids["mediators"]), "examination_id": st.sampled_from(["EX1", "EX2"]),
        "hearing_id": st.sampled_from(["H1", "H2", "H3"]), "track": st.sampled_from(vocabulary.TRACKS), "court": st.sampled_from(["ALA", "AST"]),
        "received_on": recent, "incident_date": st.integers(30, 400).map(lambda n: today - timedelta(days=n)),
        "specialty": st.sampled_from(vocabulary.SPECIALTIES[:3]), "alleged_harm": st.sampled_from(vocabulary.HARMS),
        "claimant": st.just({"name": "Aliya Bekova"}), "respondents": st.sampled_from([[HOSPITAL], [SURGEON], [HOSPITAL, SURGEON]]),
        "authority": st.sampled_from([None, PROSECUTOR, INSPECTORATE]), "representatives": st.just([]),
        "claimed": st.sampled_from([{}, {"real_damage": "500000"}, {"moral_harm": "1000000.50"}]), "summary": words,
        "transferred_from": st.none(), "kind": st.sampled_from([*vocabulary.DOCUMENT_KINDS, *vocabulary.EXAMINATION_KINDS]),
        "title": words, "filed_by": words, "sha256": st.sampled_from(["a" * 64, "0123456789abcdef" * 4]), "size": st.integers(0, 10**6),
        "media_type": st.just("application/pdf"), "corrects_version": st.integers(1, 8), "reason": st.sampled_from(
            [*vocabulary.REOPEN_REASONS, *vocabulary.SEAL_REASONS, "Conflict of interest"]),
        "corrections": st.sampled_from([{"summary": "Corrected"}, {"received_on": today - timedelta(days=2)}, {"title": "Corrected"}, {"specialty": "surgery"}]),
        "questions": st.just(["Was the standard of care met?"]), "due_on": ahead, "standard_of_care_met": st.sampled_from(vocabulary.STANDARD_OF_CARE_MET),
        "causation": st.sampled_from(vocabulary.CAUSATION), "harm_found": st.sampled_from(vocabulary.HARMS), "document_id": st.sampled_from([None, "D1"]),
        "starts_at": st.tuples(st.integers(1, 30), st.integers(9, 16)).map(
            lambda dh: datetime.combine(today + timedelta(days=dh[0]), datetime.min.time().replace(hour=dh[1]), tzinfo=clock.COURT_TZ)),
        "duration_minutes": st.sampled_from([30, 60, 120]), "courtroom": st.sampled_from(["1", "2"]), "purpose": words, "minutes_summary": words,
        "outcome": st.sampled_from([*vocabulary.MEDIATION_OUTCOMES, *vocabulary.APPEAL_OUTCOMES]), "concluded_on": recent, "decided_on": recent,
        "filed_on": recent, "reopened_on": recent, "appellant": words, "draft": ruling, "moment": recent, "version": st.integers(1, 12),
        "name": words, "valid_from": st.just(date(2020, 1, 1)), "valid_to": st.sampled_from([None, today + timedelta(days=300)]),
        "retired_on": recent, "specialties": st.just(["surgery"]), "qualification": words, "certificate_no": st.sampled_from([None, "EXP-9"]),
        "bin_": st.just("123456789012"), "organization": words, "course": words, "effective_from": ahead,
        # The court's clerk, its judge (whose registry id the unit court sets) and an administrator (R14).
        "actor": st.sampled_from([Actor(user="clerk-1", role="clerk", court="ALA"), UNIT_JUDGE, Actor(user="admin-1", role="admin")]),
    }


def arguments_for(name: str, ids: dict[str, list[str]]) -> st.SearchStrategy[dict[str, Any]]:
    """The arguments of command ``name``: what a user would pass, with junk in up to two of them (chosen
    anew for every call), so that each call meets the rules with most of its input sensible."""
    hints = typing.get_type_hints(getattr(Docket, name))
    names = [p for p in inspect.signature(getattr(Docket, name)).parameters if p != "self"]
    plausible = plausible_arguments(ids)
    junk = {p: junk_argument(p, hints.get(p, Any), ids) for p in names}

    def build(hostile: set[str]) -> st.SearchStrategy[dict[str, Any]]:
        return st.fixed_dictionaries({p: junk[p] if p in hostile or p not in plausible else plausible[p] for p in names})

    return st.sets(st.sampled_from(names), max_size=2).flatmap(build) if names else st.just({})


def docket_commands() -> list[str]:
    return sorted(name for name, value in vars(Docket).items() if callable(value) and not name.startswith("_") and name not in PLUMBING)


def test_the_command_fuzzing_covers_every_public_command_of_the_docket() -> None:
    commands = set(docket_commands())
    assert {"file_case", "issue_ruling", "correct_entry", "schedule_hearing", "adopt_rulebook_version", "case_as_of"} <= commands
    assert len(commands) >= 35


def test_no_docket_command_raises_anything_but_a_domain_error_or_breaks_a_rule_on_junk() -> None:
    with clock.frozen_at(NOW):
        court = set_up_court(Docket(env={"PERSISTENCE_MODULE": "eventsourcing.popo", "IS_SNAPSHOTTING_ENABLED": "y"}))
        app = court.app
        dockets = [court.file("civil"), court.file("criminal"), court.file("administrative"), court.file_assigned("civil"),
                   court.ready_for_merits("civil"), court.decided("civil")]
        app.schedule_hearing(dockets[3], starts_at=NOW + timedelta(days=3), courtroom="1", purpose="hearing", actor={"user": "c", "role": "clerk", "court": "ALA"})
        ids = {"dockets": dockets, "judges": [court.judge, court.other_judge, court.expiring_judge],
               "experts": [court.expert, court.second_expert, court.hospital_expert], "mediators": [court.mediator],
               "examinations": ["EX1", "EX2"], "hearings": ["H1", "H2"], "bins": ["123456789012"]}
        accepted: Counter[str] = Counter()
        failures: list[str] = []
        for name in docket_commands():
            try:
                command_fuzzer(app, name, arguments_for(name, ids), dockets, accepted)()
            except Exception as error:  # noqa: BLE001 - every command is tried; all failures are reported together
                failures.append(f"{name}: {type(error).__name__}: {str(error)[:2000]} {' '.join(getattr(error, '__notes__', []))[:1500]}")
        assert not failures, "\n\n".join(failures)
        # Plenty of the junk was accepted (so the rules were put to the test), and the whole history
        # passes `medcourt verify`'s re-check of every rule and of the hash chains.
        assert sum(accepted.values()) >= 20, accepted
        report = verify_docket(app)
        assert report.violations == [], [str(v) for v in report.violations]


TICK = [0]


def command_fuzzer(app: Docket, name: str, arguments: st.SearchStrategy[dict[str, Any]], dockets: list[str], accepted: Counter[str]) -> Callable[[], None]:
    method = getattr(app, name)

    @given(arguments=arguments)
    @COMMAND_FUZZ
    def call(arguments: dict[str, Any]) -> None:
        head = app.log_head()
        # Each call a moment after the last: verify rebuilds the registries as of each event's instant,
        # which needs the history's instants in the order it was recorded.
        TICK[0] += 1
        try:
            with clock.frozen_at(NOW + timedelta(milliseconds=TICK[0])):
                result = method(**arguments)
        except DomainError:
            assert app.log_head() == head, f"{name} refused, yet recorded something"
            return
        for key in ("docket_number", "transferred_to"):
            if isinstance(result, dict) and result.get(key) and result[key] not in dockets:
                dockets.append(result[key])
        if app.log_head() != head:
            accepted[name] += 1
            check_every_rule(app, dockets)

    return call


def check_every_rule(app: Docket, dockets: list[str]) -> None:
    cases = {number: app.case(number) for number in dockets}
    for case in cases.values():
        invariants.check_case(case)
    for court in {case.court for case in cases.values()}:
        try:
            calendar = app.repository.get(calendar_id(court))
        except Exception:  # noqa: BLE001 - no hearing was ever booked in that court
            continue
        assert isinstance(calendar, CourtCalendar)
        invariants.check_calendar(calendar, cases)
    invariants.check_numbering(list(cases))



# --- fuzzing: every page's query string (issue 14) ---------------------------------------------------------------------------

QUERY_KEYS = sorted({"page", "per_page", "q", "court", "track", "status", "day", "view", "as_of", "at", "from", "to", "kind", "version",
                     "mine", "next", "by", "judge_id", "specialty", "specialties", "date", "start", "end", "period", "year", "quarter",
                     "measure", "format", "language"})
QUERY_VALUE = st.one_of(
    st.sampled_from(NASTY_TEXT), st.sampled_from(WORDS), st.text(max_size=12),
    st.sampled_from(["99999999999999999999", "9223372036854775808", "-9223372036854775809", "0", "-1", "9" * 5000]),
    st.sampled_from(["0001-01-01", "9999-12-31", "1899-12-31", "3000-01-01", "2026-02-30", "2999-12-31", "2026-13-01"]),
    st.dates().map(date.isoformat),
)
QUERY = st.dictionaries(st.sampled_from(QUERY_KEYS), QUERY_VALUE | st.lists(QUERY_VALUE, min_size=2, max_size=3), max_size=8)
# The probe of issue 14, kept as explicit examples.
PROBED_QUERIES = [{"page": "99999999999999999999"}, {"page": "9223372036854775808"}, {"day": "0001-01-01"}, {"day": "9999-12-31"},
                  {"as_of": "9999-12-31"}, {"from": "2026-02-30"}, {"q": "\x00"}]


def query_fuzzer(client: FlaskClient, path: str, role: str | None) -> Callable[[], None]:
    @given(query=QUERY)
    @FUZZ
    def get(query: dict[str, Any]) -> None:
        response = client.get(path.partition("?")[0], query_string=query)
        assert response.status_code < 500, f"{role} GET {path} {query!r}: {response.status_code}"

    for probed in PROBED_QUERIES:
        get = example(query=probed)(get)
    return get


def test_every_page_answers_junk_query_strings_without_a_server_error(site: tuple[Flask, Court, dict[str, str]]) -> None:
    app, court, _ = site
    clients: dict[str | None, FlaskClient] = {role: client_as(app, role) for role in ("clerk", "judge", "analyst", "admin")}
    clients[None] = app.test_client()
    failures: list[str] = []
    tried = 0
    for route, statuses in GET_ROUTES:
        role = next((r for r in ("clerk", "judge", "analyst", "admin") if statuses[r] == 200), None)
        if (role is None and statuses["anonymous"] != 200) or "documents/" in route:
            continue
        tried += 1
        try:
            query_fuzzer(clients[role], _path(route, court), role)()
        except Exception as error:  # noqa: BLE001 - every page is tried; all failures are reported together
            failures.append(f"{route}: {type(error).__name__}: {str(error)[:1500]} {' '.join(getattr(error, '__notes__', []))[:1500]}")
    assert tried >= 20
    assert not failures, "\n\n".join(failures)
