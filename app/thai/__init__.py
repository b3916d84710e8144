"""Thai locale: digits, numbers, baht in words, Buddhist-era dates, fiscal year,
holidays and working days, dictionary sort order, word breaking.

Pure Python: no Qt, no database. The ``holidays`` package and pythainlp are
imported on first use only, so importing this package is cheap.
"""

from app.thai.baht import baht_text
from app.thai.collate import thai_sort_key
from app.thai.dates import (
    BE_OFFSET,
    THAI_MONTHS,
    THAI_MONTHS_ABBR,
    THAI_TIME,
    THAI_WEEKDAYS,
    format_date,
    month_from_abbr,
    parse_date,
    parse_month,
)
from app.thai.digits import THAI_DIGITS, to_arabic_digits, to_thai_digits
from app.thai.fiscal import FISCAL_MONTH_ORDER, fiscal_months, fiscal_quarter, fiscal_year, fiscal_year_bounds
from app.thai.holidays import (
    HolidayCalendar,
    add_working_days,
    configure_special_days,
    default_calendar,
)
from app.thai.numbers import format_number, parse_number
from app.thai.wordbreak import ZWSP, break_words, insert_zwsp

__all__ = [
    "BE_OFFSET",
    "FISCAL_MONTH_ORDER",
    "THAI_DIGITS",
    "THAI_MONTHS",
    "THAI_MONTHS_ABBR",
    "THAI_TIME",
    "THAI_WEEKDAYS",
    "ZWSP",
    "HolidayCalendar",
    "add_working_days",
    "baht_text",
    "break_words",
    "configure_special_days",
    "default_calendar",
    "fiscal_months",
    "fiscal_quarter",
    "fiscal_year",
    "fiscal_year_bounds",
    "format_date",
    "format_number",
    "insert_zwsp",
    "month_from_abbr",
    "parse_date",
    "parse_month",
    "parse_number",
    "thai_sort_key",
    "to_arabic_digits",
    "to_thai_digits",
]
