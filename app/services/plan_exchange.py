"""Action plans to and from Excel (`coopdesk plan export-xlsx / import-xlsx`).

Export writes the official sheet of a group's latest revision; like the registry export it
goes to a temporary file first, so a crash never leaves half a file.

Import reads a sheet (the app's own export or an official sheet made by hand) without the
database, then in ONE transaction creates the group's plan for that fiscal year, or saves
the sheet onto its draft. A submitted or approved revision is not changed: the report says
to withdraw or revise it first. A dry run takes exactly the same path and rolls back at
the end, so its report is the report the real import gives. Findings (figures that do not
add up, cells that are not numbers) never stop an import: they are what the report is for.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path

from sqlalchemy.orm import Session

from app.db import Database
from app.errors import LockedError, ValidationError
from app.exchange.plan_xlsx import PlanRead, read_plan, write_plan
from app.i18n import _, tr
from app.exchange.files import write_atomically
from app.models import User, WorkGroup
from app.rules.approval import STATE_LABELS
from app.rules.permissions import Action
from app.rules.plan import Finding, validate, year_total
from app.rules.plan.document import PlanDocument
from app.services import audit, plans, settings
from app.services.context import authorize
from app.thai import format_number

CREATED, UPDATED, REFUSED = "created", "updated", "refused"


def export_xlsx(session: Session, user: User, *, fiscal_year: int, unit: str | None, path: str | Path,
                revision: int | None = None) -> Path:
    """Write a group's plan for `fiscal_year` (the latest revision unless one is named)."""
    plan = plans.plan_for(session, user, fiscal_year, unit, revision)
    return export_plan(session, user, plan.id, path)


def export_plan(session: Session, user: User, plan_id: str, path: str | Path) -> Path:
    """Write one plan revision in the official layout (replacing `path` in one step)."""
    plan = plans.get_plan(session, user, plan_id)
    doc = plans.document_of(session, user, plan.id)
    thai_digits = settings.get(session, "print.thai_digits")
    path = Path(path)
    write_atomically(path, lambda target: write_plan(doc, target, thai_digits=thai_digits, group_id=plan.group_id))
    return path


# -- the report ------------------------------------------------------------------------------

def _number(value: int | Decimal | None) -> str | None:
    """Figures in JSON are strings, exact: work as "7", baht as "13650.00"."""
    if value is None:
        return None
    return f"{value:.2f}" if isinstance(value, Decimal) else str(value)


def _in_file(text: str, place: str) -> str:
    """A finding with where it is in the file, for the clerk who opens it in Excel."""
    return tr("{text} ({place})", text=text, place=place) if place else text


@dataclass(frozen=True)
class PlanImportReport:
    file_name: str
    sheet: str
    header_row: int
    dry_run: bool
    action: str  # created | updated | refused
    message: str  # why it was refused ("" otherwise)
    group: str
    fiscal_year: int
    revision: int
    state: str
    revision_label: str
    activities: int
    total_work: int
    total_baht: Decimal
    findings: tuple[Finding, ...]
    places: tuple[str, ...]  # where each finding is in the file ("แถว 40 คอลัมน์ C"), "" if nowhere
    notes: tuple[str, ...]  # what the reader noticed: skipped subtotal rows, a missing year …

    @property
    def ok(self) -> bool:
        return self.action != REFUSED

    def where(self, i: int) -> str:
        return _in_file(self.findings[i].where, self.places[i])

    def to_json(self) -> dict:
        return {
            "plan": {
                "ok": self.ok, "action": self.action, "message": self.message, "dry_run": self.dry_run,
                "file": self.file_name, "sheet": self.sheet, "header_row": self.header_row,
                "group": self.group, "fiscal_year": self.fiscal_year, "revision": self.revision,
                "revision_label": self.revision_label, "state": self.state, "activities": self.activities,
                "total_work": _number(self.total_work), "total_baht": _number(self.total_baht),
                "notes": list(self.notes),
            },
            "findings": [{"kind": f.kind, "where": self.where(i), "stated": _number(f.stated),
                          "computed": _number(f.computed)} for i, f in enumerate(self.findings)],
        }

    def text_lines(self) -> list[str]:
        intro = _("ทดลองนำเข้า (ยังไม่บันทึก)") if self.dry_run else _("นำเข้า")
        lines = [tr("{intro} ไฟล์ {file} แผ่นงาน “{sheet}” หัวตารางแถว {row}",
                    intro=intro, file=self.file_name, sheet=self.sheet, row=self.header_row)]
        lines.append(tr("แผนปฏิบัติงาน{group} ปีงบประมาณ {fy} ฉบับที่ {rev} ({state})", group=self.group,
                        fy=self.fiscal_year, rev=self.revision, state=_(STATE_LABELS.get(self.state, self.state))))
        if self.action == REFUSED:
            lines.append(tr("ไม่ได้นำเข้า: {reason}", reason=self.message))
        else:
            lines.append(_("สร้างแผนใหม่จากไฟล์แล้ว") if self.action == CREATED else _("บันทึกไฟล์ทับแผนฉบับร่างแล้ว"))
        lines.append(tr("กิจกรรม {n} รายการ รวมงาน {work} รวมงบ {baht} บาท", n=self.activities,
                        work=format_number(self.total_work, decimals=0), baht=format_number(self.total_baht)))
        lines += [f"  {note}" for note in self.notes]
        if self.findings:
            lines.append(tr("ข้อสังเกต {n} รายการ (บันทึกได้ แต่ควรแก้ก่อนเสนออนุมัติ):", n=len(self.findings)))
            lines += [f"  {_in_file(f.message(), place)}" for f, place in zip(self.findings, self.places)]
        else:
            lines.append(_("ไม่พบข้อสังเกต ตัวเลขในแผนสอดคล้องกัน"))
        if self.dry_run:
            lines.append(_("นี่เป็นการทดลอง ยังไม่มีข้อมูลใดถูกบันทึก"))
        return lines


# -- the import ------------------------------------------------------------------------------

def _group(session: Session, user: User, read: PlanRead, unit: str | None, notes: list[str]) -> WorkGroup:
    """The group named by the caller; else the one the export was written for; else the one
    the sheet's หน่วยงานที่รับผิดชอบ names; else the user's own."""
    if unit:
        return plans.resolve_group(session, user, unit)
    if read.group_id and (group := session.get(WorkGroup, read.group_id)) is not None and group.deleted_at is None:
        return group
    named = read.document.header.unit_name
    if named:
        try:
            return plans.resolve_group(session, user, named)
        except ValidationError:
            group = plans.resolve_group(session, user, None)
            notes.append(tr("ไฟล์ระบุหน่วยงาน “{named}” ซึ่งไม่ตรงกับกลุ่มงานใด จึงนำเข้าเป็นแผนของ{group}",
                            named=named, group=group.name))
            return group
    return plans.resolve_group(session, user, None)


def _fiscal_year(read: PlanRead, requested: int | None) -> int:
    stated = read.document.sheet.fiscal_year
    if requested is not None and stated is not None and requested != stated:
        raise ValidationError(tr("ไฟล์ {file} เป็นแผนปีงบประมาณ {stated} แต่เลือกนำเข้าเป็นปีงบประมาณ {year}",
                                 file=read.file_name, stated=stated, year=requested), field="fiscal_year")
    year = requested or stated
    if year is None:
        raise ValidationError(tr("ไม่พบปีงบประมาณในไฟล์ {file} โปรดระบุปีงบประมาณที่จะนำเข้า", file=read.file_name),
                              field="fiscal_year")
    return year


def _with_keys(read: PlanRead, doc: PlanDocument, group_id: str, current: PlanDocument | None) -> PlanDocument:
    """Row keys decide which stored rows an import updates (and so keep their actuals).

    The app's own export for this group carries them. Otherwise a line takes the key of the
    stored line with the same number and title, where exactly one has them on both sides;
    every other line is new (its key is no stored lineage, so it gets a new one)."""
    if read.own and read.group_id == group_id:
        return doc
    stored: dict[tuple[str, str], list[str]] = {}
    for a in current.sheet.activities if current else ():
        stored.setdefault((a.number, a.title), []).append(a.key)
    incoming: dict[tuple[str, str], int] = {}
    for a in doc.sheet.activities:
        incoming[(a.number, a.title)] = incoming.get((a.number, a.title), 0) + 1
    rows = []
    for i, a in enumerate(doc.sheet.activities):
        same = stored.get((a.number, a.title), [])
        key = same[0] if len(same) == 1 and incoming[(a.number, a.title)] == 1 else f"line-{i}"
        rows.append(replace(a, key=key))
    return replace(doc, sheet=replace(doc.sheet, activities=tuple(rows)))


def _run(session: Session, user: User, read: PlanRead, fiscal_year: int | None, unit: str | None,
         dry_run: bool) -> PlanImportReport:
    authorize(session, user, Action.PLAN_VIEW)
    notes = list(read.problems)
    group = _group(session, user, read, unit, notes)
    year = _fiscal_year(read, fiscal_year)
    doc = read.document
    doc = replace(doc, sheet=replace(doc.sheet, fiscal_year=year))
    existing = plans.latest_plan(session, user, group.id, year)
    current = plans.document_of(session, user, existing.id) if existing else None
    doc = _with_keys(read, doc, group.id, current)
    action, message = UPDATED, ""
    if existing is None:
        plan = plans.create_plan(session, user, group_id=group.id, fiscal_year=year, document=doc,
                                 revision_label=doc.revision_label)
        action = CREATED
    else:
        try:
            plan = plans.save_document(session, user, existing.id, doc)
        except LockedError as exc:  # raised before anything is written
            plan, action, message = existing, REFUSED, exc.message
    if action != REFUSED:
        audit.record(session, user, "plan.import", "plan", plan.id,
                     after={"file": read.file_name, "action": action, "rows": len(doc.sheet.activities)})
    # The sheet as read: its keys are the ones the reader's places know.
    findings = tuple(validate(read.document.sheet))
    total = year_total(doc.sheet)
    return PlanImportReport(
        file_name=read.file_name, sheet=read.sheet_name, header_row=read.header_row, dry_run=dry_run,
        action=action, message=message, group=group.name, fiscal_year=year, revision=plan.revision,
        state=plan.state, revision_label=plan.revision_label, activities=len(doc.sheet.activities),
        total_work=total.work, total_baht=total.baht, findings=findings,
        places=tuple(read.places.of(f) for f in findings), notes=tuple(notes),
    )


def import_xlsx(db: Database, user: User, path: str | Path, *, fiscal_year: int | None = None,
                unit: str | None = None, dry_run: bool = False) -> PlanImportReport:
    """Import (or with dry_run only check) a plan sheet; see the module doc.

    A file that cannot be read at all raises FileFormatError before the database is touched.
    """
    read = read_plan(path)
    with db.transaction(user.id, dry_run=dry_run) as session:
        return _run(session, user, read, fiscal_year, unit, dry_run)
