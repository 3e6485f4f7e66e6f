"""The inbox: notices of deadlines for each user, written by the court clock (``scripts.worker_store``),
read on the site's inbox page.

A notice is unique per (case, kind, subject, deadline date, recipient); ``subject`` tells two
examinations or hearings of one case apart and is ``""`` for a deadline of the whole case. Instants
are naive UTC ``DateTime`` values and dates court-local ``Date`` values, as in ``projections.tables``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    Connection,
    Date,
    DateTime,
    Index,
    Integer,
    String,
    Table,
    UniqueConstraint,
    and_,
    func,
    or_,
    select,
    update,
)

from projections import tables as t
from projections.queries import Page, Viewer, visible_to

NOTICE_KINDS: tuple[str, ...] = (
    "examination_due_soon",  # an expert report is due within the reminder period
    "examination_overdue",  # the due date passed with no report
    "hearing_reminder",  # a hearing starts tomorrow (or later today)
    "hearing_no_outcome",  # a hearing's time passed and it was neither held nor cancelled
    "mediation_due_soon",
    "mediation_overdue",
    "consideration_term_exceeded",  # a civil case pending past the statutory term
    "ruling_in_force",  # the appeal window closed with no appeal: the ruling entered into legal force
)

notices = Table(
    "notices",
    t.metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("user_id", Integer, nullable=False),  # users.id
    Column("kind", String(40), nullable=False),
    Column("case_id", String(36), nullable=False),
    Column("subject", String(16), nullable=False),  # examination, hearing, mediation or ruling id; "" for the case
    Column("deadline_on", Date, nullable=False),
    Column("docket_number", String(32), nullable=False),
    Column("court", String(3), nullable=False),
    Column("details", JSON, nullable=False),  # what the inbox shows: dates as ISO strings
    Column("created_at", DateTime, nullable=False),  # UTC, on the worker's clock
    Column("read_at", DateTime),  # UTC
    UniqueConstraint("case_id", "kind", "subject", "deadline_on", "user_id", name="uq_notices_once"),
    Index("ix_notices_user_read", "user_id", "read_at"),
    Index("ix_notices_user_created", "user_id", "created_at"),
)


def naive_utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(tzinfo=None)


# --- the inbox -------------------------------------------------------------------------------------------


def _inbox_filter(user_id: int, viewer: Viewer) -> Any:
    # A notice about a case the user may no longer see (sealed since, judge recused) stays hidden.
    return and_(notices.c.user_id == user_id, or_(t.cases.c.case_id.is_(None), visible_to(viewer)))


_INBOX_SOURCE = notices.outerjoin(t.cases, t.cases.c.case_id == notices.c.case_id)


def inbox(conn: Connection, user_id: int, viewer: Viewer, *, unread_only: bool = False, page: int = 1, per_page: int = 25) -> Page:
    """The user's notices, unread first, newest first."""
    page, per_page = max(1, page), min(max(1, per_page), 200)
    condition = _inbox_filter(user_id, viewer)
    if unread_only:
        condition = and_(condition, notices.c.read_at.is_(None))
    total = int(conn.execute(select(func.count()).select_from(_INBOX_SOURCE).where(condition)).scalar_one())
    query = (
        select(notices, t.cases.c.sealed)
        .select_from(_INBOX_SOURCE)
        .where(condition)
        .order_by(notices.c.read_at.is_not(None), notices.c.created_at.desc(), notices.c.deadline_on, notices.c.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    items = []
    for row in conn.execute(query).mappings():
        item = dict(row)
        item["created_at"] = _aware(item["created_at"])
        item["read_at"] = _aware(item["read_at"])
        item["sealed"] = bool(item["sealed"])
        items.append(item)
    return Page(items=items, total=total, page=page, per_page=per_page)


def unread_count(conn: Connection, user_id: int, viewer: Viewer) -> int:
    condition = and_(_inbox_filter(user_id, viewer), notices.c.read_at.is_(None))
    return int(conn.execute(select(func.count()).select_from(_INBOX_SOURCE).where(condition)).scalar_one())


def mark_read(conn: Connection, user_id: int, now: datetime, notice_ids: Iterable[int] | None = None) -> int:
    """Mark the user's notices read (``notice_ids``, or all of them); returns how many changed.
    Only the user's own notices: another user's id changes nothing."""
    statement = update(notices).where(notices.c.user_id == user_id, notices.c.read_at.is_(None))
    if notice_ids is not None:
        statement = statement.where(notices.c.id.in_(list(notice_ids)))
    return int(conn.execute(statement.values(read_at=naive_utc(now))).rowcount or 0)


def _aware(moment: datetime | None) -> datetime | None:
    return None if moment is None else moment.replace(tzinfo=UTC)
