"""The court's clock: notices (each user's inbox), the worker's actions on deadlines, nightly
statistics snapshots, the worker's run log and APScheduler's job store (tables in projections/store_tables.py, used by scripts/worker_store.py).

Revision ID: 0003_worker
Revises: 0002_accounts
Create Date: 2026-11-23 12:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_worker"
down_revision: str | None = "0002_accounts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "notices",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("subject", sa.String(length=16), nullable=False),
        sa.Column("deadline_on", sa.Date(), nullable=False),
        sa.Column("docket_number", sa.String(length=32), nullable=False),
        sa.Column("court", sa.String(length=3), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("read_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("case_id", "kind", "subject", "deadline_on", "user_id", name="uq_notices_once"),
    )
    op.create_index("ix_notices_user_read", "notices", ["user_id", "read_at"], unique=False)
    op.create_index("ix_notices_user_created", "notices", ["user_id", "created_at"], unique=False)
    op.create_table(
        "deadline_actions",
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("subject", sa.String(length=16), nullable=False),
        sa.Column("deadline_on", sa.Date(), nullable=False),
        sa.Column("docket_number", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("outcome", sa.Text(), nullable=True),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("done_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("case_id", "kind", "subject", "deadline_on"),
    )
    op.create_index("ix_deadline_actions_status", "deadline_actions", ["status", "kind"], unique=False)
    op.create_table(
        "statistics_snapshots",
        sa.Column("taken_on", sa.Date(), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("taken_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("taken_on", "name"),
    )
    op.create_table(
        "worker_runs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("job", sa.String(length=40), nullable=False),
        sa.Column("worker", sa.String(length=120), nullable=False),
        sa.Column("as_of", sa.DateTime(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("counts", sa.JSON(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_worker_runs_job", "worker_runs", ["job", "id"], unique=False)
    # APScheduler 3's SQLAlchemyJobStore table, exactly as it would create it.
    op.create_table(
        "apscheduler_jobs",
        sa.Column("id", sa.Unicode(length=191), nullable=False),
        sa.Column("next_run_time", sa.Float(precision=25), nullable=True),
        sa.Column("job_state", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_apscheduler_jobs_next_run_time", "apscheduler_jobs", ["next_run_time"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_apscheduler_jobs_next_run_time", table_name="apscheduler_jobs")
    op.drop_table("apscheduler_jobs")
    op.drop_index("ix_worker_runs_job", table_name="worker_runs")
    op.drop_table("worker_runs")
    op.drop_table("statistics_snapshots")
    op.drop_index("ix_deadline_actions_status", table_name="deadline_actions")
    op.drop_table("deadline_actions")
    op.drop_index("ix_notices_user_created", table_name="notices")
    op.drop_index("ix_notices_user_read", table_name="notices")
    op.drop_table("notices")
