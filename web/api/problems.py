"""Errors as problem details (RFC 7807, ``application/problem+json``), in one place for the whole API.

Every refusal has ``type``, ``title``, ``status``, ``detail``, ``field`` (the input it is
about, if any), ``rule`` (the DOMAIN.md rule, R1-R17, if one refused it) and ``instance``
(the request path); a rule's refusal adds its stable ``code`` (``R4.fine_over_cap``), and its
``detail`` is in the client's ``Accept-Language`` (kk, ru or en); validation failures add
``errors`` (parameter -> messages). ``status_for`` is the one table from domain error to HTTP
status: the site's pages and forms use it too.

How the domain's refusals map to status codes:

============================  ======  =====================================================
problem ``type``              status  when
============================  ======  =====================================================
``.../unauthorized``          401     no token, or an unknown, revoked or expired one
``.../permission-denied``     403     the user's role may not do this (domain.permissions),
                                      or the endpoint is not for the role
``.../not-found``             404     no such case (or path), or a sealed case the user may
                                      not see (R11): the same answer, so nothing leaks
``.../malformed-request``     400     the body is not JSON at all
``.../validation``            422     a parameter or field fails its schema
``.../invalid-value``         422     the domain refuses a value (a date in the future...)
``.../unknown-reference``     422     a field names a judge, expert, mediator or entry that
                                      does not exist
``.../rule-violation``        422     a rule refuses the input itself (R1-R4, R6, R9, R12)
``.../rule-conflict``         409     a rule refuses because of the case's current state
                                      (R5 not ready, R7 calendar clash, R8 closed, R10)
``.../concurrent-change``     409     another write changed the case at the same moment, or
                                      ``expected_version`` is no longer the case's version
``.../server-error``          500     a fault of ours (logged)
============================  ======  =====================================================
"""

from __future__ import annotations

import dataclasses
import json
import logging
from typing import TYPE_CHECKING, Any

from flask import Blueprint, Response, request
from werkzeug.exceptions import HTTPException, InternalServerError

from domain.errors import (
    AppealNotAllowed,
    CaseClosed,
    ConcurrentChange,
    DomainError,
    HearingNotSchedulable,
    MediationNotAllowed,
    NotFound,
    PermissionDenied,
    RulingNotReady,
)
from domain.messages import CATALOG, DEFAULT_LANGUAGE, LANGUAGES

if TYPE_CHECKING:
    from collections.abc import Callable

    from flask import Flask

log = logging.getLogger(__name__)

MEDIA_TYPE = "application/problem+json"
PREFIX = "/api/problems/"
API_PATH = "/api"

STATE_CONFLICTS: tuple[type[DomainError], ...] = (RulingNotReady, HearingNotSchedulable, CaseClosed, AppealNotAllowed, MediationNotAllowed)
PATH_FIELDS = frozenset({"docket_number", "case", "examination_id", "hearing_id"})

TYPES: dict[str, tuple[int, str, str]] = {
    "unauthorized": (401, "Authentication required", "Send a valid API token as 'Authorization: Bearer <token>'."),
    "permission-denied": (403, "Not permitted", "The token's user may not do this with their role."),
    "not-found": (404, "Not found", "There is no such resource, or the user may not see it (sealed cases, R11)."),
    "method-not-allowed": (405, "Method not allowed", "This path does not accept that method."),
    "malformed-request": (400, "Malformed request", "The request body or a parameter could not be read at all."),
    "validation": (422, "Invalid request", "A parameter or field does not have the form the API documents."),
    "invalid-value": (422, "Invalid value", "The court's rules refuse a value given."),
    "unknown-reference": (422, "Unknown reference", "A field refers to a judge, expert, mediator or entry that does not exist."),
    "rule-violation": (422, "Refused by a rule", "A rule of the court (DOMAIN.md section 3) refuses the input."),
    "rule-conflict": (409, "Conflicts with the case's state", "A rule refuses the action in the case's current state."),
    "concurrent-change": (409, "Concurrent change", "The case changed meanwhile; read it again and retry."),
    "too-large": (413, "Request too large", "The request body is larger than the court accepts."),
    "server-error": (500, "Server error", "Something went wrong on our side; it was logged."),
}


@dataclasses.dataclass(eq=False)
class Problem(Exception):
    """An API error response; raise it from a view or build it from an error."""

    kind: str
    detail: str
    field: str | None = None
    rule: str | None = None
    errors: dict[str, Any] | None = None
    headers: dict[str, str] = dataclasses.field(default_factory=dict)
    status: int | None = None
    code: str | None = None

    def __post_init__(self) -> None:
        super().__init__(self.detail)

    def response(self) -> Response:
        status, title, _description = TYPES[self.kind]
        body: dict[str, Any] = {
            "type": PREFIX + self.kind, "title": title, "status": self.status or status, "detail": self.detail,
            "field": self.field, "rule": self.rule, "instance": request.path,
        }
        if self.code is not None:
            body["code"] = self.code
        if self.errors is not None:
            body["errors"] = self.errors
        response = Response(json.dumps(body, ensure_ascii=False), status=self.status or status, mimetype=MEDIA_TYPE)
        for name, value in self.headers.items():
            response.headers[name] = value
        return response


def problem_kind(error: DomainError) -> str:
    """The one mapping from a domain error to its problem type, and so to its HTTP status: the API,
    the site's pages and its forms all answer a refusal with the status this gives."""
    if isinstance(error, PermissionDenied):
        return "permission-denied"
    if isinstance(error, ConcurrentChange):
        return "concurrent-change"
    if isinstance(error, NotFound):
        return "not-found" if error.field is None or error.field in PATH_FIELDS else "unknown-reference"
    if isinstance(error, STATE_CONFLICTS):
        return "rule-conflict"
    if error.rule is not None:
        return "rule-violation"
    return "invalid-value"


def status_for(error: DomainError) -> int:
    """The HTTP status of a domain error, for the API, pages and forms alike."""
    return TYPES[problem_kind(error)][0]


def request_language() -> str:
    """The language of the API's refusals: the client's ``Accept-Language`` (kk, ru or en; English by default)."""
    return request.accept_languages.best_match(list(LANGUAGES)) or DEFAULT_LANGUAGE


def from_domain(error: DomainError, language: str | None = None) -> Problem:
    kind = problem_kind(error)
    detail = error.message_in(language or request_language())
    rule = error.rule if kind in ("rule-conflict", "rule-violation", "permission-denied") else None
    return Problem(kind, detail, error.field, rule, code=error.code if error.code in CATALOG else None)


def _messages(error: HTTPException) -> dict[str, Any] | None:
    """webargs' validation messages, as {location: {field: [messages]}} flattened to {field: [messages]}."""
    data = getattr(error, "data", None) or {}
    messages = data.get("messages") or data.get("errors")
    if not isinstance(messages, dict):
        return None
    flat: dict[str, Any] = {}
    for location, inner in messages.items():
        if isinstance(inner, dict) and location in ("json", "query", "path", "headers", "form", "files", "view_args"):
            flat.update(inner)
        else:
            flat[location] = inner
    return flat


def from_http(error: HTTPException) -> Problem:
    code = error.code or 500
    if code == 422:
        errors = _messages(error) or {}
        first = next(iter(errors), None)
        detail = "The request does not have the form the API documents"
        if first is not None:
            detail += f": {first}: {_first_message(errors[first])}"
        return Problem("validation", detail, first, errors=errors)
    kinds = {400: "malformed-request", 401: "unauthorized", 403: "permission-denied", 404: "not-found", 405: "method-not-allowed", 413: "too-large"}
    kind = kinds.get(code, "server-error" if code >= 500 else "malformed-request")
    detail = error.description or TYPES[kind][2]
    allowed = getattr(error, "valid_methods", None)
    headers = {"Allow": ", ".join(allowed)} if code == 405 and allowed else {}
    return Problem(kind, str(detail), errors=_messages(error), headers=headers, status=code)


def _first_message(value: Any) -> str:
    while isinstance(value, (list, dict)) and value:
        value = value[0] if isinstance(value, list) else next(iter(value.values()))
    return str(value)


def is_api_request() -> bool:
    return request.path == API_PATH or request.path.startswith(API_PATH + "/")


def handle_problem(error: Problem) -> Response:
    return error.response()


def handle_domain(error: DomainError) -> Response:
    return from_domain(error).response()


def handle_http(error: HTTPException) -> Response:
    if (error.code or 500) >= 500:
        original = getattr(error, "original_exception", None)
        if original is not None:
            log.error("API request %s %s failed", request.method, request.path, exc_info=original)
    return from_http(error).response()


def attach(blueprint: Blueprint) -> None:
    """Problem details for every error raised in the blueprint's views."""
    blueprint.register_error_handler(Problem, handle_problem)
    blueprint.register_error_handler(DomainError, handle_domain)
    blueprint.register_error_handler(HTTPException, handle_http)
    blueprint.register_error_handler(InternalServerError, handle_http)


def install(app: Flask) -> None:
    """Problem details also for ``/api/...`` paths that match no view (404, 405), which never reach
    a blueprint, without changing the HTML error pages of the rest of the site."""
    site = app.error_handler_spec.setdefault(None, {})
    for code in (None, 404, 405, 500):
        handlers = site.setdefault(code, {})
        for exception_class, previous in list(handlers.items()):
            handlers[exception_class] = _api_first(previous, handle_http)
    generic = site.setdefault(None, {})
    if HTTPException not in generic:
        generic[HTTPException] = _api_first(None, handle_http)


def _api_first(previous: Callable[[Any], Any] | None, api: Callable[[HTTPException], Response]) -> Callable[[Any], Any]:
    def handler(error: Any) -> Any:
        if is_api_request() and isinstance(error, HTTPException):
            return api(error)
        if previous is None:
            return error
        return previous(error)

    return handler
