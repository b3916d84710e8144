"""The central office's PostgreSQL database: the same models, migrations and services as the
SQLite file, plus what only a server has (connections that fail, concurrent writers,
concurrent start-ups). Skipped without COOPDESK_TEST_PG (see tests/conftest.py)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
import threading
import time
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import create_engine, inspect, select, text

import app.db as appdb
from app.db import database_url, open_database, schema_revision
from app.errors import DatabaseError
from app.migrations import SCHEMA_HEAD
from app.models import Institution, InstitutionYear, Visit
from app.rules.registry import InstitutionData, YearData
from app.services import registry, users
from app.services import visits as visit_svc
from app.thai import format_date

ROOT = Path(__file__).resolve().parents[2]


def coop(reg_no="กพ 1/2530", name="สหกรณ์การเกษตรเมืองกำแพงเพชร จำกัด", **kw) -> InstitutionData:
    return InstitutionData(reg_no=reg_no, name=name, kind="coop", coop_type="agriculture",
                           district_code="6201", members=1200, **kw)


def alembic(url: str, verb, target: str) -> None:
    engine = create_engine(url)
    cfg = appdb._alembic_config()
    try:
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            verb(cfg, target)
    finally:
        engine.dispose()


# -- opening: URLs and servers that cannot be used --------------------------------------------


def test_a_url_without_a_driver_means_psycopg():
    assert database_url("postgresql://u:p@h:5432/d") == "postgresql+psycopg://u:p@h:5432/d"
    assert database_url("postgres://u@h/d") == "postgresql+psycopg://u@h/d"
    assert database_url("postgresql+psycopg://u@h/d") == "postgresql+psycopg://u@h/d"
    assert database_url("sqlite:///x.sqlite3") == "sqlite:///x.sqlite3"


def test_an_unreachable_server_is_one_thai_sentence_without_the_password():
    with pytest.raises(DatabaseError) as err:
        open_database("postgresql+psycopg://central:s3cret@127.0.0.1:1/coopdesk")
    message = err.value.message
    assert "\n" not in message and "s3cret" not in message and "s3cret" not in (err.value.details or "")
    assert "เชื่อมต่อเซิร์ฟเวอร์ฐานข้อมูล 127.0.0.1:1/coopdesk ไม่ได้" in message


def test_an_unknown_driver_is_refused_with_one_sentence():
    with pytest.raises(DatabaseError, match="ที่อยู่ฐานข้อมูลไม่ถูกต้อง"):
        open_database("postgresql+nosuchdriver://u@h/d")


@pytest.mark.postgres
def test_a_refused_login_and_a_missing_database_are_told_apart(pg_server, pg_url):
    base = pg_server.url
    with pytest.raises(DatabaseError) as err:
        open_database(base.set(username="nobody", password="pw", database="postgres").render_as_string(False))
    assert "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง" in err.value.message and "\n" not in err.value.message
    with pytest.raises(DatabaseError) as err:
        open_database(base.set(database="coopdesk_no_such_db").render_as_string(False))
    assert "ไม่พบฐานข้อมูล coopdesk_no_such_db" in err.value.message


def test_the_cli_names_the_unreachable_server_in_one_line(tmp_path):
    out = subprocess.run(
        [sys.executable, "-m", "app", "--db", "postgresql+psycopg://central:s3cret@127.0.0.1:1/coopdesk",
         "--user", "boss", "users", "list"],
        check=False, cwd=ROOT, capture_output=True, text=True, timeout=120,
        env={**os.environ, "COOPDESK_HOME": str(tmp_path), "COOPDESK_PASSWORD": "x"},
    )
    assert out.returncode == 3
    assert out.stderr.count("\n") == 1 and "127.0.0.1:1/coopdesk" in out.stderr and "s3cret" not in out.stderr


@pytest.mark.postgres
def test_a_database_with_other_tables_is_refused(pg_url):
    engine = create_engine(pg_url)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE customers (id integer)"))
    engine.dispose()
    with pytest.raises(DatabaseError, match="ไม่ใช่ฐานข้อมูลของ CoopDesk"):
        open_database(pg_url)


@pytest.mark.postgres
def test_database_newer_than_the_app_is_refused_untouched(pg_url):
    open_database(pg_url).dispose()
    engine = create_engine(pg_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    tables = sorted(inspect(engine).get_table_names())
    with pytest.raises(DatabaseError, match="รุ่นที่ใหม่กว่า"):
        open_database(pg_url)
    assert sorted(inspect(engine).get_table_names()) == tables
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "9999_future"
    engine.dispose()


# -- migrations ---------------------------------------------------------------------------------


def test_every_migration_downgrades_and_upgrades_again(db_url):
    open_database(db_url).dispose()
    alembic(db_url, command.downgrade, "base")
    engine = create_engine(db_url)
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    engine.dispose()
    alembic(db_url, command.upgrade, "head")
    db = open_database(db_url)
    assert schema_revision(db.engine) == SCHEMA_HEAD
    db.dispose()


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


@pytest.mark.postgres
def test_upgrade_from_an_older_revision_keeps_the_data_and_the_audit_trigger(pg_url, tmp_path, monkeypatch):
    from app.bootstrap import open_app_database
    from app.services import setup

    db = open_app_database(pg_url)
    with db.transaction() as s:
        admin = setup.complete_setup(
            s, province_code="62", office_name="สำนักงานสหกรณ์จังหวัดกำแพงเพชร", office_code="62",
            admin_login="admin", admin_name="สมชาย ผู้ดูแล", admin_position="", password="admin-pass-1")
    db.office_code = "62"
    with db.transaction(admin.id) as s:
        registry.create_institution(s, admin, coop(reg_no="กพ 5/2535", name="สหกรณ์ประมงทดสอบ จำกัด"))
    db.dispose()
    scripts = tmp_path / "migrations"
    shutil.copytree(appdb.MIGRATIONS_DIR, scripts, ignore=shutil.ignore_patterns("__pycache__"))
    (scripts / "versions" / "0099_test.py").write_text(textwrap.dedent(NEXT_REVISION.format(head=SCHEMA_HEAD)))
    monkeypatch.setattr(appdb, "MIGRATIONS_DIR", scripts)
    monkeypatch.setattr(appdb, "SCHEMA_HEAD", "0099")
    monkeypatch.setenv("COOPDESK_HOME", str(tmp_path / "home"))

    upgraded = open_database(pg_url)
    assert schema_revision(upgraded.engine) == "0099"
    assert not (tmp_path / "home" / "backups").exists()  # the server's own backups apply
    with upgraded.engine.connect() as conn:
        assert conn.execute(text("SELECT name, website FROM institution")).one() == ("สหกรณ์ประมงทดสอบ จำกัด", None)
        with pytest.raises(Exception, match="append-only"):
            conn.execute(text("DELETE FROM audit_log"))
    upgraded.dispose()


BROKEN_REVISION = NEXT_REVISION.replace(
    'batch.add_column(sa.Column("website", sa.String(200), nullable=True))',
    'batch.add_column(sa.Column("website", sa.String(200), nullable=True))\n'
    '    op.execute("UPDATE institution SET no_such_column = 1")',
)


@pytest.mark.postgres
def test_a_failed_migration_leaves_the_server_database_as_it_was(pg_url, tmp_path, monkeypatch):
    """PostgreSQL rolls DDL back: a migration failing half-way changes nothing."""
    open_database(pg_url).dispose()
    scripts = tmp_path / "migrations"
    shutil.copytree(appdb.MIGRATIONS_DIR, scripts, ignore=shutil.ignore_patterns("__pycache__"))
    (scripts / "versions" / "0099_test.py").write_text(textwrap.dedent(BROKEN_REVISION.format(head=SCHEMA_HEAD)))
    monkeypatch.setattr(appdb, "MIGRATIONS_DIR", scripts)
    monkeypatch.setattr(appdb, "SCHEMA_HEAD", "0099")
    with pytest.raises(DatabaseError) as err:
        open_database(pg_url)
    assert "ยังเป็นรุ่นเดิม" in err.value.message and "\n" not in err.value.message
    engine = create_engine(pg_url)
    assert schema_revision(engine) == SCHEMA_HEAD
    assert "website" not in {c["name"] for c in inspect(engine).get_columns("institution")}
    engine.dispose()


@pytest.mark.postgres
def test_a_user_who_may_not_create_tables_is_told_so(pg_server, pg_url):
    """Since PostgreSQL 15 only the database owner may create tables in `public`."""
    role = f"coopdesk_reader_{os.getpid()}_{time.monotonic_ns()}"
    with pg_server.connect() as conn:
        conn.execute(text(f'CREATE ROLE "{role}" LOGIN'))
    try:
        url = create_engine(pg_url).url.set(username=role).render_as_string(hide_password=False)
        with pytest.raises(DatabaseError) as err:
            open_database(url)
        assert f"ผู้ใช้ {role} ไม่มีสิทธิ์สร้างหรือแก้ไขตาราง" in err.value.message
    finally:
        with pg_server.connect() as conn:
            conn.execute(text(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '{role}'"))
            conn.execute(text(f'DROP ROLE IF EXISTS "{role}"'))


@pytest.mark.postgres
def test_a_foundation_database_upgrades_to_head(pg_url):
    alembic(pg_url, command.upgrade, "0001")
    engine = create_engine(pg_url)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO province (code, name_th, name_en) VALUES ('62', 'กำแพงเพชร', '')"))
    engine.dispose()
    db = open_database(pg_url)
    assert schema_revision(db.engine) == SCHEMA_HEAD
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT name_th FROM province")).scalar() == "กำแพงเพชร"
        assert conn.execute(text("SELECT count(*) FROM plan")).scalar() == 0
    db.dispose()


@pytest.mark.postgres
def test_copies_started_together_migrate_once(pg_url):
    """Two copies of the app opening an empty server database at the same moment: one
    migrates while the other waits on the advisory lock, then finds the schema current."""
    errors, barrier = [], threading.Barrier(3)

    def start():
        barrier.wait()
        try:
            open_database(pg_url).dispose()
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=start) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    engine = create_engine(pg_url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all() == [SCHEMA_HEAD]
        assert conn.execute(text("SELECT value FROM sync_counter")).scalars().all() == [0]
    engine.dispose()


# -- services on both backends -------------------------------------------------------------------


def test_a_service_round_trip_keeps_money_dates_and_json_exact(any_db, any_admin):
    db, admin = any_db, any_admin
    with db.transaction(admin.id) as s:
        group = users.list_groups(s)[0]
        officer = users.create_user(s, admin, users.UserData(
            login="off1", full_name="ทดสอบ เจ้าหน้าที่", group_id=group.id, roles=frozenset({"officer"})), "user-pass-1")
    big = Decimal("123456789012.35")
    with db.transaction(admin.id) as s:
        inst = registry.create_institution(s, admin, coop(
            officer_id=officer.id, group_id=group.id, registered_on=date(1987, 10, 25)))
        year = registry.save_year(s, admin, inst.id, 2567, YearData(
            strength_class=2, business_volume=big, net_profit=Decimal("-0.01"),
            accumulated_loss=Decimal("1.005"), member_participation_pct=Decimal("64.99"),
            agm_date=date(2024, 2, 29)))
    assert inst.change_seq < year.change_seq
    with db.transaction(officer.id) as s:
        visit = visit_svc.create_visit(s, officer, officer.id, visit_svc.VisitPlan(
            inst.id, date(2026, 11, 10), planned_time="09:30", purpose="ติดตามการปิดบัญชี"))
    assert visit.change_seq > year.change_seq

    with db.session() as s:
        row = s.get(Institution, inst.id)
        assert row.registered_on == date(1987, 10, 25)
        assert format_date(row.registered_on) == "๒๕ ตุลาคม ๒๕๓๐"  # BE is presentation only
        assert row.updated_at.tzinfo is not None
        assert abs(row.updated_at - datetime.now(UTC)).total_seconds() < 600
        y = s.scalar(select(InstitutionYear))
        assert y.business_volume == big and isinstance(y.business_volume, Decimal)
        assert y.net_profit == Decimal("-0.01")
        assert y.accumulated_loss == Decimal("1.01")  # round half up to satang
        assert y.member_participation_pct == Decimal("64.99")
        assert y.agm_date == date(2024, 2, 29)
        v = s.get(Visit, visit.id)
        assert (v.planned_date, v.planned_time, v.co_officer_ids) == (date(2026, 11, 10), "09:30", [])
        assert v.purpose == "ติดตามการปิดบัญชี"
        total = s.scalar(text("SELECT sum(business_volume) FROM institution_year"))
        # SQL sums stay exact: satang on SQLite, NUMERIC on PostgreSQL
        assert (Decimal(total) / 100 if db.engine.dialect.name == "sqlite" else total) == big


@pytest.mark.postgres
def test_the_audit_log_is_append_only_on_the_server(pg_url):
    db = open_database(pg_url)
    with db.engine.begin() as conn:
        conn.execute(text("INSERT INTO audit_log (at, user_login, action, entity) "
                          "VALUES (now() at time zone 'utc', 'x', 'test', 'test')"))
    for statement in ("UPDATE audit_log SET action = 'changed'", "DELETE FROM audit_log"):
        with pytest.raises(Exception, match="append-only"), db.engine.begin() as conn:
            conn.execute(text(statement))
    db.dispose()


# -- the change counter under concurrent writers ----------------------------------------------


@pytest.mark.postgres
def test_concurrent_writers_get_distinct_change_seqs_in_commit_order(pg_url):
    """On a server two transactions write at once. The counter row's lock (UPDATE first,
    then read) makes the second writer wait for the first to commit, so numbers are never
    handed out twice and a later commit always has the higher numbers: an export that takes
    rows above the peer's last change_seq cannot skip a row committed late."""
    from app.bootstrap import open_app_database
    from app.services import setup

    db = open_app_database(pg_url)
    with db.transaction() as s:
        admin = setup.complete_setup(
            s, province_code="62", office_name="สำนักงานสหกรณ์จังหวัดกำแพงเพชร", office_code="62",
            admin_login="admin", admin_name="สมชาย ผู้ดูแล", admin_position="", password="admin-pass-1")
    db.office_code = "62"

    first = db.session(admin.id)
    first.begin()
    a = registry.create_institution(first, admin, coop(reg_no="กพ 1/2540", name="สหกรณ์ทดสอบ ก จำกัด"))
    first.flush()
    second: dict = {}

    def other_writer():
        with db.transaction(admin.id) as s:
            b = registry.create_institution(s, admin, coop(reg_no="กพ 2/2540", name="สหกรณ์ทดสอบ ข จำกัด"))
            s.flush()
            second["seq"] = b.change_seq
            second["at"] = time.monotonic()

    thread = threading.Thread(target=other_writer)
    thread.start()
    thread.join(0.5)
    assert thread.is_alive(), "the second writer did not wait for the first one's counter lock"
    committed_at = time.monotonic()
    first.commit()
    first.close()
    thread.join(30)
    assert not thread.is_alive()
    assert second["at"] >= committed_at
    assert second["seq"] > a.change_seq
    with db.session() as s:
        seqs = s.scalars(select(Institution.change_seq)).all()
        assert len(set(seqs)) == len(seqs) == 2
        assert s.scalar(text("SELECT value FROM sync_counter")) == max(seqs + [second["seq"]])
    db.dispose()


# -- the command line and the demo -------------------------------------------------------------


@pytest.mark.postgres
def test_the_command_line_sets_up_a_central_office_on_the_server(pg_url, tmp_path):
    def coopdesk(*args):
        env = {k: v for k, v in os.environ.items() if k not in ("COOPDESK_USER", "COOPDESK_PASSWORD")}
        env.update(COOPDESK_HOME=str(tmp_path), COOPDESK_PASSWORD="boss-pass-1")
        return subprocess.run([sys.executable, "-m", "app", "--db", pg_url, *args], check=False, cwd=ROOT,
                              env=env, capture_output=True, text=True, timeout=120)

    out = coopdesk("setup", "--province", "62", "--admin", "boss", "--admin-name", "นางสาวอนมร สิงห์พันธ์",
                   "--central")
    assert out.returncode == 0, out.stderr
    out = coopdesk("--user", "boss", "users", "list", "--json")
    assert out.returncode == 0, out.stderr
    assert [u["login"] for u in json.loads(out.stdout)] == ["boss"]
    assert not list(tmp_path.glob("*.sqlite3"))


@pytest.mark.postgres
def test_the_demo_office_builds_on_the_server(pg_url):
    from app.bootstrap import open_app_database
    from app.services import demo

    db = open_app_database(pg_url)
    with db.transaction() as s:  # what `coopdesk demo` writes, here into a server database
        summary = demo._fill(s, 2567, 150, date(2026, 11, 23))
    assert summary["institutions"]["coop"] + summary["institutions"]["farmer_group"] == 150
    with db.session() as s:
        assert s.scalar(text("SELECT count(*) FROM institution")) == 150
        assert s.scalar(text("SELECT count(*) FROM visit")) > 100
        seqs = s.scalars(text("SELECT change_seq FROM institution")).all()
        assert len(set(seqs)) == len(seqs)
    db.dispose()
