"""``medcourt demo``: a deterministic, realistic docket, driven only through the services.

A discrete-event simulation over the last five years: each case is a story (a
generator) that says when it next acts; the driver runs the earliest action with
the court's clock frozen at that moment, so every event is recorded "then", every
rule is checked as it would have been, and recent cases are still pending today.
The mix follows the seeds: many claims, few liability findings, late expert
reports, rescheduled hearings, mediated (sometimes settled) civil cases,
requalified criminal cases, appeals with some reversals and remands, a few
sealed cases.
"""

from __future__ import annotations

import argparse
import hashlib
import heapq
import io
import random
import secrets
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from uuid import UUID

from domain import clock
from domain.application import Docket
from domain.errors import DomainError, ExpertNotIndependent, HearingNotSchedulable
from domain.rules import HARMS_BY_TRACK
from domain.vocabulary import COURTS, SPECIALTIES, Actor
from projections.documents import DocumentStore
from scripts.context import Progress, document_store, open_docket
from scripts.rulebook_data import kz_non_working_days

ADMIN = Actor(user="admin", role="admin")


def clerk_of(court: str) -> Actor:
    """The clerk docketing in ``court`` (R14: a clerk acts on their own court's cases)."""
    return Actor(user="clerk", role="clerk", court=court)

WORKER = Actor(user="medcourt-worker", role="system")

# Busier courts first: Almaty city hears the most (and is where the demo users sit).
COURT_WEIGHTS = {code: weight for code, weight in zip(COURTS, (9, 14, 6, 2, 2, 3, 4, 2, 3, 2, 2, 2, 4, 2, 2, 2, 2, 2, 3, 1), strict=True)}
FIRST_NAMES = ["Aigerim", "Nurlan", "Dana", "Yerlan", "Saule", "Askar", "Madina", "Timur", "Gulnara", "Bauyrzhan", "Zhanna", "Marat", "Aliya", "Daniyar", "Asel", "Ruslan"]
LAST_NAMES = ["Sadykova", "Akhmetov", "Iskakova", "Nurpeisov", "Tokayeva", "Bekov", "Omarova", "Zhakupov", "Kassymova", "Seitkali", "Abenova", "Utepov", "Kim", "Ivanova", "Petrov", "Li"]
HOSPITAL_KINDS = ["City Hospital No. {n}", "Regional Perinatal Centre {n}", "Polyclinic No. {n}", "Multidisciplinary Hospital {n}", "Private Clinic 'Densaulyk-{n}'"]


def person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


@dataclass
class World:
    docket: Docket
    rng: random.Random
    today: date
    # Registry ids come from their own stream, so the same seed gives the same ids (and the same export)
    # without changing the draws that shape the cases.
    ids: random.Random = field(default_factory=random.Random)
    judges: dict[str, list[str]] = field(default_factory=dict)  # court -> certified judge ids
    caseload: Counter[str] = field(default_factory=Counter)
    assigned: Counter[str] = field(default_factory=Counter)
    filed_in: Counter[str] = field(default_factory=Counter)
    experts: dict[str, list[str]] = field(default_factory=dict)  # specialty -> expert ids
    mediators: dict[str, list[str]] = field(default_factory=dict)
    hospitals: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # court -> (name, BIN)
    outcomes: Counter[str] = field(default_factory=Counter)
    documents: DocumentStore | None = None  # where the demo's document files go (None: hashes only)


def demo_document(world: World, label: str, original_size: int) -> dict[str, Any]:
    """A small PDF standing for a filed document, stored (encrypted) when the world has a store, so
    that ``medcourt verify`` finds every document the demo docket names."""
    content = f"%PDF-1.4\n% Medcourt demo document {label} ({original_size} bytes in the original)\n%%EOF\n".encode()
    if world.documents is not None:
        world.documents.put(io.BytesIO(content), f"{label.replace('/', '-')}.pdf")
    return {"sha256": hashlib.sha256(content).hexdigest(), "size": len(content), "media_type": "application/pdf"}


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=clock.COURT_TZ).astimezone(UTC)


def next_id(world: World) -> UUID:
    return UUID(int=world.ids.getrandbits(128), version=4)


def register_everyone(world: World, start: date) -> None:
    docket, rng = world.docket, world.rng
    docket.install_default_rulebook(kz_non_working_days())
    bins = iter(range(100000000001, 999999999999, 7919))
    for court, weight in COURT_WEIGHTS.items():
        world.judges[court] = []
        for index in range(2 + weight // 3):
            judge_id = docket.register_judge(f"{person(rng)} ({court})", court, ADMIN, entry_id=next_id(world))["id"]
            if index == 0 or rng.random() < 0.88:  # most judges are certified; each court has at least one
                docket.certify_judge(judge_id, start - timedelta(days=rng.randint(30, 900)), None, "Medical law for judges (Academy of Justice)", ADMIN)
                world.judges[court].append(judge_id)
        world.mediators[court] = [
            docket.register_mediator(person(rng), court, f"{COURTS[court]} Mediation Centre", ADMIN, entry_id=next_id(world))["id"]
            for _ in range(1 + weight // 5)
        ]
        world.hospitals[court] = [(rng.choice(HOSPITAL_KINDS).format(n=n), f"{next(bins):012d}") for n in range(1, 4 + weight)]
    all_hospitals = [h for hs in world.hospitals.values() for h in hs]
    for specialty in SPECIALTIES:
        world.experts[specialty] = []
        for _ in range(4):
            expert_id = docket.register_expert(
                f"Dr {person(rng)}", [specialty, rng.choice(SPECIALTIES)], rng.choice(["Professor", "Candidate of Medical Sciences", "Highest category physician"]),
                f"EXP-{rng.randint(10000, 99999)}", ADMIN, entry_id=next_id(world),
            )["id"]
            world.experts[specialty].append(expert_id)
            if rng.random() < 0.5:  # declared affiliations: some will disqualify (R6)
                name, bin_ = rng.choice(all_hospitals)
                docket.declare_affiliation(expert_id, bin_, name, start - timedelta(days=rng.randint(100, 2000)), rng.choice([None, start + timedelta(days=rng.randint(100, 1500))]), ADMIN)


def case_story(world: World, index: int, received_on: date) -> Iterator[datetime]:
    """One case from filing to final ruling (or as far as it has got by today)."""
    docket, rng = world.docket, world.rng
    court = rng.choices(list(COURT_WEIGHTS), weights=list(COURT_WEIGHTS.values()))[0]
    track = rng.choices(["civil", "administrative", "criminal"], weights=[55, 25, 20])[0]
    harm = rng.choice(HARMS_BY_TRACK[track])
    specialty = rng.choice(SPECIALTIES)
    hospital, hospital_bin = rng.choice(world.hospitals[court])
    clerk = clerk_of(court)
    doctor = f"Dr {person(rng)}"
    respondents: list[dict[str, Any]] = []
    if track != "criminal":
        respondents.append({"kind": "organization", "name": hospital, "bin": hospital_bin})
    if track == "criminal" or rng.random() < 0.5:
        respondents.append({"kind": "specialist", "name": doctor, "certificate_no": f"KZ-{rng.randint(100000, 999999)}", "organization_bin": hospital_bin})
    claimed = {}
    if track == "civil":
        claimed = {"real_damage": f"{rng.randint(50, 3000) * 1000}", "moral_harm": f"{rng.randint(100, 10000) * 1000}"}
        if rng.random() < 0.4:
            claimed["lost_profit"] = f"{rng.randint(100, 5000) * 1000}.50"
    yield at(received_on, rng.randint(9, 16), rng.randint(0, 59))
    receipt = docket.file_case(
        track=track, court=court, received_on=received_on, specialty=specialty, alleged_harm=harm,
        incident_date=received_on - timedelta(days=rng.randint(20, 700)),
        claimant={"name": person(rng), "relation": rng.choice(["patient", "patient", "relative", "heir"])},
        respondents=respondents, claimed=claimed,
        authority={"kind": "prosecutor", "name": f"Prosecutor's office of {COURTS[court]}"} if track == "criminal" else
        ({"kind": "inspectorate", "name": "Committee for Medical and Pharmaceutical Control"} if track == "administrative" else None),
        summary=f"Alleged {harm} harm after {specialty.replace('_', ' ')} care at {hospital}.", actor=clerk,
    )
    number = receipt["docket_number"]
    world.filed_in[court] += 1
    docket.file_document(number, kind={"civil": "claim", "criminal": "indictment", "administrative": "protocol"}[track],
                         title="Statement of claim" if track == "civil" else "Case materials", filed_by="claimant",
                         received_on=received_on, **demo_document(world, number, rng.randint(20_000, 900_000)), actor=clerk)
    if rng.random() < 0.02 or specialty == "obstetrics_gynecology" and rng.random() < 0.05:
        docket.seal_case(number, reason=rng.choice(["minor", "sensitive_diagnosis"]), actor=clerk)
    day = received_on + timedelta(days=rng.randint(1, 6))
    yield at(day, 10)
    judge_id = min(world.judges[court], key=lambda j: (world.caseload[j], j))
    world.caseload[judge_id] += 1
    world.assigned[judge_id] += 1
    docket.assign_judge(number, judge_id, clerk)
    judge: Actor = Actor(user=f"judge:{judge_id[:8]}", role="judge", judge_id=judge_id)

    decided = False
    while not decided:
        # Expert examination, often late.
        day = day + timedelta(days=rng.randint(7, 25))
        yield at(day, 11)
        due = day + timedelta(days=rng.randint(30, 60))
        examination_id = None
        kind = rng.choices(["forensic_medical", "commission", "complex"], weights=[70, 20, 10])[0]
        panel = rng.sample(world.experts[specialty], k=len(world.experts[specialty]))
        for attempt in range(len(panel)):
            chosen = [panel[attempt], panel[(attempt + 1) % len(panel)]] if kind == "commission" else [panel[attempt]]
            try:
                examination_id = docket.order_examination(
                    number, kind=kind, questions=["Was the standard of care met?", "Is there a causal link to the harm?", "What harm was caused?"],
                    expert_ids=chosen, due_on=due, actor=judge)["id"]
                break
            except ExpertNotIndependent:
                world.outcomes["expert_conflicts_refused"] += 1
        hearing = yield from schedule(world, number, day + timedelta(days=rng.randint(5, 20)), "preliminary hearing", judge)
        late = rng.random() < 0.4
        report_day = due + timedelta(days=rng.randint(3, 60)) if late else due - timedelta(days=rng.randint(0, 25))
        if hearing:
            yield from hold_or_reschedule(world, number, hearing, report_day)
        # Mediation (civil) or reconciliation (criminal).
        settled = False
        if track in ("civil", "criminal") and rng.random() < (0.35 if track == "civil" else 0.15):
            yield at(max(report_day - timedelta(days=20), day + timedelta(days=1)), 12)
            docket.refer_to_mediation(number, mediator_id=rng.choice(world.mediators[court]), due_on=clock.today() + timedelta(days=30), actor=judge)
            concluded = clock.today() + timedelta(days=rng.randint(10, 45))
            yield at(concluded, 15)
            outcome = rng.choices(["settled", "failed", "withdrawn"], weights=[40, 48, 12])[0]
            docket.conclude_mediation(number, outcome=outcome, concluded_on=concluded, actor=clerk)
            settled = outcome == "settled"
            if settled:
                docket.file_document(number, kind="settlement_agreement", title="Settlement agreement", filed_by="parties",
                                     received_on=concluded, **demo_document(world, f"{number}/settlement", rng.randint(5000, 50000)), actor=clerk)
        # The expert report (unless the case ends without one).
        report_day = max(report_day, clock.today())
        yield at(report_day, 14)
        if examination_id:
            care = rng.choices(["yes", "partly", "no"], weights=[50, 25, 25])[0]
            # Experts often find less harm than alleged: a criminal case may turn out to be about minor harm.
            harm_found = harm if rng.random() < 0.8 else rng.choice(HARMS_BY_TRACK["civil"][: max(1, HARMS_BY_TRACK["civil"].index(harm))])
            docket.submit_expert_report(number, examination_id=examination_id, received_on=report_day, standard_of_care_met=care,
                                        causation=rng.choices(["yes", "no", "undetermined"], weights=[60, 30, 10])[0],
                                        harm_found=harm_found, summary="Commission's conclusions on the standard of care and causation.", actor=clerk)
        else:
            care, harm_found = "yes", harm
        final = yield from schedule(world, number, report_day + timedelta(days=rng.randint(7, 30)), "main hearing", judge)
        if final:
            yield from hold_or_reschedule(world, number, final, None)
        decided_on = clock.today()
        draft = ruling_draft(world, track, harm, harm_found, care, settled, claimed, respondents, decided_on, examination_id is not None)
        try:
            receipt = docket.issue_ruling(number, draft, judge)
        except DomainError as refusal:  # the demo follows the rules; count what they turned away
            world.outcomes[f"refused:{type(refusal).__name__}"] += 1
            return
        world.outcomes[draft["disposition"]] += 1
        world.caseload[judge_id] -= 1
        # Appeal or legal force.
        rulebook = docket.rulebook_on(decided_on)
        deadline = rulebook.appeal_deadline(track, decided_on)
        if rng.random() < 0.25 and draft["disposition"] in ("liability_found", "no_liability"):
            filed = decided_on + timedelta(days=rng.randint(1, (deadline - decided_on).days))
            yield at(filed, 10)
            docket.file_appeal(number, filed_on=filed, appellant=rng.choice(["claimant", "respondent", "prosecutor" if track == "criminal" else "claimant"]), actor=clerk)
            appeal_day = filed + timedelta(days=rng.randint(30, 120))
            yield at(appeal_day, 16)
            outcome = rng.choices(["upheld", "modified", "reversed", "remanded"], weights=[60, 15, 10, 15])[0]
            docket.decide_appeal(number, outcome=outcome, decided_on=appeal_day, actor=clerk)
            world.outcomes[f"appeal:{outcome}"] += 1
            if outcome == "remanded":
                day = appeal_day
                continue
        else:
            yield at(deadline + timedelta(days=1), 6)
            docket.enter_into_force(number, WORKER)
        decided = True


def schedule(world: World, number: str, wanted: date, purpose: str, judge: Actor) -> Iterator[datetime]:
    """Book a hearing on or after ``wanted``, trying the next slots when the calendar refuses."""
    rng = world.rng
    yield at(min(wanted - timedelta(days=3), max(clock.today(), wanted - timedelta(days=3))), 9)
    day = max(wanted, clock.today() + timedelta(days=1))
    for attempt in range(12):
        try:
            return str(world.docket.schedule_hearing(number, starts_at=at(day, rng.randint(9, 16)), courtroom=str(rng.randint(1, 4)), purpose=purpose, actor=clerk_of(number[:3]))["id"])
        except HearingNotSchedulable:
            world.outcomes["calendar_conflicts_refused"] += 1
            day += timedelta(days=1 + attempt // 3)
    return None


def hold_or_reschedule(world: World, number: str, hearing_id: str, not_before: date | None) -> Iterator[datetime]:
    rng = world.rng
    case = world.docket.case(number)
    starts = case.hearings[hearing_id]["starts_at"]
    if rng.random() < 0.3:  # trial date uncertainty: postponed once or twice
        for _ in range(rng.choice([1, 1, 2])):
            yield starts - timedelta(days=2)
            starts = starts + timedelta(days=rng.randint(7, 21))
            try:
                world.docket.reschedule_hearing(number, hearing_id, starts_at=starts, reason=rng.choice(["expert report not ready", "party ill", "judge's schedule", "counsel's request"]), actor=clerk_of(number[:3]))
            except HearingNotSchedulable:
                starts = world.docket.case(number).hearings[hearing_id]["starts_at"]
    yield starts + timedelta(hours=2)
    world.docket.hold_hearing(number, hearing_id, minutes_summary="Parties heard; evidence examined.", actor=clerk_of(number[:3]))


def ruling_draft(world: World, track: str, harm: str, harm_found: str, care: str, settled: bool, claimed: dict[str, str],
                 respondents: list[dict[str, Any]], decided_on: date, has_report: bool) -> dict[str, Any]:
    rng = world.rng
    draft: dict[str, Any] = {"decided_on": decided_on, "reasoning": "The court examined the expert evidence and the parties' submissions."}
    if settled:
        return {**draft, "disposition": "settled" if track == "civil" else "terminated"}
    roll = rng.random()
    if roll < 0.06 or not has_report:
        return {**draft, "disposition": "withdrawn"}
    if track == "criminal" and harm_found not in HARMS_BY_TRACK["criminal"]:
        if rng.random() < 0.6:
            return {**draft, "disposition": "transferred", "transferred_to_track": "administrative", "harm_found": harm_found}
        return {**draft, "disposition": "no_liability", "finding": "malpractice" if care == "no" else "medical_error", "harm_found": harm_found}
    malpractice = care == "no" and rng.random() < 0.8 or care == "partly" and rng.random() < 0.25
    if not malpractice:
        finding = rng.choices(["incident", "medical_error", "no_causation", "unfounded"], weights=[30, 30, 20, 20])[0]
        result = {**draft, "disposition": "no_liability", "finding": finding, "harm_found": harm_found}
        # R3: no-fault insurer compensation only in a civil case, for at least minor harm.
        if track == "civil" and harm_found != "none" and finding in ("incident", "medical_error") and rng.random() < 0.3:
            result["insurer_compensation"] = f"{rng.randint(100, 2000) * 1000}"
        return result
    if track == "administrative" and harm_found not in HARMS_BY_TRACK["administrative"]:
        harm_found = rng.choice(HARMS_BY_TRACK["administrative"])
    if track == "criminal" and harm_found not in HARMS_BY_TRACK["criminal"]:
        harm_found = harm
    liable = [r for r in respondents if track != "criminal" or r["kind"] == "specialist"]
    ids = [f"R{respondents.index(r) + 1}" for r in liable]
    result = {**draft, "disposition": "liability_found", "finding": "malpractice", "harm_found": harm_found, "liable_respondents": ids}
    if track == "civil":
        result["compensation"] = {head: f"{int(float(amount) * rng.uniform(0.2, 1.0)) // 1000 * 1000}" for head, amount in claimed.items()}
        result["contributory_fault_pct"] = rng.choice(["0", "0", "0", "10", "25"])
    elif track == "criminal":
        result["sanctions"] = [{"respondent_id": ids[0], "kind": rng.choice(["fine", "imprisonment"]), "amount_mci": rng.randint(50, 430), "months": rng.randint(6, 36)}]
    else:
        sanctions = []
        for rid, respondent in zip(ids, liable, strict=True):
            if respondent["kind"] == "organization":
                sanctions.append({"respondent_id": rid, "kind": rng.choice(["fine", "licence_suspension"]), "amount_mci": rng.randint(20, 200), "months": rng.randint(1, 6)})
            else:
                sanctions.append({"respondent_id": rid, "kind": rng.choice(["fine", "certificate_withdrawal"]), "amount_mci": rng.randint(10, 200)})
        result["sanctions"] = sanctions
    for sanction in result.get("sanctions", []):
        if sanction["kind"] not in ("fine",):
            sanction.pop("amount_mci", None)
        if sanction["kind"] not in ("imprisonment", "licence_suspension"):
            sanction.pop("months", None)
    return result


def generate(
    docket: Docket, cases: int, seed: int, today: date | None = None, progress: Progress | None = None, documents: DocumentStore | None = None,
) -> World:
    """Fill ``docket`` with ``cases`` cases received over the five years before ``today``; the documents' files
    go to ``documents`` (encrypted) when given.

    With ``today`` given, the simulation stops at the start of that day, so the same ``cases``, ``seed`` and
    ``today`` give the same docket (ids, dates and all); without it, it runs up to this very moment."""
    explicit = today is not None
    today = today or clock.today()
    start = date(today.year - 5, today.month, 1)
    world = World(docket=docket, rng=random.Random(seed), today=today, ids=random.Random(f"registry-ids-{seed}"), documents=documents)
    with clock.frozen_at(at(start, 8)):
        register_everyone(world, start)
    span = (today - start).days - 1
    received = sorted(start + timedelta(days=world.rng.randint(0, span)) for _ in range(cases))
    stop = at(today, 0) if explicit else clock.now()
    queue: list[tuple[datetime, int, Iterator[datetime]]] = []
    for index, day in enumerate(received):
        story = case_story(world, index, day)
        heapq.heappush(queue, (next(story), index, story))
    filed = 0
    while queue:
        moment, index, story = heapq.heappop(queue)
        if moment > stop:
            continue  # this case's next step lies in the future: it stays pending
        with clock.frozen_at(moment):
            try:
                following = next(story)
            except StopIteration:
                continue
            finally:
                pass
        if following is not None:
            heapq.heappush(queue, (max(following, moment), index, story))
        filed += 1
        if progress:
            progress.advance()
    return world


def generate_through_import(
    docket: Docket, cases: int, seed: int, today: date | None = None, progress: Progress | None = None, documents: DocumentStore | None = None,
) -> World:
    """``generate`` into a scratch docket held in memory, then its log into ``docket`` by ``import_log``.

    The same services decide the same events as ``generate`` would store directly (the
    scratch docket starts from ``docket``'s own log, its rulebook), but no command waits for
    a commit: the import re-checks every rule, re-seals the chains and writes the events
    thousands to a transaction. The scratch docket holds the whole demo in memory.
    """
    from domain.records import event_record
    from domain.replay import import_log

    # No deep copy out of the aggregate cache: copying the rulebook and each court's calendar (which grows with
    # its hearings) on every command was most of the simulation's time. The copy guards the cache against a
    # command that changes an aggregate and then fails; here the import re-judges every event whatever the
    # simulation did, so such a slip could only be refused there, never stored (and the docket evicts what a
    # failed command loaded). No fast-forward either: this process is the scratch store's only writer, so a
    # cached aggregate is always current, and fast-forwarding a court's calendar scanned all its events
    # in memory on every read, which made the simulation grow faster than the docket. No snapshots: with
    # every aggregate in the cache nothing is rebuilt from the store but what a failed command changed, and
    # a court calendar's snapshot every hundred events held its whole past each time (gigabytes at 100,000
    # cases). The import takes the snapshots the stored docket keeps.
    scratch = Docket(env={
        "PERSISTENCE_MODULE": "eventsourcing.popo", "IS_SNAPSHOTTING_ENABLED": "n",
        "AGGREGATE_CACHE_MAXSIZE": "50000", "AGGREGATE_CACHE_FASTFORWARD": "n", "DEEPCOPY_FROM_AGGREGATE_CACHE": "n",
    })
    import_log(scratch, ((p, event_record(e, p)) for p, e in docket.iter_log(batch=1000)))
    world = generate(scratch, cases, seed, today, progress, documents=documents)
    import_log(docket, ((p, event_record(e, p)) for p, e in scratch.iter_log(batch=1000)), resume=True)
    world.docket = docket
    return world


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    demo = subparsers.add_parser("demo", help="fill the docket with realistic demo data (deterministic per seed)")
    demo.add_argument("--cases", type=int, default=500, help="how many cases (default 500)")
    demo.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    demo.add_argument("--today", type=date.fromisoformat, default=None, metavar="YYYY-MM-DD", help="simulate up to the start of this day; the same --cases, --seed and --today give the same docket (default: up to now)")
    demo.add_argument("--password", help="password of the demo users clerk, judge, analyst and admin (default: generated and printed)")
    demo.add_argument("--if-empty", action="store_true", help="do nothing (and succeed) when the docket already has data")
    demo.add_argument(
        "--fast", action="store_true",
        help="for large dockets: simulate in memory, then load the result with 'import events' (rules re-checked, batched transactions)",
    )
    demo.set_defaults(func=cmd_demo)


def create_demo_users(world: World, password: str) -> str:
    """The users `clerk`, `judge`, `analyst` and `admin`, in the demo's busiest court; the judge is
    the certified judge there with the most cases. Returns the court."""
    from projections import schema
    from projections.db import views_engine
    from scripts.context import settings
    from web.accounts import AccountStore

    current = settings()
    schema.upgrade(current)
    court = max(world.filed_in, key=lambda c: (world.filed_in[c], c)) if world.filed_in else "ALA"
    judge_id = max(world.judges[court], key=lambda j: (world.assigned[j], j))
    store = AccountStore(views_engine(current))
    judge_name = world.docket.judge(judge_id).name
    for username, role, name in (
        ("clerk", "clerk", "Demo clerk"),
        ("judge", "judge", judge_name),
        ("analyst", "analyst", "Demo analyst"),
        ("admin", "admin", "Demo administrator"),
    ):
        store.create_user(username, password, role, court=court if role in ("clerk", "judge") else None, display_name=name,
                          judge_id=judge_id if role == "judge" else None, language="en")
    return court


def only_rulebook(docket: Docket) -> bool:
    """True for an installation that holds nothing but the rulebook ``medcourt init`` adopted."""
    return all(type(event).__qualname__.startswith("Rulebook.") for _, event in docket.iter_log(batch=10, stop=10))


def cmd_demo(args: argparse.Namespace) -> int:
    if args.cases < 0:
        print("medcourt demo: --cases must be zero or more", file=sys.stderr)
        return 2
    docket = open_docket()
    if not only_rulebook(docket):
        if args.if_empty:
            print("The docket already has data; no demo data added.")
            return 0
        print("medcourt demo: the docket already has data; demo data goes into an empty installation (remove var/ or use a fresh database)", file=sys.stderr)
        return 2
    if args.today is not None and args.today > clock.today():
        print(f"medcourt demo: --today {args.today.isoformat()} is in the future (today is {clock.today().isoformat()})", file=sys.stderr)
        return 2
    if args.password is not None and len(args.password) < 10:
        print("medcourt demo: --password needs at least 10 characters", file=sys.stderr)
        return 2
    progress = Progress("demo steps")
    if args.fast:
        world = generate_through_import(docket, args.cases, args.seed, args.today, progress, documents=document_store())
    else:
        world = generate(docket, args.cases, args.seed, args.today, progress, documents=document_store())
    elapsed = progress.done()
    rulings = {k: v for k, v in sorted(world.outcomes.items())}
    print(f"Demo docket: {args.cases} cases (seed {args.seed}), {docket.log_head()} events in {elapsed:.1f}s.")
    print("Outcomes: " + ", ".join(f"{k} {v}" for k, v in rulings.items()))
    password = args.password or secrets.token_urlsafe(12)
    court = create_demo_users(world, password)
    shown = "the password you gave" if args.password else f"password {password}"
    print(f"Demo users clerk, judge, analyst and admin ({court} court) sign in with {shown}: medcourt serve, then http://127.0.0.1:8000/login")
    return 0
