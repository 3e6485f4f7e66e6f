"""Every statistic equals an independent computation, straight from `medcourt export events`.

The reference below reads the exported JSON lines into plain per-case records and applies
DOMAIN.md section 4 word for word, with loops and no SQL; the projections compute the same
figures from the read models with SQL. Both must agree for every period and breakdown, on
SQLite and on PostgreSQL. Rounding and the choices DOMAIN.md leaves open follow the
docstring of ``projections.statistics``.
"""

from __future__ import annotations

import json
import math
import random
import statistics as pystats
from collections import defaultdict
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import create_engine

from domain.application import Docket
from projections import statistics as stats
from projections.settings import Settings
from scripts.cli import main
from scripts.demo import generate
from tests.integration.projection_support import random_history

ALMATY = ZoneInfo("Asia/Almaty")
FINDINGS = ("incident", "medical_error", "malpractice", "no_causation", "unfounded")
DISPOSITIONS = ("liability_found", "no_liability", "settled", "withdrawn", "terminated", "transferred")
MERITS = ("liability_found", "no_liability")
HEADS = ("real_damage", "lost_profit", "moral_harm")
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
    parts, cursor = [], start
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


def by_periods(compute: Any, cases: dict[str, dict[str, Any]], start: date, end: date, by: str | None) -> dict[str, dict[str, Any]]:
    if by in ("year", "month"):
        return {key: compute(cases, s, e, None).get("all") or compute(cases, s, e, None, empty=True)["all"] for key, s, e in periods(start, end, by)}
    groups = compute(cases, start, end, by)
    if by is None and "all" not in groups:
        groups = compute(cases, start, end, None, empty=True)
    return groups


def outcomes(cases: dict[str, dict[str, Any]], start: date, end: date, by: str | None, empty: bool = False) -> dict[str, dict[str, Any]]:
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
        if flow:
            if within(case["received_on"], start, end):
                group(case_key(case, by))["filed"] += 1
            for _, reopened_on in case["reopenings"]:
                if within(reopened_on, start, end):
                    group(case_key(case, by))["reopened"] += 1
            if is_pending(case, end):
                group(case_key(case, by))["pending_at_end"] += 1
        for ruling in case["rulings"]:
            if not within(ruling["decided_on"], start, end):
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
            "share_within_60_days": pct(sum(d <= 60 for d in days), len(days)),
            "pending_at_end": pending_at_end if flow else None,
            "disposition_time_days": round(((end - start).days + 1) * pending_at_end / g["resolved"], 1) if flow and g["resolved"] else None,
        }
    return result


def pending(cases: dict[str, dict[str, Any]], at: date, by: str | None) -> dict[str, dict[str, Any]]:
    ages: dict[str, list[int]] = defaultdict(list)
    for case in cases.values():
        if is_pending(case, at):
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


def experts(cases: dict[str, dict[str, Any]], start: date, end: date, by: str | None, empty: bool = False) -> dict[str, dict[str, Any]]:
    groups: dict[str, dict[str, Any]] = {}

    def group(key: str) -> dict[str, Any]:
        return groups.setdefault(key, {"ordered": 0, "turnaround": [], "reported_late": 0, "missing": 0})

    if empty:
        group("all")
    for case in cases.values():
        for exam in case["exams"].values():
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


def hearings(cases: dict[str, dict[str, Any]], start: date, end: date, by: str | None, empty: bool = False) -> dict[str, dict[str, Any]]:
    groups: dict[str, dict[str, Any]] = {}
    if empty:
        groups["all"] = {"held": 0, "first": 0, "reschedulings": 0, "cancelled": 0}
    for case in cases.values():
        for hearing in case["hearings"].values():
            if not within(hearing["on"], start, end):
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


def mediation(cases: dict[str, dict[str, Any]], start: date, end: date, by: str | None, empty: bool = False) -> dict[str, dict[str, Any]]:
    groups: dict[str, dict[str, Any]] = {}

    def group(key: str) -> dict[str, Any]:
        return groups.setdefault(key, {"referred": 0, "outcomes": {"settled": 0, "failed": 0, "withdrawn": 0}, "days": []})

    if empty:
        group("all")
    for case in cases.values():
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


def compensation(cases: dict[str, dict[str, Any]], start: date, end: date, by: str | None, empty: bool = False) -> dict[str, dict[str, Any]]:
    groups: dict[str, dict[str, Any]] = {}

    def group(key: str) -> dict[str, Any]:
        zero = {**dict.fromkeys(HEADS, 0), "total": 0}
        return groups.setdefault(key, {"rulings": 0, "claimed": dict(zero), "awarded": dict(zero), "payable": dict(zero), "awards": [], "insurer": []})

    if empty:
        group("all")
    for case in cases.values():
        if not sum(case["claimed"].values()):
            continue
        for ruling in case["rulings"]:
            if ruling["disposition"] not in MERITS or not within(ruling["decided_on"], start, end):
                continue
            g = group(ruling_key(case, ruling, by))
            g["rulings"] += 1
            for part, amounts in (("claimed", case["claimed"]), ("awarded", ruling["awarded"]), ("payable", ruling["payable"])):
                for head in HEADS:
                    g[part][head] += amounts[head]
                    g[part]["total"] += amounts[head]
            if sum(ruling["awarded"].values()):
                g["awards"].append(sum(ruling["awarded"].values()))
            if ruling["insurer"]:
                g["insurer"].append(ruling["insurer"])
    return {
        key: {
            "rulings": g["rulings"], "rulings_with_award": len(g["awards"]),
            "claimed": {k: kzt(v) for k, v in g["claimed"].items()}, "awarded": {k: kzt(v) for k, v in g["awarded"].items()},
            "payable": {k: kzt(v) for k, v in g["payable"].items()},
            "award_to_claim_rate": pct(g["awarded"]["total"], g["claimed"]["total"]),
            "median_award": kzt(pystats.median(g["awards"])) if g["awards"] else None,
            "rulings_with_insurer_compensation": len(g["insurer"]), "insurer_compensation": kzt(sum(g["insurer"])),
        }
        for key, g in groups.items()
    }


def appeals(cases: dict[str, dict[str, Any]], start: date, end: date, by: str | None, empty: bool = False) -> dict[str, dict[str, Any]]:
    groups: dict[str, dict[str, Any]] = {}

    def group(key: str) -> dict[str, Any]:
        return groups.setdefault(key, {"rulings": 0, "filed": 0, "outcomes": {"upheld": 0, "modified": 0, "reversed": 0, "remanded": 0}})

    if empty:
        group("all")
    for case in cases.values():
        for ruling in case["rulings"]:
            if within(ruling["decided_on"], start, end):
                group(ruling_key(case, ruling, by))["rulings"] += 1
        for appeal in case["appeals"].values():
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
            "appeals_decided": decided, "outcomes": g["outcomes"], "reversal_rate": pct(changed, decided),
        }
    return result


def funnel(cases: dict[str, dict[str, Any]], start: date, end: date, by: str | None, empty: bool = False) -> dict[str, dict[str, Any]]:
    groups: dict[str, list[int]] = {}
    if empty:
        groups["all"] = [0, 0, 0, 0]
    for case in cases.values():
        if not within(case["received_on"], start, end):
            continue
        stages = groups.setdefault(case_key(case, by), [0, 0, 0, 0])
        care_not_met = any(e["care"] == "no" and e["received_on"] <= end for e in case["exams"].values())
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
    do: corrected dates of receipt and of reports, recusals, withdrawals, set-aside reopenings."""
    app = Docket(env=settings.event_store_env(create_tables=True))
    generate(app, 70, seed=11, today=date(2025, 6, 30))
    random_history(app, random.Random(11), cases=12, steps=260, start=date(2025, 8, 4))
    yield app
    app.close()


def test_statistics_match_an_independent_computation_from_the_exported_events(settings: Settings, docket: Docket, tmp_path: Path) -> None:
    # The events as any other program would see them.
    exported = tmp_path / "events.jsonl"
    assert main(["export", "events", "--output", str(exported)]) == 0
    cases, judge_names = read_export(exported)

    # The read models, built from the same log.
    assert main(["projections", "run", "--until-caught-up"]) == 0
    engine = create_engine(settings.views_url)
    mismatches = []
    try:
        with engine.connect() as conn:
            checks = [
                (date(2020, 7, 1), date(2027, 6, 30), (None, "track", "court", "specialty", "year", "judge", "finding")),
                (date(2024, 1, 1), date(2024, 12, 31), (None, "month", "court", "judge")),
                (date(2025, 4, 15), date(2026, 12, 31), (None, "month", "track", "specialty", "judge", "finding")),
                (date(2025, 9, 1), date(2025, 9, 30), (None, "track")),
                (date(2010, 1, 1), date(2010, 12, 31), (None, "month")),
            ]
            for start, end, breakdowns in checks:
                for name, reference in REFERENCE.items():
                    allowed = {"outcomes": stats.BREAKDOWNS, "experts": stats.EXPERT_BREAKDOWNS, "hearings": stats.HEARING_BREAKDOWNS,
                               "mediation": stats.MEDIATION_BREAKDOWNS, "compensation": stats.COMPENSATION_BREAKDOWNS,
                               "appeals": stats.APPEAL_BREAKDOWNS, "funnel": stats.FUNNEL_BREAKDOWNS}[name]
                    for by in [b for b in breakdowns if b is None or b in allowed] + (["expert"] if name == "experts" else []):
                        actual = stats.MEASURES[name](conn, start, end, by=by)
                        expected = by_periods(reference, cases, start, end, by)
                        if groups_of(actual) != expected:
                            mismatches.append((name, str(start), str(end), by))
                        if by == "judge":
                            assert all(g["label"] == judge_names.get(g["key"], "Unassigned") for g in actual["groups"])
            for at in (date(2021, 12, 31), date(2024, 6, 30), date(2025, 6, 30), date(2025, 11, 15), date(2026, 6, 30), date(2027, 6, 30)):
                for by in (None, "track", "court", "specialty", "judge"):
                    if groups_of(stats.pending(conn, at, by=by)) != pending(cases, at, by):
                        mismatches.append(("pending", str(at), "", by))

            # Periods ending on the very days things happen: a reopening, a ruling, an
            # examination's withdrawal or due date (the edges of "as of" and "past due").
            reopened = {d for c in cases.values() for _, d in c["reopenings"]}
            decided = sorted(r["decided_on"] for c in cases.values() for r in c["rulings"] if r["decided_on"] >= date(2025, 8, 1))
            for at in sorted(reopened | set(decided[:15])):
                if groups_of(stats.pending(conn, at, by=None)) != pending(cases, at, None):
                    mismatches.append(("pending", str(at), "", None))
            exams = [e for c in cases.values() for e in c["exams"].values() if e["ordered_on"] >= date(2025, 8, 1)]
            exam_days = {e["withdrawn_on"] for e in exams if e["withdrawn_on"]} | {e["due_on"] for e in exams[:15]}
            for end in sorted(exam_days):
                if groups_of(stats.experts(conn, date(2025, 1, 1), end)) != by_periods(experts, cases, date(2025, 1, 1), end, None):
                    mismatches.append(("experts", "2025-01-01", str(end), None))
    finally:
        engine.dispose()
    assert mismatches == []

    # The measures are not vacuous: the data exercises them.
    whole = outcomes(cases, date(2020, 7, 1), date(2027, 6, 30), None)["all"]
    assert whole["merits"] > 20 and whole["liability_found"] > 0 and whole["reopened"] > 0 and whole["pending_at_end"] > 0

    # Public output: counts from 1 to 4 become "<5", and the rates built on them are suppressed.
    with engine.connect() as conn:
        public = {g["key"]: g for g in stats.outcomes(conn, date(2024, 1, 1), date(2024, 12, 31), by="court", public=True)["groups"]}
    engine.dispose()
    exact = outcomes(cases, date(2024, 1, 1), date(2024, 12, 31), "court")
    assert exact.keys() == public.keys()
    small_seen = False
    for key, shown in public.items():
        figures = exact[key]
        for name in ("incoming", "resolved", "merits", "liability_found", "pending_at_end"):
            small = 1 <= figures[name] <= 4
            small_seen |= small
            assert shown[name] == ("<5" if small else figures[name])
        for finding, count in figures["findings"].items():
            assert shown["findings"][finding] == ("<5" if 1 <= count <= 4 else count)
        built_on_small = any(1 <= figures[n] <= 4 for n in ("resolved", "incoming"))
        assert shown["clearance_rate"] == ("suppressed" if built_on_small and figures["clearance_rate"] is not None else figures["clearance_rate"])
        assert shown["median_days_to_disposition"] == ("suppressed" if 1 <= figures["first_rulings"] <= 4 else figures["median_days_to_disposition"])
    assert small_seen, "the data should have some courts with few cases"


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


