"""The analytics dashboard, section by section: which query each answers, its charts and its table.

Every section is one ``StatsQuery`` (downloadable as CSV and JSON with exactly the figures
shown) and one or more charts drawn from that query's result.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import Connection

from domain.vocabulary import COMPENSATION_HEADS, FINDINGS
from projections import statistics as stats
from projections.statistics.registry import N_
from web.analytics import cache, charts
from web.analytics.charts import Chart, Series
from web.analytics.measures import StatsQuery, time_unit, validate
from web.analytics.tables import Table, figure_label, figure_table, group_label, group_table, value_at
from web.i18n import label


@dataclass
class Section:
    id: str
    title: str
    intro: str
    query: StatsQuery
    result: dict[str, Any]
    charts: list[Chart] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    note: str | None = None


def _categories(result: dict[str, Any]) -> list[str]:
    return [group_label(group, result.get("by")) for group in result["groups"]]


def _column(result: dict[str, Any], path: str) -> list[Any]:
    return [value_at(group, path) for group in result["groups"]]


# Message ids (marked for the catalogs with ``N_``), translated one at a time where shown: a
# chart title needs one of them, and translating the whole table per call cost tens of gettext
# calls per section.
BY_TEXT: dict[str | None, str] = {
    None: N_("overall"), "track": N_("by track"), "court": N_("by court"), "specialty": N_("by medical specialty"),
    "judge": N_("by judge"), "finding": N_("by finding"), "year": N_("by year"), "month": N_("by month"),
    "expert": N_("by expert"), "mediator": N_("by mediator"),
}


def _by_text(by: str | None) -> str:
    return str(_(BY_TEXT[by])) if by in BY_TEXT else str(by or "")


def _money_number(value: Any) -> Any:
    """Money figures are decimal strings; charts draw them in millions of tenge."""
    if isinstance(value, str) and value not in (stats.SMALL, stats.SUPPRESSED):
        return float(Decimal(value) / Decimal(1_000_000))
    return value


def _scope(query: StatsQuery) -> str:
    """The period and filters, in words, for a chart's description."""
    text = str(_("from %(start)s to %(end)s", start=query.start.isoformat(), end=query.end.isoformat()))
    names = {"court": _("court"), "track": _("track"), "specialty": _("medical specialty"), "judge": _("judge")}
    for name, value in query.chosen.as_dict().items():
        text += f", {names[name]}: {label(name, value) if name != 'judge' else value}"
    return text


def _described(result: dict[str, Any], paths: list[str], unit: str = "") -> str:
    """A chart's figures in words (for a screen reader's summary; the table has them all)."""
    parts = []
    for group in result["groups"][:24]:
        figures = ", ".join(f"{figure_label(p)} {charts.shown(value_at(group, p), unit)}" for p in paths)
        parts.append(f"{group_label(group, result.get('by'))}: {figures}")
    more = len(result["groups"]) - 24
    return "; ".join(parts) + ("; " + str(_("%(count)s more in the table", count=more)) if more > 0 else "")


# --- the sections ----------------------------------------------------------------------------------------------------


def flow(conn: Connection, base: StatsQuery) -> Section:
    unit = time_unit(base.start, base.end)
    query = validate(base.for_measure("outcomes", unit))
    result = cache.run(conn, query)
    cats = _categories(result)
    title = _("Filings and resolutions %(by)s", by=_by_text(unit))
    scope = _scope(query)
    section = Section("flow", _("Case flow"), _("Cases received (and reopened) against rulings given, and the clearance rate: resolved as a share of incoming."), query, result)
    section.charts.append(charts.line_chart(
        cats, [Series(figure_label("incoming"), _column(result, "incoming")), Series(figure_label("resolved"), _column(result, "resolved"))],
        title=title, desc=f"{title}, {scope}. " + _described(result, ["incoming", "resolved"]), public=query.public, chart_id="chart-flow",
    ))
    rate_title = _("Clearance rate %(by)s", by=_by_text(unit))
    formula = _("resolved / incoming × 100")
    section.charts.append(charts.bar_chart(
        cats, [Series(figure_label("clearance_rate"), _column(result, "clearance_rate"))], title=rate_title, unit=" %",
        desc=f"{rate_title} ({formula}), {scope}. " + _described(result, ["clearance_rate"], " %"),
        public=query.public, chart_id="chart-clearance",
    ))
    section.tables.append(group_table(
        result, ["filed", "reopened", "incoming", "resolved", "clearance_rate", "pending_at_end", "disposition_time_days"],
        caption=title, key_label=_("Period"),
    ))
    return section


def outcomes(conn: Connection, base: StatsQuery) -> Section:
    query = validate(base.for_measure("outcomes", base.by))
    result = cache.run(conn, query)
    cats = _categories(result)
    scope = _scope(query)
    section = Section("outcomes", _("Outcomes and time to disposition"), _(
        "Liability rate: rulings finding liability among rulings on the merits. Time to disposition: days from receipt to the "
        "first ruling, for first rulings in the period."), query, result)
    title = _("Liability rate %(by)s", by=_by_text(query.by))
    section.charts.append(charts.hbar_chart(
        cats, [Series(figure_label("liability_rate"), _column(result, "liability_rate"))], title=title, unit=" %", percent=True,
        desc=f"{title}, {scope}. " + _described(result, ["liability_rate"], " %"), public=query.public, chart_id="chart-liability",
    ))
    days_title = _("Time to disposition %(by)s: median and 90th percentile (days)", by=_by_text(query.by))
    section.charts.append(charts.hbar_chart(
        cats, [Series(_("median"), _column(result, "median_days_to_disposition")), Series(_("90th percentile"), _column(result, "p90_days_to_disposition"))],
        title=days_title, desc=f"{days_title}, {scope}. " + _described(result, ["median_days_to_disposition", "p90_days_to_disposition"]),
        public=query.public, chart_id="chart-disposition",
    ))
    section.tables.append(group_table(
        result, ["incoming", "resolved", "clearance_rate", "merits", "liability_found", "no_liability", "liability_rate", "first_rulings",
                 "median_days_to_disposition", "p90_days_to_disposition", "share_within_60_days", "pending_at_end", "disposition_time_days"],
        caption=_("Outcomes %(by)s", by=_by_text(query.by)), key_label=_("Group"),
    ))
    return section


def findings(conn: Connection, base: StatsQuery) -> Section:
    query = validate(base.for_measure("outcomes", None))
    result = cache.run(conn, query)
    paths = [f"findings.{finding}" for finding in FINDINGS]
    section = Section("findings", _("Finding distribution"), _(
        "What the court found in rulings on the merits: incident, medical error, malpractice, no causation, unfounded."), query, result)
    title = _("Findings in rulings on the merits")
    group = result["groups"][0]
    section.charts.append(charts.hbar_chart(
        [label("finding", f) for f in FINDINGS], [Series(_("rulings"), [value_at(group, p) for p in paths])], title=title,
        desc=f"{title}, {_scope(query)}. " + "; ".join(f"{label('finding', f)}: {charts.shown(value_at(group, p))}" for f, p in zip(FINDINGS, paths, strict=True)),
        public=query.public, chart_id="chart-findings",
    ))
    section.tables.append(figure_table(result, ["merits", *paths, "liability_found", "no_liability", "liability_rate"], caption=title))
    return section


def pending(conn: Connection, base: StatsQuery) -> Section:
    query = validate(base.for_measure("pending", None))
    result = cache.run(conn, query)
    group = result["groups"][0]
    bands = [band for band, _low, _high in stats.AGE_BANDS]
    section = Section("pending", _("Pending caseload and its age"), _(
        "Cases pending at the end of the period, by days since receipt (CourTools measure 4)."), query, result)
    title = _("Age of the pending caseload on %(day)s", day=query.end.isoformat())
    section.charts.append(charts.bar_chart(
        [_("%(band)s days", band=band) for band in bands], [Series(_("pending cases"), [group["age_bands"][band] for band in bands])],
        title=title, desc=f"{title}. " + "; ".join(f"{figure_label('age_bands.' + band)}: {charts.shown(group['age_bands'][band])}" for band in bands),
        public=query.public, chart_id="chart-pending",
    ))
    section.tables.append(figure_table(result, ["pending", *(f"age_bands.{band}" for band in bands), "median_age_days", "p90_age_days", "oldest_age_days"], caption=title))
    return section


def funnel(conn: Connection, base: StatsQuery) -> Section:
    query = validate(base.for_measure("funnel", None))
    result = cache.run(conn, query)
    group = result["groups"][0]
    stages = ["filed", "care_not_met", "malpractice", "liability_found"]
    section = Section("funnel", _("From claim to liability"), _(
        "Cases received in the period, as of its end: how many an expert found below the standard of care, how many the court "
        "found malpractice in, and how many ended in liability."), query, result)
    title = _("Funnel: filed → standard of care not met → malpractice → liability")
    section.charts.append(charts.hbar_chart(
        [figure_label(stage) for stage in stages], [Series(_("cases"), [group[stage] for stage in stages])], title=title,
        desc=f"{title}, {_scope(query)}. " + "; ".join(f"{figure_label(s)}: {charts.shown(group[s])}" for s in stages),
        public=query.public, chart_id="chart-funnel",
    ))
    section.tables.append(figure_table(result, ["filed", "care_not_met", "care_not_met_rate", "malpractice", "malpractice_rate", "liability_found", "liability_rate"], caption=title))
    return section


def experts(conn: Connection, base: StatsQuery) -> Section:
    query = validate(base.for_measure("experts", "court"))
    result = cache.run(conn, query)
    cats = _categories(result)
    scope = _scope(query)
    section = Section("experts", _("Expert examinations"), _(
        "Turnaround: days from the order to the report. Late: reports submitted after the due date; missing: no report yet, past due."), query, result)
    title = _("Median expert turnaround (days) %(by)s", by=_by_text(query.by))
    section.charts.append(charts.hbar_chart(
        cats, [Series(figure_label("median_turnaround_days"), _column(result, "median_turnaround_days"))], title=title,
        desc=f"{title}, {scope}. " + _described(result, ["median_turnaround_days"]), public=query.public, chart_id="chart-turnaround",
    ))
    late_title = _("Share of expert reports submitted late %(by)s", by=_by_text(query.by))
    section.charts.append(charts.hbar_chart(
        cats, [Series(figure_label("late_rate"), _column(result, "late_rate"))], title=late_title, unit=" %", percent=True,
        desc=f"{late_title}, {scope}. " + _described(result, ["late_rate"], " %"), public=query.public, chart_id="chart-late",
    ))
    section.tables.append(group_table(
        result, ["ordered", "reported", "median_turnaround_days", "mean_turnaround_days", "p90_turnaround_days", "reported_late", "late_rate",
                 "missing_overdue_at_end", "overdue"],
        caption=title, key_label=_("Group"),
    ))
    return section


def _rate_section(conn: Connection, base: StatsQuery, measure: str, rate: str, fields: list[str], heading: str, intro: str) -> Section:
    query = validate(base.for_measure(measure, base.by))
    result = cache.run(conn, query)
    section = Section(measure, heading, intro, query, result)
    title = f"{figure_label(rate)} {_by_text(query.by)}"
    section.charts.append(charts.hbar_chart(
        _categories(result), [Series(figure_label(rate), _column(result, rate))], title=title, unit=" %", percent=True,
        desc=f"{title}, {_scope(query)}. " + _described(result, [rate], " %"), public=query.public, chart_id=f"chart-{measure}",
    ))
    section.tables.append(group_table(result, fields, caption=f"{heading} {_by_text(query.by)}", key_label=_("Group")))
    return section


def hearings(conn: Connection, base: StatsQuery) -> Section:
    return _rate_section(
        conn, base, "hearings", "date_certainty_rate",
        ["held", "held_as_first_scheduled", "date_certainty_rate", "reschedulings", "mean_reschedulings", "cancelled"],
        _("Trial date certainty"), _("Held hearings that were held at their first scheduled time (CourTools measure 5)."),
    )


def mediation(conn: Connection, base: StatsQuery) -> Section:
    return _rate_section(
        conn, base, "mediation", "success_rate",
        ["referred", "concluded", "outcomes.settled", "outcomes.failed", "outcomes.withdrawn", "success_rate", "median_days_to_conclusion"],
        _("Mediation"), _("Success rate: settled mediations among concluded ones (criminal reconciliation counts the same way)."),
    )


def appeals(conn: Connection, base: StatsQuery) -> Section:
    return _rate_section(
        conn, base, "appeals", "reversal_rate",
        ["rulings", "appeals_filed", "appeal_rate", "appeals_decided", "outcomes.upheld", "outcomes.modified", "outcomes.reversed",
         "outcomes.remanded", "reversal_rate"],
        _("Appeals"), _("Appeal rate: appeals filed per ruling. Reversal rate: decided appeals that reversed, modified or remanded the ruling."),
    )


def compensation(conn: Connection, base: StatsQuery) -> Section:
    query = validate(base.for_measure("compensation", None))
    result = cache.run(conn, query)
    group = result["groups"][0]
    heads = [*COMPENSATION_HEADS, "total"]
    names = [label("head", head) if head != "total" else _("total") for head in heads]
    section = Section("compensation", _("Compensation claimed and awarded"), _(
        "In rulings on the merits of claims for compensation: claimed, awarded and payable (after contributory fault) per head."), query, result)
    title = _("Compensation claimed, awarded and payable (million KZT)")
    series = [Series(figure_label(f"{part}.total").split(":")[0], [_money_number(group[part][head]) for head in heads]) for part in ("claimed", "awarded", "payable")]
    section.charts.append(charts.bar_chart(
        names, series, title=title, unit="", public=query.public, chart_id="chart-compensation",
        desc=f"{title}, {_scope(query)}. " + "; ".join(f"{n}: " + ", ".join(f"{s.name} {charts.shown(s.values[i])}" for s in series) for i, n in enumerate(names)),
    ))
    section.tables.append(figure_table(
        result, ["rulings", *(f"{part}.{head}" for part in ("claimed", "awarded", "payable") for head in heads), "award_to_claim_rate",
                 "rulings_with_award", "median_award", "rulings_with_insurer_compensation", "insurer_compensation"],
        caption=_("Compensation claimed, awarded and payable"),
    ))
    return section


DASHBOARD: tuple[Callable[[Connection, StatsQuery], Section], ...] = (
    flow, outcomes, findings, pending, funnel, experts, hearings, mediation, compensation, appeals,
)
"""Every section of the analysts' page, in order."""

OVERVIEW = "overview"
TABS: dict[str, tuple[Callable[[Connection, StatsQuery], Section], ...]] = {
    OVERVIEW: (flow, outcomes), "findings": (findings,), "pending": (pending,), "funnel": (funnel,), "experts": (experts,),
    "hearings": (hearings,), "mediation": (mediation,), "compensation": (compensation,), "appeals": (appeals,),
}
"""The analysts' page shows one tab at a time (a request reads a handful of aggregate queries, and the
page stays small): the overview (case flow and outcomes), then one measure each."""
assert [build for builds in TABS.values() for build in builds] == list(DASHBOARD)


TAB_TITLES: dict[str, str] = {
    OVERVIEW: N_("Overview"), "findings": N_("Findings"), "pending": N_("Pending caseload"), "funnel": N_("From claim to liability"),
    "experts": N_("Expert examinations"), "hearings": N_("Trial date certainty"), "mediation": N_("Mediation"),
    "compensation": N_("Compensation"), "appeals": N_("Appeals"),
}


def tab_title(tab: str) -> str:
    return str(_(TAB_TITLES[tab]))


PUBLIC: tuple[Callable[[Connection, StatsQuery], Section], ...] = (outcomes, findings, pending, mediation, appeals)
