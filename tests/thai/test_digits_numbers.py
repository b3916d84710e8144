from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.thai import format_number, parse_number, to_arabic_digits, to_thai_digits

money = st.decimals(min_value=-(10**12), max_value=10**12, places=2, allow_nan=False, allow_infinity=False)


def test_digits_basic():
    assert to_thai_digits("25/10/2565") == "๒๕/๑๐/๒๕๖๕"
    assert to_arabic_digits("๒๕ ต.ค. ๖๕") == "25 ต.ค. 65"
    assert to_thai_digits(1234) == "๑๒๓๔"
    assert to_thai_digits(Decimal("-1.50")) == "-๑.๕๐"
    assert to_thai_digits(None) == ""


@given(st.text())
def test_digit_round_trips(s):
    assert to_arabic_digits(to_thai_digits(s)) == to_arabic_digits(s)
    assert to_thai_digits(to_arabic_digits(s)) == to_thai_digits(s)
    assert len(to_thai_digits(s)) == len(s)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1,234.50", Decimal("1234.50")),
        ("๑,๒๓๔.๕๐", Decimal("1234.50")),
        ("  12 ", Decimal(12)),
        ("\u00a012\u200b", Decimal(12)),
        ("1234567", Decimal(1234567)),
        ("1,234,567", Decimal(1234567)),
        (".5", Decimal("0.5")),
        ("+5", Decimal(5)),
        ("-1,234", Decimal(-1234)),
        ("−7", Decimal(-7)),
        ("(1,234.00)", Decimal("-1234.00")),
        ("( ๕๐ )", Decimal(-50)),
        ("-", Decimal(0)),
        ("–", Decimal(0)),
        ("", Decimal(0)),
        ("   ", Decimal(0)),
        (None, Decimal(0)),
        (5, Decimal(5)),
        (0.1, Decimal("0.1")),
        (2.675, Decimal("2.675")),
        (Decimal("1.10"), Decimal("1.10")),
    ],
)
def test_parse_number(text, expected):
    result = parse_number(text)
    assert isinstance(result, Decimal)
    assert result == expected


@pytest.mark.parametrize(
    "text",
    ["12a", "100 บาท", "100บาท", "1,23", "12,34,567", "1234,567", "1.2.3", "--1", "-(1)", "()", "abc",
     "1 234", "nan", "inf", "1e5", ".", "๑๒ก"],
)  # fmt: skip
def test_parse_number_rejects_with_text(text):
    with pytest.raises(ValueError) as info:
        parse_number(text)
    assert f'"{text}"' in str(info.value)
    assert "อ่านตัวเลขไม่ได้" in str(info.value)


@pytest.mark.parametrize("value", [float("nan"), float("inf"), Decimal("NaN"), Decimal("-Infinity")])
def test_parse_number_rejects_non_finite(value):
    with pytest.raises(ValueError):
        parse_number(value)


def test_parse_number_rejects_bool():
    with pytest.raises(TypeError):
        parse_number(True)


@pytest.mark.parametrize(
    ("value", "kwargs", "expected"),
    [
        (Decimal("1234.5"), {}, "1,234.50"),
        (1234.5, {"decimals": 0}, "1,235"),  # half up, not banker's
        (2.675, {}, "2.68"),  # via str, not the binary 2.67499...
        (Decimal("-1234567.891"), {}, "-1,234,567.89"),
        (Decimal("-0.001"), {}, "0.00"),
        (0, {}, "0.00"),
        (12250, {"decimals": 0, "thai_digits": True}, "๑๒,๒๕๐"),
        ("๑๓,๖๕๐", {"thai_digits": True}, "๑๓,๖๕๐.๐๐"),
        (10**15, {}, "1,000,000,000,000,000.00"),
        (None, {}, ""),
    ],
)
def test_format_number(value, kwargs, expected):
    assert format_number(value, **kwargs) == expected


@given(money, st.booleans())
def test_format_parse_round_trip(x, thai):
    assert parse_number(format_number(x, thai_digits=thai)) == x


any_decimal = st.decimals(min_value=-(10**9), max_value=10**9, allow_nan=False, allow_infinity=False)


@given(any_decimal, st.integers(0, 4))
def test_format_rounds_to_decimals(x, decimals):
    text = format_number(x, decimals=decimals)
    assert len(text.partition(".")[2]) == decimals
    assert abs(parse_number(text) - x) <= Decimal(1).scaleb(-decimals) / 2
