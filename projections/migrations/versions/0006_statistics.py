"""The statistics projection: outcome figures pre-aggregated by day (projections/outcome_facts.py).

``stat_outcomes`` holds counts by day, court, track, specialty, judge, disposition, finding and
(for first rulings) days to disposition, so that a statistics query reads rows that grow with the
calendar rather than scanning every case; ``stat_cases`` keeps what each case adds to them.

Revision ID: 0006_statistics
Revises: 0005_trust
Create Date: 2026-11-30 00:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_statistics"
down_revision: str | None = "0005_trust"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "stat_cases",
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("state", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("case_id"),
    )
    op.create_table(
        "stat_outcomes",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("court", sa.String(length=3), nullable=False),
        sa.Column("track", sa.String(length=16), nullable=False),
        sa.Column("specialty", sa.String(length=40), nullable=False),
        sa.Column("judge_id", sa.String(length=36), nullable=False),
        sa.Column("disposition", sa.String(length=20), nullable=False),
        sa.Column("finding", sa.String(length=20), nullable=False),
        sa.Column("days", sa.Integer(), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("day", "kind", "court", "track", "specialty", "judge_id", "disposition", "finding", "days"),
    )
    op.create_index("ix_stat_outcomes_kind_day", "stat_outcomes", ["kind", "day"], unique=False)
    op.create_table(
        "tracking_statistics",
        sa.Column("application_name", sa.String(length=32), nullable=False),
        sa.Column("notification_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.PrimaryKeyConstraint("application_name"),
    )


def downgrade() -> None:
    op.drop_table("tracking_statistics")
    op.drop_index("ix_stat_outcomes_kind_day", table_name="stat_outcomes")
    op.drop_table("stat_outcomes")
    op.drop_table("stat_cases")
