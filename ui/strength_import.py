"""Importing the central office's strength classification (ผลการจัดระดับชั้นความเข้มแข็ง) from
Excel: choose the file and the fiscal year, check it in a worker (dry run), show the report
— with the rows whose computed class differs from the published one — and import on the
user's word. The flow and the report dialog are the registry import's (ui/import_dialog.py)
through their hooks.

This module loads openpyxl (through ui.import_dialog), so a page imports it only when the
user asks for an import, e.g.:

    from ui.strength_import import import_strength_file
    import_strength_file(self, self.ctx)
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QDialog, QFileDialog, QInputDialog, QWidget

from app.i18n import _
from app.services.strength_import import StrengthImportReport, StrengthRowResult
from ui import ops
from ui.context import AppContext
from ui.formatting import fiscal_year_label
from ui.import_dialog import ImportFlow, ImportReportDialog

FROM_FILE = "ตามที่ระบุในไฟล์"
YEARS_BACK = 4  # the years offered below the working year (the sheet comes after the year ends)


class StrengthReportDialog(ImportReportDialog):
    """The registry's report dialog; the table also lists unchanged rows worth a look: those
    whose computed class differs from the published one, or with a warning."""

    def __init__(self, report: StrengthImportReport, parent: QWidget | None, *, can_apply: bool) -> None:
        super().__init__(report, parent, can_apply=can_apply)
        self.setWindowTitle(_("ผลการตรวจไฟล์ระดับชั้นความเข้มแข็ง") if report.dry_run
                            else _("ผลการนำเข้าระดับชั้นความเข้มแข็ง"))

    @staticmethod
    def shown_rows(report: StrengthImportReport) -> list[StrengthRowResult]:
        rows = (r for r in report.rows if r.status != "unchanged" or r.note)
        return sorted(rows, key=lambda r: (r.status != "rejected", not r.difference, r.row))

    @staticmethod
    def detail(row: StrengthRowResult) -> str:
        return " · ".join(filter(None, (ImportReportDialog.detail(row), row.note)))


class StrengthImportFlow(ImportFlow):
    """Dry run → report → import → report → `on_imported` (the page reloads)."""

    report_dialog = StrengthReportDialog

    def __init__(self, parent: QWidget, ctx: AppContext, path: Path, fiscal_year: int | None,
                 on_imported: Callable[[], None] | None = None) -> None:
        super().__init__(parent, path)
        self.ctx, self.fiscal_year, self.on_imported = ctx, fiscal_year, on_imported

    def import_work(self, dry_run: bool) -> Callable[[ops.Progress], StrengthImportReport]:
        ctx, path, year = self.ctx, self.path, self.fiscal_year

        def work(progress: ops.Progress) -> StrengthImportReport:
            from app.services import strength_import

            return strength_import.import_file(ctx.db, ctx.user, path, fiscal_year=year, dry_run=dry_run,
                                               progress=progress.update, cancelled=lambda: progress.cancelled)

        return work

    def after_import(self) -> None:
        if self.on_imported is not None:
            self.on_imported()


def ask_year(parent: QWidget | None, working_year: int) -> tuple[bool, int | None]:
    """(accepted, year): None means the year the sheet's title states (the service refuses a
    sheet that states none, saying so)."""
    years = list(range(working_year + 1, working_year - YEARS_BACK - 1, -1))
    items = [_(FROM_FILE), *(fiscal_year_label(y) for y in years)]
    dialog = QInputDialog(parent)
    dialog.setWindowTitle(_("นำเข้าผลการจัดระดับชั้นความเข้มแข็ง"))
    dialog.setLabelText(_("ผลการจัดระดับชั้นในไฟล์เป็นของปีงบประมาณ"))
    dialog.setComboBoxItems(items)
    dialog.setComboBoxEditable(False)
    dialog.setOkButtonText(_("ตรวจไฟล์"))
    dialog.setCancelButtonText(_("ยกเลิก"))
    accepted = dialog.exec() == QDialog.DialogCode.Accepted
    chosen = dialog.textValue()
    dialog.deleteLater()
    if not accepted:
        return False, None
    index = items.index(chosen) if chosen in items else 0
    return True, None if index == 0 else years[index - 1]


def import_strength_file(parent: QWidget, ctx: AppContext, *,
                         on_imported: Callable[[], None] | None = None) -> StrengthImportFlow | None:
    """Ask for the sheet and its year, then run the flow; returns it (tests follow it), or
    None when the user cancelled. After a real import `on_imported` runs — by default the
    parent page's `reload`, if it has one."""
    path, _filter = QFileDialog.getOpenFileName(parent, _("นำเข้าผลการจัดระดับชั้นจาก Excel"), "",
                                                _("ไฟล์ Excel (*.xlsx)"))
    if not path:
        return None
    accepted, year = ask_year(parent, ctx.fiscal_year)
    if not accepted:
        return None
    if on_imported is None:
        on_imported = getattr(parent, "reload", None)
    flow = StrengthImportFlow(parent, ctx, Path(path), year, on_imported)
    flow.start()
    return flow
