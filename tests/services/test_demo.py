"""The demo database: a plausible Kamphaeng Phet province, made the same way every time."""

import csv
from collections import Counter
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.bootstrap import open_app_database
from app.errors import ValidationError
from app.models import AuditEntry, District, Institution, InstitutionYear, User
from app.paths import data_dir
from app.rules.permissions import Role
from app.rules.registry import COOP_TYPES, validate_institution, validate_year
from app.services import auth, demo, registry
from app.thai import fiscal_year

SEED = 2567


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    summary = demo.create_demo_database(path, seed=SEED)
    return path, summary


def _content(path):
    """Everything but ids and timestamps: institutions with their officer, and yearly rows."""
    db = open_app_database(path)
    with db.session() as s:
        logins = {u.id: u.login for u in s.scalars(select(User))}
        insts = {}
        for inst in s.scalars(select(Institution)):
            d = registry.data_of(inst)
            d.officer_id, d.group_id = logins[inst.officer_id], inst.group.name
            insts[inst.reg_no] = (d, logins[inst.updated_by], inst.rev, inst.origin_office)
        years = {
            (y.institution.reg_no, y.fiscal_year): (registry.year_data_of(y), logins[y.updated_by], y.rev)
            for y in s.scalars(select(InstitutionYear))
        }
        actions = Counter(s.scalars(select(AuditEntry.action)))
    db.dispose()
    return insts, years, actions


def test_summary_lists_office_users_and_counts(made):
    path, summary = made
    assert summary["office"] == {"code": "62", "name": "สำนักงานสหกรณ์จังหวัดกำแพงเพชร"}
    assert summary["province"] == {"code": "62", "name": "กำแพงเพชร"}
    assert summary["path"] == str(path)
    assert summary["password"] == "demo1234"
    roles = Counter(r for u in summary["users"] for r in u["roles"])
    assert set(roles) == {r.value for r in Role}
    assert roles[Role.PROVINCIAL_HEAD] == 1 and roles[Role.DIRECTOR] == 3 and roles[Role.OFFICER] == 5
    kinds = summary["institutions"]
    assert sum(kinds.values()) == 150
    assert 45 <= kinds["farmer_group"] <= 55
    types = summary["coop_types"]
    assert set(types) == set(COOP_TYPES) and all(types.values())
    assert max(types, key=types.get) == "agriculture"
    assert types["savings"] > types["consumer"] > types["fishery"]


def test_every_institution_is_valid_and_in_the_province(made):
    path, _ = made
    db = open_app_database(path)
    with db.session() as s:
        province_districts = set(s.scalars(select(District.code).where(District.province_code == "62")))
        insts = list(s.scalars(select(Institution)))
        for inst in insts:
            assert validate_institution(registry.data_of(inst), known_districts=province_districts) == []
            assert inst.officer.group_id == inst.group_id
            assert Role.OFFICER in inst.officer.roles
        names = [i.name for i in insts]
        assert len(set(names)) == len(names) == 150
        assert len({i.reg_no for i in insts}) == 150
        assert {i.district_code for i in insts} == province_districts  # all 11 districts used
        assert "สหกรณ์การเกษตรเมืองกำแพงเพชร จำกัด" in names
        assert "สหกรณ์ออมทรัพย์ครูกำแพงเพชร จำกัด" in names
        statuses = Counter(i.status for i in insts)
        assert statuses["operating"] > 120 and statuses["operating"] < 150
        groups = [i for i in insts if i.kind == "farmer_group"]
        assert all(30 <= g.members <= 300 for g in groups if g.status != "not_started")
    db.dispose()


def test_three_fiscal_years_consistent_with_status(made):
    path, summary = made
    current = fiscal_year(date.today())
    assert summary["fiscal_years"] == [current - 2, current - 1, current]
    db = open_app_database(path)
    with db.session() as s:
        rows = list(s.scalars(select(InstitutionYear)))
        assert {r.fiscal_year for r in rows} == set(summary["fiscal_years"])
        for r in rows:
            status = r.institution.status
            assert validate_year(r.fiscal_year, registry.year_data_of(r)) == []
            if r.strength_class == 4:
                assert status in ("suspended", "dissolving") and r.standards_result == "not_assessed"
            if r.out_of_scope:
                assert status == "not_started" and r.strength_class is None
            if r.agm_date:
                assert r.accounts_closed_date < r.agm_date <= date.today()
                assert r.agm_date - r.accounts_closed_date >= timedelta(days=15)
        first = [r for r in rows if r.fiscal_year == current - 2]
        classes = Counter(r.strength_class for r in first)
        assert all(classes[c] for c in (1, 2, 3)) and classes[2] + classes[1] > classes[3] // 2
        losses = sum(1 for r in first if r.accumulated_loss)
        assert 0.05 < losses / len(first) < 0.3
        assert any(r.net_profit < 0 for r in first if r.net_profit is not None)
        assert any(r.standards_result == "fail" for r in first)
        late = [r for r in rows if r.agm_date and r.agm_date > _year_end(r) + timedelta(days=150)]
        assert 0 < len(late) < len(rows) / 5
        # The figures move from one year to the next.
        volumes = {}
        for r in rows:
            if r.business_volume is not None:
                volumes.setdefault(r.institution_id, []).append(r.business_volume)
        assert sum(1 for v in volumes.values() if len(set(v)) > 1) > len(volumes) / 2
    db.dispose()


def _year_end(row):
    inst = row.institution
    ce = row.fiscal_year - 543 - (inst.acct_year_end_month >= 10)
    return date(ce, inst.acct_year_end_month, inst.acct_year_end_day)


def test_every_demo_login_works_with_the_shared_password(made):
    path, summary = made
    db = open_app_database(path)
    with db.session() as s:  # never committed: the other tests compare this database's contents
        for u in summary["users"]:
            result = auth.authenticate(s, u["login"], "demo1234")
            assert result.ok, u["login"]
            assert sorted(result.user.roles) == u["roles"]
    db.dispose()


def test_refuses_an_existing_file_without_force(made, tmp_path):
    path = tmp_path / "mine.sqlite3"
    path.write_bytes(b"someone's work")
    with pytest.raises(ValidationError) as err:
        demo.create_demo_database(path)
    assert "มีไฟล์" in err.value.message
    assert path.read_bytes() == b"someone's work"


def test_force_replaces_the_file_and_the_same_seed_gives_the_same_data(made, tmp_path):
    path = tmp_path / "again.sqlite3"
    path.write_bytes(b"junk")
    (tmp_path / "again.sqlite3-wal").write_bytes(b"stale wal")
    demo.create_demo_database(path, force=True, seed=SEED)
    assert _content(path) == _content(made[0])


def test_bulk_path_writes_the_same_rows(made, tmp_path, monkeypatch):
    monkeypatch.setattr(demo, "SERVICE_PATH_LIMIT", 0)
    path = tmp_path / "bulk.sqlite3"
    demo.create_demo_database(path, seed=SEED)
    insts, years, actions = _content(path)
    assert (insts, years, actions) == _content(made[0])
    assert {v[1] for v in insts.values()} == {"clerk"}
    assert {v[2:] for v in insts.values()} == {(1, "62")}


def test_other_seeds_differ_and_ten_thousand_names_stay_unique():
    names = {"6201": "เมืองกำแพงเพชร"} | {f"62{n:02d}": f"อำเภอ{n}" for n in range(2, 12)}
    today = date.today()
    a = [p.data.name for p in demo.plan_province(1, 150, today, names)]
    b = [p.data.name for p in demo.plan_province(2, 150, today, names)]
    assert a != b
    big = demo.plan_province(SEED, 10_000, today, names)
    assert len({p.data.name for p in big}) == len({p.data.reg_no for p in big}) == 10_000
    districts = set(names)
    assert not [p for p in big if validate_institution(p.data, known_districts=districts)]


# -- another province ------------------------------------------------------------------------

def _districts(code):
    """A province's district codes and names from the shipped data/geo, capital first."""
    with (data_dir() / "geo" / "districts.csv").open(encoding="utf-8", newline="") as fh:
        return {r["code"]: r["name_th"] for r in csv.DictReader(fh) if r["province_code"] == code}


def test_sukhothai_has_its_own_office_districts_names_and_numbers():
    names = _districts("64")
    province = demo.demo_province("64", "สุโขทัย", list(names))
    assert (province.office_code, province.office_name) == ("64", "สำนักงานสหกรณ์จังหวัดสุโขทัย")
    assert province.capital == "6401" and names["6401"] == "เมืองสุโขทัย"
    head = next(st for st in province.staff if st.role is Role.PROVINCIAL_HEAD)
    assert head.position == "สหกรณ์จังหวัดสุโขทัย"
    # The same logins and roles as Kamphaeng Phet's (logins are unique per office), other people.
    assert [(st.login, st.role) for st in province.staff] == [(st.login, st.role) for st in demo.STAFF]
    assert not {st.full_name for st in province.staff} & {st.full_name for st in demo.STAFF}

    plans = demo.plan_province(SEED, 150, date.today(), names, province)
    insts = [p.data for p in plans]
    assert not [d for d in insts if "กำแพงเพชร" in d.name or "กำแพงเพชร" in d.address]
    assert not [d for d in insts if validate_institution(d, known_districts=set(names))]
    assert {d.district_code for d in insts} == set(names)
    for d in insts:
        assert f"อ.{names[d.district_code]} จ.สุโขทัย 64" in d.address
        prefix = "สท." if d.kind == "coop" else "สท.กษ."
        assert d.reg_no.startswith(prefix) and d.reg_no[len(prefix)].isdigit()
    assert len({d.name for d in insts}) == len({d.reg_no for d in insts}) == 150
    got = {d.name for d in insts}
    assert {"สหกรณ์การเกษตรเมืองสุโขทัย จำกัด", "สหกรณ์ออมทรัพย์ครูสุโขทัย จำกัด"} <= got
    assert {f"สหกรณ์การเกษตร{n} จำกัด" for n in names.values()} <= got  # one per district
    # Another province with the same seed is another set of institutions, the same every time.
    assert [p.data for p in demo.plan_province(SEED, 150, date.today(), names, province)] == insts
    kpp = demo.plan_province(SEED, 150, date.today(), _districts("62"))
    assert [p.data.members for p in kpp] != [d.members for d in insts]


def test_kamphaeng_phet_is_the_default_and_unchanged_by_the_province_parameter():
    names = _districts("62")
    province = demo.demo_province("62", "กำแพงเพชร", list(names))
    assert province is demo.KAMPHAENG_PHET
    a = demo.plan_province(SEED, 150, date.today(), names)
    b = demo.plan_province(SEED, 150, date.today(), names, province)
    assert [(p.data, p.officer, p.years) for p in a] == [(p.data, p.officer, p.years) for p in b]
    assert all(p.data.reg_no.startswith("กพ.") for p in a)


@pytest.mark.parametrize("code", ["50", "75", "10"])
def test_any_province_gets_a_plausible_demo(code):
    names = _districts(code)
    province_name = demo.province_names()[code]
    province = demo.demo_province(code, province_name, list(names))
    plans = demo.plan_province(SEED, 150, date.today(), names, province)
    insts = [p.data for p in plans]
    assert not [d for d in insts if "กำแพงเพชร" in d.name + d.address]
    assert not [d for d in insts if validate_institution(d, known_districts=set(names))]
    assert all(province_name in d.address and names[d.district_code] in d.address for d in insts)
    assert len({d.name for d in insts}) == 150
    prefix = demo.REG_PREFIXES.get(code, f"{code}.")
    assert all(d.reg_no.startswith(prefix) for d in insts)
    officers = Counter(p.officer for p in plans)
    assert set(officers) == {f"officer{i}" for i in range(1, 6)}


def test_a_small_demo_gives_every_officer_enough_institutions():
    for code in ("62", "64"):
        names = _districts(code)
        province = demo.demo_province(code, demo.province_names()[code], list(names))
        plans = demo.plan_province(SEED, demo.MIN_INSTITUTIONS, date.today(), names, province)
        assert min(Counter(p.officer for p in plans).values()) >= demo.MIN_PER_OFFICER


def test_refuses_an_unknown_province_or_too_few_institutions(tmp_path):
    path = tmp_path / "x.sqlite3"
    path.write_bytes(b"keep")
    with pytest.raises(ValidationError) as err:
        demo.create_demo_database(path, force=True, province_code="99")
    assert "99" in err.value.message
    with pytest.raises(ValidationError):
        demo.create_demo_database(path, force=True, institutions=demo.MIN_INSTITUTIONS - 1)
    assert path.read_bytes() == b"keep"  # refused before anything was touched
