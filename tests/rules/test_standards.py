"""Standards assessment rules: the shipped criteria sets and their loader (fallback and
malformed files), the all-criteria rule, validation refusals, the reporting deadline across
weekends, Songkran and office special days, late/overdue counting, and the pass rate."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.errors import FileFormatError, NotFound, ValidationError
from app.rules.registry import standards_label
from app.rules.standards import (
    DISSOLVING,
    DUE_SOON,
    LATE,
    NOT_ASSESSED_REASONS,
    NOT_DUE,
    NOT_OPERATING,
    ON_TIME,
    OTHER,
    OVERDUE,
    TOO_YOUNG,
    Assessment,
    CriteriaSet,
    CriterionAnswer,
    assessment_problems,
    available_sets,
    check_folders,
    evaluate,
    load_criteria_set,
    parse_criteria_set,
    pass_rate,
    report_status,
    standards_due,
    working_days_between,
)
from app.thai import HolidayCalendar

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "data" / "standards"

# A calendar of our own: the app-wide default one is configured by services at run time.
CAL = HolidayCalendar()

THU_10_APR_2025 = date(2025, 4, 10)


def d(day: int, month: int = 4, year: int = 2025) -> date:
    return date(year, month, day)


# --- what the holidays package says around Songkran -----------------------------------------


def test_holidays_package_around_songkran_2025():
    # 13 April 2568 fell on a Sunday: 13-15 are Songkran itself and Wednesday 16 is the
    # substitution day; 6 April (Chakri day) was a Sunday too, substituted on Monday 7.
    names = {day: CAL.holiday_name(day) for day in (d(6), d(7), d(13), d(14), d(15), d(16))}
    assert names[d(13)] == names[d(14)] == names[d(15)] == "วันสงกรานต์"
    assert names[d(16)] == "ชดเชยวันสงกรานต์"
    assert names[d(7)].startswith("ชดเชย")
    assert [day for day in (d(11), d(17), d(18)) if CAL.is_holiday(day)] == []


# --- the reporting deadline -------------------------------------------------------------


def test_due_two_working_days_after_an_agm_just_before_songkran():
    # Thu 10 → Fri 11 (1st), then Sat-Sun, Songkran Mon-Tue, substitution Wed → Thu 17 (2nd).
    assert standards_due(THU_10_APR_2025, CAL) == d(17)


def test_due_in_an_ordinary_week():
    assert standards_due(date(2025, 3, 4), CAL) == date(2025, 3, 6)  # Tue → Thu


@pytest.mark.parametrize(
    ("agm", "due"),
    [
        (date(2025, 3, 21), date(2025, 3, 25)),  # Fri → Mon, Tue
        (d(4), d(9)),  # Fri before the Chakri substitution Monday → Tue 8, Wed 9
        (d(11), d(18)),  # Fri before Songkran → Thu 17, Fri 18
        (date(2024, 4, 11), date(2024, 4, 18)),  # 2024: Fri 12 was a cabinet special day
    ],
)
def test_friday_agms(agm, due):
    assert standards_due(agm, CAL) == due


@pytest.mark.parametrize(
    ("agm", "due"),
    [
        (d(13), d(18)),  # on Songkran (a Sunday): Thu 17, Fri 18
        (d(14), d(18)),  # on Songkran Monday
        (d(16), d(18)),  # on the substitution day
        (d(12), d(18)),  # on the Saturday before
    ],
)
def test_agm_held_on_a_holiday_or_weekend(agm, due):
    assert standards_due(agm, CAL) == due


def test_office_special_day_added_moves_the_due_date():
    office = HolidayCalendar(added={d(17): "วันหยุดพิเศษของสำนักงาน"})
    assert standards_due(THU_10_APR_2025, office) == d(18)
    bridge = HolidayCalendar(added={d(11): "วันหยุดพิเศษ (ครม.)"})
    assert standards_due(THU_10_APR_2025, bridge) == d(18)  # Thu 17, Fri 18


def test_office_working_a_package_holiday_moves_the_due_date_earlier():
    office = HolidayCalendar(removed=[d(16)])  # the office works the substitution day
    assert standards_due(THU_10_APR_2025, office) == d(16)


def test_special_days_can_be_changed_on_a_calendar():
    cal = HolidayCalendar()
    assert standards_due(THU_10_APR_2025, cal) == d(17)
    cal.set_special_days({d(17): "วันหยุดพิเศษ", d(18): "วันหยุดพิเศษ"}, [])
    assert standards_due(THU_10_APR_2025, cal) == d(21)
    cal.set_special_days({}, [d(14), d(15)])
    assert standards_due(THU_10_APR_2025, cal) == d(14)


@settings(max_examples=60, deadline=None)
@given(st.dates(min_value=date(2023, 1, 1), max_value=date(2026, 12, 31)))
def test_due_is_always_the_second_working_day_after(agm):
    due = standards_due(agm, CAL)
    assert CAL.is_working_day(due)
    assert working_days_between(agm, due, CAL) == 2
    assert working_days_between(agm, due - timedelta(days=1), CAL) == 1


# --- report status ------------------------------------------------------------------------


def status(reported_on=None, today=None, agm=THU_10_APR_2025, cal=CAL):
    return report_status(agm, reported_on, today or d(30), cal)


@pytest.mark.parametrize(
    ("today", "code", "n"),
    [
        (d(1), NOT_DUE, 8),  # Tue 1: 2, 3, 4, (Mon 7 off) 8-11, 17
        (d(9), NOT_DUE, 3),  # the day before the meeting
        (d(10), DUE_SOON, 2),  # meeting day
        (d(11), DUE_SOON, 1),
        (d(14), DUE_SOON, 1),  # over Songkran, Thu 17 is still one working day away
        (d(17), DUE_SOON, 0),  # due today
        (d(18), OVERDUE, 1),
        (d(19), OVERDUE, 1),  # Saturday: one working day (Fri 18) missed
        (d(21), OVERDUE, 2),
        (d(30), OVERDUE, 9),  # Fri 18, 21-25, 28-30
    ],
)
def test_status_without_a_report(today, code, n):
    s = status(today=today)
    assert (s.code, s.working_days, s.due) == (code, n, d(17))
    assert s.done is False
    assert s.is_late is (code == OVERDUE)


@pytest.mark.parametrize(
    ("reported", "code", "n"),
    [
        (d(10), ON_TIME, 0),  # on the meeting day
        (d(15), ON_TIME, 0),  # on a holiday, still before the due date
        (d(17), ON_TIME, 0),  # on the due date
        (d(18), LATE, 1),
        (d(19), LATE, 1),  # Saturday after: one working day late, never "late by 0"
        (d(20), LATE, 1),
        (d(21), LATE, 2),
        (d(2, 5), LATE, 10),  # Fri 18, 21-25, 28-30, Fri 2 May (1 May Labour Day skipped)
    ],
)
def test_status_with_a_report(reported, code, n):
    s = status(reported_on=reported, today=d(30, 5))
    assert (s.code, s.working_days) == (code, n)
    assert s.done is True
    assert s.is_late is (code == LATE)


def test_late_count_skips_office_special_days():
    office = HolidayCalendar(added={d(22): "วันหยุดพิเศษของสำนักงาน"})
    assert status(reported_on=d(23), cal=office).working_days == 3  # 18, 21, 23
    assert status(reported_on=d(23)).working_days == 4
    assert status(today=d(23), cal=office).working_days == 3


def test_status_sentences_use_buddhist_era_dates():
    assert status(today=d(21)).text_th == "ยังไม่ได้รายงานผลมาตรฐาน เกินกำหนด (17 เมษายน 2568) มาแล้ว 2 วันทำการ"
    assert status(reported_on=d(21)).text_th == (
        "รายงานผลมาตรฐานเมื่อ 21 เมษายน 2568 ช้ากว่ากำหนด (17 เมษายน 2568) 2 วันทำการ"
    )
    assert status(reported_on=d(11)).text_th == "รายงานผลมาตรฐานแล้วเมื่อ 11 เมษายน 2568 ทันกำหนด (17 เมษายน 2568)"
    assert status(today=d(11)).text_th == "ใกล้ครบกำหนด ต้องรายงานผลมาตรฐานภายใน 17 เมษายน 2568 (อีก 1 วันทำการ)"
    assert status(today=d(17)).text_th == "ครบกำหนดรายงานผลมาตรฐานวันนี้ (17 เมษายน 2568)"
    assert "ประชุมใหญ่วันที่ 10 เมษายน 2568" in status(today=d(1)).text_th
    assert status(today=d(1)).label == "ยังไม่ถึงกำหนด"


def test_report_before_the_meeting_is_refused():
    with pytest.raises(ValidationError) as e:
        status(reported_on=d(9))
    assert e.value.field == "reported_on"
    assert str(e.value) == (
        "วันที่รายงานผลมาตรฐาน (9 เมษายน 2568) อยู่ก่อนวันประชุมใหญ่ (10 เมษายน 2568) กรุณาตรวจสอบวันที่"
    )


# --- shipped criteria sets ----------------------------------------------------------------


def test_shipped_sets_parse_and_have_7_and_5_criteria():
    sets = {s.kind: s for s in check_folders(SHIPPED)}
    coop, group = sets["coop"], sets["farmer_group"]
    assert coop.codes == ("1", "2", "3", "4", "5", "6", "7")
    assert [c.confirmed for c in coop.criteria] == [True, True, True, False, False, False, False]
    assert all(c.text and c.title and c.source for c in coop.criteria)
    assert "ขาดทุน" in coop.criteria[0].text and "ภัยพิบัติ" in coop.criteria[0].text
    assert "ทุจริต" in coop.criteria[1].text
    assert all(w in coop.criteria[2].text for w in ("งบการเงิน", "ผู้สอบบัญชี", "ประชุมใหญ่"))
    assert coop.may_be_superseded is False
    assert group.codes == ("1", "2", "3", "4", "5")
    assert group.may_be_superseded is True
    assert "150 วัน" in group.criteria[0].text and "ประชุมใหญ่" in group.criteria[3].text


def test_default_folder_is_the_shipped_one():
    assert load_criteria_set("coop", 2568).filename == load_criteria_set("coop", 2568, SHIPPED).filename


def test_shipped_sets_warn_about_what_is_unconfirmed():
    coop = load_criteria_set("coop", 2564, SHIPPED)
    assert not coop.is_fallback and coop.fallback_note == ""
    assert coop.warnings == ("เกณฑ์ข้อ 4, 5, 6, 7 ยังไม่ได้ยืนยันกับประกาศ กรุณาตรวจสอบถ้อยคำ",)
    group = load_criteria_set("farmer_group", 2550, SHIPPED)
    assert group.warnings == ("เกณฑ์การจัดมาตรฐานกลุ่มเกษตรกรปี 2550 อาจมีประกาศใหม่แทนแล้ว กรุณาตรวจสอบ",)


# --- loader: fallback ----------------------------------------------------------------------


def set_json(kind="coop", year=2566, n=3, **over) -> dict:
    raw = {
        "_comment": "test set",
        "schema": 1,
        "kind": kind,
        "year": year,
        "title": "เกณฑ์ทดสอบ",
        "source": "การทดสอบ",
        "criteria": [
            {"code": str(i), "title": f"ข้อทดสอบ {i}", "text": f"เนื้อความข้อ {i}", "unconfirmed": False,
             "source": "การทดสอบ"}
            for i in range(1, n + 1)
        ],
    }  # fmt: skip
    raw.update(over)
    return raw


def write(folder: Path, raw: dict | str, name: str | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    if isinstance(raw, dict):
        name = name or f"{raw['kind']}-{raw['year']}.json"
        raw = json.dumps(raw, ensure_ascii=False)
    path = folder / name  # type: ignore[operator]
    path.write_text(raw, encoding="utf-8")
    return path


def test_a_year_without_its_own_set_uses_the_latest_earlier_one(tmp_path):
    write(tmp_path, set_json(year=2560, n=5))
    write(tmp_path, set_json(year=2566, n=7))
    write(tmp_path, set_json(kind="farmer_group", year=2567, n=5))
    own = load_criteria_set("coop", 2566, tmp_path)
    assert (own.year, own.is_fallback, len(own.criteria)) == (2566, False, 7)
    later = load_criteria_set("coop", 2569, tmp_path)
    assert (later.year, later.requested_year, later.is_fallback) == (2566, 2569, True)
    assert later.fallback_note == "ปี 2569 ยังไม่มีเกณฑ์ทดสอบของปีนั้น จึงใช้เกณฑ์ปี 2566 (coop-2566.json)"
    assert later.warnings[0] == later.fallback_note
    between = load_criteria_set("coop", 2563, tmp_path)
    assert (between.year, len(between.criteria)) == (2560, 5)
    assert list(available_sets("coop", tmp_path)) == [2560, 2566]


def test_a_year_before_every_set_is_refused(tmp_path):
    write(tmp_path, set_json(year=2560))
    with pytest.raises(NotFound) as e:
        load_criteria_set("coop", 2559, tmp_path)
    assert str(e.value) == "ไม่พบเกณฑ์มาตรฐานสหกรณ์ที่ใช้กับปี 2559 ได้ กรุณาเพิ่มไฟล์ coop-2559.json"
    with pytest.raises(NotFound):
        load_criteria_set("farmer_group", 2570, tmp_path)  # no farmer-group file at all


def test_office_folder_overrides_the_shipped_file_for_its_year(tmp_path):
    shipped, office = tmp_path / "shipped", tmp_path / "office"
    write(shipped, set_json(year=2564, n=7))
    write(shipped, set_json(year=2568, n=7))
    write(office, set_json(year=2564, n=7, title="เกณฑ์ที่สำนักงานแก้ไข"))
    assert load_criteria_set("coop", 2565, [office, shipped]).title == "เกณฑ์ที่สำนักงานแก้ไข"
    assert load_criteria_set("coop", 2568, [office, shipped]).title == "เกณฑ์ทดสอบ"
    assert load_criteria_set("coop", 2565, [office / "missing", shipped]).title == "เกณฑ์ทดสอบ"


def test_bom_and_integer_codes_are_accepted(tmp_path):
    raw = set_json()
    raw["criteria"][0]["code"] = 1
    path = write(tmp_path, raw)
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert load_criteria_set("coop", 2566, tmp_path).codes == ("1", "2", "3")


# --- loader: malformed files --------------------------------------------------------------


def refusal(raw: dict | str, name: str = "coop-2566.json") -> str:
    with pytest.raises(FileFormatError) as e:
        parse_criteria_set(raw if isinstance(raw, str) else json.dumps(raw, ensure_ascii=False), name)
    return str(e.value)


def without(raw: dict, key: str) -> dict:
    return {k: v for k, v in raw.items() if k != key}


def crit(i: int, **over) -> dict:
    raw = set_json()
    raw["criteria"][i] = {k: v for k, v in {**raw["criteria"][i], **over}.items() if v is not None}
    return raw


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ('{"schema": 1,\n "kind": "coop",,}', "ไฟล์เกณฑ์มาตรฐาน coop-2566.json ไม่ใช่ JSON ที่ถูกต้อง (บรรทัด 2) กรุณาแก้ไขไฟล์"),
        ("[1, 2]", 'ไฟล์เกณฑ์มาตรฐาน coop-2566.json ช่อง "(ทั้งไฟล์)" ต้องเป็นวัตถุ JSON { … } กรุณาแก้ไขไฟล์'),
        (without(set_json(), "criteria"), 'ไฟล์เกณฑ์มาตรฐาน coop-2566.json ช่อง "criteria" ขาดหายไป กรุณาแก้ไขไฟล์'),
        (without(set_json(), "title"), 'ไฟล์เกณฑ์มาตรฐาน coop-2566.json ช่อง "title" ขาดหายไป กรุณาแก้ไขไฟล์'),
        (set_json(criteria=[]),
         'ไฟล์เกณฑ์มาตรฐาน coop-2566.json ช่อง "criteria" ต้องเป็นรายการเกณฑ์อย่างน้อยหนึ่งข้อ กรุณาแก้ไขไฟล์'),
        (set_json(schema=2), 'ไฟล์เกณฑ์มาตรฐาน coop-2566.json ช่อง "schema" ต้องเป็น 1 (รุ่นที่โปรแกรมนี้อ่านได้) กรุณาแก้ไขไฟล์'),
        (set_json(kind="farmer_group"),
         'ไฟล์เกณฑ์มาตรฐาน coop-2566.json ช่อง "kind" ต้องเป็น "coop" ให้ตรงกับชื่อไฟล์ กรุณาแก้ไขไฟล์'),
        (set_json(year=2567), 'ไฟล์เกณฑ์มาตรฐาน coop-2566.json ช่อง "year" ต้องเป็น 2566 ให้ตรงกับชื่อไฟล์ กรุณาแก้ไขไฟล์'),
        (set_json(year="2566"), 'ไฟล์เกณฑ์มาตรฐาน coop-2566.json ช่อง "year" ต้องเป็น 2566 ให้ตรงกับชื่อไฟล์ กรุณาแก้ไขไฟล์'),
        (set_json(critera=[]), 'ไฟล์เกณฑ์มาตรฐาน coop-2566.json ช่อง "critera" ไม่ใช่ช่องที่รู้จัก (สะกดผิดหรือไม่) กรุณาแก้ไขไฟล์'),
        (set_json(may_be_superseded="ใช่"),
         'ไฟล์เกณฑ์มาตรฐาน coop-2566.json ช่อง "may_be_superseded" ต้องเป็น true หรือ false กรุณาแก้ไขไฟล์'),
        (crit(1, text=None), 'ไฟล์เกณฑ์มาตรฐาน coop-2566.json ช่อง "criteria[1].text" ต้องเป็นข้อความที่ไม่ว่าง กรุณาแก้ไขไฟล์'),
        (crit(2, title="  "), 'ไฟล์เกณฑ์มาตรฐาน coop-2566.json ช่อง "criteria[2].title" ต้องเป็นข้อความที่ไม่ว่าง กรุณาแก้ไขไฟล์'),
        (crit(0, unconfirmed="yes"),
         'ไฟล์เกณฑ์มาตรฐาน coop-2566.json ช่อง "criteria[0].unconfirmed" ต้องเป็น true หรือ false กรุณาแก้ไขไฟล์'),
        (crit(0, source=None), 'ไฟล์เกณฑ์มาตรฐาน coop-2566.json ช่อง "criteria[0].source" ต้องเป็นข้อความที่ไม่ว่าง กรุณาแก้ไขไฟล์'),
        (crit(0, confirmed=True),
         'ไฟล์เกณฑ์มาตรฐาน coop-2566.json ช่อง "criteria[0].confirmed" ไม่ใช่ช่องที่รู้จัก (สะกดผิดหรือไม่) กรุณาแก้ไขไฟล์'),
        (crit(2, code="1"), 'ไฟล์เกณฑ์มาตรฐาน coop-2566.json ช่อง "criteria[2].code" ซ้ำกับข้อ 1 ก่อนหน้า กรุณาแก้ไขไฟล์'),
        (crit(1, code=""), 'ไฟล์เกณฑ์มาตรฐาน coop-2566.json ช่อง "criteria[1].code" ต้องเป็นรหัสข้อที่ไม่ว่าง เช่น "4" กรุณาแก้ไขไฟล์'),
        (set_json(criteria=["ข้อ 1"]), ("ไฟล์เกณฑ์มาตรฐาน coop-2566.json ช่อง \"criteria[0]\" ต้องเป็นวัตถุ JSON ที่มี "
                                       "code title text unconfirmed source กรุณาแก้ไขไฟล์")),
    ],
)
def test_malformed_files_are_refused_naming_file_and_key(raw, message):
    assert refusal(raw) == message


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("coop-2023.json", "ปีในชื่อไฟล์เกณฑ์มาตรฐาน coop-2023.json ต้องเป็นปี พ.ศ. เช่น 2568 กรุณาเปลี่ยนชื่อไฟล์"),
        ("coop-2566 (copy).json", ("ชื่อไฟล์เกณฑ์มาตรฐาน coop-2566 (copy).json ต้องเป็น coop-<ปี พ.ศ.>.json หรือ "
                                   "farmer_group-<ปี พ.ศ.>.json กรุณาเปลี่ยนชื่อไฟล์")),
    ],
)
def test_misnamed_files_are_refused_not_skipped(tmp_path, name, message):
    write(tmp_path, set_json(year=2560))
    write(tmp_path, set_json(), name=name)
    with pytest.raises(FileFormatError) as e:
        load_criteria_set("coop", 2566, tmp_path)
    assert str(e.value) == message


def test_malformed_file_refused_when_loaded_by_year(tmp_path):
    write(tmp_path, set_json(year=2560))
    write(tmp_path, "{", name="coop-2566.json")
    assert load_criteria_set("coop", 2565, tmp_path).year == 2560  # the broken file is not needed
    with pytest.raises(FileFormatError, match="coop-2566.json"):
        load_criteria_set("coop", 2567, tmp_path)
    with pytest.raises(FileFormatError, match="coop-2566.json"):
        check_folders(tmp_path)


def test_non_utf8_file_is_refused(tmp_path):
    (tmp_path / "coop-2566.json").write_bytes(json.dumps(set_json(), ensure_ascii=False).encode("cp874"))
    with pytest.raises(FileFormatError) as e:
        load_criteria_set("coop", 2566, tmp_path)
    assert str(e.value) == "ไฟล์เกณฑ์มาตรฐาน coop-2566.json ไม่ได้บันทึกเป็น UTF-8 กรุณาบันทึกใหม่เป็น UTF-8"


# --- assessments: the all-criteria rule ------------------------------------------------------

COOP = load_criteria_set("coop", 2567, SHIPPED)
GROUP = load_criteria_set("farmer_group", 2567, SHIPPED)


def assessed(kind="coop", not_met=(), notes=None, **kw) -> Assessment:
    cs = COOP if kind == "coop" else GROUP
    answers = [CriterionAnswer(c, c not in not_met, (notes or {}).get(c, "")) for c in cs.codes]
    base = {"institution_id": "i1", "kind": kind, "year": 2567, "assessed": True, "answers": answers,
            "assessed_by": "นางสาวสมศรี ส่งเสริม", "assessed_on": date(2024, 12, 20)}  # fmt: skip
    return Assessment(**{**base, **kw})


def not_assessed(reason=DISSOLVING, kind="coop", **kw) -> Assessment:
    base = {"institution_id": "i2", "kind": kind, "year": 2567, "assessed": False, "reason": reason,
            "assessed_by": "นางสาวสมศรี ส่งเสริม", "assessed_on": date(2024, 12, 20)}  # fmt: skip
    return Assessment(**{**base, **kw})


def test_coop_meeting_every_criterion_passes():
    out = evaluate(assessed(), COOP)
    assert (out.result, out.label, out.not_met) == ("pass", "ผ่าน", ())
    assert out.text_th == "ผ่าน: ผ่านเกณฑ์ครบทั้ง 7 ข้อ"
    assert out.criteria_year == 2564 and out.warnings == COOP.warnings


@pytest.mark.parametrize("code", ["1", "2", "3", "4", "5", "6", "7"])
def test_coop_failing_any_single_criterion_fails(code):
    out = evaluate(assessed(not_met={code}), COOP)
    assert (out.result, out.label) == ("fail", "ไม่ผ่าน")
    assert [c.code for c in out.not_met] == [code]


def test_several_failed_criteria_are_listed_in_set_order():
    out = evaluate(assessed(not_met={"5", "1"}, notes={"1": "ขาดทุนปี 2566"}), COOP)
    assert out.text_th == "ไม่ผ่าน: ไม่ผ่านเกณฑ์ข้อ 1, 5"
    assert [c.code for c in out.not_met] == ["1", "5"]


def test_disaster_year_is_recorded_as_met_with_a_note():
    a = assessed(notes={"1": "ขาดทุนปี 2566 ปีประกาศเขตภัยพิบัติอุทกภัย"})
    assert evaluate(a, COOP).result == "pass"
    assert a.answer("1").note.startswith("ขาดทุน")


def test_farmer_groups_use_their_own_labels():
    assert evaluate(assessed("farmer_group"), GROUP).label == "ได้มาตรฐาน"
    out = evaluate(assessed("farmer_group", not_met={"4"}), GROUP)
    assert (out.result, out.label, out.text_th) == ("fail", "ต่ำกว่ามาตรฐาน", "ต่ำกว่ามาตรฐาน: ไม่ผ่านเกณฑ์ข้อ 4")
    assert out.label == standards_label("farmer_group", out.result)


@pytest.mark.parametrize(
    ("reason", "note", "text"),
    [
        (NOT_OPERATING, "", "ไม่นำมาจัดมาตรฐาน: ไม่ได้ดำเนินธุรกิจ"),
        (TOO_YOUNG, "", "ไม่นำมาจัดมาตรฐาน: จัดตั้งไม่ครบ 1 ปี / ยังไม่ครบรอบบัญชี"),
        (DISSOLVING, "", "ไม่นำมาจัดมาตรฐาน: อยู่ระหว่างชำระบัญชี/เลิก"),
        (OTHER, "น้ำท่วมสำนักงาน เอกสารเสียหาย", "ไม่นำมาจัดมาตรฐาน: อื่น ๆ (น้ำท่วมสำนักงาน เอกสารเสียหาย)"),
    ],
)
def test_not_assessed_with_each_reason(reason, note, text):
    out = evaluate(not_assessed(reason, reason_note=note), COOP)
    assert (out.result, out.label, out.text_th) == ("not_assessed", "ไม่นำมาจัดมาตรฐาน", text)


def test_reason_vocabulary():
    assert list(NOT_ASSESSED_REASONS.values()) == [
        "ไม่ได้ดำเนินธุรกิจ", "จัดตั้งไม่ครบ 1 ปี / ยังไม่ครบรอบบัญชี", "อยู่ระหว่างชำระบัญชี/เลิก", "อื่น ๆ",
    ]  # fmt: skip


# --- assessments: validation refusals ----------------------------------------------------


def refused(a: Assessment, cs: CriteriaSet = COOP) -> tuple[str | None, str]:
    with pytest.raises(ValidationError) as e:
        evaluate(a, cs)
    return e.value.field, str(e.value)


def test_a_missing_criterion_is_refused_naming_it():
    a = assessed()
    a = Assessment(**{**a.__dict__, "answers": [x for x in a.answers if x.code != "3"]})
    assert refused(a) == (
        "criteria.3",
        "ยังไม่ได้บันทึกผลเกณฑ์ข้อ 3 (งบการเงินปีล่าสุดเสร็จ ส่งผู้สอบบัญชี และเสนอที่ประชุมใหญ่) กรุณาระบุว่าผ่านหรือไม่ผ่าน",
    )


def test_every_missing_criterion_is_listed():
    a = assessed(answers=[CriterionAnswer("1", True)])
    fields = [p.field for p in assessment_problems(a, COOP)]
    assert fields == ["criteria.2", "criteria.3", "criteria.4", "criteria.5", "criteria.6", "criteria.7"]


def test_an_unknown_criterion_is_refused():
    a = assessed()
    a = Assessment(**{**a.__dict__, "answers": (*a.answers, CriterionAnswer("8", True))})
    assert refused(a) == ("criteria.8", "เกณฑ์ข้อ 8 ไม่มีในเกณฑ์การจัดมาตรฐานสหกรณ์ปี 2564 กรุณาตรวจสอบรหัสข้อ")


def test_a_criterion_answered_twice_is_refused():
    a = assessed()
    a = Assessment(**{**a.__dict__, "answers": (*a.answers, CriterionAnswer("2", False))})
    assert refused(a) == ("criteria.2", "บันทึกผลเกณฑ์ข้อ 2 ซ้ำ 2 ครั้ง กรุณาเหลือไว้รายการเดียว")


def test_an_answer_that_is_not_met_or_not_met_is_refused():
    a = assessed()
    answers = [CriterionAnswer(x.code, None) if x.code == "2" else x for x in a.answers]  # type: ignore[arg-type]
    assert refused(Assessment(**{**a.__dict__, "answers": answers})) == (
        "criteria.2", "ผลเกณฑ์ข้อ 2 (ไม่มีการทุจริตในรอบสองปี)ต้องเป็น ผ่าน หรือ ไม่ผ่าน",
    )  # fmt: skip


def test_answers_when_not_assessed_are_refused():
    a = not_assessed(answers=[CriterionAnswer("1", True), CriterionAnswer("3", False)])
    assert refused(a) == ("criteria", "องค์กรที่ไม่นำมาจัดมาตรฐานต้องไม่มีผลรายข้อ กรุณาลบผลเกณฑ์ข้อ 1, 3")


def test_a_reason_is_required_when_not_assessed():
    assert refused(not_assessed(reason=None)) == ("reason", "กรุณาระบุเหตุผลที่ไม่นำมาจัดมาตรฐาน")
    assert refused(not_assessed(reason="bankrupt")) == ("reason", "เหตุผลที่ไม่นำมาจัดมาตรฐานไม่ถูกต้อง กรุณาเลือกจากรายการ")
    assert refused(not_assessed(reason=OTHER, reason_note="  ")) == (
        "reason_note", "เลือกเหตุผล อื่น ๆ แล้ว กรุณาระบุรายละเอียดว่าเพราะเหตุใด",
    )  # fmt: skip


def test_a_reason_is_refused_when_assessed():
    assert refused(assessed(reason=DISSOLVING)) == (
        "reason", "องค์กรที่นำมาจัดมาตรฐานต้องไม่มีเหตุผลที่ไม่นำมาจัดมาตรฐาน กรุณาลบเหตุผลออก",
    )  # fmt: skip


def test_assessor_and_date_are_required():
    assert refused(assessed(assessed_by=" ")) == ("assessed_by", "กรุณาระบุผู้ประเมิน")
    assert refused(not_assessed(assessed_on=None)) == ("assessed_on", "กรุณาระบุวันที่ประเมิน")


def test_the_set_must_fit_the_institution_and_year():
    assert refused(assessed("farmer_group"), COOP) == (
        "kind", "เกณฑ์การจัดมาตรฐานสหกรณ์ใช้กับกลุ่มเกษตรกรไม่ได้ กรุณาเลือกเกณฑ์ของกลุ่มเกษตรกร",
    )  # fmt: skip
    assert refused(assessed(year=2563)) == ("year", "เกณฑ์ปี 2564 ใช้กับการประเมินปี 2563 ไม่ได้ เพราะเริ่มใช้หลังปีนั้น")
    assert refused(assessed(kind="bank")) == ("kind", "ประเภทองค์กร 'bank' ไม่ถูกต้อง (สหกรณ์ หรือ กลุ่มเกษตรกร)")


def test_every_problem_is_in_the_details():
    with pytest.raises(ValidationError) as e:
        evaluate(not_assessed(reason=None, assessed_by="", answers=[CriterionAnswer("1", True)]), COOP)
    assert e.value.details.count(";") == 2  # assessor, answers, reason


# --- pass rate ------------------------------------------------------------------------------


def test_pass_rate_is_over_the_assessed_only():
    # National figures at 30 Sep 2565: 7,692 cooperatives, 1,542 not assessed, 3,630 of the
    # 6,150 assessed passed = 59.02 %.
    results = ["pass"] * 3630 + ["fail"] * 2520 + ["not_assessed"] * 1542
    assert pass_rate(results) == (3630, 6150, Decimal("59.02"))


def test_pass_rate_rounds_half_up_and_ignores_missing_results():
    assert pass_rate(["pass", "fail", "fail", None, "not_assessed"]) == (1, 3, Decimal("33.33"))
    assert pass_rate(["pass", "pass", "fail"]) == (2, 3, Decimal("66.67"))
    assert pass_rate(["pass"] + ["fail"] * 31) == (1, 32, Decimal("3.13"))  # 3.125 → 3.13
    assert pass_rate(["pass"] * 7 + ["fail"]) == (7, 8, Decimal("87.50"))
    assert pass_rate(["pass"])[2] == Decimal("100.00")
    assert str(pass_rate(["fail"])[2]) == "0.00"


def test_pass_rate_of_nothing_assessed_is_none():
    assert pass_rate([]) == (0, 0, None)
    assert pass_rate(["not_assessed", None]) == (0, 0, None)


def test_pass_rate_accepts_outcomes_and_refuses_unknown_codes():
    outs = [evaluate(assessed(), COOP), evaluate(assessed(not_met={"2"}), COOP), evaluate(not_assessed(), COOP)]
    assert pass_rate(outs) == (1, 2, Decimal("50.00"))
    with pytest.raises(ValidationError):
        pass_rate(["ผ่าน"])


@settings(max_examples=80)
@given(st.integers(0, 500), st.integers(0, 500), st.integers(0, 50))
def test_pass_rate_matches_decimal_half_up(p, f, n):
    from decimal import ROUND_HALF_UP

    passed, assessed_n, pct = pass_rate(["pass"] * p + ["fail"] * f + ["not_assessed"] * n)
    assert (passed, assessed_n) == (p, p + f)
    if p + f == 0:
        assert pct is None
    else:
        assert pct == (Decimal(p) * 100 / Decimal(p + f)).quantize(Decimal("0.01"), ROUND_HALF_UP)


# --- layering -------------------------------------------------------------------------------


def test_module_imports_neither_sqlalchemy_nor_qt():
    code = (
        "import sys, app.rules.standards\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'PySide6', 'shiboken6')]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)
