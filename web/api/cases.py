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
import io
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from flask import url_for
from marshmallow import RAISE

from domain import clock
from domain.case import Case
from domain.errors import NotFound
from domain.records import plain
from projections import queries
from web.access import STAFF, visible_case
from web.api import schemas as s
from web.api.auth import current, roles
from web.api.problems import Problem
from web.api.smorest import ApiBlueprint
from web.services import services

blp = ApiBlueprint("cases", __name__, url_prefix="/api/cases", description="Cases: search, read as of any date, history, and docketing actions.")

STATE_FIELDS = tuple(s.CaseStateSchema().fields)


def case_state(case: Case, as_of: str | None) -> dict[str, Any]:
    state = {name: plain(getattr(case, name)) for name in STATE_FIELDS if hasattr(case, name) and name not in ("version", "as_of")}
    state.update(version=case.version, as_of=as_of)
    return state


def receipt(raw: dict[str, Any]) -> dict[str, Any]:
    return {k: raw.get(k) for k in ("docket_number", "version", "position", "id", "transferred_to")}


def act(docket_number: str, page: str, data: dict[str, Any], call: Callable[[Case, dict[str, Any]], dict[str, Any]]) -> dict[str, Any]:
    """Check visibility and ``expected_version``, run the docket command, wait for the read models."""
    case = visible_case(docket_number, page)
    expected = data.pop("expected_version", None)
    if expected is not None and expected != case.version:
        raise Problem("concurrent-change", f"Case {case.docket_number} is at version {case.version}, not {expected}: read it again", "expected_version")
    try:
        done = call(case, data)
    except NotFound as error:
        # The case exists (checked above): what is missing is something the body names.
        raise Problem("unknown-reference", str(error), error.field or _named_field(data)) from None
    services().caught_up(done.get("position"))
    return receipt(done)


def _named_field(data: dict[str, Any]) -> str | None:
    return next((name for name in ("judge_id", "mediator_id", "expert_ids", "corrects_version") if name in data), None)


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
            return case_state(shown, f"version {args['version']}")
        if moment is not None:
            if isinstance(moment, datetime) and moment > clock.now():
                moment = clock.now()
            shown = docket.case_as_of(case.docket_number, moment)
            return case_state(shown, moment.isoformat())
    except NotFound as error:
        raise Problem("not-found", str(error), error.field) from None
    return case_state(case, None)


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
@blp.arguments(s.CaseFilingSchema)
@blp.response(201, s.ReceiptSchema)
@blp.problems(400, 401, 403, 409, 422)
def file_case(data: dict[str, Any]) -> tuple[dict[str, Any], int, dict[str, str]]:
    """Docket a new case under the next number of its court, year and track (R13)"""
    done = services().docket.file_case(**data, actor=current().actor)
    services().caught_up(done.get("position"))
    return receipt(done), 201, {"Location": url_for("cases.detail", docket_number=done["docket_number"])}


# --- actions on a case -------------------------------------------------------------------------------------------------


ACTION_ERRORS = (400, 401, 403, 404, 409, 422)


@blp.post("/<docket_number>/documents")
@blp.arguments(s.DocumentSchema)
@blp.response(200, s.ReceiptSchema)
@blp.problems(*ACTION_ERRORS, 413)
def file_document(data: dict[str, Any], docket_number: str) -> dict[str, Any]:
    """File a document (the file itself base64-encoded); it is stored under its sha256"""
    try:
        content = base64.b64decode(data.pop("content_base64"), validate=True)
    except (binascii.Error, ValueError):
        raise Problem("validation", "content_base64 is not base64", "content_base64", errors={"content_base64": ["Not base64."]}) from None

    def call(case: Case, values: dict[str, Any]) -> dict[str, Any]:
        # The file stays staged (encrypted, out of the store) until the filing is recorded.
        with services().documents.stage(io.BytesIO(content), values.pop("filename"), values.pop("sha256", None)) as staged:
            done = services().docket.file_document(
                case.docket_number, sha256=staged.sha256, size=staged.size, media_type=staged.media_type, actor=current().actor, **values,
            )
            staged.commit()
        return done

    return act(docket_number, "documents", data, call)


@blp.post("/<docket_number>/corrections")
@blp.arguments(s.CorrectionSchema)
@blp.response(200, s.ReceiptSchema)
@blp.problems(*ACTION_ERRORS)
def correct_entry(data: dict[str, Any], docket_number: str) -> dict[str, Any]:
    """Correct an earlier entry; the original stays in the history"""
    return act(docket_number, "corrections", data, lambda case, v: services().docket.correct_entry(
        case.docket_number, corrects_version=v["corrects_version"], reason=v["reason"], corrections=v["corrections"], actor=current().actor,
    ))


@blp.post("/<docket_number>/judge")
@blp.arguments(s.AssignJudgeSchema)
@blp.response(200, s.ReceiptSchema)
@blp.problems(*ACTION_ERRORS)
def assign_judge(data: dict[str, Any], docket_number: str) -> dict[str, Any]:
    """Assign a judge"""
    return act(docket_number, "judge", data, lambda case, v: services().docket.assign_judge(case.docket_number, v["judge_id"], current().actor))


@blp.post("/<docket_number>/judge/recusal")
@blp.arguments(s.ReasonSchema)
@blp.response(200, s.ReceiptSchema)
@blp.problems(*ACTION_ERRORS)
def recuse_judge(data: dict[str, Any], docket_number: str) -> dict[str, Any]:
    """Record the judge's recusal (their hearings in the case are cancelled)"""
    return act(docket_number, "judge", data, lambda case, v: services().docket.recuse_judge(case.docket_number, v["reason"], current().actor))


@blp.post("/<docket_number>/examinations")
@blp.arguments(s.ExaminationSchema)
@blp.response(200, s.ReceiptSchema)
@blp.problems(*ACTION_ERRORS)
def order_examination(data: dict[str, Any], docket_number: str) -> dict[str, Any]:
    """Order an expert examination (R6: the experts must be independent)"""
    return act(docket_number, "examinations", data, lambda case, v: services().docket.order_examination(
        case.docket_number, kind=v["kind"], questions=v["questions"], expert_ids=v["expert_ids"], due_on=v["due_on"], actor=current().actor,
    ))


def _examination(case: Case, examination_id: str) -> None:
    if examination_id not in case.examinations:
        raise Problem("not-found", f"Case {case.docket_number} has no examination {examination_id[:20]}", "examination_id")


@blp.post("/<docket_number>/examinations/<examination_id>/report")
@blp.arguments(s.ReportSchema)
@blp.response(200, s.ReceiptSchema)
@blp.problems(*ACTION_ERRORS)
def submit_report(data: dict[str, Any], docket_number: str, examination_id: str) -> dict[str, Any]:
    """Record the expert report of an examination"""

    def call(case: Case, v: dict[str, Any]) -> dict[str, Any]:
        _examination(case, examination_id)
        return services().docket.submit_expert_report(case.docket_number, examination_id=examination_id, actor=current().actor, **v)

    return act(docket_number, "examination", data, call)


@blp.post("/<docket_number>/examinations/<examination_id>/withdrawal")
@blp.arguments(s.ReasonSchema)
@blp.response(200, s.ReceiptSchema)
@blp.problems(*ACTION_ERRORS)
def withdraw_examination(data: dict[str, Any], docket_number: str, examination_id: str) -> dict[str, Any]:
    """Withdraw an examination (e.g. a conflict was discovered)"""

    def call(case: Case, v: dict[str, Any]) -> dict[str, Any]:
        _examination(case, examination_id)
        return services().docket.withdraw_examination(case.docket_number, examination_id, v["reason"], current().actor)

    return act(docket_number, "examination", data, call)


@blp.post("/<docket_number>/hearings")
@blp.arguments(s.HearingSchema)
@blp.response(200, s.ReceiptSchema)
@blp.problems(*ACTION_ERRORS)
def schedule_hearing(data: dict[str, Any], docket_number: str) -> dict[str, Any]:
    """Schedule a hearing (R7: a judge, a future start, no double booking)"""
    return act(docket_number, "hearings", data, lambda case, v: services().docket.schedule_hearing(
        case.docket_number, starts_at=v["starts_at"], courtroom=v["courtroom"], purpose=v["purpose"],
        duration_minutes=v["duration_minutes"], actor=current().actor,
    ))


def _hearing(case: Case, hearing_id: str) -> None:
    if hearing_id not in case.hearings:
        raise Problem("not-found", f"Case {case.docket_number} has no hearing {hearing_id[:20]}", "hearing_id")


@blp.post("/<docket_number>/hearings/<hearing_id>/reschedule")
@blp.arguments(s.RescheduleSchema)
@blp.response(200, s.ReceiptSchema)
@blp.problems(*ACTION_ERRORS)
def reschedule_hearing(data: dict[str, Any], docket_number: str, hearing_id: str) -> dict[str, Any]:
    """Move a scheduled hearing to a new time"""

    def call(case: Case, v: dict[str, Any]) -> dict[str, Any]:
        _hearing(case, hearing_id)
        return services().docket.reschedule_hearing(case.docket_number, hearing_id, starts_at=v["starts_at"], reason=v["reason"], actor=current().actor)

    return act(docket_number, "hearing", data, call)


@blp.post("/<docket_number>/hearings/<hearing_id>/held")
@blp.arguments(s.MinutesSchema)
@blp.response(200, s.ReceiptSchema)
@blp.problems(*ACTION_ERRORS)
def hold_hearing(data: dict[str, Any], docket_number: str, hearing_id: str) -> dict[str, Any]:
    """Record that a hearing was held, with a summary of its minutes"""

    def call(case: Case, v: dict[str, Any]) -> dict[str, Any]:
        _hearing(case, hearing_id)
        return services().docket.hold_hearing(case.docket_number, hearing_id, minutes_summary=v["minutes_summary"], actor=current().actor)

    return act(docket_number, "hearing", data, call)


@blp.post("/<docket_number>/hearings/<hearing_id>/cancellation")
@blp.arguments(s.ReasonSchema)
@blp.response(200, s.ReceiptSchema)
@blp.problems(*ACTION_ERRORS)
def cancel_hearing(data: dict[str, Any], docket_number: str, hearing_id: str) -> dict[str, Any]:
    """Cancel a scheduled hearing"""

    def call(case: Case, v: dict[str, Any]) -> dict[str, Any]:
        _hearing(case, hearing_id)
        return services().docket.cancel_hearing(case.docket_number, hearing_id, reason=v["reason"], actor=current().actor)

    return act(docket_number, "hearing", data, call)


@blp.post("/<docket_number>/mediation")
@blp.arguments(s.MediationReferralSchema)
@blp.response(200, s.ReceiptSchema)
@blp.problems(*ACTION_ERRORS)
def refer_to_mediation(data: dict[str, Any], docket_number: str) -> dict[str, Any]:
    """Refer the case to mediation (R10: civil cases; reconciliation in criminal ones)"""
    return act(docket_number, "mediation", data, lambda case, v: services().docket.refer_to_mediation(
        case.docket_number, mediator_id=v["mediator_id"], due_on=v["due_on"], actor=current().actor,
    ))


@blp.post("/<docket_number>/mediation/conclusion")
@blp.arguments(s.MediationOutcomeSchema)
@blp.response(200, s.ReceiptSchema)
@blp.problems(*ACTION_ERRORS)
def conclude_mediation(data: dict[str, Any], docket_number: str) -> dict[str, Any]:
    """Record how the open mediation ended"""
    return act(docket_number, "mediation", data, lambda case, v: services().docket.conclude_mediation(
        case.docket_number, outcome=v["outcome"], concluded_on=v["concluded_on"], actor=current().actor,
    ))


@blp.post("/<docket_number>/ruling")
@blp.arguments(s.RulingSchema)
@blp.response(200, s.ReceiptSchema)
@blp.problems(*ACTION_ERRORS)
def issue_ruling(data: dict[str, Any], docket_number: str) -> dict[str, Any]:
    """Issue the final ruling of first instance (the assigned judge only)"""

    def call(case: Case, v: dict[str, Any]) -> dict[str, Any]:
        user = current()
        if user.role != "judge" or not user.judge_id or user.judge_id != case.judge_id:
            raise Problem("permission-denied", "Only the judge assigned to the case may rule in it")
        draft = dict(v)
        draft["compensation"] = {head: amount for head, amount in (v.get("compensation") or {}).items() if amount is not None}
        draft["contributory_fault_pct"] = str(v.get("contributory_fault_pct") or 0)
        return services().docket.issue_ruling(case.docket_number, draft, user.actor)

    return act(docket_number, "ruling", data, call)


@blp.post("/<docket_number>/appeals")
@blp.arguments(s.AppealSchema)
@blp.response(200, s.ReceiptSchema)
@blp.problems(*ACTION_ERRORS)
def file_appeal(data: dict[str, Any], docket_number: str) -> dict[str, Any]:
    """File an appeal against the ruling (within the appeal window, R8)"""
    return act(docket_number, "appeals", data, lambda case, v: services().docket.file_appeal(
        case.docket_number, filed_on=v["filed_on"], appellant=v["appellant"], actor=current().actor,
    ))


@blp.post("/<docket_number>/appeals/decision")
@blp.arguments(s.AppealDecisionSchema)
@blp.response(200, s.ReceiptSchema)
@blp.problems(*ACTION_ERRORS)
def decide_appeal(data: dict[str, Any], docket_number: str) -> dict[str, Any]:
    """Record the appellate decision (a remand reopens the case)"""
    return act(docket_number, "appeals", data, lambda case, v: services().docket.decide_appeal(
        case.docket_number, outcome=v["outcome"], decided_on=v["decided_on"], actor=current().actor,
    ))


@blp.post("/<docket_number>/legal-force")
@blp.arguments(s.ActionSchema)
@blp.response(200, s.ReceiptSchema)
@blp.problems(*ACTION_ERRORS)
def enter_into_force(data: dict[str, Any], docket_number: str) -> dict[str, Any]:
    """Record that the ruling entered into legal force (the appeal window closed); `id` is the date"""
    return act(docket_number, "legal-force", data, lambda case, v: services().docket.enter_into_force(case.docket_number, current().actor))


@blp.post("/<docket_number>/reopening")
@blp.arguments(s.ReopenSchema)
@blp.response(200, s.ReceiptSchema)
@blp.problems(*ACTION_ERRORS)
def reopen_case(data: dict[str, Any], docket_number: str) -> dict[str, Any]:
    """Reopen the case (remand, or the ruling set aside)"""
    return act(docket_number, "reopening", data, lambda case, v: services().docket.reopen_case(
        case.docket_number, reopened_on=v["reopened_on"], reason=v["reason"], actor=current().actor,
    ))


@blp.post("/<docket_number>/seal")
@blp.arguments(s.SealSchema)
@blp.response(200, s.ReceiptSchema)
@blp.problems(*ACTION_ERRORS)
def seal_case(data: dict[str, Any], docket_number: str) -> dict[str, Any]:
    """Seal the case (R11)"""
    return act(docket_number, "seal", data, lambda case, v: services().docket.seal_case(case.docket_number, reason=v["reason"], actor=current().actor))


@blp.post("/<docket_number>/unseal")
@blp.arguments(s.ReasonSchema)
@blp.response(200, s.ReceiptSchema)
@blp.problems(*ACTION_ERRORS)
def unseal_case(data: dict[str, Any], docket_number: str) -> dict[str, Any]:
    """Unseal the case"""
    return act(docket_number, "seal", data, lambda case, v: services().docket.unseal_case(case.docket_number, reason=v["reason"], actor=current().actor))
