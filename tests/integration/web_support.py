"""Helpers for the web tests: an app on a fresh SQLite installation (``make_app``), a seeded court
(``seed``), signing in and posting forms with their CSRF token. The fixtures built on them (``app``,
``client``, ``runner``, ``auth``, ``fresh``, ``seeded``, ``client_for``) are in ``tests/conftest.py``.

The seeded court (``Court``) is built through the docket services, as a clerk and an
administrator would build it, partly in the past (``clock.frozen_at``) so that
histories have earlier dates to look at.
"""

from __future__ import annotations

import html
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from domain import clock
from domain.application import Docket
from projections.settings import Settings
from scripts.rulebook_data import kz_non_working_days
from tests.court_clock import COURT_NOW, COURT_TODAY
from web import create_app

PASSWORD = "correct horse battery"
CSRF_PATTERN = re.compile(r'name="csrf_token" value="([^"]+)"')

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"

ADMIN = {"user": "admin", "role": "admin"}
CLERK = {"user": "clerk", "role": "clerk", "court": "ALA"}
CLERK_AST = {"user": "clerk_ast", "role": "clerk", "court": "AST"}


def make_app(var_dir: Path, **config: Any) -> Flask:
    settings = Settings(database_url=None, var_dir=var_dir)
    app = create_app(
        {
            "TESTING": True,
            "MEDCOURT_SETTINGS": settings,
            "SECRET_KEY": "test-secret",
            "ARGON2_TIME_COST": 1,
            "ARGON2_MEMORY_COST": 64,
            **config,
        }
    )
    app.extensions["medcourt"].docket.install_default_rulebook(kz_non_working_days())
    app.test_client_class = EnglishBrowser
    return app


class EnglishBrowser(FlaskClient):
    """A test client whose browser prefers English (the default language is Russian)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


@dataclass
class Court:
    """What the seeded court holds: registry ids and docket numbers by role in the tests."""

    judge_id: str = ""
    second_judge_id: str = ""
    other_court_judge_id: str = ""
    expert_id: str = ""
    mediator_id: str = ""
    open_case: str = ""
    sealed_case: str = ""
    criminal_case: str = ""
    decided_case: str = ""
    other_court_sealed_case: str = ""
    hearing_id: str = ""
    examination_id: str = ""
    document_id: str = ""
    user_ids: dict[str, int] = field(default_factory=dict)


def seed(app: Flask) -> Court:
    """A court in Almaty (ALA) with two certified judges, one in Astana, and cases in several states."""
    services = app.extensions["medcourt"]
    docket: Docket = services.docket
    court = Court()
    past = COURT_NOW - timedelta(days=40)
    with clock.frozen_at(past):
        today = clock.today()
        court.judge_id = docket.register_judge("Aigerim Sadykova", "ALA", ADMIN)["id"]
        docket.certify_judge(court.judge_id, date(2020, 1, 1), None, "Medical law", ADMIN)
        court.second_judge_id = docket.register_judge("Bolat Nurlanov", "ALA", ADMIN)["id"]
        docket.certify_judge(court.second_judge_id, date(2020, 1, 1), None, "Medical law", ADMIN)
        court.other_court_judge_id = docket.register_judge("Dana Omarova", "AST", ADMIN)["id"]
        docket.certify_judge(court.other_court_judge_id, date(2020, 1, 1), None, "Medical law", ADMIN)
        court.expert_id = docket.register_expert("Dr Serik Ivanov", ["surgery", "anesthesiology"], "Professor of surgery", "EXP-1", ADMIN)["id"]
        court.mediator_id = docket.register_mediator("Gulnara Abenova", "ALA", "Almaty Mediation Centre", ADMIN)["id"]
        court.open_case = file_civil_case(docket, received_on=today - timedelta(days=5))
        docket.assign_judge(court.open_case, court.judge_id, CLERK)
        court.sealed_case = file_civil_case(docket, received_on=today - timedelta(days=3), claimant="Sealed Patient")
        docket.assign_judge(court.sealed_case, court.judge_id, CLERK)
        docket.seal_case(court.sealed_case, reason="minor", actor=CLERK)
        court.other_court_sealed_case = file_civil_case(docket, received_on=today - timedelta(days=3), court="AST")
        docket.seal_case(court.other_court_sealed_case, reason="court_order", actor=CLERK_AST)
        court.criminal_case = docket.file_case(
            track="criminal", court="ALA", received_on=today - timedelta(days=2), specialty="anesthesiology", alleged_harm="serious",
            incident_date=today - timedelta(days=100), claimant={"name": "Victim B"},
            respondents=[{"kind": "specialist", "name": "Dr Karimov", "certificate_no": "KZ-123"}, {"kind": "organization", "name": "Clinic One", "bin": "987654321098"}],
            authority={"kind": "prosecutor", "name": "Almaty City Prosecutor"}, actor=CLERK,
        )["docket_number"]
        docket.assign_judge(court.criminal_case, court.judge_id, CLERK)
        court.examination_id = docket.order_examination(
            court.open_case, kind="forensic_medical", questions=["Was the standard of care met?"], expert_ids=[court.expert_id],
            due_on=today + timedelta(days=30), actor={"user": "judge", "role": "judge", "judge_id": court.judge_id},
        )["id"]
        court.decided_case = file_civil_case(docket, received_on=today - timedelta(days=1))
        docket.assign_judge(court.decided_case, court.second_judge_id, CLERK)
        docket.issue_ruling(court.decided_case, {"disposition": "withdrawn", "decided_on": today}, {"user": "judge2", "role": "judge", "judge_id": court.second_judge_id})
    stored = services.documents.put(io.BytesIO(PDF), "claim.pdf")
    court.document_id = docket.file_document(
        court.open_case, kind="claim", title="Statement of claim", filed_by="Patient A", received_on=COURT_TODAY,
        sha256=stored.sha256, size=stored.size, media_type=stored.media_type, actor=CLERK,
    )["id"]
    court.hearing_id = docket.schedule_hearing(
        court.open_case, starts_at=datetime.combine(COURT_TODAY + timedelta(days=2), datetime.min.time().replace(hour=10)),
        courtroom="101", purpose="preliminary hearing", actor=CLERK,
    )["id"]
    accounts = services.accounts
    for username, role, court_code, judge in (
        ("clerk", "clerk", "ALA", None),
        ("clerk_ast", "clerk", "AST", None),
        ("judge", "judge", "ALA", court.judge_id),
        ("judge2", "judge", "ALA", court.second_judge_id),
        ("analyst", "analyst", None, None),
        ("admin", "admin", None, None),
    ):
        user = accounts.create_user(username, PASSWORD, role, court=court_code, judge_id=judge, display_name=username.title(), language="en")
        court.user_ids[username] = user.id
    return court


def file_civil_case(docket: Docket, *, received_on: date, claimant: str = "Patient A", court: str = "ALA") -> str:
    return str(
        docket.file_case(
            track="civil", court=court, received_on=received_on, specialty="surgery", alleged_harm="serious",
            incident_date=received_on - timedelta(days=90), claimant={"name": claimant},
            respondents=[{"kind": "organization", "name": "City Hospital No. 4", "bin": "123456789012"}],
            claimed={"real_damage": "500000", "moral_harm": "1000000.50"}, summary="Complications after an appendectomy",
            actor=CLERK if court == "ALA" else CLERK_AST,
        )["docket_number"]
    )


def csrf_token(client: FlaskClient, path: str = "/login") -> str:
    """A CSRF token for this client's session, read from a page's form."""
    page = client.get(path).get_data(as_text=True)
    found = CSRF_PATTERN.search(page)
    assert found, f"no CSRF token on {path}"
    return found.group(1)


def sign_in(client: FlaskClient, username: str, password: str = PASSWORD) -> None:
    token = csrf_token(client)
    response = client.post("/login", data={"username": username, "password": password, "csrf_token": token})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]


def signed_in(app: Flask, username: str, password: str = PASSWORD) -> FlaskClient:
    """A test client of ``app`` signed in as ``username``."""
    client = app.test_client()
    sign_in(client, username, password)
    return client


def text(response: object) -> str:
    """A response's HTML as a reader sees the text (entities decoded)."""
    return html.unescape(response.get_data(as_text=True))  # type: ignore[attr-defined]


def post(client: FlaskClient, path: str, data: dict[str, Any] | None = None, token_from: str = "/public", **kwargs: Any) -> Any:
    """POST a form with this session's CSRF token."""
    return client.post(path, data={**(data or {}), "csrf_token": csrf_token(client, token_from)}, **kwargs)
