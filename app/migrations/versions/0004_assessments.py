"""Standards and strength assessments, saved filters

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

import app.models.types

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def _sync_columns() -> list[sa.Column]:
    """The sync mixin's columns (app/models/base.py) as of this revision."""
    return [
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('rev', sa.Integer(), nullable=False),
        sa.Column('updated_at', app.models.types.UTCDateTime(), nullable=False),
        sa.Column('updated_by', sa.String(length=36), nullable=True),
        sa.Column('origin_office', sa.String(length=16), nullable=True),
        sa.Column('deleted_at', app.models.types.UTCDateTime(), nullable=True),
        sa.Column('change_seq', sa.Integer(), nullable=False),
    ]


def upgrade() -> None:
    op.create_table('saved_filter',
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('definition', sa.JSON(), nullable=False),
    sa.Column('owner_id', sa.String(length=36), nullable=True),
    *_sync_columns(),
    sa.ForeignKeyConstraint(['owner_id'], ['app_user.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('saved_filter', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_saved_filter_change_seq'), ['change_seq'], unique=False)

    op.create_table('standards_assessment',
    sa.Column('institution_id', sa.String(length=36), nullable=False),
    sa.Column('fiscal_year', sa.Integer(), nullable=False),
    sa.Column('criteria_year', sa.Integer(), nullable=False),
    sa.Column('assessed', sa.Boolean(), nullable=False),
    sa.Column('not_assessed_reason', sa.String(length=32), nullable=True),
    sa.Column('reason_note', sa.Text(), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.Column('result', sa.String(length=16), nullable=False),
    sa.Column('assessed_by', sa.String(length=36), nullable=True),
    sa.Column('assessed_on', sa.Date(), nullable=True),
    sa.Column('reported_on', sa.Date(), nullable=True),
    *_sync_columns(),
    sa.ForeignKeyConstraint(['assessed_by'], ['app_user.id'], ),
    sa.ForeignKeyConstraint(['institution_id'], ['institution.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('institution_id', 'fiscal_year')
    )
    with op.batch_alter_table('standards_assessment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_standards_assessment_change_seq'), ['change_seq'], unique=False)
        batch_op.create_index(batch_op.f('ix_standards_assessment_institution_id'), ['institution_id'], unique=False)

    op.create_table('strength_assessment',
    sa.Column('institution_id', sa.String(length=36), nullable=False),
    sa.Column('fiscal_year', sa.Integer(), nullable=False),
    sa.Column('member_service', app.models.types.Fixed(5, 2), nullable=True),
    sa.Column('business', app.models.types.Fixed(5, 2), nullable=True),
    sa.Column('organisation', app.models.types.Fixed(5, 2), nullable=True),
    sa.Column('administration', app.models.types.Fixed(5, 2), nullable=True),
    sa.Column('accounts_closed', sa.Boolean(), nullable=False),
    sa.Column('agm_held', sa.Boolean(), nullable=False),
    sa.Column('statements_presented', sa.Boolean(), nullable=False),
    sa.Column('extra', sa.JSON(), nullable=False),
    sa.Column('out_of_scope', sa.Boolean(), nullable=False),
    sa.Column('out_of_scope_reason', sa.Text(), nullable=False),
    sa.Column('computed_class', sa.Integer(), nullable=True),
    sa.Column('table_year', sa.Integer(), nullable=True),
    sa.Column('published_class', sa.Integer(), nullable=True),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('entered_by', sa.String(length=36), nullable=True),
    *_sync_columns(),
    sa.ForeignKeyConstraint(['entered_by'], ['app_user.id'], ),
    sa.ForeignKeyConstraint(['institution_id'], ['institution.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('institution_id', 'fiscal_year')
    )
    with op.batch_alter_table('strength_assessment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_strength_assessment_change_seq'), ['change_seq'], unique=False)
        batch_op.create_index(batch_op.f('ix_strength_assessment_institution_id'), ['institution_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('strength_assessment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_strength_assessment_institution_id'))
        batch_op.drop_index(batch_op.f('ix_strength_assessment_change_seq'))

    op.drop_table('strength_assessment')
    with op.batch_alter_table('standards_assessment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_standards_assessment_institution_id'))
        batch_op.drop_index(batch_op.f('ix_standards_assessment_change_seq'))

    op.drop_table('standards_assessment')
    with op.batch_alter_table('saved_filter', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_saved_filter_change_seq'))

    op.drop_table('saved_filter')
