"""KPIs through the services on a real SQLite file. Two dozen institutions with varied yearly
figures are made through the registry service; every KPI number is then computed again here
from the same figures with plain loops (not the rule functions) and compared, for the head
(the province), a director (the group) and an officer (their own). The action plan's KPI rows
come from a plan made from plans.template_document."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest

from app.errors import ValidationError
from app.rules.plan.document import KpiLine
from app.rules.registry import InstitutionData, YearData
from app.services import kpis, plans, registry, settings, users

FY, PREV = 2569, 2568
TODAY = date(2026, 10, 20)  # FY 2570 has begun; a 30 Sep 2026 year end is not yet due with 45 days
CLOSE_DAYS = 45
YEAR_ENDS = {(12, 31): date(2025, 12, 31), (3, 31): date(2026, 3, 31), (9, 30): date(2026, 9, 30)}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The office, its people, 24 institutions with this year's and last year's figures, a
    group-1 plan from the template with printed targets and a group-2 plan without."""
    from app.bootstrap import open_app_database
    from app.services import setup
    from tests.conftest import ADMIN_PASSWORD, USER_PASSWORD

    db = open_app_database(tmp_path_factory.mktemp("kpis") / "office.sqlite3")
    with db.transaction() as s:
        admin = setup.complete_setup(
            s, province_code="62", office_name="สำนักงานสหกรณ์จังหวัดกำแพงเพชร", office_code="62",
            admin_login="admin", admin_name="สมชาย ผู้ดูแล", admin_position="", password=ADMIN_PASSWORD)
    people = {}
    with db.transaction(admin.id) as s:
        groups = users.list_groups(s)
        for login, role, g in (("off1", "officer", 0), ("off2", "officer", 0), ("off9", "officer", 1),
                               ("dir1", "director", 0), ("head", "provincial_head", None)):
            people[login] = users.create_user(s, admin, users.UserData(
                login, f"ทดสอบ {login}", group_id=groups[g].id if g is not None else None,
                roles=frozenset({role})), USER_PASSWORD)
        settings.put(s, admin, "accounts_close_days", CLOSE_DAYS)
    rng = random.Random(2569)
    specs = []
    for n in range(24):
        officer = ("off1", "off2", "off9")[n % 3]
        kind = "farmer_group" if n % 4 == 3 else "coop"
        status = rng.choice(["operating"] * 6 + ["suspended", "not_started", "dissolving"])
        year_end = None if n == 5 else rng.choice(list(YEAR_ENDS))
        oos = rng.random() < 0.1
        spec = {
            "name": f"{'กลุ่มเกษตรกร' if kind == 'farmer_group' else 'สหกรณ์'}ทดสอบที่ {n:02d}", "kind": kind,
            "status": status, "officer": officer, "year_end": year_end, "row": n not in (7, 8),
            "cls": None if oos or rng.random() < 0.15 else rng.randint(1, 4), "oos": oos,
            "std": rng.choice(["pass", "pass", "fail", "not_assessed", None]),
            "loss": rng.choice([None, Decimal(0), Decimal("12500.50")]),
            "part": rng.choice([None, Decimal(65), Decimal("64.99"), Decimal(rng.randint(20, 95))]),
            "vol": rng.choice([None] + [Decimal(rng.randint(50, 200) * 10000)] * 4),
            "prev_vol": rng.choice([None, Decimal(0)] + [Decimal(rng.randint(50, 200) * 10000)] * 4),
            "profit": rng.choice([None, Decimal(0), Decimal(-5000), Decimal(rng.randint(1, 90) * 1000)]),
            "closed": None,
        }
        if spec["vol"] is not None and spec["prev_vol"] and n % 4 == 0:
            spec["vol"] = spec["prev_vol"] * Decimal("1.01")  # exactly 1 % growth: counts
        elif spec["vol"] is not None and spec["prev_vol"] and n % 4 == 1:
            spec["vol"] = spec["prev_vol"] * Decimal("1.0099")  # just below: does not
        if year_end is not None and rng.random() < 0.75:
            spec["closed"] = YEAR_ENDS[year_end] + timedelta(days=rng.choice([10, CLOSE_DAYS, CLOSE_DAYS + 1, 90]))
        specs.append(spec)
    specs.append({**specs[0], "name": "สหกรณ์ถอนชื่อไม่มีข้อมูล จำกัด", "status": "struck_off", "row": False})
    with db.transaction(admin.id) as s:
        for n, spec in enumerate(specs):
            officer = people[spec["officer"]]
            ye = spec["year_end"]
            spec["id"] = registry.create_institution(s, admin, InstitutionData(
                reg_no=f"กพ {n:06d}", name=spec["name"], kind=spec["kind"],
                coop_type="agriculture" if spec["kind"] == "coop" else None, district_code="6201",
                status=spec["status"], officer_id=officer.id, group_id=officer.group_id,
                acct_year_end_month=ye[0] if ye else None, acct_year_end_day=ye[1] if ye else None)).id
            spec["group"] = officer.group_id
            if spec["row"]:
                registry.save_year(s, admin, spec["id"], FY, YearData(
                    strength_class=spec["cls"], out_of_scope=spec["oos"], standards_result=spec["std"],
                    accumulated_loss=spec["loss"], member_participation_pct=spec["part"],
                    business_volume=spec["vol"], net_profit=spec["profit"], accounts_closed_date=spec["closed"]))
            if spec["prev_vol"] is not None:
                registry.save_year(s, admin, spec["id"], PREV, YearData(business_volume=spec["prev_vol"]))
    with db.transaction(admin.id) as s:
        dir1, off9 = (s.merge(people["dir1"]), s.merge(people["off9"]))
        doc = plans.template_document(FY)
        targets = ["ร้อยละ ๖๐", "ร้อยละ ๗๐", "ร้อยละ ๕๑", "ร้อยละ ๑๐", "ร้อยละ ๕๐", "ร้อยละ ๕๐", "ร้อยละ ๑๐๐",
                   "ร้อยละ ๙๐"]
        lines = tuple(KpiLine(k.indicator, t) for k, t in zip(doc.header.kpis, targets, strict=True))
        lines += (KpiLine("จำนวนครั้งที่จัดประชุมชี้แจง", "๑๒ ครั้ง"),)
        doc = replace(doc, header=replace(doc.header, kpis=lines))
        plans.create_plan(s, dir1, group_id=dir1.group_id, fiscal_year=FY, document=doc)
        plans.create_plan(s, off9, group_id=off9.group_id, fiscal_year=FY, document=plans.template_document(FY))
    yield db, people, specs
    db.dispose()


# -- the same numbers, computed here with plain loops -------------------------------------------

def counted(specs, who, people):
    """The specs the user's KPIs count: in scope, not struck off without a row."""
    user = people[who]
    out = []
    for s in specs:
        if who.startswith("off") and people[s["officer"]].id != user.id:
            continue
        if who.startswith("dir") and s["group"] != user.group_id:
            continue
        if s["status"] == "struck_off" and not s["row"]:
            continue
        out.append(s)
    return out


def figures(s):
    """What the registry holds for the year (nothing when no row was saved)."""
    if s["row"]:
        return s
    return {**s, "cls": None, "oos": False, "std": None, "loss": None, "part": None, "vol": None, "profit": None,
            "closed": None}


def pct(num, den):
    if den == 0:
        return None
    return (Decimal(num) * 100 / Decimal(den)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def expected(specs, days=CLOSE_DAYS, min_pct=Decimal(65), min_growth=Decimal(1)):
    out = {}
    for key, kind in (("standards_coop", "coop"), ("standards_fg", "farmer_group")):
        num, den = [], []
        for s in map(figures, specs):
            if s["kind"] == kind and s["std"] in ("pass", "fail"):
                den.append(s["id"])
                if s["std"] == "pass":
                    num.append(s["id"])
        out[key] = (num, den)
    for key, kind in (("strength_coop_1_2", "coop"), ("strength_fg_1_2", "farmer_group")):
        num, den = [], []
        for s in map(figures, specs):
            if s["kind"] == kind and not s["oos"] and s["cls"] in (1, 2, 3):
                den.append(s["id"])
                if s["cls"] in (1, 2):
                    num.append(s["id"])
        out[key] = (num, den)
    num, den = [], []
    for s in map(figures, specs):
        if s["status"] == "operating" and s["vol"] is not None and s["prev_vol"] is not None and s["prev_vol"] > 0:
            den.append(s["id"])
            if (s["vol"] - s["prev_vol"]) * 100 >= min_growth * s["prev_vol"]:
                num.append(s["id"])
    out["volume_growth"] = (num, den)
    num, den = [], []
    for s in map(figures, specs):
        if s["profit"] is not None:
            den.append(s["id"])
            if s["profit"] > 0:
                num.append(s["id"])
    out["net_profit"] = (num, den)
    num, den = [], []
    for s in map(figures, specs):
        if s["year_end"] is None:
            continue
        deadline = YEAR_ENDS[s["year_end"]] + timedelta(days=days)
        if s["closed"] is None and TODAY <= deadline:
            continue  # not yet due
        den.append(s["id"])
        if s["closed"] is not None and s["closed"] <= deadline:
            num.append(s["id"])
    out["accounts_on_time"] = (num, den)
    num, den = [], []
    for s in map(figures, specs):
        if s["part"] is not None:
            den.append(s["id"])
            if s["part"] >= min_pct:
                num.append(s["id"])
    out["member_participation"] = (num, den)
    alive = [s for s in specs if s["status"] != "struck_off"]
    out["count_institutions"] = ([s["id"] for s in alive], [s["id"] for s in alive])
    out["count_coop"] = ([s["id"] for s in alive if s["kind"] == "coop"],) * 2
    out["count_fg"] = ([s["id"] for s in alive if s["kind"] == "farmer_group"],) * 2
    everyone = [s["id"] for s in specs]
    for c in (1, 2, 3, 4):
        out[f"count_class_{c}"] = ([s["id"] for s in map(figures, specs) if not s["oos"] and s["cls"] == c], everyone)
    out["count_out_of_scope"] = ([s["id"] for s in map(figures, specs) if s["oos"]], everyone)
    return out


# -- tests --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("who", ["head", "dir1", "off1", "off9"])
def test_every_kpi_matches_the_figures_counted_by_hand(built, who):
    db, people, specs = built
    mine = counted(specs, who, people)
    want = expected(mine)
    with db.session() as s:
        report = kpis.kpi_report(s, people[who], FY, today=TODAY)
    assert set(report.institution_ids) == {x["id"] for x in mine}
    assert [r.key for r in report.results] == list(want)  # the definitions file's order
    for r in report.results:
        num, den = want[r.key]
        assert set(r.numerator_ids) == set(num) and len(r.numerator_ids) == len(num), r.key
        assert set(r.denominator_ids) == set(den), r.key
        assert (r.numerator, r.denominator) == (len(num), len(den)), r.key
        assert r.value == (Decimal(len(num)) if r.unit == "count" else pct(len(num), len(den))), r.key
    assert report.result("accounts_on_time").params == (("days", CLOSE_DAYS),)
    assert report.result("standards_coop").target == Decimal(50)
    assert report.accounts_close_days == CLOSE_DAYS


def test_the_head_counts_the_province_a_director_the_group(built):
    db, people, specs = built
    with db.session() as s:
        head = kpis.kpi_report(s, people["head"], FY, today=TODAY)
        director = kpis.kpi_report(s, people["dir1"], FY, today=TODAY)
    assert head.scope_kind == "all" and director.scope_kind == "group"
    assert set(director.institution_ids) < set(head.institution_ids)
    struck = next(x["id"] for x in specs if x["status"] == "struck_off")
    assert struck not in head.institution_ids
    no_row = next(x for x in specs if not x["row"] and x["status"] != "struck_off")
    assert no_row["id"] in head.result("net_profit").missing_ids


def test_the_plan_rows_are_linked_and_measured_over_the_plans_group(built):
    db, people, specs = built
    with db.session() as s:
        report = kpis.kpi_report(s, people["dir1"], FY, today=TODAY)
        head = kpis.kpi_report(s, people["head"], FY, today=TODAY)
        officer = kpis.kpi_report(s, people["off1"], FY, today=TODAY)
    (plan,) = report.plans
    assert plan.group_id == people["dir1"].group_id and plan.revision == 1 and plan.state == "draft"
    keys = [row.link.key if row.link else None for row in plan.rows]
    assert keys == ["member_participation", "volume_growth", "strength_coop_1_2", "strength_fg_1_2",
                    "standards_coop", "standards_fg", "accounts_on_time", "net_profit", None]
    want = expected(counted(specs, "dir1", people))
    targets = [60, 70, 51, 10, 50, 50, 100, 90]
    for row, target in zip(plan.rows, targets, strict=False):
        num, den = want[row.link.key]
        assert (row.result.numerator, row.result.denominator) == (len(num), len(den)), row.link.key
        assert row.result.target == Decimal(target) and row.link.target_source == "column"
        assert row.result.met == (len(num) * 100 >= target * len(den) if den else None)
    assert dict(plan.rows[0].result.params)["min_pct"] == Decimal(65)  # read out of the row's text
    assert plan.rows[-1].result is None and plan.rows[-1].line.target == "๑๒ ครั้ง"
    # The head sees both groups' plans, each over its own group's institutions.
    assert [p.group_id for p in head.plans] == [people["dir1"].group_id, people["off9"].group_id]
    assert set(head.plans[0].institution_ids) == set(report.institution_ids)
    assert set(head.plans[1].institution_ids) == {x["id"] for x in counted(specs, "off9", people)}
    assert head.plans[1].rows[0].result.target is None  # the template states no target, the file none
    # An officer's plan rows count the officer's own institutions.
    assert [p.group_id for p in officer.plans] == [people["dir1"].group_id]
    assert set(officer.plans[0].institution_ids) == set(officer.institution_ids)
    payload = report.as_json()
    row = payload["plans"][0]["rows"][2]
    assert row["key"] == "strength_coop_1_2" and isinstance(row["result"]["value"], str | None)
    assert row["result"]["target"] == "51"


def test_the_list_behind_a_number_stays_in_scope(built):
    db, people, specs = built
    own = next(x["id"] for x in specs if x["officer"] == "off1")
    other = next(x["id"] for x in specs if x["officer"] == "off9")
    with db.session() as s:
        named = kpis.institutions_named(s, people["off1"], [other, own, own, "no-such-id"])
        assert [n.id for n in named] == [own]
        (one,) = named
        assert one.officer_name == "ทดสอบ off1" and one.name.startswith(("สหกรณ์", "กลุ่ม"))
        assert len(kpis.institutions_named(s, people["head"], [other, own])) == 2
        assert kpis.institutions_named(s, people["head"], []) == []


def test_a_year_without_figures_and_a_bad_year(built):
    db, people, _specs = built
    with db.session() as s:
        empty = kpis.kpi_report(s, people["head"], 2560, today=TODAY)
        assert empty.plans == () and empty.result("standards_coop").value is None
        assert empty.result("standards_coop").met is None
        with pytest.raises(ValidationError):
            kpis.kpi_report(s, people["head"], 2024)


def test_the_approved_revision_wins_over_a_newer_draft(db, admin, make_user):
    officer, director = make_user("off1", "officer", group=0), make_user("dir1", "director", group=0)

    def with_target(doc, target):
        lines = tuple(KpiLine(k.indicator, target if k.indicator == "สหกรณ์ผ่านเกณฑ์มาตรฐาน" else k.target)
                      for k in doc.header.kpis)
        return replace(doc, header=replace(doc.header, kpis=lines))

    with db.transaction(officer.id) as s:
        plan = plans.create_plan(s, officer, group_id=officer.group_id, fiscal_year=FY,
                                 document=with_target(plans.template_document(FY), "ร้อยละ ๕๕"))
        plan_id = plan.id
        plans.submit_plan(s, officer, plan_id, acknowledge_findings=True)
    with db.transaction(director.id) as s:
        plans.approve_plan(s, director, plan_id, reviewed_hash=plans.fingerprint_of(s, director, plan_id))
        draft = plans.revise_plan(s, director, plan_id)
        plans.save_document(s, director, draft.id, with_target(plans.document_of(s, director, draft.id), "ร้อยละ ๙๙"))
    with db.session() as s:
        (shown,) = kpis.kpi_report(s, director, FY, today=TODAY).plans
    assert (shown.plan_id, shown.revision, shown.state) == (plan_id, 1, "approved")
    row = next(r for r in shown.rows if r.link and r.link.key == "standards_coop")
    assert row.result.target == Decimal(55)


def test_an_institution_counts_from_the_year_it_was_registered(db, admin, make_user):
    head = make_user("head", "provincial_head", group=None)
    with db.transaction(admin.id) as s:
        new = registry.create_institution(s, admin, InstitutionData(
            reg_no="กพ 900001", name="สหกรณ์ตั้งใหม่ จำกัด", kind="coop", coop_type="agriculture",
            district_code="6201", registered_on=date(2025, 12, 1))).id
    with db.session() as s:
        assert kpis.kpi_report(s, head, PREV, today=TODAY).institution_ids == ()
        assert kpis.kpi_report(s, head, FY, today=TODAY).institution_ids == (new,)
