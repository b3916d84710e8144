"""Exporting the registry: a printable workbook that reads back to the same registry."""

from __future__ import annotations

import csv
import shutil
import subprocess
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from app.errors import CoopDeskError
from app.models import Institution, InstitutionYear, User, WorkGroup
from app.rules.registry import InstitutionData, YearData
from app.services import registry, registry_export
from app.services.registry_export import export_file
from app.services.registry_import import import_file
from app.thai import thai_sort_key
from tests.exchange.conftest import db_state

FY = 2567


def fill_registry(office) -> None:
    """Institutions using every exported field, both kinds, and a deleted one."""
    with office.db.transaction(office.admin.id) as s:
        group1 = s.scalar(select(WorkGroup).where(WorkGroup.name == "กลุ่มส่งเสริมสหกรณ์ ๑"))
        add = lambda **kw: registry.create_institution(s, office.admin, InstitutionData(**kw))  # noqa: E731
        a = add(reg_no="1/2530", name="สหกรณ์การเกษตรเมืองกำแพงเพชร จำกัด", coop_type="agriculture",
                district_code="6201", address="1 ถ.เทศบาล ต.ในเมือง", phone="055-711-111", members=1234,
                registered_on=date(1987, 3, 15), acct_year_end_month=3, acct_year_end_day=31,
                officer_id=office.clerk.id, group_id=group1.id, notes="บรรทัดแรก\nบรรทัดสอง")
        registry.save_year(s, office.admin, a.id, FY, YearData(
            strength_class=2, standards_result="pass", accumulated_loss=Decimal(0),
            member_participation_pct=Decimal("72.5"), business_volume=Decimal("12345678.90"),
            net_profit=Decimal("-1234.50"), agm_date=date(2024, 5, 1), accounts_closed_date=date(2024, 3, 31)))
        b = add(reg_no="๒/2540", name="กลุ่มเกษตรกรทำนาไทรงาม", kind="farmer_group", district_code="6202",
                status="suspended", acct_year_end_month=12, acct_year_end_day=31)
        registry.save_year(s, office.admin, b.id, FY, YearData(out_of_scope=True, standards_result="not_assessed"))
        add(reg_no="3/2550", name="โคกสว่างพัฒนา สหกรณ์บริการ จำกัด", coop_type="service", district_code="6203",
            officer_id=office.officer.id)
        c = add(reg_no="4/2555", name="สหกรณ์ออมทรัพย์ครูกำแพงเพชร จำกัด", coop_type="savings",
                district_code="6201", status="dissolving", members=0)
        registry.save_year(s, office.admin, c.id, FY, YearData(
            strength_class=4, standards_result="fail", accumulated_loss=Decimal("1500000.00")))
        registry.save_year(s, office.admin, c.id, FY - 1, YearData(strength_class=3))  # another year: not exported
        add(reg_no="5/2560", name="=1+1 สหกรณ์ร้านค้า จำกัด", coop_type="consumer")
        gone = add(reg_no="6/2561", name="สหกรณ์ที่เลิกแล้ว จำกัด", coop_type="service")
        registry.delete_institution(s, office.admin, gone.id)


def registry_snapshot(db) -> dict:
    """The registry with ids replaced by what they stand for, to compare across databases."""
    with db.session() as s:
        logins = dict(s.execute(select(User.id, User.login)).all())
        groups = dict(s.execute(select(WorkGroup.id, WorkGroup.name)).all())
        out = {}
        for inst in s.scalars(select(Institution).where(Institution.deleted_at.is_(None))):
            data = registry.data_of(inst)
            data.officer_id, data.group_id = logins.get(data.officer_id), groups.get(data.group_id)
            year = s.scalar(select(InstitutionYear).where(InstitutionYear.institution_id == inst.id,
                                                          InstitutionYear.fiscal_year == FY))
            out[inst.reg_no] = (data, registry.year_data_of(year) if year else None)
        return out


@pytest.fixture
def exported(office, tmp_path):
    fill_registry(office)
    path = tmp_path / "ทะเบียน.xlsx"
    with office.db.session() as s:
        assert export_file(s, office.officer, path, fiscal_year=FY) == 5  # any role may export
    return path


def test_export_reads_back_unchanged(office, exported):
    before = db_state(office.db)
    report = import_file(office.db, office.clerk, exported)
    assert report.ok and report.fiscal_year == FY and report.header_row == 5
    assert report.counts == {"inserted": 0, "updated": 0, "unchanged": 5, "rejected": 0}
    assert not report.ignored_columns and not report.skipped
    assert db_state(office.db) == before


def test_export_rebuilds_the_same_registry_in_another_database(office, second_office, exported):
    report = import_file(second_office.db, second_office.clerk, exported)
    assert report.counts == {"inserted": 5, "updated": 0, "unchanged": 0, "rejected": 0}
    assert registry_snapshot(second_office.db) == registry_snapshot(office.db)


def test_export_is_a_printable_office_sheet(exported):
    ws = load_workbook(exported).active
    assert ws["A1"].value == "สำนักงานสหกรณ์จังหวัดกำแพงเพชร"
    assert ws["A2"].value == "ทะเบียนสหกรณ์และกลุ่มเกษตรกร"
    assert ws["A3"].value.startswith("ข้อมูล ณ วันที่ ") and "ปีงบประมาณ ๒๕๖๗" in ws["A3"].value
    assert "A1:V1" in {str(r) for r in ws.merged_cells.ranges}
    header = [c.value for c in ws[5]]
    assert header[:3] == ["ลำดับ", "เลขทะเบียน", "ชื่อสหกรณ์/กลุ่มเกษตรกร"] and len(header) == 22
    assert all(c.font.b and c.font.name == "TH Sarabun New" and c.border.left.style == "thin" for c in ws[5])
    assert ws["C6"].font.sz == 16 and not ws["C6"].font.b
    names = [ws.cell(r, 3).value for r in range(6, 11)]
    assert names == sorted(names, key=thai_sort_key) == [  # โค… sorts under ค, not after ส
        "=1+1 สหกรณ์ร้านค้า จำกัด", "กลุ่มเกษตรกรทำนาไทรงาม", "โคกสว่างพัฒนา สหกรณ์บริการ จำกัด",
        "สหกรณ์การเกษตรเมืองกำแพงเพชร จำกัด", "สหกรณ์ออมทรัพย์ครูกำแพงเพชร จำกัด"]
    row = {ws.cell(5, c).value: ws.cell(6 + names.index("สหกรณ์การเกษตรเมืองกำแพงเพชร จำกัด"), c)
           for c in range(1, 23)}
    assert row["จำนวนสมาชิก (คน)"].value == 1234 and row["จำนวนสมาชิก (คน)"].number_format == "#,##0"
    volume = row["ปริมาณธุรกิจ (บาท)"]
    assert volume.value == 12345678.9 and volume.number_format == '#,##0.00;(#,##0.00);"-"'
    assert row["วันที่จดทะเบียน"].is_date and row["วันที่จดทะเบียน"].value.date() == date(1987, 3, 15)
    assert row["วันสิ้นปีทางบัญชี"].value == "31 มี.ค." and row["ระดับชั้น"].value == 2
    formula_like = ws.cell(6 + names.index("=1+1 สหกรณ์ร้านค้า จำกัด"), 3)
    assert formula_like.data_type == "s"
    assert ws.freeze_panes == "D6" and ws.auto_filter.ref == "A5:V10"
    assert ws.print_title_rows == "$5:$5"
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9  # A4
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.column_dimensions["C"].width > ws.column_dimensions["A"].width


def test_export_replaces_the_file_in_one_step(office, exported, monkeypatch):
    old = exported.read_bytes()

    def fail_halfway(target, *args, **kwargs):
        target.write_bytes(b"half a workbook")
        raise OSError("disk full")

    monkeypatch.setattr(registry_export, "write_registry", fail_halfway)
    with office.db.session() as s, pytest.raises(CoopDeskError, match="บันทึกไฟล์ ทะเบียน.xlsx ไม่ได้"):
        export_file(s, office.clerk, exported, fiscal_year=FY)
    assert exported.read_bytes() == old
    assert [p.name for p in exported.parent.iterdir() if "sqlite3" not in p.name] == [exported.name]  # no temp left
    with office.db.session() as s, pytest.raises(CoopDeskError, match="ไม่พบโฟลเดอร์"):
        export_file(s, office.clerk, exported.parent / "ไม่มี" / "x.xlsx")


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_opens_the_export(exported, tmp_path):
    out = tmp_path / "csv"
    result = subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to",
         "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir", str(out), str(exported)],
        capture_output=True, text=True, timeout=120,
    )
    converted = out / exported.with_suffix(".csv").name
    assert converted.exists(), result.stderr
    rows = list(csv.reader(converted.open(encoding="utf-8")))
    text = converted.read_text(encoding="utf-8")
    assert "สหกรณ์การเกษตรเมืองกำแพงเพชร จำกัด" in text and "กลุ่มเกษตรกรทำนาไทรงาม" in text
    coop = next(r for r in rows if "1/2530" in r)
    assert "15 มี.ค. 2530" in coop  # a real date, shown in the Buddhist era
    assert "1,234" in coop and "(1,234.50)" in coop
