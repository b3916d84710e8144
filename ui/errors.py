"""The one error dialog, the crash handler and the log file.

Every failure reaches the user through `show_error`: an expected CoopDeskError as its own
Thai sentence; anything else as one generic sentence naming the file that holds the
details (DESIGN: errors are one sentence, details go to the log in the data folder).
"""

from __future__ import annotations

import logging
import platform
import sys
import threading
import traceback
from datetime import datetime
from logging.handlers import RotatingFileHandler
from pathlib import Path

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import QMessageLogContext, QObject, QtMsgType, Signal, qInstallMessageHandler
from PySide6.QtWidgets import QApplication, QWidget

from app import __version__
from app.errors import CoopDeskError
from app.i18n import _, tr
from app.paths import log_dir
from ui import messages

log = logging.getLogger("coopdesk.ui")
LOG_NAME = "coopdesk.log"


class _OurHandler(RotatingFileHandler):
    """Marks the handler this module added, so configuring twice adds nothing."""


def configure_logging() -> Path:
    """Log to a rotating file in the data folder (and nowhere else); returns its path."""
    root = logging.getLogger()
    for handler in root.handlers:
        if isinstance(handler, _OurHandler):
            return Path(handler.baseFilename)
    handler = _OurHandler(log_dir() / LOG_NAME, maxBytes=1_000_000, backupCount=5, encoding="utf-8", delay=True)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s"))
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    return Path(handler.baseFilename)


def unexpected_message(details_file: Path) -> str:
    return "\n\n".join((
        _("เกิดข้อผิดพลาดที่โปรแกรมไม่ได้คาดไว้ งานนี้จึงยังไม่สำเร็จ โปรดลองอีกครั้ง ถ้ายังเกิดซ้ำโปรดแจ้งผู้ดูแลระบบ"),
        tr("รายละเอียดบันทึกไว้ในไฟล์ {path}", path=details_file),
    ))


def show_error(parent: QWidget | None, error: BaseException | str) -> None:
    """Tell the user what went wrong, in one sentence; unexpected errors are logged first."""
    if isinstance(error, str):
        text = error
    elif isinstance(error, CoopDeskError):
        if error.details:
            log.info("%s: %s (%s)", type(error).__name__, error.message, error.details)
        text = error.message
    else:
        path = configure_logging()
        log.error("unexpected error", exc_info=(type(error), error, error.__traceback__))
        text = unexpected_message(path)
    messages.warn(parent, text)


# -- crash handler -------------------------------------------------------------------------


class _CrashBridge(QObject):
    """Lives in the GUI thread; a crash in any thread reaches the dialog through its signal."""

    crashed = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.crashed.connect(self._show)

    def _show(self, report_path: str) -> None:
        if QApplication.instance() is not None:
            messages.warn(QApplication.activeWindow(), unexpected_message(Path(report_path)))


_bridge: _CrashBridge | None = None
_reporting = False


def write_crash_report(exc_type, exc, tb, thread_name: str) -> Path:
    """A file of its own per crash, so one crash is easy to send to whoever supports the office."""
    path = log_dir() / f"crash-{datetime.now():%Y%m%d-%H%M%S-%f}.log"
    lines = [
        f"CoopDesk {__version__}",
        f"time: {datetime.now().isoformat(timespec='seconds')}",
        f"python: {sys.version.split()[0]}  PySide6: {pyside_version}",
        f"platform: {platform.platform()}",
        f"thread: {thread_name}",
        "",
        *traceback.format_exception(exc_type, exc, tb),
    ]
    path.write_text("\n".join(line.rstrip("\n") for line in lines) + "\n", encoding="utf-8")
    return path


def handle_uncaught(exc_type, exc, tb, thread_name: str | None = None) -> None:
    """Report an exception nobody caught: crash file, log line, then the dialog."""
    global _reporting
    if issubclass(exc_type, KeyboardInterrupt):
        sys.__excepthook__(exc_type, exc, tb)
        return
    if _reporting:  # failing while reporting a failure: log it and stop, never loop
        log.critical("error while reporting an error", exc_info=(exc_type, exc, tb))
        return
    _reporting = True
    try:
        path = write_crash_report(exc_type, exc, tb, thread_name or threading.current_thread().name)
        log.critical("uncaught exception, report in %s", path, exc_info=(exc_type, exc, tb))
        if _bridge is not None:
            _bridge.crashed.emit(str(path))  # direct in the GUI thread, queued from a worker
    except Exception:  # the report itself failed (disk full…): fall back to stderr
        sys.__excepthook__(exc_type, exc, tb)
    finally:
        _reporting = False


def _thread_hook(args: threading.ExceptHookArgs) -> None:
    handle_uncaught(args.exc_type, args.exc_value, args.exc_traceback, args.thread.name if args.thread else None)


_QT_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG, QtMsgType.QtInfoMsg: logging.INFO, QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR, QtMsgType.QtFatalMsg: logging.CRITICAL,
}


def _qt_message(kind: QtMsgType, context: QMessageLogContext, text: str) -> None:
    logging.getLogger("qt").log(_QT_LEVELS.get(kind, logging.WARNING), "%s", text)


def install_crash_handler() -> None:
    """Route uncaught exceptions (GUI thread, Qt callbacks, Python threads) to handle_uncaught,
    and Qt's own warnings to the log file: nobody reads a console behind the window."""
    global _bridge
    configure_logging()
    if _bridge is None and QApplication.instance() is not None:
        _bridge = _CrashBridge()
    sys.excepthook = lambda t, e, tb: handle_uncaught(t, e, tb)
    threading.excepthook = _thread_hook
    qInstallMessageHandler(_qt_message)
