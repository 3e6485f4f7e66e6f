"""The generic shape of a measure: validate, compute the groups, label and suppress them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy import Connection

from projections.statistics.core import (
    ALL,
    TIME_BREAKDOWNS,
    UNASSIGNED,
    FilterArg,
    Filters,
    Groups,
    _judge_names,
    check_public,
    split_period,
)
from projections.statistics.registry import Measure
from projections.statistics.suppression import suppress

# --- the generic shape of a measure ---------------------------------------------------------------------------------


def _measure(
    measure: Measure,
    compute: Callable[[Connection, date, date, str | None, Filters], Groups],
    empty: Callable[[], dict[str, Any]],
    conn: Connection,
    start: date,
    end: date,
    by: str | None,
    filters: FilterArg,
    public: bool,
) -> dict[str, Any]:
    """A period measure's result: validate the query, compute its groups, label them (judges) and,
    for the public, suppress them on the counts, bases and relations the registry declares."""
    name, allowed, counts, basis, relations = measure.name, measure.breakdowns, measure.counts, measure.basis, measure.relations
    if end < start:
        raise ValueError(f"the period ends ({end}) before it starts ({start})")
    if by is not None and by not in allowed:
        raise ValueError(f"'{by}' is not a breakdown of {name} (one of: {', '.join(allowed)})")
    if public:
        check_public(start, end, by)
    chosen = Filters.of(filters)
    groups = compute(conn, start, end, by, chosen)
    if by in TIME_BREAKDOWNS:
        groups = {key: groups.get(key) or empty() for key, _part_start, _part_end in split_period(start, end, by)}
    elif by is None and ALL not in groups:
        groups[ALL] = empty()
    labels = _judge_names(conn) if by == "judge" else {}
    result = []
    for key in sorted(groups):
        group: dict[str, Any] = {"key": key}
        if by == "judge":
            group["label"] = labels.get(key, "Unassigned" if key == UNASSIGNED else key)
        group.update(groups[key])
        result.append(suppress(group, counts, basis, relations) if public else group)
    return {"measure": name, "from": start.isoformat(), "to": end.isoformat(), "by": by, "filters": chosen.as_dict(), "public": public,
            "groups": result}
