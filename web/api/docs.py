"""``/api/docs``: the OpenAPI document, browsable (Swagger UI, vendored under ``static/vendor``, no CDN);
``/api/problems/<type>``: what each kind of problem means."""

from __future__ import annotations

from flask import Blueprint, Response, abort, jsonify, render_template

from web.api.problems import TYPES

bp = Blueprint("api_pages", __name__, url_prefix="/api", template_folder="templates", static_folder="static", static_url_path="/static")

# Swagger UI sets styles from script; everything else stays as strict as the rest of the site.
DOCS_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'"
)


@bp.get("/docs")
def docs() -> Response:
    response = Response(render_template("api/docs.html"))
    response.headers["Content-Security-Policy"] = DOCS_POLICY
    return response


@bp.get("/problems/<kind>")
def problem_type(kind: str) -> Response:
    if kind not in TYPES:
        abort(404)
    status, title, description = TYPES[kind]
    return jsonify(type=f"/api/problems/{kind}", title=title, status=status, description=description)
