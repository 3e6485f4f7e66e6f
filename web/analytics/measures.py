"""One statistics query, the same for the analytics pages, their downloads, the public page and the API.

A ``StatsQuery`` names a measure of ``projections.statistics``, a period (for ``pending``:
the caseload at the period's end), an optional breakdown and any filters. ``run`` answers
it by calling that module's functions, never by counting anew, so a page, its CSV and JSON
downloads, ``GET /api/statistics/...`` and ``medcourt stats`` give the same numbers for the
same query.

Filters (court, track, specialty, judge) combine freely with each other and with any
breakdown; the statistics apply them in SQL with the same attribution as their breakdowns
(a judge filter counts a ruling for the judge who gave it, an examination for the judge who
ordered it, a hearing for the judge it was booked for, the rest for the case's current
judge), so "court ALA" is still the ``ALA`` group of ``by=court``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from marshmallow import EXCLUDE, Schema, ValidationError, fields, pre_load
from marshmallow import validate as checks
from sqlalchemy import Connection

from domain.vocabulary import COURTS, SPECIALTIES, TRACKS
from projections import statistics as stats

PERIOD_MEASURES: dict[str, Callable[..., dict[str, Any]]] = dict(stats.MEASURES)
MEASURE_NAMES: tuple[str, ...] = stats.MEASURE_NAMES
BREAKDOWNS_OF: dict[str, tuple[str, ...]] = {name: measure.breakdowns for name, measure in stats.REGISTRY.items()}
FILTERS: tuple[str, ...] = ("court", "track", "specialty", "judge")
ALL_BREAKDOWNS: tuple[str, ...] = ("track", "court", "specialty", "judge", "finding", "year", "month", "expert", "mediator")
MAX_PERIOD_DAYS = 366 * 30  # thirty years: enough for any real question, bounded for the server
EARLIEST = date(2000, 1, 1)
NO_BREAKDOWN = "none"


class QueryError(ValueError):
    """The query cannot be answered as asked; ``field`` names the parameter at fault."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class StatsQuery:
    measure: str
    start: date
    end: date
    by: str | None = None
    filters: Mapping[str, str] = field(default_factory=dict)
    public: bool = False

    @property
    def chosen(self) -> stats.Filters:
        """The filters as the statistics take them."""
        return stats.Filters.of(self.filters)

    def params(self, **changes: Any) -> dict[str, str]:
        """The query as URL parameters (what the pages link to and the downloads accept)."""
        values: dict[str, Any] = {"from": self.start.isoformat(), "to": self.end.isoformat(), "by": self.by or NO_BREAKDOWN, **self.filters}
        values.update(changes)
        return {k: str(v) for k, v in values.items() if v not in (None, "")}

    def for_measure(self, measure: str, by: str | None) -> StatsQuery:
        """The same period and filters for ``measure`` broken down ``by`` (dropped if it has no such breakdown)."""
        wanted = by if by in BREAKDOWNS_OF[measure] else None
        filters = {k: v for k, v in self.filters.items() if k in BREAKDOWNS_OF[measure]}
        return StatsQuery(measure, self.start, self.end, wanted, filters, self.public)


def validate(query: StatsQuery, known_judges: Callable[[], set[str]] | None = None) -> StatsQuery:
    """Refuse a query the statistics cannot answer, naming the parameter at fault."""
    if query.measure not in MEASURE_NAMES:
        raise QueryError(f"'{query.measure}' is not a measure (one of: {', '.join(MEASURE_NAMES)})", "measure")
    if query.end < query.start:
        raise QueryError(f"The period ends ({query.end}) before it starts ({query.start})", "to")
    if query.start < EARLIEST:
        raise QueryError(f"The period starts before {EARLIEST.isoformat()}, before any case of this court", "from")
    if (query.end - query.start).days > MAX_PERIOD_DAYS:
        raise QueryError("The period is longer than thirty years", "to")
    allowed = BREAKDOWNS_OF[query.measure]
    if query.by is not None and query.by not in allowed:
        raise QueryError(f"'{query.by}' is not a breakdown of {query.measure} (one of: {', '.join(allowed)})", "by")
    if query.public:
        if not stats.is_public_period(query.start, query.end):
            raise QueryError("Public statistics cover one whole calendar quarter or one whole calendar year", "from")
        if query.by in stats.PUBLIC_BREAKDOWNS_EXCLUDED:
            raise QueryError(f"Public statistics are not broken down by {query.by}", "by")
    for name, value in query.filters.items():
        if name not in FILTERS:
            raise QueryError(f"'{name}' is not a filter (one of: {', '.join(FILTERS)})", name)
        if name not in allowed:
            raise QueryError(f"{query.measure} cannot be filtered by {name}", name)
        if name == "court" and value not in COURTS:
            raise QueryError(f"'{value}' is not a court", name)
        if name == "track" and value not in TRACKS:
            raise QueryError(f"'{value}' is not a track", name)
        if name == "specialty" and value not in SPECIALTIES:
            raise QueryError(f"'{value}' is not a medical specialty", name)
        if name == "judge" and known_judges is not None and value not in known_judges() | {stats.UNASSIGNED}:
            raise QueryError(f"'{value}' is not a judge of the registry", name)
    return query


def run(conn: Connection, query: StatsQuery) -> dict[str, Any]:
    """The measure's result, exactly as ``projections.statistics`` gives it for the query's
    period, breakdown and filters (``pending`` is at the period's end, with the period added)."""
    if stats.REGISTRY[query.measure].at_a_date:
        result = stats.pending(conn, query.end, by=query.by, filters=query.chosen, public=query.public)
        result["from"] = query.start.isoformat()
        result["to"] = query.end.isoformat()
        return result
    return PERIOD_MEASURES[query.measure](conn, query.start, query.end, by=query.by, filters=query.chosen, public=query.public)


def default_period(today: date) -> tuple[date, date]:
    """The last twelve months, by whole months: from the first day of the month eleven months ago to today."""
    month = today.month - 11
    year = today.year
    if month < 1:
        month += 12
        year -= 1
    return date(year, month, 1), today


def time_unit(start: date, end: date) -> str:
    """Months for periods up to three years, else years."""
    return "month" if (end - start).days <= 3 * 366 else "year"


def previous_year(today: date) -> tuple[date, date]:
    return date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)


class StatsArgs(Schema):
    """A statistics query as URL parameters: ``from``, ``to``, ``by`` and any of the filters ``court``,
    ``track``, ``specialty``, ``judge`` (the same for the pages, the downloads and the API)."""

    class Meta:
        unknown = EXCLUDE

    start = fields.Date(data_key="from", load_default=None, metadata={"description": "First day of the period (court-local, YYYY-MM-DD)."})
    end = fields.Date(data_key="to", load_default=None, metadata={"description": "Last day of the period (court-local); `pending` is counted at its end."})
    by = fields.String(
        load_default=None, validate=checks.OneOf((*ALL_BREAKDOWNS, NO_BREAKDOWN)),
        metadata={"description": "Break the figures down by this (`none`: no breakdown)."},
    )
    court = fields.String(load_default=None, validate=checks.OneOf(list(COURTS)), metadata={"description": "Only this court (region code)."})
    track = fields.String(load_default=None, validate=checks.OneOf(TRACKS), metadata={"description": "Only this track."})
    specialty = fields.String(load_default=None, validate=checks.OneOf(SPECIALTIES), metadata={"description": "Only this medical specialty."})
    judge = fields.String(load_default=None, validate=checks.Length(min=1, max=36), metadata={"description": "Only this judge (judge id, or `unassigned`)."})

    blanks_are_absent = True  # a form's empty fields; the API refuses them

    @pre_load
    def drop_blanks(self, data: Any, **_: Any) -> Any:
        if self.blanks_are_absent and hasattr(data, "items"):
            return {k: v for k, v in data.items() if not (isinstance(v, str) and not v.strip())}
        return data


def query_from(values: Mapping[str, Any], measure: str, *, today: date, public: bool = False, default_by: str | None = None) -> StatsQuery:
    """A ``StatsQuery`` from ``StatsArgs``-loaded values; the period defaults to the last twelve months."""
    start, end = values.get("start"), values.get("end")
    if start is None or end is None:
        default_start, default_end = default_period(today)
        start = start or (default_start if end is None else date(end.year, 1, 1))
        end = end or max(default_end, start)
    filters = {name: str(values[name]) for name in FILTERS if values.get(name)}
    by = values.get("by") or default_by
    if by == NO_BREAKDOWN:
        by = None
    return StatsQuery(measure, start, end, by, filters, public)


def parse(args: Mapping[str, Any], measure: str, *, today: date, public: bool = False, default_by: str | None = None) -> StatsQuery:
    """URL parameters (strings) to a query; malformed ones raise ``QueryError``."""
    try:
        values = StatsArgs().load(dict(args))
    except ValidationError as error:
        name = next(iter(error.messages_dict), "query")
        message = error.messages_dict[name]
        text = message[0] if isinstance(message, list) and message else str(message)
        raise QueryError(f"{name}: {text}", {"start": "from", "end": "to"}.get(name, name)) from None
    return query_from(values, measure, today=today, public=public, default_by=default_by)
