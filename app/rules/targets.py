"""Target selection (issue 5, seed 001): which institutions a training project or a visit
plan should take, as a saved, editable filter over the year's facts (app.rules.kpi.YearFacts).

Seed 001 (แนวทางการดำเนินโครงการ 2566, ขั้นตอนที่ 2) selects the target cooperatives:

    1) สหกรณ์ที่ประสบปัญหาขาดทุนสะสม และ/หรือ
    2) สหกรณ์ที่มีความเข้มแข็งระดับชั้น 2 หรือ ชั้น 3 ที่สมาชิกมีส่วนร่วมดำเนินธุรกิจกับ
       สหกรณ์ต่ำกว่า ร้อยละ 65

How it is read (the default filter, SEED_001_FILTER, is exactly this):
- "และ/หรือ" between the two numbered groups is an inclusive or: a cooperative in group 1,
  in group 2, or in both is a target. The groups are rules combined with "any"; a
  cooperative in both is listed once, with both reasons.
- In group 2 the clause "ที่สมาชิกมีส่วนร่วม…ต่ำกว่า ร้อยละ 65" qualifies both "ชั้น 2 หรือ
  ชั้น 3": class in {2, 3} *and* participation < 65 (the conditions of a rule combine with
  "all"). "ต่ำกว่า" is strict: exactly 65 % is not below 65 %.
- "ประสบปัญหาขาดทุนสะสม": an accumulated loss above zero (the registry stores the loss as a
  positive amount).
- "สหกรณ์": farmer groups are not targets by default (kinds = coop); the filter's kinds
  can add them. Institutions being wound up (dissolving, struck off) are left out by
  default (statuses), as for visit suggestions; editable.

Other decisions:
- Missing data is unknown, not "no": a condition on a field with nothing recorded is
  undecided, combined three-valued (all: any False → False, else any unknown → unknown;
  any: any True → True, else any unknown → unknown). select() lists only the certain
  matches; undecided() lists those that might match once the missing figures are
  entered, with what is missing — so class 3 without a participation figure is not a
  target but shows up there. Out-of-scope institutions have no class: a class condition
  on them is False, not unknown.
- Output sorted by Thai name (app.thai.thai_sort_key), then id.
- Thresholds are Decimal; to_json writes them as strings ("65"), so a saved filter reads
  back exactly; from_json checks everything and says what is wrong in one Thai sentence.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from app.errors import ValidationError
from app.i18n import _, tr
from app.rules.kpi import YearFacts
from app.rules.registry import (
    KINDS,
    STANDARDS_RESULTS,
    STATUSES,
    STRENGTH_CLASSES,
    standards_label,
)
from app.thai import format_number, thai_sort_key

ALL, ANY = "all", "any"
COMBINES = {ALL: "ทุกข้อ (และ)", ANY: "ข้อใดข้อหนึ่ง (หรือ)"}

MONEY, PERCENT_FIELD, CLASS, STANDARDS = "money", "percent", "class", "standards"

# field → (Thai label, value type)
FIELDS: dict[str, tuple[str, str]] = {
    "accumulated_loss": ("ขาดทุนสะสม", MONEY),
    "net_profit": ("กำไรสุทธิ", MONEY),
    "business_volume": ("ปริมาณธุรกิจ", MONEY),
    "member_participation_pct": ("สมาชิกมีส่วนร่วมในการทำธุรกิจ", PERCENT_FIELD),
    "strength_class": ("ความเข้มแข็งระดับชั้น", CLASS),
    "standards_result": ("ผลการจัดมาตรฐาน", STANDARDS),
}

OPS: dict[str, str] = {
    "gt": "มากกว่า",
    "ge": "ไม่น้อยกว่า",
    "lt": "ต่ำกว่า",
    "le": "ไม่เกิน",
    "eq": "เท่ากับ",
    "in": "เป็นหนึ่งใน",
}
_ORDERED_OPS = ("gt", "ge", "lt", "le")
_OPS_BY_TYPE = {
    MONEY: (*_ORDERED_OPS, "eq"),
    PERCENT_FIELD: (*_ORDERED_OPS, "eq"),
    CLASS: (*_ORDERED_OPS, "eq", "in"),
    STANDARDS: ("eq", "in"),
}

# Standards results in words that fit both kinds (cooperatives / farmer groups).
STANDARDS_WORDS = {"pass": "ผ่าน/ได้มาตรฐาน", "fail": "ไม่ผ่าน/ต่ำกว่ามาตรฐาน", "not_assessed": "ไม่นำมาจัดมาตรฐาน"}

WOUND_UP_STATUSES = frozenset({"dissolving", "struck_off"})
DEFAULT_STATUSES = tuple(s for s in STATUSES if s not in WOUND_UP_STATUSES)


def _bad(message: str, field_name: str | None = None) -> ValidationError:
    return ValidationError(message, field=field_name)


def _decimal(value: object, where: str) -> Decimal:
    if isinstance(value, bool | float):
        raise _bad(tr("ค่าของ {where} ต้องเป็นตัวเลขทศนิยมแบบข้อความหรือจำนวนเต็ม", where=where), where)
    try:
        d = Decimal(value) if isinstance(value, int | str | Decimal) else None
    except InvalidOperation:
        d = None
    if d is None or not d.is_finite():
        raise _bad(tr("ค่าของ {where} ต้องเป็นตัวเลข", where=where), where)
    return d


def _class_value(value: object, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value not in STRENGTH_CLASSES:
        raise _bad(tr("ค่าของ {where} ต้องเป็นระดับชั้น 1 ถึง 4", where=where), where)
    return value


@dataclass(frozen=True)
class Condition:
    """field op value, e.g. Condition("member_participation_pct", "lt", Decimal(65)).

    Values: Decimal for amounts and percentages, an int class (a tuple of ints for "in"),
    a standards code (a tuple of codes for "in")."""

    field: str
    op: str
    value: Any

    def __post_init__(self) -> None:
        if self.field not in FIELDS:
            raise _bad(tr("ไม่รู้จักเงื่อนไข '{field}'", field=self.field), "field")
        kind = FIELDS[self.field][1]
        if self.op not in _OPS_BY_TYPE[kind]:
            raise _bad(tr("เงื่อนไข{label}ใช้ตัวเปรียบเทียบ '{op}' ไม่ได้", label=FIELDS[self.field][0], op=self.op),
                       "op")
        v = self.value
        where = self.field
        if kind in (MONEY, PERCENT_FIELD):
            v = _decimal(v, where)
        elif kind == CLASS:
            if self.op == "in":
                if not isinstance(v, list | tuple) or not v:
                    raise _bad(tr("ค่าของ {where} ต้องเป็นรายการระดับชั้น เช่น 2, 3", where=where), where)
                v = tuple(sorted({_class_value(c, where) for c in v}))
            else:
                v = _class_value(v, where)
        else:  # STANDARDS
            codes = tuple(v) if self.op == "in" and isinstance(v, list | tuple) else (v,)
            if not codes or any(c not in STANDARDS_RESULTS for c in codes):
                raise _bad(tr("ค่าของ {where} ต้องเป็น pass, fail หรือ not_assessed", where=where), where)
            v = tuple(sorted(set(codes))) if self.op == "in" else codes[0]
        object.__setattr__(self, "value", v)

    def evaluate(self, f: YearFacts) -> bool | None:
        """True / False, or None when the figure is not recorded."""
        actual = getattr(f, self.field)
        if self.field == "strength_class" and f.out_of_scope:
            return False  # recorded as out of scope: surely in no class
        if actual is None:
            return None
        if self.op == "in":
            return actual in self.value
        if self.op == "eq":
            return actual == self.value
        return {
            "gt": actual > self.value,
            "ge": actual >= self.value,
            "lt": actual < self.value,
            "le": actual <= self.value,
        }[self.op]

    def describe(self) -> str:
        """The condition itself, e.g. "สมาชิกมีส่วนร่วมในการทำธุรกิจต่ำกว่าร้อยละ 65"."""
        label, kind = FIELDS[self.field]
        if kind in (CLASS, STANDARDS) and self.op in ("in", "eq"):
            return f"{label}{_threshold(kind, self.value)}"
        if kind == MONEY and self.op == "gt" and self.value == 0:
            return tr("มี{label}", label=label)
        return f"{label}{OPS[self.op]}{_threshold(kind, self.value)}"

    def reason(self, f: YearFacts) -> str:
        """Why f meets the condition, with its own figure."""
        label, kind = FIELDS[self.field]
        actual = getattr(f, self.field)
        if kind == MONEY:
            amount = tr("{amount} บาท", amount=format_number(actual))
            if self.op == "gt" and self.value == 0:
                return tr("มี{label} {amount}", label=label, amount=amount)
            return tr("{label} {amount} ({op}{limit})", label=label, amount=amount, op=OPS[self.op],
                      limit=_threshold(kind, self.value))
        if kind == PERCENT_FIELD:
            return tr("{label}ร้อยละ {pct} ({op}ร้อยละ {limit})", label=label, pct=format_number(actual),
                      op=OPS[self.op], limit=_plain(self.value))
        if kind == CLASS:
            if self.op in ("in", "eq"):
                return tr("{label} {cls}", label=label, cls=actual)
            return tr("{label} {cls} ({op}ชั้น {limit})", label=label, cls=actual, op=OPS[self.op], limit=self.value)
        return tr("{label}: {result}", label=label, result=standards_label(f.kind, actual))

    def missing(self) -> str:
        return tr("ยังไม่มีข้อมูล{label}", label=FIELDS[self.field][0])

    def to_dict(self) -> dict[str, Any]:
        kind = FIELDS[self.field][1]
        if kind in (MONEY, PERCENT_FIELD):
            value: Any = str(self.value)
        elif isinstance(self.value, tuple):
            value = list(self.value)
        else:
            value = self.value
        return {"field": self.field, "op": self.op, "value": value}


def _plain(d: Decimal) -> str:
    return f"{d.normalize():f}"


def _threshold(kind: str, value: Any) -> str:
    if kind == MONEY:
        return tr(" {amount} บาท", amount=format_number(value))
    if kind == PERCENT_FIELD:
        return tr("ร้อยละ {pct}", pct=_plain(value))
    if kind == CLASS:
        if isinstance(value, tuple):
            return " " + _(" หรือ ").join(str(c) for c in value)
        return f" {value}"
    codes = value if isinstance(value, tuple) else (value,)
    return " " + _(" หรือ ").join(_(STANDARDS_WORDS[c]) for c in codes)


def _combine(values: Iterable[bool | None], how: str) -> bool | None:
    values = list(values)
    if how == ALL:
        if False in values:
            return False
        return None if None in values else True
    if True in values:
        return True
    return None if None in values else False


@dataclass(frozen=True)
class Rule:
    """A group of conditions (seed 001's numbered items), combined with `combine`."""

    conditions: tuple[Condition, ...]
    combine: str = ALL
    label_th: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "conditions", tuple(self.conditions))
        if not self.conditions:
            raise _bad(_("แต่ละกลุ่มเงื่อนไขต้องมีอย่างน้อยหนึ่งเงื่อนไข"), "conditions")
        if self.combine not in COMBINES:
            raise _bad(_("การรวมเงื่อนไขต้องเป็น all (และ) หรือ any (หรือ)"), "combine")

    def evaluate(self, f: YearFacts) -> bool | None:
        return _combine((c.evaluate(f) for c in self.conditions), self.combine)

    def reason(self, f: YearFacts) -> str:
        """The conditions f meets, joined as the rule joins them."""
        joiner = _(" และ") if self.combine == ALL else _(" หรือ")
        return joiner.join(c.reason(f) for c in self.conditions if c.evaluate(f))

    def describe(self) -> str:
        joiner = _(" และ") if self.combine == ALL else _(" หรือ")
        return self.label_th or joiner.join(c.describe() for c in self.conditions)


@dataclass(frozen=True)
class TargetFilter:
    """A saved selection: rules combined with `combine`, over the given kinds and statuses."""

    name_th: str
    rules: tuple[Rule, ...]
    combine: str = ANY
    kinds: tuple[str, ...] = ("coop",)
    statuses: tuple[str, ...] = DEFAULT_STATUSES

    def __post_init__(self) -> None:
        object.__setattr__(self, "rules", tuple(self.rules))
        object.__setattr__(self, "kinds", tuple(self.kinds))
        object.__setattr__(self, "statuses", tuple(self.statuses))
        if not self.name_th.strip():
            raise _bad(_("กรุณาตั้งชื่อเกณฑ์คัดเลือก"), "name_th")
        if not self.rules:
            raise _bad(_("เกณฑ์คัดเลือกต้องมีอย่างน้อยหนึ่งกลุ่มเงื่อนไข"), "rules")
        if self.combine not in COMBINES:
            raise _bad(_("การรวมกลุ่มเงื่อนไขต้องเป็น all (และ) หรือ any (หรือ)"), "combine")
        if not self.kinds or any(k not in KINDS for k in self.kinds):
            raise _bad(_("ต้องเลือกประเภทองค์กรอย่างน้อยหนึ่งประเภท (สหกรณ์ หรือ กลุ่มเกษตรกร)"), "kinds")
        if not self.statuses or any(s not in STATUSES for s in self.statuses):
            raise _bad(_("ต้องเลือกสถานะอย่างน้อยหนึ่งสถานะจากรายการ"), "statuses")

    def in_scope(self, f: YearFacts) -> bool:
        return f.kind in self.kinds and f.status in self.statuses

    def evaluate(self, f: YearFacts) -> bool | None:
        if not self.in_scope(f):
            return False
        return _combine((r.evaluate(f) for r in self.rules), self.combine)

    def describe(self) -> str:
        joiner = _(" และ/หรือ ") if self.combine == ANY else _(" และ ")
        return joiner.join(f"({r.describe()})" for r in self.rules)

    # --- saving ---------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": 1,
            "name_th": self.name_th,
            "combine": self.combine,
            "kinds": list(self.kinds),
            "statuses": list(self.statuses),
            "rules": [
                {"label_th": r.label_th, "combine": r.combine, "conditions": [c.to_dict() for c in r.conditions]}
                for r in self.rules
            ],
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> TargetFilter:
        if not isinstance(raw, Mapping) or raw.get("version") != 1:
            raise _bad(_("เกณฑ์คัดเลือกที่บันทึกไว้อ่านไม่ได้ (ไม่ใช่รุ่นที่รู้จัก)"))
        raw_rules = raw.get("rules")
        if not isinstance(raw_rules, list):
            raise _bad(_("เกณฑ์คัดเลือกที่บันทึกไว้ไม่มีรายการกลุ่มเงื่อนไข"), "rules")
        rules = []
        for r in raw_rules:
            if not isinstance(r, Mapping) or not isinstance(r.get("conditions"), list):
                raise _bad(_("กลุ่มเงื่อนไขในเกณฑ์คัดเลือกที่บันทึกไว้ไม่ถูกต้อง"), "rules")
            conditions = []
            for c in r["conditions"]:
                if not isinstance(c, Mapping) or set(c) != {"field", "op", "value"}:
                    raise _bad(_("เงื่อนไขในเกณฑ์คัดเลือกต้องมี field, op และ value"), "conditions")
                conditions.append(Condition(c["field"], c["op"], c["value"]))
            rules.append(Rule(tuple(conditions), r.get("combine", ALL), str(r.get("label_th", ""))))
        kinds, statuses = raw.get("kinds"), raw.get("statuses")
        if not isinstance(kinds, list) or not isinstance(statuses, list):
            raise _bad(_("เกณฑ์คัดเลือกที่บันทึกไว้ต้องระบุประเภทองค์กรและสถานะ"), "kinds")
        return cls(str(raw.get("name_th", "")), tuple(rules), raw.get("combine", ANY), tuple(kinds), tuple(statuses))

    @classmethod
    def from_json(cls, text: str) -> TargetFilter:
        try:
            raw = json.loads(text)
        except (json.JSONDecodeError, TypeError):
            raise _bad(_("เกณฑ์คัดเลือกที่บันทึกไว้อ่านไม่ได้ (ไม่ใช่ JSON)")) from None
        return cls.from_dict(raw)


def seed_001_filter(*, loss_above: Decimal | int = 0, classes: Sequence[int] = (2, 3),
                    participation_below: Decimal | int = 65, kinds: Sequence[str] = ("coop",),
                    statuses: Sequence[str] = DEFAULT_STATUSES) -> TargetFilter:
    """Seed 001's rule with its thresholds editable (the defaults are the seed's)."""
    return TargetFilter(
        name_th=_("สหกรณ์เป้าหมาย: ขาดทุนสะสม และ/หรือ ชั้น 2–3 ที่สมาชิกมีส่วนร่วมต่ำ"),
        rules=(
            # No rule labels: the conditions describe themselves, so an edited threshold
            # never leaves a stale label behind.
            Rule((Condition("accumulated_loss", "gt", Decimal(loss_above)),)),
            Rule((Condition("strength_class", "in", tuple(classes)),
                  Condition("member_participation_pct", "lt", Decimal(participation_below)))),
        ),
        combine=ANY,
        kinds=tuple(kinds),
        statuses=tuple(statuses),
    )


SEED_001_FILTER = seed_001_filter()


@dataclass(frozen=True)
class Selected:
    institution_id: str
    name: str
    reasons: tuple[str, ...]  # one Thai sentence per rule met (or, for undecided, what is missing)
    rules: tuple[int, ...] = field(default=())  # indexes of the rules met


def _order(facts: Iterable[YearFacts]) -> list[YearFacts]:
    return sorted(facts, key=lambda f: (thai_sort_key(f.name), f.id))


def select(facts: Iterable[YearFacts], flt: TargetFilter = SEED_001_FILTER) -> list[Selected]:
    """The institutions the filter surely selects, by Thai name, each with its reasons."""
    out = []
    for f in _order(facts):
        if flt.evaluate(f) is not True:
            continue
        met = tuple(i for i, r in enumerate(flt.rules) if r.evaluate(f) is True)
        out.append(Selected(f.id, f.name, tuple(flt.rules[i].reason(f) for i in met), met))
    return out


def undecided(facts: Iterable[YearFacts], flt: TargetFilter = SEED_001_FILTER) -> list[Selected]:
    """Institutions in scope that might be selected once missing figures are recorded;
    reasons name what is missing (the rules that could still be met)."""
    out = []
    for f in _order(facts):
        if not flt.in_scope(f) or flt.evaluate(f) is not None:
            continue
        open_rules = tuple(i for i, r in enumerate(flt.rules) if r.evaluate(f) is None)
        reasons = []
        for i in open_rules:
            gaps = [c.missing() for c in flt.rules[i].conditions if c.evaluate(f) is None]
            reasons.append(tr("{rule}: {missing}", rule=flt.rules[i].describe(), missing=", ".join(gaps)))
        out.append(Selected(f.id, f.name, tuple(reasons), open_rules))
    return out

