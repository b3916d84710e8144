"""Validation messages shown under the field they are about.

Services raise ValidationError(message, field=...); a form maps that field name to its
widget, shows the sentence right below it and puts the cursor there. Nothing typed is lost.
A field may carry a grey hint (e.g. the password policy) that the error takes the place of.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from app.errors import ValidationError


@dataclass
class _Field:
    widget: QWidget
    error: QLabel
    hint: QLabel | None


class FieldErrors:
    def __init__(self) -> None:
        self._fields: dict[str, _Field] = {}

    def wrap(self, field: str, widget: QWidget, *aliases: str, hint: str = "") -> QWidget:
        """The widget with a hidden error line under it; `aliases` are other names the
        services use for the same input (e.g. out_of_scope for the strength class)."""
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(widget)
        error = QLabel()
        error.setObjectName("fieldError")
        error.setWordWrap(True)
        error.hide()
        layout.addWidget(error)
        hint_label = None
        if hint:
            hint_label = QLabel(hint)
            hint_label.setObjectName("hint")
            hint_label.setWordWrap(True)
            layout.addWidget(hint_label)
        entry = _Field(widget, error, hint_label)
        for name in (field, *aliases):
            self._fields[name] = entry
        return box

    def has(self, field: str | None) -> bool:
        return (field or "") in self._fields

    def message(self, field: str) -> str:
        """The message shown for a field ("" when none): what tests and screen readers read."""
        entry = self._fields.get(field)
        return entry.error.text() if entry and not entry.error.isHidden() else ""

    def show(self, field: str | None, message: str) -> bool:
        """Show the message under its field; False if no field here has that name."""
        entry = self._fields.get(field or "")
        if entry is None:
            return False
        entry.error.setText(message)
        entry.error.show()
        if entry.hint is not None:
            entry.hint.hide()
        entry.widget.setFocus()
        return True

    def show_validation(self, exc: BaseException) -> bool:
        return isinstance(exc, ValidationError) and self.show(exc.field, exc.message)

    def clear(self) -> None:
        for entry in self._fields.values():
            entry.error.clear()
            entry.error.hide()
            if entry.hint is not None:
                entry.hint.show()
