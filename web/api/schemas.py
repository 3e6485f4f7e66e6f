"""The API's query arguments and response shapes (marshmallow 4), from which, with the commands'
schemas (``web.schemas``: the same ones the site's forms load), the OpenAPI document is built.

Argument schemas check form only (types, closed vocabularies, lengths, plausible date
ranges); whether the values make sense for the case is the domain's to say, with the
same refusals as the site's forms. Unknown fields are refused. Response schemas say
exactly what comes back, so clients (and schemathesis) can rely on them.
"""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from domain.vocabulary import (
    COURTS,
    SPECIALTIES,
    TRACKS,
)
from web.schemas import choice, day, text

STATUSES = ("pending", "decided", "appealed", "in_force")


# --- reading cases ------------------------------------------------------------------------------------------------


class CaseSearchArgs(Schema):
    q = text(limit=200, metadata={"description": "Docket number, or a party's name, certificate number or BIN (any part, any case)."})
    court = choice(COURTS, required=False)
    track = choice(TRACKS, required=False)
    status = choice(STATUSES, required=False)
    judge_id = text(limit=36)
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))
    per_page = fields.Integer(load_default=25, validate=validate.Range(min=1, max=200))


class RespondentSchema(Schema):
    id = fields.String(allow_none=True)
    name = fields.String()
    kind = fields.String()
    certificate_no = fields.String(allow_none=True)
    bin = fields.String(allow_none=True)


class CaseItemSchema(Schema):
    docket_number = fields.String(required=True)
    track = fields.String(required=True)
    court = fields.String(required=True)
    specialty = fields.String(required=True)
    status = fields.String(required=True)
    sealed = fields.Boolean(required=True)
    judge_id = fields.String(allow_none=True)
    judge_name = fields.String(allow_none=True)
    received_on = fields.Date(required=True)
    claimant_name = fields.String(allow_none=True)
    decided_on = fields.Date(allow_none=True)
    disposition = fields.String(allow_none=True)
    finding = fields.String(allow_none=True)
    version = fields.Integer(required=True)


class CaseListItemSchema(CaseItemSchema):
    respondents = fields.List(fields.Nested(RespondentSchema))


class CasePageSchema(Schema):
    items = fields.List(fields.Nested(CaseListItemSchema), required=True)
    total = fields.Integer(required=True)
    page = fields.Integer(required=True)
    per_page = fields.Integer(required=True)
    pages = fields.Integer(required=True)


class PartySchema(Schema):
    role = fields.String()
    kind = fields.String(allow_none=True)
    name = fields.String(allow_none=True)
    certificate_no = fields.String(allow_none=True)
    bin = fields.String(allow_none=True)
    party_ref = fields.String(allow_none=True)


class CaseDetailSchema(CaseItemSchema):
    incident_date = fields.Date(allow_none=True)
    alleged_harm = fields.String(allow_none=True)
    summary = fields.String(allow_none=True)
    claimant_relation = fields.String(allow_none=True)
    transferred_from = fields.String(allow_none=True)
    transferred_to = fields.String(allow_none=True)
    in_force_on = fields.Date(allow_none=True)
    rulings_count = fields.Integer()
    reopenings_count = fields.Integer()
    seal_reason = fields.String(allow_none=True)
    claimed = fields.Dict(keys=fields.String(), values=fields.String(), metadata={"description": "Claimed amounts per head (KZT decimal strings)"})
    parties = fields.List(fields.Nested(PartySchema))
    examinations_count = fields.Integer()
    hearings_count = fields.Integer()
    mediations_count = fields.Integer()


class AsOfArgs(Schema):
    date = day(required=False, metadata={"description": "The case as it stood at the end of this court-local day."})
    at = fields.AwareDateTime(metadata={"description": "The case as it stood at this instant (ISO 8601 with an offset)."})
    version = fields.Integer(validate=validate.Range(min=1, max=1_000_000), metadata={"description": "The case after its N-th event."})


class CaseStateSchema(Schema):
    """The case aggregate as it stood (dates as ISO strings, money as decimal strings, as in exports)."""

    docket_number = fields.String(required=True)
    version = fields.Integer(required=True)
    as_of = fields.String(allow_none=True, metadata={"description": "The date, instant or version asked for"})
    track = fields.String()
    court = fields.String()
    received_on = fields.String()
    specialty = fields.String()
    alleged_harm = fields.String()
    incident_date = fields.String()
    claimant = fields.Dict()
    respondents = fields.List(fields.Dict())
    authority = fields.Dict(allow_none=True)
    representatives = fields.List(fields.Dict())
    claimed = fields.Dict(keys=fields.String(), values=fields.String())
    summary = fields.String(allow_none=True)
    transferred_from = fields.String(allow_none=True)
    transferred_to = fields.String(allow_none=True)
    status = fields.String()
    judge_id = fields.String(allow_none=True)
    judge_name = fields.String(allow_none=True)
    recused_judges = fields.List(fields.String())
    documents = fields.Dict(keys=fields.String(), values=fields.Dict())
    examinations = fields.Dict(keys=fields.String(), values=fields.Dict())
    hearings = fields.Dict(keys=fields.String(), values=fields.Dict())
    mediations = fields.List(fields.Dict())
    ruling = fields.Dict(allow_none=True)
    rulings_count = fields.Integer()
    appeals = fields.Dict(keys=fields.String(), values=fields.Dict())
    in_force_on = fields.String(allow_none=True)
    reopenings = fields.List(fields.Dict())
    sealed = fields.Boolean()
    seal_reason = fields.String(allow_none=True)
    corrections = fields.List(fields.Dict())


class ActorSchema(Schema):
    user = fields.String()
    role = fields.String()


class EventRecordSchema(Schema):
    aggregate = fields.String(required=True)
    aggregate_id = fields.String(required=True)
    version = fields.Integer(required=True)
    type = fields.String(required=True)
    recorded_at = fields.String(required=True, metadata={"description": "UTC, ISO 8601"})
    data = fields.Dict(required=True, metadata={"description": "The event's fields, as `medcourt export events` writes them"})


class HistorySchema(Schema):
    docket_number = fields.String(required=True)
    items = fields.List(fields.Nested(EventRecordSchema), required=True)


# --- docketing actions ---------------------------------------------------------------------------------------------


class ReceiptSchema(Schema):
    """What a docketing action did: the case's new version and the write's position in the event log."""

    docket_number = fields.String(required=True)
    version = fields.Integer(required=True)
    position = fields.Integer(allow_none=True)
    id = fields.String(allow_none=True, metadata={"description": "The new item's id (document, examination, hearing, appeal...), if any"})
    transferred_to = fields.String(allow_none=True, metadata={"description": "A transfer's requalified new case"})


# --- calendar, registries ------------------------------------------------------------------------------------------------


class CalendarArgs(Schema):
    court = choice(COURTS, required=False, metadata={"description": "Default: the user's court"})
    day = day(required=False, metadata={"description": "Default: today at the court"})
    span = choice(("day", "week"), required=False, load_default="day")
    include_cancelled = fields.Boolean(load_default=False)


class HearingItemSchema(Schema):
    docket_number = fields.String(required=True)
    hearing_id = fields.String(required=True)
    court = fields.String(required=True)
    judge_id = fields.String(allow_none=True)
    judge_name = fields.String(allow_none=True)
    courtroom = fields.String()
    purpose = fields.String(allow_none=True)
    starts_at = fields.AwareDateTime(required=True)
    ends_at = fields.AwareDateTime(required=True)
    duration_minutes = fields.Integer()
    status = fields.String()
    reschedule_count = fields.Integer()


class CalendarSchema(Schema):
    court = fields.String(required=True)
    start = fields.Date(required=True, attribute="from", data_key="from")
    end = fields.Date(required=True, attribute="to", data_key="to")
    hearings = fields.List(fields.Nested(HearingItemSchema), required=True)


class CertificationSchema(Schema):
    valid_from = fields.Date()
    valid_to = fields.Date(allow_none=True)
    course = fields.String(allow_none=True)


class JudgeSchema(Schema):
    judge_id = fields.String(required=True)
    name = fields.String(required=True)
    court = fields.String(required=True)
    retired_on = fields.Date(allow_none=True)
    certifications = fields.List(fields.Nested(CertificationSchema))
    certified = fields.Boolean()
    open_caseload = fields.Integer()


class AffiliationSchema(Schema):
    bin = fields.String()
    organization = fields.String(allow_none=True)
    valid_from = fields.Date(allow_none=True)
    valid_to = fields.Date(allow_none=True)


class ExpertSchema(Schema):
    expert_id = fields.String(required=True)
    name = fields.String(required=True)
    qualification = fields.String(allow_none=True)
    certificate_no = fields.String(allow_none=True)
    specialties = fields.List(fields.String())
    affiliations = fields.List(fields.Nested(AffiliationSchema))
    open_examinations = fields.Integer()


class MediatorSchema(Schema):
    mediator_id = fields.String(required=True)
    name = fields.String(required=True)
    court = fields.String(allow_none=True)
    organization = fields.String(allow_none=True)
    open_mediations = fields.Integer()


class RegistryArgs(Schema):
    court = choice(COURTS, required=False)


class ExpertArgs(Schema):
    specialty = choice(SPECIALTIES, required=False)


# --- statistics ----------------------------------------------------------------------------------------------------------


class StatsResultSchema(Schema):
    """A measure's figures, exactly as ``medcourt stats`` prints them (DOMAIN.md section 4).
    Each group has its ``key`` (``all`` without a breakdown) and the measure's figures."""

    measure = fields.String(required=True)
    start = fields.String(required=True, attribute="from", data_key="from")
    end = fields.String(required=True, attribute="to", data_key="to")
    at = fields.String(metadata={"description": "For `pending`: the day the caseload is counted at (the period's end)"})
    by = fields.String(allow_none=True, required=True)
    public = fields.Boolean(required=True)
    filters = fields.Dict(
        keys=fields.String(), values=fields.String(), required=True,
        metadata={"description": "The filters applied (court, track, specialty, judge -> value); empty when none"},
    )
    groups = fields.List(fields.Dict(), required=True, metadata={"description": (
        "One per group of the breakdown; public figures show a count from 1 to 4 as `<5` and a count hidden "
        "so that those cannot be worked out, or a figure built on a hidden count, as `suppressed`"
    )})


# --- problems -------------------------------------------------------------------------------------------------------------


class ProblemSchema(Schema):
    """An error (RFC 7807 problem details)."""

    type = fields.String(required=True, metadata={"description": "Names the kind of problem, e.g. /api/problems/rule-conflict"})
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    detail = fields.String(required=True)
    field = fields.String(allow_none=True, metadata={"description": "The parameter or field the problem is about, if any"})
    rule = fields.String(allow_none=True, metadata={"description": "The rule of DOMAIN.md that refused (R1-R17), if any"})
    code = fields.String(metadata={"description": "The refusal's stable code (e.g. R4.fine_over_cap), when a rule refused; docs/rules.md lists them"})
    instance = fields.String(metadata={"description": "The request path"})
    errors = fields.Dict(metadata={"description": "For validation problems: field -> messages"})
