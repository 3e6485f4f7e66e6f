"""``medcourt serve`` (the web UI) and ``medcourt user ...`` (web accounts)."""

from __future__ import annotations

import argparse
import os
import secrets
import sys
from typing import TYPE_CHECKING, Any

from domain.errors import InvalidValue, NotFound
from domain.vocabulary import COURTS
from scripts.cli import UsageError
from scripts.context import settings
from web.accounts import LANGUAGES, USER_ROLES, AccountStore

if TYPE_CHECKING:
    from flask import Flask

DEFAULT_PORT = 5000


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    serve = subparsers.add_parser(
        "serve",
        help="run the web UI (development server; --prod for gunicorn)",
        description="Run the web UI. Without --prod: Flask's development server, one process, plain HTTP, "
        "session cookies without the Secure flag so a browser on http://127.0.0.1 can sign in. "
        "With --prod: gunicorn with several worker processes and Secure cookies (put it behind an HTTPS proxy).",
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=_port, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT})")
    serve.add_argument("--prod", action="store_true", help="serve with gunicorn, the production WSGI server")
    serve.add_argument("--workers", type=_positive, default=None, metavar="N", help="gunicorn worker processes (default 2 x CPUs + 1)")
    serve.add_argument("--behind-proxy", action="store_true", help="trust one proxy's X-Forwarded-For/-Proto headers (the client address and HTTPS)")
    serve.add_argument("--insecure-cookies", action="store_true", help="with --prod: session cookies without the Secure flag (plain-HTTP trials only)")
    serve.set_defaults(func=cmd_serve)

    user = subparsers.add_parser("user", help="web accounts: create, list, set a password, unlock")
    sub = user.add_subparsers(dest="user_command", required=True, metavar="SUBCOMMAND")
    create = sub.add_parser("create", help="create an account (prints a generated password unless --password is given)")
    create.add_argument("username")
    create.add_argument("--role", required=True, choices=USER_ROLES)
    create.add_argument("--court", choices=sorted(COURTS), help="the user's court (required for clerks and judges)")
    create.add_argument("--judge-id", help="for a judge: the registry judge the account acts for")
    create.add_argument("--name", help="display name (default: the username)")
    create.add_argument("--language", choices=LANGUAGES, default="ru")
    create.add_argument("--password", help="at least 10 characters (default: generated and printed)")
    create.set_defaults(func=cmd_user_create)
    listing = sub.add_parser("list", help="every account")
    listing.set_defaults(func=cmd_user_list)
    password = sub.add_parser("set-password", help="set a new password (prints a generated one unless --password is given)")
    password.add_argument("username")
    password.add_argument("--password")
    password.set_defaults(func=cmd_user_password)
    unlock = sub.add_parser("unlock", help="clear failed sign-ins and a lockout")
    unlock.add_argument("username")
    unlock.set_defaults(func=cmd_user_unlock)


def _port(value: str) -> int:
    try:
        port = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' is not a port number") from None
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is not a port number (1-65535)")
    return port


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' is not a whole number") from None
    if number < 1:
        raise argparse.ArgumentTypeError("give at least 1")
    return number


# --- serve ----------------------------------------------------------------------------------------------


def build_app(args: argparse.Namespace) -> Flask:
    from web import create_app

    config: dict[str, Any] = {"SESSION_COOKIE_SECURE": bool(args.prod and not args.insecure_cookies)}
    app = create_app(config)
    if args.behind_proxy:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1)  # type: ignore[method-assign]
    return app


def cmd_serve(args: argparse.Namespace) -> int:
    if args.insecure_cookies and not args.prod:
        raise UsageError("medcourt serve: --insecure-cookies goes with --prod (the development server never sets Secure)")
    if args.workers and not args.prod:
        raise UsageError("medcourt serve: --workers goes with --prod")
    if args.prod:
        return _serve_gunicorn(args)
    app = build_app(args)
    print(f"Medcourt web UI (development server) on http://{args.host}:{args.port}/ — stop with Ctrl-C", file=sys.stderr)
    app.run(host=args.host, port=args.port, debug=False, use_reloader=False, threaded=True)
    return 0


def _serve_gunicorn(args: argparse.Namespace) -> int:
    from gunicorn.app.base import BaseApplication

    workers = args.workers or (2 * (os.cpu_count() or 1) + 1)

    class Medcourt(BaseApplication):  # type: ignore[misc]
        """gunicorn running ``web.create_app`` in each worker (no shared state but the databases)."""

        def load_config(self) -> None:
            options = {
                "bind": f"{args.host}:{args.port}", "workers": workers, "worker_class": "gthread", "threads": 4,
                "timeout": 60, "graceful_timeout": 20, "accesslog": "-", "errorlog": "-", "proc_name": "medcourt-web",
                # Several servers on one host would share (and delete) one control socket.
                "control_socket_disable": True,
            }
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self) -> Flask:
            return build_app(args)

    print(f"Medcourt web UI (gunicorn, {workers} workers) on http://{args.host}:{args.port}/", file=sys.stderr)
    Medcourt().run()
    return 0


# --- accounts ---------------------------------------------------------------------------------------------


def account_store() -> AccountStore:
    """The accounts in the read-model database, its schema brought up to date first."""
    from projections import schema
    from projections.db import views_engine

    current = settings()
    schema.upgrade(current)
    return AccountStore(views_engine(current))


def _found(store: AccountStore, username: str) -> int:
    user = store.find(username)
    if user is None:
        raise NotFound(f"No user '{username}'")
    return user.id


def cmd_user_create(args: argparse.Namespace) -> int:
    store = account_store()
    generated = args.password is None
    password = args.password or secrets.token_urlsafe(12)
    judge_id = None
    if args.judge_id:
        from scripts.context import open_docket

        judge = open_docket().judge(args.judge_id)
        if args.role != "judge":
            raise InvalidValue("--judge-id is for judge accounts", field="judge_id")
        if args.court and judge.court != args.court:
            raise InvalidValue(f"Judge {judge.name} sits in {judge.court}, not {args.court}", field="judge_id")
        judge_id = str(judge.id)
    user = store.create_user(args.username, password, args.role, court=args.court, display_name=args.name, judge_id=judge_id, language=args.language)
    print(f"Created {user.role} '{user.username}'" + (f" of {user.court}" if user.court else "") + (f"; password: {password}" if generated else ""))
    return 0


def cmd_user_list(args: argparse.Namespace) -> int:
    for user in account_store().list_users():
        state = "disabled" if not user.active else ("locked" if user.locked_until else "active")
        print(f"{user.username:<24} {user.role:<8} {user.court or '-':<4} {user.language:<3} {state:<8} {user.display_name}")
    return 0


def cmd_user_password(args: argparse.Namespace) -> int:
    store = account_store()
    generated = args.password is None
    password = args.password or secrets.token_urlsafe(12)
    store.set_password(_found(store, args.username), password)
    print(f"Password of '{args.username}' set" + (f": {password}" if generated else "") + "; their other sessions are signed out.")
    return 0


def cmd_user_unlock(args: argparse.Namespace) -> int:
    store = account_store()
    store.unlock(_found(store, args.username))
    print(f"'{args.username}' can sign in again.")
    return 0
