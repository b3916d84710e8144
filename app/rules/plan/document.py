"""A whole printed action plan: the structured header of seed 004 around a PlanSheet.

Exporters (xlsx, pdf) write a PlanDocument and the importer reads one back, so the same
value flows database → file → database. The header's fields also go into the sheet's
`header` pairs, so the content fingerprint covers everything printed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal

from app.rules.plan.model import PlanSheet
from app.thai import to_arabic_digits

_TARGET_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")

SATANG = Decimal("0.01")


@dataclass(frozen=True)
class Person:
    name: str = ""
    position: str = ""


@dataclass(frozen=True)
class TargetLine:
    """พื้นที่ดำเนินการ/เป้าหมาย, e.g. สหกรณ์ ๕๐ แห่ง."""

    label: str
    quantity: int | None = None
    unit: str = ""


@dataclass(frozen=True)
class BudgetLine:
    """งบประมาณแยกตามประเภทรายจ่าย, e.g. งบดำเนินงาน ๕๐,๒๐๐.๐๐ บาท (None: printed as "-")."""

    category: str
    amount: Decimal | None = None


@dataclass(frozen=True)
class KpiLine:
    """ตัวชี้วัด with its target as printed (e.g. "ร้อยละ ๑๐๐", "๕๕ แห่ง", "ไม่น้อยกว่า ร้อยละ ๖๓").

    The printed text is what the sheet and the fingerprint keep; `target_value` and `unit`
    read the number and its unit out of it for computing against actual KPIs.
    """

    indicator: str
    target: str = ""

    @property
    def target_value(self) -> Decimal | None:
        found = _TARGET_NUMBER.search(to_arabic_digits(self.target))
        return None if found is None else Decimal(found.group().replace(",", ""))

    @property
    def unit(self) -> str:
        text = to_arabic_digits(self.target)
        if "ร้อยละ" in text or "%" in text:
            return "ร้อยละ"
        found = _TARGET_NUMBER.search(text)
        return text[found.end():].strip() if found else ""


# (attribute, Thai label) in the order the sheet prints them.
TEXT_FIELDS = (
    ("project", "งาน/โครงการ"),
    ("program", "แผนงาน"),
    ("output", "ผลผลิต/โครงการ"),
    ("main_activity", "กิจกรรมหลัก"),
    ("sub_activity", "กิจกรรมรอง"),
    ("objective", "วัตถุประสงค์"),
    ("unit_name", "หน่วยงานที่รับผิดชอบ"),
)
SIGNATORIES = (("proposer", "ผู้เสนอแผน"), ("lead", "ผู้รับผิดชอบโครงการ"), ("approver", "ผู้อนุมัติแผน"))


@dataclass(frozen=True)
class PlanHeader:
    office_name: str = ""
    unit_name: str = ""
    project: str = ""
    program: str = ""
    output: str = ""
    main_activity: str = ""
    sub_activity: str = ""
    objective: str = ""
    responsible: Person = field(default_factory=Person)
    practitioners: tuple[Person, ...] = ()
    targets: tuple[TargetLine, ...] = ()
    budget_lines: tuple[BudgetLine, ...] = ()
    kpis: tuple[KpiLine, ...] = ()
    proposer: Person = field(default_factory=Person)
    lead: Person = field(default_factory=Person)
    approver: Person = field(default_factory=Person)

    def as_pairs(self) -> tuple[tuple[str, str], ...]:
        """Every printed header value as (label, text), for the fingerprint."""
        pairs: list[tuple[str, str]] = [("สำนักงาน", self.office_name)]
        pairs += [(label, getattr(self, attr)) for attr, label in TEXT_FIELDS]
        pairs.append(("ผู้รับผิดชอบ", f"{self.responsible.name}|{self.responsible.position}"))
        pairs += [("ผู้ปฏิบัติ", f"{p.name}|{p.position}") for p in self.practitioners]
        pairs += [("เป้าหมาย", f"{t.label}|{'' if t.quantity is None else t.quantity}|{t.unit}") for t in self.targets]
        # Amounts in canonical form: 50200 and 50200.00 are the same figure on paper.
        pairs += [("งบประมาณ", f"{b.category}|{'' if b.amount is None else b.amount.quantize(SATANG)}")
                  for b in self.budget_lines]
        pairs += [("ตัวชี้วัด", f"{k.indicator}|{k.target}") for k in self.kpis]
        pairs += [(label, f"{getattr(self, attr).name}|{getattr(self, attr).position}") for attr, label in SIGNATORIES]
        return tuple(pairs)


@dataclass(frozen=True)
class Approval:
    """Who approved the printed revision, when, and the fingerprint of what they approved."""

    by: Person
    at: datetime
    fingerprint: str


@dataclass(frozen=True)
class PlanDocument:
    header: PlanHeader
    sheet: PlanSheet
    revision: int = 1
    revision_label: str = ""  # e.g. "แผนปฏิบัติงานครั้งที่ ๑ (ต.ค. – ธ.ค.)"
    state: str = "draft"
    approval: Approval | None = None

    def __post_init__(self) -> None:
        # The fingerprint must cover the header, so the sheet always carries its pairs.
        pairs = self.header.as_pairs()
        if self.sheet.header != pairs:
            object.__setattr__(self, "sheet", replace(self.sheet, header=pairs))
