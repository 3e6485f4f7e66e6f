"""Every docketing command, once: its schema, the docket service it calls and the receipt it answers with.

The site's forms (``web.docket_views``, ``web.judge``) and the API (``web.api.cases``) both run a
command through ``execute``: the case was read for the caller (``web.access.visible_case``, which
records a view of a sealed case), the input parsed by the command's schema (a form through
``web.schemas.load_form``, the API through flask-smorest), and then, here, in one place: the
``expected_version`` check, the service call as the caller's ``Actor`` (who may do what is the
docket's to decide, R14), waiting for the read models to include the write, and the receipt.
What differs is only how each way in answers: a form shows messages next to its fields or
redirects; the API answers problem details or the receipt as JSON.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from domain.errors import InvalidValue
from domain.permissions import PERMISSIONS
from domain.views import CaseView
from web import schemas as s
from web.access import caller
from web.services import services

if TYPE_CHECKING:
    from domain.application import Docket
    from domain.case import Case
    from domain.vocabulary import Actor

Run = Callable[["Docket", str, dict[str, Any], "Actor"], dict[str, Any]]


@dataclass(frozen=True)
class Command:
    schema: type[s.CommandSchema]
    run: Run  # (docket, docket number, the parsed input, the caller's actor) -> the service's receipt
    subject: str | None = None  # the case's items the path names one of: "hearings", "examinations"


class StaleCase(Exception):
    """The case changed since the caller read it (``expected_version``); nothing was written."""

    def __init__(self, case: Case, expected: int) -> None:
        super().__init__(f"Case {case.docket_number} is at version {case.version}, not {expected}: read it again")
        self.case = case
        self.expected = expected


def _file_document(docket: Docket, number: str, values: dict[str, Any], actor: Actor) -> dict[str, Any]:
    """The file stays staged (encrypted, out of the store) until the filing is recorded."""
    upload = values.pop("upload", None)
    if upload is None:
        raise InvalidValue("Choose the file to upload.", field="file")
    stream, filename = upload
    with services().documents.stage(stream, filename, values.pop("sha256", None)) as staged:
        done = docket.file_document(number, sha256=staged.sha256, size=staged.size, media_type=staged.media_type, actor=actor, **values)
        staged.commit()
    return done


def document_upload(content: bytes, filename: str) -> tuple[io.BytesIO, str]:
    """A file the API sent in its body, as ``file_document`` takes an upload."""
    return io.BytesIO(content), filename


COMMANDS: dict[str, Command] = {
    "file_document": Command(s.DocumentSchema, _file_document),
    "correct_entry": Command(s.CorrectionSchema, lambda d, n, v, a: d.correct_entry(n, actor=a, **v)),
    "assign_judge": Command(s.AssignJudgeSchema, lambda d, n, v, a: d.assign_judge(n, v["judge_id"], a)),
    "recuse_judge": Command(s.ReasonSchema, lambda d, n, v, a: d.recuse_judge(n, v["reason"], a)),
    "order_examination": Command(s.ExaminationSchema, lambda d, n, v, a: d.order_examination(n, actor=a, **v)),
    "submit_expert_report": Command(s.ReportSchema, lambda d, n, v, a: d.submit_expert_report(n, actor=a, **v), "examinations"),
    "withdraw_examination": Command(
        s.ReasonSchema, lambda d, n, v, a: d.withdraw_examination(n, v["examination_id"], v["reason"], a), "examinations",
    ),
    "schedule_hearing": Command(s.HearingSchema, lambda d, n, v, a: d.schedule_hearing(n, actor=a, **v)),
    "reschedule_hearing": Command(s.RescheduleSchema, lambda d, n, v, a: d.reschedule_hearing(n, actor=a, **v), "hearings"),
    "hold_hearing": Command(s.MinutesSchema, lambda d, n, v, a: d.hold_hearing(n, actor=a, **v), "hearings"),
    "cancel_hearing": Command(s.ReasonSchema, lambda d, n, v, a: d.cancel_hearing(n, actor=a, **v), "hearings"),
    "refer_to_mediation": Command(s.MediationReferralSchema, lambda d, n, v, a: d.refer_to_mediation(n, actor=a, **v)),
    "conclude_mediation": Command(s.MediationOutcomeSchema, lambda d, n, v, a: d.conclude_mediation(n, actor=a, **v)),
    "issue_ruling": Command(s.RulingSchema, lambda d, n, v, a: d.issue_ruling(n, s.RulingSchema.draft(v), a)),
    "file_appeal": Command(s.AppealSchema, lambda d, n, v, a: d.file_appeal(n, actor=a, **v)),
    "decide_appeal": Command(s.AppealDecisionSchema, lambda d, n, v, a: d.decide_appeal(n, actor=a, **v)),
    "enter_into_force": Command(s.ActionSchema, lambda d, n, v, a: d.enter_into_force(n, a)),
    "reopen_case": Command(s.ReopenSchema, lambda d, n, v, a: d.reopen_case(n, actor=a, **v)),
    "seal_case": Command(s.SealSchema, lambda d, n, v, a: d.seal_case(n, actor=a, **v)),
    "unseal_case": Command(s.ReasonSchema, lambda d, n, v, a: d.unseal_case(n, actor=a, **v)),
}
# Every command is an action of domain.permissions (its one table of who may do what).
assert set(COMMANDS) <= set(PERMISSIONS), set(COMMANDS) - set(PERMISSIONS)

RECEIPT_FIELDS = ("docket_number", "version", "position", "id", "transferred_to")


def receipt(done: dict[str, Any]) -> dict[str, Any]:
    """What a write answers: the case's new version, its position in the event log, the new item's id."""
    return {name: done.get(name) for name in RECEIPT_FIELDS}


def file_case(values: dict[str, Any]) -> dict[str, Any]:
    """Docket a new case (its parsed ``CaseFilingSchema`` input) as the caller; the receipt once the read models have it."""
    done = services().docket.file_case(**values, actor=caller().actor)
    services().caught_up(done.get("position"))
    return receipt(done)


def has_subject(name: str, case: Case, subject_id: str) -> bool:
    """Whether the case has the hearing or examination a command's path names."""
    view = CaseView.of(case)
    subject = COMMANDS[name].subject
    if subject == "hearings":
        return view.hearing(subject_id) is not None
    if subject == "examinations":
        return view.examination(subject_id) is not None
    return True


def execute(name: str, case: Case, values: dict[str, Any]) -> dict[str, Any]:
    """Run command ``name`` on ``case`` (read for the caller) with its parsed input, as the caller.

    Refused with ``StaleCase`` if ``expected_version`` is not the case's version, and with the
    domain's error if a rule or R14 refuses; otherwise waits until the read models include the
    write (read your writes) and returns the receipt."""
    values = dict(values)
    expected = values.pop("expected_version", None)
    if expected is not None and expected != case.version:
        raise StaleCase(case, expected)
    done = COMMANDS[name].run(services().docket, case.docket_number, values, caller().actor)
    services().caught_up(done.get("position"))
    return receipt(done)
