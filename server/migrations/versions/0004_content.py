"""Content for terminals: catalog themes, items (draft/published), published catalog versions,
cases with steps, certificates, self-service applications with their scanned materials.

Written with autogenerate and reviewed; plain SQLAlchemy types only (see 0001).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 12:45:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = '0003'
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table('catalog_themes',
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('name_en', sa.String(length=100), nullable=False),
    sa.Column('audience', sa.String(length=20), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_catalog_themes'))
    )
    op.create_table('catalog_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.String(length=40), nullable=False),
    sa.Column('etag', sa.String(length=80), nullable=False),
    sa.Column('body', sa.JSON(), nullable=False),
    sa.Column('item_count', sa.Integer(), nullable=False),
    sa.Column('published_at', TS, nullable=False),
    sa.Column('published_by', sa.String(length=80), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_catalog_versions')),
    sa.UniqueConstraint('version', name=op.f('uq_catalog_versions_version'))
    )
    op.create_table('content_certificates',
    sa.Column('id', sa.String(length=40), nullable=False),
    sa.Column('holder_key', sa.String(length=64), nullable=False),
    sa.Column('holder_name_masked', sa.String(length=50), nullable=False),
    sa.Column('holder_id_masked', sa.String(length=24), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('title', sa.String(length=100), nullable=False),
    sa.Column('number', sa.String(length=60), nullable=False),
    sa.Column('issuer', sa.String(length=100), nullable=False),
    sa.Column('issued_at', TS, nullable=False),
    sa.Column('body', sa.JSON(), nullable=False),
    sa.Column('table_header', sa.JSON(), nullable=False),
    sa.Column('table_rows', sa.JSON(), nullable=False),
    sa.Column('notes', sa.JSON(), nullable=False),
    sa.Column('verify_code', sa.String(length=40), nullable=False),
    sa.Column('verify_url', sa.String(length=300), nullable=False),
    sa.Column('pages', sa.Integer(), nullable=False),
    sa.Column('sample_data', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_content_certificates'))
    )
    with op.batch_alter_table('content_certificates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_content_certificates_holder_key'), ['holder_key'], unique=False)

    op.create_table('catalog_items',
    sa.Column('basic_code', sa.String(length=10), nullable=False),
    sa.Column('department_code', sa.String(length=40), nullable=False),
    sa.Column('draft', sa.JSON(), nullable=True),
    sa.Column('published', sa.JSON(), nullable=True),
    sa.Column('sample_data', sa.Boolean(), nullable=False),
    sa.Column('updated_at', TS, nullable=False),
    sa.Column('updated_by', sa.String(length=80), nullable=False),
    sa.ForeignKeyConstraint(['department_code'], ['departments.code'], name=op.f('fk_catalog_items_department_code_departments')),
    sa.PrimaryKeyConstraint('basic_code', name=op.f('pk_catalog_items'))
    )
    with op.batch_alter_table('catalog_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_catalog_items_department_code'), ['department_code'], unique=False)

    op.create_table('content_cases',
    sa.Column('case_no', sa.String(length=32), nullable=False),
    sa.Column('basic_code', sa.String(length=10), nullable=False),
    sa.Column('impl_code', sa.String(length=24), nullable=False),
    sa.Column('item_name', sa.String(length=200), nullable=False),
    sa.Column('department_code', sa.String(length=40), nullable=False),
    sa.Column('applicant_key', sa.String(length=64), nullable=False),
    sa.Column('applicant_name_masked', sa.String(length=50), nullable=False),
    sa.Column('applicant_id_masked', sa.String(length=24), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('submitted_at', TS, nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('delivery_method', sa.String(length=20), nullable=False),
    sa.Column('delivery_carrier', sa.String(length=50), nullable=False),
    sa.Column('tracking_no', sa.String(length=40), nullable=False),
    sa.Column('device_id', sa.String(length=40), nullable=False),
    sa.Column('sample_data', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['department_code'], ['departments.code'], name=op.f('fk_content_cases_department_code_departments')),
    sa.PrimaryKeyConstraint('case_no', name=op.f('pk_content_cases'))
    )
    with op.batch_alter_table('content_cases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_content_cases_applicant_key'), ['applicant_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_content_cases_basic_code'), ['basic_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_content_cases_department_code'), ['department_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_content_cases_submitted_at'), ['submitted_at'], unique=False)

    op.create_table('content_applications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_no', sa.String(length=32), nullable=False),
    sa.Column('basic_code', sa.String(length=10), nullable=False),
    sa.Column('applicant_key', sa.String(length=64), nullable=False),
    sa.Column('applicant_name_masked', sa.String(length=50), nullable=False),
    sa.Column('applicant_id_masked', sa.String(length=24), nullable=False),
    sa.Column('form', sa.JSON(), nullable=False),
    sa.Column('device_id', sa.String(length=40), nullable=False),
    sa.Column('received_at', TS, nullable=False),
    sa.Column('total_bytes', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['case_no'], ['content_cases.case_no'], name=op.f('fk_content_applications_case_no_content_cases')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_content_applications')),
    sa.UniqueConstraint('case_no', name=op.f('uq_content_applications_case_no'))
    )
    with op.batch_alter_table('content_applications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_content_applications_applicant_key'), ['applicant_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_content_applications_basic_code'), ['basic_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_content_applications_received_at'), ['received_at'], unique=False)

    op.create_table('content_case_steps',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_no', sa.String(length=32), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=20), nullable=False),
    sa.Column('at', TS, nullable=True),
    sa.Column('note', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['case_no'], ['content_cases.case_no'], name=op.f('fk_content_case_steps_case_no_content_cases')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_content_case_steps'))
    )
    with op.batch_alter_table('content_case_steps', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_content_case_steps_case_no'), ['case_no'], unique=False)

    op.create_table('content_application_materials',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('pdf', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['content_applications.id'], name=op.f('fk_content_application_materials_application_id_content_applications')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_content_application_materials'))
    )
    with op.batch_alter_table('content_application_materials', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_content_application_materials_application_id'), ['application_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('content_application_materials', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_content_application_materials_application_id'))

    op.drop_table('content_application_materials')
    with op.batch_alter_table('content_case_steps', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_content_case_steps_case_no'))

    op.drop_table('content_case_steps')
    with op.batch_alter_table('content_applications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_content_applications_received_at'))
        batch_op.drop_index(batch_op.f('ix_content_applications_basic_code'))
        batch_op.drop_index(batch_op.f('ix_content_applications_applicant_key'))

    op.drop_table('content_applications')
    with op.batch_alter_table('content_cases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_content_cases_submitted_at'))
        batch_op.drop_index(batch_op.f('ix_content_cases_department_code'))
        batch_op.drop_index(batch_op.f('ix_content_cases_basic_code'))
        batch_op.drop_index(batch_op.f('ix_content_cases_applicant_key'))

    op.drop_table('content_cases')
    with op.batch_alter_table('catalog_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_catalog_items_department_code'))

    op.drop_table('catalog_items')
    with op.batch_alter_table('content_certificates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_content_certificates_holder_key'))

    op.drop_table('content_certificates')
    op.drop_table('catalog_versions')
    op.drop_table('catalog_themes')
