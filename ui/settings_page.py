"""ตั้งค่า: this machine's display settings, the working fiscal year, and, for those allowed,
the office's users and its special days. Every change goes through app.services."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.i18n import LANGUAGES, _, tr
from app.rules.permissions import Action
from app.services import calendar, lookups, settings, users
from app.thai import fiscal_year
from ui import errors, messages
from ui.context import AppContext
from ui.formatting import fiscal_year_label, ui_date
from ui.main_window import roles_text
from ui.models.list_model import PAYLOAD_ROLE, ListModel
from ui.user_editor import ResetPasswordDialog, UserEditor
from ui.widgets.buttons import button_row
from ui.widgets.field_errors import FieldErrors
from ui.widgets.thai_date_edit import ThaiDateEdit

YEARS_AROUND = 3  # how many fiscal years before (and one after) the current one to offer


def _table(model: ListModel) -> QTableView:
    table = QTableView()
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().hide()
    table.horizontalHeader().setStretchLastSection(True)
    table.setMinimumHeight(220)
    return table


def _selected_payload(table: QTableView):
    rows = table.selectionModel().selectedRows()
    return rows[0].data(PAYLOAD_ROLE) if rows else None


class SettingsPage(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        title = QLabel(_("ตั้งค่า"))
        title.setObjectName("pageTitle")
        body = QWidget()
        sections = QVBoxLayout(body)
        sections.addWidget(self._display_section())
        self.users_table: QTableView | None = None
        self.days_table: QTableView | None = None
        if ctx.can(Action.USERS_MANAGE):
            sections.addWidget(self._users_section())
        if ctx.can(Action.CALENDAR_EDIT):
            sections.addWidget(self._days_section())
        sections.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 18, 24, 12)
        layout.addWidget(title)
        layout.addWidget(scroll, 1)

    # -- this machine ------------------------------------------------------------------------

    def _display_section(self) -> QGroupBox:
        box = QGroupBox(_("การแสดงผลและปีงบประมาณ"))
        with self.ctx.db.session() as s:
            language = settings.get(s, "language")
            thai_digits = settings.get(s, "print.thai_digits")
            stored_year = settings.get(s, "working_fiscal_year")
        self.language = QComboBox()
        for code, name in LANGUAGES.items():
            self.language.addItem(name, code)
        self.language.setCurrentIndex(self.language.findData(language))
        self.language.currentIndexChanged.connect(self._language_changed)
        self.language_note = QLabel(_("เปลี่ยนภาษาแล้ว จะมีผลเมื่อเปิดโปรแกรมใหม่"))
        self.language_note.setObjectName("hint")
        self.language_note.hide()
        self.thai_digits = QCheckBox(_("ใช้ตัวเลขไทยในเอกสารที่พิมพ์และไฟล์ที่ส่งออก"))
        self.thai_digits.setChecked(thai_digits)
        self.thai_digits.toggled.connect(lambda on: self._put("print.thai_digits", on))
        current = fiscal_year(date.today())
        self.fiscal_year = QComboBox()
        self.fiscal_year.addItem(tr("ปีปัจจุบัน ({year})", year=fiscal_year_label(current)), 0)
        offered = set(range(current - YEARS_AROUND, current + 2)) | ({stored_year} if stored_year else set())
        for year in sorted(offered, reverse=True):
            self.fiscal_year.addItem(fiscal_year_label(year), year)
        self.fiscal_year.setCurrentIndex(max(0, self.fiscal_year.findData(stored_year)))
        self.fiscal_year.currentIndexChanged.connect(self._fiscal_year_changed)
        for combo in (self.language, self.fiscal_year):
            combo.setMaximumWidth(320)
        form = QFormLayout(box)
        form.addRow(_("ภาษาของหน้าจอ"), self.language)
        form.addRow("", self.language_note)
        form.addRow(_("ตัวเลข"), self.thai_digits)
        form.addRow(_("ปีงบประมาณที่ทำงาน"), self.fiscal_year)
        return box

    def _put(self, key: str, value) -> bool:
        try:
            with self.ctx.db.transaction(self.ctx.user.id) as s:
                settings.put(s, self.ctx.user, key, value)
        except Exception as exc:
            errors.show_error(self, exc)
            return False
        return True

    def _language_changed(self) -> None:
        # The catalog is loaded once at start; switching every open page live is not worth
        # the complexity for a setting changed once per installation.
        if self._put("language", self.language.currentData()):
            self.language_note.show()

    def _fiscal_year_changed(self) -> None:
        if self._put("working_fiscal_year", self.fiscal_year.currentData()):
            with self.ctx.db.session() as s:
                self.ctx.set_fiscal_year(lookups.working_fiscal_year(s))

    # -- users (admins) ----------------------------------------------------------------------

    def _users_section(self) -> QGroupBox:
        box = QGroupBox(_("ผู้ใช้ของสำนักงาน"))
        self.users_model = ListModel([_("ชื่อผู้ใช้"), _("ชื่อ-สกุล"), _("ตำแหน่ง"), _("กลุ่ม"), _("บทบาท"), _("สถานะ")], self)
        self.users_table = _table(self.users_model)
        self.users_table.doubleClicked.connect(lambda _index: self.edit_user())
        layout = QVBoxLayout(box)
        layout.addLayout(button_row((_("เพิ่มผู้ใช้…"), self.add_user), (_("แก้ไข…"), self.edit_user),
                                    (_("ตั้งรหัสผ่านใหม่…"), self.reset_password)))
        layout.addWidget(self.users_table)
        self.reload_users()
        return box

    def reload_users(self) -> None:
        with self.ctx.db.session() as s:
            people = users.list_users(s, self.ctx.user, include_inactive=True)
            rows = [(u.login, u.full_name, u.position, u.group.name if u.group else "", roles_text(u.roles),
                     _("ใช้งาน") if u.active else _("ปิดใช้งาน")) for u in people]
            payloads = [(u.id, u.full_name) for u in people]
        self.users_model.set_rows(rows, payloads)
        self.users_table.resizeColumnsToContents()

    def add_user(self) -> None:
        self._run_user_dialog(UserEditor(self.ctx, None, self))

    def edit_user(self) -> None:
        chosen = _selected_payload(self.users_table)
        if chosen is not None:
            self._run_user_dialog(UserEditor(self.ctx, chosen[0], self))

    def reset_password(self) -> None:
        chosen = _selected_payload(self.users_table)
        if chosen is not None:
            self._run_user_dialog(ResetPasswordDialog(self.ctx, chosen[0], chosen[1], self))

    def _run_user_dialog(self, dialog: QDialog) -> None:
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.reload_users()
        dialog.deleteLater()

    # -- special days (clerks, admins) -------------------------------------------------------

    def _days_section(self) -> QGroupBox:
        box = QGroupBox(_("วันหยุดพิเศษและวันทำงานชดเชย"))
        hint = QLabel(_("ใช้นับวันทำการของกำหนดส่งงาน นอกเหนือจากวันหยุดราชการที่โปรแกรมรู้อยู่แล้ว"))
        hint.setObjectName("hint")
        hint.setWordWrap(True)
        self.days_model = ListModel([_("วันที่"), _("ชื่อ"), _("ชนิด")], self)
        self.days_table = _table(self.days_model)
        self.days_table.setColumnWidth(0, 220)
        self.days_table.setColumnWidth(1, 360)
        layout = QVBoxLayout(box)
        layout.addWidget(hint)
        layout.addLayout(button_row((_("เพิ่มวันหยุด…"), lambda: self.add_day("holiday")),
                                    (_("เพิ่มวันทำงาน…"), lambda: self.add_day("workday")),
                                    (_("ลบ"), self.remove_day)))
        layout.addWidget(self.days_table)
        self.reload_days()
        return box

    def reload_days(self) -> None:
        with self.ctx.db.session() as s:
            days = calendar.list_special_days(s)
        self.days_model.set_rows([(ui_date(d.day, "long"), d.name, _(calendar.KINDS[d.kind])) for d in days],
                                 [(d.id, d.day, d.name) for d in days])

    def add_day(self, kind: str) -> None:
        dialog = SpecialDayDialog(self.ctx, kind, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.reload_days()
        dialog.deleteLater()

    def remove_day(self) -> None:
        chosen = _selected_payload(self.days_table)
        if chosen is None:
            return
        day_id, day, name = chosen
        if not messages.confirm(self, tr("ลบวันพิเศษ {day} {name}?", day=ui_date(day, "long"), name=name), _("ลบ")):
            return
        try:
            with self.ctx.db.transaction(self.ctx.user.id) as s:
                calendar.remove_special_day(s, self.ctx.user, day_id)
        except Exception as exc:
            errors.show_error(self, exc)
            return
        self.reload_days()


class SpecialDayDialog(QDialog):
    def __init__(self, ctx: AppContext, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.kind = ctx, kind
        self.setWindowTitle(_(calendar.KINDS[kind]))
        self.setMinimumWidth(480)
        self.errors = FieldErrors()
        self.day = ThaiDateEdit()
        self.name = QLineEdit()
        self.name.setPlaceholderText(_("เช่น วันหยุดราชการเพิ่มเป็นกรณีพิเศษ") if kind == "holiday"
                                     else _("เช่น ทำงานชดเชยวันหยุด"))
        form = QFormLayout()
        form.addRow(_("วันที่"), self.errors.wrap("day", self.day))
        form.addRow(_("ชื่อ"), self.errors.wrap("name", self.name, "kind"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("เพิ่ม"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("ยกเลิก"))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons, alignment=Qt.AlignmentFlag.AlignRight)

    def save(self) -> None:
        self.errors.clear()
        try:
            day = self.day.date()
        except ValueError as exc:
            self.errors.show("day", str(exc))
            return
        if day is None:
            self.errors.show("day", _("ต้องระบุวันที่"))
            return
        try:
            with self.ctx.db.transaction(self.ctx.user.id) as s:
                calendar.add_special_day(s, self.ctx.user, day, self.name.text(), self.kind)
        except Exception as exc:
            if not self.errors.show_validation(exc):
                errors.show_error(self, exc)
            return
        self.accept()
