"""``medcourt token create|list|revoke``: bearer tokens for API clients (see web/api/tokens.py)."""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from datetime import UTC, datetime, time
from typing import TYPE_CHECKING

from scripts.context import iso_date, settings

if TYPE_CHECKING:
    from web.api.tokens import ApiToken, TokenStore


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    token = subparsers.add_parser("token", help="API tokens: create one for a user (shown once), list them, revoke one")
    sub = token.add_subparsers(dest="token_command", required=True, metavar="ACTION")

    create = sub.add_parser("create", help="create a token acting as USER (with USER's role and court); prints it once")
    create.add_argument("--user", required=True, metavar="USERNAME", help="the user the token acts as")
    create.add_argument("--name", default="", help="what the token is for, e.g. the client program (default: 'API client')")
    create.add_argument("--expires", type=iso_date, default=None, metavar="YYYY-MM-DD", help="last day the token works (default: until revoked)")
    create.set_defaults(func=cmd_create)

    listing = sub.add_parser("list", help="tokens, newest first (never the tokens themselves)")
    listing.add_argument("--user", default=None, metavar="USERNAME", help="only this user's tokens")
    listing.add_argument("--active", action="store_true", help="leave out revoked tokens")
    listing.add_argument("--format", choices=("text", "json"), default="text")
    listing.set_defaults(func=cmd_list)

    revoke = sub.add_parser("revoke", help="revoke a token by its id or prefix (as `token list` shows them)")
    revoke.add_argument("token", metavar="ID|PREFIX")
    revoke.set_defaults(func=cmd_revoke)


def _store() -> TokenStore:
    from argon2 import PasswordHasher

    from projections import schema
    from projections.db import views_engine
    from web.accounts import AccountStore
    from web.api.tokens import TokenStore

    current = settings()
    schema.upgrade(current)  # idempotent: the table exists from revision 0004 on
    engine = views_engine(current)
    return TokenStore(engine, AccountStore(engine, PasswordHasher(time_cost=1, memory_cost=1024)))


def _operator() -> str:
    """Who ran the command, as recorded with the token ("cli:" and the login name)."""
    try:
        return f"cli:{getpass.getuser()}"[:64]
    except (KeyError, OSError):
        return "cli"


def cmd_create(args: argparse.Namespace) -> int:
    from domain import clock

    expires_at = None
    if args.expires is not None:
        # The token works through the last day named, at the court.
        expires_at = datetime.combine(args.expires, time.max, tzinfo=clock.COURT_TZ).astimezone(UTC)
    token, record = _store().create(args.user, name=args.name, created_by=_operator(), expires_at=expires_at)
    print(token)
    print(
        f"token {record.id} ({record.prefix}...) for {record.username}: keep it now, it is not shown again. "
        "Send it as 'Authorization: Bearer <token>'.",
        file=sys.stderr,
    )
    return 0


def _row(record: ApiToken) -> dict[str, object]:
    def moment(value: datetime | None) -> str | None:
        return None if value is None else value.isoformat().replace("+00:00", "Z")

    return {
        "id": record.id, "user": record.username, "name": record.name, "prefix": record.prefix, "state": record.state,
        "created_at": moment(record.created_at), "created_by": record.created_by, "expires_at": moment(record.expires_at),
        "last_used_at": moment(record.last_used_at), "revoked_at": moment(record.revoked_at),
    }


def cmd_list(args: argparse.Namespace) -> int:
    rows = [_row(record) for record in _store().list_tokens(username=args.user, include_revoked=not args.active)]
    if args.format == "json":
        json.dump(rows, sys.stdout, indent=2)
        print()
        return 0
    print(f"{'id':>5}  {'prefix':<13} {'user':<16} {'state':<8} {'created':<21} {'last used':<21} name")
    for row in rows:
        created = str(row["created_at"])[:19]
        used = str(row["last_used_at"] or "never")[:19]
        print(f"{row['id']:>5}  {row['prefix']!s:<13} {row['user']!s:<16} {row['state']!s:<8} {created:<21} {used:<21} {row['name']}")
    return 0


def cmd_revoke(args: argparse.Namespace) -> int:
    store = _store()
    record = store.revoke(store.find(args.token).id, revoked_by=_operator())
    print(f"token {record.id} ({record.prefix}...) of {record.username} is revoked")
    return 0
