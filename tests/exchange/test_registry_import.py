"""Importing an office's own Excel list into the registry, on a real SQLite file."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.errors import FileFormatError, PermissionDenied
from app.models import Institution, InstitutionYear, WorkGroup
from app.rules.registry import InstitutionData, YearData
from app.services import registry
from app.services.registry_import import ImportCancelled, import_file
from tests.exchange.conftest import db_state
from tests.exchange.sheets import MESSY_REJECTED, messy_list, simple_list, two_row_header_list


def institutions(db) -> dict[str, Institution]:
    with db.session() as s:
        return {i.reg_no: i for i in s.scalars(select(Institution))}


def year_of(db, reg_no: str, fiscal_year: int) -> InstitutionYear | None:
    with db.session() as s:
        return s.scalar(select(InstitutionYear).join(Institution).where(
            Institution.reg_no == reg_no, InstitutionYear.fiscal_year == fiscal_year))


def test_messy_list_report_names_each_rejected_row_and_reason(office, tmp_path):
    report = import_file(office.db, office.clerk, messy_list(tmp_path / "รายชื่อ.xlsx"), dry_run=True)
    assert not report.ok
    assert (report.sheet, report.header_row, report.fiscal_year) == ("ทะเบียน 67", 4, 2567)
    assert report.counts == {"inserted": 3, "updated": 0, "unchanged": 0, "rejected": 5}
    assert sum(report.counts.values()) == len(report.rows) == 8
    assert {r.row: r.reason for r in report.rows if r.status == "rejected"} == MESSY_REJECTED
    assert [(r.row, r.reg_no) for r in report.rows if r.status == "inserted"] == [
        (7, "1/2530"), (8, "2/2535"), (10, "3/2545")]
    lines = report.text_lines()
    assert 'แถว 12: จำนวนสมาชิก "12a" ไม่ใช่ตัวเลข (คอลัมน์ F)' in [line.strip() for line in lines]
    assert any("G (ทุนเรือนหุ้น)" in line for line in lines)
    assert any("แถว 6 “สหกรณ์การเกษตร”" in line and "แถว 16 “รวม”" in line for line in lines)
    data = report.to_json()
    assert data["counts"] == {"inserted": 3, "updated": 0, "unchanged": 0, "rejected": 5, "rows": 8}
    assert data["rows"][3] == {"row": 11, "reg_no": "4/2550", "name": "", "status": "rejected",
                               "reason": MESSY_REJECTED[11], "changes": []}


def test_dry_run_changes_nothing_and_reports_what_the_import_then_does(office, tmp_path):
    path = messy_list(tmp_path / "list.xlsx")
    before = db_state(office.db)
    dry = import_file(office.db, office.clerk, path, dry_run=True)
    assert db_state(office.db) == before
    real = import_file(office.db, office.clerk, path)
    assert {**dry.to_json(), "dry_run": False} == real.to_json()
    after = db_state(office.db)
    assert after["institutions"] == 3 and after["years"] == 3
    # one audit entry per created institution and per saved year, plus the import summary
    assert after["audit"] == before["audit"] + 3 + 3 + 1


def test_imported_values_are_typed_and_resolved(office, tmp_path):
    import_file(office.db, office.clerk, messy_list(tmp_path / "list.xlsx"))
    got = institutions(office.db)
    with office.db.session() as s:
        group1 = s.scalar(select(WorkGroup).where(WorkGroup.name == "กลุ่มส่งเสริมสหกรณ์ ๑"))
    coop = got["1/2530"]
    assert (coop.name, coop.kind, coop.coop_type) == ("สหกรณ์การเกษตรเมืองกำแพงเพชร จำกัด", "coop", "agriculture")
    assert (coop.district_code, coop.members, coop.registered_on) == ("6201", 1234, date(1987, 3, 15))
    assert (coop.acct_year_end_month, coop.acct_year_end_day) == (3, 31)
    assert (coop.officer_id, coop.group_id, coop.address) == (office.clerk.id, group1.id, "1 ถ.เทศบาล ต.ในเมือง")
    savings = got["2/2535"]
    assert (savings.district_code, savings.members, savings.registered_on) == ("6201", 2500, date(1992, 6, 1))
    assert (savings.officer_id, savings.group_id, savings.acct_year_end_month) == (office.officer.id, None, 9)
    group = got["3/2545"]
    assert (group.kind, group.coop_type, group.status) == ("farmer_group", None, "suspended")
    assert group.district_code == "6202"
    assert group.registered_on == date(2002, 1, 10)

    y = year_of(office.db, "1/2530", 2567)
    assert (y.strength_class, y.standards_result, y.business_volume) == (2, "pass", Decimal("12345678.50"))
    y = year_of(office.db, "2/2535", 2567)
    assert (y.strength_class, y.standards_result, y.business_volume) == (1, "fail", Decimal("987654.25"))
    y = year_of(office.db, "3/2545", 2567)
    assert (y.strength_class, y.out_of_scope, y.standards_result) == (None, True, "not_assessed")


def test_importing_the_same_file_again_changes_nothing(office, tmp_path):
    path = messy_list(tmp_path / "list.xlsx")
    import_file(office.db, office.clerk, path)
    before = db_state(office.db)
    again = import_file(office.db, office.clerk, path)
    assert again.counts == {"inserted": 0, "updated": 0, "unchanged": 3, "rejected": 5}
    assert db_state(office.db) == before  # no rev bump, no change_seq, no audit entry


def test_rows_update_institutions_by_registration_number(office, tmp_path):
    with office.db.transaction(office.admin.id) as s:
        inst = registry.create_institution(s, office.admin, InstitutionData(
            reg_no="9/2560", name="สหกรณ์บริการไทรงาม จำกัด", kind="coop", coop_type="service",
            district_code="6202", address="9 หมู่ 1", phone="055000000", members=40))
        registry.save_year(s, office.admin, inst.id, 2567, YearData(strength_class=3))
    path = simple_list(tmp_path / "update.xlsx", [["๙/๒๕๖๐", "สหกรณ์บริการไทรงาม จำกัด", "บริการ", "อ.เมือง", "๔๕"]],
                       header=("เลขทะเบียน", "ชื่อสหกรณ์", "ประเภท", "อำเภอ", "จำนวนสมาชิก", "ผู้รับผิดชอบ",
                               "ระดับชั้น ปี 2567"))
    from openpyxl import load_workbook

    wb = load_workbook(path)
    wb.active["F2"], wb.active["G2"] = "สมศรี  ใจดี", "๒"  # no title, double space
    wb.save(path)

    report = import_file(office.db, office.clerk, path)
    assert report.counts == {"inserted": 0, "updated": 1, "unchanged": 0, "rejected": 0}
    assert report.rows[0].changes == ["อำเภอ", "จำนวนสมาชิก", "เจ้าหน้าที่ผู้รับผิดชอบ", "ระดับชั้น"]
    got = institutions(office.db)
    assert list(got) == ["9/2560"]
    inst = got["9/2560"]
    assert (inst.members, inst.district_code, inst.officer_id, inst.rev) == (45, "6201", office.clerk.id, 2)
    assert (inst.address, inst.phone) == ("9 หมู่ 1", "055000000")  # columns not in the file are kept
    assert year_of(office.db, "9/2560", 2567).strength_class == 2


def test_a_file_without_a_header_is_refused_whole(office, tmp_path):
    path = simple_list(tmp_path / "ข้อมูล.xlsx", [["1/2530", "สหกรณ์ ก"]], header=("รหัส", "รายการ"))
    before = db_state(office.db)
    with pytest.raises(FileFormatError) as err:
        import_file(office.db, office.clerk, path)
    assert str(err.value).startswith("ไม่พบแถวหัวตาราง") and "ในไฟล์ ข้อมูล.xlsx" in str(err.value)
    assert db_state(office.db) == before


@pytest.mark.parametrize("content", [bytes(range(256)) * 8, "เลขทะเบียน,ชื่อสหกรณ์\n1/2530,สหกรณ์ ก\n".encode()])
def test_a_file_that_is_not_xlsx_imports_nothing(office, tmp_path, content):
    path = tmp_path / "list.xlsx"
    path.write_bytes(content)
    before = db_state(office.db)
    with pytest.raises(FileFormatError) as err:
        import_file(office.db, office.clerk, path)
    assert "list.xlsx" in str(err.value) and "\n" not in str(err.value)
    assert db_state(office.db) == before


def test_an_officer_is_refused_before_the_file_is_read(office, tmp_path):
    with pytest.raises(PermissionDenied, match="นำเข้าทะเบียน"):
        import_file(office.db, office.officer, tmp_path / "does-not-exist.xlsx")


def test_a_file_whose_rows_are_all_rejected_changes_nothing(office, tmp_path):
    path = simple_list(tmp_path / "bad.xlsx", [["1/2530", "สหกรณ์ ก", "ดาวอังคาร", "คลองลาน", "10"],
                                               ["2/2530", "สหกรณ์ ข", "บริการ", "คลองลาน", "สิบ"]])
    before = db_state(office.db)
    report = import_file(office.db, office.clerk, path)
    assert report.counts["rejected"] == 2 and not report.ok
    assert db_state(office.db) == before


def test_the_year_comes_from_the_file_and_a_contradicting_year_is_refused(office, tmp_path):
    path = two_row_header_list(tmp_path / "two.xlsx")
    with pytest.raises(FileFormatError, match="ปีงบประมาณ 2566 แต่เลือกนำเข้าเป็นปีงบประมาณ 2567"):
        import_file(office.db, office.clerk, path, fiscal_year=2567)
    report = import_file(office.db, office.clerk, path)
    assert report.ok and report.fiscal_year == 2566 and report.header_row == 3
    y = year_of(office.db, "11/2556", 2566)
    assert (y.strength_class, y.member_participation_pct) == (2, Decimal("70.00"))
    assert year_of(office.db, "10/2555", 2566).net_profit == Decimal("-12000.00")


def test_without_a_stated_year_the_callers_year_is_used(office, tmp_path):
    path = simple_list(tmp_path / "y.xlsx", [["1/2530", "สหกรณ์การเกษตรคลองลาน จำกัด", "1"]],
                       header=("เลขทะเบียน", "ชื่อสหกรณ์", "ระดับชั้น"))
    report = import_file(office.db, office.clerk, path, fiscal_year=2568)
    assert report.ok and report.fiscal_year == 2568
    assert year_of(office.db, "1/2530", 2568).strength_class == 1
    assert institutions(office.db)["1/2530"].coop_type == "agriculture"  # from the name: no type column


def test_validation_of_the_form_applies_to_rows(office, tmp_path):
    path = simple_list(tmp_path / "v.xlsx", [["1/2530", "สหกรณ์ ก", "บริการ", "31/2", "15/3/2590"]],
                       header=("เลขทะเบียน", "ชื่อสหกรณ์", "ประเภท", "วันสิ้นปีทางบัญชี", "วันที่จดทะเบียน"))
    report = import_file(office.db, office.clerk, path)
    assert report.rows[0].reason == ("วันสิ้นปีทางบัญชี 31/2 ไม่มีอยู่จริง (คอลัมน์ D); "
                                     "วันที่จดทะเบียนอยู่ในอนาคต (คอลัมน์ E)")


def test_progress_is_reported_and_cancel_rolls_everything_back(office, tmp_path):
    rows = [[f"{n}/2560", f"สหกรณ์บริการที่ {n} จำกัด", "บริการ", "คลองลาน", str(n)] for n in range(1, 6)]
    path = simple_list(tmp_path / "five.xlsx", rows)
    seen: list[tuple[int, int]] = []
    before = db_state(office.db)
    with pytest.raises(ImportCancelled, match="ยกเลิก"):
        import_file(office.db, office.clerk, path, progress=lambda d, t: seen.append((d, t)),
                    cancelled=lambda: len(seen) >= 3)
    assert seen == [(1, 5), (2, 5), (3, 5)]
    assert db_state(office.db) == before
    seen.clear()
    assert import_file(office.db, office.clerk, path, progress=lambda d, t: seen.append((d, t))).ok
    assert seen[-1] == (5, 5) and len(institutions(office.db)) == 5


def test_rows_the_user_may_not_write_are_refused_one_by_one(office, tmp_path, monkeypatch):
    """Should an officer ever be allowed to import, each row still obeys their edit scope."""
    from app.rules.permissions import GRANTS, Action, Role, Scope

    with office.db.transaction(office.admin.id) as s:
        for reg, officer in (("1/2530", office.officer.id), ("2/2530", office.clerk.id)):
            registry.create_institution(s, office.admin, InstitutionData(
                reg_no=reg, name=f"สหกรณ์บริการ {reg}", kind="coop", coop_type="service", officer_id=officer))
    monkeypatch.setitem(GRANTS[Action.REGISTRY_IMPORT], Role.OFFICER, Scope.ALL)
    path = simple_list(tmp_path / "mine.xlsx", [["1/2530", "สหกรณ์บริการ 1/2530", "บริการ", "คลองลาน"],
                                                ["2/2530", "สหกรณ์บริการ 2/2530", "บริการ", "คลองลาน"],
                                                ["3/2530", "สหกรณ์บริการ 3/2530", "บริการ", "คลองลาน"]])
    report = import_file(office.db, office.officer, path)
    assert [(r.status, r.reason) for r in report.rows] == [
        ("updated", ""),
        ("rejected", "คุณแก้ไขข้อมูลสหกรณ์/กลุ่มเกษตรกรได้เฉพาะรายการที่อยู่ในความรับผิดชอบของคุณ"),
        ("rejected", "บัญชีของคุณไม่มีสิทธิ์เพิ่มสหกรณ์/กลุ่มเกษตรกรในทะเบียน"),
    ]
    assert institutions(office.db)["1/2530"].district_code == "6203"
    assert institutions(office.db)["2/2530"].district_code is None
