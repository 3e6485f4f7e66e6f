"""The analysts' pages (``/analytics``, analyst and administrator roles) and the public statistics page
(``/public/statistics``, anyone), each view downloadable as CSV and JSON with the same figures.

Views are thin: parse the query (``measures.parse``), run it (``measures.run``, i.e. the
functions of ``projections.statistics``), render or serialize. Public views always ask for
suppressed figures (counts 1-4 as ``<5``); analysts see exact ones.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from flask import Blueprint, Response, abort, render_template, request, url_for
from flask_babel import gettext as _

from domain import clock
from domain.vocabulary import COURTS, SPECIALTIES, TRACKS
from projections import queries
from projections import statistics as stats
from web.access import roles_required
from web.analytics import cache, charts, definitions, sections
from web.analytics.charts import Series
from web.analytics.measures import BREAKDOWNS_OF, MEASURE_NAMES, NO_BREAKDOWN, QueryError, StatsQuery, parse, previous_year, validate
from web.analytics.tables import figure_label, flat_fields, group_label, group_table, value_at
from web.i18n import label
from web.services import services

bp = Blueprint("analytics", __name__, url_prefix="/analytics", template_folder="templates", static_folder="static")
public_bp = Blueprint("public_statistics", __name__, url_prefix="/public/statistics", template_folder="templates")

ANALYSTS = ("analyst", "admin")
PUBLIC_MEASURES = stats.PUBLIC_MEASURE_NAMES
PUBLIC_BREAKDOWNS = tuple(b for b in ("track", "court", "specialty", "finding", "year") if b not in stats.PUBLIC_BREAKDOWNS_EXCLUDED)


def measure_title(measure: str) -> str:
    """A measure's title in the reader's language, as the statistics registry declares it."""
    return str(_(stats.REGISTRY[measure].title))


def breakdown_choices(allowed: tuple[str, ...]) -> list[tuple[str, str]]:
    names = {
        "track": _("Track"), "court": _("Court"), "specialty": _("Medical specialty"), "judge": _("Judge"), "finding": _("Finding"),
        "year": _("Year"), "month": _("Month"), "expert": _("Expert"), "mediator": _("Mediator"),
    }
    return [(NO_BREAKDOWN, _("No breakdown")), *((name, names[name]) for name in allowed)]


def _judges() -> list[dict[str, Any]]:
    with services().read() as conn:
        return queries.judge_choices(conn)


def _form_context(query: StatsQuery | None, args: Any, *, public: bool, allowed_by: tuple[str, ...], judges: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "args": args,
        "query": query,
        "public": public,
        "courts": [(code, label("court", code)) for code in COURTS],
        "tracks": [(track, label("track", track)) for track in TRACKS],
        "specialties": [(s, label("specialty", s)) for s in SPECIALTIES],
        "judges": [(j["judge_id"], f"{j['name']} ({j['court']})") for j in judges],
        "breakdowns": breakdown_choices(allowed_by),
    }


def _known_judges(judges: list[dict[str, Any]]) -> Callable[[], set[str]]:
    return lambda: {j["judge_id"] for j in judges}


# --- analysts ---------------------------------------------------------------------------------------------------


@bp.get("")
@roles_required(*ANALYSTS)
def dashboard() -> Any:
    """The analysts' page, one tab at a time (``section``: the overview unless another is asked for)."""
    tab = request.args.get("section") or sections.OVERVIEW
    if tab not in sections.TABS:
        abort(404)
    notes: list[str] = []
    # One connection for the judges (the form's choice) and every section of the tab.
    with services().read() as conn:
        judges = queries.judge_choices(conn)
        try:
            query = parse(request.args, "outcomes", today=clock.today(), default_by="track")
            validate(query, _known_judges(judges))
        except QueryError as error:
            context = _form_context(None, request.args, public=False, allowed_by=stats.BREAKDOWNS, judges=judges)
            return render_template("analytics/dashboard.html", error=error, sections=[], notes=notes, tabs=[], tab=tab, **context), 400
        built = [cache.section(build, conn, query) for build in sections.TABS[tab]]
    context = _form_context(query, request.args, public=False, allowed_by=stats.BREAKDOWNS, judges=judges)
    return render_template("analytics/dashboard.html", error=None, sections=built, notes=notes, measures=MEASURE_NAMES, tabs=_tabs(query, tab),
                           tab=tab, **context)


def _tabs(query: StatsQuery, current: str) -> list[dict[str, Any]]:
    """Links to every tab of the analysts' page, for the same period, breakdown and filters."""
    params: dict[str, Any] = query.params()
    return [{"id": tab, "title": sections.tab_title(tab), "current": tab == current, "url": url_for("analytics.dashboard", section=tab, **params)}
            for tab in sections.TABS]


def measure_page(measure: str, *, public: bool) -> Any:
    if measure not in MEASURE_NAMES or (public and measure not in PUBLIC_MEASURES):
        abort(404)
    judges = [] if public else _judges()
    allowed = tuple(b for b in BREAKDOWNS_OF[measure] if not public or b in PUBLIC_BREAKDOWNS)
    try:
        query = _public_query(request.args, measure) if public else parse(request.args, measure, today=clock.today())
        validate(query, _known_judges(judges))
    except QueryError as error:
        context = _form_context(None, request.args, public=public, allowed_by=allowed, judges=judges)
        return render_template("analytics/measure.html", measure=measure, title=measure_title(measure), error=error, section=None, **context), 400
    with services().read() as conn:
        result = cache.run(conn, query)
    headline = stats.REGISTRY[measure].headline
    title = f"{figure_label(headline)} — {measure_title(measure)}"
    rate = headline.endswith("_rate")
    section = sections.Section(measure, measure_title(measure), "", query, result)
    section.charts.append(charts.hbar_chart(
        [group_label(g, result.get("by")) for g in result["groups"]], [Series(figure_label(headline), [value_at(g, headline) for g in result["groups"]])],
        title=title, unit=" %" if rate else "", percent=rate, public=public, chart_id=f"chart-{measure}",
        desc=title + ". " + "; ".join(f"{group_label(g, result.get('by'))}: {charts.shown(value_at(g, headline))}" for g in result["groups"][:24]),
    ))
    section.tables.append(group_table(result, flat_fields(result), caption=measure_title(measure), key_label=_("Group")))
    context = _form_context(query, request.args, public=public, allowed_by=allowed, judges=judges)
    return render_template("analytics/measure.html", measure=measure, title=measure_title(measure), error=None, section=section, **context)


def download(measure: str, fmt: str, *, public: bool) -> Response:
    if measure not in MEASURE_NAMES or (public and measure not in PUBLIC_MEASURES):
        abort(404)
    try:
        query = _public_query(request.args, measure) if public else parse(request.args, measure, today=clock.today())
        validate(query, None if public else _known_judges(_judges()))
    except QueryError as error:
        body = json.dumps({"title": "The statistics query is not valid", "status": 400, "detail": str(error), "field": error.field})
        return Response(body, status=400, mimetype="application/problem+json")
    with services().read() as conn:
        result = cache.run(conn, query)
    name = f"medcourt-{'public-' if public else ''}{measure}-{query.start.isoformat()}-{query.end.isoformat()}"
    if fmt == "csv":
        response = Response(stats.to_csv(result), mimetype="text/csv")
    elif fmt == "xlsx":
        response = Response(stats.to_xlsx(result), mimetype=stats.XLSX_MEDIA_TYPE)
    else:
        response = Response(json.dumps(result, ensure_ascii=False, indent=2) + "\n", mimetype="application/json")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@bp.get("/<measure>")
@roles_required(*ANALYSTS)
def measure(measure: str) -> Any:
    return measure_page(measure, public=False)


@bp.get("/<measure>.csv")
@roles_required(*ANALYSTS)
def measure_csv(measure: str) -> Response:
    return download(measure, "csv", public=False)


@bp.get("/<measure>.json")
@roles_required(*ANALYSTS)
def measure_json(measure: str) -> Response:
    return download(measure, "json", public=False)


@bp.get("/<measure>.xlsx")
@roles_required(*ANALYSTS)
def measure_xlsx(measure: str) -> Response:
    return download(measure, "xlsx", public=False)


# --- the public -----------------------------------------------------------------------------------------------------


def _public_query(args: Any, measure: str) -> StatsQuery:
    """Public queries: suppressed figures, no judges, the previous calendar year unless a period is given."""
    for name in ("judge",):
        if args.get(name):
            raise QueryError(f"Public statistics are not broken down or filtered by {name}", name)
    if args.get("by") and args.get("by") not in (*PUBLIC_BREAKDOWNS, NO_BREAKDOWN):
        raise QueryError(f"Public statistics are not broken down by {args.get('by')}", "by")
    values = dict(args)
    if not values.get("from") and not values.get("to"):
        start, end = previous_year(clock.today())
        values.update({"from": start.isoformat(), "to": end.isoformat()})
    return parse(values, measure, today=clock.today(), public=True, default_by="track" if measure != "pending" else None)


@public_bp.get("")
def public_index() -> Any:
    notes: list[str] = []
    allowed = tuple(b for b in stats.BREAKDOWNS if b in PUBLIC_BREAKDOWNS)
    try:
        query = _public_query(request.args, "outcomes")
        validate(query)
    except QueryError as error:
        context = _form_context(None, request.args, public=True, allowed_by=allowed, judges=[])
        return render_template("analytics/public.html", error=error, sections=[], notes=notes, **context), 400
    with services().read() as conn:
        built = [cache.section(build, conn, query) for build in sections.PUBLIC]
    context = _form_context(query, request.args, public=True, allowed_by=allowed, judges=[])
    return render_template("analytics/public.html", error=None, sections=built, notes=notes, **context)


@public_bp.get("/methodology")
def methodology() -> Any:
    """What every figure means (kk, ru, en), for analysts and the public alike; each chart and table links here."""
    return render_template("analytics/methodology.html", measures=definitions.MEASURES, general=definitions.general(),
                           definition=definitions.definition, figures=definitions.measure_figures, measure_title=measure_title)


@public_bp.get("/<measure>")
def public_measure(measure: str) -> Any:
    return measure_page(measure, public=True)


@public_bp.get("/<measure>.csv")
def public_csv(measure: str) -> Response:
    return download(measure, "csv", public=True)


@public_bp.get("/<measure>.json")
def public_json(measure: str) -> Response:
    return download(measure, "json", public=True)


@public_bp.get("/<measure>.xlsx")
def public_xlsx(measure: str) -> Response:
    return download(measure, "xlsx", public=True)


def download_url(section: sections.Section, fmt: str) -> str:
    """Where a section's figures download (its own query, exactly)."""
    endpoint = "public_statistics.public_" if section.query.public else "analytics.measure_"
    params: dict[str, Any] = {"measure": section.query.measure, **section.query.params()}
    return url_for(f"{endpoint}{fmt}", **params)


def measure_url(section: sections.Section) -> str:
    endpoint = "public_statistics.public_measure" if section.query.public else "analytics.measure"
    params: dict[str, Any] = {"measure": section.query.measure, **section.query.params()}
    return url_for(endpoint, **params)
