"""Reading and printing numbers as Thai offices write them.

Money is Decimal end to end: floats are converted through ``str`` (shortest
repr, e.g. 0.1 -> "0.1"), never through their binary value.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, localcontext

from app.thai.digits import to_arabic_digits, to_thai_digits

Number = int | float | Decimal

# A blank cell or a dash is how spreadsheets show zero.
_ZERO_TEXTS = frozenset({"", "-", "–", "—"})
# Plain digits, or digits grouped by commas in threes; optional fraction.
_NUMBER_RE = re.compile(r"(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?")
_MINUS_SIGNS = "-−–"
# Copy-pasted cells carry NBSP and zero-width spaces (ours, from insert_zwsp).
_INVISIBLE = str.maketrans("", "", "\u200b\u00a0\ufeff")


def _error(text: object) -> ValueError:
    return ValueError(f'อ่านตัวเลขไม่ได้: "{text}"')


def _from_number(value: Number) -> Decimal:
    if isinstance(value, bool):  # True is an int, but never a meant amount
        raise TypeError(f"not a number: {value!r}")
    d = value if isinstance(value, Decimal) else Decimal(str(value))
    if not d.is_finite():
        raise _error(value)
    return d


def parse_number(s: str | Number | None) -> Decimal:
    """Read a number typed or printed by people.

    Accepts Thai or Arabic digits, thousands commas, surrounding spaces, a
    leading minus or accounting parentheses "(1,234.00)" for negatives, and
    "", "-", "–", None as zero. Unit text ("100 บาท"), stray letters and
    badly grouped commas are rejected with ValueError naming the text.
    """
    if s is None:
        return Decimal(0)
    if not isinstance(s, str):
        return _from_number(s)
    text = to_arabic_digits(s.translate(_INVISIBLE)).strip()
    if text in _ZERO_TEXTS:
        return Decimal(0)
    negative = False
    if text.startswith("(") and text.endswith(")"):
        negative, text = True, text[1:-1].strip()
    elif text[0] in _MINUS_SIGNS:
        negative, text = True, text[1:].lstrip()
    elif text[0] == "+":
        text = text[1:].lstrip()
    if not text or not _NUMBER_RE.fullmatch(text) or text == ".":
        raise _error(s)
    d = Decimal(text.replace(",", ""))
    return -d if negative and d else d


def format_number(value: str | Number | None, decimals: int = 2, thai_digits: bool = False) -> str:
    """Print with thousands commas, rounded half up: 1234.5 -> "1,234.50".

    None gives "" (a blank cell on a printed sheet); strings go through parse_number.
    """
    if value is None:
        return ""
    d = parse_number(value)
    with localcontext() as ctx:
        ctx.prec = 60  # quantize must not fail on large amounts
        d = d.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    if d.is_zero():
        d = abs(d)  # no "-0.00"
    text = f"{d:,f}"
    return to_thai_digits(text) if thai_digits else text
