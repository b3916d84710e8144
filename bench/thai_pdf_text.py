"""Thai PDF text: a 2-page action-plan-like sheet (~300 table cells) built with
app.exchange.pdf (word-wrapped, shaped, ActualText) against the same sheet built with
reportlab's own shaped Paragraph cells (no Thai wrapping, not searchable) in the same run.
Prints figures, then `ratio=` last (ours / baseline, medians of warm builds).
"""

from __future__ import annotations

import io
import os
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from reportlab.lib.pagesizes import A4, landscape  # noqa: E402
from reportlab.lib.units import cm  # noqa: E402
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle  # noqa: E402

from app.exchange.pdf import cell, money_cell, sheet_styles  # noqa: E402
from app.thai import format_number, to_thai_digits  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "7"))
ACTIVITIES = [
    "ร่วมกับกลุ่ม กศ. วิเคราะห์สาเหตุและปัญหาของสหกรณ์ที่ไม่ผ่านมาตรฐาน",
    "ประชุมชี้แจงแนวทางการส่งเสริมสหกรณ์ให้แก่คณะกรรมการดำเนินการ",
    "ติดตามการแก้ไขข้อบกพร่องและหนี้ค้างชำระของสมาชิก",
    "แนะนำการจัดทำบัญชีและงบการเงินให้ปิดได้ภายใน ๑๕๐ วัน",
    "ส่งเสริมการมีส่วนร่วมของสมาชิกในการทำธุรกิจกับสหกรณ์",
]
MONTHS = ["ต.ค.", "พ.ย.", "ธ.ค.", "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย."]


def sheet(text_cell, amount_cell, rows: int = 20) -> list:
    st = sheet_styles(10)
    data = [[text_cell("ที่", st["center"]), text_cell("กิจกรรม", st["center"]), text_cell("เป้าหมาย", st["center"])]
            + [text_cell(m, st["center"]) for m in MONTHS]]
    for i in range(1, rows + 1):
        data.append([text_cell(to_thai_digits(f"{i // 10 + 1}.{i % 10}"), st["center"]),
                     text_cell(to_thai_digits(f"{ACTIVITIES[i % 5]} ครั้งที่ {i}"), st["body"]),
                     text_cell(to_thai_digits(f"{i % 9 + 1} ครั้ง"), st["center"])]
                    + [amount_cell(Decimal(1750) * ((i + m) % 9), st["number"]) for m in range(12)])
    table = Table(data, colWidths=[1.2 * cm, 5.3 * cm, 1.7 * cm] + [1.6 * cm] * 12, repeatRows=1)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.4, "black"), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return [text_cell("แผนปฏิบัติงานและแผนการใช้จ่ายงบประมาณ ประจำปีงบประมาณ ๒๕๖๗", st["title"]), table]


def ours() -> list:
    return sheet(cell, lambda amount, style: money_cell(amount, decimals=0, style=style))


def baseline() -> list:
    def amount(value, style):
        return Paragraph(format_number(value, 0, thai_digits=True), style)

    return sheet(Paragraph, amount)


def build(make_story) -> tuple[float, int]:
    t0 = time.perf_counter()
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=landscape(A4), leftMargin=30, rightMargin=30, topMargin=30,
                            bottomMargin=30)
    story = make_story()
    doc.build(story)
    return time.perf_counter() - t0, doc.page


def main() -> None:
    t0 = time.perf_counter()
    build(ours)  # first build: fonts, pythainlp dictionary, shaping cache
    print(f"first build in a fresh process: {(time.perf_counter() - t0) * 1000:.0f} ms")
    build(baseline)
    times: dict[str, list[float]] = {"ours": [], "baseline": []}
    pages: dict[str, int] = {}
    for _ in range(RUNS):  # alternate to share the machine's noise
        for name, make in (("ours", ours), ("baseline", baseline)):
            seconds, pages[name] = build(make)
            times[name].append(seconds)
    for name, values in times.items():
        print(f"{name}: median {statistics.median(values) * 1000:.0f} ms over {RUNS} warm builds "
              f"({pages[name]} pages)")
    print(f"ratio={statistics.median(times['ours']) / statistics.median(times['baseline']):.2f}")


if __name__ == "__main__":
    main()
