"""The printed action plan (seed 004's sheet): A4 landscape, Sarabun, shaped and searchable.

Layout decisions (why the sheet looks as it does):
- 29 columns must fit 27.4 cm: กิจกรรม takes what the fixed numeric columns leave. Month
  งบ cells print whole baht (as the official sheet does) unless some month of the plan
  has satang, then every month prints two decimals (money_cell shrinks to fit); the year
  total column always shows satang, so nothing is hidden by rounding.
- The totals rows are computed with the rules (month_totals, quarter_totals, year_total),
  never the figures the sheet states; they show baht only, each month's amount spanning
  its งาน and งบ columns: work units of different kinds (ครั้ง, แห่ง) do not add up on paper.
- Every digit of the sheet, text included, follows the one digit setting, so a page never
  mixes ๑ and 1. The fingerprint stays hex: it is typed back into the app to check a copy.
- The form's own wording (labels, column heads, ลงชื่อ, ร่าง) is the official sheet's, kept
  as written; sentences built around values (the approval stamp, the footer) go through i18n.
- The footer needs the page count, so pages are kept until the end (PagedCanvas) and the
  footer and the "ร่าง" watermark are drawn last, on top (translucent, so cell shading
  cannot hide the mark).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from typing import BinaryIO

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import KeepTogether, SimpleDocTemplate, Spacer, Table, TableStyle

from app.exchange.pdf import BOLD, PagedCanvas, ThaiParagraph, binary_streams, cell, money_cell, sheet_styles
from app.i18n import tr
from app.rules.approval import State
from app.rules.plan import MONTHS, PlanActivity, month_totals, quarter_totals, row_totals, short_fingerprint, year_total
from app.rules.plan.document import SIGNATORIES, TEXT_FIELDS, Person, PlanDocument
from app.thai import (
    FISCAL_MONTH_ORDER,
    THAI_MONTHS_ABBR,
    THAI_TIME,
    format_date,
    format_number,
    to_arabic_digits,
    to_thai_digits,
)

PAGE = landscape(A4)
MARGIN = 1.2 * cm
WIDTH = PAGE[0] - 2 * MARGIN
# Thailand keeps one zone and no daylight saving: print Thai time whatever the PC says.
# Column widths in points; กิจกรรม gets the rest (5 cm). ผู้รับผิดชอบ fits นางสาวปิยะนุช on one
# line, so that names wrap at their spaces, not inside them.
W_WORK, W_BAHT = 14, 26
W_TARGET, W_YEAR_WORK, W_YEAR_BAHT, W_RESPONSIBLE = 38, 17, 40, 54
NUMERIC = MONTHS * (W_WORK + W_BAHT) + W_TARGET + W_YEAR_WORK + W_YEAR_BAHT + W_RESPONSIBLE
COL_WIDTHS = [WIDTH - NUMERIC, W_TARGET, *[W_WORK, W_BAHT] * MONTHS, W_YEAR_WORK, W_YEAR_BAHT, W_RESPONSIBLE]
FIRST_MONTH, YEAR_COL, LAST_COL = 2, 2 + 2 * MONTHS, len(COL_WIDTHS) - 1
HEADER_ROWS = 3
INDENT = 5  # points per outline level
# An empty cell: no flowable at all (most month cells are empty), and not "", which reportlab
# would draw as a plain string in Helvetica.
BLANK: tuple = ()

GRID = colors.Color(.55, .55, .55)
HEADER_FILL, TOTAL_FILL = colors.Color(.88, .88, .88), colors.Color(.9, .9, .9)
HEADING_FILL = colors.Color(.95, .95, .95)
STAMP_COLOR = colors.Color(0, .3, .15)


def build_plan_pdf(doc: PlanDocument, path_or_buffer: str | BinaryIO, *, thai_digits: bool = True,
                   printed_at: datetime | None = None) -> int:
    """Write the plan's official sheet as PDF; returns the number of pages."""
    sheet = _Sheet(doc, thai_digits)
    printed = (printed_at or datetime.now(UTC)).astimezone(THAI_TIME)
    template = SimpleDocTemplate(
        path_or_buffer, pagesize=PAGE, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
        bottomMargin=MARGIN, title=sheet.d(doc.sheet.title), author=doc.header.office_name, creator="CoopDesk",
    )
    decorate = functools.partial(_decorate, footer=sheet.footer(printed), draft=not sheet.approved)
    with binary_streams():
        template.build(sheet.story(), canvasmaker=functools.partial(PagedCanvas, decorate=decorate))
    return template.page


def _decorate(canv: Canvas, page: int, pages: int, *, footer: Callable[[int, int], list], draft: bool) -> None:
    if draft:
        _watermark(canv)
    middle_width = 3 * cm  # the page number, centred on the page; the sides get the rest
    side = (WIDTH - middle_width) / 2
    for x, width, para in zip((MARGIN, MARGIN + side, MARGIN + side + middle_width), (side, middle_width, side),
                              footer(page, pages), strict=True):
        para.wrapOn(canv, width, MARGIN)
        para.drawOn(canv, x, MARGIN / 2 - para.height / 2)


@functools.cache
def _watermark_style() -> ParagraphStyle:
    # The colour's alpha becomes the text's fill alpha: the mark lies over cell shading.
    return ParagraphStyle("watermark", parent=sheet_styles()["title"], fontSize=220, leading=300,
                          textColor=colors.Color(.5, .5, .5, alpha=.22))


def _watermark(canv: Canvas) -> None:
    """A large diagonal ร่าง across the page, shaped like all other text (ThaiParagraph)."""
    mark = ThaiParagraph("ร่าง", _watermark_style())
    mark.wrap(PAGE[0], PAGE[1])
    canv.saveState()
    canv.translate(PAGE[0] / 2, PAGE[1] / 2)
    canv.rotate(30)
    mark.drawOn(canv, -PAGE[0] / 2, -mark.height / 2)
    canv.restoreState()


class _Sheet:
    """The flowables of one printed plan, in one digit setting."""

    def __init__(self, doc: PlanDocument, thai_digits: bool):
        self.doc, self.thai = doc, thai_digits
        self.approved = doc.state == State.APPROVED and doc.approval is not None
        self.fingerprint = short_fingerprint(doc.sheet)
        self.st = {**sheet_styles(10), "title": sheet_styles(12)["title"]}
        self.t = _table_styles()
        self._cells: dict[tuple, ThaiParagraph] = {}
        # Whole baht in month cells unless some month has satang (see the module docstring).
        self.month_decimals = 2 if any(m.baht != m.baht.to_integral_value() for a in doc.sheet.activities
                                       for m in a.months) else 0

    def d(self, text: object) -> str:
        """Text in the sheet's digits."""
        return to_thai_digits(text) if self.thai else to_arabic_digits(text)

    def num(self, value: int | Decimal | None, decimals: int = 0, blank_zero: bool = True) -> str:
        if value is None or (blank_zero and not value):
            return ""
        return format_number(value, decimals, self.thai)

    def story(self) -> list:
        return [*self.title_block(), self.header_fields(), Spacer(0, 6), self.targets_block(), Spacer(0, 8),
                self.activity_table(), self.signatures()]

    # -- the top of the first page ---------------------------------------------------------

    def title_block(self) -> list:
        doc, st = self.doc, self.st
        flow = [cell(self.d(doc.sheet.title), st["title"])]
        if doc.header.office_name:
            flow.append(cell(self.d(doc.header.office_name), st["title"]))
        label = doc.revision_label
        if doc.revision > 1:
            label = f"{label} {tr('(ฉบับปรับปรุงครั้งที่ {n})', n=doc.revision - 1)}".strip()
        if label:
            flow.append(cell(self.d(label), st["center"]))
        if self.approved:
            flow += [Spacer(0, 4), self.stamp()]
        return [*flow, Spacer(0, 6)]

    def stamp(self) -> Table:
        a = self.doc.approval
        at = a.at if a.at.tzinfo else a.at.replace(tzinfo=UTC)
        at = at.astimezone(THAI_TIME)
        when = tr("{date} เวลา {time} น.", date=format_date(at.date(), "long", self.thai), time=f"{at:%H:%M}")
        text = tr("อนุมัติโดย {name} {position} เมื่อ {when} รหัสตรวจสอบ {code}", name=self.d(a.by.name),
                  position=self.d(a.by.position), when=self.d(when), code=a.fingerprint)
        style = ParagraphStyle("stamp", parent=self.st["body_bold"], alignment=TA_CENTER, textColor=STAMP_COLOR)
        box = Table([[cell(text, style)]], colWidths=[WIDTH])
        box.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 1.2, STAMP_COLOR)]))
        return box

    def header_fields(self) -> Table | Spacer:
        h = self.doc.header
        rows = [(label, getattr(h, attr)) for attr, label in TEXT_FIELDS]
        rows.append(("ผู้รับผิดชอบ", _person_line(h.responsible)))
        rows.append(("ผู้ปฏิบัติ", ", ".join(_person_line(p, "ตำแหน่ง") for p in h.practitioners)))
        data = [[cell(f"{label} :", self.st["body_bold"]), cell(self.d(value), self.st["body"])]
                for label, value in rows if value.strip()]
        if not data:
            return Spacer(0, 0)
        table = Table(data, colWidths=[3.9 * cm, WIDTH - 3.9 * cm])
        table.setStyle(_PLAIN)
        return table

    def targets_block(self) -> Table:
        """เป้าหมาย | งบประมาณแยกตามประเภทรายจ่าย | ตัวชี้วัด side by side as on the sheet, each
        its own table so that a two-line indicator does not push the other lists apart."""
        h = self.doc.header
        targets = [(t.label, f"{self.num(t.quantity, blank_zero=False)} {t.unit}".strip()) for t in h.targets]
        units = {t.unit for t in h.targets if t.quantity is not None}
        if len(targets) > 1 and len(units) == 1:
            total = sum(t.quantity or 0 for t in h.targets)
            targets.append(("รวม", f"{self.num(total, blank_zero=False)} {units.pop()}"))
        budgets = [(f"- {b.category}", f"{self.num(b.amount, 2) or '-'} บาท") for b in h.budget_lines]
        stated = self.doc.sheet.budget_total
        if stated is None and any(b.amount is not None for b in h.budget_lines):
            stated = sum((b.amount or Decimal(0) for b in h.budget_lines), Decimal(0))
        if stated is not None:
            budgets.append(("รวมงบประมาณทั้งสิ้น", f"{self.num(stated, 2, blank_zero=False)} บาท"))
        kpi_width = WIDTH - 14.4 * cm
        parts = [
            self.list_table("พื้นที่ดำเนินการ/เป้าหมาย", "", targets, [3.2 * cm, 2.2 * cm], "text_right"),
            self.list_table("งบประมาณแยกตามประเภทรายจ่าย", "", budgets, [4.2 * cm, 3.2 * cm], "text_right"),
            self.list_table("ตัวชี้วัดระดับกิจกรรมหลัก", "เป้าหมาย", [(k.indicator, k.target) for k in h.kpis],
                            [kpi_width - 2.6 * cm, 2.6 * cm], "text_center"),
        ]
        outer = Table([parts], colWidths=[5.8 * cm, 8.6 * cm, kpi_width])
        outer.setStyle(TableStyle([*_PLAIN_CMDS, ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
        return outer

    def list_table(self, title: str, value_title: str, pairs: list[tuple[str, str]], widths: list[float],
                   value_style: str) -> Table:
        """A titled two-column list; without a value title the title spans both columns."""
        t = self.t
        data = [[cell(title, t["text_bold"]), self._cell(value_title, t["head"], widths[1])]]
        data += [[self._cell(self.d(label), t["text"], widths[0]), self._cell(self.d(value), t[value_style], widths[1])]
                 for label, value in pairs]
        table = Table(data, colWidths=widths)
        title_end = 0 if value_title else 1
        table.setStyle(TableStyle([*_PLAIN_CMDS, ("SPAN", (0, 0), (title_end, 0)),
                                   ("LINEBELOW", (0, 0), (-1, 0), .6, GRID)]))
        return table

    # -- the activity table ----------------------------------------------------------------

    def activity_table(self) -> Table:
        sheet = self.doc.sheet
        data = self.table_header()
        headings = []
        for i, a in enumerate(sheet.activities):
            if a.is_heading:
                headings.append(len(data))
            data.append(self.activity_row(a, sheet.outline.depths[i]))
        total_rows = len(data)
        data += self.total_rows()
        cmds = [
            ("GRID", (0, 0), (-1, -1), .3, GRID),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("VALIGN", (0, 0), (-1, HEADER_ROWS - 1), "MIDDLE"),
            ("BACKGROUND", (0, 0), (-1, HEADER_ROWS - 1), HEADER_FILL),
            # A tone mark over an upper vowel (ที่) rises ~0.11 em above the font's ascent:
            # room above the first line so it never touches the cell's top line.
            ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 0.8),
            ("LEFTPADDING", (0, 0), (-1, -1), 1), ("RIGHTPADDING", (0, 0), (-1, -1), 1),
            ("LEFTPADDING", (0, 0), (0, -1), 3), ("RIGHTPADDING", (0, 0), (0, -1), 3),
            ("LEFTPADDING", (LAST_COL, 0), (LAST_COL, -1), 2.5),
            # the body and the header as cells; the rest of the header's structure is spans
            ("SPAN", (0, 0), (0, 2)), ("SPAN", (1, 0), (1, 2)), ("SPAN", (LAST_COL, 0), (LAST_COL, 2)),
            ("SPAN", (YEAR_COL, 0), (YEAR_COL + 1, 1)),
            *[("SPAN", (FIRST_MONTH + 6 * q, 0), (FIRST_MONTH + 6 * q + 5, 0)) for q in range(4)],
            *[("SPAN", (FIRST_MONTH + 2 * m, 1), (FIRST_MONTH + 2 * m + 1, 1)) for m in range(MONTHS)],
            # quarters, and the year total, stand apart with a darker line
            *[("LINEBEFORE", (c, 0), (c, -1), .9, colors.black)
              for c in (FIRST_MONTH, *(FIRST_MONTH + 6 * q for q in range(1, 4)), YEAR_COL, LAST_COL)],
            *[("BACKGROUND", (0, r), (-1, r), HEADING_FILL) for r in headings],
            ("BACKGROUND", (0, total_rows), (-1, -1), TOTAL_FILL),
            ("LINEABOVE", (0, total_rows), (-1, total_rows), .9, colors.black),
            ("SPAN", (0, total_rows), (1, total_rows)), ("SPAN", (0, total_rows + 1), (1, total_rows + 1)),
            *[("SPAN", (FIRST_MONTH + 2 * m, total_rows), (FIRST_MONTH + 2 * m + 1, total_rows))
              for m in range(MONTHS)],
            *[("SPAN", (FIRST_MONTH + 6 * q, total_rows + 1), (FIRST_MONTH + 6 * q + 5, total_rows + 1))
              for q in range(4)],
            ("SPAN", (YEAR_COL, total_rows), (YEAR_COL + 1, total_rows + 1)),
            ("VALIGN", (YEAR_COL, total_rows), (YEAR_COL, total_rows), "MIDDLE"),
        ]
        table = Table(data, colWidths=COL_WIDTHS, repeatRows=HEADER_ROWS, longTableOptimize=1)
        table.setStyle(TableStyle(cmds))
        return table

    def table_header(self) -> list[list]:
        """Three rows: quarters, months, งาน/งบ. Header words shrink rather than break (เป้าหมา|ย)."""
        def head(text: str, width: float, style: str = "head") -> ThaiParagraph:
            return self._cell(self.d(text), self.t[style], width, shrink=True)

        top, months, halves = ([""] * len(COL_WIDTHS) for _ in range(HEADER_ROWS))
        top[0], top[1] = head("กิจกรรม/ขั้นตอนของกิจกรรม", COL_WIDTHS[0]), head("เป้าหมาย", W_TARGET)
        top[LAST_COL] = head("ผู้รับผิดชอบ", W_RESPONSIBLE)
        for q in range(4):
            top[FIRST_MONTH + 6 * q] = head(f"ไตรมาส {q + 1}", 3 * (W_WORK + W_BAHT))
        for m, month in enumerate(FISCAL_MONTH_ORDER):
            col = FIRST_MONTH + 2 * m
            months[col] = head(THAI_MONTHS_ABBR[month], W_WORK + W_BAHT)
            halves[col], halves[col + 1] = head("งาน", W_WORK, "head_small"), head("งบ", W_BAHT, "head_small")
        top[YEAR_COL] = head("รวมทั้งปี", W_YEAR_WORK + W_YEAR_BAHT)
        halves[YEAR_COL] = head("งาน", W_YEAR_WORK, "head_small")
        halves[YEAR_COL + 1] = head("งบ (บาท)", W_YEAR_BAHT, "head_small")
        return [top, months, halves]

    def activity_row(self, a: PlanActivity, depth: int) -> list:
        t = self.t
        number = self.d(a.number)
        text = f"{number} {self.d(a.title)}" if number else self.d(a.title)
        hang = stringWidth(f"{number} ", BOLD if a.is_heading else t["text"].fontName, t["text"].fontSize) \
            if number else 0
        row = [cell(text, _indented(a.is_heading, depth * INDENT, hang)),
               self._cell(f"{self.num(a.target_quantity)} {a.unit}".strip() if a.target_quantity is not None else "",
                          t["text_center"], W_TARGET)]
        for m in a.months:
            row += [self._money(m.work, W_WORK), self._money(m.baht, W_BAHT, self.month_decimals)]
        total = row_totals(a)
        row += [self._money(total.work, W_YEAR_WORK), self._money(total.baht, W_YEAR_BAHT, 2),
                self._cell(self.d(a.responsible), t["text"], W_RESPONSIBLE)]
        return row

    def _money(self, value: int | Decimal, width: float, decimals: int = 0) -> ThaiParagraph | tuple:
        if not value:
            return BLANK
        style = self.t["number"]
        return self._shared(("money", value, decimals, id(style), width),
                            lambda: money_cell(value, thai_digits=self.thai, decimals=decimals, style=style))

    def _cell(self, text: str, style: ParagraphStyle, width: float, shrink: bool = False) -> ThaiParagraph | tuple:
        return self._shared((text, id(style), width), lambda: cell(text, style, shrink=shrink)) if text else BLANK

    def _shared(self, key: tuple, make: Callable[[], ThaiParagraph]) -> ThaiParagraph:
        """One flowable for equal cells of one column width (๑ ครั้ง, ๑,๗๕๐ …): its words are
        broken and shaped, and its lines laid out, once. Safe because a Table wraps each cell at
        its column's width right before drawing it; the width is in the key so that a shared
        paragraph is never laid out again for another column."""
        para = self._cells.get(key)
        if para is None:
            para = self._cells[key] = make()
        return para

    def total_rows(self) -> list[list]:
        """Baht per month and per quarter, and the year, computed from the month cells."""
        sheet, t = self.doc.sheet, self.t
        by_month, by_quarter, year = month_totals(sheet), quarter_totals(sheet), year_total(sheet)
        months = [""] * len(COL_WIDTHS)
        quarters = [""] * len(COL_WIDTHS)
        months[0] = cell("รวมงบประมาณรายเดือน (บาท)", t["text_bold"])
        quarters[0] = cell("รวมงบประมาณรายไตรมาส (บาท)", t["text_bold"])
        for m, total in enumerate(by_month):
            months[FIRST_MONTH + 2 * m] = self._total(total.baht, self.month_decimals)
        for q, total in enumerate(by_quarter):
            quarters[FIRST_MONTH + 6 * q] = self._total(total.baht, 2, centred=True)
        months[YEAR_COL] = self._total(year.baht, 2)
        return [months, quarters]

    def _total(self, baht: Decimal, decimals: int, centred: bool = False) -> ThaiParagraph:
        style = self.t["total_center"] if centred else self.t["total"]
        return money_cell(baht, thai_digits=self.thai, decimals=decimals, style=style)

    # -- the end of the last page ----------------------------------------------------------

    def signatures(self) -> KeepTogether:
        h, center = self.doc.header, self.st["center"]
        blocks = []
        for attr, label in SIGNATORIES:
            person: Person = getattr(h, attr)
            blocks.append([
                cell(f"ลงชื่อ {'.' * 40} {label}", center),
                cell(f"({self.d(person.name) or '.' * 40})", center),
                cell(f"ตำแหน่ง {self.d(person.position)}".strip(), center),
            ])
        table = Table([list(row) for row in zip(*blocks, strict=True)], colWidths=[WIDTH / 3] * 3)
        table.setStyle(_PLAIN)
        return KeepTogether([Spacer(0, 28), table])

    def footer(self, printed: datetime) -> Callable[[int, int], list]:
        small = sheet_styles(8)
        fy = self.doc.sheet.fiscal_year
        where = " · ".join(part for part in (
            self.d(self.doc.header.unit_name), tr("ปีงบประมาณ {fy}", fy=self.d(fy)) if fy else "",
            tr("พิมพ์เมื่อ {date} {time} น.", date=format_date(printed.date(), "long", self.thai),
               time=self.d(f"{printed:%H:%M}")),
        ) if part)
        right = ParagraphStyle("footer_right", parent=small["body"], alignment=TA_RIGHT)
        left = cell(where, small["body"])
        code = cell(tr("รหัสตรวจสอบ {code}", code=self.fingerprint), right)

        def make(page: int, pages: int) -> list:
            return [left, cell(self.d(tr("หน้า {page}/{pages}", page=page, pages=pages)), small["center"]), code]

        return make


def _person_line(p: Person, position_label: str = "") -> str:
    return " ".join(part for part in (p.name, position_label if p.position else "", p.position) if part)


# Tables used for layout only: no lines, tight padding.
_PLAIN_CMDS = [("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 2),
               ("RIGHTPADDING", (0, 0), (-1, -1), 2), ("TOPPADDING", (0, 0), (-1, -1), 0),
               ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]
_PLAIN = TableStyle(_PLAIN_CMDS)


@functools.cache
def _table_styles() -> dict[str, ParagraphStyle]:
    """Text 8 pt, numbers 7 pt on the text's leading (first lines share a baseline)."""
    text, small = sheet_styles(8), sheet_styles(7)
    leading = text["body"].leading

    def derive(name: str, parent: ParagraphStyle, **kw) -> ParagraphStyle:
        return ParagraphStyle(name, parent=parent, **kw)

    return {
        "text": text["body"],
        "text_bold": text["body_bold"],
        "text_right": text["number"],
        "text_center": text["center"],
        "head": derive("head", text["center"], fontName=BOLD),
        "head_small": derive("head_small", small["center"], fontName=BOLD, leading=leading),
        "number": derive("cell_number", small["number"], leading=leading),
        "total": derive("total", small["number"], fontName=BOLD, leading=leading),
        "total_center": derive("total_center", small["center"], fontName=BOLD, leading=leading),
    }


@functools.cache
def _indented(bold: bool, indent: float, hang: float) -> ParagraphStyle:
    """An activity title indented by outline depth, its number hanging out to the left."""
    base = _table_styles()["text_bold" if bold else "text"]
    return ParagraphStyle(f"activity_{bold}_{indent}_{hang:.1f}", parent=base, leftIndent=indent + hang,
                          firstLineIndent=-hang)
