"""Docket search by words without a scan: cases.search_text and its index.

``search_text`` holds a case's docket number, every party's name, certificate
number and BIN, and its summary, folded in Python (``projections.search.fold``); existing rows are
filled here from ``case_parties``. PostgreSQL indexes it with a trigram GIN index
(``pg_trgm``); SQLite with an FTS5 table (``trigram`` tokenizer) whose rows triggers
keep in step with ``cases``.

Revision ID: 0007_search
Revises: 0006_statistics
Create Date: 2026-11-30 00:20:00
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

from projections.search import case_search_text

revision: str = "0007_search"
down_revision: str | None = "0006_statistics"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SQLITE_FTS = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS cases_fts USING fts5(search_text, content='cases', content_rowid='rowid', tokenize='trigram')",
    # Only a change of search_text touches the index: the projector updates other columns of a case on every event.
    "CREATE TRIGGER IF NOT EXISTS cases_fts_insert AFTER INSERT ON cases BEGIN "
    "INSERT INTO cases_fts(rowid, search_text) VALUES (new.rowid, new.search_text); END",
    "CREATE TRIGGER IF NOT EXISTS cases_fts_delete AFTER DELETE ON cases BEGIN "
    "INSERT INTO cases_fts(cases_fts, rowid, search_text) VALUES ('delete', old.rowid, old.search_text); END",
    "CREATE TRIGGER IF NOT EXISTS cases_fts_update AFTER UPDATE OF search_text ON cases BEGIN "
    "INSERT INTO cases_fts(cases_fts, rowid, search_text) VALUES ('delete', old.rowid, old.search_text); "
    "INSERT INTO cases_fts(rowid, search_text) VALUES (new.rowid, new.search_text); END",
)


def _fill(bind: Any) -> None:
    cases = sa.table("cases", sa.column("case_id"), sa.column("docket_number"), sa.column("summary"), sa.column("search_text"))
    parties = sa.table("case_parties", sa.column("case_id"), sa.column("position"), sa.column("name"), sa.column("certificate_no"), sa.column("bin"))
    of: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in bind.execute(sa.select(parties).order_by(parties.c.case_id, parties.c.position)).mappings():
        of[row["case_id"]].append(dict(row))
    updates = [
        {"key": case_id, "text": case_search_text(number, of[case_id], summary or "")}
        for case_id, number, summary in bind.execute(sa.select(cases.c.case_id, cases.c.docket_number, cases.c.summary))
    ]
    if updates:
        bind.execute(cases.update().where(cases.c.case_id == sa.bindparam("key")).values(search_text=sa.bindparam("text")), updates)


def upgrade() -> None:
    op.add_column("cases", sa.Column("search_text", sa.Text(), nullable=False, server_default=""))
    bind = op.get_bind()
    _fill(bind)
    if bind.dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.execute("CREATE INDEX IF NOT EXISTS ix_cases_search_text_trgm ON cases USING gin (search_text gin_trgm_ops)")
    elif bind.dialect.name == "sqlite":
        for statement in SQLITE_FTS:
            op.execute(statement)
        op.execute("INSERT INTO cases_fts(cases_fts) VALUES ('rebuild')")


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_cases_search_text_trgm")
    elif bind.dialect.name == "sqlite":
        for name in ("cases_fts_insert", "cases_fts_delete", "cases_fts_update"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS cases_fts")
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("search_text")
