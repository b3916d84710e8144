import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import sys, time
start = time.perf_counter()
import app.thai
elapsed = time.perf_counter() - start
heavy = sorted(m for m in ("sqlalchemy", "PySide6", "holidays", "pythainlp", "babel") if m in sys.modules)
print(elapsed, ",".join(heavy))
"""


def test_import_is_light_and_pure():
    out = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, check=True)
    elapsed, heavy = out.stdout.split()[0], out.stdout.split()[1:]
    # No Qt, no database; holidays and pythainlp load on first use only.
    assert heavy == []
    # Measured ~30 ms here; the margin is for a busy CI machine.
    assert float(elapsed) < 0.15
