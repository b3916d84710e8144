"""The printed CPS documents: the travel-plan request and the monthly report, built from data
made through the services (as tests/services/test_visits.py does) and read back with
pdftotext; the xlsx and CLI tests reuse the month built here (cps_month)."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path
from xml.etree import ElementTree

import pytest

from app.errors import CoopDeskError, PermissionDenied, ValidationError
from app.exchange.visit_pdf import MEMO_MARGINS, MEMO_PAGE, REPORT_MARGINS, REPORT_PAGE, TRIP_WIDTHS, VISIT_WIDTHS
from app.models import TravelPlan, Visit
from app.rules.approval import short_hash
from app.rules.plan import MonthCell
from app.rules.registry import InstitutionData
from app.services import plans, registry, settings, users, visit_print
from app.services import visit_views as views
from app.services import visits as svc
from app.services.visits import NewFollowUp, VisitPlan, VisitReport
from tests.pdf.helpers import pdftotext, tool

OCT, NOV = date(2026, 10, 1), date(2026, 11, 1)  # ตุลาคม / พฤศจิกายน 2569, FY 2570
TODAY = date(2026, 11, 30)
PRINTED = datetime(2026, 11, 30, 3, 15, tzinfo=UTC)  # 10:15 in Thailand
THAI_DIGIT = re.compile("[๐-๙]")

OFFICER_NAME = "นางสาวดลิตา รัตนกุล"
DIRECTOR_NAME = "นายประเสริฐศักดิ์ อนุสร"
COOP_A = "สหกรณ์การเกษตรเมืองกำแพงเพชร จำกัด"
COOP_B = "สหกรณ์ผู้ใช้น้ำบ้านไร่ จำกัด"
COOP_C = "กลุ่มเกษตรกรทำนาคลองน้ำไหล"
OLD_ITEM = "งบการเงินปี ๒๕๖๘ ยังไม่ได้ส่งผู้สอบบัญชี"
NEW_ITEM = "ผู้ตรวจสอบกิจการยังไม่ส่งรายงานประจำไตรมาส"
FINDINGS = "ที่ประชุมคณะกรรมการยังไม่อนุมัติงบการเงิน เพราะผู้ตรวจสอบกิจการยังไม่ส่งรายงาน ลูกหนี้ค้างชำระเพิ่มขึ้น"
ADVICE = "ให้เร่งติดตามหนี้ค้างชำระ และนำเสนองบการเงินต่อที่ประชุมใหญ่ภายใน ๑๕๐ วัน"
RESPONSE = "คณะกรรมการรับไปดำเนินการ"
NEXT_STEP = "นัดประชุมคณะกรรมการอีกครั้งวันที่ ๒๖ พ.ย."
FINDINGS_B = "สมาชิกร้องเรียนเรื่องค่าน้ำที่ปรับขึ้น ต้องชี้แจงเหตุผลต่อที่ประชุมกลุ่ม"
CANCEL_REASON = "ฝนตกหนัก ถนนเข้าหมู่บ้านถูกน้ำท่วม"
PURPOSE_A = "ติดตามการปิดบัญชีและการเตรียมประชุมใหญ่สามัญประจำปี"
ACTIVITY_TITLE = "เจ้าหน้าที่ส่งเสริมเข้าแนะนำส่งเสริมตามแผนที่กำหนด"


@dataclass
class Month:
    """A November of one officer, made through the services: an approved travel plan, visits
    done (approved, submitted, draft report), one cancelled, one still planned; follow-ups
    raised in October carried into November and closed there."""

    officer: object
    colleague: object
    director: object
    head: object
    outsider: object
    coops: dict
    plan_id: str  # November's travel plan
    visits: dict  # name -> visit id
    group_id: str
    lineage: str


def _institution(db, admin, name, officer, reg_no, kind="coop", coop_type="agriculture", district="6201"):
    with db.transaction(admin.id) as s:
        return registry.create_institution(s, admin, InstitutionData(
            reg_no=reg_no, name=name, kind=kind, coop_type=coop_type if kind == "coop" else None,
            district_code=district, officer_id=officer.id, group_id=officer.group_id,
            acct_year_end_month=12, acct_year_end_day=31)).id


def _visit(db, user, officer, inst, day, **kw):
    with db.transaction(user.id) as s:
        return svc.create_visit(s, user, officer.id, VisitPlan(inst, day, **kw)).id


def _approve_trip(db, officer, director, plan_id):
    with db.transaction(officer.id) as s:
        svc.submit_travel_plan(s, officer, plan_id)
    with db.transaction(director.id) as s:
        digest = svc.travel_plan_hash(s, s.get(TravelPlan, plan_id))
        svc.approve_travel_plan(s, director, plan_id, reviewed_hash=digest)


def _report(db, officer, visit_id, **kw):
    with db.transaction(officer.id) as s:
        svc.save_report(s, officer, visit_id, VisitReport(**kw), today=TODAY)


def _submit_report(db, officer, visit_id):
    with db.transaction(officer.id) as s:
        svc.submit_report(s, officer, visit_id)


def _approve_report(db, director, visit_id):
    with db.transaction(director.id) as s:
        svc.approve_report(s, director, visit_id, reviewed_hash=svc.report_hash(s, s.get(Visit, visit_id)))


def travel_plan_of(db, visit_id) -> str:
    with db.session() as s:
        return s.get(Visit, visit_id).travel_plan_id


def build_month(db, admin, make_user, *, approve_november: bool = True) -> Month:
    officer = make_user("off1", "officer", group=0, name=OFFICER_NAME)
    colleague = make_user("off2", "officer", group=0, name="นายสมปอง รักงาน")
    director = make_user("dir1", "director", group=0, name=DIRECTOR_NAME)
    head = make_user("head", "provincial_head", group=None, name="นางอนงค์ ศรีสุข")
    outsider = make_user("off9", "officer", group=1, name="นายนอก กลุ่ม")
    coops = {
        "a": _institution(db, admin, COOP_A, officer, "กพ 000001"),
        "b": _institution(db, admin, COOP_B, officer, "กพ 000002", coop_type="service", district="6205"),
        "c": _institution(db, admin, COOP_C, officer, "กพ 000003", kind="farmer_group", district=None),
    }
    with db.transaction(director.id) as s:  # the group's plan: ๒.๓ counts places visited, 3 in November
        group = users.list_groups(s)[0]
        doc = plans.template_document(2570, group.name)
        rows = tuple(replace(a, months=(MonthCell(), MonthCell(3)) + (MonthCell(),) * 10, target_quantity=3)
                     if a.title.startswith(ACTIVITY_TITLE) else a for a in doc.sheet.activities)
        doc = replace(doc, sheet=replace(doc.sheet, activities=rows))
        plan = plans.create_plan(s, director, group_id=group.id, fiscal_year=2570, document=doc)
        lineage = next(a.lineage for a in plan.activities if a.title.startswith(ACTIVITY_TITLE))
        group_id = group.id

    # October: a visit to A raises two items, one due early November.
    oct_visit = _visit(db, officer, officer, coops["a"], date(2026, 10, 20), method="inspection")
    _approve_trip(db, officer, director, travel_plan_of(db, oct_visit))
    _report(db, officer, oct_visit, actual_date=date(2026, 10, 20), findings="ยังไม่ปิดบัญชี", advice="เร่งปิดบัญชี",
            raised=(NewFollowUp(OLD_ITEM, date(2026, 11, 5)), NewFollowUp("ทะเบียนสมาชิกไม่เป็นปัจจุบัน")))

    # November's plan.
    v = {
        "a": _visit(db, officer, officer, coops["a"], date(2026, 11, 10), planned_time="09:30",
                    method="board_meeting", purpose=PURPOSE_A, activity_lineage=lineage,
                    co_officer_ids=(colleague.id,)),
        "b": _visit(db, officer, officer, coops["b"], date(2026, 11, 12), planned_time="13:30",
                    method="member_meeting", purpose="ชี้แจงการปรับค่าบริการน้ำ"),
        "c": _visit(db, officer, officer, coops["c"], date(2026, 11, 17), method="inspection",
                    purpose="ตรวจเยี่ยมการทำธุรกิจรวบรวมผลผลิต", activity_lineage=lineage),
        "b2": _visit(db, officer, officer, coops["b"], date(2026, 11, 24), method="discussion",
                     purpose="หารือแผนธุรกิจปีหน้า"),
        "a2": _visit(db, officer, officer, coops["a"], date(2026, 11, 26), planned_time="10:00",
                     method="training", purpose="อบรมการจัดทำบัญชีให้เจ้าหน้าที่สหกรณ์"),
    }
    plan_id = travel_plan_of(db, v["a"])
    if approve_november:
        _approve_trip(db, officer, director, plan_id)
        with db.session() as s:
            old = next(f for f in svc.open_followups(s, coops["a"]) if f.description == OLD_ITEM)
        _report(db, officer, v["a"], actual_date=date(2026, 11, 10), findings=FINDINGS, advice=ADVICE,
                response=RESPONSE, next_step=NEXT_STEP, attendees_committee=9, resolved_ids=(old.id,),
                raised=(NewFollowUp(NEW_ITEM, date(2026, 12, 15)),))
        _submit_report(db, officer, v["a"])
        _approve_report(db, director, v["a"])
        _report(db, officer, v["b"], actual_date=date(2026, 11, 12), findings=FINDINGS_B,
                advice="ให้จัดประชุมกลุ่มสมาชิกชี้แจงโครงสร้างค่าน้ำ")
        _submit_report(db, officer, v["b"])
        _report(db, officer, v["c"], actual_date=date(2026, 11, 17), findings="ธุรกิจรวบรวมผลผลิตดำเนินการได้ดี",
                advice="ให้ขยายการรวบรวมข้าวเปลือก")
        with db.transaction(officer.id) as s:
            svc.cancel_visit(s, officer, v["b2"], CANCEL_REASON)
    return Month(officer, colleague, director, head, outsider, coops, plan_id, v, group_id, lineage)


@pytest.fixture
def cps_month(db, admin, make_user) -> Month:
    return build_month(db, admin, make_user)


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def one_line(text: str) -> str:
    return " ".join(text.split())


def travel_pdf(db, user, plan_id, path: Path, **kw) -> str:
    with db.session() as s:
        visit_print.travel_plan_pdf(s, user, plan_id, path, printed_at=PRINTED, **kw)
    return pdftotext(path)


def report_pdf(db, user, path: Path, **kw) -> str:
    with db.session() as s:
        visit_print.monthly_report_file(s, user, NOV, path, printed_at=PRINTED, **kw)
    return pdftotext(path)


def pages_of(text: str) -> int:
    return text.count("\f")


def column(path: Path, widths: list[float], index: int, *, landscape: bool = False) -> str:
    """The text of one table column on every page, top to bottom: pdftotext's reading order
    mixes the lines of neighbouring cells, a crop to the column does not."""
    page, margins = (REPORT_PAGE, REPORT_MARGINS) if landscape else (MEMO_PAGE, MEMO_MARGINS)
    left = margins[0] + sum(widths[:index])
    return pdftotext(path, "-x", str(int(left) + 1), "-y", "0", "-W", str(int(widths[index]) - 2),
                     "-H", str(int(page[1])))


def trip_column(path: Path, index: int) -> str:
    return squeeze(column(path, TRIP_WIDTHS, index))


def visit_column(path: Path, index: int) -> str:
    return squeeze(column(path, VISIT_WIDTHS, index, landscape=True))


# -- the travel-plan request -------------------------------------------------------------------------

def test_travel_plan_request_reads_back_exactly(db, cps_month, tmp_path):
    m = cps_month
    path = tmp_path / "trip.pdf"
    text = travel_pdf(db, m.officer, m.plan_id, path)
    flat = squeeze(text)
    assert "บันทึกข้อความ" in text
    assert "ขออนุมัติเดินทางไปปฏิบัติงาน ประจำเดือนพฤศจิกายน ๒๕๖๙" in one_line(text)
    assert "สำนักงานสหกรณ์จังหวัดกำแพงเพชร" in text
    assert squeeze(OFFICER_NAME) in flat and squeeze(DIRECTOR_NAME) in flat
    places = trip_column(path, 2)
    for name in (COOP_A, COOP_B, COOP_C):
        assert squeeze(name) in places, name
    # the district under the name, where the registry knows it (C has none)
    assert squeeze(f"{COOP_A}อ.เมืองกำแพงเพชร") in places and squeeze(f"{COOP_C}สหกรณ์ผู้ใช้") in places
    assert squeeze(PURPOSE_A) in trip_column(path, 4)
    for day in ("๑๐ พ.ย. ๖๙", "๑๒ พ.ย. ๖๙", "๑๗ พ.ย. ๖๙", "๒๔ พ.ย. ๖๙", "๒๖ พ.ย. ๖๙"):
        assert day in text
    assert squeeze("๑๐ พ.ย. ๖๙ ๐๙:๓๐ น. ๑๒ พ.ย. ๖๙ ๑๓:๓๐ น. ๑๗ พ.ย. ๖๙") in trip_column(path, 1)
    assert squeeze("เข้าร่วมประชุมคณะกรรมการ ประชุมกลุ่มสมาชิก ตรวจเยี่ยม/ตรวจการ ประชุมหารือ ฝึกอบรม/ให้ความรู้"
                   ) in trip_column(path, 3)
    assert "รวม ๕ ครั้ง ๓ แห่ง" in text
    assert "ผู้ร่วมเดินทาง: นายสมปอง รักงาน" in one_line(text)
    assert not re.search("[\ue000-\uf8ff\u0e4d]", text)  # no private-use glyphs, no ำ split into ํ + า
    assert not re.search(r"[0-9]", re.sub(r"รหัสตรวจสอบ [0-9a-f]{12}", "", one_line(text)))
    assert pages_of(text) == 1 and "หน้า ๑/๑" in text


def test_open_followups_are_carried_into_the_next_visit(db, admin, make_user, tmp_path):
    m = build_month(db, admin, make_user, approve_november=False)  # before November's visits happen
    path = tmp_path / "draft.pdf"
    travel_pdf(db, m.officer, m.plan_id, path)
    issues = trip_column(path, 4)
    # A's two visits carry both October items, the overdue one first, with how late it is.
    first = squeeze(f"{PURPOSE_A} ข้อสังเกตค้าง ณ วันที่พิมพ์: - {OLD_ITEM} (เกินกำหนด ๕ วัน) - ทะเบียนสมาชิกไม่เป็นปัจจุบัน")
    assert first in issues  # 10 Nov
    assert squeeze(f"- {OLD_ITEM} (เกินกำหนด ๒๑ วัน) - ทะเบียนสมาชิกไม่เป็นปัจจุบัน") in issues  # 26 Nov
    assert issues.count(squeeze("ข้อสังเกตค้าง ณ วันที่พิมพ์:")) == 2  # B and C have nothing open


def test_draft_is_marked_and_approved_is_stamped(db, admin, make_user, tmp_path):
    m = build_month(db, admin, make_user, approve_november=False)
    draft = travel_pdf(db, m.officer, m.plan_id, tmp_path / "draft.pdf")
    assert draft.count("ร่าง") == pages_of(draft)  # the watermark, on every page
    assert "อนุมัติโดย" not in draft and "รหัสตรวจสอบ" not in draft
    assert "(...." in draft or DIRECTOR_NAME in draft  # the approver signs under the director's name
    _approve_trip(db, m.officer, m.director, m.plan_id)
    approved = travel_pdf(db, m.officer, m.plan_id, tmp_path / "approved.pdf")
    with db.session() as s:
        code = short_hash(s.get(TravelPlan, m.plan_id).approved_hash)
    assert "ร่าง" not in approved
    stamp = re.search(r"อนุมัติโดย (.+?) เมื่อ (.+?) รหัสตรวจสอบ ([0-9a-f]{12})", one_line(approved))
    assert stamp, approved[:800]
    assert stamp.group(1) == f"{DIRECTOR_NAME} นักวิชาการสหกรณ์"
    assert re.fullmatch(r"[๐-๙]{1,2} \S+ [๐-๙]{4} เวลา [๐-๙]{2}:[๐-๙]{2} น\.", stamp.group(2))
    assert stamp.group(3) == code
    assert one_line(approved).count(f"รหัสตรวจสอบ {code}") == 1 + pages_of(approved)  # the stamp, each footer
    assert "ผู้อำนวยการกลุ่มส่งเสริมสหกรณ์" in approved


def test_arabic_digits_when_the_office_says_so(db, cps_month, tmp_path):
    m = cps_month
    with db.transaction(m.officer.id) as s:
        settings.put(s, m.officer, "print.thai_digits", False)
    text = travel_pdf(db, m.officer, m.plan_id, tmp_path / "arabic.pdf")
    assert "ประจำเดือนพฤศจิกายน 2569" in one_line(text) and "09:30 น." in text and "หน้า 1/1" in text
    assert "งบการเงินปี 2568" not in text  # A's old item was resolved on 10 Nov ...
    assert not THAI_DIGIT.search(text)  # ... and every digit, text included, is Arabic
    thai = travel_pdf(db, m.officer, m.plan_id, tmp_path / "thai.pdf", thai_digits=True)
    assert "๐๙:๓๐ น." in thai


def test_a_long_month_runs_over_pages_with_the_header_repeated(db, cps_month, tmp_path):
    m = cps_month
    with db.transaction(m.officer.id) as s:
        for day in range(2, 31):
            d = date(2026, 12, day)
            if d.weekday() < 5:
                for inst in m.coops.values():
                    svc.create_visit(s, m.officer, m.officer.id, VisitPlan(inst, d, purpose=FINDINGS))
        plan = svc.travel_plan_of(s, m.officer, m.officer.id, date(2026, 12, 1))
    path = tmp_path / "long.pdf"
    text = travel_pdf(db, m.officer, plan.id, path)
    pages = pages_of(text)
    assert pages >= 3
    for page in range(1, pages + 1):
        one = squeeze(pdftotext(path, "-f", str(page), "-l", str(page)))
        assert f"หน้า{'๐๑๒๓๔๕๖๗๘๙'[page]}/{'๐๑๒๓๔๕๖๗๘๙'[pages]}" in one
        assert "ร่าง" in one
        if page < pages:
            assert "ประเด็น/เรื่องที่ติดตาม" in one
    last = squeeze(pdftotext(path, "-f", str(pages), "-l", str(pages)))
    assert "ผู้ขออนุมัติ" in last and "ผู้อนุมัติ" in last


def test_travel_plan_permissions_and_file_errors(db, cps_month, tmp_path):
    m = cps_month
    with pytest.raises(PermissionDenied), db.session() as s:
        visit_print.travel_plan_pdf(s, m.outsider, m.plan_id, tmp_path / "x.pdf")
    with pytest.raises(ValidationError, match=r"\.pdf"), db.session() as s:
        visit_print.travel_plan_pdf(s, m.officer, m.plan_id, tmp_path / "x.docx")
    with pytest.raises(CoopDeskError), db.session() as s:
        visit_print.travel_plan_pdf(s, m.officer, m.plan_id, tmp_path / "none" / "x.pdf")
    target = tmp_path / "แผนการเดินทาง.pdf"
    target.write_bytes(b"old")
    with db.session() as s:
        assert visit_print.travel_plan_pdf(s, m.director, m.plan_id, target) == target
        data = visit_print.travel_plan_pdf_bytes(s, m.head, m.plan_id)
    assert target.read_bytes().startswith(b"%PDF") and data.startswith(b"%PDF")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temp file left


# -- the monthly report --------------------------------------------------------------------------------

def test_monthly_report_of_an_officer(db, cps_month, tmp_path):
    m = cps_month
    path = tmp_path / "report.pdf"
    text = report_pdf(db, m.officer, path, officer_id=m.officer.id)
    flat, line = squeeze(text), one_line(text)
    assert "รายงานผลการปฏิบัติงานส่งเสริมสหกรณ์ (CPS) ประจำเดือนพฤศจิกายน ๒๕๖๙" in line
    assert f"ผู้ปฏิบัติงาน {OFFICER_NAME}" in line and "สำนักงานสหกรณ์จังหวัดกำแพงเพชร" in text
    # each column in visit order
    assert squeeze("วันที่ ๑๐ พ.ย. ๖๙ ๑๒ พ.ย. ๖๙ ๑๗ พ.ย. ๖๙ ๒๔ พ.ย. ๖๙ ๒๖ พ.ย. ๖๙") in visit_column(path, 1)
    assert squeeze(f"{COOP_A}{COOP_B}{COOP_C}{COOP_B}{COOP_A}") in visit_column(path, 2)
    assert squeeze(f"สภาพปัญหา/ข้อสังเกต {FINDINGS} {FINDINGS_B} ธุรกิจรวบรวมผลผลิตดำเนินการได้ดี"
                   f" ไม่ได้ไปเยี่ยม: {CANCEL_REASON} ยังไม่ได้บันทึกผลการเยี่ยม") in visit_column(path, 4)
    assert squeeze(ADVICE) in visit_column(path, 5)
    assert squeeze(f"{RESPONSE} ขั้นต่อไป: {NEXT_STEP}") in visit_column(path, 6)
    assert squeeze("สถานะ รายงาน อนุมัติแล้ว รออนุมัติ ร่าง ร่าง ยังไม่รายงาน") in visit_column(path, 7)
    for piece in (NEW_ITEM, OLD_ITEM):
        assert squeeze(piece) in flat, piece
    # the summary
    for label, value in (("นัดเยี่ยมตามแผน", "๕ ครั้ง"), ("ไปเยี่ยมแล้ว", "๓ ครั้ง"), ("ไม่ได้ไปตามนัด", "๑ ครั้ง"),
                         ("ยังไม่ได้บันทึกผล", "๑ ครั้ง"), ("สหกรณ์/กลุ่มเกษตรกรที่ได้เยี่ยม", "๓ แห่ง"),
                         ("ข้อสังเกตที่พบใหม่", "๑ เรื่อง"), ("ข้อสังเกตที่ปิดแล้ว", "๑ เรื่อง")):
        assert squeeze(label + value) in flat, label
    for label in ("เข้าร่วมประชุมคณะกรรมการ", "ประชุมกลุ่มสมาชิก", "ตรวจเยี่ยม/ตรวจการ"):
        assert squeeze(f"{label}๑ ครั้ง") in flat
    assert squeeze("อนุมัติแล้ว๑ รายการ") in flat and squeeze("รออนุมัติ๑ รายการ") in flat
    assert "ยังไม่รายงาน" in text and "แก้ไขแล้ว" in text
    assert "๑๕ ธ.ค. ๖๙" in text  # the new item's due date
    # plan against approved visits: ๒.๓ planned 3, one approved report counted
    assert squeeze(f"๒.๓ {ACTIVITY_TITLE}") in flat
    assert squeeze("แห่ง๓๑๓๓") in flat
    assert "ผู้รายงาน" in text and DIRECTOR_NAME in text
    assert not re.search("[\ue000-\uf8ff\u0e4d]", text)
    assert not re.search(r"[0-9]", text)
    assert 1 <= pages_of(text) <= 3 and f"หน้า ๑/{'๐๑๒๓๔๕๖๗๘๙'[pages_of(text)]}" in text


def test_monthly_report_scopes(db, cps_month, tmp_path):
    m = cps_month
    group = report_pdf(db, m.director, tmp_path / "group.pdf", group_id=m.group_id)
    assert "กลุ่มส่งเสริมสหกรณ์" in group and squeeze(COOP_A) in squeeze(group)
    office = report_pdf(db, m.head, tmp_path / "office.pdf")
    assert "ภาพรวมทั้งสำนักงาน" in office and "สหกรณ์จังหวัด" in office
    assert squeeze(FINDINGS) in visit_column(tmp_path / "office.pdf", 4)
    own = one_line(report_pdf(db, m.officer, tmp_path / "own.pdf"))  # no scope: what the officer may see
    assert "กลุ่มส่งเสริมสหกรณ์ ๑ สรุปการเยี่ยม" in own and "ภาพรวมทั้งสำนักงาน" not in own
    empty = report_pdf(db, m.officer, tmp_path / "empty.pdf", officer_id=m.colleague.id)
    assert "ไม่มีการเยี่ยมในเดือนนี้" in empty and "- ไม่มี -" in empty
    with pytest.raises(PermissionDenied), db.session() as s:  # another group's officer
        visit_print.monthly_report_file(s, m.outsider, NOV, tmp_path / "x.pdf", officer_id=m.officer.id)
    with pytest.raises(PermissionDenied), db.session() as s:
        visit_print.monthly_report_file(s, m.outsider, NOV, tmp_path / "x.pdf", group_id=m.group_id)
    assert not (tmp_path / "x.pdf").exists()


def test_monthly_report_refuses_other_formats_with_one_thai_sentence(db, cps_month, tmp_path):
    m = cps_month
    out = tmp_path / "out"
    out.mkdir()
    for name in ("report.docx", "report", "report.csv"):
        with pytest.raises(ValidationError) as info, db.session() as s:
            visit_print.monthly_report_file(s, m.officer, NOV, out / name)
        assert "\n" not in info.value.message and ".pdf" in info.value.message and ".xlsx" in info.value.message
    assert list(out.iterdir()) == []
    with db.session() as s:
        assert visit_print.monthly_report_file(s, m.officer, NOV, out / "R.PDF").exists()
        assert visit_print.monthly_report_pdf_bytes(s, m.officer, NOV).startswith(b"%PDF")


def test_monthly_report_matches_the_services_view(db, cps_month):
    m = cps_month
    with db.session() as s:
        report, scope, signers = visit_print.monthly_report(s, m.officer, NOV, officer_id=m.officer.id)
        direct = views.monthly_report(s, m.officer, NOV, officer_id=m.officer.id)
    assert report == direct
    assert [p.planned for p in report.plan_lines] == [3] and [p.approved_visits for p in report.plan_lines] == [1]
    assert signers[0] == ("ผู้รายงาน", OFFICER_NAME, "นักวิชาการสหกรณ์")
    assert signers[1][1] == DIRECTOR_NAME and signers[1][2].startswith("ผู้อำนวยการกลุ่มส่งเสริมสหกรณ์")
    assert OFFICER_NAME in scope


def test_a_finding_longer_than_a_page_is_split_across_pages(db, cps_month, tmp_path):
    """A row taller than a page splits inside the row (reportlab would otherwise fail the
    whole report), and every split part stays above the footer."""
    m = cps_month
    long = " ".join(f"{i}. {FINDINGS}" for i in range(1, 41))
    _report(db, m.officer, m.visits["c"], actual_date=date(2026, 11, 17), findings=long, advice="ให้ติดตามต่อ")
    path = tmp_path / "long.pdf"
    text = report_pdf(db, m.officer, path, officer_id=m.officer.id)
    assert pages_of(text) >= 3
    done = subprocess.run([tool("pdftotext"), "-bbox", str(path), "-"], capture_output=True, check=True)
    ns = "{http://www.w3.org/1999/xhtml}"
    footer_top = REPORT_PAGE[1] - REPORT_MARGINS[3]
    low = [w.text for page in ElementTree.fromstring(done.stdout).iter(f"{ns}page")
           for w in page.iter(f"{ns}word") if float(w.get("yMax")) > footer_top]
    assert low and not any("ลูกหนี้" in (word or "") for word in low), low
    column_text = visit_column(path, 4)
    assert all(f"{squeeze(n)}.{squeeze(FINDINGS)}" in column_text
               for n in ("๑", "๑๐", "๒๕", "๔๐"))  # every part of the finding, in Thai digits
