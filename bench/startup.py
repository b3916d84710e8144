"""Start-up: process start → main window painted on the demo database, against a bare
QMainWindow with a 10,000-row table in the same run. Prints figures, then `ratio=` last.

Both children print `painted_at=<epoch>` at their first paint and quit; each is timed from
just before spawning it to that moment (teardown excluded for both), runs alternate to
share the machine's noise, and the medians are compared. Target: ratio ≤ 2.5.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUNS = int(os.environ.get("BENCH_RUNS", "7"))

BASELINE = r"""
import sys, time
from PySide6.QtCore import QAbstractTableModel, QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QTableView

class Model(QAbstractTableModel):
    def rowCount(self, parent=None): return 10_000
    def columnCount(self, parent=None): return 10
    def data(self, index, role=Qt.DisplayRole):
        return f"{index.row()}:{index.column()}" if role == Qt.DisplayRole else None

def report_and_quit():
    print(f"painted_at={time.time():.6f}", flush=True)
    app.quit()

class QuitOnPaint(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Paint:
            obj.removeEventFilter(self)
            QTimer.singleShot(0, report_and_quit)
        return False

app = QApplication(sys.argv)
win = QMainWindow()
view = QTableView()
view.setModel(Model())
win.setCentralWidget(view)
watcher = QuitOnPaint()
win.installEventFilter(watcher)
win.resize(1200, 800)
win.show()
app.exec()
"""

# What no CoopDesk start can avoid: Python with PySide6's widgets and SQLAlchemy's ORM
# imported (printed for context; not part of the ratio).
FLOOR = r"""
import time
t0 = time.time()
import sqlalchemy.orm
from PySide6.QtWidgets import QApplication, QMainWindow
print(f"imports_s={time.time() - t0:.6f}")
"""

OURS = r"""
import sys
from ui.main import run_gui
sys.exit(run_gui(sys.argv[1], login="admin", password="demo1234"))
"""


def timed(args: list[str], env: dict) -> float:
    t0 = time.time()
    out = subprocess.run(args, cwd=ROOT, env=env, check=True, capture_output=True, text=True).stdout
    stamps = [line.split("=", 1)[1] for line in out.splitlines() if line.startswith("painted_at=")]
    if not stamps:
        raise SystemExit(f"no paint reported by {args[:3]}: {out[-500:]}")
    return float(stamps[0]) - t0


def main() -> None:
    from app.services.demo import create_demo_database

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "demo.sqlite3"
        create_demo_database(db)
        env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
               "COOPDESK_EXIT_AFTER_PAINT": "1", "COOPDESK_HOME": tmp}
        ours_cmd = [sys.executable, "-c", OURS, str(db)]
        base_cmd = [sys.executable, "-c", BASELINE]
        timed(ours_cmd, env), timed(base_cmd, env)  # warm the OS file cache for both
        ours, base = [], []
        for _ in range(RUNS):
            ours.append(timed(ours_cmd, env))
            base.append(timed(base_cmd, env))
    floor = statistics.median(
        float(subprocess.run([sys.executable, "-c", FLOOR], cwd=ROOT, env=env, check=True, capture_output=True,
                             text=True).stdout.split("=")[1]) for _ in range(RUNS))
    o, b = statistics.median(ours), statistics.median(base)
    print(f"runs={RUNS} platform={env['QT_QPA_PLATFORM']}")
    print(f"floor_import_pyside6_widgets_and_sqlalchemy_orm_median_s={floor:.3f}")
    print(f"coopdesk_start_to_paint_median_s={o:.3f} (min {min(ours):.3f}, max {max(ours):.3f})")
    print(f"baseline_qmainwindow_10k_table_median_s={b:.3f} (min {min(base):.3f}, max {max(base):.3f})")
    print(f"ratio={o / b:.2f}")


if __name__ == "__main__":
    main()
