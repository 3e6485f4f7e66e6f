"""Compensation, appeals and the funnel from claim to liability, from the statistics projection's section facts."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from sqlalchemy import Connection

from domain.vocabulary import APPEAL_OUTCOMES
from projections.section_facts import (  # noqa: F401 - CARE_NOT_MET: stats.CARE_NOT_MET
    APPEAL_DECIDED,
    APPEAL_FILED,
    APPEAL_RULING,
    CARE_NOT_MET,
    COMP_AWARD,
    COMP_AWARDED,
    COMP_CLAIM,
    COMP_CLAIMED,
    COMP_INSURER,
    COMP_PAYABLE,
    COMP_RULING,
    FUNNEL_FILED,
    FUNNEL_STAGE,
)
from projections.statistics.core import NO_FILTERS, SUPPRESSED, TIME_BREAKDOWNS, FilterArg, Filters, Groups, _span, money, rate
from projections.statistics.facts import S, days_to_part_end, days_until, summarised, summed
from projections.statistics.registry import APPEALS, CHANGED_ON_APPEAL, COMPENSATION, FUNNEL
from projections.statistics.shape import _measure
from projections.tables import HEADS

# --- compensation -----------------------------------------------------------------------------------------------------------

COMPENSATION_BREAKDOWNS = COMPENSATION.breakdowns
COMPENSATION_COUNTS = COMPENSATION.counts
COMPENSATION_BASIS = COMPENSATION.basis


def _compensation_group() -> dict[str, Any]:
    totals = {**dict.fromkeys(HEADS, 0), "total": 0}
    return {
        "rulings": 0, "claims": 0, "rulings_with_award": 0, "claimed": dict(totals), "awarded": dict(totals), "payable": dict(totals),
        "award_to_claim_rate": None, "median_award": None, "rulings_with_insurer_compensation": 0, "insurer_compensation": 0,
    }


def _compensation(conn: Connection, start: date, end: date, by: str | None, filters: Filters = NO_FILTERS) -> Groups:
    groups: Groups = defaultdict(_compensation_group)
    for key, n in summed(conn, [COMP_RULING], start, end, by, filters):
        groups[key]["rulings"] += n
    for key, kind, head, n in summed(conn, [COMP_AWARDED, COMP_PAYABLE], start, end, by, filters, S.kind, S.label):
        part = "awarded" if kind == COMP_AWARDED else "payable"
        groups[key][part][head] += n
        groups[key][part]["total"] += n
    # The median award (total awarded per ruling with an award), ranked in the database.
    awards = summarised(conn, COMP_AWARD, start, end, by, filters)
    for key, summary in awards.items():
        groups[key]["rulings_with_award"] = summary.count
    # A case's claim counts once, with its first merits ruling of the period (of each year or
    # month of a breakdown by them): one whose earlier merits rulings all fall outside it.
    for key, kind, head, latest_before, earliest_after, n in summed(
        conn, [COMP_CLAIM, COMP_CLAIMED], start, end, by, filters, S.kind, S.label, S.value, S.bound
    ):
        part_start, part_end = _span(start, end, by, key)
        if not (latest_before < part_start.toordinal() and earliest_after > part_end.toordinal()):
            continue
        if kind == COMP_CLAIM:
            groups[key]["claims"] += n
        else:
            groups[key]["claimed"][head] += n
            groups[key]["claimed"]["total"] += n
    # No-fault insurer (HCPL) compensation is its own head: in merits rulings and in approved settlements (R3).
    for key, what, n in summed(conn, [COMP_INSURER], start, end, by, filters, S.label):
        groups[key]["rulings_with_insurer_compensation" if what == "rulings" else "insurer_compensation"] += n
    for key, group in groups.items():
        group["award_to_claim_rate"] = rate(group["awarded"]["total"], group["claimed"]["total"])
        group["median_award"] = awards[key].median if key in awards else None
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
    result = _measure(COMPENSATION, _compensation, _compensation_group, conn, start, end, by, filters, public)
    for group in result["groups"]:
        for part in ("claimed", "awarded", "payable"):
            group[part] = {head: (v if v == SUPPRESSED else money(v)) for head, v in group[part].items()}
        for name in ("median_award", "insurer_compensation"):
            if group[name] != SUPPRESSED:
                group[name] = money(group[name])
    return result


# --- appeals ----------------------------------------------------------------------------------------------------------------

APPEAL_BREAKDOWNS = APPEALS.breakdowns
APPEAL_COUNTS = APPEALS.counts
APPEAL_BASIS = APPEALS.basis
APPEAL_RELATIONS = APPEALS.relations


def _appeal_group() -> dict[str, Any]:
    return {
        "rulings": 0, "appeals_filed": 0, "appeal_rate": None, "appeals_decided": 0,
        "outcomes": dict.fromkeys(APPEAL_OUTCOMES, 0), "appeals_changed": 0, "reversal_rate": None,
    }


def _appeals(conn: Connection, start: date, end: date, by: str | None, filters: Filters = NO_FILTERS) -> Groups:
    groups: Groups = defaultdict(_appeal_group)
    for key, n in summed(conn, [APPEAL_RULING], start, end, by, filters):
        groups[key]["rulings"] += n
    for key, n in summed(conn, [APPEAL_FILED], start, end, by, filters):
        groups[key]["appeals_filed"] += n
    for key, outcome, n in summed(conn, [APPEAL_DECIDED], start, end, by, filters, S.label):
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
    return _measure(APPEALS, _appeals, _appeal_group, conn, start, end, by, filters, public)


# --- the funnel ------------------------------------------------------------------------------------------------------------

FUNNEL_BREAKDOWNS = FUNNEL.breakdowns
FUNNEL_COUNTS = FUNNEL.counts
FUNNEL_BASIS = FUNNEL.basis


def _funnel_group() -> dict[str, Any]:
    return {"filed": 0, "care_not_met": 0, "care_not_met_rate": None, "malpractice": 0, "malpractice_rate": None, "liability_found": 0, "liability_rate": None}


def _funnel(conn: Connection, start: date, end: date, by: str | None, filters: Filters = NO_FILTERS) -> Groups:
    groups: Groups = defaultdict(_funnel_group)
    # The cases received in the period (each part), and the stages they reached by its end:
    # a stage's fact is dated on the day of receipt, its value the days until it was reached.
    for key, n in summed(conn, [FUNNEL_FILED], start, end, by, filters):
        groups[key]["filed"] += n
    # The database keeps the stages reached by the end of the period, or of the month or year a case was received in.
    reached = days_to_part_end(conn, str(by), end, S.day) if by in TIME_BREAKDOWNS else days_until(conn, end, S.day)
    for key, stage, n in summed(conn, [FUNNEL_STAGE], start, end, by, filters, S.label, where=[S.value <= reached]):
        groups[key][stage] += n
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
    return _measure(FUNNEL, _funnel, _funnel_group, conn, start, end, by, filters, public)
