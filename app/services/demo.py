"""A demo database: the Kamphaeng Phet provincial office (DOPA 62) with its staff, a
registry of cooperatives and farmer groups, and three fiscal years of yearly status.

Another province can be made the same way (`province_code`, e.g. "64" Sukhothai, which the
central-office demo in app.services.demo_central uses as its second province): its own
office, districts, names, registration numbers and addresses, derived from Kamphaeng Phet's
(see `demo_province`); the logins stay the same, as logins are unique per office only.

Everything is written through the app's own services (setup, users, registry) in one
transaction once the schema and reference data are in place, so permission checks,
validation, sync stamping and the audit log run as they do for a real office. Only very
large registries (performance tests) take a bulk path that uses the same cleaning and
validation functions and yields rows of the same shape.

Reproducibility: every random choice comes from `random.Random` seeded with `seed`, never
the global generator. Names, registration numbers, members and founding dates of
established institutions do not depend on the day the demo is made. Time-dependent parts
are laid out relative to today, because the current fiscal year must be covered:
  - the yearly status covers the three fiscal years ending with fiscal_year(today);
  - institutions that have not started business were registered in the previous fiscal year;
  - a yearly row describes the accounting year that ends within that fiscal year, and
    anything that has not happened by today (the year has not ended, accounts not yet
    closed, the general meeting not yet held, so no assessment yet) is left empty — the
    current year's rows fill in as the year goes on, as they would in a real office.
So the same seed on the same day gives the same database (row ids and timestamps aside).
"""

from __future__ import annotations

import csv
import random
from collections import Counter
from dataclasses import dataclass, replace
from dataclasses import fields as dataclass_fields
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from sqlalchemy.orm import Session

from app.bootstrap import open_app_database
from app.errors import ValidationError
from app.i18n import tr
from app.models import Institution, InstitutionYear, Province, User
from app.paths import data_dir
from app.rules.permissions import Action, Role
from app.rules.registry import (
    COOP_TYPES,
    KINDS,
    InstitutionData,
    Problem,
    YearData,
    sector,
    validate_institution,
    validate_year,
)
from app.rules.visits import year_end_in
from app.services import audit, registry, setup, users
from app.services.context import authorize
from app.services.demo_assessments import add_demo_assessments
from app.services.demo_plans import add_demo_plans
from app.services.demo_visits import add_demo_visits
from app.thai import fiscal_year, fiscal_year_bounds

DEMO_PASSWORD = "demo1234"
PROVINCE_CODE = "62"
OFFICE_CODE = "62"
OFFICE_NAME = "สำนักงานสหกรณ์จังหวัดกำแพงเพชร"
YEARS_COVERED = 3
# Above this many institutions the rows go in bulk: the per-row services cost ~10 ms each,
# too slow for the 10,000-row performance database.
SERVICE_PATH_LIMIT = 1000
# Fewer and an officer may have too few institutions for a month's visits (see _share_out).
MIN_INSTITUTIONS = 30

# -- the office's people: made-up names, fixed so the README can list the logins -----------


@dataclass(frozen=True)
class Staff:
    login: str
    full_name: str
    position: str
    role: Role
    group: int | None = None  # index into setup.DEFAULT_GROUPS


ADMIN = Staff("admin", "นายธนากร ศรีวิชัย", "นักวิชาการคอมพิวเตอร์ปฏิบัติการ", Role.ADMIN)
STAFF = (
    Staff("head", "นายสมศักดิ์ ทองประเสริฐ", "สหกรณ์จังหวัดกำแพงเพชร", Role.PROVINCIAL_HEAD),
    Staff("director1", "นางสาววรรณา แก้วมณี", "ผู้อำนวยการกลุ่มส่งเสริมสหกรณ์ ๑", Role.DIRECTOR, 0),
    Staff("director2", "นายประเสริฐ บุญมา", "ผู้อำนวยการกลุ่มส่งเสริมสหกรณ์ ๒", Role.DIRECTOR, 1),
    Staff("director3", "นางกาญจนา พูลสวัสดิ์", "ผู้อำนวยการกลุ่มส่งเสริมสหกรณ์ ๓", Role.DIRECTOR, 2),
    Staff("officer1", "นางสาวปิยะนุช จันทร์หอม", "นักวิชาการสหกรณ์ชำนาญการ", Role.OFFICER, 0),
    Staff("officer2", "นายวีระพงษ์ อินทร์แก้ว", "เจ้าพนักงานส่งเสริมสหกรณ์ชำนาญงาน", Role.OFFICER, 0),
    Staff("officer3", "นางสาวสุภาพร มีสุข", "นักวิชาการสหกรณ์ปฏิบัติการ", Role.OFFICER, 1),
    Staff("officer4", "นายณัฐพล เพชรรัตน์", "นักวิชาการสหกรณ์ชำนาญการ", Role.OFFICER, 1),
    Staff("officer5", "นางพรทิพย์ สุขเจริญ", "เจ้าพนักงานส่งเสริมสหกรณ์ชำนาญงาน", Role.OFFICER, 2),
    Staff("clerk", "นางสาวอรุณี ทองดี", "เจ้าพนักงานธุรการชำนาญงาน", Role.CLERK, 4),
)
# The people of any other demo province: the same logins and roles, other names; the head's
# position names the province ("{province}").
OTHER_ADMIN = Staff("admin", "นายกิตติพงษ์ แสงอรุณ", "นักวิชาการคอมพิวเตอร์ปฏิบัติการ", Role.ADMIN)
OTHER_STAFF = (
    Staff("head", "นางสุนันทา วงศ์ใหญ่", "สหกรณ์จังหวัด{province}", Role.PROVINCIAL_HEAD),
    Staff("director1", "นายชัยวัฒน์ ศรีสุวรรณ", "ผู้อำนวยการกลุ่มส่งเสริมสหกรณ์ ๑", Role.DIRECTOR, 0),
    Staff("director2", "นางสาวมาลัย ทองคำ", "ผู้อำนวยการกลุ่มส่งเสริมสหกรณ์ ๒", Role.DIRECTOR, 1),
    Staff("director3", "นายอนุชา พรหมมา", "ผู้อำนวยการกลุ่มส่งเสริมสหกรณ์ ๓", Role.DIRECTOR, 2),
    Staff("officer1", "นางสาวจิราพร บุญเรือง", "นักวิชาการสหกรณ์ชำนาญการ", Role.OFFICER, 0),
    Staff("officer2", "นายสุรชัย คำแสง", "เจ้าพนักงานส่งเสริมสหกรณ์ชำนาญงาน", Role.OFFICER, 0),
    Staff("officer3", "นางสาวรัตนา ใจดี", "นักวิชาการสหกรณ์ปฏิบัติการ", Role.OFFICER, 1),
    Staff("officer4", "นายปกรณ์ ศรีเมือง", "นักวิชาการสหกรณ์ชำนาญการ", Role.OFFICER, 1),
    Staff("officer5", "นางวิไลวรรณ สายทอง", "เจ้าพนักงานส่งเสริมสหกรณ์ชำนาญงาน", Role.OFFICER, 2),
    Staff("clerk", "นางสาวนภา ปัญญาดี", "เจ้าพนักงานธุรการชำนาญงาน", Role.CLERK, 4),
)

# -- the province: districts (DOPA codes from data/geo), their sub-districts and officers ---
# Sub-districts and postcodes are here only to make names and addresses look right; they
# are not reference data (data/geo stops at districts).


@dataclass(frozen=True)
class Area:
    weight: float  # share of the province's institutions
    postcode: str
    officers: tuple[str, ...]  # several officers share a big district in turn
    tambons: tuple[str, ...]  # the first is the district seat


AREAS = {
    "6201": Area(3.0, "62000", ("officer1", "officer2"), (
        "ในเมือง", "ไตรตรึงษ์", "อ่างทอง", "นาบ่อคำ", "นครชุม", "ทรงธรรม", "ลานดอกไม้",
        "หนองปลิง", "คณฑี", "นิคมทุ่งโพธิ์ทะเล", "เทพนคร", "วังทอง", "ท่าขุนราม",
        "คลองแม่ลาย", "ธำมรงค์", "สระแก้ว")),
    "6202": Area(0.9, "62150", ("officer3",), (
        "ไทรงาม", "หนองคล้า", "หนองทอง", "หนองไม้กอง", "มหาชัย", "พานทอง", "หนองแม่แตง")),
    "6203": Area(1.0, "62180", ("officer5",), ("คลองน้ำไหล", "โป่งน้ำร้อน", "คลองลานพัฒนา", "สักงาม")),
    "6204": Area(1.8, "62130", ("officer4",), (
        "ยางสูง", "ป่าพุทรา", "แสนตอ", "สลกบาตร", "บ่อถ้ำ", "ดอนแตง", "วังชะพลู", "โค้งไผ่",
        "ปางมะค่า", "วังหามแห", "เกาะตาล")),
    "6205": Area(1.3, "62120", ("officer5",), (
        "คลองขลุง", "ท่ามะเขือ", "ท่าพุทรา", "แม่ลาด", "วังยาง", "วังแขม", "หัวถนน", "วังไทร",
        "วังบัว", "คลองสมบูรณ์")),
    "6206": Area(1.2, "62110", ("officer3",), (
        "พรานกระต่าย", "หนองหัววัว", "ท่าไม้", "วังควง", "วังตะแบก", "เขาคีริส", "คุยบ้านโอง",
        "คลองพิไกร", "ถ้ำกระต่ายทอง", "ห้วยยั้ง")),
    "6207": Area(0.8, "62170", ("officer3",), (
        "ลานกระบือ", "ช่องลม", "หนองหลวง", "โนนพลวง", "ประชาสุขสันต์", "บึงทับแรต", "จันทิมา")),
    "6208": Area(0.5, "62190", ("officer3",), ("ทุ่งทราย", "ทุ่งทอง", "ถาวรวัฒนา")),
    "6209": Area(0.5, "62120", ("officer5",), ("โพธิ์ทอง", "หินดาต", "ปางตาไว")),
    "6210": Area(0.5, "62210", ("officer4",), ("บึงสามัคคี", "วังชะโอน", "ระหาน", "เทพนิมิต")),
    "6211": Area(0.5, "62000", ("officer2",), ("โกสัมพี", "เพชรชมภู", "ลานดอกไม้ตก")),
}  # fmt: skip

# Sukhothai (DOPA 64), the second province of the central-office demo. Other provinces get
# areas derived from Kamphaeng Phet's (demo_province).
SUKHOTHAI_AREAS = {
    "6401": Area(3.0, "64000", ("officer1", "officer2"), (
        "ธานี", "บ้านสวน", "เมืองเก่า", "ปากแคว", "ยางซ้าย", "บ้านกล้วย", "บ้านหลุม", "ตาลเตี้ย",
        "ปากพระ", "วังทองแดง")),
    "6402": Area(0.6, "64140", ("officer5",), (
        "ลานหอย", "บ้านด่าน", "วังตะคร้อ", "วังน้ำขาว", "ตลิ่งชัน", "หนองหญ้าปล้อง", "วังลึก")),
    "6403": Area(1.0, "64160", ("officer5",), (
        "โตนด", "ทุ่งหลวง", "บ้านป้อม", "สามพวง", "ศรีคีรีมาศ", "หนองจิก", "นาเชิงคีรี", "หนองกระดิ่ง",
        "บ้านน้ำพุ", "ทุ่งยางเมือง")),
    "6404": Area(1.1, "64170", ("officer3",), (
        "กง", "บ้านกร่าง", "ไกรนอก", "ไกรกลาง", "ไกรใน", "ดงเดือย", "ป่าแฝก", "กกแรต", "ท่าฉนวน",
        "หนองตูม", "บ้านใหม่สุขเกษม")),
    "6405": Area(1.2, "64130", ("officer4",), (
        "หาดเสี้ยว", "ป่างิ้ว", "แม่สำ", "แม่สิน", "บ้านตึก", "หนองอ้อ", "ท่าชัย", "ศรีสัชนาลัย", "ดงคู่",
        "บ้านแก่ง", "สารจิตร")),
    "6406": Area(1.2, "64120", ("officer3",), (
        "คลองตาล", "วังลึก", "สามเรือน", "บ้านนา", "วังทอง", "นาขุนไกร", "เกาะตาเลี้ยง", "วัดเกาะ",
        "บ้านไร่", "ทับผึ้ง", "บ้านซ่าน", "วังใหญ่", "ราวต้นจันทร์")),
    "6407": Area(1.5, "64110", ("officer4",), (
        "เมืองสวรรคโลก", "ในเมือง", "คลองกระจง", "วังพิณพาทย์", "วังไม้ขอน", "ย่านยาว", "นาทุ่ง",
        "คลองยาง", "เมืองบางยม", "ท่าทอง", "ปากน้ำ", "ป่ากุมเกาะ", "เมืองบางขลัง", "หนองกลับ")),
    "6408": Area(0.5, "64180", ("officer2",), ("ศรีนคร", "นครเดิฐ", "น้ำขุม", "คลองมะพลับ", "หนองบัว")),
    "6409": Area(0.7, "64150", ("officer5",), (
        "ทุ่งเสลี่ยม", "บ้านใหม่ไชยมงคล", "ไทยชนะศึก", "กลางดง", "เขาแก้วศรีสมบูรณ์")),
}  # fmt: skip
_AREAS_BY_PROVINCE = {"62": AREAS, "64": SUKHOTHAI_AREAS}
# Registration numbers start with the province's abbreviation (else its code).
REG_PREFIXES = {"62": "กพ.", "64": "สท.", "10": "กท.", "60": "นว.", "61": "อน.", "63": "ตก.", "65": "พล.", "66": "พจ.",
                "53": "อต.", "50": "ชม.", "30": "นม."}

# Village names are made from a landform and a tree/quality, as most Thai village names are;
# they keep names unique when a sub-district already has an institution of that kind.
_VILLAGE_HEADS = ("หนอง", "โนน", "ดอน", "วัง", "ห้วย", "คลอง", "บึง", "ท่า", "ทุ่ง", "โป่ง", "ดง",
                  "นา", "สระ", "บ่อ", "เขา", "ปาก", "ลาน", "หัว")
_VILLAGE_TAILS = ("แก", "ไผ่", "ทอง", "ตะเคียน", "สะแก", "ใหญ่", "งาม", "เจริญ", "ยาง", "มะค่า",
                  "กระทุ่ม", "ขาม", "บัว", "จิก", "พุทรา", "หว้า", "ตาล", "ม่วง", "ไทร", "โพธิ์", "หิน",
                  "ทราย", "สามัคคี", "พัฒนา", "ศรีสุข", "แขม", "ปลิง", "กระโดน", "ขี้เหล็ก", "รัง")

# -- what each kind of institution looks like ------------------------------------------------


@dataclass(frozen=True)
class Profile:
    share: float  # of cooperatives; the farmer-group profile's share is of all institutions
    members: tuple[int, int]
    volume_per_member: tuple[int, int]  # business volume, baht a year
    margin_bp: tuple[int, int]  # net profit over business volume in a normal year, 1/10,000
    quality: float  # mean strength score (out of 100)
    founded: tuple[int, int]  # CE years of registration
    year_ends: tuple[tuple[int, int, int], ...]  # (month, day, weight) of the accounting year end
    anchors: tuple[tuple[str, str], ...]  # well-known (name, district): used first
    patterns: tuple[tuple[str, float], ...]  # '{place}' or '{district}' name templates, weight
    districts: tuple[str, ...] | None = None  # where this kind plausibly exists (None: anywhere)


_KPP = "กำแพงเพชร"
PROFILES: dict[str | None, Profile] = {
    "agriculture": Profile(
        0.55, (200, 5000), (30_000, 120_000), (50, 250), 69, (1973, 2016),
        ((3, 31, 5), (6, 30, 3), (12, 31, 1), (9, 30, 1), (4, 30, 1), (5, 31, 1)),
        tuple(("สหกรณ์การเกษตร{district} จำกัด", code) for code in AREAS)
        + ((f"สหกรณ์การเกษตรเพื่อการตลาดลูกค้า ธ.ก.ส. {_KPP} จำกัด", "6201"),),
        (("สหกรณ์การเกษตร{place} จำกัด", 5), ("สหกรณ์ผู้ปลูกอ้อย{place} จำกัด", 1.5),
         ("สหกรณ์ผู้ปลูกมันสำปะหลัง{place} จำกัด", 1), ("สหกรณ์การเกษตรแปลงใหญ่ข้าว{place} จำกัด", 1),
         ("สหกรณ์ผู้ปลูกกล้วยไข่{place} จำกัด", 0.7), ("สหกรณ์ผู้เลี้ยงโคเนื้อ{place} จำกัด", 0.7),
         ("สหกรณ์การเกษตรปฏิรูปที่ดิน{place} จำกัด", 0.7), ("สหกรณ์โคนม{place} จำกัด", 0.4)),
    ),
    "savings": Profile(
        0.20, (500, 8000), (400_000, 1_500_000), (150, 350), 80, (1968, 2012),
        ((12, 31, 5), (9, 30, 3), (6, 30, 1), (3, 31, 1)),
        ((f"สหกรณ์ออมทรัพย์ครู{_KPP} จำกัด", "6201"),
         (f"สหกรณ์ออมทรัพย์ตำรวจภูธรจังหวัด{_KPP} จำกัด", "6201"),
         (f"สหกรณ์ออมทรัพย์โรงพยาบาล{_KPP} จำกัด", "6201"),
         (f"สหกรณ์ออมทรัพย์สาธารณสุขจังหวัด{_KPP} จำกัด", "6201"),
         (f"สหกรณ์ออมทรัพย์ข้าราชการส่วนท้องถิ่น{_KPP} จำกัด", "6201"),
         (f"สหกรณ์ออมทรัพย์มหาวิทยาลัยราชภัฏ{_KPP} จำกัด", "6201"),
         (f"สหกรณ์ออมทรัพย์ข้าราชการกระทรวงเกษตรและสหกรณ์{_KPP} จำกัด", "6201")),
        (("สหกรณ์ออมทรัพย์โรงพยาบาล{district} จำกัด", 2), ("สหกรณ์ออมทรัพย์พนักงานเทศบาล{place} จำกัด", 1)),
    ),
    "consumer": Profile(
        0.07, (100, 3000), (2_000, 15_000), (100, 400), 63, (1975, 2015),
        ((3, 31, 2), (6, 30, 2), (12, 31, 1), (10, 31, 1)),
        ((f"สหกรณ์ร้านค้า{_KPP} จำกัด", "6201"),),
        (("สหกรณ์ร้านค้าชุมชน{place} จำกัด", 2), ("สหกรณ์ร้านค้า{district} จำกัด", 1)),
    ),
    "service": Profile(
        0.09, (50, 800), (10_000, 60_000), (100, 600), 62, (1988, 2020),
        ((12, 31, 2), (6, 30, 2), (3, 31, 1), (9, 30, 1)),
        ((f"สหกรณ์บริการเดินรถ{_KPP} จำกัด", "6201"),),
        (("สหกรณ์บริการผู้ใช้น้ำ{place} จำกัด", 2), ("สหกรณ์บริการท่องเที่ยวชุมชน{place} จำกัด", 1),
         ("สหกรณ์บริการวิสาหกิจชุมชน{place} จำกัด", 1), ("สหกรณ์บริการรถยนต์รับจ้าง{district} จำกัด", 0.5)),
    ),
    "credit_union": Profile(
        0.04, (100, 1500), (50_000, 200_000), (100, 300), 68, (1985, 2015),
        ((12, 31, 3), (6, 30, 1), (9, 30, 1)),
        (("สหกรณ์เครดิตยูเนี่ยนคลองน้ำไหล จำกัด", "6203"),),
        (("สหกรณ์เครดิตยูเนี่ยน{place} จำกัด", 1),),
    ),
    # Fish farming happens along the Ping river: Mueang, Khlong Khlung, Khanu Woralaksaburi.
    "fishery": Profile(
        0.02, (50, 300), (20_000, 80_000), (50, 300), 62, (1985, 2010),
        ((3, 31, 1), (6, 30, 1), (12, 31, 1)),
        ((f"สหกรณ์ประมงน้ำจืด{_KPP} จำกัด", "6201"),),
        (("สหกรณ์ผู้เลี้ยงปลา{place} จำกัด", 1),),
        ("6201", "6205", "6204"),
    ),
    # The office runs two settlement units (seed 003): Nakhon Chum and Khlong Suan Mak.
    "settlement": Profile(
        0.03, (300, 2000), (30_000, 100_000), (50, 300), 64, (1975, 1992),
        ((3, 31, 2), (6, 30, 1), (12, 31, 1)),
        (("สหกรณ์นิคมนครชุม จำกัด", "6201"), ("สหกรณ์นิคมคลองสวนหมาก จำกัด", "6203"),
         ("สหกรณ์นิคมทุ่งโพธิ์ทะเล จำกัด", "6201")),
        (("สหกรณ์นิคม{place} จำกัด", 1),),
        ("6201", "6203"),
    ),
    None: Profile(  # farmer groups
        1 / 3, (30, 300), (3_000, 25_000), (100, 600), 68, (1976, 2020),
        ((3, 31, 3), (4, 30, 2), (5, 31, 2), (12, 31, 1), (6, 30, 1)),
        (("กลุ่มเกษตรกรทำนาคลองขลุง", "6205"),),
        (("กลุ่มเกษตรกรทำนา{place}", 4.5), ("กลุ่มเกษตรกรทำสวน{place}", 2),
         ("กลุ่มเกษตรกรทำไร่{place}", 2), ("กลุ่มเกษตรกรเลี้ยงสัตว์{place}", 1.5)),
    ),
}

# Kamphaeng Phet's well-known institutions named after one of its places; elsewhere the same
# kind of institution is named after a sub-district of the corresponding district.
_PLACE_ANCHORS = {
    "สหกรณ์เครดิตยูเนี่ยนคลองน้ำไหล จำกัด": "สหกรณ์เครดิตยูเนี่ยน{place} จำกัด",
    "สหกรณ์นิคมนครชุม จำกัด": "สหกรณ์นิคม{place} จำกัด",
    "สหกรณ์นิคมคลองสวนหมาก จำกัด": "สหกรณ์นิคม{place} จำกัด",
    "สหกรณ์นิคมทุ่งโพธิ์ทะเล จำกัด": "สหกรณ์นิคม{place} จำกัด",
    "กลุ่มเกษตรกรทำนาคลองขลุง": "กลุ่มเกษตรกรทำนา{place}",
}


# -- the demo province -----------------------------------------------------------------------


@dataclass(frozen=True)
class DemoProvince:
    """What differs between demo provinces: office, districts, names, numbers and people."""

    code: str
    name: str
    office_code: str
    office_name: str
    reg_prefix: str  # "กพ.": cooperatives กพ.<n>/<year>, farmer groups กพ.กษ.<n>/<year>
    areas: dict[str, Area]  # the first is the capital district (อำเภอเมือง…)
    profiles: dict[str | None, Profile]
    admin: Staff
    staff: tuple[Staff, ...]

    @property
    def capital(self) -> str:
        return next(iter(self.areas))

    def seed(self, seed: int, *parts) -> str | int:
        """A generator seed: Kamphaeng Phet's are as they always were; another province's
        mix in its code, so the same seed gives another province other draws."""
        if self.code == PROVINCE_CODE:
            return "/".join(map(str, (seed, *parts))) if parts else seed
        return "/".join(map(str, (seed, self.code, *parts)))


KAMPHAENG_PHET = DemoProvince(PROVINCE_CODE, _KPP, OFFICE_CODE, OFFICE_NAME, REG_PREFIXES[PROVINCE_CODE], AREAS,
                              PROFILES, ADMIN, STAFF)


def demo_province(code: str, name: str, district_codes: list[str], office_name: str | None = None) -> DemoProvince:
    """The demo for province `code` (its districts in DOPA order, the capital first), derived
    from Kamphaeng Phet's: the i-th district of the province plays the part of Kamphaeng
    Phet's i-th (wrapping round), names say the province's name instead of กำแพงเพชร."""
    if code == PROVINCE_CODE:
        return KAMPHAENG_PHET
    if not district_codes:
        raise ValidationError(tr("จังหวัดรหัส {code} ไม่มีข้อมูลอำเภอ จึงสร้างข้อมูลตัวอย่างไม่ได้", code=code))
    codes = sorted(district_codes)
    known = _AREAS_BY_PROVINCE.get(code)
    areas = known if known is not None and list(known) == codes else _derived_areas(codes)
    own = list(areas)
    stand_in = {src: own[i % len(own)] for i, src in enumerate(AREAS)}  # Kamphaeng Phet's district -> ours
    profiles = {
        key: replace(p, anchors=_local_anchors(p.anchors, name, own, stand_in),
                     districts=None if p.districts is None else tuple(dict.fromkeys(stand_in[c] for c in p.districts)))
        for key, p in PROFILES.items()
    }
    staff = tuple(replace(st, position=st.position.format(province=name)) for st in OTHER_STAFF)
    return DemoProvince(code, name, code, office_name or f"สำนักงานสหกรณ์จังหวัด{name}",
                        REG_PREFIXES.get(code, f"{code}."), areas, profiles, OTHER_ADMIN, staff)


def _derived_areas(codes: list[str]) -> dict[str, Area]:
    """Areas for a province without its own table: weights and officers of Kamphaeng Phet's
    districts in turn (those left over fold onto the first ones, so every officer has a
    district), made-up sub-district names (the capital's seat is ในเมือง), no postcode."""
    template = list(AREAS.values())
    weights = [0.0] * len(codes)
    officers: list[list[str]] = [[] for _ in codes]
    for i in range(max(len(codes), len(template))):
        area, k = template[i % len(template)], i % len(codes)
        weights[k] += area.weight if i < len(template) else min(area.weight, 1.0)
        officers[k] += [o for o in area.officers if o not in officers[k]]
    out = {}
    for k, code in enumerate(codes):
        rng = random.Random(f"tambons/{code}")
        names = ["ในเมือง"] if k == 0 else []
        while len(names) < 7:
            tambon = rng.choice(_VILLAGE_HEADS) + rng.choice(_VILLAGE_TAILS)
            if tambon not in names:
                names.append(tambon)
        out[code] = Area(weights[k], "", tuple(officers[k]), tuple(names))
    return out


def _local_anchors(anchors, name: str, own: list[str], stand_in: dict[str, str]) -> tuple[tuple[str, str], ...]:
    """Kamphaeng Phet's well-known institutions as another province would have them: one per
    district stays one per (this province's) district; the province's name replaces
    กำแพงเพชร; those named after a place are named after a place of the district standing in."""
    per_district = Counter(template for template, _ in anchors if "{district}" in template)
    out: list[tuple[str, str]] = []
    for template, code in anchors:
        if per_district[template] == len(AREAS):
            if not any(t == template for t, _ in out):
                out += [(template, c) for c in own]
            continue
        if "{district}" in template:
            if (template, stand_in[code]) not in out:  # two of Kamphaeng Phet's folded onto one
                out.append((template, stand_in[code]))
        else:
            out.append((_PLACE_ANCHORS.get(template, template).replace(_KPP, name), stand_in[code]))
    return tuple(out)


# Strength-class score thresholds (class 1, class 2) by sector, 2568 rules (REFERENCE §2);
# used only to make plausible classes from a made-up score.
_CLASS_THRESHOLDS = {"agricultural": (80, 55), "non_agricultural": (80, 65), "farmer_group": (85, 65)}
AGM_DEADLINE_DAYS = 150
_STATUS_WEIGHTS = (("operating", 90), ("not_started", 3), ("suspended", 4), ("dissolving", 3))
_CENT = Decimal("0.01")


def _money(value: Decimal) -> Decimal:
    return value.quantize(_CENT, rounding=ROUND_HALF_UP)


def _ratio(x: float) -> Decimal:
    """A random factor as an exact Decimal, so money arithmetic stays in Decimal."""
    return Decimal(f"{x:.4f}")


# -- planning: what to create, decided before anything is written ----------------------------


@dataclass
class Planned:
    data: InstitutionData  # officer_id / group_id are filled in when the users exist
    officer: str  # login of the responsible officer
    years: dict[int, YearData]


def _weighted(rng: random.Random, pairs):
    items, weights = zip(*pairs, strict=True)
    return rng.choices(items, weights)[0]


def _quotas(n: int) -> dict[str | None, int]:
    """Institutions per coop type (None = farmer groups) by largest remainder; every type
    appears once there are enough cooperatives for it."""
    groups = round(n * PROFILES[None].share)
    coops = n - groups
    shares = {t: PROFILES[t].share for t in COOP_TYPES}
    exact = {t: coops * s / sum(shares.values()) for t, s in shares.items()}
    quota = {t: int(v) for t, v in exact.items()}
    if coops >= len(COOP_TYPES):
        quota = {t: max(q, 1) for t, q in quota.items()}
    by_remainder = sorted(COOP_TYPES, key=lambda t: exact[t] - int(exact[t]), reverse=True)
    for t in by_remainder:
        if sum(quota.values()) >= coops:
            break
        quota[t] += 1
    while sum(quota.values()) > coops:  # the minimum of one each overshot: trim the largest
        quota[max(quota, key=quota.get)] -= 1
    return {**quota, None: groups}


class _Namer:
    """Unique, plausible names: after a sub-district, else a village, else numbered."""

    def __init__(self, rng: random.Random, district_names: dict[str, str],
                 province: DemoProvince = KAMPHAENG_PHET):
        self.rng = rng
        self.district_names = district_names
        self.areas = province.areas
        self.capital = province.capital
        self.taken: set[str] = set()

    def pick(self, profile: Profile, anchor: tuple[str, str] | None) -> tuple[str, str, str]:
        """(name, district code, sub-district) for the next institution of a profile."""
        if anchor is not None:
            template, code = anchor
            fill = {"district": self.district_names[code]}
            if "{place}" in template:  # a well-known kind named after one of the district's places
                return self._by_place(template, code, fill)
            tambon = self.areas[code].tambons[0]
            return self._claim(template.format(**fill)), code, tambon
        codes = profile.districts or tuple(self.areas)
        code = _weighted(self.rng, [(c, self.areas[c].weight) for c in codes])
        template = _weighted(self.rng, profile.patterns)
        fill = {"district": self.district_names[code]}
        if "{place}" not in template and template.format(**fill) in self.taken:
            # One per district (e.g. its hospital's) exists already: name this one by place.
            template = _weighted(self.rng, [(t, w) for t, w in profile.patterns if "{place}" in t])
        return self._by_place(template, code, fill)

    def _by_place(self, template: str, code: str, fill: dict[str, str]) -> tuple[str, str, str]:
        tambons = self.areas[code].tambons
        # Rural institutions are named after places, not the town seat of Mueang.
        places = tambons[1:] if code == self.capital and len(tambons) > 1 else tambons
        # A sub-district of the district, another one, then a village; _claim numbers the rest.
        for attempt in range(6):
            tambon = self.rng.choice(places)
            name = template.format(place=tambon if attempt < 3 else self._village(), **fill)
            if name not in self.taken:
                break
        return self._claim(name), code, tambon

    def _village(self) -> str:
        return "บ้าน" + self.rng.choice(_VILLAGE_HEADS) + self.rng.choice(_VILLAGE_TAILS)

    def _numbered(self, name: str) -> str:
        base, sep, tail = name.partition(" จำกัด")
        n = 2
        while f"{base} {n}{sep}{tail}" in self.taken:
            n += 1
        return f"{base} {n}{sep}{tail}"

    def _claim(self, name: str) -> str:
        if name in self.taken:
            name = self._numbered(name)
        self.taken.add(name)
        return name


def _random_date(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randint(0, (end - start).days))


def _year_end(fy: int, month: int, day: int) -> date:
    """The accounting year end (month, day) that falls within fiscal year fy."""
    start, _ = fiscal_year_bounds(fy)
    return year_end_in(start.year + (month < 10), (month, day))  # 29 Feb → 28 Feb in common years


def covered_years(today: date) -> list[int]:
    """The fiscal years given a yearly status: the three ending with the current one."""
    current = fiscal_year(today)
    return list(range(current - YEARS_COVERED + 1, current + 1))


def plan_province(seed: int, count: int, today: date, district_names: dict[str, str],
                  province: DemoProvince = KAMPHAENG_PHET) -> list[Planned]:
    """The institutions of the demo province with their yearly status, in creation order."""
    rng = random.Random(province.seed(seed))
    namer = _Namer(rng, district_names, province)
    years = covered_years(today)
    turns: Counter[str] = Counter()
    plans: list[Planned] = []
    for coop_type, quota in _quotas(count).items():
        profile = province.profiles[coop_type]
        for i in range(quota):
            anchor = profile.anchors[i] if i < len(profile.anchors) else None
            name, code, tambon = namer.pick(profile, anchor)
            area = province.areas[code]
            officer = area.officers[turns[code] % len(area.officers)]
            turns[code] += 1
            # Each institution draws from its own generator, so its figures do not shift
            # when an earlier one needed more tries to find a free name.
            own = random.Random(province.seed(seed, len(plans)))
            status = "operating" if anchor else _weighted(own, _STATUS_WEIGHTS)
            data = _institution(own, profile, coop_type, name, code, status, years[-2], anchor is not None)
            data.address = _address(own, province, tambon, district_names[code], area.postcode)
            plans.append(Planned(data, officer, _years(own, profile, data, years, today)))
    _share_out(plans, [st.login for st in province.staff if st.role is Role.OFFICER])
    _number(plans, province.reg_prefix)
    return plans


def _address(rng: random.Random, province: DemoProvince, tambon: str, district: str, postcode: str) -> str:
    house = f"{rng.randint(1, 199)} หมู่ {rng.randint(1, 15)}"
    if province.code == "10":  # Bangkok: แขวง and เขต, no จังหวัด
        place = f"แขวง{tambon} เขต{district} {province.name}"
    else:
        place = f"ต.{tambon} อ.{district} จ.{province.name}"
    return f"{house} {place} {postcode}".rstrip()


# The visits demo (demo_visits) plans up to five visits a month per officer, and adds one
# more after the plan is approved, to different institutions: each officer needs six.
MIN_PER_OFFICER = 6


def _share_out(plans: list[Planned], officers: list[str]) -> None:
    """In a small demo, give an officer with too few institutions some of the busiest
    officer's (their latest-made ones). Never needed at the usual size, so it changes nothing there."""
    if len(plans) < MIN_PER_OFFICER * len(officers):
        return
    while True:
        load = Counter(p.officer for p in plans)
        short = min(officers, key=lambda o: (load[o], o))
        if load[short] >= MIN_PER_OFFICER:
            return
        busiest = max(officers, key=lambda o: (load[o], o))
        donor = next(p for p in reversed(plans) if p.officer == busiest)
        donor.officer = short


def _institution(rng: random.Random, profile: Profile, coop_type: str | None, name: str, code: str,
                 status: str, previous_fy: int, well_known: bool) -> InstitutionData:
    if status == "not_started":  # registered last fiscal year, business not yet begun
        registered = _random_date(rng, *fiscal_year_bounds(previous_fy))
        members = rng.randint(30 if coop_type is None else 10, 60)
    else:
        registered = _random_date(rng, date(profile.founded[0], 1, 1), date(profile.founded[1], 12, 31))
        low, high = profile.members
        # Log-uniform, many small and few big; the well-known provincial and district ones
        # take the upper half, the local ones the lower.
        share = rng.uniform(0.5, 1) if well_known else rng.uniform(0, 0.6)
        members = round(low * (high / low) ** share)
    month, day, _ = _weighted(rng, [((m, d, w), w) for m, d, w in profile.year_ends])
    return InstitutionData(
        name=name, kind="farmer_group" if coop_type is None else "coop", coop_type=coop_type,
        district_code=code, status=status, members=members, registered_on=registered,
        acct_year_end_month=month, acct_year_end_day=day,
        phone=f"055-{rng.randint(700, 899)}-{rng.randint(0, 999):03d}",
    )


def _number(plans: list[Planned], province_prefix: str = "กพ.") -> None:
    """Registration numbers run in order of registration, per kind, with the BE year:
    cooperatives กพ.<n>/<year>, farmer groups กพ.กษ.<n>/<year> (with the province's prefix)."""
    for kind, prefix in (("coop", province_prefix), ("farmer_group", f"{province_prefix}กษ.")):
        ordered = sorted((p for p in plans if p.data.kind == kind),
                         key=lambda p: (p.data.registered_on, p.data.name))
        for n, p in enumerate(ordered, start=1):
            p.data.reg_no = f"{prefix}{n}/{p.data.registered_on.year + 543}"


# -- yearly status ---------------------------------------------------------------------------


@dataclass
class _Books:
    """The running state of an institution's books from one year to the next."""

    quality: float  # a hidden strength score out of 100 that drifts year to year
    volume: Decimal
    accumulated_loss: Decimal
    last_year_loss: bool


_STOPPED_FROM = {"suspended": (0, 1, 1, 2, 2), "dissolving": (0, 1, 1, 2)}  # index into the years


def _years(rng: random.Random, profile: Profile, d: InstitutionData, years: list[int],
           today: date) -> dict[int, YearData]:
    quality = min(95.0, max(25.0, rng.gauss(profile.quality, 13)))
    stopped_from = rng.choice(_STOPPED_FROM[d.status]) if d.status in _STOPPED_FROM else len(years)
    if stopped_from < len(years):
        quality -= 20  # institutions that stop were weak before they stopped
    low, high = profile.volume_per_member
    books = _Books(
        quality=quality,
        volume=_money(Decimal(d.members * rng.randint(low, high))),
        accumulated_loss=Decimal(0),
        last_year_loss=rng.random() < _loss_chance(quality, False),
    )
    if rng.random() < (0.45 if quality < 55 else 0.09):  # ~15 % carry an accumulated loss
        books.accumulated_loss = _money(books.volume * _ratio(rng.uniform(0.01, 0.25)))
    out: dict[int, YearData] = {}
    for i, fy in enumerate(years):
        if d.status == "not_started":
            if fy >= fiscal_year(d.registered_on):
                out[fy] = YearData(out_of_scope=True, standards_result="not_assessed")
        elif i >= stopped_from:  # class 4 marks stopped and dissolving institutions
            out[fy] = YearData(strength_class=4, standards_result="not_assessed",
                               accumulated_loss=books.accumulated_loss)
        else:
            end = _year_end(fy, d.acct_year_end_month, d.acct_year_end_day)
            known = _known_on(today, end, _operating_year(rng, profile, d, books, end))
            if known is not None:
                out[fy] = known
    return out


def _loss_chance(quality: float, carrying_loss: bool) -> float:
    return 0.04 + max(0.0, 55 - quality) / 100 + (0.15 if carrying_loss else 0)


def _operating_year(rng: random.Random, profile: Profile, d: InstitutionData, books: _Books,
                    end: date) -> YearData:
    """One operating year's results as they stand once everything has happened. Draws the
    same random numbers whatever today is, so later years do not depend on the run date."""
    books.quality = min(98.0, max(20.0, books.quality + rng.gauss(0, 5)))
    q = books.quality
    growth = min(1.35, max(0.75, rng.gauss(1.02 + (q - 60) / 500, 0.07)))
    books.volume = _money(books.volume * _ratio(growth))
    loss = rng.random() < _loss_chance(q, books.accumulated_loss > 0)
    margin = -rng.randint(20, 300) if loss else rng.randint(*profile.margin_bp)
    profit = _money(books.volume * margin / 10_000)
    offset = _ratio(rng.uniform(0.3, 1))
    if profit > 0:  # part of a profit goes to cover earlier losses
        books.accumulated_loss = max(Decimal(0), _money(books.accumulated_loss - profit * offset))
    elif books.accumulated_loss > 0 or offset > Decimal("0.65"):  # else reserves may absorb it
        books.accumulated_loss = _money(books.accumulated_loss - profit)
    # Farmer-group standards look at this year only; cooperatives' at the last two years.
    loss_counted = loss if d.kind == "farmer_group" else loss or books.last_year_loss
    books.last_year_loss = loss

    cannot_close = q < 45 and rng.random() < 0.2
    on_time = rng.random() < 0.85 + (q - 60) / 200
    close_days = rng.randint(5, 30) if on_time else rng.randint(31, 120)
    earliest_agm = max(close_days + 15, 45)  # the auditor needs the closed books first
    agm_days = (rng.randint(AGM_DEADLINE_DAYS + 1, 210)
                if earliest_agm > AGM_DEADLINE_DAYS or rng.random() < 0.1
                else rng.randint(earliest_agm, AGM_DEADLINE_DAYS))
    other_criteria_met = rng.random() < 0.9
    participation = Decimal(f"{min(98.0, max(20.0, q * 0.9 + rng.gauss(0, 8))):.2f}")
    if cannot_close:  # no statements: no figures, no meeting, class 3, standards failed
        return YearData(strength_class=3, standards_result="fail", member_participation_pct=participation)

    score = q - (12 if loss else 0) - (8 if books.accumulated_loss else 0)
    first, second = _CLASS_THRESHOLDS[sector(d.kind, d.coop_type)]
    meets = agm_days <= AGM_DEADLINE_DAYS and not loss_counted and other_criteria_met
    return YearData(
        strength_class=1 if score >= first else 2 if score >= second else 3,
        standards_result="pass" if meets else "fail",
        accumulated_loss=books.accumulated_loss,
        member_participation_pct=participation,
        business_volume=books.volume,
        net_profit=profit,
        agm_date=end + timedelta(days=agm_days),
        accounts_closed_date=end + timedelta(days=close_days),
    )


def _known_on(today: date, end: date, y: YearData) -> YearData | None:
    """What the office can have recorded by `today` (None: nothing yet)."""
    if y.accounts_closed_date is None:  # books never closed: clear once the AGM deadline passed
        return y if end + timedelta(days=AGM_DEADLINE_DAYS) <= today else None
    if y.accounts_closed_date > today:
        return None
    if y.agm_date > today:  # figures known; class and standards come after the meeting
        return replace(y, agm_date=None, strength_class=None, standards_result=None)
    return y


# -- writing ---------------------------------------------------------------------------------


def province_names() -> dict[str, str]:
    """DOPA code -> Thai name of every province the demo can be made for (data/geo)."""
    with (data_dir() / "geo" / "provinces.csv").open(encoding="utf-8", newline="") as fh:
        return {row["code"]: row["name_th"] for row in csv.DictReader(fh)}


def check_province(code: str) -> str:
    """The province code, refused (before anything is touched) if data/geo does not know it."""
    code = str(code).strip()
    if code not in province_names():
        raise ValidationError(tr("ไม่พบจังหวัดรหัส {code}", code=code), field="province_code")
    return code


def create_demo_database(target: Path, *, force: bool = False, seed: int = 2567,
                         institutions: int = 150, today: date | None = None,
                         province_code: str = PROVINCE_CODE) -> dict:
    """Make a new database file at `target` holding the demo province (Kamphaeng Phet unless
    `province_code` says another); returns a summary. `today` (default: the real today) is
    the day the time-dependent parts are laid out from."""
    target = Path(target)
    province_code = check_province(province_code)
    if institutions < MIN_INSTITUTIONS:
        raise ValidationError(tr("ข้อมูลตัวอย่างต้องมีสหกรณ์และกลุ่มเกษตรกรอย่างน้อย {n} แห่ง", n=MIN_INSTITUTIONS),
                              field="institutions")
    if target.exists() and not force:
        raise ValidationError(
            tr("มีไฟล์ {path} อยู่แล้ว โปรดเลือกไฟล์ใหม่หรือสั่งให้เขียนทับ (--force)", path=target),
            field="target",
        )
    _remove_database_files(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    db = open_app_database(target)
    try:
        with db.transaction() as s:
            summary = _fill(s, seed, institutions, today or date.today(), province_code)
    except BaseException:
        db.dispose()
        _remove_database_files(target)  # never leave a half-made demo behind
        raise
    db.dispose()
    return {**summary, "path": str(target)}


def _remove_database_files(target: Path) -> None:
    for path in (target, target.with_name(target.name + "-wal"), target.with_name(target.name + "-shm")):
        path.unlink(missing_ok=True)


def _fill(s: Session, seed: int, count: int, today: date, province_code: str = PROVINCE_CODE) -> dict:
    province = s.get(Province, province_code)
    if province is None:
        raise ValidationError(tr("ไม่พบจังหวัดรหัส {code}", code=province_code), field="province_code")
    district_names = {d.code: d.name_th for d in province.districts}
    spec = demo_province(province.code, province.name_th, list(district_names), setup.default_office_name(province))
    admin = setup.complete_setup(
        s, province_code=spec.code, office_name=spec.office_name, office_code=spec.office_code,
        admin_login=spec.admin.login, admin_name=spec.admin.full_name, admin_position=spec.admin.position,
        password=DEMO_PASSWORD,
    )
    groups = users.list_groups(s)
    people = {spec.admin.login: admin}
    for st in spec.staff:
        group_id = None if st.group is None else groups[st.group].id
        data = users.UserData(st.login, st.full_name, st.position, group_id, frozenset({st.role}))
        people[st.login] = users.create_user(s, admin, data, DEMO_PASSWORD)

    plans = plan_province(seed, count, today, district_names, spec)
    for p in plans:
        officer = people[p.officer]
        p.data.officer_id, p.data.group_id = officer.id, officer.group_id
    write = _write_one_by_one if count <= SERVICE_PATH_LIMIT else _write_in_bulk
    write(s, people["clerk"], people, plans)
    per_group = Counter(p.data.group_id for p in plans)
    assessment_summary = add_demo_assessments(s, people, seed, today, covered_years(today))
    plan_count = add_demo_plans(s, people, seed, today, per_group)
    visit_summary = add_demo_visits(s, people, seed, today)

    kinds = Counter(p.data.kind for p in plans)
    types = Counter(p.data.coop_type for p in plans)
    return {
        "office": {"code": spec.office_code, "name": spec.office_name},
        "province": {"code": province.code, "name": province.name_th},
        "password": DEMO_PASSWORD,
        "users": [{"login": u.login, "name": u.full_name, "roles": sorted(u.roles)} for u in people.values()],
        "institutions": {kind: kinds[kind] for kind in KINDS},
        "coop_types": {t: types[t] for t in COOP_TYPES},
        "fiscal_years": covered_years(today),
        "plans": plan_count,
        "visits": visit_summary,
        "assessments": assessment_summary,
    }


def _write_one_by_one(s: Session, clerk: User, people: dict[str, User], plans: list[Planned]) -> None:
    """The clerk registers each institution; its officer records the yearly status."""
    for p in plans:
        inst = registry.create_institution(s, clerk, p.data)
        for fy, y in p.years.items():
            registry.save_year(s, people[p.officer], inst.id, fy, y)


def _raise_first(problems: list[Problem]) -> None:
    if problems:
        raise ValidationError(problems[0].message, field=problems[0].field)


def _write_in_bulk(s: Session, clerk: User, people: dict[str, User], plans: list[Planned]) -> None:
    """The same checks as the services (permission, cleaning, validation, audit), with rows
    flushed in chunks instead of one query and flush per row."""
    authorize(s, clerk, Action.REGISTRY_CREATE)
    known = registry.known_district_codes(s)
    rows = []
    for p in plans:
        data = registry.clean(p.data)
        _raise_first(validate_institution(data, known_districts=known))
        rows.append(Institution(**_fields(data)))
    _add_audited(s, clerk, rows, "institution.create", "institution")

    by_officer: dict[str, list[InstitutionYear]] = {}
    for p, inst in zip(plans, rows, strict=True):
        authorize(s, people[p.officer], Action.YEARLY_EDIT, registry.target_of(inst))
        for fy, y in p.years.items():
            _raise_first(validate_year(fy, y))
            by_officer.setdefault(p.officer, []).append(
                InstitutionYear(institution_id=inst.id, fiscal_year=fy, **_fields(y)))
    for login, year_rows in by_officer.items():
        officer = people[login]
        authorize(s, officer, Action.YEARLY_EDIT)  # stamps the officer as the rows' author
        _add_audited(s, officer, year_rows, "institution_year.save", "institution_year")


def _fields(obj) -> dict:
    """A dataclass's fields, shallow (dataclasses.asdict deep-copies, 3 s for 40,000 rows)."""
    return {f.name: getattr(obj, f.name) for f in dataclass_fields(obj)}


# Rows per flush. The sync stamping hook (models.base) tests `obj in session.new` for each
# row, and session.new is rebuilt on every access, so one flush costs rows² — 20 s for
# 30,000 rows at once, well under a second in chunks of this size.
_FLUSH_CHUNK = 200


def _add_audited(s: Session, user: User, rows: list, action: str, entity: str) -> None:
    for start in range(0, len(rows), _FLUSH_CHUNK):
        chunk = rows[start:start + _FLUSH_CHUNK]
        s.add_all(chunk)
        s.flush()  # assigns the ids the audit entries refer to
        for row in chunk:
            audit.record(s, user, action, entity, row.id, None, audit.snapshot(row))
