from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.thai import baht_text, format_number, to_thai_digits

CASES = [
    # REFERENCE.md §4 and the brief
    (0, "ศูนย์บาทถ้วน"),
    (1, "หนึ่งบาทถ้วน"),
    (10, "สิบบาทถ้วน"),
    (11, "สิบเอ็ดบาทถ้วน"),
    (20, "ยี่สิบบาทถ้วน"),
    (21, "ยี่สิบเอ็ดบาทถ้วน"),
    (100, "หนึ่งร้อยบาทถ้วน"),
    (101, "หนึ่งร้อยเอ็ดบาทถ้วน"),
    (110, "หนึ่งร้อยสิบบาทถ้วน"),
    (111, "หนึ่งร้อยสิบเอ็ดบาทถ้วน"),
    (1001, "หนึ่งพันเอ็ดบาทถ้วน"),
    (1_000_000, "หนึ่งล้านบาทถ้วน"),
    (1_000_001, "หนึ่งล้านเอ็ดบาทถ้วน"),
    (1_000_011, "หนึ่งล้านสิบเอ็ดบาทถ้วน"),
    (10_000_000, "สิบล้านบาทถ้วน"),
    (21_000_000, "ยี่สิบเอ็ดล้านบาทถ้วน"),
    (5_001_000_000, "ห้าพันเอ็ดล้านบาทถ้วน"),
    (1_000_000_000_000, "หนึ่งล้านล้านบาทถ้วน"),
    (1_000_001_000_000, "หนึ่งล้านเอ็ดล้านบาทถ้วน"),
    (969_040, "เก้าแสนหกหมื่นเก้าพันสี่สิบบาทถ้วน"),
    (12_250, "หนึ่งหมื่นสองพันสองร้อยห้าสิบบาทถ้วน"),
    ("0.01", "หนึ่งสตางค์"),
    ("0.11", "สิบเอ็ดสตางค์"),
    ("0.21", "ยี่สิบเอ็ดสตางค์"),
    ("0.50", "ห้าสิบสตางค์"),
    ("1.50", "หนึ่งบาทห้าสิบสตางค์"),
    ("101.01", "หนึ่งร้อยเอ็ดบาทหนึ่งสตางค์"),
    ("-1.50", "ลบหนึ่งบาทห้าสิบสตางค์"),
    (-21, "ลบยี่สิบเอ็ดบาทถ้วน"),
    # round half up to the satang
    (Decimal("1.005"), "หนึ่งบาทหนึ่งสตางค์"),
    (Decimal("1.004999"), "หนึ่งบาทถ้วน"),
    (Decimal("0.995"), "หนึ่งบาทถ้วน"),
    (Decimal("0.005"), "หนึ่งสตางค์"),
    (Decimal("0.0049"), "ศูนย์บาทถ้วน"),
    (Decimal("-1.005"), "ลบหนึ่งบาทหนึ่งสตางค์"),
    (Decimal("-0.004"), "ศูนย์บาทถ้วน"),  # no "ลบศูนย์"
    (Decimal("999999.995"), "หนึ่งล้านบาทถ้วน"),
    # strings go through parse_number
    ("๑,๐๐๐,๐๐๑", "หนึ่งล้านเอ็ดบาทถ้วน"),
    ("(100)", "ลบหนึ่งร้อยบาทถ้วน"),
    ("-", "ศูนย์บาทถ้วน"),
]


@pytest.mark.parametrize(("amount", "expected"), CASES)
def test_baht_text_table(amount, expected):
    assert baht_text(amount) == expected


def test_baht_text_rejects_unit_text():
    with pytest.raises(ValueError, match="100 บาท"):
        baht_text("100 บาท")


amounts = st.decimals(min_value=-(10**13), max_value=10**13, places=3, allow_nan=False, allow_infinity=False)


@given(amounts)
def test_baht_text_shape(x):
    text = baht_text(x)
    rounded = x.quantize(Decimal("0.01"), rounding="ROUND_HALF_UP")
    assert "หนึ่งสิบ" not in text and "สองสิบ" not in text
    assert text.endswith("ถ้วน") == (rounded % 1 == 0)
    assert text.endswith("สตางค์") == (rounded % 1 != 0)
    assert text.startswith("ลบ") == (rounded < 0)


@given(st.decimals(min_value=-(10**12), max_value=10**12, places=2, allow_nan=False, allow_infinity=False))
def test_decimal_str_int_equivalent(x):
    expected = baht_text(x)
    assert baht_text(str(x)) == expected
    assert baht_text(format_number(x)) == expected
    assert baht_text(to_thai_digits(format_number(x))) == expected
    if x % 1 == 0:
        assert baht_text(int(x)) == expected


@given(st.integers(min_value=0, max_value=10**15))
def test_integers_agree_with_pythainlp(n):
    # pythainlp rounds through float, so it is an oracle for integers only.
    from pythainlp.util import bahttext

    assert baht_text(n) == bahttext(n)
