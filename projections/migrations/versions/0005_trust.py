"""Trust, second pass: server-side sessions, shared sign-in failures and idempotent writes.

- ``web_sessions``: one row per signed-in browser session; signing out deletes it, so a copied
  cookie is worthless afterwards (web/auth.py).
- ``sign_in_failures``: failed sign-ins by address and typed username, shared by every web process
  (the throttle and the lock-out of web/accounts.py).
- ``idempotent_requests``: the first answer to a write sent with an ``Idempotency-Key``, replayed to
  a retry (web/idempotency.py).

Plain rows, not projections: no tracking table.

Revision ID: 0005_trust
Revises: 0004_api_tokens
Create Date: 2026-11-30 00:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_trust"
down_revision: str | None = "0004_api_tokens"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "web_sessions",
        sa.Column("sid", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("sid"),
    )
    op.create_index("ix_web_sessions_user", "web_sessions", ["user_id"], unique=False)
    op.create_table(
        "sign_in_failures",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("address", sa.String(length=64), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("failed_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_sign_in_failures_address", "sign_in_failures", ["address", "failed_at"], unique=False)
    op.create_index("ix_sign_in_failures_username", "sign_in_failures", ["username", "address", "failed_at"], unique=False)
    op.create_table(
        "idempotent_requests",
        sa.Column("principal", sa.String(length=80), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("status", sa.Integer(), nullable=True),
        sa.Column("content_type", sa.String(length=100), nullable=True),
        sa.Column("location", sa.String(length=500), nullable=True),
        sa.Column("body", sa.LargeBinary(), nullable=True),
        sa.Column("log_head", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("principal", "key"),
    )


def downgrade() -> None:
    op.drop_table("idempotent_requests")
    op.drop_index("ix_sign_in_failures_username", table_name="sign_in_failures")
    op.drop_index("ix_sign_in_failures_address", table_name="sign_in_failures")
    op.drop_table("sign_in_failures")
    op.drop_index("ix_web_sessions_user", table_name="web_sessions")
    op.drop_table("web_sessions")
