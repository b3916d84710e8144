"""Start the window: fonts, crash handler, database, first-run wizard, login, main window.

Kept lean on purpose: a benchmark times process start → main window painted, so the
heavy libraries (openpyxl, reportlab, pythainlp) are imported only where they are used.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QDialog

from app import __version__
from app.bootstrap import open_app_database
from app.db import Database
from app.errors import CoopDeskError
from app.services import setup
from ui import errors, ops, theme
from ui.context import AppContext
from ui.login import sign_in
from ui.main_window import MainWindow

# =1: print "painted_at=<epoch seconds>" when the main window first paints, then quit
# (bench/startup.py times start → painted with it, the same way as its baseline).
EXIT_AFTER_PAINT = "COOPDESK_EXIT_AFTER_PAINT"


class _QuitAfterFirstPaint(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            # After this paint has been flushed to the screen, not in the middle of it.
            QTimer.singleShot(0, _report_paint_and_quit)
        return False


def _report_paint_and_quit() -> None:
    print(f"painted_at={time.time():.6f}", flush=True)
    QApplication.quit()


class Shell(QObject):
    """Login → main window → (logout → login …) until the user closes the window."""

    def __init__(self, db: Database, office_name: str) -> None:
        super().__init__()
        self.db, self.office_name = db, office_name
        self.window: MainWindow | None = None
        self._paint_watch = _QuitAfterFirstPaint(self) if exit_after_paint() else None

    def start(self, login: str | None = None, password: str | None = None) -> bool:
        user = sign_in(self.db, self.office_name, login, password)
        if user is None:
            return False
        self.window = MainWindow(AppContext(self.db, user))
        self.window.logout_requested.connect(self._after_logout)
        if self._paint_watch is not None:
            self.window.installEventFilter(self._paint_watch)
        self.window.show()
        return True

    def _after_logout(self) -> None:
        old, self.window = self.window, None
        if old is not None:
            old.deleteLater()
        if not self.start():
            QApplication.quit()


def exit_after_paint() -> bool:
    return os.environ.get(EXIT_AFTER_PAINT) == "1"


def _office_name(db: Database) -> str | None:
    """The office's name, or None when this database has not been set up yet."""
    with db.session() as s:
        office = setup.home_office(s)
        return office.name if office else None


def run_gui(db_target: str | Path | None, login: str | None = None, password: str | None = None) -> int:
    """Run the application; returns the process exit code. `login`/`password` sign in
    without typing (benchmarks, tests); the password is only ever held in memory."""
    app = QApplication.instance() or QApplication(sys.argv)
    app.setOrganizationName("CoopDesk")
    app.setApplicationName("CoopDesk")
    app.setApplicationVersion(__version__)
    theme.apply(app)
    errors.install_crash_handler()

    try:
        db = open_app_database(db_target)
    except CoopDeskError as exc:
        errors.show_error(None, exc)
        return exc.exit_code
    try:
        office_name = _office_name(db)
        if office_name is None:
            from ui.wizard import SetupWizard  # first run only

            wizard = SetupWizard(db)
            if wizard.exec() != QDialog.DialogCode.Accepted:
                return 0
            login, password = wizard.admin_login, None
            office_name = _office_name(db)
        shell = Shell(db, office_name)
        if not shell.start(login, password):
            return 0
        return app.exec()
    finally:
        ops.cancel_all_and_wait()
        db.dispose()
