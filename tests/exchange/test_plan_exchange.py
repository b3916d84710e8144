"""`coopdesk plan export-xlsx / import-xlsx`: through the service and as a clerk runs them."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from sqlalchemy import func, select

from app.models import AuditEntry, Plan, PlanActivityRow, PlanMonth
from app.rules.plan import MONTH_TOTAL_MISMATCH, ROW_TOTAL_MISMATCH, UNPARSED_CELL, validate
from app.services import plan_exchange, plans, users
from tests.exchange.conftest import PASSWORD
from tests.exchange.plan_sheets import BAD_CELL_ROW, FY, MEETING_ROW, filled_document, hand_made_sheet
from tests.exchange.test_registry_cli import coopdesk  # runs as the clerk, who keeps every group's plan


def plan_state(db) -> dict:
    """Everything an import could change, to compare before and after."""
    with db.session() as s:
        count = lambda model: s.scalar(select(func.count()).select_from(model))  # noqa: E731
        return {"plans": count(Plan), "rows": count(PlanActivityRow), "months": count(PlanMonth),
                "audit": count(AuditEntry), "seq": s.scalar(select(func.max(PlanMonth.change_seq)))}


@pytest.fixture
def plan_id(office):
    with office.db.transaction(office.officer.id) as s:
        group = users.list_groups(s)[0]
        return plans.create_plan(s, office.officer, group_id=group.id, fiscal_year=FY,
                                 document=filled_document(FY, group.name)).id


@pytest.fixture
def exported(office, plan_id, tmp_path):
    path = tmp_path / "แผน.xlsx"
    with office.db.session() as s:
        plan_exchange.export_xlsx(s, office.clerk, fiscal_year=FY, unit="1", path=path)  # the clerk prints it
    return path


def document(office, plan_id):
    with office.db.session() as s:
        return plans.document_of(s, office.officer, plan_id)


def test_the_export_imports_back_as_the_same_plan_touching_nothing(office, plan_id, exported):
    before, state = document(office, plan_id), plan_state(office.db)
    report = plan_exchange.import_xlsx(office.db, office.officer, exported)
    assert (report.ok, report.action, report.fiscal_year, report.revision) == (True, "updated", FY, 1)
    assert report.group == "กลุ่มส่งเสริมสหกรณ์ ๑" and report.findings == tuple(validate(before.sheet))
    after = document(office, plan_id)
    assert after == before
    assert {k: v for k, v in plan_state(office.db).items() if k != "audit"} == \
           {k: v for k, v in state.items() if k != "audit"}  # no row or cell rewritten


def test_a_hand_made_sheet_becomes_a_plan_with_its_findings(office, tmp_path):
    sheet = hand_made_sheet(tmp_path / "แผน ๖๖.xlsx")
    report = plan_exchange.import_xlsx(office.db, office.officer, sheet)
    assert (report.action, report.fiscal_year, report.group, report.state) == ("created", 2566,
                                                                              "กลุ่มส่งเสริมสหกรณ์ ๑", "draft")
    assert [f.kind for f in report.findings] == [UNPARSED_CELL, ROW_TOTAL_MISMATCH, MONTH_TOTAL_MISMATCH]
    assert report.places[:2] == (f"แถว {BAD_CELL_ROW} คอลัมน์ K", f"แถว {MEETING_ROW} คอลัมน์ C")
    lines = report.text_lines()
    assert "กิจกรรม (๑) “ประชุมผู้ส่งเสริมสหกรณ์” (รวมงบ): ระบุไว้ 13,650.00 แต่รวมรายเดือนได้ 12,250.00 " \
           f"(แถว {MEETING_ROW} คอลัมน์ C)" in " ".join(lines)
    with office.db.session() as s:
        plan = plans.plan_for(s, office.officer, 2566, None)
        stored = plans.document_of(s, office.officer, plan.id)
        assert [f.kind for f in plans.findings_of(s, office.officer, plan.id)] == [ROW_TOTAL_MISMATCH,
                                                                                  MONTH_TOTAL_MISMATCH]
    assert stored.header.approver.name == "นายประเสริฐศักดิ์ อนุสร"

    again = plan_exchange.import_xlsx(office.db, office.officer, sheet)  # the same sheet, corrected later
    assert again.action == "updated" and again.findings == report.findings
    kept = document(office, plan.id)
    unique = [a for a in stored.sheet.activities
              if sum((b.number, b.title) == (a.number, a.title) for b in stored.sheet.activities) == 1]
    assert len(unique) > 10 and all(a.key in {b.key for b in kept.sheet.activities} for a in unique)


def test_a_dry_run_reports_what_the_import_does_and_changes_nothing(office, tmp_path):
    sheet = hand_made_sheet(tmp_path / "แผน.xlsx")
    before = plan_state(office.db)
    dry = plan_exchange.import_xlsx(office.db, office.officer, sheet, dry_run=True)
    assert plan_state(office.db) == before
    real = plan_exchange.import_xlsx(office.db, office.officer, sheet)
    assert plan_state(office.db)["plans"] == before["plans"] + 1
    assert dry.dry_run and not real.dry_run and replace(dry, dry_run=False) == real
    assert dry.text_lines()[-1] == "นี่เป็นการทดลอง ยังไม่มีข้อมูลใดถูกบันทึก"


def test_an_approved_plan_is_refused_with_one_sentence(office, plan_id, exported, tmp_path):
    with office.db.transaction(office.admin.id) as s:
        data = users.UserData(login="dir1", full_name="นายผู้อำนวยการ กลุ่มหนึ่ง",
                              group_id=users.list_groups(s)[0].id, roles=frozenset({"director"}))
        director = users.create_user(s, office.admin, data, PASSWORD)
    with office.db.transaction(office.officer.id) as s:
        plans.submit_plan(s, office.officer, plan_id, acknowledge_findings=True)
    with office.db.transaction(director.id) as s:
        plans.approve_plan(s, director, plan_id, reviewed_hash=plans.fingerprint_of(s, director, plan_id))
    before = plan_state(office.db)
    report = plan_exchange.import_xlsx(office.db, office.officer, exported)
    assert (report.ok, report.action, report.state) == (False, "refused", "approved")
    assert "ปรับแผน" in report.message and "\n" not in report.message
    assert plan_state(office.db) == before
    out = coopdesk(office, "plan", "import-xlsx", str(exported), home=tmp_path)
    assert out.returncode == 1 and f"ไม่ได้นำเข้า: {report.message}" in out.stdout
    assert plan_state(office.db)["plans"] == before["plans"]


def test_cli_json_and_a_file_it_cannot_read(office, tmp_path):
    before = plan_state(office.db)["plans"]
    bad = tmp_path / "plan.xlsx"
    bad.write_bytes(b"\x00garbage" * 100)
    out = coopdesk(office, "plan", "import-xlsx", str(bad), home=tmp_path)
    assert out.returncode == 2 and out.stdout == ""
    assert out.stderr.count("\n") == 1 and "plan.xlsx" in out.stderr
    assert plan_state(office.db)["plans"] == before

    sheet = hand_made_sheet(tmp_path / "แผน ๖๖.xlsx")
    out = coopdesk(office, "plan", "import-xlsx", str(sheet), "--year", "2566", "--json", home=tmp_path)
    assert out.returncode == 0, out.stderr
    payload = json.loads(out.stdout)
    assert set(payload) == {"plan", "findings"}
    assert all(set(f) == {"kind", "where", "stated", "computed"} for f in payload["findings"])
    meeting = payload["findings"][1]
    assert meeting == {"kind": "row_total_mismatch", "stated": "13650.00", "computed": "12250.00",
                       "where": f"กิจกรรม (๑) “ประชุมผู้ส่งเสริมสหกรณ์” (รวมงบ) (แถว {MEETING_ROW} คอลัมน์ C)"}
    assert payload["plan"]["action"] == "created" and payload["plan"]["fiscal_year"] == 2566
    assert payload["plan"]["total_baht"] == "78800.00" and payload["plan"]["activities"] == 14
    assert plan_state(office.db)["plans"] == before + 1

    out = coopdesk(office, "plan", "import-xlsx", str(sheet), "--year", "2567", home=tmp_path)
    assert out.returncode == 1 and out.stderr.count("\n") == 1 and "2566" in out.stderr
