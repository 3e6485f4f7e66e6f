"""Reading the statistics projection's section facts (``stat_sections``, projections/section_facts.py).

Every query sums ``n`` over the facts of some kinds in a period, grouped by the key of a
breakdown (a dimension's column, or the year or month of the fact's day) and by any
further columns a measure needs (an outcome, a number of days); filters keep the facts
attributed to the chosen court, track, specialty or judge, exactly as the breakdown by
that dimension attributes them. So a query reads rows that grow with the calendar.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import BigInteger, ColumnElement, Connection, Date, Integer, and_, case, cast, extract, func, literal, or_, select, text

from projections import tables as t
from projections.statistics.core import ALL, TIME_BREAKDOWNS, UNASSIGNED, Filters, _key_value, grain_of, split_period


@dataclass(frozen=True)
class FactGrains:
    """A fact table kept at several grains: which column answers each breakdown and filter, and how a
    group's key reads. Outcomes (``stat_outcomes``) and the other sections (``stat_sections``) share it."""

    facts: Any  # the table's columns (``Table.c``)
    keys: dict[str, ColumnElement[Any]]
    dimensions: tuple[str, ...]
    monthly: bool = False  # whether the table keeps each grain by calendar month too (``t.KEPT_BY_MONTH``)

    def conditions(self, filters: Filters, by: str | None) -> list[ColumnElement[bool]]:
        """``filters`` on the facts (a fact's judge is the one the breakdown by judge attributes it to; "" is
        none), at the coarsest grain that keeps the dimensions the query needs, by day."""
        grain = [self.facts.grain == grain_of(by, filters, self.keys, self.dimensions)]
        return grain + self._chosen(filters)

    def _chosen(self, filters: Filters) -> list[ColumnElement[bool]]:
        return [self.keys[name] == ("" if name == "judge" and value == UNASSIGNED else value) for name, value in filters.as_dict().items()]

    def dated(self, start: date | None, end: date, filters: Filters, by: str | None) -> list[ColumnElement[bool]]:
        """``conditions`` for the facts dated in [start, end] (from the first, if ``start`` is None), for a query
        that reads a fact's day only to place it in the period, its year or its month: on a table kept by month
        too, the period's whole calendar months are read from the month rows (dated their first day) and only
        the days before the first and after the last whole month from the day rows. The sums are the same."""
        day = self.facts.day
        grain = grain_of(by, filters, self.keys, self.dimensions)
        first = start if start is None or start.day == 1 else _month_after(start)
        after = _month_after(end) if _month_after(end) - timedelta(days=1) == end else date(end.year, end.month, 1)  # after the last whole month
        if not self.monthly or (first is not None and first >= after):
            return [self.facts.grain == grain, day <= end if start is None else day.between(start, end), *self._chosen(filters)]
        months = and_(self.facts.grain == t.MONTHLY + grain, day < after, *([] if first is None else [day >= first]))
        edges = [] if after > end else [day.between(after, end)]
        if start is not None and first is not None and start < first:
            edges.append(day.between(start, first - timedelta(days=1)))
        return [or_(months, and_(self.facts.grain == grain, or_(*edges))) if edges else months, *self._chosen(filters)]

    def key_columns(self, by: str | None) -> list[ColumnElement[Any]]:
        if by == "year":
            return [extract("year", self.facts.day)]
        if by == "month":
            return [extract("year", self.facts.day), extract("month", self.facts.day)]
        return [] if by is None else [self.keys[by]]


def _month_after(day: date) -> date:
    """The first day of the month after ``day``'s."""
    return date(day.year + (day.month == 12), day.month % 12 + 1, 1)


def group_key(by: str | None, values: Sequence[Any]) -> str:
    """The key of a group of facts, from its key columns' values (``FactGrains.key_columns``)."""
    if by is None:
        return ALL
    if by == "year":
        return f"{int(values[0])}"
    if by == "month":
        return f"{int(values[0])}-{int(values[1]):02d}"
    return _key_value(by, values[0] or None)


S = t.stat_sections.c
SECTIONS = FactGrains(S, {
    "track": S.track, "court": S.court, "specialty": S.specialty, "judge": S.judge_id, "finding": S.finding, "expert": S.actor, "mediator": S.actor,
}, t.SECTION_DIMENSIONS)
PER_ACTOR = ("expert", "mediator")


def _actor_condition(by: str | None, actors: bool) -> list[ColumnElement[bool]]:
    """Facts counted once per examination carry no actor, those counted for each expert one:
    a breakdown by expert (or mediator) reads the latter, any other query the former."""
    if not actors:
        return []
    return [S.actor != ""] if by in PER_ACTOR else [S.actor == ""]


def days_until(conn: Connection, end: date, day: ColumnElement[Any]) -> ColumnElement[Any]:
    """Days from ``day`` to ``end``, in the database's own date arithmetic."""
    if conn.dialect.name == "postgresql":
        return literal(end, Date) - day
    return cast(func.julianday(literal(end.isoformat())) - func.julianday(day), Integer)


def days_to_part_end(conn: Connection, by: str, end: date, day: ColumnElement[Any]) -> ColumnElement[Any]:
    """Days from ``day`` to the end of its calendar month or year (``by``), or to ``end`` if that comes first:
    the end of the part of a breakdown by month or year the day falls in."""
    if conn.dialect.name == "postgresql":
        unit = "month" if by == "month" else "year"
        calendar_end = cast(func.date_trunc(unit, day) + text(f"interval '1 {unit}'") - text("interval '1 day'"), Date)
        return func.least(calendar_end, literal(end, Date)) - day
    start_of = "start of month" if by == "month" else "start of year"
    following = "+1 month" if by == "month" else "+1 year"
    calendar_end_text = func.date(day, start_of, following, "-1 day")
    return cast(func.julianday(func.min(calendar_end_text, end.isoformat())) - func.julianday(day), Integer)


def summed(conn: Connection, kinds: Sequence[str], start: date, end: date, by: str | None, filters: Filters,
           *columns: ColumnElement[Any], actors: bool = False, where: Sequence[ColumnElement[bool]] = ()) -> list[tuple[Any, ...]]:
    """(group key, *columns, sum of n) for the facts of ``kinds`` dated in [start, end] (and ``where``)."""
    keys = SECTIONS.key_columns(by)
    where = [S.kind.in_(kinds), S.day.between(start, end), *SECTIONS.conditions(filters, by), *_actor_condition(by, actors), *where]
    statement = select(*keys, *columns, func.sum(S.n)).where(*where)
    if keys or columns:
        statement = statement.group_by(*keys, *columns)
    rows = []
    for row in conn.execute(statement):
        values = tuple(row)
        if values[-1] is None:
            continue
        rows.append((group_key(by, values[:len(keys)]), *values[len(keys):-1], int(values[-1])))
    return rows


def running(conn: Connection, kind: str, start: date, end: date, by: str | None, filters: Filters,
            *columns: ColumnElement[Any], actors: bool = False) -> list[tuple[Any, ...]]:
    """(group key, *columns, running sum of the changes of ``kind`` up to the end of the period),
    or, for a breakdown by year or month, up to the end of each part (its key): what holds "as
    of the end". Groups whose sum is zero are left out."""
    over = None if by in TIME_BREAKDOWNS else by
    where = [S.kind == kind, S.day <= end, *SECTIONS.conditions(filters, over), *_actor_condition(over, actors)]
    if by not in TIME_BREAKDOWNS:
        keys = SECTIONS.key_columns(by)
        statement = select(*keys, *columns, func.sum(S.n)).where(*where)
        if keys or columns:
            statement = statement.group_by(*keys, *columns)
        result = []
        for row in conn.execute(statement):
            values = tuple(row)
            if values[-1]:
                result.append((group_key(by, values[:len(keys)]), *values[len(keys):-1], int(values[-1])))
        return result
    changes = conn.execute(select(S.day, *columns, func.sum(S.n)).where(*where).group_by(S.day, *columns).order_by(S.day)).all()
    totals: dict[tuple[Any, ...], int] = {}
    parts: list[tuple[Any, ...]] = []
    index = 0
    for key, _part_start, part_end in split_period(start, end, str(by)):
        while index < len(changes) and changes[index][0] <= part_end:
            extra = tuple(changes[index][1:-1])
            totals[extra] = totals.get(extra, 0) + int(changes[index][-1])
            index += 1
        parts.extend((key, *extra, n) for extra, n in totals.items() if n)
    return parts


@dataclass(frozen=True)
class Summary:
    """Exact order statistics of the values a histogram counts (value -> how many), computed in SQL."""

    count: int
    median: float | None
    p90: int | None
    mean: float | None
    within: int  # how many values are at most ``within_of`` (see ``summaries``)


def summaries(conn: Connection, value: ColumnElement[Any], n: ColumnElement[Any], keys: Sequence[ColumnElement[Any]],
              where: Sequence[ColumnElement[bool]], within_of: int = 0) -> dict[tuple[Any, ...], Summary]:
    """For each group of ``keys``: the count, ``statistics.median``, nearest-rank p90 and mean of the
    values ``value`` that facts count (``n`` each), without reading the histogram out of the database:
    the database sums the counts per value, ranks them with a running sum, and returns one row per group."""
    labelled = [key.label(f"k{i}") for i, key in enumerate(keys)]
    histogram = select(*labelled, value.label("v"), func.sum(n).label("c")).where(*where).group_by(*keys, value).subquery()
    group = [histogram.c[f"k{i}"] for i in range(len(keys))]
    ranked = select(
        *group, histogram.c.v, histogram.c.c,
        cast(func.sum(histogram.c.c).over(partition_by=group or None, order_by=histogram.c.v), BigInteger).label("cum"),
        cast(func.sum(histogram.c.c).over(partition_by=group or None), BigInteger).label("total"),
    ).subquery()
    r = ranked.c
    statement = select(
        *(r[f"k{i}"] for i in range(len(keys))),
        func.max(r.total),
        func.min(case((r.cum >= (r.total + 1) // 2, r.v))),  # the lower middle value
        func.min(case((r.cum >= r.total // 2 + 1, r.v))),  # the upper middle value
        func.min(case((r.cum >= (9 * r.total + 9) // 10, r.v))),  # rank ceil(0.9 × total)
        func.sum(r.v * r.c),
        func.sum(case((r.v <= within_of, r.c), else_=0)),
    )
    if keys:
        statement = statement.group_by(*(r[f"k{i}"] for i in range(len(keys))))
    result: dict[tuple[Any, ...], Summary] = {}
    for row in conn.execute(statement):
        values = tuple(row)
        key, (total, low, high, p90, weighted, within) = values[:len(keys)], values[len(keys):]
        total = int(total or 0)
        if not total:
            continue
        result[key] = Summary(total, round((int(low) + int(high)) / 2, 1), int(p90), round(int(weighted) / total, 1), int(within or 0))
    return result


def summarised(conn: Connection, kind: str, start: date, end: date, by: str | None, filters: Filters, *,
               actors: bool = False, within_of: int = 0) -> dict[str, Summary]:
    """``summaries`` of the ``value`` of the facts of ``kind`` dated in [start, end], by group key."""
    keys = SECTIONS.key_columns(by)
    where = [S.kind == kind, S.day.between(start, end), *SECTIONS.conditions(filters, by), *_actor_condition(by, actors)]
    return {group_key(by, values): summary for values, summary in summaries(conn, S.value, S.n, keys, where, within_of).items()}
