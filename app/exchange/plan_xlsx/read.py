"""Reading an action plan from a workbook: the app's own export or an official sheet made by
hand in the shape of seed 004.

The table is found by its row of month abbreviations (ต.ค. … ก.ย., OCR slips such as
"ค.ค." too), the งาน/งบ row under it and the words of the columns left of the months.
Merged cells, blank or extra columns, Thai digits, commas and "-" are all read; a cell that
should hold a figure but does not becomes a RawCell, so the rules report it (unparsed_cell)
and the rest of the sheet is still read. Only a file without any month header is refused.

Figures a sheet states (row totals, the totals row, the header's budget total) are read as
stated, so the rules can compare them with the months. The app's own export writes those
totals as formulas: there they are no statement at all and read as absent (a formula
written by openpyxl has no cached value anyway).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from app.errors import FileFormatError
from app.exchange.plan_xlsx import layout as L
from app.exchange.plan_xlsx import numbers
from app.exchange.plan_xlsx.cells import Cells, text_of
from app.exchange.plan_xlsx.header import HeaderRead, read_header, read_signatures
from app.exchange.plan_xlsx.marker import SHEET as MARKER_SHEET
from app.exchange.plan_xlsx.marker import Marker, RowMark, read_marker
from app.exchange.xlsx_read import cell_ref, fiscal_years_mentioned, open_workbook
from app.i18n import tr
from app.rules.plan import (
    BAHT,
    MONTHS,
    TARGET,
    TOTAL,
    WORK,
    Finding,
    MonthCell,
    PlanActivity,
    PlanSheet,
    RawCell,
    StatedCell,
    content_fingerprint,
    split_numbered_title,
)
from app.rules.plan.document import PlanDocument, PlanHeader, Person
from app.thai import FISCAL_MONTH_ORDER, THAI_MONTHS_ABBR, month_from_abbr

MIN_MONTHS = 3  # a first, temporary plan may cover ต.ค.–ธ.ค. only
_SPACES = re.compile(r"\s+")
_TRAILING_YEAR = re.compile(r"[\s.0-9๐-๙]+$")  # "ต.ค. ๖๕" heads a column too


def _key(value: object) -> str:
    return _SPACES.sub("", text_of(value))


def _month(value: object) -> int | None:
    if not isinstance(value, str):
        return None
    return month_from_abbr(value) or month_from_abbr(_TRAILING_YEAR.sub("", value))


@dataclass(frozen=True)
class TableLayout:
    """Where the table is: header rows and the column of each part (None: not on the sheet)."""

    header_row: int
    data_start: int
    activity: int
    target: int | None
    unit: int | None
    total_work: int | None
    total_baht: int | None
    responsible: int | None
    months: tuple[tuple[int | None, int | None] | None, ...]  # (งาน, งบ) column per month ต.ค. → ก.ย.

    @property
    def figure_columns(self) -> list[int]:
        """Every column read besides the activity's: a row with something there is a line."""
        cols = [self.target, self.unit, self.total_work, self.total_baht, self.responsible]
        cols += [c for pair in self.months if pair for c in pair]
        return [c for c in cols if c is not None]


@dataclass(frozen=True)
class Places:
    """Where each figure the rules talk about sits in the file, to say "แถว 12 คอลัมน์ E"."""

    layout: TableLayout
    rows: dict[str, int]  # activity key → sheet row
    totals_row: int | None
    budget_total: tuple[int, int] | None

    def of(self, f: Finding) -> str:
        if f.column == TOTAL:
            return cell_ref(*self.budget_total) if self.budget_total else ""
        row = self.rows.get(f.activity_key) if f.activity_key is not None else self.totals_row
        lay = self.layout
        if f.column == TARGET:
            col = lay.target
        elif f.month is None:
            col = lay.total_work if f.column == WORK else lay.total_baht
        else:
            pair = lay.months[f.month]
            col = pair and pair[0 if f.column == WORK else 1]
        return cell_ref(row, col) if row and col else ""


@dataclass(frozen=True)
class PlanRead:
    """A plan read from a file, with what the reader noticed (Thai sentences) on the way."""

    document: PlanDocument
    problems: tuple[str, ...]
    file_name: str
    sheet_name: str
    places: Places
    own: bool  # the app's own export (its hidden marker was found)
    group_id: str  # the work group the export was written for ("" when not known)

    @property
    def header_row(self) -> int:
        return self.places.layout.header_row


# -- the table header ----------------------------------------------------------------------

def _month_labels(cells: Cells, row: int) -> list[tuple[int, int]]:
    return [(c, m) for c in range(1, cells.n_cols + 1) if (m := _month(cells.value(row, c))) is not None]


def _header_texts(cells: Cells, col: int, rows: range) -> list[str]:
    return list(dict.fromkeys(t for r in rows if (t := _key(cells.filled(r, col)))))


def _left_role(texts: list[str]) -> str | None:
    if any("กิจกรรม" in t for t in texts):
        return "activity"
    if any(t == L.UNIT_HEADER or t.startswith("หน่วยนับ") for t in texts):
        return "unit"
    if L.BAHT_HEADER in texts or any(t.startswith("งบประมาณ") for t in texts):
        return "total_baht"
    if L.WORK_HEADER in texts:
        return "total_work" if any(t.startswith(L.TOTAL_HEADER) for t in texts) else "target"
    if any(t.startswith(L.TARGET_HEADER) or t == L.QUANTITY_HEADER for t in texts):
        return "target"
    return None


class _Table:
    """Finds the table's layout from its month header row."""

    def __init__(self, cells: Cells, month_row: int, labels: list[tuple[int, int]], problems: list[str]):
        self.cells, self.problems = cells, problems
        below = month_row + 1
        sub = [c for c in range(1, cells.n_cols + 1) if _key(cells.filled(below, c)) in (L.WORK_HEADER, L.BAHT_HEADER)]
        self.sub_row = below if len(sub) >= len(labels) else None
        above = month_row - 1
        quarters = above >= 1 and any(_key(cells.filled(above, c)).startswith(L.QUARTER_HEADER)
                                      for c in range(1, cells.n_cols + 1))
        self.top = above if quarters else month_row
        self.rows = range(self.top, (self.sub_row or month_row) + 1)
        self.months = self._months(labels)
        self.first_month = labels[0][0]

    def _months(self, labels: list[tuple[int, int]]):
        # Twelve labels are the twelve months in order whatever they say: slips like "ก.ค."
        # for ต.ค. happen. Fewer are placed by name.
        order = range(MONTHS) if len(labels) == MONTHS else [FISCAL_MONTH_ORDER.index(m) for _c, m in labels]
        months: list[tuple[int | None, int | None] | None] = [None] * MONTHS
        for i, ((col, _m), index) in enumerate(zip(labels, order, strict=True)):
            end = labels[i + 1][0] if i + 1 < len(labels) else col + 3
            if months[index] is not None:
                self.problems.append(tr("เดือน {month} มีสองคอลัมน์ ใช้คอลัมน์แรก",
                                        month=THAI_MONTHS_ABBR[FISCAL_MONTH_ORDER[index]]))
                continue
            if self.sub_row is None:
                months[index] = (col, col + 1)
                continue
            found = {}
            for c in range(col, end):
                found.setdefault(_key(self.cells.filled(self.sub_row, c)), c)
            months[index] = (found.get(L.WORK_HEADER), found.get(L.BAHT_HEADER))
        return tuple(months)

    def layout(self, file_name: str) -> TableLayout:
        roles: dict[str, int] = {}
        target_texts = None
        for c in range(1, self.first_month):
            texts = _header_texts(self.cells, c, self.rows)
            role = _left_role(texts)
            if role == "target" and "target" in roles and texts == target_texts:
                role = "total_baht"  # เป้าหมาย merged over two columns: quantity, then baht
            if role and role not in roles:
                roles[role] = c
                target_texts = texts if role == "target" else target_texts
        if "activity" not in roles:
            free = [c for c in range(1, self.first_month) if c not in roles.values()]
            if not free:
                raise FileFormatError(tr("ไม่พบคอลัมน์ชื่อกิจกรรมทางซ้ายของคอลัมน์เดือนในไฟล์ {file}", file=file_name))
            roles["activity"] = free[0]
        last_month = max(c for pair in self.months if pair for c in pair if c is not None)
        responsible = next((c for c in range(last_month + 1, self.cells.n_cols + 1)
                            if any(L.RESPONSIBLE_HEADER in t for t in _header_texts(self.cells, c, self.rows))), None)
        return TableLayout(
            header_row=self.top, data_start=self.rows.stop, activity=roles["activity"], target=roles.get("target"),
            unit=roles.get("unit"), total_work=roles.get("total_work"), total_baht=roles.get("total_baht"),
            responsible=responsible, months=self.months,
        )


def _find_table(cells: Cells, file_name: str, problems: list[str]) -> TableLayout | None:
    for row in range(1, cells.n_rows + 1):
        labels = _month_labels(cells, row)
        if len({m for _c, m in labels}) >= MIN_MONTHS:
            return _Table(cells, row, labels, problems).layout(file_name)
    return None


# -- the body --------------------------------------------------------------------------------

def _is_header_again(cells: Cells, row: int) -> bool:
    """The table header repeated on a later page of a sheet made by hand."""
    words = 0
    for c in range(1, cells.n_cols + 1):
        value = cells.value(row, c)
        key = _key(value)
        words += bool(key) and (key in (L.WORK_HEADER, L.BAHT_HEADER) or key.startswith(L.QUARTER_HEADER)
                                or _month(value) is not None)
    return words >= MIN_MONTHS


def _footer_start(cells: Cells, start: int) -> int:
    words = tuple(_SPACES.sub("", w) for w in L.FOOTER_WORDS)
    for r in range(start, cells.n_rows + 1):
        texts = cells.texts(r)
        if texts and _SPACES.sub("", texts[0][1]).startswith(words):
            return r
    return cells.n_rows + 1


class _Keys:
    """Gives each line of an export back its key: by the text the export wrote, else (a title
    edited in Excel) by the row it was on. Lines added in Excel get a key of their own."""

    def __init__(self, marks: tuple[RowMark, ...]):
        self.by_row = {m.row: m for m in marks}
        self.by_text: dict[str, list[RowMark]] = defaultdict(list)
        for m in marks:
            self.by_text[m.text].append(m)

    def match(self, lines: list[tuple[int, str]]) -> dict[int, RowMark]:
        found: dict[int, RowMark] = {}
        used: set[str] = set()
        for row, text in lines:
            same = [m for m in self.by_text.get(text, ()) if m.key not in used]
            if same:
                mark = next((m for m in same if m.row == row), same[0])
                found[row] = mark
                used.add(mark.key)
        for row, _text in lines:
            mark = self.by_row.get(row)
            if row not in found and mark is not None and mark.key not in used:
                found[row] = mark
                used.add(mark.key)
        return found


class _Body:
    def __init__(self, cells: Cells, layout: TableLayout):
        self.cells, self.layout = cells, layout

    def stated(self, row: int, col: int | None, column: str, month: int | None, unparsed: list[RawCell]):
        """A figure the sheet states, or None where it states none (blank, or our formula)."""
        if col is None or self.cells.is_formula(row, col):
            return None
        try:
            return (numbers.work if column == WORK else numbers.baht)(self.cells.value(row, col))
        except numbers.Unreadable as bad:
            unparsed.append(RawCell(column, bad.text, month))
            return None

    def months(self, row: int, unparsed: list[RawCell]) -> tuple[MonthCell, ...]:
        cells = []
        for m, pair in enumerate(self.layout.months):
            work_col, baht_col = pair or (None, None)
            work = self.stated(row, work_col, WORK, m, unparsed)
            baht = self.stated(row, baht_col, BAHT, m, unparsed)
            cells.append(MonthCell(work or 0, baht or Decimal(0)))
        return tuple(cells)

    def target(self, row: int, unparsed: list[RawCell]) -> tuple[int | None, str]:
        quantity, unit = None, ""
        if self.layout.target is not None:
            value = self.cells.value(row, self.layout.target)
            try:
                quantity, unit = numbers.quantity_and_unit(value)
            except numbers.Unreadable as bad:
                unparsed.append(RawCell(TARGET, bad.text))
        if self.layout.unit is not None:
            unit = self.cells.text(row, self.layout.unit) or unit
        return quantity, unit

    def activity(self, row: int, text: str, mark: RowMark | None) -> PlanActivity:
        lay = self.layout
        unparsed: list[RawCell] = []
        if mark is not None and text == mark.text and text.startswith(mark.number):
            number, title = mark.number, text[len(mark.number):].strip()
        else:
            number, title = split_numbered_title(text)
        quantity, unit = self.target(row, unparsed)
        total_work = self.stated(row, lay.total_work, WORK, None, unparsed)
        total_baht = self.stated(row, lay.total_baht, BAHT, None, unparsed)
        months = self.months(row, unparsed)
        figures = (quantity is not None or total_work is not None or total_baht is not None or unparsed
                   or any(m.work or m.baht for m in months))
        return PlanActivity(
            key=mark.key if mark else f"r{row}", title=title, number=number,
            is_heading=mark.heading if mark else not number and not figures,
            level=mark.level if mark else None, target_quantity=quantity, unit=unit,
            stated_total_work=total_work, stated_total_baht=total_baht, months=months,
            responsible=self.cells.text_down(row, lay.responsible) if lay.responsible else "",
            unparsed=tuple(unparsed),
        )

    def totals(self, row: int, unparsed: list[RawCell]) -> tuple[tuple[StatedCell, ...] | None, StatedCell | None]:
        lay = self.layout
        months = []
        for m, pair in enumerate(lay.months):
            work_col, baht_col = pair or (None, None)
            months.append(StatedCell(self.stated(row, work_col, WORK, m, unparsed),
                                     self.stated(row, baht_col, BAHT, m, unparsed)))
        total = StatedCell(self.stated(row, lay.total_work, WORK, None, unparsed),
                           self.stated(row, lay.total_baht, BAHT, None, unparsed))
        stated_months = None if all(c == StatedCell() for c in months) else tuple(months)
        return stated_months, None if total == StatedCell() else total


# -- the whole sheet -------------------------------------------------------------------------

def _formula_cells(path: Path, sheet: str) -> frozenset[tuple[int, int]]:
    wb = load_workbook(path, read_only=True, data_only=False)
    try:
        return frozenset((c.row, c.column) for row in wb[sheet].iter_rows() for c in row
                         if getattr(c, "data_type", None) == "f")
    finally:
        wb.close()


def _fiscal_year(cells: Cells, header: HeaderRead, marker: Marker | None, last_row: int) -> int | None:
    """The year the title states; else the export's; else the one year the header states."""
    years = fiscal_years_mentioned(cells.grid, header.title_end) if header.title_end else set()
    if len(years) == 1:
        return years.pop()
    if marker is not None and marker.fiscal_year:
        return marker.fiscal_year
    years = fiscal_years_mentioned(cells.grid, last_row)
    return years.pop() if len(years) == 1 else None


def _plan_sheets(wb) -> list[Worksheet]:
    sheets = [wb.active, *(ws for ws in wb.worksheets if ws is not wb.active)]
    return [ws for ws in sheets if isinstance(ws, Worksheet) and ws.title != MARKER_SHEET]


def _table_lines(cells: Cells, layout: TableLayout, end: int, problems: list[str]):
    """(row, activity text) of every line of the body, and the row of the totals row (the
    last "รวม…" row; earlier ones are subtotals the plan does not keep)."""
    lines: list[tuple[int, str]] = []
    totals: list[int] = []
    for r in range(layout.data_start, end):
        text = cells.text(r, layout.activity)
        if _is_header_again(cells, r):
            continue
        if _key(text).startswith(L.TOTAL_HEADER):
            totals.append(r)
        elif text or any(text_of(cells.value(r, c)) for c in layout.figure_columns):
            lines.append((r, text))
    for r in totals[:-1]:
        problems.append(tr("แถว {row} “{text}” เป็นยอดรวมย่อย ไม่ได้นำเข้า",
                           row=r, text=cells.text(r, layout.activity)))
    return lines, totals[-1] if totals else None


def _plan_header(header: HeaderRead, signatures: dict[str, Person]) -> PlanHeader:
    f = header.fields
    return PlanHeader(
        office_name=header.office_name, unit_name=f.get("unit_name", ""), project=f.get("project", ""),
        program=f.get("program", ""), output=f.get("output", ""), main_activity=f.get("main_activity", ""),
        sub_activity=f.get("sub_activity", ""), objective=f.get("objective", ""), responsible=header.responsible,
        practitioners=header.practitioners, targets=tuple(header.targets), budget_lines=tuple(header.budget_lines),
        kpis=tuple(header.kpis), **{role: signatures.get(role, Person()) for role in ("proposer", "lead", "approver")},
    )


def read_plan(path: str | Path) -> PlanRead:
    """Read a plan sheet; FileFormatError (one Thai sentence naming the file) when the file
    cannot be read or has no month header at all."""
    path = Path(path)
    wb = open_workbook(path)
    marker = read_marker(wb[MARKER_SHEET]) if MARKER_SHEET in wb.sheetnames else None
    problems: list[str] = []
    for ws in _plan_sheets(wb):
        cells = Cells(ws)
        layout = _find_table(cells, path.name, problems)
        if layout is not None:
            break
    else:
        raise FileFormatError(tr("ไม่พบหัวตารางแผนปฏิบัติงาน (แถวชื่อเดือน ต.ค. ถึง ก.ย.) ในไฟล์ {file}",
                                 file=path.name))
    if marker is not None:
        cells.formulas = _formula_cells(path, ws.title)
    header = read_header(cells, layout.header_row - 1, own=marker is not None,
                         title_roles=marker.title_lines if marker else ())
    footer = _footer_start(cells, layout.data_start)
    lines, totals_row = _table_lines(cells, layout, footer, problems)
    marks = _Keys(marker.rows).match(lines) if marker else {}
    body = _Body(cells, layout)
    activities = tuple(body.activity(r, text, marks.get(r)) for r, text in lines)

    sheet_unparsed: list[RawCell] = []
    stated_months, stated_total = body.totals(totals_row, sheet_unparsed) if totals_row else (None, None)
    if header.budget_total_text:
        sheet_unparsed.append(RawCell(TOTAL, header.budget_total_text))
    fiscal_year = _fiscal_year(cells, header, marker, layout.header_row - 1)
    if fiscal_year is None:
        problems.append(tr("ไฟล์ {file} ไม่ได้ระบุปีงบประมาณในหัวกระดาษ", file=path.name))
    sheet = PlanSheet(activities=activities, budget_total=header.budget_total, stated_month_totals=stated_months,
                      stated_total=stated_total, title=header.title, fiscal_year=fiscal_year,
                      unparsed=tuple(sheet_unparsed))
    doc = PlanDocument(_plan_header(header, read_signatures(cells, footer)), sheet,
                       revision_label=header.revision_label)
    if marker is not None:
        # The revision and approval it was exported from hold while the content is unchanged.
        unchanged = content_fingerprint(doc.sheet) == marker.fingerprint
        doc = replace(doc, revision=marker.revision, state=marker.state if unchanged else "draft",
                      approval=marker.approval if unchanged else None)
    places = Places(layout, {a.key: r for a, (r, _t) in zip(activities, lines, strict=True)}, totals_row,
                    header.budget_total_cell)
    return PlanRead(doc, tuple(problems), path.name, cells.title, places, marker is not None,
                    marker.group_id if marker else "")
