"""The central-office demo: Kamphaeng Phet and Sukhothai have each sent their first package,
the central office has imported both and answered each province."""

import contextlib
import io
import json
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app import cli
from app.bootstrap import open_app_database
from app.errors import ValidationError
from app.models import District, Institution, Office, SyncConflict, User
from app.rules.permissions import Role
from app.services import auth, demo, demo_central, scope, sync_views

PER_PROVINCE = 40


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """Made through the command line, as a presenter would: `demo --central --json`."""
    path = tmp_path_factory.mktemp("central") / "central.sqlite3"
    out = _run_cli(["--db", str(path), "demo", "--central", "--institutions", str(PER_PROVINCE), "--json"])
    return path, json.loads(out)


def _run_cli(argv):
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        assert cli.main(argv) == 0
    return buf.getvalue()


def _read(path, fn):
    db = open_app_database(path)
    try:
        with db.session() as s:
            return fn(s)
    finally:
        db.dispose()


def _by_origin(s):
    rows = s.execute(select(Institution.origin_office, func.count()).group_by(Institution.origin_office))
    return dict(rows.all())


def test_summary_names_the_central_office_files_and_packages(made):
    path, summary = made
    assert summary["path"] == str(path)
    assert summary["office"] == {"code": "CPD", "name": "กรมส่งเสริมสหกรณ์ (ส่วนกลาง)", "kind": "central"}
    assert summary["province"]["code"] == "10"
    assert [u["login"] for u in summary["users"]] == ["admin", "head"]
    assert [p["code"] for p in summary["provinces"]] == ["62", "64"]
    assert Path(summary["provinces_dir"]) == path.with_name("central-provinces")
    assert Path(summary["packages_dir"]) == path.with_name("central-packages")
    for p in summary["provinces"]:
        assert Path(p["path"]) == path.with_name("central-provinces") / f"{p['code']}.sqlite3"
        assert Path(p["package"]["file"]).is_file() and Path(p["reply"]["file"]).is_file()
        assert Path(p["package"]["file"]).name.startswith(f"{p['code']}-000001-")
        assert p["package"]["seq"] == p["reply"]["seq"] == 1
        assert p["package"]["import"]["status"] == p["reply"]["import"]["status"] == "imported"
        assert p["reply"]["import"]["acknowledged_seq"] == 1
        assert sum(p["institutions"].values()) == p["institutions_at_central"] == PER_PROVINCE
    assert summary["institutions"] == {"62": PER_PROVINCE, "64": PER_PROVINCE}
    totals = summary["import_totals"]
    assert totals["rejected"] == totals["conflicted"] == totals["updated"] == 0
    assert totals["inserted"] == sum(sum(p["package"]["tables"].values()) for p in summary["provinces"])


def test_central_holds_both_provinces_as_they_are_at_home(made):
    path, summary = made
    central = _read(path, lambda s: (_by_origin(s), s.scalar(select(func.count()).select_from(SyncConflict)),
                                     sorted(s.scalars(select(Office.code)))))
    by_origin, conflicts, offices = central
    assert by_origin == {"62": PER_PROVINCE, "64": PER_PROVINCE}
    assert conflicts == 0
    assert offices == ["62", "64", "CPD"]
    for p in summary["provinces"]:
        home = _read(p["path"], lambda s: {i.id: (i.reg_no, i.name, i.rev) for i in s.scalars(select(Institution))})
        there = _read(path, lambda s, code=p["code"]: {
            i.id: (i.reg_no, i.name, i.rev)
            for i in s.scalars(select(Institution).where(Institution.origin_office == code))})
        assert there == home
        assert p["package"]["tables"]["institution"] == len(home)


def test_sync_page_shows_both_provinces_received_with_nothing_missing(made):
    path, _ = made

    def states(s):
        return sync_views.peer_states(s, auth.local_user(s, "admin"))

    got = _read(path, states)
    assert [(p.office_code, p.last_in_seq, p.missing, p.forks, p.open_conflicts, p.last_out_seq) for p in got] == [
        ("62", 1, (), 0, 0, 1), ("64", 1, (), 0, 0, 1)]
    assert [p.office_name for p in got] == ["สำนักงานสหกรณ์จังหวัดกำแพงเพชร", "สำนักงานสหกรณ์จังหวัดสุโขทัย"]


def test_each_province_has_its_package_acknowledged(made):
    _, summary = made
    for p in summary["provinces"]:
        (peer,) = _read(p["path"], lambda s: sync_views.peer_states(s, auth.local_user(s, "admin")))
        assert (peer.office_code, peer.last_out_seq, peer.acked_out_seq, peer.last_in_seq, peer.missing) == (
            "CPD", 1, 1, 1, ())


def test_the_central_logins_work_and_the_head_sees_every_province(made):
    path, _ = made

    def check(s):
        for login in ("admin", "head"):
            result = auth.authenticate(s, login, demo.DEMO_PASSWORD)
            assert result.ok, login
        head = auth.local_user(s, "head")
        assert Role.PROVINCIAL_HEAD in head.roles
        assert s.get(Office, head.office_id).code == "CPD"
        return len(scope.scoped_institution_ids(s, head))

    assert _read(path, check) == 2 * PER_PROVINCE


def test_sukhothai_is_its_own_province(made):
    _, summary = made
    sukhothai = next(p for p in summary["provinces"] if p["code"] == "64")
    assert sukhothai["office"] == {"code": "64", "name": "สำนักงานสหกรณ์จังหวัดสุโขทัย"}

    def content(s):
        districts = set(s.scalars(select(District.code).where(District.province_code == "64")))
        insts = list(s.scalars(select(Institution)))
        people = {u.login: (u.full_name, u.position) for u in s.scalars(select(User)) if u.office.code == "64"}
        return districts, [(i.name, i.address, i.reg_no, i.district_code) for i in insts], people

    districts, insts, people = _read(sukhothai["path"], content)
    assert len(insts) == PER_PROVINCE
    assert not [i for i in insts if "กำแพงเพชร" in i[0] or "กำแพงเพชร" in (i[1] or "")]
    assert all("จ.สุโขทัย" in i[1] for i in insts)
    assert all(i[2].startswith("สท.") for i in insts)
    assert {i[3] for i in insts} <= districts
    assert Counter(i[3] for i in insts).most_common(1)[0][0] == "6401"  # the capital is the busiest
    assert people["head"][1] == "สหกรณ์จังหวัดสุโขทัย"
    assert set(people) == {"admin", "head", "director1", "director2", "director3", "officer1", "officer2",
                           "officer3", "officer4", "officer5", "clerk"}
    kpp = _read(next(p["path"] for p in summary["provinces"] if p["code"] == "62"),
                lambda s: {u.full_name for u in s.scalars(select(User)) if u.office.code == "62"})
    assert not kpp & {name for name, _ in people.values()}


def test_text_output_summarises_in_thai(made, monkeypatch, capsys):
    path, summary = made
    monkeypatch.setattr(demo_central, "create_central_demo", lambda *a, **k: summary)
    assert cli.main(["--db", str(path), "demo", "--central"]) == 0
    out = capsys.readouterr().out
    assert "สร้างฐานข้อมูลตัวอย่างของส่วนกลางแล้วที่" in out
    assert "สำนักงานสหกรณ์จังหวัดสุโขทัย" in out and "ปฏิเสธ 0" in out
    assert "รับทราบแพ็กเกจลำดับที่ 1" in out


def test_refuses_existing_files_without_force_before_making_anything(made, tmp_path):
    target = tmp_path / "c.sqlite3"
    target.write_bytes(b"mine")
    with pytest.raises(ValidationError):
        demo_central.create_central_demo(target, institutions=PER_PROVINCE)
    assert target.read_bytes() == b"mine"
    assert not (tmp_path / "c-provinces").exists()
    with pytest.raises(ValidationError):
        demo_central.create_central_demo(tmp_path / "d.sqlite3", provinces=("62", "62"))
    with pytest.raises(ValidationError):
        demo_central.create_central_demo(tmp_path / "d.sqlite3", provinces=("62", "99"))
    assert not list(tmp_path.glob("d*"))
