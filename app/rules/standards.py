"""Standards assessment (การจัดมาตรฐาน): the yearly criteria sets, one institution's
assessment and its result, the reporting deadline after the general meeting, and the pass
rate.

Criteria are data, not code: `data/standards/<kind>-<BE year>.json` (kind: coop |
farmer_group), one file per announcement, the year being the first Buddhist-era year the set
applies to. What REFERENCE §2 does not confirm (coop criteria 4–7, the farmer-group set as a
whole) is marked in the file, so the office edits a file when the department announces a new
set. Dates are Gregorian; the Buddhist era appears only in the Thai sentences.

Decisions (see tests/rules/test_standards.py for each):
- A year without its own file uses the latest earlier one, and says so (fallback_note);
  a year before every file is refused (NotFound). Several folders may be given, the office's
  own first: a year's file there replaces the shipped one, so edits survive an upgrade.
- The loader is strict: an unknown key, a missing or empty field, a duplicate code, a
  filename that is not `<kind>-<BE year>.json` or that disagrees with the file's own kind or
  year are each refused with one sentence naming the file and the key. Keys starting with "_"
  are comments. The number of criteria is not fixed (a new announcement may change it); the
  shipped sets have 7 and 5, which the tests check.
- "A declared-disaster year excepted" (coop criterion 1) is the assessor's judgement: it is
  recorded as met, with the reason in the note, not as a third answer.
- A criterion not met needs no note (results imported from the central office have none);
  the note is kept when given.
- Reporting deadline: due = add_working_days(agm, 2), i.e. the second working day after the
  meeting (a meeting on a holiday or weekend still gives two working days after it).
  Lateness counts the working days after the due date up to the day in question, and is
  never less than one once the due date has passed (a report on the Saturday after a Friday
  deadline is one working day late, not zero). A report dated before the meeting is refused.
  Before the meeting the report is "not due"; from the meeting day on it is "due soon"
  (the whole window is 2 working days), "due today" being due soon with 0 days left.
- The calendar is always passed in (services pass app.thai.default_calendar(), which holds
  the office's special days); nothing here reads the app-wide calendar.
- Pass rate: over the assessed only; a missing result (None) counts as neither; percent is
  rounded half up to 2 places in integer arithmetic (exact), None when nothing was assessed.
- Reading the criteria files is the one piece of I/O here; everything else is pure, and
  parse_criteria_set works on text so callers may read the files themselves.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Protocol

from app.errors import FileFormatError, NotFound, ValidationError
from app.i18n import _, tr
from app.rules.registry import (
    KINDS,
    STANDARDS_RESULTS,
    Problem,
    squeeze,
    standards_label,
)
from app.thai import add_working_days, format_date

# --- vocabulary -------------------------------------------------------------------------

PASS, FAIL, NOT_ASSESSED = STANDARDS_RESULTS  # "pass", "fail", "not_assessed"

# Why an institution is not assessed (ไม่นำมาจัดมาตรฐาน).
NOT_OPERATING = "not_operating"
TOO_YOUNG = "too_young"
DISSOLVING = "dissolving"
OTHER = "other"
NOT_ASSESSED_REASONS: dict[str, str] = {
    NOT_OPERATING: "ไม่ได้ดำเนินธุรกิจ",
    TOO_YOUNG: "จัดตั้งไม่ครบ 1 ปี / ยังไม่ครบรอบบัญชี",
    DISSOLVING: "อยู่ระหว่างชำระบัญชี/เลิก",
    OTHER: "อื่น ๆ",
}

# The result is due this many working days after the general meeting (seed 004, ๓.๓).
REPORT_DUE_WORKING_DAYS = 2
# "Due soon" from this many working days before the due date.
DUE_SOON_WORKING_DAYS = 2

# Reporting statuses.
NOT_DUE = "not_due"
DUE_SOON = "due_soon"
ON_TIME = "on_time"
LATE = "late"
OVERDUE = "overdue"
REPORT_STATUSES: dict[str, str] = {
    NOT_DUE: "ยังไม่ถึงกำหนด",
    DUE_SOON: "ใกล้ครบกำหนด",
    ON_TIME: "รายงานทันกำหนด",
    LATE: "รายงานล่าช้า",
    OVERDUE: "เกินกำหนด",
}

SCHEMA_VERSION = 1
_CENT = Decimal("0.01")
_FILENAME_RE = re.compile(r"(?P<kind>[a-z_]+)-(?P<year>\d+)\.json")
_MIN_BE, _MAX_BE = 2500, 2700


def _day_text(d: date) -> str:
    # Arabic digits on screen, as elsewhere in the rules; printed sheets convert if set so.
    return format_date(d, "long", thai_digits=False)


def _kind_text(kind: str) -> str:
    return KINDS.get(kind, kind)


# --- criteria sets ----------------------------------------------------------------------


@dataclass(frozen=True)
class Criterion:
    code: str  # "1" … as the announcement numbers them
    title: str  # short Thai label for table headings
    text: str  # the full Thai wording
    unconfirmed: bool
    source: str

    @property
    def confirmed(self) -> bool:
        return not self.unconfirmed

    @property
    def label(self) -> str:
        """"ข้อ 3 (งบการเงิน…)", the way messages name a criterion."""
        return tr("ข้อ {code} ({title})", code=self.code, title=self.title)


@dataclass(frozen=True)
class CriteriaSet:
    kind: str  # coop | farmer_group
    year: int  # BE year the set applies from (the file's year)
    title: str
    criteria: tuple[Criterion, ...]
    source: str = ""
    may_be_superseded: bool = False
    filename: str = ""
    requested_year: int | None = None  # the year asked for, when loaded by year

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(c.code for c in self.criteria)

    def criterion(self, code: str) -> Criterion | None:
        return next((c for c in self.criteria if c.code == code), None)

    @property
    def unconfirmed(self) -> tuple[Criterion, ...]:
        return tuple(c for c in self.criteria if c.unconfirmed)

    @property
    def is_fallback(self) -> bool:
        return self.requested_year is not None and self.requested_year != self.year

    @property
    def fallback_note(self) -> str:
        """The sentence that reports a fallback; "" when the year has its own set."""
        if not self.is_fallback:
            return ""
        return tr(
            "ปี {year} ยังไม่มี{title}ของปีนั้น จึงใช้เกณฑ์ปี {used} ({file})",
            year=self.requested_year, title=self.title, used=self.year, file=self.filename,
        )  # fmt: skip

    @property
    def warnings(self) -> tuple[str, ...]:
        """What a screen should show beside the set: fallback, unconfirmed criteria, age."""
        out = []
        if self.is_fallback:
            out.append(self.fallback_note)
        if self.unconfirmed:
            codes = ", ".join(c.code for c in self.unconfirmed)
            out.append(tr("เกณฑ์ข้อ {codes} ยังไม่ได้ยืนยันกับประกาศ กรุณาตรวจสอบถ้อยคำ", codes=codes))
        if self.may_be_superseded:
            out.append(tr("{title}ปี {year} อาจมีประกาศใหม่แทนแล้ว กรุณาตรวจสอบ", title=self.title, year=self.year))
        return tuple(out)


def _malformed(filename: str, key: str, problem: str) -> FileFormatError:
    return FileFormatError(
        tr("ไฟล์เกณฑ์มาตรฐาน {file} ช่อง \"{key}\" {problem} กรุณาแก้ไขไฟล์", file=filename, key=key, problem=problem)
    )


_SET_KEYS = {"schema", "kind", "year", "title", "source", "may_be_superseded", "criteria"}
_SET_REQUIRED = ("schema", "kind", "year", "title", "criteria")
_CRITERION_KEYS = ("code", "title", "text", "unconfirmed", "source")


def _text_field(obj: dict, key: str, filename: str, where: str) -> str:
    value = obj.get(key)
    if not isinstance(value, str) or not squeeze(value):
        raise _malformed(filename, where + key, _("ต้องเป็นข้อความที่ไม่ว่าง"))
    return squeeze(value)


def _bool_field(obj: dict, key: str, filename: str, where: str) -> bool:
    value = obj.get(key)
    if not isinstance(value, bool):
        raise _malformed(filename, where + key, _("ต้องเป็น true หรือ false"))
    return value


def _unknown_keys(obj: dict, allowed: Iterable[str]) -> list[str]:
    return sorted(k for k in obj if k not in allowed and not k.startswith("_"))


def _parse_criterion(raw: object, index: int, filename: str) -> Criterion:
    where = f"criteria[{index}]."
    if not isinstance(raw, dict):
        raise _malformed(filename, f"criteria[{index}]", _("ต้องเป็นวัตถุ JSON ที่มี code title text unconfirmed source"))
    unknown = _unknown_keys(raw, _CRITERION_KEYS)
    if unknown:
        raise _malformed(filename, where + unknown[0], _("ไม่ใช่ช่องที่รู้จัก (สะกดผิดหรือไม่)"))
    code = raw.get("code")
    if isinstance(code, int) and not isinstance(code, bool):
        code = str(code)  # "code": 4 is what a hand edit gives; the code stays text
    if not isinstance(code, str) or not code.strip():
        raise _malformed(filename, where + "code", _("ต้องเป็นรหัสข้อที่ไม่ว่าง เช่น \"4\""))
    return Criterion(
        code=code.strip(),
        title=_text_field(raw, "title", filename, where),
        text=_text_field(raw, "text", filename, where),
        unconfirmed=_bool_field(raw, "unconfirmed", filename, where),
        source=_text_field(raw, "source", filename, where),
    )


def parse_filename(filename: str) -> tuple[str, int]:
    """(kind, BE year) from "coop-2564.json"; FileFormatError naming the file otherwise."""
    m = _FILENAME_RE.fullmatch(filename)
    if not m or m["kind"] not in KINDS:
        raise FileFormatError(
            tr("ชื่อไฟล์เกณฑ์มาตรฐาน {file} ต้องเป็น coop-<ปี พ.ศ.>.json หรือ farmer_group-<ปี พ.ศ.>.json "
               "กรุณาเปลี่ยนชื่อไฟล์", file=filename)
        )  # fmt: skip
    year = int(m["year"])
    if not _MIN_BE <= year <= _MAX_BE:
        raise FileFormatError(
            tr("ปีในชื่อไฟล์เกณฑ์มาตรฐาน {file} ต้องเป็นปี พ.ศ. เช่น 2568 กรุณาเปลี่ยนชื่อไฟล์", file=filename)
        )
    return m["kind"], year


def parse_criteria_set(text: str, filename: str) -> CriteriaSet:
    """A criteria set from the text of `filename` (its name must be `<kind>-<BE year>.json`
    and agree with the file's own kind and year)."""
    kind_from_name, year_from_name = parse_filename(filename)
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as e:
        raise FileFormatError(
            tr("ไฟล์เกณฑ์มาตรฐาน {file} ไม่ใช่ JSON ที่ถูกต้อง (บรรทัด {line}) กรุณาแก้ไขไฟล์", file=filename, line=e.lineno),
            details=str(e),
        ) from e
    if not isinstance(raw, dict):
        raise _malformed(filename, "(ทั้งไฟล์)", _("ต้องเป็นวัตถุ JSON { … }"))
    unknown = _unknown_keys(raw, _SET_KEYS)
    if unknown:
        raise _malformed(filename, unknown[0], _("ไม่ใช่ช่องที่รู้จัก (สะกดผิดหรือไม่)"))
    for key in _SET_REQUIRED:
        if key not in raw:
            raise _malformed(filename, key, _("ขาดหายไป"))
    if type(raw["schema"]) is not int or raw["schema"] != SCHEMA_VERSION:
        raise _malformed(filename, "schema", tr("ต้องเป็น {v} (รุ่นที่โปรแกรมนี้อ่านได้)", v=SCHEMA_VERSION))
    if raw["kind"] != kind_from_name:
        raise _malformed(filename, "kind", tr("ต้องเป็น \"{kind}\" ให้ตรงกับชื่อไฟล์", kind=kind_from_name))
    if type(raw["year"]) is not int or raw["year"] != year_from_name:
        raise _malformed(filename, "year", tr("ต้องเป็น {year} ให้ตรงกับชื่อไฟล์", year=year_from_name))
    title = _text_field(raw, "title", filename, "")
    source = raw.get("source", "")
    if not isinstance(source, str):
        raise _malformed(filename, "source", _("ต้องเป็นข้อความ"))
    superseded = raw.get("may_be_superseded", False)
    if not isinstance(superseded, bool):
        raise _malformed(filename, "may_be_superseded", _("ต้องเป็น true หรือ false"))
    items = raw["criteria"]
    if not isinstance(items, list) or not items:
        raise _malformed(filename, "criteria", _("ต้องเป็นรายการเกณฑ์อย่างน้อยหนึ่งข้อ"))
    criteria = tuple(_parse_criterion(item, i, filename) for i, item in enumerate(items))
    seen: set[str] = set()
    for index, c in enumerate(criteria):
        if c.code in seen:
            raise _malformed(filename, f"criteria[{index}].code", tr("ซ้ำกับข้อ {code} ก่อนหน้า", code=c.code))
        seen.add(c.code)
    return CriteriaSet(
        kind=kind_from_name,
        year=year_from_name,
        title=title,
        criteria=criteria,
        source=squeeze(source),
        may_be_superseded=superseded,
        filename=filename,
    )


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")  # -sig: Notepad's BOM is harmless
    except UnicodeDecodeError as e:
        raise FileFormatError(
            tr("ไฟล์เกณฑ์มาตรฐาน {file} ไม่ได้บันทึกเป็น UTF-8 กรุณาบันทึกใหม่เป็น UTF-8", file=path.name),
            details=str(path),
        ) from e


def default_folders() -> tuple[Path, ...]:
    """The criteria the central office published (first: they win for their year), then the
    shipped ones (data/standards)."""
    from app.paths import data_dir, published_dir

    published = published_dir()
    shipped = data_dir() / "standards"
    return (published / "standards", shipped) if published is not None else (shipped,)


def _as_folders(folders: Path | str | Sequence[Path | str] | None) -> tuple[Path, ...]:
    if folders is None:
        return default_folders()
    if isinstance(folders, (str, Path)):
        return (Path(folders),)
    return tuple(Path(f) for f in folders)


def available_sets(kind: str, folders: Path | str | Sequence[Path | str] | None = None) -> dict[int, Path]:
    """BE year -> file of every set of `kind`; an earlier folder's file wins for its year.

    Files named `<kind>-….json` that do not follow the naming rule are refused, not skipped,
    so a misnamed copy never silently stops counting.
    """
    if kind not in KINDS:
        raise ValidationError(tr("ประเภทองค์กร '{kind}' ไม่ถูกต้อง (สหกรณ์ หรือ กลุ่มเกษตรกร)", kind=kind), field="kind")
    found: dict[int, Path] = {}
    for folder in reversed(_as_folders(folders)):  # later folders first, so earlier ones win
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob(f"{kind}-*.json")):
            file_kind, year = parse_filename(path.name)
            if file_kind == kind:  # "coop-…" never matches "farmer_group-…" but be exact
                found[year] = path
    return dict(sorted(found.items()))


def load_criteria_set(
    kind: str, year: int, folders: Path | str | Sequence[Path | str] | None = None
) -> CriteriaSet:
    """The criteria for `kind` in BE `year`: that year's file, else the latest earlier one
    (then `is_fallback` and `fallback_note` report it). NotFound when no file is that old."""
    sets = available_sets(kind, folders)
    usable = [y for y in sets if y <= year]
    if not usable:
        where = ", ".join(str(f) for f in _as_folders(folders))
        raise NotFound(
            tr("ไม่พบเกณฑ์มาตรฐาน{kind}ที่ใช้กับปี {year} ได้ กรุณาเพิ่มไฟล์ {file}",
               kind=_kind_text(kind), year=year, file=f"{kind}-{year}.json"),
            details=where,
        )  # fmt: skip
    path = sets[max(usable)]
    return replace(parse_criteria_set(_read(path), path.name), requested_year=year)


def check_folders(folders: Path | str | Sequence[Path | str] | None = None) -> list[CriteriaSet]:
    """Parse every set in the folders (for a "check the criteria files" command and tests)."""
    out = []
    for kind in KINDS:
        for path in available_sets(kind, folders).values():
            out.append(parse_criteria_set(_read(path), path.name))
    return out


# --- assessments ------------------------------------------------------------------------


@dataclass(frozen=True)
class CriterionAnswer:
    code: str
    met: bool
    note: str = ""


@dataclass(frozen=True)
class Assessment:
    """One institution's standards assessment for one accounting year.

    year: the BE year of the accounting year assessed, as the registry names it
    (InstitutionYear.fiscal_year); the criteria set must apply to it.
    Not assessed: `reason` from NOT_ASSESSED_REASONS (OTHER needs `reason_note`), no answers.
    """

    institution_id: str
    kind: str  # coop | farmer_group
    year: int
    assessed: bool
    answers: tuple[CriterionAnswer, ...] = ()
    reason: str | None = None
    reason_note: str = ""
    assessed_by: str | None = None
    assessed_on: date | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "answers", tuple(self.answers))  # a list from a form is fine

    def answer(self, code: str) -> CriterionAnswer | None:
        return next((a for a in self.answers if a.code == code), None)


@dataclass(frozen=True)
class Outcome:
    result: str  # pass | fail | not_assessed (app.rules.registry.STANDARDS_RESULTS)
    label: str  # ผ่าน / ไม่ผ่าน / ได้มาตรฐาน / ต่ำกว่ามาตรฐาน / ไม่นำมาจัดมาตรฐาน
    text_th: str  # the label with why
    criteria_year: int
    not_met: tuple[Criterion, ...] = ()
    warnings: tuple[str, ...] = field(default=())  # from the criteria set


def assessment_problems(a: Assessment, criteria: CriteriaSet) -> list[Problem]:
    """Everything wrong with the assessment against its criteria set, each naming its field
    (a criterion's field is "criteria.<code>"); empty when it may be saved."""
    out: list[Problem] = []
    if a.kind not in KINDS:
        out.append(Problem("kind", tr("ประเภทองค์กร '{kind}' ไม่ถูกต้อง (สหกรณ์ หรือ กลุ่มเกษตรกร)", kind=a.kind)))
    elif a.kind != criteria.kind:
        out.append(Problem("kind", tr("{title}ใช้กับ{kind}ไม่ได้ กรุณาเลือกเกณฑ์ของ{kind}",
                                      title=criteria.title, kind=_kind_text(a.kind))))  # fmt: skip
    if criteria.year > a.year:
        out.append(Problem("year", tr("เกณฑ์ปี {used} ใช้กับการประเมินปี {year} ไม่ได้ เพราะเริ่มใช้หลังปีนั้น",
                                      used=criteria.year, year=a.year)))  # fmt: skip
    if not squeeze(a.assessed_by):
        out.append(Problem("assessed_by", _("กรุณาระบุผู้ประเมิน")))
    if a.assessed_on is None:
        out.append(Problem("assessed_on", _("กรุณาระบุวันที่ประเมิน")))
    if a.assessed:
        out += _answer_problems(a, criteria)
        if a.reason is not None or squeeze(a.reason_note):
            out.append(Problem("reason", _("องค์กรที่นำมาจัดมาตรฐานต้องไม่มีเหตุผลที่ไม่นำมาจัดมาตรฐาน กรุณาลบเหตุผลออก")))
    else:
        if a.answers:
            codes = ", ".join(x.code for x in a.answers)
            out.append(Problem("criteria", tr("องค์กรที่ไม่นำมาจัดมาตรฐานต้องไม่มีผลรายข้อ กรุณาลบผลเกณฑ์ข้อ {codes}",
                                              codes=codes)))  # fmt: skip
        if a.reason is None:
            out.append(Problem("reason", _("กรุณาระบุเหตุผลที่ไม่นำมาจัดมาตรฐาน")))
        elif a.reason not in NOT_ASSESSED_REASONS:
            out.append(Problem("reason", _("เหตุผลที่ไม่นำมาจัดมาตรฐานไม่ถูกต้อง กรุณาเลือกจากรายการ")))
        elif a.reason == OTHER and not squeeze(a.reason_note):
            out.append(Problem("reason_note", _("เลือกเหตุผล อื่น ๆ แล้ว กรุณาระบุรายละเอียดว่าเพราะเหตุใด")))
    return out


def _answer_problems(a: Assessment, criteria: CriteriaSet) -> list[Problem]:
    out: list[Problem] = []
    counts = Counter(x.code for x in a.answers)
    for x in a.answers:
        if criteria.criterion(x.code) is None:
            out.append(Problem(f"criteria.{x.code}", tr("เกณฑ์ข้อ {code} ไม่มีใน{title}ปี {year} กรุณาตรวจสอบรหัสข้อ",
                                                         code=x.code, title=criteria.title, year=criteria.year)))  # fmt: skip
        elif not isinstance(x.met, bool):
            crit = criteria.criterion(x.code)
            out.append(Problem(f"criteria.{x.code}", tr("ผลเกณฑ์{label}ต้องเป็น ผ่าน หรือ ไม่ผ่าน", label=crit.label)))
    for code, n in counts.items():
        if n > 1 and criteria.criterion(code) is not None:
            out.append(Problem(f"criteria.{code}", tr("บันทึกผลเกณฑ์ข้อ {code} ซ้ำ {n} ครั้ง กรุณาเหลือไว้รายการเดียว",
                                                       code=code, n=n)))  # fmt: skip
    for crit in criteria.criteria:
        if crit.code not in counts:
            out.append(Problem(f"criteria.{crit.code}", tr("ยังไม่ได้บันทึกผลเกณฑ์{label} กรุณาระบุว่าผ่านหรือไม่ผ่าน",
                                                            label=crit.label)))  # fmt: skip
    return out


def evaluate(a: Assessment, criteria: CriteriaSet) -> Outcome:
    """The overall result. Assessed institutions pass only when they meet every criterion of
    the set (coop: ผ่าน / ไม่ผ่าน; farmer group: ได้มาตรฐาน / ต่ำกว่ามาตรฐาน).
    Raises ValidationError with the first of assessment_problems()."""
    problems = assessment_problems(a, criteria)
    if problems:
        first = problems[0]
        raise ValidationError(first.message, field=first.field, details="; ".join(p.message for p in problems))
    if not a.assessed:
        reason = _(NOT_ASSESSED_REASONS[a.reason or OTHER])
        if squeeze(a.reason_note):
            reason = tr("{reason} ({note})", reason=reason, note=squeeze(a.reason_note))
        label = standards_label(a.kind, NOT_ASSESSED)
        return Outcome(NOT_ASSESSED, label, tr("{label}: {reason}", label=label, reason=reason),
                       criteria.year, (), criteria.warnings)  # fmt: skip
    not_met = tuple(c for c in criteria.criteria if not a.answer(c.code).met)  # type: ignore[union-attr]
    result = FAIL if not_met else PASS
    label = standards_label(a.kind, result)
    if not_met:
        text = tr("{label}: ไม่ผ่านเกณฑ์ข้อ {codes}", label=label, codes=", ".join(c.code for c in not_met))
    else:
        text = tr("{label}: ผ่านเกณฑ์ครบทั้ง {n} ข้อ", label=label, n=len(criteria.criteria))
    return Outcome(result, label, text, criteria.year, not_met, criteria.warnings)


# --- reporting deadline -----------------------------------------------------------------


class WorkingCalendar(Protocol):
    """What the deadline needs of app.thai.HolidayCalendar."""

    def is_working_day(self, d: date) -> bool: ...


def working_days_between(start: date, end: date, calendar: WorkingCalendar) -> int:
    """Working days d with start < d <= end (0 when end <= start)."""
    n, day = 0, start
    while day < end:
        day += timedelta(days=1)
        n += calendar.is_working_day(day)
    return n


def standards_due(agm_date: date, calendar: WorkingCalendar) -> date:
    """The day the standards result must be reported: the 2nd working day after the general
    meeting (weekends, government holidays and the office's special days skipped)."""
    return add_working_days(agm_date, REPORT_DUE_WORKING_DAYS, calendar)  # type: ignore[arg-type]


@dataclass(frozen=True)
class ReportStatus:
    code: str  # NOT_DUE | DUE_SOON | ON_TIME | LATE | OVERDUE
    due: date
    working_days: int  # left (not due / due soon), late or overdue by; 0 when on time
    text_th: str

    @property
    def label(self) -> str:
        return _(REPORT_STATUSES[self.code])

    @property
    def done(self) -> bool:
        return self.code in (ON_TIME, LATE)

    @property
    def is_late(self) -> bool:
        """Marked late: reported late, or still not reported after the due date."""
        return self.code in (LATE, OVERDUE)


Status = ReportStatus


def _late_by(due: date, day: date, calendar: WorkingCalendar) -> int:
    return max(1, working_days_between(due, day, calendar))


def report_status(
    agm_date: date, reported_on: date | None, today: date, calendar: WorkingCalendar
) -> ReportStatus:
    """Where the standards report stands on `today` for a meeting on `agm_date`."""
    due = standards_due(agm_date, calendar)
    if reported_on is not None:
        if reported_on < agm_date:
            raise ValidationError(
                tr("วันที่รายงานผลมาตรฐาน ({reported}) อยู่ก่อนวันประชุมใหญ่ ({agm}) กรุณาตรวจสอบวันที่",
                   reported=_day_text(reported_on), agm=_day_text(agm_date)),
                field="reported_on",
            )  # fmt: skip
        if reported_on <= due:
            text = tr("รายงานผลมาตรฐานแล้วเมื่อ {reported} ทันกำหนด ({due})",
                      reported=_day_text(reported_on), due=_day_text(due))  # fmt: skip
            return ReportStatus(ON_TIME, due, 0, text)
        n = _late_by(due, reported_on, calendar)
        text = tr("รายงานผลมาตรฐานเมื่อ {reported} ช้ากว่ากำหนด ({due}) {n} วันทำการ",
                  reported=_day_text(reported_on), due=_day_text(due), n=n)  # fmt: skip
        return ReportStatus(LATE, due, n, text)
    if today > due:
        n = _late_by(due, today, calendar)
        text = tr("ยังไม่ได้รายงานผลมาตรฐาน เกินกำหนด ({due}) มาแล้ว {n} วันทำการ", due=_day_text(due), n=n)
        return ReportStatus(OVERDUE, due, n, text)
    left = working_days_between(today, due, calendar)
    if today < agm_date or left > DUE_SOON_WORKING_DAYS:
        text = tr("ยังไม่ถึงกำหนด ประชุมใหญ่วันที่ {agm} ต้องรายงานผลมาตรฐานภายใน {due}",
                  agm=_day_text(agm_date), due=_day_text(due))  # fmt: skip
        return ReportStatus(NOT_DUE, due, left, text)
    if left == 0:
        return ReportStatus(DUE_SOON, due, 0, tr("ครบกำหนดรายงานผลมาตรฐานวันนี้ ({due})", due=_day_text(due)))
    text = tr("ใกล้ครบกำหนด ต้องรายงานผลมาตรฐานภายใน {due} (อีก {n} วันทำการ)", due=_day_text(due), n=left)
    return ReportStatus(DUE_SOON, due, left, text)


# --- pass rate --------------------------------------------------------------------------


def pass_rate(results: Iterable[str | Outcome | None]) -> tuple[int, int, Decimal | None]:
    """(passed, assessed, percent) over the assessed only; not-assessed and missing (None)
    results are left out. percent: Decimal rounded half up to 2 places, None when nothing
    was assessed. Accepts result codes or Outcomes."""
    passed = assessed = 0
    for r in results:
        code = r.result if isinstance(r, Outcome) else r
        if code is None or code == NOT_ASSESSED:
            continue
        if code not in (PASS, FAIL):
            raise ValidationError(
                tr("ผลมาตรฐาน '{code}' ไม่ถูกต้อง ต้องเป็น ผ่าน ไม่ผ่าน หรือ ไม่นำมาจัดมาตรฐาน", code=code),
                field="standards_result",
            )
        assessed += 1
        passed += code == PASS
    if not assessed:
        return passed, assessed, None
    hundredths = (2 * passed * 10_000 + assessed) // (2 * assessed)  # half up, exact
    return passed, assessed, (Decimal(hundredths) / 100).quantize(_CENT)
