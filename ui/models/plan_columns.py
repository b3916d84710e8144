"""The columns of the plan grid and how a cell's value reads and prints.

เลขที่ | กิจกรรม | เป้าหมาย | หน่วย | 12 × (งาน, งบ) ต.ค. → ก.ย. | รวมงาน | รวมงบ | ผู้รับผิดชอบ

Values are the domain's own: text fields are str, งาน and เป้าหมาย int, งบ Decimal. People
type them with Thai or Arabic digits and commas (app.thai.parse_number); what cannot be
read raises ValueError carrying one Thai sentence for the status line.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from app.i18n import _, tr
from app.rules.plan import MONTHS, QUARTERS
from app.thai import FISCAL_MONTH_ORDER, THAI_MONTHS_ABBR, format_number, parse_number
from ui.formatting import ui_digits

# Fields a column shows. "total_work"/"total_baht" show the computed row total; what they
# store is the total the sheet stated (imported sheets), which only Delete can clear.
NUMBER, TITLE, TARGET, UNIT, WORK, BAHT, TOTAL_WORK, TOTAL_BAHT, RESPONSIBLE = (
    "number", "title", "target", "unit", "work", "baht", "total_work", "total_baht", "responsible")
TEXT_FIELDS = frozenset({NUMBER, TITLE, UNIT, RESPONSIBLE})
NUMERIC_FIELDS = frozenset({TARGET, WORK, BAHT, TOTAL_WORK, TOTAL_BAHT})
TOTAL_FIELDS = frozenset({TOTAL_WORK, TOTAL_BAHT})
MONEY_PLACES = 2  # Numeric(14,2) in the database: more places would change on saving


@dataclass(frozen=True)
class GridColumn:
    field: str
    title: str  # Thai source text of the lowest header row
    width: int
    month: int | None = None  # 0 = ต.ค. … 11 = ก.ย. for งาน/งบ columns


def _columns() -> tuple[GridColumn, ...]:
    cols = [GridColumn(NUMBER, "เลขที่", 52), GridColumn(TITLE, "กิจกรรม", 260),
            GridColumn(TARGET, "เป้าหมาย", 70), GridColumn(UNIT, "หน่วย", 64)]
    for m in range(MONTHS):
        cols += [GridColumn(WORK, "งาน", 44, m), GridColumn(BAHT, "งบ", 74, m)]
    cols += [GridColumn(TOTAL_WORK, "รวมงาน", 64), GridColumn(TOTAL_BAHT, "รวมงบ", 92),
             GridColumn(RESPONSIBLE, "ผู้รับผิดชอบ", 190)]
    return tuple(cols)


COLUMNS = _columns()
FIRST_MONTH_COLUMN = 4
COLUMN_OF = {c.field: i for i, c in enumerate(COLUMNS) if c.month is None}


def month_column(month: int, field: str) -> int:
    return FIRST_MONTH_COLUMN + 2 * month + (field == BAHT)


def month_label(month: int) -> str:
    return THAI_MONTHS_ABBR[FISCAL_MONTH_ORDER[month]]


def header_groups() -> list[list[tuple[int, int, str]]]:
    """The two header rows above งาน/งบ: quarters, then months, as (first, last, text)."""
    quarters = [(month_column(3 * q, WORK), month_column(3 * q + 2, BAHT),
                 tr("ไตรมาส {n}", n=ui_digits(q + 1))) for q in range(QUARTERS)]
    months = [(month_column(m, WORK), month_column(m, BAHT), month_label(m)) for m in range(MONTHS)]
    return [quarters, months]


# -- values as text ------------------------------------------------------------------------

def _is_whole(value: Decimal) -> bool:
    return value == value.to_integral_value()


def display_text(field: str, value) -> str:
    """How a value reads in the grid: thousands separators, blank for zero or nothing."""
    if field in TEXT_FIELDS:
        return value
    if value is None or value == 0:
        return ""
    if field in (BAHT, TOTAL_BAHT):
        return format_number(value, decimals=0 if _is_whole(value) else MONEY_PLACES)
    return f"{value:,}"


def plain_text(field: str, value) -> str:
    """The value as an editor or a spreadsheet takes it: digits only, no separators."""
    if field in TEXT_FIELDS:
        return value
    if value is None or value == 0:
        return ""
    if isinstance(value, Decimal):
        return str(int(value)) if _is_whole(value) else f"{value:.{MONEY_PLACES}f}"
    return str(value)


def empty_value(field: str):
    """What Delete leaves in a cell of this field."""
    if field in TEXT_FIELDS:
        return ""
    if field == WORK:
        return 0
    if field == BAHT:
        return Decimal(0)
    return None  # no target, no stated total


def read_text(field: str, text: str):
    """The value typed or pasted into a cell of `field`; ValueError with one Thai sentence."""
    if field in TEXT_FIELDS:
        return " ".join(text.split()) if field != TITLE else text.strip()
    shown = text.strip()
    if field == TARGET and not shown:
        return None
    try:
        number = parse_number(text)
    except ValueError:
        raise ValueError(tr("อ่าน “{text}” เป็นตัวเลขไม่ได้ ช่องนี้จึงยังเป็นค่าเดิม", text=shown)) from None
    if field == BAHT:
        if number != number.quantize(Decimal(1).scaleb(-MONEY_PLACES)):
            raise ValueError(tr("งบใส่ทศนิยมได้ไม่เกินสองตำแหน่ง “{text}” จึงยังไม่ถูกบันทึก", text=shown))
        return number
    if not _is_whole(number):
        raise ValueError(tr("งานและเป้าหมายต้องเป็นจำนวนเต็ม “{text}” จึงยังไม่ถูกบันทึก", text=shown))
    return int(number)


def column_title(column: int) -> str:
    return _(COLUMNS[column].title)
