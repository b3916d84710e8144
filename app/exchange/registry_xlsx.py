"""The registry workbook: its columns, reading an office's own list into parsed rows, and
writing the export, which reads back to the same registry.

Reading needs no database: names of districts, officers and groups stay text here and the
import service resolves them. A cell that cannot be read becomes a `CellProblem` naming the
column, so the clerk can find it in Excel.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils.datetime import from_excel
from openpyxl.worksheet.datavalidation import DataValidation

from app.exchange.xlsx_read import (
    ColumnSpec,
    Vocabulary,
    cell_text,
    column_letter,
    fiscal_years_mentioned,
    is_blank,
    locate_table,
    normalize_label,
    open_workbook,
)
from app.exchange.xlsx_style import (
    BORDER,
    FONT_NAME,
    LINE_HEIGHT,
    WIDTH_PER_CHAR,
    print_a4_landscape,
    put,
    text_width,
    wrapped_lines,
)
from app.i18n import _, tr
from app.rules.registry import (
    COOP_TYPES,
    KINDS,
    STATUSES,
    InstitutionData,
    YearData,
    normalize_reg_no,
    parse_status_label,
    parse_type_label,
    squeeze,
    standards_label,
    type_label,
)
from app.thai import (
    THAI_MONTHS_ABBR,
    format_date,
    month_from_abbr,
    parse_date,
    parse_number,
    to_arabic_digits,
    to_thai_digits,
)

# -- the columns -----------------------------------------------------------------------------
# The first name is the header the export writes; the others are what offices have used.
# A unit in brackets ("(คน)", "(บาท)") and a year suffix ("ปี 2567") are understood anyway.

INSTITUTION_COLUMNS = (
    ColumnSpec("seq", "ลำดับ", ("ที่", "ลำดับที่", "no")),
    ColumnSpec("reg_no", "เลขทะเบียน", ("ทะเบียนเลขที่", "เลขที่ทะเบียน", "เลขทะเบียนสหกรณ์", "เลขทะเบียนกลุ่ม")),
    ColumnSpec("name", "ชื่อสหกรณ์/กลุ่มเกษตรกร", ("ชื่อสหกรณ์", "ชื่อกลุ่มเกษตรกร", "ชื่อ", "ชื่อสถาบันเกษตรกร")),
    ColumnSpec("type", "ประเภท", ("ประเภทสหกรณ์", "ประเภทสหกรณ์/กลุ่มเกษตรกร")),
    ColumnSpec("district", "อำเภอ", ("อำเภอ/เขต", "เขต", "รหัสอำเภอ")),
    ColumnSpec("address", "ที่อยู่", ("ที่ตั้ง", "ที่ตั้งสำนักงาน")),
    ColumnSpec("phone", "โทรศัพท์", ("เบอร์โทรศัพท์", "หมายเลขโทรศัพท์", "โทร")),
    ColumnSpec("status", "สถานะ", ("สถานภาพ", "สถานะการดำเนินงาน")),
    ColumnSpec("members", "จำนวนสมาชิก (คน)", ("จำนวนสมาชิก", "สมาชิก")),
    ColumnSpec("registered_on", "วันที่จดทะเบียน", ("วันจดทะเบียน", "จดทะเบียนเมื่อ")),
    ColumnSpec("acct_year_end", "วันสิ้นปีทางบัญชี", ("วันสิ้นปีบัญชี", "สิ้นปีทางบัญชี", "สิ้นปีบัญชี")),
    ColumnSpec("officer", "เจ้าหน้าที่ผู้รับผิดชอบ", ("ผู้รับผิดชอบ", "เจ้าหน้าที่")),
    ColumnSpec("group", "กลุ่ม", ("กลุ่มงาน", "กลุ่มที่รับผิดชอบ", "กลุ่มงานที่รับผิดชอบ")),
    ColumnSpec("notes", "หมายเหตุ"),
)
YEAR_COLUMNS = (
    ColumnSpec("strength_class", "ระดับชั้น", ("ระดับชั้นความเข้มแข็ง", "ผลการจัดระดับชั้น", "ชั้น")),
    ColumnSpec("standards_result", "ผลมาตรฐาน", ("ผลการจัดมาตรฐาน", "มาตรฐาน")),
    ColumnSpec("accumulated_loss", "ขาดทุนสะสม (บาท)", ("ขาดทุนสะสม",)),
    ColumnSpec("member_participation_pct", "ร้อยละการมีส่วนร่วม",
               ("ร้อยละการมีส่วนร่วมของสมาชิก", "การมีส่วนร่วมของสมาชิก")),
    ColumnSpec("business_volume", "ปริมาณธุรกิจ (บาท)", ("ปริมาณธุรกิจ", "มูลค่าธุรกิจ")),
    ColumnSpec("net_profit", "กำไร(ขาดทุน)สุทธิ (บาท)", ("กำไร(ขาดทุน)สุทธิ", "กำไร (ขาดทุน)", "กำไรสุทธิ")),
    ColumnSpec("agm_date", "วันประชุมใหญ่", ("วันที่ประชุมใหญ่", "วันประชุมใหญ่สามัญ", "วันประชุมใหญ่สามัญประจำปี")),
    ColumnSpec("accounts_closed_date", "วันปิดบัญชี", ("วันที่ปิดบัญชี",)),
)
COLUMNS = INSTITUTION_COLUMNS + YEAR_COLUMNS
SPECS = {s.field: s for s in COLUMNS}
VOCABULARY = Vocabulary(COLUMNS)
REQUIRED = ("reg_no", "name")
YEAR_FIELDS = tuple(s.field for s in YEAR_COLUMNS)
IGNORED = frozenset({"seq"})  # recognised so it is not reported as unknown, never read
OUT_OF_SCOPE_TEXT = "ไม่จัดระดับชั้น"


# -- reading cells ---------------------------------------------------------------------------

class _Unreadable(ValueError):
    """A cell whose content does not fit its column; the message is the clerk's."""


def _not_a_number(f: str, value: object) -> _Unreadable:
    return _Unreadable(tr('{label} "{text}" ไม่ใช่ตัวเลข', label=SPECS[f].label, text=cell_text(value)))


def _number(f: str, value: object, units: tuple[str, ...] = ()) -> Decimal:
    if isinstance(value, bool):
        raise _not_a_number(f, value)
    raw = value
    if isinstance(value, str):
        raw = squeeze(value)
        for unit in units:  # "1,200 คน", "85%": the unit repeats the header, so it is harmless
            raw = raw.removesuffix(unit).rstrip()
    try:
        return parse_number(raw)
    except (ValueError, TypeError):
        raise _not_a_number(f, value) from None


def _members(value: object) -> int:
    d = _number("members", value, ("คน", "ราย"))
    if d != d.to_integral_value():
        raise _Unreadable(tr('จำนวนสมาชิก "{text}" ต้องเป็นจำนวนเต็ม', text=cell_text(value)))
    if d < 0:
        raise _Unreadable(tr('จำนวนสมาชิก "{text}" ต้องไม่ติดลบ', text=cell_text(value)))
    return int(d)


_CENTS = Decimal("0.01")
_MONEY_LIMIT = Decimal(10) ** 12  # Numeric(14, 2)


def _amount(f: str, units: tuple[str, ...]) -> Callable[[object], Decimal]:
    def read(value: object) -> Decimal:
        # Rounded as the database stores it, so a re-import compares equal.
        d = _number(f, value, units).quantize(_CENTS, rounding=ROUND_HALF_UP)
        if abs(d) >= _MONEY_LIMIT:
            raise _Unreadable(tr('{label} "{text}" มากเกินไป', label=SPECS[f].label, text=cell_text(value)))
        return d

    return read


# Excel day numbers 10000..80000 are 1927..2119: a date cell whose date format was lost.
_SERIAL_DAYS = range(10_000, 80_000)


def _date_reader(f: str) -> Callable[[object], date]:
    def read(value: object) -> date:
        if isinstance(value, (int, float)) and not isinstance(value, bool) and int(value) in _SERIAL_DAYS:
            value = from_excel(value)
        try:
            return parse_date(value if isinstance(value, (date, datetime)) else cell_text(value))
        except ValueError:
            raise _Unreadable(tr('{label} "{text}" อ่านเป็นวันที่ไม่ได้ (เช่น 15/3/2567 หรือ 15 มี.ค. 2567)',
                                 label=SPECS[f].label, text=cell_text(value))) from None

    return read


_DAY_SLASH_MONTH = re.compile(r"(\d{1,2})\s*[/.-]\s*(\d{1,2})")
_DAY_MONTH_NAME = re.compile(r"(\d{1,2})\s*(\D+)")


def _year_end(value: object) -> tuple[int, int]:
    """(month, day) from "31 มี.ค.", "31/3", "31 มีนาคม", "๓๑ มี.ค." or a date cell."""
    if isinstance(value, (date, datetime)):  # Excel turns a typed "31/3" into a date this year
        return value.month, value.day
    text = squeeze(to_arabic_digits(cell_text(value)))
    if m := _DAY_SLASH_MONTH.fullmatch(text):
        return int(m[2]), int(m[1])
    if (m := _DAY_MONTH_NAME.fullmatch(text)) and (month := month_from_abbr(m[2])):
        return month, int(m[1])
    try:
        d = parse_date(text)
    except ValueError:
        raise _Unreadable(tr('วันสิ้นปีทางบัญชี "{text}" อ่านไม่ได้ (เช่น 31 มี.ค. หรือ 31/3)',
                             text=cell_text(value))) from None
    return d.month, d.day


def format_year_end(month: int | None, day: int | None) -> str | None:
    return None if month is None or day is None else f"{day} {THAI_MONTHS_ABBR[month]}"


def _type(value: object) -> tuple[str, str | None]:
    parsed = parse_type_label(cell_text(value))
    if parsed is None:
        raise _Unreadable(tr('ประเภท "{text}" ไม่รู้จัก (เช่น สหกรณ์การเกษตร สหกรณ์ออมทรัพย์ กลุ่มเกษตรกร)',
                             text=cell_text(value)))
    return parsed


def _status(value: object) -> str:
    code = parse_status_label(cell_text(value))
    if code is None:
        raise _Unreadable(tr('สถานะ "{text}" ไม่รู้จัก (เช่น {choices})', text=cell_text(value),
                             choices=" ".join(STATUSES.values())))
    return code


def _phone(value: object) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        digits = cell_text(value)
        # A phone typed into a number cell loses its leading 0 (055 123 456 → 55123456).
        return "0" + digits if len(digits) in (8, 9) else digits
    return cell_text(value)


_CLASS_TEXT = re.compile(r"(?:ระดับ)?(?:ชั้น)?([1-4])")
_OUT_OF_SCOPE_KEYS = frozenset(
    normalize_label(t) for t in (OUT_OF_SCOPE_TEXT, "ไม่จัดชั้น", "ไม่จัดระดับ", "ไม่อยู่ในเกณฑ์", "นอกเกณฑ์")
)


def _strength(value: object) -> tuple[int | None, bool]:
    """(strength_class, out_of_scope): "2", "ชั้น ๒", 2.0 → (2, False); "ไม่จัดระดับชั้น" → (None, True)."""
    key = normalize_label(value)
    if key in _OUT_OF_SCOPE_KEYS:
        return None, True
    if m := _CLASS_TEXT.fullmatch(key):
        return int(m[1]), False
    raise _Unreadable(tr('ระดับชั้น "{text}" ต้องเป็น 1 ถึง 4 หรือ "{out}"',
                         text=cell_text(value), out=OUT_OF_SCOPE_TEXT))


_STANDARDS = {
    normalize_label(text): code
    for code, texts in (
        ("pass", ("ผ่าน", "ผ่านมาตรฐาน", "ได้มาตรฐาน")),
        ("fail", ("ไม่ผ่าน", "ไม่ผ่านมาตรฐาน", "ต่ำกว่ามาตรฐาน", "ไม่ได้มาตรฐาน")),
        ("not_assessed", ("ไม่นำมาจัดมาตรฐาน", "ไม่นำมาจัด", "ไม่จัดมาตรฐาน", "ไม่ได้จัดมาตรฐาน")),
    )
    for text in texts
}


def _standards(value: object) -> str:
    code = _STANDARDS.get(normalize_label(value))
    if code is None:
        raise _Unreadable(tr('ผลมาตรฐาน "{text}" ไม่รู้จัก (ผ่าน ไม่ผ่าน ได้มาตรฐาน ต่ำกว่ามาตรฐาน ไม่นำมาจัดมาตรฐาน)',
                             text=cell_text(value)))
    return code


def _notes(value: object) -> str:
    # Line breaks inside a note are the clerk's; keep them (squeezing would change it on every import).
    return str(value).replace("\r\n", "\n").strip() if isinstance(value, str) else cell_text(value)


PARSERS: dict[str, Callable[[object], object]] = {
    "reg_no": lambda v: normalize_reg_no(cell_text(v)),
    "name": cell_text,
    "type": _type,
    "district": cell_text,
    "address": cell_text,
    "phone": _phone,
    "status": _status,
    "members": _members,
    "registered_on": _date_reader("registered_on"),
    "acct_year_end": _year_end,
    "officer": cell_text,
    "group": cell_text,
    "notes": _notes,
    "strength_class": _strength,
    "standards_result": _standards,
    "accumulated_loss": _amount("accumulated_loss", ("บาท",)),
    "member_participation_pct": _amount("member_participation_pct", ("%",)),
    "business_volume": _amount("business_volume", ("บาท",)),
    "net_profit": _amount("net_profit", ("บาท",)),
    "agm_date": _date_reader("agm_date"),
    "accounts_closed_date": _date_reader("accounts_closed_date"),
}


# -- reading rows ----------------------------------------------------------------------------

@dataclass(frozen=True)
class CellProblem:
    field: str
    column: str  # letter; "" when the problem is not one cell's
    message: str

    def text(self) -> str:
        return tr("{problem} (คอลัมน์ {col})", problem=self.message, col=self.column) if self.column else self.message


@dataclass
class ParsedRow:
    """One data row: the values of its non-empty cells, already typed, and what was wrong."""

    row: int
    values: dict[str, object] = field(default_factory=dict)
    problems: list[CellProblem] = field(default_factory=list)

    @property
    def reg_no(self) -> str:
        return self.values.get("reg_no", "")

    @property
    def reason(self) -> str:
        return "; ".join(p.text() for p in self.problems)


@dataclass(frozen=True)
class SkippedRow:
    """A row inside the table that is not an institution: a section caption, a total, a footnote."""

    row: int
    text: str


@dataclass
class RegistrySheet:
    file_name: str
    sheet: str
    header_row: int
    columns: dict[str, str]  # field → column letter
    ignored_columns: list[str]  # "M (ชื่อประธาน)"
    fiscal_years: set[int]  # years the file says its yearly columns are for
    rows: list[ParsedRow]
    skipped: list[SkippedRow]

    @property
    def has_yearly(self) -> bool:
        return any(f in self.columns for f in YEAR_FIELDS)


def _caption(cells: dict[str, object]) -> str | None:
    """The text of a row that only labels the table: a section title (one text, often merged
    across the row) or a total ("รวม …"); None for a data row."""
    filled = {f: cell_text(v) for f, v in cells.items() if not is_blank(v)}
    texts = list(dict.fromkeys(filled.values()))
    if len(texts) == 1 and (len(filled) > 1 or "reg_no" not in filled):
        return texts[0]
    totals = [t for t in texts if t.startswith("รวม")]
    if totals and filled.get("reg_no", "รวม").startswith("รวม"):
        return totals[0]
    return None


def _parse_row(row: int, cells: dict[str, object], letters: dict[str, str]) -> ParsedRow:
    parsed = ParsedRow(row)
    for f, value in cells.items():
        if is_blank(value):
            continue
        try:
            parsed.values[f] = PARSERS[f](value)
        except _Unreadable as bad:
            parsed.problems.append(CellProblem(f, letters[f], str(bad)))
    failed = {p.field for p in parsed.problems}
    for f, message in (("reg_no", _("ไม่มีเลขทะเบียน")), ("name", _("ไม่มีชื่อสหกรณ์/กลุ่มเกษตรกร"))):
        if not parsed.values.get(f) and f not in failed:
            parsed.problems.append(CellProblem(f, letters[f], message))
    order = list(letters)
    parsed.problems.sort(key=lambda p: order.index(p.field))
    return parsed


def read_registry(path: str | Path) -> RegistrySheet:
    """Find the registry table in an office's workbook and read every row under its header."""
    path = Path(path)
    grid, header = locate_table(open_workbook(path), VOCABULARY, required=REQUIRED, file_name=path.name)
    fields_in_order = sorted((c, f) for f, c in header.columns.items() if f not in IGNORED)
    letters = {f: column_letter(c) for c, f in fields_in_order}
    rows: list[ParsedRow] = []
    skipped: list[SkippedRow] = []
    first_seen: dict[str, int] = {}
    for r in range(header.data_start, grid.n_rows + 1):
        cells = {f: grid.value(r, c) for c, f in fields_in_order}
        if all(is_blank(v) for v in cells.values()):
            continue
        if (caption := _caption(cells)) is not None:
            skipped.append(SkippedRow(r, caption))
            continue
        parsed = _parse_row(r, cells, letters)
        if parsed.reg_no in first_seen:
            parsed.problems.insert(0, CellProblem("reg_no", letters["reg_no"], tr(
                "เลขทะเบียน {reg} ซ้ำกับแถว {other}", reg=parsed.reg_no, other=first_seen[parsed.reg_no])))
        elif parsed.reg_no:
            first_seen[parsed.reg_no] = r
        rows.append(parsed)
    years = fiscal_years_mentioned(grid, header.last_row)
    years |= {y for f, y in header.years.items() if f in YEAR_FIELDS}
    return RegistrySheet(
        file_name=path.name, sheet=grid.title, header_row=header.first_row, columns=letters,
        ignored_columns=[f"{column_letter(c)} ({text})" for c, text in header.unknown],
        fiscal_years=years, rows=rows, skipped=skipped,
    )


# -- writing ---------------------------------------------------------------------------------

@dataclass
class RegistryRecord:
    """One institution as the export shows it: its data plus the names its ids stand for."""

    data: InstitutionData
    district: str = ""
    officer: str = ""
    group: str = ""
    year: YearData | None = None


def record_cells(rec: RegistryRecord) -> dict[str, object]:
    """Cell values by field, in the forms `read_registry` reads back to the same record."""
    d, y = rec.data, rec.year or YearData()
    strength = OUT_OF_SCOPE_TEXT if y.out_of_scope else y.strength_class
    return {
        "reg_no": d.reg_no, "name": d.name, "type": type_label(d.kind, d.coop_type), "district": rec.district,
        "address": d.address, "phone": d.phone, "status": STATUSES.get(d.status, d.status), "members": d.members,
        "registered_on": d.registered_on, "acct_year_end": format_year_end(d.acct_year_end_month, d.acct_year_end_day),
        "officer": rec.officer, "group": rec.group, "notes": d.notes,
        "strength_class": strength, "standards_result": standards_label(d.kind, y.standards_result) or None,
        "accumulated_loss": y.accumulated_loss, "member_participation_pct": y.member_participation_pct,
        "business_volume": y.business_volume, "net_profit": y.net_profit,
        "agm_date": y.agm_date, "accounts_closed_date": y.accounts_closed_date,
    }


# The workbook is an official Thai document whatever the screen language, and the importer
# reads its headers and title back, so its text is not translated.
SHEET_TITLE = "ทะเบียนสหกรณ์และกลุ่มเกษตรกร"
HEADER_ROW = 5
DATE_FORMAT = "[$-107041E]d mmm yyyy"  # Thai month, Buddhist-era year, in Excel and LibreOffice
MONEY_FORMAT = '#,##0.00;(#,##0.00);"-"'
FORMATS = {
    "members": "#,##0", "accumulated_loss": MONEY_FORMAT, "business_volume": MONEY_FORMAT,
    "net_profit": MONEY_FORMAT, "member_participation_pct": "0.00",
    "registered_on": DATE_FORMAT, "agm_date": DATE_FORMAT, "accounts_closed_date": DATE_FORMAT,
}
CENTRED = frozenset({"seq", "strength_class", "acct_year_end"})
MAX_WIDTH = {"name": 40, "address": 40, "notes": 30}
CHOICES = {
    "type": [type_label("coop", c) for c in COOP_TYPES] + [KINDS["farmer_group"]],
    "status": list(STATUSES.values()),
    "strength_class": ["1", "2", "3", "4", OUT_OF_SCOPE_TEXT],
    "standards_result": ["ผ่าน", "ไม่ผ่าน", "ได้มาตรฐาน", "ต่ำกว่ามาตรฐาน", "ไม่นำมาจัดมาตรฐาน"],
}

def _display_width(value: object) -> int:
    if isinstance(value, date):
        return 12
    if isinstance(value, int):
        return len(f"{value:,}")
    if isinstance(value, Decimal):
        return len(f"{value:,.2f}")
    return max((text_width(line) for line in str(value).splitlines()), default=0)


def _column_width(f: str, header: str, values: list[object]) -> float:
    header_word = max(text_width(w) for w in header.split())  # headers wrap between words
    longest = max([header_word, *(_display_width(v) for v in values if v is not None)])
    return round(min(max(longest * WIDTH_PER_CHAR + 2, 7), MAX_WIDTH.get(f, 28)), 1)


def _titles(office_name: str, as_of: date, fiscal_year: int, thai_digits: bool) -> tuple[str, ...]:
    year = to_thai_digits(fiscal_year) if thai_digits else str(fiscal_year)
    return (
        office_name,
        SHEET_TITLE,
        # The importer reads the fiscal year of the yearly columns from this line.
        f"ข้อมูล ณ วันที่ {format_date(as_of, 'long', thai_digits=thai_digits)} "
        f"(ระดับชั้น มาตรฐาน และผลการดำเนินงาน ปีงบประมาณ {year})",
    )


def _page_setup(ws, last_col: str, last_row: int) -> None:
    ws.freeze_panes = f"D{HEADER_ROW + 1}"  # number and name stay in view
    ws.auto_filter.ref = f"A{HEADER_ROW}:{last_col}{last_row}"
    print_a4_landscape(ws, f"{HEADER_ROW}:{HEADER_ROW}")


def write_registry(
    target: str | Path, records: Sequence[RegistryRecord], *, office_name: str, as_of: date,
    fiscal_year: int, thai_digits: bool = True,
) -> None:
    """Write the registry as an office prints it: titles, a bold header, A4 landscape."""
    wb = Workbook()
    ws = wb.active
    ws.title = "ทะเบียน"
    last_col = column_letter(len(COLUMNS))
    last_row = HEADER_ROW + len(records)

    for row, text in enumerate(_titles(office_name, as_of, fiscal_year, thai_digits), start=1):
        cell = ws.cell(row, 1)
        put(cell, text)
        cell.font = Font(name=FONT_NAME, size=18 if row < 3 else 16, bold=row < 3)
        cell.alignment = Alignment(horizontal="center")
        ws.merge_cells(f"A{row}:{last_col}{row}")
        ws.row_dimensions[row].height = LINE_HEIGHT + 4

    table = [{"seq": i, **record_cells(rec)} for i, rec in enumerate(records, 1)]
    widths = {s.field: _column_width(s.field, s.header, [r[s.field] for r in table]) for s in COLUMNS}

    bold, header_fill = Font(name=FONT_NAME, size=16, bold=True), PatternFill("solid", fgColor="D9E1F2")
    for col, spec in enumerate(COLUMNS, start=1):
        cell = ws.cell(HEADER_ROW, col, spec.header)
        cell.font, cell.border, cell.fill = bold, BORDER, header_fill
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[column_letter(col)].width = widths[spec.field]
    ws.row_dimensions[HEADER_ROW].height = LINE_HEIGHT * max(wrapped_lines(s.header, widths[s.field]) for s in COLUMNS)

    body = Font(name=FONT_NAME, size=16)
    aligned = {s.field: Alignment(vertical="top", wrap_text=True, horizontal="center" if s.field in CENTRED else None)
               for s in COLUMNS}
    for row, values in enumerate(table, start=HEADER_ROW + 1):
        for col, spec in enumerate(COLUMNS, start=1):
            cell = ws.cell(row, col)
            put(cell, values[spec.field])
            cell.font, cell.border, cell.alignment = body, BORDER, aligned[spec.field]
            if spec.field in FORMATS:
                cell.number_format = FORMATS[spec.field]
        ws.row_dimensions[row].height = LINE_HEIGHT * max(wrapped_lines(values[f], w) for f, w in widths.items())

    for col, spec in enumerate(COLUMNS, start=1):
        if spec.field in CHOICES:
            # A drop-down helps the clerk type what the importer reads; other text only warns.
            letter = column_letter(col)
            dv = DataValidation(type="list", formula1='"' + ",".join(CHOICES[spec.field]) + '"',
                                allow_blank=True, showErrorMessage=True, errorStyle="warning")
            dv.add(f"{letter}{HEADER_ROW + 1}:{letter}{last_row + 200}")
            ws.add_data_validation(dv)

    _page_setup(ws, last_col, last_row)
    wb.properties.creator = "CoopDesk"
    wb.properties.title = SHEET_TITLE
    wb.save(target)
