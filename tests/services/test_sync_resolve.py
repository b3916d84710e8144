"""Resolving a sync conflict (sync_views.resolve) is an ordinary local edit of the record as
it is now: only the fields the two versions disagreed on change, the row keeps its sync
base, and the other side fast-forwards to it only if it made no edit of its own since.
SQLite offices: a province (62, and 64 where two are needed) and the central office."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from sqlalchemy import text

from app.errors import ValidationError
from app.models import SyncConflict
from app.models.base import SyncCounter
from app.rules.registry import YearData
from app.services import registry, sync_views
from tests.services.test_sync import Office


@pytest.fixture
def out(tmp_path):
    folder = tmp_path / "stick"
    folder.mkdir()
    return folder


@pytest.fixture
def make_offices(tmp_path):
    made: list[Office] = []

    def make(*codes: str) -> tuple[Office, ...]:
        central = Office(f"sqlite:///{tmp_path / 'cpd.sqlite3'}", "CPD", "10", "central")
        made.append(central)
        for code in codes:
            prov = Office(f"sqlite:///{tmp_path / f'p{code}.sqlite3'}", code, code, "province")
            made.append(prov)
            central.trust(prov)
            prov.trust(central)
        return tuple(made)

    yield make
    for office in made:
        office.db.dispose()


def row(office: Office, table: str, record_id: str) -> dict:
    with office.db.session() as s:
        return dict(s.execute(text(f"select * from {table} where id = :id"), {"id": record_id}).mappings().one())


def all_conflicts(office: Office, *, open_only: bool = False) -> list[SyncConflict]:
    with office.db.session() as s:
        return sync_views.conflicts(s, office.admin, open_only=open_only)


def resolve(office: Office, key: str, resolution: str, note: str = "") -> None:
    with office.db.transaction(office.admin.id) as s:
        sync_views.resolve(s, office.admin, key, resolution, note)


def counter(office: Office) -> int:
    with office.db.session() as s:
        return s.get(SyncCounter, 1).value


def renamed_on_both_sides(central: Office, prov: Office, out: Path) -> str:
    """One cooperative, agreed on by both offices, then renamed at each (the centre later)."""
    inst = prov.add_institution("กพ 1/2560", "สหกรณ์ตั้งต้น จำกัด")
    central.load(prov.export(out))
    prov.load(central.export(out, to="62"))
    prov.edit(inst, name="ฉบับจังหวัด")
    time.sleep(0.01)
    central.edit(inst, name="ฉบับส่วนกลาง")  # the later change: the centre's version wins
    return inst


# -- the resolution travels as an edit on the row's own base (bug 4) --------------------------

@pytest.mark.parametrize("resolution", ["kept_winner", "took_loser"])
def test_the_resolution_does_not_fast_forward_over_a_later_edit_on_the_other_side(make_offices, out, resolution):
    central, prov = make_offices("62")
    inst = renamed_on_both_sides(central, prov, out)
    to_central, to_prov = prov.export(out), central.export(out, to="62")
    central.load(to_central)  # conflict: ours (the centre's) wins, re-stamped rev 3 on base 2
    prov.load(to_prov)  # the same conflict: theirs wins, rev 2 on base 2
    prov.edit(inst, phone="055 111 222")  # the province goes on working: rev 3 on base 2
    (conflict,) = all_conflicts(central)
    before = row(central, "institution", inst)
    assert (before["rev"], before["sync_base_rev"]) == (3, 2)

    resolve(central, conflict.key, resolution)
    after = row(central, "institution", inst)
    assert after["sync_base_rev"] == 2  # never raised: the province never had rev 3
    if resolution == "kept_winner":  # the winner is already in place: no new version
        assert (after["rev"], after["change_seq"]) == (before["rev"], before["change_seq"])
    else:
        assert after["rev"] == 4 and after["name"] == "ฉบับจังหวัด" and after["sync_source"] is None
        assert after["change_seq"] > before["change_seq"] and after["updated_by"] == central.admin.id

    report = prov.load(central.export(out, to="62"))
    # The province changed the record since the common base (2): not a fast-forward but a
    # conflict, recorded, and the province's phone is never silently dropped.
    assert report.tables["institution"].conflicted == 1 and len(report.conflicts) == 1
    new_key = report.conflicts[0]
    with prov.db.session() as s:
        settled = s.get(SyncConflict, conflict.key)
        fresh = s.get(SyncConflict, new_key)
        assert settled.resolution == resolution  # the decision travelled
        assert fresh.resolved_at is None
        assert [d[0] for d in fresh.diff] == (["phone"] if resolution == "kept_winner" else ["name", "phone"])
        versions = {"winner": fresh.winner["data"]["phone"], "loser": fresh.loser["data"]["phone"]}
        local_won = fresh.local_won
    here = prov.institution(inst)
    if resolution == "kept_winner":
        # The centre's rev 3 and the province's rev 3: the later change (the phone) wins.
        assert local_won and here.phone == "055 111 222" and here.name == "ฉบับส่วนกลาง"
        assert versions == {"winner": "055 111 222", "loser": ""}
    else:
        # The centre's rev 4 is higher: it wins, and the province's phone is kept as the loser.
        assert not local_won and here.name == "ฉบับจังหวัด" and here.phone == ""
        assert versions == {"winner": "", "loser": "055 111 222"}
    # The province's phone edit stays where a person can find it.
    assert [c.key for c in all_conflicts(prov, open_only=True)] == [new_key]

    # One more round trip: both offices hold the same version.
    central.load(prov.export(out))
    prov.load(central.export(out, to="62"))
    a, b = prov.institution(inst), central.institution(inst)
    assert (a.name, a.phone, a.rev) == (b.name, b.phone, b.rev)


def test_the_other_side_takes_the_decision_when_it_has_not_changed_the_record_since(make_offices, out):
    central, prov = make_offices("62")
    inst = renamed_on_both_sides(central, prov, out)
    central.load(prov.export(out))  # conflict found at the centre only; the province waits
    (conflict,) = all_conflicts(central)
    resolve(central, conflict.key, "took_loser")
    report = prov.load(central.export(out, to="62"))
    # Made on top of the province's version (base 2 >= its rev 2), with its very content: the
    # province agrees on the new rev, no conflict.
    assert report.tables["institution"].counts()["unchanged"] == 1 and report.conflicts == []
    assert prov.institution(inst).name == central.institution(inst).name == "ฉบับจังหวัด"
    assert prov.institution(inst).rev == central.institution(inst).rev
    assert all_conflicts(prov, open_only=True) == []
    assert [(c.key, c.resolution) for c in all_conflicts(prov)] == [(conflict.key, "took_loser")]


# -- the resolution changes only the fields in conflict (bug 5) -------------------------------

@pytest.mark.parametrize("resolution", ["kept_winner", "took_loser"])
def test_an_edit_made_after_the_conflict_was_detected_survives_resolving(make_offices, out, resolution):
    central, prov = make_offices("62")
    inst = renamed_on_both_sides(central, prov, out)
    central.load(prov.export(out))  # conflict at the centre, the centre's version won
    central.edit(inst, phone="02 999 9999")  # a week later someone at the centre adds the phone
    (conflict,) = all_conflicts(central)
    assert [d[0] for d in conflict.diff] == ["name"]
    before = row(central, "institution", inst)

    resolve(central, conflict.key, resolution)
    after = row(central, "institution", inst)
    assert after["phone"] == "02 999 9999"
    assert after["sync_base_rev"] == before["sync_base_rev"]
    if resolution == "kept_winner":  # nothing to change: no new version, still settled
        assert after == before
    else:
        assert after["name"] == "ฉบับจังหวัด" and after["rev"] == before["rev"] + 1
    with central.db.session() as s:
        settled = s.get(SyncConflict, conflict.key)
        assert settled.resolution == resolution and settled.resolved_by == central.admin.id
        (event,) = s.execute(text("select acknowledgement, to_state from approval_event "
                                  "where workflow = 'sync_conflict'")).all()
    assert event.to_state == resolution and conflict.key in event.acknowledgement


def test_taking_the_loser_applies_its_differing_fields_and_keeps_the_rest(make_offices, out):
    central, prov = make_offices("62")
    inst = prov.add_institution("กพ 2/2560", "สหกรณ์สองฝั่ง จำกัด")
    central.load(prov.export(out))
    prov.load(central.export(out, to="62"))
    prov.edit(inst, name="ชื่อที่จังหวัดแก้", members=150)
    time.sleep(0.01)
    central.edit(inst, name="ชื่อที่ส่วนกลางแก้", notes="บันทึกของส่วนกลาง")
    central.load(prov.export(out))
    (conflict,) = all_conflicts(central)
    assert conflict.local_won
    assert [d[0] for d in conflict.diff] == ["members", "name", "notes"]
    central.edit(inst, phone="02 123 4567", address="ถนนราชดำเนิน")  # after the conflict was found
    before = row(central, "institution", inst)

    resolve(central, conflict.key, "took_loser", "ตรวจกับเอกสารแล้ว")
    after = central.institution(inst)
    # The loser's side of every field in conflict (its notes were empty) ...
    assert (after.name, after.members, after.notes) == ("ชื่อที่จังหวัดแก้", 150, "")
    # ... and the rest as it is now.
    assert (after.phone, after.address, after.reg_no) == ("02 123 4567", "ถนนราชดำเนิน", "กพ 2/2560")
    stored = row(central, "institution", inst)
    top = max(before["rev"], conflict.winner["rev"], conflict.loser["rev"])
    assert (stored["rev"], stored["sync_base_rev"]) == (top + 1, before["sync_base_rev"])
    assert stored["sync_source"] is None and stored["change_seq"] > before["change_seq"]

    # The province has not changed the record since: it fast-forwards to the decision.
    report = prov.load(central.export(out, to="62"))
    assert report.conflicts == []
    here = prov.institution(inst)
    assert (here.name, here.members, here.phone, here.address) == ("ชื่อที่จังหวัดแก้", 150, "02 123 4567",
                                                                  "ถนนราชดำเนิน")


# -- refused records: the database decides (duplicate, missing_ref) ---------------------------

def test_taking_a_duplicate_is_refused_until_the_clash_is_fixed(make_offices, out):
    central, p62, p64 = make_offices("62", "64")
    original = p62.add_institution("กพ 13/2551", "สหกรณ์จังหวัดกำแพงเพชร จำกัด")
    dup = p64.add_institution("กพ 13/2551", "สหกรณ์เลขทะเบียนซ้ำ จำกัด")
    central.load(p62.export(out))
    central.load(p64.export(out))
    (conflict,) = all_conflicts(central)
    assert conflict.kind == "duplicate" and conflict.record_id == dup and not conflict.winner["data"]
    before, seq = central.dump(), counter(central)

    with central.db.transaction(central.admin.id) as s:  # caught inside: the transaction commits
        with pytest.raises(ValidationError) as err:
            sync_views.resolve(s, central.admin, conflict.key, "took_loser")
        assert "เลขทะเบียน กพ 13/2551 ซ้ำกับรายการอื่น" in err.value.message
        assert "แก้รายการที่ซ้ำก่อน" in err.value.message
    assert central.dump() == before and counter(central) == seq
    assert central.institution(dup) is None
    assert [c.key for c in all_conflicts(central, open_only=True)] == [conflict.key]
    with pytest.raises(ValidationError):  # nothing of ours to keep: the winner's side is empty
        resolve(central, conflict.key, "kept_winner")

    central.edit(original, reg_no="กพ 13/2551 (เดิม)")  # the clash fixed
    resolve(central, conflict.key, "took_loser")
    taken = row(central, "institution", dup)
    assert (taken["reg_no"], taken["name"], taken["origin_office"]) == ("กพ 13/2551", "สหกรณ์เลขทะเบียนซ้ำ จำกัด", "64")
    assert (taken["rev"], taken["sync_base_rev"]) == (conflict.loser["rev"] + 1, 0)
    assert all_conflicts(central, open_only=True) == []


def test_taking_an_update_that_clashes_changes_nothing(make_offices, out):
    central, p62, p64 = make_offices("62", "64")
    p64.add_institution("สท 1/2551", "สหกรณ์สุโขทัย จำกัด")
    inst = p62.add_institution("กพ 1/2551", "สหกรณ์กำแพงเพชร จำกัด")
    central.load(p64.export(out))
    central.load(p62.export(out))
    p62.load(central.export(out, to="62"))
    p62.edit(inst, reg_no="สท 1/2551", members=500)  # clashes at the centre only
    central.load(p62.export(out))
    (conflict,) = all_conflicts(central)
    assert conflict.kind == "duplicate" and conflict.winner["data"]  # the centre's row is there
    before, seq = central.dump(), counter(central)
    with central.db.transaction(central.admin.id) as s:
        with pytest.raises(ValidationError) as err:
            sync_views.resolve(s, central.admin, conflict.key, "took_loser")
        assert err.value.message.startswith("เลขทะเบียน สท 1/2551 ซ้ำกับรายการอื่น")
    assert central.dump() == before and counter(central) == seq
    assert central.institution(inst).reg_no == "กพ 1/2551"
    resolve(central, conflict.key, "kept_winner")  # keeping what is there is always possible
    assert central.dump()["institution"] == before["institution"]


def test_taking_a_record_whose_parent_is_missing_is_refused(make_offices, out):
    central, prov = make_offices("62")
    gone = prov.add_institution("กพ 40/2554", "สหกรณ์ที่ส่วนกลางทำหาย จำกัด")
    central.load(prov.export(out))
    prov.load(central.export(out, to="62"))
    with central.db.transaction() as s:  # the centre restored an older backup: the row is gone
        s.execute(text("delete from institution where id = :id"), {"id": gone})
    with prov.db.transaction(prov.admin.id) as s:
        registry.save_year(s, prov.admin, gone, 2568, YearData(strength_class=2))
    central.load(prov.export(out))
    (conflict,) = all_conflicts(central)
    assert conflict.kind == "missing_ref"
    before, seq = central.dump(), counter(central)
    with central.db.transaction(central.admin.id) as s:
        with pytest.raises(ValidationError) as err:
            sync_views.resolve(s, central.admin, conflict.key, "took_loser")
        assert err.value.message.startswith("ไม่พบสหกรณ์/กลุ่มเกษตรกรที่ข้อมูลนี้อ้างถึง")
        assert gone in err.value.message
        assert s.get(SyncConflict, conflict.key).resolved_at is None
    assert central.dump() == before and counter(central) == seq


# -- the decision still settles the other side's copy (with test_sync.py's basic case) --------

@pytest.mark.parametrize("where", ["central", "province"])
def test_the_decision_settles_the_other_sides_copy_and_both_converge(make_offices, out, where):
    central, prov = make_offices("62")
    inst = renamed_on_both_sides(central, prov, out)
    to_central, to_prov = prov.export(out), central.export(out, to="62")
    central.load(to_central)  # the centre's version won: re-stamped there as rev 3 on base 2
    prov.load(to_prov)  # and taken at the province as rev 2 on base 2
    deciding, other = (central, prov) if where == "central" else (prov, central)
    (conflict,) = all_conflicts(deciding)
    resolve(deciding, conflict.key, "took_loser", "ตกลงทางโทรศัพท์แล้ว")
    assert deciding.institution(inst).name == "ฉบับจังหวัด"
    report = other.load(deciding.export(out, to="62" if deciding is central else None))
    assert report.events_appended >= 1
    with other.db.session() as s:
        settled = s.get(SyncConflict, conflict.key)
        assert settled.resolution == "took_loser" and settled.resolved_at is not None
    if where == "central":
        # The province has not changed the record since its base: a plain fast-forward.
        assert report.conflicts == [] and report.tables["institution"].updated == 1
    else:
        # The centre's re-stamped rev 3 is a change the province never had: the decision meets
        # it as a conflict (not a fast-forward), and wins it (the same rev, the later change);
        # whatever is still open there shows the decision as the winner.
        assert report.tables["institution"].conflicted == 1
        assert all(c.winner["data"]["name"] == "ฉบับจังหวัด" for c in all_conflicts(other, open_only=True))
    assert central.institution(inst).name == prov.institution(inst).name == "ฉบับจังหวัด"
    # Another round trip: the same version everywhere, and the first conflict settled on both.
    central.load(prov.export(out))
    prov.load(central.export(out, to="62"))
    a, b = prov.institution(inst), central.institution(inst)
    assert (a.name, a.rev) == (b.name, b.rev)
    for office in (central, prov):
        with office.db.session() as s:
            assert s.get(SyncConflict, conflict.key).resolution == "took_loser"
