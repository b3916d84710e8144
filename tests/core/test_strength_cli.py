"""`coopdesk strength import-xlsx` as a clerk runs it: a separate process on a real office
file. The office is built once through the services and copied for each test."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ADMIN_PASSWORD, USER_PASSWORD
from tests.exchange.strength_sheets import FY, INSTITUTIONS, REJECTED, ROWS, strength_sheet

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    """กำแพงเพชร with a clerk and the sheet's five institutions."""
    from app.bootstrap import open_app_database
    from app.rules.registry import InstitutionData
    from app.services import registry, setup, users

    path = tmp_path_factory.mktemp("strength_cli") / "office.sqlite3"
    db = open_app_database(path)
    with db.transaction() as s:
        admin = setup.complete_setup(
            s, province_code="62", office_name="สำนักงานสหกรณ์จังหวัดกำแพงเพชร", office_code="62",
            admin_login="admin", admin_name="สมชาย ผู้ดูแล", admin_position="", password=ADMIN_PASSWORD)
    with db.transaction(admin.id) as s:
        users.create_user(s, admin, users.UserData("clerk", "นางสาวสมศรี ใจดี", roles=frozenset({"clerk"})),
                          USER_PASSWORD)
        for reg_no, name, kind, coop_type in INSTITUTIONS:
            registry.create_institution(s, admin, InstitutionData(reg_no=reg_no, name=name, kind=kind,
                                                                  coop_type=coop_type, district_code="6201"))
    db.dispose()
    return path


@pytest.fixture
def office(template, tmp_path) -> Path:
    path = tmp_path / "office.sqlite3"
    shutil.copy(template, path)
    return path


def coopdesk(office: Path, *args: str, home: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("COOPDESK_")}
    env.update(COOPDESK_PASSWORD=USER_PASSWORD, COOPDESK_HOME=str(home))
    return subprocess.run([sys.executable, "-m", "app", "--db", str(office), "--user", "clerk", *args], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=120, check=False)


def assessments_in(office: Path) -> int:
    import sqlite3

    with sqlite3.connect(office) as con:
        return con.execute("SELECT count(*) FROM strength_assessment").fetchone()[0]


def fails_with_one_line(done: subprocess.CompletedProcess, code: int, fragment: str) -> None:
    assert done.returncode == code, (done.stdout, done.stderr)
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("coopdesk"), done.stderr
    assert fragment in done.stderr, done.stderr


def test_dry_run_json_lists_differences_and_fails_on_refused_rows(office, tmp_path):
    sheet = strength_sheet(tmp_path / "ผลจัดชั้น.xlsx")
    done = coopdesk(office, "strength", "import-xlsx", str(sheet), "--dry-run", "--json", home=tmp_path)
    fails_with_one_line(done, 1, "2 แถวที่ไม่ผ่าน")
    report = json.loads(done.stdout)
    assert (report["ok"], report["dry_run"], report["fiscal_year"]) == (False, True, FY)
    assert report["counts"] == {"inserted": 4, "updated": 0, "unchanged": 0, "rejected": 2, "rows": 6}
    assert {r["row"]: r["reason"] for r in report["rows"] if r["status"] == "rejected"} == REJECTED
    assert [(d["row"], d["computed_class"], d["published_class"]) for d in report["differences"]] == [(7, 2, 1)]
    assert assessments_in(office) == 0


def test_import_text_then_again_unchanged(office, tmp_path):
    clean = strength_sheet(tmp_path / "clean.xlsx", rows={r: c for r, c in ROWS.items() if r not in REJECTED})
    done = coopdesk(office, "strength", "import-xlsx", str(clean), "--year", str(FY), home=tmp_path)
    assert done.returncode == 0 and done.stderr == "", done.stderr
    lines = done.stdout.splitlines()
    assert "เพิ่มใหม่ 4 ปรับปรุง 0 ไม่เปลี่ยนแปลง 0 ไม่ผ่าน 0 (รวม 4 รายการ)" in lines
    assert "ระดับชั้นที่คำนวณได้ต่างจากที่ส่วนกลางประกาศ 1 แห่ง" in lines
    assert any(line.startswith("  แถว 7 (2/2535)") and "คำนวณได้ชั้น 2 แต่ส่วนกลางประกาศชั้น 1" in line
               for line in lines)
    assert assessments_in(office) == 4
    again = coopdesk(office, "strength", "import-xlsx", str(clean), "--json", home=tmp_path)
    assert again.returncode == 0 and json.loads(again.stdout)["counts"]["unchanged"] == 4


@pytest.mark.parametrize(("args", "code", "fragment"), [
    (("--year", "2569"), 2, "เป็นผลการจัดระดับชั้นปีงบประมาณ 2568 แต่เลือกนำเข้าเป็นปีงบประมาณ 2569"),
    (("--year", "2025"), 2, "ไม่ใช่ ค.ศ."),
])
def test_a_wrong_year_is_one_line(office, tmp_path, args, code, fragment):
    sheet = strength_sheet(tmp_path / "ผลจัดชั้น.xlsx")
    done = coopdesk(office, "strength", "import-xlsx", str(sheet), *args, home=tmp_path)
    fails_with_one_line(done, code, fragment)
    assert done.stdout == "" and assessments_in(office) == 0


def test_a_file_that_is_not_xlsx_is_one_line(office, tmp_path):
    bad = tmp_path / "ผล.xlsx"
    bad.write_text("not a workbook", encoding="utf-8")
    done = coopdesk(office, "strength", "import-xlsx", str(bad), "--json", home=tmp_path)
    fails_with_one_line(done, 2, "ไฟล์ ผล.xlsx ไม่ใช่ไฟล์ Excel")
    assert json.loads(done.stdout)["error"] == "E_FILE"
