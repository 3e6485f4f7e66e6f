"""A case as a list of labelled facts: what the history shows for a date and what a diff compares.

Each fact has a stable key (``hearing.H1.starts_at``), a label in the reader's
language and a display value, so two states of the same case line up row by row.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from flask_babel import gettext as _

from web.i18n import fmt_date, fmt_datetime, fmt_money, label

if TYPE_CHECKING:
    from domain.case import Case


@dataclass(frozen=True)
class Fact:
    key: str
    label: str
    value: str


def case_facts(case: Case) -> list[Fact]:  # noqa: C901 - one block per part of the case
    facts: list[Fact] = []

    def add(key: str, text: str, value: Any) -> None:
        facts.append(Fact(key, text, "—" if value in (None, "", [], {}) else str(value)))

    add("status", _("Status"), label("status", case.status))
    add("sealed", _("Sealed"), label("seal_reason", case.seal_reason) if case.sealed else _("no"))
    add("track", _("Track"), label("track", case.track))
    add("court", _("Court"), label("court", case.court))
    add("specialty", _("Medical specialty"), label("specialty", case.specialty))
    add("received_on", _("Received on"), fmt_date(case.received_on))
    add("incident_date", _("Incident date"), fmt_date(case.incident_date))
    add("alleged_harm", _("Alleged harm"), label("harm", case.alleged_harm))
    add("claimant", _("Claimant"), f"{case.claimant['name']} ({label('relation', case.claimant.get('relation'))})")
    for respondent in case.respondents:
        ident = respondent.get("certificate_no") or respondent.get("bin")
        add(f"respondent.{respondent['id']}", _("Respondent %(id)s", id=respondent["id"]), f"{respondent['name']} ({label('respondent_kind', respondent['kind'])}, {ident})")
    if case.authority:
        add("authority", _("Authority"), f"{label('authority', case.authority['kind'])}: {case.authority['name']}")
    for head, amount in case.claimed.items():
        add(f"claimed.{head}", _("Claimed: %(head)s", head=label("head", head)), fmt_money(amount))
    add("summary", _("Summary"), case.summary)
    add("judge", _("Judge"), case.judge_name)
    for document in case.documents.values():
        add(f"document.{document['id']}", _("Document %(id)s", id=document["id"]), f"{label('document_kind', document['kind'])}: {document['title']} ({fmt_date(document['received_on'])})")
    for examination in case.examinations.values():
        text = f"{label('examination_kind', examination['kind'])}, {_('due')} {fmt_date(examination['due_on'])}: {label('examination_status', examination['status'])}"
        report = examination.get("report")
        if report:
            text += "; " + _("standard of care met: %(soc)s, causation: %(causation)s, harm: %(harm)s", soc=label("answer", report["standard_of_care_met"]), causation=label("answer", report["causation"]), harm=label("harm", report["harm_found"]))
        add(f"examination.{examination['id']}", _("Examination %(id)s", id=examination["id"]), text)
    for hearing in case.hearings.values():
        add(f"hearing.{hearing['id']}", _("Hearing %(id)s", id=hearing["id"]), f"{fmt_datetime(hearing['starts_at'])}, {_('courtroom')} {hearing['courtroom']}: {label('hearing_status', hearing['status'])}")
    for mediation in case.mediations:
        add(f"mediation.{mediation['id']}", _("Mediation %(id)s", id=mediation["id"]), f"{mediation['mediator_name']}: {label('mediation_outcome', mediation['outcome']) if mediation['outcome'] else _('open')}")
    if case.ruling:
        ruling = case.ruling
        add("ruling.disposition", _("Ruling"), f"{label('disposition', ruling['disposition'])} ({fmt_date(ruling['decided_on'])})")
        add("ruling.finding", _("Finding"), label("finding", ruling.get("finding")))
        add("ruling.harm_found", _("Harm found"), label("harm", ruling.get("harm_found")))
        for head, amount in (ruling.get("payable") or {}).items():
            add(f"ruling.payable.{head}", _("Payable: %(head)s", head=label("head", head)), fmt_money(amount))
    for appeal in case.appeals.values():
        add(f"appeal.{appeal['id']}", _("Appeal %(id)s", id=appeal["id"]), f"{appeal['appellant']} ({fmt_date(appeal['filed_on'])}): {label('appeal_outcome', appeal['outcome']) if appeal['outcome'] else _('pending')}")
    if case.in_force_on:
        add("in_force_on", _("In legal force since"), fmt_date(case.in_force_on))
    return facts


@dataclass(frozen=True)
class DiffRow:
    label: str
    before: str
    after: str

    @property
    def changed(self) -> bool:
        return self.before != self.after


def diff(before: Case | None, after: Case | None) -> list[DiffRow]:
    """Facts of two states side by side, in the order of the later one (then any that disappeared)."""
    left = {f.key: f for f in case_facts(before)} if before else {}
    right = {f.key: f for f in case_facts(after)} if after else {}
    keys = list(right) + [k for k in left if k not in right]
    rows = []
    for key in keys:
        fact = right.get(key) or left[key]
        rows.append(DiffRow(fact.label, left[key].value if key in left else "—", right[key].value if key in right else "—"))
    return rows


def event_details(record: dict[str, Any]) -> list[tuple[str, str]]:
    """The payload of a history record as (name, value) pairs, without the actor."""
    details = []
    for name, value in record["data"].items():
        if name == "actor" or value in (None, "", [], {}):
            continue
        details.append((name.replace("_", " "), _plain(value)))
    return details


def _plain(value: Any) -> str:
    if isinstance(value, dict):
        return "; ".join(f"{k.replace('_', ' ')}: {_plain(v)}" for k, v in value.items() if v not in (None, "", [], {}))
    if isinstance(value, list):
        return " | ".join(_plain(v) for v in value)
    if isinstance(value, str) and value.endswith("Z") and "T" in value:
        try:
            return fmt_datetime(value)  # instants are shown at the court's time (R12)
        except ValueError:
            return value
    return str(value)
