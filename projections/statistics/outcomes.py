"""Outcomes (from the statistics projection's pre-aggregated rows) and the pending caseload (from the case rows)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import Connection, func, select

from domain.vocabulary import DISPOSITIONS, FINDINGS, MERITS_DISPOSITIONS
from projections import tables as t
from projections.section_facts import PENDING_AGE
from projections.statistics.core import (
    AGE_BANDS,
    ALL,
    NO_FILTERS,
    TIME_BREAKDOWNS,
    UNASSIGNED,
    WITHIN_DAYS,
    FilterArg,
    Filters,
    Groups,
    _judge_names,
    _span,
    check_public,
    histogram_median,
    histogram_p90,
    period_days,
    quarter_of,
    rate,
    split_period,
)
from projections.statistics.facts import FactGrains, S, group_key, running, summaries
from projections.statistics.registry import OUTCOMES, PENDING
from projections.statistics.shape import _measure
from projections.statistics.suppression import suppress

# --- outcomes: incoming, resolved, clearance, liability, findings, time to disposition, pending, CEPEJ -------------

OUTCOME_COUNTS = OUTCOMES.counts
OUTCOME_BASIS = OUTCOMES.basis
OUTCOME_RELATIONS = OUTCOMES.relations


def _outcome_group(flow: bool = True) -> dict[str, Any]:
    zero = 0 if flow else None
    return {
        "incoming": zero, "filed": zero, "reopened": zero, "resolved": 0, "clearance_rate": None,
        "merits": 0, "liability_found": 0, "no_liability": 0, "liability_rate": None,
        "findings": dict.fromkeys(FINDINGS, 0), "dispositions": dict.fromkeys(DISPOSITIONS, 0),
        "first_rulings": 0, "median_days_to_disposition": None, "p90_days_to_disposition": None,
        "first_rulings_within_60_days": 0, "share_within_60_days": None, "pending_at_end": zero, "disposition_time_days": None,
    }


# Outcomes read the statistics projection's pre-aggregated rows (projections/outcome_facts.py):
# counts by day, court, track, specialty, judge, disposition, finding and days to disposition.
_F = t.stat_outcomes.c
OUTCOME_FACTS = FactGrains(_F, {"track": _F.track, "court": _F.court, "specialty": _F.specialty, "judge": _F.judge_id, "finding": _F.finding}, t.OUTCOME_DIMENSIONS,
                           monthly=t.stat_outcomes.name in t.KEPT_BY_MONTH)


def _outcomes(conn: Connection, start: date, end: date, by: str | None, filters: Filters = NO_FILTERS) -> Groups:
    flow = by != "finding"  # case flow has no finding
    groups: Groups = defaultdict(lambda: _outcome_group(flow))
    key_columns = OUTCOME_FACTS.key_columns(by)
    kinds = ["ruling", *(["filed", "reopened"] if flow else [])]
    # Counts and days to disposition read a fact's day only to place it: whole months come from the month rows.
    in_period = OUTCOME_FACTS.dated(start, end, filters, by)
    statement = (
        select(*key_columns, _F.kind, _F.disposition, _F.finding, func.sum(_F.n))
        .where(_F.kind.in_(kinds), *in_period)
        .group_by(*key_columns, _F.kind, _F.disposition, _F.finding)
    )
    for row in conn.execute(statement):
        values = tuple(row)
        key = group_key(by, values[:len(key_columns)])
        kind, disposition, finding, n = values[len(key_columns):]
        n = int(n)
        group = groups[key]
        if kind in ("filed", "reopened"):
            group[kind] += n
        else:
            group["resolved"] += n
            group["dispositions"][disposition] += n
            if disposition in MERITS_DISPOSITIONS:
                group["merits"] += n
                group[disposition] += n
                if finding in group["findings"]:
                    group["findings"][finding] += n
    if flow:
        for key, n in _pending_counts(conn, start, end, by, filters):
            groups[key]["pending_at_end"] += n
    # Time to disposition: exact order statistics of the first rulings' days, ranked in the database.
    for values, summary in summaries(conn, _F.days, _F.n, key_columns, [_F.kind == "first", *in_period], WITHIN_DAYS).items():
        group = groups[group_key(by, values)]
        group.update(first_rulings=summary.count, median_days_to_disposition=summary.median, p90_days_to_disposition=summary.p90,
                     first_rulings_within_60_days=summary.within)
    for key, group in groups.items():
        group["share_within_60_days"] = rate(group["first_rulings_within_60_days"], group["first_rulings"])
        group["liability_rate"] = rate(group["liability_found"], group["merits"])
        if flow:
            group["incoming"] = group["filed"] + group["reopened"]
            group["clearance_rate"] = rate(group["resolved"], group["incoming"])
            if group["resolved"]:
                days_in_period = period_days(*_span(start, end, by, key))
                group["disposition_time_days"] = round(days_in_period * group["pending_at_end"] / group["resolved"], 1)
    return dict(groups)


def _pending_counts(conn: Connection, start: date, end: date, by: str | None, filters: Filters) -> list[tuple[str, int]]:
    """(group key, cases pending at the end of the period), or at the end of each part of a breakdown by
    year or month: the sums of the pending changes dated up to then (groups with none pending left out)."""
    pending = [_F.kind == "pending", *OUTCOME_FACTS.dated(None, end, filters, None if by in TIME_BREAKDOWNS else by)]
    if by not in TIME_BREAKDOWNS:
        key_columns = OUTCOME_FACTS.key_columns(by)
        rows = conn.execute(select(*key_columns, func.sum(_F.n)).where(*pending).group_by(*key_columns))
        counts = [(group_key(by, tuple(row)[:-1]), int(tuple(row)[-1] or 0)) for row in rows]
        return [(key, n) for key, n in counts if n]
    changes = conn.execute(select(_F.day, func.sum(_F.n)).where(*pending).group_by(_F.day).order_by(_F.day)).all()
    result = []
    running = index = 0
    for key, _part_start, part_end in split_period(start, end, str(by)):
        while index < len(changes) and changes[index][0] <= part_end:
            running += int(changes[index][1])
            index += 1
        result.append((key, running))
    return result


def pending_at(conn: Connection, days: Sequence[date], filters: Filters = NO_FILTERS) -> dict[date, int]:
    """How many cases were pending at the end of each of ``days``: the running sum of the
    statistics projection's pending changes (+1 when a case becomes pending, -1 when it stops)."""
    if not days:
        return {}
    pending = [_F.kind == "pending", _F.day <= max(days), *OUTCOME_FACTS.conditions(filters, None)]
    changes = conn.execute(select(_F.day, func.sum(_F.n)).where(*pending).group_by(_F.day).order_by(_F.day)).all()
    result: dict[date, int] = {}
    running = index = 0
    for day in sorted(set(days)):
        while index < len(changes) and changes[index][0] <= day:
            running += int(changes[index][1])
            index += 1
        result[day] = running
    return result


def outcomes(
    conn: Connection, start: date, end: date, *, by: str | None = None, filters: FilterArg = None, public: bool = False
) -> dict[str, Any]:
    """Case flow and outcomes for the period: ``incoming`` (= ``filed`` + ``reopened``), ``resolved``,
    ``clearance_rate``, ``merits``, ``liability_found``, ``no_liability``, ``liability_rate``,
    ``findings`` and ``dispositions`` (name -> count), time to disposition of first rulings
    (``first_rulings``, ``median_days_to_disposition``, ``p90_days_to_disposition``,
    ``share_within_60_days``), ``pending_at_end`` and CEPEJ ``disposition_time_days``.
    ``by``: track, court, specialty, year, month, judge or finding."""
    return _measure(OUTCOMES, _outcomes, _outcome_group, conn, start, end, by, filters, public)


# --- pending caseload and its age (CourTools 4) ------------------------------------------------------------------------

PENDING_BREAKDOWNS = PENDING.breakdowns
PENDING_COUNTS = PENDING.counts
PENDING_BASIS = PENDING.basis
PENDING_RELATIONS = PENDING.relations


def _pending_group() -> dict[str, Any]:
    return {"pending": 0, "age_bands": {band: 0 for band, _, _ in AGE_BANDS}, "median_age_days": None, "p90_age_days": None, "oldest_age_days": None}


def age_band(days: int) -> str:
    for band, low, high in AGE_BANDS:
        if days >= low and (high is None or days <= high):
            return band
    raise ValueError(f"negative age {days}")


def pending(
    conn: Connection, at: date, *, by: str | None = None, filters: FilterArg = None, public: bool = False
) -> dict[str, Any]:
    """The pending caseload at the end of ``at`` and its age (``at`` − ``received_on``):
    ``pending``, ``age_bands`` (0-30, 31-60, 61-90, 91-180, 181-365, >365 days -> count),
    ``median_age_days``, ``p90_age_days``, ``oldest_age_days``. ``by``: track, court, specialty, judge."""
    if by is not None and by not in PENDING_BREAKDOWNS:
        raise ValueError(f"'{by}' is not a breakdown of pending (one of: {', '.join(PENDING_BREAKDOWNS)})")
    if public:
        if at != quarter_of(at)[1]:
            raise ValueError(f"public statistics count the pending caseload at the end of a calendar quarter, not on {at.isoformat()}")
        check_public(*quarter_of(at), by)
    chosen = Filters.of(filters)
    # The pending caseload by the day each case was received (the running sum of the changes up
    # to ``at``), so ages are exact: a histogram of days since receipt.
    ages: dict[str, Counter[int]] = defaultdict(Counter)
    for key, received, n in running(conn, PENDING_AGE, at, at, by, chosen, S.value):
        ages[key][at.toordinal() - int(received)] += n
    if by is None:
        ages.setdefault(ALL, Counter())
    labels = _judge_names(conn) if by == "judge" else {}
    result = []
    for key in sorted(ages):
        histogram = ages[key]
        group: dict[str, Any] = {"key": key}
        if by == "judge":
            group["label"] = labels.get(key, "Unassigned" if key == UNASSIGNED else key)
        group.update(_pending_group())
        group["pending"] = sum(histogram.values())
        for days, n in histogram.items():
            group["age_bands"][age_band(days)] += n
        group.update(median_age_days=histogram_median(histogram), p90_age_days=histogram_p90(histogram), oldest_age_days=max(histogram, default=None))
        result.append(suppress(group, PENDING_COUNTS, PENDING_BASIS, PENDING_RELATIONS) if public else group)
    return {"measure": "pending", "at": at.isoformat(), "by": by, "filters": chosen.as_dict(), "public": public, "groups": result}
