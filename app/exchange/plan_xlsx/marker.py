"""The hidden "coopdesk" sheet of an exported plan: what the printed sheet cannot show.

A printed sheet shows numbers and titles, not which database row a line is, its outline
level when that is not its number's, whether an unnumbered line is a heading, nor the
revision and approval it was printed from. This sheet keeps those, so the app's own export
reads back to the identical PlanDocument. The visible cells stay the truth for content: a
line edited in Excel is read as edited, a line added there is new.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from openpyxl.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from app.rules.plan.document import Approval, Person

SHEET = "coopdesk"
FORMAT = "coopdesk.plan-xlsx/1"
_ROWS_HEADER = ("row", "key", "level", "heading", "number", "text")


@dataclass(frozen=True)
class RowMark:
    """One exported table line: its sheet row, key, level, heading flag, number and the
    text written in its activity cell (to find the line again if rows moved)."""

    row: int
    key: str
    level: int | None
    heading: bool
    number: str
    text: str


@dataclass(frozen=True)
class Marker:
    fiscal_year: int | None
    revision: int
    state: str
    group_id: str
    fingerprint: str  # content fingerprint of what was exported
    title_lines: tuple[str, ...]  # roles of the title lines written, in order
    approval: Approval | None
    rows: tuple[RowMark, ...]


def write_marker(wb: Workbook, marker: Marker) -> None:
    ws = wb.create_sheet(SHEET)
    ws.sheet_state = "veryHidden"  # not listed under Unhide in Excel; a clerk never trips over it
    a = marker.approval
    pairs = [
        ("format", FORMAT), ("fiscal_year", marker.fiscal_year), ("revision", marker.revision),
        ("state", marker.state), ("group_id", marker.group_id), ("fingerprint", marker.fingerprint),
        ("title_lines", ",".join(marker.title_lines)),
        ("approval", None if a is None else "|".join((a.by.name, a.by.position, a.at.isoformat(), a.fingerprint))),
    ]
    for key, value in pairs:
        ws.append([key, value])
    ws.append(list(_ROWS_HEADER))
    for m in marker.rows:
        # Text cells are typed as text so an "=…" title is never taken for a formula.
        ws.append([m.row, m.key, m.level, int(m.heading), m.number, m.text])
        for cell in ws[ws.max_row][4:]:
            cell.data_type = "s"


def _approval(text: object) -> Approval | None:
    if not text:
        return None
    name, position, at, fingerprint = str(text).split("|")
    return Approval(Person(name, position), datetime.fromisoformat(at), fingerprint)


def read_marker(ws: Worksheet) -> Marker | None:
    """The marker of an export, or None for a sheet that is not one (or was damaged)."""
    values: dict[str, object] = {}
    rows: list[RowMark] = []
    in_rows = False
    try:
        for cells in ws.iter_rows(values_only=True):
            if in_rows:
                row, key, level, heading, number, text = (tuple(cells) + (None,) * 6)[:6]
                rows.append(RowMark(int(row), str(key), None if level is None else int(level), bool(heading),
                                    number or "", text or ""))
            elif tuple(cells[:6]) == _ROWS_HEADER:
                in_rows = True
            elif cells:
                values[str(cells[0])] = cells[1] if len(cells) > 1 else None
        if values.get("format") != FORMAT:
            return None
        year = values.get("fiscal_year")
        return Marker(
            fiscal_year=None if year is None else int(year), revision=int(values["revision"]),
            state=str(values["state"]), group_id=str(values.get("group_id") or ""),
            fingerprint=str(values.get("fingerprint") or ""),
            title_lines=tuple(t for t in str(values.get("title_lines") or "").split(",") if t),
            approval=_approval(values.get("approval")), rows=tuple(rows),
        )
    except (KeyError, TypeError, ValueError):
        return None  # edited by hand beyond use: read the sheet as one made by hand
