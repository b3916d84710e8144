"""Importing the central office's strength classification (`coopdesk strength import-xlsx`).

The sheet is read first, without the database (app.exchange.strength_xlsx). Then every row
goes through `assessments.save_strength` — the same permission, classification and audit
as the form, stored with source="imported" — inside ONE transaction. A row is checked
completely (cells, registration number, the year's rule table, permission) before it is
written, so a refused row writes nothing and the others go in; a dry run takes exactly the
same path and rolls back, so its report is the report the real import gives (the registry
import's policy, app.services.registry_import, whose report this one extends).

What is stored: a sheet row is the central office's whole assessment for the year, so it
replaces the stored scores, basic conditions, out-of-scope mark and published class; only
the extra item conditions, which the sheet does not carry, are kept. A row equal to what
is stored is "unchanged" and not written (a second import changes nothing).

The point of the import is the comparison: each row's class is computed with the year's
rule table and the report lists the rows where it differs from the published class.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db import Database
from app.errors import FileFormatError, PermissionDenied, ValidationError
from app.exchange.strength_xlsx import SPECS, StrengthRow, StrengthSheet, read_strength
from app.i18n import _, tr
from app.models import Institution, StrengthAssessment, User
from app.rules import strength
from app.rules.permissions import Action, check
from app.rules.registry import normalize_reg_no, squeeze
from app.services import audit
from app.services.assessments import save_strength, scores_of
from app.services.context import actor_of, authorize
from app.services.registry import target_of
from app.services.registry_import import ImportCancelled, ImportReport, Progress, RowResult, run_rows
from app.thai import to_arabic_digits

__all__ = ["ImportCancelled", "StrengthImportReport", "StrengthRowResult", "import_file"]

# Lines of the registry report that do not hold here (a blank cell here is "no" or "not
# entered", not "keep"); dropped from the inherited text and the dry-run note re-added last.
_REGISTRY_BLANK_NOTE = "ช่องที่ว่างในไฟล์ไม่ลบข้อมูลเดิม"
_DRY_RUN_NOTE = "นี่เป็นการทดลอง ยังไม่มีข้อมูลใดถูกบันทึก"
COMPUTED_LABEL = "ระดับชั้นที่คำนวณได้"
PUBLISHED_LABEL = "ระดับชั้นที่ส่วนกลางประกาศ"


@dataclass
class StrengthRowResult(RowResult):
    computed_class: int | None = None  # by the year's rule table; None = not classified (or rejected)
    published: bool = False  # the sheet states a class (or ไม่จัดระดับชั้น) for the row
    published_class: int | None = None
    difference: str = ""  # computed vs published, in Thai; "" when they agree or nothing was published
    warnings: list[str] = field(default_factory=list)  # worth a look, not a reason to refuse

    @property
    def note(self) -> str:
        """The difference and the warnings as one line (the report dialog's detail column)."""
        return " · ".join(filter(None, (self.difference, *self.warnings)))


@dataclass
class StrengthImportReport(ImportReport):
    rows: list[StrengthRowResult] = field(default_factory=list)  # type: ignore[assignment]

    @property
    def differences(self) -> list[StrengthRowResult]:
        return [r for r in self.rows if r.difference]

    def to_json(self) -> dict:
        data = super().to_json()
        for out, r in zip(data["rows"], self.rows, strict=True):
            out.update(computed_class=r.computed_class, published=r.published, published_class=r.published_class,
                       difference=r.difference, warnings=r.warnings)
        data["differences"] = [{"row": r.row, "reg_no": r.reg_no, "name": r.name, "computed_class": r.computed_class,
                                "published_class": r.published_class, "text": r.difference}
                               for r in self.differences]
        return data

    def text_lines(self) -> list[str]:
        drop = {_(_REGISTRY_BLANK_NOTE), _(_DRY_RUN_NOTE)}
        lines = [line for line in super().text_lines() if line not in drop]
        compared = [r for r in self.rows if r.published and r.status != "rejected"]
        if self.differences:
            # No colon: the report dialog shows this line and lists the rows in its table.
            lines.append(tr("ระดับชั้นที่คำนวณได้ต่างจากที่ส่วนกลางประกาศ {n} แห่ง", n=len(self.differences)))
            lines += [tr("  แถว {row} ({reg}) {name}: {text}", row=r.row, reg=r.reg_no, name=r.name, text=r.difference)
                      for r in self.differences]
        elif compared:
            lines.append(tr("ระดับชั้นที่คำนวณได้ตรงกับที่ส่วนกลางประกาศทั้ง {n} แห่ง", n=len(compared)))
        warned = [r for r in self.rows if r.warnings]
        if warned:
            lines.append(_("ข้อสังเกต (ไม่กระทบการนำเข้า):"))
            lines += [tr("  แถว {row}: {text}", row=r.row, text=w) for r in warned for w in r.warnings]
        if self.dry_run:
            lines.append(_(_DRY_RUN_NOTE))
        return lines


# -- one row ---------------------------------------------------------------------------------

def _name_key(text: str) -> str:
    return squeeze(to_arabic_digits(text)).replace(" ", "").removesuffix("จำกัด").casefold()


class _Run:
    """One import inside one transaction."""

    def __init__(self, session: Session, user: User, sheet: StrengthSheet, fiscal_year: int):
        self.session, self.user, self.sheet, self.fiscal_year = session, user, sheet, fiscal_year
        self.actor = actor_of(user)
        self.table = strength.table_for_year(fiscal_year)  # refused once here, not on every row
        live = select(Institution).where(Institution.deleted_at.is_(None))
        self.institutions = {normalize_reg_no(i.reg_no): i for i in session.scalars(live)}
        stored = select(StrengthAssessment).where(StrengthAssessment.fiscal_year == fiscal_year,
                                                  StrengthAssessment.deleted_at.is_(None))
        self.stored = {a.institution_id: a for a in session.scalars(stored)}

    def row(self, parsed: StrengthRow) -> StrengthRowResult:
        result = StrengthRowResult(parsed.row, parsed.reg_no, "rejected", name=parsed.name,
                                   published=parsed.published, published_class=parsed.published_class,
                                   warnings=list(parsed.warnings))
        problems = [p.text() for p in parsed.problems]
        inst = self.institutions.get(parsed.reg_no)
        if parsed.reg_no and inst is None:
            problems.insert(0, tr("ไม่พบเลขทะเบียน {reg} ในทะเบียน ({cell})", reg=parsed.reg_no,
                                  cell=self.sheet.cell(parsed.row, "reg_no")))
        if problems or inst is None or parsed.scores is None:
            result.reason = "; ".join(problems)
            return result
        result.name = inst.name
        if parsed.name and _name_key(parsed.name) != _name_key(inst.name):
            result.warnings.insert(0, tr("ชื่อในไฟล์ “{given}” ไม่ตรงกับชื่อในทะเบียน", given=parsed.name))

        stored = self.stored.get(inst.id)
        scores = parsed.scores
        if stored is not None:
            scores = replace(scores, extra=dict(stored.extra or {}))  # the sheet has no extra conditions
        try:  # the class, as save_strength will compute it; refusals name the cell
            found = strength.classify(scores, sector=strength.sector_of(inst.kind, inst.coop_type), table=self.table,
                                      status=inst.status)
        except ValidationError as exc:
            cell = self.sheet.cell(parsed.row, exc.field)
            result.reason = tr("{problem} ({cell})", problem=exc.message, cell=cell) if cell else exc.message
            return result
        result.computed_class = found.strength_class
        if parsed.published:
            diffs = strength.compare_with_published({inst.id: found}, {inst.id: parsed.published_class})
            result.difference = diffs[0].text_th if diffs else ""

        if stored is not None:
            result.changes = _changes(stored, scores, parsed.published_class, found)
            if not result.changes:
                result.status = "unchanged"
                return result
        try:  # asked before writing: a refusal halfway must not abort the whole import
            check(self.actor, Action.YEARLY_EDIT, target_of(inst))
        except PermissionDenied as exc:
            result.reason, result.changes = exc.message, []
            return result
        save_strength(self.session, self.user, inst.id, self.fiscal_year, scores,
                      published_class=parsed.published_class, source="imported")
        result.status = "inserted" if stored is None else "updated"
        return result


def _changes(stored: StrengthAssessment, scores: strength.Scores, published: int | None,
             found: strength.Classification) -> list[str]:
    """Labels of what an import would change in a stored assessment ([] = unchanged)."""
    before = scores_of(stored)
    fields = [f for f in (*strength.DIMENSIONS, *strength.BASIC_CONDITIONS, "out_of_scope", "out_of_scope_reason")
              if getattr(before, f) != getattr(scores, f)]
    labels = [SPECS[f].label for f in fields]
    if stored.published_class != published:
        labels.append(_(PUBLISHED_LABEL))
    if (stored.computed_class, stored.table_year) != (found.strength_class, found.table_year):
        labels.append(_(COMPUTED_LABEL))  # e.g. the year's rule table was corrected since
    return list(dict.fromkeys(labels))


# -- the use case ----------------------------------------------------------------------------

def _fiscal_year(sheet: StrengthSheet, requested: int | None) -> int:
    """The caller's year, else the one the sheet states; refused if neither, or if they disagree."""
    stated = sorted(sheet.fiscal_years)
    if len(stated) > 1:
        raise FileFormatError(tr("ไฟล์ {file} ระบุปีงบประมาณไว้หลายปี ({years}) จึงไม่ทราบว่าผลการจัดระดับชั้นเป็นของปีใด",
                                 file=sheet.file_name, years=", ".join(map(str, stated))))
    if requested is not None and stated and requested != stated[0]:
        raise FileFormatError(tr("ไฟล์ {file} เป็นผลการจัดระดับชั้นปีงบประมาณ {stated} แต่เลือกนำเข้าเป็นปีงบประมาณ {year}",
                                 file=sheet.file_name, stated=stated[0], year=requested))
    year = requested if requested is not None else (stated[0] if stated else None)
    if year is None:
        raise ValidationError(tr("ไฟล์ {file} ไม่ได้ระบุปีงบประมาณ (เช่น “ปีงบประมาณ 2568” ในหัวตาราง) "
                                 "โปรดระบุปีงบประมาณที่จะนำเข้า", file=sheet.file_name), field="fiscal_year")
    if not 2500 <= year <= 2700:
        raise ValidationError(_("ปีต้องเป็นปี พ.ศ. เช่น 2568"), field="fiscal_year")
    return year


def import_file(
    db: Database, user: User, path: str | Path, *, fiscal_year: int | None = None, dry_run: bool = False,
    progress: Progress | None = None, cancelled: Callable[[], bool] | None = None,
) -> StrengthImportReport:
    """Import (or with dry_run only check) a strength-classification sheet; see the module doc.

    `fiscal_year` (BE): by default the year the sheet's title states. `progress(done, total)`
    is called after each row; when `cancelled()` turns true the import stops, rolls back and
    raises ImportCancelled.
    """
    check(actor_of(user), Action.YEARLY_EDIT)  # refuse before reading anything
    sheet = read_strength(path)
    year = _fiscal_year(sheet, fiscal_year)
    with db.transaction(user.id, dry_run=dry_run) as session:
        authorize(session, user, Action.YEARLY_EDIT)
        report = StrengthImportReport(sheet.file_name, sheet.sheet, sheet.header_row, year, dry_run,
                                      skipped=sheet.skipped, ignored_columns=sheet.ignored_columns)
        run_rows(_Run(session, user, sheet, year), sheet.rows, report, progress, cancelled)
        if report.count("inserted") or report.count("updated"):
            audit.record(session, user, "strength.import", "strength_assessment", None,
                         after={"file": sheet.file_name, "sheet": sheet.sheet, "fiscal_year": year,
                                "differences": len(report.differences), **report.counts})
    return report
