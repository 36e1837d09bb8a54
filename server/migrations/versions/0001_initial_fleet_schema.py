"""Initial fleet schema: sites, devices, enrol codes, tokens, events, status, faults, usage,
commands, users, audit log, content documents.

Written once with autogenerate and reviewed; column types are plain SQLAlchemy types (not the
app's models) so later model changes never alter what this revision creates.

Revision ID: 0001
Create Date: 2026-11-23
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=80), nullable=False),
    sa.Column('action', sa.String(length=60), nullable=False),
    sa.Column('target', sa.String(length=120), nullable=False),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_log_at'), ['at'], unique=False)

    op.create_table('content_documents',
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('version', sa.String(length=40), nullable=False),
    sa.Column('etag', sa.String(length=80), nullable=False),
    sa.Column('body', sa.JSON(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_content_documents'))
    )
    op.create_table('sites',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('region_code', sa.String(length=12), nullable=False),
    sa.Column('address', sa.String(length=300), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sites')),
    sa.UniqueConstraint('slug', name=op.f('uq_sites_slug'))
    )
    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('display_name', sa.String(length=100), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('password_hash', sa.String(length=200), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('username', name=op.f('uq_users_username'))
    )
    op.create_table('devices',
    sa.Column('id', sa.String(length=40), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('type', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('window', sa.String(length=20), nullable=False),
    sa.Column('location', sa.String(length=200), nullable=False),
    sa.Column('peripherals', sa.JSON(), nullable=False),
    sa.Column('enrolled_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('online', sa.Boolean(), nullable=False),
    sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_heartbeat', sa.JSON(), nullable=False),
    sa.Column('last_seq', sa.Integer(), nullable=False),
    sa.Column('retired', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['site_id'], ['sites.id'], name=op.f('fk_devices_site_id_sites')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_devices'))
    )
    with op.batch_alter_table('devices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_devices_last_seen_at'), ['last_seen_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_devices_site_id'), ['site_id'], unique=False)

    op.create_table('commands',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('device_id', sa.String(length=40), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('args', sa.JSON(), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.String(length=64), nullable=False),
    sa.Column('delivered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('acked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('result', sa.String(length=500), nullable=False),
    sa.ForeignKeyConstraint(['device_id'], ['devices.id'], name=op.f('fk_commands_device_id_devices')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_commands'))
    )
    with op.batch_alter_table('commands', schema=None) as batch_op:
        batch_op.create_index('ix_commands_device_state', ['device_id', 'state'], unique=False)

    op.create_table('device_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('device_id', sa.String(length=40), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['device_id'], ['devices.id'], name=op.f('fk_device_tokens_device_id_devices')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_device_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_device_tokens_token_hash'))
    )
    with op.batch_alter_table('device_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_device_tokens_device_id'), ['device_id'], unique=False)

    op.create_table('enrol_codes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('hint', sa.String(length=8), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('device_type', sa.String(length=16), nullable=False),
    sa.Column('window', sa.String(length=20), nullable=False),
    sa.Column('location', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.String(length=64), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('device_id', sa.String(length=40), nullable=True),
    sa.ForeignKeyConstraint(['device_id'], ['devices.id'], name=op.f('fk_enrol_codes_device_id_devices')),
    sa.ForeignKeyConstraint(['site_id'], ['sites.id'], name=op.f('fk_enrol_codes_site_id_sites')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_enrol_codes')),
    sa.UniqueConstraint('code_hash', name=op.f('uq_enrol_codes_code_hash'))
    )
    op.create_table('events',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('device_id', sa.String(length=40), nullable=False),
    sa.Column('seq', sa.BigInteger(), nullable=False),
    sa.Column('type', sa.String(length=40), nullable=False),
    sa.Column('occurred_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['device_id'], ['devices.id'], name=op.f('fk_events_device_id_devices')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_events'))
    )
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.create_index('ix_events_device_occurred', ['device_id', 'occurred_at'], unique=False)

    op.create_table('faults',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('device_id', sa.String(length=40), nullable=False),
    sa.Column('peripheral', sa.String(length=40), nullable=False),
    sa.Column('reason', sa.String(length=60), nullable=False),
    sa.Column('detail', sa.String(length=500), nullable=False),
    sa.Column('source', sa.String(length=10), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('acknowledged_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('acknowledged_by', sa.String(length=64), nullable=True),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('resolved_by', sa.String(length=64), nullable=True),
    sa.Column('resolution_note', sa.Text(), nullable=False),
    sa.Column('flaps', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['device_id'], ['devices.id'], name=op.f('fk_faults_device_id_devices')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_faults'))
    )
    with op.batch_alter_table('faults', schema=None) as batch_op:
        batch_op.create_index('ix_faults_device_key', ['device_id', 'peripheral', 'reason'], unique=False)
        batch_op.create_index('ix_faults_state', ['state'], unique=False)

    op.create_table('status_transitions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('device_id', sa.String(length=40), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('online', sa.Boolean(), nullable=False),
    sa.Column('reason', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['device_id'], ['devices.id'], name=op.f('fk_status_transitions_device_id_devices')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_status_transitions'))
    )
    with op.batch_alter_table('status_transitions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_status_transitions_device_id'), ['device_id'], unique=False)

    op.create_table('usage_records',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.String(length=36), nullable=False),
    sa.Column('device_id', sa.String(length=40), nullable=False),
    sa.Column('function', sa.String(length=40), nullable=False),
    sa.Column('outcome', sa.String(length=20), nullable=False),
    sa.Column('pages', sa.Integer(), nullable=False),
    sa.Column('occurred_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['device_id'], ['devices.id'], name=op.f('fk_usage_records_device_id_devices')),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_usage_records_event_id_events')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_usage_records')),
    sa.UniqueConstraint('event_id', name=op.f('uq_usage_records_event_id'))
    )
    with op.batch_alter_table('usage_records', schema=None) as batch_op:
        batch_op.create_index('ix_usage_device_occurred', ['device_id', 'occurred_at'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('usage_records', schema=None) as batch_op:
        batch_op.drop_index('ix_usage_device_occurred')

    op.drop_table('usage_records')
    with op.batch_alter_table('status_transitions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_status_transitions_device_id'))

    op.drop_table('status_transitions')
    with op.batch_alter_table('faults', schema=None) as batch_op:
        batch_op.drop_index('ix_faults_state')
        batch_op.drop_index('ix_faults_device_key')

    op.drop_table('faults')
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_index('ix_events_device_occurred')

    op.drop_table('events')
    op.drop_table('enrol_codes')
    with op.batch_alter_table('device_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_device_tokens_device_id'))

    op.drop_table('device_tokens')
    with op.batch_alter_table('commands', schema=None) as batch_op:
        batch_op.drop_index('ix_commands_device_state')

    op.drop_table('commands')
    with op.batch_alter_table('devices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_devices_site_id'))
        batch_op.drop_index(batch_op.f('ix_devices_last_seen_at'))

    op.drop_table('devices')
    op.drop_table('users')
    op.drop_table('sites')
    op.drop_table('content_documents')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_log_at'))

    op.drop_table('audit_log')
