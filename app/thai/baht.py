"""Amounts in Thai words, as written on cheques and receipts (Royal Institute rules)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, localcontext

from app.thai.numbers import Number, parse_number

_DIGITS = ("ศูนย์", "หนึ่ง", "สอง", "สาม", "สี่", "ห้า", "หก", "เจ็ด", "แปด", "เก้า")
_TENS = ("", "สิบ", "ยี่สิบ") + tuple(d + "สิบ" for d in _DIGITS[3:])
_PLACES = ("", "สิบ", "ร้อย", "พัน", "หมื่น", "แสน")
_MILLION = 1_000_000
_SATANG = Decimal("0.01")


def _below_million(n: int, has_higher: bool) -> str:
    """Words for 0 < n < 1,000,000; has_higher: digits above this group exist."""
    words = []
    for place in range(5, -1, -1):
        digit = n // 10**place % 10
        if not digit:
            continue
        if place == 1:
            words.append(_TENS[digit])
        elif place == 0 and digit == 1 and (has_higher or n >= 10):
            words.append("เอ็ด")
        else:
            words.append(_DIGITS[digit] + _PLACES[place])
    return "".join(words)


def _integer_words(n: int) -> str:
    """Words for n > 0; ล้าน chains (10**12 is หนึ่งล้านล้าน)."""
    high, low = divmod(n, _MILLION)
    text = _integer_words(high) + "ล้าน" if high else ""
    return text + (_below_million(low, bool(high)) if low else "")


def baht_text(amount: str | Number) -> str:
    """Baht in words, rounded half up to the satang.

    ศูนย์บาทถ้วน, หนึ่งร้อยบาทถ้วน, หนึ่งบาทห้าสิบสตางค์, ห้าสิบสตางค์ (no baht part
    when under one baht), negatives prefixed ลบ. Strings go through parse_number.
    """
    with localcontext() as ctx:
        ctx.prec = 60  # exact arithmetic for any amount a sheet can hold
        value = parse_number(amount).quantize(_SATANG, rounding=ROUND_HALF_UP)
        baht, satang = divmod(int(abs(value) * 100), 100)
    sign = "ลบ" if value < 0 else ""
    if not satang:
        return f"{sign}{_integer_words(baht) if baht else 'ศูนย์'}บาทถ้วน"
    baht_part = f"{_integer_words(baht)}บาท" if baht else ""
    return f"{sign}{baht_part}{_below_million(satang, False)}สตางค์"
