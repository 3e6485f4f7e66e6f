"""``/api/cases``: search, one case (now, as of a date or version), its history, and every docketing action.

Actions call the same ``Docket`` services as the site's forms, as the token's user, so
the same roles and rules decide; a refusal comes back as problem details (see
``problems``). Each action answers with a receipt after the read models include it, so
the next read sees the change. ``expected_version`` (optional in every action) refuses
the action with 409 if the case changed since the client read it, as the forms do.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask import url_for
from marshmallow import RAISE

from domain import clock
from domain.errors import NotFound
from domain.records import plain
from domain.views import CaseView, ExaminationView, HearingView, PartyView, RulingView
from projections import queries
from web import commands
from web.access import STAFF, visible_case
from web.api import schemas as s
from web.api.auth import current, roles
from web.api.problems import Problem
from web.api.smorest import ApiBlueprint
from web.schemas import CaseFilingSchema
from web.services import services

blp = ApiBlueprint("cases", __name__, url_prefix="/api/cases", description="Cases: search, read as of any date, history, and docketing actions.")

def _fields(value: Any, *names: str) -> dict[str, Any]:
    return {name: plain(getattr(value, name)) for name in names}


def _party(party: PartyView, *names: str) -> dict[str, Any]:
    return _fields(party, *names)


def _respondent(party: PartyView) -> dict[str, Any]:
    if party.kind == "specialist":
        return _party(party, "id", "kind", "name", "certificate_no", "organization_bin")
    return _party(party, "id", "kind", "name", "bin")


def _hearing(hearing: HearingView) -> dict[str, Any]:
    state = _fields(hearing, "id", "starts_at", "first_starts_at", "duration_minutes", "courtroom", "purpose", "status", "reschedulings", "version")
    if hearing.held_version is not None:
        state.update(minutes_summary=hearing.minutes_summary, held_version=hearing.held_version)
    return state


def _examination(examination: ExaminationView) -> dict[str, Any]:
    state = _fields(examination, "id", "kind", "questions", "ordered_on", "due_on", "status")
    state["experts"] = [_fields(expert, "id", "name") for expert in examination.experts]
    report = examination.report
    state["report"] = None if report is None else _fields(
        report, "received_on", "standard_of_care_met", "causation", "harm_found", "summary", "document_id", "version",
    )
    return state


def _ruling(ruling: RulingView) -> dict[str, Any]:
    state = _fields(
        ruling, "ruling_id", "decided_on", "judge_id", "disposition", "finding", "harm_found", "liable_respondents",
        "contributory_fault_pct", "insurer_compensation", "reasoning", "recommendation", "transferred_to_track",
    )
    state["compensation"] = plain(dict(ruling.compensation))
    state["payable"] = plain(dict(ruling.payable))
    state["sanctions"] = [
        {name: plain(value) for name, value in vars(sanction).items() if name in ("respondent_id", "kind") or value is not None}
        for sanction in ruling.sanctions
    ]
    return state


def case_state(case: CaseView, as_of: str | None) -> dict[str, Any]:
    """The case as it stood, for ``CaseStateSchema``: dates as ISO strings, money as decimal strings, as in exports."""
    state = _fields(
        case, "docket_number", "track", "court", "received_on", "specialty", "alleged_harm", "incident_date", "summary",
        "transferred_from", "transferred_to", "status", "judge_id", "judge_name", "recused_judges", "rulings_count",
        "in_force_on", "sealed", "seal_reason",
    )
    state.update(
        claimant=_party(case.claimant, "name", "relation"),
        respondents=[_respondent(r) for r in case.respondents],
        authority=None if case.authority is None else _party(case.authority, "kind", "name"),
        representatives=[_party(r, "name", "represents") for r in case.representatives],
        claimed=plain(dict(case.claimed)),
        documents={d.id: _fields(d, "id", "kind", "title", "filed_by", "received_on", "sha256", "size", "media_type", "version") for d in case.documents},
        examinations={e.id: _examination(e) for e in case.examinations},
        hearings={h.id: _hearing(h) for h in case.hearings},
        mediations=[_fields(m, "id", "mediator_id", "mediator_name", "referred_on", "due_on", "outcome", "concluded_on") for m in case.mediations],
        ruling=None if case.ruling is None else _ruling(case.ruling),
        appeals={a.id: _fields(a, "id", "filed_on", "appellant", "outcome", "decided_on") for a in case.appeals},
        reopenings=[_fields(r, "reopened_on", "reason") for r in case.reopenings],
        corrections=[
            {**_fields(c, "corrects_version", "entry_type", "reason"), "corrections": plain(dict(c.corrections))} for c in case.corrections
        ],
        version=case.version, as_of=as_of,
    )
    return state


# --- reading -----------------------------------------------------------------------------------------------------------


@blp.get("")
@blp.arguments(s.CaseSearchArgs, location="query", unknown=RAISE)
@blp.response(200, s.CasePageSchema)
@blp.problems(401, 403)
@roles(*STAFF)
def search(args: dict[str, Any]) -> dict[str, Any]:
    """Search the docket (newest receipt first, one page)

    Sealed cases appear only for users R11 lets see them."""
    with services().read() as conn:
        page = queries.search_cases(
            conn, current().viewer, text=args.get("q"), court=args.get("court"), track=args.get("track"), status=args.get("status"),
            judge_id=args.get("judge_id"), page=args["page"], per_page=args["per_page"],
        )
    return {"items": page.items, "total": page.total, "page": page.page, "per_page": page.per_page, "pages": page.pages}


@blp.get("/<docket_number>")
@blp.response(200, s.CaseDetailSchema)
@blp.problems(401, 403, 404)
@roles(*STAFF)
def detail(docket_number: str) -> dict[str, Any]:
    """One case now (from the read models)"""
    visible_case(docket_number, "case")
    with services().read() as conn:
        found = queries.get_case(conn, docket_number, current().viewer)
    if found is None:
        raise Problem("not-found", f"No case {docket_number.strip().upper()[:40]} is on the docket", "docket_number")
    return found


@blp.get("/<docket_number>/as-of")
@blp.arguments(s.AsOfArgs, location="query", unknown=RAISE)
@blp.response(200, s.CaseStateSchema)
@blp.problems(401, 403, 404, 422)
@roles(*STAFF)
def as_of(args: dict[str, Any], docket_number: str) -> dict[str, Any]:
    """The case as it stood at the end of a date, at an instant, or after its N-th event

    Give exactly one of `date`, `at`, `version`; with none, the case now."""
    given = [name for name in ("date", "at", "version") if args.get(name) is not None]
    if len(given) > 1:
        raise Problem("validation", "Give one of date, at or version", given[1], errors={given[1]: ["Give one of date, at or version."]})
    case = visible_case(docket_number, "as-of")
    docket = services().docket
    moment: date | datetime | None = args.get("date") or args.get("at")
    try:
        if args.get("version") is not None:
            shown = docket.case_at_version(case.docket_number, args["version"])
            return case_state(CaseView.of(shown), f"version {args['version']}")
        if moment is not None:
            if isinstance(moment, datetime) and moment > clock.now():
                moment = clock.now()
            shown = docket.case_as_of(case.docket_number, moment)
            return case_state(CaseView.of(shown), moment.isoformat())
    except NotFound as error:
        raise Problem("not-found", str(error), error.field) from None
    return case_state(CaseView.of(case), None)


@blp.get("/<docket_number>/history")
@blp.response(200, s.HistorySchema)
@blp.problems(401, 403, 404)
@roles(*STAFF)
def history(docket_number: str) -> dict[str, Any]:
    """Every event of the case, oldest first, as `medcourt case history` and `export events` show them"""
    case = visible_case(docket_number, "history")
    return {"docket_number": case.docket_number, "items": services().docket.case_history(case.docket_number)}


# --- filing --------------------------------------------------------------------------------------------------------------


@blp.post("")
@blp.arguments(CaseFilingSchema)
@blp.response(201, s.ReceiptSchema)
@blp.problems(400, 401, 403, 409, 422)
def file_case(data: dict[str, Any]) -> tuple[dict[str, Any], int, dict[str, str]]:
    """Docket a new case under the next number of its court, year and track (R13)"""
    done = commands.file_case(data)
    return done, 201, {"Location": url_for("cases.detail", docket_number=done["docket_number"])}


# --- actions on a case: one endpoint per command of web.commands ---------------------------------------------------------


@dataclass(frozen=True)
class Endpoint:
    command: str  # its name in web.commands.COMMANDS
    path: str
    summary: str  # the OpenAPI operation's summary and description (the first line, then the rest)
    page: str  # what a view of a sealed case is recorded under ("api:" + page)


ENDPOINTS = (
    Endpoint("file_document", "/<docket_number>/documents", "File a document (the file itself base64-encoded); it is stored under its sha256", "documents"),
    Endpoint("correct_entry", "/<docket_number>/corrections", "Correct an earlier entry; the original stays in the history", "corrections"),
    Endpoint("assign_judge", "/<docket_number>/judge", "Assign a judge", "judge"),
    Endpoint("recuse_judge", "/<docket_number>/judge/recusal", "Record the judge's recusal (their hearings in the case are cancelled)", "judge"),
    Endpoint("order_examination", "/<docket_number>/examinations", "Order an expert examination (R6: the experts must be independent)", "examinations"),
    Endpoint("submit_expert_report", "/<docket_number>/examinations/<examination_id>/report", "Record the expert report of an examination", "examination"),
    Endpoint("withdraw_examination", "/<docket_number>/examinations/<examination_id>/withdrawal", "Withdraw an examination (e.g. a conflict was discovered)", "examination"),
    Endpoint("schedule_hearing", "/<docket_number>/hearings", "Schedule a hearing (R7: a judge, a future start, no double booking)", "hearings"),
    Endpoint("reschedule_hearing", "/<docket_number>/hearings/<hearing_id>/reschedule", "Move a scheduled hearing to a new time", "hearing"),
    Endpoint("hold_hearing", "/<docket_number>/hearings/<hearing_id>/held", "Record that a hearing was held, with a summary of its minutes", "hearing"),
    Endpoint("cancel_hearing", "/<docket_number>/hearings/<hearing_id>/cancellation", "Cancel a scheduled hearing", "hearing"),
    Endpoint("refer_to_mediation", "/<docket_number>/mediation", "Refer the case to mediation (R10: civil cases; reconciliation in criminal ones)", "mediation"),
    Endpoint("conclude_mediation", "/<docket_number>/mediation/conclusion", "Record how the open mediation ended", "mediation"),
    Endpoint("issue_ruling", "/<docket_number>/ruling", "Issue the final ruling of first instance (the assigned judge only)", "ruling"),
    Endpoint("file_appeal", "/<docket_number>/appeals", "File an appeal against the ruling (within the appeal window, R8)", "appeals"),
    Endpoint("decide_appeal", "/<docket_number>/appeals/decision", "Record the appellate decision (a remand reopens the case)", "appeals"),
    Endpoint(
        "enter_into_force", "/<docket_number>/legal-force",
        "Record that the ruling entered into legal force (the appeal window closed); `id` is the date", "legal-force",
    ),
    Endpoint("reopen_case", "/<docket_number>/reopening", "Reopen the case (remand, or the ruling set aside)", "reopening"),
    Endpoint("seal_case", "/<docket_number>/seal", "Seal the case (R11)", "seal"),
    Endpoint("unseal_case", "/<docket_number>/unseal", "Unseal the case", "seal"),
)
ACTION_ERRORS = (400, 401, 403, 404, 409, 422)
SUBJECTS = {"hearings": "hearing", "examinations": "examination"}


def act(endpoint: Endpoint, data: dict[str, Any], docket_number: str, **subject: str) -> dict[str, Any]:
    """Read the case for the token's user, then run the command (``web.commands.execute``); its
    refusals as problem details."""
    case = visible_case(docket_number, endpoint.page)
    kind = commands.COMMANDS[endpoint.command].subject
    if kind is not None:
        (name, value), = subject.items()
        if not commands.has_subject(endpoint.command, case, value):
            raise Problem("not-found", f"Case {case.docket_number} has no {SUBJECTS[kind]} {value[:20]}", name)
    if endpoint.command == "file_document":
        data = dict(data)
        content, filename = _base64(data.pop("content_base64")), data.pop("filename")
        data["upload"] = commands.document_upload(content, filename)
    try:
        return commands.execute(endpoint.command, case, {**data, **subject})
    except commands.StaleCase as stale:
        raise Problem("concurrent-change", str(stale), "expected_version") from None
    except NotFound as error:
        # The case exists (read above): what is missing is something the body names.
        raise Problem("unknown-reference", str(error), error.field or _named_field(data)) from None


def _base64(text: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise Problem("validation", "content_base64 is not base64", "content_base64", errors={"content_base64": ["Not base64."]}) from None


def _named_field(data: dict[str, Any]) -> str | None:
    return next((name for name in ("judge_id", "mediator_id", "expert_ids", "corrects_version") if name in data), None)


def _register(endpoint: Endpoint) -> None:
    def view(data: dict[str, Any], docket_number: str, **subject: str) -> dict[str, Any]:
        return act(endpoint, data, docket_number, **subject)

    view.__name__ = endpoint.command
    view.__doc__ = endpoint.summary
    errors = (*ACTION_ERRORS, 413) if endpoint.command == "file_document" else ACTION_ERRORS
    schema = commands.COMMANDS[endpoint.command].schema
    blp.post(endpoint.path)(blp.arguments(schema)(blp.response(200, s.ReceiptSchema)(blp.problems(*errors)(view))))


for _endpoint in ENDPOINTS:
    _register(_endpoint)
