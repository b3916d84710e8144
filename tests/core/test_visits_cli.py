"""`coopdesk visits …` run as a user would: a separate process on a real office file, with the
November built through the services in tests/exchange/test_visit_pdf.py."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.conftest import ADMIN_PASSWORD, USER_PASSWORD
from tests.exchange.test_visit_pdf import COOP_A, FINDINGS, OFFICER_NAME, build_month, one_line, squeeze, visit_column
from tests.pdf.helpers import pdftotext

ROOT = Path(__file__).resolve().parents[2]
RECORD_KEYS = {"id", "planned_date", "planned_time", "actual_date", "institution_id", "institution", "officer",
               "officer_name", "method", "method_label", "purpose", "status", "report_state", "findings", "advice",
               "response", "next_step", "cancel_reason"}


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    """An office file with off1's November (and the people of the month), built once."""
    from app.bootstrap import open_app_database
    from app.services import setup, users

    folder = tmp_path_factory.mktemp("visits_cli")
    db = open_app_database(folder / "office.sqlite3")
    with db.transaction() as s:
        admin = setup.complete_setup(
            s, province_code="62", office_name="สำนักงานสหกรณ์จังหวัดกำแพงเพชร", office_code="62",
            admin_login="admin", admin_name="สมชาย ผู้ดูแล", admin_position="นักวิชาการคอมพิวเตอร์",
            password=ADMIN_PASSWORD)

    def make_user(login, *roles, group=0, name=None):
        with db.transaction(admin.id) as s:
            groups = users.list_groups(s)
            data = users.UserData(login=login, full_name=name or f"ทดสอบ {login}", position="นักวิชาการสหกรณ์",
                                  group_id=groups[group].id if group is not None else None, roles=frozenset(roles))
            return users.create_user(s, admin, data, USER_PASSWORD)

    month = build_month(db, admin, make_user)
    db.dispose()
    yield folder / "office.sqlite3", month


def coopdesk(office, *args: str, user: str = "off1", home: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("COOPDESK_")}
    env.update(COOPDESK_PASSWORD=USER_PASSWORD, COOPDESK_HOME=str(home))
    path, _ = office
    return subprocess.run([sys.executable, "-m", "app", "--db", str(path), "--user", user, *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120, check=False)


def fails_with_one_line(done: subprocess.CompletedProcess, fragment: str) -> None:
    assert done.returncode != 0, done.stdout
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("coopdesk: "), done.stderr
    assert fragment in done.stderr, done.stderr


def test_report_to_pdf_and_xlsx(office, tmp_path):
    pdf, xlsx = tmp_path / "รายงาน.pdf", tmp_path / "รายงาน.xlsx"
    done = coopdesk(office, "visits", "report", "--month", "2569-11", "--officer", "off1", "--out", str(pdf),
                    home=tmp_path)
    assert done.returncode == 0, done.stderr
    assert str(pdf) in done.stdout and "พฤศจิกายน 2569" in done.stdout
    text = pdftotext(pdf)
    assert "รายงานผลการปฏิบัติงานส่งเสริมสหกรณ์ (CPS) ประจำเดือนพฤศจิกายน ๒๕๖๙" in one_line(text)
    assert squeeze(FINDINGS) in visit_column(pdf, 4) and f"ผู้ปฏิบัติงาน {OFFICER_NAME}" in one_line(text)

    done = coopdesk(office, "visits", "report", "--month", "พ.ย. 2569", "--group", "1", "--arabic-digits",
                    "--out", str(xlsx), home=tmp_path)
    assert done.returncode == 0, done.stderr
    wb = load_workbook(xlsx)
    assert wb.sheetnames == ["สรุป", "การเยี่ยม", "ข้อสังเกต", "แผนเทียบผล"]
    assert wb["สรุป"]["A1"].value == "รายงานผลการปฏิบัติงานส่งเสริมสหกรณ์ (CPS) ประจำเดือนพฤศจิกายน 2569"
    assert wb["สรุป"]["A3"].value == "กลุ่มส่งเสริมสหกรณ์ 1"  # the group, in Arabic digits as asked
    assert COOP_A in [c.value for c in wb["การเยี่ยม"]["D"]]


def test_list_json_is_the_same_for_be_and_ce_months(office, tmp_path):
    runs = [coopdesk(office, "visits", "list", "--month", month, "--json", home=tmp_path)
            for month in ("2569-11", "2026-11", "๑๑/๒๕๖๙")]
    for done in runs:
        assert done.returncode == 0, done.stderr
    records = json.loads(runs[0].stdout)
    assert all(json.loads(done.stdout) == records for done in runs[1:])
    assert [r["planned_date"] for r in records] == ["2026-11-10", "2026-11-12", "2026-11-17", "2026-11-24",
                                                    "2026-11-26"]
    assert all(set(r) == RECORD_KEYS for r in records)
    first = records[0]
    assert (first["institution"], first["officer"], first["method"], first["status"], first["report_state"],
            first["actual_date"], first["findings"]) == (COOP_A, "off1", "board_meeting", "done", "approved",
                                                         "2026-11-10", FINDINGS)
    assert [r["status"] for r in records] == ["done", "done", "done", "cancelled", "planned"]

    text = coopdesk(office, "visits", "list", "--month", "11/2569", "--officer", "off1", home=tmp_path)
    assert text.returncode == 0 and len(text.stdout.splitlines()) == 5, text.stderr
    assert text.stdout.splitlines()[0].startswith("10 พ.ย. 69\t09:30\t" + COOP_A)
    empty = coopdesk(office, "visits", "list", "--month", "2569-12", "--json", home=tmp_path)
    assert empty.returncode == 0 and json.loads(empty.stdout) == []


def test_travel_plan_request(office, tmp_path):
    out = tmp_path / "trip.pdf"
    done = coopdesk(office, "visits", "travel-plan", "--officer", "off1", "--month", "พฤศจิกายน 2569",
                    "--out", str(out), user="dir1", home=tmp_path)
    assert done.returncode == 0, done.stderr
    text = pdftotext(out)
    assert "ขออนุมัติเดินทางไปปฏิบัติงาน ประจำเดือนพฤศจิกายน ๒๕๖๙" in one_line(text) and "อนุมัติโดย" in text
    missing = tmp_path / "none.pdf"
    done = coopdesk(office, "visits", "travel-plan", "--month", "2570-01", "--out", str(missing), home=tmp_path)
    fails_with_one_line(done, "ยังไม่มีแผนการเดินทางเดือนมกราคม 2570")
    assert not missing.exists()


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (("visits", "report", "--month", "13/2569", "--out", "r.pdf"), "อ่านเดือน “13/2569” ไม่ได้"),
        (("visits", "list", "--month", "พ.ย.", "--json"), "อ่านเดือน"),
        (("visits", "report", "--month", "2569-11", "--out", "r.docx"), ".pdf หรือ .xlsx"),
        (("visits", "travel-plan", "--month", "2569-11", "--out", "r.xlsx"), ".pdf"),
        (("visits", "report", "--month", "2569-11", "--officer", "nobody", "--out", "r.pdf"), "ไม่พบเจ้าหน้าที่"),
        (("visits", "list", "--month", "2569-11", "--officer", "nobody"), "nobody"),
        (("visits", "report", "--month", "2569-11", "--group", "99", "--out", "r.pdf"), "ไม่พบกลุ่มงาน"),
        (("visits", "report", "--month", "2569-11", "--officer", "off1", "--out", "r.pdf", "--user", "off9"),
         "เฉพาะรายการที่อยู่ในความรับผิดชอบ"),
    ],
)
def test_mistakes_are_one_line_and_non_zero(office, tmp_path, args, fragment):
    user = "off1"
    if "--user" in args:
        i = args.index("--user")
        user, args = args[i + 1], args[:i] + args[i + 2:]
    args = tuple(str(tmp_path / a) if a.startswith("r.") else a for a in args)
    done = coopdesk(office, *args, user=user, home=tmp_path)
    fails_with_one_line(done, fragment)
    assert not any((tmp_path / name).exists() for name in ("r.pdf", "r.xlsx", "r.docx"))
    if "--json" in args:
        assert json.loads(done.stdout)["ok"] is False
