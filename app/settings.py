"""The one settings registry: every setting, its type, default and who may change it.

Values live in the database's app_setting table (see app.services.settings), so the GUI and
the headless commands see the same values.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Setting:
    key: str
    default: object
    label: str
    office_level: bool = False  # True: only an admin may change it


_ALL = [
    Setting("language", "th", "ภาษาของหน้าจอ"),
    Setting("print.thai_digits", True, "ใช้ตัวเลขไทยในเอกสารที่พิมพ์"),
    Setting("working_fiscal_year", 0, "ปีงบประมาณที่ทำงาน (0 = ปีปัจจุบัน)"),
    Setting("home_office_id", "", "สำนักงานของเครื่องนี้", office_level=True),
    Setting("mode", "province", "โหมดการทำงาน (province หรือ central)", office_level=True),
    # Deadlines (accounts closed by year end + N days) and the accounts-on-time KPI.
    Setting("accounts_close_days", 30, "จำนวนวันที่ต้องปิดบัญชีหลังวันสิ้นปีทางบัญชี", office_level=True),
]
SETTINGS: dict[str, Setting] = {s.key: s for s in _ALL}


def coerce(setting: Setting, raw: str | None) -> object:
    """Stored text → typed value, by the type of the default."""
    if raw is None:
        return setting.default
    if isinstance(setting.default, bool):
        return raw in ("1", "true", "True")
    if isinstance(setting.default, int):
        return int(raw)
    return raw


def serialize(value: object) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)
