"""The JSON API under ``/api`` (flask-smorest, marshmallow 4), for programs that work with the docket.

=========================================================  =============================================
``GET  /api/openapi.json``, ``GET /api/docs``               the OpenAPI 3 document; browsable docs
``GET  /api/cases``                                         search (paginated: ``page``, ``per_page``)
``POST /api/cases``                                         file a case
``GET  /api/cases/{docket_number}``                         the case now
``GET  /api/cases/{docket_number}/as-of``                   as of a date, an instant, or a version
``GET  /api/cases/{docket_number}/history``                 every event
``POST /api/cases/{docket_number}/...``                     every docketing action (see the document)
``GET  /api/calendar``                                      a court's hearings by day or week
``GET  /api/registry/judges|experts|mediators``             the registries
``GET  /api/statistics/{measure}[.csv]``                    the statistics of DOMAIN.md section 4
=========================================================  =============================================

Clients authenticate with a token (``Authorization: Bearer <token>``) that an administrator
creates on ``/admin/api-tokens`` or with ``medcourt token create --user NAME``; the token
acts as that user. Errors are problem details (``problems``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask

API_VERSION = "1.0"

DESCRIPTION = """\
The docket of Kazakhstan's specialized medical courts, for programs.

**Authentication.** Every endpoint (except this document) needs a token, sent as
`Authorization: Bearer <token>`. An administrator creates one for a user on *Administration → API tokens*
or with `medcourt token create --user NAME`; it is shown once. A token acts as its user, with the user's
role and court as they are at the time of each request (so the API refuses exactly what the site refuses),
until it is revoked or expires.

**Errors** are problem details (RFC 7807, `application/problem+json`): `type`, `title`, `status`, `detail`,
`field` (the input concerned) and `rule` (R1-R13 of the court's rules). 400: the body is not JSON;
401: no valid token; 403: the role may not do this; 404: no such case, or a sealed case the user may not see;
409: the case's state refuses the action (not ready for a ruling, calendar clash, closed, mediation open)
or it changed meanwhile (`expected_version`); 422: a field is malformed or a rule refuses the value.

**Retries.** Every command (POST) accepts an `Idempotency-Key` header (8-200 letters, digits, `.`, `-`, `_`, `:`),
one new key per intended write. Sent again with the same key and body, the command is not applied twice: the first
success is answered again (header `Idempotent-Replayed: true`), also when the first answer was lost to a dropped
connection or a 5xx after the write committed. The same key with another body: 422; while the first request with
it is still running: 409 with `Retry-After`.

**Dates** are court-local (Asia/Almaty) `YYYY-MM-DD`; instants are ISO 8601 (without an offset: Almaty time);
money is KZT as a decimal string.
"""


def init_app(app: Flask) -> None:
    """Set up flask-smorest, the token store, the API's blueprints (exempt from CSRF: token only),
    problem details, the browsable docs and the administrators' token page."""
    from web.api import admin_tokens, cases, court, docs, problems, statistics
    from web.api.smorest import MedcourtApi
    from web.api.tokens import TokenStore
    from web.services import Services

    app.config.update(
        API_TITLE="Medcourt API",
        API_VERSION=API_VERSION,
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/api",
        OPENAPI_JSON_PATH="openapi.json",
        API_SPEC_OPTIONS={"info": {"description": DESCRIPTION}, "security": [{"bearerAuth": []}]},
    )
    services: Services = app.extensions["medcourt"]
    app.extensions["medcourt_api_tokens"] = TokenStore(services.views, services.accounts)

    api = MedcourtApi(app)
    api.spec.components.security_scheme("bearerAuth", {"type": "http", "scheme": "bearer", "description": "An API token (shown once when created)"})
    blueprints = [cases.blp, court.calendar_blp, court.registry_blp, statistics.blp]
    csrf = app.extensions.get("csrf")
    for blueprint in blueprints:
        api.register_blueprint(blueprint)
        if csrf is not None:
            csrf.exempt(blueprint)
    problems.install(app)
    app.register_blueprint(docs.bp)
    app.register_blueprint(admin_tokens.bp)


__all__ = ["init_app"]
