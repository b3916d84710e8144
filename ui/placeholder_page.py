"""A tidy stand-in for a page that a later version of CoopDesk will bring."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from app.i18n import _


class PlaceholderPage(QWidget):
    def __init__(self, title: str, what_it_will_do: str) -> None:
        super().__init__()
        heading = QLabel(title)
        heading.setObjectName("pageTitle")
        soon = QLabel(_("หน้านี้จะมีในรุ่นถัดไปของ CoopDesk"))
        # Written with spaces between phrases, so it wraps even where Qt has no Thai breaker.
        what = QLabel(what_it_will_do)
        what.setWordWrap(True)
        what.setObjectName("hint")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 28, 32, 28)
        layout.addWidget(heading)
        layout.addSpacing(8)
        layout.addWidget(soon)
        layout.addWidget(what)
        layout.addStretch(1)
