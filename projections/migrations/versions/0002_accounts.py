"""Web accounts: users (role, court, judge link, language, argon2 hash, failed sign-ins) and the
log of views of sealed cases (R11). Plain rows, not projections: no tracking table.

Revision ID: 0002_accounts
Revises: 0001_read_models
Create Date: 2026-11-23 11:15:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_accounts"
down_revision: str | None = "0001_read_models"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("display_name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("court", sa.String(length=3), nullable=True),
        sa.Column("judge_id", sa.String(length=36), nullable=True),
        sa.Column("language", sa.String(length=5), server_default="ru", nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("active", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("failed_logins", sa.Integer(), server_default="0", nullable=False),
        sa.Column("locked_until", sa.DateTime(), nullable=True),
        sa.Column("last_login_at", sa.DateTime(), nullable=True),
        sa.Column("session_epoch", sa.Integer(), server_default="0", nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("username"),
    )
    op.create_table(
        "sealed_case_views",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("docket_number", sa.String(length=32), nullable=False),
        sa.Column("viewed_at", sa.DateTime(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("court", sa.String(length=3), nullable=True),
        sa.Column("page", sa.String(length=64), nullable=False),
        sa.Column("remote_addr", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_sealed_case_views_docket_number", "sealed_case_views", ["docket_number", "viewed_at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_sealed_case_views_docket_number", table_name="sealed_case_views")
    op.drop_table("sealed_case_views")
    op.drop_table("users")
