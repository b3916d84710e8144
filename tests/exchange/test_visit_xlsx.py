"""The monthly CPS report as Excel: reopened with openpyxl, and opened by LibreOffice."""

from __future__ import annotations

import csv
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from app.exchange.visit_xlsx import THAI_DIGITS_FORMAT
from app.services import settings, visit_print
from tests.exchange.test_visit_pdf import (
    ACTIVITY_TITLE,
    ADVICE,
    CANCEL_REASON,
    COOP_A,
    COOP_B,
    COOP_C,
    DIRECTOR_NAME,
    FINDINGS,
    NEW_ITEM,
    NEXT_STEP,
    NOV,
    OFFICER_NAME,
    OLD_ITEM,
    RESPONSE,
    Month,
    build_month,
)

TITLE = "รายงานผลการปฏิบัติงานส่งเสริมสหกรณ์ (CPS) ประจำเดือนพฤศจิกายน ๒๕๖๙"
SHEETS = ["สรุป", "การเยี่ยม", "ข้อสังเกต", "แผนเทียบผล"]


def export(db, user, path: Path, **kw) -> Path:
    with db.session() as s:
        return visit_print.monthly_report_file(s, user, NOV, path, **kw)


@pytest.fixture
def cps_month(db, admin, make_user) -> Month:
    return build_month(db, admin, make_user)


@pytest.fixture
def workbook_path(db, cps_month, tmp_path) -> Path:
    return export(db, cps_month.officer, tmp_path / "รายงาน.xlsx", officer_id=cps_month.officer.id)


def rows(ws) -> list[tuple]:
    return [r for r in ws.iter_rows(values_only=True) if any(v is not None for v in r)]


def find_row(ws, first: object) -> tuple:
    return next(r for r in rows(ws) if r[0] == first)


def test_four_sheets_with_titles(workbook_path):
    wb = load_workbook(workbook_path)
    assert wb.sheetnames == SHEETS
    for ws in wb:
        assert ws["A1"].value == TITLE
        assert ws["A2"].value == "สำนักงานสหกรณ์จังหวัดกำแพงเพชร"
        assert ws["A3"].value == f"ผู้ปฏิบัติงาน {OFFICER_NAME} ตำแหน่ง นักวิชาการสหกรณ์ กลุ่มส่งเสริมสหกรณ์ ๑"
        assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4
        assert ws["A1"].font.name == "TH Sarabun New"


def test_summary_counts_are_numbers_in_thai_digits(workbook_path):
    ws = load_workbook(workbook_path)["สรุป"]
    figures = {r[0]: r[1:] for r in rows(ws) if isinstance(r[1], int)}
    assert figures["นัดเยี่ยมตามแผน"] == (5, "ครั้ง")
    assert figures["ไปเยี่ยมแล้ว"] == (3, "ครั้ง") and figures["ไม่ได้ไปตามนัด"] == (1, "ครั้ง")
    assert figures["ยังไม่ได้บันทึกผล"] == (1, "ครั้ง")
    assert figures["สหกรณ์/กลุ่มเกษตรกรที่ได้เยี่ยม"] == (3, "แห่ง")
    assert figures["ข้อสังเกตที่พบใหม่"] == (1, "เรื่อง") and figures["ข้อสังเกตที่ปิดแล้ว"] == (1, "เรื่อง")
    assert figures["เข้าร่วมประชุมคณะกรรมการ"] == (1, "ครั้ง") and figures["รวม"] == (3, "ครั้ง")
    assert figures["อนุมัติแล้ว"] == (1, "รายการ") and figures["ร่าง"] == (2, "รายการ")
    count_cell = next(c for c in ws["B"] if c.value == 5)
    assert count_cell.number_format.startswith(THAI_DIGITS_FORMAT)
    texts = [r[0] for r in rows(ws)]
    assert f"({DIRECTOR_NAME})" in texts and "ตำแหน่ง ผู้อำนวยการกลุ่มส่งเสริมสหกรณ์ ๑" in texts


def test_visits_sheet(workbook_path):
    ws = load_workbook(workbook_path)["การเยี่ยม"]
    head = find_row(ws, "ที่")
    assert head == ("ที่", "วันที่", "เวลา", "สหกรณ์/กลุ่มเกษตรกร", "ผู้ปฏิบัติงาน", "วิธีการ", "ประเด็น",
                    "สภาพปัญหา/ข้อสังเกต", "คำแนะนำ", "การตอบรับ/ขั้นต่อไป", "สถานะรายงาน")
    body = [r for r in rows(ws) if isinstance(r[0], int)]
    assert [r[0] for r in body] == [1, 2, 3, 4, 5]
    first = body[0]
    assert first[1:6] == ("๑๐ พ.ย. ๒๕๖๙", "๐๙:๓๐ น.", COOP_A, OFFICER_NAME, "เข้าร่วมประชุมคณะกรรมการ")
    assert first[7:] == (FINDINGS, ADVICE, f"{RESPONSE}\nขั้นต่อไป: {NEXT_STEP}", "อนุมัติแล้ว")
    assert [r[3] for r in body] == [COOP_A, COOP_B, COOP_C, COOP_B, COOP_A]
    assert body[3][7] == f"ไม่ได้ไปเยี่ยม: {CANCEL_REASON}" and body[3][10] == "ร่าง"
    assert body[4][7] == "ยังไม่ได้บันทึกผลการเยี่ยม" and body[4][10] == "ยังไม่รายงาน"
    assert all(isinstance(r[1], str) for r in body)  # BE dates as text
    row = next(c.row for c in ws["A"] if c.value == 1)
    assert ws.row_dimensions[row].height >= 2 * 24 * 14 / 16  # wrapped findings get the lines they need
    assert ws.print_title_rows and ws.freeze_panes


def test_followups_and_plan_sheets(workbook_path):
    wb = load_workbook(workbook_path)
    texts = rows(wb["ข้อสังเกต"])
    assert (1, COOP_A, NEW_ITEM, "๑๕ ธ.ค. ๒๕๖๙") in texts
    assert (1, COOP_A, OLD_ITEM, "แก้ไขแล้ว") in texts
    assert ("ข้อสังเกตที่พบใหม่ในเดือนนี้ (๑ เรื่อง)", None, None, None) in texts
    plan = wb["แผนเทียบผล"]
    line = next(r for r in rows(plan) if isinstance(r[0], str) and ACTIVITY_TITLE in r[0])
    assert line[:4] == (line[0], "แห่ง", 3, 1) and line[0].startswith("๒.๓ ")
    assert str(line[4]).startswith("=IF(")  # ร้อยละ, computed by the spreadsheet


def test_arabic_digits_follow_the_setting(db, cps_month, tmp_path):
    m = cps_month
    with db.transaction(m.officer.id) as s:
        settings.put(s, m.officer, "print.thai_digits", False)
    wb = load_workbook(export(db, m.officer, tmp_path / "arabic.xlsx", officer_id=m.officer.id))
    assert wb["สรุป"]["A1"].value == TITLE.replace("๒๕๖๙", "2569")
    body = [r for r in rows(wb["การเยี่ยม"]) if isinstance(r[0], int)]
    assert body[0][1:3] == ("10 พ.ย. 2569", "09:30 น.")
    assert not any(c.number_format.startswith(THAI_DIGITS_FORMAT) for c in wb["สรุป"]["B"])


def test_an_empty_month_still_has_every_sheet(db, cps_month, tmp_path):
    wb = load_workbook(export(db, cps_month.officer, tmp_path / "empty.xlsx", officer_id=cps_month.colleague.id))
    assert wb.sheetnames == SHEETS
    assert ("ไม่มีการเยี่ยมในเดือนนี้",) + (None,) * 10 in rows(wb["การเยี่ยม"])


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_opens_every_sheet_and_computes_the_percentage(workbook_path, tmp_path):
    out = tmp_path / "csv"
    # Filter token 12 = -1: every sheet to its own file (LibreOffice 7.2+).
    result = subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to",
                             "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1",
                             "--outdir", str(out), str(workbook_path)], capture_output=True, text=True, timeout=120,
                            check=False)
    files = {p.stem.split("-", 1)[1]: p for p in out.glob("*.csv")}
    assert sorted(files) == sorted(SHEETS), result.stderr
    sheets = {name: list(csv.reader(p.open(encoding="utf-8"))) for name, p in files.items()}
    assert sheets["สรุป"][0][0] == TITLE
    visit = next(r for r in sheets["การเยี่ยม"] if r[0] == "๑")
    assert visit[1] == "๑๐ พ.ย. ๒๕๖๙" and visit[7] == FINDINGS
    line = next(r for r in sheets["แผนเทียบผล"] if ACTIVITY_TITLE in r[0])
    assert line[1:] == ["แห่ง", "๓", "๑", "๓๓"]  # 1 of 3, in Thai digits by the number format
