"""The headless commands, run as a user would: a separate process, real files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app import __version__

ROOT = Path(__file__).resolve().parents[2]


def coopdesk(*args, env=None, home=None):
    full_env = {k: v for k, v in os.environ.items() if k not in ("COOPDESK_USER", "COOPDESK_PASSWORD")}
    if home:
        full_env["COOPDESK_HOME"] = str(home)
    full_env.update(env or {})
    return subprocess.run([sys.executable, "-m", "app", *args], cwd=ROOT, env=full_env,
                          capture_output=True, text=True, timeout=120)


def test_version_and_help(tmp_path):
    out = coopdesk("--version", home=tmp_path)
    assert out.returncode == 0 and out.stdout.strip() == f"CoopDesk {__version__}"
    helptext = coopdesk("--help", home=tmp_path).stdout
    for command in ("demo", "setup", "registry", "users", "--db"):
        assert command in helptext


@pytest.fixture
def office_db(tmp_path):
    path = tmp_path / "cli.sqlite3"
    out = coopdesk("--db", str(path), "setup", "--province", "62", "--admin", "boss",
                   "--admin-name", "นางสาวอนมร สิงห์พันธ์", env={"COOPDESK_PASSWORD": "boss-pass-1"}, home=tmp_path)
    assert out.returncode == 0, out.stderr
    return path


def test_setup_then_list_as_json(office_db, tmp_path):
    out = coopdesk("--db", str(office_db), "--user", "boss", "users", "list", "--json",
                   env={"COOPDESK_PASSWORD": "boss-pass-1"}, home=tmp_path)
    assert out.returncode == 0, out.stderr
    people = json.loads(out.stdout)
    assert people == [{"login": "boss", "full_name": "นางสาวอนมร สิงห์พันธ์", "position": "",
                       "group": None, "roles": ["admin"], "active": True}]
    out = coopdesk("--db", str(office_db), "--user", "boss", "registry", "list", "--json",
                   env={"COOPDESK_PASSWORD": "boss-pass-1"}, home=tmp_path)
    assert out.returncode == 0 and json.loads(out.stdout) == []


def test_second_setup_is_refused_with_one_line(office_db, tmp_path):
    out = coopdesk("--db", str(office_db), "setup", "--province", "62", "--admin", "x", "--admin-name", "x",
                   env={"COOPDESK_PASSWORD": "boss-pass-1"}, home=tmp_path)
    assert out.returncode != 0
    assert out.stderr.count("\n") == 1 and "ตั้งค่าสำนักงานไว้แล้ว" in out.stderr


def test_wrong_password_fails_with_one_line_and_json(office_db, tmp_path):
    out = coopdesk("--db", str(office_db), "--user", "boss", "registry", "list", "--json",
                   env={"COOPDESK_PASSWORD": "wrong"}, home=tmp_path)
    assert out.returncode == 1
    assert out.stderr.count("\n") == 1 and "รหัสผ่านไม่ถูกต้อง" in out.stderr
    assert json.loads(out.stdout)["error"] == "E_AUTH"


def test_missing_user_and_bad_database(tmp_path, office_db):
    out = coopdesk("--db", str(office_db), "registry", "list", home=tmp_path)
    assert out.returncode != 0 and "--user" in out.stderr
    bad = tmp_path / "junk.sqlite3"
    bad.write_bytes(b"\x00garbage" * 64)
    out = coopdesk("--db", str(bad), "--user", "boss", "registry", "list",
                   env={"COOPDESK_PASSWORD": "x"}, home=tmp_path)
    assert out.returncode == 3 and out.stderr.count("\n") == 1


def test_default_database_lives_in_coopdesk_home(tmp_path):
    home = tmp_path / "home"
    out = coopdesk("setup", "--province", "83", "--admin", "a", "--admin-name", "ผู้ดูแล",
                   env={"COOPDESK_PASSWORD": "long-pass-1"}, home=home)
    assert out.returncode == 0, out.stderr
    assert (home / "coopdesk.sqlite3").exists()


def test_plan_commands_name_a_revision(tmp_path):
    from app.services.demo import create_demo_database

    db = tmp_path / "demo.sqlite3"
    create_demo_database(db)
    env = {"COOPDESK_PASSWORD": "demo1234"}
    out = coopdesk("--db", str(db), "--user", "clerk", "plan", "print", "--year", "2500", "--unit", "1",
                   "--out", str(tmp_path / "x.pdf"), env=env, home=tmp_path)
    assert out.returncode != 0 and out.stderr.count("\n") == 1 and "2500" in out.stderr
    from datetime import date

    from app.thai import fiscal_year

    fy = fiscal_year(date.today())
    out = coopdesk("--db", str(db), "--user", "clerk", "plan", "print", "--year", str(fy), "--unit", "1",
                   "--revision", "2", "--out", str(tmp_path / "x.pdf"), env=env, home=tmp_path)
    assert out.returncode != 0 and "ฉบับที่ 2" in out.stderr
    out = coopdesk("--db", str(db), "--user", "clerk", "plan", "export-xlsx", "--year", str(fy), "--unit", "1",
                   "--revision", "1", "--out", str(tmp_path / "p.xlsx"), env=env, home=tmp_path)
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "p.xlsx").exists()

