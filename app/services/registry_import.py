"""Importing the office's Excel list into the registry (`coopdesk registry import-xlsx`).

The file is read first, without the database. Then every row goes through the registry
services — the same permission, validation and audit as the form — inside ONE transaction.
A row is checked completely (cells, names, the form's validation, permission) before it is
written, so a refused row writes nothing. A dry run takes exactly the same path and rolls
back at the end, so its report is the report the real import gives.

Rows are matched to institutions by registration number. A cell left empty (or "-") keeps
what is stored: a partial list never wipes data, and the export reads back unchanged.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db import Database
from app.errors import CoopDeskError, FileFormatError, PermissionDenied, ValidationError
from app.exchange.registry_xlsx import (
    SPECS,
    YEAR_FIELDS,
    CellProblem,
    ParsedRow,
    RegistrySheet,
    SkippedRow,
    read_registry,
)
from app.i18n import _, tr
from app.models import District, Institution, InstitutionYear, Province, User, WorkGroup
from app.rules.permissions import Action, check
from app.rules.registry import InstitutionData, YearData, parse_type_label, squeeze, validate_institution, validate_year
from app.services import audit, lookups, setup
from app.services.context import actor_of, authorize
from app.services.registry import (
    clean,
    create_institution,
    data_of,
    save_year,
    target_of,
    update_institution,
    year_data_of,
)
from app.thai import to_arabic_digits

STATUS_LABELS = {"inserted": "เพิ่มใหม่", "updated": "ปรับปรุง", "unchanged": "ไม่เปลี่ยนแปลง", "rejected": "ไม่ผ่าน"}

Progress = Callable[[int, int], None]


class ImportCancelled(CoopDeskError):
    """The user stopped the import; everything was rolled back."""

    code = "E_CANCELLED"


@dataclass
class RowResult:
    row: int
    reg_no: str
    status: str  # a key of STATUS_LABELS
    name: str = ""
    reason: str = ""  # why a row was rejected, in Thai
    changes: list[str] = field(default_factory=list)  # column labels an update changed


@dataclass
class ImportReport:
    file_name: str
    sheet: str
    header_row: int
    fiscal_year: int | None  # the year the yearly columns were saved under; None without them
    dry_run: bool
    rows: list[RowResult] = field(default_factory=list)
    skipped: list[SkippedRow] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for r in self.rows if r.status == status)

    @property
    def counts(self) -> dict[str, int]:
        return {s: self.count(s) for s in STATUS_LABELS}

    @property
    def ok(self) -> bool:
        return self.count("rejected") == 0

    def to_json(self) -> dict:
        return {
            "ok": self.ok, "dry_run": self.dry_run, "file": self.file_name, "sheet": self.sheet,
            "header_row": self.header_row, "fiscal_year": self.fiscal_year,
            "counts": {**self.counts, "rows": len(self.rows)},
            "rows": [{"row": r.row, "reg_no": r.reg_no, "name": r.name, "status": r.status,
                      "reason": r.reason, "changes": r.changes} for r in self.rows],
            "skipped": [{"row": s.row, "text": s.text} for s in self.skipped],
            "ignored_columns": self.ignored_columns,
        }

    def text_lines(self) -> list[str]:
        intro = _("ทดลองนำเข้า (ยังไม่บันทึก)") if self.dry_run else _("นำเข้า")
        lines = [tr("{intro} ไฟล์ {file} แผ่นงาน “{sheet}” หัวตารางแถว {row}",
                    intro=intro, file=self.file_name, sheet=self.sheet, row=self.header_row)]
        if self.fiscal_year is not None:
            lines.append(tr("ข้อมูลรายปีบันทึกเป็นของปีงบประมาณ {year}", year=self.fiscal_year))
        c = self.counts
        counts = " ".join(f"{_(label)} {c[status]}" for status, label in STATUS_LABELS.items())
        lines.append(tr("{counts} (รวม {total} รายการ)", counts=counts, total=len(self.rows)))
        for r in self.rows:
            if r.status == "updated":
                lines.append(tr("  แถว {row} ({reg}): ปรับปรุง {what}",
                                row=r.row, reg=r.reg_no, what=", ".join(r.changes)))
        if c["rejected"]:
            lines.append(_("รายการที่ไม่ผ่าน (ไม่ได้บันทึก):"))
            lines += [tr("  แถว {row}: {reason}", row=r.row, reason=r.reason)
                      for r in self.rows if r.status == "rejected"]
        if self.skipped:
            shown = ", ".join(tr("แถว {row} “{text}”", row=s.row, text=s.text) for s in self.skipped)
            lines.append(tr("ข้ามแถวที่เป็นหัวข้อหรือยอดรวม: {rows}", rows=shown))
        if self.ignored_columns:
            lines.append(tr("คอลัมน์ที่ไม่ได้อ่าน: {cols}", cols=", ".join(self.ignored_columns)))
        if c["updated"] or c["unchanged"]:
            lines.append(_("ช่องที่ว่างในไฟล์ไม่ลบข้อมูลเดิม"))
        if self.dry_run:
            lines.append(_("นี่เป็นการทดลอง ยังไม่มีข้อมูลใดถูกบันทึก"))
        return lines


# -- names in the file → ids -----------------------------------------------------------------

class _Unknown(ValueError):
    """A name that matches nothing (or more than one thing) in the database."""


_DISTRICT_PREFIX = re.compile(r"^(?:กิ่ง\s*)?(?:อำเภอ|อ\.|เขต)\s*")
_PERSON_TITLE = re.compile(r"^(?:นางสาว|นาง|นาย|น\.ส\.|ว่าที่\s*ร\.?\s*[ตทอ]\.?(?:หญิง)?|ดร\.)\s*")


def _key(text: str) -> str:
    return squeeze(to_arabic_digits(text)).replace(" ", "").casefold()


def _person_key(text: str) -> str:
    return _key(_PERSON_TITLE.sub("", squeeze(text)))


def _one(found: set[str], missing: str, ambiguous: str) -> str:
    if not found:
        raise _Unknown(missing)
    if len(found) > 1:
        raise _Unknown(ambiguous)
    return next(iter(found))


class _Names:
    """District, officer and group names of this office, looked up the way clerks write them."""

    def __init__(self, session: Session):
        office = setup.home_office(session)
        province = session.get(Province, office.province_code) if office and office.province_code else None
        self.province_name = province.name_th if province else ""
        self.district_codes = set(session.scalars(select(District.code)))
        districts = select(District.code, District.name_th)
        people = select(User.id, User.login, User.full_name).where(User.deleted_at.is_(None))
        groups = select(WorkGroup.id, WorkGroup.name).where(WorkGroup.deleted_at.is_(None))
        if province is not None:
            districts = districts.where(District.province_code == province.code)
        if office is not None:
            people = people.where(User.office_id == office.id)
            groups = groups.where(WorkGroup.office_id == office.id)
        self._districts: dict[str, set[str]] = defaultdict(set)
        for code, name in session.execute(districts):
            self._districts[_key(name)].add(code)
        self._people: dict[str, set[str]] = defaultdict(set)
        for uid, login, full_name in session.execute(people):
            self._people[_person_key(full_name)].add(uid)
            self._people[_key(login)].add(uid)
        self._groups: dict[str, set[str]] = defaultdict(set)
        for gid, name in session.execute(groups):
            self._groups[_key(name)].add(gid)

    def district(self, text: str) -> str:
        plain = to_arabic_digits(text).strip()
        if plain.isdigit():
            if plain in self.district_codes:
                return plain
            raise _Unknown(tr('ไม่พบรหัสอำเภอ "{text}"', text=text))
        key = _key(_DISTRICT_PREFIX.sub("", squeeze(text)))
        if key == "เมือง":  # "อ.เมือง" is how a province writes its capital district
            key = _key(f"เมือง{self.province_name}")
        found = self._districts.get(_key(text)) or self._districts.get(key, set())
        missing = (tr('ไม่พบอำเภอ "{text}" ในจังหวัด{province}', text=text, province=self.province_name)
                   if self.province_name else tr('ไม่พบอำเภอ "{text}"', text=text))
        return _one(found, missing, tr('ชื่ออำเภอ "{text}" ตรงกับหลายอำเภอ โปรดใช้รหัสอำเภอ', text=text))

    def officer(self, text: str) -> str:
        found = self._people.get(_person_key(text)) or self._people.get(_key(text), set())
        return _one(found, tr('ไม่พบเจ้าหน้าที่ชื่อ "{text}" ในรายชื่อผู้ใช้', text=text),
                    tr('มีผู้ใช้ชื่อ "{text}" มากกว่าหนึ่งคน โปรดใช้ชื่อผู้ใช้ (login)', text=text))

    def group(self, text: str) -> str:
        return _one(self._groups.get(_key(text), set()), tr('ไม่พบกลุ่ม "{text}" ในสำนักงาน', text=text),
                    tr('ชื่อกลุ่ม "{text}" ซ้ำกันหลายกลุ่ม', text=text))


# -- one row ---------------------------------------------------------------------------------

# Column field → the InstitutionData attributes it fills (the rest fill the attribute of their name).
_TARGETS = {
    "type": ("kind", "coop_type"), "acct_year_end": ("acct_year_end_month", "acct_year_end_day"),
    "district": ("district_code",), "officer": ("officer_id",), "group": ("group_id",),
}
_COLUMN_OF = {attr: col for col, attrs in _TARGETS.items() for attr in attrs} | {"out_of_scope": "strength_class"}


def _column_of(attr: str) -> str:
    return _COLUMN_OF.get(attr, attr)


def _overlay(base: InstitutionData, values: dict[str, object], *, new: bool) -> InstitutionData:
    data = replace(base)
    for f, value in values.items():
        if f in YEAR_FIELDS:
            continue
        attrs = _TARGETS.get(f, (f,))
        for attr, v in zip(attrs, value if len(attrs) > 1 else (value,), strict=True):
            setattr(data, attr, v)
    if new and "type" not in values and (inferred := parse_type_label(data.name)):
        data.kind, data.coop_type = inferred  # "สหกรณ์การเกษตร…จำกัด" says its own type
    return data


def _overlay_year(base: YearData | None, values: dict[str, object]) -> YearData | None:
    given = {f: values[f] for f in YEAR_FIELDS if f in values}
    if not given:
        return base
    year = replace(base) if base is not None else YearData()
    for f, value in given.items():
        if f == "strength_class":
            year.strength_class, year.out_of_scope = value
        else:
            setattr(year, f, value)
    return year


def _changes(before: object, after: object) -> list[str]:
    """Labels of the columns whose values differ between two records of the same dataclass."""
    names = [n for n in before.__dataclass_fields__ if getattr(before, n) != getattr(after, n)]
    return list(dict.fromkeys(SPECS[_column_of(n)].label for n in names))


class _Run:
    """One import inside one transaction."""

    def __init__(self, session: Session, user: User, sheet: RegistrySheet, fiscal_year: int | None):
        self.session, self.user, self.sheet, self.fiscal_year = session, user, sheet, fiscal_year
        self.actor = actor_of(user)
        self.names = _Names(session)
        self.existing = {i.reg_no: i for i in session.scalars(select(Institution))}  # tombstoned too
        self.years: dict[str, InstitutionYear] = {}
        if fiscal_year is not None:
            q = select(InstitutionYear).where(InstitutionYear.fiscal_year == fiscal_year,
                                              InstitutionYear.deleted_at.is_(None))
            self.years = {y.institution_id: y for y in session.scalars(q)}

    def _problem(self, f: str, message: str) -> CellProblem:
        return CellProblem(f, self.sheet.columns.get(f, ""), message)

    def _resolve(self, parsed: ParsedRow) -> tuple[dict[str, object], list[CellProblem]]:
        values, problems = dict(parsed.values), list(parsed.problems)
        for f, lookup in (("district", self.names.district), ("officer", self.names.officer),
                          ("group", self.names.group)):
            if f in values:
                try:
                    values[f] = lookup(values[f])
                except _Unknown as exc:
                    problems.append(self._problem(f, str(exc)))
        order = list(self.sheet.columns)
        problems.sort(key=lambda p: order.index(p.field) if p.field in order else -1)
        return values, problems

    def row(self, parsed: ParsedRow) -> RowResult:
        result = RowResult(parsed.row, parsed.reg_no, "rejected", name=parsed.values.get("name", ""))
        values, problems = self._resolve(parsed)
        inst = self.existing.get(parsed.reg_no)
        live = inst is not None and inst.deleted_at is None
        before = data_of(inst) if live else None
        data = clean(_overlay(before or InstitutionData(reg_no=parsed.reg_no), values, new=not live))
        year_row = self.years.get(inst.id) if live else None
        year_before = year_data_of(year_row) if year_row is not None else None
        year = _overlay_year(year_before, values)
        if not problems:  # the form's own checks, on the record as it would be saved
            found = validate_institution(data, known_districts=self.names.district_codes)
            if year is not None:
                found += validate_year(self.fiscal_year, year)
            problems = [self._problem(_column_of(p.field), p.message) for p in found]
        if problems:
            result.reason = "; ".join(p.text() for p in problems)
            return result
        if live:
            result.changes = _changes(before, data) + _changes(year_before or YearData(), year or YearData())
        save_inst, save_yr = data != before, year is not None and year != year_before
        if not save_inst and not save_yr:
            result.status = "unchanged"
            return result
        if refusal := self._refusal(inst if live else None, data, save_inst, save_yr):
            result.reason = refusal
            return result
        if save_inst:
            inst = (update_institution(self.session, self.user, inst.id, data) if live
                    else create_institution(self.session, self.user, data))
        if save_yr:
            save_year(self.session, self.user, inst.id, self.fiscal_year, year)
        result.status = "updated" if live else "inserted"
        return result

    def _refusal(self, inst: Institution | None, data: InstitutionData, save_inst: bool, save_yr: bool) -> str:
        """Why the services would refuse this row's writes ("" if they will not).

        Asked before writing because a row cannot be undone alone: through pysqlite's legacy
        transaction handling a savepoint opened before the first write starts the transaction
        itself, and releasing it commits. A refusal halfway would abort the whole import.
        """
        checks = []
        if save_inst and inst is None:
            checks.append((Action.REGISTRY_CREATE, None))
        elif save_inst:
            checks += [(Action.REGISTRY_EDIT, target_of(inst)), (Action.REGISTRY_EDIT, target_of(data))]
        if save_yr:
            checks.append((Action.YEARLY_EDIT, target_of(data)))
        try:
            for action, target in checks:
                check(self.actor, action, target)
        except PermissionDenied as exc:
            return exc.message
        return ""


# -- the use case ----------------------------------------------------------------------------

def _fiscal_year(session: Session, sheet: RegistrySheet, requested: int | None) -> int | None:
    """The year for the yearly columns: the caller's, else the one the file states, else the working year."""
    if not sheet.has_yearly:
        return None
    stated = sorted(sheet.fiscal_years)
    if len(stated) > 1:
        raise FileFormatError(tr("ไฟล์ {file} ระบุปีงบประมาณไว้หลายปี ({years}) จึงไม่ทราบว่าข้อมูลรายปีเป็นของปีใด",
                                 file=sheet.file_name, years=", ".join(map(str, stated))))
    if requested is not None and stated and requested != stated[0]:
        raise FileFormatError(tr("ไฟล์ {file} เป็นข้อมูลปีงบประมาณ {stated} แต่เลือกนำเข้าเป็นปีงบประมาณ {year}",
                                 file=sheet.file_name, stated=stated[0], year=requested))
    year = requested or (stated[0] if stated else lookups.working_fiscal_year(session))
    if problems := validate_year(year, YearData()):
        raise ValidationError(problems[0].message, field=problems[0].field)
    return year


def run_rows(run, rows: list, report: ImportReport, progress: Progress | None,
             cancelled: Callable[[], bool] | None) -> None:
    """Each parsed row through `run.row`, its result into the report; progress after each,
    and a cancel (checked before each) rolls the caller's transaction back."""
    for done, parsed in enumerate(rows, start=1):
        if cancelled is not None and cancelled():
            raise ImportCancelled(_("ยกเลิกการนำเข้าแล้ว ไม่มีข้อมูลใดถูกเปลี่ยน"))
        report.rows.append(run.row(parsed))
        if progress is not None:
            progress(done, len(rows))


def import_file(
    db: Database, user: User, path: str | Path, *, dry_run: bool = False, fiscal_year: int | None = None,
    progress: Progress | None = None, cancelled: Callable[[], bool] | None = None,
) -> ImportReport:
    """Import (or with dry_run only check) an Excel list of institutions; see the module doc.

    `fiscal_year` (BE) is the year of the yearly columns; by default the year the file's title
    states, else the working fiscal year. `progress(done, total)` is called after each row;
    when `cancelled()` turns true the import stops, rolls back and raises ImportCancelled.
    """
    check(actor_of(user), Action.REGISTRY_IMPORT)  # refuse before reading anything
    sheet = read_registry(path)
    with db.transaction(user.id, dry_run=dry_run) as session:
        authorize(session, user, Action.REGISTRY_IMPORT)
        year = _fiscal_year(session, sheet, fiscal_year)
        report = ImportReport(sheet.file_name, sheet.sheet, sheet.header_row, year, dry_run,
                              skipped=sheet.skipped, ignored_columns=sheet.ignored_columns)
        run_rows(_Run(session, user, sheet, year), sheet.rows, report, progress, cancelled)
        if report.count("inserted") or report.count("updated"):
            audit.record(session, user, "registry.import", "institution", None,
                         after={"file": sheet.file_name, "sheet": sheet.sheet, "fiscal_year": year,
                                **report.counts})
    return report
