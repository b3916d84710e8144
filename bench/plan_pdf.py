"""The printed action plan: the demo office's plan built as PDF in-process (warm) against
converting the same plan's xlsx export with LibreOffice headless, in the same run. Neither
side counts reading the plan: ours starts from the PlanDocument, LibreOffice from the xlsx
file. Prints figures, then `ratio=` last (ours / LibreOffice, medians). Target: ratio <= 0.1.
"""

from __future__ import annotations

import io
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

RUNS = int(os.environ.get("BENCH_RUNS", "7"))
LO_RUNS = int(os.environ.get("BENCH_LO_RUNS", "3"))


def demo_plan(folder: Path):
    """The demo database and its approved plan of this fiscal year (the first promotion group's)."""
    from sqlalchemy import select

    from app.bootstrap import open_app_database
    from app.models import User
    from app.services import plans
    from app.services.demo import create_demo_database

    create_demo_database(folder / "demo.sqlite3")
    db = open_app_database(folder / "demo.sqlite3")
    with db.session() as s:
        head = s.scalar(select(User).where(User.login == "head"))
        summaries = plans.list_plans(s, head)
        year = max(p.fiscal_year for p in summaries)
        plan = next(p for p in summaries if p.fiscal_year == year and p.state == "approved")
    return db, head, plan


def export_xlsx(db, user, plan, path: Path) -> str:
    """The plan's Excel export (the app's own when present, else the same table by openpyxl)."""
    try:
        from app.services import plan_exchange
    except ImportError:
        plan_exchange = None
    with db.session() as s:
        if plan_exchange is not None and hasattr(plan_exchange, "export_xlsx"):
            plan_exchange.export_xlsx(s, user, fiscal_year=plan.fiscal_year, unit=plan.group_name, path=path)
            return "app.services.plan_exchange.export_xlsx"
        from app.services import plans

        _table_xlsx(plans.document_of(s, user, plan.id), path)
    return "openpyxl table (plan_exchange.export_xlsx not available)"


def _table_xlsx(doc, path: Path) -> None:
    from openpyxl import Workbook

    from app.rules.plan import row_totals
    from app.thai import FISCAL_MONTH_ORDER, THAI_MONTHS_ABBR

    wb = Workbook()
    ws = wb.active
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.append([doc.sheet.title])
    ws.append(["กิจกรรม", "เป้าหมาย", *[THAI_MONTHS_ABBR[m] for m in FISCAL_MONTH_ORDER for _ in "งบ"], "รวม", "",
               "ผู้รับผิดชอบ"])
    for a in doc.sheet.activities:
        total = row_totals(a)
        ws.append([f"{a.number} {a.title}".strip(), f"{a.target_quantity or ''} {a.unit}".strip(),
                   *[v for m in a.months for v in (m.work or None, m.baht or None)], total.work, total.baht,
                   a.responsible])
    wb.save(path)


def libreoffice(xlsx: Path, out: Path, profile: Path) -> float:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        raise SystemExit("LibreOffice (soffice) is not installed")
    t0 = time.perf_counter()
    subprocess.run([exe, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(out), str(xlsx)], check=True, capture_output=True, timeout=300)
    elapsed = time.perf_counter() - t0
    if not (out / f"{xlsx.stem}.pdf").is_file():
        raise SystemExit("LibreOffice wrote no PDF")
    return elapsed


def main() -> None:
    from app.exchange.plan_pdf import build_plan_pdf
    from app.services import plans

    with tempfile.TemporaryDirectory(prefix="coopdesk-bench-") as tmp:
        folder = Path(tmp)
        t0 = time.perf_counter()
        db, head, plan = demo_plan(folder)
        print(f"demo database: {time.perf_counter() - t0:.1f} s; plan: {plan.group_name} FY {plan.fiscal_year} "
              f"revision {plan.revision} ({plan.state})")

        t0 = time.perf_counter()
        with db.session() as s:
            doc = plans.document_of(s, head, plan.id)
        print(f"reading the plan (not counted): {(time.perf_counter() - t0) * 1000:.0f} ms")

        def ours() -> tuple[float, bytes, int]:
            out = io.BytesIO()
            t = time.perf_counter()
            pages = build_plan_pdf(doc, out)
            return time.perf_counter() - t, out.getvalue(), pages

        first, data, pages = ours()  # fonts, the word-break dictionary, the shaping cache
        times = [ours()[0] for _ in range(RUNS)]
        ours_ms = statistics.median(times) * 1000
        print(f"ours: first build {first * 1000:.0f} ms; warm median {ours_ms:.0f} ms over {RUNS} runs "
              f"(min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f}); {len(data) // 1024} KiB, {pages} pages")

        xlsx = folder / "plan.xlsx"
        print(f"xlsx: {export_xlsx(db, head, plan, xlsx)}")
        profile, out = folder / "lo-profile", folder / "lo-out"
        setup = libreoffice(xlsx, out, profile)  # the first run creates the private profile
        lo = [libreoffice(xlsx, out, profile) for _ in range(LO_RUNS)]
        lo_ms = statistics.median(lo) * 1000
        print(f"libreoffice --convert-to pdf: profile setup run {setup * 1000:.0f} ms; median {lo_ms:.0f} ms over "
              f"{LO_RUNS} runs (min {min(lo) * 1000:.0f}, max {max(lo) * 1000:.0f})")
        db.dispose()
    print(f"ratio={ours_ms / lo_ms:.3f}")


if __name__ == "__main__":
    main()
