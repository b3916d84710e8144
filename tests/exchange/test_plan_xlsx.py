"""The action plan workbook: the official layout, its exact read-back, LibreOffice, and
official sheets made by hand (seed 004's shape)."""

from __future__ import annotations

import csv
import shutil
import subprocess
from dataclasses import replace
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from app.errors import FileFormatError
from app.exchange.plan_xlsx import read_plan, write_plan
from app.rules.plan import (
    MONTH_TOTAL_MISMATCH,
    ROW_TOTAL_MISMATCH,
    UNPARSED_CELL,
    MonthCell,
    StatedCell,
    content_fingerprint,
    validate,
    year_total,
)
from app.rules.plan.document import Approval, Person
from tests.exchange.plan_sheets import (
    BAD_CELL_ROW,
    HEADER_ROW,
    MEETING_ROW,
    MEETING_TITLE,
    TOTALS_ROW,
    filled_document,
    hand_made_sheet,
)


@pytest.fixture(scope="module")
def doc():
    return filled_document()


@pytest.fixture(scope="module")
def exported(doc, tmp_path_factory):
    path = tmp_path_factory.mktemp("plan") / "แผน.xlsx"
    write_plan(doc, path, group_id="group-1")
    return path


def test_the_export_reads_back_to_the_identical_document(doc, exported):
    read = read_plan(exported)
    assert read.own and read.group_id == "group-1" and read.problems == ()
    assert read.document == doc
    assert content_fingerprint(read.document.sheet) == content_fingerprint(doc.sheet)
    assert [a.key for a in read.document.sheet.activities] == [a.key for a in doc.sheet.activities]


def test_thai_digits_stated_totals_and_an_approval_read_back_too(doc, tmp_path):
    rows = tuple(replace(a, stated_total_baht=Decimal("13650.00")) if a.title == MEETING_TITLE else a
                 for a in doc.sheet.activities)
    stated = tuple(StatedCell(None, Decimal("1750.00") if m else None) for m in range(12))
    sheet = replace(doc.sheet, activities=rows, stated_month_totals=stated, stated_total=StatedCell(3, None),
                    budget_total=None)
    approved = replace(doc, sheet=sheet, state="approved", revision=2)
    at = datetime(2025, 10, 3, 2, 30, tzinfo=timezone.utc)
    stamp = Approval(Person("นายประเสริฐศักดิ์ อนุสร", "สหกรณ์จังหวัด"), at, content_fingerprint(approved.sheet)[:12])
    approved = replace(approved, approval=stamp)
    path = tmp_path / "approved.xlsx"
    write_plan(approved, path, thai_digits=True)
    read = read_plan(path).document
    assert read == approved
    assert validate(read.sheet) == validate(approved.sheet)
    ws = load_workbook(path)["แผนปฏิบัติงาน"]
    meeting = _row_of(ws, "(๑) ประชุม")
    assert ws.cell(meeting, 5).value == 13650  # stated, as the plan says it
    assert ws.cell(meeting, 7).number_format.startswith("[$-D00041E]")  # Thai digits in Excel and LibreOffice

    # Edited in Excel: the content no longer is what was approved, so the approval does not travel.
    wb = load_workbook(path)
    wb["แผนปฏิบัติงาน"].cell(meeting, 8).value = 2
    wb.save(path)
    edited = read_plan(path).document
    assert edited.state == "draft" and edited.approval is None and edited.revision == 2
    assert next(a for a in edited.sheet.activities if a.title == MEETING_TITLE).months[1].work == 2


def _row_of(ws, prefix: str) -> int:
    return next(r for r in range(1, ws.max_row + 1) if str(ws.cell(r, 1).value or "").startswith(prefix))


def test_the_official_layout(doc, exported):
    wb = load_workbook(exported)
    assert wb.sheetnames == ["แผนปฏิบัติงาน", "coopdesk"] and wb["coopdesk"].sheet_state == "veryHidden"
    ws = wb["แผนปฏิบัติงาน"]
    assert ws["A1"].value == doc.sheet.title and ws["A1"].font.b and ws["A1"].font.name == "TH Sarabun New"
    assert ws["A2"].value == "สำนักงานสหกรณ์จังหวัดกำแพงเพชร"
    labels = [ws.cell(r, 1).value for r in range(1, 20)]
    assert "วัตถุประสงค์ : " + doc.header.objective in labels
    assert "ผู้ปฏิบัติ : นายอนเดช สมบัติ ตำแหน่ง นวส.ชก., นางฉวีพร ชำฉวี" in labels
    top = _row_of(ws, "กิจกรรม/ขั้นตอน")
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {f"A{top}:A{top + 2}", f"F{top}:K{top}", f"F{top + 1}:G{top + 1}", f"AB{top + 1}:AC{top + 1}"} <= merged
    assert [ws.cell(top + 1, c).value for c in (6, 8, 28)] == ["ต.ค.", "พ.ย.", "ก.ย."]
    assert [ws.cell(top, 6).value, ws.cell(top + 2, 6).value, ws.cell(top + 2, 7).value] == ["ไตรมาส 1", "งาน", "งบ"]
    r = _row_of(ws, "(๑) ประชุม")
    assert ws.cell(r, 1).alignment.indent > 0 and ws.cell(r, 1).border.left.style == "thin"
    assert ws.cell(r, 2).value == 7 and ws.cell(r, 3).value == "ครั้ง"
    assert ws.cell(r, 8).value == 1 and ws.cell(r, 9).value == 1750
    assert ws.cell(r, 9).number_format.startswith("#,##0.00")
    assert ws.cell(r, 8).number_format.startswith("#,##0;")
    assert ws.cell(r, 4).value == "=SUM(F{0},H{0},J{0},L{0},N{0},P{0},R{0},T{0},V{0},X{0},Z{0},AB{0})".format(r)
    heading = _row_of(ws, "แผนงานด้านการส่งเสริม")
    assert ws.cell(heading, 1).font.b and ws.cell(heading, 5).value.startswith("=SUM(")
    totals = _row_of(ws, "รวมทั้งสิ้น")
    assert ws.cell(totals, 9).value == f"=SUM(I{top + 3}:I{totals - 1})"
    assert ws.cell(r, 30).value == "นายสมปอง รักงาน"
    texts = [c.data_type for c in ws[_row_of(ws, "๑.๑ ")] if c.value == "=ทีมงาน กลุ่ม ๑"]
    assert texts == ["s"]  # a name starting with "=" stays text
    signatures = [ws.cell(r, 1).value for r in range(totals, ws.max_row + 1)]
    assert "(นางสาวดลิตา รัตนกุล)" in signatures and "ตำแหน่ง นักวิชาการสหกรณ์ปฏิบัติการ" in signatures
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == f"${top}:${top + 2}"
    assert ws.freeze_panes == "B1"


def test_lines_added_or_edited_in_excel_keep_the_other_keys(doc, exported, tmp_path):
    wb = load_workbook(exported)
    ws = wb["แผนปฏิบัติงาน"]
    r = _row_of(ws, "๑.๒ ")
    ws.insert_rows(r)  # a new line above ๑.๒: everything below moves down
    ws.cell(r, 1).value = "๑.๓ ประชุมเพิ่มเติม"
    ws.cell(r, 8).value = 3
    ws.cell(_row_of(ws, "๑.๑ "), 1).value = "๑.๑ ชื่อใหม่"
    path = tmp_path / "edited.xlsx"
    wb.save(path)
    read = read_plan(path).document.sheet
    keys = {a.key for a in doc.sheet.activities}
    added = [a for a in read.activities if a.key not in keys]
    assert [(a.number, a.title, a.months[1].work) for a in added] == [("๑.๓", "ประชุมเพิ่มเติม", 3)]
    renamed = next(a for a in read.activities if a.number == "๑.๑")
    assert renamed.title == "ชื่อใหม่" and renamed.key == doc.sheet.activities[3].key
    assert len(read.activities) == len(doc.sheet.activities) + 1


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_opens_the_export_and_computes_the_totals(doc, exported, tmp_path):
    def convert(to: str) -> Path:
        out = tmp_path / to.split(":")[0]
        result = subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless",
                                 "--convert-to", to, "--outdir", str(out), str(exported)],
                                capture_output=True, text=True, timeout=120)
        converted = next(out.glob("*"), None)
        assert converted is not None, result.stderr
        return converted

    rows = list(csv.reader(convert("csv:Text - txt - csv (StarCalc):44,34,76").open(encoding="utf-8")))
    text = "\n".join(",".join(r) for r in rows)
    assert all(a.title in text for a in doc.sheet.activities)
    meeting = next(r for r in rows if r[0].startswith("(๑) ประชุม"))
    assert meeting[3:5] == ["7", "12,250.00"]  # the row totals, computed by LibreOffice
    total = year_total(doc.sheet)
    totals = next(r for r in rows if r[0] == "รวมทั้งสิ้น")
    assert totals[3:5] == [f"{total.work:,}", f"{total.baht:,.2f}"]
    heading = next(r for r in rows if r[0] == "แผนงานด้านการส่งเสริมและพัฒนาองค์กร")
    assert heading[4] == f"{total.baht:,.2f}"  # a heading's total is its whole section
    # Saved again by LibreOffice (formulas now carry cached values): still the same plan.
    assert read_plan(convert("xlsx")).document == doc


def test_a_sheet_made_by_hand_in_seed_004s_shape(tmp_path):
    read = read_plan(hand_made_sheet(tmp_path / "แผน ๖๖.xlsx"))
    doc, sheet = read.document, read.document.sheet
    assert not read.own and read.header_row == HEADER_ROW and read.problems == ()
    assert sheet.fiscal_year == 2566 and sheet.title.startswith("แผนปฏิบัติงานและงบประมาณ")
    h = doc.header
    assert h.office_name == "สำนักงานสหกรณ์จังหวัดกำแพงเพชร" and h.unit_name == "กลุ่มส่งเสริมสหกรณ์ ๑"
    assert h.project == "ส่งเสริมและพัฒนาสหกรณ์/กลุ่มเกษตรกรให้มีความเข้มแข็งตามศักยภาพ"
    assert h.responsible == Person("นางสาวอนมร สิงห์พันธ์", "ผู้อำนวยการกลุ่มส่งเสริมสหกรณ์ ๑")
    assert [p.position for p in h.practitioners] == ["จชส.อ.", "นส.ป.ก.", "นส.ป.ก."]
    assert [(t.label, t.quantity, t.unit) for t in h.targets] == [("สหกรณ์", 50, "แห่ง"), ("กลุ่มเกษตรกร", 1, "แห่ง")]
    assert [(b.category, b.amount) for b in h.budget_lines] == [("งบบุคลากร", Decimal("50200.00")),
                                                                 ("งบดำเนินงาน", None)]
    assert sheet.budget_total == Decimal("78800.00") and h.kpis[0].target == "ร้อยละ ๑๐๐"
    assert h.approver == Person("นายประเสริฐศักดิ์ อนุสร", "สหกรณ์จังหวัดกำแพงเพชร")

    rows = {a.title: a for a in sheet.activities}
    assert [a.title for a in sheet.activities if a.is_heading] == [
        "แผนงานด้านการส่งเสริมและพัฒนาองค์กร", "การส่งเสริมให้สหกรณ์มีระดับความเข้มแข็งในระดับ ๑ และระดับ ๒",
        "แผนการใช้จ่ายงบประมาณ", "กสส.๓"]  # the repeated header between them is skipped
    assert [a.number for a in sheet.activities if not a.is_heading][:6] == ["๒", "๒.๓", "๒.๓.๑", "(๑)", "(๒)", "๔"]
    meeting = rows["ประชุมผู้ส่งเสริมสหกรณ์"]
    assert (meeting.target_quantity, meeting.unit, meeting.stated_total_baht) == (7, "ครั้ง", Decimal("13650.00"))
    assert meeting.months[0] == MonthCell() and meeting.months[1] == MonthCell(1, Decimal("1750"))  # "ค.ค." is ต.ค.
    host = next(a for t, a in rows.items() if t.startswith("เป็นเจ้าภาพ"))
    assert (host.target_quantity, host.unit) == (50, "แห่ง/๑ กลุ่ม")
    assert rows["สหกรณ์ภาคการเกษตร"].responsible == "นางสาวอุษิตา รัตนกุล"

    findings = validate(sheet)
    assert [f.kind for f in findings] == [UNPARSED_CELL, ROW_TOTAL_MISMATCH, MONTH_TOTAL_MISMATCH]
    bad, row_total, grand = findings
    assert bad.where == "กิจกรรม ๒.๓.๑ (๒) เดือน ม.ค. (งาน)" and bad.text == "12a"
    assert read.places.of(bad) == f"แถว {BAD_CELL_ROW} คอลัมน์ K"
    assert row_total.where == "กิจกรรม (๑) “ประชุมผู้ส่งเสริมสหกรณ์” (รวมงบ)"
    assert (row_total.stated, row_total.computed) == (Decimal(13650), Decimal(12250))
    assert read.places.of(row_total) == f"แถว {MEETING_ROW} คอลัมน์ C"
    assert (grand.stated, grand.computed) == (Decimal(80250), Decimal(78800))
    assert read.places.of(grand) == f"แถว {TOTALS_ROW} คอลัมน์ C"


def test_files_that_are_no_plan_are_refused_with_one_sentence(tmp_path):
    garbage = tmp_path / "plan.xlsx"
    garbage.write_bytes(b"\x00garbage" * 50)
    with pytest.raises(FileFormatError, match="plan.xlsx"):
        read_plan(garbage)
    from openpyxl import Workbook

    wb = Workbook()
    wb.active["A1"] = "ทะเบียนสหกรณ์"
    wb.save(tmp_path / "other.xlsx")
    with pytest.raises(FileFormatError) as info:
        read_plan(tmp_path / "other.xlsx")
    assert "other.xlsx" in info.value.message and "\n" not in info.value.message
