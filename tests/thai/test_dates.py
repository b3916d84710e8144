from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.thai import THAI_MONTHS, THAI_MONTHS_ABBR, format_date, month_from_abbr, parse_date

D = date(2022, 10, 25)  # a Tuesday


@pytest.mark.parametrize(
    ("style", "thai", "arabic"),
    [
        ("long", "๒๕ ตุลาคม ๒๕๖๕", "25 ตุลาคม 2565"),
        ("short", "๒๕ ต.ค. ๖๕", "25 ต.ค. 65"),
        ("month", "ตุลาคม ๒๕๖๕", "ตุลาคม 2565"),
        ("full", "วันอังคารที่ ๒๕ ตุลาคม พ.ศ. ๒๕๖๕", "วันอังคารที่ 25 ตุลาคม พ.ศ. 2565"),
        ("numeric", "๒๕/๑๐/๒๕๖๕", "25/10/2565"),
        ("iso_be", "๒๕๖๕-๑๐-๒๕", "2565-10-25"),
    ],
)
def test_format_date_styles(style, thai, arabic):
    assert format_date(D, style) == thai
    assert format_date(D, style, thai_digits=False) == arabic
    assert format_date(datetime(2022, 10, 25, 23, 59), style, thai_digits=False) == arabic


def test_format_date_details():
    assert format_date(D) == "๒๕ ตุลาคม ๒๕๖๕"
    assert format_date(None) == ""
    assert format_date(date(2023, 1, 1), "short", thai_digits=False) == "1 ม.ค. 66"
    assert format_date(date(2101, 1, 1), "short", thai_digits=False) == "1 ม.ค. 44"
    assert format_date(date(2057, 1, 1), "short", thai_digits=False) == "1 ม.ค. 00"
    with pytest.raises(ValueError):
        format_date(D, "fancy")


def test_month_tables():
    assert THAI_MONTHS[0] == "" and THAI_MONTHS_ABBR[0] == ""
    assert len(THAI_MONTHS) == len(THAI_MONTHS_ABBR) == 13
    assert THAI_MONTHS[10] == "ตุลาคม" and THAI_MONTHS_ABBR[10] == "ต.ค."
    assert THAI_MONTHS_ABBR[1] == "ม.ค." and THAI_MONTHS_ABBR[12] == "ธ.ค."


@pytest.mark.parametrize(
    ("text", "month"),
    [
        ("ต.ค.", 10), ("ต.ค", 10), ("ตค", 10), ("ต. ค.", 10), (" ต.ค. ", 10), ("ตุลาคม", 10), ("ตุลา", 10),
        ("ค.ค.", 10), ("คค", 10),
        ("ม.ค.", 1), ("มี.ค.", 3), ("มีค", 3), ("เม.ย.", 4), ("มิ.ย.", 6), ("ก.ค.", 7), ("กรกฎาคม", 7),
        ("กรกฏาคม", 7), ("ก.ย.", 9), ("กันยายน", 9), ("พ.ย.", 11), ("ธ.ค.", 12), ("กุมภาพันธ์", 2),
        ("", None), ("งาน", None), ("ต.ค.ค.", None), ("10", None),
    ],
)  # fmt: skip
def test_month_from_abbr(text, month):
    assert month_from_abbr(text) == month


def test_month_from_abbr_knows_every_table_entry():
    for m in range(1, 13):
        assert month_from_abbr(THAI_MONTHS[m]) == m
        assert month_from_abbr(THAI_MONTHS_ABBR[m]) == m
        assert month_from_abbr(THAI_MONTHS_ABBR[m].replace(".", "")) == m


@pytest.mark.parametrize(
    "value",
    [
        "25/10/2565", "๒๕/๑๐/๒๕๖๕", "25/10/65", "25-10-2565", "25.10.2565", " 25/10/2565 ",
        "25 ต.ค. 65", "25 ต.ค.65", "25ต.ค.2565", "๒๕ ต.ค. ๖๕", "25 ตุลาคม 2565", "25  ตุลาคม  2565",
        "วันที่ 25 ตุลาคม 2565", "วันอังคารที่ ๒๕ ตุลาคม พ.ศ. ๒๕๖๕", "25 ตุลาคม พ.ศ.2565",
        "2022-10-25", "2565-10-25", "25/10/2022",
        datetime(2022, 10, 25, 8, 30), date(2022, 10, 25),
        datetime(2565, 10, 25),  # a BE date typed into a CE Excel cell
    ],
)  # fmt: skip
def test_parse_date_accepts(value):
    assert parse_date(value) == D


@pytest.mark.parametrize(
    "value",
    ["", "   ", "31/2/2565", "25/13/2565", "25 บาท 2565", "ตุลาคม 2565", "25/10", "abc", "2565", None, 25],
)
def test_parse_date_rejects_with_text(value):
    with pytest.raises(ValueError, match="อ่านวันที่ไม่ได้") as info:
        parse_date(value)
    assert f'"{value}"' in str(info.value)


def test_two_digit_year_is_be():
    assert parse_date("1/1/00") == date(1957, 1, 1)
    assert parse_date("31 ธ.ค. 99") == date(2056, 12, 31)


# BE years must stay above 2400 to be read back as BE, hence CE > 1857.
dates = st.dates(min_value=date(1900, 1, 1), max_value=date(2300, 12, 31))


@given(dates, st.sampled_from(["long", "full", "numeric", "iso_be"]), st.booleans())
def test_round_trip(d, style, thai):
    assert parse_date(format_date(d, style, thai_digits=thai)) == d


@given(st.dates(min_value=date(1957, 1, 1), max_value=date(2056, 12, 31)), st.booleans())
def test_round_trip_short(d, thai):
    # Two-digit BE years cover BE 2500-2599 only.
    assert parse_date(format_date(d, "short", thai_digits=thai)) == d
