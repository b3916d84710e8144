"""Importing an Excel list: a dry run first, its report, then (if the user agrees) the real
import. Both run in a worker thread through ui.ops with a cancellable progress dialog; the
service rolls everything back when cancelled.

The strength import (ui/strength_import.py) reuses both classes through their hooks:
`shown_rows` / `detail` of the dialog, `import_work` / `after_import` of the flow.

This module loads openpyxl (through the import service), so the registry page imports it
only when the user asks for an import."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _, tr
from app.services.registry_import import STATUS_LABELS, ImportCancelled, ImportReport, import_file
from ui import ops
from ui.models.list_model import ListModel


class ImportReportDialog(QDialog):
    """What the import did (or, for a dry run, would do): the service's summary, then every
    row that is not unchanged — refused rows first, with their row number in the file and
    the reason. With `can_apply` it asks whether to import the rows that passed."""

    def __init__(self, report: ImportReport, parent: QWidget | None, *, can_apply: bool) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("ผลการตรวจไฟล์") if report.dry_run else _("ผลการนำเข้า"))
        self.resize(900, 560)
        counts = report.counts
        # The report's own lines, without the per-row ones (indented) that the table shows.
        summary = QLabel("\n".join(line for line in report.text_lines()
                                    if not line.startswith(" ") and not line.endswith(":")))
        summary.setWordWrap(True)
        shown = self.shown_rows(report)
        self.model = ListModel([_("แถว"), _("เลขทะเบียน"), _("ชื่อ"), _("ผล"), _("รายละเอียด")], self,
                               right_aligned=(0,))
        self.model.set_rows([(str(r.row), r.reg_no, r.name, _(STATUS_LABELS[r.status]), self.detail(r))
                             for r in shown])
        table = QTableView()
        table.setModel(self.model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.verticalHeader().hide()
        table.horizontalHeader().setStretchLastSection(True)
        table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        for column, width in ((1, 120), (2, 260), (3, 90)):
            table.setColumnWidth(column, width)

        buttons = QDialogButtonBox()
        to_apply = counts["inserted"] + counts["updated"]
        if can_apply and to_apply:
            apply = buttons.addButton(tr("นำเข้า {n} รายการ", n=f"{to_apply:,}"), QDialogButtonBox.ButtonRole.AcceptRole)
            apply.setDefault(True)
            buttons.addButton(_("ยกเลิก"), QDialogButtonBox.ButtonRole.RejectRole)
        else:
            buttons.addButton(_("ปิด"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        if counts["rejected"]:
            layout.addWidget(QLabel(tr("รายการที่ไม่ผ่าน {n} รายการ (จะไม่ถูกนำเข้า)", n=f"{counts['rejected']:,}")))
        layout.addWidget(table, 1)
        layout.addWidget(buttons)

    @staticmethod
    def shown_rows(report: ImportReport) -> list:
        """The rows the table lists: every row that is not unchanged, refused ones first."""
        return sorted((r for r in report.rows if r.status != "unchanged"),
                      key=lambda r: (r.status != "rejected", r.row))

    @staticmethod
    def detail(row) -> str:
        return row.reason or ", ".join(row.changes)


class ImportFlow:
    """Dry run → report → real import → report → reload the page."""

    report_dialog = ImportReportDialog

    def __init__(self, page, path: Path) -> None:
        self.page, self.path = page, path
        self.operation: ops.Operation | None = None

    def import_work(self, dry_run: bool) -> Callable[[ops.Progress], ImportReport]:
        """The service call for the worker thread, built here on the GUI thread."""
        ctx, path = self.page.ctx, self.path
        return lambda progress: import_file(ctx.db, ctx.user, path, dry_run=dry_run, progress=progress.update,
                                            cancelled=lambda: progress.cancelled)

    def after_import(self) -> None:
        self.page.reload()

    def _run(self, dry_run: bool) -> ops.Operation:
        call, path = self.import_work(dry_run), self.path

        def work(progress: ops.Progress) -> ImportReport:
            try:
                return call(progress)
            except ImportCancelled as exc:
                raise ops.Cancelled from exc

        label = tr("กำลังตรวจไฟล์ {name}…", name=path.name) if dry_run else tr("กำลังนำเข้า {name}…", name=path.name)
        on_success = self._checked if dry_run else self._imported
        self.operation = ops.run_op(self.page, work, label=label, on_success=on_success)
        return self.operation

    def start(self) -> ops.Operation:
        return self._run(dry_run=True)

    def _checked(self, report: ImportReport) -> None:
        dialog = self.report_dialog(report, self.page, can_apply=True)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        dialog.deleteLater()
        if accepted:
            self._run(dry_run=False)

    def _imported(self, report: ImportReport) -> None:
        self.after_import()
        dialog = self.report_dialog(report, self.page, can_apply=False)
        dialog.exec()
        dialog.deleteLater()
