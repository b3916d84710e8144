"""Sync packages between real databases: a province (62, Kamphaeng Phet), a second province
(64, Sukhothai) and the central office — round trips, sequences, tampering, conflicts."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from app.bootstrap import open_app_database
from app.errors import ValidationError
from app.exchange.sync.errors import SyncError
from app.models import AuditEntry, Institution, SyncConflict, SyncPackage
from app.rules.registry import InstitutionData, YearData
from app.services import registry, setup, sync_export, sync_import, sync_keys, sync_views
from app.services.sync_records import SYNCED_TABLES

PASSWORD = "Secret-pass-123"


class Office:
    def __init__(self, url: str, code: str, province: str, mode: str):
        self.db = open_app_database(url)
        with self.db.transaction() as s:
            self.admin = setup.complete_setup(
                s, province_code=province, office_name=f"สำนักงาน {code}", office_code=code, admin_login="admin",
                admin_name="ผู้ดูแล ระบบ", admin_position="นักวิชาการคอมพิวเตอร์", password=PASSWORD, mode=mode)
        self.db.office_code = self.code = code

    def key_file(self) -> bytes:
        with self.db.transaction(self.admin.id) as s:
            return sync_keys.own_key_file(s, self.admin)[1]

    def trust(self, other: Office) -> None:
        data = other.key_file()
        with self.db.transaction(self.admin.id) as s:
            sync_keys.trust_key_file(s, self.admin, data)

    def export(self, folder: Path, to: str | None = None) -> Path:
        return sync_export.export_package(self.db, self.admin, folder, to=to).path

    def load(self, path: Path, *, dry_run: bool = False) -> sync_import.ImportReport:
        return sync_import.import_package(self.db, self.admin, path, dry_run=dry_run)

    def add_institution(self, reg_no: str, name: str) -> str:
        with self.db.transaction(self.admin.id) as s:
            return registry.create_institution(s, self.admin, InstitutionData(
                reg_no=reg_no, name=name, coop_type="agriculture", members=120)).id

    def edit(self, inst_id: str, **changes) -> None:
        with self.db.transaction(self.admin.id) as s:
            inst = registry.get_institution(s, self.admin, inst_id)
            registry.update_institution(s, self.admin, inst_id, replace(registry.data_of(inst), **changes))

    def delete(self, inst_id: str) -> None:
        with self.db.transaction(self.admin.id) as s:
            registry.delete_institution(s, self.admin, inst_id)

    def institution(self, inst_id: str) -> Institution | None:
        with self.db.session() as s:
            return s.get(Institution, inst_id)

    def dump(self) -> dict:
        """Everything sync may touch, as comparable data."""
        out = {}
        with self.db.session() as s:
            for table in SYNCED_TABLES:
                out[table.name] = sorted(map(tuple, s.execute(select(table)).all()), key=repr)
            for model in (SyncPackage, SyncConflict):
                out[model.__tablename__] = s.scalar(select(func.count()).select_from(model))
            out["audit"] = s.scalar(select(func.count()).select_from(AuditEntry))
        return out


@pytest.fixture
def offices(tmp_path, db_url):
    """A province on SQLite and the central office on each backend (SQLite, PostgreSQL)."""
    prov = Office(f"sqlite:///{tmp_path / 'p62.sqlite3'}", "62", "62", "province")
    central = Office(db_url, "CPD", "10", "central")
    central.trust(prov)
    prov.trust(central)
    yield prov, central
    prov.db.dispose()
    central.db.dispose()


@pytest.fixture
def out(tmp_path):
    folder = tmp_path / "stick"
    folder.mkdir()
    return folder


def test_round_trip_province_central_province(offices, out):
    prov, central = offices
    inst = prov.add_institution("กพ 1/2540", "สหกรณ์การเกษตรเมืองกำแพงเพชร จำกัด")
    report = central.load(prov.export(out))
    assert report.status == "imported"
    assert report.tables["institution"].inserted == 1
    assert central.institution(inst).name == "สหกรณ์การเกษตรเมืองกำแพงเพชร จำกัด"
    assert central.institution(inst).origin_office == "62"

    central.edit(inst, name="สหกรณ์การเกษตรเมืองกำแพงเพชร จำกัด (แก้ไขโดยส่วนกลาง)")
    back = prov.load(central.export(out, to="62"))
    assert back.tables["institution"].updated == 1
    assert back.acknowledged_seq == 1
    assert prov.institution(inst).name.endswith("(แก้ไขโดยส่วนกลาง)")

    # The correction is not echoed back; the province's next package only acknowledges.
    again = sync_export.export_package(prov.db, prov.admin, out)
    assert again.manifest.tables == {}
    assert again.manifest.acknowledged["seq"] == 1
    assert central.load(again.path).totals() == {k: 0 for k in sync_import.COUNT_KEYS}


def test_reimport_is_already_imported_and_changes_nothing(offices, out):
    prov, central = offices
    prov.add_institution("กพ 2/2541", "สหกรณ์ออมทรัพย์ครูกำแพงเพชร จำกัด")
    package = prov.export(out)
    central.load(package)
    before = central.dump()
    assert central.load(package).status == "already_imported"
    assert central.dump() == before


def test_dry_run_reports_what_the_import_does_and_writes_nothing(offices, out):
    prov, central = offices
    for i in range(3):
        prov.add_institution(f"กพ {10 + i}/2550", f"สหกรณ์ทดสอบที่ {i + 1} จำกัด")
    package = prov.export(out)
    before = central.dump()
    dry = central.load(package, dry_run=True)
    assert central.dump() == before
    real = central.load(package)
    assert dry.status == "dry_run" and real.status == "imported"
    assert sync_import.canonical_summary(dry) == sync_import.canonical_summary(real)


def test_missing_packages_are_reported_and_healed_by_the_next(offices, out):
    prov, central = offices
    a = prov.add_institution("กพ 3/2542", "สหกรณ์หนึ่ง จำกัด")
    prov.export(out / "lost.coopsync")  # seq 1 never reaches the centre
    b = prov.add_institution("กพ 4/2543", "สหกรณ์สอง จำกัด")
    report = central.load(prov.export(out))
    assert report.seq == 2 and report.missing == [1]
    assert central.institution(a) is not None and central.institution(b) is not None
    with central.db.session() as s:
        (state,) = sync_views.peer_states(s, central.admin)
    assert state.missing == (1,)


def test_an_older_package_after_a_newer_one_is_stale(offices, out):
    prov, central = offices
    inst = prov.add_institution("กพ 5/2544", "สหกรณ์เดิม จำกัด")
    first = prov.export(out)
    prov.edit(inst, name="สหกรณ์ใหม่ จำกัด")
    second = prov.export(out)
    central.load(second)
    before = central.dump()
    assert central.load(first).status == "stale"
    assert central.dump() == before
    assert central.institution(inst).name == "สหกรณ์ใหม่ จำกัด"


def _copy_database(src: Path, dst: Path) -> None:
    with sqlite3.connect(src) as a, sqlite3.connect(dst) as b:
        a.backup(b)


def test_a_fork_is_refused_with_an_alarm(offices, out, tmp_path):
    prov, central = offices
    prov.add_institution("กพ 6/2545", "สหกรณ์ก่อนสำรอง จำกัด")
    central.load(prov.export(out))
    # The province restores yesterday's copy of its database and exports again: its seq 2
    # differs from the seq 2 it had already sent.
    _copy_database(tmp_path / "p62.sqlite3", tmp_path / "p62-backup.sqlite3")
    second = prov.export(out)
    central.load(second)
    prov.db.dispose()
    _copy_database(tmp_path / "p62-backup.sqlite3", tmp_path / "p62.sqlite3")
    prov.db = open_app_database(tmp_path / "p62.sqlite3")
    prov.db.office_code = "62"
    prov.add_institution("กพ 7/2546", "สหกรณ์หลังสำรอง จำกัด")
    forked = prov.export(out / "forked.coopsync")
    before = central.dump()
    with pytest.raises(SyncError) as err:
        central.load(forked)
    assert err.value.code == "E_FORK"
    after = central.dump()
    assert after.pop("audit") == before.pop("audit") + 1  # the alarm, nothing else
    assert after == before
    with central.db.session() as s:
        (state,) = sync_views.peer_states(s, central.admin)
    assert state.forks == 1


def test_every_damaged_byte_of_a_package_is_refused_without_writing(offices, out):
    prov, central = offices
    prov.add_institution("กพ 8/2547", "สหกรณ์ตรวจไบต์ จำกัด")
    package = prov.export(out)
    data = package.read_bytes()
    before = central.dump()
    bad = out / "bad.coopsync"
    for i in range(0, len(data), max(1, len(data) // 150)):
        bad.write_bytes(data[:i] + bytes([data[i] ^ 0x01]) + data[i + 1:])
        with pytest.raises(SyncError):
            central.load(bad)
    bad.write_bytes(data[: len(data) // 2])
    with pytest.raises(SyncError):
        central.load(bad)
    assert central.dump() == before
    assert central.load(package).status == "imported"


def test_unknown_signer_and_wrong_target_are_refused(offices, out, tmp_path):
    prov, central = offices
    other = Office(f"sqlite:///{tmp_path / 'p64.sqlite3'}", "64", "64", "province")
    other.trust(central)
    central.trust(other)
    with pytest.raises(SyncError) as err:
        prov.load(other.export(out, to="CPD"))  # the province does not know office 64
    assert err.value.code == "E_UNKNOWN_SIGNER"
    # A package for the central office is not for a province that happens to trust its sender.
    prov.trust(other)
    with pytest.raises(SyncError) as err:
        prov.load(other.export(out, to="CPD"))
    assert err.value.code == "E_WRONG_TARGET"
    other.db.dispose()


def _exchange(prov: Office, central: Office, out: Path) -> tuple:
    """Both sides export before seeing the other's package, then both import."""
    to_central, to_prov = prov.export(out), central.export(out, to=prov.code)
    return central.load(to_central), prov.load(to_prov)


def test_concurrent_edits_get_the_same_winner_on_both_machines(offices, out):
    prov, central = offices
    inst = prov.add_institution("กพ 9/2548", "สหกรณ์ขัดแย้ง จำกัด")
    central.load(prov.export(out))
    prov.load(central.export(out, to="62"))
    prov.edit(inst, name="ชื่อที่จังหวัดแก้", members=150)
    central.edit(inst, name="ชื่อที่ส่วนกลางแก้")
    at_central, at_prov = _exchange(prov, central, out)
    assert at_central.tables["institution"].conflicted == 1
    assert at_prov.tables["institution"].conflicted == 1
    assert at_central.conflicts == at_prov.conflicts  # the same key on both machines
    a, b = prov.institution(inst), central.institution(inst)
    assert (a.name, a.members) == (b.name, b.members)
    # One more round: both converge on the same version and nothing new conflicts.
    at_central, at_prov = _exchange(prov, central, out)
    a, b = prov.institution(inst), central.institution(inst)
    assert (a.name, a.members, a.rev) == (b.name, b.members, b.rev)
    with prov.db.session() as s1, central.db.session() as s2:
        left = {c.key: (c.winner["data"]["name"], c.loser["data"]["name"])
                for c in sync_views.conflicts(s1, prov.admin)}
        right = {c.key: (c.winner["data"]["name"], c.loser["data"]["name"])
                 for c in sync_views.conflicts(s2, central.admin)}
    assert left == right and len(left) == 1
    (winner, loser), = left.values()
    assert {winner, loser} == {"ชื่อที่จังหวัดแก้", "ชื่อที่ส่วนกลางแก้"}  # the loser is kept, whole


def test_an_edit_beats_a_concurrent_deletion_and_the_deletion_is_kept(offices, out):
    prov, central = offices
    inst = prov.add_institution("กพ 11/2549", "สหกรณ์ลบหรือแก้ จำกัด")
    central.load(prov.export(out))
    prov.load(central.export(out, to="62"))
    prov.delete(inst)
    central.edit(inst, phone="055 123 456")
    _exchange(prov, central, out)
    _exchange(prov, central, out)
    for office in (prov, central):
        row = office.institution(inst)
        assert row.deleted_at is None and row.phone == "055 123 456"
    with prov.db.session() as s:
        (conflict,) = sync_views.conflicts(s, prov.admin)
    assert conflict.kind == "edit_delete"
    assert conflict.loser["op"] == "delete"


def test_a_resolution_travels_and_settles_the_conflict_on_the_other_side(offices, out):
    prov, central = offices
    inst = prov.add_institution("กพ 12/2550", "สหกรณ์ตัดสิน จำกัด")
    central.load(prov.export(out))
    prov.load(central.export(out, to="62"))
    prov.edit(inst, name="ฉบับจังหวัด")
    central.edit(inst, name="ฉบับส่วนกลาง")
    _exchange(prov, central, out)
    with central.db.transaction(central.admin.id) as s:
        (conflict,) = sync_views.conflicts(s, central.admin)
        loser = conflict.loser["data"]["name"]
        sync_views.resolve(s, central.admin, conflict.key, "took_loser", "ตรวจกับเอกสารแล้ว")
    prov.load(central.export(out, to="62"))
    assert prov.institution(inst).name == central.institution(inst).name == loser
    with prov.db.session() as s:
        assert sync_views.conflicts(s, prov.admin) == []
        (settled,) = sync_views.conflicts(s, prov.admin, open_only=False)
    assert settled.resolution == "took_loser"


def test_two_provinces_meet_at_the_centre_without_clashing(offices, out, tmp_path):
    prov, central = offices
    other = Office(f"sqlite:///{tmp_path / 'p64.sqlite3'}", "64", "64", "province")
    other.trust(central)
    central.trust(other)
    prov.add_institution("กพ 13/2551", "สหกรณ์จังหวัดกำแพงเพชร จำกัด")
    other.add_institution("สท 1/2551", "สหกรณ์จังหวัดสุโขทัย จำกัด")
    dup = other.add_institution("กพ 13/2551", "สหกรณ์เลขทะเบียนซ้ำ จำกัด")
    central.load(prov.export(out))
    report = central.load(other.export(out))
    # Both offices have a user "admin": logins are unique per office only.
    assert report.tables["app_user"].inserted == 1
    inst = report.tables["institution"]
    assert (inst.inserted, inst.rejected) == (1, 1)
    assert inst.reasons[0]["id"] == dup and "เลขทะเบียน กพ 13/2551" in inst.reasons[0]["reason"]
    with central.db.session() as s:
        kinds = [c.kind for c in sync_views.conflicts(s, central.admin)]
    assert kinds == ["duplicate"]  # the refused record is kept for a person to settle
    # The centre sends each province its own rows and its own master data only.
    with central.db.session() as s:
        names = s.execute(text("select count(*) from institution")).scalar()
    assert names == 2
    back = sync_export.export_package(central.db, central.admin, out, to="64")
    assert "institution" not in back.manifest.tables
    other.db.dispose()


def test_counts_add_up_to_the_manifest(offices, out):
    prov, central = offices
    for i in range(4):
        prov.add_institution(f"กพ {20 + i}/2552", f"สหกรณ์นับ {i} จำกัด")
    result = sync_export.export_package(prov.db, prov.admin, out)
    report = central.load(result.path)
    for table, count in result.manifest.tables.items():
        assert report.tables[table].total == count


def test_signing_key_is_made_once_and_kept(offices):
    prov, _central = offices
    with prov.db.transaction() as s:
        first = sync_keys.identity(s).key.public.key_id
    with prov.db.transaction() as s:
        assert sync_keys.identity(s).key.public.key_id == first
    assert hashlib.sha256(prov.key_file()).hexdigest() == hashlib.sha256(prov.key_file()).hexdigest()


def test_central_office_on_each_backend(db_url, tmp_path):
    """The central office may run on PostgreSQL: the same import, the same result."""
    prov = Office(f"sqlite:///{tmp_path / 'p62-b.sqlite3'}", "62", "62", "province")
    central = Office(db_url, "CPD", "10", "central")
    central.trust(prov)
    prov.trust(central)
    out = tmp_path / "stick-b"
    out.mkdir()
    inst = prov.add_institution("กพ 30/2553", "สหกรณ์ทดสอบฐานข้อมูล จำกัด")
    prov.edit(inst, members=321)
    dry = central.load(prov.export(out), dry_run=True)
    report = central.load(sorted(out.iterdir())[-1])
    assert sync_import.canonical_summary(dry) == sync_import.canonical_summary(report)
    assert central.institution(inst).members == 321
    central.edit(inst, name="สหกรณ์ทดสอบฐานข้อมูล จำกัด (ส่วนกลาง)")
    assert prov.load(central.export(out, to="62")).tables["institution"].updated == 1
    assert prov.institution(inst).name.endswith("(ส่วนกลาง)")
    prov.db.dispose()
    central.db.dispose()


def test_trust_on_first_use_needs_the_confirmed_fingerprint(tmp_path, out):
    prov = Office(f"sqlite:///{tmp_path / 'p62-t.sqlite3'}", "62", "62", "province")
    central = Office(f"sqlite:///{tmp_path / 'central-t.sqlite3'}", "CPD", "10", "central")
    prov.trust(central)  # the centre does not know the province yet
    package = prov.export(out)
    with pytest.raises(SyncError) as err:
        central.load(package)
    assert err.value.code == "E_UNKNOWN_SIGNER"
    office, key = sync_keys.package_signer(package)
    with prov.db.session() as s:
        assert key.fingerprint == sync_keys.identity(s).key.public.fingerprint and office == "62"
    with central.db.transaction(central.admin.id) as s, pytest.raises(ValidationError):
        sync_keys.trust_package_signer(s, central.admin, package, "0000 " * 8)
    with central.db.transaction(central.admin.id) as s:
        peer = sync_keys.trust_package_signer(s, central.admin, package, key.fingerprint.lower())
        assert peer.trusted_how == "first_use"
    assert central.load(package).status == "imported"
    prov.db.dispose()
    central.db.dispose()


def test_a_record_whose_parent_is_missing_is_rejected_alone(offices, out):
    prov, central = offices
    gone = prov.add_institution("กพ 40/2554", "สหกรณ์ที่ส่วนกลางทำหาย จำกัด")
    kept = prov.add_institution("กพ 41/2554", "สหกรณ์ที่ยังอยู่ จำกัด")
    central.load(prov.export(out))
    prov.load(central.export(out, to="62"))  # acknowledged: the next package carries only new changes
    with central.db.transaction() as s:  # the centre restored an older backup: one row is gone
        s.execute(text("delete from institution where id = :id"), {"id": gone})
    for inst in (gone, kept):
        with prov.db.transaction(prov.admin.id) as s:
            registry.save_year(s, prov.admin, inst, 2568, YearData(strength_class=2))
    report = central.load(prov.export(out))
    years = report.tables["institution_year"]
    assert set(report.tables) == {"institution_year"}, report.to_json()["tables"]
    assert (years.inserted, years.rejected) == (1, 1)
    assert "สหกรณ์/กลุ่มเกษตรกร" in years.reasons[0]["reason"] and gone in years.reasons[0]["reason"]
    with central.db.session() as s:
        (refused,) = sync_views.conflicts(s, central.admin)
    assert refused.kind == "missing_ref" and refused.note == years.reasons[0]["reason"]


def test_reference_data_this_installation_lacks_refuses_the_package(offices, out):
    prov, central = offices
    with prov.db.transaction(prov.admin.id) as s:
        registry.create_institution(s, prov.admin, InstitutionData(
            reg_no="กพ 42/2554", name="สหกรณ์อำเภอใหม่ จำกัด", coop_type="agriculture", district_code="6201"))
    with central.db.transaction() as s:  # an older program without that district
        s.execute(text("delete from district where code = '6201'"))
    before = central.dump()
    with pytest.raises(SyncError) as err:
        central.load(prov.export(out))
    assert err.value.code == "E_MISSING_PREREQUISITE" and "6201" in err.value.message
    assert central.dump() == before


def test_the_other_sides_people_and_groups_stay_out_of_the_office_lists(offices, out):
    from app.services import users

    prov, central = offices
    central.load(prov.export(out))
    prov.load(central.export(out, to="62"))
    for office in (prov, central):
        with office.db.session() as s:
            assert [u.login for u in users.list_users(s, office.admin)] == ["admin"]
            mine = {g.office_id for g in users.list_groups(s)}
            assert mine == {office.admin.office_id}


def test_a_rule_table_published_centrally_is_in_force_in_the_province(offices, out, tmp_path, monkeypatch):
    from app.paths import data_dir, set_published_dir
    from app.rules import strength
    from app.services import master_data

    monkeypatch.setenv("COOPDESK_HOME", str(tmp_path / "home"))
    prov, central = offices
    shipped = json.loads((data_dir() / "strength" / "2568.json").read_text(encoding="utf-8"))
    shipped["year"] = 2569
    published = tmp_path / "2569.json"
    published.write_text(json.dumps(shipped, ensure_ascii=False), encoding="utf-8")
    try:
        with central.db.transaction(central.admin.id) as s:
            master_data.publish(s, central.admin, "strength", published)
        with prov.db.transaction(prov.admin.id) as s, pytest.raises(ValidationError):
            master_data.publish(s, prov.admin, "strength", published)  # only the centre publishes
        report = prov.load(central.export(out, to="62"))
        assert report.tables["master_file"].inserted == 1
        assert strength.table_for_year(2569).year == 2569 and not strength.table_for_year(2569).fallback
        bad = tmp_path / "2570.json"
        bad.write_text("{", encoding="utf-8")
        with central.db.transaction(central.admin.id) as s, pytest.raises(ValidationError):
            master_data.publish(s, central.admin, "strength", bad)
    finally:
        set_published_dir(None)
    assert strength.table_for_year(2569).year == 2568  # without it: the shipped table, as a fallback


def test_text_longer_than_its_column_is_rejected_alone(offices, out):
    """SQLite stores any length; the central office's PostgreSQL would refuse the package."""
    prov, central = offices
    long_name = prov.add_institution("กพ 50/2555", "สหกรณ์ชื่อยาว จำกัด")
    prov.add_institution("กพ 51/2555", "สหกรณ์ชื่อปกติ จำกัด")
    with prov.db.transaction() as s:
        s.execute(text("update institution set phone = :p where id = :id"), {"p": "0" * 80, "id": long_name})
    report = central.load(prov.export(out))
    inst = report.tables["institution"]
    assert (inst.inserted, inst.rejected) == (1, 1)
    assert "phone" in inst.reasons[0]["reason"] and central.institution(long_name) is None


def test_export_names_the_file_by_the_day_in_thailand_and_makes_the_folder(offices, tmp_path):
    from datetime import UTC, datetime

    prov, _central = offices
    late_evening_utc = datetime(2026, 11, 23, 18, 30, tzinfo=UTC)  # 01:30 on the 24th in Thailand
    result = sync_export.export_package(prov.db, prov.admin, tmp_path / "new" / "folder", now=late_evening_utc)
    assert result.path == tmp_path / "new" / "folder" / "62-000001-20261124.coopsync"
    assert result.path.is_file()
    named = sync_export.export_package(prov.db, prov.admin, tmp_path / "mine.coopsync")
    assert named.path.name == "mine.coopsync"
    with prov.db.session() as s:
        names = {p.file_name for p in sync_views.history(s, prov.admin)}
    assert names == {"62-000001-20261124.coopsync", "mine.coopsync"}


def test_only_the_clerk_head_and_admin_exchange_and_only_the_admin_trusts_keys(offices, out):
    from app.errors import PermissionDenied
    from app.services import users

    prov, central = offices
    with prov.db.transaction(prov.admin.id) as s:
        group = users.list_groups(s)[0].id
        officer = users.create_user(s, prov.admin, users.UserData(
            "officer1", "นางสาวทดสอบ ส่งเสริม", "นักวิชาการสหกรณ์", group, frozenset({"officer"})), PASSWORD)
        clerk = users.create_user(s, prov.admin, users.UserData(
            "clerk", "นางสาวทดสอบ ธุรการ", "เจ้าพนักงานธุรการ", group, frozenset({"clerk"})), PASSWORD)
    with pytest.raises(PermissionDenied):
        sync_export.export_package(prov.db, officer, out)
    assert not list(out.iterdir())
    with pytest.raises(PermissionDenied):
        sync_import.import_package(prov.db, officer, out / "none.coopsync")
    with prov.db.transaction(clerk.id) as s, pytest.raises(PermissionDenied):
        sync_keys.trust_key_file(s, clerk, central.key_file())
    assert sync_export.export_package(prov.db, clerk, out).path.is_file()


def test_items_of_another_office_are_seen_but_not_decided(offices, out):
    """The central office holds every province's travel plans and reports: its head sees
    them, but approving belongs to the province."""
    from datetime import date

    from app.errors import PermissionDenied
    from app.services import users, visit_views, visits

    prov, central = offices
    inst = prov.add_institution("กพ 60/2556", "สหกรณ์ทดสอบอนุมัติ จำกัด")
    with prov.db.transaction(prov.admin.id) as s:
        group = users.list_groups(s)[0].id
        officer = users.create_user(s, prov.admin, users.UserData(
            "officer1", "นางสาวทดสอบ ส่งเสริม", "นักวิชาการสหกรณ์", group, frozenset({"officer"})), PASSWORD)
        registry.update_institution(s, prov.admin, inst, replace(
            registry.data_of(registry.get_institution(s, prov.admin, inst)), officer_id=officer.id, group_id=group))
    with prov.db.transaction(officer.id) as s:
        visit = visits.create_visit(s, officer, officer.id, visits.VisitPlan(
            institution_id=inst, planned_date=date(2026, 12, 7), purpose="ติดตามการปิดบัญชี"))
        visits.submit_travel_plan(s, officer, visit.travel_plan_id)
    central.load(prov.export(out))
    with central.db.transaction() as s:
        head = users.create_user(s, central.admin, users.UserData(
            "head", "นายทดสอบ ส่วนกลาง", "ผู้อำนวยการ", None, frozenset({"provincial_head"})), PASSWORD)
    with central.db.transaction(head.id) as s:
        assert visit_views.inbox(s, head) == []
        with pytest.raises(PermissionDenied):
            visits.approve_travel_plan(s, head, visit.travel_plan_id, reviewed_hash="x")


def test_a_province_cannot_change_what_is_not_its_own(offices, out):
    """A signature proves who sent a package, not what that office may change: rows of the
    central office (or of nobody) sent by a province are refused and kept, never applied."""
    prov, central = offices
    central.load(prov.export(out))
    prov.load(central.export(out, to="62"))
    with prov.db.transaction() as s:  # someone edits the centre's rows in the province's file
        s.execute(text("update office set kind = 'province', rev = rev + 5, change_seq = change_seq + 1000, "
                       "sync_source = null, origin_office = '62' where code = 'CPD'"))
        s.execute(text("update sync_counter set value = value + 2000"))
    report = central.load(prov.export(out))
    assert report.tables["office"].rejected == 1
    assert "CPD" in report.tables["office"].reasons[0]["reason"]
    with central.db.session() as s:
        assert s.execute(text("select kind from office where code = 'CPD'")).scalar() == "central"
        assert [c.kind for c in sync_views.conflicts(s, central.admin)] == ["unauthorized"]


def test_what_the_centre_makes_for_itself_stays_there(offices, out, tmp_path):
    prov, central = offices
    own = central.add_institution("สก 1/2556", "สหกรณ์ของส่วนกลาง จำกัด")
    package = sync_export.export_package(central.db, central.admin, out, to="62")
    assert "institution" not in package.manifest.tables
    prov.load(package.path)
    assert prov.institution(own) is None


def test_a_record_the_peer_refused_is_not_taken_as_agreed_and_goes_again(offices, out, tmp_path):
    prov, central = offices
    other = Office(f"sqlite:///{tmp_path / 'p64-r.sqlite3'}", "64", "64", "province")
    other.trust(central)
    central.trust(other)
    other.add_institution("กพ 70/2557", "สหกรณ์เลขซ้ำของสุโขทัย จำกัด")
    central.load(other.export(out))
    mine = prov.add_institution("กพ 70/2557", "สหกรณ์เลขซ้ำของกำแพงเพชร จำกัด")
    assert central.load(prov.export(out)).tables["institution"].rejected == 1
    prov.load(central.export(out, to="62"))  # acknowledges 62's package, which was refused
    with prov.db.session() as s:
        row = s.get(Institution, mine)
        assert row.sync_base_rev < row.rev  # not agreed
    again = sync_export.export_package(prov.db, prov.admin, out)
    assert again.manifest.tables.get("institution") == 1  # sent again until it goes in
    other.db.dispose()


def test_two_registration_numbers_swapped_in_one_package(offices, out):
    prov, central = offices
    a = prov.add_institution("กพ 80/2558", "สหกรณ์เอ จำกัด")
    b = prov.add_institution("กพ 81/2558", "สหกรณ์บี จำกัด")
    central.load(prov.export(out))
    prov.load(central.export(out, to="62"))
    prov.edit(a, reg_no="กพ 99/2558")
    prov.edit(b, reg_no="กพ 80/2558")
    prov.edit(a, reg_no="กพ 81/2558")
    report = central.load(prov.export(out))
    assert report.tables["institution"].updated == 2
    assert (central.institution(a).reg_no, central.institution(b).reg_no) == ("กพ 81/2558", "กพ 80/2558")


def test_the_file_applied_must_be_the_file_previewed(offices, out):
    prov, central = offices
    prov.add_institution("กพ 90/2559", "สหกรณ์ตัวอย่าง จำกัด")
    package = prov.export(out)
    preview = central.load(package, dry_run=True)
    before = central.dump()
    with pytest.raises(SyncError) as err:
        sync_import.import_package(central.db, central.admin, package, expected_hash="0" * 64)
    assert err.value.code == "E_CONTAINER" and central.dump() == before
    real = sync_import.import_package(central.db, central.admin, package, expected_hash=preview.file_hash)
    assert real.status == "imported"


def test_a_conflict_settled_at_the_centre_arrives_settled(offices, out):
    import time

    prov, central = offices
    inst = prov.add_institution("กพ 91/2559", "สหกรณ์ตั้งต้น จำกัด")
    central.load(prov.export(out))
    prov.load(central.export(out, to="62"))
    central.edit(inst, name="ฉบับส่วนกลาง")
    time.sleep(0.01)
    prov.edit(inst, name="ฉบับจังหวัด")
    central.load(prov.export(out))  # found at the centre only
    with central.db.transaction(central.admin.id) as s:
        (conflict,) = sync_views.conflicts(s, central.admin)
        sync_views.resolve(s, central.admin, conflict.key, "kept_winner", "ตรวจแล้ว")
    prov.load(central.export(out, to="62"))
    with prov.db.session() as s:
        assert sync_views.conflicts(s, prov.admin) == []
        (settled,) = sync_views.conflicts(s, prov.admin, open_only=False)
    assert settled.key == conflict.key and settled.resolution == "kept_winner"
    assert prov.institution(inst).name == central.institution(inst).name
