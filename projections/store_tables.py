"""The tables of the stores that are not read models, on the one ``MetaData`` of ``projections.tables``.

Accounts (``web.accounts``), API tokens (``web.api.tokens``), idempotency keys (``web.idempotency``) and
the worker's queue and runs (``scripts.worker_store``) are plain rows updated in place, not projections
of the event log. They live in the read-model database, so the migrations beside them
(``projections/migrations``) create them, and their tables are declared here rather than with their
stores: the migrations' environment then sees every table of the database without importing ``web``
or ``scripts`` (dependencies point ``web``/``scripts`` -> ``projections``), and Alembic's autogenerate
against a migrated database proposes nothing (tests/integration/test_migrations.py).

Instants are naive UTC ``DateTime`` values and dates court-local ``Date`` values, as in ``projections.tables``.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    Unicode,
    UniqueConstraint,
    true,
)

from projections.tables import metadata

# --- accounts (web.accounts): who may sign in, their sessions and failed sign-ins, views of sealed cases ------

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("username", String(64), nullable=False, unique=True),
    Column("display_name", String(200), nullable=False),
    Column("role", String(16), nullable=False),
    Column("court", String(3), nullable=True),
    Column("judge_id", String(36), nullable=True),
    Column("language", String(5), nullable=False, server_default="ru"),
    Column("password_hash", String(255), nullable=False),
    Column("active", Boolean, nullable=False, server_default=true()),
    Column("failed_logins", Integer, nullable=False, server_default="0"),
    Column("locked_until", DateTime(), nullable=True),
    Column("last_login_at", DateTime(), nullable=True),
    Column("session_epoch", Integer, nullable=False, server_default="0"),
    Column("created_at", DateTime(), nullable=False),
    Column("updated_at", DateTime(), nullable=False),
)

sealed_case_views = Table(
    "sealed_case_views",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("docket_number", String(32), nullable=False),
    Column("viewed_at", DateTime(), nullable=False),
    Column("username", String(64), nullable=False),
    Column("role", String(16), nullable=False),
    Column("court", String(3), nullable=True),
    Column("page", String(64), nullable=False),
    Column("remote_addr", String(64), nullable=True),
    Index("ix_sealed_case_views_docket_number", "docket_number", "viewed_at"),
)


web_sessions = Table(
    "web_sessions",
    metadata,
    Column("sid", String(64), primary_key=True),
    Column("user_id", Integer, nullable=False),
    Column("created_at", DateTime(), nullable=False),
    Column("expires_at", DateTime(), nullable=False),
    Index("ix_web_sessions_user", "user_id"),
)

sign_in_failures = Table(
    "sign_in_failures",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("address", String(64), nullable=False),
    Column("username", String(64), nullable=False),
    Column("failed_at", DateTime(), nullable=False),
    Index("ix_sign_in_failures_address", "address", "failed_at"),
    Index("ix_sign_in_failures_username", "username", "address", "failed_at"),
)

# --- API tokens (web.api.tokens): only digests are stored ---------------------------------------------

api_tokens = Table(
    "api_tokens",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("user_id", Integer, nullable=False),
    Column("name", String(100), nullable=False),
    Column("prefix", String(16), nullable=False),
    Column("digest", String(64), nullable=False),
    Column("created_at", DateTime(), nullable=False),
    Column("created_by", String(64), nullable=False),
    Column("expires_at", DateTime(), nullable=True),
    Column("last_used_at", DateTime(), nullable=True),
    Column("revoked_at", DateTime(), nullable=True),
    Column("revoked_by", String(64), nullable=True),
    UniqueConstraint("digest", name="uq_api_tokens_digest"),
    Index("ix_api_tokens_user", "user_id", "revoked_at"),
)

# --- idempotency keys (web.idempotency): one row per key a write claimed -----------------------------------

idempotent_requests = Table(
    "idempotent_requests",
    metadata,
    Column("principal", String(80), primary_key=True),
    Column("key", String(200), primary_key=True),
    Column("fingerprint", String(64), nullable=False),
    Column("status", Integer, nullable=True),  # None: running; UNKNOWN: ended without a definite answer
    Column("content_type", String(100), nullable=True),
    Column("location", String(500), nullable=True),
    Column("body", LargeBinary, nullable=True),
    Column("log_head", Integer, nullable=False),
    Column("created_at", DateTime(), nullable=False),
)

# --- the worker (scripts.worker_store): actions on deadlines, statistics snapshots, runs, its job store ------

deadline_actions = Table(
    "deadline_actions",
    metadata,
    Column("case_id", String(36), primary_key=True),
    Column("kind", String(40), primary_key=True),
    Column("subject", String(16), primary_key=True),
    Column("deadline_on", Date, primary_key=True),
    Column("docket_number", String(32), nullable=False),
    Column("status", String(16), nullable=False),  # pending, done, not_applicable
    Column("outcome", Text),  # recorded, already_done, or why it did not apply
    Column("details", JSON, nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("done_at", DateTime),
    Index("ix_deadline_actions_status", "status", "kind"),
)

statistics_snapshots = Table(
    "statistics_snapshots",
    metadata,
    Column("taken_on", Date, primary_key=True),  # the court-local day the figures are as of
    Column("name", String(40), primary_key=True),
    Column("data", JSON, nullable=False),
    Column("taken_at", DateTime, nullable=False),  # UTC
)

worker_runs = Table(
    "worker_runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("job", String(40), nullable=False),
    Column("worker", String(120), nullable=False),  # host:pid
    Column("as_of", DateTime, nullable=False),  # UTC: the time the job ran as (``--now``)
    Column("started_at", DateTime, nullable=False),  # UTC, real time
    Column("finished_at", DateTime),
    Column("counts", JSON),
    Column("error", Text),
    Index("ix_worker_runs_job", "job", "id"),
)

# The table APScheduler's SQLAlchemyJobStore keeps its jobs in, with its exact columns: created by
# the migration so that two workers starting at once do not race to create it.
apscheduler_jobs = Table(
    "apscheduler_jobs",
    metadata,
    Column("id", Unicode(191), primary_key=True),
    Column("next_run_time", Float(25), index=True),
    Column("job_state", LargeBinary, nullable=False),
)
