"""A sync import killed with SIGKILL at any moment leaves the central database exactly as it
was before the import or exactly as a clean import leaves it, and intact.

A child process imports a package of a few thousand records into a copy of the same
starting database and is killed: right after it is ready (before the transaction), after
seeded random delays spread over the import's measured duration, on progress steps (rows
written, not committed) and after it reported success (committed). The after-state is the
result of a clean, unkilled import of the same package into another copy.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from app.bootstrap import open_app_database
from app.models.registry import Institution
from app.services import sync_import
from app.services.sync_records import RECORD_TABLES
from tests.services.sync_env import add_bulk, copy_database, dump, integrity, load_user, make_pair

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL (POSIX)")

ROOT = Path(__file__).resolve().parents[2]
SEED = 20240617
KILLS_AT_RANDOM = 5

CHILD = """
import sys, time
sys.path.insert(0, {root!r})
from app.bootstrap import open_app_database
from app.services import sync_import
from tests.services.sync_env import load_user

db = open_app_database({db!r})
user = load_user(db, {user!r})
print("READY", flush=True)
t0 = time.perf_counter()
report = sync_import.import_package(db, user, {package!r}, progress=lambda i, n: print("STEP", i, flush=True))
print("DONE", report.status, time.perf_counter() - t0, flush=True)
"""


@pytest.fixture(scope="module")
def scene(tmp_path_factory):
    """(starting central database file, package, central admin id, before-dump)."""
    folder = tmp_path_factory.mktemp("crash")
    pair = make_pair(folder / "pair")
    add_bulk(pair.province, institutions=40, visits=200, seed=1)
    assert pair.send(pair.province, pair.central).status == "imported"
    assert pair.send(pair.central, pair.province).status == "imported"
    # Both sides edit some of the same institutions (conflicts), the province many more rows.
    for office, note in ((pair.province, "แก้ที่จังหวัด"), (pair.central, "แก้ที่ส่วนกลาง")):
        with office.db.transaction(office.user.id) as s:
            for k, inst in enumerate(s.scalars(select(Institution).order_by(Institution.reg_no).limit(20))):
                if office is pair.province or k % 2:
                    inst.notes = f"{note} {k}"
    add_bulk(pair.province, institutions=100, visits=3000, seed=2)
    package = pair.export(pair.province, pair.central).path
    start = copy_database(pair.central.path, folder / "start.sqlite3")
    user_id = pair.central.user.id
    pair.close()
    return start, package, user_id, dump(start)


def _child(folder: Path, start: Path, package: Path, user_id: str, name: str) -> tuple[Path, subprocess.Popen]:
    db = folder / f"{name}.sqlite3"
    shutil.copyfile(start, db)
    script = folder / f"{name}.py"
    script.write_text(CHILD.format(root=str(ROOT), db=str(db), user=user_id, package=str(package)))
    proc = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            cwd=ROOT, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    return db, proc


def _wait_for(proc: subprocess.Popen, prefix: str) -> str:
    while True:
        line = proc.stdout.readline()
        if not line:
            raise AssertionError(f"child ended before {prefix!r}: {proc.stderr.read()}")
        if line.startswith(prefix):
            return line


def test_a_killed_import_leaves_the_database_before_or_after(scene, tmp_path):
    start, package, user_id, before = scene
    assert integrity(start) == "ok"

    # The clean import: the after-state, and how long an import takes.
    clean, proc = _child(tmp_path, start, package, user_id, "clean")
    _wait_for(proc, "READY")
    done = _wait_for(proc, "DONE").split()
    assert proc.wait(timeout=60) == 0, proc.stderr.read()
    assert done[1] == "imported"
    duration = float(done[2])
    after = dump(clean)
    print(f"clean import: {duration:.3f} s")
    assert after != before
    steps = None

    rng = random.Random(SEED)
    plan: list[tuple[str, float | int]] = [("ready", 0.0)]
    plan += [("delay", duration * rng.uniform(0.02, 1.1)) for _ in range(KILLS_AT_RANDOM)]
    visits_written = 1 + [t.name for t in RECORD_TABLES].index("visit")  # the progress step after the visits
    plan += [("step", rng.randint(2, len(RECORD_TABLES))), ("step", visits_written), ("done", 0.0)]
    seen = {"before": 0, "after": 0}
    left_before = None
    for n, (when, arg) in enumerate(plan):
        db, proc = _child(tmp_path, start, package, user_id, f"kill{n}")
        _wait_for(proc, "READY")
        if when == "delay":
            time.sleep(arg)
        elif when == "step":
            steps = _wait_for(proc, f"STEP {arg}")
        elif when == "done":
            _wait_for(proc, "DONE")
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        proc.stdout.close()
        proc.stderr.close()
        assert integrity(db) == "ok", (when, arg)
        state = dump(db)
        assert state == before or state == after, f"kill {when} {arg}: neither before nor after"
        outcome = "before" if state == before else "after"
        seen[outcome] += 1
        if outcome == "before" and when != "ready":
            left_before = db
        print(f"kill {when}={arg:.3f} -> {outcome}" if when == "delay" else f"kill {when}={arg} -> {outcome}")
    assert steps is not None
    assert seen["before"] >= 1 and seen["after"] >= 1, seen

    # An import killed mid-way leaves nothing that stops the next attempt from completing.
    retry = left_before or tmp_path / "kill0.sqlite3"
    db = open_app_database(retry)
    try:
        report = sync_import.import_package(db, load_user(db, user_id), package)
    finally:
        db.dispose()
    assert report.status == "imported"
    assert dump(retry) == after and integrity(retry) == "ok"
