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
CLAIMANT_RELATIONS: tuple[str, ...] = ("patient", "relative", "heir", "representative")
AUTHORITY_KINDS: tuple[str, ...] = ("prosecutor", "inspectorate")

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

FORENSIC_MEDICINE = "forensic_medicine"
EXPERT_SPECIALTIES: tuple[str, ...] = (*SPECIALTIES, FORENSIC_MEDICINE)
"""An expert lists the specialties they examine in; forensic medicine covers every case (R16)."""

# Which recorded facts a clerk may correct, per event. Track, court and docket number are not
# among them: those change only by transfer (a new case). A courtroom changes by rescheduling,
# which checks the calendar.
CORRECTABLE: dict[str, tuple[str, ...]] = {
    "CaseFiled": ("summary", "specialty", "incident_date", "received_on", "claimant_name"),
    "DocumentFiled": ("title", "kind", "filed_by", "received_on"),
    "HearingScheduled": ("purpose",),
    "HearingHeld": ("minutes_summary",),
    "RulingIssued": ("reasoning", "recommendation"),
    "ExpertReportSubmitted": ("received_on", "summary"),
}

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
    """Who acts: a user id and the role they act in, with the court a clerk serves and the registry
    judge a judge's account acts for (R14; the worker and administrators need neither); ``request`` is
    the client's ``Idempotency-Key`` when it sent one, so that a retry can find the write it repeats."""

    user: str
    role: str
    court: NotRequired[str | None]
    judge_id: NotRequired[str | None]
    request: NotRequired[str]


def actor_for(user: str, role: str, court: str | None = None, judge_id: str | None = None) -> Actor:
    """The actor of an account: only the identity its role acts with (R14)."""
    actor = Actor(user=user, role=role)
    if role == "clerk":
        actor["court"] = court
    if role == "judge":
        actor["judge_id"] = judge_id
    return actor


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
        raise InvalidMoney(code="R12.not_money", field=field, value=str(value)[:40]) from None
    if not amount.is_finite():
        raise InvalidMoney(code="R12.not_money", field=field, value=str(value)[:40])
    if amount < 0:
        raise InvalidMoney(code="R12.negative_money", field=field, value=str(amount))
    if amount > MAX_AMOUNT:
        raise InvalidMoney(code="R12.money_too_large", field=field, value=str(amount), limit=f"{MAX_AMOUNT:,}")
    if amount != amount.quantize(TIYN):
        raise InvalidMoney(code="R12.money_fraction_of_tiyn", field=field, value=str(amount))
    return amount.quantize(TIYN)


def round_tiyn(amount: Decimal) -> Decimal:
    """Round half-up to the tiyn, as R9 prescribes for payable amounts."""
    return amount.quantize(TIYN, rounding=ROUND_HALF_UP)
