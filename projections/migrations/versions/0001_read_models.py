"""Read models: the case file, the case timeline, the registries, and a tracking table per projection.

Revision ID: 0001_read_models
Revises:
Create Date: 2026-11-23

The tables of projections/tables.py as of this revision (tests/integration/test_migrations.py
checks that they agree). Money is in tiyn (BigInteger), instants are naive UTC, dates are
court-local. Each tracking table has the columns of eventsourcing_sqlalchemy's
NotificationTrackingRecord.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0001_read_models'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('appeals',
    sa.Column('case_id', sa.String(length=36), nullable=False),
    sa.Column('appeal_id', sa.String(length=8), nullable=False),
    sa.Column('ruling_id', sa.String(length=8), nullable=False),
    sa.Column('filed_on', sa.Date(), nullable=False),
    sa.Column('appellant', sa.String(length=200), nullable=False),
    sa.Column('outcome', sa.String(length=12), nullable=True),
    sa.Column('decided_on', sa.Date(), nullable=True),
    sa.PrimaryKeyConstraint('case_id', 'appeal_id')
    )
    op.create_index('ix_appeals_decided_on', 'appeals', ['decided_on'], unique=False)
    op.create_index('ix_appeals_filed_on', 'appeals', ['filed_on'], unique=False)
    op.create_table('case_events',
    sa.Column('case_id', sa.String(length=36), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('position', sa.BigInteger(), nullable=False),
    sa.Column('type', sa.String(length=40), nullable=False),
    sa.Column('actor_user', sa.String(length=100), nullable=True),
    sa.Column('actor_role', sa.String(length=20), nullable=True),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.Column('event_date', sa.Date(), nullable=True),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('starts_at', sa.DateTime(), nullable=True),
    sa.Column('corrects_version', sa.Integer(), nullable=True),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('case_id', 'version')
    )
    op.create_index('ix_case_events_type', 'case_events', ['case_id', 'type'], unique=False)
    op.create_table('case_parties',
    sa.Column('case_id', sa.String(length=36), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('party_ref', sa.String(length=8), nullable=True),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('certificate_no', sa.String(length=40), nullable=True),
    sa.Column('bin', sa.String(length=12), nullable=True),
    sa.PrimaryKeyConstraint('case_id', 'position')
    )
    op.create_index('ix_case_parties_bin', 'case_parties', ['bin'], unique=False)
    op.create_index('ix_case_parties_certificate_no', 'case_parties', ['certificate_no'], unique=False)
    op.create_table('cases',
    sa.Column('case_id', sa.String(length=36), nullable=False),
    sa.Column('docket_number', sa.String(length=32), nullable=False),
    sa.Column('track', sa.String(length=16), nullable=False),
    sa.Column('court', sa.String(length=3), nullable=False),
    sa.Column('specialty', sa.String(length=40), nullable=False),
    sa.Column('alleged_harm', sa.String(length=16), nullable=False),
    sa.Column('incident_date', sa.Date(), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('sealed', sa.Boolean(), nullable=False),
    sa.Column('seal_reason', sa.String(length=40), nullable=True),
    sa.Column('judge_id', sa.String(length=36), nullable=True),
    sa.Column('judge_name', sa.String(length=200), nullable=True),
    sa.Column('claimant_name', sa.String(length=200), nullable=False),
    sa.Column('claimant_relation', sa.String(length=20), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('claimed_real_damage', sa.BigInteger(), nullable=False),
    sa.Column('claimed_lost_profit', sa.BigInteger(), nullable=False),
    sa.Column('claimed_moral_harm', sa.BigInteger(), nullable=False),
    sa.Column('transferred_from', sa.String(length=32), nullable=True),
    sa.Column('transferred_to', sa.String(length=32), nullable=True),
    sa.Column('rulings_count', sa.Integer(), nullable=False),
    sa.Column('reopenings_count', sa.Integer(), nullable=False),
    sa.Column('latest_ruling_id', sa.String(length=8), nullable=True),
    sa.Column('decided_on', sa.Date(), nullable=True),
    sa.Column('disposition', sa.String(length=20), nullable=True),
    sa.Column('finding', sa.String(length=20), nullable=True),
    sa.Column('in_force_on', sa.Date(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('filed_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('case_id'),
    sa.UniqueConstraint('docket_number')
    )
    op.create_index('ix_cases_court_status', 'cases', ['court', 'status'], unique=False)
    op.create_index('ix_cases_judge_status', 'cases', ['judge_id', 'status'], unique=False)
    op.create_index('ix_cases_received_on', 'cases', ['received_on'], unique=False)
    op.create_table('examination_experts',
    sa.Column('case_id', sa.String(length=36), nullable=False),
    sa.Column('examination_id', sa.String(length=8), nullable=False),
    sa.Column('expert_id', sa.String(length=36), nullable=False),
    sa.Column('expert_name', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('case_id', 'examination_id', 'expert_id')
    )
    op.create_index('ix_examination_experts_expert', 'examination_experts', ['expert_id'], unique=False)
    op.create_table('examinations',
    sa.Column('case_id', sa.String(length=36), nullable=False),
    sa.Column('examination_id', sa.String(length=8), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('judge_id', sa.String(length=36), nullable=True),
    sa.Column('ordered_on', sa.Date(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=True),
    sa.Column('withdrawn_on', sa.Date(), nullable=True),
    sa.Column('standard_of_care_met', sa.String(length=8), nullable=True),
    sa.Column('causation', sa.String(length=16), nullable=True),
    sa.Column('harm_found', sa.String(length=16), nullable=True),
    sa.Column('ordered_version', sa.Integer(), nullable=False),
    sa.Column('reported_version', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('case_id', 'examination_id')
    )
    op.create_index('ix_examinations_status_due', 'examinations', ['status', 'due_on'], unique=False)
    op.create_table('expert_affiliations',
    sa.Column('expert_id', sa.String(length=36), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('bin', sa.String(length=12), nullable=False),
    sa.Column('organization', sa.String(length=200), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=False),
    sa.Column('valid_to', sa.Date(), nullable=True),
    sa.PrimaryKeyConstraint('expert_id', 'version')
    )
    op.create_table('expert_specialties',
    sa.Column('expert_id', sa.String(length=36), nullable=False),
    sa.Column('specialty', sa.String(length=40), nullable=False),
    sa.PrimaryKeyConstraint('expert_id', 'specialty')
    )
    op.create_index('ix_expert_specialties_specialty', 'expert_specialties', ['specialty'], unique=False)
    op.create_table('experts',
    sa.Column('expert_id', sa.String(length=36), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('qualification', sa.String(length=300), nullable=False),
    sa.Column('certificate_no', sa.String(length=40), nullable=True),
    sa.Column('registered_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('expert_id')
    )
    op.create_table('hearings',
    sa.Column('case_id', sa.String(length=36), nullable=False),
    sa.Column('hearing_id', sa.String(length=8), nullable=False),
    sa.Column('docket_number', sa.String(length=32), nullable=False),
    sa.Column('court', sa.String(length=3), nullable=False),
    sa.Column('judge_id', sa.String(length=36), nullable=True),
    sa.Column('judge_name', sa.String(length=200), nullable=True),
    sa.Column('courtroom', sa.String(length=40), nullable=False),
    sa.Column('purpose', sa.String(length=300), nullable=False),
    sa.Column('starts_at', sa.DateTime(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('duration_minutes', sa.Integer(), nullable=False),
    sa.Column('first_starts_at', sa.DateTime(), nullable=False),
    sa.Column('reschedule_count', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('ended_at', sa.DateTime(), nullable=True),
    sa.Column('scheduled_version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('case_id', 'hearing_id')
    )
    op.create_index('ix_hearings_court_starts', 'hearings', ['court', 'starts_at'], unique=False)
    op.create_index('ix_hearings_judge_starts', 'hearings', ['judge_id', 'starts_at'], unique=False)
    op.create_index('ix_hearings_starts_on', 'hearings', ['starts_on'], unique=False)
    op.create_table('judge_certifications',
    sa.Column('judge_id', sa.String(length=36), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=False),
    sa.Column('valid_to', sa.Date(), nullable=True),
    sa.Column('course', sa.String(length=300), nullable=False),
    sa.PrimaryKeyConstraint('judge_id', 'version')
    )
    op.create_table('judges',
    sa.Column('judge_id', sa.String(length=36), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('court', sa.String(length=3), nullable=False),
    sa.Column('retired_on', sa.Date(), nullable=True),
    sa.Column('registered_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('judge_id')
    )
    op.create_index('ix_judges_court', 'judges', ['court'], unique=False)
    op.create_table('mediations',
    sa.Column('case_id', sa.String(length=36), nullable=False),
    sa.Column('mediation_id', sa.String(length=8), nullable=False),
    sa.Column('mediator_id', sa.String(length=36), nullable=False),
    sa.Column('mediator_name', sa.String(length=200), nullable=False),
    sa.Column('referred_on', sa.Date(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('concluded_on', sa.Date(), nullable=True),
    sa.Column('outcome', sa.String(length=12), nullable=True),
    sa.PrimaryKeyConstraint('case_id', 'mediation_id')
    )
    op.create_table('mediators',
    sa.Column('mediator_id', sa.String(length=36), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('court', sa.String(length=3), nullable=False),
    sa.Column('organization', sa.String(length=200), nullable=False),
    sa.Column('registered_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('mediator_id')
    )
    op.create_table('reopenings',
    sa.Column('case_id', sa.String(length=36), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('reopened_on', sa.Date(), nullable=False),
    sa.Column('reason', sa.String(length=16), nullable=False),
    sa.PrimaryKeyConstraint('case_id', 'version')
    )
    op.create_index('ix_reopenings_reopened_on', 'reopenings', ['reopened_on'], unique=False)
    op.create_table('rulings',
    sa.Column('case_id', sa.String(length=36), nullable=False),
    sa.Column('ruling_id', sa.String(length=8), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('decided_on', sa.Date(), nullable=False),
    sa.Column('judge_id', sa.String(length=36), nullable=True),
    sa.Column('disposition', sa.String(length=20), nullable=False),
    sa.Column('finding', sa.String(length=20), nullable=True),
    sa.Column('harm_found', sa.String(length=16), nullable=True),
    sa.Column('is_first', sa.Boolean(), nullable=False),
    sa.Column('awarded_real_damage', sa.BigInteger(), nullable=False),
    sa.Column('awarded_lost_profit', sa.BigInteger(), nullable=False),
    sa.Column('awarded_moral_harm', sa.BigInteger(), nullable=False),
    sa.Column('payable_real_damage', sa.BigInteger(), nullable=False),
    sa.Column('payable_lost_profit', sa.BigInteger(), nullable=False),
    sa.Column('payable_moral_harm', sa.BigInteger(), nullable=False),
    sa.Column('insurer_compensation', sa.BigInteger(), nullable=True),
    sa.Column('contributory_fault_bp', sa.Integer(), nullable=False),
    sa.Column('liable_respondents', sa.JSON(), nullable=False),
    sa.Column('sanctions', sa.JSON(), nullable=False),
    sa.Column('transferred_to', sa.String(length=32), nullable=True),
    sa.PrimaryKeyConstraint('case_id', 'ruling_id')
    )
    op.create_index('ix_rulings_decided_on', 'rulings', ['decided_on'], unique=False)
    op.create_index('ix_rulings_judge', 'rulings', ['judge_id'], unique=False)
    op.create_table('tracking_cases',
    sa.Column('application_name', sa.String(length=32), nullable=False),
    sa.Column('notification_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.PrimaryKeyConstraint('application_name')
    )
    op.create_table('tracking_registry',
    sa.Column('application_name', sa.String(length=32), nullable=False),
    sa.Column('notification_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.PrimaryKeyConstraint('application_name')
    )
    op.create_table('tracking_timeline',
    sa.Column('application_name', sa.String(length=32), nullable=False),
    sa.Column('notification_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.PrimaryKeyConstraint('application_name')
    )


def downgrade() -> None:
    op.drop_table('tracking_timeline')
    op.drop_table('tracking_registry')
    op.drop_table('tracking_cases')
    op.drop_index('ix_rulings_judge', table_name='rulings')
    op.drop_index('ix_rulings_decided_on', table_name='rulings')
    op.drop_table('rulings')
    op.drop_index('ix_reopenings_reopened_on', table_name='reopenings')
    op.drop_table('reopenings')
    op.drop_table('mediators')
    op.drop_table('mediations')
    op.drop_index('ix_judges_court', table_name='judges')
    op.drop_table('judges')
    op.drop_table('judge_certifications')
    op.drop_index('ix_hearings_starts_on', table_name='hearings')
    op.drop_index('ix_hearings_judge_starts', table_name='hearings')
    op.drop_index('ix_hearings_court_starts', table_name='hearings')
    op.drop_table('hearings')
    op.drop_table('experts')
    op.drop_index('ix_expert_specialties_specialty', table_name='expert_specialties')
    op.drop_table('expert_specialties')
    op.drop_table('expert_affiliations')
    op.drop_index('ix_examinations_status_due', table_name='examinations')
    op.drop_table('examinations')
    op.drop_index('ix_examination_experts_expert', table_name='examination_experts')
    op.drop_table('examination_experts')
    op.drop_index('ix_cases_received_on', table_name='cases')
    op.drop_index('ix_cases_judge_status', table_name='cases')
    op.drop_index('ix_cases_court_status', table_name='cases')
    op.drop_table('cases')
    op.drop_index('ix_case_parties_certificate_no', table_name='case_parties')
    op.drop_index('ix_case_parties_bin', table_name='case_parties')
    op.drop_table('case_parties')
    op.drop_index('ix_case_events_type', table_name='case_events')
    op.drop_table('case_events')
    op.drop_index('ix_appeals_filed_on', table_name='appeals')
    op.drop_index('ix_appeals_decided_on', table_name='appeals')
    op.drop_table('appeals')
