"""Support for the projection and statistics tests: random docket histories, made only through
the services, and a dump of every read-model table to compare two builds.

``random_history`` plays a court for a while: each step freezes the clock a little later and
tries one action a clerk, judge or administrator could take on a random case (filing,
assigning and recusing judges, examinations that are reported late or withdrawn, hearings
rescheduled, held or cancelled, mediation, rulings of every disposition, appeals, legal
force, reopening, sealing, corrections of the date of receipt and of reports, documents).
Whatever the rules refuse is simply not recorded, so every history is one the docket
accepts. It is driven by a ``random.Random``: hypothesis's ``st.randoms()`` shrinks it.
"""

from __future__ import annotations

import hashlib
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Engine, select, text

from domain import clock
from domain.application import Docket
from domain.case import Case
from domain.errors import DomainError
from domain.rules import HARMS_BY_TRACK
from domain.vocabulary import FINDINGS, SPECIALTIES, Actor
from projections.tables import PROJECTION_TABLES
from scripts.rulebook_data import kz_non_working_days

ADMIN = Actor(user="admin", role="admin")
CLERK = Actor(user="clerk", role="clerk")
JUDGE = Actor(user="judge", role="judge")
COURTS = ("ALA", "AST")
HOSPITALS = (("City Hospital No. 4", "123456789012"), ("Regional Clinic", "210987654321"), ("Private Clinic Densaulyk", "555555555555"))


def clerk_of(court: str) -> Actor:
    """A clerk of ``court``: clerks act on their own court's cases (R14)."""
    return Actor(user=f"clerk-{court.lower()}", role="clerk", court=court)


def judge_of(case: Case) -> Actor:
    """The account of the judge assigned to ``case`` (R14: a judge acts on the cases assigned to them)."""
    return Actor(user="judge", role="judge", judge_id=case.judge_id)


def local(day: date, hour: int = 9, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=clock.COURT_TZ)


@dataclass
class Court:
    """The people of the simulated courts and the cases filed so far."""

    docket: Docket
    rng: random.Random
    judges: dict[str, list[str]] = field(default_factory=dict)
    experts: list[str] = field(default_factory=list)
    mediators: dict[str, str] = field(default_factory=dict)
    dockets: list[str] = field(default_factory=list)
    moment: datetime | None = None  # the simulated time the history has reached
    accepted: int = 0
    refused: int = 0


def set_up_court(docket: Docket, rng: random.Random, start: date) -> Court:
    """Rulebook, two judges per court (one of Astana's certified only until mid-way), three
    experts (one affiliated with City Hospital No. 4) and a mediator per court."""
    court = Court(docket, rng)
    with clock.frozen_at(local(start - timedelta(days=30))):
        docket.install_default_rulebook(kz_non_working_days())
        for code in COURTS:
            court.judges[code] = []
            for index in range(2):
                judge_id = docket.register_judge(f"Judge {code}-{index + 1}", code, ADMIN)["id"]
                valid_to = start + timedelta(days=60) if (code, index) == ("AST", 1) else None
                docket.certify_judge(judge_id, start - timedelta(days=400), valid_to, "Medical law", ADMIN)
                court.judges[code].append(judge_id)
            court.mediators[code] = docket.register_mediator(f"Mediator {code}", code, f"{code} Mediation Centre", ADMIN)["id"]
        for index in range(3):
            # Forensic medical experts: they may examine a case of any specialty (R16).
            expert_id = docket.register_expert(f"Dr Expert {index + 1}", [*SPECIALTIES[index:index + 2], "forensic_medicine"], "Professor", f"EXP-{index}", ADMIN)["id"]
            court.experts.append(expert_id)
        docket.declare_affiliation(court.experts[0], HOSPITALS[0][1], HOSPITALS[0][0], start - timedelta(days=900), None, ADMIN)
    return court


def random_history(docket: Docket, rng: random.Random, *, cases: int, steps: int, start: date, court: Court | None = None) -> Court:
    """Play ``steps`` random actions from ``start`` (filing at most ``cases`` new cases). Pass the
    ``court`` of an earlier call to continue the same history where it stopped."""
    court = court or set_up_court(docket, rng, start)
    moment = court.moment or local(start, 9)
    filed = 0
    for _ in range(steps):
        moment += rng.choice([timedelta(0), timedelta(hours=2), timedelta(days=1), timedelta(days=3), timedelta(days=9)])
        with clock.frozen_at(moment):
            if filed < cases and (not court.dockets or rng.random() < 0.3):
                action: Callable[[], Any] = lambda: file_case(court)  # noqa: E731
                filed += 1
            else:
                action = case_action(court, rng.choice(court.dockets))
            try:
                action()
                court.accepted += 1
            except DomainError:
                court.refused += 1
    court.moment = moment
    return court


def file_case(court: Court) -> None:
    rng, today = court.rng, clock.today()  # the moment random_history froze the clock at (clock.frozen_at)
    track = rng.choice(["civil", "civil", "administrative", "criminal"])
    harm = rng.choice(HARMS_BY_TRACK[track])
    hospital, bin_ = rng.choice(HOSPITALS)
    respondents: list[dict[str, Any]] = []
    if track != "criminal":
        respondents.append({"kind": "organization", "name": hospital, "bin": bin_})
    if track == "criminal" or rng.random() < 0.5:
        respondents.append({"kind": "specialist", "name": f"Dr Doctor {rng.randint(1, 9)}", "certificate_no": f"KZ-{rng.randint(1000, 9999)}"})
    claimed = {}
    if track == "civil":
        claimed = {"real_damage": f"{rng.randint(1, 900) * 1000}", "moral_harm": f"{rng.randint(1, 900) * 1000}.50"}
    where = rng.choice(COURTS)
    receipt = court.docket.file_case(
        track=track, court=where, received_on=today - timedelta(days=rng.randint(0, 3)), specialty=rng.choice(SPECIALTIES[:4]),
        alleged_harm=harm, incident_date=today - timedelta(days=rng.randint(10, 300)),
        claimant={"name": f"Patient {rng.randint(1, 99)}"}, respondents=respondents, claimed=claimed,
        authority={"kind": "prosecutor", "name": "Prosecutor"} if track == "criminal" else None,
        summary="A claim of the simulation.", actor=clerk_of(where),
    )
    court.dockets.append(receipt["docket_number"])


def case_action(court: Court, number: str) -> Callable[[], Any]:
    """One action that makes sense for the case as it stands (the rules may still refuse it)."""
    docket, rng = court.docket, court.rng
    case = docket.case(number)
    clerk, judge = clerk_of(case.court), judge_of(case)
    today = clock.today()
    misc: list[Callable[[], Any]] = [
        lambda: docket.file_document(number, kind=rng.choice(["evidence", "motion", "settlement_agreement"]), title="A filing", filed_by="claimant",
                                     received_on=today, sha256=hashlib.sha256(f"{number}{today}".encode()).hexdigest(), size=100,
                                     media_type="application/pdf", actor=clerk),
        lambda: docket.correct_entry(number, corrects_version=1, reason="Typo in the date of receipt",
                                     corrections={"received_on": case.received_on - timedelta(days=rng.randint(-2, 5)), "specialty": rng.choice(SPECIALTIES[:4])}, actor=clerk),
        lambda: docket.seal_case(number, reason="sensitive_diagnosis", actor=clerk) if not case.sealed else docket.unseal_case(number, reason="Order lifted", actor=judge),
    ]
    reported = [(v.originator_version, v.received_on) for v in docket.events.get(case.id) if isinstance(v, Case.ExpertReportSubmitted)]
    if reported:
        version, received_on = rng.choice(reported)
        misc.append(lambda: docket.correct_entry(number, corrects_version=version, reason="Date of the report's receipt", corrections={"received_on": received_on - timedelta(days=1)}, actor=clerk))
    specific: list[Callable[[], Any]] = []
    if case.status == "pending":
        specific = pending_actions(court, case)
    elif case.status == "decided":
        specific = [
            lambda: docket.file_appeal(number, filed_on=today - timedelta(days=rng.randint(0, 2)), appellant="claimant", actor=clerk),
            lambda: docket.enter_into_force(number),
        ]
    elif case.status == "appealed":
        specific = [lambda: docket.decide_appeal(number, outcome=rng.choice(["upheld", "modified", "reversed", "remanded"]), decided_on=today, actor=clerk)]
    elif case.status == "in_force" and rng.random() < 0.15:
        specific = [lambda: docket.reopen_case(number, reopened_on=today, reason="set_aside", actor=clerk)]
    if specific and rng.random() < 0.85:
        return rng.choice(specific)
    return rng.choice(misc)


def pending_actions(court: Court, case: Case) -> list[Callable[[], Any]]:
    docket, rng, number = court.docket, court.rng, case.docket_number
    clerk, judge = clerk_of(case.court), judge_of(case)
    today, now = clock.today(), clock.now()
    if case.judge_id is None:
        return [lambda: docket.assign_judge(number, rng.choice(court.judges[case.court]), clerk)] * 4
    ordered = [e for e in case.examinations.values() if e["status"] == "ordered"]
    scheduled = [h for h in case.hearings.values() if h["status"] == "scheduled"]
    options: list[Callable[[], Any]] = [
        lambda: docket.order_examination(number, kind="forensic_medical", questions=["Was the standard of care met?"],
                                         expert_ids=[rng.choice(court.experts)], due_on=today + timedelta(days=rng.randint(3, 30)), actor=judge),
        lambda: docket.schedule_hearing(number, starts_at=local(today + timedelta(days=rng.randint(1, 12)), rng.randint(9, 16)),
                                        courtroom=str(rng.randint(1, 2)), purpose="hearing", actor=clerk),
        lambda: issue_ruling(court, case),
        lambda: issue_ruling(court, case),
    ]
    if rng.random() < 0.1:
        options.append(lambda: docket.recuse_judge(number, "Conflict of interest", clerk))
    for examination in ordered:
        options.append(lambda e=examination: docket.submit_expert_report(
            number, examination_id=e["id"], received_on=max(e["ordered_on"], min(today, e["due_on"]) if rng.random() < 0.3 else today - timedelta(days=rng.randint(0, 2))),
            standard_of_care_met=rng.choice(["yes", "no", "no", "partly"]), causation=rng.choice(["yes", "no"]),
            harm_found=rng.choice(HARMS_BY_TRACK[case.track]), actor=clerk))
        if rng.random() < 0.3:
            options.append(lambda e=examination: docket.withdraw_examination(number, e["id"], "Conflict discovered", judge))
    for hearing in scheduled:
        if hearing["starts_at"] <= now:
            options.append(lambda h=hearing: docket.hold_hearing(number, h["id"], minutes_summary="Heard", actor=clerk))
        else:
            options.append(lambda h=hearing: docket.reschedule_hearing(number, h["id"], starts_at=h["starts_at"] + timedelta(days=rng.randint(1, 5)), reason="Party ill", actor=clerk))
        options.append(lambda h=hearing: docket.cancel_hearing(number, h["id"], reason="No longer needed", actor=clerk))
    open_mediation = case.open_mediation()
    if open_mediation is None and case.track != "administrative":
        options.append(lambda: docket.refer_to_mediation(number, mediator_id=court.mediators[case.court], due_on=today + timedelta(days=20), actor=judge))
    elif open_mediation is not None:
        options += [lambda: docket.conclude_mediation(number, outcome=rng.choice(["settled", "failed", "withdrawn"]), concluded_on=today, actor=clerk)] * 2
    return options


def issue_ruling(court: Court, case: Case) -> None:
    rng, today, judge = court.rng, clock.today(), judge_of(case)
    draft: dict[str, Any] = {"decided_on": today - timedelta(days=rng.choice([0, 0, 1])), "reasoning": "Reasons."}
    disposition = rng.choice(["liability_found", "liability_found", "no_liability", "no_liability", "settled", "withdrawn", "terminated", "transferred"])
    draft["disposition"] = disposition
    if disposition == "liability_found":
        liable = [r for r in case.respondents if case.track != "criminal" or r["kind"] == "specialist"]
        harm = case.alleged_harm if case.alleged_harm in HARMS_BY_TRACK[case.track] else HARMS_BY_TRACK[case.track][0]
        draft.update(finding="malpractice", harm_found=harm, liable_respondents=[r["id"] for r in liable])
        if case.track == "civil":
            draft["compensation"] = {head: str((amount * rng.choice([0, 1, 2, 3]) / 4).quantize(amount)) for head, amount in case.claimed.items()}
            draft["contributory_fault_pct"] = rng.choice(["0", "10", "33"])
        else:
            draft["sanctions"] = [{"respondent_id": liable[0]["id"], "kind": "fine", "amount_mci": rng.randint(1, 100)}]
    elif disposition == "no_liability":
        draft.update(finding=rng.choice(FINDINGS), harm_found=case.alleged_harm)
        if rng.random() < 0.3:
            draft["insurer_compensation"] = f"{rng.randint(1, 99) * 1000}"
    elif disposition == "transferred":
        draft["transferred_to_track"] = rng.choice([t for t in ("civil", "administrative", "criminal") if t != case.track])
    court.docket.issue_ruling(case.docket_number, draft, judge)


def dump_read_models(engine: Engine, names: tuple[str, ...] = tuple(PROJECTION_TABLES)) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the projections' tables, in primary-key order, by table name."""
    with engine.connect() as conn:
        return {
            table.name: [tuple(row) for row in conn.execute(select(table).order_by(*table.primary_key.columns))]
            for name in names
            for table in PROJECTION_TABLES[name]
        }


# Each of these tables has exactly one row per event of one type: counting both checks that
# every event was projected exactly once.
ROWS_PER_EVENT: dict[str, tuple[str, ...]] = {
    "cases": ("Case.CaseFiled",),
    "rulings": ("Case.RulingIssued",),
    "hearings": ("Case.HearingScheduled",),
    "examinations": ("Case.ExpertExaminationOrdered",),
    "mediations": ("Case.MediationReferred",),
    "appeals": ("Case.AppealFiled",),
    "reopenings": ("Case.CaseReopened",),
    "judges": ("Judge.JudgeRegistered",),
    "judge_certifications": ("Judge.JudgeCertified",),
    "experts": ("Expert.ExpertRegistered",),
    "expert_affiliations": ("Expert.ExpertAffiliationDeclared",),
    "mediators": ("Mediator.MediatorRegistered",),
}


def expected_row_counts(docket: Docket) -> dict[str, int]:
    """How many rows each one-row-per-event table must have, from the event log itself."""
    kinds = Counter(type(event).__qualname__ for _, event in docket.iter_log(batch=1000))
    expected = {table: sum(kinds[kind] for kind in events) for table, events in ROWS_PER_EVENT.items()}
    expected["case_events"] = sum(n for kind, n in kinds.items() if kind.startswith("Case."))
    return expected


def row_counts(engine: Engine, tables: list[str]) -> dict[str, int]:
    with engine.connect() as conn:
        return {name: conn.execute(text(f'SELECT count(*) FROM "{name}"')).scalar_one() for name in tables}
