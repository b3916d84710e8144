"""A row of push buttons aligned to the left, as the settings sections use them."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QHBoxLayout, QPushButton


def button_row(*actions: tuple[str, Callable[[], object]]) -> QHBoxLayout:
    """Buttons with their click handlers, left to right, then free space."""
    row = QHBoxLayout()
    for text, slot in actions:
        button = QPushButton(text)
        button.clicked.connect(lambda _checked=False, slot=slot: slot())
        row.addWidget(button)
    row.addStretch(1)
    return row
