"""The rules of DOMAIN.md section 3 restated as checks on recorded state, for the property tests.

They are written independently of ``domain.rules`` on purpose: a test that re-ran the domain's
own checks would agree with any bug in them. Each check names its rule in the assertion message.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from domain.docket_numbers import DOCKET_PATTERN
from domain.vocabulary import TRACK_LETTER

if TYPE_CHECKING:
    from domain.application import Docket
    from domain.calendar import CourtCalendar
    from domain.case import Case

HEARS = {
    "administrative": {"none", "minor"},
    "criminal": {"moderate", "serious", "death"},
    "civil": {"none", "minor", "moderate", "serious", "death"},
}
SANCTIONS = {
    "administrative": {"fine", "certificate_withdrawal", "licence_suspension", "licence_revocation"},
    "criminal": {"fine", "imprisonment"},
    "civil": set(),
}
# The default rulebook's caps (the property tests adopt no other version).
FINE_CAP = {"administrative": Decimal(200), "criminal": Decimal(430)}
MONTHS_CAP = {"imprisonment": 36, "licence_suspension": 6}
STATUSES = {"pending", "decided", "appealed", "in_force"}


def is_money(value: Any) -> bool:
    """R12: a non-negative Decimal with exactly two places."""
    return isinstance(value, Decimal) and value.is_finite() and value >= 0 and value.as_tuple().exponent == -2


def payable(awarded: Decimal, fault_pct: Decimal) -> Decimal:
    return (awarded * (100 - fault_pct) / 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def check_case(case: Case) -> None:
    """Every rule that must hold of a case's state at any time."""
    where = case.docket_number
    assert case.status in STATUSES, f"{where}: unknown status {case.status}"
    # R1 at filing
    assert case.alleged_harm in HEARS[case.track], f"R1 {where}: {case.track} case about {case.alleged_harm} harm"
    # R12 for claims; only civil cases claim
    assert all(is_money(v) for v in case.claimed.values()), f"R12 {where}: claimed {case.claimed}"
    assert case.track == "civil" or not case.claimed, f"{where}: a {case.track} case claims {case.claimed}"
    # R10
    if case.track == "administrative":
        assert case.mediations == [], f"R10 {where}: mediation in an administrative case"
    assert sum(m["outcome"] is None for m in case.mediations) <= 1, f"R10 {where}: two mediations open"
    # R7 (the case's side): hearings to come need a judge
    scheduled = [h for h in case.hearings.values() if h["status"] == "scheduled"]
    if scheduled:
        assert case.judge_id is not None, f"R7 {where}: hearings scheduled without a judge"
    # R8: a decided case has nothing still running
    if case.status != "pending":
        assert case.ruling is not None, f"R8 {where}: {case.status} without a ruling"
        assert not scheduled, f"R8 {where}: hearings still scheduled after the ruling"
        assert case.open_mediation() is None, f"R8 {where}: mediation open after the ruling"
        assert all(e["status"] != "ordered" for e in case.examinations.values()), f"R8 {where}: examination pending after the ruling"
    open_appeals = [a for a in case.appeals.values() if a["outcome"] is None]
    assert len(open_appeals) <= 1, f"R8 {where}: two appeals pending"
    assert (case.status == "appealed") == bool(open_appeals), f"R8 {where}: status {case.status} with {len(open_appeals)} pending appeals"
    if case.status == "in_force":
        assert case.in_force_on is not None, f"R8 {where}: in force without a date"
    if case.ruling is not None:
        check_ruling(case, case.ruling)


def check_ruling(case: Case, ruling: dict[str, Any]) -> None:
    """R1-R4, R9 and R12 on the latest ruling."""
    where = f"{case.docket_number} {ruling['ruling_id']}"
    disposition = ruling["disposition"]
    respondents = {r["id"]: r for r in case.respondents}
    liable = ruling["liable_respondents"]
    if disposition == "liability_found":
        assert ruling["finding"] == "malpractice", f"R3 {where}: liability on finding {ruling['finding']}"
        assert ruling["harm_found"] in HEARS[case.track], f"R1 {where}: {case.track} liability for {ruling['harm_found']} harm"
        assert liable and set(liable) <= set(respondents), f"{where}: liable respondents {liable}"
        if case.track == "criminal":
            assert all(respondents[r]["kind"] == "specialist" for r in liable), f"R2 {where}: criminal liability of an organization"
        if case.track != "civil":
            assert ruling["sanctions"], f"R4 {where}: {case.track} liability without a sanction"
        for sanction in ruling["sanctions"]:
            kind, target = sanction["kind"], sanction["respondent_id"]
            assert kind in SANCTIONS[case.track], f"R4 {where}: {kind} in a {case.track} case"
            assert target in liable, f"{where}: sanction on {target}, who was not found liable"
            if kind == "certificate_withdrawal":
                assert respondents[target]["kind"] == "specialist", f"R2 {where}: certificate of an organization"
            if kind.startswith("licence_"):
                assert respondents[target]["kind"] == "organization", f"R2 {where}: licence of a specialist"
            if kind == "fine":
                assert 0 < sanction["amount_mci"] <= FINE_CAP[case.track], f"R4 {where}: fine {sanction}"
            if kind in MONTHS_CAP:
                assert 0 < sanction["months"] <= MONTHS_CAP[kind], f"R4 {where}: term {sanction}"
    else:
        assert not liable and not ruling["sanctions"], f"R3 {where}: {disposition} names liable respondents or sanctions"
        assert not any(ruling["compensation"].values()), f"R3 {where}: {disposition} awards compensation"
    if disposition not in ("liability_found", "no_liability"):
        assert ruling["finding"] is None, f"{where}: a {disposition} ruling with a finding"
    if case.track != "civil":
        assert not any(ruling["compensation"].values()), f"R4 {where}: compensation in a {case.track} case"
    # R9 and R12
    pct = ruling["contributory_fault_pct"]
    assert 0 <= pct < 100, f"R9 {where}: contributory fault {pct}"
    for head, awarded in ruling["compensation"].items():
        assert is_money(awarded), f"R12 {where}: awarded {awarded!r}"
        assert awarded <= case.claimed.get(head, Decimal(0)), f"R9 {where}: {head} {awarded} above the claim"
        assert ruling["payable"][head] == payable(awarded, pct), f"R9 {where}: payable {ruling['payable'][head]} for {awarded} at {pct}%"
        assert is_money(ruling["payable"][head]), f"R12 {where}: payable {ruling['payable'][head]!r}"
    if ruling["insurer_compensation"] is not None:
        assert is_money(ruling["insurer_compensation"]), f"R12 {where}: insurer compensation {ruling['insurer_compensation']!r}"


def check_new_ruling(app: Docket, case: Case, today: date) -> None:
    """R5 and the ruling's dates, as they stood when the ruling was issued."""
    ruling = case.ruling
    assert ruling is not None
    where = f"{case.docket_number} {ruling['ruling_id']}"
    assert ruling["judge_id"] is not None and ruling["judge_id"] == case.judge_id, f"R5 {where}: ruled by {ruling['judge_id']}, assigned {case.judge_id}"
    assert ruling["judge_id"] not in case.recused_judges, f"R5 {where}: ruled by a recused judge"
    assert app.judge(ruling["judge_id"]).is_certified_on(ruling["decided_on"]), f"R5 {where}: judge not certified on {ruling['decided_on']}"
    if ruling["disposition"] in ("liability_found", "no_liability"):
        statuses = [e["status"] for e in case.examinations.values()]
        assert "reported" in statuses and "ordered" not in statuses, f"R5 {where}: merits ruling with examinations {statuses}"
    assert case.received_on <= ruling["decided_on"] <= today, f"{where}: decided on {ruling['decided_on']}"
    if ruling["disposition"] == "transferred":
        assert case.transferred_to is not None, f"{where}: transferred nowhere"
        new_case = app.case(case.transferred_to)
        assert (new_case.track, new_case.transferred_from) == (ruling["transferred_to_track"], case.docket_number)


def check_new_examination(app: Docket, case: Case, examination_id: str, today: date) -> None:
    """R6 for the experts just appointed, against the registry as it is now."""
    examination = case.examinations[examination_id]
    assert examination["due_on"] > today
    for appointed in examination["experts"]:
        expert = app.expert(appointed["id"])
        for party in [case.claimant, *case.respondents]:
            assert party["name"].lower() != expert.name.lower(), f"R6 {case.docket_number}: expert {expert.name} is a party"
            assert not expert.certificate_no or party.get("certificate_no") != expert.certificate_no, f"R6: expert {expert.name} is a party"
        for respondent in case.respondents:
            if respondent["kind"] == "organization":
                conflicts = expert.affiliations_with(respondent["bin"], case.incident_date, today)
                assert not conflicts, f"R6 {case.docket_number}: {expert.name} affiliated with {respondent['name']}"


def check_calendar(calendar: CourtCalendar, cases: dict[str, Case]) -> None:
    """R7: no judge and no courtroom booked twice at once; bookings are exactly the hearings to come."""
    bookings = list(calendar.bookings.values())
    for i, a in enumerate(bookings):
        for b in bookings[i + 1 :]:
            same_judge = a["judge_id"] == b["judge_id"]
            same_room = a["courtroom"].lower() == b["courtroom"].lower()
            if same_judge or same_room:
                assert not overlap(a, b), f"R7: {a} and {b} overlap"
    booked = {(b["docket_number"], b["hearing_id"]): b for b in bookings}
    for case in cases.values():
        if case.court != calendar.court:
            continue
        for hearing in case.hearings.values():
            key = (case.docket_number, hearing["id"])
            if hearing["status"] == "scheduled":
                assert key in booked, f"R7: {key} is scheduled but not on the calendar"
                booking = booked.pop(key)
                assert booking["starts_at"] == hearing["starts_at"], f"R7: {key} booked at another time"
                assert booking["judge_id"] == case.judge_id, f"R7: {key} booked for another judge than the case's"
    assert not booked, f"R7: bookings without a scheduled hearing: {sorted(booked)}"


def overlap(a: dict[str, Any], b: dict[str, Any]) -> bool:
    a_start: datetime = a["starts_at"]
    b_start: datetime = b["starts_at"]
    return a_start < b_start + timedelta(minutes=b["duration_minutes"]) and b_start < a_start + timedelta(minutes=a["duration_minutes"])


def check_numbering(docket_numbers: list[str]) -> None:
    """R13: per court, year and track, the numbers are 1..n, each used once."""
    sequences: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    for number in docket_numbers:
        match = DOCKET_PATTERN.match(number)
        assert match is not None, f"R13: {number} is not a docket number"
        sequences[match["court"], match["year"], match["letter"]].append(int(match["seq"]))
    for key, seqs in sequences.items():
        assert sorted(seqs) == list(range(1, len(seqs) + 1)), f"R13: {key} numbers {sorted(seqs)}"
    assert set(TRACK_LETTER.values()) >= {k[2] for k in sequences}
