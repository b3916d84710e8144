"""The look of the app's official workbooks (the registry, the action plan): Thai font,
thin borders, row heights that show wrapped Thai text, and A4 landscape printing.

The sheets are official Thai documents whatever the screen language, so nothing here is
translated.
"""

from __future__ import annotations

import math
import re

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Border, Side
from openpyxl.worksheet.worksheet import Worksheet

FONT_NAME = "TH Sarabun New"  # what offices print with; Excel and LibreOffice fall back if missing
FONT_SIZE = 16
LINE_HEIGHT = 24  # points per line of 16 pt Sarabun, room for marks above and below
THIN = Side(style="thin")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
# Excel's width unit is a digit of Calibri 11; Sarabun 16 runs about 1.3 times wider.
WIDTH_PER_CHAR = 1.3
_THAI_MARKS = re.compile(r"[\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]")  # drawn above/below a letter: no width


def text_width(text: str) -> int:
    """Characters that take room on a line (Thai vowel and tone marks take none)."""
    return len(_THAI_MARKS.sub("", text))


def line_height(size: float = FONT_SIZE) -> float:
    return round(LINE_HEIGHT * size / FONT_SIZE, 1)


def wrapped_lines(value: object, width: float, size: float = FONT_SIZE) -> int:
    """How many lines a wrapped cell `width` wide takes, so its row can be given the height
    that shows all of it (neither Excel nor LibreOffice grows a row on opening)."""
    if not isinstance(value, str):
        return 1
    per_line = max((width - 2) / (WIDTH_PER_CHAR * size / FONT_SIZE), 1)
    return sum(max(math.ceil(text_width(line) / per_line), 1) for line in value.splitlines() or [""])


def put(cell, value: object) -> None:
    """Set a cell to data from the database: control characters Excel refuses are dropped,
    and text that starts with "=" stays text (a name typed as "=…" is never a formula)."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell.value = value
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"


class Formula(str):
    """A formula an export writes, as opposed to text from the database that starts with "="."""


def write_cell(ws: Worksheet, row: int, col: int, value: object, *, font=None, align=None, border: bool = False,
               number_format: str | None = None, last_col: int | None = None, last_row: int | None = None):
    """Write one value (a Formula, or data through put()), merged over [col, last_col] ×
    [row, last_row] when given; with border, every cell of the range carries its part of
    the frame."""
    cell = ws.cell(row, col)
    if isinstance(value, Formula):
        cell.value = str(value)
    else:
        put(cell, value)
    if font is not None:
        cell.font = font
    if align is not None:
        cell.alignment = align
    if number_format:
        cell.number_format = number_format
    last_col, last_row = last_col or col, last_row or row
    if (last_col, last_row) != (col, row):
        ws.merge_cells(start_row=row, start_column=col, end_row=last_row, end_column=last_col)
    if border:
        for r in range(row, last_row + 1):
            for c in range(col, last_col + 1):
                ws.cell(r, c).border = BORDER
    return cell


def print_a4_landscape(ws: Worksheet, title_rows: str) -> None:
    """A4 landscape, one page wide and as many long as needed, `title_rows` ("5:5")
    repeated on every page, page numbers in the footer."""
    ws.print_title_rows = title_rows
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.oddFooter.center.text = "หน้า &P / &N"
