"""Every statistic equals an independent computation, straight from `medcourt export events`.

The reference below reads the exported JSON lines into plain per-case records and applies
DOMAIN.md section 4 word for word, with loops and no SQL; the projections compute the same
figures from the read models with SQL. Both must agree for every period and breakdown, on
SQLite and on PostgreSQL. Rounding and the choices DOMAIN.md leaves open follow the
docstring of ``projections.statistics``.
"""

from __future__ import annotations

import contextlib
import json
import math
import random
import statistics as pystats
from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import create_engine

from domain import clock
from domain.application import Docket
from domain.errors import DomainError
from projections import statistics as stats
from projections.settings import Settings
from scripts.cli import main
from scripts.demo import generate
from tests.integration.projection_support import Court, clerk_of, random_history

ALMATY = ZoneInfo("Asia/Almaty")
FINDINGS = ("incident", "medical_error", "malpractice", "no_causation", "unfounded")
DISPOSITIONS = ("liability_found", "no_liability", "settled", "withdrawn", "terminated", "transferred")
MERITS = ("liability_found", "no_liability")
HEADS = ("real_damage", "lost_profit", "moral_harm")
Filters = dict[str, str]
BANDS = (("0-30", 0, 30), ("31-60", 31, 60), ("61-90", 61, 90), ("91-180", 91, 180), ("181-365", 181, 365), (">365", 366, 10**9))


# --- the reference: exported events -> plain records ------------------------------------------------------------------


def day(value: str) -> date:
    return date.fromisoformat(value)


def local_day(instant: str) -> date:
    return datetime.fromisoformat(instant.replace("Z", "+00:00")).astimezone(ALMATY).date()


def tiyn(amount: str | None) -> int:
    return int(Decimal(amount or "0") * 100)


def read_export(path: Path) -> tuple[dict[str, dict[str, Any]], dict[str, str]]:
    """Cases as plain records (as they stand after every event, corrections applied), and judges' names."""
    cases: dict[str, dict[str, Any]] = {}
    judge_names: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        kind, data = record["type"], record["data"]
        if kind == "JudgeRegistered":
            judge_names[record["aggregate_id"]] = data["name"]
        if record["aggregate"] != "Case":
            continue
        if kind == "CaseFiled":
            cases[record["aggregate_id"]] = {
                "received_on": day(data["received_on"]), "track": data["track"], "court": data["court"], "specialty": data["specialty"],
                "judge": None, "claimed": {h: tiyn(data["claimed"].get(h)) for h in HEADS},
                "rulings": [], "reopenings": [], "exams": {}, "reports_by_version": {}, "hearings": {}, "mediations": {}, "appeals": {},
            }
            continue
        case = cases[record["aggregate_id"]]
        if kind == "DocketEntryCorrected":
            fixes = data["corrections"]
            if data["entry_type"] == "CaseFiled":
                for name in ("received_on", "specialty"):
                    if name in fixes:
                        case[name] = day(fixes[name]) if name == "received_on" else fixes[name]
            elif data["entry_type"] == "ExpertReportSubmitted" and "received_on" in fixes:
                case["reports_by_version"][data["corrects_version"]]["received_on"] = day(fixes["received_on"])
        elif kind == "JudgeAssigned":
            case["judge"] = data["judge_id"]
        elif kind == "JudgeRecused":
            case["judge"] = None
        elif kind == "ExpertExaminationOrdered":
            case["exams"][data["examination_id"]] = {
                "ordered_on": day(data["ordered_on"]), "due_on": day(data["due_on"]), "received_on": None, "withdrawn_on": None,
                "care": None, "judge": case["judge"], "experts": [e["id"] for e in data["experts"]],
            }
        elif kind == "ExpertReportSubmitted":
            exam = case["exams"][data["examination_id"]]
            exam.update(received_on=day(data["received_on"]), care=data["standard_of_care_met"])
            case["reports_by_version"][record["version"]] = exam
        elif kind == "ExpertExaminationWithdrawn":
            case["exams"][data["examination_id"]]["withdrawn_on"] = local_day(record["recorded_at"])
        elif kind == "HearingScheduled":
            case["hearings"][data["hearing_id"]] = {"on": local_day(data["starts_at"]), "reschedulings": 0, "status": "scheduled", "judge": case["judge"]}
        elif kind == "HearingRescheduled":
            hearing = case["hearings"][data["hearing_id"]]
            hearing["on"] = local_day(data["starts_at"])
            hearing["reschedulings"] += 1
        elif kind in ("HearingHeld", "HearingCancelled"):
            case["hearings"][data["hearing_id"]]["status"] = "held" if kind == "HearingHeld" else "cancelled"
        elif kind == "MediationReferred":
            case["mediations"][data["mediation_id"]] = {"referred_on": day(data["referred_on"]), "concluded_on": None, "outcome": None}
        elif kind == "MediationConcluded":
            case["mediations"][data["mediation_id"]].update(concluded_on=day(data["concluded_on"]), outcome=data["outcome"])
        elif kind == "RulingIssued":
            case["rulings"].append({
                "version": record["version"], "decided_on": day(data["decided_on"]), "disposition": data["disposition"],
                "finding": data["finding"], "judge": data["judge_id"], "first": not case["rulings"],
                "awarded": {h: tiyn(data["compensation"].get(h)) for h in HEADS}, "payable": {h: tiyn(data["payable"].get(h)) for h in HEADS},
                "insurer": tiyn(data["insurer_compensation"]),
            })
        elif kind == "AppealFiled":
            case["appeals"][data["appeal_id"]] = {"filed_on": day(data["filed_on"]), "outcome": None, "decided_on": None, "ruling": case["rulings"][-1]}
        elif kind == "AppealDecided":
            case["appeals"][data["appeal_id"]].update(outcome=data["outcome"], decided_on=day(data["decided_on"]))
        elif kind == "CaseReopened":
            case["reopenings"].append((record["version"], day(data["reopened_on"])))
    return cases, judge_names


# --- the reference: DOMAIN.md section 4 ------------------------------------------------------------------------------


def pct(part: int, whole: int) -> float | None:
    return None if whole == 0 else round(100 * part / whole, 2)


def med(values: list[int]) -> float | None:
    return None if not values else round(float(pystats.median(values)), 1)


def nearest_rank_p90(values: list[int]) -> int | None:
    return None if not values else sorted(values)[math.ceil(0.9 * len(values)) - 1]


def kzt(amount_tiyn: float | None) -> str | None:
    return None if amount_tiyn is None else str((Decimal(str(amount_tiyn)) / 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def within(value: date | None, start: date, end: date) -> bool:
    return value is not None and start <= value <= end


def is_pending(case: dict[str, Any], at: date) -> bool:
    """Filed by ``at`` and, as of ``at``, no final ruling after its latest (re)opening."""
    if case["received_on"] > at:
        return False
    latest_opening = max([1] + [version for version, reopened_on in case["reopenings"] if reopened_on <= at])
    return not any(r["decided_on"] <= at and r["version"] > latest_opening for r in case["rulings"])


def case_key(case: dict[str, Any], by: str | None) -> str:
    if by is None:
        return "all"
    value = case["judge"] if by == "judge" else case[by]
    return value or "unassigned"


def ruling_key(case: dict[str, Any], ruling: dict[str, Any], by: str | None) -> str:
    if by == "judge":
        return ruling["judge"] or "unassigned"
    if by == "finding":
        return ruling["finding"] or "none"
    return case_key(case, by)


def periods(start: date, end: date, by: str | None) -> list[tuple[str | None, date, date]]:
    """The whole period, or its calendar years or months clipped to it."""
    if by not in ("year", "month"):
        return [(None, start, end)]
    parts: list[tuple[str | None, date, date]] = []
    cursor = start
    while cursor <= end:
        if by == "year":
            following = date(cursor.year + 1, 1, 1)
            key = str(cursor.year)
        else:
            following = (cursor.replace(day=28) + timedelta(days=4)).replace(day=1)
            key = cursor.strftime("%Y-%m")
        parts.append((key, cursor, min(end, following - timedelta(days=1))))
        cursor = following
    return parts


def kept(filters: Filters | None, case: dict[str, Any], judge: str | None) -> bool:
    """Whether a figure of ``case``, attributed to ``judge``, is counted under ``filters``: each
    filter keeps what the breakdown by it would put in that group."""
    for name, value in (filters or {}).items():
        actual = (judge or "unassigned") if name == "judge" else case[name]
        if actual != value:
            return False
    return True


def by_periods(compute: Any, cases: dict[str, dict[str, Any]], start: date, end: date, by: str | None,
               filters: Filters | None = None) -> dict[str, dict[str, Any]]:
    if by in ("year", "month"):
        return {
            str(key): compute(cases, s, e, None, filters=filters).get("all") or compute(cases, s, e, None, empty=True, filters=filters)["all"]
            for key, s, e in periods(start, end, by)
        }
    groups = compute(cases, start, end, by, filters=filters)
    if by is None and "all" not in groups:
        groups = compute(cases, start, end, None, empty=True, filters=filters)
    return groups


def outcomes(
    cases: dict[str, dict[str, Any]], start: date, end: date, by: str | None, empty: bool = False, filters: Filters | None = None
) -> dict[str, dict[str, Any]]:
    flow = by != "finding"
    groups: dict[str, dict[str, Any]] = {}

    def group(key: str) -> dict[str, Any]:
        return groups.setdefault(key, {
            "filed": 0, "reopened": 0, "resolved": 0, "merits": 0, "liability_found": 0, "no_liability": 0,
            "findings": dict.fromkeys(FINDINGS, 0), "dispositions": dict.fromkeys(DISPOSITIONS, 0), "days": [], "pending_at_end": 0,
        })

    if empty:
        group("all")
    for case in cases.values():
        if flow and kept(filters, case, case["judge"]):
            if within(case["received_on"], start, end):
                group(case_key(case, by))["filed"] += 1
            for _, reopened_on in case["reopenings"]:
                if within(reopened_on, start, end):
                    group(case_key(case, by))["reopened"] += 1
            if is_pending(case, end):
                group(case_key(case, by))["pending_at_end"] += 1
        for ruling in case["rulings"]:
            if not within(ruling["decided_on"], start, end) or not kept(filters, case, ruling["judge"]):
                continue
            g = group(ruling_key(case, ruling, by))
            g["resolved"] += 1
            g["dispositions"][ruling["disposition"]] += 1
            if ruling["disposition"] in MERITS:
                g["merits"] += 1
                g[ruling["disposition"]] += 1
                g["findings"][ruling["finding"]] += 1
            if ruling["first"]:
                g["days"].append((ruling["decided_on"] - case["received_on"]).days)
    result = {}
    for key, g in groups.items():
        incoming = g["filed"] + g["reopened"]
        days = g.pop("days")
        pending_at_end = g.pop("pending_at_end")
        result[key] = {
            "incoming": incoming if flow else None, "filed": g["filed"] if flow else None, "reopened": g["reopened"] if flow else None,
            "resolved": g["resolved"], "clearance_rate": pct(g["resolved"], incoming) if flow else None,
            "merits": g["merits"], "liability_found": g["liability_found"], "no_liability": g["no_liability"],
            "liability_rate": pct(g["liability_found"], g["merits"]), "findings": g["findings"], "dispositions": g["dispositions"],
            "first_rulings": len(days), "median_days_to_disposition": med(days), "p90_days_to_disposition": nearest_rank_p90(days),
            "first_rulings_within_60_days": sum(d <= 60 for d in days), "share_within_60_days": pct(sum(d <= 60 for d in days), len(days)),
            "pending_at_end": pending_at_end if flow else None,
            "disposition_time_days": round(((end - start).days + 1) * pending_at_end / g["resolved"], 1) if flow and g["resolved"] else None,
        }
    return result


def pending(cases: dict[str, dict[str, Any]], at: date, by: str | None, filters: Filters | None = None) -> dict[str, dict[str, Any]]:
    ages: dict[str, list[int]] = defaultdict(list)
    for case in cases.values():
        if is_pending(case, at) and kept(filters, case, case["judge"]):
            ages[case_key(case, by)].append((at - case["received_on"]).days)
    if by is None:
        ages.setdefault("all", [])
    return {
        key: {
            "pending": len(values), "age_bands": {band: sum(low <= v <= high for v in values) for band, low, high in BANDS},
            "median_age_days": med(values), "p90_age_days": nearest_rank_p90(values), "oldest_age_days": max(values, default=None),
        }
        for key, values in ages.items()
    }


def experts(
    cases: dict[str, dict[str, Any]], start: date, end: date, by: str | None, empty: bool = False, filters: Filters | None = None
) -> dict[str, dict[str, Any]]:
    groups: dict[str, dict[str, Any]] = {}

    def group(key: str) -> dict[str, Any]:
        return groups.setdefault(key, {"ordered": 0, "turnaround": [], "reported_late": 0, "missing": 0})

    if empty:
        group("all")
    for case in cases.values():
        for exam in case["exams"].values():
            if not kept(filters, case, exam["judge"]):
                continue
            if by == "expert":
                keys = exam["experts"]
            elif by == "judge":
                keys = [exam["judge"] or "unassigned"]
            else:
                keys = [case_key(case, by)]
            for key in keys:
                if within(exam["ordered_on"], start, end):
                    group(key)["ordered"] += 1
                if within(exam["received_on"], start, end):
                    group(key)["turnaround"].append((exam["received_on"] - exam["ordered_on"]).days)
                    group(key)["reported_late"] += exam["received_on"] > exam["due_on"]
                still_missing = exam["received_on"] is None or exam["received_on"] > end
                not_withdrawn = exam["withdrawn_on"] is None or exam["withdrawn_on"] > end
                if exam["ordered_on"] <= end and exam["due_on"] < end and still_missing and not_withdrawn:
                    group(key)["missing"] += 1
    return {
        key: {
            "ordered": g["ordered"], "reported": len(g["turnaround"]), "median_turnaround_days": med(g["turnaround"]),
            "mean_turnaround_days": round(sum(g["turnaround"]) / len(g["turnaround"]), 1) if g["turnaround"] else None,
            "p90_turnaround_days": nearest_rank_p90(g["turnaround"]), "reported_late": g["reported_late"],
            "late_rate": pct(g["reported_late"], len(g["turnaround"])), "missing_overdue_at_end": g["missing"],
            "overdue": g["reported_late"] + g["missing"],
        }
        for key, g in groups.items()
    }


def hearings(
    cases: dict[str, dict[str, Any]], start: date, end: date, by: str | None, empty: bool = False, filters: Filters | None = None
) -> dict[str, dict[str, Any]]:
    groups: dict[str, dict[str, Any]] = {}
    if empty:
        groups["all"] = {"held": 0, "first": 0, "reschedulings": 0, "cancelled": 0}
    for case in cases.values():
        for hearing in case["hearings"].values():
            if not within(hearing["on"], start, end) or not kept(filters, case, hearing["judge"]):
                continue
            key = (hearing["judge"] or "unassigned") if by == "judge" else case_key(case, by)
            g = groups.setdefault(key, {"held": 0, "first": 0, "reschedulings": 0, "cancelled": 0})
            if hearing["status"] == "held":
                g["held"] += 1
                g["first"] += hearing["reschedulings"] == 0
                g["reschedulings"] += hearing["reschedulings"]
            elif hearing["status"] == "cancelled":
                g["cancelled"] += 1
    return {
        key: {
            "held": g["held"], "held_as_first_scheduled": g["first"], "date_certainty_rate": pct(g["first"], g["held"]),
            "reschedulings": g["reschedulings"], "mean_reschedulings": round(g["reschedulings"] / g["held"], 2) if g["held"] else None,
            "cancelled": g["cancelled"],
        }
        for key, g in groups.items()
    }


def mediation(
    cases: dict[str, dict[str, Any]], start: date, end: date, by: str | None, empty: bool = False, filters: Filters | None = None
) -> dict[str, dict[str, Any]]:
    groups: dict[str, dict[str, Any]] = {}

    def group(key: str) -> dict[str, Any]:
        return groups.setdefault(key, {"referred": 0, "outcomes": {"settled": 0, "failed": 0, "withdrawn": 0}, "days": []})

    if empty:
        group("all")
    for case in cases.values():
        if not kept(filters, case, case["judge"]):
            continue
        for m in case["mediations"].values():
            if within(m["referred_on"], start, end):
                group(case_key(case, by))["referred"] += 1
            if within(m["concluded_on"], start, end):
                g = group(case_key(case, by))
                g["outcomes"][m["outcome"]] += 1
                g["days"].append((m["concluded_on"] - m["referred_on"]).days)
    return {
        key: {
            "referred": g["referred"], "concluded": len(g["days"]), "outcomes": g["outcomes"],
            "success_rate": pct(g["outcomes"]["settled"], len(g["days"])), "median_days_to_conclusion": med(g["days"]),
        }
        for key, g in groups.items()
    }


def compensation(
    cases: dict[str, dict[str, Any]], start: date, end: date, by: str | None, empty: bool = False, filters: Filters | None = None
) -> dict[str, dict[str, Any]]:
    groups: dict[str, dict[str, Any]] = {}

    def group(key: str) -> dict[str, Any]:
        zero = {**dict.fromkeys(HEADS, 0), "total": 0}
        return groups.setdefault(key, {"rulings": 0, "claims": 0, "claimed": dict(zero), "awarded": dict(zero), "payable": dict(zero), "awards": [], "insurer": []})

    if empty:
        group("all")
    for case in cases.values():
        in_period = [r for r in case["rulings"] if within(r["decided_on"], start, end)]
        # "A case's claim counts once (with its first merits ruling in the period)".
        merits_in_period = [r for r in in_period if r["disposition"] in MERITS]
        claim_ruling = merits_in_period[0] if merits_in_period else None
        for ruling in in_period:
            if not kept(filters, case, ruling["judge"]):
                continue
            if ruling["insurer"]:  # "insurer compensation is its own head": whatever the disposition
                group(ruling_key(case, ruling, by))["insurer"].append(ruling["insurer"])
            if ruling["disposition"] not in MERITS or not sum(case["claimed"].values()):
                continue
            g = group(ruling_key(case, ruling, by))
            g["rulings"] += 1
            parts = [("awarded", ruling["awarded"]), ("payable", ruling["payable"])]
            if ruling is claim_ruling:
                g["claims"] += 1
                parts.append(("claimed", case["claimed"]))
            for part, amounts in parts:
                for head in HEADS:
                    g[part][head] += amounts[head]
                    g[part]["total"] += amounts[head]
            if sum(ruling["awarded"].values()):
                g["awards"].append(sum(ruling["awarded"].values()))
    return {
        key: {
            "rulings": g["rulings"], "claims": g["claims"], "rulings_with_award": len(g["awards"]),
            "claimed": {k: kzt(v) for k, v in g["claimed"].items()}, "awarded": {k: kzt(v) for k, v in g["awarded"].items()},
            "payable": {k: kzt(v) for k, v in g["payable"].items()},
            "award_to_claim_rate": pct(g["awarded"]["total"], g["claimed"]["total"]),
            "median_award": kzt(pystats.median(g["awards"])) if g["awards"] else None,
            "rulings_with_insurer_compensation": len(g["insurer"]), "insurer_compensation": kzt(sum(g["insurer"])),
        }
        for key, g in groups.items()
    }


def appeals(
    cases: dict[str, dict[str, Any]], start: date, end: date, by: str | None, empty: bool = False, filters: Filters | None = None
) -> dict[str, dict[str, Any]]:
    groups: dict[str, dict[str, Any]] = {}

    def group(key: str) -> dict[str, Any]:
        return groups.setdefault(key, {"rulings": 0, "filed": 0, "outcomes": {"upheld": 0, "modified": 0, "reversed": 0, "remanded": 0}})

    if empty:
        group("all")
    for case in cases.values():
        for ruling in case["rulings"]:
            if within(ruling["decided_on"], start, end) and kept(filters, case, ruling["judge"]):
                group(ruling_key(case, ruling, by))["rulings"] += 1
        for appeal in case["appeals"].values():
            if not kept(filters, case, appeal["ruling"]["judge"]):  # filtered, like grouped, by the ruling appealed against
                continue
            key = ruling_key(case, appeal["ruling"], by)  # grouped by the ruling appealed against
            if within(appeal["filed_on"], start, end):
                group(key)["filed"] += 1
            if within(appeal["decided_on"], start, end):
                group(key)["outcomes"][appeal["outcome"]] += 1
    result = {}
    for key, g in groups.items():
        decided = sum(g["outcomes"].values())
        changed = g["outcomes"]["reversed"] + g["outcomes"]["modified"] + g["outcomes"]["remanded"]
        result[key] = {
            "rulings": g["rulings"], "appeals_filed": g["filed"], "appeal_rate": pct(g["filed"], g["rulings"]),
            "appeals_decided": decided, "outcomes": g["outcomes"], "appeals_changed": changed, "reversal_rate": pct(changed, decided),
        }
    return result


def funnel(
    cases: dict[str, dict[str, Any]], start: date, end: date, by: str | None, empty: bool = False, filters: Filters | None = None
) -> dict[str, dict[str, Any]]:
    groups: dict[str, list[int]] = {}
    if empty:
        groups["all"] = [0, 0, 0, 0]
    for case in cases.values():
        if not within(case["received_on"], start, end) or not kept(filters, case, case["judge"]):
            continue
        stages = groups.setdefault(case_key(case, by), [0, 0, 0, 0])
        care_not_met = any(e["care"] in ("no", "partly") and e["received_on"] <= end for e in case["exams"].values())
        malpractice = care_not_met and any(r["finding"] == "malpractice" and r["decided_on"] <= end for r in case["rulings"])
        liable = malpractice and any(r["disposition"] == "liability_found" and r["decided_on"] <= end for r in case["rulings"])
        for index, reached in enumerate((True, care_not_met, malpractice, liable)):
            stages[index] += reached
    return {
        key: {
            "filed": s[0], "care_not_met": s[1], "care_not_met_rate": pct(s[1], s[0]), "malpractice": s[2],
            "malpractice_rate": pct(s[2], s[1]), "liability_found": s[3], "liability_rate": pct(s[3], s[2]),
        }
        for key, s in groups.items()
    }


REFERENCE = {"outcomes": outcomes, "experts": experts, "hearings": hearings, "mediation": mediation,
             "compensation": compensation, "appeals": appeals, "funnel": funnel}


def groups_of(result: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {g["key"]: {k: v for k, v in g.items() if k not in ("key", "label")} for g in result["groups"]}


# --- the tests -----------------------------------------------------------------------------------------------------


@pytest.fixture
def docket(settings: Settings) -> Iterator[Docket]:
    """Five years of demo cases up to mid-2025, then a random stretch with what the demo does not
    do: corrected dates of receipt and of reports, recusals, withdrawals, set-aside reopenings;
    and judges replaced in open cases, so that the judge who ordered an examination, was booked
    for a hearing or gave a ruling (before a reopening) is not the case's judge any more."""
    app = Docket(env=settings.event_store_env(create_tables=True))
    generate(app, 70, seed=11, today=date(2025, 6, 30))
    court = random_history(app, random.Random(11), cases=12, steps=260, start=date(2025, 8, 4))
    replace_judges(court)
    random_history(app, court.rng, cases=0, steps=60, start=date(2025, 8, 4), court=court)
    yield app
    app.close()


def replace_judges(court: Court) -> None:
    """Every open case with a judge and a past (an examination, a hearing, a ruling) gets another judge."""
    assert court.moment is not None
    court.moment += timedelta(days=1)
    with clock.frozen_at(court.moment):
        for number in court.dockets:
            case = court.docket.case(number)
            if case.status != "pending" or case.judge_id is None or not (case.examinations or case.hearings or case.rulings_count):
                continue
            others = [j for j in court.judges[case.court] if j != case.judge_id and j not in case.recused_judges]
            if others:
                court.docket.recuse_judge(number, "Conflict of interest", clerk_of(case.court))
                with contextlib.suppress(DomainError):  # e.g. the other judge's certification has lapsed
                    court.docket.assign_judge(number, others[0], clerk_of(case.court))


ALLOWED = {"outcomes": stats.BREAKDOWNS, "experts": stats.EXPERT_BREAKDOWNS, "hearings": stats.HEARING_BREAKDOWNS,
           "mediation": stats.MEDIATION_BREAKDOWNS, "compensation": stats.COMPENSATION_BREAKDOWNS, "appeals": stats.APPEAL_BREAKDOWNS,
           "funnel": stats.FUNNEL_BREAKDOWNS}


COMPARED: Counter[str] = Counter()
"""How many groups of each measure the oracle compared (every figure of a group at once)."""


def compare(conn: Any, cases: dict[str, dict[str, Any]], judge_names: dict[str, str], start: date, end: date,
            breakdowns: tuple[str | None, ...], filters: Filters | None = None) -> list[tuple[Any, ...]]:
    """Every period measure, for each breakdown it has, against the reference; the mismatches."""
    mismatches: list[tuple[Any, ...]] = []
    for name, reference in REFERENCE.items():
        for by in [b for b in breakdowns if b is None or b in ALLOWED[name]] + (["expert"] if name == "experts" else []):
            actual = stats.MEASURES[name](conn, start, end, by=by, filters=filters)
            COMPARED[name] += len(actual["groups"])
            if groups_of(actual) != by_periods(reference, cases, start, end, by, filters) or actual["filters"] != (filters or {}):
                mismatches.append((name, str(start), str(end), by, filters))
            if by == "judge":
                assert all(g["label"] == judge_names.get(g["key"], "Unassigned") for g in actual["groups"])
    return mismatches


def most_common(values: Iterator[str | None]) -> str:
    return Counter(v for v in values if v is not None).most_common(1)[0][0]


def filter_choices(cases: dict[str, dict[str, Any]]) -> list[Filters]:
    """Filters the data gives figures for: one, two, all four together, and the judge of no case."""
    court = most_common(c["court"] for c in cases.values())
    here = [c for c in cases.values() if c["court"] == court]
    track = most_common(c["track"] for c in here)
    specialty = most_common(c["specialty"] for c in cases.values())
    judge = most_common(r["judge"] for c in cases.values() for r in c["rulings"])
    local_judge = most_common(c["judge"] for c in here)
    return [
        {"court": court},
        {"court": court, "track": track},
        {"specialty": specialty, "track": track},
        {"judge": judge},
        {"court": court, "judge": "unassigned"},
        {"court": court, "track": track, "specialty": most_common(c["specialty"] for c in here if c["track"] == track), "judge": local_judge},
    ]


def test_statistics_match_an_independent_computation_from_the_exported_events(settings: Settings, docket: Docket, tmp_path: Path) -> None:
    # The events as any other program would see them.
    exported = tmp_path / "events.jsonl"
    assert main(["export", "events", "--output", str(exported)]) == 0
    cases, judge_names = read_export(exported)

    # The read models, built from the same log.
    assert main(["projections", "run", "--until-caught-up"]) == 0
    COMPARED.clear()
    engine = create_engine(settings.views_url)
    mismatches = []
    try:
        with engine.connect() as conn:
            checks = [
                (date(2020, 7, 1), date(2027, 6, 30), (None, "track", "court", "specialty", "year", "judge", "finding")),
                (date(2024, 1, 1), date(2024, 12, 31), (None, "month", "court", "judge")),
                (date(2025, 4, 15), date(2026, 12, 31), (None, "month", "track", "specialty", "judge", "finding")),
                (date(2025, 9, 1), date(2025, 9, 30), (None, "track")),
                # Whole months read from the month rows, the days at both edges from the day rows.
                (date(2024, 2, 10), date(2025, 11, 20), (None, "month", "year", "court")),
                (date(2010, 1, 1), date(2010, 12, 31), (None, "month")),
            ]
            for start, end, breakdowns in checks:
                mismatches += compare(conn, cases, judge_names, start, end, breakdowns)
            for at in (date(2021, 12, 31), date(2024, 6, 30), date(2025, 6, 30), date(2025, 11, 15), date(2026, 6, 30), date(2027, 6, 30)):
                for by in (None, "track", "court", "specialty", "judge"):
                    if groups_of(stats.pending(conn, at, by=by)) != pending(cases, at, by):
                        mismatches.append(("pending", str(at), "", by))

            # Periods ending on the very days things happen: a reopening, a ruling, an
            # examination's withdrawal or due date (the edges of "as of" and "past due").
            reopened = {d for c in cases.values() for _, d in c["reopenings"]}
            decided = sorted(r["decided_on"] for c in cases.values() for r in c["rulings"] if r["decided_on"] >= date(2025, 8, 1))
            edges = sorted(reopened | set(decided[:15]))
            for at in edges:
                if groups_of(stats.pending(conn, at, by=None)) != pending(cases, at, None):
                    mismatches.append(("pending", str(at), "", None))
            # The same days counted at once (as breakdowns by month count each month's end).
            if stats.pending_at(conn, edges) != {at: pending(cases, at, None)["all"]["pending"] for at in edges}:
                mismatches.append(("pending_at", "edges"))
            exams = [e for c in cases.values() for e in c["exams"].values() if e["ordered_on"] >= date(2025, 8, 1)]
            exam_days = {e["withdrawn_on"] for e in exams if e["withdrawn_on"]} | {e["due_on"] for e in exams[:15]}
            for end in sorted(exam_days):
                if groups_of(stats.experts(conn, date(2025, 1, 1), end)) != by_periods(experts, cases, date(2025, 1, 1), end, None):
                    mismatches.append(("experts", "2025-01-01", str(end), None))

            # Filters, alone and combined, with every kind of breakdown; what they keep is what
            # the breakdown by them attributes to that group (a ruling to its judge...).
            filtered_figures = 0
            for filters in filter_choices(cases):
                mismatches += compare(conn, cases, judge_names, date(2020, 7, 1), date(2027, 6, 30),
                                      (None, "track", "court", "specialty", "year", "judge", "finding"), filters)
                mismatches += compare(conn, cases, judge_names, date(2025, 4, 15), date(2026, 12, 31), (None, "month", "judge"), filters)
                for at in (date(2024, 6, 30), date(2026, 6, 30)):
                    for by in (None, "track", "judge"):
                        if groups_of(stats.pending(conn, at, by=by, filters=filters)) != pending(cases, at, by, filters):
                            mismatches.append(("pending", str(at), "", by, filters))
                if stats.pending_at(conn, edges, stats.Filters.of(filters)) != {at: pending(cases, at, None, filters)["all"]["pending"] for at in edges}:
                    mismatches.append(("pending_at", "edges", filters))
                whole = stats.outcomes(conn, date(2020, 7, 1), date(2027, 6, 30), filters=filters)["groups"][0]
                filtered_figures += whole["resolved"] > 0 and whole["filed"] > 0
    finally:
        engine.dispose()
    assert mismatches == []
    # Every measure the registry declares was compared, group by group (pending: below, at its dates).
    assert set(COMPARED) | {"pending"} == set(stats.REGISTRY) and min(COMPARED.values()) > 50, COMPARED
    print(f"\noracle: {sum(COMPARED.values())} groups compared, every figure of each ({dict(sorted(COMPARED.items()))})")

    # The measures are not vacuous: the data exercises them, the filters too.
    whole = outcomes(cases, date(2020, 7, 1), date(2027, 6, 30), None)["all"]
    assert whole["merits"] > 20 and whole["liability_found"] > 0 and whole["reopened"] > 0 and whole["pending_at_end"] > 0
    assert filtered_figures >= 4, "most filter choices should keep rulings and filings"
    moved = Counter(kind for c in cases.values() for kind, items in (("ruling", c["rulings"]), ("exam", c["exams"].values()),
                                                                       ("hearing", c["hearings"].values())) for item in items if item["judge"] != c["judge"])
    assert moved["exam"] and moved["hearing"] and moved["ruling"], f"judges should have changed after acting in some cases: {moved}"

    # Public output, from the same read models, with and without filters.
    with engine.connect() as conn:
        check_public_output(conn, cases)
    engine.dispose()


# --- public output: small cells and the cells that would give them away -------------------------------------------------

# DOMAIN.md section 4, written out again: which figures are counts, which counts add up to which,
# and what each rate is built on.
COUNT_FIELDS = {
    "outcomes": ["incoming", "filed", "reopened", "resolved", "merits", "liability_found", "no_liability", "first_rulings",
                 "first_rulings_within_60_days", "pending_at_end",
                 *(f"findings.{f}" for f in FINDINGS), *(f"dispositions.{d}" for d in DISPOSITIONS)],
    "pending": ["pending", *(f"age_bands.{band}" for band, _, _ in BANDS)],
    "experts": ["ordered", "reported", "reported_late", "missing_overdue_at_end", "overdue"],
    "hearings": ["held", "held_as_first_scheduled", "reschedulings", "cancelled"],
    "mediation": ["referred", "concluded", "outcomes.settled", "outcomes.failed", "outcomes.withdrawn"],
    "compensation": ["rulings", "claims", "rulings_with_award", "rulings_with_insurer_compensation"],
    "appeals": ["rulings", "appeals_filed", "appeals_decided", "appeals_changed", "outcomes.upheld", "outcomes.modified", "outcomes.reversed",
                "outcomes.remanded"],
    "funnel": ["filed", "care_not_met", "malpractice", "liability_found"],
}
SUMS = {
    "outcomes": [("incoming", ["filed", "reopened"]), ("merits", ["liability_found", "no_liability"]),
                 ("merits", [f"findings.{f}" for f in FINDINGS]), ("resolved", [f"dispositions.{d}" for d in DISPOSITIONS]),
                 ("liability_found", ["dispositions.liability_found"]), ("no_liability", ["dispositions.no_liability"]),
                 ("merits", ["dispositions.liability_found", "dispositions.no_liability"])],
    "pending": [("pending", [f"age_bands.{band}" for band, _, _ in BANDS])],
    "experts": [("overdue", ["reported_late", "missing_overdue_at_end"])],
    "mediation": [("concluded", ["outcomes.settled", "outcomes.failed", "outcomes.withdrawn"])],
    "appeals": [("appeals_decided", ["outcomes.upheld", "outcomes.modified", "outcomes.reversed", "outcomes.remanded"]),
                ("appeals_decided", ["outcomes.upheld", "appeals_changed"]),
                ("appeals_changed", ["outcomes.modified", "outcomes.reversed", "outcomes.remanded"])],
}
RATES = {
    "outcomes": {"clearance_rate": ["resolved", "incoming"], "liability_rate": ["liability_found", "merits"],
                 "disposition_time_days": ["pending_at_end", "resolved"], "median_days_to_disposition": ["first_rulings"],
                 "share_within_60_days": ["first_rulings_within_60_days", "first_rulings"]},
    "pending": {"median_age_days": ["pending"], "oldest_age_days": ["pending"]},
    "experts": {"late_rate": ["reported_late", "reported"], "median_turnaround_days": ["reported"]},
    "hearings": {"date_certainty_rate": ["held_as_first_scheduled", "held"], "mean_reschedulings": ["reschedulings", "held"]},
    "mediation": {"success_rate": ["outcomes.settled", "concluded"]},
    "compensation": {"median_award": ["rulings_with_award"], "awarded.total": ["rulings_with_award", "rulings"], "claimed.total": ["claims"],
                     "award_to_claim_rate": ["claims", "rulings_with_award"]},
    "appeals": {"appeal_rate": ["appeals_filed", "rulings"], "reversal_rate": ["appeals_changed", "appeals_decided"]},
    "funnel": {"care_not_met_rate": ["care_not_met", "filed"], "malpractice_rate": ["malpractice", "care_not_met"],
               "liability_rate": ["liability_found", "malpractice"]},
}


def at_path(group: dict[str, Any], path: str) -> Any:
    value: Any = group
    for part in path.split("."):
        value = value[part]
    return value


def public_problems(measure: str, exact: dict[str, Any], public: dict[str, Any]) -> tuple[list[str], int, int]:
    """What is wrong with a public result against the exact one: a count from 1 to 4 shown, a
    shown figure that differs, a hidden count that is the difference of shown ones, a rate shown
    although built on a hidden count. Also how many "<5" and complementary cells it has."""
    problems: list[str] = []
    small = complements = 0
    assert [g["key"] for g in exact["groups"]] == [g["key"] for g in public["groups"]]
    for exact_group, shown_group in zip(exact["groups"], public["groups"], strict=True):
        where = f"{measure} {exact['by']} {exact['filters']} {exact_group['key']}"
        hidden = set()
        for path in COUNT_FIELDS[measure]:
            value, shown = at_path(exact_group, path), at_path(shown_group, path)
            if value is None:
                assert shown is None
            elif 1 <= value <= 4:
                small += 1
                hidden.add(path)
                if shown != "<5":
                    problems.append(f"{where}: {path} = {value} shown as {shown!r}")
            elif shown == "suppressed":
                complements += 1
                hidden.add(path)
            elif shown != value:
                problems.append(f"{where}: {path} = {value} shown as {shown!r}")
        for total, parts in SUMS.get(measure, []):
            cells = [total, *parts]
            if any(at_path(exact_group, c) is None for c in cells):
                continue
            if len(hidden & set(cells)) == 1:
                problems.append(f"{where}: {(hidden & set(cells)).pop()} is {total} minus the other shown parts {parts}")
        for figure, basis in RATES.get(measure, {}).items():
            value, shown = at_path(exact_group, figure), at_path(shown_group, figure)
            if hidden & set(basis) and value is not None and shown != "suppressed":
                problems.append(f"{where}: {figure} shown ({shown}) although built on hidden {sorted(hidden & set(basis))}")
            if not hidden & set(basis) and shown != value:
                problems.append(f"{where}: {figure} = {value} shown as {shown!r}")
    return problems, small, complements


def check_public_output(conn: Any, cases: dict[str, dict[str, Any]]) -> None:
    problems: list[str] = []
    small = complements = 0
    court = most_common(c["court"] for c in cases.values())
    for filters in (None, {"court": court}, filter_choices(cases)[2]):
        # Public periods are one whole quarter or year (DOMAIN.md section 4).
        for start, end in ((date(2024, 1, 1), date(2024, 12, 31)), (date(2025, 7, 1), date(2025, 9, 30)), (date(2023, 1, 1), date(2023, 12, 31))):
            for name, measure in stats.MEASURES.items():
                for by in (None, "court", "track", "specialty", "year", "finding"):
                    if by is not None and by not in ALLOWED[name]:
                        continue
                    exact = measure(conn, start, end, by=by, filters=filters)
                    found = public_problems(name, exact, measure(conn, start, end, by=by, filters=filters, public=True))
                    problems += found[0]
                    small, complements = small + found[1], complements + found[2]
            for by in (None, "court", "track"):
                exact = stats.pending(conn, end, by=by, filters=filters)
                found = public_problems("pending", exact, stats.pending(conn, end, by=by, filters=filters, public=True))
                problems += found[0]
                small, complements = small + found[1], complements + found[2]
    assert problems == []
    assert small > 20 and complements > 5, "the data should have small cells, and cells that would give them away"


def test_a_hidden_count_is_not_the_difference_of_shown_ones() -> None:
    # The case that made complementary suppression necessary: merits 8, no liability 6, and
    # liability found "<5" gave away 2.
    group = {
        "key": "ALA", "incoming": 30, "filed": 28, "reopened": 2, "resolved": 20, "clearance_rate": 66.67, "merits": 8, "liability_found": 2,
        "no_liability": 6, "liability_rate": 25.0,
        "findings": {"incident": 0, "medical_error": 6, "malpractice": 2, "no_causation": 0, "unfounded": 0},
        "dispositions": {"liability_found": 2, "no_liability": 6, "settled": 12, "withdrawn": 0, "terminated": 0, "transferred": 0},
        "first_rulings": 20, "median_days_to_disposition": 100.0, "p90_days_to_disposition": 300, "first_rulings_within_60_days": 2,
        "share_within_60_days": 10.0,
        "pending_at_end": 40, "disposition_time_days": 730.0,
    }
    shown = stats.suppress(group, stats.OUTCOME_COUNTS, stats.OUTCOME_BASIS, stats.OUTCOME_RELATIONS)
    assert (shown["merits"], shown["liability_found"], shown["no_liability"]) == (8, "<5", "suppressed")
    assert shown["findings"] == {"incident": 0, "medical_error": "suppressed", "malpractice": "<5", "no_causation": 0, "unfounded": 0}
    assert shown["dispositions"]["liability_found"] == "<5" and shown["dispositions"]["no_liability"] == "suppressed"
    assert shown["liability_rate"] == "suppressed"
    # A rate gives away its numerator: 10 % of 20 first rulings is 2 (the ULY case of issue 15).
    assert (shown["first_rulings_within_60_days"], shown["share_within_60_days"]) == ("<5", "suppressed")
    # Two and more hidden filings: "<5" reopened and a hidden filed count leave incoming shown.
    assert (shown["incoming"], shown["filed"], shown["reopened"], shown["clearance_rate"]) == (30, "suppressed", "<5", 66.67)
    assert public_problems("outcomes", {"by": None, "filters": {}, "groups": [group]}, {"groups": [shown]})[0] == []
    # Two "<5" cells adding up to 2 are both 1: a third one is hidden as well.
    ages = {"key": "all", "pending": 12, "age_bands": {"0-30": 1, "31-60": 1, "61-90": 10, "91-180": 0, "181-365": 0, ">365": 0},
            "median_age_days": 70.0, "p90_age_days": 80, "oldest_age_days": 90}
    shown = stats.suppress(ages, stats.PENDING_COUNTS, stats.PENDING_BASIS, stats.PENDING_RELATIONS)
    assert shown["age_bands"] == {"0-30": "<5", "31-60": "<5", "61-90": "suppressed", "91-180": 0, "181-365": 0, ">365": 0}


def test_a_period_without_activity_has_zeros_and_nulls_never_errors(settings: Settings) -> None:
    app = Docket(env=settings.event_store_env(create_tables=True))
    random_history(app, random.Random(5), cases=3, steps=30, start=date(2025, 3, 3))
    app.close()
    assert main(["projections", "run", "--until-caught-up"]) == 0
    engine = create_engine(settings.views_url)
    with engine.connect() as conn:
        quiet = stats.outcomes(conn, date(2010, 1, 1), date(2010, 12, 31))["groups"]
        by_month = stats.outcomes(conn, date(2010, 1, 1), date(2010, 3, 31), by="month")["groups"]
        others = [measure(conn, date(2010, 1, 1), date(2010, 12, 31))["groups"] for measure in stats.MEASURES.values()]
        nobody_pending = stats.pending(conn, date(2010, 1, 1))["groups"]
    engine.dispose()
    assert [g["key"] for g in quiet] == ["all"] and [g["key"] for g in by_month] == ["2010-01", "2010-02", "2010-03"]
    for group in quiet + by_month:
        assert (group["incoming"], group["resolved"], group["merits"], group["pending_at_end"]) == (0, 0, 0, 0)
        assert group["clearance_rate"] is None and group["liability_rate"] is None
        assert group["median_days_to_disposition"] is None and group["disposition_time_days"] is None
    assert all(len(groups) == 1 and groups[0]["key"] == "all" for groups in others)
    assert nobody_pending == [{
        "key": "all", "pending": 0, "age_bands": {band: 0 for band, _, _ in BANDS},
        "median_age_days": None, "p90_age_days": None, "oldest_age_days": None,
    }]


