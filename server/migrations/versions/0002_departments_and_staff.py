"""Departments and window staff (shared by 好差评, content and evaluators); devices get a department.

Written with autogenerate and reviewed; plain SQLAlchemy types only (see 0001).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 12:16:15.928028
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('departments',
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.Column('region_code', sa.String(length=12), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_departments'))
    )
    op.create_table('staff',
    sa.Column('staff_no', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('department_code', sa.String(length=40), nullable=True),
    sa.Column('site_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=50), nullable=False),
    sa.Column('pin_hash', sa.String(length=200), nullable=False),
    sa.Column('card_uid_hash', sa.String(length=64), nullable=False),
    sa.Column('photo_jpeg', sa.LargeBinary(), nullable=True),
    sa.Column('photo_etag', sa.String(length=80), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['department_code'], ['departments.code'], name=op.f('fk_staff_department_code_departments')),
    sa.ForeignKeyConstraint(['site_id'], ['sites.id'], name=op.f('fk_staff_site_id_sites')),
    sa.PrimaryKeyConstraint('staff_no', name=op.f('pk_staff'))
    )
    with op.batch_alter_table('staff', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_staff_card_uid_hash'), ['card_uid_hash'], unique=False)
        batch_op.create_index(batch_op.f('ix_staff_department_code'), ['department_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_staff_site_id'), ['site_id'], unique=False)

    with op.batch_alter_table('devices', schema=None) as batch_op:
        batch_op.add_column(sa.Column('department_code', sa.String(length=40), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_devices_department_code_departments'), 'departments', ['department_code'], ['code'])



def downgrade() -> None:
    with op.batch_alter_table('devices', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_devices_department_code_departments'), type_='foreignkey')
        batch_op.drop_column('department_code')

    with op.batch_alter_table('staff', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staff_site_id'))
        batch_op.drop_index(batch_op.f('ix_staff_department_code'))
        batch_op.drop_index(batch_op.f('ix_staff_card_uid_hash'))

    op.drop_table('staff')
    op.drop_table('departments')
