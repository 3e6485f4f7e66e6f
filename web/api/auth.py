"""Who is calling: ``Authorization: Bearer <token>`` on every API request, and what their role allows.

The API accepts tokens only, never the site's session cookie: a page on another site can
make a browser send cookies but not an ``Authorization`` header, so the API needs no CSRF
token (its blueprints are exempt) while every form of the site keeps one.

A token acts as its user with the user's role, court and judge link as they are at the
time of the request: the same ``Viewer`` (R11) and the same ``Actor`` as the user's own
sessions, so the API refuses exactly what the UI refuses.
"""

from __future__ import annotations

from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar

from flask import current_app, g, request

from web.access import Caller
from web.api.problems import Problem

if TYPE_CHECKING:
    from collections.abc import Callable

    from web.api.tokens import TokenStore

F = TypeVar("F", bound="Callable[..., Any]")

REALM = 'Bearer realm="medcourt"'


def tokens() -> TokenStore:
    store: TokenStore = current_app.extensions["medcourt_api_tokens"]
    return store


def authenticate() -> None:
    """``before_request`` of every API blueprint: the token's user in ``g.api_user``, else 401."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Problem("unauthorized", "This API needs a token: send 'Authorization: Bearer <token>'", headers={"WWW-Authenticate": REALM})
    found = tokens().authenticate(token.strip())
    if found is None:
        raise Problem(
            "unauthorized", "The token is not valid: unknown, revoked or expired, or its user is disabled",
            headers={"WWW-Authenticate": f'{REALM}, error="invalid_token"'},
        )
    record, user = found
    g.api_user = Caller(username=user.username, role=user.role, court=user.court, judge_id=user.judge_id, token_id=record.id)


def current() -> Caller:
    user: Caller = g.api_user
    return user


def roles(*allowed: str) -> Callable[[F], F]:
    """The endpoint is for these roles only (403 otherwise), as the matching pages of the site are."""

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            user = current()
            if user.role not in allowed:
                raise Problem("permission-denied", f"A user acting as {user.role} may not use this endpoint (allowed: {', '.join(allowed)})")
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorate
