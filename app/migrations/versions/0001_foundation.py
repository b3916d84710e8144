"""foundation: offices, people, registry, audit

Revision ID: 0001
Revises: 
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

import app.models.types

revision = '0001'
down_revision = None
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
    op.create_table('app_setting',
    sa.Column('key', sa.String(length=100), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('key')
    )
    op.create_table('audit_log',
    sa.Column('seq', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('at', app.models.types.UTCDateTime(), nullable=False),
    sa.Column('user_id', sa.String(length=36), nullable=True),
    sa.Column('user_login', sa.String(length=64), nullable=False),
    sa.Column('action', sa.String(length=64), nullable=False),
    sa.Column('entity', sa.String(length=64), nullable=False),
    sa.Column('entity_id', sa.String(length=36), nullable=True),
    sa.Column('before_json', sa.Text(), nullable=True),
    sa.Column('after_json', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('seq')
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_log_entity_id'), ['entity_id'], unique=False)

    op.create_table('province',
    sa.Column('code', sa.String(length=2), nullable=False),
    sa.Column('name_th', sa.String(length=80), nullable=False),
    sa.Column('name_en', sa.String(length=80), nullable=False),
    sa.PrimaryKeyConstraint('code')
    )
    op.create_table('special_day',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    *_sync_columns(),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('special_day', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_special_day_change_seq'), ['change_seq'], unique=False)
        batch_op.create_index(batch_op.f('ix_special_day_day'), ['day'], unique=False)

    op.create_table('sync_counter',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('value', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('district',
    sa.Column('code', sa.String(length=4), nullable=False),
    sa.Column('province_code', sa.String(length=2), nullable=False),
    sa.Column('name_th', sa.String(length=80), nullable=False),
    sa.Column('name_en', sa.String(length=80), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.ForeignKeyConstraint(['province_code'], ['province.code'], ),
    sa.PrimaryKeyConstraint('code')
    )
    with op.batch_alter_table('district', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_district_province_code'), ['province_code'], unique=False)

    op.create_table('office',
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('province_code', sa.String(length=2), nullable=True),
    sa.Column('kind', sa.String(length=16), nullable=False),
    *_sync_columns(),
    sa.ForeignKeyConstraint(['province_code'], ['province.code'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('code')
    )
    with op.batch_alter_table('office', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_office_change_seq'), ['change_seq'], unique=False)

    op.create_table('work_group',
    sa.Column('office_id', sa.String(length=36), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    *_sync_columns(),
    sa.ForeignKeyConstraint(['office_id'], ['office.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('office_id', 'name')
    )
    with op.batch_alter_table('work_group', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_work_group_change_seq'), ['change_seq'], unique=False)
        batch_op.create_index(batch_op.f('ix_work_group_office_id'), ['office_id'], unique=False)

    op.create_table('app_user',
    sa.Column('office_id', sa.String(length=36), nullable=False),
    sa.Column('login', sa.String(length=64), nullable=False),
    sa.Column('full_name', sa.String(length=200), nullable=False),
    sa.Column('position', sa.String(length=200), nullable=False),
    sa.Column('group_id', sa.String(length=36), nullable=True),
    sa.Column('roles', sa.String(length=200), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    *_sync_columns(),
    sa.ForeignKeyConstraint(['group_id'], ['work_group.id'], ),
    sa.ForeignKeyConstraint(['office_id'], ['office.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('login')
    )
    with op.batch_alter_table('app_user', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_app_user_change_seq'), ['change_seq'], unique=False)
        batch_op.create_index(batch_op.f('ix_app_user_group_id'), ['group_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_app_user_office_id'), ['office_id'], unique=False)

    op.create_table('credential',
    sa.Column('user_id', sa.String(length=36), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('failed_count', sa.Integer(), nullable=False),
    sa.Column('blocked_until', app.models.types.UTCDateTime(), nullable=True),
    sa.Column('must_change', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['app_user.id'], ),
    sa.PrimaryKeyConstraint('user_id')
    )
    op.create_table('institution',
    sa.Column('reg_no', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('coop_type', sa.String(length=16), nullable=True),
    sa.Column('district_code', sa.String(length=4), nullable=True),
    sa.Column('address', sa.Text(), nullable=False),
    sa.Column('phone', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('members', sa.Integer(), nullable=True),
    sa.Column('registered_on', sa.Date(), nullable=True),
    sa.Column('acct_year_end_month', sa.Integer(), nullable=True),
    sa.Column('acct_year_end_day', sa.Integer(), nullable=True),
    sa.Column('officer_id', sa.String(length=36), nullable=True),
    sa.Column('group_id', sa.String(length=36), nullable=True),
    sa.Column('notes', sa.Text(), nullable=False),
    *_sync_columns(),
    sa.ForeignKeyConstraint(['district_code'], ['district.code'], ),
    sa.ForeignKeyConstraint(['group_id'], ['work_group.id'], ),
    sa.ForeignKeyConstraint(['officer_id'], ['app_user.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('institution', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_institution_change_seq'), ['change_seq'], unique=False)
        batch_op.create_index(batch_op.f('ix_institution_district_code'), ['district_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_institution_group_id'), ['group_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_institution_officer_id'), ['officer_id'], unique=False)
        batch_op.create_index('ix_institution_reg_no', ['reg_no'], unique=True)

    op.create_table('institution_year',
    sa.Column('institution_id', sa.String(length=36), nullable=False),
    sa.Column('fiscal_year', sa.Integer(), nullable=False),
    sa.Column('strength_class', sa.Integer(), nullable=True),
    sa.Column('out_of_scope', sa.Boolean(), nullable=False),
    sa.Column('standards_result', sa.String(length=16), nullable=True),
    sa.Column('accumulated_loss', app.models.types.Fixed(14, 2), nullable=True),
    sa.Column('member_participation_pct', app.models.types.Fixed(5, 2), nullable=True),
    sa.Column('business_volume', app.models.types.Fixed(14, 2), nullable=True),
    sa.Column('net_profit', app.models.types.Fixed(14, 2), nullable=True),
    sa.Column('agm_date', sa.Date(), nullable=True),
    sa.Column('accounts_closed_date', sa.Date(), nullable=True),
    *_sync_columns(),
    sa.ForeignKeyConstraint(['institution_id'], ['institution.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('institution_id', 'fiscal_year')
    )
    with op.batch_alter_table('institution_year', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_institution_year_change_seq'), ['change_seq'], unique=False)
        batch_op.create_index(batch_op.f('ix_institution_year_institution_id'), ['institution_id'], unique=False)

    op.execute("INSERT INTO sync_counter (id, value) VALUES (1, 0)")
    _make_audit_log_append_only()


def _make_audit_log_append_only() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER audit_log_no_{verb.lower()} BEFORE {verb} ON audit_log "
                "BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END"
            )
    else:
        op.execute(
            "CREATE FUNCTION audit_log_append_only() RETURNS trigger AS $$ "
            "BEGIN RAISE EXCEPTION 'audit log is append-only'; END $$ LANGUAGE plpgsql"
        )
        op.execute(
            "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log "
            "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_update")
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_delete")
    else:
        op.execute("DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log")
        op.execute("DROP FUNCTION IF EXISTS audit_log_append_only()")
    with op.batch_alter_table('institution_year', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_institution_year_institution_id'))
        batch_op.drop_index(batch_op.f('ix_institution_year_change_seq'))

    op.drop_table('institution_year')
    with op.batch_alter_table('institution', schema=None) as batch_op:
        batch_op.drop_index('ix_institution_reg_no')
        batch_op.drop_index(batch_op.f('ix_institution_officer_id'))
        batch_op.drop_index(batch_op.f('ix_institution_group_id'))
        batch_op.drop_index(batch_op.f('ix_institution_district_code'))
        batch_op.drop_index(batch_op.f('ix_institution_change_seq'))

    op.drop_table('institution')
    op.drop_table('credential')
    with op.batch_alter_table('app_user', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_app_user_office_id'))
        batch_op.drop_index(batch_op.f('ix_app_user_group_id'))
        batch_op.drop_index(batch_op.f('ix_app_user_change_seq'))

    op.drop_table('app_user')
    with op.batch_alter_table('work_group', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_work_group_office_id'))
        batch_op.drop_index(batch_op.f('ix_work_group_change_seq'))

    op.drop_table('work_group')
    with op.batch_alter_table('office', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_office_change_seq'))

    op.drop_table('office')
    with op.batch_alter_table('district', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_district_province_code'))

    op.drop_table('district')
    op.drop_table('sync_counter')
    with op.batch_alter_table('special_day', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_special_day_day'))
        batch_op.drop_index(batch_op.f('ix_special_day_change_seq'))

    op.drop_table('special_day')
    op.drop_table('province')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_log_entity_id'))

    op.drop_table('audit_log')
    op.drop_table('app_setting')
