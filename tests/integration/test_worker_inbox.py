"""The inbox in the web UI: the worker's notices appear for the judge and the clerk they are
addressed to, the header can show the unread count, and notices are marked read one by one or
all at once (Flask test client, SQLite)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask, render_template_string

from domain import clock
from projections.settings import Settings
from tests.integration.web_support import csrf_token, make_app, signed_in
from tests.integration.worker_support import CLERK, D0, JUDGE, Court, at, make_court, run


@pytest.fixture
def court_and_app(tmp_path: Path) -> Iterator[tuple[Court, Flask, dict[str, str]]]:
    # Judge 1 has an overdue expert report; judge 2's sealed case's ruling entered into force.
    court = make_court(Settings(database_url=None, var_dir=tmp_path / "var"))
    overdue = court.file()
    with clock.frozen_at(at(D0, 11)):
        court.docket.order_examination(overdue, kind="forensic_medical", questions=["Was the standard of care met?"],
                                       expert_ids=[court.expert_id], due_on=D0 + timedelta(days=5), actor=JUDGE)
    in_force = court.decided("administrative", judge_id=court.judge2_id)
    with clock.frozen_at(at(D0, 16)):
        court.docket.seal_case(in_force, reason="minor", actor=CLERK)
    run(court, at(D0 + timedelta(days=12)), "examinations", "legal_force")
    app = make_app(tmp_path / "var")
    yield court, app, {"overdue": overdue, "in_force": in_force}
    court.docket.close()


def test_each_user_sees_the_notices_addressed_to_them(court_and_app: tuple[Court, Flask, dict[str, str]]) -> None:
    _, app, cases = court_and_app

    judge = signed_in(app, "judge").get("/inbox").get_data(as_text=True)
    assert cases["overdue"] in judge and "Expert report overdue" in judge and "has not been submitted" in judge
    assert cases["in_force"] not in judge

    judge2 = signed_in(app, "judge2").get("/inbox").get_data(as_text=True)
    assert cases["in_force"] in judge2 and "entered into legal force" in judge2 and cases["overdue"] not in judge2

    clerk = signed_in(app, "clerk").get("/inbox").get_data(as_text=True)
    assert cases["overdue"] in clerk and cases["in_force"] in clerk and "2 unread notices" in clerk

    assert "No notices." in signed_in(app, "clerk_ast").get("/inbox").get_data(as_text=True)
    assert signed_in(app, "analyst").get("/inbox").status_code == 200
    assert app.test_client().get("/inbox").status_code == 302  # to the sign-in page


def test_notices_are_marked_read_and_the_unread_count_follows(court_and_app: tuple[Court, Flask, dict[str, str]]) -> None:
    court, app, cases = court_and_app
    clerk = signed_in(app, "clerk")

    def unread() -> int:
        # What the base template's header shows: inbox_unread() from the blueprint's context processor.
        with app.test_request_context():
            from datetime import timedelta

            from flask import session
            from flask_login import login_user

            from web.access import load_user

            # A signed-in browser holds a session the server opened (signing out closes it).
            session["_sid"] = app.extensions["medcourt"].accounts.open_session(court.user_ids["clerk"], timedelta(minutes=5))
            user = load_user(f"{court.user_ids['clerk']}:0")
            assert user is not None
            login_user(user)
            return int(render_template_string("{{ inbox_unread() }}"))

    assert unread() == 2
    page = clerk.get("/inbox?unread=1").get_data(as_text=True)
    first, second = (int(found) for found in re.findall(r'action="/inbox/(\d+)/read"', page))

    # Another user cannot mark the clerk's notice read.
    judge = signed_in(app, "judge")
    judge.post(f"/inbox/{second}/read", data={"csrf_token": csrf_token(judge, "/inbox")})
    assert unread() == 2

    response = clerk.post(f"/inbox/{first}/read", data={"csrf_token": csrf_token(clerk, "/inbox")})
    assert response.status_code == 302 and unread() == 1

    clerk.post("/inbox/read", data={"csrf_token": csrf_token(clerk, "/inbox")})
    assert unread() == 0
    page = clerk.get("/inbox").get_data(as_text=True)
    assert "0 unread notices" in page and cases["overdue"] in page  # read notices stay listed
    assert "No notices." in clerk.get("/inbox?unread=1").get_data(as_text=True)


def test_the_header_shows_the_unread_count_on_every_page(court_and_app: tuple[Court, Flask, dict[str, str]]) -> None:
    _, app, _ = court_and_app

    page = signed_in(app, "clerk").get("/cases").get_data(as_text=True)

    assert 'href="/inbox"' in page and '<span class="badge" aria-label="2 unread">2</span>' in page
    assert '<span class="badge"' not in signed_in(app, "clerk_ast").get("/cases").get_data(as_text=True)
