"""Sync bookkeeping: peers, packages, conflicts; per-row sync columns; logins unique per office

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

import app.models.types

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

# Every table carrying the sync mixin at this revision.
SYNCED_TABLES = (
    'app_user',
    'approval_event',
    'followup',
    'institution',
    'institution_year',
    'office',
    'plan',
    'plan_activity',
    'plan_actual',
    'plan_month',
    'saved_filter',
    'special_day',
    'standards_assessment',
    'strength_assessment',
    'travel_plan',
    'visit',
    'work_group',
)


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
        sa.Column('sync_base_rev', sa.Integer(), server_default='0', nullable=False),
        sa.Column('sync_source', sa.String(length=16), nullable=True),
    ]


def upgrade() -> None:
    op.create_table('sync_conflict',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('table_name', sa.String(length=64), nullable=False),
    sa.Column('record_id', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('winner', sa.JSON(), nullable=False),
    sa.Column('loser', sa.JSON(), nullable=False),
    sa.Column('local_won', sa.Boolean(), nullable=False),
    sa.Column('diff', sa.JSON(), nullable=False),
    sa.Column('peer_office', sa.String(length=16), nullable=False),
    sa.Column('package_id', sa.String(length=36), nullable=True),
    sa.Column('detected_at', app.models.types.UTCDateTime(), nullable=False),
    sa.Column('resolved_at', app.models.types.UTCDateTime(), nullable=True),
    sa.Column('resolved_by', sa.String(length=36), nullable=True),
    sa.Column('resolution', sa.String(length=16), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('key')
    )
    with op.batch_alter_table('sync_conflict', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sync_conflict_record_id'), ['record_id'], unique=False)

    op.create_table('sync_package',
    sa.Column('package_id', sa.String(length=36), nullable=False),
    sa.Column('direction', sa.String(length=4), nullable=False),
    sa.Column('peer_office', sa.String(length=16), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('file_hash', sa.String(length=64), nullable=False),
    sa.Column('prev_hash', sa.String(length=64), nullable=True),
    sa.Column('file_name', sa.String(length=255), nullable=False),
    sa.Column('created_at', app.models.types.UTCDateTime(), nullable=False),
    sa.Column('done_at', app.models.types.UTCDateTime(), nullable=False),
    sa.Column('done_by', sa.String(length=36), nullable=True),
    sa.Column('max_change_seq', sa.Integer(), nullable=False),
    sa.Column('summary', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('package_id'),
    sa.UniqueConstraint('direction', 'peer_office', 'seq')
    )
    with op.batch_alter_table('sync_package', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sync_package_peer_office'), ['peer_office'], unique=False)

    op.create_table('master_file',
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    *_sync_columns(),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('kind', 'name')
    )
    with op.batch_alter_table('master_file', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_master_file_change_seq'), ['change_seq'], unique=False)

    op.create_table('sync_peer',
    sa.Column('office_code', sa.String(length=16), nullable=False),
    sa.Column('office_name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('key_id', sa.String(length=32), nullable=False),
    sa.Column('public_key', sa.String(length=64), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('trusted_how', sa.String(length=16), nullable=False),
    sa.Column('trusted_by', sa.String(length=36), nullable=True),
    sa.Column('trusted_at', app.models.types.UTCDateTime(), nullable=False),
    sa.Column('last_in_seq', sa.Integer(), nullable=False),
    sa.Column('last_in_hash', sa.String(length=64), nullable=True),
    sa.Column('last_out_seq', sa.Integer(), nullable=False),
    sa.Column('last_out_hash', sa.String(length=64), nullable=True),
    sa.Column('acked_out_seq', sa.Integer(), nullable=False),
    sa.Column('acked_change_seq', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('office_code')
    )
    for table in SYNCED_TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('sync_base_rev', sa.Integer(), server_default='0', nullable=False))
            batch_op.add_column(sa.Column('sync_source', sa.String(length=16), nullable=True))
    _login_unique(per_office=True)


def _login_unique(*, per_office: bool) -> None:
    """Logins become unique per office (the central office holds every province's users).
    The old constraint was unnamed: SQLite reflects it under the naming convention below,
    PostgreSQL named it app_user_login_key."""
    sqlite = op.get_bind().dialect.name == "sqlite"
    convention = {"uq": "uq_%(table_name)s_%(column_0_name)s"}
    old = "uq_app_user_login" if sqlite else "app_user_login_key"
    with op.batch_alter_table('app_user', schema=None, naming_convention=convention) as batch_op:
        if per_office:
            batch_op.drop_constraint(old, type_='unique')
            batch_op.create_unique_constraint('uq_app_user_office_login', ['office_id', 'login'])
        else:
            batch_op.drop_constraint('uq_app_user_office_login', type_='unique')
            batch_op.create_unique_constraint(old, ['login'])


def downgrade() -> None:
    _login_unique(per_office=False)
    for table in SYNCED_TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('sync_source')
            batch_op.drop_column('sync_base_rev')
    with op.batch_alter_table('sync_package', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sync_package_peer_office'))
    with op.batch_alter_table('sync_conflict', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sync_conflict_record_id'))
    with op.batch_alter_table('master_file', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_master_file_change_seq'))
    op.drop_table('master_file')
    op.drop_table('sync_peer')
    op.drop_table('sync_package')
    op.drop_table('sync_conflict')
