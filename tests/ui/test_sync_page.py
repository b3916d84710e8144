"""The รับ-ส่งข้อมูล page with two real offices (a province, 62, and the central office, CPD)
that registered each other's keys and exchanged a first package each way: the page builds
in both modes, exports a package, previews an import with the service's own dry-run counts
and then imports it, refuses a tampered file (its Thai sentence and code, nothing written),
registers a key after the fingerprint question (a changed key asked twice), and resolves a
conflict made by editing one cooperative on both sides. File dialogs and the report and
key dialogs' exec are replaced; workers are waited for with qtbot.waitUntil."""

from __future__ import annotations

import dataclasses
import shutil
import time
import zipfile
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog, QFileDialog
from sqlalchemy import func, select

from app.bootstrap import open_app_database
from app.exchange.sync.container import assemble_package
from app.exchange.sync.errors import SyncError
from app.exchange.sync.keys import SigningKey
from app.models import SyncConflict, SyncPackage, SyncPeer
from app.rules.registry import InstitutionData
from app.services import registry, setup, sync_export, sync_import, sync_keys
from app.thai import to_arabic_digits
from ui import ops, sync_dialogs
from ui.context import AppContext
from ui.models.list_model import PAYLOAD_ROLE
from ui.sync_dialogs import TABLE_LABELS, PackageReportDialog, TrustKeyDialog, fingerprint_lines
from ui.sync_page import SyncPage

PASSWORD = "Secret-pass-123"
PROVINCE, CENTRAL = "สำนักงานสหกรณ์จังหวัดกำแพงเพชร", "กรมส่งเสริมสหกรณ์ (ส่วนกลาง)"


@dataclasses.dataclass
class Office:
    db: object
    admin: object


def make_office(folder: Path, name: str, code: str, province: str, mode: str) -> Office:
    db = open_app_database(folder / f"{code}.sqlite3")
    with db.transaction() as s:
        user = setup.complete_setup(s, province_code=province, office_name=name, office_code=code, admin_login="admin",
                                    admin_name="ผู้ดูแล ระบบ", admin_position="นักวิชาการคอมพิวเตอร์", password=PASSWORD,
                                    mode=mode)
    db.office_code = code
    return Office(db, user)


def key_file(office: Office) -> bytes:
    with office.db.transaction(office.admin.id) as s:
        return sync_keys.own_key_file(s, office.admin)[1]


def trust(office: Office, data: bytes) -> None:
    with office.db.transaction(office.admin.id) as s:
        sync_keys.trust_key_file(s, office.admin, data)


def export(office: Office, folder: Path, to: str | None = None) -> Path:
    return sync_export.export_package(office.db, office.admin, folder, to=to).path


def rename(office: Office, institution_id: str, name: str) -> None:
    with office.db.transaction(office.admin.id) as s:
        inst = registry.get_institution(s, office.admin, institution_id)
        registry.update_institution(s, office.admin, institution_id,
                                    dataclasses.replace(registry.data_of(inst), name=name))


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """Province 62 with one cooperative, the central office, keys registered both ways and one
    package imported each way (so both sides share the cooperative): made once, copied per test."""
    folder = tmp_path_factory.mktemp("sync-offices")
    prov = make_office(folder, PROVINCE, "62", "62", "province")
    central = make_office(folder, CENTRAL, "CPD", "10", "central")
    trust(central, key_file(prov))
    trust(prov, key_file(central))
    with prov.db.transaction(prov.admin.id) as s:
        coop = registry.create_institution(s, prov.admin, InstitutionData(
            reg_no="กพ 1/2540", name="สหกรณ์การเกษตรทดสอบ จำกัด", coop_type="agriculture")).id
    sync_import.import_package(central.db, central.admin, export(prov, folder))
    sync_import.import_package(prov.db, prov.admin, export(central, folder, to="62"))
    prov.db.dispose()
    central.db.dispose()
    return {"folder": folder, "prov": prov.admin, "central": central.admin, "coop": coop}


@pytest.fixture
def offices(template, tmp_path):
    folder = tmp_path / "db"
    folder.mkdir()
    for path in template["folder"].glob("*.sqlite3*"):
        shutil.copy2(path, folder / path.name)
    prov = Office(open_app_database(folder / "62.sqlite3"), template["prov"])
    central = Office(open_app_database(folder / "CPD.sqlite3"), template["central"])
    prov.db.office_code, central.db.office_code = "62", "CPD"
    packages = tmp_path / "usb"
    packages.mkdir()
    yield {"prov": prov, "central": central, "coop": template["coop"], "usb": packages}
    ops.cancel_all_and_wait()  # workers hold sessions: let them end before the databases go
    prov.db.dispose()
    central.db.dispose()


def open_page(qtbot, office: Office) -> SyncPage:
    page = SyncPage(AppContext(office.db, office.admin))
    qtbot.addWidget(page)
    page.resize(1100, 720)
    page.show()
    wait_loaded(qtbot, page)
    return page


def wait_loaded(qtbot, page: SyncPage) -> None:
    qtbot.waitUntil(lambda: page.loading is not None and page.loading.done and not page._again, timeout=10000)


def rows(model) -> list[tuple[str, ...]]:
    return [tuple(model.index(r, c).data() for c in range(model.columnCount())) for r in range(model.rowCount())]


def tab_titles(page: SyncPage) -> list[str]:
    return [page.tabs.tabText(i) for i in range(page.tabs.count())]


def packages(office: Office, direction: str) -> int:
    with office.db.session() as s:
        return s.scalar(select(func.count()).select_from(SyncPackage).where(SyncPackage.direction == direction))


# -- building ----------------------------------------------------------------------------------


def test_province_page_shows_the_office_its_key_and_the_central_office(qtbot, offices):
    prov = offices["prov"]
    page = open_page(qtbot, prov)
    assert tab_titles(page) == ["ส่งออก", "นำเข้า", "ประวัติ", "ข้อมูลขัดแย้ง"]  # no provinces tab
    with prov.db.session() as s:
        fingerprint = sync_keys.identity(s).key.public.fingerprint
    assert page.office_label.text() == f"62  {PROVINCE}" and page.mode_label.text() == "(สำนักงานจังหวัด)"
    assert page.fingerprint_label.text() == fingerprint
    assert page.target_combo.count() == 1 and page.target_combo.currentData() == "CPD"
    assert page.export_button.isEnabled() and "ปลายทางยืนยันรับแล้วถึงลำดับที่ ๑" in page.target_info.text()
    history = rows(page.history_model)
    assert [(r[1], r[2], r[3]) for r in history] == [("นำเข้า", f"CPD {CENTRAL}", "๑"), ("ส่งออก", f"CPD {CENTRAL}", "๑")]
    assert history[1][5] == "๘ รายการ"  # app_user, office, 5 work groups, the cooperative
    assert page.conflict_model.rowCount() == 0 and not page.keep_button.isEnabled()


def test_central_page_lists_the_provinces(qtbot, offices):
    page = open_page(qtbot, offices["central"])
    assert tab_titles(page) == ["ส่งออก", "นำเข้า", "ประวัติ", "ข้อมูลขัดแย้ง", "สำนักงานจังหวัด"]
    assert page.mode_label.text() == "(สำนักงานส่วนกลาง)"
    (state,) = rows(page.states_model)
    assert state[0] == f"62  {PROVINCE}" and state[1] == "๑" and state[3] == "—" and state[4] == "๐"
    assert state[6] == "๑" and state[7] == "—"  # sent 1; the province has not sent an acknowledgement yet


def test_an_officer_sees_the_office_but_may_not_exchange(qtbot, offices):
    from app.services import users

    prov = offices["prov"]
    with prov.db.transaction(prov.admin.id) as s:
        group = users.list_groups(s)[0].id
        officer = users.create_user(s, prov.admin, users.UserData(
            login="off1", full_name="นางสาวปิยะนุช จันทร์หอม", position="นักวิชาการสหกรณ์", group_id=group,
            roles=frozenset({"officer"})), "user-pass-1")
    page = open_page(qtbot, Office(prov.db, officer))
    assert page.office_label.text() == f"62  {PROVINCE}" and page.fingerprint_label.text()
    assert not page.denied_label.isHidden() and not page.tabs.isEnabled()
    assert not page.trust_button.isEnabled() and not page.export_key_button.isEnabled()


def test_the_main_window_builds_the_exchange_page(qtbot, offices):
    from ui.main_window import MainWindow

    window = MainWindow(AppContext(offices["prov"].db, offices["prov"].admin))
    qtbot.addWidget(window)
    page = window.page("exchange")
    assert isinstance(page, SyncPage)
    wait_loaded(qtbot, page)


# -- export ------------------------------------------------------------------------------------


def test_export_writes_a_package_and_shows_its_summary(qtbot, offices, tmp_path, monkeypatch):
    prov = offices["prov"]
    rename(prov, offices["coop"], "สหกรณ์การเกษตรทดสอบ (แก้ไข) จำกัด")
    page = open_page(qtbot, prov)
    out = tmp_path / "stick"
    out.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(out))
    page.choose_folder()
    assert page.folder_edit.text() == str(out)
    op = page.export_package()
    qtbot.waitUntil(lambda: op.done, timeout=10000)
    wait_loaded(qtbot, page)
    (written,) = out.glob("*.coopsync")
    assert written.name.startswith("62-000002-") and page.last_export.path == written
    assert rows(page.export_model) == [(TABLE_LABELS["institution"], "๑")]
    assert "แพ็กเกจลำดับที่ ๒ ถึงสำนักงาน CPD" in page.export_summary.text()
    assert rows(page.history_model)[0][1:4] == ("ส่งออก", f"CPD {CENTRAL}", "๒")
    # The central office imports it: the file is a good package.
    report = sync_import.import_package(offices["central"].db, offices["central"].admin, written)
    assert report.status == "imported" and report.totals()["updated"] == 1


# -- import ------------------------------------------------------------------------------------


def record_reports(monkeypatch, answer=QDialog.DialogCode.Accepted) -> list[dict]:
    shown: list[dict] = []

    def exec_(dialog: PackageReportDialog):
        shown.append({"title": dialog.windowTitle(), "status": dialog.report.status, "counts": rows(dialog.model),
                      "reasons": rows(dialog.reasons_model), "apply": dialog.apply_button is not None})
        return answer

    monkeypatch.setattr(PackageReportDialog, "exec", exec_)
    return shown


def test_import_previews_the_dry_run_then_imports(qtbot, offices, monkeypatch):
    prov, central = offices["prov"], offices["central"]
    rename(prov, offices["coop"], "สหกรณ์การเกษตรทดสอบ (แก้ไข) จำกัด")
    with prov.db.transaction(prov.admin.id) as s:
        registry.create_institution(s, prov.admin, InstitutionData(reg_no="กพ 2/2541", name="สหกรณ์ใหม่ จำกัด",
                                                                   coop_type="agriculture"))
    path = export(prov, offices["usb"])
    expected = sync_import.import_package(central.db, central.admin, path, dry_run=True)
    assert packages(central, "in") == 1  # the dry run wrote nothing
    page = open_page(qtbot, central)
    shown = record_reports(monkeypatch)
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(path)], ""))
    flow = page.choose_packages()
    qtbot.waitUntil(lambda: flow.done, timeout=15000)
    wait_loaded(qtbot, page)
    preview, result = shown
    assert preview["title"] == "ตรวจแพ็กเกจก่อนนำเข้า" and preview["status"] == "dry_run" and preview["apply"]
    (line,) = preview["counts"]
    t = expected.tables["institution"]
    assert line[0] == "สหกรณ์/กลุ่มเกษตรกร"
    assert [int(to_arabic_digits(n)) for n in line[1:]] == [t.inserted, t.updated, t.unchanged, t.conflicted,
                                                            t.rejected] == [1, 1, 0, 0, 0]
    assert result["title"] == "ผลการนำเข้าแพ็กเกจ" and result["status"] == "imported" and not result["apply"]
    assert result["counts"] == preview["counts"]
    assert packages(central, "in") == 2
    assert rows(page.imports_model) == [(path.name, f"62 {PROVINCE}", "๒", "เพิ่ม ๑ · ปรับปรุง ๑")]
    assert rows(page.history_model)[0][1:4] == ("นำเข้า", f"62 {PROVINCE}", "๒")
    # The same file again: "already imported", nothing to apply.
    shown.clear()
    flow = page.import_packages([path])
    qtbot.waitUntil(lambda: flow.done, timeout=15000)
    assert [(s["status"], s["apply"]) for s in shown] == [("already_imported", False)]
    assert packages(central, "in") == 2


def test_declining_the_preview_imports_nothing(qtbot, offices, monkeypatch):
    prov, central = offices["prov"], offices["central"]
    rename(prov, offices["coop"], "สหกรณ์การเกษตรทดสอบ (แก้ไข) จำกัด")
    path = export(prov, offices["usb"])
    page = open_page(qtbot, central)
    shown = record_reports(monkeypatch, QDialog.DialogCode.Rejected)
    flow = page.import_packages([path])
    qtbot.waitUntil(lambda: flow.done, timeout=15000)
    assert [s["status"] for s in shown] == ["dry_run"] and packages(central, "in") == 1


def test_a_tampered_package_is_refused_with_its_sentence_and_code(qtbot, offices, monkeypatch, dialogs):
    prov, central = offices["prov"], offices["central"]
    rename(prov, offices["coop"], "สหกรณ์การเกษตรทดสอบ (แก้ไข) จำกัด")
    path = export(prov, offices["usb"])
    data = bytearray(path.read_bytes())
    at = data.index("แก้ไข".encode())
    data[at:at + 3] = "ปรับ".encode()[:3]  # one Thai letter changed inside the signed records
    path.write_bytes(bytes(data))
    with pytest.raises(SyncError) as refused:
        sync_import.import_package(central.db, central.admin, path, dry_run=True)
    page = open_page(qtbot, central)
    shown = record_reports(monkeypatch)
    flow = page.import_packages([path])
    qtbot.waitUntil(lambda: flow.done, timeout=15000)
    (warning,) = dialogs.take_warnings()
    assert warning == f"{refused.value.message} ({refused.value.code})" and warning.endswith(")")
    assert refused.value.code == "E_CONTAINER"
    assert shown == [] and packages(central, "in") == 1
    with central.db.session() as s:
        name = registry.get_institution(s, central.admin, offices["coop"]).name
    assert name == "สหกรณ์การเกษตรทดสอบ จำกัด"


def test_a_forged_signature_is_refused_and_the_next_file_still_runs(qtbot, offices, monkeypatch, dialogs):
    prov, central = offices["prov"], offices["central"]
    rename(prov, offices["coop"], "สหกรณ์การเกษตรทดสอบ (แก้ไข) จำกัด")
    good = export(prov, offices["usb"])
    with zipfile.ZipFile(good) as zf:  # the manifest changed after signing, its signature kept
        parts = {name: zf.read(name) for name in zf.namelist()}
    manifest = parts.pop("manifest.json").replace(b'"created_at":"2', b'"created_at":"1')
    forged = offices["usb"] / "00-forged.coopsync"
    forged.write_bytes(assemble_package(manifest, parts.pop("manifest.sig"), parts))
    page = open_page(qtbot, central)
    shown = record_reports(monkeypatch)
    flow = page.import_packages([good, forged])  # by name: the forged one first
    qtbot.waitUntil(lambda: flow.done, timeout=15000)
    (warning,) = dialogs.take_warnings()
    assert warning.startswith("ไฟล์ 00-forged.coopsync: ลายมือชื่อดิจิทัลของแพ็กเกจไม่ถูกต้อง")
    assert warning.endswith("(E_SIGNATURE)")
    assert [s["status"] for s in shown] == ["dry_run", "imported"] and packages(central, "in") == 2


def test_cancelling_the_check_stops_the_batch(qtbot, offices, monkeypatch):
    central = offices["central"]
    calls: list[int] = []

    def slow_import(db, user, path, *, dry_run=False, progress=None, expected_hash=None):
        for i in range(500):  # stands in for a big package; the callback raises once cancelled
            calls.append(i)
            progress(i, 500)
            time.sleep(0.01)
        raise AssertionError("not cancelled")

    monkeypatch.setattr(sync_dialogs, "import_package", slow_import)
    page = open_page(qtbot, central)
    shown = record_reports(monkeypatch)
    flow = page.import_packages([offices["usb"] / "a.coopsync", offices["usb"] / "b.coopsync"])
    qtbot.waitUntil(lambda: len(calls) > 2, timeout=5000)
    flow.operation.cancel()
    qtbot.waitUntil(lambda: flow.done, timeout=5000)
    assert flow.operation.cancelled and flow.queue == [] and shown == [] and len(calls) < 500


# -- keys --------------------------------------------------------------------------------------


def test_registering_a_key_asks_about_the_fingerprint_and_twice_for_a_new_key(qtbot, offices, monkeypatch,
                                                                            tmp_path, dialogs):
    central = offices["central"]
    page = open_page(qtbot, central)
    asked: list[dict] = []
    answer = {"value": QDialog.DialogCode.Accepted}

    def exec_(dialog: TrustKeyDialog):
        asked.append({"fingerprint": dialog.fingerprint_label.text(), "default": dialog.cancel_button.isDefault()})
        return answer["value"]

    monkeypatch.setattr(TrustKeyDialog, "exec", exec_)
    # A new province: one question, then registered.
    other = SigningKey.generate().public
    new_file = tmp_path / "63.coopkey"
    new_file.write_bytes(other.to_file_bytes("63", "สำนักงานสหกรณ์จังหวัดตาก"))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(new_file), ""))
    page.trust_key()
    assert asked == [{"fingerprint": fingerprint_lines(other.fingerprint), "default": True}]
    assert dialogs.questions == [] and dialogs.infos[-1].startswith("ลงทะเบียนกุญแจของสำนักงาน 63")
    wait_loaded(qtbot, page)
    assert [page.target_combo.itemData(i) for i in range(page.target_combo.count())] == ["62", "63"]
    # A changed key for 62: the dialog warns, and the page asks again before replacing it.
    replacement = SigningKey.generate().public
    changed = tmp_path / "62.coopkey"
    changed.write_bytes(replacement.to_file_bytes("62", PROVINCE))
    answer["value"] = QDialog.DialogCode.Rejected
    assert page.trust_key_file(changed) is None
    dialogs.answer = False
    answer["value"] = QDialog.DialogCode.Accepted
    assert page.trust_key_file(changed) is None and len(dialogs.questions) == 1
    with central.db.session() as s:
        assert s.get(SyncPeer, "62").fingerprint != replacement.fingerprint
    dialogs.answer = True
    peer = page.trust_key_file(changed)
    assert peer is not None and len(dialogs.questions) == 2
    with central.db.session() as s:
        assert s.get(SyncPeer, "62").fingerprint == replacement.fingerprint
    wait_loaded(qtbot, page)
    # A damaged key file: the error's sentence and code.
    bad = tmp_path / "bad.coopkey"
    bad.write_bytes(b"{}")
    assert page.trust_key_file(bad) is None
    (warning,) = dialogs.take_warnings()
    assert warning.endswith("(E_KEY_FILE)")


def test_exporting_our_key_writes_the_key_file(qtbot, offices, monkeypatch, tmp_path, dialogs):
    prov = offices["prov"]
    page = open_page(qtbot, prov)
    target = tmp_path / "ของเรา"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    page.export_key()
    assert (tmp_path / "ของเรา.coopkey").read_bytes() == key_file(prov)
    assert dialogs.infos and "ของเรา.coopkey" in dialogs.infos[-1]


# -- conflicts ---------------------------------------------------------------------------------


def make_conflict(offices) -> None:
    """The cooperative renamed at both offices before either got the other's change."""
    prov, central = offices["prov"], offices["central"]
    rename(prov, offices["coop"], "สหกรณ์การเกษตรทดสอบ (แก้ที่จังหวัด) จำกัด")
    rename(central, offices["coop"], "สหกรณ์การเกษตรทดสอบ (แก้ที่ส่วนกลาง) จำกัด")
    report = sync_import.import_package(central.db, central.admin, export(prov, offices["usb"]))
    assert report.totals()["conflicted"] == 1


def test_resolving_a_conflict_from_the_tab(qtbot, offices, dialogs):
    make_conflict(offices)
    central = offices["central"]
    page = open_page(qtbot, central)
    counts: list[int] = []
    page.count_changed.connect(counts.append)
    (line,) = rows(page.conflict_model)
    assert line[1:5] == ("สหกรณ์/กลุ่มเกษตรกร", "สหกรณ์การเกษตรทดสอบ (แก้ที่ส่วนกลาง) จำกัด", "แก้ไขพร้อมกัน", "62")
    assert line[5] == "รอตัดสิน" and page.conflict_count.text() == "รอตัดสิน ๑ รายการ"
    conflict = page.current_conflict()
    assert conflict is not None and conflict.record_id == offices["coop"]
    assert rows(page.diff_model) == [("ชื่อ", "สหกรณ์การเกษตรทดสอบ (แก้ที่ส่วนกลาง) จำกัด",
                                      "สหกรณ์การเกษตรทดสอบ (แก้ที่จังหวัด) จำกัด")]
    assert page.keep_button.isEnabled() and page.take_button.isEnabled()
    page.note_edit.setText("ตกลงทางโทรศัพท์แล้ว")
    page.take_button.click()  # asks first (the conftest answers yes)
    assert len(dialogs.questions) == 1
    wait_loaded(qtbot, page)
    assert page.conflict_model.rowCount() == 0 and counts[-1] == 0
    with central.db.session() as s:
        row = s.get(SyncConflict, conflict.key)
        name = registry.get_institution(s, central.admin, offices["coop"]).name
    assert row.resolution == "took_loser" and row.resolved_at is not None and row.note == "ตกลงทางโทรศัพท์แล้ว"
    assert name == "สหกรณ์การเกษตรทดสอบ (แก้ที่จังหวัด) จำกัด"
    # Resolved ones show on request, greyed, with what was chosen and no buttons.
    page.show_resolved.setChecked(True)
    wait_loaded(qtbot, page)
    (line,) = rows(page.conflict_model)
    assert line[5].startswith("ใช้ข้อมูลที่แพ้ (")
    assert not page.keep_button.isEnabled() and not page.take_button.isEnabled()
    assert "หมายเหตุ: ตกลงทางโทรศัพท์แล้ว" in page.resolved_label.text()
    assert page.conflict_model.index(0, 0).data(PAYLOAD_ROLE).key == conflict.key


def test_keeping_the_winner(qtbot, offices, dialogs):
    make_conflict(offices)
    central = offices["central"]
    page = open_page(qtbot, central)
    key = page.current_conflict().key
    page.keep_button.click()  # no question: nothing visible changes
    wait_loaded(qtbot, page)
    assert dialogs.questions == [] and page.conflict_model.rowCount() == 0
    with central.db.session() as s:
        assert s.get(SyncConflict, key).resolution == "kept_winner"
        assert registry.get_institution(s, central.admin, offices["coop"]).name.endswith("(แก้ที่ส่วนกลาง) จำกัด")
