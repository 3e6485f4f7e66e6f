"""What is due at the court now: the deadlines the worker watches, read from the read models.

Each query returns ``Due`` items, one per deadline that has come (a reminder's period has begun,
a due date has passed, an appeal window has closed) and still matters (the report is still
missing, the hearing still has no outcome, the ruling still awaits legal force). The worker
turns them into notices and actions; nothing here writes.

Deadlines are court-local dates. "Overdue" is derived: an examination is overdue from the day
after its due date while no report is in; it is never stored on the docket.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, and_, select

from domain import clock
from projections import tables as t

# Who is told, per kind of notice: the assigned judge and the clerks of the case's court, the
# clerks only (they run the calendar), or the judge only (the clerks when none is assigned).
AUDIENCE: dict[str, str] = {
    "examination_due_soon": "judge_and_clerks",
    "examination_overdue": "judge_and_clerks",
    "hearing_reminder": "judge_and_clerks",
    "hearing_no_outcome": "clerks",
    "mediation_due_soon": "judge_and_clerks",
    "mediation_overdue": "judge_and_clerks",
    "consideration_term_exceeded": "judge",
    "ruling_in_force": "judge_and_clerks",
}


@dataclass(frozen=True)
class Due:
    """One deadline that has come for one case."""

    kind: str
    case_id: str
    docket_number: str
    court: str
    judge_id: str | None
    subject: str  # the examination, hearing, mediation or ruling id; "" for the whole case
    deadline_on: date
    details: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def audience(self) -> str:
        return AUDIENCE[self.kind]

    def key(self) -> tuple[str, str, str, date]:
        return (self.case_id, self.kind, self.subject, self.deadline_on)


def _case(row: Any, kind: str, subject: str, deadline_on: date, **details: Any) -> Due:
    return Due(
        kind=kind, case_id=row.case_id, docket_number=row.docket_number, court=row.court, judge_id=row.judge_id,
        subject=subject, deadline_on=deadline_on, details={k: _plain(v) for k, v in details.items()},
    )


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.replace(tzinfo=UTC).isoformat() if value.tzinfo is None else value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def examinations_due(conn: Connection, today: date, remind_days: int) -> list[Due]:
    """Examinations still awaiting their report: a reminder from ``remind_days`` days before the due
    date until the due date, an overdue notice from the day after."""
    e, c = t.examinations, t.cases
    query = (
        select(c.c.case_id, c.c.docket_number, c.c.court, c.c.judge_id, e.c.examination_id, e.c.kind, e.c.ordered_on, e.c.due_on)
        .join(c, c.c.case_id == e.c.case_id)
        .where(e.c.status == "ordered", e.c.due_on <= today + timedelta(days=remind_days))
        .order_by(e.c.due_on, c.c.docket_number, e.c.examination_id)
    )
    found = []
    for row in conn.execute(query):
        kind = "examination_overdue" if row.due_on < today else "examination_due_soon"
        found.append(_case(row, kind, row.examination_id, row.due_on, examination_id=row.examination_id,
                           examination_kind=row.kind, ordered_on=row.ordered_on, due_on=row.due_on))
    return found


def hearings_due(conn: Connection, now: datetime) -> list[Due]:
    """Scheduled hearings starting before the end of tomorrow (a reminder, while they have not
    started) and hearings whose time has passed with no outcome recorded (for the clerks)."""
    h, c = t.hearings, t.cases
    today = clock.local_date(now)
    query = (
        select(c.c.case_id, c.c.docket_number, c.c.court, c.c.judge_id, h.c.hearing_id, h.c.starts_at, h.c.starts_on,
               h.c.duration_minutes, h.c.courtroom, h.c.purpose)
        .join(c, c.c.case_id == h.c.case_id)
        .where(h.c.status == "scheduled", h.c.starts_on <= today + timedelta(days=1))
        .order_by(h.c.starts_at, c.c.docket_number, h.c.hearing_id)
    )
    found = []
    naive_now = now.astimezone(UTC).replace(tzinfo=None)
    for row in conn.execute(query):
        details = dict(hearing_id=row.hearing_id, starts_at=row.starts_at, courtroom=row.courtroom, purpose=row.purpose)
        if row.starts_at > naive_now:
            found.append(_case(row, "hearing_reminder", row.hearing_id, row.starts_on, **details))
        elif row.starts_at + timedelta(minutes=row.duration_minutes) <= naive_now:
            found.append(_case(row, "hearing_no_outcome", row.hearing_id, row.starts_on, **details))
        # else: in progress now; its outcome is not late yet
    return found


def mediations_due(conn: Connection, today: date, remind_days: int) -> list[Due]:
    """Open mediations: a reminder from ``remind_days`` days before the due date, an overdue
    notice from the day after it while the mediation is still not concluded."""
    m, c = t.mediations, t.cases
    query = (
        select(c.c.case_id, c.c.docket_number, c.c.court, c.c.judge_id, m.c.mediation_id, m.c.mediator_name, m.c.referred_on, m.c.due_on)
        .join(c, c.c.case_id == m.c.case_id)
        .where(m.c.concluded_on.is_(None), m.c.due_on <= today + timedelta(days=remind_days))
        .order_by(m.c.due_on, c.c.docket_number, m.c.mediation_id)
    )
    found = []
    for row in conn.execute(query):
        kind = "mediation_overdue" if row.due_on < today else "mediation_due_soon"
        found.append(_case(row, kind, row.mediation_id, row.due_on, mediation_id=row.mediation_id,
                           mediator=row.mediator_name, referred_on=row.referred_on, due_on=row.due_on))
    return found


def consideration_terms_exceeded(conn: Connection, today: date, term_ends: Callable[[date], date]) -> list[Due]:
    """Civil cases still pending after the statutory term (``term_ends(received_on)``: from the
    Rulebook in force on the day of receipt) has ended."""
    c = t.cases
    query = (
        select(c.c.case_id, c.c.docket_number, c.c.court, c.c.judge_id, c.c.received_on)
        .where(c.c.track == "civil", c.c.status == "pending", c.c.received_on < today)
        .order_by(c.c.received_on, c.c.docket_number)
    )
    found = []
    for row in conn.execute(query):
        ends = term_ends(row.received_on)
        if ends < today:
            found.append(_case(row, "consideration_term_exceeded", "", ends, received_on=row.received_on, term_ended_on=ends,
                               days_pending=(today - row.received_on).days))
    return found


def appeal_windows_closed(conn: Connection, today: date, appeal_deadline: Callable[[str, date], date]) -> list[Due]:
    """Rulings awaiting an appeal or legal force whose appeal window (``appeal_deadline(track,
    decided_on)``, the last day to appeal) ended before today. The deadline date is that last day."""
    c = t.cases
    query = (
        select(c.c.case_id, c.c.docket_number, c.c.court, c.c.judge_id, c.c.track, c.c.decided_on, c.c.disposition, c.c.latest_ruling_id)
        .where(and_(c.c.status == "decided", c.c.decided_on.is_not(None)))
        .order_by(c.c.decided_on, c.c.docket_number)
    )
    found = []
    for row in conn.execute(query):
        last_day = appeal_deadline(row.track, row.decided_on)
        if last_day < today:
            found.append(_case(row, "ruling_in_force", row.latest_ruling_id or "", last_day, ruling_id=row.latest_ruling_id,
                               decided_on=row.decided_on, disposition=row.disposition, appeal_deadline=last_day,
                               in_force_on=last_day + timedelta(days=1)))
    return found


def deadline_counts(conn: Connection, now: datetime, term_ends: Callable[[date], date], appeal_deadline: Callable[[str, date], date]) -> dict[str, int]:
    """How many deadlines stand passed right now, for the nightly snapshot and trend charts."""
    today = clock.local_date(now)
    counts = dict.fromkeys(("examinations_overdue", "hearings_without_outcome", "mediations_overdue",
                            "civil_cases_past_term", "rulings_awaiting_force_past_window"), 0)
    counts["examinations_overdue"] = sum(d.kind == "examination_overdue" for d in examinations_due(conn, today, 0))
    counts["hearings_without_outcome"] = sum(d.kind == "hearing_no_outcome" for d in hearings_due(conn, now))
    counts["mediations_overdue"] = sum(d.kind == "mediation_overdue" for d in mediations_due(conn, today, 0))
    counts["civil_cases_past_term"] = len(consideration_terms_exceeded(conn, today, term_ends))
    counts["rulings_awaiting_force_past_window"] = len(appeal_windows_closed(conn, today, appeal_deadline))
    return counts
