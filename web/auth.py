"""Sign-in, sign-out, the language switch and one's own account."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from marshmallow import ValidationError
from werkzeug.wrappers import Response

from domain.errors import DomainError
from web.access import WebUser
from web.forms import FormState
from web.i18n import fmt_datetime
from web.schemas import LanguageSchema, LoginSchema, PasswordChangeSchema
from web.services import services

bp = Blueprint("auth", __name__)

HOME_BY_ROLE = {"clerk": "docket.cases", "judge": "judge.dashboard", "analyst": "analytics.dashboard", "admin": "admin.index"}


SESSION_ID = "_sid"  # the server-side session this browser holds (web.accounts.web_sessions)


def safe_next(target: str | None) -> str | None:
    """Only a path on this site (never another host) is followed after sign-in or a switch.

    Browsers drop tabs and line breaks from URLs and read a backslash as a slash, so ``/%09/evil``
    would become ``//evil``: any control character, space or backslash disqualifies the target."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    if any(ch <= " " or ch == "\x7f" or ch == "\\" or ch.isspace() for ch in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


def home_url() -> str:
    return url_for(HOME_BY_ROLE.get(current_user.role, "public.index"))


@bp.get("/")
def home() -> Response:
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    return redirect(home_url())


@bp.route("/login", methods=["GET", "POST"])
def login() -> Any:
    if current_user.is_authenticated:
        return redirect(home_url())
    form = FormState.from_request()
    form.fields = {"username", "password"}
    form.values.pop("password", None)  # never echoed back
    if request.method != "POST":
        return render_template("auth/login.html", f=form)
    try:
        data = LoginSchema().load(request.form)
    except ValidationError as error:
        form.add_validation(error.messages)
        return render_template("auth/login.html", f=form), 422
    config = current_app.config
    outcome = services().accounts.authenticate(
        data["username"], data["password"], address=request.remote_addr or "unknown",
        attempts_per_address=config["LOGIN_ATTEMPTS_PER_ADDRESS"], address_window=timedelta(seconds=config["LOGIN_WINDOW_SECONDS"]),
    )
    if outcome.user is None:
        if outcome.refusal == "throttled":
            form.add(None, _("Too many failed sign-ins from this computer. Wait a few minutes and try again."))
            return render_template("auth/login.html", f=form), 429
        if outcome.refusal == "locked":
            form.add(None, _("This account is locked after repeated failed sign-ins until %(time)s.", time=fmt_datetime(outcome.locked_until)))
            return render_template("auth/login.html", f=form), 429
        if outcome.refusal == "inactive":
            form.add(None, _("This account is disabled. Ask the court administrator."))
            return render_template("auth/login.html", f=form), 403
        form.add(None, _("The username or password is wrong."))
        return render_template("auth/login.html", f=form), 401
    destination = safe_next(request.args.get("next"))
    session.clear()  # a fresh session for the signed-in user (no fixation)
    session.permanent = True
    session[SESSION_ID] = services().accounts.open_session(outcome.user.id, current_app.permanent_session_lifetime)
    login_user(WebUser(outcome.user))
    return redirect(destination or home_url())


@bp.post("/logout")
@login_required  # type: ignore[untyped-decorator]
def logout() -> Response:
    language = current_user.language
    sid = session.get(SESSION_ID)
    if isinstance(sid, str):
        services().accounts.close_session(sid)  # a copy of this cookie no longer signs anyone in
    logout_user()
    session.clear()
    session["language"] = language
    flash(_("You are signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.post("/language")
def language() -> Response:
    back = safe_next(request.form.get("next")) or url_for("auth.home")
    try:
        chosen = LanguageSchema().load(request.form)["language"]
    except ValidationError:
        return redirect(back)
    if current_user.is_authenticated:
        services().accounts.update_user(current_user.id, language=chosen)
    session["language"] = chosen
    return redirect(back)


@bp.route("/account", methods=["GET", "POST"])
@login_required  # type: ignore[untyped-decorator]
def account() -> Any:
    form = FormState.from_request()
    form.fields = {"current_password", "new_password", "confirm_password"}
    form.values = {}
    if request.method != "POST":
        return render_template("auth/account.html", f=form)
    try:
        data = PasswordChangeSchema().load(request.form)
    except ValidationError as error:
        form.add_validation(error.messages)
        return render_template("auth/account.html", f=form), 422
    store = services().accounts
    if not store.check_password(current_user.id, data["current_password"]):
        form.add("current_password", _("The current password is wrong."))
        return render_template("auth/account.html", f=form), 422
    try:
        updated = store.set_password(current_user.id, data["new_password"])
    except DomainError as error:
        form.add("new_password", _("A password has at least 10 characters.") if error.field == "password" else str(error))
        return render_template("auth/account.html", f=form), 422
    login_user(WebUser(updated))  # the new epoch ends other sessions, not this one
    flash(_("Your password was changed. Other sessions were signed out."), "success")
    return redirect(url_for("auth.account"))
