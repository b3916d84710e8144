"""Reading a month as officers type it: BE or CE, digits Thai or Arabic, names or numbers."""

from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.errors import ValidationError
from app.thai import THAI_MONTHS, THAI_MONTHS_ABBR, format_date, parse_month, to_thai_digits

NOV = date(2026, 11, 1)  # พฤศจิกายน 2569


@pytest.mark.parametrize(
    "text",
    [
        "2569-11", "2026-11", "2569/11", "2026.11", " 2569 - 11 ",
        "11/2569", "11/2026", "11-2569", "11.2569", "๑๑/๒๕๖๙", "๒๕๖๙-๑๑", "11/69",
        "พ.ย. 2569", "พ.ย.2569", "พย 2569", "พ.ย. ๒๕๖๙", "พ.ย. 69", "พฤศจิกายน 2569", "พฤศจิกายน  2569",
        "พฤศจิกายน พ.ศ. 2569", "พฤศจิกายน พ.ศ.๒๕๖๙", "เดือนพฤศจิกายน 2569", "เดือน พ.ย. 2569", "พฤศจิกา 2569",
        "พ.ย. 2026", "\u200bพ.ย. 2569",
    ],
)  # fmt: skip
def test_accepts(text):
    assert parse_month(text) == NOV


def test_be_and_ce_boundary():
    assert parse_month("1/2400") == date(1857, 1, 1)  # from 2400 up: Buddhist era
    assert parse_month("1/2399") == date(2399, 1, 1)  # below: Christian era
    assert parse_month("ม.ค. 2570") == date(2027, 1, 1)
    assert parse_month("12/2569") == date(2026, 12, 1)


def test_dates_give_their_month():
    assert parse_month(date(2026, 11, 17)) == NOV
    assert parse_month(datetime(2026, 11, 17, 9, 30)) == NOV


@pytest.mark.parametrize(
    "text",
    ["", "   ", "2569", "13/2569", "0/2569", "2569-13", "พ.ย.", "ธันวาคม", "abc 2569", "11/0012", "32/2569",
     "2569-11-05", "11/256", "พ.ย. 2569 ธ.ค.", "สิบเอ็ด 2569", "11 / 2569 / 1"],
)  # fmt: skip
def test_rejects_with_one_thai_sentence(text):
    with pytest.raises(ValidationError) as info:
        parse_month(text)
    message = info.value.message
    assert info.value.field == "month"
    assert "\n" not in message and "เดือน" in message
    if text.strip():
        assert f"“{text}”" in message  # says what it could not read


def test_every_month_name_and_abbreviation():
    for m in range(1, 13):
        for name in (THAI_MONTHS[m], THAI_MONTHS_ABBR[m]):
            assert parse_month(f"{name} 2569") == date(2026, m, 1)
            assert parse_month(to_thai_digits(f"{name} 2569")) == date(2026, m, 1)


months = st.dates(min_value=date(1900, 1, 1), max_value=date(2300, 12, 31)).map(lambda d: d.replace(day=1))


@given(months, st.booleans())
def test_round_trip_with_format_date(d, thai):
    assert parse_month(format_date(d, "month", thai_digits=thai)) == d
    assert parse_month(to_thai_digits(f"{d.month}/{d.year + 543}") if thai else f"{d.year}-{d.month:02d}") == d
