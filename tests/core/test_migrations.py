"""Migrations from an empty file, refusal of files the app must not touch, backups first.

Tests taking `db_url` or `any_db` run on SQLite and on PostgreSQL (when a server is given,
see tests/conftest.py); the server-only counterparts of the file tests (no backup file,
a newer or foreign database refused) are in test_postgres.py."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import textwrap

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

import app.db as appdb
from app.db import alembic_head, open_database, schema_revision
from app.errors import DatabaseError
from app.migrations import SCHEMA_HEAD
from app.models import Base


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_schema_head_constant_matches_alembic():
    assert alembic_head() == SCHEMA_HEAD


def test_empty_file_is_migrated_to_head_and_matches_the_models(db_url):
    db = open_database(db_url)
    assert schema_revision(db.engine) == SCHEMA_HEAD
    with db.engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    db.dispose()
    assert diffs == []


def test_sqlite_pragmas(tmp_path):
    db = open_database(tmp_path / "p.sqlite3")
    with db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL


def test_foreign_keys_are_enforced(db_url):
    db = open_database(db_url)
    with pytest.raises(Exception, match="(?i)FOREIGN KEY"), db.engine.begin() as conn:
        conn.execute(text("INSERT INTO district (code, province_code, name_th, name_en, kind) "
                          "VALUES ('9999', '99', 'x', 'x', 'amphoe')"))
    db.dispose()


def test_database_newer_than_the_app_is_refused_untouched(tmp_path):
    path = tmp_path / "future.sqlite3"
    open_database(path).dispose()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999_future'")
    before = digest(path)
    with pytest.raises(DatabaseError, match="รุ่นที่ใหม่กว่า"):
        open_database(path)
    assert digest(path) == before
    assert not (tmp_path / "backups").exists()


def test_foreign_sqlite_file_is_refused(tmp_path):
    path = tmp_path / "other.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE customers (id INTEGER)")
    with pytest.raises(DatabaseError, match="ไม่ใช่ฐานข้อมูลของ CoopDesk"):
        open_database(path)


def test_corrupt_file_is_refused_with_one_sentence(tmp_path):
    path = tmp_path / "broken.sqlite3"
    path.write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(DatabaseError) as err:
        open_database(path)
    assert "\n" not in err.value.message and "เสียหาย" in err.value.message


NEXT_REVISION = '''
"""test-only revision: adds a column"""
import sqlalchemy as sa
from alembic import op

revision = "0099"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("institution") as batch:
        batch.add_column(sa.Column("website", sa.String(200), nullable=True))


def downgrade():
    with op.batch_alter_table("institution") as batch:
        batch.drop_column("website")
'''


def test_upgrade_from_an_older_revision_takes_a_backup_first(tmp_path, monkeypatch, db, admin):
    from app.rules.registry import InstitutionData
    from app.services import registry

    with db.transaction(admin.id) as s:
        registry.create_institution(s, admin, InstitutionData(
            reg_no="กพ 5/2535", name="สหกรณ์ประมงทดสอบ จำกัด", kind="coop", coop_type="fishery"))
    path = db.path
    db.dispose()
    scripts = tmp_path / "migrations"
    shutil.copytree(appdb.MIGRATIONS_DIR, scripts, ignore=shutil.ignore_patterns("__pycache__"))
    (scripts / "versions" / "0099_test.py").write_text(textwrap.dedent(NEXT_REVISION.format(head=SCHEMA_HEAD)))
    monkeypatch.setattr(appdb, "MIGRATIONS_DIR", scripts)
    monkeypatch.setattr(appdb, "SCHEMA_HEAD", "0099")

    upgraded = open_database(path)
    assert schema_revision(upgraded.engine) == "0099"
    backups = list((path.parent / "backups").glob("*.sqlite3"))
    assert len(backups) == 1
    with sqlite3.connect(backups[0]) as old:
        assert old.execute("SELECT version_num FROM alembic_version").fetchone()[0] == SCHEMA_HEAD
        assert old.execute("SELECT name FROM institution").fetchone()[0] == "สหกรณ์ประมงทดสอบ จำกัด"
    with upgraded.engine.connect() as conn:
        assert conn.execute(text("SELECT name, website FROM institution")).one() == ("สหกรณ์ประมงทดสอบ จำกัด", None)
        # the append-only triggers survive batch-mode table rebuilds of other tables
        with pytest.raises(Exception, match="append-only"):
            conn.execute(text("DELETE FROM audit_log"))


def test_a_released_savepoint_does_not_commit_the_outer_transaction(any_db, any_admin):
    """Work inside a released savepoint is still undone when the outer transaction fails."""
    db, admin = any_db, any_admin
    from app.models import Institution
    from app.rules.registry import InstitutionData
    from app.services import registry

    class Rollback(Exception):
        pass

    with pytest.raises(Rollback), db.transaction(admin.id) as s:
        with s.begin_nested():
            registry.create_institution(s, admin, InstitutionData(
                reg_no="กพ 8/2540", name="สหกรณ์บริการทดสอบ จำกัด", kind="coop", coop_type="service"))
        raise Rollback
    with db.session() as s:
        assert s.query(Institution).count() == 0


def test_a_foundation_database_upgrades_to_the_action_plan_schema(tmp_path):
    """A real file at revision 0001 with data is backed up, then migrated to head."""
    from alembic import command
    from sqlalchemy import create_engine

    path = tmp_path / "v1.sqlite3"
    engine = create_engine(f"sqlite:///{path}")
    cfg = appdb._alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
        conn.execute(text("INSERT INTO province (code, name_th, name_en) VALUES ('62', 'กำแพงเพชร', '')"))
    engine.dispose()
    db = open_database(path)
    assert schema_revision(db.engine) == SCHEMA_HEAD
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT name_th FROM province")).scalar() == "กำแพงเพชร"
        assert conn.execute(text("SELECT count(*) FROM plan")).scalar() == 0
    backups = list((tmp_path / "backups").glob("v1-*.sqlite3"))
    assert len(backups) == 1
    with sqlite3.connect(backups[0]) as old:
        assert old.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0001"


def test_a_dry_run_transaction_does_everything_then_keeps_nothing(any_db, any_admin):
    db, admin = any_db, any_admin
    from app.models import Institution
    from app.rules.registry import InstitutionData
    from app.services import registry

    with db.transaction(admin.id, dry_run=True) as s:
        registry.create_institution(s, admin, InstitutionData(
            reg_no="กพ 9/2541", name="สหกรณ์ร้านค้าทดสอบ จำกัด", kind="coop", coop_type="consumer"))
        assert s.query(Institution).count() == 1  # visible inside, as a real run would see it
    with db.session() as s:
        assert s.query(Institution).count() == 0
