"""Thai government holidays and working days.

The base is the ``holidays`` package (Thailand, categories public + government,
Thai names), which includes the cabinet's announced special days (e.g. 2566:
5 May, 31 Jul, 29 Dec). New special days are announced ad hoc, so each office
keeps an editable table: days it adds and package holidays it works anyway.
The services layer loads that table at start-up into the default calendar with
configure_special_days(). The package is imported on first lookup only.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta


def _as_date(d: date) -> date:
    # A datetime never equals a date, so it would miss every lookup.
    return d.date() if isinstance(d, datetime) else d


def _package_year(year: int) -> dict[date, str]:
    import holidays  # the PyPI package; ~150 ms, kept off the start-up path

    return dict(
        holidays.country_holidays(
            "TH", years=year, categories=(holidays.PUBLIC, holidays.GOVERNMENT), language="th"
        )
    )


class HolidayCalendar:
    """Package holidays merged with the office's special days.

    added: extra holidays (date -> name); they win over removed.
    removed: package holidays the office works (dates not in the package are ignored).
    Weekends (Sat, Sun) are never working days. Safe to share between threads.
    """

    def __init__(self, added: Mapping[date, str] | None = None, removed: Iterable[date] = ()) -> None:
        self._lock = threading.Lock()
        self._years: dict[int, dict[date, str]] = {}
        self.set_special_days(added or {}, removed)

    def set_special_days(self, added: Mapping[date, str], removed: Iterable[date]) -> None:
        """Replace the office's special days (both sets at once, so readers never see half)."""
        self._special = (
            {_as_date(d): name for d, name in added.items()},
            frozenset(_as_date(d) for d in removed),
        )

    def _base(self, year: int) -> dict[date, str]:
        names = self._years.get(year)
        if names is None:
            with self._lock:
                names = self._years.get(year)
                if names is None:
                    names = self._years[year] = _package_year(year)
        return names

    def holiday_name(self, d: date) -> str | None:
        """Thai name of the holiday on d, or None for an ordinary day."""
        d = _as_date(d)
        added, removed = self._special
        if d in added:
            return added[d]
        if d in removed:
            return None
        return self._base(d.year).get(d)

    def is_holiday(self, d: date) -> bool:
        return self.holiday_name(d) is not None

    def is_working_day(self, d: date) -> bool:
        """Mon-Fri and not a holiday."""
        return _as_date(d).weekday() < 5 and not self.is_holiday(d)

    def holidays_between(self, a: date, b: date) -> list[tuple[date, str]]:
        """(date, name) of every holiday from a to b inclusive, weekends' included, by date."""
        a, b = _as_date(a), _as_date(b)
        added, removed = self._special
        found: dict[date, str] = {}
        for year in range(a.year, b.year + 1):
            found.update((d, n) for d, n in self._base(year).items() if a <= d <= b and d not in removed)
        found.update((d, n) for d, n in added.items() if a <= d <= b)
        return sorted(found.items())


_default = HolidayCalendar()


def default_calendar() -> HolidayCalendar:
    """The app-wide calendar that configure_special_days() edits."""
    return _default


def configure_special_days(added: Mapping[date, str], removed: Iterable[date]) -> None:
    """Load the office's special-days table into the default calendar (replacing the last one)."""
    _default.set_special_days(added, removed)


def add_working_days(d: date, n: int, calendar: HolidayCalendar | None = None) -> date:
    """The date n working days after d (before it when n < 0); d itself is not counted.

    n == 0 returns d when it is a working day, otherwise the next working day:
    "due today" on a holiday means due on the next day the office is open.
    """
    cal = calendar or _default
    day = _as_date(d)
    step = timedelta(days=1 if n >= 0 else -1)
    if n == 0:
        while not cal.is_working_day(day):
            day += step
        return day
    for _ in range(abs(n)):
        day += step
        while not cal.is_working_day(day):
            day += step
    return day
