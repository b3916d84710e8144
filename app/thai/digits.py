"""Thai digits (U+0E50-0E59) <-> Arabic digits."""

from __future__ import annotations

THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
_TO_THAI = str.maketrans("0123456789", THAI_DIGITS)
_TO_ARABIC = str.maketrans(THAI_DIGITS, "0123456789")


def _text(value: object) -> str:
    # None prints as a blank cell, never as the word "None".
    return "" if value is None else str(value)


def to_thai_digits(s: object) -> str:
    """Replace Arabic digits by Thai digits; anything else is kept (int/Decimal via str)."""
    return _text(s).translate(_TO_THAI)


def to_arabic_digits(s: object) -> str:
    """Replace Thai digits by Arabic digits; anything else is kept (int/Decimal via str)."""
    return _text(s).translate(_TO_ARABIC)
