"""The court's statistics (DOMAIN.md section 4), computed from the read models.

Every function takes an open SQLAlchemy ``Connection`` to the read models, a period (a
closed range of court-local dates) or a date, and keywords: ``by`` (a breakdown),
``filters`` (which rows count: ``Filters`` or a mapping of ``court``, ``track``,
``specialty``, ``judge``) and ``public``. It returns a plain dict ``{"measure", "from",
"to", "by", "filters", "public", "groups": [...]}``; each group has its ``key`` (``"all"``
without a breakdown) and the measure's figures. Counts are SQL aggregates; medians and
percentiles are computed from the day counts SQL returns.

Definitions, where DOMAIN.md leaves a choice:

- Rates are percentages rounded to 2 places; a rate or mean whose denominator is zero is
  ``None``. Days are calendar days between court-local dates.
- "As of D" means dated on or before D (``received_on``, ``decided_on``, ``reopened_on``);
  "after its latest (re)opening" means recorded later (a higher case version), so a
  backdated ruling still closes the case it was recorded in.
- Percentile p90 is the nearest-rank percentile; medians use ``statistics.median``.
- Breakdowns by year or month split the period at calendar boundaries and compute every
  measure for each part (so ``pending_at_end`` is at the end of each month). Breakdowns by
  judge attribute a ruling to the judge who gave it, an examination to the judge who
  ordered it, a hearing to the judge it was booked for, and anything else to the case's
  current judge (``"unassigned"`` if none). A breakdown by finding applies to measures
  of rulings only; the others are ``None`` there (a case has no finding until ruled).
- Filters (court, track, specialty, judge; any combination, with any breakdown) keep the
  rows whose value of that dimension is the one asked for, attributed exactly as the
  breakdown by it attributes them: a judge filter counts a ruling for the judge who gave
  it, an examination for the judge who ordered it, a hearing for the judge it was booked
  for, the rest for the case's current judge (``"unassigned"``: rows with no judge); a
  court filter counts a hearing for the court it is held in. So a filtered figure is
  always the matching group of the breakdown by that dimension, for each part of a
  breakdown by year or month too.
- Public outputs (``public=True``) suppress small cells, group by group:

  1. *Primary*: a count from 1 to 4 is shown as ``"<5"``.
  2. *Complementary*: the counts of a group are tied by additive relations (``incoming``
     = ``filed`` + ``reopened``; ``merits`` = ``liability_found`` + ``no_liability`` = the
     sum of ``findings``; ``resolved`` = the sum of ``dispositions``, whose
     ``liability_found`` and ``no_liability`` are those counts again; a pending caseload is
     the sum of its age bands; ``overdue`` = ``reported_late`` + ``missing_overdue_at_end``;
     concluded mediations and decided appeals are the sums of their outcomes: the
     ``*_RELATIONS`` below). While a hidden count can be worked out from the shown figures
     of the group, one more count is hidden, shown as ``"suppressed"``: the shown count of
     those relations whose hiding frees it (preferring the smallest non-zero one). In the
     end no hidden count is the difference of shown ones, and none is pinned down by the
     relations' bounds either ("<5" is 1-4, so two "<5" adding up to 2 are both 1; a
     complementary count is 0 or at least 5), unless even hiding every count of its
     relations would not free it (four "<5" in a total of "<5" are all 1). Protection is
     within a group: figures of different queries (a total against the sum of its
     breakdown's groups, a month against its year) are not reconciled.
  3. *Derived*: every figure built on a hidden count (rate, mean, median, percentile,
     money total) is shown as ``"suppressed"``; a rate is built on both its counts.
"""

from __future__ import annotations

import calendar
import contextlib
import csv
import io
import math
import statistics as pystats
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, TypeGuard

from sqlalchemy import ColumnElement, Connection, FromClause, and_, exists, extract, func, or_, select
from sqlalchemy.sql import Select

from domain.vocabulary import APPEAL_OUTCOMES, DISPOSITIONS, FINDINGS, MEDIATION_OUTCOMES, MERITS_DISPOSITIONS
from projections import tables as t
from projections.tables import HEADS

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


# --- public output ------------------------------------------------------------------------------------------------

Relation = tuple[str, tuple[str, ...]]
"""A total and the parts it is the sum of, as paths into a group (``findings.*``: every finding)."""

_UNBOUNDED = 10**15


def _is_count(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _count_cells(group: Mapping[str, Any], counts: Iterable[str]) -> dict[str, int]:
    """Every count of the group by its path (``findings.malpractice`` for a count in a dict)."""
    cells: dict[str, int] = {}
    for name in counts:
        value = group.get(name)
        if isinstance(value, dict):
            cells.update({f"{name}.{key}": v for key, v in value.items() if _is_count(v)})
        elif _is_count(value):
            cells[name] = value
    return cells


def _expand(paths: Iterable[str], cells: Mapping[str, int]) -> list[str]:
    expanded: list[str] = []
    for path in paths:
        if path.endswith(".*"):
            expanded.extend(p for p in cells if p.startswith(path[:-1]))
        else:
            expanded.append(path)
    return expanded


def _pinned(cells: Mapping[str, int], primary: set[str], secondary: set[str], relations: Sequence[tuple[str, list[str]]]) -> set[str]:
    """The hidden cells whose values follow from the relations and what is shown (bounds
    propagation: a shown count is exact, ``"<5"`` is 1-4, a complementary cell 0 or 5 and more)."""
    bounds = {p: (v, v) for p, v in cells.items()}
    bounds.update({p: (1, 4) for p in primary})
    bounds.update({p: (0, _UNBOUNDED) for p in secondary})

    def tighten(path: str, low: int, high: int) -> bool:
        old_low, old_high = bounds[path]
        low, high = max(low, old_low), min(high, old_high)
        if path in secondary:  # shown counts hidden as complements were never 1-4
            low = 5 if 1 <= low <= 4 else low
            high = 0 if 1 <= high <= 4 else high
        if (low, high) != (old_low, old_high) and low <= high:
            bounds[path] = (low, high)
            return True
        return False

    for _round in range(4 * len(cells) + 4):
        changed = False
        for total, parts in relations:
            low_sum = sum(bounds[p][0] for p in parts)
            high_sum = sum(bounds[p][1] for p in parts)
            changed |= tighten(total, low_sum, high_sum)
            total_low, total_high = bounds[total]
            for part in parts:
                part_low, part_high = bounds[part]
                changed |= tighten(part, total_low - (high_sum - part_high), total_high - (low_sum - part_low))
        if not changed:
            break
    return {p for p in primary | secondary if bounds[p][0] == bounds[p][1]}


def hidden_cells(group: Mapping[str, Any], counts: Iterable[str], relations: Iterable[Relation] = ()) -> dict[str, str]:
    """The counts of a group the public may not see, by path: ``"<5"`` for a count from 1 to 4,
    ``"suppressed"`` for a count hidden so that those cannot be worked out (see the module docstring)."""
    cells = _count_cells(group, counts)
    primary = {path for path, value in cells.items() if 1 <= value <= 4}
    secondary: set[str] = set()
    # Only the relations that hold in this group (a None figure, e.g. incoming by finding, ties nothing).
    ties: list[tuple[str, list[str]]] = []
    for total, parts in relations:
        members = _expand(parts, cells)
        if total in cells and members and all(p in cells for p in members) and cells[total] == sum(cells[p] for p in members):
            ties.append((total, members))
    tied = sorted({path for total, members in ties for path in (total, *members)})
    unfixable: set[str] = set()
    while primary and ties:
        pinned = _pinned(cells, primary, secondary, ties) - unfixable
        if not pinned:
            break
        exposed = min(pinned)
        shown = [p for p in tied if p not in primary and p not in secondary]
        if exposed in _pinned(cells, primary, secondary | set(shown), ties):
            unfixable.add(exposed)  # hiding everything left would not free it (e.g. "<5" cells that must all be 1)
            continue
        # Hide the shown count that best frees it: one after which it is no longer pinned, else
        # one leaving the fewest small counts pinned; then small non-zero counts (zeros hide little).
        scores = []
        for candidate in shown:
            after = _pinned(cells, primary, secondary | {candidate}, ties) - unfixable
            scores.append((exposed in after, len(after & primary), cells[candidate] == 0, cells[candidate], candidate))
        secondary.add(min(scores)[-1])
    return {path: SMALL if path in primary else SUPPRESSED for path in primary | secondary}


def suppress(group: dict[str, Any], counts: Iterable[str], basis: Mapping[str, tuple[str, ...]],
             relations: Iterable[Relation] = ()) -> dict[str, Any]:
    """The group as the public may see it. ``counts`` names count fields (or dicts of counts);
    ``basis`` maps each derived figure to the counts it is built on (paths; ``outcomes.*``);
    ``relations`` ties counts together (see ``hidden_cells``)."""
    counts = list(counts)
    hidden = hidden_cells(group, counts, relations)
    cells = _count_cells(group, counts)
    shown: dict[str, Any] = {}
    for name, value in group.items():
        if name in basis:
            withheld = any(path in hidden for path in _expand(basis[name], cells))
            if isinstance(value, dict):
                shown[name] = {k: (SUPPRESSED if withheld and v is not None else v) for k, v in value.items()}
            else:
                shown[name] = SUPPRESSED if withheld and value is not None else value
        elif isinstance(value, dict):
            shown[name] = {k: hidden.get(f"{name}.{k}", v) for k, v in value.items()}
        else:
            shown[name] = hidden.get(name, value)
    return shown


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


# --- the generic shape of a measure ---------------------------------------------------------------------------------


def _measure(
    name: str,
    compute: Callable[[Connection, date, date, str | None, Filters], Groups],
    empty: Callable[[], dict[str, Any]],
    conn: Connection,
    start: date,
    end: date,
    by: str | None,
    filters: FilterArg,
    public: bool,
    allowed: Sequence[str],
    counts: Iterable[str],
    basis: Mapping[str, tuple[str, ...]],
    relations: Iterable[Relation] = (),
) -> dict[str, Any]:
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
    counts = list(counts)
    relations = list(relations)
    result = []
    for key in sorted(groups):
        group: dict[str, Any] = {"key": key}
        if by == "judge":
            group["label"] = labels.get(key, "Unassigned" if key == UNASSIGNED else key)
        group.update(groups[key])
        result.append(suppress(group, counts, basis, relations) if public else group)
    return {"measure": name, "from": start.isoformat(), "to": end.isoformat(), "by": by, "filters": chosen.as_dict(), "public": public,
            "groups": result}


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


# --- expert examinations: turnaround and overdue ------------------------------------------------------------------------

EXPERT_BREAKDOWNS = ("track", "court", "specialty", "year", "month", "judge", "expert")
EXPERT_COUNTS = ("ordered", "reported", "reported_late", "missing_overdue_at_end", "overdue")
EXPERT_BASIS = {
    "median_turnaround_days": ("reported",), "mean_turnaround_days": ("reported",), "p90_turnaround_days": ("reported",),
    "late_rate": ("reported_late", "reported"),
}
EXPERT_RELATIONS: tuple[Relation, ...] = (("overdue", ("reported_late", "missing_overdue_at_end")),)


def _expert_group() -> dict[str, Any]:
    return {
        "ordered": 0, "reported": 0, "median_turnaround_days": None, "mean_turnaround_days": None, "p90_turnaround_days": None,
        "reported_late": 0, "late_rate": None, "missing_overdue_at_end": 0, "overdue": 0,
    }


def _experts(conn: Connection, start: date, end: date, by: str | None, filters: Filters = NO_FILTERS) -> Groups:
    keys: dict[str, ColumnElement[Any]] = {**CASE_KEYS, "judge": t.examinations.c.judge_id, "expert": t.examination_experts.c.expert_id}
    source: FromClause = t.examinations.join(t.cases, t.examinations.c.case_id == t.cases.c.case_id)
    if by == "expert":
        source = source.join(
            t.examination_experts,
            and_(t.examination_experts.c.case_id == t.examinations.c.case_id, t.examination_experts.c.examination_id == t.examinations.c.examination_id),
        )
    groups: Groups = defaultdict(_expert_group)
    exams = t.examinations.c
    for key, n in _grouped(conn, by, keys, source, [exams.ordered_on.between(start, end)], filters=filters, dated=exams.ordered_on):
        groups[key]["ordered"] += n
    reported = [exams.status == "reported", exams.received_on.between(start, end)]
    turnaround: dict[str, list[int]] = defaultdict(list)
    for key, ordered_on, due_on, received_on in _grouped(
        conn, by, keys, source, reported, exams.ordered_on, exams.due_on, exams.received_on, count=False, filters=filters, dated=exams.received_on
    ):
        turnaround[key].append((received_on - ordered_on).days)
        groups[key]["reported"] += 1
        groups[key]["reported_late"] += received_on > due_on
    # Still missing at the end of the period (of each part), past the due date: ordered by
    # then, neither reported nor withdrawn by then.
    for part, _part_start, part_end in _as_of_ends(start, end, by):
        missing = [
            exams.ordered_on <= part_end,
            exams.due_on < part_end,
            or_(exams.received_on.is_(None), exams.received_on > part_end),
            or_(exams.withdrawn_on.is_(None), exams.withdrawn_on > part_end),
        ]
        for key, n in _grouped(conn, None if part else by, keys, source, missing, filters=filters):
            groups[part or key]["missing_overdue_at_end"] += n
    for key, group in groups.items():
        values = turnaround.get(key, [])
        group.update(median_turnaround_days=median(values), mean_turnaround_days=mean(values), p90_turnaround_days=p90(values))
        group["late_rate"] = rate(group["reported_late"], group["reported"])
        group["overdue"] = group["reported_late"] + group["missing_overdue_at_end"]
    return dict(groups)


def experts(
    conn: Connection, start: date, end: date, *, by: str | None = None, filters: FilterArg = None, public: bool = False
) -> dict[str, Any]:
    """Expert examinations: ``ordered`` in the period; ``reported`` in the period with turnaround
    (order to report: median, mean, p90 days); ``reported_late`` (after the due date) and
    ``late_rate``; ``missing_overdue_at_end`` (no report, not withdrawn, past due at the end of
    the period); ``overdue`` = both. ``by``: track, court, specialty, year, month, judge, expert
    (an examination by a commission counts for each of its experts)."""
    result = _measure("experts", _experts, _expert_group, conn, start, end, by, filters, public, EXPERT_BREAKDOWNS, EXPERT_COUNTS, EXPERT_BASIS,
                      EXPERT_RELATIONS)
    if by == "expert":
        ee = t.examination_experts
        names: dict[str, str] = {row[0]: row[1] for row in conn.execute(select(ee.c.expert_id, func.max(ee.c.expert_name)).group_by(ee.c.expert_id))}
        for group in result["groups"]:
            group["label"] = names.get(group["key"], group["key"])
    return result


# --- hearings: trial date certainty (CourTools 5) ------------------------------------------------------------------------

HEARING_BREAKDOWNS = ("track", "court", "specialty", "year", "month", "judge")
HEARING_COUNTS = ("held", "held_as_first_scheduled", "reschedulings", "cancelled")
HEARING_BASIS = {"date_certainty_rate": ("held_as_first_scheduled", "held"), "mean_reschedulings": ("reschedulings", "held")}


def _hearing_group() -> dict[str, Any]:
    return {"held": 0, "held_as_first_scheduled": 0, "date_certainty_rate": None, "reschedulings": 0, "mean_reschedulings": None, "cancelled": 0}


def _hearings(conn: Connection, start: date, end: date, by: str | None, filters: Filters = NO_FILTERS) -> Groups:
    keys: dict[str, ColumnElement[Any]] = {**CASE_KEYS, "court": t.hearings.c.court, "judge": t.hearings.c.judge_id}
    source = t.hearings.join(t.cases, t.hearings.c.case_id == t.cases.c.case_id)
    groups: Groups = defaultdict(_hearing_group)
    on_days = t.hearings.c.starts_on.between(start, end)
    for key, status, reschedule_count, n in _grouped(
        conn, by, keys, source, [on_days], t.hearings.c.status, t.hearings.c.reschedule_count, filters=filters, dated=t.hearings.c.starts_on
    ):
        group = groups[key]
        if status == "held":
            group["held"] += n
            group["reschedulings"] += reschedule_count * n
            if reschedule_count == 0:
                group["held_as_first_scheduled"] += n
        elif status == "cancelled":
            group["cancelled"] += n
    for group in groups.values():
        group["date_certainty_rate"] = rate(group["held_as_first_scheduled"], group["held"])
        group["mean_reschedulings"] = round(group["reschedulings"] / group["held"], 2) if group["held"] else None
    return dict(groups)


def hearings(
    conn: Connection, start: date, end: date, *, by: str | None = None, filters: FilterArg = None, public: bool = False
) -> dict[str, Any]:
    """Trial date certainty of hearings dated in the period (court-local date of the time they were
    held at): ``held``, ``held_as_first_scheduled`` (never rescheduled), ``date_certainty_rate``,
    ``reschedulings`` and ``mean_reschedulings`` per held hearing, ``cancelled``.
    ``by``: track, court, specialty, year, month, judge."""
    return _measure("hearings", _hearings, _hearing_group, conn, start, end, by, filters, public, HEARING_BREAKDOWNS, HEARING_COUNTS, HEARING_BASIS)


# --- mediation ------------------------------------------------------------------------------------------------------------

MEDIATION_BREAKDOWNS = ("track", "court", "specialty", "year", "month", "judge", "mediator")
MEDIATION_COUNTS = ("referred", "concluded", "outcomes")
MEDIATION_BASIS = {"success_rate": ("outcomes.settled", "concluded"), "median_days_to_conclusion": ("concluded",)}
MEDIATION_RELATIONS: tuple[Relation, ...] = (("concluded", ("outcomes.*",)),)


def _mediation_group() -> dict[str, Any]:
    return {"referred": 0, "concluded": 0, "outcomes": dict.fromkeys(MEDIATION_OUTCOMES, 0), "success_rate": None, "median_days_to_conclusion": None}


def _mediation(conn: Connection, start: date, end: date, by: str | None, filters: Filters = NO_FILTERS) -> Groups:
    keys: dict[str, ColumnElement[Any]] = {**CASE_KEYS, "mediator": t.mediations.c.mediator_id}
    source = t.mediations.join(t.cases, t.mediations.c.case_id == t.cases.c.case_id)
    groups: Groups = defaultdict(_mediation_group)
    referred = t.mediations.c.referred_on
    for key, n in _grouped(conn, by, keys, source, [referred.between(start, end)], filters=filters, dated=referred):
        groups[key]["referred"] += n
    durations: dict[str, list[int]] = defaultdict(list)
    concluded = [t.mediations.c.concluded_on.between(start, end)]
    for key, outcome, referred_on, concluded_on in _grouped(
        conn, by, keys, source, concluded, t.mediations.c.outcome, t.mediations.c.referred_on, t.mediations.c.concluded_on, count=False, filters=filters,
        dated=t.mediations.c.concluded_on
    ):
        groups[key]["concluded"] += 1
        groups[key]["outcomes"][outcome] += 1
        durations[key].append((concluded_on - referred_on).days)
    for key, group in groups.items():
        group["success_rate"] = rate(group["outcomes"]["settled"], group["concluded"])
        group["median_days_to_conclusion"] = median(durations.get(key, []))
    return dict(groups)


def mediation(
    conn: Connection, start: date, end: date, *, by: str | None = None, filters: FilterArg = None, public: bool = False
) -> dict[str, Any]:
    """Mediation (and criminal reconciliation): ``referred`` and ``concluded`` in the period,
    ``outcomes`` (settled, failed, withdrawn -> count), ``success_rate`` = settled / concluded,
    ``median_days_to_conclusion``. ``by``: track, court, specialty, year, month, judge, mediator."""
    result = _measure("mediation", _mediation, _mediation_group, conn, start, end, by, filters, public, MEDIATION_BREAKDOWNS, MEDIATION_COUNTS, MEDIATION_BASIS,
                      MEDIATION_RELATIONS)
    if by == "mediator":
        m = t.mediations
        names: dict[str, str] = {row[0]: row[1] for row in conn.execute(select(m.c.mediator_id, func.max(m.c.mediator_name)).group_by(m.c.mediator_id))}
        for group in result["groups"]:
            group["label"] = names.get(group["key"], group["key"])
    return result


# --- compensation -----------------------------------------------------------------------------------------------------------

COMPENSATION_BREAKDOWNS = ("track", "court", "specialty", "year", "month", "judge", "finding")
COMPENSATION_COUNTS = ("rulings", "claims", "rulings_with_award", "rulings_with_insurer_compensation")
COMPENSATION_BASIS = {
    "claimed": ("claims",), "awarded": ("rulings", "rulings_with_award"), "payable": ("rulings", "rulings_with_award"),
    "award_to_claim_rate": ("claims", "rulings_with_award"),
    "median_award": ("rulings_with_award",), "insurer_compensation": ("rulings_with_insurer_compensation",),
}


def _compensation_group() -> dict[str, Any]:
    totals = {**dict.fromkeys(HEADS, 0), "total": 0}
    return {
        "rulings": 0, "claims": 0, "rulings_with_award": 0, "claimed": dict(totals), "awarded": dict(totals), "payable": dict(totals),
        "award_to_claim_rate": None, "median_award": None, "rulings_with_insurer_compensation": 0, "insurer_compensation": 0,
    }


def _compensation(conn: Connection, start: date, end: date, by: str | None, filters: Filters = NO_FILTERS) -> Groups:
    claim_total = sum((t.cases.c[f"claimed_{head}"] for head in HEADS[1:]), t.cases.c[f"claimed_{HEADS[0]}"])
    decided = t.rulings.c.decided_on
    merits = [decided.between(start, end), t.rulings.c.disposition.in_(MERITS_DISPOSITIONS), claim_total > 0]
    # A case's claim counts once, with its first merits ruling of the period, whoever gave it.
    earlier = t.rulings.alias("earlier")
    same_part = [extract("year", earlier.c.decided_on) == extract("year", decided)] if by in TIME_BREAKDOWNS else []
    if by == "month":  # each month of a breakdown by month is a period of its own
        same_part.append(extract("month", earlier.c.decided_on) == extract("month", decided))
    first_in_period = ~exists().where(
        earlier.c.case_id == t.rulings.c.case_id, earlier.c.version < t.rulings.c.version,
        earlier.c.decided_on.between(start, end), earlier.c.disposition.in_(MERITS_DISPOSITIONS), *same_part,
    )
    columns = [first_in_period.label("claim_counts")] + [t.cases.c[f"claimed_{h}"] for h in HEADS]
    columns += [t.rulings.c[f"awarded_{h}"] for h in HEADS] + [t.rulings.c[f"payable_{h}"] for h in HEADS]
    groups: Groups = defaultdict(_compensation_group)
    awards: dict[str, list[int]] = defaultdict(list)
    heads = len(HEADS)
    for key, claim_counts, *values in _grouped(conn, by, RULING_KEYS, _CASE_RULINGS, merits, *columns, count=False, filters=filters, dated=decided):
        group = groups[key]
        group["rulings"] += 1
        parts = (("claimed", values[:heads]), ("awarded", values[heads:2 * heads]), ("payable", values[2 * heads:]))
        for part, amounts in parts:
            if part == "claimed" and not claim_counts:
                continue
            for head, amount in zip(HEADS, amounts, strict=True):
                group[part][head] += amount
                group[part]["total"] += amount
        group["claims"] += bool(claim_counts)
        awarded = sum(values[heads:2 * heads])
        if awarded:
            group["rulings_with_award"] += 1
            awards[key].append(awarded)
    # No-fault insurer (HCPL) compensation is its own head: in merits rulings and in approved settlements (R3).
    insured = [decided.between(start, end), t.rulings.c.insurer_compensation > 0]
    for key, insurer in _grouped(conn, by, RULING_KEYS, _CASE_RULINGS, insured, t.rulings.c.insurer_compensation, count=False, filters=filters, dated=decided):
        groups[key]["rulings_with_insurer_compensation"] += 1
        groups[key]["insurer_compensation"] += insurer
    for key, group in groups.items():
        group["award_to_claim_rate"] = rate(group["awarded"]["total"], group["claimed"]["total"])
        values = awards.get(key, [])
        group["median_award"] = pystats.median(values) if values else None
    return dict(groups)


def compensation(
    conn: Connection, start: date, end: date, *, by: str | None = None, filters: FilterArg = None, public: bool = False
) -> dict[str, Any]:
    """Compensation in merits rulings of the period on claims for compensation: ``rulings``,
    ``claimed``, ``awarded`` and ``payable`` (per head and ``total``, KZT decimal strings),
    ``award_to_claim_rate`` (awarded / claimed), ``rulings_with_award``, ``median_award`` (total
    awarded per ruling with an award), no-fault ``insurer_compensation`` and how many rulings
    granted it. A case's claim counts once, with its first merits ruling of the period (``claims``:
    how many); insurer compensation counts in every ruling of the period that grants it, merits
    rulings and approved settlements alike. ``by``: track, court, specialty, year, month, judge, finding."""
    result = _measure("compensation", _compensation, _compensation_group, conn, start, end, by, filters, public, COMPENSATION_BREAKDOWNS, COMPENSATION_COUNTS, COMPENSATION_BASIS)
    for group in result["groups"]:
        for part in ("claimed", "awarded", "payable"):
            group[part] = {head: (v if v == SUPPRESSED else money(v)) for head, v in group[part].items()}
        for name in ("median_award", "insurer_compensation"):
            if group[name] != SUPPRESSED:
                group[name] = money(group[name])
    return result


# --- appeals ----------------------------------------------------------------------------------------------------------------

APPEAL_BREAKDOWNS = ("track", "court", "specialty", "year", "month", "judge", "finding")
APPEAL_COUNTS = ("rulings", "appeals_filed", "appeals_decided", "outcomes", "appeals_changed")
APPEAL_BASIS = {"appeal_rate": ("appeals_filed", "rulings"), "reversal_rate": ("appeals_changed", "appeals_decided")}
CHANGED_ON_APPEAL = ("reversed", "modified", "remanded")
APPEAL_RELATIONS: tuple[Relation, ...] = (
    ("appeals_decided", ("outcomes.*",)),
    ("appeals_decided", ("outcomes.upheld", "appeals_changed")),
    ("appeals_changed", tuple(f"outcomes.{outcome}" for outcome in CHANGED_ON_APPEAL)),
)


def _appeal_group() -> dict[str, Any]:
    return {
        "rulings": 0, "appeals_filed": 0, "appeal_rate": None, "appeals_decided": 0,
        "outcomes": dict.fromkeys(APPEAL_OUTCOMES, 0), "appeals_changed": 0, "reversal_rate": None,
    }


def _appeals(conn: Connection, start: date, end: date, by: str | None, filters: Filters = NO_FILTERS) -> Groups:
    source = t.appeals.join(t.rulings, and_(t.rulings.c.case_id == t.appeals.c.case_id, t.rulings.c.ruling_id == t.appeals.c.ruling_id)).join(
        t.cases, t.cases.c.case_id == t.appeals.c.case_id
    )
    groups: Groups = defaultdict(_appeal_group)
    decided = t.rulings.c.decided_on
    for key, n in _grouped(conn, by, RULING_KEYS, _CASE_RULINGS, [decided.between(start, end)], filters=filters, dated=decided):
        groups[key]["rulings"] += n
    filed = t.appeals.c.filed_on
    for key, n in _grouped(conn, by, RULING_KEYS, source, [filed.between(start, end)], filters=filters, dated=filed):
        groups[key]["appeals_filed"] += n
    appeal_decided = t.appeals.c.decided_on
    for key, outcome, n in _grouped(
        conn, by, RULING_KEYS, source, [appeal_decided.between(start, end)], t.appeals.c.outcome, filters=filters, dated=appeal_decided
    ):
        groups[key]["appeals_decided"] += n
        groups[key]["outcomes"][outcome] += n
    for group in groups.values():
        group["appeal_rate"] = rate(group["appeals_filed"], group["rulings"])
        group["appeals_changed"] = sum(group["outcomes"][outcome] for outcome in CHANGED_ON_APPEAL)
        group["reversal_rate"] = rate(group["appeals_changed"], group["appeals_decided"])
    return dict(groups)


def appeals(
    conn: Connection, start: date, end: date, *, by: str | None = None, filters: FilterArg = None, public: bool = False
) -> dict[str, Any]:
    """Appeals: ``rulings`` given in the period, ``appeals_filed`` in it and ``appeal_rate`` =
    appeals filed / rulings; ``appeals_decided`` in it with ``outcomes`` (upheld, modified,
    reversed, remanded -> count) and ``reversal_rate`` = (reversed + modified + remanded) /
    decided. Appeals are grouped by the ruling appealed against (its judge, its finding).
    ``by``: track, court, specialty, year, month, judge, finding."""
    return _measure("appeals", _appeals, _appeal_group, conn, start, end, by, filters, public, APPEAL_BREAKDOWNS, APPEAL_COUNTS, APPEAL_BASIS,
                    APPEAL_RELATIONS)


# --- the funnel ------------------------------------------------------------------------------------------------------------

CARE_NOT_MET = ("no", "partly")  # DOMAIN.md section 4: a standard of care not met, wholly or in part
FUNNEL_BREAKDOWNS = ("track", "court", "specialty", "year", "month", "judge")
FUNNEL_COUNTS = ("filed", "care_not_met", "malpractice", "liability_found")
FUNNEL_BASIS = {
    "care_not_met_rate": ("care_not_met", "filed"), "malpractice_rate": ("malpractice", "care_not_met"),
    "liability_rate": ("liability_found", "malpractice"),
}


def _funnel_group() -> dict[str, Any]:
    return {"filed": 0, "care_not_met": 0, "care_not_met_rate": None, "malpractice": 0, "malpractice_rate": None, "liability_found": 0, "liability_rate": None}


def _funnel(conn: Connection, start: date, end: date, by: str | None, filters: Filters = NO_FILTERS) -> Groups:
    groups: Groups = defaultdict(_funnel_group)
    for part, part_start, part_end in _as_of_ends(start, end, by):
        not_met = exists().where(
            t.examinations.c.case_id == t.cases.c.case_id, t.examinations.c.standard_of_care_met.in_(CARE_NOT_MET), t.examinations.c.received_on <= part_end
        )
        malpractice = exists().where(
            t.rulings.c.case_id == t.cases.c.case_id, t.rulings.c.finding == "malpractice", t.rulings.c.decided_on <= part_end
        )
        liable = exists().where(
            t.rulings.c.case_id == t.cases.c.case_id, t.rulings.c.disposition == "liability_found", t.rulings.c.decided_on <= part_end
        )
        cohort = t.cases.c.received_on.between(part_start, part_end)
        stages = (("filed", [cohort]), ("care_not_met", [cohort, not_met]), ("malpractice", [cohort, not_met, malpractice]),
                  ("liability_found", [cohort, not_met, malpractice, liable]))
        for stage, where in stages:
            for key, n in _grouped(conn, None if part else by, CASE_KEYS, t.cases, where, filters=filters):
                groups[part or key][stage] += n
    for group in groups.values():
        group["care_not_met_rate"] = rate(group["care_not_met"], group["filed"])
        group["malpractice_rate"] = rate(group["malpractice"], group["care_not_met"])
        group["liability_rate"] = rate(group["liability_found"], group["malpractice"])
    return dict(groups)


def funnel(
    conn: Connection, start: date, end: date, *, by: str | None = None, filters: FilterArg = None, public: bool = False
) -> dict[str, Any]:
    """The funnel of the cases received in the period, as of its end, each stage within the one
    before: ``filed`` -> ``care_not_met`` (an expert report found the standard of care not met)
    -> ``malpractice`` (a ruling found malpractice) -> ``liability_found``, with the rate of each
    step. ``by``: track, court, specialty, year, month, judge."""
    return _measure("funnel", _funnel, _funnel_group, conn, start, end, by, filters, public, FUNNEL_BREAKDOWNS, FUNNEL_COUNTS, FUNNEL_BASIS)


MEASURES: dict[str, Callable[..., dict[str, Any]]] = {
    "outcomes": outcomes,
    "experts": experts,
    "hearings": hearings,
    "mediation": mediation,
    "compensation": compensation,
    "appeals": appeals,
    "funnel": funnel,
}
"""The period measures by name (``pending`` takes a date instead of a period)."""


# --- CSV ------------------------------------------------------------------------------------------------------------------


def flatten(group: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """One level of columns: nested figures become ``findings_malpractice``, ``awarded_total``..."""
    flat: dict[str, Any] = {}
    for name, value in group.items():
        if isinstance(value, dict):
            flat.update(flatten(value, f"{prefix}{name}_"))
        else:
            flat[f"{prefix}{name}"] = value
    return flat


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def spreadsheet_safe(value: Any) -> Any:
    """A cell value no spreadsheet will run: text starting like a formula (``=HYPERLINK(...)``, ``+``,
    ``-``, ``@``, a tab or line break; OWASP's "CSV injection") gets a leading apostrophe; numbers,
    and text that is a number (``-1.50``), stay as they are."""
    if not isinstance(value, str) or not value.startswith(FORMULA_STARTS):
        return value
    try:
        Decimal(value)
    except ArithmeticError:
        return "'" + value
    return value if value.strip() == value else "'" + value


def table_rows(result: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    """A measure's groups as columns and rows (one per group; nested figures flattened; ``None``
    as an empty cell), every cell spreadsheet-safe: what the CSV and XLSX downloads write."""
    rows = [flatten(group) for group in result["groups"]]
    columns: list[str] = []
    for row in rows:
        columns.extend(name for name in row if name not in columns)
    cells = [[spreadsheet_safe("" if row.get(name) is None else row[name]) for name in columns] for row in rows]
    return [str(spreadsheet_safe(name)) for name in columns], cells


def to_csv(result: dict[str, Any]) -> str:
    """A measure's groups as CSV, one row per group; empty cells for ``None``."""
    columns, rows = table_rows(result)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return out.getvalue()


XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def to_xlsx(result: dict[str, Any]) -> bytes:
    """The same table as ``to_csv`` as an Excel workbook (openpyxl): one sheet of figures, one row per
    group, and a sheet naming the query (measure, period, breakdown, filters, public). Text is always
    stored as text, never as a formula, whatever it starts with."""
    from openpyxl import Workbook  # imported here: only downloads need it

    columns, rows = table_rows(result)
    workbook = Workbook(write_only=True)
    figures = workbook.create_sheet(str(result.get("measure", "figures"))[:31])
    for values in [columns, *rows]:
        figures.append([_xlsx_cell(figures, value) for value in values])
    about = workbook.create_sheet("query")
    query: dict[str, Any] = {name: result.get(name) for name in ("measure", "from", "to", "at", "by", "public") if name in result}
    query.update({f"filter {name}": value for name, value in (result.get("filters") or {}).items()})
    for name, value in query.items():
        about.append([_xlsx_cell(about, name), _xlsx_cell(about, "" if value is None else str(value))])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _xlsx_cell(sheet: Any, value: Any) -> Any:
    """Text as a string cell (openpyxl would otherwise store text starting with "=" as a formula)."""
    if not isinstance(value, str) or value == "":
        return value if value != "" else None
    with contextlib.suppress(ArithmeticError):
        number = Decimal(value)
        if number.is_finite() and value.strip() == value:
            return number  # money and figures as numbers a spreadsheet can add up
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    return cell
