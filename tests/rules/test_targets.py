"""Target selection (app.rules.targets): seed 001's rule on constructed cases, checked
against a plain reading of the rule, and the saved filter's JSON round trip."""

from __future__ import annotations

import json
import random
from decimal import Decimal

import pytest

from app.errors import ValidationError
from app.rules.kpi import YearFacts
from app.rules.targets import (
    ALL,
    ANY,
    SEED_001_FILTER,
    Condition,
    Rule,
    TargetFilter,
    seed_001_filter,
    select,
    undecided,
)
from app.thai import thai_sort_key

D = Decimal


def coop(id_: str, name: str = "", **kw) -> YearFacts:
    return YearFacts(id=id_, name=name or f"สหกรณ์ {id_}", fiscal_year=2567, **kw)


def ids(selected) -> list[str]:
    return [s.institution_id for s in selected]


# --- the seed's constructed cases ---------------------------------------------------------------


def test_loss_only_is_selected_with_the_amount():
    out = select([coop("a", accumulated_loss=D("120000"), strength_class=1, member_participation_pct=D(90))])
    assert ids(out) == ["a"]
    assert out[0].reasons == ("มีขาดทุนสะสม 120,000.00 บาท",)
    assert out[0].rules == (0,)


def test_class_2_with_60_percent_is_selected():
    out = select([coop("a", strength_class=2, member_participation_pct=D(60), accumulated_loss=D(0))])
    assert ids(out) == ["a"]
    assert out[0].reasons == ("ความเข้มแข็งระดับชั้น 2 และสมาชิกมีส่วนร่วมในการทำธุรกิจร้อยละ 60.00 (ต่ำกว่าร้อยละ 65)",)


def test_class_2_with_exactly_65_percent_is_not_selected():
    rows = [coop("a", strength_class=2, member_participation_pct=D(65), accumulated_loss=D(0))]
    assert select(rows) == [] and undecided(rows) == []
    just_below = [coop("b", strength_class=2, member_participation_pct=D("64.99"), accumulated_loss=D(0))]
    assert ids(select(just_below)) == ["b"]


def test_class_3_without_participation_is_not_selected_but_undecided():
    rows = [coop("a", strength_class=3, accumulated_loss=D(0))]
    assert select(rows) == []
    out = undecided(rows)
    assert ids(out) == ["a"] and out[0].rules == (1,)
    assert "ยังไม่มีข้อมูลสมาชิกมีส่วนร่วมในการทำธุรกิจ" in out[0].reasons[0]


def test_class_3_without_participation_but_with_a_loss_is_selected_for_the_loss():
    out = select([coop("a", strength_class=3, accumulated_loss=D(5))])
    assert ids(out) == ["a"] and out[0].rules == (0,)


def test_both_groups_list_the_cooperative_once_with_both_reasons():
    out = select([coop("a", strength_class=3, member_participation_pct=D(10), accumulated_loss=D(1))])
    assert ids(out) == ["a"] and out[0].rules == (0, 1) and len(out[0].reasons) == 2


@pytest.mark.parametrize("kw", [
    {"strength_class": 1, "member_participation_pct": D(10), "accumulated_loss": D(0)},  # class 1
    {"strength_class": 4, "member_participation_pct": D(10), "accumulated_loss": D(0)},  # class 4
    {"out_of_scope": True, "member_participation_pct": D(10), "accumulated_loss": D(0)},
    {"strength_class": 2, "member_participation_pct": D(90), "accumulated_loss": D(0)},
])
def test_not_selected(kw):
    rows = [coop("a", **kw)]
    assert select(rows) == [] and undecided(rows) == []


def test_farmer_groups_are_excluded_by_default_and_can_be_included():
    group = YearFacts(id="g", name="กลุ่มเกษตรกรทำนา", kind="farmer_group", accumulated_loss=D(100))
    assert select([group]) == [] and undecided([group]) == []
    both = seed_001_filter(kinds=("coop", "farmer_group"))
    assert ids(select([group], both)) == ["g"]


def test_institutions_being_wound_up_are_excluded_by_default():
    rows = [coop("a", status="dissolving", accumulated_loss=D(100)),
            coop("b", status="struck_off", accumulated_loss=D(100)),
            coop("c", status="suspended", accumulated_loss=D(100))]
    assert ids(select(rows)) == ["c"]


def test_sorted_by_thai_name():
    rows = [coop("1", "สหกรณ์ไก่", accumulated_loss=D(1)), coop("2", "สหกรณ์ขวด", accumulated_loss=D(1)),
            coop("3", "สหกรณ์กา", accumulated_loss=D(1))]
    assert ids(select(rows)) == ["3", "1", "2"]


def test_thresholds_are_editable():
    row = [coop("a", strength_class=2, member_participation_pct=D(65), accumulated_loss=D(0))]
    assert ids(select(row, seed_001_filter(participation_below=70))) == ["a"]
    assert select(row, seed_001_filter(classes=(3,), participation_below=70)) == []
    loss = [coop("b", accumulated_loss=D(50_000))]
    assert select(loss, seed_001_filter(loss_above=100_000)) == []


def test_the_default_filter_is_the_seeds_reading():
    f = SEED_001_FILTER
    assert f.combine == ANY and f.kinds == ("coop",)
    assert [r.combine for r in f.rules] == [ALL, ALL]
    assert f.rules[0].conditions == (Condition("accumulated_loss", "gt", D(0)),)
    assert f.rules[1].conditions == (Condition("strength_class", "in", (2, 3)),
                                     Condition("member_participation_pct", "lt", D(65)))
    assert f.describe() == ("(มีขาดทุนสะสม) และ/หรือ (ความเข้มแข็งระดับชั้น 2 หรือ 3 "
                            "และสมาชิกมีส่วนร่วมในการทำธุรกิจต่ำกว่าร้อยละ 65)")


def test_all_of_the_rules_when_combined_with_and():
    strict = TargetFilter("ทั้งสองข้อ", SEED_001_FILTER.rules, combine=ALL)
    rows = [coop("a", accumulated_loss=D(1), strength_class=2, member_participation_pct=D(10)),
            coop("b", accumulated_loss=D(1), strength_class=1, member_participation_pct=D(10))]
    assert ids(select(rows, strict)) == ["a"]


def test_matches_a_plain_reading_of_the_seed_on_random_cooperatives():
    rng = random.Random(1)
    rows = []
    for i in range(300):
        rows.append(YearFacts(
            id=f"i{i}", name=f"สหกรณ์{rng.choice('กขคงจ')}{i}",
            kind=rng.choice(("coop", "coop", "farmer_group")),
            status=rng.choice(("operating", "operating", "suspended", "dissolving")),
            out_of_scope=(oos := rng.random() < 0.1),
            strength_class=None if oos or rng.random() < 0.1 else rng.randint(1, 4),
            accumulated_loss=rng.choice((None, D(0), D("0.01"), D(900_000))),
            member_participation_pct=rng.choice((None, D(0), D("64.99"), D(65), D(80))),
        ))
    expected = []
    for f in rows:
        if f.kind != "coop" or f.status == "dissolving":
            continue
        loss = f.accumulated_loss is not None and f.accumulated_loss > 0
        weak = f.strength_class in (2, 3) and f.member_participation_pct is not None \
            and f.member_participation_pct < 65
        if loss or weak:
            expected.append(f)
    expected.sort(key=lambda f: (thai_sort_key(f.name), f.id))
    assert ids(select(rows)) == [f.id for f in expected]
    assert len(expected) > 20  # the draw exercised the rule


# --- saving -----------------------------------------------------------------------------------------


def test_json_round_trip_of_the_default_filter():
    text = SEED_001_FILTER.to_json()
    assert TargetFilter.from_json(text) == SEED_001_FILTER
    raw = json.loads(text)
    assert raw["rules"][1]["conditions"][1] == {"field": "member_participation_pct", "op": "lt", "value": "65"}


def test_json_round_trip_of_an_edited_filter():
    edited = TargetFilter(
        name_th="ไม่ผ่านมาตรฐานหรือขาดทุน",
        rules=(
            Rule((Condition("standards_result", "in", ("fail",)), Condition("net_profit", "le", D("-0.01"))),
                 combine=ANY, label_th="ผลงานอ่อน"),
            Rule((Condition("member_participation_pct", "lt", D("62.5")), Condition("strength_class", "ge", 2))),
        ),
        combine=ALL,
        kinds=("coop", "farmer_group"),
        statuses=("operating",),
    )
    back = TargetFilter.from_json(edited.to_json())
    assert back == edited
    assert back.rules[1].conditions[0].value == D("62.5")
    row = [YearFacts(id="g", name="กลุ่มเกษตรกรก", kind="farmer_group", standards_result="fail",
                     member_participation_pct=D(60), strength_class=3)]
    out = select(row, back)
    assert out[0].reasons[0] == "ผลการจัดมาตรฐาน: ต่ำกว่ามาตรฐาน"


@pytest.mark.parametrize("text", [
    "not json",
    '{"version": 2}',
    json.dumps({**SEED_001_FILTER.to_dict(), "kinds": []}),
    json.dumps({**SEED_001_FILTER.to_dict(), "rules": []}),
    SEED_001_FILTER.to_json().replace('"accumulated_loss"', '"secret_field"'),
    SEED_001_FILTER.to_json().replace('"op": "lt"', '"op": "like"'),
    SEED_001_FILTER.to_json().replace('"value": "65"', '"value": 65.5'),
    SEED_001_FILTER.to_json().replace('"value": [2, 3]', '"value": [2, 7]'),
    SEED_001_FILTER.to_json().replace('"value": "65"', '"value": "sixty"'),
])
def test_broken_saved_filters_are_refused_in_thai(text):
    with pytest.raises(ValidationError) as e:
        TargetFilter.from_json(text)
    assert any("\u0e00" <= ch <= "\u0e7f" for ch in str(e.value))


def test_conditions_check_their_values():
    with pytest.raises(ValidationError):
        Condition("standards_result", "gt", "pass")
    with pytest.raises(ValidationError):
        Condition("accumulated_loss", "in", [1])
    with pytest.raises(ValidationError):
        Rule(())
    assert Condition("accumulated_loss", "gt", 0).value == D(0)
