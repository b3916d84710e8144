"""Writing an action plan in the official layout of seed 004.

Top to bottom: title lines, the header fields, the targets / budget / KPI block, the table
(activity, target, row totals, 12 × งาน/งบ under merged months under merged quarters,
responsible person), the monthly totals row, the three signature blocks and the footnote.
Totals are Excel formulas, so a clerk who edits a month in Excel sees the totals follow;
where the plan itself states a total (a figure read from a hand-made sheet), that figure is
written instead, as the plan says it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from app.exchange.plan_xlsx import layout as L
from app.exchange.plan_xlsx.marker import Marker, RowMark, write_marker
from app.exchange.xlsx_read import column_letter
from app.exchange.xlsx_style import (
    FONT_NAME,
    Formula,
    line_height,
    print_a4_landscape,
    wrapped_lines,
    write_cell,
)
from app.rules.plan import MONTHS, QUARTERS, PlanActivity, StatedCell, content_fingerprint, short_fingerprint
from app.rules.plan.document import SIGNATORIES, TEXT_FIELDS, Person, PlanDocument
from app.thai import FISCAL_MONTH_ORDER, THAI_MONTHS_ABBR, to_thai_digits

SIZE, TITLE_SIZE, NOTE_SIZE = 14, 16, 12
WORK_FORMAT = '#,##0;-#,##0;"-"'
BAHT_FORMAT = '#,##0.00;-#,##0.00;"-"'
THAI_DIGITS_FORMAT = "[$-D00041E]"  # Thai locale, native digits: Excel and LibreOffice show ๑,๒๓๔
WIDTHS = {L.ACTIVITY: 48, L.TARGET: 7, L.UNIT: 7, L.TOTAL_WORK: 7, L.TOTAL_BAHT: 13, L.RESPONSIBLE: 20}
MONTH_WIDTHS = (4.5, 11.5)  # งาน, งบ (Thai digits are wider than Arabic ones)
# Thai wraps at word ends, leaving part of each line empty, and an outline level indents
# the text by about two characters: both make a wrapped title take more lines.
WRAP_SLACK = 0.92
INDENT_CHARS = 1
HEADER_FILL = PatternFill("solid", fgColor="E7E6E6")

_FONT = Font(name=FONT_NAME, size=SIZE)
_BOLD = Font(name=FONT_NAME, size=SIZE, bold=True)
_TITLE = Font(name=FONT_NAME, size=TITLE_SIZE, bold=True)
_NOTE = Font(name=FONT_NAME, size=NOTE_SIZE)
_CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
_LEFT = Alignment(horizontal="left", vertical="top", wrap_text=True)
_NUMBER = Alignment(horizontal="right", vertical="top")
_COUNT = Alignment(horizontal="center", vertical="top")
_TEXT = Alignment(horizontal="left", vertical="top", wrap_text=True, indent=1)


def _width(col: int) -> float:
    if col in WIDTHS:
        return WIDTHS[col]
    return MONTH_WIDTHS[(col - L.FIRST_MONTH) % 2]


def _span_width(first: int, last: int) -> float:
    return sum(_width(c) for c in range(first, last + 1))


def _sum(refs: Sequence[str]) -> Formula:
    return Formula(f"=SUM({','.join(refs)})")


def _person(p: Person) -> str:
    return f"{p.name} {L.POSITION_WORD} {p.position}".strip() if p.position else p.name


class _Writer:
    """Fills one worksheet top to bottom; `row` is the next free row."""

    def __init__(self, ws: Worksheet, doc: PlanDocument, thai_digits: bool):
        self.ws, self.doc, self.thai_digits = ws, doc, thai_digits
        prefix = THAI_DIGITS_FORMAT if thai_digits else ""
        self.work_format, self.baht_format = prefix + WORK_FORMAT, prefix + BAHT_FORMAT
        self.row = 1
        self.title_lines: list[str] = []
        self.marks: list[RowMark] = []
        self.header_rows = (0, 0)

    def digits(self, text: str) -> str:
        return to_thai_digits(text) if self.thai_digits else text

    def quantities(self):
        """(total column, the column of a month, number format) for งาน, then for งบ."""
        return ((L.TOTAL_WORK, L.work_col, self.work_format), (L.TOTAL_BAHT, L.baht_col, self.baht_format))

    # -- cells ---------------------------------------------------------------------------

    def cell(self, row: int, col: int, value: object, *, font: Font = _FONT, align: Alignment = _LEFT,
             border: bool = False, number_format: str | None = None, last_col: int | None = None,
             last_row: int | None = None):
        return write_cell(self.ws, row, col, value, font=font, align=align, border=border,
                          number_format=number_format, last_col=last_col, last_row=last_row)

    def line(self, text: str, *, font: Font = _FONT, align: Alignment = _LEFT) -> None:
        """A line of text across the whole sheet, as tall as its wrapped text needs."""
        self.cell(self.row, L.ACTIVITY, text, font=font, align=align, last_col=L.LAST_COL)
        lines = wrapped_lines(text, _span_width(L.ACTIVITY, L.LAST_COL), font.sz)
        self.ws.row_dimensions[self.row].height = line_height(font.sz) * lines
        self.row += 1

    def height(self, row: int, *texts: tuple[object, float]) -> None:
        lines = max(wrapped_lines(t, w * WRAP_SLACK, SIZE) for t, w in texts)
        self.ws.row_dimensions[row].height = line_height(SIZE) * lines

    # -- the parts -----------------------------------------------------------------------

    def title_block(self) -> None:
        h, doc = self.doc.header, self.doc
        for role, text, font in (("title", doc.sheet.title, _TITLE), ("office", h.office_name, _TITLE),
                                 ("unit", h.unit_name, _BOLD), ("revision_label", doc.revision_label, _BOLD)):
            if text:
                self.line(text, font=font, align=_CENTRE)
                self.title_lines.append(role)
        self.row += 1

    def fields(self) -> None:
        h = self.doc.header
        for attr, label in TEXT_FIELDS:
            self.line(f"{label}{L.FIELD_SEPARATOR}{getattr(h, attr)}")
        self.line(f"{L.RESPONSIBLE_LABEL}{L.FIELD_SEPARATOR}{_person(h.responsible)}")
        self.line(f"{L.PRACTITIONERS_LABEL}{L.FIELD_SEPARATOR}{', '.join(_person(p) for p in h.practitioners)}")
        self.row += 1

    def header_block(self) -> None:
        h = self.doc.header
        top = self.row
        for text, (first, last) in ((L.TARGETS_HEADER, (L.ACTIVITY, L.UNIT)),
                                    (L.BUDGET_HEADER, (L.BUDGET_CATEGORY_COLS[0], L.BUDGET_BAHT_COLS[1])),
                                    (L.KPI_HEADER, L.KPI_COLS), (L.KPI_TARGET_HEADER, L.KPI_TARGET_COLS)):
            self.cell(top, first, text, font=_BOLD, align=_CENTRE, border=True, last_col=last)
            self.ws.cell(top, first).fill = HEADER_FILL
        first = top + 1
        targets, budget, kpis = h.targets, h.budget_lines, h.kpis
        n = max(len(targets) + bool(targets), len(budget) + 1, len(kpis))
        for i in range(n):
            r = first + i
            self.target_line(r, i, first)
            self.budget_line(r, i, first)
            kpi = kpis[i] if i < len(kpis) else None
            self.cell(r, L.KPI_COLS[0], kpi and kpi.indicator or None, border=True, last_col=L.KPI_COLS[1])
            self.cell(r, L.KPI_TARGET_COLS[0], kpi and kpi.target or None, border=True, align=_CENTRE,
                      last_col=L.KPI_TARGET_COLS[1])
            self.height(r, (kpi and kpi.indicator, _span_width(*L.KPI_COLS)),
                        (targets[i].label if i < len(targets) else None, _width(L.ACTIVITY)),
                        (budget[i].category if i < len(budget) else None, _span_width(*L.BUDGET_CATEGORY_COLS)))
        self.row = first + n + 1

    def target_line(self, r: int, i: int, first: int) -> None:
        targets = self.doc.header.targets
        label = quantity = unit = None
        if i < len(targets):
            label, quantity, unit = targets[i].label, targets[i].quantity, targets[i].unit
        elif i == len(targets) and targets:
            units = {t.unit for t in targets}
            label = L.TARGETS_TOTAL_LABEL
            quantity = _sum([f"{column_letter(L.TARGET)}{first}:{column_letter(L.TARGET)}{r - 1}"])
            unit = units.pop() if len(units) == 1 else None
        self.cell(r, L.ACTIVITY, label, border=True, font=_BOLD if i == len(targets) else _FONT)
        self.cell(r, L.TARGET, quantity, border=True, align=_COUNT, number_format=self.work_format)
        self.cell(r, L.UNIT, unit, border=True, align=_TEXT)

    def budget_line(self, r: int, i: int, first: int) -> None:
        h, sheet = self.doc.header, self.doc.sheet
        amount_col = L.BUDGET_AMOUNT_COLS[0]
        category = amount = baht = None
        if i < len(h.budget_lines):
            line = h.budget_lines[i]
            category, baht = line.category, L.BAHT_WORD
            amount = "-" if line.amount is None else line.amount  # the sheet's way of "none"
        elif i == len(h.budget_lines):
            category, baht = L.BUDGET_TOTAL_LABEL, L.BAHT_WORD
            amount = sheet.budget_total
            if amount is None and h.budget_lines:
                amount = _sum([f"{column_letter(amount_col)}{first}:{column_letter(amount_col)}{r - 1}"])
        self.cell(r, L.BUDGET_CATEGORY_COLS[0], category, border=True, last_col=L.BUDGET_CATEGORY_COLS[1],
                  font=_BOLD if i == len(h.budget_lines) else _FONT)
        self.cell(r, amount_col, amount, border=True, align=_NUMBER, number_format=self.baht_format,
                  last_col=L.BUDGET_AMOUNT_COLS[1])
        self.cell(r, L.BUDGET_BAHT_COLS[0], baht, border=True, align=_CENTRE)

    def table_header(self) -> None:
        h = self.row
        self.header_rows = (h, h + 2)
        head = {"font": _BOLD, "align": _CENTRE, "border": True}
        self.cell(h, L.ACTIVITY, L.ACTIVITY_HEADER, last_row=h + 2, **head)
        self.cell(h, L.TARGET, L.TARGET_HEADER, last_col=L.UNIT, last_row=h + 1, **head)
        self.cell(h + 2, L.TARGET, L.QUANTITY_HEADER, **head)
        self.cell(h + 2, L.UNIT, L.UNIT_HEADER, **head)
        self.cell(h, L.TOTAL_WORK, L.TOTAL_HEADER, last_col=L.TOTAL_BAHT, last_row=h + 1, **head)
        for q in range(QUARTERS):
            first_month = q * MONTHS // QUARTERS
            self.cell(h, L.work_col(first_month), self.digits(f"{L.QUARTER_HEADER} {q + 1}"),
                      last_col=L.baht_col(first_month + MONTHS // QUARTERS - 1), **head)
        for m in range(MONTHS):
            self.cell(h + 1, L.work_col(m), THAI_MONTHS_ABBR[FISCAL_MONTH_ORDER[m]], last_col=L.baht_col(m), **head)
        for work, baht in [(L.TOTAL_WORK, L.TOTAL_BAHT)] + [(L.work_col(m), L.baht_col(m)) for m in range(MONTHS)]:
            self.cell(h + 2, work, L.WORK_HEADER, **head)
            self.cell(h + 2, baht, L.BAHT_HEADER, **head)
        self.cell(h, L.RESPONSIBLE, L.RESPONSIBLE_HEADER, last_row=h + 2, **head)
        for r in range(h, h + 3):
            self.ws.row_dimensions[r].height = line_height(SIZE)
            for c in range(1, L.LAST_COL + 1):
                self.ws.cell(r, c).fill = HEADER_FILL
        self.row = h + 3

    def body(self) -> tuple[int, int]:
        sheet = self.doc.sheet
        first = self.row
        rows = [first + i for i in range(len(sheet.activities))]
        for i, a in enumerate(sheet.activities):
            r = rows[i]
            children = [rows[c] for c in sheet.outline.children[i]]
            text = " ".join(part for part in (a.number, a.title) if part)
            font = _BOLD if a.is_heading else _FONT
            self.cell(r, L.ACTIVITY, text, font=font, border=True,
                      align=Alignment(horizontal="left", vertical="top", wrap_text=True,
                                      indent=sheet.outline.depths[i]))
            self.cell(r, L.TARGET, a.target_quantity, border=True, align=_COUNT, number_format=self.work_format)
            self.cell(r, L.UNIT, a.unit or None, border=True, align=_TEXT)
            self.row_totals(r, a, children)
            for m, month in enumerate(a.months):
                self.cell(r, L.work_col(m), month.work or None, border=True, align=_COUNT,
                          number_format=self.work_format)
                self.cell(r, L.baht_col(m), month.baht or None, border=True, align=_NUMBER,
                          number_format=self.baht_format)
            self.cell(r, L.RESPONSIBLE, a.responsible or None, border=True, align=_TEXT)
            self.height(r, (text, _width(L.ACTIVITY) - INDENT_CHARS * sheet.outline.depths[i]),
                        (a.responsible, _width(L.RESPONSIBLE)))
            self.marks.append(RowMark(r, a.key, a.level, a.is_heading, a.number, text))
        self.row = first + len(rows)
        return first, self.row - 1

    def row_totals(self, r: int, a: PlanActivity, children: Sequence[int]) -> None:
        """A row's total is its own months plus its children's totals: the section it heads,
        as the rules compare a stated row total (findings.py)."""
        for (col, month_col, fmt), stated in zip(self.quantities(), (a.stated_total_work, a.stated_total_baht)):
            parts = [f"{column_letter(month_col(m))}{r}" for m in range(MONTHS)]
            parts += [f"{column_letter(col)}{c}" for c in children]
            value = stated if stated is not None else _sum(parts)
            self.cell(r, col, value, border=True, align=_NUMBER, number_format=fmt, font=_BOLD)

    def totals_row(self, first: int, last: int) -> None:
        sheet, r = self.doc.sheet, self.row
        stated = sheet.stated_month_totals or (StatedCell(),) * MONTHS
        self.cell(r, L.ACTIVITY, L.TOTALS_LABEL, font=_BOLD, border=True, align=_CENTRE, last_col=L.UNIT)
        total = sheet.stated_total or StatedCell()
        for i, ((col, month_col, fmt), value) in enumerate(zip(self.quantities(), (total.work, total.baht))):
            for m in range(MONTHS):
                letter = column_letter(month_col(m))
                formula = _sum([f"{letter}{first}:{letter}{last}"] if last >= first else ["0"])
                month_value = (stated[m].work, stated[m].baht)[i]
                self.cell(r, month_col(m), formula if month_value is None else month_value, font=_BOLD,
                          border=True, align=_NUMBER, number_format=fmt)
            formula = _sum([f"{column_letter(month_col(m))}{r}" for m in range(MONTHS)])
            self.cell(r, col, formula if value is None else value, font=_BOLD, border=True, align=_NUMBER,
                      number_format=fmt)
        self.cell(r, L.RESPONSIBLE, None, border=True)
        self.ws.row_dimensions[r].height = line_height(SIZE)
        self.row = r + 2

    def signatures(self) -> None:
        h = self.doc.header
        r = self.row + 1  # a line of room to sign in
        for (attr, role), (first, last) in zip(SIGNATORIES, L.SIGNATURE_COLS, strict=True):
            p: Person = getattr(h, attr)
            lines = (f"{L.SIGN_LINE} {L.DOTS} {role}", f"({p.name or L.DOTS})",
                     f"{L.POSITION_WORD} {p.position or L.DOTS}")
            for i, text in enumerate(lines):
                self.cell(r + i, first, text, align=_CENTRE, last_col=last)
        for i in range(3):
            self.ws.row_dimensions[r + i].height = line_height(SIZE)
        self.row = r + 4

    def notes(self) -> None:
        for text in L.NOTE_LINES:
            self.cell(self.row, L.ACTIVITY, text, font=_NOTE, last_col=L.LAST_COL)
            self.row += 1

    def page(self) -> None:
        ws = self.ws
        for c in range(1, L.LAST_COL + 1):
            ws.column_dimensions[column_letter(c)].width = _width(c)
        top, bottom = self.header_rows
        print_a4_landscape(ws, f"{top}:{bottom}")
        # The header above the table is too tall to freeze; the titles column is frozen instead
        # and the table header repeats on every printed page.
        ws.freeze_panes = "B1"
        ws.oddFooter.right.text = f"CoopDesk {short_fingerprint(self.doc.sheet)}"
        ws.oddFooter.right.size = 8


def write_plan(doc: PlanDocument, path: str | Path, *, thai_digits: bool = False, group_id: str = "") -> None:
    """Write `doc` as the official sheet. `group_id` (the plan's work group) goes into the
    hidden marker, so that an import into another group does not reuse the rows' keys."""
    wb = Workbook()
    ws = wb.active
    ws.title = L.SHEET_TITLE
    w = _Writer(ws, doc, thai_digits)
    w.title_block()
    w.fields()
    w.header_block()
    w.table_header()
    first, last = w.body()
    w.totals_row(first, last)
    w.signatures()
    w.notes()
    w.page()
    write_marker(wb, Marker(
        fiscal_year=doc.sheet.fiscal_year, revision=doc.revision, state=doc.state, group_id=group_id,
        fingerprint=content_fingerprint(doc.sheet), title_lines=tuple(w.title_lines), approval=doc.approval,
        rows=tuple(w.marks),
    ))
    wb.properties.creator = "CoopDesk"
    wb.properties.title = doc.sheet.title or L.SHEET_TITLE
    wb.save(path)

