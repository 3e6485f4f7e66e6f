"""``/api/calendar`` and ``/api/registry``: the court calendar and the registries a client needs ids from."""

from __future__ import annotations

from typing import Any

from marshmallow import RAISE

from domain import clock
from projections import queries
from web.access import CASE_WORK, STAFF
from web.api import schemas as s
from web.api.auth import current, roles
from web.api.problems import Problem
from web.api.smorest import ApiBlueprint
from web.services import services

calendar_blp = ApiBlueprint("calendar", __name__, url_prefix="/api/calendar", description="The court calendar: hearings by day or week.")
registry_blp = ApiBlueprint("registry", __name__, url_prefix="/api/registry", description="Judges, experts and mediators (read only).")


@calendar_blp.get("")
@calendar_blp.arguments(s.CalendarArgs, location="query", unknown=RAISE)
@calendar_blp.response(200, s.CalendarSchema)
@calendar_blp.problems(401, 403, 422)
@roles(*CASE_WORK)
def calendar(args: dict[str, Any]) -> dict[str, Any]:
    """A court's hearings on a day, or in the Monday-to-Sunday week holding it

    Hearings of sealed cases the user may not see are left out (R11), as on the site."""
    user = current()
    court = args.get("court") or user.court
    if not court:
        raise Problem("validation", "Name the court: this user belongs to none", "court", errors={"court": ["Missing data for required field."]})
    with services().read() as conn:
        found = queries.court_calendar(conn, court, args.get("day") or clock.today(), span=args["span"], include_cancelled=args["include_cancelled"])
        shown = {dn: queries.get_case(conn, dn, user.viewer) is not None for dn in {h["docket_number"] for h in found["hearings"]}}
    found["hearings"] = [h for h in found["hearings"] if shown[h["docket_number"]]]
    return found


@registry_blp.get("/judges")
@registry_blp.arguments(s.RegistryArgs, location="query", unknown=RAISE)
@registry_blp.response(200, s.JudgeSchema(many=True))
@registry_blp.problems(401, 403, 422)
@roles(*STAFF)
def judges(args: dict[str, Any]) -> list[dict[str, Any]]:
    """Judges (of a court), with their certifications and open caseload"""
    with services().read() as conn:
        return queries.list_judges(conn, court=args.get("court"))


@registry_blp.get("/experts")
@registry_blp.arguments(s.ExpertArgs, location="query", unknown=RAISE)
@registry_blp.response(200, s.ExpertSchema(many=True))
@registry_blp.problems(401, 403, 422)
@roles(*STAFF)
def experts(args: dict[str, Any]) -> list[dict[str, Any]]:
    """Experts (of a specialty), with their declared affiliations"""
    with services().read() as conn:
        return queries.list_experts(conn, specialty=args.get("specialty"))


@registry_blp.get("/mediators")
@registry_blp.arguments(s.RegistryArgs, location="query", unknown=RAISE)
@registry_blp.response(200, s.MediatorSchema(many=True))
@registry_blp.problems(401, 403, 422)
@roles(*STAFF)
def mediators(args: dict[str, Any]) -> list[dict[str, Any]]:
    """Mediators (of a court)"""
    with services().read() as conn:
        return queries.list_mediators(conn, court=args.get("court"))
