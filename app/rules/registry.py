"""Registry vocabulary and the checks an institution record must pass."""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from datetime import date

KINDS = {"coop": "สหกรณ์", "farmer_group": "กลุ่มเกษตรกร"}

COOP_TYPES = {
    "agriculture": "การเกษตร",
    "fishery": "ประมง",
    "settlement": "นิคม",
    "savings": "ออมทรัพย์",
    "consumer": "ร้านค้า",
    "service": "บริการ",
    "credit_union": "เครดิตยูเนี่ยน",
}
AGRICULTURAL_TYPES = frozenset({"agriculture", "fishery", "settlement"})

STATUSES = {
    "operating": "ดำเนินการ",
    "not_started": "ยังไม่ดำเนินการ",
    "suspended": "หยุดดำเนินการ",
    "dissolving": "อยู่ระหว่างชำระบัญชี",
    "struck_off": "ถอนชื่อแล้ว",
}

STANDARDS_RESULTS = ("pass", "fail", "not_assessed")
STRENGTH_CLASSES = (1, 2, 3, 4)


def sector(kind: str, coop_type: str | None) -> str:
    """'agricultural', 'non_agricultural' or 'farmer_group' (strength thresholds differ)."""
    if kind == "farmer_group":
        return "farmer_group"
    return "agricultural" if coop_type in AGRICULTURAL_TYPES else "non_agricultural"


def type_label(kind: str, coop_type: str | None) -> str:
    if kind == "farmer_group":
        return KINDS["farmer_group"]
    return f"สหกรณ์{COOP_TYPES.get(coop_type or '', '')}"


def standards_label(kind: str, result: str | None) -> str:
    if result is None:
        return ""
    if result == "not_assessed":
        return "ไม่นำมาจัดมาตรฐาน"
    if kind == "farmer_group":
        return "ได้มาตรฐาน" if result == "pass" else "ต่ำกว่ามาตรฐาน"
    return "ผ่าน" if result == "pass" else "ไม่ผ่าน"


_SPACES = re.compile(r"\s+")


def squeeze(text: str | None) -> str:
    """Trim and collapse runs of white space (incl. NBSP from spreadsheets) to one space."""
    return _SPACES.sub(" ", (text or "").replace("\u00a0", " ")).strip()


def normalize_reg_no(text: str | None) -> str:
    """Registration numbers compare equal whatever digits or spacing were typed."""
    from app.thai import to_arabic_digits

    return squeeze(to_arabic_digits(text or "")).replace(" /", "/").replace("/ ", "/")


def parse_type_label(text: str) -> tuple[str, str | None] | None:
    """(kind, coop_type) from a Thai label such as 'สหกรณ์การเกษตร' or 'กลุ่มเกษตรกรทำนา'."""
    t = squeeze(text).replace(" ", "")
    if not t:
        return None
    if t.startswith("กลุ่มเกษตรกร") or t in ("กลุ่ม", "กษ."):
        return "farmer_group", None
    t = t.removeprefix("สหกรณ์")
    for code, label in COOP_TYPES.items():
        if t.startswith(label) or t == code:
            return "coop", code
    return None


def parse_status_label(text: str) -> str | None:
    t = squeeze(text).replace(" ", "")
    for code, label in STATUSES.items():
        if t == label.replace(" ", "") or t == code:
            return code
    aliases = {"ยังไม่เริ่มดำเนินการ": "not_started", "ชำระบัญชี": "dissolving", "เลิก": "dissolving",
               "ถอนชื่อ": "struck_off", "หยุด": "suspended"}
    return aliases.get(t)


@dataclass
class InstitutionData:
    """The editable fields of an institution, as a form or an import row gives them."""

    reg_no: str = ""
    name: str = ""
    kind: str = "coop"
    coop_type: str | None = None
    district_code: str | None = None
    address: str = ""
    phone: str = ""
    status: str = "operating"
    members: int | None = None
    registered_on: date | None = None
    acct_year_end_month: int | None = None
    acct_year_end_day: int | None = None
    officer_id: str | None = None
    group_id: str | None = None
    notes: str = ""

    @classmethod
    def field_names(cls) -> list[str]:
        return [f.name for f in fields(cls)]


@dataclass(frozen=True)
class Problem:
    field: str
    message: str


_DAYS_IN_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def validate_institution(d: InstitutionData, *, known_districts: set[str] | None = None) -> list[Problem]:
    """Every problem with the record, each naming its field; empty when it may be saved."""
    out: list[Problem] = []
    if not squeeze(d.reg_no):
        out.append(Problem("reg_no", "ต้องระบุเลขทะเบียน"))
    if not squeeze(d.name):
        out.append(Problem("name", "ต้องระบุชื่อ"))
    if d.kind not in KINDS:
        out.append(Problem("kind", f"ประเภทองค์กร '{d.kind}' ไม่ถูกต้อง (สหกรณ์ หรือ กลุ่มเกษตรกร)"))
    elif d.kind == "coop" and d.coop_type not in COOP_TYPES:
        out.append(Problem("coop_type", "ต้องระบุประเภทสหกรณ์ (การเกษตร ประมง นิคม ออมทรัพย์ ร้านค้า บริการ เครดิตยูเนี่ยน)"))
    elif d.kind == "farmer_group" and d.coop_type is not None:
        out.append(Problem("coop_type", "กลุ่มเกษตรกรไม่มีประเภทสหกรณ์"))
    if d.status not in STATUSES:
        out.append(Problem("status", f"สถานะ '{d.status}' ไม่ถูกต้อง"))
    if d.members is not None and d.members < 0:
        out.append(Problem("members", "จำนวนสมาชิกต้องไม่ติดลบ"))
    m, day = d.acct_year_end_month, d.acct_year_end_day
    if (m is None) != (day is None):
        out.append(Problem("acct_year_end", "วันสิ้นปีทางบัญชีต้องมีทั้งวันและเดือน"))
    elif m is not None and day is not None:
        if not 1 <= m <= 12 or not 1 <= day <= _DAYS_IN_MONTH[m - 1]:
            out.append(Problem("acct_year_end", f"วันสิ้นปีทางบัญชี {day}/{m} ไม่มีอยู่จริง"))
    if known_districts is not None and d.district_code and d.district_code not in known_districts:
        out.append(Problem("district_code", f"ไม่พบรหัสอำเภอ {d.district_code}"))
    if d.registered_on and d.registered_on > date.today():
        out.append(Problem("registered_on", "วันที่จดทะเบียนอยู่ในอนาคต"))
    return out


@dataclass
class YearData:
    """The yearly status fields of an institution for one fiscal year."""

    strength_class: int | None = None
    out_of_scope: bool = False
    standards_result: str | None = None
    accumulated_loss: object = None
    member_participation_pct: object = None
    business_volume: object = None
    net_profit: object = None
    agm_date: date | None = None
    accounts_closed_date: date | None = None


def validate_year(fy: int, y: YearData) -> list[Problem]:
    out: list[Problem] = []
    if not 2500 <= fy <= 2700:
        out.append(Problem("fiscal_year", f"ปีงบประมาณ {fy} ต้องเป็นปี พ.ศ."))
    if y.strength_class is not None and y.strength_class not in STRENGTH_CLASSES:
        out.append(Problem("strength_class", "ระดับชั้นต้องเป็น 1 ถึง 4"))
    if y.out_of_scope and y.strength_class is not None:
        out.append(Problem("strength_class", "องค์กรที่ไม่อยู่ในเกณฑ์จัดระดับชั้นต้องไม่มีระดับชั้น"))
    if y.standards_result is not None and y.standards_result not in STANDARDS_RESULTS:
        out.append(Problem("standards_result", "ผลมาตรฐานต้องเป็น ผ่าน ไม่ผ่าน หรือ ไม่นำมาจัดมาตรฐาน"))
    pct = y.member_participation_pct
    if pct is not None and not 0 <= pct <= 100:
        out.append(Problem("member_participation_pct", "ร้อยละการมีส่วนร่วมต้องอยู่ระหว่าง 0 ถึง 100"))
    if y.accumulated_loss is not None and y.accumulated_loss < 0:
        out.append(Problem("accumulated_loss", "ขาดทุนสะสมให้กรอกเป็นจำนวนบวก"))
    return out
