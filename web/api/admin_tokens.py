"""``/admin/api-tokens``: administrators create API tokens for users (each shown once) and revoke them.

A session page like the rest of the site, so its forms carry CSRF tokens. The new token is
rendered into the response that created it and nowhere else (not flashed: the session
cookie is signed, not encrypted).
"""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import Any

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate
from werkzeug.wrappers import Response

from domain import clock
from domain.errors import DomainError
from web.access import roles_required
from web.api.auth import tokens
from web.forms import FormState, status_for
from web.schemas import N_
from web.services import services

bp = Blueprint("api_tokens", __name__, url_prefix="/admin/api-tokens", template_folder="templates")

FIELDS = {"user", "name", "expires_on"}


class TokenForm(Schema):
    class Meta:
        unknown = EXCLUDE

    user = fields.String(required=True, validate=validate.Length(min=1, max=64), error_messages={"required": N_("Choose the user.")})
    name = fields.String(load_default="", validate=validate.Length(max=100))
    expires_on = fields.Date(load_default=None, error_messages={"invalid": "Enter a date as YYYY-MM-DD."})


def _page(form: FormState, created: tuple[str, Any] | None = None, status: int = 200) -> tuple[str, int]:
    return render_template(
        "api/tokens.html", f=form, created=created, tokens=tokens().list_tokens(),
        users=[u for u in services().accounts.list_users() if u.active],
    ), status


@bp.get("")
@roles_required("admin")
def index() -> tuple[str, int]:
    return _page(FormState(fields=FIELDS))


@bp.post("")
@roles_required("admin")
def create() -> Any:
    form = FormState.from_request()
    form.fields = FIELDS
    try:
        data = TokenForm().load({k: v for k, v in form.values.items() if v != ""})
    except ValidationError as error:
        form.add_validation(error.messages)
        return _page(form, status=422)
    expires = data["expires_on"]
    expires_at = datetime.combine(expires, time.max, tzinfo=clock.COURT_TZ).astimezone(UTC) if expires else None
    try:
        token, record = tokens().create(data["user"], name=data["name"], created_by=current_user.username, expires_at=expires_at)
    except DomainError as error:
        form.add_domain(error)
        return _page(form, status=status_for(error))
    return _page(FormState(fields=FIELDS), created=(token, record), status=201)


@bp.post("/<int:token_id>/revoke")
@roles_required("admin")
def revoke(token_id: int) -> Response:
    record = tokens().revoke(tokens().get(token_id).id, revoked_by=current_user.username)
    flash(_("Token %(prefix)s… of %(user)s is revoked.", prefix=record.prefix, user=record.username), "success")
    return redirect(url_for("api_tokens.index"), code=303)


__all__ = ["bp"]
