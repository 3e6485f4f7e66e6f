"""API tokens: how a program signs in to ``/api`` as one of the court's users.

A token is created for a user (by an administrator, in the UI or with ``medcourt token
create --user NAME``) and shown once; only its SHA-256 digest is stored (table
``api_tokens``, Alembic revision ``0004_api_tokens``, declared in ``projections.store_tables``). A token carries no rights of its
own: a request made with it acts as its user, with the user's role and court *as they are
now*, so changing a user's role or disabling the account changes or ends what their
tokens may do. A revoked or expired token is refused.

Tokens are 256 random bits, so a fast digest is as safe as a slow password hash here and
keeps each request cheap. The first characters (``prefix``) are stored in clear to tell
tokens apart in lists; they are not enough to use one.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import insert, select, update

from domain.errors import InvalidValue, NotFound
from projections.store_tables import api_tokens

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from web.accounts import AccountStore, User

TOKEN_PREFIX = "mct_"
PREFIX_LENGTH = 12
MAX_NAME_LENGTH = 100
LAST_USED_RESOLUTION = timedelta(minutes=1)  # record use at most once a minute per token

@dataclass(frozen=True)
class ApiToken:
    """A stored token (never the token itself)."""

    id: int
    user_id: int
    username: str
    name: str
    prefix: str
    created_at: datetime
    created_by: str
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked_at: datetime | None
    revoked_by: str | None

    def is_usable(self, now: datetime) -> bool:
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)

    @property
    def state(self) -> str:
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at is not None and self.expires_at <= _now():
            return "expired"
        return "active"


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _now() -> datetime:
    return datetime.now(tz=UTC)


def _naive(moment: datetime | None) -> datetime | None:
    return None if moment is None else moment.astimezone(UTC).replace(tzinfo=None)


def _aware(moment: datetime | None) -> datetime | None:
    return None if moment is None else moment.replace(tzinfo=UTC)


class TokenStore:
    """The ``api_tokens`` table, beside the users it belongs to (``web.accounts``)."""

    def __init__(self, engine: Engine, accounts: AccountStore) -> None:
        self.engine = engine
        self.accounts = accounts

    def _token(self, row: Any, username: str) -> ApiToken:
        created_at = _aware(row.created_at)
        assert created_at is not None
        return ApiToken(
            id=row.id, user_id=row.user_id, username=username, name=row.name, prefix=row.prefix, created_at=created_at,
            created_by=row.created_by, expires_at=_aware(row.expires_at), last_used_at=_aware(row.last_used_at),
            revoked_at=_aware(row.revoked_at), revoked_by=row.revoked_by,
        )

    def _usernames(self) -> dict[int, str]:
        return {user.id: user.username for user in self.accounts.list_users()}

    def create(self, username: str, *, name: str, created_by: str, expires_at: datetime | None = None) -> tuple[str, ApiToken]:
        """A new token for the user ``username``: (the token, to show once; its stored record)."""
        user = self.accounts.find(username)
        if user is None:
            raise NotFound(f"No user named '{username}'", field="user")
        if not user.active:
            raise InvalidValue(f"The account '{user.username}' is disabled: it cannot be given a token", field="user")
        name = (name or "").strip() or "API client"
        if len(name) > MAX_NAME_LENGTH:
            raise InvalidValue(f"A token's name has at most {MAX_NAME_LENGTH} characters", field="name")
        if expires_at is not None and expires_at <= _now():
            raise InvalidValue("A token cannot expire in the past", field="expires_at")
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        with self.engine.begin() as conn:
            result = conn.execute(
                insert(api_tokens).values(
                    user_id=user.id, name=name, prefix=token[:PREFIX_LENGTH], digest=digest(token),
                    created_at=_naive(_now()), created_by=created_by, expires_at=_naive(expires_at),
                )
            )
            new_id = int(result.inserted_primary_key[0]) if result.inserted_primary_key else None
        assert new_id is not None
        return token, self.get(new_id)

    def get(self, token_id: int) -> ApiToken:
        with self.engine.connect() as conn:
            row = conn.execute(select(api_tokens).where(api_tokens.c.id == token_id)).first()
        if row is None:
            raise NotFound(f"No API token with id {token_id}", field="token")
        return self._token(row, self._usernames().get(row.user_id, str(row.user_id)))

    def list_tokens(self, *, username: str | None = None, include_revoked: bool = True) -> list[ApiToken]:
        """Tokens, newest first (of one user, if named)."""
        names = self._usernames()
        query = select(api_tokens).order_by(api_tokens.c.created_at.desc(), api_tokens.c.id.desc())
        if username is not None:
            user = self.accounts.find(username)
            if user is None:
                raise NotFound(f"No user named '{username}'", field="user")
            query = query.where(api_tokens.c.user_id == user.id)
        if not include_revoked:
            query = query.where(api_tokens.c.revoked_at.is_(None))
        with self.engine.connect() as conn:
            return [self._token(row, names.get(row.user_id, str(row.user_id))) for row in conn.execute(query)]

    def find(self, reference: str) -> ApiToken:
        """A token by its id or its prefix (as ``token list`` shows them)."""
        reference = reference.strip()
        if reference.isdigit():
            return self.get(int(reference))
        with self.engine.connect() as conn:
            rows = conn.execute(select(api_tokens.c.id).where(api_tokens.c.prefix == reference[:PREFIX_LENGTH])).all()
        if len(rows) != 1:
            raise NotFound(f"No single API token is known by '{reference}': use its id", field="token")
        return self.get(int(rows[0].id))

    def revoke(self, token_id: int, *, revoked_by: str) -> ApiToken:
        """Revoke a token (revoking it again changes nothing)."""
        with self.engine.begin() as conn:
            conn.execute(
                update(api_tokens).where(api_tokens.c.id == token_id, api_tokens.c.revoked_at.is_(None))
                .values(revoked_at=_naive(_now()), revoked_by=revoked_by)
            )
        return self.get(token_id)

    def authenticate(self, token: str, now: datetime | None = None) -> tuple[ApiToken, User] | None:
        """The token and its (active) user, if ``token`` is a usable token; else None."""
        now = now or _now()
        if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
            return None
        wanted = digest(token)
        with self.engine.connect() as conn:
            row = conn.execute(select(api_tokens).where(api_tokens.c.digest == wanted)).first()
        if row is None or not hmac.compare_digest(row.digest, wanted):
            return None
        try:
            user = self.accounts.get(row.user_id)
        except NotFound:
            return None
        record = self._token(row, user.username)
        if not record.is_usable(now) or not user.active:
            return None
        if record.last_used_at is None or now - record.last_used_at >= LAST_USED_RESOLUTION:
            with self.engine.begin() as conn:
                conn.execute(update(api_tokens).where(api_tokens.c.id == record.id).values(last_used_at=_naive(now)))
        return record, user
