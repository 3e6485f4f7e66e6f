"""Who may open and submit what: every route, for every role, with the exact status.

Anonymous visitors are sent to the sign-in page (302); a role a page is not for gets
403; a sealed case the user may not see is 404, exactly like a case that does not
exist (R11). Submissions here are empty forms: a permitted role gets them back with
messages (422), which proves it got past the door without changing anything.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask.testing import FlaskClient

from tests.integration.web_support import Court, csrf_token

ROLES = ("anonymous", "clerk", "judge", "analyst", "admin")
USERS = {"anonymous": None, "clerk": "clerk", "judge": "judge", "analyst": "analyst", "admin": "admin"}


def expect(anonymous: int, clerk: int, judge: int, analyst: int, admin: int) -> dict[str, int]:
    return dict(zip(ROLES, (anonymous, clerk, judge, analyst, admin), strict=True))


STAFF = expect(302, 200, 200, 200, 200)
CASE_WORK = expect(302, 200, 200, 403, 200)
CLERK_JUDGE = expect(302, 200, 200, 403, 403)
CLERK_ADMIN = expect(302, 200, 403, 403, 200)
ADMIN_ONLY = expect(302, 403, 403, 403, 200)
JUDGE_ONLY = expect(302, 403, 200, 403, 403)
EVERYONE = expect(200, 200, 200, 200, 200)
NOBODY = expect(404, 404, 404, 404, 404)


def posted(ok: int, table: dict[str, int]) -> dict[str, int]:
    """The GET table turned into the POST one: where the page opens (200), a submission is ``ok``."""
    return {role: ok if status == 200 else status for role, status in table.items()}


GET_ROUTES: list[tuple[str, dict[str, int]]] = [
    ("/", expect(302, 302, 302, 302, 302)),
    ("/login", expect(200, 302, 302, 302, 302)),
    ("/account", STAFF),
    ("/cases", STAFF),
    ("/cases?q=hospital&court=ALA&track=civil&status=pending&page=2", STAFF),
    ("/cases/new", CLERK_ADMIN),
    ("/cases/{open}", STAFF),
    ("/cases/{sealed}", expect(302, 200, 200, 404, 200)),
    ("/cases/{other_sealed}", expect(302, 404, 404, 404, 200)),
    ("/cases/ALA-2026-C-99999", expect(302, 404, 404, 404, 404)),
    ("/cases/not-a-number", expect(302, 404, 404, 404, 404)),
    ("/cases/{open}/history", STAFF),
    ("/cases/{open}/history?kind=CaseFiled&as_of=2020-01-01", expect(302, 422, 422, 422, 422)),
    ("/cases/{sealed}/history", expect(302, 200, 200, 404, 200)),
    ("/cases/{open}/diff?from=2020-01-01", STAFF),
    ("/cases/{sealed}/diff?from=2020-01-01", expect(302, 200, 200, 404, 200)),
    ("/cases/{open}/documents/new", CASE_WORK),
    ("/cases/{open}/documents/{document}", CASE_WORK),
    ("/cases/{open}/documents/D99", expect(302, 404, 404, 403, 404)),
    ("/cases/{open}/judge", CASE_WORK),
    ("/cases/{open}/hearings/new", CLERK_JUDGE),
    ("/cases/{open}/hearings/{hearing}", CLERK_JUDGE),
    ("/cases/{open}/hearings/H99", expect(302, 404, 404, 403, 403)),
    ("/cases/{open}/examinations/new", CLERK_JUDGE),
    ("/cases/{open}/examinations/{examination}", CLERK_JUDGE),
    ("/cases/{open}/mediation", CLERK_JUDGE),
    ("/cases/{open}/appeals", CLERK_ADMIN),
    ("/cases/{open}/corrections/new", CLERK_ADMIN),
    ("/cases/{open}/seal", CASE_WORK),
    ("/cases/{open}/ruling", JUDGE_ONLY),
    ("/cases/{other_sealed}/ruling", expect(302, 403, 404, 403, 403)),
    ("/calendar", CASE_WORK),
    ("/calendar?view=day&day=2026-13-45&court=XXX", CASE_WORK),
    ("/judge", JUDGE_ONLY),
    ("/public", EVERYONE),
    ("/public?q=ALA&court=ALA&page=x", EVERYONE),
    ("/public/{open}", EVERYONE),
    ("/public/{sealed}", NOBODY),
    ("/public/ALA-2026-C-99999", NOBODY),
    ("/admin", ADMIN_ONLY),
    ("/admin/users", ADMIN_ONLY),
    ("/admin/users/new", ADMIN_ONLY),
    ("/admin/users/{clerk_id}", ADMIN_ONLY),
    ("/admin/users/9999", expect(302, 403, 403, 403, 404)),
    ("/admin/judges", ADMIN_ONLY),
    ("/admin/judges/{judge_id}", ADMIN_ONLY),
    ("/admin/judges/not-a-uuid", expect(302, 403, 403, 403, 404)),
    ("/admin/experts", ADMIN_ONLY),
    ("/admin/experts/{expert_id}", ADMIN_ONLY),
    ("/admin/mediators", ADMIN_ONLY),
    ("/no-such-page", NOBODY),
]

POST_ROUTES: list[tuple[str, dict[str, int]]] = [
    ("/login", expect(422, 302, 302, 302, 302)),
    ("/logout", expect(302, 302, 302, 302, 302)),
    ("/language", expect(302, 302, 302, 302, 302)),
    ("/account", posted(422, STAFF)),
    ("/cases/new", posted(422, CLERK_ADMIN)),
    ("/cases/{open}/documents/new", posted(422, CASE_WORK)),
    ("/cases/{open}/judge", posted(422, CLERK_ADMIN)),
    ("/cases/{open}/judge/recuse", posted(422, CASE_WORK)),
    ("/cases/{open}/hearings/new", posted(422, CLERK_JUDGE)),
    ("/cases/{open}/hearings/{hearing}/reschedule", posted(422, CLERK_JUDGE)),
    ("/cases/{open}/hearings/{hearing}/hold", posted(422, CLERK_JUDGE)),
    ("/cases/{open}/hearings/{hearing}/cancel", posted(422, CLERK_JUDGE)),
    ("/cases/{open}/examinations/new", posted(422, CLERK_JUDGE)),
    ("/cases/{open}/examinations/{examination}/report", posted(422, CLERK_JUDGE)),
    ("/cases/{open}/examinations/{examination}/withdraw", posted(422, CLERK_JUDGE)),
    ("/cases/{open}/mediation/refer", posted(422, CLERK_JUDGE)),
    ("/cases/{open}/mediation/conclude", posted(422, CLERK_JUDGE)),
    ("/cases/{open}/appeals/file", posted(422, CLERK_ADMIN)),
    ("/cases/{open}/appeals/decide", posted(422, CLERK_ADMIN)),
    ("/cases/{open}/force", posted(422, CLERK_ADMIN)),
    ("/cases/{open}/reopen", posted(422, CLERK_ADMIN)),
    ("/cases/{open}/corrections/new", posted(422, CLERK_ADMIN)),
    ("/cases/{open}/seal", posted(422, CASE_WORK)),
    ("/cases/{open}/unseal", expect(302, 403, 422, 403, 422)),
    ("/cases/{sealed}/seal", expect(302, 422, 422, 403, 422)),
    ("/cases/{other_sealed}/seal", expect(302, 404, 404, 403, 422)),
    ("/cases/{open}/ruling", posted(422, JUDGE_ONLY)),
    ("/cases/{open}/ruling/check", posted(200, JUDGE_ONLY)),
    ("/admin/users/new", posted(422, ADMIN_ONLY)),
    ("/admin/users/{clerk_id}", posted(422, ADMIN_ONLY)),
    ("/admin/users/{clerk_id}/unlock", posted(303, ADMIN_ONLY)),
    ("/admin/judges", posted(422, ADMIN_ONLY)),
    ("/admin/judges/{judge_id}/certify", posted(422, ADMIN_ONLY)),
    ("/admin/judges/{judge_id}/retire", posted(422, ADMIN_ONLY)),
    ("/admin/experts", posted(422, ADMIN_ONLY)),
    ("/admin/experts/{expert_id}/affiliations", posted(422, ADMIN_ONLY)),
    ("/admin/mediators", posted(422, ADMIN_ONLY)),
]


def _path(template: str, court: Court) -> str:
    return template.format(
        open=court.open_case, sealed=court.sealed_case, other_sealed=court.other_court_sealed_case, document=court.document_id,
        hearing=court.hearing_id, examination=court.examination_id, clerk_id=court.user_ids["clerk"], judge_id=court.judge_id,
        expert_id=court.expert_id,
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("route", "statuses"), GET_ROUTES, ids=[r for r, _ in GET_ROUTES])
def test_each_page_opens_only_for_the_roles_it_is_for(
    seeded: tuple[object, Court], client_for: Callable[[str | None], FlaskClient], route: str, statuses: dict[str, int], role: str
) -> None:
    _, court = seeded
    response = client_for(USERS[role]).get(_path(route, court))
    assert response.status_code == statuses[role], response.get_data(as_text=True)[:500]
    if response.status_code == 302 and role == "anonymous" and route not in ("/", "/login"):
        assert response.headers["Location"].startswith("/login?next=")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("route", "statuses"), POST_ROUTES, ids=[r for r, _ in POST_ROUTES])
def test_each_form_accepts_submissions_only_from_the_roles_it_is_for(
    seeded: tuple[object, Court], client_for: Callable[[str | None], FlaskClient], route: str, statuses: dict[str, int], role: str
) -> None:
    _, court = seeded
    client = client_for(USERS[role])
    response = client.post(_path(route, court), data={"csrf_token": csrf_token(client, "/public")})
    assert response.status_code == statuses[role], response.get_data(as_text=True)[:800]


@pytest.mark.parametrize("route", [r for r, _ in POST_ROUTES if r not in ("/login",)])
def test_every_form_refuses_a_submission_without_its_csrf_token(
    seeded: tuple[object, Court], client_for: Callable[[str | None], FlaskClient], route: str
) -> None:
    _, court = seeded
    response = client_for("admin").post(_path(route, court), data={"reason": "no token"})
    assert response.status_code == 400
    assert "did not come from this site" in response.get_data(as_text=True)


def test_sign_in_itself_needs_the_csrf_token(seeded: tuple[object, Court], client_for: Callable[[str | None], FlaskClient]) -> None:
    response = client_for(None).post("/login", data={"username": "clerk", "password": "correct horse battery"})
    assert response.status_code == 400


def test_a_judge_who_is_not_assigned_may_not_open_the_ruling_form(
    seeded: tuple[object, Court], client_for: Callable[[str | None], FlaskClient]
) -> None:
    _, court = seeded
    assert client_for("judge2").get(f"/cases/{court.open_case}/ruling").status_code == 403


def test_a_judge_sees_a_sealed_case_only_when_assigned_to_it(
    seeded: tuple[object, Court], client_for: Callable[[str | None], FlaskClient]
) -> None:
    _, court = seeded
    assert client_for("judge").get(f"/cases/{court.sealed_case}").status_code == 200
    assert client_for("judge2").get(f"/cases/{court.sealed_case}").status_code == 404


def test_a_clerk_of_another_court_gets_404_for_a_sealed_case(
    seeded: tuple[object, Court], client_for: Callable[[str | None], FlaskClient]
) -> None:
    _, court = seeded
    client = client_for("clerk_ast")
    assert client.get(f"/cases/{court.sealed_case}").status_code == 404
    assert client.get(f"/cases/{court.other_court_sealed_case}").status_code == 200
