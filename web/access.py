"""Who is calling, what their role lets them open, and which cases they may see (R11), for both ways in.

A page's caller is the signed-in user; an API request's caller is its token's user
(``web.api.auth`` puts it in ``g.api_user``). Either way the same ``Caller`` gives the
docket's services their ``Actor`` and the read models their ``Viewer``, and ``visible_case``
reads a case for them the same way.

Three answers, in this order: not signed in -> the sign-in page (the API: 401); signed in
with a role the page is not for -> 403; a sealed case the user may not see -> 404, the
same answer as for a docket number that does not exist, so nothing hints that it
does. Every view of a sealed case by someone allowed to see it is recorded.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar

from flask import abort, g, session
from flask_login import current_user, login_required

from domain.errors import NotFound
from domain.vocabulary import Actor, actor_for
from projections.queries import Viewer
from web.api.problems import Problem
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


# Who may open what, for pages and API endpoints alike (what each may *do* is domain.permissions').
STAFF = ("clerk", "judge", "analyst", "admin")
DOCKETING = ("clerk", "admin")
CASE_WORK = ("clerk", "judge", "admin")
ANALYSTS = ("analyst", "admin")


@dataclass(frozen=True)
class Caller:
    """Who makes this request: a signed-in user, or an API token's user (``token_id``), with the
    user's role, court and judge link as they are now."""

    username: str
    role: str
    court: str | None
    judge_id: str | None
    token_id: int | None = None

    @property
    def api(self) -> bool:
        return self.token_id is not None

    @property
    def actor(self) -> Actor:
        """The caller as the docket's services see them: role, court and judge (R14, R11), and the
        request's idempotency key (a form's field or the API's header), so that a retry finds this write."""
        from web.idempotency import request_key

        who = actor_for(self.username, self.role, self.court, self.judge_id)
        key = request_key()
        if key:
            who["request"] = key
        return who

    @property
    def viewer(self) -> Viewer:
        """The caller as the read models' queries filter for them (R11)."""
        return Viewer(role=self.role, court=self.court, judge_id=self.judge_id)

    def is_assigned_judge(self, case: Case) -> bool:
        return bool(self.role == "judge" and self.judge_id and self.judge_id == case.judge_id)


def caller() -> Caller:
    """This request's caller: the API token's user, else the signed-in user."""
    found = g.get("api_user")
    if isinstance(found, Caller):
        return found
    return Caller(username=current_user.username, role=current_user.role, court=current_user.court, judge_id=current_user.judge_id)


def actor() -> Actor:
    return caller().actor


def viewer() -> Viewer:
    return caller().viewer


def visible_case(docket_number: str, page: str) -> Case:
    """The case now, if the caller may see it (else 404, as for no such case); a view of a sealed
    case is recorded (R11: the docket decides both), with the page or ``api:`` endpoint it was seen on."""
    who = caller()
    try:
        return services().docket.read_case(docket_number, who.actor, f"api:{page}"[:64] if who.api else page)
    except NotFound:
        if who.api:
            raise Problem("not-found", f"No case {docket_number.strip().upper()[:40]} is on the docket", "docket_number") from None
        abort(404)


def is_assigned_judge(case: Case) -> bool:
    return caller().is_assigned_judge(case)
