"""Buddhist-era dates with Thai month names (BE = CE + 543).

Dates are Gregorian ``date`` objects everywhere in the app; the Buddhist era
exists only in what people read and type, so it lives here.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

from app.errors import ValidationError
from app.i18n import tr
from app.thai.digits import to_arabic_digits, to_thai_digits

BE_OFFSET = 543
THAI_TIME = timezone(timedelta(hours=7), "ICT")  # office clocks: Thailand has no daylight saving

# Index by month number: THAI_MONTHS[10] == "ตุลาคม"; index 0 is "" so that
# month numbers need no -1 anywhere.
THAI_MONTHS: tuple[str, ...] = (
    "", "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
    "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
)  # fmt: skip
THAI_MONTHS_ABBR: tuple[str, ...] = (
    "", "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
    "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.",
)  # fmt: skip
# Index by date.weekday(): THAI_WEEKDAYS[0] == "จันทร์" (Monday).
THAI_WEEKDAYS: tuple[str, ...] = ("จันทร์", "อังคาร", "พุธ", "พฤหัสบดี", "ศุกร์", "เสาร์", "อาทิตย์")

# Spoken short forms ("ตุลา"), the frequent misspelling กรกฏาคม, and the OCR slip
# "ค.ค." for ต.ค. seen on scanned plan headers.
_EXTRA_MONTH_NAMES = {
    "มกรา": 1, "กุมภา": 2, "มีนา": 3, "เมษา": 4, "พฤษภา": 5, "มิถุนา": 6,
    "กรกฎา": 7, "กรกฏา": 7, "กรกฏาคม": 7, "สิงหา": 8, "กันยา": 9, "ตุลา": 10,
    "พฤศจิกา": 11, "ธันวา": 12, "คค": 10,
}  # fmt: skip
_MONTH_JUNK = re.compile(r"[\s.\u200b]+")


def _month_key(text: str) -> str:
    return _MONTH_JUNK.sub("", text)


_MONTH_LOOKUP: dict[str, int] = {
    **{_month_key(name): m for m, name in enumerate(THAI_MONTHS) if m},
    **{_month_key(abbr): m for m, abbr in enumerate(THAI_MONTHS_ABBR) if m},
    **_EXTRA_MONTH_NAMES,
}


def month_from_abbr(text: str) -> int | None:
    """Month number for a full or abbreviated Thai month name, else None.

    Spaces and dots are ignored ("ต.ค.", "ต ค", "ตค", "ตุลาคม", "ตุลา" -> 10).
    """
    return _MONTH_LOOKUP.get(_month_key(text)) if text else None


def _render(d: date, style: str) -> str:
    be = d.year + BE_OFFSET
    if style == "long":
        return f"{d.day} {THAI_MONTHS[d.month]} {be}"
    if style == "short":
        return f"{d.day} {THAI_MONTHS_ABBR[d.month]} {be % 100:02d}"
    if style == "month":
        return f"{THAI_MONTHS[d.month]} {be}"
    if style == "full":
        return f"วัน{THAI_WEEKDAYS[d.weekday()]}ที่ {d.day} {THAI_MONTHS[d.month]} พ.ศ. {be}"
    if style == "numeric":
        return f"{d.day}/{d.month}/{be}"
    if style == "iso_be":
        return f"{be:04d}-{d.month:02d}-{d.day:02d}"
    raise ValueError(f"unknown date style: {style!r}")


def format_date(d: date | None, style: str = "long", thai_digits: bool = True) -> str:
    """Buddhist-era date text; None gives "".

    Styles: "long" ๒๕ ตุลาคม ๒๕๖๕, "short" ๒๕ ต.ค. ๖๕, "month" ตุลาคม ๒๕๖๕,
    "full" วันอังคารที่ ๒๕ ตุลาคม พ.ศ. ๒๕๖๕, "numeric" ๒๕/๑๐/๒๕๖๕,
    "iso_be" ๒๕๖๕-๑๐-๒๕ (sorts as text). thai_digits=False gives Arabic digits.
    """
    if d is None:
        return ""
    text = _render(d, style)
    return to_thai_digits(text) if thai_digits else text


_ISO_RE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_NUMERIC_RE = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})")
# Optional "วันที่" / "วันอังคารที่" before the day; the month part is checked by month_from_abbr.
_WORDS_RE = re.compile(r"(?:วัน\S*?ที่\s*)?(\d{1,2})\s*(\D+?)\s*(\d{4}|\d{2})")
_ERA_SUFFIX = re.compile(r"พ\.?\s*ศ\.?\s*$")


def _ce_year(text: str) -> int:
    """Two digits are BE (65 -> 2565); four digits above 2400 are BE; else CE."""
    year = int(text)
    if len(text) == 2:
        year += 2500
    return year - BE_OFFSET if year > 2400 else year


def _parse_text(text: str) -> date | None:
    if m := _ISO_RE.fullmatch(text):
        year, month, day = m.groups()
    elif m := _NUMERIC_RE.fullmatch(text):
        day, month, year = m.groups()
    elif m := _WORDS_RE.fullmatch(text):
        day, month_text, year = m.groups()
        month_number = month_from_abbr(_ERA_SUFFIX.sub("", month_text))
        if month_number is None:
            return None
        month = str(month_number)
    else:
        return None
    return date(_ce_year(year), int(month), int(day))


def parse_date(value: str | date) -> date:
    """Read a date as Thai offices type it.

    "25/10/2565", "๒๕/๑๐/๒๕๖๕", "25 ต.ค. 65", "25 ตุลาคม 2565", "วันที่ 25 ตุลาคม พ.ศ. 2565",
    ISO "2022-10-25"; years above 2400 are BE, two-digit years are BE. Day comes
    first. date/datetime values (openpyxl cells) are returned as a date; one whose
    year is above 2400 is a BE date typed into a CE cell and is shifted back.
    Raises ValueError naming the text.
    """
    error = ValueError(f'อ่านวันที่ไม่ได้: "{value}"')
    try:
        if isinstance(value, datetime):
            value = value.date()
        if isinstance(value, date):
            return value.replace(year=value.year - BE_OFFSET) if value.year > 2400 else value
        if not isinstance(value, str):
            raise error
        text = " ".join(to_arabic_digits(value).replace("\u200b", "").split())
        parsed = _parse_text(text)
    except ValueError:  # also date() refusing 31/2
        raise error from None
    if parsed is None:
        raise error
    return parsed


# -- months ("which month's report?") -----------------------------------------------------------

_YEAR_MONTH_RE = re.compile(r"(\d{4})\s*[-/.]\s*(\d{1,2})")
_MONTH_YEAR_RE = re.compile(r"(\d{1,2})\s*[-/.]\s*(\d{4}|\d{2})")
# "พ.ย. 2569", "พฤศจิกายน พ.ศ. 2569", "เดือนพฤศจิกายน 2569", "พ.ย.69"
_MONTH_WORDS_RE = re.compile(r"(?:เดือน)?\s*(\D+?)\s*(?:พ\.?\s*ศ\.?)?\s*(\d{4}|\d{2})")
_MIN_CE, _MAX_CE = 1800, 2700  # anything outside is a typing slip, not a month anyone reports on


def _month_year(year_text: str) -> int:
    """A typed year as CE: four digits >= 2400 are BE, other four digits CE; two digits are BE
    (69 -> 2569), as in parse_date and format_date's short style."""
    year = int(year_text)
    if len(year_text) == 2:
        year += 2500
    return year - BE_OFFSET if year >= 2400 else year


def parse_month(value: str | date) -> date:
    """The first day of a month typed as "2569-11", "2026-11", "11/2569", "๑๑/๒๕๖๙",
    "พ.ย. 2569", "พฤศจิกายน 2569" or "พฤศจิกายน พ.ศ. ๒๕๖๙".

    A four-digit year from 2400 up is Buddhist era, below it Christian era; a two-digit year
    is Buddhist era (69 -> 2569). A date is taken as its month. Anything else raises
    ValidationError with one Thai sentence (field="month").
    """
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.replace(day=1)
    text = " ".join(to_arabic_digits(str(value or "")).replace("\u200b", "").split())
    month = year = None
    if m := _YEAR_MONTH_RE.fullmatch(text):
        year, month = _month_year(m.group(1)), int(m.group(2))
    elif m := _MONTH_YEAR_RE.fullmatch(text):
        month, year = int(m.group(1)), _month_year(m.group(2))
    elif m := _MONTH_WORDS_RE.fullmatch(text):
        month, year = month_from_abbr(m.group(1)), _month_year(m.group(2))
    if not text:
        raise ValidationError(tr("กรุณาระบุเดือนและปี เช่น 11/2569 หรือ พ.ย. 2569"), field="month")
    if month is None or year is None or not 1 <= month <= 12 or not _MIN_CE <= year <= _MAX_CE:
        raise ValidationError(
            tr("อ่านเดือน “{text}” ไม่ได้ กรุณาระบุเดือนและปี เช่น 11/2569, 2569-11 หรือ พ.ย. 2569", text=value),
            field="month",
        )
    return date(year, month, 1)
