"""What each form accepts, in shape and type (marshmallow 4).

The schemas only check what a form can check on its own: a date is a date, a
choice is one of the court's words, a required field is filled. Whether the
values make sense for the case (harm and track agree, the judge is certified,
a hearing does not clash) is the domain's to say; its refusals come back with the
field they concern. Messages are English source strings marked with ``N_`` and
translated when shown (``FormState.add_validation``).
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any

from marshmallow import EXCLUDE, Schema, ValidationError, fields, pre_load, validate, validates_schema

from domain.vocabulary import (
    APPEAL_OUTCOMES,
    AUTHORITY_KINDS,
    CAUSATION,
    CLAIMANT_RELATIONS,
    COMPENSATION_HEADS,
    CORRECTABLE,
    COURTS,
    DISPOSITIONS,
    DOCUMENT_KINDS,
    EXAMINATION_KINDS,
    FINDINGS,
    HARMS,
    MEDIATION_OUTCOMES,
    REOPEN_REASONS,
    RESPONDENT_KINDS,
    SEAL_REASONS,
    SPECIALTIES,
    STANDARD_OF_CARE_MET,
    TRACKS,
)
from web.accounts import LANGUAGES, USER_ROLES


def N_(message: str) -> str:
    """Mark a message for the translation catalog; it is translated when shown."""
    return message


REQUIRED = N_("This field is required.")
BAD_DATE = N_("Enter a date as YYYY-MM-DD.")
BAD_TIME = N_("Enter a time as HH:MM.")
BAD_INT = N_("Enter a whole number.")
BAD_CHOICE = N_("Choose one of the options.")
BAD_MONEY = N_("Enter an amount in tenge, e.g. 150000 or 150000.50.")
BAD_NUMBER = N_("Enter a number.")
TOO_LONG = N_("This text is too long.")
CONTROL_CHARACTERS = N_("This text contains control characters; type it again.")
# What no name, summary or reason holds (new lines and tabs are fine): NUL, other C0 controls, DEL.
PRINTABLE = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"
BAD_GROUP = N_("These fields were not filled in as the form asks.")

SPECIALIST_CERT = N_("A specialist needs a certificate number.")
ORGANIZATION_BIN = N_("An organization needs its BIN (12 digits).")
BIN_DIGITS = N_("A BIN is 12 digits.")
AT_LEAST_ONE_RESPONDENT = N_("Name at least one respondent.")
AT_LEAST_ONE_EXPERT = N_("Choose at least one expert.")
AT_LEAST_ONE_QUESTION = N_("Put at least one question to the experts.")
PASSWORDS_DIFFER = N_("The two new passwords differ.")
PERIOD_ENDS_BEFORE_START = N_("The period ends before it starts.")

# Every field some entry allows correcting (domain.vocabulary.CORRECTABLE says which entry allows which).
CORRECTABLE_FIELDS: tuple[str, ...] = tuple(dict.fromkeys(name for names in CORRECTABLE.values() for name in names))

Messages = dict[str, str | list[Any] | dict[Any, Any]]
_ERRORS: Messages = {"required": REQUIRED, "null": REQUIRED}


def _messages(**extra: str) -> Messages:
    return {**_ERRORS, **extra}


def text(*, required: bool = False, limit: int = 4000, **kwargs: Any) -> fields.String:
    return fields.String(
        required=required, validate=[validate.Length(max=limit, error=TOO_LONG), validate.Regexp(PRINTABLE, error=CONTROL_CHARACTERS)],
        error_messages=_messages(invalid=REQUIRED), **kwargs
    )


def choice(options: tuple[str, ...] | dict[str, str], *, required: bool = True, **kwargs: Any) -> fields.String:
    return fields.String(required=required, validate=validate.OneOf(list(options), error=BAD_CHOICE), error_messages=_messages(), **kwargs)


def day(*, required: bool = True, **kwargs: Any) -> fields.Date:
    return fields.Date(required=required, error_messages=_messages(invalid=BAD_DATE, format=BAD_DATE), **kwargs)


def whole(*, required: bool = True, **kwargs: Any) -> fields.Integer:
    return fields.Integer(required=required, strict=False, error_messages=_messages(invalid=BAD_INT), **kwargs)


class Money(fields.Field[str]):
    """An amount typed as people type it: spaces as thousands separators, a comma or a point
    before the tiyn. Loaded as a plain decimal string; the domain checks range and places (R12)."""

    default_error_messages = {"invalid": BAD_MONEY, **_ERRORS}

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        cleaned = re.sub(r"[\s\u00a0\u202f_]", "", str(value))
        if "," in cleaned and "." not in cleaned:
            cleaned = cleaned.replace(",", ".")
        try:
            amount = Decimal(cleaned)
        except InvalidOperation:
            raise self.make_error("invalid") from None
        if not amount.is_finite():
            raise self.make_error("invalid")
        return str(amount)


class Number(fields.Field[Decimal]):
    default_error_messages = {"invalid": BAD_NUMBER, **_ERRORS}

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Decimal:
        try:
            amount = Decimal(str(value).strip().replace(",", "."))
        except InvalidOperation:
            raise self.make_error("invalid") from None
        if not amount.is_finite():
            raise self.make_error("invalid")
        return amount


def _prune(value: Any) -> Any:
    """Strip text, and drop what was left blank: empty fields, blank rows of repeated groups."""
    if isinstance(value, str):
        stripped = value.strip()
        return stripped if stripped else None
    if isinstance(value, dict):
        pruned = {k: _prune(v) for k, v in value.items()}
        return {k: v for k, v in pruned.items() if v is not None} or None
    if isinstance(value, list):
        pruned_list = [_prune(v) for v in value]
        return [v for v in pruned_list if v is not None] or None
    return value


class FormSchema(Schema):
    class Meta:
        unknown = EXCLUDE

    error_messages = {"type": BAD_GROUP, "unknown": BAD_GROUP}  # noqa: RUF012 - marshmallow's own class attribute

    @pre_load
    def drop_blanks(self, data: Any, **_: Any) -> Any:
        if not isinstance(data, dict):
            return data  # e.g. "claimant=x" where a group of fields was expected: refused as a type error
        return _prune(data) or {}


# --- sign-in and accounts ---------------------------------------------------------------------------


class LoginSchema(FormSchema):
    username = text(required=True, limit=64)
    password = text(required=True, limit=1024)


class LanguageSchema(FormSchema):
    language = choice(tuple(LANGUAGES))


class PasswordChangeSchema(FormSchema):
    current_password = text(required=True, limit=1024)
    new_password = text(required=True, limit=1024)
    confirm_password = text(required=True, limit=1024)

    @validates_schema
    def same_twice(self, data: dict[str, Any], **_: Any) -> None:
        if data.get("new_password") != data.get("confirm_password"):
            raise ValidationError(PASSWORDS_DIFFER, "confirm_password")


class UserCreateSchema(FormSchema):
    username = text(required=True, limit=64)
    display_name = text(required=True, limit=200)
    role = choice(USER_ROLES)
    court = choice(COURTS, required=False)
    judge_id = text(limit=36)
    language = choice(tuple(LANGUAGES))
    password = text(required=True, limit=1024)


class UserEditSchema(FormSchema):
    display_name = text(required=True, limit=200)
    role = choice(USER_ROLES)
    court = choice(COURTS, required=False)
    judge_id = text(limit=36)
    language = choice(tuple(LANGUAGES))
    active = fields.Boolean(load_default=False)
    new_password = text(limit=1024)


# --- intake -----------------------------------------------------------------------------------------


class ClaimantSchema(FormSchema):
    name = text(required=True, limit=200)
    relation = choice(CLAIMANT_RELATIONS, required=False, load_default="patient")


class RespondentSchema(FormSchema):
    kind = choice(RESPONDENT_KINDS)
    name = text(required=True, limit=200)
    certificate_no = text(limit=40)
    bin = fields.String(validate=validate.Regexp(r"^\d{12}$", error=BIN_DIGITS), error_messages=_messages())
    organization_bin = fields.String(validate=validate.Regexp(r"^\d{12}$", error=BIN_DIGITS), error_messages=_messages())

    @validates_schema
    def identified(self, data: dict[str, Any], **_: Any) -> None:
        if data.get("kind") == "specialist" and not data.get("certificate_no"):
            raise ValidationError(SPECIALIST_CERT, "certificate_no")
        if data.get("kind") == "organization" and not data.get("bin"):
            raise ValidationError(ORGANIZATION_BIN, "bin")


class AuthoritySchema(FormSchema):
    kind = choice(AUTHORITY_KINDS)
    name = text(required=True, limit=200)


class RepresentativeSchema(FormSchema):
    name = text(required=True, limit=200)
    represents = text(limit=200, load_default="claimant")


class ClaimedSchema(FormSchema):
    real_damage = Money()
    lost_profit = Money()
    moral_harm = Money()


class CaseIntakeSchema(FormSchema):
    track = choice(TRACKS)
    court = choice(COURTS)
    received_on = day()
    specialty = choice(SPECIALTIES)
    alleged_harm = choice(HARMS)
    incident_date = day()
    claimant = fields.Nested(ClaimantSchema, required=True, error_messages=_messages())
    respondents = fields.List(
        fields.Nested(RespondentSchema), required=True, validate=validate.Length(min=1, error=AT_LEAST_ONE_RESPONDENT),
        error_messages=_messages(required=AT_LEAST_ONE_RESPONDENT, null=AT_LEAST_ONE_RESPONDENT),
    )
    authority = fields.Nested(AuthoritySchema, load_default=None)
    representatives = fields.List(fields.Nested(RepresentativeSchema), load_default=list)
    claimed = fields.Nested(ClaimedSchema, load_default=dict)
    summary = text(limit=4000, load_default="")


# --- case actions -----------------------------------------------------------------------------------


class CaseFormSchema(FormSchema):
    """Every case form carries the case version it was shown at, to notice a concurrent edit."""

    expected_version = whole(required=False, load_default=None)


class DocumentSchema(CaseFormSchema):
    kind = choice(DOCUMENT_KINDS)
    title = text(required=True, limit=300)
    filed_by = text(required=True, limit=200)
    received_on = day()
    sha256 = fields.String(validate=validate.Regexp(r"^[0-9a-fA-F]{64}$", error=N_("A sha256 is 64 hexadecimal digits.")), error_messages=_messages())


class AssignJudgeSchema(CaseFormSchema):
    judge_id = text(required=True, limit=36)


class ReasonSchema(CaseFormSchema):
    reason = text(required=True, limit=4000)


class HearingSchema(CaseFormSchema):
    date = day()
    time = fields.Time(required=True, error_messages=_messages(invalid=BAD_TIME, format=BAD_TIME))
    duration_minutes = whole(required=False, load_default=60)
    courtroom = text(required=True, limit=40)
    purpose = text(required=True, limit=300)

    def starts_at(self, data: dict[str, Any]) -> datetime:
        """The start as typed at the court (Asia/Almaty); the domain stores it in UTC."""
        from domain.clock import COURT_TZ

        start_time: time = data["time"]
        return datetime.combine(data["date"], start_time, tzinfo=COURT_TZ)


class RescheduleSchema(CaseFormSchema):
    date = day()
    time = fields.Time(required=True, error_messages=_messages(invalid=BAD_TIME, format=BAD_TIME))
    reason = text(required=True, limit=4000)


class MinutesSchema(CaseFormSchema):
    minutes_summary = text(required=True, limit=4000)


class ExaminationSchema(CaseFormSchema):
    kind = choice(EXAMINATION_KINDS)
    questions = text(required=True, limit=8000)
    expert_ids = fields.List(
        fields.String(), required=True, validate=validate.Length(min=1, error=AT_LEAST_ONE_EXPERT),
        error_messages=_messages(required=AT_LEAST_ONE_EXPERT, null=AT_LEAST_ONE_EXPERT),
    )
    due_on = day()

    @pre_load
    def one_expert_is_a_list(self, data: Any, **_: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("expert_ids"), str):  # anything else is refused by the fields
            data = {**data, "expert_ids": [data["expert_ids"]]}
        return data

    @staticmethod
    def question_list(data: dict[str, Any]) -> list[str]:
        return [line.strip() for line in data["questions"].splitlines() if line.strip()]


class ReportSchema(CaseFormSchema):
    received_on = day()
    standard_of_care_met = choice(STANDARD_OF_CARE_MET)
    causation = choice(CAUSATION)
    harm_found = choice(HARMS)
    summary = text(limit=4000, load_default="")
    document_id = text(limit=10, load_default=None)


class MediationReferralSchema(CaseFormSchema):
    mediator_id = text(required=True, limit=36)
    due_on = day()


class MediationOutcomeSchema(CaseFormSchema):
    outcome = choice(MEDIATION_OUTCOMES)
    concluded_on = day()


class AppealSchema(CaseFormSchema):
    filed_on = day()
    appellant = text(required=True, limit=200)


class AppealDecisionSchema(CaseFormSchema):
    outcome = choice(APPEAL_OUTCOMES)
    decided_on = day()


class ReopenSchema(CaseFormSchema):
    reopened_on = day()
    reason = choice(REOPEN_REASONS)


class CorrectionSchema(CaseFormSchema):
    corrects_version = whole()
    reason = text(required=True, limit=4000)
    field = choice(CORRECTABLE_FIELDS)
    value = text(required=True, limit=20000)


class SealSchema(CaseFormSchema):
    reason = choice(SEAL_REASONS)


class SanctionSchema(FormSchema):
    respondent_id = text(required=True, limit=10)
    kind = choice(("fine", "certificate_withdrawal", "licence_suspension", "licence_revocation", "imprisonment"))
    amount_mci = Number()
    months = whole(required=False)


class CompensationSchema(FormSchema):
    real_damage = Money()
    lost_profit = Money()
    moral_harm = Money()


class RulingSchema(CaseFormSchema):
    disposition = choice(DISPOSITIONS)
    decided_on = day()
    finding = choice(FINDINGS, required=False)
    harm_found = choice(HARMS, required=False)
    liable_respondents = fields.List(fields.String(), load_default=list)
    sanctions = fields.List(fields.Nested(SanctionSchema), load_default=list)
    compensation = fields.Nested(CompensationSchema, load_default=dict)
    contributory_fault_pct = Number(load_default=Decimal(0))
    insurer_compensation = Money(load_default=None)
    reasoning = text(limit=20000, load_default="")
    recommendation = text(limit=4000, load_default="")
    transferred_to_track = choice(TRACKS, required=False)

    @pre_load
    def one_respondent_is_a_list(self, data: Any, **_: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("liable_respondents"), str):  # anything else is refused by the fields
            data = {**data, "liable_respondents": [data["liable_respondents"]]}
        return data

    @staticmethod
    def draft(data: dict[str, Any]) -> dict[str, Any]:
        """The ruling draft the domain expects."""
        draft = {k: v for k, v in data.items() if k != "expected_version"}
        draft["compensation"] = {h: v for h, v in (data.get("compensation") or {}).items() if h in COMPENSATION_HEADS}
        draft["contributory_fault_pct"] = str(data.get("contributory_fault_pct") or 0)
        return draft


# --- registries (administrators) ---------------------------------------------------------------------


class JudgeSchema(FormSchema):
    name = text(required=True, limit=200)
    court = choice(COURTS)


class CertificationSchema(FormSchema):
    valid_from = day()
    valid_to = day(required=False, load_default=None)
    course = text(limit=200, load_default="medical law")

    @validates_schema
    def period(self, data: dict[str, Any], **_: Any) -> None:
        if data.get("valid_to") and data["valid_to"] < data["valid_from"]:
            raise ValidationError(PERIOD_ENDS_BEFORE_START, "valid_to")


class RetirementSchema(FormSchema):
    retired_on = day()


class ExpertSchema(FormSchema):
    name = text(required=True, limit=200)
    specialties = fields.List(choice(SPECIALTIES), required=True, validate=validate.Length(min=1, error=REQUIRED), error_messages=_messages())
    qualification = text(limit=300, load_default="")
    certificate_no = text(limit=40, load_default=None)

    @pre_load
    def one_specialty_is_a_list(self, data: Any, **_: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("specialties"), str):  # anything else is refused by the fields
            data = {**data, "specialties": [data["specialties"]]}
        return data


class AffiliationSchema(FormSchema):
    bin = fields.String(required=True, validate=validate.Regexp(r"^\d{12}$", error=BIN_DIGITS), error_messages=_messages())
    organization = text(required=True, limit=200)
    valid_from = day()
    valid_to = day(required=False, load_default=None)

    @validates_schema
    def period(self, data: dict[str, Any], **_: Any) -> None:
        if data.get("valid_to") and data["valid_from"] and data["valid_to"] < data["valid_from"]:
            raise ValidationError(PERIOD_ENDS_BEFORE_START, "valid_to")


class MediatorSchema(FormSchema):
    name = text(required=True, limit=200)
    court = choice(COURTS)
    organization = text(limit=200, load_default="")


# Dates a page accepts in its query string: the API's range (web.api.schemas.day); outside it the
# court's time zone and a week's arithmetic run off the calendar (0001-01-01, 9999-12-31).
FIRST_DATE_ARG = date(1900, 1, 1)
LAST_DATE_ARG = date(2999, 12, 31)
LAST_PAGE = 100_000  # as the API's ``page``


def parse_date_arg(value: str | None) -> date | None:
    """A YYYY-MM-DD query argument, or None when absent, malformed or outside 1900-2999 (the page says so)."""
    if not value:
        return None
    try:
        parsed = date.fromisoformat(value.strip())
    except ValueError:
        return None
    return parsed if FIRST_DATE_ARG <= parsed <= LAST_DATE_ARG else None


def parse_page_arg(value: str | None) -> int:
    """A page number from the query string: 1 when absent or malformed, at most ``LAST_PAGE``."""
    text = (value or "1").strip()
    if not text.isascii() or not text.isdigit() or len(text) > 9:
        return 1 if not (text.isascii() and text.isdigit()) else LAST_PAGE
    return min(max(1, int(text)), LAST_PAGE)
