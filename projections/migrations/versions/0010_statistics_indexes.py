"""Indexes the statistics queries read without visiting the fact tables (issue 15).

Every statistics query reads the facts of one grain and kind over a range of days
(``grain = ? AND kind = ? AND day BETWEEN ? AND ?``, or ``day <= ?`` for a running sum) and
groups them by a few of the other columns. The facts of one kind are spread over the whole
table (the projection writes them day by day, every kind and grain together), so with an
index on (grain, kind, day) alone nearly every row matched costs a visit to another heap page.
These indexes carry every column the queries read (``INCLUDE``, PostgreSQL 11+), so PostgreSQL
answers them with index-only scans, reading only the index's consecutive leaf pages.
On SQLite they are the plain (grain, kind, day) indexes they replace.

Revision ID: 0010_statistics_indexes
Revises: 0008_statistics_sections
Create Date: 2026-11-30 05:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0010_statistics_indexes"
down_revision: str | None = "0009_scale"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OUTCOME_COLUMNS = ["court", "track", "specialty", "judge_id", "disposition", "finding", "days", "n"]
SECTION_COLUMNS = ["court", "track", "specialty", "judge_id", "finding", "actor", "label", "value", "bound", "n"]


def upgrade() -> None:
    op.drop_index("ix_stat_outcomes_grain_kind_day", table_name="stat_outcomes")
    op.create_index("ix_stat_outcomes_reading", "stat_outcomes", ["grain", "kind", "day"], postgresql_include=OUTCOME_COLUMNS)
    op.drop_index("ix_stat_sections_grain_kind_day", table_name="stat_sections")
    op.create_index("ix_stat_sections_reading", "stat_sections", ["grain", "kind", "day"], postgresql_include=SECTION_COLUMNS)


def downgrade() -> None:
    op.drop_index("ix_stat_sections_reading", table_name="stat_sections")
    op.create_index("ix_stat_sections_grain_kind_day", "stat_sections", ["grain", "kind", "day"])
    op.drop_index("ix_stat_outcomes_reading", table_name="stat_outcomes")
    op.create_index("ix_stat_outcomes_grain_kind_day", "stat_outcomes", ["grain", "kind", "day"])
