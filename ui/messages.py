"""The few standard message boxes, in one place so every page words and lays them out alike
(and tests can replace them instead of clicking modal dialogs)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from app.i18n import _


def _box(parent: QWidget | None, icon: QMessageBox.Icon, text: str) -> QMessageBox:
    # No insert_zwsp here: its dictionary takes ~0.75 s to load, too long to hold up a
    # message. Our sentences put spaces between phrases, where Qt breaks lines anyway.
    box = QMessageBox(icon, "CoopDesk", text, QMessageBox.StandardButton.NoButton, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    return box


def warn(parent: QWidget | None, text: str) -> None:
    box = _box(parent, QMessageBox.Icon.Warning, text)
    box.addButton(_("ตกลง"), QMessageBox.ButtonRole.AcceptRole)
    box.exec()


def inform(parent: QWidget | None, text: str) -> None:
    box = _box(parent, QMessageBox.Icon.Information, text)
    box.addButton(_("ตกลง"), QMessageBox.ButtonRole.AcceptRole)
    box.exec()


def confirm(parent: QWidget | None, text: str, ok_text: str) -> bool:
    """Ask before something that cannot be undone from this screen; Cancel is the default."""
    box = _box(parent, QMessageBox.Icon.Question, text)
    ok = box.addButton(ok_text, QMessageBox.ButtonRole.AcceptRole)
    cancel = box.addButton(_("ยกเลิก"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(cancel)
    box.exec()
    return box.clickedButton() is ok

