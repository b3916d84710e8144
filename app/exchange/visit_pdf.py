"""The two printed CPS documents, Sarabun, shaped and searchable like the action plan's sheet:

- the travel-plan request (บันทึกข้อความ "ขออนุมัติเดินทางไปปฏิบัติงาน"), A4 portrait: one
  officer's month of visits with the follow-ups each visit carries, for the group director
  to sign; a "ร่าง" watermark until approved, then an approval stamp with the short hash;
- the monthly CPS report (รายงานผลการปฏิบัติงานส่งเสริมสหกรณ์ (CPS) ประจำเดือน …), A4
  landscape, from app.services.visit_views.monthly_report: summary, visits with what was
  found and advised, follow-ups opened and closed, plan against approved visits.

Layout decisions:
- Both build only from plain values (TravelPlanSheet, a MonthlyReport, signer tuples): the
  services read the database and check permissions, this module only draws.
- As on the plan sheet, every digit follows the one digit setting (the hex code excepted),
  the form's own wording (column heads, ลงชื่อ, ร่าง) is kept as the official form writes it
  and sentences built around values go through i18n.
- Dates in tables are short BE dates (๑๐ พ.ย. ๖๙): the month and year are in the title, and
  a long date would take two lines in a column that narrow.
- The page footer (page x/y) and the watermark are drawn last, on top, by the plan sheet's
  paged canvas.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, BinaryIO

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import CondPageBreak, KeepTogether, SimpleDocTemplate, Spacer, Table, TableStyle

from app.exchange.pdf import BOLD, PagedCanvas, ThaiParagraph, binary_streams, cell, sheet_styles
from app.i18n import tr
from app.rules.approval import STATE_LABELS
from app.rules.visits import METHODS
from app.thai import THAI_MONTHS_ABBR, THAI_TIME, format_date, format_number, to_arabic_digits, to_thai_digits

if TYPE_CHECKING:
    from app.services.visit_views import MonthlyReport, VisitRow

GRID = colors.Color(.55, .55, .55)
HEADER_FILL = colors.Color(.88, .88, .88)
TOTAL_FILL = colors.Color(.93, .93, .93)
MUTED = colors.Color(.38, .38, .38)
STAMP_COLOR = colors.Color(0, .3, .15)
WATERMARK = colors.Color(.5, .5, .5, alpha=.22)
DOTS = "." * 40
# A row taller than what is left of the page (a long finding) is split across pages rather
# than moved whole; a part shorter than this moves to the next page instead.
SPLIT_IN_ROW = 40

# A signature block: (role printed under the line, name, position); "" prints dots.
Signer = tuple[str, str, str]


# -- the data the travel-plan request prints ---------------------------------------------------

@dataclass(frozen=True)
class TripLine:
    """One planned visit of the request."""

    day: date
    time: str | None  # "HH:MM" or None (during the day)
    institution: str
    district: str  # "อ.เมืองกำแพงเพชร", or "" when unknown
    method: str  # app.rules.visits.METHODS key
    purpose: str  # ประเด็น
    carried: tuple[str, ...] = ()  # open follow-ups carried into this visit (PrepItem.text_th)
    co_officers: tuple[str, ...] = ()  # names of colleagues on the same trip
    cancelled_reason: str | None = None  # the visit did not take place, and why
    institution_id: str = ""  # counts places; the name when empty


@dataclass(frozen=True)
class TravelApproval:
    name: str
    position: str
    at: datetime
    code: str  # the short content hash the approval covered


@dataclass(frozen=True)
class TravelPlanSheet:
    office_name: str
    group_name: str  # the officer's work group ("" if none)
    officer_name: str
    officer_position: str
    month: date  # first day
    lines: tuple[TripLine, ...]
    note: str = ""
    approver_name: str = ""  # who signs as ผู้อนุมัติ (the approver, else the group's director)
    approver_position: str = ""
    approval: TravelApproval | None = None  # set only while the plan is approved


# -- shared pieces ------------------------------------------------------------------------------

class _Digits:
    def __init__(self, thai_digits: bool):
        self.thai = thai_digits

    def d(self, text: object) -> str:
        """Text in the sheet's digits."""
        text = "" if text is None else str(text)
        return to_thai_digits(text) if self.thai else to_arabic_digits(text)

    def day(self, d: date | None) -> str:
        return self.d(f"{d.day} {THAI_MONTHS_ABBR[d.month]} {(d.year + 543) % 100:02d}") if d else ""

    def num(self, n: int) -> str:
        return format_number(n, 0, self.thai)


@functools.cache
def _styles(size: float, pad: float = 0) -> dict[str, ParagraphStyle]:
    """The sheet's styles at `size`; pad > 0 gives the grid-table variant, whose cells have
    no horizontal padding of their own: the paragraph indents by `pad` on both sides instead.
    Why: when a row is split across pages, reportlab splits a cell's paragraphs at the full
    column width (padding not subtracted) but draws them inside the padding, so a padded cell's
    first part would print more lines than its row holds and run over the footer."""
    base = {name: ParagraphStyle(f"{name}_{size}_{pad}", parent=st, leftIndent=pad, rightIndent=pad)
            for name, st in sheet_styles(size).items()}

    def derive(name: str, parent: str, **kw) -> ParagraphStyle:
        return ParagraphStyle(f"{name}_{size}_{pad}", parent=base[parent], **kw)

    return {
        **base,
        "head": derive("head", "center", fontName=BOLD),
        "muted": derive("muted", "body", textColor=MUTED),
        "right": derive("right", "number"),
        "bold_center": derive("bold_center", "center", fontName=BOLD),
        "stamp": derive("stamp", "body_bold", alignment=TA_CENTER, textColor=STAMP_COLOR),
        "footer_right": derive("footer_right", "body", alignment=TA_RIGHT),
        "indented": derive("indented", "body", firstLineIndent=2.5 * cm),
    }


CELL_PAD = 3  # points between a grid cell's text and its lines, left and right


def _grid_cmds(header_rows: int = 1) -> list:
    """A ruled table whose cells hold _styles(size, CELL_PAD) paragraphs."""
    return [
        ("GRID", (0, 0), (-1, -1), .4, GRID),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("VALIGN", (0, 0), (-1, header_rows - 1), "MIDDLE"),
        ("BACKGROUND", (0, 0), (-1, header_rows - 1), HEADER_FILL),
        # Room above the first line for a tone mark over an upper vowel (ที่).
        ("TOPPADDING", (0, 0), (-1, -1), 2.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
        ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
    ]


_PLAIN_CMDS = [("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
               ("RIGHTPADDING", (0, 0), (-1, -1), 2), ("TOPPADDING", (0, 0), (-1, -1), 0),
               ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]


def _watermark(canv: Canvas, page: tuple[float, float]) -> None:
    """A large diagonal ร่าง across the page, shaped like all other text."""
    style = ParagraphStyle("visit_watermark", parent=sheet_styles()["title"], fontSize=200, leading=270,
                           textColor=WATERMARK)
    mark = ThaiParagraph("ร่าง", style)
    mark.wrap(page[0], page[1])
    canv.saveState()
    canv.translate(page[0] / 2, page[1] / 2)
    canv.rotate(35 if page[1] > page[0] else 30)
    mark.drawOn(canv, -page[0] / 2, -mark.height / 2)
    canv.restoreState()


def _decorator(page: tuple[float, float], left_margin: float, width: float, bottom: float,
               footer: Callable[[int, int], list], draft: bool) -> Callable[[Canvas, int, int], None]:
    def decorate(canv: Canvas, number: int, pages: int) -> None:
        if draft:
            _watermark(canv, page)
        middle = 2.6 * cm
        side = (width - middle) / 2
        for x, w, para in zip((left_margin, left_margin + side, left_margin + side + middle), (side, middle, side),
                              footer(number, pages), strict=True):
            para.wrapOn(canv, w, bottom)
            para.drawOn(canv, x, bottom / 2 - para.height / 2)

    return decorate


def _footer(dig: _Digits, left: str, right: str, printed: datetime, *, two_lines: bool = False
            ) -> Callable[[int, int], list]:
    small = _styles(8)
    when = tr("พิมพ์เมื่อ {date} {time} น.", date=format_date(printed.date(), "long", dig.thai),
              time=dig.d(f"{printed:%H:%M}"))
    left_cell = cell(("\n" if two_lines else " · ").join(p for p in (dig.d(left), when) if p), small["body"])
    right_cell = cell(right, small["footer_right"])

    def make(page: int, pages: int) -> list:
        return [left_cell, cell(dig.d(tr("หน้า {page}/{pages}", page=page, pages=pages)), small["center"]), right_cell]

    return make


def _signature_table(signers: Sequence[Signer], width: float, dig: _Digits, style: ParagraphStyle,
                     lead: Sequence[Sequence[str]] = (), dots: str = DOTS) -> Table:
    """Signature blocks side by side: ลงชื่อ ..... role / (name) / ตำแหน่ง position, each
    under its own lead lines (lead[i]; blocks with fewer lines are padded at the top)."""
    height = max((len(lines) for lines in lead), default=0)
    blocks = []
    for i, (role, name, position) in enumerate(signers):
        lines = list(lead[i]) if i < len(lead) else []
        rows = [cell("", style)] * (height - len(lines)) + [cell(text, style) for text in lines]
        if height:
            rows.append(Spacer(0, 8))
        rows += [
            cell(f"ลงชื่อ {dots} {role}", style),
            cell(f"({dig.d(name) or dots})", style),
            cell(f"ตำแหน่ง {dig.d(position) or dots}", style),
        ]
        blocks.append(rows)
    table = Table([list(r) for r in zip(*blocks, strict=True)], colWidths=[width / len(signers)] * len(signers))
    table.setStyle(TableStyle([*_PLAIN_CMDS, ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5)]))
    return table


def _approved_when(at: datetime, dig: _Digits) -> str:
    at = (at if at.tzinfo else at.replace(tzinfo=UTC)).astimezone(THAI_TIME)
    return tr("{date} เวลา {time} น.", date=format_date(at.date(), "long", dig.thai), time=dig.d(f"{at:%H:%M}"))


def _build(path_or_buffer, story: list, *, page: tuple[float, float], margins: tuple[float, float, float, float],
           title: str, author: str, footer: Callable[[int, int], list], draft: bool) -> int:
    left, right, top, bottom = margins
    template = SimpleDocTemplate(path_or_buffer, pagesize=page, leftMargin=left, rightMargin=right, topMargin=top,
                                 bottomMargin=bottom, title=title, author=author, creator="CoopDesk")
    decorate = _decorator(page, left, page[0] - left - right, bottom, footer, draft)
    with binary_streams():
        template.build(story, canvasmaker=functools.partial(PagedCanvas, decorate=decorate))
    return template.page


# -- the travel-plan request ------------------------------------------------------------------------

MEMO_PAGE = A4
MEMO_MARGINS = (2.5 * cm, 1.5 * cm, 1.5 * cm, 1.5 * cm)  # left (the official memo's), right, top, bottom
MEMO_WIDTH = MEMO_PAGE[0] - MEMO_MARGINS[0] - MEMO_MARGINS[1]
# ที่ | วัน เวลา (the time under the date) | สหกรณ์/กลุ่มเกษตรกร (อำเภอ under the name) | วิธีการ |
# ประเด็น/เรื่องที่ติดตาม, the widest: purpose and carried follow-ups are the request's substance.
TRIP_WIDTHS = [20, 62, 122, 88]
TRIP_WIDTHS.append(MEMO_WIDTH - sum(TRIP_WIDTHS))


def build_travel_plan_pdf(sheet: TravelPlanSheet, path_or_buffer: str | BinaryIO, *, thai_digits: bool = True,
                          printed_at: datetime | None = None) -> int:
    """Write the travel-plan request as PDF; returns the number of pages."""
    dig = _Digits(thai_digits)
    printed = (printed_at or datetime.now(UTC)).astimezone(THAI_TIME)
    month = format_date(sheet.month, "month", thai_digits)
    right = tr("รหัสตรวจสอบ {code}", code=sheet.approval.code) if sheet.approval else ""
    left = tr("แผนการเดินทาง {name} · {month}", name=sheet.officer_name,
              month=format_date(sheet.month, "month", thai_digits))
    footer = _footer(dig, left, right, printed, two_lines=True)
    return _build(path_or_buffer, _TravelStory(sheet, dig).story(), page=MEMO_PAGE, margins=MEMO_MARGINS,
                  title=tr("ขออนุมัติเดินทางไปปฏิบัติงาน ประจำเดือน{month}", month=month),
                  author=sheet.office_name, footer=footer, draft=sheet.approval is None)


class _TravelStory:
    def __init__(self, sheet: TravelPlanSheet, dig: _Digits):
        self.s, self.dig = sheet, dig
        self.body, self.t = _styles(BODY_SIZE), _styles(11, CELL_PAD)
        self.month = format_date(sheet.month, "month", dig.thai)

    def story(self) -> list:
        s, d, body = self.s, self.dig.d, self.body
        n_visits = len(s.lines)
        n_places = len({line.institution_id or line.institution for line in s.lines})
        group = f" {s.group_name}" if s.group_name else ""
        intro = tr(
            "ด้วยข้าพเจ้า {name} ตำแหน่ง {position}{group} มีความประสงค์ขออนุมัติเดินทางไปปฏิบัติงานส่งเสริมและแนะนำ"
            "สหกรณ์/กลุ่มเกษตรกรในความรับผิดชอบ ประจำเดือน{month} รวม {visits} ครั้ง {places} แห่ง ตามรายละเอียดดังนี้",
            name=s.officer_name, position=s.officer_position or "-", group=group, month=self.month,
            visits=n_visits, places=n_places,
        )
        flow: list = [*self.memo_head()]
        if s.approval:
            flow += [self.stamp(), Spacer(0, 6)]
        flow += [cell(d(intro), body["indented"]), Spacer(0, 6), self.trips(n_visits, n_places)]
        if s.note.strip():
            flow += [Spacer(0, 4), cell(d(tr("หมายเหตุ: {note}", note=s.note.strip())), body["body"])]
        flow += [Spacer(0, 6), cell("จึงเรียนมาเพื่อโปรดพิจารณาอนุมัติ", body["indented"]), self.signatures()]
        return flow

    def memo_head(self) -> list:
        s, d, st = self.s, self.dig.d, self.body
        title = ParagraphStyle("memo_title", parent=st["title"], fontSize=22, leading=28)

        def field(label: str, value: str) -> list:
            return [cell(label, st["body_bold"]), cell(d(value), st["body"])]

        where = " ".join(p for p in (s.office_name, s.group_name) if p)
        to = f"ผู้อำนวยการ{s.group_name}" if s.group_name else tr("สหกรณ์จังหวัด")
        rows = [
            field("ส่วนราชการ", where),
            [cell("ที่", st["body_bold"]), Table([[cell(DOTS, st["body"]), cell("วันที่", st["body_bold"]),
                                                   cell(DOTS, st["body"])]],
                                                 colWidths=[6.2 * cm, 1.3 * cm, None], style=_PLAIN_CMDS)],
            field("เรื่อง", tr("ขออนุมัติเดินทางไปปฏิบัติงาน ประจำเดือน{month}", month=self.month)),
            field("เรียน", to),
        ]
        table = Table(rows, colWidths=[2.8 * cm, MEMO_WIDTH - 2.8 * cm])
        table.setStyle(TableStyle([*_PLAIN_CMDS, ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                                   ("LINEBELOW", (0, 2), (-1, 2), .5, GRID)]))
        return [cell("บันทึกข้อความ", title), Spacer(0, 6), table, Spacer(0, 8)]

    def stamp(self) -> Table:
        a, d = self.s.approval, self.dig.d
        text = tr("อนุมัติโดย {name} {position} เมื่อ {when} รหัสตรวจสอบ {code}", name=d(a.name),
                  position=d(a.position), when=_approved_when(a.at, self.dig), code=a.code)
        text = text.replace(" รหัสตรวจสอบ ", "\nรหัสตรวจสอบ ")  # the code on a line of its own, not cut
        box = Table([[cell(text, _styles(10)["stamp"])]], colWidths=[MEMO_WIDTH])
        box.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 1.2, STAMP_COLOR)]))
        return box

    def trips(self, n_visits: int, n_places: int) -> Table:
        t, d = self.t, self.dig.d
        heads = ("ที่", "วัน เวลา", "สหกรณ์/กลุ่มเกษตรกร", "วิธีการ", "ประเด็น/เรื่องที่ติดตาม")
        data: list[list] = [[cell(h, t["head"]) for h in heads]]
        for i, line in enumerate(self.s.lines, 1):
            when = [cell(self.dig.day(line.day), t["center"])]
            if line.time:
                when.append(cell(d(f"{line.time} น."), t["center"]))
            place = [cell(d(line.institution), t["body"])]
            if line.district:
                place.append(cell(d(line.district), t["muted"]))
            data.append([
                cell(self.dig.num(i), t["center"]), when, place,
                cell(METHODS.get(line.method, line.method), t["body"], shrink=True),
                self.issues(line),
            ])
        total = tr("รวม {visits} ครั้ง {places} แห่ง", visits=self.dig.num(n_visits), places=self.dig.num(n_places))
        data.append([cell(total, t["body_bold"]), "", "", "", ""])
        if not self.s.lines:
            data.insert(1, [cell(tr("ยังไม่มีนัดเยี่ยมในเดือนนี้"), t["center"]), "", "", "", ""])
        last = len(data) - 1
        cmds = [*_grid_cmds(), ("SPAN", (0, last), (-1, last)), ("BACKGROUND", (0, last), (-1, last), TOTAL_FILL)]
        if not self.s.lines:
            cmds.append(("SPAN", (0, 1), (-1, 1)))
        table = Table(data, colWidths=TRIP_WIDTHS, repeatRows=1, splitInRow=SPLIT_IN_ROW)
        table.setStyle(TableStyle(cmds))
        return table

    def issues(self, line: TripLine) -> list:
        t, d = self.t, self.dig.d
        out = []
        if line.purpose.strip():
            out.append(cell(d(line.purpose), t["body"]))
        if line.carried:
            out.append(cell("ข้อสังเกตค้าง ณ วันที่พิมพ์:", t["body_bold"]))
            out += [cell(d(f"- {item}"), _hanging(11, CELL_PAD)) for item in line.carried]
        if line.co_officers:
            out.append(cell(d(tr("ผู้ร่วมเดินทาง: {names}", names=", ".join(line.co_officers))), t["muted"]))
        if line.cancelled_reason is not None:
            out.append(cell(d(tr("ไม่ได้ไปเยี่ยม: {reason}", reason=line.cancelled_reason)), t["muted"]))
        return out or [cell("-", t["body"])]

    def signatures(self) -> KeepTogether:
        s, st = self.s, _styles(SIGN_SIZE)["center"]
        box = "(" + "\u00a0" * 6 + ")"  # no-break spaces: a run of plain spaces prints as one
        decided = "อนุมัติ" if s.approval else f"{box} อนุมัติ{chr(0xa0) * 8}{box} ไม่อนุมัติ"
        signers = [("ผู้ขออนุมัติ", s.officer_name, s.officer_position),
                   ("ผู้อนุมัติ", s.approver_name, s.approver_position)]
        lead = [[], ["ความเห็นผู้อำนวยการกลุ่ม / ผู้อนุมัติ", decided]]
        table = _signature_table(signers, MEMO_WIDTH, self.dig, st, lead=lead, dots="." * 32)
        return KeepTogether([Spacer(0, 10), table])


BODY_SIZE, SIGN_SIZE = 14, 13


@functools.cache
def _hanging(size: float, pad: float) -> ParagraphStyle:
    """A "- item" line whose wrapped lines start under the item, not under the dash."""
    hang = 6.5 * size / 11
    return ParagraphStyle(f"hanging_{size}_{pad}", parent=_styles(size, pad)["body"], leftIndent=pad + hang,
                          firstLineIndent=-hang)


# -- the monthly CPS report ---------------------------------------------------------------------------

REPORT_PAGE = landscape(A4)
REPORT_MARGINS = (1.2 * cm, 1.2 * cm, 1.2 * cm, 1.2 * cm)
REPORT_WIDTH = REPORT_PAGE[0] - REPORT_MARGINS[0] - REPORT_MARGINS[1]
# ที่ | วันที่ | สหกรณ์ | วิธีการ | ข้อสังเกต | คำแนะนำ | การตอบรับ/ขั้นต่อไป | สถานะรายงาน
_FIXED = (20, 58, 120, 92, 58)
_TEXT_COL = (REPORT_WIDTH - sum(_FIXED)) / 3
VISIT_WIDTHS = [_FIXED[0], _FIXED[1], _FIXED[2], _FIXED[3], _TEXT_COL, _TEXT_COL, _TEXT_COL, _FIXED[4]]

PLANNED, DONE, CANCELLED = "planned", "done", "cancelled"
HEADING_ROOM = 3 * cm  # a section heading starts a new page unless this much room is left


def build_monthly_report_pdf(report: MonthlyReport, path_or_buffer: str | BinaryIO, *, scope_line: str = "",
                             signers: Sequence[Signer] = (), thai_digits: bool = True,
                             printed_at: datetime | None = None) -> int:
    """Write the monthly CPS report as PDF; returns the number of pages."""
    dig = _Digits(thai_digits)
    printed = (printed_at or datetime.now(UTC)).astimezone(THAI_TIME)
    title = report_title(report.month, thai_digits)
    footer = _footer(dig, report.office_name, dig.d(report.scope_label), printed)
    story = _ReportStory(report, dig, scope_line, signers).story()
    return _build(path_or_buffer, story, page=REPORT_PAGE, margins=REPORT_MARGINS, title=title,
                  author=report.office_name, footer=footer, draft=False)


def report_title(month: date, thai_digits: bool) -> str:
    return f"รายงานผลการปฏิบัติงานส่งเสริมสหกรณ์ (CPS) ประจำเดือน{format_date(month, 'month', thai_digits)}"


def summary_figures(report: MonthlyReport) -> list[tuple[str, int, str]]:
    """(label, count, unit) of the summary block, shared by the PDF and the workbook."""
    visits = report.visits
    return [
        ("นัดเยี่ยมตามแผน", len(visits), "ครั้ง"),
        ("ไปเยี่ยมแล้ว", sum(1 for v in visits if v.status == DONE), "ครั้ง"),
        ("ไม่ได้ไปตามนัด", sum(1 for v in visits if v.status == CANCELLED), "ครั้ง"),
        ("ยังไม่ได้บันทึกผล", sum(1 for v in visits if v.status == PLANNED), "ครั้ง"),
        ("สหกรณ์/กลุ่มเกษตรกรที่ได้เยี่ยม", report.institutions_visited, "แห่ง"),
        ("ข้อสังเกตที่พบใหม่", len(report.followups_opened), "เรื่อง"),
        ("ข้อสังเกตที่ปิดแล้ว", len(report.followups_closed), "เรื่อง"),
    ]


def report_state_text(v: VisitRow) -> str:
    """The report column: no report yet for a visit that is still only planned."""
    if v.status == PLANNED:
        return "ยังไม่รายงาน"
    return STATE_LABELS.get(v.report_state, v.report_state)


def visit_texts(v: VisitRow) -> tuple[str, str, str]:
    """(findings, advice, response / next step) as the report prints them."""
    if v.status == CANCELLED:
        return tr("ไม่ได้ไปเยี่ยม: {reason}", reason=v.cancel_reason), "", ""
    if v.status == PLANNED:
        return tr("ยังไม่ได้บันทึกผลการเยี่ยม"), "", ""
    response = v.response.strip()
    if v.next_step.strip():
        step = tr("ขั้นต่อไป: {step}", step=v.next_step.strip())
        response = f"{response}\n{step}" if response else step
    return v.findings.strip(), v.advice.strip(), response


def closed_status_text(status: str) -> str:
    return {"resolved": "แก้ไขแล้ว", "dropped": "ยกเลิกการติดตาม"}.get(status, status)


def percent(done: int, planned: int) -> str | None:
    return f"{done * 100 / planned:.0f}" if planned else None


class _ReportStory:
    def __init__(self, report: MonthlyReport, dig: _Digits, scope_line: str, signers: Sequence[Signer]):
        self.r, self.dig, self.scope_line, self.signers = report, dig, scope_line, signers
        self.st, self.t, self.plain = _styles(12), _styles(10, CELL_PAD), _styles(10)
        self.several_officers = len({v.officer_id for v in report.visits}) > 1

    def story(self) -> list:
        r, d, st = self.r, self.dig.d, self.st
        title = ParagraphStyle("report_title", parent=st["title"], fontSize=16, leading=22)
        flow: list = [cell(report_title(r.month, self.dig.thai), title), cell(d(r.office_name), st["bold_center"])]
        if self.scope_line:
            flow.append(cell(d(self.scope_line), st["center"]))
        flow += [Spacer(0, 8), self.summary(), Spacer(0, 10),
                 *self.heading(tr("๑. ผลการเยี่ยมสหกรณ์/กลุ่มเกษตรกร ({n} ครั้ง)", n=self.dig.num(len(r.visits)))),
                 self.visits_table(), Spacer(0, 10),
                 *self.followups(), Spacer(0, 10), *self.plan_lines()]
        if self.signers:
            flow.append(KeepTogether([Spacer(0, 24), _signature_table(self.signers, REPORT_WIDTH, self.dig,
                                                                       st["center"])]))
        return flow

    def heading(self, text: str) -> list:
        """A section heading, never left alone at the foot of a page (a CondPageBreak rather
        than keepWithNext, which would carry a long table whole to the next page)."""
        style = ParagraphStyle("report_heading", parent=self.st["body_bold"], spaceAfter=3)
        return [CondPageBreak(HEADING_ROOM), cell(self.dig.d(text), style)]

    # -- the summary block -------------------------------------------------------------------

    def summary(self) -> Table:
        r, num = self.r, self.dig.num
        visits = [(label, f"{num(n)} {unit}") for label, n, unit in summary_figures(r)]
        methods = [(METHODS.get(m, m), f"{num(n)} ครั้ง") for m, n in r.by_method]
        if methods:
            methods.append(("รวม", f"{num(sum(n for _, n in r.by_method))} ครั้ง"))
        states = [(STATE_LABELS.get(s, s), f"{num(n)} รายการ") for s, n in r.by_state]
        parts = [
            self.list_table("สรุปการเยี่ยม", visits, [5.2 * cm, 2.2 * cm]),
            self.list_table("จำแนกตามวิธีการ (ที่ไปแล้ว)", methods, [5.4 * cm, 2.2 * cm]),
            self.list_table("สถานะรายงานการเยี่ยม", states, [5.4 * cm, 2.2 * cm]),
        ]
        gap = (REPORT_WIDTH - 7.4 * cm - 7.6 * cm * 2) / 2
        outer = Table([[parts[0], "", parts[1], "", parts[2]]],
                      colWidths=[7.4 * cm, gap, 7.6 * cm, gap, 7.6 * cm])
        outer.setStyle(TableStyle(_PLAIN_CMDS))
        return outer

    def list_table(self, title: str, pairs: list[tuple[str, str]], widths: list[float]) -> Table:
        t = self.plain
        data = [[cell(title, t["body_bold"]), ""]]
        data += [[cell(self.dig.d(label), t["body"]), cell(self.dig.d(value), t["right"])] for label, value in pairs]
        if not pairs:
            data.append([cell("-", t["body"]), ""])
        table = Table(data, colWidths=widths)
        table.setStyle(TableStyle([*_PLAIN_CMDS, ("SPAN", (0, 0), (1, 0)), ("LINEBELOW", (0, 0), (-1, 0), .6, GRID),
                                   ("TOPPADDING", (0, 0), (-1, -1), 1.5)]))
        return table

    # -- the visits ----------------------------------------------------------------------------

    def visits_table(self) -> Table:
        t, d = self.t, self.dig.d
        heads = ("ที่", "วันที่", "สหกรณ์/กลุ่มเกษตรกร", "วิธีการ", "สภาพปัญหา/ข้อสังเกต", "คำแนะนำ",
                 "การตอบรับ/ขั้นต่อไป", "สถานะรายงาน")
        data: list[list] = [[cell(h, t["head"]) for h in heads]]
        for i, v in enumerate(self.r.visits, 1):
            findings, advice, response = visit_texts(v)
            place = [cell(d(v.institution_name), t["body"])]
            if self.several_officers:
                place.append(cell(d(v.officer_name), t["muted"]))
            muted = v.status != DONE
            data.append([
                cell(self.dig.num(i), t["center"]),
                cell(self.dig.day(v.day), t["center"]),
                place,
                cell(v.method_label, t["body"], shrink=True),
                cell(d(findings), t["muted" if muted else "body"]),
                cell(d(advice), t["body"]),
                cell(d(response), t["body"]),
                cell(report_state_text(v), t["center"]),
            ])
        cmds = _grid_cmds()
        if not self.r.visits:
            data.append([cell(tr("ไม่มีการเยี่ยมในเดือนนี้"), t["center"]), "", "", "", "", "", "", ""])
            cmds.append(("SPAN", (0, 1), (-1, 1)))
        table = Table(data, colWidths=VISIT_WIDTHS, repeatRows=1, splitInRow=SPLIT_IN_ROW)
        table.setStyle(TableStyle(cmds))
        return table

    # -- follow-ups and the plan ------------------------------------------------------------------

    def followups(self) -> list:
        t, d, r = self.t, self.dig.d, self.r
        widths = [20, 170, REPORT_WIDTH - 20 - 170 - 90, 90]
        out: list = []
        for number, title, rows, last_head in (
            ("๒", "ข้อสังเกตที่พบใหม่ในเดือนนี้", [(inst, text, self.dig.day(due) or "-")
                                                   for inst, text, due in r.followups_opened], "กำหนดติดตาม"),
            ("๓", "ข้อสังเกตที่ปิดในเดือนนี้", [(inst, text, closed_status_text(status))
                                               for inst, text, status in r.followups_closed], "ผล"),
        ):
            out += self.heading(tr("{no}. {title} ({n} เรื่อง)", no=number, title=title,
                                   n=self.dig.num(len(rows))))
            if not rows:
                out += [cell("- ไม่มี -", self.plain["body"]), Spacer(0, 8)]
                continue
            data = [[cell(h, t["head"]) for h in ("ที่", "สหกรณ์/กลุ่มเกษตรกร", "ข้อสังเกต", last_head)]]
            data += [[cell(self.dig.num(i), t["center"]), cell(d(inst), t["body"]), cell(d(text), t["body"]),
                      cell(d(last), t["center"])] for i, (inst, text, last) in enumerate(rows, 1)]
            table = Table(data, colWidths=widths, repeatRows=1, splitInRow=SPLIT_IN_ROW)
            table.setStyle(TableStyle(_grid_cmds()))
            out += [table, Spacer(0, 8)]
        return out

    def plan_lines(self) -> list:
        t, d, num = self.t, self.dig.d, self.dig.num
        heading = self.heading(tr("๔. ผลการปฏิบัติงานเทียบกับแผนปฏิบัติงานประจำเดือน"))
        if not self.r.plan_lines:
            return [*heading, cell(tr("ไม่มีกิจกรรมตามแผนปฏิบัติงานของกลุ่มในเดือนนี้"), self.plain["body"])]
        widths = [REPORT_WIDTH - 4 * 80, 80, 80, 80, 80]
        data = [[cell(h, t["head"]) for h in ("กิจกรรม", "หน่วยนับ", "แผนของกลุ่มเดือนนี้", "ผล (รายงานที่อนุมัติ)",
                                               "ร้อยละของแผนกลุ่ม")]]
        for p in self.r.plan_lines:
            pct = percent(p.approved_visits, p.planned)
            data.append([cell(d(p.label), t["body"]), cell(p.unit, t["center"]), cell(num(p.planned), t["center"]),
                         cell(num(p.approved_visits), t["center"]), cell(d(pct) if pct else "-", t["center"])])
        table = Table(data, colWidths=widths, repeatRows=1)
        table.setStyle(TableStyle(_grid_cmds()))
        return [*heading, table]
