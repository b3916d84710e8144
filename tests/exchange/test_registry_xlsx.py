"""Reading the registry workbook without a database: cells as offices type them."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from app.exchange.registry_xlsx import PARSERS, read_registry
from tests.exchange.sheets import MESSY_REJECTED, messy_list, two_row_header_list


@pytest.mark.parametrize(("field", "cell", "expected"), [
    ("reg_no", "๑๒/๒๕๓๐", "12/2530"),
    ("reg_no", 123.0, "123"),
    ("reg_no", " 12 / 2530 ", "12/2530"),
    ("members", "๑,๒๓๔", 1234),
    ("members", 1234.0, 1234),
    ("members", "1,200 คน", 1200),
    ("accumulated_loss", "1,234.565", Decimal("1234.57")),
    ("net_profit", "(1,000)", Decimal("-1000.00")),
    ("business_volume", 987654.25, Decimal("987654.25")),
    ("member_participation_pct", "85%", Decimal("85.00")),
    ("registered_on", "15 มี.ค. 2530", date(1987, 3, 15)),
    ("registered_on", "๑๕/๓/๒๕๓๐", date(1987, 3, 15)),
    ("registered_on", datetime(2530, 3, 15), date(1987, 3, 15)),  # BE typed into a date cell
    ("registered_on", datetime(1987, 3, 15), date(1987, 3, 15)),
    ("registered_on", 31851, date(1987, 3, 15)),  # a date cell that lost its format
    ("acct_year_end", "31 มี.ค.", (3, 31)),
    ("acct_year_end", "31/3", (3, 31)),
    ("acct_year_end", "๓๑ มีนาคม", (3, 31)),
    ("acct_year_end", datetime(2024, 6, 30), (6, 30)),
    ("acct_year_end", "30 มิ.ย. 2567", (6, 30)),
    ("strength_class", "ชั้น ๒", (2, False)),
    ("strength_class", 3.0, (3, False)),
    ("strength_class", "ไม่จัดระดับชั้น", (None, True)),
    ("standards_result", "ได้มาตรฐาน", "pass"),
    ("standards_result", "ต่ำกว่า มาตรฐาน", "fail"),
    ("standards_result", "ไม่นำมาจัดมาตรฐาน", "not_assessed"),
    ("type", "การเกษตร", ("coop", "agriculture")),
    ("type", "กลุ่มเกษตรกร", ("farmer_group", None)),
    ("status", "อยู่ระหว่างชำระบัญชี", "dissolving"),
    ("phone", 55711111, "055711111"),  # the leading 0 a number cell dropped
    ("phone", 812345678, "0812345678"),
    ("notes", "บรรทัดแรก\r\nบรรทัดสอง ", "บรรทัดแรก\nบรรทัดสอง"),
])
def test_cells_read_as_offices_type_them(field, cell, expected):
    assert PARSERS[field](cell) == expected


@pytest.mark.parametrize(("field", "cell", "message"), [
    ("members", "12a", 'จำนวนสมาชิก "12a" ไม่ใช่ตัวเลข'),
    ("members", "12.5", 'จำนวนสมาชิก "12.5" ต้องเป็นจำนวนเต็ม'),
    ("members", "-3", 'จำนวนสมาชิก "-3" ต้องไม่ติดลบ'),
    ("members", True, 'จำนวนสมาชิก "True" ไม่ใช่ตัวเลข'),
    ("business_volume", "หนึ่งล้าน", 'ปริมาณธุรกิจ "หนึ่งล้าน" ไม่ใช่ตัวเลข'),
    ("business_volume", "1e20", 'ปริมาณธุรกิจ "1e20" ไม่ใช่ตัวเลข'),
    ("registered_on", "31/2/2530", 'วันที่จดทะเบียน "31/2/2530" อ่านเป็นวันที่ไม่ได้'),
    ("registered_on", 2530, 'วันที่จดทะเบียน "2530" อ่านเป็นวันที่ไม่ได้'),
    ("acct_year_end", "สิ้นเดือน", 'วันสิ้นปีทางบัญชี "สิ้นเดือน" อ่านไม่ได้'),
    ("strength_class", "5", 'ระดับชั้น "5" ต้องเป็น 1 ถึง 4'),
    ("standards_result", "ดี", 'ผลมาตรฐาน "ดี" ไม่รู้จัก'),
    ("status", "ปิดกิจการ", 'สถานะ "ปิดกิจการ" ไม่รู้จัก'),
])
def test_unreadable_cells_say_what_and_which_value(field, cell, message):
    with pytest.raises(ValueError) as err:
        PARSERS[field](cell)
    assert str(err.value).startswith(message)


def test_messy_list_is_read_row_by_row(tmp_path):
    sheet = read_registry(messy_list(tmp_path / "รายชื่อ.xlsx"))
    assert (sheet.sheet, sheet.header_row, sheet.fiscal_years) == ("ทะเบียน 67", 4, {2567})
    assert sheet.ignored_columns == ["G (ทุนเรือนหุ้น)"]  # Q, under the merged "ที่ตั้ง", is not listed
    assert sheet.columns["address"] == "P" and sheet.columns["reg_no"] == "C"
    assert [(s.row, s.text) for s in sheet.skipped] == [(6, "สหกรณ์การเกษตร"), (16, "รวม")]
    assert [r.row for r in sheet.rows] == [7, 8, 10, 11, 12, 13, 14, 15]
    first = sheet.rows[0].values
    assert first["reg_no"] == "1/2530" and first["members"] == 1234 and first["group"] == "กลุ่มส่งเสริมสหกรณ์ 1"
    assert first["strength_class"] == (2, False) and first["business_volume"] == Decimal("12345678.50")
    assert "group" not in sheet.rows[1].values  # "-" is an empty cell
    # Cell-level problems are known before any database lookup (district and type need none).
    reasons = {r.row: r.reason for r in sheet.rows if r.problems}
    assert reasons == {n: MESSY_REJECTED[n] for n in (11, 12, 14, 15)}


def test_two_row_header_and_percent_cells(tmp_path):
    sheet = read_registry(two_row_header_list(tmp_path / "two.xlsx"))
    assert sheet.header_row == 3 and sheet.fiscal_years == {2566}
    assert list(sheet.columns) == ["reg_no", "name", "type", "registered_on", "strength_class",
                                   "member_participation_pct", "net_profit"]
    first, second = (r.values for r in sheet.rows)
    assert first["registered_on"] == date(2012, 2, 1) and first["net_profit"] == Decimal("-12000.00")
    assert second["member_participation_pct"] == Decimal("70.00")
    assert not any(r.problems for r in sheet.rows)
