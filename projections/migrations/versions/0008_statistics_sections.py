"""The statistics projection's facts for the sections beyond outcomes (projections/section_facts.py).

``stat_sections`` counts expert examinations, hearings, mediation, compensation, appeals, the
funnel and the pending caseload's age by day and by what their breakdowns attribute them to.
Both fact tables gain a ``grain``: each fact is also kept rolled up (without its dimensions, or
with one of them), so a statistics query reads rows that grow with the calendar, not the docket.
The statistics projection starts again from the first event (its case states gain what the
new facts need), as ``medcourt projections rebuild statistics`` would.

Revision ID: 0008_statistics_sections
Revises: 0007_search
Create Date: 2026-11-30 04:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_statistics_sections"
down_revision: str | None = "0007_search"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _outcomes_table(with_grain: bool) -> None:
    grain = [sa.Column("grain", sa.String(length=12), nullable=False)] if with_grain else []
    key = ["grain"] if with_grain else []
    op.create_table(
        "stat_outcomes",
        *grain,
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
        sa.PrimaryKeyConstraint(*key, "day", "kind", "court", "track", "specialty", "judge_id", "disposition", "finding", "days"),
    )
    if with_grain:
        op.create_index("ix_stat_outcomes_grain_kind_day", "stat_outcomes", ["grain", "kind", "day"], unique=False)
    else:
        op.create_index("ix_stat_outcomes_kind_day", "stat_outcomes", ["kind", "day"], unique=False)


def _restart_statistics() -> None:
    """The case states lack what the new facts need: the projection starts again from the first event."""
    op.execute("DELETE FROM stat_cases")
    op.execute("UPDATE tracking_statistics SET notification_id = 0")


def upgrade() -> None:
    op.drop_index("ix_stat_outcomes_kind_day", table_name="stat_outcomes")
    op.drop_table("stat_outcomes")
    _outcomes_table(with_grain=True)
    op.create_table(
        "stat_sections",
        sa.Column("grain", sa.String(length=12), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("court", sa.String(length=3), nullable=False),
        sa.Column("track", sa.String(length=16), nullable=False),
        sa.Column("specialty", sa.String(length=40), nullable=False),
        sa.Column("judge_id", sa.String(length=36), nullable=False),
        sa.Column("finding", sa.String(length=20), nullable=False),
        sa.Column("actor", sa.String(length=36), nullable=False),
        sa.Column("label", sa.String(length=20), nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.Column("bound", sa.Integer(), nullable=False),
        sa.Column("n", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("grain", "day", "kind", "court", "track", "specialty", "judge_id", "finding", "actor", "label", "value", "bound"),
    )
    op.create_index("ix_stat_sections_grain_kind_day", "stat_sections", ["grain", "kind", "day"], unique=False)
    _restart_statistics()


def downgrade() -> None:
    op.drop_index("ix_stat_sections_grain_kind_day", table_name="stat_sections")
    op.drop_table("stat_sections")
    op.drop_index("ix_stat_outcomes_grain_kind_day", table_name="stat_outcomes")
    op.drop_table("stat_outcomes")
    _outcomes_table(with_grain=False)
    _restart_statistics()
