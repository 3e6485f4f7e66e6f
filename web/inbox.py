"""The inbox: what the court's clock (``medcourt worker``) has to tell the signed-in user.

Judges get notices about their cases, clerks about their court's cases (reminders, overdue
expert reports and mediations, hearings with no outcome, civil cases past the statutory term,
rulings that entered into legal force). The list shows unread notices first; a notice is marked
read one at a time or all at once. ``inbox_unread()`` is available to every template for the
header's unread count.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate
from werkzeug.wrappers import Response

from domain import clock
from projections import notices
from web.access import STAFF, roles_required, viewer
from web.auth import safe_next
from web.i18n import fmt_date, fmt_datetime
from web.services import services

bp = Blueprint("inbox", __name__, url_prefix="/inbox")


class InboxArgs(Schema):
    class Meta:
        unknown = EXCLUDE

    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))
    unread = fields.Boolean(load_default=False)


@bp.get("")
@roles_required(*STAFF)
def index() -> str:
    try:
        args = InboxArgs().load(request.args)
    except ValidationError:
        args = {"page": 1, "unread": False}
    with services().views.connect() as conn:
        page = notices.inbox(conn, current_user.id, viewer(), unread_only=args["unread"], page=args["page"], per_page=current_app.config["PER_PAGE"])
        unread = notices.unread_count(conn, current_user.id, viewer())
    g.inbox_unread = unread
    items = [{**item, "message": describe(item["kind"], item["details"])} for item in page.items]
    return render_template("inbox/index.html", page=page, items=items, unread=unread, unread_only=args["unread"])


@bp.post("/<int:notice_id>/read")
@roles_required(*STAFF)
def mark_read(notice_id: int) -> Response:
    with services().views.begin() as conn:
        notices.mark_read(conn, current_user.id, clock.now(), [notice_id])
    return redirect(safe_next(request.form.get("next")) or url_for("inbox.index"))


@bp.post("/read")
@roles_required(*STAFF)
def mark_all_read() -> Response:
    with services().views.begin() as conn:
        notices.mark_read(conn, current_user.id, clock.now())
    return redirect(safe_next(request.form.get("next")) or url_for("inbox.index"))


@bp.app_context_processor
def unread_in_header() -> dict[str, Any]:
    def inbox_unread() -> int:
        """How many unread notices the signed-in user has (0 when signed out); once per request."""
        if not current_user.is_authenticated:
            return 0
        if "inbox_unread" not in g:
            with services().views.connect() as conn:
                g.inbox_unread = notices.unread_count(conn, current_user.id, viewer())
        return int(g.inbox_unread)

    return {"inbox_unread": inbox_unread}


KIND_LABELS = {
    "examination_due_soon": lambda: _("Expert report due soon"),
    "examination_overdue": lambda: _("Expert report overdue"),
    "hearing_reminder": lambda: _("Hearing tomorrow"),
    "hearing_no_outcome": lambda: _("Hearing without outcome"),
    "mediation_due_soon": lambda: _("Mediation due soon"),
    "mediation_overdue": lambda: _("Mediation overdue"),
    "consideration_term_exceeded": lambda: _("Statutory term exceeded"),
    "ruling_in_force": lambda: _("Ruling in legal force"),
}


def kind_label(kind: str) -> str:
    found = KIND_LABELS.get(kind)
    return str(found()) if found else kind.replace("_", " ")


def describe(kind: str, details: dict[str, Any]) -> str:
    """The notice in the reader's language, from the facts the worker stored with it."""
    d = details
    if kind == "examination_due_soon":
        return str(_("The report of expert examination %(id)s is due on %(date)s.", id=d.get("examination_id"), date=fmt_date(d.get("due_on"))))
    if kind == "examination_overdue":
        return str(_("The report of expert examination %(id)s was due on %(date)s and has not been submitted.",
                     id=d.get("examination_id"), date=fmt_date(d.get("due_on"))))
    if kind == "hearing_reminder":
        return str(_("Hearing %(id)s (%(purpose)s) starts %(when)s in courtroom %(room)s.", id=d.get("hearing_id"), purpose=d.get("purpose"),
                     when=fmt_datetime(d.get("starts_at")), room=d.get("courtroom")))
    if kind == "hearing_no_outcome":
        return str(_("Hearing %(id)s was to start %(when)s in courtroom %(room)s; it has been neither recorded as held nor cancelled.",
                     id=d.get("hearing_id"), when=fmt_datetime(d.get("starts_at")), room=d.get("courtroom")))
    if kind == "mediation_due_soon":
        return str(_("The mediation with %(mediator)s is due to conclude by %(date)s.", mediator=d.get("mediator"), date=fmt_date(d.get("due_on"))))
    if kind == "mediation_overdue":
        return str(_("The mediation with %(mediator)s was due to conclude by %(date)s and is still open.", mediator=d.get("mediator"), date=fmt_date(d.get("due_on"))))
    if kind == "consideration_term_exceeded":
        return str(_("This civil case, received on %(received)s, is pending past the statutory term, which ended on %(date)s.",
                     received=fmt_date(d.get("received_on")), date=fmt_date(d.get("term_ended_on"))))
    if kind == "ruling_in_force":
        return str(_("The appeal window closed on %(date)s with no appeal: the ruling of %(decided)s entered into legal force on %(in_force)s.",
                     date=fmt_date(d.get("appeal_deadline")), decided=fmt_date(d.get("decided_on")), in_force=fmt_date(d.get("in_force_on"))))
    return kind.replace("_", " ")


@bp.app_template_global()
def notice_kind(kind: str) -> str:
    return kind_label(kind)
