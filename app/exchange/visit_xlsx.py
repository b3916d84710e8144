"""The monthly CPS report as an Excel workbook, for offices that file or merge it further.

Four sheets: สรุป (the summary and the signature blocks), การเยี่ยม (one row per visit),
ข้อสังเกต (follow-ups opened and closed in the month), แผนเทียบผล (the plan's units for the
month against approved visits, with ร้อยละ as a formula). Styled like the plan export:
Sarabun, thin borders, wrapped Thai with row heights that show it, A4 landscape with the
table header repeated on every printed page.

Dates are Buddhist-era text ("10 พ.ย. 2569"), as officials read and type them; counts are
numbers (Thai digits through the number format when the office prints Thai digits), so
sums and filters still work. The wording is the printed report's (app.exchange.visit_pdf),
so the two never disagree.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from app.exchange.visit_pdf import (
    DONE,
    Signer,
    closed_status_text,
    report_state_text,
    report_title,
    summary_figures,
    visit_texts,
)
from app.exchange.xlsx_read import column_letter
from app.exchange.xlsx_style import (
    FONT_NAME,
    Formula,
    line_height,
    print_a4_landscape,
    wrapped_lines,
    write_cell,
)
from app.rules.approval import STATE_LABELS
from app.rules.visits import METHODS
from app.thai import THAI_MONTHS_ABBR, to_arabic_digits, to_thai_digits

if TYPE_CHECKING:
    from app.services.visit_views import MonthlyReport

SIZE, TITLE_SIZE = 14, 16
COUNT_FORMAT = '#,##0;-#,##0;"-"'
THAI_DIGITS_FORMAT = "[$-D00041E]"  # Thai locale, native digits (as the plan export)
HEADER_FILL = PatternFill("solid", fgColor="E7E6E6")
TOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")
WRAP_SLACK = 0.92  # Thai wraps at word ends, leaving part of each line empty

SHEET_SUMMARY, SHEET_VISITS, SHEET_FOLLOWUPS, SHEET_PLAN = "สรุป", "การเยี่ยม", "ข้อสังเกต", "แผนเทียบผล"

_FONT = Font(name=FONT_NAME, size=SIZE)
_BOLD = Font(name=FONT_NAME, size=SIZE, bold=True)
_TITLE = Font(name=FONT_NAME, size=TITLE_SIZE, bold=True)
_CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
_TOP_CENTRE = Alignment(horizontal="center", vertical="top", wrap_text=True)
_LEFT = Alignment(horizontal="left", vertical="top", wrap_text=True)
_NUMBER = Alignment(horizontal="right", vertical="top")

# (header, width) of each sheet's table.
VISIT_COLUMNS = (
    ("ที่", 5), ("วันที่", 15), ("เวลา", 10), ("สหกรณ์/กลุ่มเกษตรกร", 28), ("ผู้ปฏิบัติงาน", 20), ("วิธีการ", 18),
    ("ประเด็น", 24), ("สภาพปัญหา/ข้อสังเกต", 34), ("คำแนะนำ", 30), ("การตอบรับ/ขั้นต่อไป", 28),
    ("สถานะรายงาน", 13),
)
FOLLOWUP_COLUMNS = (("ที่", 5), ("สหกรณ์/กลุ่มเกษตรกร", 34), ("ข้อสังเกต", 60), ("กำหนดติดตาม/ผล", 18))
PLAN_COLUMNS = (("กิจกรรม", 62), ("หน่วยนับ", 10), ("แผนของกลุ่มเดือนนี้", 12), ("ผล (รายงานที่อนุมัติ)", 14),
                ("ร้อยละของแผนกลุ่ม", 12))
SUMMARY_WIDTHS = (36, 12, 10)


def be_day(d: date | None, thai_digits: bool) -> str | None:
    """"10 พ.ย. 2569": the short month with the full BE year, so the text sorts nowhere but
    reads unambiguously when the sheet is merged with other years."""
    if d is None:
        return None
    text = f"{d.day} {THAI_MONTHS_ABBR[d.month]} {d.year + 543}"
    return to_thai_digits(text) if thai_digits else text


def _lines(value: object, width: float) -> int:
    return 1 if isinstance(value, Formula) else wrapped_lines(value, width * WRAP_SLACK, SIZE)


class _Sheet:
    """Fills one worksheet top to bottom; `row` is the next free row."""

    def __init__(self, ws: Worksheet, widths: Sequence[float], thai_digits: bool):
        self.ws, self.widths, self.thai = ws, list(widths), thai_digits
        self.count_format = (THAI_DIGITS_FORMAT if thai_digits else "") + COUNT_FORMAT
        self.row = 1
        for c, w in enumerate(widths, 1):
            ws.column_dimensions[column_letter(c)].width = w

    def d(self, text: object) -> object:
        if not isinstance(text, str) or isinstance(text, Formula):
            return text
        return to_thai_digits(text) if self.thai else to_arabic_digits(text)

    def cell(self, row: int, col: int, value: object, *, font: Font = _FONT, align: Alignment = _LEFT,
             border: bool = True, number_format: str | None = None, last_col: int | None = None):
        return write_cell(self.ws, row, col, value, font=font, align=align, border=border,
                          number_format=number_format, last_col=last_col)

    def line(self, text: str, *, font: Font = _FONT, align: Alignment = _CENTRE) -> None:
        """A title line across the table's width."""
        self.cell(self.row, 1, self.d(text), font=font, align=align, border=False, last_col=len(self.widths))
        lines = wrapped_lines(text, sum(self.widths), font.sz)
        self.ws.row_dimensions[self.row].height = line_height(font.sz) * lines
        self.row += 1

    def titles(self, report: MonthlyReport, scope_line: str, caption: str) -> None:
        self.line(report_title(report.month, self.thai), font=_TITLE)
        self.line(report.office_name, font=_BOLD)
        if scope_line:
            self.line(scope_line)
        self.line(caption, font=_BOLD)
        self.row += 1

    def header(self, heads: Sequence[str]) -> int:
        r = self.row
        for c, text in enumerate(heads, 1):
            self.cell(r, c, text, font=_BOLD, align=_CENTRE).fill = HEADER_FILL
        lines = max(_lines(t, w) for t, w in zip(heads, self.widths, strict=True))
        self.ws.row_dimensions[r].height = line_height(SIZE) * lines
        self.row += 1
        return r

    def body_row(self, values: Sequence[object], aligns: Sequence[Alignment], formats: Sequence[str | None] = ()
                 ) -> int:
        r = self.row
        for c, (value, align) in enumerate(zip(values, aligns, strict=True), 1):
            fmt = formats[c - 1] if c - 1 < len(formats) else None
            self.cell(r, c, self.d(value), align=align, number_format=fmt)
        lines = max(_lines(v, w) for v, w in zip(values, self.widths, strict=True))
        self.ws.row_dimensions[r].height = line_height(SIZE) * lines
        self.row += 1
        return r

    def none_row(self, text: str = "- ไม่มี -") -> None:
        self.cell(self.row, 1, text, align=_TOP_CENTRE, last_col=len(self.widths))
        self.ws.row_dimensions[self.row].height = line_height(SIZE)
        self.row += 1


def write_monthly_report(report: MonthlyReport, path: str | Path, *, scope_line: str = "",
                         signers: Sequence[Signer] = (), thai_digits: bool = False) -> None:
    """Write the monthly CPS report as an xlsx workbook at `path`."""
    wb = Workbook()
    _summary(wb.active, report, scope_line, signers, thai_digits)
    _visits(wb.create_sheet(SHEET_VISITS), report, scope_line, thai_digits)
    _followups(wb.create_sheet(SHEET_FOLLOWUPS), report, scope_line, thai_digits)
    _plan(wb.create_sheet(SHEET_PLAN), report, scope_line, thai_digits)
    wb.properties.title = report_title(report.month, thai_digits)
    wb.properties.creator = "CoopDesk"
    wb.save(path)


def _summary(ws: Worksheet, report: MonthlyReport, scope_line: str, signers: Sequence[Signer],
             thai_digits: bool) -> None:
    ws.title = SHEET_SUMMARY
    s = _Sheet(ws, SUMMARY_WIDTHS, thai_digits)
    s.titles(report, scope_line, "สรุปผลการปฏิบัติงาน")
    fmt = s.count_format

    def block(title: str, rows: list[tuple[str, int, str]]) -> None:
        s.header((title, "จำนวน", "หน่วย"))
        for label, n, unit in rows:
            s.body_row((label, n, unit), (_LEFT, _NUMBER, _TOP_CENTRE), (None, fmt))
        if not rows:
            s.none_row()
        s.row += 1

    block("สรุปการเยี่ยม", summary_figures(report))
    methods = [(METHODS.get(m, m), n, "ครั้ง") for m, n in report.by_method]
    if methods:
        methods.append(("รวม", sum(n for _, n, _ in methods), "ครั้ง"))
    block("จำแนกตามวิธีการ (ที่ไปแล้ว)", methods)
    block("สถานะรายงานการเยี่ยม", [(STATE_LABELS.get(st, st), n, "รายการ") for st, n in report.by_state])
    s.row += 1
    for role, name, position in signers:  # one block under the other: the sheet is narrow
        for text in (f"ลงชื่อ {'.' * 40} {role}", f"({name or '.' * 40})", f"ตำแหน่ง {position or '.' * 40}"):
            s.line(text)
        s.row += 1
    print_a4_landscape(ws, "1:1")
    ws.page_setup.orientation = ws.ORIENTATION_PORTRAIT


def _visits(ws: Worksheet, report: MonthlyReport, scope_line: str, thai_digits: bool) -> None:
    s = _Sheet(ws, [w for _, w in VISIT_COLUMNS], thai_digits)
    s.titles(report, scope_line, f"ผลการเยี่ยมสหกรณ์/กลุ่มเกษตรกร ({len(report.visits)} ครั้ง)")
    head = s.header([h for h, _ in VISIT_COLUMNS])
    aligns = (_TOP_CENTRE, _TOP_CENTRE, _TOP_CENTRE, _LEFT, _LEFT, _LEFT, _LEFT, _LEFT, _LEFT, _LEFT, _TOP_CENTRE)
    for i, v in enumerate(report.visits, 1):
        findings, advice, response = visit_texts(v)
        s.body_row((i, be_day(v.day, thai_digits), f"{v.planned_time} น." if v.planned_time else None,
                    v.institution_name, v.officer_name, v.method_label, v.purpose or None, findings or None,
                    advice or None, response or None, report_state_text(v)), aligns, (s.count_format,))
        if v.status != DONE:
            for c in (8, 9, 10):
                s.ws.cell(s.row - 1, c).font = Font(name=FONT_NAME, size=SIZE, color="595959")
    if not report.visits:
        s.none_row("ไม่มีการเยี่ยมในเดือนนี้")
    print_a4_landscape(ws, f"{head}:{head}")
    ws.freeze_panes = f"E{head + 1}"  # the number, date and institution stay in view
    if report.visits:
        ws.auto_filter.ref = f"A{head}:{column_letter(len(VISIT_COLUMNS))}{s.row - 1}"


def _followups(ws: Worksheet, report: MonthlyReport, scope_line: str, thai_digits: bool) -> None:
    s = _Sheet(ws, [w for _, w in FOLLOWUP_COLUMNS], thai_digits)
    s.titles(report, scope_line, "ข้อสังเกตที่ต้องติดตาม")
    aligns = (_TOP_CENTRE, _LEFT, _LEFT, _TOP_CENTRE)
    first_head = None
    for title, rows, last_head in (
        (f"ข้อสังเกตที่พบใหม่ในเดือนนี้ ({len(report.followups_opened)} เรื่อง)",
         [(inst, text, be_day(due, thai_digits) or "-") for inst, text, due in report.followups_opened],
         "กำหนดติดตาม"),
        (f"ข้อสังเกตที่ปิดในเดือนนี้ ({len(report.followups_closed)} เรื่อง)",
         [(inst, text, closed_status_text(status)) for inst, text, status in report.followups_closed], "ผล"),
    ):
        s.line(title, font=_BOLD, align=_LEFT)
        head = s.header([h for h, _ in FOLLOWUP_COLUMNS[:-1]] + [last_head])
        first_head = first_head or head
        for i, (inst, text, last) in enumerate(rows, 1):
            s.body_row((i, inst, text, last), aligns, (s.count_format,))
        if not rows:
            s.none_row()
        s.row += 1
    print_a4_landscape(ws, f"{first_head}:{first_head}")


def _plan(ws: Worksheet, report: MonthlyReport, scope_line: str, thai_digits: bool) -> None:
    s = _Sheet(ws, [w for _, w in PLAN_COLUMNS], thai_digits)
    s.titles(report, scope_line, "ผลการปฏิบัติงานเทียบกับแผนปฏิบัติงานประจำเดือน")
    head = s.header([h for h, _ in PLAN_COLUMNS])
    fmt = s.count_format
    for p in report.plan_lines:
        r = s.row
        pct = Formula(f'=IF(C{r}>0,ROUND(D{r}/C{r}*100,0),"-")')
        s.body_row((p.label, p.unit, p.planned, p.approved_visits, pct),
                   (_LEFT, _TOP_CENTRE, _NUMBER, _NUMBER, _NUMBER), (None, None, fmt, fmt, fmt))
    if not report.plan_lines:
        s.none_row("ไม่มีกิจกรรมตามแผนปฏิบัติงานของกลุ่มในเดือนนี้")
    print_a4_landscape(ws, f"{head}:{head}")
