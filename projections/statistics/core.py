"""Constants, filters, arithmetic and the query helpers every measure shares; public periods."""

from __future__ import annotations

import calendar
import math
import statistics as pystats
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import ColumnElement, Connection, select

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


def _histogram_rank(histogram: Mapping[int, int], rank: int) -> int:
    """The value at 1-based ``rank`` of the sorted values a histogram (value -> how many) counts."""
    seen = 0
    for value in sorted(histogram):
        seen += histogram[value]
        if seen >= rank:
            return value
    raise ValueError(f"rank {rank} beyond {seen} values")


def histogram_median(histogram: Mapping[int, int]) -> float | None:
    """``statistics.median`` of the values a histogram counts, exactly (the mean of the two middle ones for an even count)."""
    total = sum(histogram.values())
    if not total:
        return None
    low, high = _histogram_rank(histogram, (total + 1) // 2), _histogram_rank(histogram, total // 2 + 1)
    return round(float(pystats.median([low, high])), 1)


def histogram_p90(histogram: Mapping[int, int]) -> int | None:
    """The 90th percentile (nearest rank) of the values a histogram counts."""
    total = sum(histogram.values())
    return None if not total else _histogram_rank(histogram, math.ceil(0.9 * total))


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


def grain_of(by: str | None, filters: Filters, keys: Mapping[str, ColumnElement[Any]], dimensions: Sequence[str]) -> str:
    """The coarsest grain of a fact table (projections/tables.py) that keeps every dimension the
    breakdown ``by`` and the ``filters`` need: none ("*"), one (its name), or all ("")."""
    needed = {keys[name].key for name in (*filters.as_dict(), by) if name in keys and keys[name].key in dimensions}
    if not needed:
        return t.TOTAL_GRAIN
    return needed.pop() if len(needed) == 1 else t.FULL_GRAIN


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
