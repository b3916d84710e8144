"""KPIs (app.rules.kpi): every figure against the same figure computed here by a plain loop,
the edge cases of each denominator, rounding, the definitions file and the plan-row links."""

from __future__ import annotations

import json
import random
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.errors import FileFormatError
from app.rules import kpi
from app.rules.kpi import (
    COUNT,
    PERCENT,
    KpiResult,
    Target,
    YearFacts,
    accounts_on_time_rate,
    acct_year_end_in,
    by_class,
    by_kind,
    compute_kpis,
    count_rate,
    link_kpi_line,
    link_kpi_lines,
    load_definitions,
    net_profit_rate,
    parse_definitions,
    parse_target,
    parse_target_spec,
    participation_rate,
    percent,
    plan_kpis,
    standards_pass_rate,
    strength_rate,
    volume_growth_rate,
)
from app.rules.plan.document import KpiLine
from app.thai import thai_sort_key

FY = 2567
D = Decimal
ROOT = Path(__file__).resolve().parents[2]
DEFS = load_definitions()


def facts(id_: str, **kw) -> YearFacts:
    kw.setdefault("name", f"สหกรณ์ {id_}")
    kw.setdefault("fiscal_year", FY)
    return YearFacts(id=id_, **kw)


# --- an office of 60 institutions, drawn at random but fixed -------------------------------

STATUS_CHOICES = ("operating",) * 6 + ("suspended", "not_started", "dissolving", "struck_off")
NAMES = ("ไก่ทอง", "กาญจนา", "ขอนแก่น", "เขาสวนกวาง", "โคกสูง", "บ้านนา", "ป่าซาง", "เมืองใหม่", "แม่ริม", "ดอนตูม")


def draw_office(rng: random.Random, n: int = 60) -> tuple[list[YearFacts], list[YearFacts]]:
    """(this year, last year): every field sometimes missing, values around each threshold."""
    now, last = [], []
    for i in range(n):
        kind = rng.choice(("coop", "coop", "coop", "farmer_group"))
        out_of_scope = rng.random() < 0.1
        year_end = date(2024, rng.choice((3, 6, 9)), 30)
        closed = None if rng.random() < 0.2 else year_end + timedelta(days=rng.randint(-3, 45))
        vol = None if rng.random() < 0.15 else D(rng.choice((0, 100_000, 101_000, 100_999, 250_000, 99_000)))
        prev_vol = None if rng.random() < 0.15 else D(rng.choice((0, 100_000, 100_000, 200_000)))
        common = {
            "id": f"i{i:02d}",
            "name": f"{'สหกรณ์' if kind == 'coop' else 'กลุ่มเกษตรกร'}{rng.choice(NAMES)} {i}",
            "kind": kind,
            "coop_type": rng.choice(("agriculture", "savings", "service")) if kind == "coop" else None,
            "status": rng.choice(STATUS_CHOICES),
        }
        now.append(YearFacts(
            **common, fiscal_year=FY, out_of_scope=out_of_scope,
            strength_class=None if out_of_scope or rng.random() < 0.1 else rng.randint(1, 4),
            standards_result=rng.choice(("pass", "pass", "fail", "not_assessed", None)),
            accumulated_loss=rng.choice((None, D(0), D("15000.50"))),
            member_participation_pct=rng.choice((None, D(0), D("64.99"), D(65), D("65.01"), D(90))),
            business_volume=vol,
            net_profit=rng.choice((None, D(-1), D(0), D("0.01"), D(50_000))),
            acct_year_end=None if rng.random() < 0.1 else year_end,
            accounts_closed_date=closed,
        ))
        if rng.random() < 0.9:  # some are new this year
            last.append(YearFacts(**common, fiscal_year=FY - 1, business_volume=prev_vol))
    return now, last


NOW, LAST = draw_office(random.Random(5))


def pct_expected(num: int, den: int) -> Decimal | None:
    """Independent rounding: Decimal division, then quantize half up."""
    if den == 0:
        return None
    return (D(num) * 100 / D(den)).quantize(D("0.01"), rounding=ROUND_HALF_UP)


def by_name(ids: list[str], population: list[YearFacts]) -> tuple[str, ...]:
    names = {f.id: f.name for f in population}
    return tuple(sorted(ids, key=lambda i: (thai_sort_key(names[i]), i)))


def check(result: KpiResult, num_ids: list[str], den_ids: list[str], population: list[YearFacts]) -> None:
    assert result.numerator == len(num_ids)
    assert result.denominator == len(den_ids)
    assert result.numerator_ids == by_name(num_ids, population)
    assert result.denominator_ids == by_name(den_ids, population)
    assert result.value == pct_expected(len(num_ids), len(den_ids))


def test_the_drawn_office_has_every_case():
    # The independent checks below mean something only if each branch is present.
    assert {f.standards_result for f in NOW} == {"pass", "fail", "not_assessed", None}
    assert any(f.out_of_scope for f in NOW) and any(f.strength_class == 4 for f in NOW)
    assert any(f.kind == "farmer_group" for f in NOW)
    assert len({f.id for f in LAST}) < len(NOW)


# --- each KPI against a hand-written loop -------------------------------------------------------


def test_standards_pass_over_assessed_cooperatives():
    coops = [f for f in NOW if f.kind == "coop"]
    num, den = [], []
    for f in coops:
        if f.standards_result in ("pass", "fail"):
            den.append(f.id)
            if f.standards_result == "pass":
                num.append(f.id)
    r = standards_pass_rate(coops)
    check(r, num, den, NOW)
    assert set(r.excluded_ids) == {f.id for f in coops if f.standards_result == "not_assessed"}
    assert set(r.missing_ids) == {f.id for f in coops if f.standards_result is None}


def test_farmer_groups_passing_via_the_definitions_file():
    num, den = [], []
    for f in NOW:
        if f.kind == "farmer_group" and f.standards_result in ("pass", "fail"):
            den.append(f.id)
            if f.standards_result == "pass":
                num.append(f.id)
    r = {x.key: x for x in compute_kpis(NOW, FY, previous=LAST, definitions=DEFS)}["standards_fg"]
    check(r, num, den, NOW)
    assert r.label_th == "ร้อยละของกลุ่มเกษตรกรที่ผ่านเกณฑ์มาตรฐาน"


def test_strength_class_1_2_excludes_out_of_scope_and_class_4():
    coops = [f for f in NOW if f.kind == "coop"]
    num, den = [], []
    for f in coops:
        if not f.out_of_scope and f.strength_class in (1, 2, 3):
            den.append(f.id)
            if f.strength_class <= 2:
                num.append(f.id)
    r = strength_rate(coops)
    check(r, num, den, NOW)
    assert set(r.excluded_ids) == {f.id for f in coops if f.out_of_scope or f.strength_class == 4}
    assert "ไม่นับรวมที่ไม่อยู่ในเกณฑ์จัดระดับชั้น" in r.note_th  # and says so


def test_strength_class_4_can_be_counted_in_the_denominator():
    coops = [f for f in NOW if f.kind == "coop"]
    den = [f.id for f in coops if not f.out_of_scope and f.strength_class is not None]
    num = [f.id for f in coops if not f.out_of_scope and f.strength_class in (1, 2)]
    check(strength_rate(coops, exclude_classes=()), num, den, NOW)


@pytest.mark.parametrize("x", [D(0), D(1), D("0.999"), D(-5)])
def test_business_volume_growth(x):
    previous = {f.id: f.business_volume for f in LAST}
    operating = [f for f in NOW if f.status == "operating"]
    num, den = [], []
    for f in operating:
        before = previous.get(f.id)
        if before is None or f.business_volume is None or before == 0:
            continue
        den.append(f.id)
        if (f.business_volume - before) / before * 100 >= x:
            num.append(f.id)
    check(volume_growth_rate(operating, LAST, min_growth_pct=x), num, den, NOW)


def test_net_profit():
    den = [f.id for f in NOW if f.net_profit is not None]
    num = [f.id for f in NOW if f.net_profit is not None and f.net_profit > 0]
    check(net_profit_rate(NOW), num, den, NOW)


@pytest.mark.parametrize("days", [0, 10, 30])
def test_accounts_closed_on_time(days):
    num, den = [], []
    for f in NOW:
        if f.acct_year_end is None:
            continue
        den.append(f.id)
        if f.accounts_closed_date is not None and (f.accounts_closed_date - f.acct_year_end).days <= days:
            num.append(f.id)
    check(accounts_on_time_rate(NOW, days=days), num, den, NOW)


@pytest.mark.parametrize("bar", [D(65), D("64.99"), D(0), D(100)])
def test_member_participation_share_of_institutions_at_or_above_the_bar(bar):
    den = [f.id for f in NOW if f.member_participation_pct is not None]
    num = [f.id for f in NOW if f.member_participation_pct is not None and f.member_participation_pct >= bar]
    check(participation_rate(NOW, min_pct=bar), num, den, NOW)


def test_counts_by_kind_and_class():
    everyone = [f.id for f in NOW]
    r = count_rate(NOW)
    assert (r.numerator, r.denominator, r.value, r.unit) == (len(NOW), len(NOW), D(len(NOW)), COUNT)
    for cls in (1, 2, 3, 4):
        expected = [f.id for f in NOW if f.strength_class == cls and not f.out_of_scope]
        r = count_rate(NOW, classes=[cls])
        assert r.numerator_ids == by_name(expected, NOW)
        assert by_class(NOW)[str(cls)] == by_name(expected, NOW)
    oos = [f.id for f in NOW if f.out_of_scope]
    assert count_rate(NOW, out_of_scope=True).numerator_ids == by_name(oos, NOW)
    assert by_class(NOW)["out_of_scope"] == by_name(oos, NOW)
    kinds = by_kind(NOW)
    assert kinds["coop"] == by_name([f.id for f in NOW if f.kind == "coop"], NOW)
    assert sum(len(v) for v in kinds.values()) == len(everyone)
    assert sum(len(v) for v in by_class(NOW).values()) == len(everyone)


def test_count_definitions_follow_their_statuses():
    results = {r.key: r for r in compute_kpis(NOW, FY, previous=LAST, definitions=DEFS)}
    live = [f for f in NOW if f.status != "struck_off"]
    assert results["count_institutions"].numerator == len(live)
    assert results["count_coop"].numerator == sum(f.kind == "coop" for f in live)
    assert results["count_fg"].numerator == sum(f.kind == "farmer_group" for f in live)
    assert results["count_class_3"].numerator == sum(f.strength_class == 3 for f in NOW)


def test_compute_kpis_growth_only_over_operating_institutions():
    previous = {f.id: f.business_volume for f in LAST}
    num, den = [], []
    for f in NOW:
        before = previous.get(f.id)
        if f.status != "operating" or before is None or f.business_volume is None or before == 0:
            continue
        den.append(f.id)
        if (f.business_volume - before) * 100 >= before:  # the file's X = 1 %
            num.append(f.id)
    r = {x.key: x for x in compute_kpis(NOW, FY, previous=LAST, definitions=DEFS)}["volume_growth"]
    check(r, num, den, NOW)


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(0, 40))
def test_every_kpi_matches_a_plain_loop_on_random_offices(seed, n):
    now, last = draw_office(random.Random(seed), n)
    coops = [f for f in now if f.kind == "coop"]
    assessed = [f for f in coops if f.standards_result in ("pass", "fail")]
    check(standards_pass_rate(coops), [f.id for f in assessed if f.standards_result == "pass"],
          [f.id for f in assessed], now)
    classified = [f for f in now if not f.out_of_scope and f.strength_class in (1, 2, 3)]
    check(strength_rate(now), [f.id for f in classified if f.strength_class < 3], [f.id for f in classified], now)
    recorded = [f for f in now if f.net_profit is not None]
    check(net_profit_rate(now), [f.id for f in recorded if f.net_profit > 0], [f.id for f in recorded], now)
    before = {f.id: f.business_volume for f in last}
    comparable = [f for f in now if before.get(f.id) and f.business_volume is not None]
    check(volume_growth_rate(now, last, min_growth_pct=1),
          [f.id for f in comparable if f.business_volume >= before[f.id] * D("1.01")], [f.id for f in comparable], now)
    known = [f for f in now if f.member_participation_pct is not None]
    check(participation_rate(now, min_pct=65), [f.id for f in known if f.member_participation_pct >= 65],
          [f.id for f in known], now)


# --- edge cases ------------------------------------------------------------------------------------


def test_empty_denominators_give_none_not_zero():
    only_not_assessed = [facts("a", standards_result="not_assessed"), facts("b")]
    r = standards_pass_rate(only_not_assessed, target=D(50))
    assert (r.numerator, r.denominator, r.value, r.met) == (0, 0, None, None)
    assert r.excluded_ids == ("a",) and r.missing_ids == ("b",)
    assert "ไม่นับรวมที่ไม่นำมาจัดมาตรฐาน 1 แห่ง" in r.note_th
    for result in (strength_rate([]), net_profit_rate([]), participation_rate([]),
                   accounts_on_time_rate([]), volume_growth_rate([], [])):
        assert result.value is None and result.met is None and result.denominator_ids == ()
    assert count_rate([]).value == D(0)


def test_only_out_of_scope_leaves_no_denominator_and_says_so():
    r = strength_rate([facts("a", out_of_scope=True), facts("b", out_of_scope=True)])
    assert r.value is None and r.excluded_ids == ("a", "b")
    assert "ไม่อยู่ในเกณฑ์จัดระดับชั้น 2 แห่ง" in r.note_th


def test_missing_last_year_is_left_out():
    now = [facts("a", business_volume=D(110)), facts("b", business_volume=D(90)), facts("c", business_volume=D(50)),
           facts("d", business_volume=None), facts("e", business_volume=D(10))]
    last = [facts("a", fiscal_year=FY - 1, business_volume=D(100)),
            facts("b", fiscal_year=FY - 1, business_volume=D(100)),
            facts("d", fiscal_year=FY - 1, business_volume=D(100)),
            facts("e", fiscal_year=FY - 1, business_volume=D(0))]
    r = volume_growth_rate(now, last, min_growth_pct=10)
    assert r.numerator_ids == ("a",)  # exactly +10 % counts
    assert r.denominator_ids == ("a", "b")
    assert r.missing_ids == ("c", "d")  # c: no last year; d: no volume this year
    assert r.excluded_ids == ("e",)  # growth from zero is not a percentage
    assert r.value == D("50.00")


def test_accounts_deadline_edges_and_not_yet_due():
    end = date(2024, 3, 31)
    rows = [facts("a", acct_year_end=end, accounts_closed_date=end + timedelta(days=30)),
            facts("b", acct_year_end=end, accounts_closed_date=end + timedelta(days=31)),
            facts("c", acct_year_end=end),
            facts("d")]
    r = accounts_on_time_rate(rows, days=30)
    assert (r.numerator_ids, r.denominator_ids, r.missing_ids) == (("a",), ("a", "b", "c"), ("d",))
    early = accounts_on_time_rate(rows, days=30, as_of=end + timedelta(days=30))
    assert early.excluded_ids == ("c",) and early.denominator_ids == ("a", "b")
    late = accounts_on_time_rate(rows, days=30, as_of=end + timedelta(days=31))
    assert late.denominator_ids == ("a", "b", "c")


def test_participation_exactly_at_the_bar_counts():
    rows = [facts("a", member_participation_pct=D(65)), facts("b", member_participation_pct=D("64.99")),
            facts("c")]
    r = participation_rate(rows, min_pct=65)
    assert (r.numerator_ids, r.denominator_ids, r.missing_ids) == (("a",), ("a", "b"), ("c",))


def test_zero_profit_is_not_a_profit():
    r = net_profit_rate([facts("a", net_profit=D(0)), facts("b", net_profit=D("0.01")), facts("c")])
    assert (r.numerator_ids, r.denominator, r.missing_ids) == (("b",), 2, ("c",))


def test_ids_are_sorted_by_thai_name():
    rows = [facts("1", name="สหกรณ์ไก่", standards_result="pass"), facts("2", name="สหกรณ์กา", standards_result="pass"),
            facts("3", name="สหกรณ์ขวด", standards_result="pass")]
    assert standards_pass_rate(rows).numerator_ids == ("2", "1", "3")  # กา, ไก่, ขวด


def test_facts_refuse_floats_and_unknown_codes():
    with pytest.raises(TypeError):
        facts("a", net_profit=1.5)
    with pytest.raises(ValueError):
        facts("a", standards_result="passed")
    with pytest.raises(ValueError):
        facts("a", strength_class=5)
    assert facts("a", net_profit=5).net_profit == D(5)


def test_the_same_institution_twice_is_refused():
    with pytest.raises(ValueError):
        net_profit_rate([facts("a"), facts("a")])


def test_compute_kpis_refuses_facts_of_another_year():
    with pytest.raises(ValueError):
        compute_kpis([facts("a", fiscal_year=FY - 1)], FY, definitions=DEFS)
    with pytest.raises(ValueError):
        compute_kpis([facts("a")], FY, previous=[facts("a")], definitions=DEFS)


def test_acct_year_end_in_the_fiscal_year():
    assert acct_year_end_in(2567, 12, 31) == date(2023, 12, 31)
    assert acct_year_end_in(2567, 3, 31) == date(2024, 3, 31)
    assert acct_year_end_in(2567, 9, 30) == date(2024, 9, 30)
    assert acct_year_end_in(2568, 2, 29) == date(2025, 2, 28)
    assert acct_year_end_in(2567, 2, 29) == date(2024, 2, 29)


# --- rounding and targets -------------------------------------------------------------------------


@pytest.mark.parametrize(("num", "den", "expected"), [
    (1, 8, "12.50"), (1, 32, "3.13"), (3, 32, "9.38"), (1, 800, "0.13"), (2, 3, "66.67"), (1, 3, "33.33"),
    (1, 6, "16.67"), (0, 5, "0.00"), (5, 5, "100.00"), (12499, 25000, "50.00"), (1, 200000, "0.00"),
    (1, 2000, "0.05"),
])
def test_percent_rounds_half_up_to_two_places(num, den, expected):
    value = percent(num, den)
    assert value == D(expected) and str(value) == expected  # two places, as shown


def test_percent_of_nothing_is_none():
    assert percent(0, 0) is None


def test_target_met_on_the_exact_ratio_not_the_rounded_one():
    rows = [facts(f"p{i}", net_profit=D(1)) for i in range(12499)] + \
           [facts(f"z{i}", net_profit=D(0)) for i in range(12501)]
    r = net_profit_rate(rows, target=D(50))
    assert r.value == D("50.00") and r.met is False
    r = net_profit_rate(rows[:1] + rows[-1:], target=D(50))
    assert r.value == D("50.00") and r.met is True


def test_count_target_compares_the_numerator():
    rows = [facts(str(i), standards_result="pass") for i in range(3)] + [facts("f", standards_result="fail")]
    assert standards_pass_rate(rows, target=Target(D(3), COUNT)).met is True
    assert standards_pass_rate(rows, target=Target(D(4), COUNT)).met is False
    r = standards_pass_rate(rows, target=D(75))
    assert (r.target, r.target_unit, r.met) == (D(75), PERCENT, True)


@pytest.mark.parametrize(("text", "value", "unit"), [
    ("ร้อยละ ๖๕", "65", PERCENT), ("ไม่น้อยกว่า ร้อยละ ๖๓", "63", PERCENT), ("ร้อยละ 100", "100", PERCENT),
    ("65%", "65", PERCENT), ("ร้อยละ ๒.๕", "2.5", PERCENT), ("๕๕ แห่ง", "55", COUNT), ("๑,๒๐๐ แห่ง", "1200", COUNT),
    ("๘๐", "80", PERCENT),
])
def test_parse_target(text, value, unit):
    assert parse_target(text) == D(value)
    assert parse_target_spec(text) == Target(D(value), unit)


@pytest.mark.parametrize("text", ["", "-", "ไม่มี"])
def test_parse_target_without_a_number(text):
    assert parse_target(text) is None


# --- the definitions file ---------------------------------------------------------------------------


def test_shipped_definitions_cover_every_kpi_of_the_issue():
    formulas = {d.formula for d in DEFS}
    assert formulas == set(kpi.FORMULAS)
    assert {"standards_coop", "standards_fg", "strength_coop_1_2", "volume_growth", "net_profit",
            "accounts_on_time", "member_participation", "count_institutions"} <= set(DEFS.keys())
    assert DEFS.get("volume_growth").statuses == frozenset({"operating"})
    assert DEFS.get("standards_coop").target_for(2566) == Target(D(50), PERCENT)
    assert DEFS.get("standards_coop").target_for(2599) == Target(D(50), PERCENT)  # default
    assert DEFS.get("member_participation").target_for(2566) is None


def test_compute_kpis_uses_the_years_target():
    rows = [facts("a", standards_result="pass"), facts("b", standards_result="fail"),
            facts("c", standards_result="fail")]
    r = compute_kpis(rows, FY, definitions=DEFS, keys=["standards_coop"])
    assert len(r) == 1
    assert (r[0].value, r[0].target, r[0].met) == (D("33.33"), D(50), False)


def _shipped() -> dict:
    return json.loads((ROOT / "data" / "kpi" / "definitions.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize(("change", "where"), [
    (lambda d: d["kpis"][0].update(formula="magic"), "kpis[standards_coop].formula"),
    (lambda d: d["kpis"][6]["params"].update(days=-1), "kpis[accounts_on_time].params.days"),
    (lambda d: d["kpis"][6]["params"].update(weeks=2), "kpis[accounts_on_time].params.weeks"),
    (lambda d: d["kpis"][7]["params"].update(min_pct=120), "kpis[member_participation].params.min_pct"),
    (lambda d: d["kpis"][0]["targets"].update({"2024": 50}), "kpis[standards_coop].targets.2024"),
    (lambda d: d["kpis"][0]["targets"].update({"2566": 150}), "kpis[standards_coop].targets.2566"),
    (lambda d: d["kpis"][0]["match"].update(all=["(ไม่ปิด"]), "kpis[standards_coop].match.all[0]"),
    (lambda d: d["kpis"][4]["text_params"].update(min_growth_pct="ร้อยละ\\d+"), "kpis[volume_growth].text_params"),
    (lambda d: d["kpis"][1].update(key="standards_coop"), "kpis[1].key"),
    (lambda d: d["kpis"][2].update(kinds=["bank"]), "kpis[strength_coop_1_2].kinds[0]"),
    (lambda d: d["kpis"][2].update(colour="red"), "kpis[2].colour"),
    (lambda d: d.update(version=2), "version"),
])
def test_malformed_definitions_name_the_file_and_the_key(change, where):
    data = _shipped()
    change(data)
    with pytest.raises(FileFormatError) as e:
        parse_definitions(json.dumps(data, ensure_ascii=False))
    message = str(e.value)
    assert "data/kpi/definitions.json" in message and where in message
    assert "\n" not in message


def test_definitions_that_are_not_json():
    with pytest.raises(FileFormatError, match="definitions.json"):
        parse_definitions('{"version": 1, "kpis": [')


def test_load_definitions_from_a_path(tmp_path):
    path = tmp_path / "mine.json"
    data = _shipped()
    data["kpis"][6]["params"]["days"] = 45
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert load_definitions(path).get("accounts_on_time").param_map["days"] == 45
    with pytest.raises(FileFormatError, match="nope.json"):
        load_definitions(tmp_path / "nope.json")


def test_decimal_numbers_in_the_file_stay_exact():
    data = _shipped()
    text = json.dumps(data, ensure_ascii=False).replace('"min_growth_pct": 1', '"min_growth_pct": 0.1')
    assert parse_definitions(text).get("volume_growth").param_map["min_growth_pct"] == D("0.1")


# --- plan rows ---------------------------------------------------------------------------------------

# Seed 004's KPI column (ตัวชี้วัดระดับกิจกรรมหลัก, เป้าหมาย) as printed; the target column is
# shifted against the rows on the paper sheet.
SEED_004 = [
    ("ดำเนินการบริหารงาน", "ร้อยละ ๑๐๐", None, None, {}),
    ("เบิกจ่ายงบประมาณในการดำเนินงานได้ตามเป้าหมายที่กรมส่งเสริมสหกรณ์กำหนด", "", None, None, {}),
    ("ดำเนินการส่งเสริมและพัฒนาสหกรณ์และกลุ่มเกษตรกร", "๕๑ แห่ง", "count_institutions", Target(D(51), COUNT), {}),
    ("รวมทั้งกลุ่มเป้าหมายที่อยู่ในกระบวนการผลิตตามกฎหมาย (ข้อมูล ณ ๑๑ สิงหาคม ๒๕๖๕)", "ไม่น้อยกว่า ร้อยละ ๖๓",
     None, None, {}),
    ("๑. จำนวนสหกรณ์และกลุ่มเกษตรกรที่มีตราส่วนเงินของสมาชิกต่อหัวสิ้นของสมาชิกเพิ่มขึ้นจากปีก่อนไม่น้อยกว่า ร้อยละ ๖๓",
     "๕๕ แห่ง", None, None, {}),
    ("๒. สหกรณ์และกลุ่มเกษตรกรที่มีสถานะดำเนินการ มีอัตราการขยายของปริมาณธุรกิจเพิ่มขึ้นจากปีก่อน (ปี ๒๕๖๕) ร้อยละ ๑",
     "๕๕ แห่ง", "volume_growth", Target(D(55), COUNT), {"min_growth_pct": D(1)}),
    ("๓. สหกรณ์มีความเข้มแข็งระดับ ๑ และระดับ ๒ รวมกันไม่น้อยกว่าร้อยละ ๕๑", "๑ แห่ง", "strength_coop_1_2",
     Target(D(51), PERCENT), {}),
    ("๔. กลุ่มเกษตรกรมีความเข้มแข็ง ร้อยละ ๑๐", "๕๕ แห่ง", "strength_fg_1_2", Target(D(10), PERCENT), {}),
    ("๕. สหกรณ์ผ่านเกณฑ์มาตรฐานไม่น้อยกว่าร้อยละ ๕๐", "๑ แห่ง", "standards_coop", Target(D(50), PERCENT), {}),
    ("๖. กลุ่มเกษตรกรผ่านเกณฑ์มาตรฐานไม่น้อยกว่าร้อยละ ๕๐", "๕๕ แห่ง", "standards_fg", Target(D(50), PERCENT), {}),
    ("๗. สหกรณ์และกลุ่มเกษตรกรสามารถจัดทำงบการเงินและปิดบัญชีประจำปีได้ภายใน ๑๐ วันนับแต่วันสิ้นปีทางบัญชี ร้อยละ ๑๐๐",
     "๕๕ แห่ง", "accounts_on_time", Target(D(100), PERCENT), {"days": 10}),
    ("๘. สหกรณ์และกลุ่มเกษตรกรที่จัดตั้งขึ้นในปี ๒๕๖๖ สามารถดำเนินการได้อย่างมีคุณภาพ", "ร้อยละ ๑๐๐", None, None, {}),
    ("๑๐. สหกรณ์และกลุ่มเกษตรกรมีผลการดำเนินงานมีกำไรประจำปี ร้อยละ ๑๐๐", "๕๕ แห่ง", "net_profit",
     Target(D(100), PERCENT), {}),
]


@pytest.mark.parametrize(("indicator", "target", "key", "expected_target", "params"), SEED_004)
def test_seed_004_kpi_rows_link_to_their_kpi(indicator, target, key, expected_target, params):
    link = link_kpi_line(indicator, target, DEFS)
    if key is None:
        assert link is None
        return
    assert link.key == key
    assert link.target == expected_target
    assert dict(link.params) == params


def test_plan_template_rows_all_link():
    template = json.loads((ROOT / "data" / "plans" / "template.json").read_text(encoding="utf-8"))
    lines = [KpiLine(k["indicator"], k["target"]) for k in template["kpis"]]
    links = link_kpi_lines(lines, DEFS)
    assert [lk and lk.key for lk in links] == [
        "member_participation", "volume_growth", "strength_coop_1_2", "strength_fg_1_2", "standards_coop",
        "standards_fg", "accounts_on_time", "net_profit"]
    assert dict(links[0].params) == {"min_pct": D(65)}
    assert links[0].target is None  # "ไม่น้อยกว่าร้อยละ ๖๕" is the bar, not the target


@pytest.mark.parametrize(("indicator", "target", "key", "expected"), [
    ("ร้อยละของสหกรณ์ที่ผ่านเกณฑ์มาตรฐาน ร้อยละ ๖๕", "", "standards_coop", Target(D(65), PERCENT)),
    ("สหกรณ์ผ่านเกณฑ์มาตรฐาน", "ร้อยละ ๗๐", "standards_coop", Target(D(70), PERCENT)),
    ("สหกรณ์ผ่านเกณฑ์มาตรฐาน", "๗๐", "standards_coop", Target(D(70), PERCENT)),  # bare: the KPI's unit
    ("สหกรณ์ผ่านเกณฑ์มาตรฐาน", "", "standards_coop", None),
    ("ร้อยละ ๖๐ ของสหกรณ์ผ่านเกณฑ์มาตรฐาน", "ร้อยละ ๗๐", "standards_coop", Target(D(70), PERCENT)),  # column first
    ("ดำเนินการส่งเสริมและพัฒนาสหกรณ์", "๕๑", "count_institutions", Target(D(51), COUNT)),
])
def test_row_target_resolution(indicator, target, key, expected):
    link = link_kpi_line(indicator, target, DEFS)
    assert link.key == key and link.target == expected


def test_plan_kpis_compute_with_the_rows_parameters_and_targets():
    end = date(2024, 3, 31)
    rows = [facts("a", acct_year_end=end, accounts_closed_date=end + timedelta(days=10), standards_result="pass"),
            facts("b", acct_year_end=end, accounts_closed_date=end + timedelta(days=20), standards_result="fail")]
    lines = [KpiLine(i, t) for i, t, *_ in SEED_004]
    out = plan_kpis(lines, rows, FY, definitions=DEFS)
    assert [p.line for p in out] == lines
    by_key = {p.result.key: p.result for p in out if p.result}
    assert set(by_key) == {r[2] for r in SEED_004 if r[2]}
    on_time = by_key["accounts_on_time"]  # ภายใน ๑๐ วัน from the row, not the file's 30
    assert (on_time.numerator_ids, on_time.value, on_time.target, on_time.met) == (("a",), D("50.00"), D(100), False)
    assert dict(on_time.params)["days"] == 10
    standards = by_key["standards_coop"]
    assert (standards.value, standards.target, standards.met) == (D("50.00"), D(50), True)
    assert by_key["count_institutions"].met is False  # 2 of 51 แห่ง
    assert out[0].result is None and out[0].link is None


def test_plan_row_without_a_target_takes_the_files_target_for_the_year():
    rows = [facts("a", standards_result="pass")]
    out = plan_kpis([KpiLine("สหกรณ์ผ่านเกณฑ์มาตรฐาน", "")], rows, FY, definitions=DEFS)
    assert (out[0].result.target, out[0].result.met) == (D(50), True)
