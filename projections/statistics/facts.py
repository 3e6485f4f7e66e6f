"""Reading the statistics projection's section facts (``stat_sections``, projections/section_facts.py).

Every query sums ``n`` over the facts of some kinds in a period, grouped by the key of a
breakdown (a dimension's column, or the year or month of the fact's day) and by any
further columns a measure needs (an outcome, a number of days); filters keep the facts
attributed to the chosen court, track, specialty or judge, exactly as the breakdown by
that dimension attributes them. So a query reads rows that grow with the calendar.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Connection, extract, func, select

from projections import tables as t
from projections.statistics.core import ALL, TIME_BREAKDOWNS, UNASSIGNED, Filters, _key_value, grain_of, split_period

S = t.stat_sections.c
SECTION_KEYS: dict[str, ColumnElement[Any]] = {
    "track": S.track, "court": S.court, "specialty": S.specialty, "judge": S.judge_id, "finding": S.finding, "expert": S.actor, "mediator": S.actor,
}
PER_ACTOR = ("expert", "mediator")


def _conditions(filters: Filters, by: str | None) -> list[ColumnElement[bool]]:
    """``filters`` on the facts ("" is no judge), at the grain that keeps what the query needs."""
    grain = [S.grain == grain_of(by, filters, SECTION_KEYS, t.SECTION_DIMENSIONS)]
    return grain + [SECTION_KEYS[name] == ("" if name == "judge" and value == UNASSIGNED else value) for name, value in filters.as_dict().items()]


def _key_columns(by: str | None) -> list[ColumnElement[Any]]:
    if by == "year":
        return [extract("year", S.day)]
    if by == "month":
        return [extract("year", S.day), extract("month", S.day)]
    return [] if by is None else [SECTION_KEYS[by]]


def _key(by: str | None, values: Sequence[Any]) -> str:
    if by is None:
        return ALL
    if by == "year":
        return f"{int(values[0])}"
    if by == "month":
        return f"{int(values[0])}-{int(values[1]):02d}"
    return _key_value(by, values[0] or None)


def _actor_condition(by: str | None, actors: bool) -> list[ColumnElement[bool]]:
    """Facts counted once per examination carry no actor, those counted for each expert one:
    a breakdown by expert (or mediator) reads the latter, any other query the former."""
    if not actors:
        return []
    return [S.actor != ""] if by in PER_ACTOR else [S.actor == ""]


def summed(conn: Connection, kinds: Sequence[str], start: date, end: date, by: str | None, filters: Filters,
           *columns: ColumnElement[Any], actors: bool = False) -> list[tuple[Any, ...]]:
    """(group key, *columns, sum of n) for the facts of ``kinds`` dated in [start, end]."""
    keys = _key_columns(by)
    where = [S.kind.in_(kinds), S.day.between(start, end), *_conditions(filters, by), *_actor_condition(by, actors)]
    statement = select(*keys, *columns, func.sum(S.n)).where(*where)
    if keys or columns:
        statement = statement.group_by(*keys, *columns)
    rows = []
    for row in conn.execute(statement):
        values = tuple(row)
        if values[-1] is None:
            continue
        rows.append((_key(by, values[:len(keys)]), *values[len(keys):-1], int(values[-1])))
    return rows


def running(conn: Connection, kind: str, start: date, end: date, by: str | None, filters: Filters,
            *columns: ColumnElement[Any], actors: bool = False) -> list[tuple[Any, ...]]:
    """(group key, *columns, running sum of the changes of ``kind`` up to the end of the period),
    or, for a breakdown by year or month, up to the end of each part (its key): what holds "as
    of the end". Groups whose sum is zero are left out."""
    over = None if by in TIME_BREAKDOWNS else by
    where = [S.kind == kind, S.day <= end, *_conditions(filters, over), *_actor_condition(over, actors)]
    if by not in TIME_BREAKDOWNS:
        keys = _key_columns(by)
        statement = select(*keys, *columns, func.sum(S.n)).where(*where)
        if keys or columns:
            statement = statement.group_by(*keys, *columns)
        result = []
        for row in conn.execute(statement):
            values = tuple(row)
            if values[-1]:
                result.append((_key(by, values[:len(keys)]), *values[len(keys):-1], int(values[-1])))
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
