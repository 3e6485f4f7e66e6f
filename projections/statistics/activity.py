"""Expert examinations, hearings and mediation, from the statistics projection's section facts."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from sqlalchemy import Connection, select

from domain.vocabulary import MEDIATION_OUTCOMES
from projections import tables as t
from projections.section_facts import EXAM_MISSING, EXAM_ORDERED, EXAM_REPORTED, HEARING, MEDIATION_CONCLUDED, MEDIATION_REFERRED
from projections.statistics.core import NO_FILTERS, FilterArg, Filters, Groups, rate
from projections.statistics.facts import S, running, summarised, summed
from projections.statistics.registry import EXPERTS, HEARINGS, MEDIATION
from projections.statistics.shape import _measure

# --- expert examinations: turnaround and overdue ------------------------------------------------------------------------

EXPERT_BREAKDOWNS = EXPERTS.breakdowns
EXPERT_COUNTS = EXPERTS.counts
EXPERT_BASIS = EXPERTS.basis
EXPERT_RELATIONS = EXPERTS.relations


def _expert_group() -> dict[str, Any]:
    return {
        "ordered": 0, "reported": 0, "median_turnaround_days": None, "mean_turnaround_days": None, "p90_turnaround_days": None,
        "reported_late": 0, "late_rate": None, "missing_overdue_at_end": 0, "overdue": 0,
    }


def _experts(conn: Connection, start: date, end: date, by: str | None, filters: Filters = NO_FILTERS) -> Groups:
    groups: Groups = defaultdict(_expert_group)
    for key, n in summed(conn, [EXAM_ORDERED], start, end, by, filters, actors=True):
        groups[key]["ordered"] += n
    for key, late, n in summed(conn, [EXAM_REPORTED], start, end, by, filters, S.label, actors=True):
        groups[key]["reported"] += n
        groups[key]["reported_late"] += n if late else 0
    # Turnaround: exact order statistics of the days from order to report, ranked in the database.
    for key, summary in summarised(conn, EXAM_REPORTED, start, end, by, filters, actors=True).items():
        groups[key].update(median_turnaround_days=summary.median, mean_turnaround_days=summary.mean, p90_turnaround_days=summary.p90)
    # Still missing at the end of the period (of each part), past the due date: ordered by
    # then, neither reported nor withdrawn by then (a running sum of its starts and stops).
    for key, n in running(conn, EXAM_MISSING, start, end, by, filters, actors=True):
        groups[key]["missing_overdue_at_end"] += n
    for group in groups.values():
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
    result = _measure(EXPERTS, _experts, _expert_group, conn, start, end, by, filters, public)
    if by == "expert":
        names: dict[str, str] = {row[0]: row[1] for row in conn.execute(select(t.experts.c.expert_id, t.experts.c.name))}
        for group in result["groups"]:
            group["label"] = names.get(group["key"], group["key"])
    return result


# --- hearings: trial date certainty (CourTools 5) ------------------------------------------------------------------------

HEARING_BREAKDOWNS = HEARINGS.breakdowns
HEARING_COUNTS = HEARINGS.counts
HEARING_BASIS = HEARINGS.basis


def _hearing_group() -> dict[str, Any]:
    return {"held": 0, "held_as_first_scheduled": 0, "date_certainty_rate": None, "reschedulings": 0, "mean_reschedulings": None, "cancelled": 0}


def _hearings(conn: Connection, start: date, end: date, by: str | None, filters: Filters = NO_FILTERS) -> Groups:
    groups: Groups = defaultdict(_hearing_group)
    for key, status, reschedule_count, n in summed(conn, [HEARING], start, end, by, filters, S.label, S.value):
        group = groups[key]
        if status == "held":
            group["held"] += n
            group["reschedulings"] += int(reschedule_count) * n
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
    return _measure(HEARINGS, _hearings, _hearing_group, conn, start, end, by, filters, public)


# --- mediation ------------------------------------------------------------------------------------------------------------

MEDIATION_BREAKDOWNS = MEDIATION.breakdowns
MEDIATION_COUNTS = MEDIATION.counts
MEDIATION_BASIS = MEDIATION.basis
MEDIATION_RELATIONS = MEDIATION.relations


def _mediation_group() -> dict[str, Any]:
    return {"referred": 0, "concluded": 0, "outcomes": dict.fromkeys(MEDIATION_OUTCOMES, 0), "success_rate": None, "median_days_to_conclusion": None}


def _mediation(conn: Connection, start: date, end: date, by: str | None, filters: Filters = NO_FILTERS) -> Groups:
    groups: Groups = defaultdict(_mediation_group)
    for key, n in summed(conn, [MEDIATION_REFERRED], start, end, by, filters):
        groups[key]["referred"] += n
    for key, outcome, n in summed(conn, [MEDIATION_CONCLUDED], start, end, by, filters, S.label):
        groups[key]["concluded"] += n
        groups[key]["outcomes"][outcome] += n
    for key, summary in summarised(conn, MEDIATION_CONCLUDED, start, end, by, filters).items():
        groups[key]["median_days_to_conclusion"] = summary.median
    for group in groups.values():
        group["success_rate"] = rate(group["outcomes"]["settled"], group["concluded"])
    return dict(groups)


def mediation(
    conn: Connection, start: date, end: date, *, by: str | None = None, filters: FilterArg = None, public: bool = False
) -> dict[str, Any]:
    """Mediation (and criminal reconciliation): ``referred`` and ``concluded`` in the period,
    ``outcomes`` (settled, failed, withdrawn -> count), ``success_rate`` = settled / concluded,
    ``median_days_to_conclusion``. ``by``: track, court, specialty, year, month, judge, mediator."""
    result = _measure(MEDIATION, _mediation, _mediation_group, conn, start, end, by, filters, public)
    if by == "mediator":
        names: dict[str, str] = {row[0]: row[1] for row in conn.execute(select(t.mediators.c.mediator_id, t.mediators.c.name))}
        for group in result["groups"]:
            group["label"] = names.get(group["key"], group["key"])
    return result
