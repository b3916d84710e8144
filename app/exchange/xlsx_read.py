"""Reading messy official spreadsheets: opening them safely, merged cells, the header row.

Office lists are typed by hand over years: title rows above the table, headers with line
breaks and stray spaces, merged cells, Thai digits, percent-formatted numbers. These helpers
turn such a sheet into a plain grid and find the table in it. What the columns mean is the
caller's catalogue of `ColumnSpec`s (see app.exchange.registry_xlsx).
"""

from __future__ import annotations

import re
import warnings
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from app.errors import FileFormatError
from app.i18n import tr
from app.rules.registry import squeeze
from app.thai import to_arabic_digits

HEADER_SCAN_ROWS = 30
# Cells people type to mean "nothing here".
BLANK_TEXTS = frozenset({"", "-", "–", "—", "--"})

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .xls, and any password-protected Office file
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")


# -- opening ---------------------------------------------------------------------------------

def _refuse(path: Path, message: str, *, details: str | None = None) -> FileFormatError:
    return FileFormatError(message, details=details or str(path))


def _sniff(path: Path, head: bytes) -> None:
    """Refuse, with the reason a clerk can act on, anything that is not an xlsx zip."""
    name = path.name
    if not head:
        raise _refuse(path, tr("ไฟล์ {name} ว่างเปล่า ไม่มีข้อมูลให้นำเข้า", name=name))
    if head.startswith(_OLE_MAGIC):
        if _ENCRYPTED_STREAM in path.read_bytes():
            raise _refuse(path, tr("ไฟล์ {name} ตั้งรหัสผ่านไว้ โปรดเปิดใน Excel แล้วบันทึกแบบไม่มีรหัสผ่านก่อนนำเข้า",
                                   name=name))
        raise _refuse(path, tr("ไฟล์ {name} เป็น Excel รุ่นเก่า (.xls) "
                               "โปรดเปิดใน Excel แล้วบันทึกเป็น .xlsx ก่อนนำเข้า", name=name))
    if not head.startswith(_ZIP_MAGIC):
        # Web systems often hand out HTML or CSV named .xls/.xlsx; both land here.
        raise _refuse(path, tr("ไฟล์ {name} ไม่ใช่ไฟล์ Excel (.xlsx) หรือไฟล์เสียหาย "
                               "โปรดเปิดใน Excel แล้วบันทึกเป็น .xlsx ก่อนนำเข้า", name=name))
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            mimetype = zf.read("mimetype") if "mimetype" in names else b""
    except (zipfile.BadZipFile, OSError) as exc:
        raise _refuse(path, tr("ไฟล์ {name} เสียหาย เปิดอ่านไม่ได้", name=name), details=str(exc)) from exc
    if b"opendocument" in mimetype:
        raise _refuse(path, tr("ไฟล์ {name} เป็นไฟล์ OpenDocument (.ods) โปรดบันทึกเป็น .xlsx ก่อนนำเข้า", name=name))
    if "xl/workbook.xml" not in names:
        raise _refuse(path, tr("ไฟล์ {name} ไม่ใช่ไฟล์ Excel (.xlsx) หรือไฟล์เสียหาย "
                               "โปรดเปิดใน Excel แล้วบันทึกเป็น .xlsx ก่อนนำเข้า", name=name))


def open_workbook(path: str | Path) -> Workbook:
    """Load an xlsx for reading values (formulas give their last computed value).

    Anything else — a missing, empty, corrupt, password-protected, .xls, .ods, CSV or HTML
    file — raises FileFormatError with one Thai sentence naming the file.
    """
    path = Path(path)
    try:
        with path.open("rb") as fh:
            head = fh.read(8)
    except FileNotFoundError:
        raise _refuse(path, tr("ไม่พบไฟล์ {name}", name=path.name)) from None
    except IsADirectoryError:
        raise _refuse(path, tr("{name} เป็นโฟลเดอร์ ไม่ใช่ไฟล์ Excel", name=path.name)) from None
    except OSError as exc:
        raise _refuse(path, tr("เปิดไฟล์ {name} ไม่ได้ ไฟล์อาจเปิดอยู่ในโปรแกรมอื่น", name=path.name),
                      details=str(exc)) from exc
    _sniff(path, head)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about Excel features it skips
            with path.open("rb") as fh:  # a file object: openpyxl judges by content, not by suffix
                return load_workbook(fh, data_only=True, keep_links=False)
    except Exception as exc:  # openpyxl fails on broken parts with many unrelated types
        raise _refuse(path, tr("ไฟล์ {name} เสียหาย เปิดอ่านไม่ได้", name=path.name),
                      details=f"{path}: {exc!r}") from exc


# -- cells -----------------------------------------------------------------------------------

def column_letter(col: int) -> str:
    return get_column_letter(col)


def cell_ref(row: int, col: int) -> str:
    """Where a cell is, as a clerk finds it in Excel: "แถว 12 คอลัมน์ E"."""
    return tr("แถว {row} คอลัมน์ {col}", row=row, col=column_letter(col))


def cell_text(value: object) -> str:
    """A cell as the text a person reads in it, spaces squeezed ("" for an empty cell)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return squeeze(str(value))


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and squeeze(value) in BLANK_TEXTS)


_LABEL_JUNK = re.compile(r"[\s.*:\u200b]+")


def normalize_label(value: object) -> str:
    """A header cell reduced to what identifies it: no spaces, dots or line breaks, Arabic digits."""
    return _LABEL_JUNK.sub("", to_arabic_digits(cell_text(value))).casefold()


def _read_cell(cell) -> object:
    value = cell.value
    if isinstance(value, (int, float)) and not isinstance(value, bool) and "%" in (cell.number_format or ""):
        # Excel stores 85% as 0.85; the clerk typed and sees 85.
        return Decimal(str(value)) * 100
    return value


class Grid:
    """A worksheet's values, 1-based, with every cell of a merged range holding its top-left value."""

    def __init__(self, title: str, rows: list[list[object]], joined_rows: set[int]):
        self.title = title
        self._rows = rows
        self._joined = joined_rows  # r such that a merged range spans rows r and r + 1

    @classmethod
    def from_worksheet(cls, ws: Worksheet) -> Grid:
        rows = [[_read_cell(c) for c in cells] for cells in ws.iter_rows()]
        while rows and all(v is None for v in rows[-1]):  # formatting alone stretches max_row
            rows.pop()
        joined: set[int] = set()
        for rng in ws.merged_cells.ranges:
            top = rows[rng.min_row - 1][rng.min_col - 1] if rng.min_row <= len(rows) else None
            for r in range(rng.min_row, min(rng.max_row, len(rows)) + 1):
                row = rows[r - 1]
                for c in range(rng.min_col, min(rng.max_col, len(row)) + 1):
                    row[c - 1] = top
            joined.update(range(rng.min_row, rng.max_row))
        return cls(ws.title, rows, joined)

    @property
    def n_rows(self) -> int:
        return len(self._rows)

    @property
    def n_cols(self) -> int:
        return max((len(r) for r in self._rows), default=0)

    def value(self, row: int, col: int) -> object:
        if not 1 <= row <= len(self._rows):
            return None
        cells = self._rows[row - 1]
        return cells[col - 1] if 1 <= col <= len(cells) else None

    def joins_next(self, row: int) -> bool:
        return row in self._joined


# -- the header row --------------------------------------------------------------------------

@dataclass(frozen=True)
class ColumnSpec:
    """A column a reader knows: its field, the header written on export, other names seen."""

    field: str
    header: str
    aliases: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """The header without its unit, for messages: "จำนวนสมาชิก (คน)" → "จำนวนสมาชิก"."""
        return _UNIT_TEXT.sub("", self.header)


_UNIT_TEXT = re.compile(r"\s+\([^()]*\)$")
_UNIT_KEY = re.compile(r"\([^()]*\)$")
# "ระดับชั้น ปี 2567", "ผลมาตรฐาน (ปีงบประมาณ พ.ศ. 2566)" → the column, and the year it is for.
_YEAR_KEY = re.compile(r"^(.+?)\(?(?:ปีงบประมาณ|ปีงบ|ปีบัญชี|ปี)?(?:พศ)?(25\d\d)\)?$")


class Vocabulary:
    """Header texts → fields, tolerant of spacing, units in brackets and a year suffix."""

    def __init__(self, specs: Iterable[ColumnSpec]):
        self.specs = {s.field: s for s in specs}
        self._keys = {normalize_label(text): s.field for s in self.specs.values() for text in (s.header, *s.aliases)}

    def match(self, text: object) -> tuple[str, int | None] | None:
        """(field, year named in the header or None), or None for an unknown header."""
        key = normalize_label(text)
        if not key:
            return None
        candidates = [(key, None)]
        if m := _YEAR_KEY.match(key):
            candidates.append((m[1], int(m[2])))
        candidates += [(_UNIT_KEY.sub("", k), year) for k, year in candidates]
        for k, year in candidates:
            if k in self._keys:
                return self._keys[k], year
        return None


@dataclass
class HeaderMatch:
    """Where a table's header is and which column holds which field (1-based columns)."""

    sheet: str
    first_row: int
    last_row: int
    columns: dict[str, int] = field(default_factory=dict)
    unknown: list[tuple[int, str]] = field(default_factory=list)  # (column, header text) not read
    years: dict[str, int] = field(default_factory=dict)  # field → year its header names

    @property
    def data_start(self) -> int:
        return self.last_row + 1


def _header_texts(grid: Grid, first: int, last: int, col: int) -> list[object]:
    lower = grid.value(last, col)
    if first == last:
        return [lower]
    upper = grid.value(first, col)
    if upper == lower or is_blank(upper):
        return [lower]
    if is_blank(lower):
        return [upper]
    # Lower row first: under a merged group caption ("ข้อมูลปี 2567") it names the column;
    # a caption split over two rows ("วันที่" / "จดทะเบียน") only makes sense joined.
    return [lower, upper, f"{cell_text(upper)}{cell_text(lower)}"]


def match_header(grid: Grid, vocab: Vocabulary, first: int, last: int) -> HeaderMatch:
    found = HeaderMatch(grid.title, first, last)
    previous: list[object] = []
    for col in range(1, grid.n_cols + 1):
        texts = _header_texts(grid, first, last, col)
        if texts == previous and not all(is_blank(t) for t in texts):
            continue  # the rest of a header cell merged across columns
        previous = texts
        hit = next((h for h in map(vocab.match, texts) if h is not None), None)
        if hit is not None and hit[0] not in found.columns:
            found.columns[hit[0]] = col
            if hit[1] is not None:
                found.years[hit[0]] = hit[1]
        elif not all(is_blank(t) for t in texts):
            shown = " ".join(dict.fromkeys(cell_text(t) for t in texts[:2] if not is_blank(t)))
            found.unknown.append((col, shown))
    return found


def find_header(
    grid: Grid, vocab: Vocabulary, *, required: Iterable[str] = (), scan_rows: int = HEADER_SCAN_ROWS
) -> HeaderMatch | None:
    """The row (or two rows joined by merged cells) among the first `scan_rows` naming the most
    known columns; a candidate with every required column beats one without."""
    required = set(required)
    best, best_rank = None, None
    for row in range(1, min(scan_rows, grid.n_rows) + 1):
        spans = [(row, row + 1), (row, row)] if grid.joins_next(row) and row < grid.n_rows else [(row, row)]
        for first, last in spans:
            found = match_header(grid, vocab, first, last)
            rank = (required <= found.columns.keys(), len(found.columns), last - first)
            if found.columns and (best_rank is None or rank > best_rank):
                best, best_rank = found, rank
    return best


def locate_table(
    wb: Workbook, vocab: Vocabulary, *, required: Iterable[str], file_name: str,
    scan_rows: int = HEADER_SCAN_ROWS,
) -> tuple[Grid, HeaderMatch]:
    """The sheet and header of the table: the active sheet first, then the others.

    Raises FileFormatError naming the required columns when no sheet has them.
    """
    required = tuple(required)
    sheets = [wb.active, *(ws for ws in wb.worksheets if ws is not wb.active)]
    best: tuple[Grid, HeaderMatch] | None = None
    for ws in sheets:
        if not isinstance(ws, Worksheet):  # a chart sheet
            continue
        grid = Grid.from_worksheet(ws)
        found = find_header(grid, vocab, required=required, scan_rows=scan_rows)
        if found is None or not set(required) <= found.columns.keys():
            continue
        if best is None or len(found.columns) > len(best[1].columns):
            best = grid, found
    if best is None:
        names = " และ ".join(f"“{vocab.specs[f].header}”" for f in required)
        raise FileFormatError(
            tr("ไม่พบแถวหัวตารางที่มีคอลัมน์ {names} ในไฟล์ {file} (ค้นใน {n} แถวแรกของทุกแผ่นงาน)",
               names=names, n=scan_rows, file=file_name)
        )
    return best


_FISCAL_YEAR_TEXT = re.compile(r"ปีงบ(?:ประมาณ)?\s*(?:พ\.?\s*ศ\.?)?\s*(25\d\d)")


def fiscal_years_mentioned(grid: Grid, last_row: int) -> set[int]:
    """Every "ปีงบประมาณ 2567" written in rows 1..last_row (titles and header), Thai digits too."""
    years: set[int] = set()
    for row in range(1, last_row + 1):
        for col in range(1, grid.n_cols + 1):
            value = grid.value(row, col)
            if isinstance(value, str):
                years.update(int(y) for y in _FISCAL_YEAR_TEXT.findall(to_arabic_digits(value)))
    return years

