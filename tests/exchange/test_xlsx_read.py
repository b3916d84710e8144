"""The generic reading helpers: opening files safely, merged cells, finding the header row."""

from __future__ import annotations

import zipfile
from decimal import Decimal

import pytest
from openpyxl import Workbook
from openpyxl.styles import Font

from app.errors import FileFormatError
from app.exchange.xlsx_read import (
    ColumnSpec,
    Grid,
    Vocabulary,
    cell_ref,
    find_header,
    fiscal_years_mentioned,
    normalize_label,
    open_workbook,
)

VOCAB = Vocabulary([
    ColumnSpec("reg_no", "เลขทะเบียน", ("ทะเบียนเลขที่",)),
    ColumnSpec("name", "ชื่อสหกรณ์", ("ชื่อ",)),
    ColumnSpec("members", "จำนวนสมาชิก (คน)", ("จำนวนสมาชิก",)),
    ColumnSpec("strength", "ระดับชั้น"),
])


def grid_of(rows: dict[int, list], merges: tuple[str, ...] = ()) -> Grid:
    wb = Workbook()
    ws = wb.active
    for r, cells in rows.items():
        for c, v in enumerate(cells, start=1):
            if v is not None:
                ws.cell(r, c, v)
    for rng in merges:
        ws.merge_cells(rng)
    return Grid.from_worksheet(ws)


def test_labels_ignore_spacing_dots_line_breaks_and_digits():
    assert normalize_label(" ทะเบียน\n เลขที่ ") == normalize_label("ทะเบียนเลขที่")
    assert normalize_label("ลำดับ ที่.") == "ลำดับที่"
    assert normalize_label("ปี ๒๕๖๗") == "ปี2567"
    assert cell_ref(12, 5) == "แถว 12 คอลัมน์ E"
    assert cell_ref(3, 28) == "แถว 3 คอลัมน์ AB"


@pytest.mark.parametrize(("text", "expected"), [
    ("เลขทะเบียน", ("reg_no", None)),
    ("ทะเบียน\nเลขที่", ("reg_no", None)),
    ("จำนวน สมาชิก (คน)", ("members", None)),
    ("จำนวนสมาชิก (ราย)", ("members", None)),  # any unit in brackets
    ("ระดับชั้น ปี 2567", ("strength", 2567)),
    ("ระดับชั้น (ปีงบประมาณ พ.ศ. ๒๕๖๖)", ("strength", 2566)),
    ("ชื่อประธาน", None),
    ("", None),
])
def test_vocabulary_match(text, expected):
    assert VOCAB.match(text) == expected


def test_grid_fills_merged_cells_with_the_top_left_value_and_scales_percent_cells():
    wb = Workbook()
    ws = wb.active
    ws["A1"] = "หัวเรื่อง"
    ws.merge_cells("A1:C2")
    ws["B3"] = 0.855
    ws["B3"].number_format = "0.0%"
    ws["C3"] = 0.855
    ws["A40"].font = Font(bold=True)  # formatting alone does not make rows
    grid = Grid.from_worksheet(ws)
    assert [grid.value(r, c) for r in (1, 2) for c in (1, 2, 3)] == ["หัวเรื่อง"] * 6
    assert grid.value(3, 2) == Decimal("85.5000") and grid.value(3, 3) == 0.855
    assert grid.n_rows == 3 and grid.joins_next(1) and not grid.joins_next(2)
    assert grid.value(99, 99) is None


def test_header_is_found_under_title_rows_and_unknown_columns_are_listed():
    grid = grid_of({
        1: ["ทะเบียนสหกรณ์ ปีงบประมาณ ๒๕๖๗"],
        2: ["ข้อมูล ณ 1 ต.ค. 2566"],
        4: ["ที่", "ชื่อ", "ทุนเรือนหุ้น", " เลข ทะเบียน", "จำนวนสมาชิก"],
        5: [1, "สหกรณ์ ก", 100, "1/2530", 10],
    }, merges=("A1:E1",))
    found = find_header(grid, VOCAB, required=("reg_no", "name"))
    assert (found.first_row, found.last_row, found.data_start) == (4, 4, 5)
    assert found.columns == {"name": 2, "reg_no": 4, "members": 5}
    assert found.unknown == [(1, "ที่"), (3, "ทุนเรือนหุ้น")]
    assert fiscal_years_mentioned(grid, found.last_row) == {2567}


def test_two_row_header_of_merged_cells():
    grid = grid_of({
        2: ["เลขทะเบียน", "ชื่อสหกรณ์", "ข้อมูลปี 2567", None],
        3: [None, None, "ระดับชั้น", "จำนวนสมาชิก"],
        4: ["1/2530", "สหกรณ์ ก", 2, 10],
    }, merges=("A2:A3", "B2:B3", "C2:D2"))
    found = find_header(grid, VOCAB)
    assert (found.first_row, found.last_row) == (2, 3)
    assert found.columns == {"reg_no": 1, "name": 2, "strength": 3, "members": 4}


def test_no_header_gives_none():
    assert find_header(grid_of({1: ["ก", "ข"], 2: [1, 2]}), VOCAB) is None


def test_broken_files_are_refused_with_one_sentence_naming_the_file(tmp_path):
    cases = {
        "random.xlsx": bytes(range(256)) * 20,
        "list.xlsx": "เลขทะเบียน,ชื่อ\n1/2530,สหกรณ์ ก\n".encode(),
        "page.xls": b"<html><table><tr><td>1</td></tr></table></html>",
        "empty.xlsx": b"",
        "locked.xlsx": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptedPackage".encode("utf-16-le"),
        "old.xls": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512,
    }
    for name, content in cases.items():
        (tmp_path / name).write_bytes(content)
    with zipfile.ZipFile(tmp_path / "notexcel.xlsx", "w") as zf:
        zf.writestr("hello.txt", "hi")
    with zipfile.ZipFile(tmp_path / "calc.xlsx", "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
    expected = {
        "random.xlsx": "ไม่ใช่ไฟล์ Excel", "list.xlsx": "ไม่ใช่ไฟล์ Excel", "page.xls": "ไม่ใช่ไฟล์ Excel",
        "empty.xlsx": "ว่างเปล่า", "locked.xlsx": "รหัสผ่าน", "old.xls": "รุ่นเก่า (.xls)",
        "notexcel.xlsx": "ไม่ใช่ไฟล์ Excel", "calc.xlsx": "(.ods)", "missing.xlsx": "ไม่พบไฟล์",
    }
    for name, words in expected.items():
        with pytest.raises(FileFormatError) as err:
            open_workbook(tmp_path / name)
        message = str(err.value)
        assert name in message and words in message and "\n" not in message, message


def test_a_truncated_xlsx_is_refused(tmp_path):
    good = tmp_path / "good.xlsx"
    Workbook().save(good)
    data = good.read_bytes()
    broken = tmp_path / "cut.xlsx"
    broken.write_bytes(data[: len(data) // 2])
    with pytest.raises(FileFormatError, match="cut.xlsx"):
        open_workbook(broken)
