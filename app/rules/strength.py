"""Strength classification (ระดับชั้นความเข้มแข็ง) of cooperatives and farmer groups.

Score input per institution and year (`Scores`): the four dimension scores of the
department's assessment, the three basic conditions, the extra item conditions a year's
rule table defines, and the out-of-scope flag with its reason. The thresholds live in rule
tables, one JSON file per fiscal year in `data/strength/<year>.json`, so a new year's
announcement is a data change (REFERENCE §2; issue 5). `classify` turns a score set into a
class with the rule that decided it and the reasons in Thai sentences;
`compare_with_published` lists where the central office's published classes differ.

Pure rules over frozen values, except `load_tables` which reads the table files.

Decisions (see tests/rules/test_strength.py for each):
- The four dimensions and their maxima (30/20/20/30, total 100) are the published shape of
  the assessment and are code, not table data: the database keeps one column per dimension,
  so changing the shape is a schema change anyway. Thresholds, the basic conditions a class
  needs, the extra item conditions and the class-4 statuses are table data.
- Scores are exact: Decimal or int with at most 2 decimal places, 0..max. Floats are refused
  (binary fractions are not what was typed); spreadsheet cells go through
  `scores_from_mapping`, which reads them as people write them (app.thai.parse_number).
- A dimension not yet entered is None. `Scores` accepts that (a half-entered form can be
  kept), `classify` refuses it naming the dimension: a missing score is never read as 0.
  In `scores_from_mapping` a blank cell is "not entered"; a dash is zero (the spreadsheet
  habit, as parse_number reads it).
- Class 1 needs total ≥ the sector's class-1 threshold, every basic condition the table
  requires, and the table's extra conditions for class 1; class 2 the same with the class-2
  figures; anything else is class 3. Totals are compared exactly (79.99 < 80).
- The rule that decided a class 3 is the first gate that failed, in the order basic
  conditions, score, extra conditions; every failing gate is listed in the reasons.
- An extra condition the table requires but the score set does not mention counts as not
  met (said so in the reasons); a condition the table does not define is refused, because
  it is a typo or a score set meant for another year's table.
- Out-of-scope (ไม่จัดระดับชั้น) needs a reason and gives no class (None), never class 3. It
  wins over everything else, class 4 included: it is what the office recorded on purpose.
  Scores entered before the flag was set are kept but ignored.
- Class 4 (stopped / dissolving) is *unconfirmed* (REFERENCE §2), so which registry statuses
  map to it is table data (`class4.statuses`, shipped as the common usage: suspended and
  dissolving). An institution in such a status needs no scores.
- A year without its own table uses the latest earlier table and says so in the reasons;
  a later table is never used, and no earlier table at all is an error.
- Published class None means the central office published the institution as not
  classified; an institution absent from the published list is "not published". Both are
  compared like any class.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path
from types import MappingProxyType

from app.errors import ValidationError
from app.i18n import _, tr
from app.rules.registry import STATUSES
from app.rules.registry import sector as _registry_sector
from app.thai import format_number, parse_number, thai_sort_key, to_arabic_digits

# --- vocabulary -------------------------------------------------------------------------

# The four dimensions (seed 000; REFERENCE §2) in their published order, with maxima.
DIMENSIONS: dict[str, tuple[str, Decimal]] = {
    "member_service": ("ความสามารถในการให้บริการสมาชิก", Decimal(30)),
    "business": ("ประสิทธิภาพในการดำเนินธุรกิจ", Decimal(20)),
    "organisation": ("ประสิทธิภาพในการจัดการองค์กร", Decimal(20)),
    "administration": ("ประสิทธิภาพของการบริหารงาน", Decimal(30)),
}
MAX_TOTAL = sum((mx for _label, mx in DIMENSIONS.values()), Decimal(0))

# Basic conditions: the field of Scores and the sentence when it is not met.
BASIC_CONDITIONS: dict[str, str] = {
    "accounts_closed": "ยังไม่ได้ปิดบัญชี",
    "agm_held": "ยังไม่ได้ประชุมใหญ่",
    "statements_presented": "ยังไม่ได้เสนองบการเงินต่อที่ประชุมใหญ่",
}

SECTORS: dict[str, str] = {
    "agricultural": "สหกรณ์ภาคการเกษตร",
    "non_agricultural": "สหกรณ์นอกภาคการเกษตร",
    "farmer_group": "กลุ่มเกษตรกร",
}

CLASS_LABELS = {1: "ชั้น 1", 2: "ชั้น 2", 3: "ชั้น 3", 4: "ชั้น 4"}
OUT_OF_SCOPE_LABEL = "ไม่จัดระดับชั้น"  # the wording of the registry sheet (registry_xlsx)

# The rule that decided a classification.
RULE_OUT_OF_SCOPE = "out_of_scope"
RULE_STATUS_CLASS4 = "status_class4"
RULE_CLASS1 = "class1"
RULE_CLASS2 = "class2"
RULE_BASIC = "basic_conditions"  # class 3: a basic condition is missing
RULE_SCORE = "score"  # class 3: total below the class-2 threshold
RULE_EXTRA = "extra_conditions"  # class 3: an extra condition of class 2 is not met
RULES = (RULE_OUT_OF_SCOPE, RULE_STATUS_CLASS4, RULE_CLASS1, RULE_CLASS2, RULE_BASIC, RULE_SCORE, RULE_EXTRA)

# Differences between computed and published classes.
DIFFERS = "differs"
NOT_PUBLISHED = "not_published"
NOT_COMPUTED = "not_computed"

TABLE_SCHEMA = 1
_CENT = Decimal("0.01")
_KEY_RE = re.compile(r"[a-z][a-z0-9_]*")
_YEAR_FILE_RE = re.compile(r"(\d{4})\.json")


class RuleTableError(ValidationError):
    """A rule table file that cannot be used; the sentence names the file and the key."""

    code = "E_RULE_TABLE"


# --- scores -----------------------------------------------------------------------------


def _dimension_value(name: str, value: object) -> Decimal | None:
    label, maximum = DIMENSIONS[name]
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise ValidationError(
            tr("คะแนนด้าน{dim}ต้องเป็นตัวเลขทศนิยมไม่เกิน 2 ตำแหน่ง", dim=label), field=name
        )
    d = Decimal(value)
    if not d.is_finite():
        raise ValidationError(tr("คะแนนด้าน{dim}ต้องเป็นตัวเลข", dim=label), field=name)
    if d < 0 or d > maximum:
        raise ValidationError(
            tr("คะแนนด้าน{dim}ต้องอยู่ระหว่าง 0 ถึง {max} แต่กรอกไว้ {value}",
               dim=label, max=_plain(maximum), value=_plain(d)),
            field=name,
        )  # fmt: skip
    if d != d.quantize(_CENT):
        raise ValidationError(
            tr("คะแนนด้าน{dim}มีทศนิยมเกิน 2 ตำแหน่ง ({value})", dim=label, value=_plain(d)), field=name
        )
    return d.quantize(_CENT)


@dataclass(frozen=True)
class Scores:
    """One institution's assessment for one year, as entered or imported.

    extra: the extra item conditions by key (a mapping is accepted and kept as sorted
    pairs so the value stays hashable); read it with `extra_met(key)`.
    """

    member_service: Decimal | None = None
    business: Decimal | None = None
    organisation: Decimal | None = None
    administration: Decimal | None = None
    accounts_closed: bool = False
    agm_held: bool = False
    statements_presented: bool = False
    extra: tuple[tuple[str, bool], ...] | Mapping[str, bool] = ()
    out_of_scope: bool = False
    out_of_scope_reason: str = ""

    def __post_init__(self) -> None:
        for name in DIMENSIONS:
            object.__setattr__(self, name, _dimension_value(name, getattr(self, name)))
        for name in (*BASIC_CONDITIONS, "out_of_scope"):
            if not isinstance(getattr(self, name), bool):
                label = _(_FIELD_LABELS[name])
                raise ValidationError(tr("ช่อง {label} ต้องเป็น ใช่ หรือ ไม่ใช่", label=label), field=name)
        pairs = dict(self.extra.items() if isinstance(self.extra, Mapping) else self.extra)
        for key, met in pairs.items():
            if not isinstance(key, str) or not _KEY_RE.fullmatch(key):
                raise ValidationError(tr("ชื่อเงื่อนไขเพิ่มเติม '{key}' ไม่ถูกต้อง", key=key), field="extra")
            if not isinstance(met, bool):
                raise ValidationError(
                    tr("เงื่อนไขเพิ่มเติม '{key}' ต้องเป็น ใช่ หรือ ไม่ใช่", key=key), field="extra"
                )
        object.__setattr__(self, "extra", tuple(sorted(pairs.items())))
        reason = " ".join((self.out_of_scope_reason or "").split())
        object.__setattr__(self, "out_of_scope_reason", reason)
        if self.out_of_scope and not reason:
            raise ValidationError(_("กรุณาระบุเหตุผลที่ไม่นำมาจัดระดับชั้น"), field="out_of_scope_reason")
        if reason and not self.out_of_scope:
            raise ValidationError(
                _("ระบุเหตุผลที่ไม่จัดระดับชั้นไว้ แต่ไม่ได้ทำเครื่องหมายว่าไม่จัดระดับชั้น"),
                field="out_of_scope_reason",
            )

    def dimension(self, name: str) -> Decimal | None:
        return getattr(self, name)

    @property
    def complete(self) -> bool:
        return all(getattr(self, name) is not None for name in DIMENSIONS)

    @property
    def total(self) -> Decimal | None:
        """Sum of the four dimensions; None while any is missing."""
        if not self.complete:
            return None
        return sum((getattr(self, name) for name in DIMENSIONS), Decimal(0)).quantize(_CENT)

    def extra_met(self, key: str) -> bool | None:
        """True / False as recorded; None when the score set does not mention it."""
        return dict(self.extra).get(key)  # type: ignore[arg-type]


# --- reading score sets from cells ------------------------------------------------------

_TRUE_TEXTS = frozenset({"1", "ใช่", "มี", "ผ่าน", "ได้", "แล้ว", "✓", "✔", "/", "true", "yes", "y"})
_FALSE_TEXTS = frozenset({"0", "ไม่", "ไม่ใช่", "ไม่มี", "ไม่ผ่าน", "ไม่ได้", "ยัง", "ยังไม่", "✗", "✘",
                          "false", "no", "n", "", "-"})  # fmt: skip
_FIELD_LABELS: dict[str, str] = {
    **{name: label for name, (label, _mx) in DIMENSIONS.items()},
    "accounts_closed": "ปิดบัญชี",
    "agm_held": "ประชุมใหญ่",
    "statements_presented": "เสนองบการเงินต่อที่ประชุมใหญ่",
    "out_of_scope": "ไม่จัดระดับชั้น",
    "out_of_scope_reason": "เหตุผลที่ไม่จัดระดับชั้น",
    "extra": "เงื่อนไขเพิ่มเติม",
}


def _cell_bool(name: str, label: str, value: object) -> bool:
    if value is None or isinstance(value, bool):
        return bool(value)
    if isinstance(value, int | float | Decimal):
        if value in (0, 1):  # NaN is neither
            return bool(value)
    elif isinstance(value, str):
        text = to_arabic_digits(" ".join(value.split())).lower().replace(" ", "")
        if text in _TRUE_TEXTS:
            return True
        if text in _FALSE_TEXTS:
            return False
    raise ValidationError(tr('ช่อง {label} อ่านไม่ได้: "{text}" (ใช้ ใช่ หรือ ไม่ใช่)', label=label, text=value),
                          field=name)


def _cell_score(name: str, value: object) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None  # not entered: never read as zero
    try:
        return parse_number(value)  # type: ignore[arg-type]
    except (ValueError, TypeError):
        raise ValidationError(
            tr('คะแนนด้าน{dim}อ่านไม่ได้: "{text}"', dim=DIMENSIONS[name][0], text=value), field=name
        ) from None


def scores_from_mapping(values: Mapping[str, object]) -> Scores:
    """A Scores from cells as a spreadsheet or a form gives them.

    Keys: the dimension names of DIMENSIONS, the basic conditions of BASIC_CONDITIONS,
    "out_of_scope", "out_of_scope_reason", and "extra" (a mapping of condition key to a
    yes/no cell). Numbers may use Thai digits and thousands commas (app.thai.parse_number);
    yes/no cells accept ใช่/ไม่ใช่, มี/ไม่มี, ผ่าน/ไม่ผ่าน, 1/0, ✓, true/false; a blank yes/no
    cell is "no". Unknown keys are refused so that a mis-mapped column is noticed.
    """
    unknown = sorted(str(k) for k in values if k not in _FIELD_LABELS)
    if unknown:
        raise ValidationError(tr("ไม่รู้จักช่องข้อมูล '{key}'", key=unknown[0]), field=unknown[0])
    kw: dict[str, object] = {name: _cell_score(name, values.get(name)) for name in DIMENSIONS}
    for name in (*BASIC_CONDITIONS, "out_of_scope"):
        kw[name] = _cell_bool(name, _FIELD_LABELS[name], values.get(name))
    reason = values.get("out_of_scope_reason")
    kw["out_of_scope_reason"] = "" if reason is None else str(reason)
    extra = values.get("extra") or {}
    if not isinstance(extra, Mapping):
        raise ValidationError(_("เงื่อนไขเพิ่มเติมต้องระบุเป็นรายการ ชื่อเงื่อนไข และ ใช่/ไม่ใช่"), field="extra")
    kw["extra"] = {str(k): _cell_bool("extra", str(k), v) for k, v in extra.items()}
    return Scores(**kw)  # type: ignore[arg-type]


# --- rule tables ------------------------------------------------------------------------


@dataclass(frozen=True)
class ExtraCondition:
    key: str
    label: str
    source: str = ""
    unconfirmed: bool = True


@dataclass(frozen=True)
class ClassRule:
    min_total: Decimal
    extra_conditions: tuple[str, ...] = ()


@dataclass(frozen=True)
class SectorRule:
    sector: str
    label: str
    class1: ClassRule
    class2: ClassRule
    source: str = ""
    unconfirmed: bool = False

    def rule(self, klass: int) -> ClassRule:
        return self.class1 if klass == 1 else self.class2


@dataclass(frozen=True)
class RuleTable:
    """One fiscal year's rules. `applies_to` is the year it is being used for (set by
    `table_for_year`); it differs from `year` when an earlier table stands in."""

    year: int
    sectors: Mapping[str, SectorRule]
    basic_required: tuple[str, ...] = tuple(BASIC_CONDITIONS)
    extra_conditions: Mapping[str, ExtraCondition] = field(default_factory=lambda: MappingProxyType({}))
    class4_statuses: frozenset[str] = frozenset()
    title: str = ""
    file: str = ""
    basic_source: str = ""
    basic_unconfirmed: bool = False
    extra_source: str = ""
    extra_unconfirmed: bool = True
    class4_source: str = ""
    class4_unconfirmed: bool = True
    applies_to: int | None = None

    @property
    def fallback(self) -> bool:
        return self.applies_to is not None and self.applies_to != self.year

    def sector(self, name: str) -> SectorRule:
        try:
            return self.sectors[name]
        except KeyError:
            raise ValidationError(
                tr("กลุ่มประเภท '{sector}' ไม่ถูกต้อง (ภาคการเกษตร นอกภาคการเกษตร หรือ กลุ่มเกษตรกร)", sector=name),
                field="sector",
            ) from None

    def unconfirmed_parts(self) -> list[str]:
        """Thai sentences naming the parts of the table marked as not yet confirmed."""
        out = []
        for s in self.sectors.values():
            if s.unconfirmed:
                out.append(tr("เกณฑ์คะแนนของ{label}ยังไม่ได้ยืนยัน", label=s.label))
        if self.basic_unconfirmed:
            out.append(_("เงื่อนไขพื้นฐานยังไม่ได้ยืนยัน"))
        if self.extra_unconfirmed:
            out.append(_("รายการเงื่อนไขเพิ่มเติมยังไม่ได้ยืนยัน"))
        out += [tr("เงื่อนไข '{label}' ยังไม่ได้ยืนยัน", label=c.label)
                for c in self.extra_conditions.values() if c.unconfirmed and not self.extra_unconfirmed]
        if self.class4_unconfirmed:
            out.append(_("การจัดชั้น 4 ตามสถานะขององค์กรยังไม่ได้ยืนยัน"))
        return out


class _Schema:
    """Checks one raw table; every refusal names the file and the dotted key."""

    def __init__(self, file: str):
        self.file = file

    def bad(self, key: str, what: str) -> RuleTableError:
        return RuleTableError(
            tr("แฟ้มเกณฑ์ระดับชั้น {file} คีย์ {key} {what}", file=self.file, key=key, what=what),
            field=key, details=self.file,
        )  # fmt: skip

    def obj(self, raw: object, key: str, required: Iterable[str], optional: Iterable[str] | None = ()) -> dict:
        """A JSON object with these keys; optional=None allows any other key."""
        if not isinstance(raw, Mapping):
            raise self.bad(key, _("ต้องเป็นกลุ่มข้อมูล { ... }"))
        required = tuple(required)
        allowed = None if optional is None else set(required) | set(optional)
        for k in raw:
            if allowed is not None and (k not in allowed and not k.startswith("_")):
                raise self.bad(_join(key, str(k)), _("ไม่รู้จัก (สะกดผิดหรือไม่)"))
        for k in required:
            if k not in raw:
                raise self.bad(_join(key, k), _("ขาดหายไป"))
        return dict(raw)

    def text(self, raw: object, key: str, *, required: bool = False) -> str:
        if not isinstance(raw, str) or (required and not raw.strip()):
            raise self.bad(key, _("ต้องเป็นข้อความ") if not required else _("ต้องเป็นข้อความที่ไม่ว่าง"))
        return " ".join(raw.split())

    def flag(self, raw: object, key: str) -> bool:
        if not isinstance(raw, bool):
            raise self.bad(key, _("ต้องเป็น true หรือ false"))
        return raw

    def keys(self, raw: object, key: str, known: Iterable[str]) -> tuple[str, ...]:
        known = set(known)
        if not isinstance(raw, list) or not all(isinstance(v, str) for v in raw):
            raise self.bad(key, _("ต้องเป็นรายการชื่อ [ ... ]"))
        for i, v in enumerate(raw):
            if v not in known:
                raise self.bad(f"{key}[{i}]", tr("มีค่า '{value}' ที่ไม่รู้จัก", value=v))
            if v in raw[:i]:
                raise self.bad(f"{key}[{i}]", tr("มีค่า '{value}' ซ้ำ", value=v))
        return tuple(raw)

    def score(self, raw: object, key: str) -> Decimal:
        if isinstance(raw, bool) or not isinstance(raw, int | Decimal | str):
            raise self.bad(key, _("ต้องเป็นตัวเลข 0 ถึง 100"))
        try:
            d = parse_number(raw)
        except (ValueError, TypeError, InvalidOperation):
            raise self.bad(key, _("ต้องเป็นตัวเลข 0 ถึง 100")) from None
        if not 0 < d <= MAX_TOTAL:
            raise self.bad(key, _("ต้องเป็นตัวเลขมากกว่า 0 และไม่เกิน 100"))
        if d != d.quantize(_CENT):
            raise self.bad(key, _("มีทศนิยมได้ไม่เกิน 2 ตำแหน่ง"))
        return d.quantize(_CENT)


def _join(prefix: str, key: str) -> str:
    return f"{prefix}.{key}" if prefix else key


def parse_table(raw: object, *, file: str = "<table>") -> RuleTable:
    """Check a rule table as read from JSON and build it; RuleTableError names the first
    wrong key of the file. Keys starting with "_" are comments anywhere."""
    s = _Schema(file)
    top = s.obj(raw, "", ("schema", "year", "sectors", "basic_conditions", "extra_conditions", "class4"),
                ("title",))  # fmt: skip
    if top["schema"] != TABLE_SCHEMA or isinstance(top["schema"], bool):
        raise s.bad("schema", tr("ต้องเป็น {n} (แบบแฟ้มที่โปรแกรมรุ่นนี้อ่านได้)", n=TABLE_SCHEMA))
    year = top["year"]
    if isinstance(year, bool) or not isinstance(year, int) or not 2500 <= year <= 2700:
        raise s.bad("year", _("ต้องเป็นปี พ.ศ. เช่น 2568"))
    m = _YEAR_FILE_RE.fullmatch(Path(file).name)
    if m and int(m[1]) != year:
        raise s.bad("year", tr("ต้องตรงกับชื่อแฟ้ม ({name})", name=m[1]))
    title = s.text(top.get("title", ""), "title")

    basic = s.obj(top["basic_conditions"], "basic_conditions", ("required", "source", "unconfirmed"))
    basic_required = s.keys(basic["required"], "basic_conditions.required", BASIC_CONDITIONS)

    extra = s.obj(top["extra_conditions"], "extra_conditions", ("items", "source", "unconfirmed"))
    extra_unconfirmed = s.flag(extra["unconfirmed"], "extra_conditions.unconfirmed")
    items = s.obj(extra["items"], "extra_conditions.items", (), None)
    conditions: dict[str, ExtraCondition] = {}
    for k, v in items.items():
        if k.startswith("_"):
            continue
        key = f"extra_conditions.items.{k}"
        if not _KEY_RE.fullmatch(k):
            raise s.bad(key, _("ต้องเป็นชื่อภาษาอังกฤษตัวเล็ก ตัวเลข หรือ _ เช่น no_fraud"))
        c = s.obj(v, key, ("label",), ("source", "unconfirmed"))
        conditions[k] = ExtraCondition(
            key=k,
            label=s.text(c["label"], f"{key}.label", required=True),
            source=s.text(c.get("source", ""), f"{key}.source"),
            unconfirmed=s.flag(c.get("unconfirmed", extra_unconfirmed), f"{key}.unconfirmed"),
        )

    sectors_raw = s.obj(top["sectors"], "sectors", tuple(SECTORS))
    sectors: dict[str, SectorRule] = {}
    for name, default_label in SECTORS.items():
        key = f"sectors.{name}"
        sec = s.obj(sectors_raw[name], key, ("class1", "class2", "source", "unconfirmed"), ("label",))
        rules = []
        for klass in ("class1", "class2"):
            ck = f"{key}.{klass}"
            c = s.obj(sec[klass], ck, ("min_total",), ("extra_conditions",))
            rules.append(ClassRule(
                min_total=s.score(c["min_total"], f"{ck}.min_total"),
                extra_conditions=s.keys(c.get("extra_conditions", []), f"{ck}.extra_conditions", conditions),
            ))  # fmt: skip
        if rules[1].min_total > rules[0].min_total:
            raise s.bad(f"{key}.class2.min_total", tr("ต้องไม่สูงกว่าเกณฑ์ชั้น 1 ({t})", t=_plain(rules[0].min_total)))
        sectors[name] = SectorRule(
            sector=name,
            label=s.text(sec.get("label", default_label), f"{key}.label", required=True),
            class1=rules[0],
            class2=rules[1],
            source=s.text(sec["source"], f"{key}.source"),
            unconfirmed=s.flag(sec["unconfirmed"], f"{key}.unconfirmed"),
        )

    c4 = s.obj(top["class4"], "class4", ("statuses", "source", "unconfirmed"))
    statuses = s.keys(c4["statuses"], "class4.statuses", STATUSES)
    if "operating" in statuses:
        raise s.bad(f"class4.statuses[{statuses.index('operating')}]",
                    _("ต้องไม่มี operating (องค์กรที่ดำเนินการอยู่จัดชั้นตามคะแนน)"))

    return RuleTable(
        year=year,
        title=title,
        file=file,
        sectors=MappingProxyType(sectors),
        basic_required=basic_required,
        basic_source=s.text(basic["source"], "basic_conditions.source"),
        basic_unconfirmed=s.flag(basic["unconfirmed"], "basic_conditions.unconfirmed"),
        extra_conditions=MappingProxyType(conditions),
        extra_source=s.text(extra["source"], "extra_conditions.source"),
        extra_unconfirmed=extra_unconfirmed,
        class4_statuses=frozenset(statuses),
        class4_source=s.text(c4["source"], "class4.source"),
        class4_unconfirmed=s.flag(c4["unconfirmed"], "class4.unconfirmed"),
    )


def read_table(path: Path) -> RuleTable:
    """Read and check one table file."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise RuleTableError(tr("อ่านแฟ้มเกณฑ์ระดับชั้น {file} ไม่ได้", file=path.name), details=str(e)) from None
    return table_from_text(text, path.name)


def table_from_text(text: str, name: str) -> RuleTable:
    """Check one table file's text (its name must be the BE year, e.g. 2568.json)."""
    if not _YEAR_FILE_RE.fullmatch(name):
        raise RuleTableError(tr("แฟ้มเกณฑ์ระดับชั้น {file} ต้องตั้งชื่อเป็นปี พ.ศ. เช่น 2568.json", file=name))
    try:
        raw = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as e:
        raise RuleTableError(
            tr("แฟ้มเกณฑ์ระดับชั้น {file} ไม่ใช่ JSON ที่ถูกต้อง (บรรทัด {line})", file=name, line=e.lineno),
            details=str(e),
        ) from None
    return parse_table(raw, file=name)


def default_folder() -> Path:
    from app.paths import data_dir

    return data_dir() / "strength"


def load_tables(folder: Path | None = None) -> dict[int, RuleTable]:
    """Every `<year>.json` table of the folder, by year. Other .json names are refused so
    that a misnamed copy is not silently ignored. By default: the shipped tables
    (data/strength), with the ones the central office published replacing theirs."""
    if folder is None:
        from app.paths import published_dir

        published = published_dir()
        tables = load_tables(default_folder())
        if published is not None and (published / "strength").is_dir():
            tables.update(load_tables(published / "strength"))
        return tables
    tables: dict[int, RuleTable] = {}
    for path in sorted(folder.glob("*.json")):
        if not _YEAR_FILE_RE.fullmatch(path.name):
            raise RuleTableError(
                tr("แฟ้มเกณฑ์ระดับชั้น {file} ต้องตั้งชื่อเป็นปี พ.ศ. เช่น 2568.json", file=path.name),
                details=str(path),
            )
        table = read_table(path)
        tables[table.year] = table
    return tables


def table_for_year(year: int, tables: Mapping[int, RuleTable] | None = None) -> RuleTable:
    """The table for fiscal year `year`: its own, else the latest earlier one (marked as a
    fallback); never a later one."""
    tables = load_tables() if tables is None else tables
    earlier = [y for y in tables if y <= year]
    if not earlier:
        raise ValidationError(
            tr("ไม่มีเกณฑ์จัดระดับชั้นของปี {year} หรือปีก่อนหน้า กรุณาเพิ่มแฟ้ม {year}.json", year=year),
            field="fiscal_year",
        )
    return replace(tables[max(earlier)], applies_to=year)


# --- classification ---------------------------------------------------------------------


@dataclass(frozen=True)
class Classification:
    strength_class: int | None  # 1–4; None = out of scope (ไม่จัดระดับชั้น)
    total: Decimal | None
    rule: str  # one of RULES
    reasons: tuple[str, ...]
    sector: str | None = None
    table_year: int | None = None
    fiscal_year: int | None = None
    out_of_scope: bool = False
    out_of_scope_reason: str = ""

    @property
    def label(self) -> str:
        return _(OUT_OF_SCOPE_LABEL) if self.strength_class is None else _(CLASS_LABELS[self.strength_class])

    @property
    def text_th(self) -> str:
        """The class and its reasons as one line."""
        return " · ".join((self.label, *self.reasons))


def sector_of(kind: str, coop_type: str | None) -> str:
    """The strength sector of an institution (app.rules.registry.sector)."""
    return _registry_sector(kind, coop_type)


def _plain(d: Decimal) -> str:
    """80 → "80", 80.5 → "80.50": thresholds as people print them."""
    return str(int(d)) if d == d.to_integral_value() else format_number(d, 2)


def _classes_text(classes: list[int]) -> str:
    return "1–2" if classes == [1, 2] else str(classes[0])


def classify(
    scores: Scores,
    *,
    sector: str,
    table: RuleTable,
    status: str | None = None,
) -> Classification:
    """The class of one score set under `table` for the institution's `sector`
    ('agricultural', 'non_agricultural', 'farmer_group'; see sector_of). `status` is the
    registry status (app.rules.registry.STATUSES), needed only for the class-4 option."""
    rules = table.sector(sector)
    year_note = ()
    if table.fallback:
        year_note = (tr("ใช้เกณฑ์ปี {used} เพราะยังไม่มีเกณฑ์ของปี {year}", used=table.year, year=table.applies_to),)
    common = {"sector": sector, "table_year": table.year, "fiscal_year": table.applies_to or table.year}

    if scores.out_of_scope:
        reason = tr("ไม่นำมาจัดระดับชั้น: {reason}", reason=scores.out_of_scope_reason)
        return Classification(None, None, RULE_OUT_OF_SCOPE, (reason, *year_note), out_of_scope=True,
                              out_of_scope_reason=scores.out_of_scope_reason, **common)  # fmt: skip
    if status is not None and status not in STATUSES:
        raise ValidationError(tr("สถานะ '{status}' ไม่ถูกต้อง", status=status), field="status")
    if status in table.class4_statuses:
        text = tr("สถานะ{status} จึงจัดเป็นชั้น 4 ตามเกณฑ์ของสำนักงาน", status=STATUSES[status])
        if table.class4_unconfirmed:
            text += _(" (เกณฑ์นี้ยังไม่ได้ยืนยัน)")
        return Classification(4, scores.total, RULE_STATUS_CLASS4, (text, *year_note), **common)

    for name, (label, _mx) in DIMENSIONS.items():
        if scores.dimension(name) is None:
            raise ValidationError(tr("ยังไม่ได้กรอกคะแนนด้าน{dim} จึงจัดระดับชั้นไม่ได้", dim=label), field=name)
    unknown = [k for k, _met in scores.extra if k not in table.extra_conditions]  # type: ignore[misc]
    if unknown:
        raise ValidationError(
            tr("เงื่อนไขเพิ่มเติม '{key}' ไม่มีในเกณฑ์ปี {year}", key=unknown[0], year=table.year), field="extra"
        )
    total = scores.total
    assert total is not None
    t1, t2 = rules.class1.min_total, rules.class2.min_total
    shown = format_number(total, 2)

    basic_missing = [_(BASIC_CONDITIONS[k]) for k in table.basic_required if not getattr(scores, k)]
    extra_failed: dict[int, list[str]] = {1: [], 2: []}
    for klass in (1, 2):
        for key in rules.rule(klass).extra_conditions:
            if scores.extra_met(key) is not True:
                extra_failed[klass].append(key)
    score_ok = {1: total >= t1, 2: total >= t2}

    def gets(klass: int) -> bool:
        return score_ok[klass] and not basic_missing and not extra_failed[klass]

    klass = 1 if gets(1) else 2 if gets(2) else 3

    reasons: list[str] = []
    if score_ok[1]:
        reasons.append(tr("คะแนนรวม {total} ถึงเกณฑ์ชั้น 1 ({t})", total=shown, t=_plain(t1)))
    elif score_ok[2]:
        reasons.append(tr("คะแนนรวม {total} ต่ำกว่าเกณฑ์ชั้น 1 ({t})", total=shown, t=_plain(t1)))
        reasons.append(tr("คะแนนรวม {total} ถึงเกณฑ์ชั้น 2 ({t})", total=shown, t=_plain(t2)))
    else:
        reasons.append(tr("คะแนนรวม {total} ต่ำกว่าเกณฑ์ชั้น 2 ({t})", total=shown, t=_plain(t2)))
    if klass != 1:
        reasons += [tr("{missing} จึงไม่ได้ชั้น 1–2", missing=m) for m in basic_missing]
        failed_keys = dict.fromkeys(extra_failed[1] + (extra_failed[2] if klass == 3 else []))
        for key in failed_keys:
            classes = [c for c in (1, 2) if key in extra_failed[c] and (c == 1 or klass == 3)]
            label = table.extra_conditions[key].label
            if scores.extra_met(key) is None:
                text = tr("ยังไม่ได้ระบุผลเงื่อนไข {label} จึงไม่ได้ชั้น {classes}", label=label,
                          classes=_classes_text(classes))  # fmt: skip
            else:
                text = tr("ไม่ผ่านเงื่อนไข {label} จึงไม่ได้ชั้น {classes}", label=label, classes=_classes_text(classes))
            reasons.append(text)

    if klass == 1:
        rule = RULE_CLASS1
    elif klass == 2:
        rule = RULE_CLASS2
    else:
        rule = RULE_BASIC if basic_missing else RULE_SCORE if not score_ok[2] else RULE_EXTRA
    return Classification(klass, total, rule, (*reasons, *year_note), **common)


# --- computed vs published --------------------------------------------------------------


@dataclass(frozen=True)
class Difference:
    institution_id: str
    kind: str  # DIFFERS | NOT_PUBLISHED | NOT_COMPUTED
    computed: int | None  # meaningful unless kind == NOT_COMPUTED
    published: int | None  # meaningful unless kind == NOT_PUBLISHED
    text_th: str
    name: str = ""


def _class_words(klass: int | None) -> str:
    return _("ไม่จัดระดับชั้น") if klass is None else tr("ชั้น {n}", n=klass)


def compare_with_published(
    computed: Mapping[str, Classification],
    published: Mapping[str, int | None],
    *,
    names: Mapping[str, str] | None = None,
) -> list[Difference]:
    """Institutions whose computed class differs from the central office's published one,
    including those on one side only. Sorted by Thai name (when `names` gives them), then
    id. published: class 1–4, or None for published as not classified."""
    names = names or {}
    for inst_id, klass in published.items():
        if klass is not None and (isinstance(klass, bool) or klass not in CLASS_LABELS):
            raise ValidationError(
                tr("ระดับชั้นที่ส่วนกลางประกาศของ {who} ต้องเป็น 1 ถึง 4 หรือไม่จัดระดับชั้น",
                   who=names.get(inst_id, inst_id)),
                field="published",
            )  # fmt: skip
    out: list[Difference] = []
    for inst_id in set(computed) | set(published):
        name = names.get(inst_id, "")
        prefix = f"{name}: " if name else ""
        if inst_id not in published:
            mine = computed[inst_id].strength_class
            text = tr("คำนวณได้{mine} แต่ส่วนกลางไม่ได้ประกาศผล", mine=_class_words(mine))
            out.append(Difference(inst_id, NOT_PUBLISHED, mine, None, prefix + text, name))
        elif inst_id not in computed:
            theirs = published[inst_id]
            text = tr("ส่วนกลางประกาศ{theirs} แต่ยังไม่ได้คำนวณในโปรแกรม", theirs=_class_words(theirs))
            out.append(Difference(inst_id, NOT_COMPUTED, None, theirs, prefix + text, name))
        else:
            mine, theirs = computed[inst_id].strength_class, published[inst_id]
            if mine != theirs:
                text = tr("คำนวณได้{mine} แต่ส่วนกลางประกาศ{theirs}", mine=_class_words(mine),
                          theirs=_class_words(theirs))  # fmt: skip
                out.append(Difference(inst_id, DIFFERS, mine, theirs, prefix + text, name))
    return sorted(out, key=lambda d: (d.name == "", thai_sort_key(d.name), d.institution_id))
