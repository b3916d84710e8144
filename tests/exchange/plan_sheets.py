"""Plans for the Excel exchange tests: a filled-in template document, and an official sheet
made by hand in the shape of seed 004 (Thai digits, merged headers, OCR slips, errors)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook

from app.rules.plan import MonthCell
from app.rules.plan.document import BudgetLine, KpiLine, Person, PlanDocument, TargetLine
from app.services import plans

FY = 2569
MEETING_TITLE = "ประชุมเจ้าหน้าที่ส่งเสริมสหกรณ์"  # the template's (๑) under แผนการใช้จ่ายงบประมาณ


def seven_meetings() -> tuple[MonthCell, ...]:
    """Seed 004's row (๑): 7 meetings of 1,750 baht in Nov–Mar, May and Jul."""
    return tuple(MonthCell(1, Decimal("1750.00")) if m in (1, 2, 3, 4, 5, 7, 9) else MonthCell() for m in range(12))


def filled_document(fiscal_year: int = FY, unit_name: str = "กลุ่มส่งเสริมสหกรณ์ ๑") -> PlanDocument:
    """The template with every part of the sheet used: months, targets, people, budget."""
    doc = plans.template_document(fiscal_year, unit_name)
    rows = []
    for i, a in enumerate(doc.sheet.activities):
        if a.title == MEETING_TITLE:
            a = replace(a, months=seven_meetings(), target_quantity=7, responsible="นายสมปอง รักงาน")
        elif a.unit and not a.is_heading:
            months = tuple(MonthCell(1, Decimal("450.50") * (i % 3)) if m % 3 == 1 else MonthCell() for m in range(12))
            a = replace(a, months=months, target_quantity=4, responsible="=ทีมงาน กลุ่ม ๑")  # text, not a formula
        rows.append(a)
    header = replace(
        doc.header, office_name="สำนักงานสหกรณ์จังหวัดกำแพงเพชร",
        responsible=Person("นางสาวอนมร สิงห์พันธ์", "ผู้อำนวยการกลุ่มส่งเสริมสหกรณ์ ๑"),
        practitioners=(Person("นายอนเดช สมบัติ", "นวส.ชก."), Person("นางฉวีพร ชำฉวี", "")),
        targets=(TargetLine("สหกรณ์", 50, "แห่ง"), TargetLine("กลุ่มเกษตรกร", None, "แห่ง")),
        budget_lines=(BudgetLine("งบบุคลากร", Decimal("50200.00")), BudgetLine("งบดำเนินงาน", None)),
        kpis=(KpiLine("สหกรณ์ผ่านเกณฑ์มาตรฐาน", "ร้อยละ ๕๐"), KpiLine("กลุ่มเกษตรกรผ่านเกณฑ์มาตรฐาน")),
        proposer=Person("นางสาวดลิตา รัตนกุล", "นักวิชาการสหกรณ์ปฏิบัติการ"),
        lead=Person("นางสาวธนกร สิงห์พันธ์", ""),
    )
    sheet = replace(doc.sheet, activities=tuple(rows), budget_total=Decimal("50200.00"))
    return replace(doc, header=header, sheet=sheet, revision_label="แผนปฏิบัติงานครั้งที่ ๑ (ต.ค. – ธ.ค.)")


# -- a sheet made by hand, seed 004's shape ---------------------------------------------------

MONTH_LABELS = ("ค.ค.", "พ.ย.", "ธ.ค.", "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.")
# Columns: A activity, B:C เป้าหมาย (งาน, งบ), D blank, months from E, one blank column (Y)
# between ก.ค. and ส.ค. as in the seed, responsible last.
MONTH_COLS = tuple((5 + 2 * m, 6 + 2 * m) if m < 10 else (6 + 2 * m, 7 + 2 * m) for m in range(12))
RESPONSIBLE_COL = 31
HEADER_ROW = 16
MEETING_ROW = 32  # "(๑) ประชุมผู้ส่งเสริมสหกรณ์": 13,650 stated, 7 × 1,750 = 12,250 in the months
BAD_CELL_ROW = 25  # "12a" in ม.ค. งาน
TOTALS_ROW = 35


def _months(pairs: dict[int, tuple[object, object]]) -> dict[int, object]:
    cells: dict[int, object] = {}
    for m, (work, baht) in pairs.items():
        cells[MONTH_COLS[m][0]], cells[MONTH_COLS[m][1]] = work, baht
    return cells


def _row(title: str, target: object = None, total: object = None, months=None, responsible=None) -> dict[int, object]:
    cells = {1: title, 2: target, 3: total, **_months(months or {})}
    if responsible:
        cells[RESPONSIBLE_COL] = responsible
    return cells


def hand_made_sheet(path: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "แผน ๖๖"
    put = lambda r, c, v: ws.cell(r, c, v)  # noqa: E731
    lines = {
        1: "แผนปฏิบัติงานและงบประมาณรายจ่ายประจำปีงบประมาณ พ.ศ. ๒๕๖๖ (Action Plan)",
        2: "สำนักงานสหกรณ์จังหวัดกำแพงเพชร",
        4: "งาน/โครงการ ส่งเสริมและพัฒนาสหกรณ์/กลุ่มเกษตรกรให้มีความเข้มแข็งตามศักยภาพ",
        5: "วัตถุประสงค์ : เพื่อแนะนำ ส่งเสริม สนับสนุน พัฒนาและกำกับสหกรณ์/กลุ่มเกษตรกรให้มีความเข้มแข็ง",
        6: "หน่วยงานที่รับผิดชอบ : กลุ่มส่งเสริมสหกรณ์ ๑",
        7: "ผู้รับผิดชอบ : นางสาวอนมร สิงห์พันธ์ ผู้อำนวยการกลุ่มส่งเสริมสหกรณ์ ๑",
        8: "ผู้ปฏิบัติ : นางสาวอนมร สิงห์พันธ์ ตำแหน่ง จชส.อ., นางสาวอุษิตา รัตนกุล ตำแหน่ง นส.ป.ก.,",
        9: "นายอนเดช สมบัติ ตำแหน่ง นส.ป.ก.",
    }
    for r, text in lines.items():
        put(r, 1, text)
    ws.merge_cells("A1:AE1")
    # Targets | budget by category | KPIs | KPI target, as in the seed (one text per cell)
    block = {
        11: ["พื้นที่ดำเนินการ/เป้าหมายดำเนินการ", None, "งบประมาณแยกตามประเภทรายจ่าย", "ตัวชี้วัดระดับกิจกรรมหลัก",
             "เป้าหมาย"],
        12: ["๑. สหกรณ์", "๕๐ แห่ง", "- งบบุคลากร ๕๐,๒๐๐.๐๐ บาท", "ดำเนินการบริหารงาน", "ร้อยละ ๑๐๐"],
        13: ["๒. กลุ่มเกษตรกร", "๑ แห่ง", "- งบดำเนินงาน - บาท", "สหกรณ์ผ่านเกณฑ์มาตรฐาน", None],
        14: ["รวม", "๕๑ แห่ง", "รวมงบประมาณทั้งสิ้น ๗๘,๘๐๐.๐๐ บาท", None, "๕๑ แห่ง"],
    }
    for r, (label, quantity, budget, kpi, kpi_target) in block.items():
        for c, v in ((1, label), (2, quantity), (3, budget), (7, kpi), (23, kpi_target)):
            put(r, c, v)
    ws.merge_cells("A11:B11")
    ws.merge_cells("C11:F11")
    ws.merge_cells("G11:V11")
    # The table header: ไตรมาส over months over งาน/งบ, merged as offices do
    h = HEADER_ROW
    put(h, 1, "กิจกรรม/ขั้นตอนของกิจกรรม")
    ws.merge_cells(start_row=h, start_column=1, end_row=h + 2, end_column=1)
    put(h, 2, "เป้าหมาย")
    ws.merge_cells(start_row=h, start_column=2, end_row=h, end_column=3)
    put(h + 1, 2, "งาน")
    put(h + 1, 3, "งบ")
    for q in range(4):
        first, last = MONTH_COLS[3 * q][0], MONTH_COLS[3 * q + 2][1]
        put(h, first, f"ไตรมาส {'๑๒๓๔'[q]}")
        ws.merge_cells(start_row=h, start_column=first, end_row=h, end_column=last)
    for m, (work, baht) in enumerate(MONTH_COLS):
        put(h + 1, work, MONTH_LABELS[m])
        ws.merge_cells(start_row=h + 1, start_column=work, end_row=h + 1, end_column=baht)
        put(h + 2, work, "งาน")
        put(h + 2, baht, "งบ")
    put(h, RESPONSIBLE_COL, "ผู้รับผิดชอบ (ให้ระบุให้ชัดเจน)")
    ws.merge_cells(start_row=h, start_column=RESPONSIBLE_COL, end_row=h + 2, end_column=RESPONSIBLE_COL)

    one = {m: ("๑", "-") for m in range(6)}
    five = {m: ("๑", None) for m in (1, 2, 4, 5, 7)}
    five[3] = ("12a", None)  # ม.ค.: not a number
    body = {
        19: _row("แผนงานด้านการส่งเสริมและพัฒนาองค์กร"),
        20: _row("การส่งเสริมให้สหกรณ์มีระดับความเข้มแข็งในระดับ ๑ และระดับ ๒"),
        21: _row("๒ การดำเนินงานตามแผน"),
        22: _row("๒.๓ เข้าร่วมประชุมคณะกรรมการ แนะนำแนวทางการยกระดับชั้นความเข้มแข็ง"),
        23: _row("๒.๓.๑ วิทยากรระดับชั้นความเข้มแข็งสหกรณ์ที่อยู่ในระดับชั้น ๑ จำนวน ๑๑ แห่ง", "๑๑ แห่ง", "-"),
        24: _row("(๑) สหกรณ์ภาคการเกษตร", "๖ แห่ง", "-", one, "นางสาวอุษิตา รัตนกุล"),
        BAD_CELL_ROW: _row("(๒) สหกรณ์นอกภาคการเกษตร", "๕ แห่ง", "-", five),
        26: _row("๔ การประเมินผล และการปรับปรุงการดำเนินงาน"),
        27: _row("๔.๑ วิเคราะห์ผลสำเร็จของการดำเนินงาน ปัญหาอุปสรรค", "๑๐ ครั้ง", "-",
                 {m: ("-" if m < 2 else "๑", "-") for m in range(12)}),
        30: _row("แผนการใช้จ่ายงบประมาณ"),
        31: _row("กสส.๓"),
        MEETING_ROW: _row("(๑) ประชุมผู้ส่งเสริมสหกรณ์", "๗ ครั้ง", "๑๓,๖๕๐",
                          {m: ("๑", "๑,๗๕๐") for m in (1, 2, 3, 4, 5, 7, 9)}),
        33: _row("(๒) เป็นเจ้าภาพจัดการและดำเนินงานราชการในการออกพื้นที่เพื่อแนะนำส่งเสริมสหกรณ์",
                 "๕๐ แห่ง/๑ กลุ่ม", "๕๔,๐๐๐", {m: ("๔", "๔,๕๐๐") for m in range(12)}),
        34: _row("(๓) ค่าวัสดุ", "๑๒ เดือน", "๑๒,๕๕๐", {m: ("-", "๑,๕๕๐" if m == 5 else "๑,๐๐๐") for m in range(12)}),
    }
    for r, cells in body.items():
        for c, v in cells.items():
            if v is not None:
                put(r, c, v)
    ws.merge_cells("A19:AE19")  # a heading merged across the whole row
    # The header again, as on the second page of the seed
    put(28, 1, "กิจกรรม/ขั้นตอนของกิจกรรม")
    for q in range(4):
        put(28, MONTH_COLS[3 * q][0], f"ไตรมาส {'๑๒๓๔'[q]}")
    for m, (work, _baht) in enumerate(MONTH_COLS):
        put(29, work, MONTH_LABELS[m])
    month_totals = [Decimal(4500) + (Decimal(1550) if m == 5 else Decimal(1000))
                    + (Decimal(1750) if m in (1, 2, 3, 4, 5, 7, 9) else 0) for m in range(12)]
    put(TOTALS_ROW, 1, "รวมแผนการใช้จ่ายงบประมาณ (บาท)")
    put(TOTALS_ROW, 3, "๘๐,๒๕๐")  # the seed's own slip: the months add up to 78,800
    for m, amount in enumerate(month_totals):
        put(TOTALS_ROW, MONTH_COLS[m][1], f"{amount:,}".translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")))
    signatures = {
        37: "ลายมือชื่อผู้เสนอแผน ดลิตา รัตนกุล", 38: "ชื่อ - สกุล (นางสาวดลิตา รัตนกุล)",
        39: "ตำแหน่ง นักวิชาการสหกรณ์ปฏิบัติการ",
        41: "ลายมือชื่อผู้รับผิดชอบโครงการ ธนกร สิงห์พันธ์", 42: "ชื่อ - สกุล (นางสาวธนกร สิงห์พันธ์)",
        43: "ตำแหน่ง เจ้าหน้าที่งานส่งเสริมสหกรณ์อาวุโส",
        45: "ผู้อนุมัติแผน ประเสริฐศักดิ์ อนุสร", 46: "ชื่อ - สกุล (นายประเสริฐศักดิ์ อนุสร)",
        47: "ตำแหน่ง สหกรณ์จังหวัดกำแพงเพชร",
        49: "หมายเหตุ งาน : ระบุหน่วยวัดตามกิจกรรมหรือขั้นตอนของกิจกรรม เช่น ครั้ง, แห่ง เป็นต้น",
    }
    for r, text in signatures.items():
        put(r, 1, text)
    wb.save(path)
    return path
