"""Compensation, appeals and the funnel from claim to liability."""

from __future__ import annotations

import statistics as pystats
from collections import defaultdict
from datetime import date
from typing import Any

from sqlalchemy import Connection, and_, exists, select

from domain.vocabulary import APPEAL_OUTCOMES, MERITS_DISPOSITIONS
from projections import tables as t
from projections.statistics.core import (
    _CASE_RULINGS,
    CASE_KEYS,
    NO_FILTERS,
    RULING_KEYS,
    SUPPRESSED,
    FilterArg,
    Filters,
    Groups,
    _as_of_ends,
    _grouped,
    money,
    rate,
)
from projections.statistics.shape import _measure
from projections.statistics.suppression import Relation
from projections.tables import HEADS

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
    # A case's claim counts once, with its first merits ruling of the period (of each year or month
    # of a breakdown by them), whoever gave it: found before the filters apply, in one pass.
    r = t.rulings.c
    claim_rulings: set[tuple[str, int]] = set()
    seen: set[tuple[str, str]] = set()
    firsts = select(r.case_id, r.version, r.decided_on).select_from(_CASE_RULINGS).where(*merits).order_by(r.case_id, r.version)
    for case_id, version, decided_on in conn.execute(firsts):
        part = f"{decided_on.year}-{decided_on.month}" if by == "month" else str(decided_on.year) if by == "year" else ""
        if (case_id, part) not in seen:
            seen.add((case_id, part))
            claim_rulings.add((case_id, version))
    columns = [r.case_id, r.version] + [t.cases.c[f"claimed_{h}"] for h in HEADS]
    columns += [t.rulings.c[f"awarded_{h}"] for h in HEADS] + [t.rulings.c[f"payable_{h}"] for h in HEADS]
    groups: Groups = defaultdict(_compensation_group)
    awards: dict[str, list[int]] = defaultdict(list)
    heads = len(HEADS)
    for key, case_id, version, *values in _grouped(conn, by, RULING_KEYS, _CASE_RULINGS, merits, *columns, count=False, filters=filters, dated=decided):
        claim_counts = (case_id, version) in claim_rulings
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
