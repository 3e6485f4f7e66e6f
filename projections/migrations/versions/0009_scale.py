"""Scale: a judge dashboard of bounded, indexed reads, and a public docket search with its own index.

The case row gains what the judge dashboard would otherwise count over the judge's whole
caseload: ``reports_awaited``, ``reports_in``, ``next_report_due``, ``mediation_due_on`` and
``ready_for_ruling`` (R5), filled here from ``examinations`` and ``mediations``, with composite
indexes that start with the judge and the status. ``ix_cases_judge_status`` gives way to
``ix_cases_judge_status_received``, which also orders the judge's pending cases by receipt. The table
``judge_caseload`` holds each judge's pending cases counted by day of receipt (the dashboard's open cases
and age bands), filled here from ``cases``.

It also gains ``public_text`` (``projections.search.public_search_text``: the docket number and
the organizations and authorities the public docket names, never a person), filled here from
``case_parties`` and indexed like ``search_text``: a trigram GIN index on PostgreSQL, an FTS5
table (``cases_public_fts``) kept in step by triggers on SQLite.

Revision ID: 0009_scale
Revises: 0007_search
Create Date: 2026-11-30 03:40:00
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

from projections.search import public_search_text

revision: str = "0009_scale"
down_revision: str | None = "0008_statistics_sections"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = {
    "ix_cases_judge_status_received": ["judge_id", "status", "received_on", "docket_number"],
    "ix_cases_judge_ready": ["judge_id", "status", "ready_for_ruling", "received_on"],
    "ix_cases_judge_report_due": ["judge_id", "status", "next_report_due"],
    "ix_cases_judge_mediation_due": ["judge_id", "status", "mediation_due_on"],
}

SQLITE_FTS = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS cases_public_fts USING fts5(public_text, content='cases', content_rowid='rowid', tokenize='trigram')",
    "CREATE TRIGGER IF NOT EXISTS cases_public_fts_insert AFTER INSERT ON cases BEGIN "
    "INSERT INTO cases_public_fts(rowid, public_text) VALUES (new.rowid, new.public_text); END",
    "CREATE TRIGGER IF NOT EXISTS cases_public_fts_delete AFTER DELETE ON cases BEGIN "
    "INSERT INTO cases_public_fts(cases_public_fts, rowid, public_text) VALUES ('delete', old.rowid, old.public_text); END",
    "CREATE TRIGGER IF NOT EXISTS cases_public_fts_update AFTER UPDATE OF public_text ON cases BEGIN "
    "INSERT INTO cases_public_fts(cases_public_fts, rowid, public_text) VALUES ('delete', old.rowid, old.public_text); "
    "INSERT INTO cases_public_fts(rowid, public_text) VALUES (new.rowid, new.public_text); END",
)

# The dashboard's figures, counted once from the rows projected before this revision (the projector keeps them since).
FILL_COUNTS = """
UPDATE cases SET
  reports_awaited = (SELECT count(*) FROM examinations x WHERE x.case_id = cases.case_id AND x.status = 'ordered'),
  reports_in = (SELECT count(*) FROM examinations x WHERE x.case_id = cases.case_id AND x.status = 'reported'),
  next_report_due = (SELECT min(x.due_on) FROM examinations x WHERE x.case_id = cases.case_id AND x.status = 'ordered'),
  mediation_due_on = (SELECT min(m.due_on) FROM mediations m WHERE m.case_id = cases.case_id AND m.outcome IS NULL)
"""
FILL_READY = "UPDATE cases SET ready_for_ruling = (reports_in > 0 AND reports_awaited = 0)"


def _fill_public_text(bind: Any) -> None:
    cases = sa.table("cases", sa.column("case_id"), sa.column("docket_number"), sa.column("public_text"))
    parties = sa.table("case_parties", sa.column("case_id"), sa.column("position"), sa.column("role"), sa.column("kind"), sa.column("name"), sa.column("bin"))
    of: dict[str, list[dict[str, Any]]] = defaultdict(list)
    named = sa.or_(parties.c.kind == "organization", parties.c.role == "authority")
    for row in bind.execute(sa.select(parties).where(named).order_by(parties.c.case_id, parties.c.position)).mappings():
        of[row["case_id"]].append(dict(row))
    updates = [
        {"key": case_id, "text": public_search_text(number, of[case_id])}
        for case_id, number in bind.execute(sa.select(cases.c.case_id, cases.c.docket_number))
    ]
    if updates:
        bind.execute(cases.update().where(cases.c.case_id == sa.bindparam("key")).values(public_text=sa.bindparam("text")), updates)


def upgrade() -> None:
    op.create_table(
        "judge_caseload",
        sa.Column("judge_id", sa.String(length=36), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("pending", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("judge_id", "received_on"),
    )
    op.execute(
        "INSERT INTO judge_caseload (judge_id, received_on, pending) SELECT judge_id, received_on, count(*) FROM cases "
        "WHERE status = 'pending' AND judge_id IS NOT NULL GROUP BY judge_id, received_on"
    )
    # Plain ALTER TABLE on both databases: a batch (table copy) on SQLite would drop the FTS triggers of 0007_search.
    op.add_column("cases", sa.Column("public_text", sa.Text(), nullable=False, server_default=""))
    op.add_column("cases", sa.Column("reports_awaited", sa.Integer(), nullable=False, server_default="0"))
    op.add_column("cases", sa.Column("reports_in", sa.Integer(), nullable=False, server_default="0"))
    op.add_column("cases", sa.Column("next_report_due", sa.Date(), nullable=True))
    op.add_column("cases", sa.Column("mediation_due_on", sa.Date(), nullable=True))
    op.add_column("cases", sa.Column("ready_for_ruling", sa.Boolean(), nullable=False, server_default=sa.false()))
    bind = op.get_bind()
    op.execute(FILL_COUNTS)
    op.execute(FILL_READY)
    _fill_public_text(bind)
    op.drop_index("ix_cases_judge_status", table_name="cases")
    for name, columns in INDEXES.items():
        op.create_index(name, "cases", columns)
    if bind.dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.execute("CREATE INDEX IF NOT EXISTS ix_cases_public_text_trgm ON cases USING gin (public_text gin_trgm_ops)")
    elif bind.dialect.name == "sqlite":
        for statement in SQLITE_FTS:
            op.execute(statement)
        op.execute("INSERT INTO cases_public_fts(cases_public_fts) VALUES ('rebuild')")


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_cases_public_text_trgm")
    elif bind.dialect.name == "sqlite":
        for name in ("cases_public_fts_insert", "cases_public_fts_delete", "cases_public_fts_update"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS cases_public_fts")
    for name in INDEXES:
        op.drop_index(name, table_name="cases")
    op.create_index("ix_cases_judge_status", "cases", ["judge_id", "status"])
    op.drop_table("judge_caseload")
    for column in ("ready_for_ruling", "mediation_due_on", "next_report_due", "reports_in", "reports_awaited", "public_text"):
        op.drop_column("cases", column)  # SQLite (3.35+) drops an unindexed column in place, keeping 0007's triggers
