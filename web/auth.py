"""Sign-in, sign-out, the language switch and one's own account."""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque
from typing import Any

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


class LoginThrottle:
    """Failed sign-ins per client address in a sliding window, per process (accounts lock
    themselves after repeated failures; this slows guessing across many usernames)."""

    def __init__(self) -> None:
        self._failures: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def _recent(self, address: str, window: float) -> deque[float]:
        failures = self._failures[address]
        cutoff = time.monotonic() - window
        while failures and failures[0] < cutoff:
            failures.popleft()
        return failures

    def blocked(self, address: str, limit: int, window: float) -> bool:
        with self._lock:
            return len(self._recent(address, window)) >= limit

    def failed(self, address: str) -> None:
        with self._lock:
            self._failures[address].append(time.monotonic())

    def succeeded(self, address: str) -> None:
        with self._lock:
            self._failures.pop(address, None)


def throttle() -> LoginThrottle:
    found = current_app.extensions.get("medcourt_login_throttle")
    if found is None:
        found = current_app.extensions["medcourt_login_throttle"] = LoginThrottle()
    return found


def safe_next(target: str | None) -> str | None:
    """Only a path on this site (never another host) is followed after sign-in or a switch."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return None


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
    if request.method == "GET":
        return render_template("auth/login.html", f=form)
    address = request.remote_addr or "unknown"
    config = current_app.config
    if throttle().blocked(address, config["LOGIN_ATTEMPTS_PER_ADDRESS"], config["LOGIN_WINDOW_SECONDS"]):
        form.add(None, _("Too many failed sign-ins from this computer. Wait a few minutes and try again."))
        return render_template("auth/login.html", f=form), 429
    try:
        data = LoginSchema().load(request.form)
    except ValidationError as error:
        form.add_validation(error.messages)
        return render_template("auth/login.html", f=form), 422
    outcome = services().accounts.authenticate(data["username"], data["password"])
    if outcome.user is None:
        throttle().failed(address)
        if outcome.refusal == "locked":
            form.add(None, _("This account is locked after repeated failed sign-ins until %(time)s.", time=fmt_datetime(outcome.locked_until)))
            return render_template("auth/login.html", f=form), 429
        if outcome.refusal == "inactive":
            form.add(None, _("This account is disabled. Ask the court administrator."))
            return render_template("auth/login.html", f=form), 403
        form.add(None, _("The username or password is wrong."))
        return render_template("auth/login.html", f=form), 401
    throttle().succeeded(address)
    destination = safe_next(request.args.get("next"))
    session.clear()  # a fresh session for the signed-in user (no fixation)
    session.permanent = True
    login_user(WebUser(outcome.user))
    return redirect(destination or home_url())


@bp.post("/logout")
@login_required  # type: ignore[untyped-decorator]
def logout() -> Response:
    language = current_user.language
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
    if request.method == "GET":
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
