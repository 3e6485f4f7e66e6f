"""The clerks' pages: case search and intake, the case page and every docketing action, the calendar.

Each action is a small form on its own page: the view parses it with its schema,
calls one docket service, and either redirects to the case (after the write is
visible) or shows the form again, as typed, with the messages next to the fields.
Every case form carries the case version it was shown at; if the case changed
in between, the form is shown again with what changed, before anything is written.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from marshmallow import ValidationError
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.wrappers import Response

from domain import clock
from domain.case import Case
from domain.errors import DomainError, InvalidValue
from domain.permissions import PERMISSIONS, may
from domain.views import CaseView
from domain.vocabulary import CORRECTABLE, COURTS, TRACKS
from projections import queries
from web import schemas
from web.access import CASE_WORK, STAFF, is_assigned_judge, roles_required, viewer, visible_case
from web.commands import COMMANDS, StaleCase, execute, file_case
from web.documents import extension_for
from web.forms import FormState, status_for
from web.services import services

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable


bp = Blueprint("docket", __name__)

RESPONDENT_ROWS = 3


def roles_for(*actions: str) -> tuple[str, ...]:
    """The roles that may take any of ``actions`` (domain.permissions is the one table)."""
    return tuple(sorted(set().union(*(PERMISSIONS[a] for a in actions)) - {"system"}))


@bp.app_context_processor
def permissions_context() -> dict[str, Any]:
    def can(action: str) -> bool:
        return bool(current_user.is_authenticated and may(current_user.role, action))

    return {"can": can}


# --- the generic form flow -----------------------------------------------------------------------------


def changes_since(case: Case, version: int) -> list[dict[str, Any]]:
    return services().docket.case_history(case.docket_number)[version:]


def submit(
    case: Case,
    form: FormState,
    command: str,
    *,
    success: str,
    aliases: dict[str, str] | None = None,
    extra: dict[str, Any] | None = None,
    before: Callable[[dict[str, Any]], None] | None = None,
) -> tuple[Response | None, int]:
    """Run ``command`` (``web.commands``) from its form: parse with the command's schema, then
    ``execute`` it (``extra``: what the form's path names, e.g. the hearing). Returns (redirect, 303)
    on success, else (None, status) with the messages added to ``form``."""
    try:
        data = schemas.load_form(COMMANDS[command].schema, form.nested(), exclude=form_excludes(command))
        if before is not None:
            before(data)
        execute(command, case, {**data, **(extra or {})})
    except ValidationError as error:
        form.add_validation(error.messages)
        return None, 422
    except StaleCase as stale:
        form.stale(case.version, changes_since(case, stale.expected))
        return None, 409
    except DomainError as error:
        form.add_domain(error, aliases)
        return None, status_for(error)
    flash(success, "success")
    return redirect(url_for("docket.case", docket_number=case.docket_number), code=303), 303


def form_excludes(command: str) -> tuple[str, ...]:
    """The command's fields a form does not send (a document's file comes as an upload)."""
    return tuple(getattr(COMMANDS[command].schema, "FORM_EXCLUDES", ()))


def fresh(case: Case, **defaults: Any) -> FormState:
    return FormState(values={"expected_version": str(case.version), **{k: str(v) for k, v in defaults.items()}})


def posted(names: Iterable[str]) -> FormState:
    form = FormState.from_request()
    form.fields = set(names)
    return form


# --- search and intake ------------------------------------------------------------------------------------


@bp.get("/cases")
@roles_required(*STAFF)
def cases() -> str:
    args = request.args
    court = args.get("court", "") if args.get("court", "") in COURTS else ""
    track = args.get("track", "") if args.get("track", "") in TRACKS else ""
    status = args.get("status", "") if args.get("status", "") in ("pending", "decided", "appealed", "in_force") else ""
    page_number = schemas.parse_page_arg(args.get("page"))
    with services().read() as conn:
        page = queries.search_cases(
            conn, viewer(), text=args.get("q", "")[:200], court=court or None, track=track or None, status=status or None,
            judge_id=(current_user.judge_id if args.get("mine") and current_user.role == "judge" else None),
            page=page_number, per_page=current_app.config["PER_PAGE"],
        )
    return render_template("docket/cases.html", page=page, q=args.get("q", ""), court=court, track=track, status=status)


# The intake form's fields: every field of the filing command (three respondent rows), and the groups
# the form shows messages for as a whole.
INTAKE_FIELDS = {*schemas.field_names(schemas.CaseFilingSchema, rows=RESPONDENT_ROWS), "respondents", "authority", "claimed", "representatives"}


@bp.route("/cases/new", methods=["GET", "POST"])
@roles_required(*roles_for("file_case"))
def new_case() -> Any:
    if request.method == "GET":
        form = FormState(values={"court": current_user.court or "", "received_on": clock.today().isoformat(), "claimant.relation": "patient"})
        return render_template("docket/new_case.html", f=form, rows=RESPONDENT_ROWS)
    form = posted(INTAKE_FIELDS)
    form.aliases = {"claimant": "claimant.name", "respondents": "respondents.0.name"}
    try:
        receipt = file_case(schemas.load_form(schemas.CaseFilingSchema, form.nested()))
    except ValidationError as error:
        form.add_validation(error.messages)
        return render_template("docket/new_case.html", f=form, rows=RESPONDENT_ROWS), 422
    except DomainError as error:
        form.add_domain(error)
        return render_template("docket/new_case.html", f=form, rows=RESPONDENT_ROWS), status_for(error)
    flash(_("Case %(number)s is on the docket.", number=receipt["docket_number"]), "success")
    return redirect(url_for("docket.case", docket_number=receipt["docket_number"]), code=303)


# --- the case ------------------------------------------------------------------------------------------------


@bp.get("/cases/<docket_number>")
@roles_required(*STAFF)
def case(docket_number: str) -> Any:
    found = visible_case(docket_number, "case")
    if found.docket_number != docket_number:
        return redirect(url_for("docket.case", docket_number=found.docket_number), code=301)
    views = services().accounts.sealed_views(found.docket_number) if current_user.role == "admin" else []
    shown = CaseView.of(found)
    rulebook = None
    try:
        rulebook = services().docket.rulebook_on(shown.ruling.decided_on) if shown.ruling else None
    except DomainError:
        rulebook = None
    return render_template(
        "docket/case.html", case=shown, sealed_views=views, now=clock.now(), today=clock.today(),
        appeal_deadline=found.appeal_deadline(rulebook) if rulebook else None, assigned_judge=is_assigned_judge(found),
    )


# --- documents ------------------------------------------------------------------------------------------------

DOCUMENT_FIELDS = {"file", "kind", "title", "filed_by", "received_on", "sha256", "expected_version"}


@bp.route("/cases/<docket_number>/documents/new", methods=["GET", "POST"])
@roles_required(*roles_for("file_document"))
def new_document(docket_number: str) -> Any:
    found = visible_case(docket_number, "documents/new")
    limit_mb = current_app.config["MAX_UPLOAD_BYTES"] // (1024 * 1024)
    if request.method == "GET":
        form = fresh(found, received_on=clock.today().isoformat())
        return render_template("docket/new_document.html", case=CaseView.of(found), f=form, limit_mb=limit_mb)
    try:
        form = posted(DOCUMENT_FIELDS)
        upload = request.files.get("file")
    except RequestEntityTooLarge:
        form = FormState(fields=DOCUMENT_FIELDS)
        form.add("file", _("The file is larger than the limit of %(mb)d MB.", mb=limit_mb))
        return render_template("docket/new_document.html", case=CaseView.of(found), f=form, limit_mb=limit_mb), 413
    extra = {"upload": (upload.stream, upload.filename)} if upload is not None and upload.filename else {}

    def has_file(_data: dict[str, Any]) -> None:
        if not extra:
            raise InvalidValue(_("Choose the file to upload."), field="file")

    response, status = submit(found, form, "file_document", extra=extra, before=has_file, success=_("The document was filed."))
    if response is not None:
        return response
    if upload is not None and upload.filename:
        form.add("file", _("Choose the file again: a browser does not keep it after a refused submission."))
    return render_template("docket/new_document.html", case=CaseView.of(found), f=form, limit_mb=limit_mb), status


@bp.get("/cases/<docket_number>/documents/<document_id>")
@roles_required(*CASE_WORK)
def download(docket_number: str, document_id: str) -> Response:
    found = visible_case(docket_number, f"document {document_id}"[:64])
    document = CaseView.of(found).document(document_id)
    if document is None:
        abort(404)
    chunks = services().documents.iter_bytes(document.sha256)
    first = next(chunks, b"")  # verifies the checksum before anything is sent

    def body() -> Iterable[bytes]:
        yield first
        yield from chunks

    filename = f"{found.docket_number}-{document_id}{extension_for(document.media_type)}"
    response = Response(body(), mimetype=document.media_type)
    response.headers["Content-Length"] = str(document.size)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


# --- judges -----------------------------------------------------------------------------------------------------

ASSIGN_FIELDS = {"judge_id", "expected_version"}
RECUSE_FIELDS = {"reason", "expected_version"}


def _judge_page(found: Case, assign: FormState, recuse: FormState, status: int = 200) -> tuple[str, int]:
    today = clock.today()
    shown = CaseView.of(found)
    exclude = [*shown.recused_judges, *([shown.judge_id] if shown.judge_id else [])]
    with services().read() as conn:
        suggestion = queries.suggest_judge(conn, shown.court, on=today, exclude=exclude)
        candidates = [j for j in queries.list_judges(conn, court=shown.court, on=today) if j["certified"] and j["judge_id"] not in exclude]
    if suggestion and not assign.get("judge_id"):
        assign.values["judge_id"] = suggestion["judge_id"]
    return render_template(
        "docket/judge.html", case=shown, assign=assign, recuse=recuse, suggestion=suggestion, candidates=candidates, today=today,
    ), status


@bp.get("/cases/<docket_number>/judge")
@roles_required(*roles_for("assign_judge", "recuse_judge"))
def judge(docket_number: str) -> tuple[str, int]:
    found = visible_case(docket_number, "judge")
    return _judge_page(found, fresh(found), fresh(found))


@bp.post("/cases/<docket_number>/judge")
@roles_required(*roles_for("assign_judge"))
def assign_judge(docket_number: str) -> Any:
    found = visible_case(docket_number, "judge")
    form = posted(ASSIGN_FIELDS)
    response, status = submit(
        found, form, "assign_judge",
        success=_("The judge was assigned."), aliases={"judge": "judge_id"},
    )
    return response or _judge_page(found, form, fresh(found), status)


@bp.post("/cases/<docket_number>/judge/recuse")
@roles_required(*roles_for("recuse_judge"))
def recuse_judge(docket_number: str) -> Any:
    found = visible_case(docket_number, "judge")
    form = posted(RECUSE_FIELDS)
    response, status = submit(
        found, form, "recuse_judge",
        success=_("The recusal was recorded; the judge's hearings in this case were cancelled."),
    )
    return response or _judge_page(found, fresh(found), form, status)


# --- hearings -------------------------------------------------------------------------------------------------

HEARING_FIELDS = {"date", "time", "duration_minutes", "courtroom", "purpose", "expected_version"}


@bp.route("/cases/<docket_number>/hearings/new", methods=["GET", "POST"])
@roles_required(*roles_for("schedule_hearing"))
def new_hearing(docket_number: str) -> Any:
    found = visible_case(docket_number, "hearings/new")
    if request.method == "GET":
        tomorrow = clock.today() + timedelta(days=1)
        form = fresh(found, date=tomorrow.isoformat(), time="10:00", duration_minutes=60)
        return render_template("docket/new_hearing.html", case=CaseView.of(found), f=form)
    form = posted(HEARING_FIELDS)
    response, status = submit(found, form, "schedule_hearing", success=_("The hearing was scheduled."), aliases={"starts_at": "date", "judge": "date"})
    return response or (render_template("docket/new_hearing.html", case=CaseView.of(found), f=form), status)


def _hearing_page(found: Case, hearing_id: str, forms: dict[str, FormState], status: int = 200) -> tuple[str, int]:
    case = CaseView.of(found)
    hearing = case.hearing(hearing_id)
    if hearing is None:
        abort(404)
    local = hearing.starts_at.astimezone(clock.COURT_TZ)
    forms.setdefault("reschedule", fresh(found, date=local.date().isoformat(), time=local.strftime("%H:%M")))
    forms.setdefault("hold", fresh(found))
    forms.setdefault("cancel", fresh(found))
    return render_template("docket/hearing.html", case=case, hearing=hearing, forms=forms, now=clock.now()), status


@bp.get("/cases/<docket_number>/hearings/<hearing_id>")
@roles_required(*roles_for("reschedule_hearing", "hold_hearing", "cancel_hearing"))
def hearing(docket_number: str, hearing_id: str) -> tuple[str, int]:
    found = visible_case(docket_number, "hearing")
    return _hearing_page(found, hearing_id, {})


@bp.post("/cases/<docket_number>/hearings/<hearing_id>/reschedule")
@roles_required(*roles_for("reschedule_hearing"))
def reschedule_hearing(docket_number: str, hearing_id: str) -> Any:
    found = visible_case(docket_number, "hearing")
    if CaseView.of(found).hearing(hearing_id) is None:
        abort(404)
    form = posted({"date", "time", "reason", "expected_version"})
    response, status = submit(
        found, form, "reschedule_hearing", extra={"hearing_id": hearing_id}, success=_("The hearing was rescheduled."),
        aliases={"starts_at": "date", "judge": "date"},
    )
    return response or _hearing_page(found, hearing_id, {"reschedule": form}, status)


@bp.post("/cases/<docket_number>/hearings/<hearing_id>/hold")
@roles_required(*roles_for("hold_hearing"))
def hold_hearing(docket_number: str, hearing_id: str) -> Any:
    found = visible_case(docket_number, "hearing")
    if CaseView.of(found).hearing(hearing_id) is None:
        abort(404)
    form = posted({"minutes_summary", "expected_version"})
    response, status = submit(
        found, form, "hold_hearing", extra={"hearing_id": hearing_id},
        success=_("The hearing was recorded as held."), aliases={"hearing_id": "minutes_summary"},
    )
    return response or _hearing_page(found, hearing_id, {"hold": form}, status)


@bp.post("/cases/<docket_number>/hearings/<hearing_id>/cancel")
@roles_required(*roles_for("cancel_hearing"))
def cancel_hearing(docket_number: str, hearing_id: str) -> Any:
    found = visible_case(docket_number, "hearing")
    if CaseView.of(found).hearing(hearing_id) is None:
        abort(404)
    form = posted({"reason", "expected_version"})
    response, status = submit(
        found, form, "cancel_hearing", extra={"hearing_id": hearing_id},
        success=_("The hearing was cancelled."), aliases={"hearing_id": "reason"},
    )
    return response or _hearing_page(found, hearing_id, {"cancel": form}, status)


# --- expert examinations ------------------------------------------------------------------------------------------

EXAMINATION_FIELDS = {"kind", "questions", "expert_ids", "due_on", "expected_version"}


def _experts_for(found: Case) -> list[dict[str, Any]]:
    with services().read() as conn:
        experts = queries.list_experts(conn)
    # Experts of the case's specialty first.
    return sorted(experts, key=lambda e: (found.specialty not in e["specialties"], e["name"]))


@bp.route("/cases/<docket_number>/examinations/new", methods=["GET", "POST"])
@roles_required(*roles_for("order_examination"))
def new_examination(docket_number: str) -> Any:
    found = visible_case(docket_number, "examinations/new")
    experts = _experts_for(found)
    if request.method == "GET":
        form = fresh(found, kind="forensic_medical", due_on=(clock.today() + timedelta(days=30)).isoformat())
        return render_template("docket/new_examination.html", case=CaseView.of(found), f=form, experts=experts)
    form = posted(EXAMINATION_FIELDS)
    response, status = submit(
        found, form, "order_examination",
        success=_("The examination was ordered."), aliases={"experts": "expert_ids", "judge": "kind", "questions": "questions"},
    )
    return response or (render_template("docket/new_examination.html", case=CaseView.of(found), f=form, experts=experts), status)


def _examination_page(found: Case, examination_id: str, forms: dict[str, FormState], status: int = 200) -> tuple[str, int]:
    case = CaseView.of(found)
    examination = case.examination(examination_id)
    if examination is None:
        abort(404)
    forms.setdefault("report", fresh(found, received_on=clock.today().isoformat()))
    forms.setdefault("withdraw", fresh(found))
    return render_template("docket/examination.html", case=case, examination=examination, forms=forms, today=clock.today()), status


@bp.get("/cases/<docket_number>/examinations/<examination_id>")
@roles_required(*roles_for("submit_expert_report", "withdraw_examination"))
def examination(docket_number: str, examination_id: str) -> tuple[str, int]:
    found = visible_case(docket_number, "examination")
    return _examination_page(found, examination_id, {})


@bp.post("/cases/<docket_number>/examinations/<examination_id>/report")
@roles_required(*roles_for("submit_expert_report"))
def submit_report(docket_number: str, examination_id: str) -> Any:
    found = visible_case(docket_number, "examination")
    if CaseView.of(found).examination(examination_id) is None:
        abort(404)
    form = posted({"received_on", "standard_of_care_met", "causation", "harm_found", "summary", "document_id", "expected_version"})
    response, status = submit(
        found, form, "submit_expert_report", extra={"examination_id": examination_id},
        success=_("The expert report was recorded."), aliases={"examination_id": "received_on"},
    )
    return response or _examination_page(found, examination_id, {"report": form}, status)


@bp.post("/cases/<docket_number>/examinations/<examination_id>/withdraw")
@roles_required(*roles_for("withdraw_examination"))
def withdraw_examination(docket_number: str, examination_id: str) -> Any:
    found = visible_case(docket_number, "examination")
    if CaseView.of(found).examination(examination_id) is None:
        abort(404)
    form = posted({"reason", "expected_version"})
    response, status = submit(
        found, form, "withdraw_examination", extra={"examination_id": examination_id},
        success=_("The examination was withdrawn."), aliases={"examination_id": "reason"},
    )
    return response or _examination_page(found, examination_id, {"withdraw": form}, status)


# --- mediation ------------------------------------------------------------------------------------------------------


def _mediation_page(found: Case, forms: dict[str, FormState], status: int = 200) -> tuple[str, int]:
    forms.setdefault("refer", fresh(found, due_on=(clock.today() + timedelta(days=30)).isoformat()))
    forms.setdefault("conclude", fresh(found, concluded_on=clock.today().isoformat()))
    with services().read() as conn:
        mediators = queries.list_mediators(conn, court=found.court) or queries.list_mediators(conn)
    case = CaseView.of(found)
    return render_template("docket/mediation.html", case=case, forms=forms, mediators=mediators, open_mediation=case.open_mediation()), status


@bp.get("/cases/<docket_number>/mediation")
@roles_required(*roles_for("refer_to_mediation", "conclude_mediation"))
def mediation(docket_number: str) -> tuple[str, int]:
    return _mediation_page(visible_case(docket_number, "mediation"), {})


@bp.post("/cases/<docket_number>/mediation/refer")
@roles_required(*roles_for("refer_to_mediation"))
def refer_to_mediation(docket_number: str) -> Any:
    found = visible_case(docket_number, "mediation")
    form = posted({"mediator_id", "due_on", "expected_version"})
    response, status = submit(
        found, form, "refer_to_mediation",
        success=_("The case was referred to mediation."), aliases={"mediator": "mediator_id"},
    )
    return response or _mediation_page(found, {"refer": form}, status)


@bp.post("/cases/<docket_number>/mediation/conclude")
@roles_required(*roles_for("conclude_mediation"))
def conclude_mediation(docket_number: str) -> Any:
    found = visible_case(docket_number, "mediation")
    form = posted({"outcome", "concluded_on", "expected_version"})
    response, status = submit(
        found, form, "conclude_mediation",
        success=_("The mediation's outcome was recorded."),
    )
    return response or _mediation_page(found, {"conclude": form}, status)


# --- appeals, legal force, reopening ---------------------------------------------------------------------------------


def _appeals_page(found: Case, forms: dict[str, FormState], status: int = 200) -> tuple[str, int]:
    today = clock.today().isoformat()
    forms.setdefault("file", fresh(found, filed_on=today))
    forms.setdefault("decide", fresh(found, decided_on=today))
    forms.setdefault("force", fresh(found))
    forms.setdefault("reopen", fresh(found, reopened_on=today))
    shown = CaseView.of(found)
    deadline = None
    if shown.ruling:
        try:
            deadline = found.appeal_deadline(services().docket.rulebook_on(shown.ruling.decided_on))
        except DomainError:
            deadline = None
    return render_template("docket/appeals.html", case=shown, forms=forms, deadline=deadline), status


@bp.get("/cases/<docket_number>/appeals")
@roles_required(*roles_for("file_appeal", "decide_appeal", "enter_into_force", "reopen_case"))
def appeals(docket_number: str) -> tuple[str, int]:
    return _appeals_page(visible_case(docket_number, "appeals"), {})


@bp.post("/cases/<docket_number>/appeals/file")
@roles_required(*roles_for("file_appeal"))
def file_appeal(docket_number: str) -> Any:
    found = visible_case(docket_number, "appeals")
    form = posted({"filed_on", "appellant", "expected_version"})
    response, status = submit(
        found, form, "file_appeal",
        success=_("The appeal was filed."),
    )
    return response or _appeals_page(found, {"file": form}, status)


@bp.post("/cases/<docket_number>/appeals/decide")
@roles_required(*roles_for("decide_appeal"))
def decide_appeal(docket_number: str) -> Any:
    found = visible_case(docket_number, "appeals")
    form = posted({"outcome", "decided_on", "expected_version"})
    response, status = submit(
        found, form, "decide_appeal",
        success=_("The appeal decision was recorded."),
    )
    return response or _appeals_page(found, {"decide": form}, status)


@bp.post("/cases/<docket_number>/force")
@roles_required(*roles_for("enter_into_force"))
def enter_into_force(docket_number: str) -> Any:
    found = visible_case(docket_number, "appeals")
    form = posted({"expected_version"})
    response, status = submit(
        found, form, "enter_into_force",
        success=_("The ruling entered into legal force."),
    )
    return response or _appeals_page(found, {"force": form}, status)


@bp.post("/cases/<docket_number>/reopen")
@roles_required(*roles_for("reopen_case"))
def reopen_case(docket_number: str) -> Any:
    found = visible_case(docket_number, "appeals")
    form = posted({"reopened_on", "reason", "expected_version"})
    response, status = submit(
        found, form, "reopen_case",
        success=_("The case was reopened."),
    )
    return response or _appeals_page(found, {"reopen": form}, status)


# --- corrections ----------------------------------------------------------------------------------------------------------


@bp.route("/cases/<docket_number>/corrections/new", methods=["GET", "POST"])
@roles_required(*roles_for("correct_entry"))
def new_correction(docket_number: str) -> Any:
    found = visible_case(docket_number, "corrections/new")
    entries = [r for r in services().docket.case_history(found.docket_number) if r["type"] in CORRECTABLE]
    context = {"case": CaseView.of(found), "entries": entries, "correctable": CORRECTABLE}
    if request.method == "GET":
        version = request.args.get("version", "")
        return render_template("docket/new_correction.html", f=fresh(found, corrects_version=version), **context)
    form = posted({"corrects_version", "reason", "field", "value", "expected_version"})
    response, status = submit(
        found, form, "correct_entry",
        success=_("The correction was recorded; the original entry stays in the history."), aliases={"corrections": "value"},
    )
    return response or (render_template("docket/new_correction.html", f=form, **context), status)


# --- sealing ----------------------------------------------------------------------------------------------------------------


def _seal_page(found: Case, forms: dict[str, FormState], status: int = 200) -> tuple[str, int]:
    forms.setdefault("seal", fresh(found))
    forms.setdefault("unseal", fresh(found))
    return render_template("docket/seal.html", case=CaseView.of(found), forms=forms), status


@bp.get("/cases/<docket_number>/seal")
@roles_required(*roles_for("seal_case", "unseal_case"))
def seal(docket_number: str) -> tuple[str, int]:
    return _seal_page(visible_case(docket_number, "seal"), {})


@bp.post("/cases/<docket_number>/seal")
@roles_required(*roles_for("seal_case"))
def seal_case(docket_number: str) -> Any:
    found = visible_case(docket_number, "seal")
    form = posted({"reason", "expected_version"})
    response, status = submit(
        found, form, "seal_case",
        success=_("The case is sealed."),
    )
    return response or _seal_page(found, {"seal": form}, status)


@bp.post("/cases/<docket_number>/unseal")
@roles_required(*roles_for("unseal_case"))
def unseal_case(docket_number: str) -> Any:
    found = visible_case(docket_number, "seal")
    form = posted({"reason", "expected_version"})
    response, status = submit(
        found, form, "unseal_case",
        success=_("The case is no longer sealed."),
    )
    return response or _seal_page(found, {"unseal": form}, status)


# --- the court calendar ---------------------------------------------------------------------------------------------------


@bp.get("/calendar")
@roles_required(*CASE_WORK)
def calendar() -> str:
    args = request.args
    view = "day" if args.get("view") == "day" else "week"
    chosen = schemas.parse_date_arg(args.get("day"))
    bad_day = bool(args.get("day")) and chosen is None
    anchor = chosen or clock.today()
    court = str(args.get("court")) if args.get("court") in COURTS else str(current_user.court or "ALA")
    mine = bool(args.get("mine")) and current_user.role == "judge"
    first = anchor if view == "day" else anchor - timedelta(days=anchor.weekday())
    days = [first + timedelta(days=i) for i in range(1 if view == "day" else 7)]
    with services().read() as conn:
        hearings = queries.court_calendar(conn, court, anchor, span=view)["hearings"]
        # Hearings of sealed cases the viewer may not see are left out (R11), as if not booked.
        shown = {dn: queries.get_case(conn, dn, viewer()) is not None for dn in {h["docket_number"] for h in hearings}}
    by_day: dict[date, list[dict[str, Any]]] = {d: [] for d in days}
    for hearing in hearings:
        if shown[hearing["docket_number"]] and (not mine or hearing["judge_id"] == current_user.judge_id):
            by_day.setdefault(hearing["starts_at"].date(), []).append(hearing)
    step = timedelta(days=1 if view == "day" else 7)
    return render_template(
        "docket/calendar.html", view=view, days=days, by_day=by_day, court=court, mine=mine, anchor=anchor,
        previous=anchor - step, following=anchor + step, today=clock.today(), bad_day=bad_day,
    )
