"""`coopdesk deadlines` and `coopdesk kpi` run as a user would: a separate process on a real
office file built through the services. The deadline command judges by the real today, so
the records are laid out relative to it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from tests.conftest import ADMIN_PASSWORD, USER_PASSWORD

ROOT = Path(__file__).resolve().parents[2]
FY = 2569
COOP_A, COOP_B, COOP_C = "สหกรณ์การเกษตรก้าวหน้า จำกัด", "สหกรณ์การเกษตรบ้านใหม่ จำกัด", "สหกรณ์ออมทรัพย์ต่างกลุ่ม จำกัด"


def year_end_200_days_ago() -> date:
    end = date.today() - timedelta(days=200)
    return end - timedelta(days=1) if (end.month, end.day) == (2, 29) else end


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    """off1 (group 1) has A and B, off9 (group 2) has C. A and C closed their books 10 days
    after a year end 200 days ago and have held no AGM (150 days: 50 days overdue); B has
    met every deadline (its standards result is recorded without a report date). FY 2569
    has standards results for the KPIs (A pass, B fail, C pass) and a group-1 plan."""
    from app.bootstrap import open_app_database
    from app.rules.plan.document import KpiLine
    from app.rules.registry import InstitutionData, YearData
    from app.services import plans, registry, setup, users
    from app.thai import fiscal_year

    folder = tmp_path_factory.mktemp("kpi_cli")
    db = open_app_database(folder / "office.sqlite3")
    with db.transaction() as s:
        admin = setup.complete_setup(
            s, province_code="62", office_name="สำนักงานสหกรณ์จังหวัดกำแพงเพชร", office_code="62",
            admin_login="admin", admin_name="สมชาย ผู้ดูแล", admin_position="", password=ADMIN_PASSWORD)
    end = year_end_200_days_ago()
    with db.transaction(admin.id) as s:
        groups = users.list_groups(s)
        people = {login: users.create_user(s, admin, users.UserData(
            login, name, group_id=groups[g].id if g is not None else None, roles=frozenset({role})), USER_PASSWORD)
            for login, name, role, g in (("off1", "นายหนึ่ง ส่งเสริม", "officer", 0),
                                         ("off9", "นายเก้า ต่างกลุ่ม", "officer", 1),
                                         ("dir1", "นางผู้อำนวยการ กลุ่มหนึ่ง", "director", 0),
                                         ("head", "นายสหกรณ์ จังหวัด", "provincial_head", None))}
        ids = {}
        for n, (name, who) in enumerate(((COOP_A, "off1"), (COOP_B, "off1"), (COOP_C, "off9"))):
            ids[name] = registry.create_institution(s, admin, InstitutionData(
                reg_no=f"กพ {n:06d}", name=name, kind="coop", coop_type="agriculture", district_code="6201",
                officer_id=people[who].id, group_id=people[who].group_id, acct_year_end_month=end.month,
                acct_year_end_day=end.day, registered_on=end - timedelta(days=100))).id
        rows: dict[tuple[str, int], dict] = {}
        for name in (COOP_A, COOP_B, COOP_C):
            rows[(name, fiscal_year(end))] = {"accounts_closed_date": end + timedelta(days=10)}
        rows[(COOP_B, fiscal_year(end))].update(agm_date=end + timedelta(days=60), standards_result="pass")
        for name, result in ((COOP_A, "pass"), (COOP_B, "fail"), (COOP_C, "pass")):
            rows.setdefault((name, FY), {})["standards_result"] = result
        for (name, fy), values in rows.items():
            registry.save_year(s, admin, ids[name], fy, YearData(**values))
        doc = plans.template_document(FY)
        lines = tuple(KpiLine(k.indicator, "ร้อยละ ๘๐" if "สหกรณ์ผ่านเกณฑ์มาตรฐาน" == k.indicator else "")
                      for k in doc.header.kpis)
        plans.create_plan(s, s.merge(people["dir1"]), group_id=groups[0].id, fiscal_year=FY,
                          document=replace(doc, header=replace(doc.header, kpis=lines)))
    db.dispose()
    return folder / "office.sqlite3", end, ids


def coopdesk(office, *args: str, user: str = "off1", home: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("COOPDESK_")}
    env.update(COOPDESK_PASSWORD=USER_PASSWORD, COOPDESK_HOME=str(home))
    path = office[0]
    return subprocess.run([sys.executable, "-m", "app", "--db", str(path), "--user", user, *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120, check=False)


def fails_with_one_line(done: subprocess.CompletedProcess, fragment: str) -> None:
    assert done.returncode != 0, done.stdout
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("coopdesk"), done.stderr
    assert fragment in done.stderr, done.stderr


def test_deadlines_text_and_json_follow_the_scope(office, tmp_path):
    from app.thai import format_date, thai_sort_key

    _path, end, ids = office
    agm_due = end + timedelta(days=150)
    late = (date.today() - agm_due).days  # 50 (51 when 200 days ago was 29 Feb)
    done = coopdesk(office, "deadlines", home=tmp_path)
    assert done.returncode == 0, done.stderr
    (line,) = done.stdout.splitlines()  # off1: only A is open (B is all done, C is off9's)
    assert line.split("\t") == [format_date(agm_due, "short", thai_digits=False), f"เกินกำหนด {late} วัน", COOP_A,
                                f"ประชุมใหญ่สามัญประจำปี (ปีบัญชีสิ้นสุด {format_date(end, 'short', thai_digits=False)})",
                                "นายหนึ่ง ส่งเสริม"]
    assert str(agm_due.year + 543)[2:] in line  # Buddhist era

    head = coopdesk(office, "deadlines", "--json", user="head", home=tmp_path)
    assert head.returncode == 0, head.stderr
    records = json.loads(head.stdout)
    assert [(r["institution_name"], r["kind"], r["status"], r["days"]) for r in records] == [
        (name, "agm", "overdue", late) for name in sorted((COOP_A, COOP_C), key=thai_sort_key)]
    assert {r["institution_id"] for r in records} == {ids[COOP_A], ids[COOP_C]}
    assert {r["due"] for r in records} == {agm_due.isoformat()}
    assert set(records[0]) == {"institution_id", "institution_name", "kind", "year_end", "due", "done_on", "status",
                               "days", "officer_id", "officer_name", "text_th"}

    group = coopdesk(office, "deadlines", "--within", "0", user="dir1", home=tmp_path)
    assert group.returncode == 0 and len(group.stdout.splitlines()) == 1 and COOP_A in group.stdout
    other = coopdesk(office, "deadlines", "--json", user="off9", home=tmp_path)
    assert [r["institution_name"] for r in json.loads(other.stdout)] == [COOP_C]
    fails_with_one_line(coopdesk(office, "deadlines", "--within", "-1", home=tmp_path), "ติดลบ")


def test_kpi_text_and_json(office, tmp_path):
    done = coopdesk(office, "kpi", "--year", str(FY), "--json", user="head", home=tmp_path)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["fiscal_year"] == FY and report["scope_kind"] == "all" and report["institutions"] == 3
    std = next(k for k in report["kpis"] if k["key"] == "standards_coop")
    assert (std["numerator"], std["denominator"], std["value"], std["target"], std["met"]) == (2, 3, "66.67", "50",
                                                                                               True)
    assert len(std["numerator_ids"]) == 2 and len(std["denominator_ids"]) == 3
    (plan,) = report["plans"]
    row = next(r for r in plan["rows"] if r["key"] == "standards_coop")
    # The plan is group 1's: measured over A and B only (pass, fail), against its own 80 %.
    assert (row["result"]["numerator"], row["result"]["denominator"], row["result"]["value"],
            row["result"]["target"], row["result"]["met"]) == (1, 2, "50.00", "80", False)
    assert Decimal(row["result"]["value"]) == Decimal("50.00")

    text = coopdesk(office, "kpi", "--year", str(FY), user="dir1", home=tmp_path)
    assert text.returncode == 0, text.stderr
    lines = text.stdout.splitlines()
    assert lines[0].startswith(f"ตัวชี้วัดปีงบประมาณ {FY} (") and "2 แห่ง" in lines[0]
    assert "ร้อยละของสหกรณ์ที่ผ่านเกณฑ์มาตรฐาน\tเป้าหมาย ร้อยละ 50\tผล ร้อยละ 50.00\t1/2" in lines
    assert "สหกรณ์ผ่านเกณฑ์มาตรฐาน\tเป้าหมาย ร้อยละ 80\tผล ร้อยละ 50.00\t1/2" in lines
    assert any(line.startswith("ตัวชี้วัดตามแผนปฏิบัติงานของ") for line in lines)


@pytest.mark.parametrize("year", ["2024", "abc"])
def test_a_bad_year_is_one_line_and_a_non_zero_exit(office, tmp_path, year):
    done = coopdesk(office, "kpi", "--year", year, home=tmp_path)
    fails_with_one_line(done, "ปีงบประมาณ")
    assert done.stdout == ""


def test_a_wrong_password_is_one_line(office, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("COOPDESK_")}
    env.update(COOPDESK_PASSWORD="wrong", COOPDESK_HOME=str(tmp_path))
    done = subprocess.run([sys.executable, "-m", "app", "--db", str(office[0]), "--user", "off1", "deadlines"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode != 0 and done.stderr.count("\n") == 1
