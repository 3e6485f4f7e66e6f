"""The statistics projection's facts for the sections beyond outcomes (``stat_sections``).

Expert examinations, hearings, mediation, compensation, appeals, the funnel and the age of
the pending caseload are counted, like outcomes (projections/outcome_facts.py), by court-local
day and by the dimensions their breakdowns and filters attribute them to: the case's court,
track and specialty, a judge (the one who ordered an examination, was booked for a hearing,
gave a ruling or a ruling appealed against; else the case's current judge), a ruling's
finding, an expert or mediator (``actor``), a ``label`` (an outcome, a head of compensation,
"late") and an integer ``value`` (days, an amount in tiyn, a date as its ordinal) that keeps
medians and percentiles exact: they are read off the counts of each value.

A figure "as of the end of a period" (examinations missing past their due date, the pending
caseload by the day each case was received) is a running sum of changes: +1 on the day it
starts to hold, -1 on the day it stops.

Each case's facts are recomputed from its state (``stat_cases``) whenever one of its events
changes it, and only the difference is written, in the projection's transaction.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

SectionFact = tuple[str, str, str, str, str, str, str, str, str, int, int]
"""(day, kind, court, track, specialty, judge_id, finding, actor, label, value, bound): the key of a ``stat_sections`` row."""

SECTION_COLUMNS = ("day", "kind", "court", "track", "specialty", "judge_id", "finding", "actor", "label", "value", "bound")
NONE = ""
NO_BOUND = 99_999_999  # greater than any date's ordinal: "no earlier merits ruling on or after this day"
CARE_NOT_MET = ("no", "partly")  # DOMAIN.md section 4: a standard of care not met, wholly or in part
MERITS = ("liability_found", "no_liability")

# Kinds of fact, by section.
EXAM_ORDERED, EXAM_REPORTED, EXAM_MISSING = "x_ordered", "x_reported", "x_missing"
HEARING = "h_dated"
MEDIATION_REFERRED, MEDIATION_CONCLUDED = "m_referred", "m_concluded"
COMP_RULING, COMP_AWARD, COMP_AWARDED, COMP_PAYABLE, COMP_CLAIM, COMP_CLAIMED, COMP_INSURER = (
    "c_ruling", "c_award", "c_awarded", "c_payable", "c_claim", "c_claimed", "c_insurer",
)
APPEAL_RULING, APPEAL_FILED, APPEAL_DECIDED = "a_ruling", "a_filed", "a_decided"
FUNNEL_FILED, FUNNEL_STAGE = "f_filed", "f_stage"
PENDING_AGE = "p_change"


def _day(value: str) -> date:
    return date.fromisoformat(value)


def section_facts(state: dict[str, Any], heads: tuple[str, ...]) -> Counter[SectionFact]:
    """What one case adds to ``stat_sections``, from its state (dates as ISO strings, money in tiyn)."""
    facts: Counter[SectionFact] = Counter()
    court, track, specialty = state["court"], state["track"], state["specialty"]
    case_judge = state["judge"] or NONE
    received = state["received_on"]

    def add(day: str, kind: str, *, judge: str = case_judge, finding: str = NONE, actor: str = NONE, label: str = NONE,
            value: int = 0, bound: int = 0, n: int = 1) -> None:
        facts[(day, kind, court, track, specialty, judge, finding, actor, label, value, bound)] += n

    # Expert examinations, for the judge who ordered them; once as an examination (actor "") and
    # once for each of its experts (a commission counts for each).
    for exam in state.get("exams", {}).values():
        judge = exam["judge"] or NONE
        actors = [NONE, *exam["experts"]]
        for actor in actors:
            add(exam["ordered_on"], EXAM_ORDERED, judge=judge, actor=actor)
        if exam["status"] == "reported" and exam["received_on"]:
            days = (_day(exam["received_on"]) - _day(exam["ordered_on"])).days
            late = "late" if exam["received_on"] > exam["due_on"] else NONE
            for actor in actors:
                add(exam["received_on"], EXAM_REPORTED, judge=judge, actor=actor, label=late, value=days)
        # Missing past due at the end of D: ordered by D, due before D, neither reported nor
        # withdrawn by D; i.e. from the day after the due date (not before the order) until
        # the day of the report or withdrawal.
        starts = max(_day(exam["ordered_on"]), date.fromordinal(_day(exam["due_on"]).toordinal() + 1))
        stops = min((_day(d) for d in (exam["received_on"], exam["withdrawn_on"]) if d), default=None)
        if stops is None or stops > starts:
            for actor in actors:
                add(starts.isoformat(), EXAM_MISSING, judge=judge, actor=actor)
                if stops is not None:
                    add(stops.isoformat(), EXAM_MISSING, judge=judge, actor=actor, n=-1)

    # Hearings, by the court-local day they are (last) set for, for the judge booked; value: reschedulings.
    for hearing in state.get("hearings", {}).values():
        if hearing["status"] in ("held", "cancelled"):
            add(hearing["starts_on"], HEARING, judge=hearing["judge"] or NONE, label=hearing["status"], value=hearing["reschedulings"])

    # Mediation, for the case's current judge and the mediator; value: days from referral to conclusion.
    for mediation in state.get("mediations", {}).values():
        add(mediation["referred_on"], MEDIATION_REFERRED, actor=mediation["mediator"])
        if mediation["concluded_on"]:
            days = (_day(mediation["concluded_on"]) - _day(mediation["referred_on"])).days
            add(mediation["concluded_on"], MEDIATION_CONCLUDED, actor=mediation["mediator"], label=mediation["outcome"], value=days)

    # Rulings: appeals and compensation count for the judge who gave the ruling, with its finding.
    claimed = state.get("claimed", {})
    claim_total = sum(claimed.values())
    rulings = state["rulings"]
    merits_dates: list[str] = []
    by_id: dict[str, tuple[str, str]] = {}
    for ruling in rulings:
        details = ruling[5] if len(ruling) > 5 else {}
        decided_on, disposition, finding, ruling_judge = ruling[1], ruling[2], ruling[3] or NONE, ruling[4] or NONE
        by_id[details.get("id", "")] = (ruling_judge, finding)
        add(decided_on, APPEAL_RULING, judge=ruling_judge, finding=finding)
        if disposition in MERITS and claim_total > 0:
            add(decided_on, COMP_RULING, judge=ruling_judge, finding=finding)
            awarded = details.get("awarded", {})
            for head in heads:
                add(decided_on, COMP_AWARDED, judge=ruling_judge, finding=finding, label=head, n=awarded.get(head, 0))
                add(decided_on, COMP_PAYABLE, judge=ruling_judge, finding=finding, label=head, n=details.get("payable", {}).get(head, 0))
            total_awarded = sum(awarded.values())
            if total_awarded:
                add(decided_on, COMP_AWARD, judge=ruling_judge, finding=finding, value=total_awarded)
            # The claim counts once a period, with the case's first merits ruling in it (by
            # recording order): this ruling's day is in the period and no earlier merits
            # ruling's is. Earlier ones dated on or before it must fall before the period
            # (value: the latest such day), those dated on or after it after the period
            # (bound: the earliest such day).
            day = _day(decided_on).toordinal()
            earlier = [_day(d).toordinal() for d in merits_dates]
            latest_before = max((d for d in earlier if d <= day), default=0)
            earliest_after = min((d for d in earlier if d >= day), default=NO_BOUND)
            add(decided_on, COMP_CLAIM, judge=ruling_judge, finding=finding, value=latest_before, bound=earliest_after)
            for head in heads:
                add(decided_on, COMP_CLAIMED, judge=ruling_judge, finding=finding, label=head, value=latest_before, bound=earliest_after,
                    n=claimed.get(head, 0))
            merits_dates.append(decided_on)
        insurer = details.get("insurer", 0)
        if insurer:
            add(decided_on, COMP_INSURER, judge=ruling_judge, finding=finding, label="rulings")
            add(decided_on, COMP_INSURER, judge=ruling_judge, finding=finding, label="amount", n=insurer)

    # Appeals count with the ruling appealed against (its judge, its finding).
    for appeal in state.get("appeals", {}).values():
        judge, finding = by_id.get(appeal["ruling"], (NONE, NONE))
        add(appeal["filed_on"], APPEAL_FILED, judge=judge, finding=finding)
        if appeal["decided_on"]:
            add(appeal["decided_on"], APPEAL_DECIDED, judge=judge, finding=finding, label=appeal["outcome"])

    # The funnel of the cases received on a day: each stage is reached on the day its last step
    # is (value: days from receipt to that day, possibly negative), so "reached by the end of
    # the period" is received + value <= end.
    add(received, FUNNEL_FILED)
    steps = [
        ("care_not_met", min((e["received_on"] for e in state.get("exams", {}).values() if e["received_on"] and e["care"] in CARE_NOT_MET), default=None)),
        ("malpractice", min((r[1] for r in rulings if r[3] == "malpractice"), default=None)),
        ("liability_found", min((r[1] for r in rulings if r[2] == "liability_found"), default=None)),
    ]
    reached: str | None = None
    for stage, on in steps:
        if on is None:
            break
        reached = on if reached is None else max(reached, on)
        add(received, FUNNEL_STAGE, label=stage, value=(_day(reached) - _day(received)).days)

    # The pending caseload by the day each case was received (value: its ordinal), so that its
    # age at any day is known: the same changes as outcomes' pending count.
    was_pending = False
    for day in sorted({received, *(r[1] for r in rulings), *(o[1] for o in state["reopenings"])}):
        if day < received:
            continue
        opening = max((version for version, on in state["reopenings"] if on <= day), default=1)
        is_pending = not any(r[1] <= day and r[0] > opening for r in rulings)
        if is_pending != was_pending:
            add(day, PENDING_AGE, value=_day(received).toordinal(), n=1 if is_pending else -1)
            was_pending = is_pending
    return facts
