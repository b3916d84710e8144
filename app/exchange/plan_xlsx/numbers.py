"""Figures as offices type them: Thai digits, thousands commas, "-" for zero, "๗ ครั้ง"."""

from __future__ import annotations

import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from app.exchange.plan_xlsx.cells import text_of
from app.thai import parse_number

CENTS = Decimal("0.01")
MONEY_LIMIT = Decimal(10) ** 12  # what the database stores (14 digits, 2 after the point)
_LEADING_NUMBER = re.compile(r"([0-9๐-๙][0-9๐-๙,]*(?:\.[0-9๐-๙]+)?)\s*(.*)", re.S)


class Unreadable(ValueError):
    """A cell that should hold a figure but does not; carries the text as the sheet shows it."""

    def __init__(self, value: object):
        super().__init__(text_of(value))
        self.text = text_of(value)


def number(value: object) -> Decimal | None:
    """None for an empty cell; "-" is zero."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, (bool, date)):  # Excel turns a typed "1/2" into a date
        raise Unreadable(value)
    try:
        return parse_number(value)
    except (ValueError, TypeError):
        raise Unreadable(value) from None


def work(value: object) -> int | None:
    d = number(value)
    if d is None:
        return None
    if d != d.to_integral_value():
        raise Unreadable(value)
    return int(d)


def baht(value: object) -> Decimal | None:
    d = number(value)
    if d is None:
        return None
    d = d.quantize(CENTS, rounding=ROUND_HALF_UP)  # as the database keeps it, so a re-import compares equal
    if abs(d) >= MONEY_LIMIT:
        raise Unreadable(value)
    return d


def quantity_and_unit(value: object) -> tuple[int | None, str]:
    """A target: 7 → (7, ""), "๗ ครั้ง" → (7, "ครั้ง"), "๕๐ แห่ง/๑ กลุ่ม" → (50, "แห่ง/๑ กลุ่ม")
    (the first number; the rest stays readable as the unit), "-" → (None, "")."""
    if not isinstance(value, str):
        return work(value), ""
    text = value.strip()
    if text in ("", "-", "–", "—"):
        return None, ""
    m = _LEADING_NUMBER.fullmatch(text)
    if m is None:
        raise Unreadable(value)
    return work(m[1]), m[2].strip()
