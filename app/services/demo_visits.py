"""Demo CPS visits: a year of the five demo officers' field work, ending with this month
and reaching into next month's first plans, written through the visit services (so
permissions, content hashes, the approval history and the audit log run as they do in an
office). An office has every state at once, and so does the demo:

  - travel plans: past months approved by the group's director (now and then the head,
    when the director is away), one sent back and fixed first now and then; this month's
    plan approved, then for one officer a visit moved (needs re-approval), for two a
    visit added and the plan sent again (submitted), for one a visit added and the plan
    returned with the director's comment; next month's plans draft, submitted or approved;
  - visits: done, with reports approved (most past ones), a few reports returned and
    fixed on the way; last month's latest report of each officer still submitted,
    returned with a comment, re-opened after approval (needs re-approval) or a draft;
    this month's written up as drafts or submitted, some not yet written up; a few
    cancelled with a reason;
  - follow-up items raised in a visit, carried into the next visits to the same
    institution, resolved there or dropped with a reason, and some still open past their
    due date;
  - visits counted toward the group's action plan: each is tied, while the month's work
    units last, to the plan activity (unit แห่ง) that fits the institution — a strength
    class 1 or 2 cooperative to its class row, a farmer group to the farmer-group row, a
    weak one to the standards row — as visit_views.activity_choices offers them, so the
    approved reports show in plans.progress.

Reproducibility: every choice comes from `random.Random(f"{seed}/visits")`, institutions
are taken in registration-number order, and days are laid out relative to `today`
(working days of app.thai.default_calendar()). The same seed on the same day gives the
same visits (ids and timestamps aside). Approval times are the real time the demo was
made: the services stamp them, and the demo does not fake a clock.

`add_visit_history` is for performance work, not the demo: years of approved visits
inserted in bulk (see its docstring).
"""

from __future__ import annotations

import random
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from types import SimpleNamespace

from sqlalchemy import event, func, insert, select
from sqlalchemy.orm import Session

from app.models import (
    ApprovalEvent,
    FollowUpItem,
    Institution,
    InstitutionYear,
    Office,
    TravelPlan,
    User,
    Visit,
)
from app.models.base import SESSION_OFFICE, next_change_seqs, new_id
from app.models.types import utcnow
from app.rules import approval
from app.rules import visits as rules
from app.rules.registry import sector
from app.services import audit
from app.services import visits as svc
from app.services.visit_views import VISIT_UNITS, activity_choices
from app.thai import THAI_TIME, add_working_days, default_calendar

OFFICERS = ("officer1", "officer2", "officer3", "officer4", "officer5")
MONTHS_BACK = 11  # the current month and the eleven before it
VISITS_PER_MONTH = (3, 5)
NEXT_MONTH_VISITS = (2, 3)
HEAD_STANDS_IN = 0.1  # chance that the head approves a group's month (director away)
CANCEL_CHANCE = 0.05
RETURN_AND_FIX_CHANCE = 0.04  # an approved report that was sent back once on the way
TRAVEL_RETURN_CHANCE = 0.08  # a past travel plan returned once before approval

# The states that last month's latest report of each officer is left in, by officer.
LAST_MONTH_REPORT = ("returned", "needs_reapproval", "submitted", "draft", "submitted")
# What happens to this month's approved travel plan, by officer.
THIS_MONTH = ("moved", "added", "returned", "added", "approved")
# Next month's first travel plan, by officer.
NEXT_MONTH = ("draft", "submitted", "draft", "submitted", "approved")

# -- what officers write -----------------------------------------------------------------------
# Per topic: ประเด็น (purpose), problems found, good news, advice and follow-up items. {org} is สหกรณ์ or
# กลุ่มเกษตรกร; {pct}, {part}, {n}, {members} and {amount} are filled with plausible figures.

TOPICS: dict[str, dict[str, tuple[str, ...]]] = {
    "closing": {
        "purpose": (
            "ติดตามการปิดบัญชีประจำปีและการจัดทำงบการเงินส่งผู้สอบบัญชี",
            "ตรวจสอบความพร้อมของเอกสารประกอบการปิดบัญชีประจำปี",
            "ติดตามการตรวจนับสินค้าคงเหลือและการยืนยันยอดลูกหนี้ ณ วันสิ้นปีทางบัญชี",
        ),
        "findings": (
            "{org}ยังไม่ได้ปิดบัญชีประจำปี เนื่องจากยืนยันยอดลูกหนี้ยังไม่ครบ ค้างอยู่ {n} ราย",
            "เจ้าหน้าที่บัญชีบันทึกรายการถึงวันสิ้นปีทางบัญชีแล้ว แต่ยังไม่ได้ตรวจนับสินค้าคงเหลือ",
            "เอกสารประกอบการจ่ายเงินบางรายการยังไม่มีผู้อนุมัติลงนาม",
        ),
        "good": (
            "จัดทำงบทดลอง ณ วันสิ้นปีทางบัญชีแล้ว ยอดเงินสดตรงกับสมุดเงินสด",
            "ปิดบัญชีเสร็จภายใน 30 วันหลังวันสิ้นปีทางบัญชี และส่งงบการเงินให้ผู้สอบบัญชีแล้ว",
        ),
        "advice": (
            "แนะนำให้เร่งยืนยันยอดลูกหนี้และปิดบัญชีให้เสร็จภายใน 30 วันหลังวันสิ้นปีทางบัญชี",
            "แนะนำให้แต่งตั้งคณะกรรมการตรวจนับสินค้าคงเหลือและรายงานผลการตรวจนับต่อคณะกรรมการ",
            "ให้จัดเก็บเอกสารประกอบการบันทึกบัญชีให้ครบถ้วน พร้อมส่งให้ผู้สอบบัญชีตรวจสอบ",
        ),
        "followup": (
            "ยังไม่ได้ปิดบัญชีประจำปี",
            "ยังไม่ได้ตรวจนับสินค้าคงเหลือ ณ วันสิ้นปีทางบัญชี",
            "เอกสารประกอบการจ่ายเงินไม่ครบถ้วน",
        ),
    },
    "agm": {
        "purpose": (
            "ติดตามการเตรียมประชุมใหญ่สามัญประจำปี",
            "เข้าร่วมประชุมใหญ่สามัญประจำปีและชี้แจงผลการดำเนินงาน",
            "แนะนำการจัดสรรกำไรสุทธิให้เป็นไปตามข้อบังคับ",
        ),
        "findings": (
            "ร่างระเบียบวาระการประชุมใหญ่ยังไม่มีวาระอนุมัติงบการเงินและการจัดสรรกำไรสุทธิ",
            "{org}ยังไม่ได้ส่งงบการเงินให้ผู้สอบบัญชี อาจประชุมใหญ่ไม่ทันภายใน 150 วัน",
            "สมาชิกมาประชุมใหญ่ไม่ครบองค์ประชุม ต้องนัดประชุมใหม่ภายใน 14 วัน",
        ),
        "good": (
            "ผู้สอบบัญชีรับรองงบการเงินแล้ว {org}กำหนดประชุมใหญ่สามัญประจำปีภายใน 150 วัน",
            "มีสมาชิกเข้าร่วมประชุมใหญ่ {members} คน ครบองค์ประชุม ที่ประชุมอนุมัติการจัดสรรกำไรสุทธิ",
            "ที่ประชุมใหญ่เลือกตั้งกรรมการแทนผู้ที่ครบวาระ และอนุมัติแผนงานประจำปี",
        ),
        "advice": (
            "แนะนำให้จัดประชุมใหญ่ภายใน 150 วันนับแต่วันสิ้นปีทางบัญชี และแจ้งสมาชิกล่วงหน้า",
            "ให้จัดสรรกำไรสุทธิเป็นทุนสำรองไม่น้อยกว่าร้อยละ 10 ตามกฎหมาย",
            "แนะนำให้รายงานผลการจัดมาตรฐานภายใน 2 วันทำการหลังวันประชุมใหญ่",
        ),
        "followup": (
            "ยังไม่ได้ส่งงบการเงินให้ผู้สอบบัญชี",
            "ยังไม่ได้กำหนดวันประชุมใหญ่สามัญประจำปี",
            "ยังไม่ได้รายงานผลการจัดมาตรฐานหลังการประชุมใหญ่",
        ),
    },
    "loans": {
        "purpose": (
            "ติดตามการแก้ไขหนี้ค้างชำระของสมาชิก",
            "ติดตามการชำระหนี้เงินกู้กองทุนพัฒนาสหกรณ์",
            "ตรวจสอบการพิจารณาให้เงินกู้ของคณะกรรมการ",
        ),
        "findings": (
            "หนี้ค้างชำระของสมาชิกคิดเป็นร้อยละ {pct} ของลูกหนี้ทั้งหมด สูงกว่าปีก่อน",
            "มีสมาชิกผิดนัดชำระหนี้ {n} ราย รวมเป็นเงิน {amount} บาท",
            "คณะกรรมการอนุมัติเงินกู้โดยไม่ได้ตรวจสอบวัตถุประสงค์การกู้และหลักประกัน",
            "{org}ค้างชำระหนี้เงินกู้กองทุนพัฒนาสหกรณ์งวดล่าสุด {amount} บาท",
        ),
        "good": (
            "ลูกหนี้ผิดนัดทยอยชำระตามข้อตกลงปรับโครงสร้างหนี้ ยอดค้างลดลงจากเดือนก่อน",
        ),
        "advice": (
            "แนะนำให้จัดทำแผนติดตามหนี้รายสมาชิก และรายงานคณะกรรมการทุกเดือน",
            "ให้ทบทวนระเบียบว่าด้วยเงินกู้ กำหนดหลักประกันให้เหมาะสมกับวงเงินกู้",
            "แนะนำให้เชิญลูกหนี้ผิดนัดมาเจรจาปรับโครงสร้างหนี้",
        ),
        "followup": (
            "หนี้ค้างชำระของสมาชิกเกินร้อยละ {pct}",
            "ค้างชำระหนี้เงินกู้กองทุนพัฒนาสหกรณ์",
            "ยังไม่มีแผนติดตามหนี้ค้างชำระรายสมาชิก",
        ),
    },
    "participation": {
        "purpose": (
            "ส่งเสริมการมีส่วนร่วมของสมาชิกในการทำธุรกิจกับ{org}",
            "ติดตามแผนเพิ่มจำนวนสมาชิกที่ทำธุรกิจกับ{org}",
        ),
        "findings": (
            "สมาชิกทำธุรกิจกับ{org}ร้อยละ {part} ต่ำกว่าเป้าหมายร้อยละ 65",
            "สมาชิกเข้าร่วมประชุมกลุ่มน้อย ส่วนใหญ่ไม่ทราบบริการของ{org}",
            "ทะเบียนสมาชิกไม่เป็นปัจจุบัน มีสมาชิกที่ขาดการติดต่อ {n} ราย",
        ),
        "good": (
            "สมาชิกมาซื้อปัจจัยการผลิตผ่าน{org}เพิ่มขึ้นหลังจัดประชุมกลุ่มสมาชิก",
            "สมาชิกร้อยละ {part} ทำธุรกิจกับ{org} เพิ่มขึ้นจากปีก่อน",
        ),
        "advice": (
            "แนะนำให้จัดประชุมกลุ่มสมาชิกเพื่อชี้แจงบริการและสิทธิประโยชน์ของสมาชิก",
            "ให้ปรับปรุงทะเบียนสมาชิกให้เป็นปัจจุบัน",
            "แนะนำให้ส่งเสริมการออมและการซื้อปัจจัยการผลิตผ่าน{org}",
        ),
        "followup": (
            "ทะเบียนสมาชิกไม่เป็นปัจจุบัน",
            "การมีส่วนร่วมในธุรกิจของสมาชิกต่ำกว่าร้อยละ 65",
        ),
    },
    "standards": {
        "purpose": (
            "ติดตามการแก้ไขข้อบกพร่องตามเกณฑ์การจัดมาตรฐาน",
            "ทบทวนเกณฑ์ชี้วัดระดับชั้นความเข้มแข็งกับคณะกรรมการ",
        ),
        "findings": (
            "ยังไม่ผ่านเกณฑ์มาตรฐานข้อการนำเสนองบการเงินต่อที่ประชุมใหญ่ภายในกำหนด",
            "ผลการดำเนินงานขาดทุนสองปีติดต่อกัน ทำให้ไม่ผ่านเกณฑ์มาตรฐาน",
            "คะแนนระดับชั้นด้านการบริหารจัดการต่ำ เนื่องจากไม่มีแผนงานประจำปี",
        ),
        "good": (
            "แก้ไขข้อบกพร่องตามเกณฑ์มาตรฐานได้ครบทุกข้อแล้ว",
        ),
        "advice": (
            "แนะนำให้จัดทำแผนแก้ไขข้อบกพร่องตามเกณฑ์มาตรฐานแต่ละข้อ พร้อมกำหนดผู้รับผิดชอบ",
            "ให้คณะกรรมการทบทวนแผนงานประจำปีและติดตามผลทุกไตรมาส",
        ),
        "followup": (
            "ยังไม่มีแผนแก้ไขข้อบกพร่องตามเกณฑ์มาตรฐาน",
            "ยังไม่มีแผนงานประจำปีที่ที่ประชุมใหญ่อนุมัติ",
        ),
    },
    "business": {
        "purpose": (
            "ติดตามผลการดำเนินธุรกิจเทียบกับแผนประจำปี",
            "แนะนำการจัดทำแผนธุรกิจและประมาณการรายได้รายจ่าย",
        ),
        "findings": (
            "ปริมาณธุรกิจรวบรวมผลผลิตลดลงจากปีก่อนร้อยละ {pct}",
            "มีสินค้าค้างสต็อกนาน มูลค่าประมาณ {amount} บาท",
        ),
        "good": (
            "ผลการดำเนินงานครึ่งปีมีกำไร {amount} บาท เป็นไปตามแผน",
        ),
        "advice": (
            "แนะนำให้จัดทำแผนธุรกิจและติดตามผลเทียบกับแผนทุกเดือน",
            "ให้เร่งระบายสินค้าค้างสต็อกและกำหนดวงเงินการสั่งซื้อ",
        ),
        "followup": (
            "สินค้าค้างสต็อกยังไม่ได้ระบาย",
            "ยังไม่ได้จัดทำแผนธุรกิจประจำปี",
        ),
    },
    "control": {
        "purpose": (
            "ตรวจสอบระบบการควบคุมภายในด้านการเงินและเอกสาร",
            "ติดตามการแก้ไขข้อสังเกตของผู้สอบบัญชี",
        ),
        "findings": (
            "ไม่มีการตรวจนับเงินสดคงเหลือประจำวัน และเก็บเงินสดไว้เกินวงเงินที่ระเบียบกำหนด",
            "ผู้ตรวจสอบกิจการไม่ได้รายงานผลการตรวจสอบต่อคณะกรรมการทุกเดือน",
            "ยังไม่ได้แก้ไขข้อสังเกตของผู้สอบบัญชีเรื่องการบันทึกบัญชีสินทรัพย์",
        ),
        "good": (
            "ตรวจนับเงินสดคงเหลือถูกต้องตรงกับบัญชี และนำเงินฝากธนาคารตามระเบียบ",
        ),
        "advice": (
            "แนะนำให้ตรวจนับเงินสดทุกสิ้นวันและนำฝากธนาคารตามระเบียบ",
            "ให้ผู้ตรวจสอบกิจการรายงานผลการตรวจสอบต่อที่ประชุมคณะกรรมการทุกเดือน",
        ),
        "followup": (
            "เก็บเงินสดเกินวงเงินที่ระเบียบกำหนด",
            "ยังไม่ได้แก้ไขข้อสังเกตของผู้สอบบัญชี",
        ),
    },
}
RESPONSES = (
    "คณะกรรมการรับทราบและจะดำเนินการตามคำแนะนำ",
    "ผู้จัดการรับไปดำเนินการ และจะรายงานผลในการประชุมคณะกรรมการครั้งถัดไป",
    "ที่ประชุมมีมติให้ฝ่ายจัดการเร่งดำเนินการภายในเดือนนี้",
    "คณะกรรมการขอคำแนะนำเพิ่มเติมเรื่องการจัดทำเอกสาร",
    "{org}ให้ความร่วมมือดี แก้ไขไปแล้วบางส่วน",
)
NEXT_STEPS = (
    "ติดตามผลในการประชุมคณะกรรมการเดือนหน้า",
    "นัดตรวจเยี่ยมอีกครั้งภายใน 30 วัน",
    "ประสานผู้สอบบัญชีเพื่อติดตามความคืบหน้า",
    "รายงานผลต่อผู้อำนวยการกลุ่มในการประชุม CPS ประจำเดือน",
    "ติดตามทางโทรศัพท์ก่อนการประชุมใหญ่",
)
CANCEL_REASONS = (
    "สหกรณ์เลื่อนการประชุมคณะกรรมการ",
    "ติดราชการด่วนตามคำสั่งจังหวัด",
    "น้ำท่วมเส้นทางเข้าพื้นที่ เดินทางไม่ได้",
    "ประธานกรรมการติดภารกิจ ขอเลื่อนนัด",
    "รถราชการไม่ว่าง",
)
DROP_REASONS = (
    "ผู้สอบบัญชีรับไปติดตามในการตรวจสอบบัญชีประจำปีแล้ว",
    "ซ้ำกับข้อสังเกตที่ติดตามอยู่ในแผนแก้ไขข้อบกพร่อง",
    "ที่ประชุมใหญ่มีมติยกเลิกโครงการที่เป็นเหตุของข้อสังเกตนี้แล้ว",
    "สหกรณ์อยู่ระหว่างชำระบัญชี ผู้ชำระบัญชีรับไปดำเนินการ",
)
REPORT_RETURN_COMMENTS = (
    "ขอให้ระบุจำนวนสมาชิกที่ค้างชำระและยอดหนี้ให้ชัดเจน",
    "ขอให้กำหนดวันติดตามข้อสังเกตที่พบด้วย",
    "คำแนะนำยังไม่ครอบคลุมประเด็นที่พบ ขอให้เพิ่มเติม",
    "ขอให้ระบุจำนวนกรรมการที่เข้าร่วมประชุม",
)
TRAVEL_RETURN_COMMENTS = (
    "ขอให้รวมการเยี่ยมสหกรณ์ในอำเภอเดียวกันไว้วันเดียว เพื่อประหยัดค่าเดินทาง",
    "วันที่นัดเพิ่มตรงกับวันประชุมประจำเดือนของสำนักงาน ขอให้เลื่อนนัด",
    "ขอให้ระบุประเด็นที่จะติดตามในการเยี่ยมที่เพิ่มเข้ามาให้ชัดเจน",
)
EDIT_AFTER_APPROVAL = (
    "เพิ่มเติม: ผู้จัดการส่งเอกสารยืนยันยอดลูกหนี้ให้ภายหลังการตรวจเยี่ยมแล้ว",
    "เพิ่มเติม: คณะกรรมการแจ้งกำหนดการประชุมครั้งถัดไปมาภายหลัง",
)

# Methods: mostly inspections and board meetings. (method, weight, minutes, start times)
METHOD_MIX = (
    ("inspection", 44, 120, ("09:00", "09:30", "10:00", "13:30")),
    ("board_meeting", 32, 180, ("09:30", "13:00")),
    ("member_meeting", 7, 180, ("09:00",)),
    ("training", 4, 180, ("09:00",)),
    ("discussion", 8, 90, ("10:00", "13:30")),
    ("other", 5, 30, ("14:00", "15:00")),
)
AFTERNOON = "13:30"


# -- the office as the demo sees it ----------------------------------------------------------

@dataclass
class _Item:
    id: str
    description: str
    due: date | None
    raised_on: date


@dataclass
class _Inst:
    id: str
    name: str
    kind: str
    coop_type: str | None
    status: str
    year_end: tuple[int, int] | None
    strength: int | None
    standards: str | None
    last_visit: date | None = None
    open_items: list[_Item] = field(default_factory=list)

    @property
    def org(self) -> str:
        return "กลุ่มเกษตรกร" if self.kind == "farmer_group" else "สหกรณ์"

    @property
    def weak(self) -> bool:
        return self.strength == 3 or self.standards == "fail"


@dataclass
class _Officer:
    index: int
    user: User
    director: User
    insts: list[_Inst]


@dataclass
class _Planned:
    """A visit the demo made, with what it needs to write the report."""

    id: str
    inst: _Inst
    day: date
    method: str
    topic: str


def add_months(first: date, n: int) -> date:
    months = first.year * 12 + first.month - 1 + n
    return date(months // 12, months % 12 + 1, 1)


def _working_days(first: date) -> list[date]:
    cal = default_calendar()
    _, last = rules.month_bounds(first)
    return [first + timedelta(days=i) for i in range((last - first).days + 1)
            if cal.is_working_day(first + timedelta(days=i))]


def _load_officers(s: Session, people: dict[str, User]) -> list[_Officer]:
    latest: dict[str, tuple[int | None, str | None]] = {}
    for inst_id, strength, standards in s.execute(
            select(InstitutionYear.institution_id, InstitutionYear.strength_class, InstitutionYear.standards_result)
            .where(InstitutionYear.deleted_at.is_(None)).order_by(InstitutionYear.fiscal_year)):
        old = latest.get(inst_id, (None, None))
        latest[inst_id] = (strength if strength is not None else old[0], standards or old[1])
    directors = {u.group_id: u for u in people.values() if "director" in u.roles}
    out = []
    for i, login in enumerate(OFFICERS):
        user = people[login]
        rows = s.execute(select(Institution.id, Institution.name, Institution.kind, Institution.coop_type,
                                Institution.status, Institution.acct_year_end_month, Institution.acct_year_end_day)
                         .where(Institution.officer_id == user.id, Institution.deleted_at.is_(None))
                         .order_by(Institution.reg_no))
        insts = [_Inst(r[0], r[1], r[2], r[3], r[4], (r[5], r[6]) if r[5] and r[6] else None,
                       *latest.get(r[0], (None, None))) for r in rows]
        out.append(_Officer(i, user, directors[user.group_id], insts))
    return out


# -- the demo --------------------------------------------------------------------------------

def add_demo_visits(s: Session, people: dict[str, User], seed: int, today: date) -> dict:
    """Write the demo's visits through the visit services; returns counts by state."""
    demo = _DemoVisits(s, people, random.Random(f"{seed}/visits"), today)
    this_month = today.replace(day=1)
    with _rows_kept(s):
        for k in range(-MONTHS_BACK, 1):
            demo.past_or_current_month(add_months(this_month, k))
        demo.next_month(add_months(this_month, 1))
    _date_the_history(s, today)
    return visit_counts(s, today)


def _date_the_history(s: Session, today: date) -> None:
    """The services stamp every step with the time the demo runs, which would date a
    January approval in November. Spread each item's steps over the days an office takes:
    a travel plan is submitted about a week before its month, a report the day after the
    visit, each later step a working day or so after the one before (never after now)."""
    now = datetime.now(UTC)
    events = s.scalars(select(ApprovalEvent).where(ApprovalEvent.workflow.in_((svc.TRAVEL.name, svc.REPORT.name)))
                       .order_by(ApprovalEvent.item_id, ApprovalEvent.change_seq)).all()
    by_item: dict[str, list[ApprovalEvent]] = {}
    for e in events:
        by_item.setdefault(e.item_id, []).append(e)
    for item_id, steps in by_item.items():
        if steps[0].workflow == svc.TRAVEL.name:
            start = s.get(TravelPlan, item_id).month - timedelta(days=8)
        else:
            v = s.get(Visit, item_id)
            start = (v.actual_date or v.planned_date) + timedelta(days=1)
        at = datetime.combine(start, time(9, 30), THAI_TIME).astimezone(UTC)
        for i, e in enumerate(steps):
            when = min(at + timedelta(days=i, hours=1.5 * i), now - timedelta(minutes=5 * (len(steps) - i)))
            e.at = when
    s.flush()
    for plan in s.scalars(select(TravelPlan).where(TravelPlan.approved_at.is_not(None))):
        plan.approved_at = _last_approval(by_item.get(plan.id, ()), plan.approved_at)
        for v in s.scalars(select(Visit).where(Visit.travel_plan_id == plan.id, Visit.travel_approved_at.is_not(None))):
            v.travel_approved_at = plan.approved_at
    for v in s.scalars(select(Visit).where(Visit.report_approved_at.is_not(None))):
        v.report_approved_at = _last_approval(by_item.get(v.id, ()), v.report_approved_at)
    s.flush()


def _last_approval(steps, fallback: datetime) -> datetime:
    return max((e.at for e in steps if e.step == "approve"), default=fallback)


@contextmanager
def _rows_kept(s: Session):
    """Keep every row the session loads or writes alive while the demo runs. The identity
    map holds rows weakly, so without this each service call would load the visit, its
    plan, institution and follow-ups again (about one statement in ten)."""
    kept: list = []

    def keep(session, instance) -> None:
        kept.append(instance)

    events = ("loaded_as_persistent", "pending_to_persistent")
    for name in events:
        event.listen(s, name, keep)
    try:
        yield
    finally:
        for name in events:
            event.remove(s, name, keep)


class _DemoVisits:
    def __init__(self, s: Session, people: dict[str, User], rng: random.Random, today: date):
        self.s, self.rng, self.today = s, rng, today
        self.head = people["head"]
        self.officers = _load_officers(s, people)
        self.this_month = today.replace(day=1)
        self._capacity: dict[tuple[str, date], dict[str, int]] = {}
        self._kinds: dict[tuple[str, date], dict[str, str]] = {}
        self._approvers: dict[tuple[str, date], User] = {}

    # -- planning --------------------------------------------------------------------------

    def _pick_institutions(self, off: _Officer, first: date, n: int, taken: set[str] = frozenset()) -> list[_Inst]:
        """Those most in need of a visit: long unvisited, with items falling due, active."""
        _, last = rules.month_bounds(first)
        weight = {"operating": 1.0, "not_started": 0.7, "suspended": 0.5}

        def score(inst: _Inst) -> float:
            since = (first - inst.last_visit).days if inst.last_visit else 400
            due = any(i.due is None or i.due <= last + timedelta(days=30) for i in inst.open_items)
            return (since + 200 * due + self.rng.uniform(0, 120)) * weight.get(inst.status, 0.3)

        scored = sorted(((score(i), k, i) for k, i in enumerate(off.insts) if i.id not in taken), reverse=True)
        return [i for _, _, i in scored[:n]]

    def _topic(self, inst: _Inst, day: date) -> str:
        rng = self.rng
        if inst.year_end and inst.status == "operating":
            end = _year_end_before(day, *inst.year_end)
            since = (day - end).days
            if since <= 45 and rng.random() < 0.7:
                return "closing"
            if since <= 150 and rng.random() < 0.7:
                return "agm"
        topics = {"loans": 3 * (2 if inst.weak else 1), "participation": 2, "business": 2, "control": 1,
                  "standards": 2 * (2 if inst.standards == "fail" else 1)}
        return rng.choices(list(topics), list(topics.values()))[0]

    def _text(self, pattern: str, inst: _Inst) -> str:
        rng = self.rng
        return pattern.format(org=inst.org, n=rng.randint(3, 40), pct=f"{rng.uniform(8, 35):.1f}",
                              part=rng.randint(38, 64), members=rng.randint(60, 400),
                              amount=f"{rng.randrange(20_000, 900_000, 500):,}")

    def _activity(self, off: _Officer, inst: _Inst, first: date, topic: str, method: str) -> str | None:
        """The plan activity (unit แห่ง) the visit counts toward, while the month's units last."""
        group = off.user.group_id
        key = (group, first)
        if key not in self._capacity:
            capacity, kinds, parent = {}, {}, ""
            for a in activity_choices(self.s, group, first):
                if a.unit not in VISIT_UNITS:
                    continue
                if a.month_work <= 0:
                    parent = a.title
                    continue
                if "ค่าใช้จ่าย" in a.title:  # the spending plan's travel line, not an activity
                    continue
                capacity[a.lineage] = a.month_work
                kinds[a.lineage] = _activity_kind(a.title, parent)
            self._capacity[key], self._kinds[key] = capacity, kinds
        capacity, kinds = self._capacity[key], self._kinds[key]
        if method == "other" or not capacity:
            return None
        wanted = _wanted_kinds(inst, topic)
        for kind in wanted:
            for lineage, k in kinds.items():
                if k == kind and capacity[lineage] > 0:
                    capacity[lineage] -= 1
                    return lineage
        return None

    def _plan_visits(self, off: _Officer, first: date, insts: list[_Inst], days: list[date],
                     busy: dict[date, int]) -> list[_Planned]:
        rng = self.rng
        out = []
        for inst, day in zip(insts, days, strict=True):
            method, _, minutes, times = rng.choices(METHOD_MIX, [m[1] for m in METHOD_MIX])[0]
            topic = self._topic(inst, day)
            if topic == "agm" and rng.random() < 0.15:
                method, minutes, times = "member_meeting", 180, ("09:00",)
            time = rng.choice(times) if rng.random() < 0.85 else None
            if busy.get(day):  # the second visit of the day takes the afternoon
                time, minutes = AFTERNOON, min(minutes, 120)
            elif day in busy:  # the day will have two: keep the morning short
                time, minutes = rng.choice(("09:00", "09:30")), min(minutes, 180)
            busy[day] = busy.get(day, 0) + 1
            purpose = self._text(rng.choice(TOPICS[topic]["purpose"]), inst)
            if inst.open_items:
                purpose += " และติดตามข้อสังเกตค้าง: " + inst.open_items[0].description
            co = ()
            if method in ("training", "member_meeting") and rng.random() < 0.5:
                mates = [o for o in self.officers if o is not off and o.user.group_id == off.user.group_id]
                co = (mates[0].user.id,) if mates else ()
            plan = svc.VisitPlan(inst.id, day, time, minutes, method, purpose,
                                 self._activity(off, inst, first, topic, method), co)
            visit = svc.create_visit(self.s, off.user, off.user.id, plan)
            out.append(_Planned(visit.id, inst, day, method, topic))
        return out

    def _days(self, first: date, n: int) -> tuple[list[date], dict[date, int]]:
        """n visit days in the month, in order; a day holds two visits only when short of days."""
        days = _working_days(first)
        picked = sorted(self.rng.sample(days, min(n, len(days))))
        doubles = sorted(self.rng.sample(days, n - len(picked))) if n > len(picked) else []
        busy = {d: 0 for d in doubles}  # marks the days that will hold two visits
        return sorted(picked + doubles), busy

    def _month_visits(self, off: _Officer, first: date, n: int) -> list[_Planned]:
        insts = self._pick_institutions(off, first, n)
        days, busy = self._days(first, len(insts))
        return self._plan_visits(off, first, insts, days, busy)

    # -- approvals ---------------------------------------------------------------------------

    def _approver(self, off: _Officer, first: date) -> User:
        """The group's director, or the head when the director is away that month (at least
        once: the last group's director is away on training six months ago)."""
        key = (off.user.group_id, first)
        if key not in self._approvers:
            away = self.rng.random() < HEAD_STANDS_IN or (
                off.index == len(self.officers) - 1 and first == add_months(self.this_month, -6))
            self._approvers[key] = self.head if away else off.director
        return self._approvers[key]

    def _submit_plan(self, off: _Officer, plan_id: str) -> None:
        svc.submit_travel_plan(self.s, off.user, plan_id)

    def _approve_plan(self, approver: User, plan_id: str) -> None:
        plan = self.s.get(TravelPlan, plan_id)
        svc.approve_travel_plan(self.s, approver, plan_id, reviewed_hash=svc.travel_plan_hash(self.s, plan))

    def _approve_report(self, approver: User, visit_id: str) -> None:
        visit = self.s.get(Visit, visit_id)
        svc.approve_report(self.s, approver, visit_id, reviewed_hash=svc.report_hash(self.s, visit))

    # -- reports ---------------------------------------------------------------------------

    def _report(self, off: _Officer, v: _Planned, actual: date) -> svc.VisitReport:
        rng, inst, pool = self.rng, v.inst, TOPICS[v.topic]
        resolved, dropped, closed = [], [], []
        for item in list(inst.open_items):
            if item.raised_on >= actual:
                continue
            due_now = item.due is None or item.due <= actual + timedelta(days=7)
            roll = rng.random()
            if roll < (0.12 if due_now else 0.03) or (inst.status == "dissolving" and roll < 0.5):
                dropped.append((item.id, rng.choice(DROP_REASONS)))
            elif roll < (0.82 if due_now else 0.45):
                resolved.append(item.id)
                closed.append(item.description)
            else:
                continue  # still open: carried into the next visit
            inst.open_items.remove(item)
        good_news = rng.random() < 0.2
        found = [rng.choice(pool["good"])] if good_news else rng.sample(pool["findings"], rng.choice((1, 1, 2)))
        findings = " ".join(self._text(p, inst) for p in found)
        if closed:
            findings += " ข้อสังเกตครั้งก่อนแก้ไขแล้ว: " + ", ".join(closed)
        advice = " ".join(self._text(p, inst) for p in rng.sample(pool["advice"], rng.choice((1, 2))))
        committee = staff = members = None
        if v.method == "board_meeting":
            committee, staff = rng.randint(7, 15), rng.randint(1, 4)
        elif v.method in ("member_meeting", "training"):
            committee, staff, members = rng.randint(3, 12), rng.randint(1, 4), rng.randint(25, 180)
        elif v.method in ("inspection", "discussion"):
            committee, staff = rng.randint(1, 5), rng.randint(1, 3)
        raised = []
        roll = rng.random()
        count = 0 if good_news else 2 if roll < 0.12 else 1 if roll < 0.55 else 0
        for description in rng.sample(pool["followup"], count):
            due = add_working_days(actual, rng.choice((10, 15, 20, 30, 45)))
            raised.append(svc.NewFollowUp(self._text(description, inst), due))
        return svc.VisitReport(
            actual_date=actual, findings=findings, advice=advice,
            response=self._text(rng.choice(RESPONSES), inst), next_step=rng.choice(NEXT_STEPS),
            attendees_committee=committee, attendees_staff=staff, attendees_members=members,
            raised=tuple(raised), resolved_ids=tuple(resolved), dropped=tuple(dropped))

    def _actual_day(self, v: _Planned) -> date:
        """Mostly the planned day; now and then a day or two later (never after today)."""
        if self.rng.random() < 0.1:
            moved = add_working_days(v.day, self.rng.choice((1, 2)))
            if moved <= self.today and moved.month == v.day.month:
                return moved
        return v.day

    def _record(self, off: _Officer, v: _Planned) -> svc.VisitReport:
        actual = self._actual_day(v)
        report = self._report(off, v, actual)
        svc.save_report(self.s, off.user, v.id, report, today=self.today)
        visit = self.s.get(Visit, v.id)
        # In an order of their own: raised_in orders by random ids, and the order decides
        # which rolls of the generator each item gets in later visits.
        for f in sorted(svc.raised_in(self.s, visit), key=lambda f: (f.due_date, f.description)):
            v.inst.open_items.append(_Item(f.id, f.description, f.due_date, actual))
        v.inst.last_visit = actual
        return report

    def _write_up(self, off: _Officer, v: _Planned, state: str, approver: User, *, cancel: bool = False) -> None:
        """Record the visit (or its cancellation) and take the report to `state`."""
        s = self.s
        if cancel:
            svc.cancel_visit(s, off.user, v.id, self.rng.choice(CANCEL_REASONS))
            report = None
        else:
            report = self._record(off, v)
        if state == "draft":
            return
        if state == "approved" and report is not None and self.rng.random() < RETURN_AND_FIX_CHANCE:
            svc.submit_report(s, off.user, v.id)
            svc.return_report(s, approver, v.id, comment=self.rng.choice(REPORT_RETURN_COMMENTS))
            fixed = replace(report, findings=report.findings + " " + self._text(
                self.rng.choice(TOPICS[v.topic]["findings"]), v.inst), raised=self._own_items(v))
            svc.save_report(s, off.user, v.id, fixed, today=self.today)
        svc.submit_report(s, off.user, v.id)
        if state == "submitted":
            return
        if state == "returned":
            svc.return_report(s, approver, v.id, comment=self.rng.choice(REPORT_RETURN_COMMENTS))
            return
        self._approve_report(approver, v.id)
        if state == "needs_reapproval":
            visit = s.get(Visit, v.id)
            edited = replace(report, next_step=f"{visit.next_step} {self.rng.choice(EDIT_AFTER_APPROVAL)}",
                             findings=visit.findings, advice=visit.advice, raised=self._own_items(v))
            svc.save_report(s, off.user, v.id, edited, today=self.today)

    def _own_items(self, v: _Planned) -> tuple[svc.NewFollowUp, ...]:
        """The items a report raised, as the form sends them back when the report is saved again."""
        return tuple(svc.NewFollowUp(f.description, f.due_date, f.owner_id, id=f.id)
                     for f in svc.raised_in(self.s, self.s.get(Visit, v.id)))

    # -- months ------------------------------------------------------------------------------

    def past_or_current_month(self, first: date) -> None:
        current = first == self.this_month
        age = (self.this_month.year - first.year) * 12 + self.this_month.month - first.month
        for off in self.officers:
            approver = self._approver(off, first)
            visits = self._month_visits(off, first, self.rng.randint(*VISITS_PER_MONTH))
            plan_id = self.s.get(Visit, visits[0].id).travel_plan_id
            self._submit_plan(off, plan_id)
            if age >= 1 and self.rng.random() < TRAVEL_RETURN_CHANCE:  # sent back once, fixed, approved
                svc.return_travel_plan(self.s, approver, plan_id, comment=self.rng.choice(TRAVEL_RETURN_COMMENTS))
                self._reschedule(off, visits[-1], first)
                visits.sort(key=lambda v: v.day)
                self._submit_plan(off, plan_id)
            self._approve_plan(approver, plan_id)
            twist = THIS_MONTH[off.index] if current else None
            kept = visits[-1] if twist == "moved" else None  # postponed: not written up
            last_done = max((v for v in visits if v.day <= self.today), key=lambda v: v.day, default=None)
            for v in visits:
                if v.day > self.today or v is kept:
                    continue
                state, cancel = self._report_state(off, v, age, v is last_done)
                self._write_up(off, v, state, approver, cancel=cancel)
            if twist == "moved":
                self._reschedule(off, kept, first)
            elif twist in ("added", "returned"):
                self._add_visit(off, first, visits)
                self._submit_plan(off, plan_id)
                if twist == "returned":
                    svc.return_travel_plan(self.s, approver, plan_id,
                                           comment=self.rng.choice(TRAVEL_RETURN_COMMENTS))

    def _report_state(self, off: _Officer, v: _Planned, age: int, is_last: bool) -> tuple[str, bool]:
        rng = self.rng
        if age == 1 and is_last:
            return LAST_MONTH_REPORT[off.index], False
        cancel = rng.random() < CANCEL_CHANCE
        if age >= 2:
            return "approved", cancel
        if age == 1:
            return ("submitted" if rng.random() < 0.15 else "approved"), cancel
        return ("submitted" if rng.random() < 0.5 else "draft"), cancel

    def _reschedule(self, off: _Officer, v: _Planned, first: date) -> None:
        """Move a planned visit to a free working day of the month (later than today if any)."""
        used = self._used_days(off, first)
        days = [d for d in _working_days(first) if d not in used and d != v.day]
        later = [d for d in days if d > self.today]
        choices = later or days or [d for d in _working_days(first) if d != v.day] or [v.day]
        day = self.rng.choice(choices)
        svc.move_visit(self.s, off.user, v.id, day)
        v.day = day

    def _used_days(self, off: _Officer, first: date) -> set[date]:
        _, last = rules.month_bounds(first)
        return set(self.s.scalars(select(Visit.planned_date).where(
            Visit.officer_id == off.user.id, Visit.planned_date.between(first, last), Visit.deleted_at.is_(None))))

    def _add_visit(self, off: _Officer, first: date, visits: list[_Planned]) -> None:
        """A visit added after the plan was approved, some time that day (so it clashes with nothing)."""
        inst = self._pick_institutions(off, first, 1, taken={v.inst.id for v in visits})[0]
        days = _working_days(first)
        day = self.rng.choice([d for d in days if d > self.today] or [d for d in days if d >= self.today] or days[-1:])
        topic = self._topic(inst, day)
        purpose = self._text(self.rng.choice(TOPICS[topic]["purpose"]), inst)
        svc.create_visit(self.s, off.user, off.user.id, svc.VisitPlan(
            inst.id, day, None, 120, "inspection", purpose, self._activity(off, inst, first, topic, "inspection")))

    def next_month(self, first: date) -> None:
        for off in self.officers:
            visits = self._month_visits(off, first, self.rng.randint(*NEXT_MONTH_VISITS))
            state = NEXT_MONTH[off.index]
            plan_id = self.s.get(Visit, visits[0].id).travel_plan_id
            if state in ("submitted", "approved"):
                self._submit_plan(off, plan_id)
            if state == "approved":
                self._approve_plan(self._approver(off, first), plan_id)


def _year_end_before(day: date, month: int, dom: int) -> date:
    """The last accounting year end (month, day of month) on or before `day`."""
    for year in (day.year, day.year - 1):
        try:
            end = date(year, month, dom)
        except ValueError:  # 29 February in a common year
            end = date(year, month, 28)
        if end <= day:
            return end
    raise AssertionError("unreachable")


def _activity_kind(title: str, parent: str) -> str:
    """What an activity row of the plan template is for, from its wording."""
    if "กลุ่มเกษตรกร" in title and "ยกระดับ" in title:
        return "farmer_group"
    if "รายงานผลการจัดมาตรฐาน" in title:
        return "standards_report"
    for sector_name, words in (("non_agricultural", "สหกรณ์นอกภาคการเกษตร"), ("agricultural", "สหกรณ์ภาคการเกษตร")):
        if title.startswith(words):
            return f"class{1 if 'รักษา' in parent else 2}_{sector_name}"
    return "general"


def _wanted_kinds(inst: _Inst, topic: str) -> list[str]:
    wanted = ["standards_report"] if topic == "agm" else []
    if inst.kind == "farmer_group":
        wanted.append("farmer_group")
    elif inst.strength in (1, 2) and not inst.weak:
        wanted.append(f"class{inst.strength}_{sector(inst.kind, inst.coop_type)}")
    return [*wanted, "general"]


def visit_counts(s: Session, today: date) -> dict:
    """The demo's visits by state, as `coopdesk demo` reports them."""
    live = Visit.deleted_at.is_(None)
    travel = dict(s.execute(select(TravelPlan.state, func.count()).where(TravelPlan.deleted_at.is_(None))
                            .group_by(TravelPlan.state)).all())
    status = dict(s.execute(select(Visit.status, func.count()).where(live).group_by(Visit.status)).all())
    reports = dict(s.execute(select(Visit.report_state, func.count()).where(live, Visit.status != svc.PLANNED)
                             .group_by(Visit.report_state)).all())
    items = dict(s.execute(select(FollowUpItem.status, func.count()).where(FollowUpItem.deleted_at.is_(None))
                           .group_by(FollowUpItem.status)).all())
    overdue = s.scalar(select(func.count()).select_from(FollowUpItem).where(
        FollowUpItem.deleted_at.is_(None), FollowUpItem.status == rules.OPEN, FollowUpItem.due_date < today))
    tied = s.scalar(select(func.count()).select_from(Visit).where(live, Visit.activity_lineage.is_not(None)))
    return {"visits": sum(status.values()), "by_status": status, "travel_plans": travel, "reports": reports,
            "followups": items, "overdue_followups": overdue, "counted_toward_plan": tied}


# -- years of history, in bulk (performance work) ---------------------------------------------

HISTORY_TIMES = ("09:00", "13:30")  # the first and second visit of a day; more: some time that day
HISTORY_CANCEL_CHANCE = 0.04
HISTORY_RAISE_CHANCE = 0.3


def add_visit_history(s: Session, *, years: int = 5, visits: int = 10_000, seed: int = 2567,
                      officers: tuple[str, ...] = OFFICERS, today: date | None = None) -> dict:
    """Insert `years` of approved CPS history for the demo officers, about `visits` visits
    with their reports, monthly travel plans and follow-ups, in the months before the
    earliest travel plan the officers already have (before next month if none).

    For performance work (bench/month_view.py): the rows go in as bulk inserts of dicts
    (REFERENCE §7), not through the services. They are stamped as the sync hook in
    app/models/base.py stamps new rows — rev 1, updated_at now, updated_by the author
    (the officer), origin_office this office, change_seq from the database's counter
    (the same next_change_seqs) — and the approvals carry the content hashes the services would
    compute (tests compare them with svc.report_hash and svc.travel_plan_hash). No approval
    history or audit trail per row: one audit entry records the whole insert."""
    rng = random.Random(f"{seed}/history")
    users = {u.login: u for u in s.scalars(select(User).where(User.login.in_(officers)))}
    team = [users[login] for login in officers if login in users]
    if not team:
        raise ValueError("no demo officers in this database")
    directors = {u.group_id: u for u in s.scalars(select(User).where(User.roles_text.like("%director%")))}
    office = s.info.get(SESSION_OFFICE) or s.scalar(select(Office.code).where(Office.id == team[0].office_id))
    earliest = s.scalar(select(func.min(TravelPlan.month)).where(
        TravelPlan.officer_id.in_([u.id for u in team]), TravelPlan.deleted_at.is_(None)))
    end = earliest or add_months((today or date.today()).replace(day=1), 1)
    months = [add_months(end, -k) for k in range(years * 12, 0, -1)]
    now = utcnow()
    slots = len(months) * len(team)
    plans, rows, items = [], [], []
    for o_index, officer in enumerate(team):
        insts = list(s.execute(select(Institution.id, Institution.name, Institution.kind).where(
            Institution.officer_id == officer.id, Institution.deleted_at.is_(None)).order_by(Institution.reg_no)))
        if not insts:
            continue
        approver = directors.get(officer.group_id)
        open_items: dict[str, list[dict]] = {}
        turn: list = []
        for m_index, first in enumerate(months):
            slot = o_index * len(months) + m_index
            count = visits * (slot + 1) // slots - visits * slot // slots
            plan_id = new_id()
            plans.append({"id": plan_id, "office_id": officer.office_id, "officer_id": officer.id,
                          "group_id": officer.group_id, "month": first, "state": approval.State.APPROVED,
                          "note": "", "approved_by": approver.id if approver else None, "approved_at": now})
            days = _working_days(first)
            per_day: Counter = Counter()
            for k in range(count):
                day = days[k * len(days) // count] if count <= len(days) else days[k % len(days)]
                time = HISTORY_TIMES[per_day[day]] if per_day[day] < len(HISTORY_TIMES) else None
                per_day[day] += 1
                if not turn:  # every institution once per round, in a new order each round
                    turn = rng.sample(insts, len(insts))
                inst_id, _, kind = turn.pop()
                rows.append(_history_visit(rng, officer, approver, plan_id, inst_id, kind, day, time, now,
                                           open_items, items))
    _stamp(s, plans, {p["id"]: p["officer_id"] for p in plans}, office, now)
    _stamp(s, rows, {r["id"]: r["officer_id"] for r in rows}, office, now)
    owners = {i["id"]: i["owner_id"] for i in items}
    _stamp(s, items, owners, office, now)
    _history_hashes(plans, rows, items)
    # Core inserts of the tables: one executemany each. (The ORM bulk path splits the rows
    # into a batch per pattern of NULL columns, ~1,000 statements for 10,000 visits.)
    s.execute(insert(TravelPlan.__table__), plans)
    s.execute(insert(Visit.__table__), rows)
    if items:
        s.execute(insert(FollowUpItem.__table__), items)
    summary = {"visits": len(rows), "travel_plans": len(plans), "followups": len(items),
               "first_month": months[0].isoformat(), "last_month": months[-1].isoformat()}
    audit.record(s, None, "visit.history_bulk", "visit", None, after=summary)
    s.flush()
    return summary


def _history_visit(rng: random.Random, officer: User, approver: User | None, plan_id: str, inst_id: str,
                   kind: str, day: date, time: str | None, now, open_items: dict[str, list[dict]],
                   items: list[dict]) -> dict:
    method, _, minutes, _ = rng.choices(METHOD_MIX, [m[1] for m in METHOD_MIX])[0]
    topic = rng.choice(tuple(TOPICS))
    pool = TOPICS[topic]
    org = "กลุ่มเกษตรกร" if kind == "farmer_group" else "สหกรณ์"

    def text(pattern: str) -> str:
        return pattern.format(org=org, n=rng.randint(3, 40), pct=f"{rng.uniform(8, 35):.1f}",
                              part=rng.randint(38, 64), members=rng.randint(60, 400),
                              amount=f"{rng.randrange(20_000, 900_000, 500):,}")

    visit_id = new_id()
    row = {"id": visit_id, "travel_plan_id": plan_id, "institution_id": inst_id, "officer_id": officer.id,
           "group_id": officer.group_id, "co_officer_ids": [], "planned_date": day, "planned_time": time,
           "duration_min": min(minutes, 180), "method": method, "purpose": text(rng.choice(pool["purpose"])),
           "activity_lineage": None, "travel_approved_at": now, "status": svc.DONE, "actual_date": day,
           "attendees_committee": None, "attendees_staff": None, "attendees_members": None,
           "findings": "", "advice": "", "response": "", "next_step": "", "cancel_reason": "",
           "report_state": approval.State.APPROVED, "report_approved_by": approver.id if approver else None,
           "report_approved_at": now, "report_approved_hash": None}
    if rng.random() < HISTORY_CANCEL_CHANCE:
        row.update(status=svc.CANCELLED, actual_date=None, cancel_reason=rng.choice(CANCEL_REASONS))
        return row
    if method == "board_meeting":
        row.update(attendees_committee=rng.randint(7, 15), attendees_staff=rng.randint(1, 4))
    elif method in ("member_meeting", "training"):
        row.update(attendees_committee=rng.randint(3, 12), attendees_staff=rng.randint(1, 4),
                   attendees_members=rng.randint(25, 180))
    elif method != "other":
        row.update(attendees_committee=rng.randint(1, 5), attendees_staff=rng.randint(1, 3))
    row.update(findings=text(rng.choice(pool["findings"])), advice=text(rng.choice(pool["advice"])),
               response=text(rng.choice(RESPONSES)), next_step=rng.choice(NEXT_STEPS))
    still_open = []
    for item in open_items.get(inst_id, []):
        roll = rng.random()
        if roll < 0.85:
            item.update(status=rules.RESOLVED, closed_in_visit_id=visit_id, closed_on=day)
        elif roll < 0.9:
            item.update(status=rules.DROPPED, closed_in_visit_id=visit_id, closed_on=day,
                        drop_reason=rng.choice(DROP_REASONS))
        else:
            still_open.append(item)
    if rng.random() < HISTORY_RAISE_CHANCE:
        item = {"id": new_id(), "institution_id": inst_id, "raised_in_visit_id": visit_id,
                "description": text(rng.choice(pool["followup"])), "due_date": day + timedelta(days=30),
                "owner_id": officer.id, "status": rules.OPEN, "closed_in_visit_id": None, "closed_on": None,
                "drop_reason": ""}
        items.append(item)
        still_open.append(item)
    open_items[inst_id] = still_open
    return row


def _stamp(s: Session, rows: list[dict], authors: dict[str, str], office: str | None, now) -> None:
    """What the before_flush hook gives a new synced row, for rows inserted in bulk."""
    if not rows:
        return
    for row, seq in zip(rows, next_change_seqs(s, len(rows)), strict=True):
        row.update(rev=1, updated_at=now, updated_by=authors[row["id"]], origin_office=office, deleted_at=None,
                   change_seq=seq)


def _history_hashes(plans: list[dict], rows: list[dict], items: list[dict]) -> None:
    """The hashes the approvals would have recorded: svc.travel_plan_hash and
    svc.report_hash computed over the rows about to be inserted."""
    raised: dict[str, list[dict]] = {}
    closed: dict[str, list[dict]] = {}
    for f in items:
        raised.setdefault(f["raised_in_visit_id"], []).append(f)
        if f["closed_in_visit_id"]:
            closed.setdefault(f["closed_in_visit_id"], []).append(f)
    by_plan: dict[str, list[dict]] = {}
    for v in rows:
        by_plan.setdefault(v["travel_plan_id"], []).append(v)
        own = sorted(raised.get(v["id"], ()), key=lambda f: (f["due_date"] or date.min, f["id"]))
        done = sorted(closed.get(v["id"], ()), key=lambda f: f["id"])
        v["report_approved_hash"] = approval.content_hash({
            "visit": v["id"], "institution": v["institution_id"], "status": v["status"],
            "actual_date": v["actual_date"], "committee": v["attendees_committee"], "staff": v["attendees_staff"],
            "members": v["attendees_members"], "findings": v["findings"], "advice": v["advice"],
            "response": v["response"], "next_step": v["next_step"], "cancel_reason": v["cancel_reason"],
            "raised": [{"id": f["id"], "description": f["description"], "due": f["due_date"], "owner": f["owner_id"]}
                       for f in own],
            "closed": [{"id": f["id"], "status": f["status"], "reason": f["drop_reason"]} for f in done],
        })
    for p in plans:
        vs = sorted(by_plan.get(p["id"], ()), key=lambda v: (v["planned_date"], v["planned_time"] or "", v["id"]))
        p["approved_hash"] = approval.content_hash({
            "officer": p["officer_id"], "month": p["month"], "note": p["note"],
            "visits": [svc.planned_content(SimpleNamespace(**v)) for v in vs]})
