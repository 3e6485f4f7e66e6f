"""flask-smorest, fitted to this API: errors are problem details, documented as such.

``MedcourtApi`` documents every error response (the lazily registered ones per status,
and each operation's ``default``) as ``application/problem+json`` with ``ProblemSchema``,
and leaves the site's own error pages alone: instead of flask-smorest's app-wide
``HTTPException`` handler, ``problems.install`` answers errors of the API only.
"""

from __future__ import annotations

import http
import json
from collections.abc import Callable
from typing import Any

import flask
import flask_smorest
from flask_smorest.utils import prepare_response
from webargs.flaskparser import FlaskParser, is_json_request

from web.api.auth import authenticate
from web.api.problems import MEDIA_TYPE, TYPES, attach
from web.api.schemas import ProblemSchema
from web.idempotency import claim_for_api

DESCRIPTIONS = {status: title for status, title, _description in TYPES.values()}


def strict_json(document: str | bytes) -> Any:
    """``json.loads`` that fails only with ``JSONDecodeError`` (a 400 problem), never a server error:
    also on nesting too deep for the parser (``[[[...]]]`` 100,000 deep), on integers of more digits than
    Python converts (a 5,000-digit number), and on strings with a lone surrogate (``"\\ud800"``), which
    no database and no UTF-8 encoder accepts."""
    text = document.decode("utf-8") if isinstance(document, bytes) else document
    try:
        loaded = json.loads(text)
    except RecursionError:
        raise json.JSONDecodeError("JSON nested too deeply", text[:100], 0) from None
    except json.JSONDecodeError:
        raise
    except ValueError as error:
        raise json.JSONDecodeError(str(error).split(":")[0], text[:100], 0) from None
    pending = [loaded]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            _encodable(item)
        elif isinstance(item, dict):
            for key, value in item.items():
                _encodable(key)
                pending.append(value)
        elif isinstance(item, list):
            pending.extend(item)
    return loaded


def _encodable(text: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise json.JSONDecodeError("A string holds a lone surrogate (not a character)", text[:100], 0) from None


class StrictParser(FlaskParser):  # type: ignore[misc]
    def _raw_load_json(self, req: flask.Request) -> Any:
        if not is_json_request(req):
            from webargs import core

            return core.missing
        try:
            return strict_json(req.get_data(cache=True))
        except UnicodeDecodeError as error:
            raise json.JSONDecodeError(f"Bytes decoding error : {error.reason}", "", error.start) from None


class MedcourtApi(flask_smorest.Api):  # type: ignore[misc]
    ERROR_SCHEMA = ProblemSchema

    def _register_error_handlers(self) -> None:
        """Nothing app-wide: ``problems.install`` handles the API's errors."""

    def _register_responses(self) -> None:
        for status in http.HTTPStatus:
            response: dict[str, Any] = {"description": status.phrase}
            if not (100 <= status < 200) and status not in (204, 304):
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(response, self.spec, MEDIA_TYPE)
            self.spec.components.response(status.name, response, lazy=True)
        default: dict[str, Any] = {"description": "An error, as problem details (RFC 7807)", "schema": self.ERROR_SCHEMA}
        prepare_response(default, self.spec, MEDIA_TYPE)
        self.spec.components.response("DEFAULT_ERROR", default, lazy=True)


class ApiBlueprint(flask_smorest.Blueprint):  # type: ignore[misc]
    """An API blueprint: every request needs a token (``auth.authenticate``), every error is problem details."""

    ARGUMENTS_PARSER = StrictParser()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.before_request(authenticate)
        self.before_request(claim_for_api)  # after the token: keys are per user
        attach(self)

    def problems(self, *codes: int) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        """Document the problem responses an operation may give."""

        def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
            for code in codes:
                description = DESCRIPTIONS.get(code) or http.HTTPStatus(code).phrase
                view = self.alt_response(code, schema=ProblemSchema, content_type=MEDIA_TYPE, description=description)(view)
            return view

        return decorate
