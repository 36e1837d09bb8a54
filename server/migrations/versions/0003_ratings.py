"""好差评: ratings, rejected rating events, rectification cases, malicious claims, calendar days,
rating-QR windows, department members, push log.

Written with autogenerate and reviewed; plain SQLAlchemy types only (see 0001).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('calendar_days',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('workday', sa.Boolean(), nullable=False),
    sa.Column('note', sa.String(length=100), nullable=False),
    sa.Column('created_by', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('day', name=op.f('pk_calendar_days'))
    )
    op.create_table('rating_push_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('endpoint', sa.String(length=300), nullable=False),
    sa.Column('profile', sa.String(length=20), nullable=False),
    sa.Column('records', sa.Integer(), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('http_status', sa.Integer(), nullable=True),
    sa.Column('answer', sa.Text(), nullable=False),
    sa.Column('sent', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rating_push_log'))
    )
    op.create_table('department_members',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('department_code', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['department_code'], ['departments.code'], name=op.f('fk_department_members_department_code_departments')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_department_members_user_id_users')),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_department_members'))
    )
    op.create_table('rating_windows',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=40), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('window', sa.String(length=20), nullable=False),
    sa.Column('department_code', sa.String(length=40), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['department_code'], ['departments.code'], name=op.f('fk_rating_windows_department_code_departments')),
    sa.ForeignKeyConstraint(['site_id'], ['sites.id'], name=op.f('fk_rating_windows_site_id_sites')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rating_windows')),
    sa.UniqueConstraint('token', name=op.f('uq_rating_windows_token'))
    )
    op.create_table('rating_rejects',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.String(length=36), nullable=False),
    sa.Column('device_id', sa.String(length=40), nullable=False),
    sa.Column('error', sa.String(length=300), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['device_id'], ['devices.id'], name=op.f('fk_rating_rejects_device_id_devices')),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_rating_rejects_event_id_events')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rating_rejects')),
    sa.UniqueConstraint('event_id', name=op.f('uq_rating_rejects_event_id'))
    )
    op.create_table('ratings',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('event_id', sa.String(length=36), nullable=True),
    sa.Column('device_id', sa.String(length=40), nullable=True),
    sa.Column('site_id', sa.Integer(), nullable=True),
    sa.Column('department_code', sa.String(length=40), nullable=True),
    sa.Column('outcome', sa.String(length=12), nullable=False),
    sa.Column('level', sa.Enum('very_satisfied', 'satisfied', 'basically_satisfied', 'dissatisfied', 'very_dissatisfied', name='rating_level', native_enum=False, length=24), nullable=True),
    sa.Column('bad', sa.Boolean(), nullable=False),
    sa.Column('reasons', sa.JSON(), nullable=False),
    sa.Column('reason_list_version', sa.Integer(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('rated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('rated_on', sa.Date(), nullable=False),
    sa.Column('rating_count', sa.Integer(), nullable=False),
    sa.Column('case_no', sa.String(length=64), nullable=False),
    sa.Column('consultation', sa.Boolean(), nullable=False),
    sa.Column('item_name', sa.String(length=100), nullable=False),
    sa.Column('item_basic_code', sa.String(length=10), nullable=False),
    sa.Column('item_impl_code', sa.String(length=24), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('region_code', sa.String(length=12), nullable=False),
    sa.Column('window', sa.String(length=20), nullable=False),
    sa.Column('staff_no', sa.String(length=32), nullable=False),
    sa.Column('trigger', sa.String(length=20), nullable=False),
    sa.Column('contact_phone', sa.String(length=20), nullable=False),
    sa.Column('excluded', sa.Boolean(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('pushed_version', sa.Integer(), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['department_code'], ['departments.code'], name=op.f('fk_ratings_department_code_departments')),
    sa.ForeignKeyConstraint(['device_id'], ['devices.id'], name=op.f('fk_ratings_device_id_devices')),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_ratings_event_id_events')),
    sa.ForeignKeyConstraint(['site_id'], ['sites.id'], name=op.f('fk_ratings_site_id_sites')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ratings')),
    sa.UniqueConstraint('event_id', name=op.f('uq_ratings_event_id'))
    )
    op.create_index('ix_ratings_case_no', 'ratings', ['case_no'], unique=False)
    op.create_index('ix_ratings_push', 'ratings', ['pushed_version', 'version'], unique=False)
    op.create_index('ix_ratings_rated_on', 'ratings', ['rated_on'], unique=False)
    op.create_table('malicious_claims',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('rating_id', sa.String(length=36), nullable=False),
    sa.Column('claimed_by', sa.String(length=64), nullable=False),
    sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('evidence_text', sa.Text(), nullable=False),
    sa.Column('evidence_file', sa.LargeBinary(), nullable=True),
    sa.Column('evidence_filename', sa.String(length=120), nullable=False),
    sa.Column('evidence_type', sa.String(length=80), nullable=False),
    sa.Column('state', sa.String(length=12), nullable=False),
    sa.Column('decided_by', sa.String(length=64), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decision_note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['rating_id'], ['ratings.id'], name=op.f('fk_malicious_claims_rating_id_ratings')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_malicious_claims'))
    )
    op.create_index(op.f('ix_malicious_claims_rating_id'), 'malicious_claims', ['rating_id'], unique=False)
    op.create_table('rectification_cases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('rating_id', sa.String(length=36), nullable=False),
    sa.Column('department_code', sa.String(length=40), nullable=True),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('visited_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('visit_note', sa.Text(), nullable=False),
    sa.Column('rectify_started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('rectify_plan', sa.Text(), nullable=False),
    sa.Column('rectified_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('rectify_note', sa.Text(), nullable=False),
    sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('review_satisfied', sa.Boolean(), nullable=True),
    sa.Column('review_note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['department_code'], ['departments.code'], name=op.f('fk_rectification_cases_department_code_departments')),
    sa.ForeignKeyConstraint(['rating_id'], ['ratings.id'], name=op.f('fk_rectification_cases_rating_id_ratings')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rectification_cases')),
    sa.UniqueConstraint('rating_id', name=op.f('uq_rectification_cases_rating_id'))
    )
    op.create_index('ix_rectification_cases_state', 'rectification_cases', ['state'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_rectification_cases_state', table_name='rectification_cases')
    op.drop_table('rectification_cases')
    op.drop_index(op.f('ix_malicious_claims_rating_id'), table_name='malicious_claims')
    op.drop_table('malicious_claims')
    op.drop_index('ix_ratings_rated_on', table_name='ratings')
    op.drop_index('ix_ratings_push', table_name='ratings')
    op.drop_index('ix_ratings_case_no', table_name='ratings')
    op.drop_table('ratings')
    op.drop_table('rating_rejects')
    op.drop_table('rating_windows')
    op.drop_table('department_members')
    op.drop_table('rating_push_log')
    op.drop_table('calendar_days')
