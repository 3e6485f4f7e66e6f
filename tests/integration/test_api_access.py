"""Who may call what on the API: every route, for every role, anonymous and with a revoked token, with
the exact status.

No token, or a revoked one: 401 on everything but the public documents. A role an endpoint is not
for: 403. A sealed case the user may not see: 404, exactly as for a case that does not exist (R11).
The docketing actions send a body of the documented form that the court's rules then refuse for
its content (a date to come, a version that does not exist, nothing to decide...), so that a
permitted role is seen getting past the door (422 or 409 from the rules, checked after the role),
a refused role gets 403, and the court's state never changes whatever the order of the requests.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.court_clock import COURT_TODAY
from tests.integration.web_support import Court, file_civil_case, make_app, seed
from web.analytics.measures import MEASURE_NAMES
from web.api.tokens import TokenStore

IDENTITIES = ("anonymous", "clerk", "judge", "analyst", "admin", "revoked")
FUTURE = "2999-01-01"
PAST_INSTANT = "2020-01-01T10:00:00"


def expect(anonymous: int, clerk: int, judge: int, analyst: int, admin: int, revoked: int = 401) -> dict[str, int]:
    return dict(zip(IDENTITIES, (anonymous, clerk, judge, analyst, admin, revoked), strict=True))


STAFF = expect(401, 200, 200, 200, 200)
CASE_WORK = expect(401, 200, 200, 403, 200)
ANALYSTS = expect(401, 403, 403, 200, 200)
PUBLIC = expect(200, 200, 200, 200, 200, 200)
NOWHERE = expect(404, 404, 404, 404, 404, 404)


def refused_unless(ok: int, *roles: str) -> dict[str, int]:
    """A docketing action: the roles of domain.permissions get past the door to the rules (``ok``), the others 403."""
    return expect(401, *(ok if role in roles else 403 for role in ("clerk", "judge", "analyst", "admin")))


@dataclass(frozen=True)
class Call:
    method: str
    path: str
    statuses: dict[str, int]
    body: dict[str, Any] | None = None

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


def calls() -> list[Call]:
    """Paths use {open} (a pending civil case of Almaty with a judge), {unassigned} (one without),
    {sealed} (sealed, Almaty, the judge's), {other_sealed} (sealed, Astana), {hearing}, {examination}."""
    document = {"kind": "evidence", "title": "Exhibit", "filed_by": "claimant", "received_on": FUTURE, "filename": "exhibit.pdf",
                "content_base64": "JVBERi0xLjQKJSVFT0YK"}
    filing = {"track": "civil", "court": "ALA", "received_on": FUTURE, "specialty": "surgery", "alleged_harm": "serious",
              "incident_date": "2026-01-01", "claimant": {"name": "Patient"},
              "respondents": [{"kind": "organization", "name": "City Hospital No. 4", "bin": "123456789012"}], "claimed": {"real_damage": "1000"}}
    reading = [
        Call("GET", "/api/cases", STAFF),
        Call("GET", "/api/cases?q=hospital&court=ALA&track=civil&status=pending&page=1&per_page=5", STAFF),
        Call("GET", "/api/cases/{open}", STAFF),
        Call("GET", "/api/cases/{sealed}", expect(401, 200, 200, 404, 200)),
        Call("GET", "/api/cases/{other_sealed}", expect(401, 404, 404, 404, 200)),
        Call("GET", "/api/cases/ALA-2026-C-99999", expect(401, 404, 404, 404, 404)),
        Call("GET", "/api/cases/not-a-docket-number", expect(401, 404, 404, 404, 404)),
        Call("GET", "/api/cases/{open}/as-of?version=1", STAFF),
        Call("GET", "/api/cases/{sealed}/as-of?version=1", expect(401, 200, 200, 404, 200)),
        Call("GET", "/api/cases/{open}/history", STAFF),
        Call("GET", "/api/cases/{other_sealed}/history", expect(401, 404, 404, 404, 200)),
        Call("GET", "/api/calendar?court=ALA", CASE_WORK),
        Call("GET", "/api/calendar", expect(401, 200, 200, 403, 422)),  # an administrator belongs to no court: name it
        Call("GET", "/api/registry/judges", STAFF),
        Call("GET", "/api/registry/experts", STAFF),
        Call("GET", "/api/registry/mediators?court=ALA", STAFF),
        *(Call("GET", f"/api/statistics/{measure}", ANALYSTS) for measure in MEASURE_NAMES),
        *(Call("GET", f"/api/statistics/{measure}.csv", ANALYSTS) for measure in MEASURE_NAMES),
        *(Call("GET", f"/api/statistics/{measure}.xlsx", ANALYSTS) for measure in MEASURE_NAMES),
        Call("GET", "/api/statistics/no-such-measure", expect(404, 404, 404, 404, 404, 404)),
        Call("GET", "/api/openapi.json", PUBLIC),
        Call("GET", "/api/docs", PUBLIC),
        Call("GET", "/api/problems/rule-conflict", PUBLIC),
        Call("GET", "/api/static/api-docs.js", PUBLIC),
        Call("GET", "/api/no-such-thing", NOWHERE),
        Call("DELETE", "/api/cases/{open}", expect(405, 405, 405, 405, 405, 405)),
    ]
    acting = [
        Call("POST", "/api/cases", refused_unless(422, "clerk", "admin"), filing),
        Call("POST", "/api/cases/{open}/documents", refused_unless(422, "clerk", "judge", "admin"), document),
        Call("POST", "/api/cases/{open}/corrections", refused_unless(422, "clerk", "admin"),
             {"corrects_version": 1_000_000, "reason": "typo", "corrections": {"summary": "x"}}),
        Call("POST", "/api/cases/{open}/judge", refused_unless(422, "clerk", "admin"), {"judge_id": "not-a-judge"}),
        # R14: a judge records only their own recusal, and no judge is assigned here.
        Call("POST", "/api/cases/{unassigned}/judge/recusal", refused_unless(422, "clerk", "admin"), {"reason": "conflict"}),
        Call("POST", "/api/cases/{open}/examinations", refused_unless(422, "clerk", "judge"),
             {"kind": "forensic_medical", "questions": ["Was the standard of care met?"], "expert_ids": ["{expert}"], "due_on": "2020-01-01"}),
        Call("POST", "/api/cases/{open}/examinations/{examination}/report", refused_unless(422, "clerk", "judge"),
             {"received_on": FUTURE, "standard_of_care_met": "no", "causation": "yes", "harm_found": "serious"}),
        Call("POST", "/api/cases/{open}/examinations/{examination}/withdrawal", refused_unless(422, "clerk", "judge"), {"reason": " "}),
        Call("POST", "/api/cases/{open}/hearings", refused_unless(409, "clerk", "judge"),
             {"starts_at": PAST_INSTANT, "courtroom": "1", "purpose": "hearing"}),
        Call("POST", "/api/cases/{open}/hearings/{hearing}/reschedule", refused_unless(409, "clerk", "judge"),
             {"starts_at": PAST_INSTANT, "reason": "ill"}),
        Call("POST", "/api/cases/{open}/hearings/{hearing}/held", refused_unless(422, "clerk", "judge"), {"minutes_summary": "Heard"}),
        Call("POST", "/api/cases/{open}/hearings/{hearing}/cancellation", refused_unless(422, "clerk", "judge"), {"reason": " "}),
        Call("POST", "/api/cases/{open}/mediation", refused_unless(422, "clerk", "judge"), {"mediator_id": "{mediator}", "due_on": "2020-01-01"}),
        Call("POST", "/api/cases/{open}/mediation/conclusion", refused_unless(422, "clerk", "judge"), {"outcome": "settled", "concluded_on": "2020-01-01"}),
        # Only the judge assigned to the case rules; here a merits ruling without an expert report (R5).
        Call("POST", "/api/cases/{open}/ruling", refused_unless(409, "judge"),
             {"disposition": "no_liability", "decided_on": "{today}", "finding": "unfounded", "harm_found": "serious"}),
        Call("POST", "/api/cases/{open}/appeals", refused_unless(422, "clerk", "admin"), {"filed_on": FUTURE, "appellant": "claimant"}),
        Call("POST", "/api/cases/{open}/appeals/decision", refused_unless(422, "clerk", "admin"), {"outcome": "upheld", "decided_on": "2020-01-01"}),
        Call("POST", "/api/cases/{open}/legal-force", refused_unless(422, "clerk", "admin"), {}),
        Call("POST", "/api/cases/{open}/reopening", refused_unless(422, "clerk", "admin"), {"reopened_on": "2020-01-01", "reason": "set_aside"}),
        Call("POST", "/api/cases/{sealed}/seal", expect(401, 422, 422, 404, 422), {"reason": "minor"}),  # already sealed
        Call("POST", "/api/cases/{other_sealed}/seal", expect(401, 404, 404, 404, 422), {"reason": "minor"}),
        Call("POST", "/api/cases/{open}/unseal", refused_unless(422, "judge", "admin"), {"reason": "order lifted"}),  # not sealed
        Call("POST", "/api/cases/ALA-2026-C-99999/seal", expect(401, 404, 404, 404, 404), {"reason": "minor"}),
    ]
    return reading + acting


CALLS = calls()


@dataclass
class Stage:
    app: Flask
    court: Court
    unassigned: str
    tokens: dict[str, str]

    def path(self, template: str) -> str:
        court = self.court
        return template.format(
            open=court.open_case, unassigned=self.unassigned, sealed=court.sealed_case, other_sealed=court.other_court_sealed_case,
            hearing=court.hearing_id, examination=court.examination_id, expert=court.expert_id, mediator=court.mediator_id,
            today=COURT_TODAY.isoformat(),
        )

    def body(self, body: dict[str, Any] | None) -> dict[str, Any] | None:
        if body is None:
            return None
        return {k: ([self.path(v) for v in value] if isinstance(value, list) and value and isinstance(value[0], str) else
                    self.path(value) if isinstance(value, str) else value) for k, value in body.items()}


@pytest.fixture(scope="module", name="stage")
def stage_fixture(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stage]:
    app = make_app(tmp_path_factory.mktemp("api-access") / "var")
    court = seed(app)
    services = app.extensions["medcourt"]
    unassigned = file_civil_case(services.docket, received_on=COURT_TODAY - timedelta(days=1))
    store: TokenStore = app.extensions["medcourt_api_tokens"]
    tokens = {name: store.create(name, name="matrix", created_by="tests")[0] for name in ("clerk", "judge", "analyst", "admin")}
    revoked, record = store.create("admin", name="revoked", created_by="tests")
    store.revoke(record.id, revoked_by="tests")
    tokens["revoked"] = revoked
    services.views_current()
    yield Stage(app, court, unassigned, tokens)
    services.close()


def send(client: FlaskClient, stage: Stage, call: Call, identity: str) -> Any:
    headers = {} if identity == "anonymous" else {"Authorization": f"Bearer {stage.tokens[identity]}"}
    body = stage.body(call.body)
    return client.open(stage.path(call.path), method=call.method, json=body if call.method == "POST" else None, headers=headers)


@pytest.mark.parametrize("identity", IDENTITIES)
@pytest.mark.parametrize("call", CALLS, ids=[str(c) for c in CALLS])
def test_each_api_route_answers_each_identity_with_the_exact_status(stage: Stage, call: Call, identity: str) -> None:
    client = stage.app.test_client()
    versions = {number: stage.app.extensions["medcourt"].docket.case(number).version
                for number in (stage.court.open_case, stage.court.sealed_case, stage.unassigned)}
    response = send(client, stage, call, identity)
    assert response.status_code == call.statuses[identity], response.get_data(as_text=True)[:800]
    if response.status_code >= 400 and stage.path(call.path).startswith("/api/") and "/docs" not in call.path:
        assert response.content_type == "application/problem+json"
        assert response.get_json()["status"] == response.status_code
    if response.status_code == 401:
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
    # Nothing in the matrix changes a case, whoever sends it.
    assert versions == {number: stage.app.extensions["medcourt"].docket.case(number).version for number in versions}


def test_the_matrix_covers_every_route_of_the_api(stage: Stage) -> None:
    adapter = stage.app.url_map.bind("localhost")
    covered = set()
    for call in CALLS:
        path = stage.path(call.path).split("?")[0]
        try:
            endpoint, _ = adapter.match(path, method=call.method)
        except Exception:  # noqa: BLE001 - 404 and 405 rows match no endpoint on purpose
            continue
        covered.add(endpoint)
    api = {rule.endpoint for rule in stage.app.url_map.iter_rules() if rule.rule.startswith("/api")}
    assert api - covered == set()


def test_the_document_refused_by_the_matrix_left_no_trace_in_the_case(stage: Stage) -> None:
    """The file of a refused filing may sit in the content-addressed store (it is stored before the
    docket decides), but the case holds no document it was not given."""
    case = stage.app.extensions["medcourt"].docket.case(stage.court.open_case)
    assert [d["title"] for d in case.documents.values()] == ["Statement of claim"]
