"""The rules as plain functions: R1's table, R9's arithmetic, R11's sealed-case audience, R12's money."""

from __future__ import annotations

from decimal import Decimal

import pytest

from domain import rules
from domain.errors import CompensationAboveClaim, InvalidMoney, TrackHarmMismatch
from domain.vocabulary import HARMS, TRACKS, money

# R1 -----------------------------------------------------------------------------------------

HEARS = {
    "administrative": {"none", "minor"},
    "criminal": {"moderate", "serious", "death"},
    "civil": set(HARMS),
}


@pytest.mark.parametrize("track", TRACKS)
@pytest.mark.parametrize("harm", HARMS)
def test_each_track_hears_exactly_the_harms_of_the_table(track: str, harm: str) -> None:
    if harm in HEARS[track]:
        rules.ensure_track_matches_harm(track, harm)
    else:
        with pytest.raises(TrackHarmMismatch, match=f"case cannot be about {harm} harm"):
            rules.ensure_track_matches_harm(track, harm)


def test_a_mismatch_names_the_tracks_the_harm_belongs_to() -> None:
    with pytest.raises(TrackHarmMismatch, match="minor harm belongs in an administrative or civil case"):
        rules.ensure_track_matches_harm("criminal", "minor")


def test_a_mismatch_at_a_ruling_concerns_the_harm_found() -> None:
    with pytest.raises(TrackHarmMismatch) as refusal:
        rules.ensure_track_matches_harm("criminal", "none", field="harm_found")

    assert refusal.value.field == "harm_found"


# R9 -----------------------------------------------------------------------------------------


def test_compensation_up_to_the_claim_is_accepted() -> None:
    rules.ensure_compensation_within_claim({"real_damage": Decimal("500000.00")}, {"real_damage": Decimal("500000.00")})


def test_compensation_above_the_claim_for_its_head_is_refused() -> None:
    with pytest.raises(CompensationAboveClaim, match=r"Compensation for moral harm \(1,000,000.01 KZT\) exceeds the amount claimed for it \(1,000,000.00 KZT\)"):
        rules.ensure_compensation_within_claim({"moral_harm": Decimal("1000000.00")}, {"moral_harm": Decimal("1000000.01")})


def test_compensation_under_a_head_that_was_not_claimed_is_refused() -> None:
    with pytest.raises(CompensationAboveClaim, match=r"Compensation for lost profit \(1.00 KZT\) exceeds the amount claimed for it \(0.00 KZT\)") as refusal:
        rules.ensure_compensation_within_claim({"real_damage": Decimal("10.00")}, {"lost_profit": Decimal("1.00")})

    assert refusal.value.field == "compensation.lost_profit"


@pytest.mark.parametrize(
    ("awarded", "fault_pct", "payable"),
    [
        ("1000.00", "0", "1000.00"),
        ("1000.00", "10", "900.00"),
        ("333333.33", "0", "333333.33"),
        ("0.01", "50", "0.01"),  # 0.005 rounds half up
        ("0.03", "50", "0.02"),  # 0.015 rounds half up
        ("100.00", "33.333", "66.67"),  # 66.667
        ("0.05", "90", "0.01"),  # 0.005 rounds half up
        ("0.04", "90", "0.00"),  # 0.004 rounds down
    ],
)
def test_the_payable_amount_is_reduced_by_contributory_fault_and_rounded_half_up_to_the_tiyn(awarded: str, fault_pct: str, payable: str) -> None:
    assert rules.payable_amount(Decimal(awarded), Decimal(fault_pct)) == Decimal(payable)


# R11 ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "viewer_court", "viewer_judge", "may_see"),
    [
        ("admin", None, None, True),
        ("clerk", "ALA", None, True),
        ("clerk", "AST", None, False),
        ("clerk", None, None, False),
        ("judge", "ALA", "judge-of-the-case", True),
        ("judge", "ALA", "another-judge", False),
        ("judge", "ALA", None, False),
        ("analyst", "ALA", None, False),
        ("system", None, None, False),
    ],
)
def test_a_sealed_case_is_seen_only_by_its_judge_the_clerks_of_its_court_and_administrators(
    role: str, viewer_court: str | None, viewer_judge: str | None, may_see: bool
) -> None:
    assert rules.may_see_sealed_case("ALA", "judge-of-the-case", role, viewer_court, viewer_judge) is may_see


def test_no_judge_sees_a_sealed_case_that_has_no_judge_assigned() -> None:
    assert rules.may_see_sealed_case("ALA", None, "judge", "ALA", None) is False


# R12 ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "amount"),
    [
        ("500000", Decimal("500000.00")),
        ("1000000.50", Decimal("1000000.50")),
        ("1 000 000.00", Decimal("1000000.00")),
        ("250\u00a0000", Decimal("250000.00")),
        (1200, Decimal("1200.00")),
        (0.1, Decimal("0.10")),
        (Decimal("12.3"), Decimal("12.30")),
        ("0", Decimal("0.00")),
    ],
)
def test_money_is_a_two_place_decimal_of_kzt(given: object, amount: Decimal) -> None:
    result = money(given)

    assert result == amount
    assert isinstance(result, Decimal)
    assert result.as_tuple().exponent == -2


def test_a_float_carrying_binary_noise_is_refused_rather_than_silently_rounded() -> None:
    with pytest.raises(InvalidMoney, match="at most two decimal places"):
        money(0.1 + 0.2)


def test_a_fraction_of_a_tiyn_is_refused() -> None:
    with pytest.raises(InvalidMoney, match=r"Amounts are in KZT with at most two decimal places \(tiyn\): 10.001") as refusal:
        money("10.001", field="claimed.real_damage")

    assert refusal.value.rule == "R12"
    assert refusal.value.field == "claimed.real_damage"


def test_a_negative_amount_is_refused() -> None:
    with pytest.raises(InvalidMoney, match=r"An amount of money cannot be negative \(-5.00 KZT\)"):
        money("-5.00")


@pytest.mark.parametrize("given", ["ten thousand", "", "NaN", "Infinity", None, "1,5"])
def test_what_is_not_an_amount_is_refused(given: object) -> None:
    with pytest.raises(InvalidMoney, match="is not an amount of money"):
        money(given)


def test_an_absurdly_large_amount_is_refused_as_money() -> None:
    with pytest.raises(InvalidMoney):
        money("1e30")


def test_a_role_refusal_names_the_action_in_the_readers_language() -> None:
    from domain.errors import PermissionDenied
    from domain.messages import render
    from domain.permissions import ensure_permitted

    with pytest.raises(PermissionDenied) as refused:
        ensure_permitted({"user": "analyst-1", "role": "analyst"}, "issue_ruling")
    code, params = refused.value.code, refused.value.params
    assert render(code, params, "en") == "A user acting as analyst may not issue ruling (allowed: judge)"
    assert "«вынести решение»" in render(code, params, "ru") and "«шешім шығару»" in render(code, params, "kk")
