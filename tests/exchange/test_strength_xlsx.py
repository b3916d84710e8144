"""Reading the central office's strength-classification sheet: finding the header by its
words (two merged rows, usual spellings), the year in the title, skipping headings and
subtotals, reading cells as the strength rules do, and refusing files that cannot be one."""

from __future__ import annotations

from decimal import Decimal

import pytest
from openpyxl import Workbook

from app.errors import FileFormatError
from app.exchange.strength_xlsx import read_strength
from tests.exchange.sheets import simple_list, write_rows
from tests.exchange.strength_sheets import SKIPPED, strength_sheet

D = Decimal
SHORT_HEADER = ("เลขทะเบียน", "ชื่อกลุ่ม", "บริการสมาชิก", "ธุรกิจ", "องค์กร", "บริหารงาน", "ปิดบัญชี", "ประชุมใหญ่",
                "เสนองบ", "ชั้น", "หมายเหตุ")


def short_sheet(path, *rows: list, header=SHORT_HEADER):
    """A header in short words on row 1 (no title, so no year) and the rows under it."""
    return write_rows(path, {1: list(header), **{i: list(r) for i, r in enumerate(rows, start=2)}})


def test_the_realistic_sheet_is_found_and_read(tmp_path):
    sheet = read_strength(strength_sheet(tmp_path / "ผลจัดชั้น.xlsx"))
    assert (sheet.file_name, sheet.sheet, sheet.header_row, sheet.fiscal_years) == ("ผลจัดชั้น.xlsx", "ผลจัดชั้น 68",
                                                                                   3, {2568})
    assert list(sheet.columns) == ["reg_no", "name", "member_service", "business", "organisation", "administration",
                                   "total", "accounts_closed", "agm_held", "statements_presented", "out_of_scope",
                                   "out_of_scope_reason", "published"]
    assert sheet.columns["member_service"] == 4 and sheet.ignored_columns == ["O (ผู้ประเมิน)"]
    assert {s.row: s.text for s in sheet.skipped} == SKIPPED
    rows = {r.row: r for r in sheet.rows}
    assert list(rows) == [6, 7, 8, 11, 12, 13]

    first = rows[6]  # Thai digits in the registration number and the scores
    assert (first.reg_no, first.published, first.published_class, first.problems) == ("1/2530", True, 1, [])
    assert (first.scores.member_service, first.scores.business, first.scores.total) == (D(28), D("17.5"), D("89.5"))
    assert first.scores.accounts_closed and first.scores.agm_held and first.scores.statements_presented
    assert rows[7].published_class == 1 and rows[7].scores.total == D("79.5")  # "ชั้น ๑"
    third = rows[8].scores  # "/", "ไม่", "-"
    assert (third.accounts_closed, third.agm_held, third.statements_presented) == (True, False, False)
    group = rows[11]
    assert (group.published, group.published_class) == (True, None)
    assert (group.scores.out_of_scope, group.scores.out_of_scope_reason) == (True, "จัดตั้งไม่ถึงหนึ่งปีบัญชี")
    bad = rows[12]
    assert bad.scores is None
    assert bad.reason == 'คะแนนด้านประสิทธิภาพในการดำเนินธุรกิจอ่านไม่ได้: "1O" (แถว 12 คอลัมน์ E)'
    assert rows[13].reg_no == "9/2599" and rows[13].problems == []  # unknown to the registry: the service's call
    assert all(not r.warnings for r in sheet.rows)  # every stated total is the sum of the four


@pytest.mark.parametrize("labels", [
    ("ด้านที่ 1 ความสามารถในการให้บริการสมาชิก (30 คะแนน)", "ด้านที่ 2 ประสิทธิภาพในการดำเนินธุรกิจ (20 คะแนน)",
     "ด้านที่ 3 ประสิทธิภาพในการจัดการองค์กร (20 คะแนน)", "ด้านที่ 4 ประสิทธิภาพของการบริหารงาน (30 คะแนน)"),
    ("1. ด้านการให้บริการสมาชิก", "2. ด้านการดำเนินธุรกิจ", "3. ด้านการจัดการองค์กร", "4. ด้านการบริหารงาน"),
    ("ด้านที่ ๑", "ด้านที่ ๒", "ด้านที่ ๓", "ด้านที่ ๔"),
    ("คะแนนด้านบริการสมาชิก", "คะแนนด้านธุรกิจ", "คะแนนด้านองค์กร", "คะแนนด้านบริหารงาน"),
])
def test_dimension_headers_in_their_usual_spellings(tmp_path, labels):
    header = ("ทะเบียน", "ชื่อสหกรณ์", *labels, "ปิดบัญชีแล้ว", "ประชุมใหญ่สามัญ", "เสนองบการเงินต่อที่ประชุมใหญ่",
              "ระดับชั้น")
    sheet = read_strength(short_sheet(tmp_path / "s.xlsx", ["1/2530", "ก", 30, 20, 20, 30, 1, 1, 1, 1],
                                      header=header))
    assert [sheet.columns[f] for f in ("member_service", "business", "organisation", "administration")] == [3, 4, 5,
                                                                                                          6]
    assert sheet.rows[0].scores.total == D(100) and sheet.fiscal_years == set()


def test_year_stated_in_the_header_and_reason_under_notes(tmp_path):
    header = (*SHORT_HEADER[:9], "ระดับชั้น ปี ๒๕๖๙", "หมายเหตุ")
    path = short_sheet(tmp_path / "s.xlsx",
                       ["1/2530", "ก", None, None, None, None, None, None, None, "ไม่จัดระดับชั้น", "หยุดดำเนินการ"],
                       ["2/2530", "ข", 20, 10, 10, 20, "ใช่", "ใช่", "ใช่", 3, "ตรวจแล้ว"], header=header)
    sheet = read_strength(path)
    assert sheet.fiscal_years == {2569}
    out, kept = sheet.rows
    assert (out.scores.out_of_scope, out.scores.out_of_scope_reason, out.published_class) == (True, "หยุดดำเนินการ",
                                                                                               None)
    assert not kept.scores.out_of_scope and kept.scores.out_of_scope_reason == ""  # a note, not a reason


def test_every_unreadable_cell_of_a_row_is_named(tmp_path):
    path = short_sheet(tmp_path / "s.xlsx",
                       ["1/2530", "ก", 35, "abc", 10, 10, "บางส่วน", 1, 1, "5"],
                       ["", "ข", 10, 10, 10, 10, 1, 1, 1, 3],
                       ["3/2530", "ค", None, None, None, None, None, None, None, "ไม่จัดระดับชั้น"])
    rows = read_strength(path).rows
    assert [p.text() for p in rows[0].problems] == [  # all of them, in column order
        "คะแนนด้านความสามารถในการให้บริการสมาชิกต้องอยู่ระหว่าง 0 ถึง 30 แต่กรอกไว้ 35 (แถว 2 คอลัมน์ C)",
        'คะแนนด้านประสิทธิภาพในการดำเนินธุรกิจอ่านไม่ได้: "abc" (แถว 2 คอลัมน์ D)',
        'ช่อง ปิดบัญชี อ่านไม่ได้: "บางส่วน" (ใช้ ใช่ หรือ ไม่ใช่) (แถว 2 คอลัมน์ G)',
        'ระดับชั้น "5" ต้องเป็น 1 ถึง 4 หรือ "ไม่จัดระดับชั้น" (แถว 2 คอลัมน์ J)',
    ]
    assert rows[0].scores is None
    assert rows[1].reason == "ไม่มีเลขทะเบียน (แถว 3 คอลัมน์ A)"
    # Out of scope (said in the class column) needs a reason: without a reason column, หมายเหตุ is where it goes.
    assert rows[2].reason == "กรุณาระบุเหตุผลที่ไม่นำมาจัดระดับชั้น (แถว 4 คอลัมน์ K)"


def test_a_stated_total_that_is_not_the_sum_is_a_warning(tmp_path):
    header = (*SHORT_HEADER[:6], "คะแนนรวม", *SHORT_HEADER[6:10])
    path = short_sheet(tmp_path / "s.xlsx", ["1/2530", "ก", 20, 10, 10, 20, "๖๑", 1, 1, 1, 3],
                       ["2/2530", "ข", 20, 10, 10, 20, "หกสิบ", 1, 1, 1, 3], header=header)
    first, second = read_strength(path).rows
    assert first.problems == [] and first.warnings == [
        "คะแนนรวมในไฟล์ 61.00 ไม่เท่ากับผลรวมสี่ด้าน 60.00 (แถว 2 คอลัมน์ G) โปรแกรมใช้ผลรวมสี่ด้าน"]
    assert second.warnings == ['คะแนนรวม "หกสิบ" อ่านไม่ได้ (แถว 3 คอลัมน์ G)']


def test_a_repeated_registration_number_is_refused_on_its_second_row(tmp_path):
    path = short_sheet(tmp_path / "s.xlsx", ["1/2530", "ก", 20, 10, 10, 20, 1, 1, 1, 3],
                       ["๑/๒๕๓๐", "ก", 20, 10, 10, 20, 1, 1, 1, 3])
    first, second = read_strength(path).rows
    assert first.problems == []
    assert second.scores is None and second.reason == "เลขทะเบียน 1/2530 ซ้ำกับแถว 2 (แถว 3 คอลัมน์ A)"


# -- files that are not a classification sheet ------------------------------------------------

def test_not_an_xlsx_is_one_sentence_naming_the_file(tmp_path):
    fake = tmp_path / "ผล.xlsx"
    fake.write_text("เลขทะเบียน,ชื่อ\n1/2530,ก\n", encoding="utf-8")
    with pytest.raises(FileFormatError, match="ไฟล์ ผล.xlsx ไม่ใช่ไฟล์ Excel"):
        read_strength(fake)
    empty = tmp_path / "ว่าง.xlsx"
    empty.write_bytes(b"")
    with pytest.raises(FileFormatError, match="ไฟล์ ว่าง.xlsx ว่างเปล่า"):
        read_strength(empty)


def test_a_sheet_without_the_score_columns_is_refused(tmp_path):
    path = simple_list(tmp_path / "ทะเบียน.xlsx", [["1/2530", "สหกรณ์ ก จำกัด", "บริการ", "คลองลาน", 10]])
    with pytest.raises(FileFormatError) as err:
        read_strength(path)
    assert "ไม่พบแถวหัวตาราง" in err.value.message and "ทะเบียน.xlsx" in err.value.message
    assert "“เลขทะเบียน”" in err.value.message and "ด้านที่ 1" in err.value.message
    blank = tmp_path / "blank.xlsx"
    Workbook().save(blank)
    with pytest.raises(FileFormatError, match="ไม่พบแถวหัวตาราง"):
        read_strength(blank)


def test_missing_basic_conditions_and_no_rows_are_refused(tmp_path):
    path = short_sheet(tmp_path / "s.xlsx", ["1/2530", "ก", 20, 10, 10, 20, 3],
                       header=(*SHORT_HEADER[:6], "ชั้น"))
    with pytest.raises(FileFormatError) as err:
        read_strength(path)
    assert err.value.message.startswith("ไฟล์ s.xlsx แผ่นงาน “Sheet1” ไม่มีคอลัมน์เงื่อนไขพื้นฐาน “ปิดบัญชี”, "
                                        "“ประชุมใหญ่”, “เสนองบการเงิน”")
    only_header = strength_sheet(tmp_path / "หัวตาราง.xlsx", rows={5: ["สหกรณ์ภาคการเกษตร"]})
    with pytest.raises(FileFormatError) as err:
        read_strength(only_header)
    assert err.value.message == ("ไฟล์ หัวตาราง.xlsx แผ่นงาน “ผลจัดชั้น 68” ไม่มีรายการสหกรณ์/กลุ่มเกษตรกร"
                                 "ใต้หัวตาราง (แถว 4)")
