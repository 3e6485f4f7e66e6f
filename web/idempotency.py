"""Idempotent writes: a retry after a lost answer gets the first answer, not a second filing.

An API command may carry an ``Idempotency-Key`` header; every form of the site carries one in the
hidden field ``idempotency_key`` (``macros.csrf``). The first request with a key claims it (a row
of ``idempotent_requests``, per user) and the key goes into the actor of the events it records
(``Actor.request``). Then:

- a success (2xx, or the redirect after a form) is stored and replayed to every retry;
- a refusal (4xx) records nothing: the row is dropped and a retry runs again;
- a server error (5xx, e.g. the database connection dropped mid-commit) leaves the outcome
  unknown: a retry looks in the event log, after the position it had when the key was claimed,
  for an event recorded under this key. Found: the write did happen, and the retry answers as
  the first request should have. Not found: nothing was written, and the retry runs the command.
- a retry while the first request is still running gets 409 (``Retry-After``).

The same key with a different request (another path or body) is refused (422).
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Response, current_app, g, redirect, request, url_for
from flask_login import current_user
from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from projections.store_tables import idempotent_requests
from web.services import services

HEADER = "Idempotency-Key"
FORM_FIELD = "idempotency_key"
KEY_PATTERN = re.compile(r"^[A-Za-z0-9._:\-]{8,200}$")
UNKNOWN = -1
RUNNING_AT_MOST = timedelta(minutes=2)  # a claim older than this, never finished, died with its process
KEPT_FOR = timedelta(days=2)


def _now() -> datetime:
    return datetime.now(tz=UTC).replace(tzinfo=None)


def new_key() -> str:
    import secrets

    return secrets.token_urlsafe(24)


def request_key() -> str | None:
    """The key of the current request, once claimed (for ``Actor.request``)."""
    claimed = g.get("idempotency")
    return claimed["key"] if claimed else None


def _problem(kind: str, detail: str, status: int, headers: dict[str, str] | None = None) -> Response:
    from web.api.problems import Problem

    return Problem(kind, detail, field=HEADER, status=status, headers=headers or {}).response()


def _fingerprint(api: bool) -> str:
    digest = hashlib.sha256(f"{request.method} {request.path}\n".encode())
    if api:
        digest.update(request.get_data(cache=True))
    # A form's body holds its CSRF token and, for uploads, a boundary that differ between sends:
    # the key itself is unique to one rendering of one form, so its path is what must agree.
    return digest.hexdigest()


def claim(principal: str, username: str, *, api: bool) -> Response | None:
    """Before a write: claim this request's key, or answer for an earlier request with it."""
    raw = request.headers.get(HEADER) if api else request.form.get(FORM_FIELD)
    if not raw:
        return None
    key = raw.strip()
    if not KEY_PATTERN.match(key):
        if api:
            return _problem("malformed-request", f"{HEADER} is 8-200 letters, digits, dots, dashes, colons or underscores", 400)
        return None  # a forged form field: the write simply is not idempotent
    fingerprint = _fingerprint(api)
    engine = services().views
    docket = services().docket
    now = _now()
    try:
        with engine.begin() as conn:
            conn.execute(delete(idempotent_requests).where(idempotent_requests.c.created_at < now - KEPT_FOR))
            conn.execute(insert(idempotent_requests).values(
                principal=principal, key=key, fingerprint=fingerprint, status=None, log_head=docket.log_head(), created_at=now,
            ))
    except IntegrityError:
        with engine.connect() as conn:
            row = conn.execute(select(idempotent_requests).where(
                idempotent_requests.c.principal == principal, idempotent_requests.c.key == key,
            )).first()
        if row is None:  # dropped meanwhile (a refusal): claim again
            return claim(principal, username, api=api)
        if row.fingerprint != fingerprint:
            return _problem("validation", f"This {HEADER} was used for another request; use a new key for a new request", 422) if api \
                else None
        if row.status is None and row.created_at > now - RUNNING_AT_MOST:
            return _problem("concurrent-change", f"The first request with this {HEADER} is still running; retry in a moment", 409, {"Retry-After": "1"})
        if row.status is not None and row.status != UNKNOWN:
            return _replay(row)
        found = _recorded_under(docket, username, key, row.log_head)
        if found is not None:
            answer = _answer_for(*found, api=api)
            _store(principal, key, answer)
            return answer
        with engine.begin() as conn:  # nothing was written: run it again, as the owner of the claim
            conn.execute(update(idempotent_requests).where(
                idempotent_requests.c.principal == principal, idempotent_requests.c.key == key,
            ).values(status=None, created_at=now))
    g.idempotency = {"principal": principal, "key": key}
    return None


def finish(response: Response) -> Response:
    """After the write: keep its answer for retries (success), forget the claim (refusal), or mark
    the outcome unknown (server error)."""
    claimed = g.pop("idempotency", None)
    if not claimed:
        return response
    where = (idempotent_requests.c.principal == claimed["principal"], idempotent_requests.c.key == claimed["key"])
    try:
        if response.status_code >= 500:
            with services().views.begin() as conn:
                conn.execute(update(idempotent_requests).where(*where).values(status=UNKNOWN))
        elif response.status_code >= 400:
            with services().views.begin() as conn:
                conn.execute(delete(idempotent_requests).where(*where))
        else:
            _store(claimed["principal"], claimed["key"], response)
    except Exception:  # noqa: BLE001 - the views database may be the thing that failed; the claim then stays "running"
        current_app.logger.warning("could not record the outcome of an idempotent request", exc_info=True)
    return response


def _store(principal: str, key: str, response: Response) -> None:
    body = response.get_data() if not response.is_streamed else b""
    with services().views.begin() as conn:
        conn.execute(update(idempotent_requests).where(
            idempotent_requests.c.principal == principal, idempotent_requests.c.key == key,
        ).values(status=response.status_code, content_type=response.content_type, location=response.headers.get("Location"), body=body))


def _replay(row: Any) -> Response:
    response = Response(row.body or b"", status=row.status, content_type=row.content_type)
    if row.location:
        response.headers["Location"] = row.location
    response.headers["Idempotent-Replayed"] = "true"
    return response


def _recorded_under(docket: Any, username: str, key: str, since: int) -> Any:
    """The event recorded by ``username`` under this key after position ``since``, if any."""
    position = since
    while notifications := docket.recorder.select_notifications(start=position, limit=500, inclusive_of_start=False):
        for notification in notifications:
            event = docket.mapper.to_domain_event(notification)
            actor = getattr(event, "actor", None)
            if isinstance(actor, dict) and actor.get("request") == key and actor.get("user") == username:
                return event, notification.id
        position = notifications[-1].id
    return None


def _answer_for(event: Any, position: int, *, api: bool) -> Response:
    """What the first request would have answered, rebuilt from the event it recorded."""
    case: Any = services().docket.repository.get(event.originator_id)
    number = getattr(case, "docket_number", None)
    if not api:
        target = url_for("docket.case", docket_number=number) if number else url_for("auth.home")
        response = redirect(target, code=303)
        response.headers["Idempotent-Replayed"] = "true"
        return response
    receipt: dict[str, Any] = {"docket_number": number, "version": event.originator_version, "position": position}
    for name in ("hearing_id", "document_id", "examination_id", "appeal_id"):
        if hasattr(event, name):
            receipt["id"] = getattr(event, name)
            break
    created = type(event).__name__ == "CaseFiled"
    response = Response(json.dumps(receipt), status=201 if created else 200, mimetype="application/json")
    if created and number:
        response.headers["Location"] = url_for("cases.detail", docket_number=number)
    response.headers["Idempotent-Replayed"] = "true"
    return response


def claim_for_form() -> Response | None:
    """The site's forms: a signed-in user's POST with a key."""
    if request.method != "POST" or request.path.startswith("/api") or not current_user.is_authenticated:
        return None
    return claim(f"user:{current_user.username}", current_user.username, api=False)


def claim_for_api() -> Response | None:
    """API commands (run after the token is checked)."""
    from web.api.auth import current

    if request.method not in ("POST", "PUT", "PATCH", "DELETE"):
        return None
    user = current()
    return claim(f"user:{user.username}", user.username, api=True)
