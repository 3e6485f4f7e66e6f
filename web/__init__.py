"""The court's web application: ``create_app()`` builds everything, one blueprint per audience.

- ``auth``: sign-in, sign-out, language, one's own account.
- ``docket``: clerks' work on cases (intake, filings, judges, hearings, examinations, mediation,
  appeals, corrections, sealing) and the court calendar.
- ``judge``: the judge's dashboard, case histories (as of a date, diffs) and the ruling form.
- ``public``: the public docket (unsealed cases, no names, no documents).
- ``admin``: users and the judge, expert and mediator registries.

``/analytics`` and ``/api`` are kept for the analytics and API blueprints.
"""

from __future__ import annotations

import logging
import os
import secrets
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from argon2 import PasswordHasher
from flask import Flask, render_template, request
from flask.json.provider import DefaultJSONProvider
from flask_babel import Babel
from flask_babel import gettext as _
from flask_login import LoginManager
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.exceptions import HTTPException

from domain.application import Docket
from domain.errors import ConcurrentChange, DomainError
from domain.vocabulary import Actor
from projections import schema
from projections.db import views_engine
from projections.projector import Projector
from projections.settings import Settings, load_settings
from web import i18n
from web.access import load_user
from web.accounts import AccountStore
from web.documents import DocumentDamaged, DocumentStore, cipher_keys
from web.services import Services

log = logging.getLogger(__name__)

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'"
)
# Sent only on HTTPS requests (directly, or as the trusted proxy says with ``--behind-proxy``):
# browsers ignore it over plain HTTP, and a forged X-Forwarded-Proto is not believed without the proxy fix.
STRICT_TRANSPORT_SECURITY = "max-age=31536000; includeSubDomains"


class StrictJSONProvider(DefaultJSONProvider):
    """Request bodies read with ``request.get_json`` fail as a 400, never a 500 (see ``strict_json``)."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        from web.api.smorest import strict_json

        return strict_json(s)


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    app = Flask(__name__)
    app.json = StrictJSONProvider(app)
    settings: Settings = (test_config or {}).get("MEDCOURT_SETTINGS") or load_settings()
    app.config.from_mapping(
        SECRET_KEY=os.environ.get("MEDCOURT_SECRET_KEY") or None,
        SESSION_COOKIE_SECURE=os.environ.get("MEDCOURT_INSECURE_COOKIES") != "1",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_NAME="medcourt_session",
        PERMANENT_SESSION_LIFETIME=timedelta(hours=10),
        REMEMBER_COOKIE_SECURE=True,
        REMEMBER_COOKIE_HTTPONLY=True,
        WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the session
        MAX_UPLOAD_BYTES=int(os.environ.get("MEDCOURT_MAX_UPLOAD_MB", "20")) * 1024 * 1024,
        LOGIN_ATTEMPTS_PER_ADDRESS=int(os.environ.get("MEDCOURT_LOGIN_ATTEMPTS", "20")),
        LOGIN_WINDOW_SECONDS=300,
        ARGON2_TIME_COST=3,
        ARGON2_MEMORY_COST=65536,
        UPGRADE_SCHEMA=True,
        READ_YOUR_WRITES_SECONDS=2.0,  # how long a page after a write waits for `medcourt projections run`
        # Project new events in the web process before reading lists (None: yes on SQLite only).
        PROJECT_INLINE={"1": True, "0": False}.get(os.environ.get("MEDCOURT_WEB_PROJECTS", "")),
        PER_PAGE=25,
        # Statistics results and analytics sections each worker remembers until the read models move (0: none).
        STATS_CACHE_SIZE=int(os.environ.get("MEDCOURT_STATS_CACHE_SIZE", "512")),
    )
    if test_config:
        app.config.from_mapping({k: v for k, v in test_config.items() if k != "MEDCOURT_SETTINGS"})
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = _stored_secret(settings.var_dir)
    # A request may carry the upload plus the other fields of its form.
    app.config["MAX_CONTENT_LENGTH"] = app.config["MAX_UPLOAD_BYTES"] + 1024 * 1024

    if app.config["UPGRADE_SCHEMA"]:
        schema.upgrade(settings)  # idempotent; takes turns with other processes
    engine = views_engine(settings)
    hasher = PasswordHasher(time_cost=app.config["ARGON2_TIME_COST"], memory_cost=app.config["ARGON2_MEMORY_COST"])
    env = settings.event_store_env()
    docket = Docket(env=env)
    inline = app.config["PROJECT_INLINE"]
    if inline is None:
        inline = not settings.is_postgres
    accounts = AccountStore(engine, hasher)
    docket.on_sealed_view = _sealed_view_recorder(accounts)
    app.extensions["medcourt"] = Services(
        settings=settings,
        docket=docket,
        accounts=accounts,
        documents=DocumentStore(settings.documents_dir, app.config["MAX_UPLOAD_BYTES"], cipher_keys(env)),
        views=engine,
        projector=Projector(settings, docket=docket) if inline else None,
        wait_seconds=float(app.config["READ_YOUR_WRITES_SECONDS"]),
    )

    @app.before_request
    def head_is_get() -> None:
        # Only GET is safe, and HEAD must be exactly GET without the body: views that branch on
        # "GET or else a submission" would otherwise take a HEAD with a form body (which the CSRF
        # check lets through as a safe method) for a submission.
        if request.method == "HEAD":
            request.method = "GET"

    CSRFProtect(app)
    from web import idempotency

    app.before_request(idempotency.claim_for_form)  # after the CSRF check, registered just above
    app.after_request(idempotency.finish)
    Babel(
        app,
        locale_selector=i18n.select_locale,
        default_locale=i18n.DEFAULT_LANGUAGE,
        default_timezone="Asia/Almaty",
        default_translation_directories=str(i18n.compile_catalogs()),
    )
    login_manager = LoginManager(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = ""  # the sign-in page says what it is for
    login_manager.session_protection = "basic"
    login_manager.user_loader(load_user)

    from web import acts, admin, auth, docket_views, inbox, judge, public

    app.register_blueprint(auth.bp)
    app.register_blueprint(docket_views.bp)
    app.register_blueprint(judge.bp)
    app.register_blueprint(acts.bp)
    app.register_blueprint(public.bp)
    app.register_blueprint(admin.bp)
    app.register_blueprint(inbox.bp)

    _template_helpers(app)
    _error_pages(app)
    _security_headers(app)
    from web import analytics, api  # analytics dashboards, public statistics and the JSON API (issue 6)

    analytics.init_app(app)
    api.init_app(app)
    return app


def _stored_secret(var_dir: Path) -> str:
    """One secret per installation, shared by every worker process, kept under ``var/``."""
    var_dir.mkdir(parents=True, exist_ok=True)
    path = var_dir / "secret_key"
    if not path.exists():
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another worker wrote it first
        else:
            with os.fdopen(fd, "w") as out:
                out.write(secrets.token_hex(32))
    return path.read_text().strip()


def _template_helpers(app: Flask) -> None:
    from web.forms import domain_message
    from web.idempotency import new_key as new_idempotency_key

    app.jinja_env.filters.update(
        date=i18n.fmt_date, datetime=i18n.fmt_datetime, money=i18n.fmt_money, number=i18n.fmt_number, time=i18n.fmt_time,
    )
    app.jinja_env.globals.update(
        label=i18n.label, choices=i18n.choices, languages=i18n.LANGUAGES, current_language=i18n.current_language,
        domain_message=domain_message, idempotency_key=new_idempotency_key,
    )
    app.jinja_env.add_extension("jinja2.ext.do")

    @app.context_processor
    def page_context() -> dict[str, Any]:
        return {"request_path": request.full_path.rstrip("?")}


def _error_pages(app: Flask) -> None:
    messages = {
        400: lambda: _("The request could not be understood."),
        403: lambda: _("Your role does not give access to this page."),
        404: lambda: _("There is no such page or case."),
        405: lambda: _("This page does not accept that kind of request."),
        409: lambda: _("Someone else changed this case at the same moment. Reload the case and try again."),
        413: lambda: _("The upload is larger than the court accepts."),
        429: lambda: _("Too many attempts. Wait a few minutes and try again."),
        500: lambda: _("Something went wrong on our side. The error was logged; please try again."),
    }

    def page(code: int, detail: str | None = None, heading: str | None = None) -> tuple[str, int]:
        message = heading or messages.get(code, messages[500])()
        return render_template("error.html", code=code, message=message, detail=detail), code

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError) -> tuple[str, int]:
        return page(400, _("The form had expired or did not come from this site. Go back, reload the page and submit again."))

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Any:
        if error.code is None or error.code < 400:
            return error
        return page(error.code)

    @app.errorhandler(DomainError)
    def domain_error(error: DomainError) -> tuple[str, int]:
        from web.forms import domain_message, status_for

        status = status_for(error)
        if status == 404:
            return page(404)  # the same page as for any unknown address: nothing hints at a sealed case (R11)
        if isinstance(error, ConcurrentChange):
            return page(409)
        heading = None if status == 403 else _("The court's rules refuse this.")
        return page(status, domain_message(error), heading)

    @app.errorhandler(DocumentDamaged)
    def damaged(error: DocumentDamaged) -> tuple[str, int]:
        log.error("document store: %s", error)
        return page(500, _("The stored file does not match the document's checksum; it was not served."))

    @app.errorhandler(500)
    def server_error(error: Exception) -> tuple[str, int]:
        return page(500)


def _sealed_view_recorder(accounts: AccountStore) -> Callable[[str, Actor, str], None]:
    """Every read of a sealed case through the docket's services is recorded (R11), with the
    request's address when there is a request (pages and the API)."""
    from flask import has_request_context

    def record(docket_number: str, actor: Actor, what: str) -> None:
        remote_addr = request.remote_addr if has_request_context() else None
        accounts.record_sealed_view(
            docket_number, username=actor["user"], role=actor["role"], court=actor.get("court"), page=what[:64], remote_addr=remote_addr,
        )

    return record


def _security_headers(app: Flask) -> None:
    @app.after_request
    def headers(response: Any) -> Any:
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if request.is_secure:
            response.headers.setdefault("Strict-Transport-Security", STRICT_TRANSPORT_SECURITY)
        if request.endpoint != "static":
            response.headers.setdefault("Cache-Control", "no-store")
        return response


__all__ = ["create_app"]

