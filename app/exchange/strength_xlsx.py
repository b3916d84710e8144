"""The central office's strength-classification sheet (ผลการจัดระดับชั้นความเข้มแข็ง): its
columns, and reading it into parsed rows.

The sheet lists each cooperative / farmer group with the four dimension scores, the basic
conditions, sometimes "ไม่จัดระดับชั้น" with a reason, and the class the office published.
Offices receive it in many hands: a title with the fiscal year (Thai digits too), a header
over two merged rows with a caption above the scores, section headings and subtotal rows.
The header is found by vocabulary (app.exchange.xlsx_read) as for the registry list.

Cells are read by the strength rules themselves (`scores_from_mapping`: Thai digits, yes/no
words, ranges), so a score typed here reads exactly as in the form. Reading needs no
database: matching registration numbers to institutions is the import service's.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from app.errors import FileFormatError, ValidationError
from app.exchange.registry_xlsx import PARSERS as REGISTRY_PARSERS
from app.exchange.registry_xlsx import SkippedRow
from app.exchange.xlsx_read import (
    ColumnSpec,
    Vocabulary,
    cell_ref,
    cell_text,
    column_letter,
    fiscal_years_mentioned,
    is_blank,
    locate_table,
    open_workbook,
)
from app.i18n import _, tr
from app.rules.strength import BASIC_CONDITIONS, DIMENSIONS, Scores, scores_from_mapping
from app.thai import format_number, parse_number

# -- the columns -----------------------------------------------------------------------------

# Words offices use for each dimension, with or without "ด้านที่ N" / "ด้าน" / "คะแนน" in front.
_DIMENSION_WORDS = {
    "member_service": ("การให้บริการสมาชิก", "ให้บริการสมาชิก", "บริการสมาชิก", "การบริการสมาชิก"),
    "business": ("การดำเนินธุรกิจ", "ดำเนินธุรกิจ", "ธุรกิจ", "ประสิทธิภาพการดำเนินธุรกิจ"),
    "organisation": ("การจัดการองค์กร", "จัดการองค์กร", "องค์กร", "ประสิทธิภาพการจัดการองค์กร"),
    "administration": ("การบริหารงาน", "บริหารงาน", "การบริหาร", "ประสิทธิภาพการบริหารงาน"),
}


def _dimension_spec(n: int, name: str) -> ColumnSpec:
    label, maximum = DIMENSIONS[name]
    words = (label, *_DIMENSION_WORDS[name])
    # "1." and spaces vanish in normalize_label, so "1. ด้านการให้บริการสมาชิก" is "1ด้าน…".
    prefixes = ("", "ด้าน", f"ด้านที่{n}", f"ด้านที่{n}ด้าน", f"{n}", f"{n}ด้าน", "คะแนนด้าน", f"คะแนนด้านที่{n}")
    aliases = tuple(p + w for p in prefixes for w in ("", *words) if w or any(c.isdigit() for c in p))
    return ColumnSpec(name, f"ด้านที่ {n} {label} ({int(maximum)} คะแนน)", aliases)


COLUMNS = (
    ColumnSpec("seq", "ลำดับ", ("ที่", "ลำดับที่", "no")),
    ColumnSpec("reg_no", "เลขทะเบียน", ("ทะเบียน", "ทะเบียนเลขที่", "เลขที่ทะเบียน", "เลขทะเบียนสหกรณ์",
                                        "เลขทะเบียนกลุ่ม", "เลขทะเบียนสหกรณ์/กลุ่มเกษตรกร")),
    ColumnSpec("name", "ชื่อสหกรณ์/กลุ่มเกษตรกร", ("ชื่อสหกรณ์", "ชื่อกลุ่มเกษตรกร", "ชื่อกลุ่ม", "ชื่อ",
                                                   "ชื่อสถาบันเกษตรกร", "สหกรณ์/กลุ่มเกษตรกร")),
    ColumnSpec("type", "ประเภท", ("ประเภทสหกรณ์", "ประเภทสหกรณ์/กลุ่มเกษตรกร")),
    ColumnSpec("district", "อำเภอ", ("อำเภอ/เขต", "เขต")),
    *(_dimension_spec(n, name) for n, name in enumerate(DIMENSIONS, start=1)),
    ColumnSpec("total", "คะแนนรวม (100 คะแนน)", ("คะแนนรวม", "รวม", "รวมคะแนน", "รวม4ด้าน", "คะแนนรวม4ด้าน")),
    ColumnSpec("accounts_closed", "ปิดบัญชี", ("ปิดบัญชีได้", "ปิดบัญชีแล้ว", "การปิดบัญชี")),
    ColumnSpec("agm_held", "ประชุมใหญ่", ("ประชุมใหญ่สามัญ", "ประชุมใหญ่สามัญประจำปี", "จัดประชุมใหญ่",
                                          "ประชุมใหญ่แล้ว", "การประชุมใหญ่")),
    ColumnSpec("statements_presented", "เสนองบการเงิน", ("เสนองบ", "เสนองบการเงินต่อที่ประชุมใหญ่", "นำเสนองบการเงิน",
                                                         "เสนองบการเงินแล้ว", "เสนองบการเงินต่อที่ประชุม")),
    ColumnSpec("out_of_scope", "ไม่จัดระดับชั้น", ("ไม่นำมาจัดระดับชั้น", "ไม่จัดชั้น")),
    ColumnSpec("out_of_scope_reason", "เหตุผลที่ไม่จัดระดับชั้น", ("เหตุผล", "สาเหตุ", "เหตุผลที่ไม่นำมาจัดระดับชั้น",
                                                                   "สาเหตุที่ไม่จัดระดับชั้น")),
    ColumnSpec("published", "ระดับชั้น", ("ชั้น", "ผลการจัดระดับชั้น", "ระดับชั้นความเข้มแข็ง", "ผลการจัดชั้น",
                                          "ระดับชั้นที่ได้", "ชั้นที่ได้", "ผลการจัดระดับ")),
    ColumnSpec("notes", "หมายเหตุ"),
)
SPECS = {s.field: s for s in COLUMNS}
VOCABULARY = Vocabulary(COLUMNS)
REQUIRED = ("reg_no", *DIMENSIONS)
IGNORED = frozenset({"seq", "type", "district"})  # recognised so they are not listed as unknown; not read
SCORE_FIELDS = (*DIMENSIONS, *BASIC_CONDITIONS, "out_of_scope", "out_of_scope_reason")
# Where to point when a rule names a field whose column the sheet may not have.
_CELL_OF = {"out_of_scope_reason": ("out_of_scope_reason", "notes", "out_of_scope", "published"),
            "out_of_scope": ("out_of_scope", "published")}


# -- parsed rows -----------------------------------------------------------------------------

@dataclass(frozen=True)
class CellIssue:
    """What is wrong, and the cell as a clerk finds it in Excel ("แถว 7 คอลัมน์ E"; "" if no one cell)."""

    field: str
    message: str
    cell: str = ""

    def text(self) -> str:
        return tr("{problem} ({cell})", problem=self.message, cell=self.cell) if self.cell else self.message


@dataclass
class StrengthRow:
    """One institution's line. `scores` is None when a cell could not be read (see problems)."""

    row: int
    reg_no: str = ""
    name: str = ""
    scores: Scores | None = None
    published: bool = False  # the sheet states a class (or ไม่จัดระดับชั้น) for the row
    published_class: int | None = None  # 1–4; None = published as not classified (or not stated)
    problems: list[CellIssue] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def reason(self) -> str:
        return "; ".join(p.text() for p in self.problems)


@dataclass
class StrengthSheet:
    file_name: str
    sheet: str
    header_row: int
    columns: dict[str, int]  # field → 1-based column
    ignored_columns: list[str]  # "P (ผู้ตรวจ)"
    fiscal_years: set[int]  # years the title and header state
    rows: list[StrengthRow]
    skipped: list[SkippedRow]

    def cell(self, row: int, f: str | None) -> str:
        return _cell(row, f, self.columns)


def _cell(row: int, f: str | None, columns: Mapping[str, int]) -> str:
    """Where field `f` of `row` is, as cell_ref says it ("" when the sheet has no such column)."""
    for candidate in _CELL_OF.get(f or "", (f,)):
        if candidate in columns:
            return cell_ref(row, columns[candidate])
    return ""


# -- reading ---------------------------------------------------------------------------------

_SUMMARY = re.compile(r"^(?:รวม|ยอดรวม|ผลรวม|เฉลี่ย|ค่าเฉลี่ย)")


def _caption(cells: Mapping[str, object]) -> str | None:
    """The text of a row that is not an institution: a section heading (one text, often merged
    across the row) or a subtotal / average ("รวมภาคการเกษตร", "เฉลี่ย"); None for a data row."""
    filled = {f: cell_text(v) for f, v in cells.items() if not is_blank(v)}
    texts = list(dict.fromkeys(filled.values()))
    if len(texts) == 1 and (len(filled) > 1 or "reg_no" not in filled):
        return texts[0]
    if "reg_no" not in filled or _SUMMARY.match(filled["reg_no"]):
        return next((t for t in texts if _SUMMARY.match(t)), None)
    return None


def _scores(values: dict[str, object], issue: Callable[[str | None, str], None]) -> Scores | None:
    """Scores through the rules' own reader, collecting every unreadable cell: the reader stops
    at the first, so that cell is blanked and the rest read again."""
    values = dict(values)
    problems = 0
    while True:
        try:
            scores = scores_from_mapping(values)
            return scores if not problems else None
        except ValidationError as exc:
            problems += 1
            issue(exc.field, exc.message)
            if values.get(exc.field) is None:  # not one cell's fault (e.g. a reason without the mark)
                return None
            values[exc.field] = None


def _total_warning(row: int, col: int, value: object, scores: Scores | None) -> str | None:
    """The sheet's own total, checked against the four scores (it is not stored)."""
    try:
        total = parse_number(value)  # type: ignore[arg-type]
    except (ValueError, TypeError):
        return tr('คะแนนรวม "{text}" อ่านไม่ได้ ({cell})', text=cell_text(value), cell=cell_ref(row, col))
    if scores is not None and scores.total is not None and total != scores.total:
        return tr("คะแนนรวมในไฟล์ {given} ไม่เท่ากับผลรวมสี่ด้าน {sum} ({cell}) โปรแกรมใช้ผลรวมสี่ด้าน",
                  given=format_number(total, 2), sum=format_number(scores.total, 2), cell=cell_ref(row, col))
    return None


def _parse_row(r: int, cells: dict[str, object], columns: dict[str, int]) -> StrengthRow:
    parsed = StrengthRow(r)

    def issue(f: str | None, message: str) -> None:
        parsed.problems.append(CellIssue(f or "", message, _cell(r, f, columns)))

    parsed.reg_no = REGISTRY_PARSERS["reg_no"](cells.get("reg_no"))
    parsed.name = cell_text(cells.get("name"))
    if not parsed.reg_no:
        issue("reg_no", _("ไม่มีเลขทะเบียน"))
    out_of_scope = False
    if not is_blank(cells.get("published")):
        try:  # "2", "ชั้น ๒", 2.0 → 2; "ไม่จัดระดับชั้น" → not classified
            parsed.published_class, out_of_scope = REGISTRY_PARSERS["strength_class"](cells["published"])
            parsed.published = True
        except ValueError as exc:
            issue("published", str(exc))
    values = {f: cells.get(f) for f in SCORE_FIELDS}
    if out_of_scope and is_blank(values["out_of_scope"]):
        values["out_of_scope"] = True
    if is_blank(values["out_of_scope_reason"]) and not is_blank(cells.get("notes")):
        # Sheets without a reason column write it under หมายเหตุ; it is a reason only for an out-of-scope row.
        marked = out_of_scope or _marked(values["out_of_scope"])
        values["out_of_scope_reason"] = cells["notes"] if marked else None
    parsed.scores = _scores(values, issue)
    if "total" in columns and not is_blank(cells.get("total")):
        if warning := _total_warning(r, columns["total"], cells["total"], parsed.scores):
            parsed.warnings.append(warning)
    order = list(columns)
    parsed.problems.sort(key=lambda p: order.index(p.field) if p.field in order else -1)
    return parsed


def _marked(value: object) -> bool:
    """Whether the out-of-scope cell is ticked, read as the rules read it (a reason is given
    so that only the mark itself decides)."""
    try:
        return scores_from_mapping({"out_of_scope": value, "out_of_scope_reason": "-"}).out_of_scope
    except ValidationError:
        return False


def read_strength(path: str | Path) -> StrengthSheet:
    """Find the classification table in the workbook and read every row under its header.

    FileFormatError (one Thai sentence naming the file and sheet) when the file is not an
    xlsx, has no such table, lacks the basic-condition columns, or lists nobody.
    """
    path = Path(path)
    grid, header = locate_table(open_workbook(path), VOCABULARY, required=REQUIRED, file_name=path.name)
    missing = [SPECS[f].header for f in BASIC_CONDITIONS if f not in header.columns]
    if missing:
        # Without them every row would read as "not met" and fall to class 3: refuse instead.
        raise FileFormatError(tr("ไฟล์ {file} แผ่นงาน “{sheet}” ไม่มีคอลัมน์เงื่อนไขพื้นฐาน {names} "
                                 "โปรดเพิ่มคอลัมน์นี้ (ใช่/ไม่ใช่) แล้วนำเข้าอีกครั้ง",
                                 file=path.name, sheet=grid.title, names=", ".join(f"“{m}”" for m in missing)))
    columns = {f: c for f, c in sorted(header.columns.items(), key=lambda fc: fc[1]) if f not in IGNORED}
    rows: list[StrengthRow] = []
    skipped: list[SkippedRow] = []
    first_seen: dict[str, int] = {}
    for r in range(header.data_start, grid.n_rows + 1):
        cells = {f: grid.value(r, c) for f, c in columns.items()}
        if all(is_blank(v) for v in cells.values()):
            continue
        if (caption := _caption(cells)) is not None:
            skipped.append(SkippedRow(r, caption))
            continue
        parsed = _parse_row(r, cells, columns)
        if parsed.reg_no in first_seen:
            parsed.problems.insert(0, CellIssue("reg_no", tr("เลขทะเบียน {reg} ซ้ำกับแถว {other}", reg=parsed.reg_no,
                                                             other=first_seen[parsed.reg_no]),
                                                cell_ref(r, columns["reg_no"])))
            parsed.scores = None
        elif parsed.reg_no:
            first_seen[parsed.reg_no] = r
        rows.append(parsed)
    if not rows:
        raise FileFormatError(tr("ไฟล์ {file} แผ่นงาน “{sheet}” ไม่มีรายการสหกรณ์/กลุ่มเกษตรกรใต้หัวตาราง (แถว {row})",
                                 file=path.name, sheet=grid.title, row=header.last_row))
    years = fiscal_years_mentioned(grid, header.last_row) | set(header.years.values())
    return StrengthSheet(
        file_name=path.name, sheet=grid.title, header_row=header.first_row, columns=columns,
        ignored_columns=[f"{column_letter(c)} ({text})" for c, text in header.unknown],
        fiscal_years=years, rows=rows, skipped=skipped,
    )
