"""The official action-plan sheet (seed 004) as the app writes it: where each part sits and
the words that mark it. The reader finds the same parts by these words in sheets made by
hand, so writer and reader share them here.

The sheet is an official Thai document whatever the screen language: nothing is translated.
"""

from __future__ import annotations

from app.rules.plan import MONTHS

SHEET_TITLE = "แผนปฏิบัติงาน"

# -- the table (1-based columns) --------------------------------------------------------------
ACTIVITY, TARGET, UNIT, TOTAL_WORK, TOTAL_BAHT = 1, 2, 3, 4, 5
FIRST_MONTH = 6
RESPONSIBLE = FIRST_MONTH + 2 * MONTHS
LAST_COL = RESPONSIBLE


def work_col(month: int) -> int:
    return FIRST_MONTH + 2 * month


def baht_col(month: int) -> int:
    return FIRST_MONTH + 2 * month + 1


ACTIVITY_HEADER = "กิจกรรม/ขั้นตอนของกิจกรรม"
TARGET_HEADER = "เป้าหมาย"
QUANTITY_HEADER = "จำนวน"
UNIT_HEADER = "หน่วย"
TOTAL_HEADER = "รวม"
WORK_HEADER = "งาน"
BAHT_HEADER = "งบ"
QUARTER_HEADER = "ไตรมาส"
RESPONSIBLE_HEADER = "ผู้รับผิดชอบ"
TOTALS_LABEL = "รวมทั้งสิ้น"  # the monthly totals row; a hand-made sheet's "รวม…" row is read the same

# -- the header above the table ---------------------------------------------------------------
RESPONSIBLE_LABEL = "ผู้รับผิดชอบ"
PRACTITIONERS_LABEL = "ผู้ปฏิบัติ"
POSITION_WORD = "ตำแหน่ง"
FIELD_SEPARATOR = " : "

TARGETS_HEADER = "พื้นที่ดำเนินการ/เป้าหมายดำเนินการ"
BUDGET_HEADER = "งบประมาณแยกตามประเภทรายจ่าย"
KPI_HEADER = "ตัวชี้วัดระดับกิจกรรมหลัก"
KPI_TARGET_HEADER = "เป้าหมาย"
TARGETS_TOTAL_LABEL = "รวม"
BUDGET_TOTAL_LABEL = "รวมงบประมาณทั้งสิ้น"
BAHT_WORD = "บาท"
# The block's columns, inclusive: targets (label, quantity, unit), budget (category, amount,
# "บาท"), KPI indicator and its target. They share the table's columns, so they line up.
TARGET_LABEL_COLS = (ACTIVITY, ACTIVITY)
TARGET_QUANTITY_COLS = (TARGET, TARGET)
TARGET_UNIT_COLS = (UNIT, UNIT)
BUDGET_CATEGORY_COLS = (TOTAL_WORK, FIRST_MONTH + 2)
BUDGET_AMOUNT_COLS = (FIRST_MONTH + 3, FIRST_MONTH + 4)
BUDGET_BAHT_COLS = (FIRST_MONTH + 5, FIRST_MONTH + 5)
KPI_COLS = (FIRST_MONTH + 6, LAST_COL - 3)
KPI_TARGET_COLS = (LAST_COL - 2, LAST_COL)

# -- below the table --------------------------------------------------------------------------
SIGN_LINE = "ลงชื่อ"
DOTS = "…" * 14  # where a name or position is written by hand
# Three signature blocks side by side: proposer under the activities, the others under the months.
SIGNATURE_COLS = ((ACTIVITY, TOTAL_BAHT), (FIRST_MONTH, FIRST_MONTH + 11), (FIRST_MONTH + 12, LAST_COL))
NOTE_LINES = (
    "หมายเหตุ งาน : ระบุหน่วยวัดตามกิจกรรมหรือขั้นตอนของกิจกรรม เช่น ครั้ง, แห่ง เป็นต้น",
    "งบ : ให้ระบุหน่วยเป็น บาท",
)
# Words that start the part below the table (signatures and notes) on sheets made by hand.
FOOTER_WORDS = ("ลงชื่อ", "(ลงชื่อ)", "ลายมือชื่อ", "หมายเหตุ", "ผู้เสนอแผน", "ผู้อนุมัติแผน", "ชื่อ-สกุล")
