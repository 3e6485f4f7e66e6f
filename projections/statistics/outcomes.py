"""Outcomes (from the statistics projection's pre-aggregated rows) and the pending caseload (from the case rows)."""

from __future__ import annotations

import math
import statistics as pystats
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Connection, extract, func, select

from domain.vocabulary import DISPOSITIONS, FINDINGS, MERITS_DISPOSITIONS
from projections import tables as t
from projections.statistics.core import (
    _CASE_RULINGS,
    AGE_BANDS,
    ALL,
    BREAKDOWNS,
    CASE_KEYS,
    NO_FILTERS,
    TIME_BREAKDOWNS,
    UNASSIGNED,
    WITHIN_DAYS,
    FilterArg,
    Filters,
    Groups,
    _grouped,
    _judge_names,
    _key_value,
    _span,
    check_public,
    median,
    p90,
    pending_condition,
    period_days,
    quarter_of,
    rate,
    split_period,
)
from projections.statistics.shape import _measure
from projections.statistics.suppression import Relation, suppress

# --- outcomes: incoming, resolved, clearance, liability, findings, time to disposition, pending, CEPEJ -------------

OUTCOME_COUNTS = ("incoming", "filed", "reopened", "resolved", "merits", "liability_found", "no_liability", "findings",
                  "dispositions", "first_rulings", "first_rulings_within_60_days", "pending_at_end")
OUTCOME_BASIS = {
    "clearance_rate": ("resolved", "incoming"),
    "liability_rate": ("liability_found", "merits"),
    "median_days_to_disposition": ("first_rulings",),
    "p90_days_to_disposition": ("first_rulings",),
    "share_within_60_days": ("first_rulings_within_60_days", "first_rulings"),
    "disposition_time_days": ("pending_at_end", "resolved"),
}
OUTCOME_RELATIONS: tuple[Relation, ...] = (
    ("incoming", ("filed", "reopened")),
    ("merits", ("liability_found", "no_liability")),
    ("merits", ("findings.*",)),
    ("resolved", ("dispositions.*",)),
    ("liability_found", ("dispositions.liability_found",)),
    ("no_liability", ("dispositions.no_liability",)),
)


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
FACT_KEYS: dict[str, ColumnElement[Any]] = {"track": _F.track, "court": _F.court, "specialty": _F.specialty, "judge": _F.judge_id, "finding": _F.finding}


def _fact_conditions(filters: Filters) -> list[ColumnElement[bool]]:
    """``filters`` on the facts (a fact's judge is the one the breakdown by judge attributes it to; "" is none)."""
    return [FACT_KEYS[name] == ("" if name == "judge" and value == UNASSIGNED else value) for name, value in filters.as_dict().items()]


def _fact_key_columns(by: str | None) -> list[ColumnElement[Any]]:
    if by == "year":
        return [extract("year", _F.day)]
    if by == "month":
        return [extract("year", _F.day), extract("month", _F.day)]
    return [] if by is None else [FACT_KEYS[by]]


def _fact_key(by: str | None, values: Sequence[Any]) -> str:
    if by is None:
        return ALL
    if by == "year":
        return f"{int(values[0])}"
    if by == "month":
        return f"{int(values[0])}-{int(values[1]):02d}"
    return _key_value(by, values[0] or None)


def _histogram_rank(histogram: Mapping[int, int], rank: int) -> int:
    """The value at 1-based ``rank`` of the sorted values a histogram (value -> how many) counts."""
    seen = 0
    for value in sorted(histogram):
        seen += histogram[value]
        if seen >= rank:
            return value
    raise ValueError(f"rank {rank} beyond {seen} values")


def histogram_median(histogram: Mapping[int, int]) -> float | None:
    """``median`` of the values a histogram counts, exactly (the mean of the two middle ones for an even count)."""
    total = sum(histogram.values())
    if not total:
        return None
    low, high = _histogram_rank(histogram, (total + 1) // 2), _histogram_rank(histogram, total // 2 + 1)
    return round(float(pystats.median([low, high])), 1)


def histogram_p90(histogram: Mapping[int, int]) -> int | None:
    """``p90`` (nearest rank) of the values a histogram counts."""
    total = sum(histogram.values())
    return None if not total else _histogram_rank(histogram, math.ceil(0.9 * total))


def _outcomes(conn: Connection, start: date, end: date, by: str | None, filters: Filters = NO_FILTERS) -> Groups:
    flow = by != "finding"  # case flow has no finding
    groups: Groups = defaultdict(lambda: _outcome_group(flow))
    key_columns = _fact_key_columns(by)
    kinds = ["ruling", "first", *(["filed", "reopened"] if flow else [])]
    statement = (
        select(*key_columns, _F.kind, _F.disposition, _F.finding, _F.days, func.sum(_F.n))
        .where(_F.kind.in_(kinds), _F.day.between(start, end), *_fact_conditions(filters))
        .group_by(*key_columns, _F.kind, _F.disposition, _F.finding, _F.days)
    )
    days: dict[str, Counter[int]] = defaultdict(Counter)
    for row in conn.execute(statement):
        values = tuple(row)
        key = _fact_key(by, values[:len(key_columns)])
        kind, disposition, finding, day_count, n = values[len(key_columns):]
        n = int(n)
        group = groups[key]
        if kind in ("filed", "reopened"):
            group[kind] += n
        elif kind == "first":
            days[key][int(day_count)] += n
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
    for key, group in groups.items():
        histogram = days.get(key, Counter())
        group["first_rulings"] = sum(histogram.values())
        group["median_days_to_disposition"] = histogram_median(histogram)
        group["p90_days_to_disposition"] = histogram_p90(histogram)
        group["first_rulings_within_60_days"] = sum(n for d, n in histogram.items() if d <= WITHIN_DAYS)
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
    pending = [_F.kind == "pending", _F.day <= end, *_fact_conditions(filters)]
    if by not in TIME_BREAKDOWNS:
        key_columns = _fact_key_columns(by)
        rows = conn.execute(select(*key_columns, func.sum(_F.n)).where(*pending).group_by(*key_columns))
        counts = [(_fact_key(by, tuple(row)[:-1]), int(tuple(row)[-1] or 0)) for row in rows]
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
    """How many cases were pending at the end of each of ``days``: ``pending_condition`` for many
    days at once, in one pass over the cases' receipts, rulings and reopenings rather than one
    query a day. Whether a case is pending changes only on its own dates (receipt, rulings,
    reopenings), so the rule is applied on those dates and counted up to each day."""
    if not days:
        return {}
    last = max(days)
    cases = t.cases.c
    kept = [cases.received_on <= last, *filters.conditions(CASE_KEYS)]
    received: dict[str, date] = {case_id: on for case_id, on in conn.execute(select(cases.case_id, cases.received_on).where(*kept))}
    rulings: dict[str, list[tuple[int, date]]] = defaultdict(list)
    r = t.rulings.c
    for case_id, version, decided_on in conn.execute(select(r.case_id, r.version, r.decided_on).select_from(_CASE_RULINGS).where(r.decided_on <= last, *kept)):
        rulings[case_id].append((version, decided_on))
    reopenings: dict[str, list[tuple[int, date]]] = defaultdict(list)
    o = t.reopenings.c
    source = t.reopenings.join(t.cases, o.case_id == cases.case_id)
    for case_id, version, reopened_on in conn.execute(select(o.case_id, o.version, o.reopened_on).select_from(source).where(o.reopened_on <= last, *kept)):
        reopenings[case_id].append((version, reopened_on))
    changes: dict[date, int] = defaultdict(int)
    for case_id, received_on in received.items():
        case_rulings = rulings.get(case_id, [])
        case_reopenings = reopenings.get(case_id, [])
        was_pending = False
        for day in sorted({received_on, *(d for _, d in case_rulings), *(d for _, d in case_reopenings)}):
            if day < received_on:
                continue
            opening = max((version for version, on in case_reopenings if on <= day), default=1)
            is_pending = not any(on <= day and version > opening for version, on in case_rulings)
            if is_pending != was_pending:
                changes[day] += 1 if is_pending else -1
                was_pending = is_pending
    result: dict[date, int] = {}
    running = 0
    pending_changes = sorted(changes.items())
    index = 0
    for day in sorted(set(days)):
        while index < len(pending_changes) and pending_changes[index][0] <= day:
            running += pending_changes[index][1]
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
    return _measure("outcomes", _outcomes, _outcome_group, conn, start, end, by, filters, public, BREAKDOWNS, OUTCOME_COUNTS, OUTCOME_BASIS,
                    OUTCOME_RELATIONS)


# --- pending caseload and its age (CourTools 4) ------------------------------------------------------------------------

PENDING_BREAKDOWNS = ("track", "court", "specialty", "judge")
PENDING_COUNTS = ("pending", "age_bands")
PENDING_BASIS = {"median_age_days": ("pending",), "p90_age_days": ("pending",), "oldest_age_days": ("pending",)}
PENDING_RELATIONS: tuple[Relation, ...] = (("pending", ("age_bands.*",)),)


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
    ages: dict[str, list[int]] = defaultdict(list)
    for key, received_on in _grouped(conn, by, CASE_KEYS, t.cases, [pending_condition(at)], t.cases.c.received_on, count=False, filters=chosen):
        ages[key].append((at - received_on).days)
    if by is None:
        ages.setdefault(ALL, [])
    labels = _judge_names(conn) if by == "judge" else {}
    result = []
    for key in sorted(ages):
        values = ages[key]
        group: dict[str, Any] = {"key": key}
        if by == "judge":
            group["label"] = labels.get(key, "Unassigned" if key == UNASSIGNED else key)
        group.update(_pending_group())
        group["pending"] = len(values)
        for days in values:
            group["age_bands"][age_band(days)] += 1
        group.update(median_age_days=median(values), p90_age_days=p90(values), oldest_age_days=max(values, default=None))
        result.append(suppress(group, PENDING_COUNTS, PENDING_BASIS, PENDING_RELATIONS) if public else group)
    return {"measure": "pending", "at": at.isoformat(), "by": by, "filters": chosen.as_dict(), "public": public, "groups": result}
