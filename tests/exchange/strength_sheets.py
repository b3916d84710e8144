"""A strength-classification sheet as the central office sends it: a title whose fiscal year
is in Thai digits, a header over two merged rows (a caption above the four scores and
another above the basic conditions), section headings, a subtotal row, Thai digits in
some scores, an out-of-scope group, an unreadable cell and a registration number that is
not in the registry."""

from __future__ import annotations

from pathlib import Path

from tests.exchange.sheets import write_rows

FY = 2568
TITLE = "ผลการจัดระดับชั้นความเข้มแข็งของสหกรณ์และกลุ่มเกษตรกร"
YEAR_LINE = "สำนักงานสหกรณ์จังหวัดกำแพงเพชร ประจำปีงบประมาณ ๒๕๖๘"
HEADER_TOP = ["ลำดับ", "เลขทะเบียน", "ชื่อสหกรณ์/กลุ่มเกษตรกร", "คะแนนการจัดระดับชั้น", None, None, None,
              "รวม\n(100 คะแนน)", "เงื่อนไขพื้นฐาน", None, None, "ไม่จัดระดับชั้น", "เหตุผล", "ระดับชั้น", "ผู้ประเมิน"]
HEADER_BOTTOM = [None, None, None, "ด้านที่ ๑\nการให้บริการสมาชิก\n(๓๐ คะแนน)",
                 "ด้านที่ 2 ประสิทธิภาพในการดำเนินธุรกิจ (20)", "ด้านที่ 3 การจัดการองค์กร (20 คะแนน)",
                 "ด้านที่ 4\nการบริหารงาน (30 คะแนน)", None, "ปิดบัญชี", "ประชุมใหญ่", "เสนองบการเงิน"]
HEADER_MERGES = ("A1:O1", "A2:O2", "A3:A4", "B3:B4", "C3:C4", "D3:G3", "H3:H4", "I3:K3", "L3:L4", "M3:M4",
                 "N3:N4", "O3:O4")
HEADING_MERGES = ("A5:O5", "A10:O10")  # the section headings of ROWS

# The registry these rows refer to: reg_no, name, kind, coop_type.
INSTITUTIONS = (
    ("1/2530", "สหกรณ์การเกษตรเมืองกำแพงเพชร จำกัด", "coop", "agriculture"),
    ("2/2535", "สหกรณ์การเกษตรคลองขลุง จำกัด", "coop", "agriculture"),
    ("3/2540", "สหกรณ์ออมทรัพย์ครูกำแพงเพชร จำกัด", "coop", "savings"),
    ("4/2545", "กลุ่มเกษตรกรทำนาไทรงาม", "farmer_group", None),
    ("5/2550", "กลุ่มเกษตรกรทำสวนคลองลาน", "farmer_group", None),
)

ROWS: dict[int, list] = {  # sheet row → cells from column A
    5: ["สหกรณ์ภาคการเกษตร"],  # a section heading merged across the row
    # 89.50 → class 1, as published; registration number and two scores in Thai digits
    6: ["๑", "๑/๒๕๓๐", "สหกรณ์การเกษตรเมืองกำแพงเพชร จำกัด", "๒๘", "๑๗.๕๐", 18, 26, "89.50", "✓", "✓", "✓",
        None, None, "1", "นายสมปอง"],
    # 79.50 → class 2, but published as class 1: the difference the import is for
    7: [2, "2/2535", "สหกรณ์การเกษตรคลองขลุง จำกัด", 25, 15, 15, "24.5", 79.5, "ใช่", "ใช่", "ใช่", None, None,
        "ชั้น ๑", None],
    # 69 is class 2 for a savings coop, but no AGM: class 3, as published. The name is shortened.
    8: [3, "3/2540", "สหกรณ์ออมทรัพย์ครู จำกัด", 22, 14, 13, 20, 69, "/", "ไม่", "-", None, None, 3, None],
    9: [None, None, "รวมสหกรณ์ภาคการเกษตร ๓ แห่ง", "75", "46.5", "46", "70.5", "238", None, None, None, None, None,
        None, None],
    10: ["กลุ่มเกษตรกร"],
    11: [4, "4/2545", "กลุ่มเกษตรกรทำนาไทรงาม", None, None, None, None, None, None, None, None, "✓",
          "จัดตั้งไม่ถึงหนึ่งปีบัญชี", "ไม่จัดระดับชั้น", None],
    12: [5, "5/2550", "กลุ่มเกษตรกรทำสวนคลองลาน", "๒๕", "1O", 15, 25, 80, "✓", "✓", "✓", None, None, 2, None],
    13: [6, "9/2599", "สหกรณ์ที่ไม่มีในทะเบียน จำกัด", 20, 10, 10, 20, 60, "✓", "✓", "✓", None, None, 3, None],
}
REJECTED = {
    12: 'คะแนนด้านประสิทธิภาพในการดำเนินธุรกิจอ่านไม่ได้: "1O" (แถว 12 คอลัมน์ E)',
    13: "ไม่พบเลขทะเบียน 9/2599 ในทะเบียน (แถว 13 คอลัมน์ B)",
}
SKIPPED = {5: "สหกรณ์ภาคการเกษตร", 9: "รวมสหกรณ์ภาคการเกษตร ๓ แห่ง", 10: "กลุ่มเกษตรกร"}


def strength_sheet(path: Path, *, year_line: str | None = YEAR_LINE, rows: dict[int, list] | None = None,
                   changes: dict[str, object] | None = None, sheet_title: str = "ผลจัดชั้น 68") -> Path:
    """The sheet above (or with other data rows); `changes` sets single cells, e.g. {"E7": 16}."""
    content = {1: [TITLE], 2: [year_line], 3: HEADER_TOP, 4: HEADER_BOTTOM, **(ROWS if rows is None else rows)}
    merges = HEADER_MERGES + (HEADING_MERGES if rows is None else ())
    write_rows(path, content, merges=merges, title=sheet_title)
    if changes:
        from openpyxl import load_workbook

        wb = load_workbook(path)
        for ref, value in changes.items():
            wb.active[ref] = value
        wb.save(path)
    return path
