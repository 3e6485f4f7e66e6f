"""``/api/statistics``: the measures of DOMAIN.md section 4, as JSON or CSV.

The same query as the analytics pages and their downloads (``web.analytics.measures``),
so the same numbers, and the same document as ``medcourt stats <measure> --format json``
with the same period, ``--by`` and filters (``--court``, ``--track``, ``--specialty``, ``--judge``).
"""

from __future__ import annotations

from typing import Any

from flask import Response
from marshmallow import RAISE

from domain import clock
from projections import queries
from projections import statistics as stats
from web.access import ANALYSTS
from web.analytics import cache
from web.analytics.measures import MEASURE_NAMES, QueryError, StatsArgs, StatsQuery, query_from, validate
from web.api import schemas as s
from web.api.auth import roles
from web.api.problems import Problem
from web.api.smorest import ApiBlueprint
from web.services import services

blp = ApiBlueprint("statistics", __name__, url_prefix="/api/statistics", description=(
    "Outcome statistics (DOMAIN.md section 4): outcomes, pending, funnel, experts, hearings, mediation, compensation, appeals. "
    "Analysts and administrators see exact figures, sealed cases included."
))

class ApiStatsArgs(StatsArgs):
    """The statistics query of the pages, strict: an empty parameter is an error, not an absent one."""

    blanks_are_absent = False


MEASURE_PATH = "/<any({}):measure>".format(", ".join(MEASURE_NAMES))


def _query(args: dict[str, Any], measure: str) -> StatsQuery:
    query = query_from(args, measure, today=clock.today())
    try:
        with services().read() as conn:
            judges = {j["judge_id"] for j in queries.list_judges(conn)}
        return validate(query, lambda: judges)
    except QueryError as error:
        raise Problem("validation", str(error), error.field, errors={error.field: [str(error)]}) from None


def _result(args: dict[str, Any], measure: str) -> dict[str, Any]:
    query = _query(args, measure)
    with services().read() as conn:
        return cache.run(conn, query)


@blp.get(MEASURE_PATH)
@blp.arguments(ApiStatsArgs, location="query", unknown=RAISE)
@blp.response(200, s.StatsResultSchema)
@blp.problems(401, 403, 422)
@roles(*ANALYSTS)
def measure(args: dict[str, Any], measure: str) -> dict[str, Any]:
    """A measure's figures for a period, broken down and filtered

    Without `from` and `to`: the last twelve months. The filters (court, track, specialty,
    judge) combine with each other and with any breakdown of the measure: `court=ALA&track=civil&by=month`.
    A judge filter counts rulings for the judge who gave them, examinations for the judge who
    ordered them, hearings for the judge they were booked for, everything else for the case's
    current judge."""
    return _result(args, measure)


@blp.get(MEASURE_PATH + ".csv")
@blp.arguments(ApiStatsArgs, location="query", unknown=RAISE)
@blp.response(200, content_type="text/csv", description="One row per group; nested figures as `findings_malpractice`...")
@blp.problems(401, 403, 422)
@roles(*ANALYSTS)
def measure_csv(args: dict[str, Any], measure: str) -> Response:
    """The same figures as CSV (as `medcourt stats ... --format csv`)"""
    return Response(stats.to_csv(_result(args, measure)), mimetype="text/csv")


@blp.get(MEASURE_PATH + ".xlsx")
@blp.arguments(ApiStatsArgs, location="query", unknown=RAISE)
@blp.response(200, content_type=stats.XLSX_MEDIA_TYPE, description="The CSV table as an Excel workbook, with a sheet naming the query.")
@blp.problems(401, 403, 422)
@roles(*ANALYSTS)
def measure_xlsx(args: dict[str, Any], measure: str) -> Response:
    """The same figures as an Excel workbook (XLSX)"""
    return Response(stats.to_xlsx(_result(args, measure)), mimetype=stats.XLSX_MEDIA_TYPE)
