"""Workbooks built the way offices really keep their lists: titles, merged cells, Thai digits."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from openpyxl import Workbook

# Header of the messy list, row 4: other order than the export, stray spaces and line breaks,
# an unknown column (G), and "ที่ตั้ง" merged over P:Q.
MESSY_HEADER = [
    "ที่", "ชื่อ\nสหกรณ์", " ทะเบียน  เลขที่ ", "ประเภท", "อำเภอ", "จำนวน สมาชิก\n(คน)", "ทุนเรือนหุ้น",
    "วันที่จดทะเบียน", "วันสิ้นปี ทางบัญชี", "สถานภาพ", "เจ้าหน้าที่ผู้รับผิดชอบ", "กลุ่ม", "ระดับชั้น",
    "ผลการจัดมาตรฐาน", "ปริมาณธุรกิจ (บาท)", "ที่ตั้ง", None,
]
MESSY_ROWS = {  # sheet row → cells from column A
    6: ["สหกรณ์การเกษตร"],  # a section caption, merged across the row below
    7: ["๑", "สหกรณ์การเกษตรเมืองกำแพงเพชร จำกัด", "๑/๒๕๓๐", "สหกรณ์การเกษตร", "อ.เมืองกำแพงเพชร", "๑,๒๓๔",
        "5,000,000", "15 มี.ค. 2530", "31 มี.ค.", "ดำเนินการ", "นางสาวสมศรี ใจดี", "กลุ่มส่งเสริมสหกรณ์ 1",
        "ชั้น ๒", "ผ่าน", "12,345,678.50", "1 ถ.เทศบาล ต.ในเมือง", None],
    8: [2, "สหกรณ์ออมทรัพย์ครูกำแพงเพชร จำกัด", "2/2535", "ออมทรัพย์", "อำเภอ เมืองกำแพงเพชร", 2500,
        "-", datetime(1992, 6, 1), "30/9", "ดำเนินการ", "officer1", "-", 1, "ไม่ผ่าน", 987654.25, "-", None],
    10: ["3", "กลุ่มเกษตรกรทำนาไทรงาม", "3/2545", "กลุ่มเกษตรกร", "ไทรงาม", " 45 ", None,
         datetime(2545, 1, 10), "31 ธันวาคม", "หยุดดำเนินการ", None, None, "ไม่จัดระดับชั้น", "ไม่นำมาจัดมาตรฐาน",
         "-", None, None],
    11: ["4", None, "4/2550", "บริการ", "คลองลาน", "30"],
    12: ["5", "สหกรณ์บริการคลองขลุง จำกัด", "5/2551", "บริการ", "คลองขลุง", "12a"],
    13: ["6", "สหกรณ์ร้านค้าลานกระบือ จำกัด", "6/2552", "ร้านค้า", "อ.บางบัวทอง", "80"],
    14: ["7", "สหกรณ์อวกาศ จำกัด", "7/2553", "สหกรณ์อวกาศ", "พรานกระต่าย", "15"],
    15: ["8", "สหกรณ์ซ้ำ จำกัด", "๒/๒๕๓๕", "ร้านค้า", "พรานกระต่าย", "15"],
    16: [None, "รวม", None, None, None, "3,779"],
}
MESSY_REJECTED = {
    11: "ไม่มีชื่อสหกรณ์/กลุ่มเกษตรกร (คอลัมน์ B)",
    12: 'จำนวนสมาชิก "12a" ไม่ใช่ตัวเลข (คอลัมน์ F)',
    13: 'ไม่พบอำเภอ "อ.บางบัวทอง" ในจังหวัดกำแพงเพชร (คอลัมน์ E)',
    14: 'ประเภท "สหกรณ์อวกาศ" ไม่รู้จัก (เช่น สหกรณ์การเกษตร สหกรณ์ออมทรัพย์ กลุ่มเกษตรกร) (คอลัมน์ D)',
    15: "เลขทะเบียน 2/2535 ซ้ำกับแถว 8 (คอลัมน์ C)",
}


def write_rows(path: Path, rows: dict[int, list], *, merges: tuple[str, ...] = (), title: str = "Sheet1") -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = title
    for r, cells in rows.items():
        for c, value in enumerate(cells, start=1):
            if value is not None:
                ws.cell(r, c, value)
    for rng in merges:
        ws.merge_cells(rng)
    wb.save(path)
    return path


def messy_list(path: Path) -> Path:
    rows = {
        1: ["สำนักงานสหกรณ์จังหวัดกำแพงเพชร"],
        2: ["ทะเบียนสหกรณ์และกลุ่มเกษตรกร ข้อมูลปีงบประมาณ ๒๕๖๗"],
        4: MESSY_HEADER,
        **MESSY_ROWS,
    }
    return write_rows(path, rows, merges=("A1:Q1", "P4:Q4", "A6:Q6"), title="ทะเบียน 67")


def simple_list(path: Path, rows: list[list], header: tuple[str, ...] = ("เลขทะเบียน", "ชื่อสหกรณ์", "ประเภท",
                                                                         "อำเภอ", "จำนวนสมาชิก")) -> Path:
    """A header on row 1 and the given rows under it."""
    return write_rows(path, {1: list(header), **{i: r for i, r in enumerate(rows, start=2)}})


def two_row_header_list(path: Path) -> Path:
    """Header over rows 3-4 made of merged cells: vertical merges, a caption over the yearly
    columns that names the fiscal year, and "วันที่"/"จดทะเบียน" split over the two rows."""
    rows = {
        1: ["รายชื่อสหกรณ์ในความรับผิดชอบ"],
        3: ["ลำดับ", "เลขทะเบียน", "ชื่อสหกรณ์", "ประเภท", "วันที่", "ผลการดำเนินงาน ปีงบประมาณ 2566", None, None],
        4: [None, None, None, None, "จดทะเบียน", "ระดับชั้น", "ร้อยละการมีส่วนร่วม", "กำไร (ขาดทุน) สุทธิ"],
        5: [1, "10/2555", "สหกรณ์การเกษตรคลองลาน จำกัด", "การเกษตร", "1/2/2555", "3", "64.5", "(12,000.00)"],
        6: [2, "11/2556", "สหกรณ์บริการขาณุวรลักษบุรี จำกัด", "บริการ", date(2013, 5, 2), 2, 0.7, 5000],
    }
    path = write_rows(path, rows, merges=("A3:A4", "B3:B4", "C3:C4", "D3:D4", "F3:H3"))
    from openpyxl import load_workbook

    wb = load_workbook(path)
    wb.active["G6"].number_format = "0%"  # 70 % typed into a percent cell is stored as 0.7
    wb.save(path)
    return path
