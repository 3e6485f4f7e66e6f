"""Constants, filters, arithmetic and the query helpers every measure shares; public periods."""

from __future__ import annotations

import calendar
import math
import statistics as pystats
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import ColumnElement, Connection, FromClause, and_, exists, extract, func, select
from sqlalchemy.sql import Select

from projections import tables as t

ALL = "all"
SMALL = "<5"
SUPPRESSED = "suppressed"
UNASSIGNED = "unassigned"
NO_FINDING = "none"
BREAKDOWNS: tuple[str, ...] = ("track", "court", "specialty", "year", "month", "judge", "finding")
TIME_BREAKDOWNS: tuple[str, ...] = ("year", "month")
AGE_BANDS: tuple[tuple[str, int, int | None], ...] = (
    ("0-30", 0, 30), ("31-60", 31, 60), ("61-90", 61, 90), ("91-180", 91, 180), ("181-365", 181, 365), (">365", 366, None),
)
WITHIN_DAYS = 60
TIYN = Decimal("0.01")

Groups = dict[str, dict[str, Any]]
FILTER_NAMES: tuple[str, ...] = ("court", "track", "specialty", "judge")


@dataclass(frozen=True)
class Filters:
    """Which rows a measure counts; ``None`` is any. ``judge_id`` is a judge's id, or
    ``UNASSIGNED`` for what no judge is attributed (see the module docstring)."""

    court: str | None = None
    track: str | None = None
    specialty: str | None = None
    judge_id: str | None = None

    @classmethod
    def of(cls, value: Filters | Mapping[str, str | None] | None) -> Filters:
        """Filters from a mapping of ``court``, ``track``, ``specialty`` and ``judge`` (or ``judge_id``)."""
        if value is None:
            return cls()
        if isinstance(value, Filters):
            return value
        unknown = set(value) - {*FILTER_NAMES, "judge_id"}
        if unknown:
            raise ValueError(f"'{sorted(unknown)[0]}' is not a filter (one of: {', '.join(FILTER_NAMES)})")
        return cls(value.get("court") or None, value.get("track") or None, value.get("specialty") or None,
                   value.get("judge") or value.get("judge_id") or None)

    def as_dict(self) -> dict[str, str]:
        """The filters that are set, by their public names (``judge`` for ``judge_id``)."""
        values = {"court": self.court, "track": self.track, "specialty": self.specialty, "judge": self.judge_id}
        return {name: value for name, value in values.items() if value is not None}

    def conditions(self, keys: Mapping[str, ColumnElement[Any]]) -> list[ColumnElement[bool]]:
        """SQL conditions on the columns ``keys`` attributes each dimension to (those of the breakdowns)."""
        where: list[ColumnElement[bool]] = []
        for name, value in self.as_dict().items():
            column = keys[name]
            where.append(column.is_(None) if name == "judge" and value == UNASSIGNED else column == value)
        return where


NO_FILTERS = Filters()
FilterArg = Filters | Mapping[str, str | None] | None


# --- small arithmetic ------------------------------------------------------------------------------------------


def rate(part: int, whole: int) -> float | None:
    """``part`` as a percentage of ``whole``; None when ``whole`` is zero."""
    return None if not whole else round(100 * part / whole, 2)


def median(values: Sequence[int]) -> float | None:
    return None if not values else round(float(pystats.median(values)), 1)


def mean(values: Sequence[int]) -> float | None:
    return None if not values else round(sum(values) / len(values), 1)


def p90(values: Sequence[int]) -> int | None:
    """The nearest-rank 90th percentile."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[math.ceil(0.9 * len(ordered)) - 1]


def period_days(start: date, end: date) -> int:
    return (end - start).days + 1


def split_period(start: date, end: date, by: str) -> list[tuple[str, date, date]]:
    """The calendar years or months of [start, end], each clipped to the period."""
    parts = []
    cursor = start
    while cursor <= end:
        if by == "year":
            key, following = f"{cursor.year}", date(cursor.year + 1, 1, 1)
        else:
            key = f"{cursor.year}-{cursor.month:02d}"
            following = date(cursor.year + (cursor.month == 12), cursor.month % 12 + 1, 1)
        last = min(end, following - timedelta(days=1))
        parts.append((key, cursor, last))
        cursor = following
    return parts


def money(tiyn: float | None) -> str | None:
    """Tiyn as a KZT decimal string, as exports write money (a median may fall on half a tiyn: half-up)."""
    return None if tiyn is None else str((Decimal(str(tiyn)) / 100).quantize(TIYN, rounding=ROUND_HALF_UP))


def _key_value(by: str | None, value: Any) -> str:
    if by is None:
        return ALL
    if value is None:
        return NO_FINDING if by == "finding" else UNASSIGNED
    return str(value)


# --- query helpers ------------------------------------------------------------------------------------------------


def _grouped(conn: Connection, by: str | None, keys: Mapping[str, ColumnElement[Any]], source: FromClause,
             where: Iterable[ColumnElement[bool]], *columns: ColumnElement[Any], count: bool = True,
             filters: Filters = NO_FILTERS, dated: ColumnElement[Any] | None = None) -> list[tuple[Any, ...]]:
    """Rows of (group key, *columns[, count]) from ``source`` that pass ``filters`` (on the same
    columns as the breakdowns by them); grouped by key and columns when counting. For a
    breakdown by year or month the key is the part of the period ``dated`` falls in (the
    query groups by its year and month; ``where`` keeps the period), so one query serves
    every part."""
    key: list[ColumnElement[Any]] = []
    if by in TIME_BREAKDOWNS:
        if dated is None:
            raise ValueError(f"a breakdown by {by} needs the date each row is counted at")
        key.append(extract("year", dated))
        if by == "month":
            key.append(extract("month", dated))
    elif by is not None:
        key = [keys[by]]
    selected: list[ColumnElement[Any]] = key + list(columns)
    conditions = [*where, *filters.conditions(keys)]
    statement: Select[Any] = select(*selected, *([func.count()] if count else [])).select_from(source).where(*conditions)
    if count and selected:
        statement = statement.group_by(*selected)
    rows = []
    for row in conn.execute(statement):
        values = tuple(row)
        if not key:
            rows.append((ALL, *values))
        elif by == "year":
            rows.append((f"{int(values[0])}", *values[1:]))
        elif by == "month":
            rows.append((f"{int(values[0])}-{int(values[1]):02d}", *values[2:]))
        else:
            rows.append((_key_value(by, values[0]), *values[1:]))
    return rows


def _as_of_ends(start: date, end: date, by: str | None) -> list[tuple[str | None, date, date]]:
    """What figures "as of the end" are counted for: each part of a breakdown by year or month
    (its key, start and end; counted without a breakdown), else the whole period (key None:
    counted with the breakdown)."""
    if by in TIME_BREAKDOWNS:
        return [(key, part_start, part_end) for key, part_start, part_end in split_period(start, end, str(by))]
    return [(None, start, end)]


def _span(start: date, end: date, by: str | None, key: str) -> tuple[date, date]:
    """The period a group covers: its part for a breakdown by year or month, else the whole."""
    if by in TIME_BREAKDOWNS:
        year = int(key[:4])
        if by == "year":
            return max(start, date(year, 1, 1)), min(end, date(year, 12, 31))
        month = int(key[5:7])
        following = date(year + (month == 12), month % 12 + 1, 1)
        return max(start, date(year, month, 1)), min(end, following - timedelta(days=1))
    return start, end


def pending_condition(at: date) -> ColumnElement[bool]:
    """Cases pending at the end of ``at``: received by then, and no ruling dated by then and
    recorded after the latest (re)opening dated by then, i.e. no such ruling that a (re)opening
    dated by then was recorded after (written so, the database anti-joins instead of taking a
    maximum for every ruling)."""
    reopened_after = exists().where(
        t.reopenings.c.case_id == t.rulings.c.case_id, t.reopenings.c.reopened_on <= at, t.reopenings.c.version > t.rulings.c.version
    )
    closed = exists().where(t.rulings.c.case_id == t.cases.c.case_id, t.rulings.c.decided_on <= at, ~reopened_after)
    return and_(t.cases.c.received_on <= at, ~closed)


CASE_KEYS: dict[str, ColumnElement[Any]] = {
    "track": t.cases.c.track, "court": t.cases.c.court, "specialty": t.cases.c.specialty, "judge": t.cases.c.judge_id,
}
RULING_KEYS: dict[str, ColumnElement[Any]] = {**CASE_KEYS, "judge": t.rulings.c.judge_id, "finding": t.rulings.c.finding}
_CASE_RULINGS = t.rulings.join(t.cases, t.rulings.c.case_id == t.cases.c.case_id)


def _judge_names(conn: Connection) -> dict[str, str]:
    return {row.judge_id: row.name for row in conn.execute(select(t.judges.c.judge_id, t.judges.c.name))}



# --- public periods ------------------------------------------------------------------------------------------------

PUBLIC_BREAKDOWNS_EXCLUDED = ("month", "judge", "expert", "mediator")


def quarter_of(day: date) -> tuple[date, date]:
    """The calendar quarter ``day`` falls in."""
    first_month = 3 * ((day.month - 1) // 3) + 1
    last_month = first_month + 2
    return date(day.year, first_month, 1), date(day.year, last_month, calendar.monthrange(day.year, last_month)[1])


def is_public_period(start: date, end: date) -> bool:
    """Whether [start, end] is one whole calendar quarter or one whole calendar year."""
    return (start, end) in (quarter_of(start), (date(start.year, 1, 1), date(start.year, 12, 31)))


def check_public(start: date, end: date, by: str | None) -> None:
    """Public figures are for one whole calendar quarter or year, never by month or person (DOMAIN.md
    section 4): periods that overlap or parts of them would let a difference reveal a suppressed count."""
    if not is_public_period(start, end):
        raise ValueError(f"public statistics cover one whole calendar quarter or year, not {start.isoformat()} to {end.isoformat()}")
    if by in PUBLIC_BREAKDOWNS_EXCLUDED:
        raise ValueError(f"public statistics are not broken down by {by}")
