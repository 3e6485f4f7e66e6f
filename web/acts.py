"""Judicial acts and docket sheets on the web: the ruling page's act steps (render, download, sign)
and the print-ready docket sheet (HTML, and PDF) of a case as of a date.

The views parse, call ``projections.acts`` / ``projections.sheet`` (shared with the command line)
and render; refusals become form messages.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from domain import clock
from domain.errors import DomainError
from domain.views import CaseView
from projections import acts
from projections.act_wording import LANGUAGES
from projections.sheet import Names, Sheet, docket_sheet
from projections.signatures import CertificateStore
from web.access import STAFF, actor, is_assigned_judge, roles_required, visible_case
from web.forms import domain_message
from web.i18n import current_language, fmt_date, fmt_datetime, fmt_money, label
from web.services import services

if TYPE_CHECKING:
    from domain.case import Case

bp = Blueprint("acts", __name__)


def certificates() -> CertificateStore:
    return CertificateStore(services().settings.var_dir / "certificates")


def act_language() -> str:
    """The act's language: the one asked for, else the reader's (acts are written in kk, ru and en)."""
    asked = request.form.get("language") or current_language()
    return asked if asked in LANGUAGES else "ru"


def file_act_after_ruling(docket_number: str) -> str | None:
    """File the act of a ruling just issued, in the judge's language; the document id, or None with a message."""
    try:
        receipt = acts.file_act(services().docket, services().documents, docket_number, language=act_language(), actor=actor())
    except (DomainError, OSError) as error:
        flash(_("The ruling is recorded, but its act could not be rendered: %(reason)s", reason=str(error)), "error")
        return None
    services().caught_up(receipt.get("position"))
    return str(receipt["id"])


def act_rows(case: Case) -> list[dict[str, Any]]:
    """The case's filed acts, each with whether it is signed (read from the file) and, for an
    unsigned act, the document that holds its signed copy."""
    from projections.signatures import is_signed

    rows = []
    for document in acts.acts_of(case):
        try:
            data = b"".join(services().documents.iter_bytes(document["sha256"]))
        except Exception:  # noqa: BLE001 - a missing or damaged file shows as such, not as an error page
            data = b""
        rows.append({**document, "signed": bool(data) and is_signed(data), "request": acts.ActRequest.found_in(data), "readable": bool(data)})
    for row in rows:
        row["ours"] = row["request"] is not None
        row["signed_as"] = None if row["signed"] else next(
            (other["id"] for other in rows if other["signed"] and other["request"] is not None and other["request"] == row["request"]), None,
        )
    return rows


def act_context(case: Case) -> dict[str, Any]:
    """What the ruling page shows once the case is decided: its acts and the judge's certificate."""
    shown = CaseView.of(case)
    judge_id = (shown.ruling.judge_id if shown.ruling else None) or shown.judge_id
    return {
        "acts": act_rows(case),
        "certificate": certificates().certificate(judge_id) if judge_id else None,
        "act_languages": [(code, name) for code, name in (("kk", "Қазақша"), ("ru", "Русский"), ("en", "English"))],
        "default_language": act_language(),
    }


def _decided_case(docket_number: str) -> Case:
    found = visible_case(docket_number, "ruling act")
    if not is_assigned_judge(found):
        abort(403)
    return found


@bp.post("/cases/<docket_number>/ruling/act")
@roles_required("judge")
def render(docket_number: str) -> Any:
    found = _decided_case(docket_number)
    try:
        receipt = acts.file_act(
            services().docket, services().documents, found.docket_number, language=act_language(),
            public=request.form.get("public") == "y", actor=actor(),
        )
    except DomainError as error:
        flash(domain_message(error), "error")
        return redirect(url_for("judge.ruling", docket_number=found.docket_number, _anchor="act"), code=303)
    services().caught_up(receipt.get("position"))
    flash(_("The act was filed as document %(id)s.", id=receipt["id"]), "success")
    return redirect(url_for("judge.ruling", docket_number=found.docket_number, _anchor="act"), code=303)


@bp.post("/cases/<docket_number>/ruling/sign")
@roles_required("judge")
def sign(docket_number: str) -> Any:
    found = _decided_case(docket_number)
    document_id = request.form.get("document_id", "")
    try:
        receipt = acts.sign_act(
            services().docket, services().documents, certificates(), found.docket_number, document_id,
            request.form.get("passphrase", ""), actor=actor(),
        )
    except (DomainError, ValueError) as error:
        flash(_("The act was not signed: %(reason)s", reason=domain_message(error) if isinstance(error, DomainError) else str(error)), "error")
        return redirect(url_for("judge.ruling", docket_number=found.docket_number, _anchor="act"), code=303)
    services().caught_up(receipt.get("position"))
    flash(_("The act was signed and filed as document %(id)s.", id=receipt["id"]), "success")
    return redirect(url_for("judge.ruling", docket_number=found.docket_number, _anchor="act"), code=303)


# --- the docket sheet -------------------------------------------------------------------------------------------------


class WebFormats:
    """Dates, instants, money and the court's words in the reader's language."""

    def date(self, value: Any) -> str:
        return fmt_date(value)

    def instant(self, value: Any) -> str:
        return fmt_datetime(value)

    def money(self, value: Any) -> str:
        return fmt_money(value)

    def label(self, kind: str, value: Any) -> str:
        return label(kind, value)


def names_for(records: list[dict[str, Any]]) -> Names:
    accounts = services().accounts

    @lru_cache(maxsize=256)
    def user_name(username: str) -> str | None:
        found = accounts.find(username)
        return found.display_name if found else None

    return Names(records, user_name)


def build_sheet(case: Case, as_of_text: str) -> tuple[Sheet | None, list[str]]:
    from web import schemas

    as_of = schemas.parse_date_arg(as_of_text) if as_of_text else None
    if as_of_text and as_of is None:
        return None, [_("'%(value)s' is not a date (YYYY-MM-DD).", value=as_of_text)]
    records = services().docket.case_history(case.docket_number)
    sheet = docket_sheet(records, case.docket_number, as_of=as_of, names=names_for(records), gettext=_, formats=WebFormats())
    if not sheet.entries and as_of is not None:
        return None, [_("Case %(number)s was not yet on the docket on %(date)s.", number=case.docket_number, date=as_of.isoformat())]
    return sheet, []


@bp.get("/cases/<docket_number>/sheet")
@roles_required(*STAFF)
def sheet(docket_number: str) -> Any:
    found = visible_case(docket_number, "sheet")
    as_of_text = request.args.get("as_of", "").strip()
    built, problems = build_sheet(found, as_of_text)
    if request.args.get("format") == "pdf" and built is not None:
        from projections.sheet import render_sheet_pdf

        title = _("Docket sheet of case %(number)s", number=found.docket_number)
        subtitle = f"{label('court', found.court)} · {label('track', found.track)}"
        if built.as_of:
            subtitle += " · " + _("as it stood at the end of %(date)s", date=fmt_date(built.as_of))
        headings = (_("No."), _("Recorded"), _("By"), _("Entry"))
        pdf = render_sheet_pdf(title, subtitle, headings, built, _("corrected by entry %(number)s"), WebFormats())
        suffix = f"-{built.as_of.isoformat()}" if built.as_of else ""
        return Response(pdf, mimetype="application/pdf", headers={"Content-Disposition": f'inline; filename="{found.docket_number}-sheet{suffix}.pdf"'})
    status = 422 if problems else 200
    return render_template("judge/sheet.html", case=CaseView.of(found), sheet=built, as_of=as_of_text, problems=problems, today=clock.today()), status

