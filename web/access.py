"""Who is signed in, what their role lets them open, and which cases they may see (R11).

Three answers, in this order: not signed in -> the sign-in page; signed in with a
role the page is not for -> 403; a sealed case the user may not see -> 404, the
same answer as for a docket number that does not exist, so nothing hints that it
does. Every page view of a sealed case by someone allowed to see it is recorded.
"""

from __future__ import annotations

from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar

from flask import abort, session
from flask_login import current_user, login_required

from domain.errors import NotFound
from domain.rules import may_see_sealed_case
from domain.vocabulary import Actor, actor_for
from projections.queries import Viewer
from web.services import services

if TYPE_CHECKING:
    from collections.abc import Callable

    from domain.case import Case
    from web.accounts import User

F = TypeVar("F", bound="Callable[..., Any]")


class WebUser:
    """The signed-in account, as Flask-Login wants it."""

    is_authenticated = True
    is_active = True
    is_anonymous = False

    def __init__(self, account: User) -> None:
        self.account = account

    def get_id(self) -> str:
        # The epoch changes when the password, role, court or activity changes: old sessions end.
        return f"{self.account.id}:{self.account.session_epoch}"

    def __getattr__(self, name: str) -> Any:
        return getattr(self.account, name)


def load_user(user_id: str) -> WebUser | None:
    ident, _, epoch = user_id.partition(":")
    if not ident.isdigit() or not epoch.isdigit():
        return None
    try:
        account = services().accounts.get(int(ident))
    except NotFound:
        return None
    if not account.active or account.session_epoch != int(epoch):
        return None
    # Signed out on the server (or never signed in through the form): the cookie alone is not enough.
    sid = session.get("_sid")
    if not isinstance(sid, str) or not services().accounts.session_is_open(sid, account.id):
        return None
    return WebUser(account)


def roles_required(*roles: str) -> Callable[[F], F]:
    """Signed in (else to the sign-in page) with one of ``roles`` (else 403)."""

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        guarded: F = login_required(wrapped)
        return guarded

    return decorate


STAFF = ("clerk", "judge", "analyst", "admin")
DOCKETING = ("clerk", "admin")
CASE_WORK = ("clerk", "judge", "admin")


def actor() -> Actor:
    """The signed-in user as the docket's services see them: role, court and judge (R14, R11), and the
    form's idempotency key, so that a resubmission finds this write."""
    from web.idempotency import request_key

    who = actor_for(current_user.username, current_user.role, current_user.court, current_user.judge_id)
    key = request_key()
    if key:
        who["request"] = key
    return who


def may_see(court: str, judge_id: str | None, sealed: bool) -> bool:
    if not sealed:
        return True
    if not current_user.is_authenticated:
        return False
    return may_see_sealed_case(court, judge_id, current_user.role, current_user.court, current_user.judge_id)


def viewer() -> Viewer:
    """The signed-in user as the read models' queries filter for them (R11)."""
    return Viewer(role=current_user.role, court=current_user.court, judge_id=current_user.judge_id)


def visible_case(docket_number: str, page: str) -> Case:
    """The case now, if this user may see it (else 404); a view of a sealed case is recorded."""
    try:
        # R11 is the docket's: a sealed case this user may not see is not found, a seen one is recorded.
        return services().docket.read_case(docket_number, actor(), page)
    except NotFound:
        abort(404)


def is_assigned_judge(case: Case) -> bool:
    return bool(current_user.role == "judge" and current_user.judge_id and current_user.judge_id == case.judge_id)
