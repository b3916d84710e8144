"""The printed action plan: read back with pdftotext, looked at as pixels, printed by the CLI."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from xml.etree import ElementTree

import pytest

from app.errors import CoopDeskError
from app.exchange.plan_pdf import build_plan_pdf
from app.models.base import new_id
from app.rules.plan import MonthCell, PlanActivity, short_fingerprint, year_total
from app.services import plan_print, plans, users
from app.thai import break_words, format_number, to_thai_digits
from tests.conftest import USER_PASSWORD
from tests.pdf.helpers import ink_rows, pdftotext, tool

FY = 2569
ROOT = Path(__file__).resolve().parents[2]
THAI_DIGIT = re.compile("[๐-๙]")
HEADER_WORDS = ("กิจกรรม/ขั้นตอนของกิจกรรม", "ไตรมาส๑", "ไตรมาส๔", "ต.ค.", "ก.ย.", "งาน", "งบ", "รวมทั้งปี")


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def filled(doc, *, extra_rows: int = 0):
    """The template with figures: seed 004's seven meetings of 1,750 on (๑), one visit a
    month elsewhere, and `extra_rows` more activities to make the sheet longer."""
    rows, spending = [], False
    for a in doc.sheet.activities:
        if a.is_heading:
            spending = a.title == "แผนการใช้จ่ายงบประมาณ"
        elif spending and a.number == "(๑)":
            months = [MonthCell(1, Decimal(1750)) if m in (1, 2, 3, 4, 5, 7, 9) else MonthCell() for m in range(12)]
            a = replace(a, months=tuple(months), target_quantity=7, responsible="นางสาวดลิตา รัตนกุล")
        elif a.unit:
            a = replace(a, months=(MonthCell(1),) * 12, target_quantity=12)
        rows.append(a)
    september = (MonthCell(),) * 11 + (MonthCell(3, Decimal("999.50")),)
    rows += [PlanActivity(key=new_id(), number=f"({i + 4})", unit="แห่ง", target_quantity=3, months=september,
                          title=f"ติดตามผลการดำเนินงานของสหกรณ์ที่ได้รับการแนะนำ รอบที่ {to_thai_digits(i + 1)}")
             for i in range(extra_rows)]
    return replace(doc, sheet=replace(doc.sheet, activities=tuple(rows)))


@pytest.fixture
def team(db, admin, make_user):
    return {"officer": make_user("off1", "officer", group=0, name="นางสาวดลิตา รัตนกุล"),
            "director": make_user("dir1", "director", group=0, name="นายประเสริฐศักดิ์ อนุสร")}


def make_plan(db, officer, doc=None) -> str:
    with db.transaction(officer.id) as s:
        group = users.list_groups(s)[0]
        doc = doc or filled(plans.template_document(FY, group.name))
        return plans.create_plan(s, officer, group_id=group.id, fiscal_year=FY, document=doc,
                                 revision_label="แผนปฏิบัติงานครั้งที่ ๑").id


@pytest.fixture
def plan_id(db, team):
    return make_plan(db, team["officer"])


def printed(db, user, plan_id, path: Path, **options) -> tuple[str, int]:
    with db.session() as s:
        pages = build_plan_pdf(plans.document_of(s, user, plan_id), str(path), **options)
    return pdftotext(path), pages


def test_every_title_comes_back_exactly(db, team, plan_id, tmp_path):
    text, pages = printed(db, team["officer"], plan_id, tmp_path / "plan.pdf")
    with db.session() as s:
        doc = plans.document_of(s, team["officer"], plan_id)
    # Titles wrap across lines inside their cell: only line breaks may differ.
    flat = squeeze(text)
    missing = [a.title for a in doc.sheet.activities if squeeze(a.title) not in flat]
    assert missing == []
    assert not re.search("[\ue000-\uf8ff\u0e4d]", text)  # no private-use glyphs, no ำ split into ํ + า
    assert text.count("\f") == pages >= 2
    assert "หน้า ๑/" + "๐๑๒๓๔๕๖๗๘๙"[pages] in text


def test_wrapped_titles_break_between_words(db, team, plan_id, tmp_path):
    text, _ = printed(db, team["officer"], plan_id, tmp_path / "plan.pdf")
    with db.session() as s:
        row = max(plans.document_of(s, team["officer"], plan_id).sheet.activities, key=lambda a: len(a.title))
    title, label = row.title, f"{row.number} "
    words = break_words(title)
    starts = {sum(len(w) for w in words[:i]) for i in range(len(words) + 1)}
    lines = [line.strip() for line in text.split("\n")]
    i = next(i for i, line in enumerate(lines) if line.startswith(label) and title.startswith(line[len(label):]))
    lines[i] = lines[i][len(label):]
    pos, ends = 0, []
    for line in lines[i:]:  # the title's lines follow each other; a break eats one space
        pos += title[pos] == " "
        assert title.startswith(line, pos), (line, title[pos:])
        pos += len(line)
        ends.append(pos)
        if pos == len(title):
            break
    assert len(ends) > 2 and set(ends) <= starts


def test_thai_digits_by_default_arabic_on_request(db, team, plan_id, tmp_path):
    thai, _ = printed(db, team["officer"], plan_id, tmp_path / "thai.pdf")
    arabic, _ = printed(db, team["officer"], plan_id, tmp_path / "arabic.pdf", thai_digits=False)
    assert "๑๒,๒๕๐.๐๐" in thai and "ไตรมาส ๑" in thai and "12,250" not in thai
    assert not re.search(r"[0-9]", re.sub(r"รหัสตรวจสอบ [0-9a-f]{12}", "", thai))  # only the hex code
    assert "12,250.00" in arabic and "ไตรมาส 1" in arabic and "หน้า 1/" in arabic
    assert not THAI_DIGIT.search(arabic)


def test_totals_are_computed_not_stated(db, team, tmp_path):
    with db.transaction(team["officer"].id) as s:
        group = users.list_groups(s)[0]
        doc = filled(plans.template_document(FY, group.name))
    # Seed 004's slip: 7 × 1,750 stated as 13,650.
    rows = tuple(replace(a, stated_total_baht=Decimal(13650)) if a.months[1].baht else a
                 for a in doc.sheet.activities)
    doc = replace(doc, sheet=replace(doc.sheet, activities=rows, budget_total=Decimal(13650)))
    plan = make_plan(db, team["officer"], doc)
    text, _ = printed(db, team["officer"], plan, tmp_path / "totals.pdf")
    assert "๑๒,๒๕๐.๐๐" in text  # the row's and the year's total, from the month cells
    assert "๑๓,๖๕๐.๐๐ บาท" in text  # the header states what the plan says it has ...
    assert squeeze(text).count("๑๓,๖๕๐") == 1  # ... and no computed total repeats the slip
    assert year_total(doc.sheet).baht == Decimal(12250)


def test_satang_in_a_month_prints_two_decimals_everywhere(db, team, tmp_path):
    with db.transaction(team["officer"].id) as s:
        group = users.list_groups(s)[0]
        doc = filled(plans.template_document(FY, group.name), extra_rows=1)
    plan = make_plan(db, team["officer"], doc)
    text, _ = printed(db, team["officer"], plan, tmp_path / "satang.pdf")
    assert "๙๙๙.๕๐" in text and "๑,๗๕๐.๐๐" in text  # month cells, not rounded to whole baht
    assert format_number(Decimal("13249.50"), 2, True) in text  # the year total


def test_draft_is_marked_and_approved_is_stamped(db, team, plan_id, tmp_path):
    officer, director = team["officer"], team["director"]
    draft, pages = printed(db, officer, plan_id, tmp_path / "draft.pdf")
    assert draft.count("ร่าง") == pages  # the watermark, on every page
    assert "อนุมัติโดย" not in draft
    with db.transaction(officer.id) as s:
        plans.submit_plan(s, officer, plan_id, acknowledge_findings=True)
    with db.transaction(director.id) as s:
        plans.approve_plan(s, director, plan_id, reviewed_hash=plans.fingerprint_of(s, director, plan_id))
    approved, _ = printed(db, officer, plan_id, tmp_path / "approved.pdf")
    with db.session() as s:
        doc = plans.document_of(s, officer, plan_id)
    code = short_fingerprint(doc.sheet)
    assert doc.approval.fingerprint == code
    assert "ร่าง" not in approved
    stamp = re.search(r"อนุมัติโดย (.+?) เมื่อ (.+?) รหัสตรวจสอบ ([0-9a-f]{12})", " ".join(approved.split()))
    assert stamp, approved[:600]
    assert stamp.group(1) == "นายประเสริฐศักดิ์ อนุสร นักวิชาการสหกรณ์"
    assert re.fullmatch(r"[๐-๙]{1,2} \S+ [๐-๙]{4} เวลา [๐-๙]{2}:[๐-๙]{2} น\.", stamp.group(2))
    assert stamp.group(3) == code
    assert approved.count(f"รหัสตรวจสอบ {code}") == 1 + approved.count("\f")  # the stamp and each footer


def test_table_header_repeats_on_every_page(db, team, tmp_path):
    with db.transaction(team["officer"].id) as s:
        doc = filled(plans.template_document(FY, users.list_groups(s)[0].name), extra_rows=40)
    plan = make_plan(db, team["officer"], doc)
    path = tmp_path / "long.pdf"
    _, pages = printed(db, team["officer"], plan, path)
    assert pages >= 3
    for page in range(1, pages + 1):
        text = squeeze(pdftotext(path, "-f", str(page), "-l", str(page)))
        if page < pages or "รอบที่" in text:  # the last page may hold only the signatures
            assert all(word in text for word in HEADER_WORDS), page
        assert f"หน้า{'๐๑๒๓๔๕๖๗๘๙'[page]}/{'๐๑๒๓๔๕๖๗๘๙'[pages]}" in text
    last = squeeze(pdftotext(path, "-f", str(pages), "-l", str(pages)))
    for label in ("ผู้เสนอแผน", "ผู้รับผิดชอบโครงการ", "ผู้อนุมัติแผน"):
        assert label in last  # the three signature blocks stay together on the last page


def word_boxes(path: Path, page: int) -> list[tuple[str, tuple[float, ...]]]:
    done = subprocess.run([tool("pdftotext"), "-bbox", "-f", str(page), "-l", str(page), str(path), "-"],
                          capture_output=True, check=True)
    root = ElementTree.fromstring(done.stdout)
    return [(w.text, tuple(float(w.get(k)) for k in ("xMin", "yMin", "xMax", "yMax")))
            for w in root.iter("{http://www.w3.org/1999/xhtml}word")]


def test_tone_mark_over_upper_vowel_in_a_printed_title(db, team, tmp_path):
    """ที่ against ที, as the sheet prints them in the activity column (8 pt, 300 dpi)."""
    with db.transaction(team["officer"].id) as s:
        doc = plans.template_document(FY, users.list_groups(s)[0].name)
    pair = tuple(PlanActivity(key=new_id(), title=t) for t in ("ที่", "ที"))
    doc = replace(doc, sheet=replace(doc.sheet, activities=pair + doc.sheet.activities))
    path = tmp_path / "tone.pdf"
    printed(db, team["officer"], make_plan(db, team["officer"], doc), path)
    boxes = {text: box for text, box in word_boxes(path, 1) if text in ("ที่", "ที")}
    dpi = 300
    subprocess.run([tool("pdftoppm"), "-r", str(dpi), "-f", "1", "-l", "1", "-gray", "-png", str(path),
                    str(tmp_path / "tone")], check=True, capture_output=True)
    from PIL import Image

    (png,) = tmp_path.glob("tone-*.png")
    page = Image.open(png).convert("L")
    scale = dpi / 72

    def ink(word: str) -> tuple[list[int], list[int]]:
        """Rows of the cell's top line and rows of the word's ink, in a crop from 4 pt above."""
        x0, y0, x1, y1 = boxes[word]
        crop = page.crop((round(x0 * scale), round((y0 - 4) * scale), round(x1 * scale), round(y1 * scale)))
        w, h = crop.size
        px = crop.load()
        line = [y for y in range(h) if sum(px[x, y] < 200 for x in range(w)) >= 0.9 * w]
        return line, [y for y in ink_rows(crop) if y not in line]

    (border, marked), (_, bare) = ink("ที่"), ink("ที")
    assert marked[-1] == pytest.approx(bare[-1], abs=1)  # same baseline
    assert marked[0] < bare[0] - 4, (marked[0], bare[0])  # the tone mark stands above the vowel
    gap = [y for y in range(marked[0], bare[0]) if y not in marked]
    assert len(gap) >= 1  # ... as its own stroke, not fused with it
    assert border and marked[0] > max(border) + 2, (border, marked[0])  # and clear of the cell's top line


def test_service_writes_atomically_and_returns_bytes(db, team, plan_id, tmp_path):
    officer = team["officer"]
    target = tmp_path / "แผน.pdf"
    target.write_bytes(b"old")
    with db.session() as s:
        group = users.list_groups(s)[0]
        pages = plan_print.print_pdf(s, officer, fiscal_year=FY, unit=group.name, path=target)
        data = plan_print.pdf_bytes(s, officer, plan_id, thai_digits=False)
    assert target.read_bytes().startswith(b"%PDF") and pages >= 2
    assert data.startswith(b"%PDF") and data.rstrip().endswith(b"%%EOF")
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []  # no temp file left
    with pytest.raises(CoopDeskError), db.session() as s:
        plan_print.print_pdf(s, officer, fiscal_year=FY, unit=None, path=tmp_path / "none" / "x.pdf")


def coopdesk(db, *args: str, home: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("COOPDESK_")}
    env.update(COOPDESK_PASSWORD=USER_PASSWORD, COOPDESK_HOME=str(home))
    return subprocess.run([sys.executable, "-m", "app", "--db", str(db.path), "--user", "off1", *args],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False)


def test_cli_prints_the_plan_and_a_missing_plan_fails_with_one_line(db, team, plan_id, tmp_path):
    out_file = tmp_path / "plan.pdf"
    done = coopdesk(db, "plan", "print", "--year", str(FY), "--out", str(out_file), home=tmp_path)
    assert done.returncode == 0, done.stderr
    pages = pdftotext(out_file).count("\f")
    assert str(out_file) in done.stdout and f"({pages} หน้า)" in done.stdout
    arabic = tmp_path / "arabic.pdf"
    done = coopdesk(db, "plan", "print", "--year", str(FY), "--arabic-digits", "--out", str(arabic), home=tmp_path)
    assert done.returncode == 0 and "หน้า 1/" in pdftotext(arabic), done.stderr
    missing = tmp_path / "missing.pdf"
    done = coopdesk(db, "plan", "print", "--year", str(FY + 1), "--out", str(missing), home=tmp_path)
    assert done.returncode != 0 and done.stdout == "" and not missing.exists()
    assert done.stderr.count("\n") == 1 and "ยังไม่มีแผนปฏิบัติงานปีงบประมาณ" in done.stderr
