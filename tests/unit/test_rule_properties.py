"""One hypothesis property per rule of DOMAIN.md section 3 (R1-R17): each named check in domain/rules.py refuses
exactly what its rule forbids, with its own code, and its refusal reads in kk, ru and en.

docs/rules.md lists these tests under their rules (scripts/rules_doc.py finds them by the ``test_rN_`` prefix).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain import rules
from domain.docket_numbers import is_docket_number
from domain.errors import DomainError, InvalidMoney
from domain.messages import CATALOG, LANGUAGES
from domain.rulebook import DEFAULT_EFFECTIVE_FROM, DEFAULT_SOURCES, RulebookVersion, default_parameters
from domain.vocabulary import (
    COURTS,
    DISPOSITIONS,
    EXPERT_SPECIALTIES,
    FINDINGS,
    HARMS,
    MERITS_DISPOSITIONS,
    SPECIALTIES,
    TRACK_LETTER,
    TRACKS,
    money,
)

RULEBOOK = RulebookVersion(DEFAULT_EFFECTIVE_FROM, default_parameters([date(2025, 3, 21), date(2025, 5, 9)]), DEFAULT_SOURCES)
days = st.dates(min_value=date(2015, 1, 1), max_value=date(2030, 12, 31))
names = st.sampled_from(["Clinic One", "Dr Karimov", "Dr Sadykova", "City Hospital No. 4"])


def refuses(check: Any, *args: Any, **kwargs: Any) -> DomainError | None:
    """The rule's refusal (its message checked in every language), or None when it allows."""
    try:
        check(*args, **kwargs)
    except DomainError as refusal:
        assert refusal.code in CATALOG, refusal.code
        texts = {language: refusal.message_in(language) for language in LANGUAGES}
        assert all(texts.values()) and len(set(texts.values())) == 3 and "{" not in "".join(texts.values())
        return refusal
    return None


@given(st.sampled_from(TRACKS), st.sampled_from(HARMS))
def test_r1_a_track_hears_exactly_its_harms(track: str, harm: str) -> None:
    refusal = refuses(rules.ensure_track_matches_harm, track, harm)
    assert (refusal is None) == (harm in rules.HARMS_BY_TRACK[track])
    assert refusal is None or refusal.code == "R1.track_harm_mismatch"


@given(st.sampled_from(TRACKS), st.lists(st.sampled_from(["specialist", "organization"]), min_size=1, max_size=4))
def test_r2_a_criminal_case_names_a_specialist(track: str, kinds: list[str]) -> None:
    refusal = refuses(rules.ensure_criminal_case_names_specialist, track, [{"kind": kind} for kind in kinds])
    assert (refusal is not None) == (track == "criminal" and "specialist" not in kinds)


@given(st.sampled_from(TRACKS), st.sampled_from(DISPOSITIONS), st.sampled_from(FINDINGS), st.sampled_from(HARMS))
def test_r3_insurer_compensation_only_in_civil_no_fault_rulings_or_settlements(track: str, disposition: str, finding: str, harm: str) -> None:
    ruling = {"disposition": disposition, "finding": finding, "harm_found": harm, "insurer_compensation": Decimal("1000.00")}
    refusal = refuses(rules.ensure_insurer_compensation_allowed, track, ruling)
    allowed = track == "civil" and (disposition == "settled" or (
        disposition in MERITS_DISPOSITIONS and finding in ("incident", "medical_error") and harm != "none"))
    assert (refusal is None) == allowed
    assert refusal is None or refusal.rule == "R3"


@given(st.sampled_from(["administrative", "criminal"]),
       st.lists(st.tuples(st.sampled_from(["R1", "R2"]), st.integers(min_value=1, max_value=450)), min_size=1, max_size=4))
def test_r4_fines_add_up_per_respondent_within_the_cap(track: str, fines: list[tuple[str, int]]) -> None:
    sanctions = [{"respondent_id": rid, "kind": "fine", "amount_mci": Decimal(amount)} for rid, amount in fines]
    respondents = {"R1": {"name": "Dr Karimov"}, "R2": {"name": "Dr Sadykova"}}
    refusal = refuses(rules.ensure_sanctions_within_caps, track, sanctions, respondents, RULEBOOK, date(2024, 5, 1))
    totals = {rid: sum(amount for r, amount in fines if r == rid) for rid, _ in fines}
    assert (refusal is None) == all(total <= RULEBOOK.fine_cap_mci(track) for total in totals.values())
    assert refusal is None or refusal.code == "R4.fine_over_cap"
    assert rules.fine_kzt(Decimal(10), RULEBOOK, date(2024, 5, 1)) == Decimal("36920.00")


@given(st.booleans(), st.booleans(), st.booleans(), days)
def test_r5_only_the_assigned_certified_judge_who_has_not_recused_rules(assigned: bool, recused: bool, certified: bool, day: date) -> None:
    case = SimpleNamespace(judge_id="J1" if assigned else None, recused_judges=["J1"] if recused else [])
    judge = SimpleNamespace(id="J1", name="Judge One", is_certified_on=lambda _: certified)
    refusal = refuses(rules.ensure_judge_may_rule, case, judge, day)
    assert (refusal is None) == (assigned and not recused and certified)
    assert refusal is None or refusal.rule == "R5"


@given(names, names, names)
def test_r6_an_expert_is_never_a_party(expert_name: str, claimant: str, respondent: str) -> None:
    case = SimpleNamespace(claimant={"name": claimant}, respondents=[{"name": respondent, "kind": "specialist"}], incident_date=date(2024, 1, 1))
    expert = SimpleNamespace(name=expert_name, certificate_no=None, affiliations_with=lambda *_: [])
    refusal = refuses(rules.ensure_expert_independent, case, expert, date(2025, 1, 1))
    assert (refusal is not None) == (expert_name in (claimant, respondent))


@given(st.datetimes(min_value=__import__("datetime").datetime(2025, 1, 1), max_value=__import__("datetime").datetime(2026, 1, 1)),
       st.integers(min_value=-1000, max_value=1000), st.integers(min_value=15, max_value=480), st.integers(min_value=15, max_value=480))
def test_r7_hearings_start_in_the_future_and_overlap_symmetrically(start: Any, shift: int, a: int, b: int) -> None:
    from domain import clock

    now = start.replace(tzinfo=clock.COURT_TZ)
    other = now + timedelta(minutes=shift)
    assert rules.overlaps(now, a, other, b) == rules.overlaps(other, b, now, a)
    refusal = refuses(rules.ensure_hearing_schedulable, SimpleNamespace(judge_id="J1"), other, now)
    assert (refusal is None) == (other > now)


@given(st.sampled_from(TRACKS), days, st.integers(min_value=-5, max_value=50))
def test_r8_an_appeal_is_filed_within_the_window(track: str, decided_on: date, after: int) -> None:
    case = SimpleNamespace(ruling={"decided_on": decided_on}, status="decided", track=track, in_force_on=None)
    filed_on = decided_on + timedelta(days=after)
    refusal = refuses(rules.ensure_appeal_allowed, case, filed_on, RULEBOOK)
    assert (refusal is None) == (decided_on <= filed_on <= RULEBOOK.appeal_deadline(track, decided_on))


amounts = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False)


@given(amounts, amounts, st.decimals(min_value=0, max_value=Decimal("99.99"), places=2))
def test_r9_compensation_within_the_claim_and_payable_after_fault(claimed: Decimal, awarded: Decimal, fault: Decimal) -> None:
    refusal = refuses(rules.ensure_compensation_within_claim, {"moral_harm": claimed}, {"moral_harm": awarded})
    assert (refusal is None) == (awarded <= claimed)
    assert Decimal(0) <= rules.payable_amount(awarded, fault) <= awarded


@given(st.sampled_from(TRACKS), st.sampled_from(DISPOSITIONS))
def test_r10_only_civil_cases_settle_and_only_criminal_ones_terminate(track: str, disposition: str) -> None:
    refusal = refuses(rules.ensure_disposition_fits_track, track, disposition)
    forbidden = (disposition == "settled" and track != "civil") or (disposition == "terminated" and track != "criminal")
    assert (refusal is not None) == forbidden


@given(st.booleans(), st.sampled_from(["clerk", "judge", "analyst", "admin"]), st.sampled_from(["ALA", "AST"]), st.sampled_from(["J1", "J2", None]))
def test_r11_a_sealed_case_is_seen_only_by_its_judge_its_clerks_and_administrators(sealed: bool, role: str, court: str, judge_id: str | None) -> None:
    actor: Any = {"user": "u", "role": role, "court": court, "judge_id": judge_id}
    refusal = refuses(rules.ensure_may_see_case, "ALA-2026-C-00001", "ALA", "J1", sealed, actor)
    sees = not sealed or role == "admin" or (role == "clerk" and court == "ALA") or (role == "judge" and judge_id == "J1")
    assert (refusal is None) == sees
    # Refused exactly as a case that does not exist: the same code and words.
    assert refusal is None or refusal.code == "R11.not_on_docket"


@given(st.decimals(allow_nan=True, allow_infinity=True, places=None) | st.text(max_size=8))
def test_r12_money_is_kzt_with_two_places(value: Any) -> None:
    try:
        amount = money(value)
    except InvalidMoney as refusal:
        assert refusal.rule == "R12" and all(refusal.message_in(language) for language in LANGUAGES)
        return
    assert amount == amount.quantize(Decimal("0.01")) and amount >= 0


@given(st.sampled_from(sorted(COURTS)), st.integers(min_value=2000, max_value=2999), st.sampled_from(TRACKS), st.integers(min_value=1, max_value=99999))
def test_r13_docket_numbers_follow_the_court_year_track_pattern(court: str, year: int, track: str, seq: int) -> None:
    assert is_docket_number(f"{court}-{year}-{TRACK_LETTER[track]}-{seq:05d}")
    assert not is_docket_number(f"{court}-{year}-{TRACK_LETTER[track]}-{seq}X")


@given(st.sampled_from(["clerk", "judge", "admin"]), st.sampled_from(["ALA", "AST", None]), st.sampled_from(["J1", "J2", None]))
def test_r14_clerks_act_in_their_court_and_judges_on_their_cases(role: str, court: str | None, judge_id: str | None) -> None:
    actor: Any = {"user": "u", "role": role, "court": court, "judge_id": judge_id}
    refusal = refuses(rules.ensure_actor_may_act, actor, "file_document", "ALA", "J1", "ALA-2026-C-00001")
    may = role == "admin" or (role == "clerk" and court == "ALA") or (role == "judge" and judge_id == "J1")
    assert (refusal is None) == may
    assert refusal is None or refusal.rule == "R14"


@given(days, days, st.lists(days, max_size=3))
def test_r15_corrected_dates_stay_in_order_and_in_the_docket_year(incident: date, received: date, later: list[date]) -> None:
    case = SimpleNamespace(
        docket_number=f"ALA-{received.year}-C-00001", incident_date=date(2015, 1, 1), received_on=date(2015, 1, 1),
        documents={f"D{i}": {"received_on": day} for i, day in enumerate(later)}, examinations={}, mediations=[],
        ruling=None, appeals={}, reopenings=[],
    )
    refusal = refuses(rules.ensure_correction_consistent, case, "CaseFiled", 1, {"incident_date": incident, "received_on": received})
    assert (refusal is None) == (incident <= received and all(received <= day for day in later))
    assert refusal is None or refusal.rule == "R15"


@given(st.sampled_from(SPECIALTIES), st.lists(st.sampled_from(EXPERT_SPECIALTIES), min_size=1, max_size=3))
def test_r16_an_expert_lists_the_case_specialty_or_forensic_medicine(specialty: str, specialties: list[str]) -> None:
    refusal = refuses(rules.ensure_expert_specialty, specialty, SimpleNamespace(name="Dr X", specialties=specialties))
    assert (refusal is None) == (specialty in specialties or "forensic_medicine" in specialties)


@given(days, st.sets(days, max_size=20))
def test_r17_a_deadline_on_a_non_working_day_moves_to_the_next_working_day(day: date, holidays: set[date]) -> None:
    moved = rules.deadline_on_working_day(day, frozenset(holidays))
    assert moved >= day and rules.is_working_day(moved, frozenset(holidays))
    assert all(not rules.is_working_day(day + timedelta(days=n), frozenset(holidays)) for n in range((moved - day).days))


def test_r17_the_criminal_appeal_window_ending_on_sunday_18_may_2025_ends_on_monday() -> None:
    assert RULEBOOK.appeal_deadline("criminal", date(2025, 5, 3)) == date(2025, 5, 19)


@pytest.mark.parametrize(("day", "mci"), [
    (date(2014, 6, 1), "1982"), (date(2015, 6, 1), "1982"), (date(2016, 6, 1), "2121"), (date(2019, 6, 1), "2525"),
    (date(2020, 3, 31), "2651"), (date(2020, 4, 1), "2778"), (date(2022, 4, 1), "3180"), (date(2026, 1, 1), "4325"),
])
def test_r4_the_mci_table_runs_from_2015(day: date, mci: str) -> None:
    assert RULEBOOK.mci_on(day) == Decimal(mci)
