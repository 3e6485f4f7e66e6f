"""Expert examinations, hearings and mediation."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Connection, FromClause, and_, func, or_, select

from domain.vocabulary import MEDIATION_OUTCOMES
from projections import tables as t
from projections.statistics.core import CASE_KEYS, NO_FILTERS, FilterArg, Filters, Groups, _as_of_ends, _grouped, mean, median, p90, rate
from projections.statistics.shape import _measure
from projections.statistics.suppression import Relation

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
