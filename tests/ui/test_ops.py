"""Background work: results and errors come back on the GUI thread, a progress dialog shows
only for slow work, and Cancel stops it."""

from __future__ import annotations

import threading
import time

import pytest
from PySide6.QtWidgets import QApplication, QWidget

from app.errors import ValidationError
from ui import errors, ops


@pytest.fixture
def window(qtbot):
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.show()
    return widget


def test_result_is_delivered_on_the_gui_thread_without_a_dialog(qtbot, window):
    got = []
    op = ops.run_op(window, lambda progress: threading.current_thread().name, label="งาน",
                    on_success=lambda result: got.append((result, threading.current_thread().name)))
    with qtbot.waitSignal(op.finished, timeout=5000):
        pass
    worker_name, delivered_on = got[0]
    assert delivered_on == threading.main_thread().name != worker_name
    assert op.dialog is None and not op.cancelled


def test_slow_work_shows_a_progress_dialog_and_cancel_stops_it(qtbot, window):
    started = threading.Event()

    def slow(progress: ops.Progress):
        started.set()
        for i in range(500):
            progress.update(i, 500, f"รายการที่ {i}")
            progress.check()
            time.sleep(0.01)
        return "finished"

    results = []
    op = ops.run_op(window, slow, label="กำลังทำงานยาว", on_success=results.append, delay_ms=100)
    qtbot.waitUntil(lambda: op.dialog is not None and op.dialog.isVisible(), timeout=3000)
    assert started.is_set()
    qtbot.waitUntil(lambda: op.dialog.value() > 0, timeout=3000)  # the bar follows the worker
    with qtbot.waitSignal(op.finished, timeout=5000):
        op.dialog.canceled.emit()  # what the Cancel button does
    assert op.cancelled and results == []
    assert QApplication.activeModalWidget() is None  # the dialog is gone


def test_an_unexpected_exception_reaches_the_one_error_dialog(qtbot, window, monkeypatch):
    shown = []
    monkeypatch.setattr(errors, "show_error", lambda parent, error: shown.append((parent, error)))

    def broken(progress):
        raise ZeroDivisionError("boom")

    op = ops.run_op(window, broken, label="งาน", on_success=lambda result: pytest.fail("no result"))
    with qtbot.waitSignal(op.finished, timeout=5000):
        pass
    assert shown[0][0] is window and isinstance(shown[0][1], ZeroDivisionError)


def test_on_failure_may_handle_an_error_itself(qtbot, window, monkeypatch):
    monkeypatch.setattr(errors, "show_error", lambda parent, error: pytest.fail("not shown"))
    handled = []

    def refuse(progress):
        raise ValidationError("ข้อมูลไม่ถูกต้อง", field="name")

    op = ops.run_op(window, refuse, label="งาน", on_success=lambda result: None,
                    on_failure=lambda exc: handled.append(exc.field) or True)
    with qtbot.waitSignal(op.finished, timeout=5000):
        pass
    assert handled == ["name"]


def test_the_window_keeps_processing_events_while_work_runs(qtbot, window):
    release = threading.Event()
    op = ops.run_op(window, lambda progress: release.wait(5), label="งาน", on_success=lambda r: None,
                    delay_ms=None)
    ticks = []
    from PySide6.QtCore import QTimer

    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(10)
    qtbot.waitUntil(lambda: len(ticks) >= 5, timeout=2000)  # the GUI thread is not blocked
    timer.stop()
    with qtbot.waitSignal(op.finished, timeout=5000):
        release.set()
