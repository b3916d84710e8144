"""The one error dialog, the crash handler, and starting the application."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

from PySide6.QtWidgets import QApplication

from app.errors import NotFound
from tests.conftest import ADMIN_PASSWORD
from ui import errors, messages
from ui.main import run_gui

ROOT = Path(__file__).resolve().parents[2]


def test_expected_errors_show_their_own_sentence(dialogs):
    errors.show_error(None, NotFound("ไม่พบสหกรณ์/กลุ่มเกษตรกรที่ต้องการ"))
    assert dialogs.take_warnings() == ["ไม่พบสหกรณ์/กลุ่มเกษตรกรที่ต้องการ"]


def test_unexpected_errors_name_the_log_file_that_holds_the_traceback(dialogs):
    try:
        {}["missing"]
    except KeyError as exc:
        errors.show_error(None, exc)
    (text,) = dialogs.take_warnings()
    log_file = errors.configure_logging()
    assert str(log_file) in text and "โปรดลองอีกครั้ง" in text
    for handler in __import__("logging").getLogger().handlers:
        handler.flush()
    assert "KeyError: 'missing'" in log_file.read_text(encoding="utf-8")


def test_a_crash_in_a_worker_thread_is_reported_once_on_the_gui_thread(qtbot, dialogs, monkeypatch):
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    errors.install_crash_handler()
    shown_on = []
    monkeypatch.setattr(messages, "warn", lambda parent, text: shown_on.append((threading.current_thread(), text)))

    def crash():
        raise RuntimeError("worker crashed")

    thread = threading.Thread(target=crash, name="crashing-worker")
    thread.start()
    thread.join()
    qtbot.waitUntil(lambda: len(shown_on) == 1, timeout=3000)
    (on, text), = shown_on
    assert on is threading.main_thread()
    report = Path(text.split("ไฟล์ ")[-1].strip())
    content = report.read_text(encoding="utf-8")
    assert "CoopDesk 0." in content and "platform:" in content and "crashing-worker" in content
    assert "RuntimeError: worker crashed" in content


def test_an_error_while_reporting_an_error_does_not_loop(qtbot, monkeypatch):
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    errors.install_crash_handler()
    calls = []

    def failing_dialog(parent, text):
        calls.append(text)
        errors.handle_uncaught(ValueError, ValueError("again"), None)  # re-entered: logged only
        raise OSError("no display")

    monkeypatch.setattr(messages, "warn", failing_dialog)
    errors.handle_uncaught(RuntimeError, RuntimeError("first"), None)
    assert len(calls) == 1


def test_a_damaged_database_gets_the_error_dialog_and_exit_code_3(tmp_path, dialogs, monkeypatch):
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    bad = tmp_path / "damaged.sqlite3"
    bad.write_bytes(b"this is not a database" * 100)
    assert run_gui(bad) == 3
    (text,) = dialogs.take_warnings()
    assert "damaged.sqlite3" in text
    assert QApplication.instance().font().family() == "Sarabun"


def test_the_benchmark_mode_signs_in_paints_reports_the_moment_and_quits(db, admin):
    db.dispose()
    code = ("import sys; from ui.main import run_gui; "
            f"sys.exit(run_gui({str(db.path)!r}, login='admin', password={ADMIN_PASSWORD!r}))")
    env = {**os.environ, "COOPDESK_EXIT_AFTER_PAINT": "1", "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    (line,) = done.stdout.splitlines()  # nothing but the paint time bench/startup.py reads
    assert line.startswith("painted_at=") and float(line.split("=")[1]) > 0
    assert done.stderr == ""
