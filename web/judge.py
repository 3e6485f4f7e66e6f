"""The judges' pages: the dashboard, a case's history (as of a date, compared between two dates)
and the ruling form, which shows what the rules say before anything is recorded."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from marshmallow import ValidationError
from werkzeug.wrappers import Response

from domain import clock
from domain.errors import DomainError, NotFound
from domain.rules import ensure_actor_may_act
from domain.views import CaseView
from domain.vocabulary import COMPENSATION_HEADS
from projections import queries
from web import schemas
from web.access import STAFF, actor, roles_required, visible_case
from web.casefacts import case_facts, diff, event_details
from web.commands import StaleCase, execute
from web.forms import FormState, domain_message, status_for
from web.services import services

bp = Blueprint("judge", __name__)

SANCTION_ROWS = 3
RULING_FIELDS = {
    "disposition", "decided_on", "finding", "harm_found", "liable_respondents", "contributory_fault_pct",
    "insurer_compensation", "reasoning", "recommendation", "transferred_to_track", "expected_version", "compensation", "sanctions",
    *(f"compensation.{head}" for head in COMPENSATION_HEADS),
    *(f"sanctions.{i}.{part}" for i in range(SANCTION_ROWS) for part in ("respondent_id", "kind", "amount_mci", "months")),
}
RULING_ALIASES = {"judge": "disposition", "transferred_to": "transferred_to_track"}


@bp.get("/judge")
@roles_required("judge")
def dashboard() -> str:
    today = clock.today()
    judge_id = current_user.judge_id
    board = judge = None
    if judge_id:
        with services().read() as conn:
            page = schemas.parse_page_arg(request.args.get("page"))
            board = queries.judge_dashboard(conn, judge_id, today, page=page, per_page=current_app.config["PER_PAGE"])
            # This judge only: the open caseload of every judge of the court would count the court's pending cases.
            judge = next(iter(queries.list_judges(conn, court=current_user.court, on=today, judge_id=judge_id)), None)
    return render_template("judge/dashboard.html", board=board, judge=judge, today=today)


# --- history -------------------------------------------------------------------------------------------------


@bp.get("/cases/<docket_number>/history")
@roles_required(*STAFF)
def history(docket_number: str) -> Any:
    found = visible_case(docket_number, "history")
    docket = services().docket
    records = docket.case_history(found.docket_number)
    kinds = sorted({r["type"] for r in records})
    chosen_kinds = [k for k in request.args.getlist("kind") if k in kinds]
    as_of_text = request.args.get("as_of", "")
    as_of = schemas.parse_date_arg(as_of_text)
    problems: list[str] = []
    state = None
    if as_of_text and as_of is None:
        problems.append(_("'%(value)s' is not a date (YYYY-MM-DD).", value=as_of_text))
    elif as_of is not None:
        if as_of > clock.today():
            problems.append(_("That date is in the future; the case is shown as it stands now."))
        try:
            state = docket.case_as_of(found.docket_number, as_of)
        except NotFound:
            problems.append(_("Case %(number)s was not yet on the docket on %(date)s.", number=found.docket_number, date=as_of.isoformat()))
        cutoff = clock.end_of_local_day(as_of)
        records = [r for r in records if _recorded(r) < cutoff]
    corrected: dict[int, list[dict[str, Any]]] = {}
    for record in records:
        if record["type"] == "DocketEntryCorrected":
            corrected.setdefault(record["data"]["corrects_version"], []).append(record)
    shown = [r for r in records if not chosen_kinds or r["type"] in chosen_kinds]
    status = 422 if problems and state is None and as_of_text else 200
    from web.acts import names_for

    names = names_for(records)  # people by name, never by id
    return render_template(
        "judge/history.html", case=CaseView.of(found), records=list(reversed(shown)), kinds=kinds, chosen_kinds=chosen_kinds,
        as_of=as_of_text, state=state, facts=case_facts(CaseView.of(state)) if state else None, problems=problems, corrected=corrected,
        details=lambda record: event_details(record, names), who=names.user, today=clock.today(),
    ), status


def _recorded(record: dict[str, Any]) -> Any:
    from datetime import datetime

    return datetime.fromisoformat(record["recorded_at"].replace("Z", "+00:00"))


@bp.get("/cases/<docket_number>/diff")
@roles_required(*STAFF)
def compare(docket_number: str) -> Any:
    found = visible_case(docket_number, "diff")
    docket = services().docket
    problems: list[str] = []
    sides = []
    for name in ("from", "to"):
        text = request.args.get(name, "")
        day = schemas.parse_date_arg(text)
        state = None
        if text and day is None:
            problems.append(_("'%(value)s' is not a date (YYYY-MM-DD).", value=text))
        elif day is None:
            state = found if name == "to" else None
            if name == "from":
                problems.append(_("Choose the earlier date to compare from."))
        else:
            try:
                state = docket.case_as_of(found.docket_number, day)
            except NotFound:
                problems.append(_("Case %(number)s was not yet on the docket on %(date)s.", number=found.docket_number, date=day.isoformat()))
        sides.append((text, state))
    (from_text, before), (to_text, after) = sides
    rows = diff(CaseView.of(before) if before else None, CaseView.of(after) if after else None) if (before or after) else []
    status = 422 if problems and not rows else 200
    return render_template("judge/diff.html", case=CaseView.of(found), rows=rows, from_text=from_text, to_text=to_text, problems=problems, before=before, after=after), status


# --- the ruling -------------------------------------------------------------------------------------------------


def _ruling_case(docket_number: str) -> Any:
    found = visible_case(docket_number, "ruling")
    # R14: only the judge assigned to the case rules (the domain's check; a refusal is a 403 page).
    ensure_actor_may_act(actor(), "issue_ruling", found.court, found.judge_id, found.docket_number)
    return found


def _blocking(found: Any, draft: dict[str, Any]) -> list[str]:
    """Every rule that would refuse ``draft`` now, in the reader's language."""
    return [domain_message(error) for error in services().docket.check_ruling(found.docket_number, draft, actor())]


def _render_ruling(found: Any, form: FormState, blocking: list[str] | None, checked: bool, status: int = 200) -> tuple[str, int]:
    from web.acts import act_context

    shown = CaseView.of(found)
    decided = shown.ruling is not None and shown.status != "pending"
    return render_template(
        "judge/ruling.html", case=shown, f=form, blocking=blocking, checked=checked, sanction_rows=SANCTION_ROWS,
        **(act_context(found) if decided else {}),
    ), status


def _merits_readiness(found: Any) -> list[str]:
    """What would refuse a ruling on the merits right now (shown before the judge types anything)."""
    probe = {"disposition": "no_liability", "finding": "unfounded", "harm_found": found.alleged_harm, "decided_on": clock.today()}
    return _blocking(found, probe)


@bp.route("/cases/<docket_number>/ruling", methods=["GET", "POST"])
@roles_required("judge")
def ruling(docket_number: str) -> Any:
    found = _ruling_case(docket_number)
    if request.method == "GET":
        form = FormState(values={"expected_version": str(found.version), "decided_on": clock.today().isoformat(), "contributory_fault_pct": "0"})
        form.fields = RULING_FIELDS
        return _render_ruling(found, form, _merits_readiness(found) if found.status == "pending" else None, checked=False)
    form = FormState.from_request()
    form.fields = RULING_FIELDS
    try:
        data = schemas.load_form(schemas.RulingSchema, form.nested())
    except ValidationError as error:
        form.add_validation(error.messages)
        return _render_ruling(found, form, None, checked=False, status=422)
    draft = schemas.RulingSchema.draft(data)
    if request.form.get("action") == "check":
        return _render_ruling(found, form, _blocking(found, draft), checked=True)
    try:
        receipt = execute("issue_ruling", found, data)
    except StaleCase as stale:
        form.stale(found.version, services().docket.case_history(found.docket_number)[stale.expected:])
        return _render_ruling(found, form, _blocking(found, draft), checked=True, status=409)
    except DomainError as error:
        form.add_domain(error, RULING_ALIASES)
        return _render_ruling(found, form, [domain_message(error)], checked=True, status=status_for(error))
    message = _("The ruling was recorded.")
    if receipt.get("transferred_to"):
        message += " " + _("The requalified case is %(number)s.", number=receipt["transferred_to"])
    from web.acts import file_act_after_ruling

    act_id = file_act_after_ruling(found.docket_number)
    if act_id:
        message += " " + _("Its act was filed as document %(id)s: download and sign it on the ruling page.", id=act_id)
    flash(message, "success")
    return redirect(url_for("docket.case", docket_number=found.docket_number), code=303)


@bp.post("/cases/<docket_number>/ruling/check")
@roles_required("judge")
def check_ruling(docket_number: str) -> Response:
    """The rules' verdict on a draft, for the form to show while the judge types (JSON)."""
    found = _ruling_case(docket_number)
    form = FormState.from_request()
    form.fields = RULING_FIELDS
    try:
        data = schemas.load_form(schemas.RulingSchema, form.nested())
    except ValidationError as error:
        form.add_validation(error.messages)
        return jsonify(blocking=[], errors=form.errors, general=form.general)
    try:
        blocking = _blocking(found, schemas.RulingSchema.draft(data))
    except DomainError as error:
        blocking = [domain_message(error)]
    return jsonify(blocking=blocking, errors={}, general=[])
