"""The outcome facts by calendar month too (issue 15): ``stat_outcomes`` rows of grain "m" + a grain.

A statistics query over whole months (a year, a quarter, the last twelve months by month)
read one row per day, kind and dimensions; at a national docket that is as many rows as the
docket has days with events, times the dimensions. The projection now adds each fact to a
row dated its month's first day as well (projections/outcome_facts.py), and the queries read
a period's whole months from those (projections/statistics/facts.py ``FactGrains.dated``).
No column changes; this fills the month rows of facts projected before, as the sums of their
day rows, so the figures stay the same without a rebuild.

Revision ID: 0011_statistics_months
Revises: 0010_statistics_indexes
Create Date: 2026-11-30 07:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0011_statistics_months"
down_revision: str | None = "0010_statistics_indexes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DAY_GRAINS = ("", "*", "court", "track", "specialty", "judge_id")  # projections/tables.py, as of this revision
KEYS = "kind, court, track, specialty, judge_id, disposition, finding, days"


def _quoted(grains: Sequence[str]) -> str:
    return ", ".join(f"'{grain}'" for grain in grains)


def upgrade() -> None:
    month = "CAST(date_trunc('month', day) AS DATE)" if op.get_bind().dialect.name == "postgresql" else "date(day, 'start of month')"
    op.execute(
        f"INSERT INTO stat_outcomes (grain, day, {KEYS}, n) "
        f"SELECT 'm' || grain, {month}, {KEYS}, SUM(n) FROM stat_outcomes WHERE grain IN ({_quoted(DAY_GRAINS)}) "
        f"GROUP BY grain, {month}, {KEYS} HAVING SUM(n) <> 0"
    )


def downgrade() -> None:
    op.execute(f"DELETE FROM stat_outcomes WHERE grain IN ({_quoted(['m' + grain for grain in DAY_GRAINS])})")
