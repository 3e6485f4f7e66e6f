"""What each command and form accepts, in shape and type (marshmallow 4), for the site and the API alike.

Every docketing command has one schema here (``CaseFilingSchema``, ``AssignJudgeSchema``, ...). The
API uses it as it is: strict, unknown fields refused, and the OpenAPI document is built from it. A
form loads it through ``load_form``, which gives the same fields a form's manners (``FormSchema``):
blank fields and blank rows dropped, unknown fields (the CSRF token...) ignored, amounts and numbers
read as people type them (``150 000,50``); the few fields a form shows differently (a date and a time
for an instant, one text area of questions) are put in the command's shape by the schema's
``from_form``. So a field of a command is declared once, whichever way it comes in.

The schemas only check what a form can check on its own: a date is a date, a
choice is one of the court's words, a required field is filled. Whether the
values make sense for the case (harm and track agree, the judge is certified,
a hearing does not clash) is the domain's to say; its refusals come back with the
field they concern. Messages are English source strings marked with ``N_`` and
translated when a form shows them (``FormState.add_validation``); the API answers them in English.
"""

from __future__ import annotations

import copy
import re
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any

from marshmallow import EXCLUDE, Schema, ValidationError, fields, pre_load, validate, validates_schema

from domain.clock import COURT_TZ
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


# Dates a command or a page accepts: outside this range the court's time zone and a week's
# arithmetic run off the calendar (0001-01-01, 9999-12-31).
FIRST_DATE_ARG = date(1900, 1, 1)
LAST_DATE_ARG = date(2999, 12, 31)
LAST_PAGE = 100_000  # as the API's ``page``
MONEY = r"^\d{1,15}(\.\d{1,2})?$"


def text(*, required: bool = False, limit: int = 4000, **kwargs: Any) -> fields.String:
    """Text without control characters (new lines and tabs allowed), at most ``limit`` long; not empty when required."""
    return fields.String(
        required=required,
        validate=[
            validate.Length(min=1 if required else 0, error=REQUIRED), validate.Length(max=limit, error=TOO_LONG),
            validate.Regexp(PRINTABLE, error=CONTROL_CHARACTERS),
        ],
        error_messages=_messages(invalid=REQUIRED), **kwargs,
    )


def choice(options: tuple[str, ...] | dict[str, str], *, required: bool = True, **kwargs: Any) -> fields.String:
    return fields.String(required=required, validate=validate.OneOf(list(options), error=BAD_CHOICE), error_messages=_messages(), **kwargs)


def day(*, required: bool = True, **kwargs: Any) -> fields.Date:
    return fields.Date(
        required=required, validate=validate.Range(min=FIRST_DATE_ARG, max=LAST_DATE_ARG, error=BAD_DATE),
        error_messages=_messages(invalid=BAD_DATE, format=BAD_DATE), **kwargs,
    )


def whole(*, required: bool = True, low: int = 1, high: int = 1_000_000, **kwargs: Any) -> fields.Integer:
    return fields.Integer(
        required=required, strict=False, validate=validate.Range(min=low, max=high, error=BAD_INT),
        error_messages=_messages(invalid=BAD_INT), **kwargs,
    )


def optional(field: fields.Field[Any]) -> fields.Field[Any]:
    """A field the API may also send as ``null``."""
    field.allow_none = True
    return field


def _typed_by_people(field: fields.Field[Any]) -> bool:
    """Whether the field is being loaded from a form (``load_form``), not from the API."""
    return bool(getattr(field.root, "typed_by_people", False))


class Money(fields.String):
    """An amount in KZT, loaded as a plain decimal string; the domain checks range and places (R12).

    The API takes exactly ``MONEY`` (``150000.50``); a form takes it as people type it: spaces as
    thousands separators, a comma or a point before the tiyn."""

    default_error_messages = {"invalid": BAD_MONEY, **_ERRORS}  # noqa: RUF012 - marshmallow's own class attribute

    def __init__(self, **kwargs: Any) -> None:
        metadata = {"description": "KZT as a decimal string, at most two places", "example": "150000.00", "pattern": MONEY}
        super().__init__(metadata=metadata, **kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        typed = super()._deserialize(value, attr, data, **kwargs)
        if not _typed_by_people(self):
            if not re.match(MONEY, typed):
                raise self.make_error("invalid")
            return typed
        cleaned = re.sub(r"[\s\u00a0\u202f_]", "", typed)
        if "," in cleaned and "." not in cleaned:
            cleaned = cleaned.replace(",", ".")
        try:
            amount = Decimal(cleaned)
        except InvalidOperation:
            raise self.make_error("invalid") from None
        if not amount.is_finite():
            raise self.make_error("invalid")
        return str(amount)


class Number(fields.Float):
    """A number (a fine in MCI, a percentage); a form may write it with a decimal comma."""

    default_error_messages = {"invalid": BAD_NUMBER, "special": BAD_NUMBER, "too_large": BAD_NUMBER, **_ERRORS}  # noqa: RUF012

    def __init__(self, *, low: float = 0, high: float = 1_000_000, **kwargs: Any) -> None:
        super().__init__(allow_nan=False, validate=validate.Range(min=low, max=high, error=BAD_NUMBER), **kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> float:
        if _typed_by_people(self) and isinstance(value, str):
            value = value.strip().replace(",", ".")
        return float(super()._deserialize(value, attr, data, **kwargs))


def one_or_more(value: Any) -> Any:
    """A form sends one checked box as a string, several as a list."""
    return [value] if isinstance(value, str) else value


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
    """A form's manners: unknown fields ignored, blanks dropped, input read as people type it."""

    class Meta:
        unknown = EXCLUDE

    typed_by_people = True
    error_messages = {"type": BAD_GROUP, "unknown": BAD_GROUP}  # noqa: RUF012 - marshmallow's own class attribute

    @pre_load
    def drop_blanks(self, data: Any, **_: Any) -> Any:
        if not isinstance(data, dict):
            return data  # e.g. "claimant=x" where a group of fields was expected: refused as a type error
        return _prune(data) or {}


class CommandSchema(Schema):
    """A command's input, as the API takes it (strict); ``load_form`` takes it from a form."""

    error_messages = {"type": BAD_GROUP}  # noqa: RUF012 - marshmallow's own class attribute

    @classmethod
    def from_form(cls, data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, list[str]]]:
        """The form's values in the command's shape, and messages for the form's fields that do not fit
        it. Most forms have the command's fields as they are."""
        return data, {}


def field_names(schema: type[Schema], *, rows: int = 1, prefix: str = "") -> set[str]:
    """The dotted names a form gives a schema's fields (``respondents.0.name``), ``rows`` rows of each list of groups."""
    names: set[str] = set()
    for name, field in schema._declared_fields.items():
        path = f"{prefix}{field.data_key or name}"
        inner = field.inner if isinstance(field, fields.List) else field
        if not isinstance(inner, fields.Nested) or not isinstance(inner.nested, type):
            names.add(path)
        elif isinstance(field, fields.List):
            for row in range(rows):
                names |= field_names(inner.nested, rows=rows, prefix=f"{path}.{row}.")
        else:
            names |= field_names(inner.nested, rows=rows, prefix=f"{path}.")
    return names


_FORMS: dict[type[Schema], type[Schema]] = {}


def form_schema(command: type[Schema]) -> type[Schema]:
    """``command`` with a form's manners (``FormSchema``), its nested groups too."""
    if command in _FORMS:
        return _FORMS[command]
    overrides: dict[str, Any] = {}
    for name, field in command._declared_fields.items():
        inner = field.inner if isinstance(field, fields.List) else field
        if isinstance(inner, fields.Nested) and isinstance(inner.nested, type) and issubclass(inner.nested, Schema):
            nested = copy.copy(inner)
            nested.nested = form_schema(inner.nested)
            if isinstance(field, fields.List):
                listed = copy.copy(field)
                listed.inner = nested
                overrides[name] = listed
            else:
                overrides[name] = nested
    form = type(f"{command.__name__}Form", (FormSchema, command), {"__module__": command.__module__, **overrides})
    _FORMS[command] = form
    return form


def load_form(command: type[Schema], values: dict[str, Any], *, exclude: tuple[str, ...] = ()) -> dict[str, Any]:
    """A form's values (nested, as ``FormState.nested`` gives them) loaded by a command's schema.
    Raises ``ValidationError`` with messages keyed by the form's own field names."""
    data = _prune(values) or {}
    problems: dict[str, list[str]] = {}
    if issubclass(command, CommandSchema):
        data, problems = command.from_form(dict(data))
    try:
        loaded: dict[str, Any] = form_schema(command)(exclude=exclude).load(data)
    except ValidationError as error:
        messages = error.messages if isinstance(error.messages, dict) else {"_schema": error.messages}
        raise ValidationError({**messages, **problems}) from None
    if problems:
        raise ValidationError(problems)
    return loaded


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


class ClaimantSchema(CommandSchema):
    name = text(required=True, limit=200)
    relation = choice(CLAIMANT_RELATIONS, required=False, load_default="patient")


def _bin(**kwargs: Any) -> fields.String:
    return fields.String(validate=validate.Regexp(r"^\d{12}$", error=BIN_DIGITS), error_messages=_messages(), **kwargs)


class NewRespondentSchema(CommandSchema):
    kind = choice(RESPONDENT_KINDS)
    name = text(required=True, limit=200)
    certificate_no = text(limit=40)
    bin = _bin()
    organization_bin = _bin()

    @validates_schema
    def identified(self, data: dict[str, Any], **_: Any) -> None:
        if data.get("kind") == "specialist" and not data.get("certificate_no"):
            raise ValidationError(SPECIALIST_CERT, "certificate_no")
        if data.get("kind") == "organization" and not data.get("bin"):
            raise ValidationError(ORGANIZATION_BIN, "bin")


class AuthoritySchema(CommandSchema):
    kind = choice(AUTHORITY_KINDS)
    name = text(required=True, limit=200)


class RepresentativeSchema(CommandSchema):
    name = text(required=True, limit=200)
    represents = text(limit=200, load_default="claimant")


class ClaimedSchema(CommandSchema):
    real_damage = Money()
    lost_profit = Money()
    moral_harm = Money()


class CaseFilingSchema(CommandSchema):
    """``file_case``: docket a new case (DOMAIN.md ``CaseFiled``)."""

    track = choice(TRACKS)
    court = choice(COURTS)
    received_on = day()
    specialty = choice(SPECIALTIES)
    alleged_harm = choice(HARMS)
    incident_date = day()
    claimant = fields.Nested(ClaimantSchema, required=True, error_messages=_messages())
    respondents = fields.List(
        fields.Nested(NewRespondentSchema), required=True, validate=validate.Length(min=1, max=20, error=AT_LEAST_ONE_RESPONDENT),
        error_messages=_messages(required=AT_LEAST_ONE_RESPONDENT, null=AT_LEAST_ONE_RESPONDENT),
    )
    authority = fields.Nested(AuthoritySchema, load_default=None, allow_none=True)
    representatives = fields.List(fields.Nested(RepresentativeSchema), load_default=list, validate=validate.Length(max=20))
    claimed = fields.Nested(ClaimedSchema, load_default=dict)
    summary = text(limit=4000, load_default="")


# --- actions on a case ------------------------------------------------------------------------------


class ActionSchema(CommandSchema):
    """Every action on a case may carry the case version it was shown at, to notice a concurrent edit."""

    expected_version = whole(
        required=False, load_default=None,
        metadata={"description": "The case version the client last saw; if the case has changed since, the action is refused with 409."},
    )


class DocumentSchema(ActionSchema):
    """``file_document``; a form uploads the file, the API sends it base64-encoded."""

    kind = choice(DOCUMENT_KINDS)
    title = text(required=True, limit=300)
    filed_by = text(required=True, limit=200)
    received_on = day()
    filename = text(required=True, limit=200, metadata={"description": "The file's name; its ending must fit its content (.pdf, .png, .jpg, .tif, .txt, .docx)"})
    content_base64 = fields.String(required=True, validate=validate.Length(min=1), error_messages=_messages(), metadata={"description": "The file, base64-encoded"})
    sha256 = fields.String(
        validate=validate.Regexp(r"^[0-9a-fA-F]{64}$", error=N_("A sha256 is 64 hexadecimal digits.")), error_messages=_messages(),
        metadata={"description": "If given, the file must have this digest"},
    )

    FORM_EXCLUDES = ("filename", "content_base64")


class AssignJudgeSchema(ActionSchema):
    judge_id = text(required=True, limit=36)


class ReasonSchema(ActionSchema):
    reason = text(required=True, limit=4000)


def _starts_at(description: str) -> fields.DateTime:
    return fields.DateTime(required=True, error_messages=_messages(invalid=BAD_DATE), metadata={"description": description})


def _instant_from_form(data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """A form types an instant as a court-local date and time (Asia/Almaty); the domain stores it in UTC."""
    problems: dict[str, list[str]] = {}
    when: dict[str, Any] = {}
    for name, parse, bad in (("date", date.fromisoformat, BAD_DATE), ("time", time.fromisoformat, BAD_TIME)):
        raw = data.pop(name, None)
        if raw is None:
            problems[name] = [REQUIRED]
            continue
        try:
            when[name] = parse(str(raw))
        except ValueError:
            problems[name] = [bad]
    if not problems:
        if not FIRST_DATE_ARG <= when["date"] <= LAST_DATE_ARG:
            return data, {"date": [BAD_DATE]}
        data["starts_at"] = datetime.combine(when["date"], when["time"], tzinfo=COURT_TZ).isoformat()
    return data, problems


class HearingSchema(ActionSchema):
    starts_at = _starts_at("Start; without an offset it is court-local (Asia/Almaty)")
    courtroom = text(required=True, limit=40)
    purpose = text(required=True, limit=300)
    duration_minutes = whole(required=False, low=5, high=720, load_default=60)

    @classmethod
    def from_form(cls, data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, list[str]]]:
        return _instant_from_form(data)


class RescheduleSchema(ActionSchema):
    starts_at = _starts_at("New start; without an offset it is court-local (Asia/Almaty)")
    reason = text(required=True, limit=4000)

    @classmethod
    def from_form(cls, data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, list[str]]]:
        return _instant_from_form(data)


class MinutesSchema(ActionSchema):
    minutes_summary = text(required=True, limit=4000)


class ExaminationSchema(ActionSchema):
    kind = choice(EXAMINATION_KINDS)
    questions = fields.List(
        text(required=True, limit=2000), required=True, validate=validate.Length(min=1, max=50, error=AT_LEAST_ONE_QUESTION),
        error_messages=_messages(required=AT_LEAST_ONE_QUESTION, null=AT_LEAST_ONE_QUESTION),
    )
    expert_ids = fields.List(
        text(required=True, limit=36), required=True, validate=validate.Length(min=1, max=10, error=AT_LEAST_ONE_EXPERT),
        error_messages=_messages(required=AT_LEAST_ONE_EXPERT, null=AT_LEAST_ONE_EXPERT),
    )
    due_on = day()

    @classmethod
    def from_form(cls, data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, list[str]]]:
        """A form has one text area of questions, one a line, and a box per expert."""
        if isinstance(data.get("questions"), str):
            data["questions"] = [line.strip() for line in data["questions"].splitlines() if line.strip()]
        data["expert_ids"] = one_or_more(data.get("expert_ids"))
        return data, {}


class ReportSchema(ActionSchema):
    received_on = day()
    standard_of_care_met = choice(STANDARD_OF_CARE_MET)
    causation = choice(CAUSATION)
    harm_found = choice(HARMS)
    summary = text(limit=4000, load_default="")
    document_id = optional(text(limit=10, load_default=None))


class MediationReferralSchema(ActionSchema):
    mediator_id = text(required=True, limit=36)
    due_on = day()


class MediationOutcomeSchema(ActionSchema):
    outcome = choice(MEDIATION_OUTCOMES)
    concluded_on = day()


class AppealSchema(ActionSchema):
    filed_on = day()
    appellant = text(required=True, limit=200)


class AppealDecisionSchema(ActionSchema):
    outcome = choice(APPEAL_OUTCOMES)
    decided_on = day()


class ReopenSchema(ActionSchema):
    reopened_on = day()
    reason = choice(REOPEN_REASONS)


class CorrectionSchema(ActionSchema):
    corrects_version = whole()
    reason = text(required=True, limit=4000)
    corrections = fields.Dict(
        keys=fields.String(validate=validate.Length(min=1, max=40)), values=text(limit=20000), required=True,
        validate=validate.Length(min=1, max=10), error_messages=_messages(),
    )

    @classmethod
    def from_form(cls, data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, list[str]]]:
        """A form corrects one field at a time: its name (one of ``CORRECTABLE_FIELDS``) and its new value."""
        problems: dict[str, list[str]] = {}
        field, value = data.pop("field", None), data.pop("value", None)
        if field is None:
            problems["field"] = [REQUIRED]
        elif field not in CORRECTABLE_FIELDS:
            problems["field"] = [BAD_CHOICE]
        if value is None:
            problems["value"] = [REQUIRED]
        if not problems:
            data["corrections"] = {field: value}
        return data, problems


class SealSchema(ActionSchema):
    reason = choice(SEAL_REASONS)


class SanctionSchema(CommandSchema):
    respondent_id = text(required=True, limit=10)
    kind = choice(("fine", "certificate_withdrawal", "licence_suspension", "licence_revocation", "imprisonment"))
    amount_mci = Number(metadata={"description": "A fine, in MCI"})
    months = whole(required=False, low=0, high=1200)


class CompensationSchema(CommandSchema):
    real_damage = Money()
    lost_profit = Money()
    moral_harm = Money()


class RulingSchema(ActionSchema):
    disposition = choice(DISPOSITIONS)
    decided_on = day()
    finding = optional(choice(FINDINGS, required=False))
    harm_found = optional(choice(HARMS, required=False))
    liable_respondents = fields.List(text(limit=10), load_default=list, validate=validate.Length(max=20))
    sanctions = fields.List(fields.Nested(SanctionSchema), load_default=list, validate=validate.Length(max=20))
    compensation = fields.Nested(CompensationSchema, load_default=dict)
    contributory_fault_pct = Number(high=100, load_default=0)
    insurer_compensation = optional(Money(load_default=None))
    reasoning = text(limit=20000, load_default="")
    recommendation = text(limit=4000, load_default="")
    transferred_to_track = optional(choice(TRACKS, required=False))

    @classmethod
    def from_form(cls, data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, list[str]]]:
        if "liable_respondents" in data:
            data["liable_respondents"] = one_or_more(data["liable_respondents"])
        return data, {}

    @staticmethod
    def draft(data: dict[str, Any]) -> dict[str, Any]:
        """The ruling draft the domain expects."""
        draft = {k: v for k, v in data.items() if k != "expected_version"}
        draft["compensation"] = {h: v for h, v in (data.get("compensation") or {}).items() if h in COMPENSATION_HEADS and v is not None}
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
