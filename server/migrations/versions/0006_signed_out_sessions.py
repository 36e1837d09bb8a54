"""Signed-out dashboard sessions, so a copied cookie dies with the sign-out (cookies are stateless).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23 13:42:59.643740
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('signed_out_sessions',
    sa.Column('sid', sa.String(length=64), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('sid', name=op.f('pk_signed_out_sessions'))
    )
    with op.batch_alter_table('signed_out_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_signed_out_sessions_expires_at'), ['expires_at'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('signed_out_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_signed_out_sessions_expires_at'))

    op.drop_table('signed_out_sessions')
