"""action plan

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

import app.models.types

revision = '0002'
down_revision = '0001'
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
    op.create_table('plan_actual',
    sa.Column('group_id', sa.String(length=36), nullable=False),
    sa.Column('fiscal_year', sa.Integer(), nullable=False),
    sa.Column('lineage', sa.String(length=36), nullable=False),
    sa.Column('month', sa.Integer(), nullable=False),
    sa.Column('work_done', sa.Integer(), nullable=False),
    sa.Column('baht_disbursed', app.models.types.Fixed(14, 2), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    *_sync_columns(),
    sa.ForeignKeyConstraint(['group_id'], ['work_group.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('group_id', 'fiscal_year', 'lineage', 'month')
    )
    with op.batch_alter_table('plan_actual', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_actual_change_seq'), ['change_seq'], unique=False)
        batch_op.create_index(batch_op.f('ix_plan_actual_lineage'), ['lineage'], unique=False)

    op.create_table('approval_event',
    sa.Column('workflow', sa.String(length=32), nullable=False),
    sa.Column('item_id', sa.String(length=36), nullable=False),
    sa.Column('step', sa.String(length=16), nullable=False),
    sa.Column('from_state', sa.String(length=24), nullable=False),
    sa.Column('to_state', sa.String(length=24), nullable=False),
    sa.Column('actor_id', sa.String(length=36), nullable=False),
    sa.Column('at', app.models.types.UTCDateTime(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('acknowledgement', sa.JSON(), nullable=True),
    *_sync_columns(),
    sa.ForeignKeyConstraint(['actor_id'], ['app_user.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('approval_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_approval_event_change_seq'), ['change_seq'], unique=False)
        batch_op.create_index(batch_op.f('ix_approval_event_item_id'), ['item_id'], unique=False)

    op.create_table('plan',
    sa.Column('office_id', sa.String(length=36), nullable=False),
    sa.Column('group_id', sa.String(length=36), nullable=False),
    sa.Column('fiscal_year', sa.Integer(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('revision_label', sa.String(length=200), nullable=False),
    sa.Column('previous_id', sa.String(length=36), nullable=True),
    sa.Column('owner_id', sa.String(length=36), nullable=False),
    sa.Column('state', sa.String(length=24), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('project', sa.Text(), nullable=False),
    sa.Column('program', sa.Text(), nullable=False),
    sa.Column('output', sa.Text(), nullable=False),
    sa.Column('main_activity', sa.Text(), nullable=False),
    sa.Column('sub_activity', sa.Text(), nullable=False),
    sa.Column('objective', sa.Text(), nullable=False),
    sa.Column('unit_name', sa.String(length=200), nullable=False),
    sa.Column('budget_total', app.models.types.Fixed(14, 2), nullable=True),
    sa.Column('responsible', sa.JSON(), nullable=False),
    sa.Column('practitioners', sa.JSON(), nullable=False),
    sa.Column('targets', sa.JSON(), nullable=False),
    sa.Column('budget_lines', sa.JSON(), nullable=False),
    sa.Column('kpis', sa.JSON(), nullable=False),
    sa.Column('signatories', sa.JSON(), nullable=False),
    sa.Column('stated_month_totals', sa.JSON(), nullable=True),
    sa.Column('stated_total', sa.JSON(), nullable=True),
    sa.Column('approved_by', sa.String(length=36), nullable=True),
    sa.Column('approved_at', app.models.types.UTCDateTime(), nullable=True),
    sa.Column('approved_hash', sa.String(length=64), nullable=True),
    *_sync_columns(),
    sa.ForeignKeyConstraint(['approved_by'], ['app_user.id'], ),
    sa.ForeignKeyConstraint(['group_id'], ['work_group.id'], ),
    sa.ForeignKeyConstraint(['office_id'], ['office.id'], ),
    sa.ForeignKeyConstraint(['owner_id'], ['app_user.id'], ),
    sa.ForeignKeyConstraint(['previous_id'], ['plan.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('group_id', 'fiscal_year', 'revision')
    )
    with op.batch_alter_table('plan', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_change_seq'), ['change_seq'], unique=False)
        batch_op.create_index(batch_op.f('ix_plan_group_id'), ['group_id'], unique=False)

    op.create_table('plan_activity',
    sa.Column('plan_id', sa.String(length=36), nullable=False),
    sa.Column('lineage', sa.String(length=36), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=32), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('is_heading', sa.Boolean(), nullable=False),
    sa.Column('level', sa.Integer(), nullable=True),
    sa.Column('target_quantity', sa.Integer(), nullable=True),
    sa.Column('unit', sa.String(length=64), nullable=False),
    sa.Column('responsible', sa.String(length=300), nullable=False),
    sa.Column('stated_total_work', sa.Integer(), nullable=True),
    sa.Column('stated_total_baht', app.models.types.Fixed(14, 2), nullable=True),
    *_sync_columns(),
    sa.ForeignKeyConstraint(['plan_id'], ['plan.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('plan_activity', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_activity_change_seq'), ['change_seq'], unique=False)
        batch_op.create_index(batch_op.f('ix_plan_activity_lineage'), ['lineage'], unique=False)
        batch_op.create_index(batch_op.f('ix_plan_activity_plan_id'), ['plan_id'], unique=False)

    op.create_table('plan_month',
    sa.Column('activity_id', sa.String(length=36), nullable=False),
    sa.Column('month', sa.Integer(), nullable=False),
    sa.Column('work', sa.Integer(), nullable=False),
    sa.Column('baht', app.models.types.Fixed(14, 2), nullable=False),
    *_sync_columns(),
    sa.ForeignKeyConstraint(['activity_id'], ['plan_activity.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('activity_id', 'month')
    )
    with op.batch_alter_table('plan_month', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_month_activity_id'), ['activity_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_plan_month_change_seq'), ['change_seq'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('plan_month', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_month_change_seq'))
        batch_op.drop_index(batch_op.f('ix_plan_month_activity_id'))

    op.drop_table('plan_month')
    with op.batch_alter_table('plan_activity', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_activity_plan_id'))
        batch_op.drop_index(batch_op.f('ix_plan_activity_lineage'))
        batch_op.drop_index(batch_op.f('ix_plan_activity_change_seq'))

    op.drop_table('plan_activity')
    with op.batch_alter_table('plan', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_group_id'))
        batch_op.drop_index(batch_op.f('ix_plan_change_seq'))

    op.drop_table('plan')
    with op.batch_alter_table('approval_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_approval_event_item_id'))
        batch_op.drop_index(batch_op.f('ix_approval_event_change_seq'))

    op.drop_table('approval_event')
    with op.batch_alter_table('plan_actual', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_actual_lineage'))
        batch_op.drop_index(batch_op.f('ix_plan_actual_change_seq'))

    op.drop_table('plan_actual')
