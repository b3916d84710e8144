"""Fonts and the few style rules shared by every window.

Sarabun is bundled (resources/fonts, SIL OFL) because the machines in the offices may have
no Thai font, or one that draws tone marks badly; every widget uses it through the app font.
"""

from __future__ import annotations

import logging

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from app.paths import fonts_dir

log = logging.getLogger(__name__)
FAMILY = "Sarabun"
POINT_SIZE = 11  # Sarabun's Thai glyphs read small; 11 pt matches ~10 pt of a Latin UI font
SIDEBAR_ROW_HEIGHT = 40  # set on the items: QSS item padding does not resize QListWidget rows

STYLE = """
QListWidget#sidebar { background: #1f3a5f; color: #e8eef6; border: none; outline: none; }
QListWidget#sidebar::item { padding-left: 14px; border-left: 4px solid transparent; }
QListWidget#sidebar::item:hover { background: #2b4c77; }
QListWidget#sidebar::item:selected { background: #f4f6fa; color: #1f3a5f; border-left: 4px solid #e0a526; }
QLabel#pageTitle { font-size: 17pt; font-weight: 600; color: #1f3a5f; }
QLabel#sectionTitle { font-weight: 600; }
QLabel#statValue { font-size: 22pt; font-weight: 600; color: #1f3a5f; }
QLabel#hint { color: #555; }
QLabel#fieldError { color: #b00020; }
QLabel#returnedBanner { background: #fff4e5; border: 1px solid #e0a526; border-radius: 6px; padding: 8px 12px; }
QFrame#statCard { background: white; border: 1px solid #d5dbe5; border-radius: 6px; }
"""


def load_fonts() -> None:
    """Register the bundled TTFs with Qt (a missing file is logged, Qt then falls back)."""
    for path in sorted(fonts_dir().glob("*.ttf")):
        if QFontDatabase.addApplicationFont(str(path)) < 0:
            log.warning("font %s could not be loaded", path)


def apply(app: QApplication) -> None:
    load_fonts()
    font = QFont(FAMILY, POINT_SIZE)
    font.setStyleStrategy(QFont.StyleStrategy.PreferAntialias)
    app.setFont(font)
    app.setStyleSheet(STYLE)
