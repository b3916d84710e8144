"""Long work off the GUI thread, with a progress dialog that can be cancelled (Anki-style).

    run_op(parent, fn, label=..., on_success=...)

runs `fn(progress)` in a worker thread. `progress.update(done, total, text)` reports how
far it got and `progress.cancelled` says the user pressed Cancel; fn then raises Cancelled
(or `progress.check()` does it). A dialog appears only if the work outlasts `delay_ms`, so
quick work never flashes one; with delay_ms=None there is no dialog at all (a page
loading its own data shows that itself). The result or the error comes back on the GUI thread.

SQLite objects belong to the thread that made them, so fn must open its own session from
the Database it closes over; never hand it a Session or ORM rows from the GUI thread.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, QThread, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QPushButton, QWidget
from shiboken6 import isValid

from app.i18n import _
from ui import errors

log = logging.getLogger(__name__)
POLL_MS = 100  # how often the dialog reads the worker's progress


class Cancelled(Exception):
    """Raised by work that stopped because the user cancelled it."""


class Progress:
    """What the work function sees: thread-safe progress reporting and the cancel flag."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._state: tuple[int, int, str] = (0, 0, "")
        self._cancel = threading.Event()

    def update(self, done: int, total: int, text: str = "") -> None:
        with self._lock:
            self._state = (done, total, text)

    def snapshot(self) -> tuple[int, int, str]:
        with self._lock:
            return self._state

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def cancel(self) -> None:
        self._cancel.set()

    def check(self) -> None:
        """Raise Cancelled if the user asked to stop; call it between units of work."""
        if self._cancel.is_set():
            raise Cancelled


class _Worker(QThread):
    def __init__(self, fn: Callable[[Progress], Any], progress: Progress) -> None:
        super().__init__()
        self._fn, self._progress = fn, progress
        self.result: Any = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self.result = self._fn(self._progress)
        except BaseException as exc:  # delivered to the GUI thread, never lost in the worker
            self.error = exc


class Operation(QObject):
    """One running piece of work. `finished` fires after its outcome has been delivered."""

    finished = Signal()

    def __init__(self, parent: QWidget | None, fn, *, label: str, on_success, on_failure,
                 cancellable: bool, delay_ms: int | None) -> None:
        super().__init__()
        self._parent, self._label = parent, label
        self._on_success, self._on_failure = on_success, on_failure
        self._cancellable = cancellable
        self.progress = Progress()
        self.dialog: QProgressDialog | None = None
        self._cancel_button: QPushButton | None = None
        self.result: Any = None
        self.error: BaseException | None = None
        self.cancelled = False
        self.done = False
        self._worker = _Worker(fn, self.progress)
        # Queued: the worker emits from its own thread; _deliver runs in the GUI thread.
        self._worker.finished.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self._poll = QTimer(self)
        self._poll.setInterval(POLL_MS)
        self._poll.timeout.connect(self._refresh)
        self._delay = QTimer(self)
        self._delay.setSingleShot(True)
        self._delay.timeout.connect(self._show_dialog)
        if delay_ms is not None:
            self._delay.start(delay_ms)
        self._worker.start()

    def cancel(self) -> None:
        self.progress.cancel()
        if self.dialog is not None:
            self.dialog.setLabelText(_("กำลังยกเลิก…"))
        if self._cancel_button is not None:
            self._cancel_button.setEnabled(False)

    def wait(self) -> None:
        """Block until the worker thread has ended (used when the app closes)."""
        if not self.done:  # once delivered, the QThread has been deleted
            self._worker.wait()

    def _show_dialog(self) -> None:
        if self.done:
            return
        parent = self._parent if self._parent is not None and isValid(self._parent) else None
        dlg = QProgressDialog(self._label, "", 0, 0, parent)
        dlg.setWindowTitle("CoopDesk")
        dlg.setWindowModality(Qt.WindowModality.WindowModal)
        dlg.setMinimumDuration(0)
        dlg.setAutoClose(False)
        dlg.setAutoReset(False)
        dlg.setMinimumWidth(420)
        if self._cancellable:
            self._cancel_button = QPushButton(_("ยกเลิก"))
            dlg.setCancelButton(self._cancel_button)
            # QProgressDialog hides itself on cancel; keep it up until the work has really stopped.
            dlg.canceled.disconnect(dlg.cancel)
            dlg.canceled.connect(self.cancel)
        else:
            dlg.setCancelButton(None)
        self.dialog = dlg
        self._refresh()
        dlg.show()
        self._poll.start()

    def _refresh(self) -> None:
        if self.dialog is None or self.progress.cancelled:
            return
        done, total, text = self.progress.snapshot()
        if total > 0:
            self.dialog.setMaximum(total)
            self.dialog.setValue(min(done, total))
        if text:
            self.dialog.setLabelText(f"{self._label}\n{text}")

    def _deliver(self) -> None:
        self._worker.wait()
        self.done = True
        self._delay.stop()
        self._poll.stop()
        if self.dialog is not None:
            self.dialog.hide()
            self.dialog.deleteLater()
            self.dialog = self._cancel_button = None
        self.result, self.error = self._worker.result, self._worker.error
        self._worker.deleteLater()
        try:
            if self._parent is not None and not isValid(self._parent):
                log.info("result of %r dropped: its window was closed", self._label)
            elif isinstance(self.error, Cancelled):
                self.cancelled = True
            elif self.error is not None:
                if self._on_failure is None or not self._on_failure(self.error):
                    errors.show_error(self._parent, self.error)
            else:
                self._on_success(self.result)
        finally:
            _running.discard(self)
            self.finished.emit()


_running: set[Operation] = set()  # keeps each Operation alive until it has delivered


def run_op(
    parent: QWidget | None,
    fn: Callable[[Progress], Any],
    *,
    label: str,
    on_success: Callable[[Any], None],
    on_failure: Callable[[BaseException], bool] | None = None,
    cancellable: bool = True,
    delay_ms: int | None = 500,
) -> Operation:
    """Run fn(progress) off the GUI thread; see the module docstring.

    on_failure(exc) returns True if it dealt with the error, else the error dialog shows it.
    """
    op = Operation(parent, fn, label=label, on_success=on_success, on_failure=on_failure,
                   cancellable=cancellable, delay_ms=delay_ms)
    _running.add(op)
    return op


def running() -> list[Operation]:
    return list(_running)


def cancel_all_and_wait() -> None:
    """Stop every running operation and wait for its thread (before the app exits)."""
    for op in list(_running):
        op.cancel()
    for op in list(_running):
        op.wait()
