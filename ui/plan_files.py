"""The open plan to and from files: export to Excel, print to PDF, import from Excel (a dry
run and its report first, then the real import). All of it runs through ui.ops in a worker
thread with its own session. The services (app.services.plan_exchange, plan_print) are
imported inside the work, so openpyxl and reportlab stay off the start-up path."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog, QFileDialog, QLabel, QVBoxLayout

from app.i18n import _, tr
from app.services import settings
from ui import messages, ops
from ui.formatting import ui_digits
from ui.models.list_model import ListModel
from ui.plan_dialogs import dialog_buttons
from ui.widgets.list_table import list_table

if TYPE_CHECKING:
    from ui.plan_page import PlanPage


def _save_path(page: PlanPage, title: str, default_name: str, file_filter: str, suffix: str) -> Path | None:
    path, _chosen = QFileDialog.getSaveFileName(page, title, str(Path.home() / default_name), file_filter)
    if not path:
        return None
    return Path(path) if path.lower().endswith(suffix) else Path(path + suffix)


def _file_stem(page: PlanPage) -> str:
    plan = page.current
    return tr("แผนปฏิบัติงาน-{group}-{year}", group=plan.group_name.replace(" ", ""), year=plan.fiscal_year)


def _to_file(page: PlanPage, *, title: str, suffix: str, file_filter: str, label: str,
             write: Callable[..., object], done: Callable[[object, Path], str]) -> ops.Operation | None:
    """Ask where, then write the open plan's group and year there in the background."""
    plan = page.current
    target = plan and _save_path(page, title, _file_stem(page) + suffix, file_filter, suffix)
    if not target:
        return None
    ctx, plan_id = page.ctx, plan.id

    def work(_progress: ops.Progress):
        with ctx.db.session() as s:
            return write(s, ctx.user, plan_id, target)

    return ops.run_op(page, work, label=label, cancellable=False,
                      on_success=lambda result: messages.inform(page, done(result, target)))


def export_excel(page: PlanPage) -> ops.Operation | None:
    def write(s, user, plan_id: str, target: Path):
        from app.services import plan_exchange  # openpyxl: loaded when first used

        return plan_exchange.export_plan(s, user, plan_id, target)

    return _to_file(page, title=_("ส่งออกแผนเป็น Excel"), suffix=".xlsx", file_filter=_("ไฟล์ Excel (*.xlsx)"),
                    label=_("กำลังบันทึกไฟล์ Excel…"), write=write,
                    done=lambda path, _target: tr("บันทึกแผนลงไฟล์ {path} แล้ว", path=path))


def print_pdf(page: PlanPage) -> ops.Operation | None:
    def write(s, user, plan_id: str, target: Path):
        from app.services import plan_print  # reportlab and the word breaker: loaded when first used

        return plan_print.print_plan(s, user, plan_id, target, thai_digits=settings.get(s, "print.thai_digits"))

    return _to_file(page, title=_("พิมพ์แผนเป็น PDF"), suffix=".pdf", file_filter=_("ไฟล์ PDF (*.pdf)"),
                    label=_("กำลังจัดทำไฟล์ PDF…"), write=write,
                    done=lambda pages, target: tr("บันทึกแผน {pages} หน้าลงไฟล์ {path} แล้ว พร้อมพิมพ์",
                                                  pages=ui_digits(pages), path=target))


class PlanImportReportDialog(QDialog):
    """What the import did, or for a dry run would do: the service's summary, its notes,
    and every finding with its place in the file."""

    def __init__(self, report, parent, *, can_apply: bool) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("ผลการตรวจไฟล์แผน") if report.dry_run else _("ผลการนำเข้าแผน"))
        self.resize(900, 520)
        # The report's own lines without the indented per-finding ones the table shows.
        summary = QLabel("\n".join(line for line in report.text_lines() if not line.startswith("  ")))
        summary.setWordWrap(True)
        self.model = ListModel([_("ตำแหน่งในไฟล์"), _("ข้อสังเกต")], self)
        self.model.set_rows([(place, f.message()) for f, place in zip(report.findings, report.places, strict=True)])
        table = list_table(self.model, (170,))
        buttons, _apply = dialog_buttons(self, _("นำเข้า") if can_apply and report.ok else None)
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        if report.notes:
            notes = QLabel("\n".join(report.notes))
            notes.setWordWrap(True)
            notes.setObjectName("hint")
            layout.addWidget(notes)
        layout.addWidget(table, 1)
        layout.addWidget(buttons)


class PlanImportFlow:
    """Dry run → its report → the real import → its report → the page shows the plan."""

    def __init__(self, page: PlanPage, path: Path) -> None:
        self.page, self.path = page, path
        plan = page.current
        # Into the open plan's group and year; with none open, the file says which.
        self.fiscal_year = plan.fiscal_year if plan else None
        self.unit = plan.group_name if plan else None
        self.operation: ops.Operation | None = None

    def _run(self, dry_run: bool) -> ops.Operation:
        ctx, path, year, unit = self.page.ctx, self.path, self.fiscal_year, self.unit

        def work(_progress: ops.Progress):
            from app.services import plan_exchange  # openpyxl: loaded when first used

            return plan_exchange.import_xlsx(ctx.db, ctx.user, path, fiscal_year=year, unit=unit, dry_run=dry_run)

        label = tr("กำลังตรวจไฟล์ {name}…", name=path.name) if dry_run else tr("กำลังนำเข้า {name}…", name=path.name)
        self.operation = ops.run_op(self.page, work, label=label, cancellable=False,
                                    on_success=self._checked if dry_run else self._imported)
        return self.operation

    def start(self) -> ops.Operation:
        return self._run(dry_run=True)

    def _checked(self, report) -> None:
        dialog = PlanImportReportDialog(report, self.page, can_apply=True)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        dialog.deleteLater()
        if accepted:
            self._run(dry_run=False)

    def _imported(self, report) -> None:
        self.page.reload(open_match=(report.group, report.fiscal_year, report.revision))
        dialog = PlanImportReportDialog(report, self.page, can_apply=False)
        dialog.exec()
        dialog.deleteLater()


def import_excel(page: PlanPage) -> PlanImportFlow | None:
    if not page.may_leave():
        return None
    path, _chosen = QFileDialog.getOpenFileName(page, _("นำเข้าแผนจาก Excel"), "", _("ไฟล์ Excel (*.xlsx)"))
    if not path:
        return None
    flow = PlanImportFlow(page, Path(path))
    flow.start()
    return flow
