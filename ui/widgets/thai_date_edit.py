"""A date field in the Buddhist era, as the offices write dates.

QDateEdit cannot show BE years (its display format only knows the Gregorian year), so
this is a line edit that reads what people type ("25/10/2567", "๒๕/๑๐/๒๕๖๗",
"25 ต.ค. 67", ISO) with app.thai.parse_date and shows the long Thai date beside it, so a
slip (a CE year, day and month swapped) is seen before saving.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QWidget

from app.i18n import _
from app.thai import BE_OFFSET, parse_date
from ui.formatting import ui_date


class ThaiDateEdit(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = QLineEdit()
        self.edit.setPlaceholderText(_("วว/ดด/ปปปป"))
        self.edit.setFixedWidth(140)
        self.shown = QLabel()
        self.shown.setObjectName("hint")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit)
        layout.addWidget(self.shown, 1)
        self.setFocusProxy(self.edit)
        self.edit.textChanged.connect(self._show_reading)
        self._show_reading()

    def text(self) -> str:
        return self.edit.text()

    def setText(self, text: str) -> None:  # noqa: N802 - reads like the Qt widgets beside it
        self.edit.setText(text)

    def date(self) -> date | None:
        """The date typed, None when empty; ValueError (a Thai sentence) when unreadable."""
        text = self.edit.text().strip()
        return parse_date(text) if text else None

    def set_date(self, value: date | None) -> None:
        self.edit.setText("" if value is None else f"{value.day}/{value.month}/{value.year + BE_OFFSET}")

    def _show_reading(self) -> None:
        try:
            value = self.date()
        except ValueError:
            self.shown.setText(_("อ่านวันที่ไม่ได้ พิมพ์เช่น 25/10/2567"))
            return
        self.shown.setText(ui_date(value, "long") if value else _("ปี พ.ศ. เช่น 25/10/2567"))
