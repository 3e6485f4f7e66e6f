"""Who may sign in, and who looked at a sealed case: the web's own records.

These are not domain events: a user account, a failed sign-in or a page view
changes nothing on the docket. They live in the read-model database (tables
``users`` and ``sealed_case_views``, created by Alembic revision ``0002_accounts`` and declared in
``projections.store_tables``) beside the projections, in plain rows that are updated in place. The
command line (``medcourt user ...``) manages them through this module too.

Passwords are hashed with argon2id. Failed sign-ins are rows of ``sign_in_failures``
(address, typed username, instant), shared by every web process: after ``MAX_FAILED_LOGINS``
failures for one username from one address within ``LOCKOUT``, that username is locked *for
that address* (so a stranger cannot lock the owner out from elsewhere), and an address with too
many failures in a window is throttled. A username that does not exist gets exactly the same
answers as one that does (DOMAIN.md does not say; ours to tune). Signed-in browser sessions are
rows of ``web_sessions``: signing out deletes the row, so a copied cookie stops working.
"""

from __future__ import annotations

import contextlib
import dataclasses
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import (
    delete,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError

from domain.errors import InvalidValue, NotFound
from domain.vocabulary import COURTS
from projections.store_tables import sealed_case_views, sign_in_failures, users, web_sessions

if TYPE_CHECKING:
    from collections.abc import Sequence

    from sqlalchemy.engine import Engine

USER_ROLES: tuple[str, ...] = ("clerk", "judge", "analyst", "admin")
LANGUAGES: tuple[str, ...] = ("kk", "ru", "en")
MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=15)
MIN_PASSWORD_LENGTH = 10
USERNAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{1,62}$")

@dataclass(frozen=True)
class User:
    id: int
    username: str
    display_name: str
    role: str
    court: str | None
    judge_id: str | None
    language: str
    active: bool
    failed_logins: int
    locked_until: datetime | None
    last_login_at: datetime | None
    session_epoch: int

    def is_locked(self, now: datetime) -> bool:
        return self.locked_until is not None and self.locked_until > now


@dataclass(frozen=True)
class SignIn:
    """The outcome of a sign-in attempt: ``user`` when it succeeded, else why not."""

    user: User | None
    refusal: str | None = None  # "bad_credentials", "locked", "throttled", "inactive"
    locked_until: datetime | None = None


@dataclass(frozen=True)
class SealedView:
    docket_number: str
    viewed_at: datetime
    username: str
    role: str
    court: str | None
    page: str
    remote_addr: str | None


def _utc(value: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes: they were stored as UTC."""
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _now() -> datetime:
    return datetime.now(tz=UTC)


def _naive(value: datetime | None) -> datetime | None:
    """Instants are stored as naive UTC, as in every read-model table (SQLite keeps no zone)."""
    return None if value is None else value.astimezone(UTC).replace(tzinfo=None)


def _user(row: Any) -> User:
    return User(
        id=row.id, username=row.username, display_name=row.display_name, role=row.role, court=row.court,
        judge_id=row.judge_id, language=row.language, active=bool(row.active), failed_logins=row.failed_logins,
        locked_until=_utc(row.locked_until), last_login_at=_utc(row.last_login_at), session_epoch=row.session_epoch,
    )


class AccountStore:
    """Users and the sealed-case view log, in the read-model database."""

    def __init__(self, engine: Engine, hasher: PasswordHasher | None = None) -> None:
        self.engine = engine
        self.hasher = hasher or PasswordHasher()
        # Verifying against this keeps a sign-in with an unknown username as slow as a wrong password.
        self._dummy_hash = self.hasher.hash("medcourt-no-such-user")

    def has_schema(self) -> bool:
        from sqlalchemy import inspect

        return inspect(self.engine).has_table("users")

    # --- users ------------------------------------------------------------------------------

    def validate(self, *, username: str | None = None, role: str | None = None, court: str | None = None, language: str | None = None, password: str | None = None, display_name: str | None = None) -> None:
        """Refuse malformed account values, one field at a time, with a message for the form."""
        if username is not None and not USERNAME_PATTERN.match(username):
            raise InvalidValue("A username is 2-63 lower-case letters, digits, dots, dashes or underscores", field="username")
        if display_name is not None and not (0 < len(display_name.strip()) <= 200):
            raise InvalidValue("A display name is required (at most 200 characters)", field="display_name")
        if role is not None and role not in USER_ROLES:
            raise InvalidValue(f"'{role}' is not a role (one of: {', '.join(USER_ROLES)})", field="role")
        if court is not None and court not in COURTS:
            raise InvalidValue(f"'{court}' is not a court", field="court")
        if role in ("clerk", "judge") and not court:
            raise InvalidValue("Clerks and judges belong to a court", field="court")
        if language is not None and language not in LANGUAGES:
            raise InvalidValue(f"'{language}' is not a language (one of: {', '.join(LANGUAGES)})", field="language")
        if password is not None and len(password) < MIN_PASSWORD_LENGTH:
            raise InvalidValue(f"A password has at least {MIN_PASSWORD_LENGTH} characters", field="password")

    def create_user(
        self,
        username: str,
        password: str,
        role: str,
        *,
        court: str | None = None,
        display_name: str | None = None,
        judge_id: str | None = None,
        language: str = "ru",
    ) -> User:
        username = username.strip().lower()
        display_name = (display_name or username).strip()
        court = court or None
        self.validate(username=username, role=role, court=court, language=language, password=password, display_name=display_name)
        now = _now()
        try:
            with self.engine.begin() as conn:
                result = conn.execute(
                    insert(users).values(
                        username=username, display_name=display_name, role=role, court=court,
                        judge_id=judge_id or None, language=language, password_hash=self.hasher.hash(password),
                        active=True, failed_logins=0, session_epoch=0, created_at=_naive(now), updated_at=_naive(now),
                    )
                )
                new_id = result.inserted_primary_key[0] if result.inserted_primary_key else None
        except IntegrityError:
            raise InvalidValue(f"The username '{username}' is taken", field="username") from None
        assert new_id is not None
        return self.get(int(new_id))

    def get(self, user_id: int) -> User:
        with self.engine.connect() as conn:
            row = conn.execute(select(users).where(users.c.id == user_id)).first()
        if row is None:
            raise NotFound(f"No user with id {user_id}")
        return _user(row)

    def find(self, username: str) -> User | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(users).where(users.c.username == username.strip().lower())).first()
        return _user(row) if row is not None else None

    def list_users(self, *, role: str | None = None, court: str | None = None) -> list[User]:
        """Users, each with ``locked_until`` set while their username is locked at some address."""
        query = select(users).order_by(users.c.username)
        if role:
            query = query.where(users.c.role == role)
        if court:
            query = query.where(users.c.court == court)
        with self.engine.connect() as conn:
            found = [_user(row) for row in conn.execute(query)]
        locks = self.sign_in_locks()
        return [dataclasses.replace(u, locked_until=locks[u.username]) if u.username in locks else u for u in found]

    def sign_in_locks(self, now: datetime | None = None) -> dict[str, datetime]:
        """Usernames locked at one address or more, with when the last of those locks ends."""
        now = now or _now()
        recent = (
            select(sign_in_failures.c.username, func.max(sign_in_failures.c.failed_at).label("last"))
            .where(sign_in_failures.c.failed_at > _naive(now - LOCKOUT))
            .group_by(sign_in_failures.c.username, sign_in_failures.c.address)
            .having(func.count() >= MAX_FAILED_LOGINS)
        )
        locks: dict[str, datetime] = {}
        with self.engine.connect() as conn:
            for row in conn.execute(recent):
                until = (_utc(row.last) or now) + LOCKOUT
                locks[row.username] = max(until, locks.get(row.username, until))
        return locks

    def count_users(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(users)).scalar_one())

    def update_user(self, user_id: int, **changes: Any) -> User:
        """Change profile fields (display_name, role, court, judge_id, language, active).
        Changing the role, court or activity signs the user out everywhere."""
        allowed = {"display_name", "role", "court", "judge_id", "language", "active"}
        unknown = set(changes) - allowed
        if unknown:
            raise InvalidValue(f"Cannot change {', '.join(sorted(unknown))}")
        current = self.get(user_id)
        values = {k: (v or None) if k in ("court", "judge_id") else v for k, v in changes.items()}
        self.validate(
            role=values.get("role"), court=values.get("court") if "court" in values else None, language=values.get("language"),
            display_name=values.get("display_name"),
        )
        role = values.get("role", current.role)
        court = values.get("court", current.court)
        if role in ("clerk", "judge") and not court:
            raise InvalidValue("Clerks and judges belong to a court", field="court")
        values["updated_at"] = _naive(_now())
        if any(k in values and values[k] != getattr(current, k) for k in ("role", "court", "active", "judge_id")):
            values["session_epoch"] = users.c.session_epoch + 1
        with self.engine.begin() as conn:
            conn.execute(update(users).where(users.c.id == user_id).values(**values))
        return self.get(user_id)

    def set_password(self, user_id: int, password: str) -> User:
        """A new password also unlocks the account and ends its other sessions."""
        self.validate(password=password)
        with self.engine.begin() as conn:
            result = conn.execute(
                update(users).where(users.c.id == user_id).values(
                    password_hash=self.hasher.hash(password), failed_logins=0, locked_until=None,
                    session_epoch=users.c.session_epoch + 1, updated_at=_naive(_now()),
                )
            )
        if result.rowcount == 0:
            raise NotFound(f"No user with id {user_id}")
        user = self.get(user_id)
        with self.engine.begin() as conn:
            conn.execute(delete(sign_in_failures).where(sign_in_failures.c.username == user.username))
        return user

    def unlock(self, user_id: int) -> User:
        """Forget the failed sign-ins of this user, from every address."""
        user = self.get(user_id)
        with self.engine.begin() as conn:
            conn.execute(delete(sign_in_failures).where(sign_in_failures.c.username == user.username))
            conn.execute(update(users).where(users.c.id == user_id).values(failed_logins=0, locked_until=None, updated_at=_naive(_now())))
        return self.get(user_id)

    def check_password(self, user_id: int, password: str) -> bool:
        with self.engine.connect() as conn:
            stored = conn.execute(select(users.c.password_hash).where(users.c.id == user_id)).scalar_one_or_none()
        if stored is None:
            return False
        try:
            return bool(self.hasher.verify(stored, password))
        except (VerificationError, InvalidHashError):
            return False

    def authenticate(
        self, username: str, password: str, now: datetime | None = None, *, address: str = "unknown",
        attempts_per_address: int = 20, address_window: timedelta = timedelta(minutes=5),
    ) -> SignIn:
        """Check a password, counting failures in the database (shared by every process).

        Refused before the password is looked at: an address with ``attempts_per_address`` failures in
        ``address_window`` ("throttled"), and a username with ``MAX_FAILED_LOGINS`` failures from this
        address within ``LOCKOUT`` ("locked"). Unknown usernames are counted and answered alike."""
        now = now or _now()
        name = username.strip().lower()[:64]
        address = (address or "unknown")[:64]
        with self.engine.connect() as conn:
            from_address = conn.execute(
                select(func.count()).select_from(sign_in_failures).where(
                    sign_in_failures.c.address == address, sign_in_failures.c.failed_at > _naive(now - address_window),
                )
            ).scalar_one()
            if from_address >= attempts_per_address:
                return SignIn(None, "throttled")
            locked_until = self._locked_until(conn, name, address, now)
            if locked_until is not None:
                return SignIn(None, "locked", locked_until)
            row = conn.execute(select(users).where(users.c.username == name)).first()
        if row is None:
            with contextlib.suppress(VerificationError):
                self.hasher.verify(self._dummy_hash, password)
            return self._failed(name, address, now)
        try:
            self.hasher.verify(row.password_hash, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return self._failed(name, address, now)
        user = _user(row)
        if not user.active:
            return SignIn(None, "inactive")
        values: dict[str, Any] = {"failed_logins": 0, "locked_until": None, "last_login_at": _naive(now)}
        if self.hasher.check_needs_rehash(row.password_hash):
            values["password_hash"] = self.hasher.hash(password)
        with self.engine.begin() as conn:
            conn.execute(update(users).where(users.c.id == user.id).values(**values))
            conn.execute(delete(sign_in_failures).where(sign_in_failures.c.username == name, sign_in_failures.c.address == address))
        return SignIn(self.get(user.id))

    @staticmethod
    def _locked_until(conn: Any, name: str, address: str, now: datetime) -> datetime | None:
        recent = conn.execute(
            select(sign_in_failures.c.failed_at).where(
                sign_in_failures.c.username == name, sign_in_failures.c.address == address,
                sign_in_failures.c.failed_at > _naive(now - LOCKOUT),
            ).order_by(sign_in_failures.c.failed_at.desc()).limit(MAX_FAILED_LOGINS)
        ).scalars().all()
        if len(recent) < MAX_FAILED_LOGINS:
            return None
        return _utc(recent[0]) + LOCKOUT if recent[0] is not None else None  # the latest failure starts the lock

    def _failed(self, name: str, address: str, now: datetime) -> SignIn:
        with self.engine.begin() as conn:
            conn.execute(insert(sign_in_failures).values(address=address, username=name, failed_at=_naive(now)))
            # Old rows only slow the counts down: drop what no window looks at any more.
            conn.execute(delete(sign_in_failures).where(sign_in_failures.c.failed_at < _naive(now - 2 * LOCKOUT)))
            locked_until = self._locked_until(conn, name, address, now)
        if locked_until is not None:
            return SignIn(None, "locked", locked_until)
        return SignIn(None, "bad_credentials")

    # --- server-side sessions ---------------------------------------------------------------------

    def open_session(self, user_id: int, lifetime: timedelta, now: datetime | None = None) -> str:
        """A new session id for a signed-in browser; valid until signed out or ``lifetime`` passes."""
        import secrets

        now = now or _now()
        sid = secrets.token_urlsafe(32)
        with self.engine.begin() as conn:
            conn.execute(insert(web_sessions).values(sid=sid, user_id=user_id, created_at=_naive(now), expires_at=_naive(now + lifetime)))
            conn.execute(delete(web_sessions).where(web_sessions.c.expires_at < _naive(now)))
        return sid

    def session_is_open(self, sid: str, user_id: int, now: datetime | None = None) -> bool:
        with self.engine.connect() as conn:
            found = conn.execute(
                select(web_sessions.c.sid).where(
                    web_sessions.c.sid == sid, web_sessions.c.user_id == user_id,
                    web_sessions.c.expires_at > _naive(now or _now()),
                )
            ).first()
        return found is not None

    def close_session(self, sid: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(delete(web_sessions).where(web_sessions.c.sid == sid))

    # --- the sealed-case view log (R11) --------------------------------------------------------

    def record_sealed_view(self, docket_number: str, *, username: str, role: str, court: str | None, page: str, remote_addr: str | None, at: datetime | None = None) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                insert(sealed_case_views).values(
                    docket_number=docket_number, viewed_at=_naive(at or _now()), username=username, role=role,
                    court=court, page=page[:64], remote_addr=(remote_addr or None) and remote_addr[:64],
                )
            )

    def sealed_views(self, docket_number: str, limit: int = 200) -> Sequence[SealedView]:
        query = (
            select(sealed_case_views)
            .where(sealed_case_views.c.docket_number == docket_number)
            .order_by(sealed_case_views.c.viewed_at.desc(), sealed_case_views.c.id.desc())
            .limit(limit)
        )
        with self.engine.connect() as conn:
            return [
                SealedView(
                    docket_number=row.docket_number, viewed_at=_utc(row.viewed_at) or _now(), username=row.username,
                    role=row.role, court=row.court, page=row.page, remote_addr=row.remote_addr,
                )
                for row in conn.execute(query)
            ]
