"""The court's vocabulary: the closed lists of words the docket uses (DOMAIN.md sections 1-2).

Values are plain strings, so events stay readable in the store and in exports.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import NotRequired, TypedDict

HARMS: tuple[str, ...] = ("none", "minor", "moderate", "serious", "death")
"""Harm severity, ordered from potential harm only to death."""

TRACKS: tuple[str, ...] = ("administrative", "civil", "criminal")
TRACK_LETTER: dict[str, str] = {"administrative": "A", "civil": "C", "criminal": "K"}

FINDINGS: tuple[str, ...] = ("incident", "medical_error", "malpractice", "no_causation", "unfounded")
MERITS_DISPOSITIONS: tuple[str, ...] = ("liability_found", "no_liability")
DISPOSITIONS: tuple[str, ...] = (
    *MERITS_DISPOSITIONS,
    "settled",
    "withdrawn",
    "terminated",
    "transferred",
)

COMPENSATION_HEADS: tuple[str, ...] = ("real_damage", "lost_profit", "moral_harm")

RESPONDENT_KINDS: tuple[str, ...] = ("specialist", "organization")

SANCTION_KINDS: dict[str, tuple[str, ...]] = {
    "administrative": ("fine", "certificate_withdrawal", "licence_suspension", "licence_revocation"),
    "criminal": ("fine", "imprisonment"),
    "civil": (),
}

DOCUMENT_KINDS: tuple[str, ...] = (
    "claim",
    "response",
    "motion",
    "evidence",
    "medical_record",
    "expert_report",
    "protocol",
    "indictment",
    "settlement_agreement",
    "ruling",
    "other",
)

EXAMINATION_KINDS: tuple[str, ...] = ("forensic_medical", "commission", "complex")
STANDARD_OF_CARE_MET: tuple[str, ...] = ("yes", "no", "partly")
CAUSATION: tuple[str, ...] = ("yes", "no", "undetermined")

MEDIATION_OUTCOMES: tuple[str, ...] = ("settled", "failed", "withdrawn")
APPEAL_OUTCOMES: tuple[str, ...] = ("upheld", "modified", "reversed", "remanded")
REOPEN_REASONS: tuple[str, ...] = ("remand", "set_aside")
SEAL_REASONS: tuple[str, ...] = ("minor", "sensitive_diagnosis", "court_order")

SPECIALTIES: tuple[str, ...] = (
    "surgery",
    "obstetrics_gynecology",
    "anesthesiology",
    "pediatrics",
    "therapy",
    "cardiology",
    "oncology",
    "traumatology",
    "dentistry",
    "emergency_medicine",
    "neurology",
    "ophthalmology",
)

COURTS: dict[str, str] = {
    "AST": "Astana",
    "ALA": "Almaty (city)",
    "SHY": "Shymkent",
    "ABA": "Abai",
    "AKM": "Akmola",
    "AKT": "Aktobe",
    "ALM": "Almaty region",
    "ATY": "Atyrau",
    "VKO": "East Kazakhstan",
    "ZHM": "Jambyl",
    "ZHT": "Jetisu",
    "ZKO": "West Kazakhstan",
    "KAR": "Karaganda",
    "KOS": "Kostanay",
    "KZY": "Kyzylorda",
    "MAN": "Mangystau",
    "PAV": "Pavlodar",
    "SKO": "North Kazakhstan",
    "TUR": "Turkistan",
    "ULY": "Ulytau",
}

ROLES: tuple[str, ...] = ("clerk", "judge", "analyst", "admin", "system")


class Actor(TypedDict):
    """Who did something: a user id and the role they acted in; ``request`` is the client's
    ``Idempotency-Key`` when it sent one, so that a retry can find the write it repeats."""

    user: str
    role: str
    request: NotRequired[str]


SYSTEM = Actor(user="medcourt-worker", role="system")

TIYN = Decimal("0.01")
MAX_AMOUNT = Decimal("1000000000000")  # a trillion tenge: far above any claim, small enough to compute exactly


def money(value: object, *, field: str = "amount") -> Decimal:
    """A KZT amount as a two-place Decimal (R12); refuses floats' noise, negatives and fractions of a tiyn."""
    from domain.errors import InvalidMoney

    if isinstance(value, float):
        value = repr(value)
    try:
        amount = Decimal(str(value).strip().replace(" ", "").replace("\u00a0", ""))
    except (InvalidOperation, ValueError):
        raise InvalidMoney(f"'{value}' is not an amount of money", field=field) from None
    if not amount.is_finite():
        raise InvalidMoney(f"'{value}' is not an amount of money", field=field)
    if amount < 0:
        raise InvalidMoney(f"An amount of money cannot be negative ({amount} KZT)", field=field)
    if amount > MAX_AMOUNT:
        raise InvalidMoney(f"{amount} KZT is beyond any amount this court handles (at most {MAX_AMOUNT:,} KZT)", field=field)
    if amount != amount.quantize(TIYN):
        raise InvalidMoney(
            f"Amounts are in KZT with at most two decimal places (tiyn): {amount}", field=field
        )
    return amount.quantize(TIYN)


def round_tiyn(amount: Decimal) -> Decimal:
    """Round half-up to the tiyn, as R9 prescribes for payable amounts."""
    return amount.quantize(TIYN, rounding=ROUND_HALF_UP)
