"""An officer's CPS month view over years of history, against the same rows loaded with raw
sqlite3 in the same run. Prints figures, then `ratio=` last.

Setup: the demo database in a temporary folder plus five years of visit history in bulk
(app.services.demo_visits.add_visit_history, ≈10,000 visits). Two months of officer1 are
opened: last month (the demo's year: a travel plan, the group's approved action plan with
its activity choices) and the busiest month of the history (≈35 visits). For each:
  ours     = app.services.visit_views.month_view(session, user, officer_id, month), what
             the CPS page loads, in a fresh session each run;
  baseline = hand-written SQL over one sqlite3 connection: the month's visits joined with
             institution and officer names, the officer's institutions with last visit /
             open follow-ups / visits this month, the travel plan row, the plan's
             activity choices for the month and, when the plan has visit targets that
             month, the group's visits counted toward them (as month_view loads them).
Each is timed RUNS times after a warm-up, runs alternating; the medians of the two months
are added up. Target: ratio ≤ 3.
"""

from __future__ import annotations

import os
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

RUNS = int(os.environ.get("BENCH_RUNS", "30"))
OFFICER = "officer1"

VISITS_SQL = """
SELECT v.id, v.travel_plan_id, v.institution_id, i.name, v.officer_id, u.full_name, v.group_id,
       v.planned_date, v.planned_time, v.duration_min, v.method, v.purpose, v.activity_lineage,
       v.co_officer_ids, v.status, v.actual_date, v.report_state, v.findings, v.advice, v.response,
       v.next_step, v.cancel_reason, v.attendees_committee, v.attendees_staff, v.attendees_members
FROM visit v
JOIN institution i ON i.id = v.institution_id
JOIN app_user u ON u.id = v.officer_id
WHERE v.officer_id = ? AND v.planned_date BETWEEN ? AND ? AND v.deleted_at IS NULL
ORDER BY v.planned_date, v.planned_time, v.id
"""
INSTITUTIONS_SQL = """
SELECT i.id, i.name, i.kind, i.status,
       (SELECT v.actual_date FROM visit v
         WHERE v.institution_id = i.id AND v.status = 'done' AND v.deleted_at IS NULL
           AND v.actual_date IS NOT NULL
         ORDER BY v.actual_date DESC LIMIT 1),
       (SELECT count(*) FROM followup f
         WHERE f.institution_id = i.id AND f.status = 'open' AND f.deleted_at IS NULL),
       (SELECT count(*) FROM visit v
         WHERE v.institution_id = i.id AND v.officer_id = ? AND v.planned_date BETWEEN ? AND ?
           AND v.deleted_at IS NULL)
FROM institution i
WHERE i.officer_id = ? AND i.deleted_at IS NULL
ORDER BY i.name
"""
OFFICER_SQL = "SELECT id, login, full_name, group_id, roles, active FROM app_user WHERE id = ?"
TRAVEL_SQL = "SELECT * FROM travel_plan WHERE officer_id = ? AND month = ? AND deleted_at IS NULL"
ACTIVITIES_SQL = """
SELECT a.lineage, a.number, a.title, a.unit, coalesce(m.work, 0)
FROM plan_activity a
LEFT JOIN plan_month m ON m.activity_id = a.id AND m.month = ? AND m.deleted_at IS NULL
WHERE a.plan_id = (SELECT p.id FROM plan p
                    WHERE p.group_id = ? AND p.fiscal_year = ? AND p.deleted_at IS NULL
                    ORDER BY p.state != 'approved', p.revision DESC LIMIT 1)
  AND a.deleted_at IS NULL AND a.is_heading = 0 AND a.unit != ''
ORDER BY a.position
"""


GROUP_SQL = """
SELECT v.id, v.institution_id, v.officer_id, v.planned_date, v.activity_lineage, v.method
FROM visit v
WHERE v.group_id = ? AND v.planned_date BETWEEN ? AND ? AND v.deleted_at IS NULL AND v.status != 'cancelled'
  AND v.activity_lineage IS NOT NULL
"""


def baseline(conn: sqlite3.Connection, officer_id: str, first: date, last: date) -> int:
    """The month view's rows by hand; returns how many rows were loaded."""
    from app.thai import fiscal_months, fiscal_year

    a, b = first.isoformat(), last.isoformat()
    officer = conn.execute(OFFICER_SQL, (officer_id,)).fetchone()
    # The month's visits and those of the week either side that the calendar also shows.
    around = ((first - timedelta(days=7)).isoformat(), (last + timedelta(days=7)).isoformat())
    visits = conn.execute(VISITS_SQL, (officer_id, *around)).fetchall()
    insts = conn.execute(INSTITUTIONS_SQL, (officer_id, a, b, officer_id)).fetchall()
    travel = conn.execute(TRAVEL_SQL, (officer_id, a)).fetchall()
    fy = fiscal_year(first)
    activities = conn.execute(ACTIVITIES_SQL, (fiscal_months(fy).index(first), officer[3], fy)).fetchall()
    group = []
    if any(unit == "แห่ง" and work > 0 for _, _, _, unit, work in activities):  # plan targets to check
        group = conn.execute(GROUP_SQL, (officer[3], a, b)).fetchall()
    return 1 + len(visits) + len(insts) + len(travel) + len(activities) + len(group)


def ours(db, user, officer_id: str, first: date):
    from app.services.visit_views import month_view

    with db.session() as s:
        return month_view(s, user, officer_id, first)


def _timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def main() -> None:
    from sqlalchemy import func, select

    from app.bootstrap import open_app_database
    from app.models import User, Visit
    from app.rules.visits import month_bounds
    from app.services.demo import create_demo_database
    from app.services.demo_visits import add_months, add_visit_history

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "demo.sqlite3"
        t0 = time.perf_counter()
        create_demo_database(path)
        t_demo = time.perf_counter() - t0
        db = open_app_database(path)
        db.office_code = "62"
        t0 = time.perf_counter()
        with db.transaction() as s:
            history = add_visit_history(s)
        t_history = time.perf_counter() - t0
        with db.session() as s:
            user = s.scalar(select(User).where(User.login == OFFICER))
            s.expunge(user)  # the logged-in user, as the app holds it across sessions
            total = s.scalar(select(func.count()).select_from(Visit))
            month_col = func.strftime("%Y-%m-01", Visit.planned_date)
            busiest = s.execute(select(month_col, func.count()).where(Visit.officer_id == user.id)
                                .group_by(month_col).order_by(func.count().desc(), month_col.desc())
                                .limit(1)).one()[0]
        months = {"last_month": add_months(date.today().replace(day=1), -1),
                  "history_busiest": date.fromisoformat(busiest)}
        print(f"demo_build_s={t_demo:.2f} history_insert_s={t_history:.2f} "
              f"history_visits={history['visits']} visits_in_database={total}")

        conn = sqlite3.connect(path)
        ours_total = base_total = 0.0
        for label, first in months.items():
            _, last = month_bounds(first)
            view = ours(db, user, user.id, first)  # warm-up (and the figures)
            rows = baseline(conn, user.id, first, last)
            o_runs, b_runs = [], []
            for _ in range(RUNS):
                o_runs.append(_timed(lambda m=first: ours(db, user, user.id, m)))
                b_runs.append(_timed(lambda m=first, e=last: baseline(conn, user.id, m, e)))
            o, b = statistics.median(o_runs) * 1000, statistics.median(b_runs) * 1000
            ours_total += o
            base_total += b
            print(f"{label}={first.isoformat()} visits={len(view.visits)} institutions={len(view.institutions)} "
                  f"activities={len(view.activities)} baseline_rows={rows}")
            print(f"  ours_month_view_median_ms={o:.2f} (min {min(o_runs) * 1000:.2f})  "
                  f"baseline_sqlite3_median_ms={b:.2f} (min {min(b_runs) * 1000:.2f})")
        conn.close()
        db.dispose()
    print(f"runs={RUNS} ours_ms={ours_total:.2f} baseline_ms={base_total:.2f}")
    print(f"ratio={ours_total / base_total:.2f}")


if __name__ == "__main__":
    main()
