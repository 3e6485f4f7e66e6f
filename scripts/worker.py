"""``medcourt worker``: the court's clock.

A court runs on deadlines. The worker watches them and acts on time, exactly once:

- ``examinations``: a reminder before an expert report is due, an overdue notice from the day after;
- ``hearings``: a reminder the day before, and hearings whose time passed with no outcome recorded
  flagged to the clerks;
- ``legal_force``: when a ruling's appeal window (Rulebook, by track) has closed with no appeal,
  the ruling enters into legal force: ``Docket.enter_into_force`` records ``RulingEnteredIntoForce``;
- ``mediations``: a reminder before a mediation is due, an overdue notice after;
- ``consideration_terms``: civil cases pending past the statutory term flagged to the judge;
- ``statistics``: the day's statistics snapshot, kept for trend charts.

Every job is state-based and idempotent: it reads what is due now from the read models (after
projecting the newest events) and creates what does not exist yet. Notices are unique per case,
kind, subject, deadline and recipient and inserted with ON CONFLICT DO NOTHING; an action on the
docket is written down first (``deadline_actions``), then done through the docket service (which
refuses to do it twice), then marked done with its notices in one transaction. So two workers at
once, or a worker killed mid-run and restarted, create each event and each notice once.

``medcourt worker`` runs an APScheduler 3 scheduler whose jobs live in the read-model database
(``SQLAlchemyJobStore``, table ``apscheduler_jobs``). Runs missed while no worker was up are
coalesced into one run when it starts; a job whose last run never finished is run again at once.
``medcourt worker --run-once [--now 2026-12-01T09:00]`` runs every job once, as of that time
(court-local unless an offset is given), and prints the counts. The worker logs what it does
as JSON lines on stderr.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import socket
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.base import ConflictingIdError
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import STATE_RUNNING
from apscheduler.triggers.cron import CronTrigger

from domain import clock
from domain.application import Docket
from domain.errors import DomainError, InvalidValue
from domain.vocabulary import SYSTEM
from projections import deadlines, schema, store_tables
from projections import statistics as stats
from projections.db import views_engine
from projections.deadlines import Due
from projections.notices import naive_utc
from projections.projector import Projector
from projections.settings import Settings
from scripts import worker_store as store
from scripts.context import open_docket, settings

log = logging.getLogger("medcourt.worker")

DEFAULT_REMIND_DAYS = 3


@dataclass(frozen=True)
class JobSpec:
    description: str
    cron: dict[str, Any]  # CronTrigger fields, court-local time


# Day-granular deadlines are looked at early in the court's morning (legal force just after
# midnight: a window closes at the end of its last day); hearings every hour; the snapshot late
# in the evening, when the day's work is recorded.
JOBS: dict[str, JobSpec] = {
    "legal_force": JobSpec("rulings whose appeal window closed with no appeal enter into legal force", {"hour": 0, "minute": 10}),
    "examinations": JobSpec("expert reports due soon and overdue", {"hour": 7, "minute": 0}),
    "hearings": JobSpec("hearings tomorrow, and hearings past their time with no outcome", {"minute": 15}),
    "mediations": JobSpec("mediations due soon and overdue", {"hour": 7, "minute": 5}),
    "consideration_terms": JobSpec("civil cases pending past the statutory term", {"hour": 7, "minute": 10}),
    "statistics": JobSpec("the day's statistics snapshot for trend charts", {"hour": 23, "minute": 45}),
}
JOB_NAMES: tuple[str, ...] = tuple(JOBS)


def note(event: str, level: int = logging.INFO, **fields: Any) -> None:
    """One structured log line: the event's name and its fields."""
    log.log(level, event, extra={"fields": {"as_of": clock.now().isoformat(timespec="seconds"), **fields}})


class JSONLines(logging.Formatter):
    """Each record as one JSON object: ``at``, ``level``, ``event`` and the event's fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "at": datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "event": record.getMessage(),
        }
        if record.name != log.name:
            entry["logger"] = record.name
        entry.update(getattr(record, "fields", {}))
        if record.exc_info:
            entry["error"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


@dataclass
class JobReport:
    """What one run of one job found and did."""

    job: str
    as_of: datetime
    counts: Counter[str] = field(default_factory=Counter)
    error: str | None = None

    def line(self) -> str:
        shown = " ".join(f"{name}={value}" for name, value in sorted(self.counts.items()))
        return f"{self.job}: {shown or 'nothing due'}" + (f" FAILED: {self.error}" if self.error else "")


class CourtScheduler(BackgroundScheduler):  # type: ignore[misc]  # APScheduler 3 ships no types
    """APScheduler's background scheduler, except that it looks for due jobs only while running.

    APScheduler 3 looks once more after ``shutdown()`` (and a paused scheduler's last look is not
    skipped): it then fails to hand the due jobs to the executors it has just shut down, yet
    moves their next run time on, so a run due at that moment would be lost.
    """

    def _process_jobs(self) -> float | None:
        if self.state != STATE_RUNNING:
            return None
        result: float | None = super()._process_jobs()
        return result


class Worker:
    """Runs the court's deadline jobs against one installation. Use as a context manager, or ``close()``."""

    def __init__(
        self,
        current: Settings,
        *,
        docket: Docket | None = None,
        remind_days: int = DEFAULT_REMIND_DAYS,
        throttle: float = 0.0,
    ) -> None:
        self.settings = current
        self.remind_days = remind_days
        self.throttle = throttle
        self.identity = f"{socket.gethostname()}:{os.getpid()}"
        self.engine = views_engine(current)
        self._own_docket = docket is None
        self.docket = docket or open_docket(current)
        self.projector = Projector(current, ["cases", "statistics"], docket=self.docket)  # the day's statistics read both

    def close(self) -> None:
        self.projector.close()
        if self._own_docket:
            self.docket.close()

    def __enter__(self) -> Worker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- running jobs -----------------------------------------------------------------------------------

    def run_all(self, names: Sequence[str] | None = None) -> list[JobReport]:
        """Run each job once (all by default), in order; a job that fails does not stop the others."""
        reports = []
        for name in names or JOB_NAMES:
            try:
                reports.append(self.run_job(name))
            except Exception as error:  # noqa: BLE001 - reported, logged, and the exit code says so
                reports.append(JobReport(name, clock.now(), error=f"{type(error).__name__}: {error}"))
        return reports

    def run_job(self, name: str) -> JobReport:
        """Run one job as of ``clock.now()``: project the newest events, then find and handle what is due."""
        job = getattr(self, f"job_{name}")
        report = JobReport(name, clock.now())
        with store.write_transaction(self.engine) as conn:
            run_id = store.start_run(conn, name, self.identity, report.as_of, datetime.now(tz=UTC))
        note("job_started", job=name, run=run_id)
        started = time.monotonic()
        try:
            self.projector.catch_up()
            job(report)
        except Exception as error:
            report.error = f"{type(error).__name__}: {error}"
            log.exception("job_failed", extra={"fields": {"as_of": report.as_of.isoformat(timespec="seconds"), "job": name, "run": run_id}})
            with store.write_transaction(self.engine) as conn:
                store.finish_run(conn, run_id, datetime.now(tz=UTC), dict(report.counts), report.error)
            raise
        with store.write_transaction(self.engine) as conn:
            store.finish_run(conn, run_id, datetime.now(tz=UTC), dict(report.counts))
        note("job_finished", job=name, run=run_id, seconds=round(time.monotonic() - started, 3), **dict(report.counts))
        return report

    # --- the jobs -------------------------------------------------------------------------------------------

    def job_examinations(self, report: JobReport) -> None:
        with self.engine.connect() as conn:
            due = deadlines.examinations_due(conn, clock.today(), self.remind_days)
        self._notify(due, report)

    def job_hearings(self, report: JobReport) -> None:
        with self.engine.connect() as conn:
            due = deadlines.hearings_due(conn, clock.now())
        self._notify(due, report)

    def job_mediations(self, report: JobReport) -> None:
        with self.engine.connect() as conn:
            due = deadlines.mediations_due(conn, clock.today(), self.remind_days)
        self._notify(due, report)

    def job_consideration_terms(self, report: JobReport) -> None:
        term_ends = self._term_ends()
        with self.engine.connect() as conn:
            due = deadlines.consideration_terms_exceeded(conn, clock.today(), term_ends)
        self._notify(due, report)

    def job_legal_force(self, report: JobReport) -> None:
        """Write down every closed appeal window as a pending action, then take each pending action
        (those left by a run that was killed too): enter the ruling into force, notify, mark done."""
        now = clock.now()
        with self.engine.connect() as conn:
            due = deadlines.appeal_windows_closed(conn, clock.today(), self._appeal_deadline())
        report.counts["due"] = len(due)
        with store.write_transaction(self.engine) as conn:
            store.add_pending_actions(conn, [_action_row(d) for d in due], now)
            keys = store.pending_action_keys(conn, "ruling_in_force", before=clock.today())
            recipients = store.load_recipients(conn)
        for key in keys:
            self._enter_into_force(key, recipients, report)

    def job_statistics(self, report: JobReport) -> None:
        """The day's figures as of now: pending caseload and its age (overall and by court), outcomes and
        expert examinations over the last 30 days, and the deadlines that stand passed."""
        now, today = clock.now(), clock.today()
        month = today - timedelta(days=29)
        with self.engine.connect() as conn:
            figures = {
                "pending": stats.pending(conn, today),
                "pending_by_court": stats.pending(conn, today, by="court"),
                "outcomes_30d": stats.outcomes(conn, month, today),
                "experts_30d": stats.experts(conn, month, today),
                "deadlines": deadlines.deadline_counts(conn, now, self._term_ends(), self._appeal_deadline()),
            }
        with store.write_transaction(self.engine) as conn:
            for name, data in figures.items():
                store.save_snapshot(conn, today, name, json.loads(json.dumps(data, default=str)), now)
        report.counts["snapshots"] = len(figures)
        note("statistics_snapshot", taken_on=today, pending=figures["pending"]["groups"][0]["pending"], **figures["deadlines"])

    # --- how -----------------------------------------------------------------------------------------------------

    def _term_ends(self) -> Callable[[date], date]:
        rulebook = self.docket.rulebook()
        return lambda received_on: rulebook.in_force_on(received_on).consideration_deadline(received_on)

    def _appeal_deadline(self) -> Callable[[str, date], date]:
        rulebook = self.docket.rulebook()
        return lambda track, decided_on: rulebook.in_force_on(decided_on).appeal_deadline(track, decided_on)

    def _notify(self, due: list[Due], report: JobReport) -> None:
        """Create the notices of these deadlines that do not exist yet, in one transaction."""
        now = clock.now()
        with store.write_transaction(self.engine) as conn:
            recipients = store.load_recipients(conn)
            rows: list[dict[str, Any]] = []
            for item in due:
                report.counts[item.kind] += 1
                users = recipients.of(item.audience, item.court, item.judge_id)
                if not users:
                    report.counts["without_recipients"] += 1
                rows.extend(_notice_row(item, user_id, now) for user_id in users)
            created = store.insert_notices(conn, rows)
        per_item = Counter(key[:4] for key in created)
        report.counts["notices"] += len(created)
        for item in due:
            if per_item[item.key()]:
                note("notice_created", kind=item.kind, docket_number=item.docket_number, subject=item.subject,
                     deadline_on=item.deadline_on, recipients=per_item[item.key()])

    def _enter_into_force(self, key: tuple[str, str, str, date], recipients: store.Recipients, report: JobReport) -> None:
        now = clock.now()
        with store.write_transaction(self.engine) as conn:
            row = store.claim_action(conn, key)
            if row is None:
                report.counts["taken_by_another_worker"] += 1
                return
            number, expected = row["docket_number"], row["deadline_on"] + timedelta(days=1)
            try:
                self.docket.enter_into_force(number, SYSTEM)
                outcome = "recorded"
            except InvalidValue as refusal:
                # Already in force (another worker, or this one before a crash): finish the job.
                # Still awaiting force (the window is open on this clock): leave it for later.
                # Anything else (appealed, reopened meanwhile): the deadline no longer applies.
                case = self.docket.case(number)
                same_ruling = case.ruling is not None and case.ruling["ruling_id"] == row["subject"]
                if same_ruling and case.status == "in_force" and case.in_force_on == expected:
                    outcome = "already_done"
                elif same_ruling and case.status == "decided":
                    store.finish_action(conn, row, store.STATUS_PENDING, str(refusal), now)
                    report.counts["not_due_yet"] += 1
                    return
                else:
                    store.finish_action(conn, row, store.STATUS_NOT_APPLICABLE, str(refusal), now)
                    report.counts["not_applicable"] += 1
                    note("legal_force_not_applicable", docket_number=number, reason=str(refusal))
                    return
            except DomainError as error:
                store.finish_action(conn, row, store.STATUS_PENDING, str(error), now)
                report.counts["failed"] += 1
                note("legal_force_failed", logging.WARNING, docket_number=number, reason=str(error))
                return
            item = Due(
                kind=row["kind"], case_id=row["case_id"], docket_number=number, court=row["details"]["court"],
                judge_id=row["details"].get("judge_id"), subject=row["subject"], deadline_on=row["deadline_on"], details=row["details"],
            )
            users = recipients.of(item.audience, item.court, item.judge_id)
            created = store.insert_notices(conn, [_notice_row(item, user_id, now) for user_id in users])
            store.finish_action(conn, row, store.STATUS_DONE, outcome, now)
        report.counts[outcome] += 1
        report.counts["notices"] += len(created)
        note("ruling_entered_into_force", docket_number=number, ruling_id=row["subject"], in_force_on=expected, outcome=outcome, notices=len(created))
        if self.throttle:
            time.sleep(self.throttle)

    # --- the live scheduler --------------------------------------------------------------------------------------

    def serve(self, stop: threading.Event) -> None:
        """Run the jobs on their schedule until ``stop`` is set, with APScheduler's jobs kept in the
        read-model database. Missed runs are coalesced into one run at start; a job whose last run
        never finished (the worker was killed) runs again at once."""
        global _serving
        scheduler = CourtScheduler(
            timezone=clock.COURT_TZ,
            jobstores={"default": SQLAlchemyJobStore(engine=self.engine, tablename=store_tables.apscheduler_jobs.name)},
            executors={"default": ThreadPoolExecutor(max_workers=1)},
            # Late is better than never (no grace limit), once is enough (coalesce), one at a time.
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None},
        )
        _serving = self
        scheduler.start(paused=True)
        try:
            self._install_jobs(scheduler)
            scheduler.resume()
            note("worker_started", worker=self.identity, jobs=[f"{job.id} next {job.next_run_time.isoformat() if job.next_run_time else '-'}" for job in scheduler.get_jobs()])
            stop.wait()
        finally:
            scheduler.shutdown(wait=True)
            _serving = None
            note("worker_stopped", worker=self.identity)

    def _install_jobs(self, scheduler: CourtScheduler) -> None:
        now = datetime.now(tz=clock.COURT_TZ)
        with self.engine.connect() as conn:
            unfinished = store.unfinished_jobs(conn)
        for name, spec in JOBS.items():
            trigger = CronTrigger(timezone=clock.COURT_TZ, **spec.cron)
            job = scheduler.get_job(name)
            if job is None:
                try:
                    # First start: run at once, then on schedule.
                    scheduler.add_job(scheduled_run, trigger=trigger, args=[name], id=name, name=spec.description, next_run_time=now)
                    note("job_installed", job=name)
                except ConflictingIdError:
                    pass  # another worker installed it at the same moment
                continue
            if str(job.trigger) != str(trigger):
                scheduler.modify_job(name, trigger=trigger)
            missed = job._get_run_times(now)  # what the job store says was due while no worker ran
            if missed:
                note("missed_runs", job=name, missed=len(missed), first=missed[0], action="run once now (coalesced)")
            elif name in unfinished:
                scheduler.modify_job(name, next_run_time=now)
                note("unfinished_run", job=name, action="run again now")


# The worker serving the scheduler of this process: APScheduler keeps a textual reference to
# ``scheduled_run`` in its job store, and the function finds the worker here.
_serving: Worker | None = None


def scheduled_run(job: str) -> None:
    """What the scheduler runs: one job of the worker serving this process, on the real clock."""
    if _serving is None:
        raise RuntimeError("no worker is serving in this process")
    _serving.run_job(job)


def _action_row(item: Due) -> dict[str, Any]:
    return {
        "case_id": item.case_id, "kind": item.kind, "subject": item.subject, "deadline_on": item.deadline_on,
        "docket_number": item.docket_number, "details": {**item.details, "court": item.court, "judge_id": item.judge_id},
    }


def _notice_row(item: Due, user_id: int, now: datetime) -> dict[str, Any]:
    return {
        "user_id": user_id, "kind": item.kind, "case_id": item.case_id, "subject": item.subject, "deadline_on": item.deadline_on,
        "docket_number": item.docket_number, "court": item.court, "details": item.details, "created_at": naive_utc(now), "read_at": None,
    }


# --- the command ----------------------------------------------------------------------------------------------


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    worker = subparsers.add_parser(
        "worker", help="the court's clock: reminders, overdue notices, rulings entering into force, nightly statistics",
        description="Runs the deadline jobs on their schedule (APScheduler, jobs kept in the read-model database) "
        "until stopped with Ctrl-C or SIGTERM; with --run-once, runs every job once and exits.",
    )
    worker.add_argument("--run-once", action="store_true", help="run every job once (or those named with --job) and exit")
    worker.add_argument("--now", type=_instant, default=None, metavar="YYYY-MM-DDTHH:MM",
                        help="with --run-once: run as if it were that time (court-local unless an offset is given)")
    worker.add_argument("--job", action="append", choices=JOB_NAMES, dest="jobs", metavar="NAME",
                        help=f"with --run-once: only this job (repeatable; one of {', '.join(JOB_NAMES)})")
    worker.add_argument("--remind-days", type=_days, default=DEFAULT_REMIND_DAYS, metavar="N",
                        help=f"remind this many days before an expert report or a mediation is due (default {DEFAULT_REMIND_DAYS})")
    worker.add_argument("--throttle", type=_seconds, default=0.0, metavar="SECONDS", help="pause after each action on the docket (default 0)")
    worker.add_argument("--format", choices=("text", "json"), default="text", help="how --run-once prints its counts")
    worker.add_argument("--log-level", choices=("debug", "info", "warning", "error"), default="info", help="the lowest level logged on stderr (default info)")
    worker.set_defaults(func=cmd_worker)


def _instant(value: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' is not a time (YYYY-MM-DDTHH:MM)") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=clock.COURT_TZ)  # a time typed at the court is court-local
    return moment.astimezone(UTC)


def _days(value: str) -> int:
    if not value.isdigit() or not 0 <= int(value) <= 60:
        raise argparse.ArgumentTypeError(f"'{value}' is not a number of days from 0 to 60")
    return int(value)


def _seconds(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        number = -1
    if not 0 <= number <= 60:
        raise argparse.ArgumentTypeError(f"'{value}' is not a number of seconds from 0 to 60")
    return number


def configure_logging(level: str) -> Callable[[], None]:
    """JSON lines on stderr for the worker (and APScheduler's warnings); returns the undo."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JSONLines())
    loggers = {log: level.upper(), logging.getLogger("apscheduler"): "DEBUG" if level == "debug" else "WARNING"}
    previous = {logger: (logger.level, logger.propagate) for logger in loggers}
    for logger, logger_level in loggers.items():
        logger.addHandler(handler)
        logger.setLevel(logger_level)
        logger.propagate = False

    def restore() -> None:
        for logger, (logger_level, propagate) in previous.items():
            logger.removeHandler(handler)
            logger.setLevel(logger_level)
            logger.propagate = propagate

    return restore


def cmd_worker(args: argparse.Namespace) -> int:
    from scripts.cli import UsageError

    if not args.run_once and (args.now is not None or args.jobs):
        raise UsageError("medcourt worker: --now and --job go with --run-once (the scheduler runs on the real clock)")
    unconfigure = configure_logging(args.log_level)
    try:
        current = settings()
        schema.upgrade(current)  # idempotent: the worker's tables come with revision 0003_worker
        with Worker(current, remind_days=args.remind_days, throttle=args.throttle) as worker:
            if args.run_once:
                with clock.frozen_at(args.now or clock.now()):
                    as_of = clock.now()
                    reports = worker.run_all(args.jobs)
                _print_reports(reports, as_of, args.format)
                return 1 if any(r.error for r in reports) else 0
            stop = threading.Event()
            restore = _stop_on_signals(stop)
            try:
                worker.serve(stop)
            finally:
                restore()
        return 0
    finally:
        unconfigure()


def _print_reports(reports: list[JobReport], as_of: datetime, form: str) -> None:
    recorded = sum(r.counts["recorded"] for r in reports)
    created = sum(r.counts["notices"] for r in reports)
    if form == "json":
        json.dump({
            "as_of": as_of.isoformat(), "events_recorded": recorded, "notices_created": created,
            "jobs": {r.job: {"counts": dict(sorted(r.counts.items())), "error": r.error} for r in reports},
        }, sys.stdout, indent=2)
        print()
        return
    print(f"medcourt worker: ran as of {as_of.astimezone(clock.COURT_TZ):%Y-%m-%d %H:%M} (Asia/Almaty)")
    for report in reports:
        print(f"  {report.line()}")
    print(f"  total: events_recorded={recorded} notices_created={created}")


def _stop_on_signals(stop: threading.Event) -> Callable[[], None]:
    """SIGTERM and SIGINT stop the worker after the job in progress; returns the undo."""
    if threading.current_thread() is not threading.main_thread():
        return lambda: None
    previous = {sig: signal.getsignal(sig) for sig in (signal.SIGTERM, signal.SIGINT)}
    for sig in previous:
        signal.signal(sig, lambda *_: stop.set())

    def restore() -> None:
        for sig, handler in previous.items():
            signal.signal(sig, handler)

    return restore
