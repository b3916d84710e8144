"""Dialogs an administrator uses for the office's users: add/edit a user, set a new password."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _, tr
from app.rules.permissions import ROLE_LABELS, Role
from app.services import auth, users
from ui import errors
from ui.context import AppContext
from ui.widgets.field_errors import FieldErrors


def _buttons(dialog: QDialog, ok_text: str) -> QDialogButtonBox:
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
    buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("ยกเลิก"))
    buttons.rejected.connect(dialog.reject)
    return buttons


class UserEditor(QDialog):
    """A new user (with a first password) or an existing one (`user_id`)."""

    def __init__(self, ctx: AppContext, user_id: str | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.user_id = ctx, user_id
        self.setWindowTitle(_("เพิ่มผู้ใช้") if user_id is None else _("แก้ไขผู้ใช้"))
        self.setMinimumWidth(520)
        self.errors = FieldErrors()
        with ctx.db.session() as s:
            groups = users.list_groups(s)
            current = next((u for u in users.list_users(s, ctx.user, include_inactive=True) if u.id == user_id), None)
            data = users.UserData(current.login, current.full_name, current.position, current.group_id,
                                  current.roles, current.active) if current else users.UserData("", "")

        self.login = QLineEdit(data.login)
        self.full_name = QLineEdit(data.full_name)
        self.position = QLineEdit(data.position)
        self.group = QComboBox()
        self.group.addItem(_("— ไม่สังกัดกลุ่ม —"), None)
        for g in groups:
            self.group.addItem(g.name, g.id)
        self.group.setCurrentIndex(max(0, self.group.findData(data.group_id)))
        roles_box = QWidget()
        roles_layout = QVBoxLayout(roles_box)
        roles_layout.setContentsMargins(0, 0, 0, 0)
        self.role_checks: dict[Role, QCheckBox] = {}
        for role in Role:
            check = QCheckBox(_(ROLE_LABELS[role]))
            check.setChecked(role.value in data.roles)
            roles_layout.addWidget(check)
            self.role_checks[role] = check
        self.active = QCheckBox(_("ใช้งานได้"))
        self.active.setChecked(data.active)

        form = QFormLayout()
        form.addRow(_("ชื่อผู้ใช้"), self.errors.wrap("login", self.login))
        form.addRow(_("ชื่อ-สกุล"), self.errors.wrap("full_name", self.full_name))
        form.addRow(_("ตำแหน่ง"), self.position)
        form.addRow(_("กลุ่ม"), self.errors.wrap("group_id", self.group))
        form.addRow(_("บทบาท"), self.errors.wrap("roles", roles_box))
        form.addRow(_("สถานะ"), self.active)
        self.password = self.confirm = None
        if user_id is None:
            self.password, self.confirm = QLineEdit(), QLineEdit()
            for edit in (self.password, self.confirm):
                edit.setEchoMode(QLineEdit.EchoMode.Password)
            policy = tr("รหัสผ่านต้องยาวอย่างน้อย {n} ตัวอักษร", n=auth.MIN_PASSWORD_LENGTH)
            form.addRow(_("รหัสผ่านแรก"), self.errors.wrap("password", self.password, hint=policy))
            form.addRow(_("ยืนยันรหัสผ่าน"), self.errors.wrap("confirm", self.confirm))
        buttons = _buttons(self, _("บันทึก"))
        buttons.accepted.connect(self.save)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def data(self) -> users.UserData:
        return users.UserData(
            login=self.login.text(), full_name=self.full_name.text(), position=self.position.text(),
            group_id=self.group.currentData(),
            roles=frozenset(r.value for r, check in self.role_checks.items() if check.isChecked()),
            active=self.active.isChecked(),
        )

    def save(self) -> None:
        self.errors.clear()
        if self.password is not None and self.password.text() != self.confirm.text():
            self.errors.show("confirm", _("รหัสผ่านทั้งสองช่องไม่ตรงกัน"))
            return
        try:
            with self.ctx.db.transaction(self.ctx.user.id) as s:
                if self.user_id is None:
                    self.user_id = users.create_user(s, self.ctx.user, self.data(), self.password.text()).id
                else:
                    users.update_user(s, self.ctx.user, self.user_id, self.data())
        except Exception as exc:
            if not self.errors.show_validation(exc):
                errors.show_error(self, exc)
            return
        self.accept()


class ResetPasswordDialog(QDialog):
    """The admin sets a new password; the user must change it at the next login."""

    def __init__(self, ctx: AppContext, user_id: str, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.user_id = ctx, user_id
        self.setWindowTitle(_("ตั้งรหัสผ่านใหม่"))
        self.setMinimumWidth(480)
        self.errors = FieldErrors()
        self.password, self.confirm = QLineEdit(), QLineEdit()
        for edit in (self.password, self.confirm):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        intro = QLabel(tr("ตั้งรหัสผ่านใหม่ให้ {name} ผู้ใช้จะต้องเปลี่ยนรหัสผ่านเมื่อเข้าระบบครั้งถัดไป", name=name))
        intro.setWordWrap(True)
        policy = tr("รหัสผ่านต้องยาวอย่างน้อย {n} ตัวอักษร", n=auth.MIN_PASSWORD_LENGTH)
        form = QFormLayout()
        form.addRow(_("รหัสผ่านใหม่"), self.errors.wrap("password", self.password, hint=policy))
        form.addRow(_("ยืนยันรหัสผ่าน"), self.errors.wrap("confirm", self.confirm))
        buttons = _buttons(self, _("ตั้งรหัสผ่าน"))
        buttons.accepted.connect(self.save)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def save(self) -> None:
        self.errors.clear()
        if self.password.text() != self.confirm.text():
            self.errors.show("confirm", _("รหัสผ่านทั้งสองช่องไม่ตรงกัน"))
            return
        try:
            with self.ctx.db.transaction(self.ctx.user.id) as s:
                auth.reset_password(s, self.ctx.user, self.user_id, self.password.text())
        except Exception as exc:
            if not self.errors.show_validation(exc):
                errors.show_error(self, exc)
            return
        self.accept()
