"""Importing a large sync package at the central office, against inserting the same rows with
raw sqlite3 in the same run; then the memory of 77 imports in a row. Prints figures, then
`ratio=` last (ours / raw). Target: ratio <= 2.0, and no memory growth with the package count.

Setup (tests/services/sync_env.py): a province office with INSTITUTIONS institutions and
VISITS done visits (plus their officers and monthly travel plans), bulk-inserted with Core
inserts and stamped as local rows; one package exported from it (timed, not compared).
  ours     = app.services.sync_import.import_package into a fresh central database that
             trusts the province: verify + parse + apply + commit, the whole call;
  baseline = the same rows (every column, the values the import stored from the package)
             inserted with raw sqlite3.executemany, one WAL transaction (the app's pragmas),
             into an empty migrated database with the same schema. (Also printed, not in the
             ratio: the same with the larger page cache the import sets for itself.)
Memory: MEM_PACKAGES provinces (MEM_INSTITUTIONS institutions, MEM_VISITS visits each)
export one package each; a fresh process imports them all into one central database and
prints its peak RSS after 10, 40 and all packages; growth = peak(all) - peak(10).
Sizes: BENCH_VISITS, BENCH_INSTITUTIONS, BENCH_MEM_PACKAGES, BENCH_MEM_INSTITUTIONS,
BENCH_MEM_VISITS (the memory part takes ~40 s on a quiet machine, the whole run ~2 min).
"""

from __future__ import annotations

import os
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from contextlib import closing
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

VISITS = int(os.environ.get("BENCH_VISITS", "100000"))
INSTITUTIONS = int(os.environ.get("BENCH_INSTITUTIONS", "2000"))
MEM_PACKAGES = int(os.environ.get("BENCH_MEM_PACKAGES", "77"))
MEM_INSTITUTIONS = int(os.environ.get("BENCH_MEM_INSTITUTIONS", "150"))
MEM_VISITS = int(os.environ.get("BENCH_MEM_VISITS", "750"))
MEM_MARKS = tuple(sorted({min(10, MEM_PACKAGES), min(40, MEM_PACKAGES), MEM_PACKAGES}))


def raw_insert(central: Path, blank: Path, source: str, cache_kib: int | None = None) -> tuple[float, int]:
    """Seconds to insert, with sqlite3.executemany in one transaction, every row the central
    database received from `source` into `blank`; and the number of rows. The app's
    pragmas; cache_kib: a page cache of that size instead of SQLite's default."""
    from app.services.sync_records import RECORD_TABLES

    batches = []
    with closing(sqlite3.connect(central)) as conn:
        for table in RECORD_TABLES:
            cols = [c.name for c in table.columns]
            rows = conn.execute(f"SELECT {', '.join(cols)} FROM {table.name} WHERE sync_source = ?",
                                (source,)).fetchall()
            if rows:
                sql = f"INSERT INTO {table.name} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
                batches.append((sql, rows))
    conn = sqlite3.connect(blank, isolation_level=None)
    for pragma in ("journal_mode=WAL", "foreign_keys=ON", "synchronous=FULL"):
        conn.execute(f"PRAGMA {pragma}")
    if cache_kib:
        conn.execute(f"PRAGMA cache_size = {-cache_kib}")
    t0 = time.perf_counter()
    conn.execute("BEGIN")
    for sql, rows in batches:
        conn.executemany(sql, rows)
    conn.execute("COMMIT")
    seconds = time.perf_counter() - t0
    conn.close()
    return seconds, sum(len(rows) for _, rows in batches)


def big_package(folder: Path) -> tuple[float, float]:
    from sqlalchemy import func, select

    from app.models.visits import Visit
    from app.services import sync_import
    from tests.services.sync_env import add_bulk, blank_database, make_pair

    t0 = time.perf_counter()
    pair = make_pair(folder / "big")
    made = add_bulk(pair.province, institutions=INSTITUTIONS, visits=VISITS)
    t_setup = time.perf_counter() - t0
    t0 = time.perf_counter()
    result = pair.export(pair.province, pair.central)
    t_export = time.perf_counter() - t0
    print(f"setup_s={t_setup:.2f} rows={made} package_mb={result.size / 1e6:.1f} export_s={t_export:.2f}")

    t0 = time.perf_counter()
    report = sync_import.import_package(pair.central.db, pair.central.user, result.path)
    ours = time.perf_counter() - t0
    with pair.central.db.session() as s:
        visits = s.scalar(select(func.count()).select_from(Visit))
    assert visits == VISITS and report.totals()["inserted"] == sum(result.manifest.tables.values()), report.totals()

    blank_database(folder / "blank.sqlite3").dispose()
    blank_database(folder / "blank2.sqlite3").dispose()
    raw, rows = raw_insert(pair.central.path, folder / "blank.sqlite3", pair.province.code)
    assert rows == report.totals()["inserted"], (rows, report.totals())
    # For comparison only: raw with the page cache the import uses (sync_import._IMPORT_CACHE_KIB).
    raw_cached, _ = raw_insert(pair.central.path, folder / "blank2.sqlite3", pair.province.code,
                               sync_import._IMPORT_CACHE_KIB)
    pair.close()
    print(f"peak_rss_mib of this process after the import: {rss_kib()[0] / 1024:.0f} (setup and export included)")
    print(f"records={rows} import_s={ours:.2f} raw_executemany_s={raw:.2f} "
          f"(raw with the import's page cache: {raw_cached:.2f} s, ours/that={ours / raw_cached:.2f})")
    return ours, raw


def memory(folder: Path) -> tuple[list[tuple[int, int]], list[int], float, float]:
    """Build the packages here, import them in a child process: ([(peak, current) RSS KiB at
    each mark], records per package, build s, import s)."""
    from app.models import Province
    from app.services import sync_export
    from tests.services.sync_env import CENTRAL, add_bulk, make_office, trust

    t0 = time.perf_counter()
    central = make_office(folder, CENTRAL, province="10", mode="central", name="กรมส่งเสริมสหกรณ์")
    with central.db.session() as s:
        provinces = [p.code for p in s.query(Province).order_by(Province.code) if p.code != "10"][:MEM_PACKAGES]
    if len(provinces) < MEM_PACKAGES:
        provinces += [f"X{k}" for k in range(MEM_PACKAGES - len(provinces))]
    paths, records = [], []
    for code in provinces:
        office = make_office(folder / "provinces", f"P{code}", province=code if code.isdigit() else "62")
        add_bulk(office, institutions=MEM_INSTITUTIONS, visits=MEM_VISITS)
        trust(central, office)
        trust(office, central)
        result = sync_export.export_package(office.db, office.user, folder / "packages", to=CENTRAL)
        paths.append(str(result.path))
        records.append(sum(result.manifest.tables.values()))
        office.close()
    user_id = central.user.id
    central.close()
    build = time.perf_counter() - t0
    t0 = time.perf_counter()
    out = subprocess.run([sys.executable, __file__, "--import-child", str(central.path), user_id, *paths],
                         check=True, capture_output=True, text=True).stdout
    seconds = time.perf_counter() - t0
    rss = [tuple(map(int, line.split("=")[1].split("/"))) for line in out.splitlines() if line.startswith("rss_kib=")]
    return rss, records, build, seconds


def rss_kib() -> tuple[int, int]:
    """(peak, current) resident set size of this process. /proc's VmHWM is reset by exec;
    ru_maxrss is not on Linux (a child of a big parent reports the parent's peak)."""
    try:
        with open("/proc/self/status") as fh:
            status = {k: v for k, _, v in (line.partition(":") for line in fh)}
        return int(status["VmHWM"].split()[0]), int(status["VmRSS"].split()[0])
    except (OSError, KeyError):
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak, peak


def import_child(db_path: str, user_id: str, paths: list[str]) -> None:
    from app.bootstrap import open_app_database
    from app.services import sync_import
    from tests.services.sync_env import load_user

    db = open_app_database(db_path)
    user = load_user(db, user_id)
    for n, path in enumerate(paths, 1):
        report = sync_import.import_package(db, user, path)
        assert report.status == "imported", report.status
        if n in MEM_MARKS:
            print("rss_kib={}/{}".format(*rss_kib()), flush=True)
    db.dispose()


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "packages").mkdir()
        ours, raw = big_package(folder)
        rss, records, build, seconds = memory(folder)
    print(f"memory: packages={MEM_PACKAGES} records_per_package={min(records)}..{max(records)} "
          f"build_s={build:.1f} import_all_s={seconds:.1f}")
    for n, (peak, now) in zip(MEM_MARKS, rss):
        print(f"  after {n} packages: peak_rss_mib={peak / 1024:.1f} rss_mib={now / 1024:.1f}")
    mid = min(1, len(rss) - 1)
    print(f"memory_growth_mib={(rss[-1][0] - rss[0][0]) / 1024:.1f} (peak RSS after {MEM_MARKS[-1]} - after "
          f"{MEM_MARKS[0]} packages; after {MEM_MARKS[-1]} - after {MEM_MARKS[mid]}: "
          f"{(rss[-1][0] - rss[mid][0]) / 1024:.1f})")
    print(f"ours_s={ours:.2f} raw_s={raw:.2f}")
    print(f"ratio={ours / raw:.2f}")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--import-child":
        import_child(sys.argv[2], sys.argv[3], sys.argv[4:])
    else:
        main()
