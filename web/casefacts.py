"""A case as a list of labelled facts: what the history shows for a date and what a diff compares.

Each fact has a stable key (``hearing.H1.starts_at``), a label in the reader's
language and a display value, so two states of the same case line up row by row.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from web.i18n import fmt_date, fmt_datetime, fmt_money, label

if TYPE_CHECKING:
    from flask_babel import LazyString

    from domain.views import CaseView
    from projections.sheet import Names


@dataclass(frozen=True)
class Fact:
    key: str
    label: str
    value: str


def case_facts(case: CaseView) -> list[Fact]:  # noqa: C901 - one block per part of the case
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
    add("claimant", _("Claimant"), f"{case.claimant.name} ({label('relation', case.claimant.relation)})")
    for respondent in case.respondents:
        ident = respondent.certificate_no or respondent.bin
        add(f"respondent.{respondent.id}", _("Respondent %(id)s", id=respondent.id), f"{respondent.name} ({label('respondent_kind', respondent.kind)}, {ident})")
    if case.authority:
        add("authority", _("Authority"), f"{label('authority', case.authority.kind)}: {case.authority.name}")
    for head, amount in case.claimed.items():
        add(f"claimed.{head}", _("Claimed: %(head)s", head=label("head", head)), fmt_money(amount))
    add("summary", _("Summary"), case.summary)
    add("judge", _("Judge"), case.judge_name)
    for document in case.documents:
        add(f"document.{document.id}", _("Document %(id)s", id=document.id), f"{label('document_kind', document.kind)}: {document.title} ({fmt_date(document.received_on)})")
    for examination in case.examinations:
        text = f"{label('examination_kind', examination.kind)}, {_('due')} {fmt_date(examination.due_on)}: {label('examination_status', examination.status)}"
        report = examination.report
        if report:
            text += "; " + _("standard of care met: %(soc)s, causation: %(causation)s, harm: %(harm)s", soc=label("answer", report.standard_of_care_met), causation=label("answer", report.causation), harm=label("harm", report.harm_found))
        add(f"examination.{examination.id}", _("Examination %(id)s", id=examination.id), text)
    for hearing in case.hearings:
        add(f"hearing.{hearing.id}", _("Hearing %(id)s", id=hearing.id), f"{fmt_datetime(hearing.starts_at)}, {_('courtroom')} {hearing.courtroom}: {label('hearing_status', hearing.status)}")
    for mediation in case.mediations:
        add(f"mediation.{mediation.id}", _("Mediation %(id)s", id=mediation.id), f"{mediation.mediator_name}: {label('mediation_outcome', mediation.outcome) if mediation.outcome else _('open')}")
    if case.ruling:
        ruling = case.ruling
        add("ruling.disposition", _("Ruling"), f"{label('disposition', ruling.disposition)} ({fmt_date(ruling.decided_on)})")
        add("ruling.finding", _("Finding"), label("finding", ruling.finding))
        add("ruling.harm_found", _("Harm found"), label("harm", ruling.harm_found))
        for head, amount in ruling.payable.items():
            add(f"ruling.payable.{head}", _("Payable: %(head)s", head=label("head", head)), fmt_money(amount))
    for appeal in case.appeals:
        add(f"appeal.{appeal.id}", _("Appeal %(id)s", id=appeal.id), f"{appeal.appellant} ({fmt_date(appeal.filed_on)}): {label('appeal_outcome', appeal.outcome) if appeal.outcome else _('pending')}")
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


def diff(before: CaseView | None, after: CaseView | None) -> list[DiffRow]:
    """Facts of two states side by side, in the order of the later one (then any that disappeared)."""
    left = {f.key: f for f in case_facts(before)} if before else {}
    right = {f.key: f for f in case_facts(after)} if after else {}
    keys = list(right) + [k for k in left if k not in right]
    rows = []
    for key in keys:
        fact = right.get(key) or left[key]
        rows.append(DiffRow(fact.label, left[key].value if key in left else "—", right[key].value if key in right else "—"))
    return rows


# Event fields as a reader sees them (kk/ru/en), in the order the history lists them.
FIELD_LABELS: dict[str, LazyString] = {
    "docket_number": _l("docket number"), "track": _l("track"), "court": _l("court"), "received_on": _l("received on"),
    "specialty": _l("medical specialty"), "alleged_harm": _l("alleged harm"), "incident_date": _l("incident date"),
    "claimant": _l("claimant"), "respondents": _l("respondents"), "authority": _l("authority"),
    "representatives": _l("representatives"), "claimed": _l("claimed"), "summary": _l("summary"),
    "transferred_from": _l("transferred from"), "document_id": _l("document"), "kind": _l("kind"), "title": _l("title"),
    "filed_by": _l("filed by"), "sha256": _l("SHA-256 checksum"), "size": _l("size"), "media_type": _l("file type"),
    "corrects_version": _l("corrects entry"), "entry_type": _l("kind of entry"), "reason": _l("reason"),
    "corrections": _l("corrected values"), "judge_id": _l("judge"), "judge_name": _l("judge"),
    "examination_id": _l("examination"), "questions": _l("questions"), "experts": _l("experts"),
    "ordered_on": _l("ordered on"), "due_on": _l("due on"), "standard_of_care_met": _l("standard of care met"),
    "causation": _l("causation"), "harm_found": _l("harm found"), "hearing_id": _l("hearing"), "starts_at": _l("starts at"),
    "duration_minutes": _l("duration, minutes"), "courtroom": _l("courtroom"), "purpose": _l("purpose"),
    "minutes_summary": _l("minutes"), "mediation_id": _l("mediation"), "mediator_id": _l("mediator"),
    "mediator_name": _l("mediator"), "referred_on": _l("referred on"), "outcome": _l("outcome"),
    "concluded_on": _l("concluded on"), "ruling_id": _l("ruling"), "decided_on": _l("decided on"),
    "disposition": _l("disposition"), "finding": _l("finding"), "liable_respondents": _l("liable respondents"),
    "sanctions": _l("sanctions"), "compensation": _l("compensation awarded"), "contributory_fault_pct": _l("contributory fault, %"),
    "payable": _l("payable"), "insurer_compensation": _l("insurer's compensation"), "reasoning": _l("reasoning"),
    "recommendation": _l("recommendation"), "transferred_to_track": _l("transferred to track"),
    "transferred_to": _l("transferred to"), "appeal_id": _l("appeal"), "filed_on": _l("filed on"), "appellant": _l("appellant"),
    "in_force_on": _l("in legal force on"), "basis": _l("basis"), "reopened_on": _l("reopened on"),
}
DATE_FIELDS = {"received_on", "incident_date", "ordered_on", "due_on", "referred_on", "concluded_on", "decided_on", "filed_on", "in_force_on", "reopened_on"}
MONEY_FIELDS = {"insurer_compensation"}
MONEY_BY_HEAD = {"claimed", "compensation", "payable"}
# Ids that a name beside them replaces (the name is shown under the same label).
NAMED_IDS = {"judge_id": "judge_name", "mediator_id": "mediator_name"}
VOCABULARY_OF = {
    "track": "track", "court": "court", "specialty": "specialty", "alleged_harm": "harm", "harm_found": "harm",
    "disposition": "disposition", "finding": "finding", "standard_of_care_met": "answer", "causation": "answer",
    "transferred_to_track": "track", "entry_type": "event",
}
KIND_VOCABULARY = {"DocumentFiled": "document_kind", "ExpertExaminationOrdered": "examination_kind"}
OUTCOME_VOCABULARY = {"MediationConcluded": "mediation_outcome", "AppealDecided": "appeal_outcome"}
REASON_VOCABULARY = {"CaseSealed": "seal_reason", "CaseReopened": "reopen_reason"}


def field_label(name: str) -> str:
    found = FIELD_LABELS.get(name)
    return str(found) if found is not None else name.replace("_", " ")


def event_details(record: dict[str, Any], names: Names | None = None) -> list[tuple[str, str]]:
    """The payload of a history record as (label, value) pairs in the reader's language, with
    people named (never by id), dates and money formatted, and without the actor."""
    details = []
    data = record["data"]
    for name, value in data.items():
        if name == "actor" or value in (None, "", [], {}):
            continue
        if name in NAMED_IDS:
            if data.get(NAMED_IDS[name]):
                continue  # the name recorded beside the id is shown instead
            value = names.person(value) if names else "—"
        details.append((field_label(name), _shown(record["type"], name, value)))
    return details


def _shown(kind: str, name: str, value: Any) -> str:  # noqa: C901 - one branch per shape of value
    if name in DATE_FIELDS:
        return fmt_date(value)
    if name in MONEY_FIELDS:
        return fmt_money(value)
    if name in MONEY_BY_HEAD and isinstance(value, dict):
        return "; ".join(f"{label('head', head)}: {fmt_money(amount)}" for head, amount in value.items())
    if name in VOCABULARY_OF:
        return label(VOCABULARY_OF[name], value)
    if name == "kind" and kind in KIND_VOCABULARY:
        return label(KIND_VOCABULARY[kind], value)
    if name == "outcome" and kind in OUTCOME_VOCABULARY:
        return label(OUTCOME_VOCABULARY[kind], value)
    if name == "reason" and kind in REASON_VOCABULARY:
        return label(REASON_VOCABULARY[kind], value)
    if name == "experts":
        return ", ".join(str(e.get("name", "—")) for e in value)
    if name == "claimant":
        return f"{value.get('name')} ({label('relation', value.get('relation'))})"
    if name == "respondents":
        return "; ".join(f"{r['id']}: {r['name']} ({label('respondent_kind', r['kind'])}, {r.get('certificate_no') or r.get('bin')})" for r in value)
    if name == "authority":
        return f"{label('authority', value.get('kind'))}: {value.get('name')}"
    if name == "representatives":
        return ", ".join(str(r.get("name")) for r in value)
    if name == "sanctions":
        parts = []
        for s in value:
            text = f"{s.get('respondent_id')}: {label('sanction', s.get('kind'))}"
            if s.get("amount_mci") not in (None, ""):
                text += f", {s['amount_mci']} {_('MCI')}"
            if s.get("months"):
                text += ", " + _("%(num)s months", num=s["months"])
            parts.append(text)
        return "; ".join(parts)
    if name == "corrections" and isinstance(value, dict):
        return "; ".join(f"{field_label(k)}: {_shown(kind, k, v)}" for k, v in value.items())
    if name == "questions":
        return " | ".join(str(q) for q in value)
    return _plain(value)


def _plain(value: Any) -> str:
    if isinstance(value, dict):
        return "; ".join(f"{field_label(k)}: {_plain(v)}" for k, v in value.items() if v not in (None, "", [], {}))
    if isinstance(value, list):
        return " | ".join(_plain(v) for v in value)
    if isinstance(value, str) and value.endswith("Z") and "T" in value:
        try:
            return fmt_datetime(value)  # instants are shown at the court's time (R12)
        except ValueError:
            return value
    return str(value)
