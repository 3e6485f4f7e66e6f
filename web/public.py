"""The public docket: unsealed cases only, parties pseudonymized, no documents, no summaries.

Patients are never named: people appear by role and a short code stable within the
case (``projections.queries.pseudonym``); organizations, being legal persons, by name.
Summaries and minutes are left out, since free text may name the patient. A sealed
case is 404, as if it did not exist.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template, request

from domain.errors import NotFound
from domain.views import CaseView
from domain.vocabulary import COURTS, TRACKS
from projections import queries
from web import schemas
from web.services import services

bp = Blueprint("public", __name__, url_prefix="/public")


@bp.get("")
def index() -> str:
    args = request.args
    court = args.get("court", "") if args.get("court", "") in COURTS else ""
    track = args.get("track", "") if args.get("track", "") in TRACKS else ""
    page_number = schemas.parse_page_arg(args.get("page"))
    with services().read() as conn:
        page = queries.public_docket(
            conn, court=court or None, track=track or None, text=args.get("q", "")[:100], page=page_number, per_page=current_app.config["PER_PAGE"],
        )
    return render_template("public/index.html", page=page, q=args.get("q", ""), court=court, track=track)


@bp.get("/<docket_number>")
def case(docket_number: str) -> str:
    try:
        found = services().docket.case(docket_number)
    except NotFound:
        abort(404)
    if found.sealed:
        abort(404)
    with services().read() as conn:
        listed = queries.public_docket(conn, text=found.docket_number, per_page=10).items
    entry = next((item for item in listed if item["docket_number"] == found.docket_number), None)
    parties = entry["parties"] if entry else []
    shown = CaseView.of(found)
    hearings = sorted(shown.hearings, key=lambda h: h.starts_at)
    return render_template("public/case.html", case=shown, parties=parties, hearings=hearings)
