"""Idempotent writes (issue 14): a retry after a lost answer returns the first answer, through the API
(``Idempotency-Key``) and the site's forms (a key in every form), never a 500 or a second filing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy.exc import OperationalError

from domain import clock
from tests.integration.test_api import new_case
from tests.integration.web_support import Court, make_app, seed, sign_in


@pytest.fixture(name="site")
def site_fixture(tmp_path: Path) -> Iterator[tuple[Flask, Court, str]]:
    app = make_app(tmp_path / "var", PROPAGATE_EXCEPTIONS=False)
    court = seed(app)
    token = app.extensions["medcourt_api_tokens"].create("clerk", name="retries", created_by="tests")[0]
    yield app, court, token
    app.extensions["medcourt"].close()


def file_case(app: Flask, token: str, key: str | None, **changes: Any) -> Any:
    headers = {"Authorization": f"Bearer {token}"}
    if key:
        headers["Idempotency-Key"] = key
    return app.test_client().post("/api/cases", json=new_case(**changes), headers=headers)


def cases_in_log(app: Flask) -> int:
    docket = app.extensions["medcourt"].docket
    return sum(1 for n in docket.recorder.select_notifications(start=1, limit=100_000) if n.topic.endswith(".CaseFiled"))


def test_a_repeated_api_command_with_the_same_key_files_once_and_answers_the_same(site: tuple[Flask, Court, str]) -> None:
    app, _, token = site
    before = cases_in_log(app)
    first = file_case(app, token, "retry-0001-aaaa")
    again = file_case(app, token, "retry-0001-aaaa")
    assert first.status_code == again.status_code == 201
    assert again.get_json() == first.get_json() and again.headers["Location"] == first.headers["Location"]
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert cases_in_log(app) == before + 1
    # Without a key, or with a new key, it is a new filing.
    assert file_case(app, token, "retry-0002-bbbb").get_json()["docket_number"] != first.get_json()["docket_number"]
    assert cases_in_log(app) == before + 2


def test_the_same_key_for_another_request_is_refused(site: tuple[Flask, Court, str]) -> None:
    app, _, token = site
    assert file_case(app, token, "retry-0003-cccc").status_code == 201
    other = file_case(app, token, "retry-0003-cccc", summary="Another claim")
    assert other.status_code == 422 and other.get_json()["field"] == "Idempotency-Key"
    assert file_case(app, token, "short").status_code == 400


def test_a_write_that_committed_but_answered_500_is_not_filed_again_on_retry(site: tuple[Flask, Court, str], monkeypatch: pytest.MonkeyPatch) -> None:
    app, _, token = site
    services = app.extensions["medcourt"]
    before = cases_in_log(app)

    # The event is committed, then the connection drops before the answer (staged: the wait for
    # the read models fails as a dropped connection does).
    def lost(position: int | None) -> bool:
        raise OperationalError("SELECT 1", {}, Exception("server closed the connection unexpectedly"))

    monkeypatch.setattr(services, "caught_up", lost)
    first = file_case(app, token, "retry-0004-dddd")
    assert first.status_code == 500
    assert cases_in_log(app) == before + 1  # it did commit
    monkeypatch.undo()

    # The client retries with the same key: the answer the first request should have given.
    retry = file_case(app, token, "retry-0004-dddd")
    assert retry.status_code == 201 and retry.headers.get("Idempotent-Replayed") == "true"
    number = retry.get_json()["docket_number"]
    assert retry.headers["Location"].endswith(f"/api/cases/{number}")
    assert cases_in_log(app) == before + 1
    history = app.extensions["medcourt"].docket.case_history(number)
    assert history[0]["data"]["actor"] == {"user": "clerk", "role": "clerk", "court": "ALA", "request": "retry-0004-dddd"}


def test_a_write_that_failed_before_committing_runs_on_retry(site: tuple[Flask, Court, str], monkeypatch: pytest.MonkeyPatch) -> None:
    app, _, token = site
    services = app.extensions["medcourt"]
    before = cases_in_log(app)

    def down(*args: Any, **kwargs: Any) -> Any:
        raise OperationalError("INSERT", {}, Exception("connection refused"))

    monkeypatch.setattr(services.docket, "file_case", down)
    assert file_case(app, token, "retry-0005-eeee").status_code == 500
    monkeypatch.undo()
    assert cases_in_log(app) == before
    retry = file_case(app, token, "retry-0005-eeee")
    assert retry.status_code == 201 and "Idempotent-Replayed" not in retry.headers, retry.get_json()
    replay = file_case(app, token, "retry-0005-eeee")
    assert replay.get_json() == retry.get_json() and replay.headers.get("Idempotent-Replayed") == "true"
    assert cases_in_log(app) == before + 1


def test_a_form_sent_twice_files_once(site: tuple[Flask, Court, str]) -> None:
    app, court, _ = site
    clerk = app.test_client()
    sign_in(clerk, "clerk")
    page = clerk.get(f"/cases/{court.open_case}/documents/new").get_data(as_text=True)
    import re

    key = re.search(r'name="idempotency_key" value="([^"]+)"', page)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert key and token
    services = app.extensions["medcourt"]
    before = services.docket.case(court.open_case).version
    import io

    from tests.integration.web_support import PDF

    def send() -> Any:
        return clerk.post(
            f"/cases/{court.open_case}/documents/new",
            data={"file": (io.BytesIO(PDF), "claim.pdf"), "kind": "evidence", "title": "Exhibit", "filed_by": "claimant",
                  "received_on": clock.today().isoformat(), "csrf_token": token.group(1), "idempotency_key": key.group(1)},
            content_type="multipart/form-data",
        )

    first, second = send(), send()
    assert first.status_code in (302, 303) and second.status_code in (302, 303)
    assert second.headers["Location"] == first.headers["Location"] and second.headers.get("Idempotent-Replayed") == "true"
    assert services.docket.case(court.open_case).version == before + 1
