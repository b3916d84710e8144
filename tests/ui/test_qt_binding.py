"""Guards against a Qt binding that corrupts the interpreter.

PySide6 6.12.0 on Python 3.11 returns None from void methods without a new reference: each
call steals one, and after a few thousand calls CPython aborts ("deallocating None"). The
pinned release (6.11.3) does not; this test stops an upgrade to a release that does.
"""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QLabel


def test_void_calls_do_not_steal_references_to_none(qtbot):
    label = QLabel()
    qtbot.addWidget(label)
    before = sys.getrefcount(None)
    for _ in range(1000):
        label.setText("ที่")
    assert sys.getrefcount(None) - before > -10
