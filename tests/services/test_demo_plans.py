"""The demo's action plans: every state an office has at once, with figures that add up
except for the one deliberate slip."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from app.bootstrap import open_app_database
from app.models import Plan, User
from app.services import plans
from app.services.demo import create_demo_database
from app.thai import fiscal_year


def test_demo_plans(tmp_path):
    create_demo_database(tmp_path / "demo.sqlite3")
    db = open_app_database(tmp_path / "demo.sqlite3")
    fy = fiscal_year(date.today())
    with db.session() as s:
        head = s.scalar(select(User).where(User.login == "head"))
        rows = s.scalars(select(Plan).order_by(Plan.fiscal_year, Plan.group_id)).all()
        states = sorted((p.fiscal_year, p.group.name, p.state) for p in rows)
        assert states == [
            (fy - 1, "กลุ่มส่งเสริมสหกรณ์ ๑", "approved"),
            (fy, "กลุ่มส่งเสริมสหกรณ์ ๑", "approved"),
            (fy, "กลุ่มส่งเสริมสหกรณ์ ๒", "submitted"),
            (fy, "กลุ่มส่งเสริมสหกรณ์ ๓", "draft"),
        ]
        for p in rows:
            kinds = [f.kind for f in plans.findings_of(s, head, p.id)]
            assert kinds == (["row_total_mismatch"] if p.state == "draft" else []), p.group.name
            doc = plans.document_of(s, head, p.id)
            assert doc.header.budget_lines[1].amount == doc.sheet.budget_total > 0
        last_year = next(p for p in rows if p.fiscal_year == fy - 1)
        prog = plans.progress(s, head, last_year.id)
        assert 0 < prog.disbursed_baht_cumulative[-1] <= prog.planned_baht_cumulative[-1]
    db.dispose()
