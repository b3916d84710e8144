"""Dialogs of the รับ-ส่งข้อมูล page (ui.sync_page), and the import flow they serve:

- TrustKeyDialog: another office's key file, its fingerprint in large grouped letters, and
  the one question that matters — does it match what that office read out over the phone?
- PackageReportDialog: a package's dry run (what importing it would do, per table) or the
  real import's result; already-imported and stale packages say so and change nothing.
- SyncImportFlow: for each chosen .coopsync file in turn, the dry run in a worker with a
  cancellable progress dialog → the report → on the user's word the real import (worker)
  → its report. A refused package (SyncError) shows its Thai sentence with its code; the
  service wrote nothing then.

The synced tables' labels come from app.services.sync_records (TABLE_LABELS).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHeaderView,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from app.exchange.sync.errors import SyncError
from app.i18n import _, tr
from app.services.sync_import import COUNT_KEYS, ImportReport, TableSummary, import_package
from app.services.sync_records import TABLE_LABELS, table_label
from ui import errors, ops
from ui.formatting import ui_digits
from ui.models.list_model import ListModel
from ui.widgets.list_table import list_table

log = logging.getLogger(__name__)

COUNT_HEADERS = ("เพิ่ม", "ปรับปรุง", "ไม่เปลี่ยน", "ขัดแย้ง", "ปฏิเสธ")  # in COUNT_KEYS order


def table_order(name: str) -> tuple[int, str]:
    order = list(TABLE_LABELS)
    return (order.index(name) if name in order else len(order), name)


def number(n: int) -> str:
    return ui_digits(f"{n:,}")


def seq_list(seqs: Sequence[int]) -> str:
    return ", ".join(number(n) for n in seqs)


def fingerprint_lines(fingerprint: str) -> str:
    """"86E1 F5B9 … 3823" (8 groups) as two lines of four groups, easier to read aloud."""
    groups = fingerprint.split()
    return "\n".join("  ".join(groups[i:i + 4]) for i in range(0, len(groups), 4))


def mono_font(point_size: int | None = None, bold: bool = False) -> QFont:
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    if point_size:
        font.setPointSize(point_size)
    font.setBold(bold)
    return font


def sync_error_text(exc: SyncError, file_name: str = "") -> str:
    """The error's own Thai sentence with its code, e.g. "… ขอแพ็กเกจใหม่ (E_SIGNATURE)"."""
    text = f"{exc.message} ({exc.code})"
    return tr("ไฟล์ {file}: {error}", file=file_name, error=text) if file_name else text


def fit_rows(table, rows: int, most: int) -> None:
    """A short table as tall as its rows (up to `most`, then it scrolls), not a tall empty box."""
    header = table.horizontalHeader().sizeHint().height()
    table.setFixedHeight(header + table.verticalHeader().defaultSectionSize() * min(max(rows, 1), most)
                         + 2 * table.frameWidth() + 2)


def _label(text: str, name: str = "", *, wrap: bool = True) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(wrap)
    label.setTextFormat(Qt.TextFormat.PlainText)
    if name:
        label.setObjectName(name)
    return label


# -- trusting a key ----------------------------------------------------------------------------


class TrustKeyDialog(QDialog):
    """Shows a key file's office and fingerprint and asks whether it matches what that office
    read out over the phone. With `old_fingerprint` the office already has another key: the
    dialog says so plainly (the page then asks a second time before replacing it)."""

    def __init__(self, office_code: str, office_name: str, fingerprint: str, parent: QWidget | None = None,
                 *, old_fingerprint: str | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("ลงทะเบียนกุญแจของสำนักงานอื่น"))
        self.setMinimumWidth(620)
        office = _label(tr("สำนักงาน {code} {name}", code=office_code, name=office_name).strip(), "sectionTitle")
        office.setStyleSheet("font-size: 14pt;")
        self.fingerprint_label = QLabel(fingerprint_lines(fingerprint))
        self.fingerprint_label.setFont(mono_font(22, bold=True))
        self.fingerprint_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.fingerprint_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        frame = QFrame()
        frame.setObjectName("statCard")
        inner = QVBoxLayout(frame)
        inner.setContentsMargins(16, 12, 16, 12)
        inner.addWidget(self.fingerprint_label)

        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(office)
        layout.addWidget(_label(_("ลายนิ้วมือกุญแจ (fingerprint) ในไฟล์นี้")))
        layout.addWidget(frame)
        if old_fingerprint:
            warning = _label(tr("สำนักงานนี้ลงทะเบียนกุญแจไว้แล้ว และกุญแจในไฟล์นี้ไม่ใช่กุญแจเดิม "
                                "เปลี่ยนกุญแจเฉพาะเมื่อสำนักงานนั้นแจ้งว่าสร้างกุญแจใหม่ เช่น เปลี่ยนเครื่องคอมพิวเตอร์\n"
                                "ลายนิ้วมือกุญแจเดิม: {old}", old=old_fingerprint), "returnedBanner")
            layout.addWidget(warning)
        layout.addWidget(_label(_("โทรศัพท์หาสำนักงานนั้น ขอให้เจ้าหน้าที่เปิดหน้ารับ-ส่งข้อมูลแล้วอ่านลายนิ้วมือกุญแจ"
                                  "ของสำนักงานเขา เทียบกับตัวอักษรข้างบนทีละกลุ่ม"), "hint"))
        question = _label(_("ตรงกับที่สำนักงานนั้นแจ้งทางโทรศัพท์หรือไม่"), "sectionTitle")
        layout.addWidget(question)

        buttons = QDialogButtonBox()
        self.trust_button = buttons.addButton(_("ตรงกัน ลงทะเบียนกุญแจ"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = buttons.addButton(_("ไม่ตรง ยกเลิก"), QDialogButtonBox.ButtonRole.RejectRole)
        self.cancel_button.setDefault(True)  # Enter must not trust a key nobody compared
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


# -- what a package does -----------------------------------------------------------------------


def count_rows(tables: dict[str, TableSummary]) -> list[tuple[str, ...]]:
    """One row per table (label, then the counts), then the total."""
    rows = [(table_label(name), *(number(getattr(t, k)) for k in COUNT_KEYS))
            for name, t in sorted(tables.items(), key=lambda item: table_order(item[0]))]
    if len(rows) > 1:
        rows.append((_("รวม"), *(number(sum(getattr(t, k) for t in tables.values())) for k in COUNT_KEYS)))
    return rows


class PackageReportDialog(QDialog):
    """A package's dry run (with can_apply: "นำเข้า" imports it for real) or its import's result."""

    def __init__(self, report: ImportReport, parent: QWidget | None, *, can_apply: bool,
                 office_names: dict[str, str] | None = None) -> None:
        super().__init__(parent)
        self.report = report
        self.setWindowTitle(_("ตรวจแพ็กเกจก่อนนำเข้า") if report.dry_run else _("ผลการนำเข้าแพ็กเกจ"))
        self.resize(820, 560)
        name = (office_names or {}).get(report.source, "")
        source = f"{report.source} {name}".strip()
        layout = QVBoxLayout(self)
        layout.setSpacing(8)
        layout.addWidget(_label(Path(report.file).name, "sectionTitle"))
        layout.addWidget(_label(tr("แพ็กเกจลำดับที่ {seq} จากสำนักงาน {office}", seq=number(report.seq),
                                   office=source)))
        self.status_label = _label(self.status_text(report))
        layout.addWidget(self.status_label)
        if report.missing:
            layout.addWidget(_label(tr("ยังไม่ได้รับแพ็กเกจลำดับที่ {seqs} จากสำนักงานนี้ แต่นำเข้าแพ็กเกจนี้ได้ "
                                       "เพราะมีข้อมูลที่เปลี่ยนแปลงทั้งหมดตั้งแต่แพ็กเกจที่สำนักงานนี้ยืนยันรับแล้ว",
                                       seqs=seq_list(report.missing)), "returnedBanner"))

        self.model = ListModel([_("ข้อมูล"), *(_(h) for h in COUNT_HEADERS)], self, right_aligned=range(1, 6))
        self.model.set_rows(count_rows(report.tables))
        self.reasons_model = ListModel([_("ข้อมูล"), _("รายการ"), _("เหตุผล")], self)
        self.reasons_model.set_rows([(table_label(n), r["record"], r["reason"])
                                     for n, t in sorted(report.tables.items(), key=lambda i: table_order(i[0]))
                                     for r in t.reasons])
        moving = report.status in ("dry_run", "imported")
        if moving and report.tables:
            table = list_table(self.model, (220,))
            header = table.horizontalHeader()
            header.setStretchLastSection(False)
            header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
            for column in range(1, 6):
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
                table.setColumnWidth(column, 92)
            fit_rows(table, self.model.rowCount(), 10)
            layout.addWidget(table)
        elif moving:
            layout.addWidget(_label(_("แพ็กเกจนี้ไม่มีข้อมูลที่เปลี่ยนแปลง"), "hint"))
        if moving and (report.events_appended or report.events_known):
            layout.addWidget(_label(tr("เหตุการณ์อนุมัติ: ใหม่ {new} รายการ มีอยู่แล้ว {old} รายการ",
                                       new=number(report.events_appended), old=number(report.events_known))))
        if moving and report.acknowledged_seq:
            layout.addWidget(_label(tr("สำนักงานต้นทางยืนยันว่าได้รับแพ็กเกจของเราถึงลำดับที่ {seq}",
                                       seq=number(report.acknowledged_seq)), "hint"))
        conflicted = report.totals()["conflicted"]
        if moving and conflicted:
            text = (tr("จะพบข้อมูลขัดแย้ง {n} รายการ หลังนำเข้าโปรดตรวจและตัดสินในแท็บ “ข้อมูลขัดแย้ง”",
                       n=number(conflicted)) if report.dry_run else
                    tr("พบข้อมูลขัดแย้ง {n} รายการ โปรดตรวจและตัดสินในแท็บ “ข้อมูลขัดแย้ง”", n=number(conflicted)))
            layout.addWidget(_label(text, "returnedBanner"))
        if moving and self.reasons_model.rowCount():
            layout.addWidget(_label(tr("รายการที่ถูกปฏิเสธ {n} รายการ (ไม่นำเข้า และเก็บไว้ในแท็บ “ข้อมูลขัดแย้ง”)",
                                       n=number(self.reasons_model.rowCount())), "sectionTitle"))
            reasons = list_table(self.reasons_model, (170, 140))
            layout.addWidget(reasons, 1)
        else:
            layout.addStretch(1)

        buttons = QDialogButtonBox()
        self.apply_button = None
        if can_apply and report.dry_run:
            self.apply_button = buttons.addButton(_("นำเข้า"), QDialogButtonBox.ButtonRole.AcceptRole)
            self.apply_button.setDefault(True)
            buttons.addButton(_("ยกเลิก"), QDialogButtonBox.ButtonRole.RejectRole)
        else:
            buttons.addButton(_("ปิด"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        if not moving:
            self.resize(640, 260)

    @staticmethod
    def status_text(report: ImportReport) -> str:
        if report.status == "dry_run":
            return _("ตรวจแล้ว ยังไม่ได้บันทึกข้อมูลใด ๆ ถ้าผลด้านล่างถูกต้อง กด “นำเข้า” เพื่อนำเข้าจริง")
        if report.status == "imported":
            return _("นำเข้าเรียบร้อยแล้ว")
        if report.status == "already_imported":
            return _("แพ็กเกจนี้นำเข้าไว้แล้ว ไม่ต้องนำเข้าซ้ำ ไม่มีการเปลี่ยนแปลงข้อมูล")
        return _("แพ็กเกจนี้เก่ากว่าแพ็กเกจที่นำเข้าแล้ว จึงไม่มีการเปลี่ยนแปลงข้อมูล "
                 "โปรดใช้แพ็กเกจล่าสุดจากสำนักงานต้นทาง")


# -- the import flow ---------------------------------------------------------------------------


def service_progress(progress: ops.Progress) -> Callable[[int, int], None]:
    """The service's progress(done, total): reports, and stops the work (rolled back) on cancel."""
    def report(done: int, total: int) -> None:
        progress.update(done, total)
        progress.check()
    return report


class SyncImportFlow:
    """The chosen files one after another (by name: source office, then sequence number).

    The page passes itself: it needs `ctx`, `office_names()`, `reload()` and
    `imported(report)` (the tab's list of this session's imports)."""

    report_dialog = PackageReportDialog

    def __init__(self, page, paths: Sequence[str | Path]) -> None:
        self.page = page
        self.queue = sorted((Path(p) for p in paths), key=lambda p: p.name)
        self.many = len(self.queue) > 1
        self.operation: ops.Operation | None = None
        self.reports: list[ImportReport] = []  # the real imports' reports
        self.done = False

    def start(self) -> None:
        self._next()

    def _next(self) -> None:
        if not self.queue:
            self.done = True
            return
        self._run(self.queue.pop(0), dry_run=True)

    def _run(self, path: Path, *, dry_run: bool, expected_hash: str | None = None) -> None:
        db, user = self.page.ctx.db, self.page.ctx.user

        def work(progress: ops.Progress) -> ImportReport:
            return import_package(db, user, path, dry_run=dry_run, progress=service_progress(progress),
                                  expected_hash=expected_hash)

        label = (tr("กำลังตรวจแพ็กเกจ {name}…", name=path.name) if dry_run else
                 tr("กำลังนำเข้าแพ็กเกจ {name}…", name=path.name))
        op = ops.run_op(self.page, work, label=label, on_success=self._checked if dry_run else self._imported,
                        on_failure=lambda exc: self._failed(path, exc))
        op.finished.connect(lambda: self._finished(op))
        self.operation = op

    def _finished(self, op: ops.Operation) -> None:
        if op.cancelled:
            self.queue.clear()  # cancel stops the whole batch
            self.done = True

    def _dialog(self, report: ImportReport, can_apply: bool) -> bool:
        dialog = self.report_dialog(report, self.page, can_apply=can_apply, office_names=self.page.office_names())
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        dialog.deleteLater()
        return accepted

    def _checked(self, report: ImportReport) -> None:
        if report.status == "dry_run" and self._dialog(report, True):
            self._run(Path(report.file), dry_run=False, expected_hash=report.file_hash)  # the file previewed
            return
        if report.status != "dry_run":
            self._dialog(report, False)  # already imported / stale: nothing to do
        self._next()

    def _imported(self, report: ImportReport) -> None:
        self.reports.append(report)
        self.page.imported(report)
        self.page.reload()
        self._dialog(report, False)
        self._next()

    def _failed(self, path: Path, exc: BaseException) -> bool:
        if isinstance(exc, SyncError):
            log.info("package %s refused: %s (%s)", path, exc.code, exc.details)
            errors.show_error(self.page, sync_error_text(exc, path.name if self.many else ""))
        else:
            errors.show_error(self.page, exc)
        self._next()
        return True
