"""The docket sheet: every entry of a case numbered, dated, with who recorded it by name and role, in plain words.

Built from the case's history (``Docket.case_history``) as of a date, for the web's print-ready
``/cases/<docket>/sheet`` (and its PDF) and for ``medcourt case sheet``. Names replace ids
everywhere: users by their display name (``AccountStore``), judges, experts and mediators by the
names their events record (the demo's ``judge:<id prefix>`` actors by the judge whose id that is).
Corrections are listed beside the entry they correct, and with their own number.

The sentences are English message ids put through the caller's ``gettext`` (the web passes
Flask-Babel's, so they read in kk, ru or en; the command line prints them as they are), and values
through the caller's ``Formats`` (dates, instants and money in the reader's language).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Protocol

from domain import clock

Gettext = Callable[..., str]


class Formats(Protocol):
    def date(self, value: Any) -> str: ...

    def instant(self, value: Any) -> str: ...

    def money(self, value: Any) -> str: ...

    def label(self, kind: str, value: Any) -> str: ...


class PlainFormats:
    """ISO dates, court-local instants, amounts with two places, the vocabulary's own words."""

    def date(self, value: Any) -> str:
        return str(value or "—")[:10]

    def instant(self, value: Any) -> str:
        moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        return f"{moment.astimezone(clock.COURT_TZ):%Y-%m-%d %H:%M}"

    def money(self, value: Any) -> str:
        return f"{Decimal(str(value)):,.2f} KZT" if value not in (None, "") else "—"

    def label(self, kind: str, value: Any) -> str:
        return str(value or "—").replace("_", " ")


def plain_gettext(message: str, **values: Any) -> str:
    return message % values if values else message


class Names:
    """Who is who in a case: users by display name, registry people by the names their events carry."""

    def __init__(self, records: list[dict[str, Any]], user_name: Callable[[str], str | None] = lambda _: None) -> None:
        self.user_name = user_name
        self.people: dict[str, str] = {}
        for record in records:
            data = record["data"]
            if data.get("judge_id") and data.get("judge_name"):
                self.people[data["judge_id"]] = data["judge_name"]
            if data.get("mediator_id") and data.get("mediator_name"):
                self.people[data["mediator_id"]] = data["mediator_name"]
            for expert in data.get("experts") or []:
                self.people[expert["id"]] = expert["name"]

    def person(self, person_id: str | None) -> str:
        """A judge's, expert's or mediator's name (never the id)."""
        if not person_id:
            return "—"
        return self.people.get(person_id, "—")

    def user(self, actor: dict[str, Any] | None) -> str:
        """Who recorded an entry: the account's display name; a demo ``judge:<prefix>`` as that judge."""
        if not actor:
            return "—"
        username = str(actor.get("user") or "")
        named = self.user_name(username)
        if named:
            return named
        prefix = username.partition(":")[2]
        if prefix:
            for person_id, name in self.people.items():
                if person_id.startswith(prefix):
                    return name
        return username


@dataclass
class SheetEntry:
    number: int
    kind: str
    recorded_at: str
    who: str
    role: str
    text: str
    corrects: int | None = None
    corrected_by: list[int] = field(default_factory=list)
    corrections: list[str] = field(default_factory=list)  # the corrections' own words, shown beside this entry


@dataclass
class Sheet:
    docket_number: str
    as_of: date | None
    entries: list[SheetEntry]


def docket_sheet(
    records: list[dict[str, Any]], docket_number: str, *, as_of: date | None, names: Names,
    gettext: Gettext = plain_gettext, formats: Formats | None = None,
) -> Sheet:
    """The sheet of a case from its history records, as of the end of ``as_of`` (court time)."""
    formats = formats or PlainFormats()
    if as_of is not None:
        cutoff = clock.end_of_local_day(as_of)
        records = [r for r in records if datetime.fromisoformat(r["recorded_at"].replace("Z", "+00:00")) < cutoff]
    entries: dict[int, SheetEntry] = {}
    for record in records:
        actor = record["data"].get("actor") or {}
        entry = SheetEntry(
            number=record["version"], kind=record["type"], recorded_at=record["recorded_at"],
            who=names.user(actor), role=formats.label("role", actor.get("role")),
            text=describe(record, names, gettext, formats),
        )
        if record["type"] == "DocketEntryCorrected":
            entry.corrects = record["data"]["corrects_version"]
            corrected = entries.get(entry.corrects)
            if corrected is not None:
                corrected.corrected_by.append(entry.number)
                corrected.corrections.append(entry.text)
        entries[entry.number] = entry
    return Sheet(docket_number, as_of, list(entries.values()))


def describe(record: dict[str, Any], names: Names, _: Gettext, f: Formats) -> str:  # noqa: C901 - one sentence per kind
    """One entry in plain words, in the reader's language."""
    d = record["data"]
    kind = record["type"]
    if kind == "CaseFiled":
        respondents = ", ".join(r["name"] for r in d["respondents"])
        return _("Case filed: %(track)s, %(specialty)s; claimant %(claimant)s; respondents: %(respondents)s; received on %(received)s.",
                 track=f.label("track", d["track"]), specialty=f.label("specialty", d["specialty"]), claimant=d["claimant"]["name"],
                 respondents=respondents, received=f.date(d["received_on"]))
    if kind == "DocumentFiled":
        return _("Document %(id)s filed: %(kind)s “%(title)s”, from %(party)s, received on %(received)s.",
                 id=d["document_id"], kind=f.label("document_kind", d["kind"]), title=d["title"], party=d["filed_by"], received=f.date(d["received_on"]))
    if kind == "DocketEntryCorrected":
        changes = "; ".join(f"{field_label(name, _)}: {_value(name, value, f)}" for name, value in d["corrections"].items())
        return _("Correction of entry %(entry)s: %(changes)s (reason: %(reason)s).", entry=d["corrects_version"], changes=changes, reason=d["reason"])
    if kind == "JudgeAssigned":
        return _("Judge %(judge)s assigned.", judge=d.get("judge_name") or names.person(d.get("judge_id")))
    if kind == "JudgeRecused":
        return _("Judge %(judge)s recused: %(reason)s.", judge=names.person(d.get("judge_id")), reason=d["reason"])
    if kind == "ExpertExaminationOrdered":
        return _("Examination %(id)s ordered (%(kind)s) from %(experts)s, report due %(due)s.", id=d["examination_id"],
                 kind=f.label("examination_kind", d["kind"]), experts=", ".join(e["name"] for e in d["experts"]), due=f.date(d["due_on"]))
    if kind == "ExpertReportSubmitted":
        return _("Expert report on %(id)s received on %(received)s: standard of care met: %(soc)s; causation: %(causation)s; harm: %(harm)s.",
                 id=d["examination_id"], received=f.date(d["received_on"]), soc=f.label("answer", d["standard_of_care_met"]),
                 causation=f.label("answer", d["causation"]), harm=f.label("harm", d["harm_found"]))
    if kind == "ExpertExaminationWithdrawn":
        return _("Examination %(id)s withdrawn: %(reason)s.", id=d["examination_id"], reason=d["reason"])
    if kind == "HearingScheduled":
        return _("Hearing %(id)s scheduled for %(when)s in courtroom %(room)s: %(purpose)s.", id=d["hearing_id"],
                 when=f.instant(d["starts_at"]), room=d["courtroom"], purpose=d["purpose"])
    if kind == "HearingRescheduled":
        return _("Hearing %(id)s moved to %(when)s: %(reason)s.", id=d["hearing_id"], when=f.instant(d["starts_at"]), reason=d["reason"])
    if kind == "HearingHeld":
        return _("Hearing %(id)s held: %(minutes)s.", id=d["hearing_id"], minutes=d["minutes_summary"])
    if kind == "HearingCancelled":
        return _("Hearing %(id)s cancelled: %(reason)s.", id=d["hearing_id"], reason=d["reason"])
    if kind == "MediationReferred":
        return _("Referred to mediation with %(mediator)s, due %(due)s.", mediator=d.get("mediator_name") or names.person(d.get("mediator_id")), due=f.date(d["due_on"]))
    if kind == "MediationConcluded":
        return _("Mediation concluded on %(day)s: %(outcome)s.", day=f.date(d["concluded_on"]), outcome=f.label("mediation_outcome", d["outcome"]))
    if kind == "RulingIssued":
        text = _("Ruling of %(day)s by judge %(judge)s: %(disposition)s.", day=f.date(d["decided_on"]), judge=names.person(d.get("judge_id")),
                 disposition=f.label("disposition", d["disposition"]))
        if d.get("finding"):
            text += " " + _("Finding: %(finding)s.", finding=f.label("finding", d["finding"]))
        for head, amount in (d.get("payable") or {}).items():
            text += " " + _("Payable, %(head)s: %(amount)s.", head=f.label("head", head), amount=f.money(amount))
        return text
    if kind == "AppealFiled":
        return _("Appeal filed on %(day)s by %(appellant)s.", day=f.date(d["filed_on"]), appellant=d["appellant"])
    if kind == "AppealDecided":
        return _("Appeal decided on %(day)s: %(outcome)s.", day=f.date(d["decided_on"]), outcome=f.label("appeal_outcome", d["outcome"]))
    if kind == "RulingEnteredIntoForce":
        return _("The ruling entered into legal force on %(day)s.", day=f.date(d["in_force_on"]))
    if kind == "CaseReopened":
        return _("Case reopened on %(day)s: %(reason)s.", day=f.date(d["reopened_on"]), reason=f.label("reopen_reason", d["reason"]))
    if kind == "CaseSealed":
        return _("Case sealed: %(reason)s.", reason=f.label("seal_reason", d["reason"]))
    if kind == "CaseUnsealed":
        return _("Case unsealed: %(reason)s.", reason=d["reason"])
    return f.label("event", kind)


FIELD_LABELS: dict[str, str] = {
    "summary": "summary", "specialty": "medical specialty", "incident_date": "incident date", "received_on": "received on",
    "claimant_name": "claimant's name", "title": "title", "kind": "kind", "filed_by": "filed by", "purpose": "purpose",
    "minutes_summary": "minutes", "reasoning": "reasoning", "recommendation": "recommendation",
}


def field_label(name: str, _: Gettext) -> str:
    return _(FIELD_LABELS[name]) if name in FIELD_LABELS else name.replace("_", " ")


def _value(name: str, value: Any, f: Formats) -> str:
    if name in ("incident_date", "received_on"):
        return f.date(value)
    if name == "specialty":
        return f.label("specialty", value)
    if name == "kind":
        return f.label("document_kind", value)
    return str(value)


def render_sheet_pdf(title: str, subtitle: str, headings: tuple[str, str, str, str], sheet: Sheet, corrected_by: str, formats: Formats) -> bytes:
    """The sheet as a printable A4 PDF (DejaVu fonts, like the acts), in the words it was given."""
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos

    from projections.acts import FONT_DIR, FONTS, fonts_available

    if not fonts_available():
        from domain.errors import NotFound

        raise NotFound(f"The sheet's fonts are missing from {FONT_DIR}: install Debian's fonts-dejavu-core")
    pdf = FPDF(format="A4")
    pdf.set_title(title)
    pdf.set_creator("Medcourt")
    for style, name in FONTS.items():
        pdf.add_font("Sheet", style, str(FONT_DIR / name))
    pdf.set_margins(15, 15, 15)
    pdf.add_page()
    pdf.set_font("Sheet", "B", 13)
    pdf.multi_cell(0, 8, title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("Sheet", "", 9)
    pdf.multi_cell(0, 5, subtitle, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)
    with pdf.table(col_widths=(8, 22, 30, 90), text_align="LEFT", line_height=4.6) as table:
        pdf.set_font("Sheet", "B", 8.5)
        row = table.row()
        for heading in headings:
            row.cell(heading)
        pdf.set_font("Sheet", "", 8.5)
        for entry in sheet.entries:
            row = table.row()
            row.cell(str(entry.number))
            row.cell(formats.instant(entry.recorded_at))
            row.cell(f"{entry.who} ({entry.role})")
            text = entry.text
            for number, correction in zip(entry.corrected_by, entry.corrections, strict=True):
                text += "\n" + (corrected_by % {"number": number}) + ": " + correction
            row.cell(text)
    return bytes(pdf.output())
