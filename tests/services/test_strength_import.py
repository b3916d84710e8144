"""Importing the central office's strength classification on a real SQLite file: the report
(statuses, refusals naming the cell, computed vs published differences), the dry run being
the same path rolled back, refused rows writing nothing, a second import changing nothing,
the year, and permissions (an officer imports only for their own institutions)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app.errors import FileFormatError, PermissionDenied, ValidationError
from app.models import AuditEntry, Institution, InstitutionYear, StrengthAssessment
from app.rules import strength
from app.rules.registry import InstitutionData
from app.services import assessments, registry
from app.services.strength_import import ImportCancelled, import_file
from tests.exchange.strength_sheets import FY, INSTITUTIONS, REJECTED, SKIPPED, strength_sheet

DIFFERENCE = "คำนวณได้ชั้น 2 แต่ส่วนกลางประกาศชั้น 1"
NAME_WARNING = "ชื่อในไฟล์ “สหกรณ์ออมทรัพย์ครู จำกัด” ไม่ตรงกับชื่อในทะเบียน"
OWN_ONLY = "คุณแก้ไขข้อมูลประจำปีของสหกรณ์/กลุ่มเกษตรกรได้เฉพาะรายการที่อยู่ในความรับผิดชอบของคุณ"


@pytest.fixture
def team(db, admin, make_user):
    return {"officer": make_user("off1", "officer", group=0), "other": make_user("off9", "officer", group=1),
            "clerk": make_user("clerk", "clerk", group=None), "head": make_user("head", "provincial_head", group=None)}


@pytest.fixture
def ids(db, admin, team):
    """The sheet's institutions: off1 looks after the first two, off9 after the rest."""
    out = {}
    with db.transaction(admin.id) as s:
        for n, (reg_no, name, kind, coop_type) in enumerate(INSTITUTIONS):
            who = team["officer"] if n < 2 else team["other"]
            out[reg_no] = registry.create_institution(s, admin, InstitutionData(
                reg_no=reg_no, name=name, kind=kind, coop_type=coop_type, district_code="6201", officer_id=who.id,
                group_id=who.group_id)).id
    return out


@pytest.fixture
def sheet(tmp_path):
    return strength_sheet(tmp_path / "ผลจัดชั้น 2568.xlsx")


def state(db) -> dict:
    """Everything an import could change, to compare before and after."""
    with db.session() as s:
        return {
            "assessments": sorted(s.execute(select(StrengthAssessment.institution_id, StrengthAssessment.rev,
                                                   StrengthAssessment.change_seq)).all()),
            "years": sorted(s.execute(select(InstitutionYear.institution_id, InstitutionYear.fiscal_year,
                                             InstitutionYear.rev, InstitutionYear.change_seq)).all()),
            "institutions": sorted(s.execute(select(Institution.id, Institution.rev)).all()),
            "audit": s.scalar(select(func.count()).select_from(AuditEntry)),
        }


def stored(db, inst_id) -> StrengthAssessment | None:
    with db.session() as s:
        return s.scalar(select(StrengthAssessment).where(StrengthAssessment.institution_id == inst_id,
                                                         StrengthAssessment.fiscal_year == FY))


def yearly(db, inst_id) -> InstitutionYear | None:
    with db.session() as s:
        return s.scalar(select(InstitutionYear).where(InstitutionYear.institution_id == inst_id,
                                                      InstitutionYear.fiscal_year == FY))


def test_the_report_names_refusals_and_lists_where_computed_and_published_differ(db, team, ids, sheet):
    report = import_file(db, team["clerk"], sheet, dry_run=True)
    assert (report.sheet, report.header_row, report.fiscal_year, report.ok) == ("ผลจัดชั้น 68", 3, FY, False)
    assert report.counts == {"inserted": 4, "updated": 0, "unchanged": 0, "rejected": 2}
    assert {r.row: r.reason for r in report.rows if r.status == "rejected"} == REJECTED
    assert {r.row: (r.computed_class, r.published, r.published_class) for r in report.rows if r.status != "rejected"} \
        == {6: (1, True, 1), 7: (2, True, 1), 8: (3, True, 3), 11: (None, True, None)}
    assert [(r.row, r.difference) for r in report.differences] == [(7, DIFFERENCE)]
    by_row = {r.row: r for r in report.rows}
    assert by_row[8].warnings == [NAME_WARNING] and by_row[8].name == "สหกรณ์ออมทรัพย์ครูกำแพงเพชร จำกัด"
    assert [(s.row, s.text) for s in report.skipped] == list(SKIPPED.items())
    assert report.ignored_columns == ["O (ผู้ประเมิน)"]

    lines = report.text_lines()
    assert "ระดับชั้นที่คำนวณได้ต่างจากที่ส่วนกลางประกาศ 1 แห่ง" in lines
    assert f"  แถว 7 (2/2535) สหกรณ์การเกษตรคลองขลุง จำกัด: {DIFFERENCE}" in lines
    assert f"  แถว 8: {NAME_WARNING}" in lines
    assert f"  แถว 13: {REJECTED[13]}" in lines
    assert "ช่องที่ว่างในไฟล์ไม่ลบข้อมูลเดิม" not in lines  # the registry's rule, not this import's
    assert lines[-1] == "นี่เป็นการทดลอง ยังไม่มีข้อมูลใดถูกบันทึก"

    data = report.to_json()
    assert data["counts"] == {"inserted": 4, "updated": 0, "unchanged": 0, "rejected": 2, "rows": 6}
    assert data["differences"] == [{"row": 7, "reg_no": "2/2535", "name": "สหกรณ์การเกษตรคลองขลุง จำกัด",
                                    "computed_class": 2, "published_class": 1, "text": DIFFERENCE}]
    assert data["rows"][3] == {"row": 11, "reg_no": "4/2545", "name": "กลุ่มเกษตรกรทำนาไทรงาม", "status": "inserted",
                               "reason": "", "changes": [], "computed_class": None, "published": True,
                               "published_class": None, "difference": "", "warnings": []}


def test_dry_run_changes_nothing_and_is_the_report_the_import_gives(db, team, ids, sheet):
    before = state(db)
    dry = import_file(db, team["clerk"], sheet, dry_run=True)
    assert state(db) == before
    real = import_file(db, team["clerk"], sheet)
    assert {**dry.to_json(), "dry_run": False} == real.to_json()
    after = state(db)
    # one audit entry per saved assessment, plus the import's summary
    assert len(after["assessments"]) == 4 and after["audit"] == before["audit"] + 4 + 1

    first = stored(db, ids["1/2530"])
    assert (first.source, first.computed_class, first.published_class, first.table_year) == ("imported", 1, 1, 2568)
    assert (first.member_service, first.business, first.entered_by) == (Decimal(28), Decimal("17.5"),
                                                                       team["clerk"].id)
    assert yearly(db, ids["2/2535"]).strength_class == 1  # the published class wins in the registry
    assert stored(db, ids["2/2535"]).computed_class == 2
    out = yearly(db, ids["4/2545"])
    assert (out.strength_class, out.out_of_scope) == (None, True)
    assert stored(db, ids["4/2545"]).out_of_scope_reason == "จัดตั้งไม่ถึงหนึ่งปีบัญชี"
    with db.session() as s:  # the registry's own comparison sees what the report said
        diffs = assessments.strength_differences(s, team["clerk"], FY)
        assert [(d.institution_id, d.computed, d.published) for d in diffs if d.kind == strength.DIFFERS] == [
            (ids["2/2535"], 2, 1)]


def test_refused_rows_write_nothing_and_the_others_go_in(db, team, ids, sheet):
    import_file(db, team["clerk"], sheet)
    assert stored(db, ids["5/2550"]) is None and yearly(db, ids["5/2550"]) is None  # the row with "1O"
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Institution)) == len(INSTITUTIONS)  # 9/2599 not created


def test_importing_the_same_sheet_again_changes_nothing(db, team, ids, sheet):
    import_file(db, team["clerk"], sheet)
    before = state(db)
    again = import_file(db, team["clerk"], sheet)
    assert again.counts == {"inserted": 0, "updated": 0, "unchanged": 4, "rejected": 2}
    assert [r.row for r in again.differences] == [7]  # still worth saying
    assert state(db) == before  # no rev bump, no change_seq, no audit entry


def test_a_changed_row_is_updated_and_says_what_changed(db, team, ids, tmp_path):
    import_file(db, team["clerk"], strength_sheet(tmp_path / "first.xlsx"))
    # The corrected sheet: 25 + 16 + 15 + 24.5 = 80.5 is class 1 now, and the office publishes 2.
    report = import_file(db, team["clerk"], strength_sheet(tmp_path / "second.xlsx", changes={"E7": 16, "N7": 2}))
    assert report.counts == {"inserted": 0, "updated": 1, "unchanged": 3, "rejected": 2}
    (row,) = [r for r in report.rows if r.status == "updated"]
    assert row.changes == ["ด้านที่ 2 ประสิทธิภาพในการดำเนินธุรกิจ", "ระดับชั้นที่ส่วนกลางประกาศ", "ระดับชั้นที่คำนวณได้"]
    assert row.difference == "คำนวณได้ชั้น 1 แต่ส่วนกลางประกาศชั้น 2"
    assert "  แถว 7 (2/2535): ปรับปรุง ด้านที่ 2 ประสิทธิภาพในการดำเนินธุรกิจ, ระดับชั้นที่ส่วนกลางประกาศ, " \
           "ระดับชั้นที่คำนวณได้" in report.text_lines()
    saved = stored(db, ids["2/2535"])
    assert (saved.business, saved.computed_class, saved.published_class, saved.rev) == (Decimal(16), 1, 2, 2)


def test_an_entered_assessment_is_replaced_by_the_imported_one(db, team, ids, sheet):
    o = team["officer"]
    with db.transaction(o.id) as s:
        assessments.save_strength(s, o, ids["1/2530"], FY, strength.Scores(
            Decimal(20), Decimal(10), Decimal(10), Decimal(20), accounts_closed=True, agm_held=True,
            statements_presented=True))
    report = import_file(db, team["clerk"], sheet)
    (row,) = [r for r in report.rows if r.row == 6]
    assert row.status == "updated" and row.changes[:4] == [
        "ด้านที่ 1 ความสามารถในการให้บริการสมาชิก", "ด้านที่ 2 ประสิทธิภาพในการดำเนินธุรกิจ",
        "ด้านที่ 3 ประสิทธิภาพในการจัดการองค์กร", "ด้านที่ 4 ประสิทธิภาพของการบริหารงาน"]
    saved = stored(db, ids["1/2530"])
    assert (saved.source, saved.computed_class, saved.published_class) == ("imported", 1, 1)


# -- the year --------------------------------------------------------------------------------

def test_the_year_comes_from_the_option_or_the_title_and_they_must_agree(db, team, ids, sheet, tmp_path):
    assert import_file(db, team["clerk"], sheet, fiscal_year=FY, dry_run=True).fiscal_year == FY
    with pytest.raises(FileFormatError) as err:
        import_file(db, team["clerk"], sheet, fiscal_year=2569, dry_run=True)
    assert err.value.message == ("ไฟล์ ผลจัดชั้น 2568.xlsx เป็นผลการจัดระดับชั้นปีงบประมาณ 2568 "
                                 "แต่เลือกนำเข้าเป็นปีงบประมาณ 2569")
    untitled = strength_sheet(tmp_path / "untitled.xlsx", year_line="สำนักงานสหกรณ์จังหวัดกำแพงเพชร")
    with pytest.raises(ValidationError, match="ไฟล์ untitled.xlsx ไม่ได้ระบุปีงบประมาณ"):
        import_file(db, team["clerk"], untitled, dry_run=True)
    # No table for 2569 yet: the 2568 rules stand in, and every class says so.
    report = import_file(db, team["clerk"], untitled, fiscal_year=2569)
    assert report.fiscal_year == 2569 and report.count("inserted") == 4
    assert stored(db, ids["1/2530"]) is None  # saved under 2569, not 2568
    two = strength_sheet(tmp_path / "two.xlsx", year_line="ปีงบประมาณ 2567 และปีงบประมาณ 2568")
    with pytest.raises(FileFormatError, match=r"ระบุปีงบประมาณไว้หลายปี \(2567, 2568\)"):
        import_file(db, team["clerk"], two, dry_run=True)


# -- permissions, progress, cancelling -------------------------------------------------------

def test_an_officer_imports_only_for_their_own_institutions(db, team, ids, sheet):
    report = import_file(db, team["officer"], sheet)
    assert {r.row: r.status for r in report.rows} == {6: "inserted", 7: "inserted", 8: "rejected",
                                                      11: "rejected", 12: "rejected", 13: "rejected"}
    assert {r.row: r.reason for r in report.rows if r.row in (8, 11)} == {8: OWN_ONLY, 11: OWN_ONLY}
    assert stored(db, ids["3/2540"]) is None and stored(db, ids["4/2545"]) is None
    assert stored(db, ids["1/2530"]).entered_by == team["officer"].id
    # Rows someone else already imported are unchanged for them too: nothing to write, nothing refused.
    import_file(db, team["clerk"], sheet)
    again = import_file(db, team["officer"], sheet)
    assert again.counts == {"inserted": 0, "updated": 0, "unchanged": 4, "rejected": 2}


def test_a_user_without_yearly_rights_is_refused_before_the_file_is_read(db, team, tmp_path):
    with pytest.raises(PermissionDenied):
        import_file(db, team["head"], tmp_path / "does-not-exist.xlsx")


def test_progress_is_reported_and_cancelling_rolls_everything_back(db, team, ids, sheet):
    seen = []
    import_file(db, team["clerk"], sheet, dry_run=True, progress=lambda done, total: seen.append((done, total)))
    assert seen == [(n, 6) for n in range(1, 7)]
    before = state(db)
    calls = iter(range(100))
    with pytest.raises(ImportCancelled):
        import_file(db, team["clerk"], sheet, cancelled=lambda: next(calls) >= 3)  # after three rows
    assert state(db) == before

