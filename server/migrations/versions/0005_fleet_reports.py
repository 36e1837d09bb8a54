"""Fleet side: citizens' calls for staff, webhook notifications (outbox, deliveries, attempt log),
enrolment claims (a retried enrolment is answered again).

Written with autogenerate and reviewed; plain SQLAlchemy types only (see 0001).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 12:40:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table('staff_calls',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.String(length=36), nullable=False),
    sa.Column('device_id', sa.String(length=40), nullable=False),
    sa.Column('reason', sa.String(length=40), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('opened_at', TS, nullable=False),
    sa.Column('acknowledged_at', TS, nullable=True),
    sa.Column('acknowledged_by', sa.String(length=64), nullable=True),
    sa.Column('resolved_at', TS, nullable=True),
    sa.Column('resolved_by', sa.String(length=64), nullable=True),
    sa.Column('resolution_note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['device_id'], ['devices.id'], name=op.f('fk_staff_calls_device_id_devices')),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_staff_calls_event_id_events')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_calls')),
    sa.UniqueConstraint('event_id', name=op.f('uq_staff_calls_event_id'))
    )
    op.create_index('ix_staff_calls_device', 'staff_calls', ['device_id'], unique=False)
    op.create_index('ix_staff_calls_state', 'staff_calls', ['state'], unique=False)
    op.create_table('webhooks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('url', sa.String(length=500), nullable=False),
    sa.Column('format', sa.String(length=16), nullable=False),
    sa.Column('secret', sa.String(length=200), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=True),
    sa.Column('kinds', sa.JSON(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', TS, nullable=False),
    sa.Column('created_by', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['site_id'], ['sites.id'], name=op.f('fk_webhooks_site_id_sites')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_webhooks'))
    )
    op.create_index(op.f('ix_webhooks_site_id'), 'webhooks', ['site_id'], unique=False)
    op.create_table('enrol_claims',
    sa.Column('code_id', sa.Integer(), nullable=False),
    sa.Column('nonce_hash', sa.String(length=64), nullable=False),
    sa.Column('device_id', sa.String(length=40), nullable=False),
    sa.Column('claimed_at', TS, nullable=False),
    sa.Column('retries', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['code_id'], ['enrol_codes.id'], name=op.f('fk_enrol_claims_code_id_enrol_codes')),
    sa.ForeignKeyConstraint(['device_id'], ['devices.id'], name=op.f('fk_enrol_claims_device_id_devices')),
    sa.PrimaryKeyConstraint('code_id', name=op.f('pk_enrol_claims'))
    )
    op.create_table('notify_outbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('device_id', sa.String(length=40), nullable=False),
    sa.Column('fault_id', sa.Integer(), nullable=True),
    sa.Column('call_id', sa.Integer(), nullable=True),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('created_at', TS, nullable=False),
    sa.Column('not_before', TS, nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.ForeignKeyConstraint(['call_id'], ['staff_calls.id'], name=op.f('fk_notify_outbox_call_id_staff_calls')),
    sa.ForeignKeyConstraint(['device_id'], ['devices.id'], name=op.f('fk_notify_outbox_device_id_devices')),
    sa.ForeignKeyConstraint(['fault_id'], ['faults.id'], name=op.f('fk_notify_outbox_fault_id_faults')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notify_outbox'))
    )
    op.create_index('ix_notify_outbox_fault', 'notify_outbox', ['fault_id'], unique=False)
    op.create_index('ix_notify_outbox_state', 'notify_outbox', ['state', 'not_before'], unique=False)
    op.create_table('webhook_deliveries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('outbox_id', sa.Integer(), nullable=False),
    sa.Column('webhook_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', TS, nullable=False),
    sa.Column('locked_until', TS, nullable=True),
    sa.Column('last_status', sa.Integer(), nullable=True),
    sa.Column('last_error', sa.String(length=500), nullable=False),
    sa.Column('created_at', TS, nullable=False),
    sa.Column('delivered_at', TS, nullable=True),
    sa.ForeignKeyConstraint(['outbox_id'], ['notify_outbox.id'], name=op.f('fk_webhook_deliveries_outbox_id_notify_outbox')),
    sa.ForeignKeyConstraint(['webhook_id'], ['webhooks.id'], name=op.f('fk_webhook_deliveries_webhook_id_webhooks')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_webhook_deliveries'))
    )
    op.create_index('ix_webhook_deliveries_due', 'webhook_deliveries', ['state', 'next_attempt_at'], unique=False)
    op.create_index(op.f('ix_webhook_deliveries_webhook_id'), 'webhook_deliveries', ['webhook_id'], unique=False)
    op.create_table('webhook_attempts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('delivery_id', sa.Integer(), nullable=False),
    sa.Column('at', TS, nullable=False),
    sa.Column('status', sa.Integer(), nullable=True),
    sa.Column('error', sa.String(length=500), nullable=False),
    sa.Column('duration_ms', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['delivery_id'], ['webhook_deliveries.id'], name=op.f('fk_webhook_attempts_delivery_id_webhook_deliveries')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_webhook_attempts'))
    )
    op.create_index(op.f('ix_webhook_attempts_delivery_id'), 'webhook_attempts', ['delivery_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_webhook_attempts_delivery_id'), table_name='webhook_attempts')
    op.drop_table('webhook_attempts')
    op.drop_index(op.f('ix_webhook_deliveries_webhook_id'), table_name='webhook_deliveries')
    op.drop_index('ix_webhook_deliveries_due', table_name='webhook_deliveries')
    op.drop_table('webhook_deliveries')
    op.drop_index('ix_notify_outbox_state', table_name='notify_outbox')
    op.drop_index('ix_notify_outbox_fault', table_name='notify_outbox')
    op.drop_table('notify_outbox')
    op.drop_table('enrol_claims')
    op.drop_index(op.f('ix_webhooks_site_id'), table_name='webhooks')
    op.drop_table('webhooks')
    op.drop_index('ix_staff_calls_state', table_name='staff_calls')
    op.drop_index('ix_staff_calls_device', table_name='staff_calls')
    op.drop_table('staff_calls')
