"""The court clock's own records: the worker's actions on deadlines, the nightly statistics snapshots,
a log of its runs (tables in ``projections.store_tables``), and how it writes notices to the inbox
(``projections.notices``).

These are plain rows beside the read models, not projections: a notice changes nothing on the
docket. Exactly once is kept by the database, not by the worker:

- a notice is inserted with ``INSERT ... ON CONFLICT DO NOTHING`` on its unique key, so two workers,
  or a worker re-running after a crash, create it once;
- an action on the docket (a ruling entering into legal force) is first written down as a
  pending ``deadline_actions`` row, then done, then marked done together with its notices: a
  worker killed in between finds the row still pending and finishes it, and the docket itself
  refuses to record the same action twice.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Engine, Table, func, select, update
from sqlalchemy.dialects import postgresql, sqlite

from projections.notices import naive_utc, notices
from projections.store_tables import deadline_actions, statistics_snapshots, users, worker_runs

STATUS_PENDING, STATUS_DONE, STATUS_NOT_APPLICABLE = "pending", "done", "not_applicable"
INSERT_CHUNK = 400  # rows per multi-row INSERT: well under either back end's parameter limit


def _insert(conn: Connection, table: Table) -> Any:
    return (postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert)(table)


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """A write transaction; on SQLite it takes the write lock at once (``BEGIN IMMEDIATE``), so a
    read early in the transaction never meets a newer commit when it comes to write."""
    with engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.begin()
        try:
            yield conn
        except BaseException:
            conn.rollback()
            raise
        conn.commit()


# --- recipients -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Recipients:
    """Active users who receive notices: judges by their Judge registry id, clerks by court."""

    judges: dict[str, tuple[int, ...]]
    clerks: dict[str, tuple[int, ...]]

    def of(self, audience: str, court: str, judge_id: str | None) -> tuple[int, ...]:
        """``audience``: "judge_and_clerks", "clerks", or "judge" (the clerks when no judge is assigned)."""
        judge = self.judges.get(judge_id, ()) if judge_id else ()
        clerks = self.clerks.get(court, ())
        if audience == "clerks":
            return clerks
        if audience == "judge":
            return judge if judge_id else clerks
        return tuple(dict.fromkeys((*judge, *clerks)))


def load_recipients(conn: Connection) -> Recipients:
    judges: dict[str, list[int]] = {}
    clerks: dict[str, list[int]] = {}
    query = select(users.c.id, users.c.role, users.c.court, users.c.judge_id).where(users.c.active.is_(True)).order_by(users.c.id)
    for user_id, role, court, judge_id in conn.execute(query):
        if role == "judge" and judge_id:
            judges.setdefault(judge_id, []).append(user_id)
        elif role == "clerk" and court:
            clerks.setdefault(court, []).append(user_id)
    return Recipients({k: tuple(v) for k, v in judges.items()}, {k: tuple(v) for k, v in clerks.items()})


# --- writing notices ------------------------------------------------------------------------------------


def notice_key(row: dict[str, Any]) -> tuple[Any, ...]:
    return (row["case_id"], row["kind"], row["subject"], row["deadline_on"], row["user_id"])


def insert_notices(conn: Connection, rows: Sequence[dict[str, Any]]) -> list[tuple[Any, ...]]:
    """Insert the notices that do not exist yet; returns the keys (case id, kind, subject,
    deadline date, user id) of those created now.

    Rows go in sorted by their key, so two workers inserting overlapping sets at once lock
    the keys in the same order and wait for each other instead of deadlocking.
    """
    created: list[tuple[Any, ...]] = []
    ordered = sorted({notice_key(row): row for row in rows}.values(), key=notice_key)
    for start in range(0, len(ordered), INSERT_CHUNK):
        chunk = ordered[start:start + INSERT_CHUNK]
        statement = (
            _insert(conn, notices).values(chunk).on_conflict_do_nothing()
            .returning(notices.c.case_id, notices.c.kind, notices.c.subject, notices.c.deadline_on, notices.c.user_id)
        )
        created.extend(tuple(row) for row in conn.execute(statement))
    return created


def add_pending_actions(conn: Connection, rows: Sequence[dict[str, Any]], now: datetime) -> int:
    """Write down actions to take (insert-if-absent); returns how many are new."""
    created = 0
    values = [{**row, "status": STATUS_PENDING, "outcome": None, "attempts": 0, "created_at": naive_utc(now), "done_at": None} for row in rows]
    values.sort(key=lambda r: (r["case_id"], r["kind"], r["subject"], r["deadline_on"]))
    for start in range(0, len(values), INSERT_CHUNK):
        statement = _insert(conn, deadline_actions).values(values[start:start + INSERT_CHUNK]).on_conflict_do_nothing().returning(deadline_actions.c.case_id)
        created += len(conn.execute(statement).all())
    return created


def pending_action_keys(conn: Connection, kind: str, *, before: date) -> list[tuple[str, str, str, date]]:
    """The actions still to take whose deadline passed before ``before`` (today, on the worker's clock),
    including those a run that was killed left behind."""
    query = (
        select(deadline_actions.c.case_id, deadline_actions.c.kind, deadline_actions.c.subject, deadline_actions.c.deadline_on)
        .where(deadline_actions.c.status == STATUS_PENDING, deadline_actions.c.kind == kind, deadline_actions.c.deadline_on < before)
        .order_by(deadline_actions.c.deadline_on, deadline_actions.c.case_id)
    )
    return [(row[0], row[1], row[2], row[3]) for row in conn.execute(query)]


def claim_action(conn: Connection, key: tuple[str, str, str, date]) -> dict[str, Any] | None:
    """The pending action, locked for this transaction; None if it is done or (PostgreSQL)
    another worker holds it right now."""
    case_id, kind, subject, deadline_on = key
    query = select(deadline_actions).where(
        deadline_actions.c.case_id == case_id, deadline_actions.c.kind == kind,
        deadline_actions.c.subject == subject, deadline_actions.c.deadline_on == deadline_on,
        deadline_actions.c.status == STATUS_PENDING,
    )
    if conn.dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    row = conn.execute(query).mappings().first()
    return dict(row) if row is not None else None


def finish_action(conn: Connection, row: dict[str, Any], status: str, outcome: str, now: datetime) -> None:
    conn.execute(
        update(deadline_actions)
        .where(*(deadline_actions.c[name] == row[name] for name in ("case_id", "kind", "subject", "deadline_on")))
        .values(status=status, outcome=outcome[:2000], attempts=deadline_actions.c.attempts + 1,
                done_at=naive_utc(now) if status != STATUS_PENDING else None)
    )


# --- statistics snapshots ------------------------------------------------------------------------------------


def save_snapshot(conn: Connection, taken_on: date, name: str, data: dict[str, Any], now: datetime) -> None:
    """Keep the day's figures; a later run the same day replaces them (the latest are the most complete)."""
    statement = _insert(conn, statistics_snapshots).values(taken_on=taken_on, name=name, data=data, taken_at=naive_utc(now))
    conn.execute(statement.on_conflict_do_update(index_elements=["taken_on", "name"], set_={"data": data, "taken_at": naive_utc(now)}))


def snapshot_series(conn: Connection, name: str, start: date, end: date) -> list[dict[str, Any]]:
    """The snapshots named ``name`` from ``start`` to ``end``, oldest first: ``[{"taken_on", "data"}]``
    (for trend charts)."""
    query = (
        select(statistics_snapshots.c.taken_on, statistics_snapshots.c.data)
        .where(statistics_snapshots.c.name == name, statistics_snapshots.c.taken_on.between(start, end))
        .order_by(statistics_snapshots.c.taken_on)
    )
    return [{"taken_on": taken_on, "data": data} for taken_on, data in conn.execute(query)]


def latest_snapshot_day(conn: Connection) -> date | None:
    value = conn.execute(select(func.max(statistics_snapshots.c.taken_on))).scalar_one_or_none()
    return value if isinstance(value, date) else None


# --- the worker's runs -----------------------------------------------------------------------------------------


def start_run(conn: Connection, job: str, worker: str, as_of: datetime, started_at: datetime) -> int:
    result = conn.execute(
        worker_runs.insert().values(job=job, worker=worker, as_of=naive_utc(as_of), started_at=naive_utc(started_at)).returning(worker_runs.c.id)
    )
    return int(result.scalar_one())


def finish_run(conn: Connection, run_id: int, finished_at: datetime, counts: dict[str, int], error: str | None = None) -> None:
    conn.execute(update(worker_runs).where(worker_runs.c.id == run_id).values(finished_at=naive_utc(finished_at), counts=counts, error=error))


def unfinished_jobs(conn: Connection) -> set[str]:
    """Jobs whose latest run never finished (the worker was killed or crashed during it)."""
    latest = select(worker_runs.c.job, func.max(worker_runs.c.id).label("id")).group_by(worker_runs.c.job).subquery()
    query = select(worker_runs.c.job).join(latest, worker_runs.c.id == latest.c.id).where(worker_runs.c.finished_at.is_(None))
    return set(conn.execute(query).scalars())
