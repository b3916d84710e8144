"""CPS visits: travel plans, visits with their reports, follow-up items

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

import app.models.types

revision = '0003'
down_revision = '0002'
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
    op.create_table('travel_plan',
    sa.Column('office_id', sa.String(length=36), nullable=False),
    sa.Column('officer_id', sa.String(length=36), nullable=False),
    sa.Column('group_id', sa.String(length=36), nullable=True),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('state', sa.String(length=24), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('approved_by', sa.String(length=36), nullable=True),
    sa.Column('approved_at', app.models.types.UTCDateTime(), nullable=True),
    sa.Column('approved_hash', sa.String(length=64), nullable=True),
    *_sync_columns(),
    sa.ForeignKeyConstraint(['approved_by'], ['app_user.id'], ),
    sa.ForeignKeyConstraint(['group_id'], ['work_group.id'], ),
    sa.ForeignKeyConstraint(['office_id'], ['office.id'], ),
    sa.ForeignKeyConstraint(['officer_id'], ['app_user.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('officer_id', 'month')
    )
    with op.batch_alter_table('travel_plan', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_travel_plan_change_seq'), ['change_seq'], unique=False)
        batch_op.create_index(batch_op.f('ix_travel_plan_group_id'), ['group_id'], unique=False)

    op.create_table('visit',
    sa.Column('travel_plan_id', sa.String(length=36), nullable=False),
    sa.Column('institution_id', sa.String(length=36), nullable=False),
    sa.Column('officer_id', sa.String(length=36), nullable=False),
    sa.Column('group_id', sa.String(length=36), nullable=True),
    sa.Column('co_officer_ids', sa.JSON(), nullable=False),
    sa.Column('planned_date', sa.Date(), nullable=False),
    sa.Column('planned_time', sa.String(length=5), nullable=True),
    sa.Column('duration_min', sa.Integer(), nullable=False),
    sa.Column('method', sa.String(length=24), nullable=False),
    sa.Column('purpose', sa.Text(), nullable=False),
    sa.Column('activity_lineage', sa.String(length=36), nullable=True),
    sa.Column('travel_approved_at', app.models.types.UTCDateTime(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('actual_date', sa.Date(), nullable=True),
    sa.Column('attendees_committee', sa.Integer(), nullable=True),
    sa.Column('attendees_staff', sa.Integer(), nullable=True),
    sa.Column('attendees_members', sa.Integer(), nullable=True),
    sa.Column('findings', sa.Text(), nullable=False),
    sa.Column('advice', sa.Text(), nullable=False),
    sa.Column('response', sa.Text(), nullable=False),
    sa.Column('next_step', sa.Text(), nullable=False),
    sa.Column('cancel_reason', sa.Text(), nullable=False),
    sa.Column('report_state', sa.String(length=24), nullable=False),
    sa.Column('report_approved_by', sa.String(length=36), nullable=True),
    sa.Column('report_approved_at', app.models.types.UTCDateTime(), nullable=True),
    sa.Column('report_approved_hash', sa.String(length=64), nullable=True),
    *_sync_columns(),
    sa.ForeignKeyConstraint(['group_id'], ['work_group.id'], ),
    sa.ForeignKeyConstraint(['institution_id'], ['institution.id'], ),
    sa.ForeignKeyConstraint(['officer_id'], ['app_user.id'], ),
    sa.ForeignKeyConstraint(['report_approved_by'], ['app_user.id'], ),
    sa.ForeignKeyConstraint(['travel_plan_id'], ['travel_plan.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('visit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_visit_activity_lineage'), ['activity_lineage'], unique=False)
        batch_op.create_index(batch_op.f('ix_visit_change_seq'), ['change_seq'], unique=False)
        batch_op.create_index('ix_visit_group_day', ['group_id', 'planned_date'], unique=False)
        batch_op.create_index('ix_visit_institution_day', ['institution_id', 'actual_date'], unique=False)
        batch_op.create_index('ix_visit_institution_officer_day', ['institution_id', 'officer_id', 'planned_date'],
                                unique=False)
        batch_op.create_index('ix_visit_officer_day', ['officer_id', 'planned_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_visit_travel_plan_id'), ['travel_plan_id'], unique=False)

    op.create_table('followup',
    sa.Column('institution_id', sa.String(length=36), nullable=False),
    sa.Column('raised_in_visit_id', sa.String(length=36), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=True),
    sa.Column('owner_id', sa.String(length=36), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('closed_in_visit_id', sa.String(length=36), nullable=True),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.Column('drop_reason', sa.Text(), nullable=False),
    *_sync_columns(),
    sa.ForeignKeyConstraint(['closed_in_visit_id'], ['visit.id'], ),
    sa.ForeignKeyConstraint(['institution_id'], ['institution.id'], ),
    sa.ForeignKeyConstraint(['owner_id'], ['app_user.id'], ),
    sa.ForeignKeyConstraint(['raised_in_visit_id'], ['visit.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('followup', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_followup_change_seq'), ['change_seq'], unique=False)
        batch_op.create_index(batch_op.f('ix_followup_closed_in_visit_id'), ['closed_in_visit_id'], unique=False)
        batch_op.create_index('ix_followup_institution_status', ['institution_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_followup_raised_in_visit_id'), ['raised_in_visit_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('followup', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_followup_raised_in_visit_id'))
        batch_op.drop_index('ix_followup_institution_status')
        batch_op.drop_index(batch_op.f('ix_followup_closed_in_visit_id'))
        batch_op.drop_index(batch_op.f('ix_followup_change_seq'))

    op.drop_table('followup')
    with op.batch_alter_table('visit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_visit_travel_plan_id'))
        batch_op.drop_index('ix_visit_officer_day')
        batch_op.drop_index('ix_visit_institution_officer_day')
        batch_op.drop_index('ix_visit_institution_day')
        batch_op.drop_index('ix_visit_group_day')
        batch_op.drop_index(batch_op.f('ix_visit_change_seq'))
        batch_op.drop_index(batch_op.f('ix_visit_activity_lineage'))

    op.drop_table('visit')
    with op.batch_alter_table('travel_plan', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_travel_plan_group_id'))
        batch_op.drop_index(batch_op.f('ix_travel_plan_change_seq'))

    op.drop_table('travel_plan')
