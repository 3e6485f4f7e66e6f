"""The court administrator's pages: users, and the judge, expert and mediator registries."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from marshmallow import ValidationError
from werkzeug.wrappers import Response

from domain import clock
from domain.errors import DomainError, NotFound
from projections import queries
from web import schemas
from web.access import actor, roles_required
from web.forms import FormState, status_for
from web.services import services

bp = Blueprint("admin", __name__, url_prefix="/admin")

USER_FIELDS = {"username", "display_name", "role", "court", "judge_id", "language", "password", "active", "new_password"}


def _form(names: set[str], defaults: dict[str, Any] | None = None) -> FormState:
    form = FormState.from_request(defaults)
    form.fields = names
    for secret in ("password", "new_password"):
        form.values.pop(secret, None)
    return form


def _judges() -> list[dict[str, Any]]:
    with services().read() as conn:
        return queries.list_judges(conn)


def _experts() -> list[dict[str, Any]]:
    with services().read() as conn:
        return queries.list_experts(conn)


def _mediators() -> list[dict[str, Any]]:
    with services().read() as conn:
        return queries.list_mediators(conn)


def _load(schema: Any, form: FormState) -> dict[str, Any] | None:
    """The submitted form through ``schema`` (secrets included; they are never echoed back)."""
    try:
        loaded: dict[str, Any] = schema.load(FormState.from_request().values)
    except ValidationError as error:
        form.add_validation(error.messages)
        return None
    return loaded


@bp.get("")
@roles_required("admin")
def index() -> str:
    with services().read() as conn:
        counts = {
            "cases": queries.search_cases(conn, queries.Viewer("admin"), per_page=1).total,
            "judges": len(queries.list_judges(conn)),
            "experts": len(queries.list_experts(conn)),
            "mediators": len(queries.list_mediators(conn)),
        }
    return render_template("admin/index.html", counts=counts, users=services().accounts.count_users())


# --- users ---------------------------------------------------------------------------------------------------


@bp.get("/users")
@roles_required("admin")
def users() -> str:
    judges = {j["judge_id"]: j for j in _judges()}
    return render_template("admin/users.html", users=services().accounts.list_users(), judges=judges, now=clock.now())


@bp.route("/users/new", methods=["GET", "POST"])
@roles_required("admin")
def new_user() -> Any:
    judges = _judges()
    form = _form(USER_FIELDS, {"language": "ru", "role": "clerk"})
    if request.method == "GET":
        return render_template("admin/user_form.html", f=form, judges=judges, user=None)
    data = _load(schemas.UserCreateSchema(), form)
    if data is None:
        return render_template("admin/user_form.html", f=form, judges=judges, user=None), 422
    try:
        created = services().accounts.create_user(
            data["username"], data["password"], data["role"], court=data.get("court"), display_name=data["display_name"],
            judge_id=_judge_link(data), language=data["language"],
        )
    except DomainError as error:
        form.add_domain(error)
        return render_template("admin/user_form.html", f=form, judges=judges, user=None), status_for(error)
    flash(_("User %(name)s was created.", name=created.username), "success")
    return redirect(url_for("admin.users"), code=303)


def _judge_link(data: dict[str, Any]) -> str | None:
    """A judge account links to the registry entry it acts for; other roles link to none."""
    if data.get("role") != "judge" or not data.get("judge_id"):
        if data.get("role") == "judge":
            raise DomainError(_("Choose the registry judge this account acts for."), field="judge_id")
        return None
    try:
        judge = services().docket.judge(data["judge_id"])
    except NotFound:
        raise DomainError(_("Choose the registry judge this account acts for."), field="judge_id") from None
    if data.get("court") and judge.court != data["court"]:
        raise DomainError(_("Judge %(name)s sits in another court.", name=judge.name), field="judge_id")
    return str(judge.id)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@roles_required("admin")
def edit_user(user_id: int) -> Any:
    store = services().accounts
    try:
        user = store.get(user_id)
    except NotFound:
        abort(404)
    judges = _judges()
    defaults = {
        "display_name": user.display_name, "role": user.role, "court": user.court or "", "judge_id": user.judge_id or "",
        "language": user.language, "active": "y" if user.active else "",
    }
    form = _form(USER_FIELDS, defaults)
    if request.method == "GET":
        return render_template("admin/user_form.html", f=form, judges=judges, user=user)
    data = _load(schemas.UserEditSchema(), form)
    if data is None:
        return render_template("admin/user_form.html", f=form, judges=judges, user=user), 422
    try:
        new_password = data.pop("new_password", None)
        data.setdefault("court", None)
        data["judge_id"] = _judge_link(data)
        updated = store.update_user(user_id, **data)
        if new_password:
            updated = store.set_password(user_id, new_password)
    except DomainError as error:
        form.add_domain(error, {"password": "new_password"})
        return render_template("admin/user_form.html", f=form, judges=judges, user=user), status_for(error)
    flash(_("User %(name)s was updated.", name=updated.username), "success")
    return redirect(url_for("admin.users"), code=303)


@bp.post("/users/<int:user_id>/unlock")
@roles_required("admin")
def unlock_user(user_id: int) -> Response:
    try:
        user = services().accounts.unlock(user_id)
    except NotFound:
        abort(404)
    flash(_("User %(name)s can sign in again.", name=user.username), "success")
    return redirect(url_for("admin.users"), code=303)


# --- judges ---------------------------------------------------------------------------------------------------


@bp.route("/judges", methods=["GET", "POST"])
@roles_required("admin")
def judges() -> Any:
    form = _form({"name", "court"})
    status = 200
    if request.method == "POST":
        data = _load(schemas.JudgeSchema(), form)
        status = 422
        if data is not None:
            try:
                receipt = services().docket.register_judge(data["name"], data["court"], actor())
            except DomainError as error:
                form.add_domain(error)
                status = status_for(error)
            else:
                services().caught_up(receipt.get("position"))
                flash(_("Judge %(name)s was registered. Certify them to let them hear cases.", name=data["name"]), "success")
                return redirect(url_for("admin.judge", judge_id=receipt["id"]), code=303)
    return render_template("admin/judges.html", f=form, judges=_judges(), today=clock.today()), status


def _judge_page(judge_id: str, forms: dict[str, FormState], status: int = 200) -> tuple[str, int]:
    try:
        judge = services().docket.judge(judge_id)
    except NotFound:
        abort(404)
    forms.setdefault("certify", FormState(values={"valid_from": clock.today().isoformat(), "course": "medical law"}))
    forms.setdefault("retire", FormState(values={"retired_on": clock.today().isoformat()}))
    return render_template("admin/judge.html", judge=judge, forms=forms, today=clock.today()), status


@bp.get("/judges/<judge_id>")
@roles_required("admin")
def judge(judge_id: str) -> tuple[str, int]:
    return _judge_page(judge_id, {})


def _registry_action(judge_id: str, name: str, schema: Any, fields: set[str], call: Any, success: str) -> Any:
    form = _form(fields)
    data = _load(schema, form)
    if data is None:
        return _judge_page(judge_id, {name: form}, 422)
    try:
        receipt = call(data)
    except DomainError as error:
        form.add_domain(error)
        return _judge_page(judge_id, {name: form}, status_for(error))
    services().caught_up(receipt.get("position"))
    flash(success, "success")
    return redirect(url_for("admin.judge", judge_id=judge_id), code=303)


@bp.post("/judges/<judge_id>/certify")
@roles_required("admin")
def certify_judge(judge_id: str) -> Any:
    return _registry_action(
        judge_id, "certify", schemas.CertificationSchema(), {"valid_from", "valid_to", "course"},
        lambda d: services().docket.certify_judge(judge_id, d["valid_from"], d["valid_to"], d["course"], actor()),
        _("The certification was recorded."),
    )


@bp.post("/judges/<judge_id>/retire")
@roles_required("admin")
def retire_judge(judge_id: str) -> Any:
    return _registry_action(
        judge_id, "retire", schemas.RetirementSchema(), {"retired_on"},
        lambda d: services().docket.retire_judge(judge_id, d["retired_on"], actor()),
        _("The retirement was recorded."),
    )


# --- experts ---------------------------------------------------------------------------------------------------


@bp.route("/experts", methods=["GET", "POST"])
@roles_required("admin")
def experts() -> Any:
    form = _form({"name", "specialties", "qualification", "certificate_no"})
    status = 200
    if request.method == "POST":
        form.values["specialties"] = request.form.getlist("specialties")
        data = _load(schemas.ExpertSchema(), form)
        status = 422
        if data is not None:
            try:
                receipt = services().docket.register_expert(data["name"], data["specialties"], data["qualification"], data["certificate_no"], actor())
            except DomainError as error:
                form.add_domain(error)
                status = status_for(error)
            else:
                services().caught_up(receipt.get("position"))
                flash(_("Expert %(name)s was registered.", name=data["name"]), "success")
                return redirect(url_for("admin.expert", expert_id=receipt["id"]), code=303)
    return render_template("admin/experts.html", f=form, experts=_experts()), status


def _expert_page(expert_id: str, form: FormState | None = None, status: int = 200) -> tuple[str, int]:
    try:
        expert = services().docket.expert(expert_id)
    except NotFound:
        abort(404)
    form = form or FormState(values={"valid_from": clock.today().isoformat()})
    return render_template("admin/expert.html", expert=expert, f=form), status


@bp.get("/experts/<expert_id>")
@roles_required("admin")
def expert(expert_id: str) -> tuple[str, int]:
    return _expert_page(expert_id)


@bp.post("/experts/<expert_id>/affiliations")
@roles_required("admin")
def declare_affiliation(expert_id: str) -> Any:
    _expert_page(expert_id)  # 404 for an unknown expert before anything else
    form = _form({"bin", "organization", "valid_from", "valid_to"})
    data = _load(schemas.AffiliationSchema(), form)
    if data is None:
        return _expert_page(expert_id, form, 422)
    try:
        receipt = services().docket.declare_affiliation(expert_id, data["bin"], data["organization"], data["valid_from"], data["valid_to"], actor())
    except DomainError as error:
        form.add_domain(error)
        return _expert_page(expert_id, form, status_for(error))
    services().caught_up(receipt.get("position"))
    flash(_("The affiliation was declared."), "success")
    return redirect(url_for("admin.expert", expert_id=expert_id), code=303)


# --- mediators ---------------------------------------------------------------------------------------------------


@bp.route("/mediators", methods=["GET", "POST"])
@roles_required("admin")
def mediators() -> Any:
    form = _form({"name", "court", "organization"})
    status = 200
    if request.method == "POST":
        data = _load(schemas.MediatorSchema(), form)
        status = 422
        if data is not None:
            try:
                receipt = services().docket.register_mediator(data["name"], data["court"], data["organization"], actor())
            except DomainError as error:
                form.add_domain(error)
                status = status_for(error)
            else:
                services().caught_up(receipt.get("position"))
                flash(_("Mediator %(name)s was registered.", name=data["name"]), "success")
                return redirect(url_for("admin.mediators"), code=303)
    return render_template("admin/mediators.html", f=form, mediators=_mediators()), status
