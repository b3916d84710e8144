"""Strength classification: score sets at and around every threshold, basic and extra
conditions, out-of-scope, class 4, rule tables (shipped, fallback, malformed), comparison
with the central office's published classes, and reading score cells."""

from __future__ import annotations

import copy
import json
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.errors import ValidationError
from app.rules import strength as S
from app.rules.strength import (
    DIFFERS,
    NOT_COMPUTED,
    NOT_PUBLISHED,
    Classification,
    RuleTableError,
    Scores,
    classify,
    compare_with_published,
    load_tables,
    parse_table,
    scores_from_mapping,
    sector_of,
    table_for_year,
)
from app.thai import to_thai_digits

D = Decimal
FAST = settings(max_examples=60, deadline=None)

# --- builders -------------------------------------------------------------------------


def raw_table(year: int = 2568, **changes) -> dict:
    """A well-formed table shaped like the shipped one; `changes` replace top-level keys."""
    def sector(t1, t2, label):
        return {"label": label, "class1": {"min_total": t1, "extra_conditions": []},
                "class2": {"min_total": t2, "extra_conditions": []}, "source": "test", "unconfirmed": False}

    raw = {
        "_comment": "test table",
        "schema": 1,
        "year": year,
        "title": f"เกณฑ์ปี {year}",
        "basic_conditions": {"required": ["accounts_closed", "agm_held", "statements_presented"],
                             "source": "test", "unconfirmed": False},
        "sectors": {
            "agricultural": sector(80, 55, "สหกรณ์ภาคการเกษตร"),
            "non_agricultural": sector(80, 65, "สหกรณ์นอกภาคการเกษตร"),
            "farmer_group": sector(85, 65, "กลุ่มเกษตรกร"),
        },
        "extra_conditions": {"items": {}, "source": "test", "unconfirmed": True},
        "class4": {"statuses": ["suspended", "dissolving"], "source": "test", "unconfirmed": True},
    }
    raw.update(changes)
    return raw


def table(year: int = 2568, **changes) -> S.RuleTable:
    return parse_table(raw_table(year, **changes), file=f"{year}.json")


TABLE = table()

WITH_EXTRAS = parse_table(
    {
        **raw_table(),
        "extra_conditions": {
            "items": {
                "no_fraud": {"label": "ไม่มีการทุจริต", "source": "test"},
                "no_loss": {"label": "ไม่ขาดทุน", "unconfirmed": False},
            },
            "source": "test",
            "unconfirmed": True,
        },
        "sectors": {
            **raw_table()["sectors"],
            "agricultural": {
                "class1": {"min_total": 80, "extra_conditions": ["no_fraud", "no_loss"]},
                "class2": {"min_total": 55, "extra_conditions": ["no_fraud"]},
                "source": "test",
                "unconfirmed": True,
            },
        },
    },
    file="2568.json",
)

BASIC_OK = {"accounts_closed": True, "agm_held": True, "statements_presented": True}


def with_total(total: str | Decimal, **kw) -> Scores:
    """A score set summing to `total`: dimensions filled in order up to their maxima."""
    left = D(total)
    dims = {}
    for name, (_label, maximum) in S.DIMENSIONS.items():
        dims[name] = min(left, maximum)
        left -= dims[name]
    assert left == 0
    return Scores(**dims, **{**BASIC_OK, **kw})


# --- thresholds -----------------------------------------------------------------------

THRESHOLDS = {"agricultural": ("80", "55"), "non_agricultural": ("80", "65"), "farmer_group": ("85", "65")}
CASES = [
    (sector, total, expected)
    for sector, (t1, t2) in THRESHOLDS.items()
    for total, expected in (
        ("100", 1),
        (t1, 1),
        (str(D(t1) + D("0.01")), 1),
        (str(D(t1) - D("0.01")), 2),
        (t2, 2),
        (str(D(t2) + D("0.01")), 2),
        (str(D(t2) - D("0.01")), 3),
        ("0", 3),
    )
]


@pytest.mark.parametrize(("sector", "total", "expected"), CASES)
def test_class_at_and_around_every_threshold(sector, total, expected):
    c = classify(with_total(total), sector=sector, table=TABLE)
    assert c.strength_class == expected
    assert c.total == D(total)
    assert c.rule == {1: S.RULE_CLASS1, 2: S.RULE_CLASS2, 3: S.RULE_SCORE}[expected]


@pytest.mark.parametrize("sector", THRESHOLDS)
def test_shipped_2568_table_gives_the_same_classes(sector):
    shipped = table_for_year(2568)
    for _sector, total, expected in (c for c in CASES if c[0] == sector):
        assert classify(with_total(total), sector=sector, table=shipped).strength_class == expected


def test_reason_sentences_name_total_and_threshold():
    c = classify(with_total("78.50"), sector="agricultural", table=TABLE)
    assert c.strength_class == 2
    assert "คะแนนรวม 78.50 ต่ำกว่าเกณฑ์ชั้น 1 (80)" in c.reasons
    assert "คะแนนรวม 78.50 ถึงเกณฑ์ชั้น 2 (55)" in c.reasons
    c = classify(with_total("64.99"), sector="farmer_group", table=TABLE)
    assert c.reasons == ("คะแนนรวม 64.99 ต่ำกว่าเกณฑ์ชั้น 2 (65)",)
    c = classify(with_total("85"), sector="farmer_group", table=TABLE)
    assert c.reasons == ("คะแนนรวม 85.00 ถึงเกณฑ์ชั้น 1 (85)",)
    assert c.label == "ชั้น 1" and c.text_th.startswith("ชั้น 1 · ")


def test_fractional_threshold_is_printed_with_two_places():
    t = table(sectors={**raw_table()["sectors"],
                       "agricultural": {"class1": {"min_total": "80.5"}, "class2": {"min_total": 55},
                                        "source": "", "unconfirmed": True}})  # fmt: skip
    c = classify(with_total("80.49"), sector="agricultural", table=t)
    assert c.strength_class == 2
    assert "คะแนนรวม 80.49 ต่ำกว่าเกณฑ์ชั้น 1 (80.50)" in c.reasons
    assert classify(with_total("80.50"), sector="agricultural", table=t).strength_class == 1


def test_sector_comes_from_kind_and_coop_type():
    assert sector_of("coop", "agriculture") == "agricultural"
    assert sector_of("coop", "fishery") == "agricultural"
    assert sector_of("coop", "settlement") == "agricultural"
    assert sector_of("coop", "savings") == "non_agricultural"
    assert sector_of("coop", "credit_union") == "non_agricultural"
    assert sector_of("farmer_group", None) == "farmer_group"
    # 60.00 is class 2 for an agricultural coop, class 3 for a savings coop
    assert classify(with_total(60), sector=sector_of("coop", "fishery"), table=TABLE).strength_class == 2
    assert classify(with_total(60), sector=sector_of("coop", "savings"), table=TABLE).strength_class == 3


def test_unknown_sector_is_refused():
    with pytest.raises(ValidationError) as e:
        classify(with_total(90), sector="industrial", table=TABLE)
    assert e.value.field == "sector" and "industrial" in str(e.value)


# --- basic conditions -----------------------------------------------------------------

BASIC_SENTENCES = {
    "accounts_closed": "ยังไม่ได้ปิดบัญชี จึงไม่ได้ชั้น 1–2",
    "agm_held": "ยังไม่ได้ประชุมใหญ่ จึงไม่ได้ชั้น 1–2",
    "statements_presented": "ยังไม่ได้เสนองบการเงินต่อที่ประชุมใหญ่ จึงไม่ได้ชั้น 1–2",
}


@pytest.mark.parametrize("sector", THRESHOLDS)
@pytest.mark.parametrize("missing", list(BASIC_SENTENCES))
@pytest.mark.parametrize("total", ["100", "85", "70"])
def test_missing_any_basic_condition_gives_class_3(sector, missing, total):
    c = classify(with_total(total, **{missing: False}), sector=sector, table=TABLE)
    assert c.strength_class == 3
    assert c.rule == S.RULE_BASIC
    assert BASIC_SENTENCES[missing] in c.reasons
    others = set(BASIC_SENTENCES.values()) - {BASIC_SENTENCES[missing]}
    assert not others & set(c.reasons)


def test_all_basic_conditions_missing_are_all_listed_and_basic_rule_wins_over_score():
    s = with_total("10", accounts_closed=False, agm_held=False, statements_presented=False)
    c = classify(s, sector="agricultural", table=TABLE)
    assert c.strength_class == 3 and c.rule == S.RULE_BASIC
    assert set(BASIC_SENTENCES.values()) <= set(c.reasons)
    assert "คะแนนรวม 10.00 ต่ำกว่าเกณฑ์ชั้น 2 (55)" in c.reasons


def test_default_scores_have_no_basic_conditions():
    s = Scores(D(30), D(20), D(20), D(30))
    assert classify(s, sector="agricultural", table=TABLE).strength_class == 3


def test_table_decides_which_basic_conditions_are_required():
    t = table(basic_conditions={"required": ["accounts_closed"], "source": "", "unconfirmed": True})
    assert classify(with_total(90, agm_held=False, statements_presented=False),
                    sector="agricultural", table=t).strength_class == 1  # fmt: skip
    assert classify(with_total(90, accounts_closed=False), sector="agricultural", table=t).strength_class == 3


# --- extra item conditions --------------------------------------------------------------


def test_extra_condition_failing_class_1_only_gives_class_2():
    s = with_total(90, extra={"no_fraud": True, "no_loss": False})
    c = classify(s, sector="agricultural", table=WITH_EXTRAS)
    assert c.strength_class == 2 and c.rule == S.RULE_CLASS2
    assert "ไม่ผ่านเงื่อนไข ไม่ขาดทุน จึงไม่ได้ชั้น 1" in c.reasons


def test_extra_condition_of_both_classes_gives_class_3_with_one_sentence():
    s = with_total(90, extra={"no_fraud": False, "no_loss": True})
    c = classify(s, sector="agricultural", table=WITH_EXTRAS)
    assert c.strength_class == 3 and c.rule == S.RULE_EXTRA
    assert [r for r in c.reasons if "ทุจริต" in r] == ["ไม่ผ่านเงื่อนไข ไม่มีการทุจริต จึงไม่ได้ชั้น 1–2"]


def test_extra_condition_not_mentioned_counts_as_not_met_and_says_so():
    c = classify(with_total(90), sector="agricultural", table=WITH_EXTRAS)
    assert c.strength_class == 3
    assert "ยังไม่ได้ระบุผลเงื่อนไข ไม่มีการทุจริต จึงไม่ได้ชั้น 1–2" in c.reasons
    assert "ยังไม่ได้ระบุผลเงื่อนไข ไม่ขาดทุน จึงไม่ได้ชั้น 1" in c.reasons


def test_all_extra_conditions_met_gives_the_score_class():
    s = with_total(80, extra={"no_fraud": True, "no_loss": True})
    assert classify(s, sector="agricultural", table=WITH_EXTRAS).strength_class == 1
    assert classify(with_total("79.99", extra={"no_fraud": True}), sector="agricultural",
                    table=WITH_EXTRAS).strength_class == 2  # fmt: skip


def test_extra_conditions_apply_only_to_the_sectors_that_list_them():
    assert classify(with_total(90), sector="non_agricultural", table=WITH_EXTRAS).strength_class == 1


def test_extra_condition_unknown_to_the_table_is_refused():
    with pytest.raises(ValidationError) as e:
        classify(with_total(90, extra={"no_fruad": True}), sector="agricultural", table=WITH_EXTRAS)
    assert "no_fruad" in str(e.value) and "2568" in str(e.value)


def test_score_below_class_2_is_the_rule_even_when_extras_also_fail():
    c = classify(with_total(50, extra={"no_fraud": False}), sector="agricultural", table=WITH_EXTRAS)
    assert c.strength_class == 3 and c.rule == S.RULE_SCORE


# --- out of scope and class 4 -----------------------------------------------------------


def test_out_of_scope_has_no_class_and_is_never_class_3():
    s = Scores(out_of_scope=True, out_of_scope_reason="  ยังไม่ครบ   หนึ่งปีบัญชี ")
    c = classify(s, sector="agricultural", table=TABLE)
    assert c.strength_class is None and c.total is None
    assert c.rule == S.RULE_OUT_OF_SCOPE and c.out_of_scope
    assert c.out_of_scope_reason == "ยังไม่ครบ หนึ่งปีบัญชี"
    assert c.reasons == ("ไม่นำมาจัดระดับชั้น: ยังไม่ครบ หนึ่งปีบัญชี",)
    assert c.label == "ไม่จัดระดับชั้น"


def test_out_of_scope_ignores_scores_and_wins_over_class_4():
    s = Scores(D(1), D(1), D(1), D(1), out_of_scope=True, out_of_scope_reason="จัดตั้งใหม่")
    assert classify(s, sector="farmer_group", table=TABLE).strength_class is None
    assert classify(s, sector="farmer_group", table=TABLE, status="dissolving").strength_class is None


def test_out_of_scope_needs_a_reason_and_a_reason_needs_the_flag():
    with pytest.raises(ValidationError) as e:
        Scores(out_of_scope=True, out_of_scope_reason="  ")
    assert e.value.field == "out_of_scope_reason" and "เหตุผล" in str(e.value)
    with pytest.raises(ValidationError) as e:
        Scores(out_of_scope_reason="หยุดดำเนินการ")
    assert e.value.field == "out_of_scope_reason"


@pytest.mark.parametrize("status", ["suspended", "dissolving"])
def test_class_4_for_the_statuses_of_the_table_even_without_scores(status):
    c = classify(Scores(), sector="agricultural", table=TABLE, status=status)
    assert c.strength_class == 4 and c.rule == S.RULE_STATUS_CLASS4
    assert c.total is None
    assert "ชั้น 4" in c.reasons[0] and "ยังไม่ได้ยืนยัน" in c.reasons[0]
    assert S.STATUSES[status] in c.reasons[0]


@pytest.mark.parametrize("status", [None, "operating", "not_started", "struck_off"])
def test_other_statuses_are_classified_by_score(status):
    assert classify(with_total(90), sector="agricultural", table=TABLE, status=status).strength_class == 1


def test_class_4_option_is_table_data():
    none = table(class4={"statuses": [], "source": "", "unconfirmed": False})
    assert classify(with_total(90), sector="agricultural", table=none, status="dissolving").strength_class == 1
    more = table(class4={"statuses": ["struck_off"], "source": "ประกาศกรม", "unconfirmed": False})
    c = classify(Scores(), sector="farmer_group", table=more, status="struck_off")
    assert c.strength_class == 4 and "ยังไม่ได้ยืนยัน" not in c.reasons[0]
    assert classify(with_total(90), sector="agricultural", table=more, status="suspended").strength_class == 1


def test_unknown_status_is_refused():
    with pytest.raises(ValidationError) as e:
        classify(with_total(90), sector="agricultural", table=TABLE, status="closed")
    assert e.value.field == "status"


# --- score validation -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "value", "words"),
    [
        ("member_service", D("30.01"), "0 ถึง 30"),
        ("member_service", D("-0.01"), "0 ถึง 30"),
        ("business", D(21), "0 ถึง 20"),
        ("organisation", -1, "0 ถึง 20"),
        ("administration", D("31"), "0 ถึง 30"),
        ("business", 12.5, "ทศนิยม"),
        ("organisation", "12", "ทศนิยม"),
        ("administration", True, "ทศนิยม"),
        ("member_service", D("12.345"), "เกิน 2 ตำแหน่ง"),
        ("business", D("NaN"), "ตัวเลข"),
        ("business", D("Infinity"), "ตัวเลข"),
    ],
)
def test_bad_scores_are_refused_naming_the_dimension(name, value, words):
    with pytest.raises(ValidationError) as e:
        Scores(**{name: value})
    msg = str(e.value)
    assert e.value.field == name
    assert S.DIMENSIONS[name][0] in msg and words in msg
    assert msg.count("\n") == 0


def test_scores_accept_ints_and_exact_decimals_at_the_bounds():
    s = Scores(30, D("20.00"), D("0"), D("12.500"))
    assert (s.member_service, s.business, s.organisation, s.administration) == (D(30), D(20), D(0), D("12.50"))
    assert s.total == D("62.50")
    assert Scores(D(0), D(0), D(0), D(0)).total == 0


def test_basic_condition_must_be_a_boolean():
    with pytest.raises(ValidationError) as e:
        Scores(accounts_closed=1)  # type: ignore[arg-type]
    assert e.value.field == "accounts_closed"


def test_extra_values_must_be_booleans_with_plain_keys():
    with pytest.raises(ValidationError):
        Scores(extra={"no_fraud": "yes"})  # type: ignore[dict-item]
    with pytest.raises(ValidationError):
        Scores(extra={"No Fraud": True})
    s = Scores(extra={"b": True, "a": False})
    assert s.extra == (("a", False), ("b", True)) and hash(s)
    assert s.extra_met("a") is False and s.extra_met("zzz") is None


def test_missing_dimension_is_refused_by_classify_naming_it():
    s = Scores(D(30), D(20), None, D(30), **BASIC_OK)
    assert s.total is None and not s.complete
    with pytest.raises(ValidationError) as e:
        classify(s, sector="agricultural", table=TABLE)
    assert e.value.field == "organisation" and "ประสิทธิภาพในการจัดการองค์กร" in str(e.value)


# --- rule tables: shipped, loading, fallback --------------------------------------------


def test_shipped_2568_table_matches_reference():
    tables = load_tables()
    t = tables[2568]
    assert t.file == "2568.json"
    assert {k: (r.class1.min_total, r.class2.min_total) for k, r in t.sectors.items()} == {
        "agricultural": (80, 55), "non_agricultural": (80, 65), "farmer_group": (85, 65)
    }
    assert t.basic_required == ("accounts_closed", "agm_held", "statements_presented")
    assert not any(r.unconfirmed for r in t.sectors.values()) and not t.basic_unconfirmed
    assert t.class4_statuses == {"suspended", "dissolving"} and t.class4_unconfirmed
    assert t.extra_unconfirmed
    assert all(r.source for r in t.sectors.values()) and t.class4_source and t.basic_source
    parts = t.unconfirmed_parts()
    assert any("ชั้น 4" in p for p in parts) and any("เงื่อนไขเพิ่มเติม" in p for p in parts)


def test_shipped_files_are_all_well_formed():
    for path in S.default_folder().glob("*.json"):
        raw = json.loads(path.read_text(encoding="utf-8"))
        assert raw["year"] == int(path.stem)
        S.read_table(path)


def test_year_without_table_uses_latest_earlier_and_says_so():
    tables = {2566: table(2566), 2568: table(2568)}
    t = table_for_year(2567, tables)
    assert t.year == 2566 and t.applies_to == 2567 and t.fallback
    c = classify(with_total(90), sector="agricultural", table=t)
    assert c.table_year == 2566 and c.fiscal_year == 2567
    assert c.reasons[-1] == "ใช้เกณฑ์ปี 2566 เพราะยังไม่มีเกณฑ์ของปี 2567"
    assert table_for_year(2571, tables).year == 2568
    own = table_for_year(2568, tables)
    assert not own.fallback
    assert not any("ใช้เกณฑ์ปี" in r for r in classify(with_total(90), sector="agricultural", table=own).reasons)


def test_never_a_later_table():
    with pytest.raises(ValidationError) as e:
        table_for_year(2567, {2568: table(2568), 2569: table(2569)})
    assert "2567" in str(e.value)


def test_fallback_note_also_on_out_of_scope_and_class_4():
    t = table_for_year(2570, {2568: TABLE})
    assert classify(Scores(), sector="agricultural", table=t, status="dissolving").reasons[-1].startswith("ใช้เกณฑ์ปี 2568")
    oos = Scores(out_of_scope=True, out_of_scope_reason="ใหม่")
    assert classify(oos, sector="agricultural", table=t).reasons[-1].startswith("ใช้เกณฑ์ปี 2568")


def test_a_later_years_thresholds_come_from_its_own_file(tmp_path):
    (tmp_path / "2568.json").write_text(json.dumps(raw_table(2568)), encoding="utf-8")
    newer = raw_table(2569)
    newer["sectors"]["agricultural"]["class2"]["min_total"] = 60
    (tmp_path / "2569.json").write_text(json.dumps(newer), encoding="utf-8")
    (tmp_path / "README.md").write_text("not a table", encoding="utf-8")
    tables = load_tables(tmp_path)
    assert sorted(tables) == [2568, 2569]
    s = with_total(58)
    assert classify(s, sector="agricultural", table=table_for_year(2568, tables)).strength_class == 2
    assert classify(s, sector="agricultural", table=table_for_year(2569, tables)).strength_class == 3
    assert classify(s, sector="agricultural", table=table_for_year(2575, tables)).strength_class == 3


def test_misnamed_json_file_is_refused(tmp_path):
    (tmp_path / "2568 copy.json").write_text(json.dumps(raw_table()), encoding="utf-8")
    with pytest.raises(RuleTableError) as e:
        load_tables(tmp_path)
    assert "2568 copy.json" in str(e.value)


def test_broken_json_is_refused_with_file_and_line(tmp_path):
    path = tmp_path / "2568.json"
    path.write_text('{\n "schema": 1,\n "year": 2568,\n}', encoding="utf-8")
    with pytest.raises(RuleTableError) as e:
        load_tables(tmp_path)
    assert "2568.json" in str(e.value) and "บรรทัด 4" in str(e.value)


def test_json_decimals_are_read_exactly(tmp_path):
    raw = raw_table()
    text = json.dumps(raw).replace('"min_total": 80,', '"min_total": 79.99,', 1)
    (tmp_path / "2568.json").write_text(text, encoding="utf-8")
    t = load_tables(tmp_path)[2568]
    assert t.sectors["agricultural"].class1.min_total == D("79.99")


def test_comment_keys_are_allowed_anywhere():
    raw = raw_table()
    raw["sectors"]["_comment"] = "x"
    raw["sectors"]["farmer_group"]["class1"]["_note"] = "y"
    raw["extra_conditions"]["items"]["_example"] = {"anything": 1}
    parse_table(raw, file="2568.json")


def _break(path: str, value):
    """raw_table with the dotted key set to value (or removed when value is DELETE)."""
    raw = copy.deepcopy(raw_table())
    *parents, last = path.split(".")
    node = raw
    for p in parents:
        node = node[p]
    if value is DELETE:
        del node[last]
    else:
        node[last] = value
    return raw


class _Delete:
    def __repr__(self) -> str:  # a stable test id on every xdist worker
        return "DELETE"


DELETE = _Delete()
MALFORMED = [
    # (where to break, the value, the key the sentence must name)
    ("schema", 2, "schema"),
    ("schema", DELETE, "schema"),
    ("year", "2568", "year"),
    ("year", 2569, "year"),  # differs from the file name
    ("year", 1999, "year"),
    ("title", 5, "title"),
    ("sectros", {}, "sectros"),
    ("sectors", [], "sectors"),
    ("sectors.farmer_group", DELETE, "sectors.farmer_group"),
    ("sectors.industrial", {}, "sectors.industrial"),
    ("sectors.agricultural.class1", DELETE, "sectors.agricultural.class1"),
    ("sectors.agricultural.class1.min_total", "แปดสิบ", "sectors.agricultural.class1.min_total"),
    ("sectors.agricultural.class1.min_total", True, "sectors.agricultural.class1.min_total"),
    ("sectors.agricultural.class1.min_total", None, "sectors.agricultural.class1.min_total"),
    ("sectors.agricultural.class1.min_total", 101, "sectors.agricultural.class1.min_total"),
    ("sectors.agricultural.class1.min_total", 0, "sectors.agricultural.class1.min_total"),
    ("sectors.agricultural.class1.min_total", "80.555", "sectors.agricultural.class1.min_total"),
    ("sectors.agricultural.class2.min_total", 81, "sectors.agricultural.class2.min_total"),
    ("sectors.non_agricultural.class2.min_total", DELETE, "sectors.non_agricultural.class2.min_total"),
    ("sectors.non_agricultural.class2.extra_conditions", ["no_fraud"],
     "sectors.non_agricultural.class2.extra_conditions[0]"),
    ("sectors.non_agricultural.class2.extra_conditions", "no_fraud",
     "sectors.non_agricultural.class2.extra_conditions"),
    ("sectors.farmer_group.class1.thresh", 1, "sectors.farmer_group.class1.thresh"),
    ("sectors.farmer_group.unconfirmed", "no", "sectors.farmer_group.unconfirmed"),
    ("sectors.farmer_group.source", DELETE, "sectors.farmer_group.source"),
    ("sectors.farmer_group.label", "", "sectors.farmer_group.label"),
    ("basic_conditions", DELETE, "basic_conditions"),
    ("basic_conditions.required", ["accounts_closed", "audited"], "basic_conditions.required[1]"),
    ("basic_conditions.required", ["agm_held", "agm_held"], "basic_conditions.required[1]"),
    ("basic_conditions.unconfirmed", 0, "basic_conditions.unconfirmed"),
    ("extra_conditions.items", [], "extra_conditions.items"),
    ("extra_conditions.items", {"No-Fraud": {"label": "x"}}, "extra_conditions.items.No-Fraud"),
    ("extra_conditions.items", {"no_fraud": {}}, "extra_conditions.items.no_fraud.label"),
    ("extra_conditions.items", {"no_fraud": {"label": " "}}, "extra_conditions.items.no_fraud.label"),
    ("extra_conditions.items", {"no_fraud": {"label": "x", "unconfirmed": "yes"}},
     "extra_conditions.items.no_fraud.unconfirmed"),
    ("extra_conditions.source", DELETE, "extra_conditions.source"),
    ("class4.statuses", ["closed"], "class4.statuses[0]"),
    ("class4.statuses", ["dissolving", "operating"], "class4.statuses[1]"),
    ("class4.statuses", DELETE, "class4.statuses"),
    ("class4.unconfirmed", None, "class4.unconfirmed"),
]


@pytest.mark.parametrize(("where", "value", "key"), MALFORMED, ids=[f"{w}={v!r}" for w, v, _k in MALFORMED])
def test_malformed_table_is_refused_naming_file_and_key(where, value, key):
    with pytest.raises(RuleTableError) as e:
        parse_table(_break(where, value), file="2568.json")
    msg = str(e.value)
    assert e.value.field == key
    assert f"2568.json คีย์ {key} " in msg
    assert "\n" not in msg
    assert isinstance(e.value, ValidationError)


def test_malformed_table_file_is_refused_by_load_tables(tmp_path):
    (tmp_path / "2568.json").write_text(json.dumps(_break("class4.statuses", ["closed"])), encoding="utf-8")
    with pytest.raises(RuleTableError) as e:
        load_tables(tmp_path)
    assert "2568.json" in str(e.value) and "class4.statuses[0]" in str(e.value)


def test_table_that_is_not_an_object_is_refused():
    with pytest.raises(RuleTableError) as e:
        parse_table([1, 2], file="2568.json")
    assert "2568.json" in str(e.value)


def test_thresholds_may_be_written_with_thai_digits():
    raw = raw_table()
    raw["sectors"]["farmer_group"]["class1"]["min_total"] = "๘๕"
    assert parse_table(raw, file="2568.json").sectors["farmer_group"].class1.min_total == 85


# --- comparison with published classes --------------------------------------------------


def _c(klass: int | None) -> Classification:
    return Classification(klass, None, S.RULE_CLASS1 if klass else S.RULE_OUT_OF_SCOPE, ())


def test_compare_lists_differences_and_one_sided_institutions_sorted():
    computed = {"a": _c(1), "b": _c(2), "c": _c(3), "d": _c(None), "e": _c(2)}
    published = {"a": 1, "b": 3, "d": 3, "e": 2, "f": None, "c": None}
    diffs = compare_with_published(computed, published)
    assert [(d.institution_id, d.kind, d.computed, d.published) for d in diffs] == [
        ("b", DIFFERS, 2, 3),
        ("c", DIFFERS, 3, None),
        ("d", DIFFERS, None, 3),
        ("f", NOT_COMPUTED, None, None),
    ]
    assert diffs[0].text_th == "คำนวณได้ชั้น 2 แต่ส่วนกลางประกาศชั้น 3"
    assert diffs[1].text_th == "คำนวณได้ชั้น 3 แต่ส่วนกลางประกาศไม่จัดระดับชั้น"
    assert diffs[3].text_th == "ส่วนกลางประกาศไม่จัดระดับชั้น แต่ยังไม่ได้คำนวณในโปรแกรม"


def test_compare_not_published_and_sorted_by_thai_name():
    computed = {"x1": _c(1), "x2": _c(4), "x3": _c(2)}
    names = {"x1": "สหกรณ์โคนม", "x2": "กลุ่มเกษตรกรทำนา", "x3": "สหกรณ์การเกษตรเมือง"}
    diffs = compare_with_published(computed, {}, names=names)
    assert [d.institution_id for d in diffs] == ["x2", "x3", "x1"]  # ก < ส…ก < ส…โค
    assert all(d.kind == NOT_PUBLISHED for d in diffs)
    assert diffs[0].text_th == "กลุ่มเกษตรกรทำนา: คำนวณได้ชั้น 4 แต่ส่วนกลางไม่ได้ประกาศผล"


def test_compare_refuses_published_class_out_of_range():
    for bad in (0, 5, True, "2"):
        with pytest.raises(ValidationError):
            compare_with_published({}, {"a": bad})  # type: ignore[dict-item]


# --- reading score cells ----------------------------------------------------------------


def test_scores_from_mapping_reads_thai_digits_and_yes_no_cells():
    s = scores_from_mapping({
        "member_service": "๒๘.๕๐", "business": 18.25, "organisation": "๑๕", "administration": D("20"),
        "accounts_closed": "ใช่", "agm_held": "✓", "statements_presented": "๑",
        "extra": {"no_fraud": "ผ่าน", "no_loss": "ไม่ผ่าน"},
    })  # fmt: skip
    assert (s.member_service, s.business, s.organisation, s.administration) == (
        D("28.50"), D("18.25"), D(15), D(20))
    assert s.total == D("81.75")
    assert s.accounts_closed and s.agm_held and s.statements_presented
    assert s.extra_met("no_fraud") is True and s.extra_met("no_loss") is False
    assert classify(s, sector="agricultural", table=WITH_EXTRAS).strength_class == 2


def test_scores_from_mapping_blank_is_not_entered_and_dash_is_zero():
    s = scores_from_mapping({"member_service": " ", "business": None, "organisation": "-", "administration": "0"})
    assert s.member_service is None and s.business is None
    assert s.organisation == 0 and s.administration == 0
    assert not s.accounts_closed  # a blank yes/no cell is "no"


@pytest.mark.parametrize(("text", "expected"), [("ไม่", False), ("ไม่มี", False), ("0", False), ("๐", False),
                                                 ("", False), ("มี", True), (" Yes ", True), (1, True), (0, False)])
def test_scores_from_mapping_yes_no_words(text, expected):
    assert scores_from_mapping({"agm_held": text}).agm_held is expected


def test_scores_from_mapping_out_of_scope():
    s = scores_from_mapping({"out_of_scope": "ใช่", "out_of_scope_reason": "อยู่ระหว่างชำระบัญชี"})
    assert classify(s, sector="non_agricultural", table=TABLE).strength_class is None


@pytest.mark.parametrize(
    ("values", "field", "words"),
    [
        ({"business": "สิบแปด"}, "business", "ประสิทธิภาพในการดำเนินธุรกิจ"),
        ({"business": "18 คะแนน"}, "business", "อ่านไม่ได้"),
        ({"business": "๒๕"}, "business", "0 ถึง 20"),
        ({"administration": "12.345"}, "administration", "เกิน 2 ตำแหน่ง"),
        ({"accounts_closed": "อาจจะ"}, "accounts_closed", "ปิดบัญชี"),
        ({"accounts_closed": 2}, "accounts_closed", "ปิดบัญชี"),
        ({"score_total": "80"}, "score_total", "score_total"),
        ({"extra": ["no_fraud"]}, "extra", "เงื่อนไขเพิ่มเติม"),
        ({"out_of_scope": "ใช่"}, "out_of_scope_reason", "เหตุผล"),
    ],
)
def test_scores_from_mapping_refuses_with_one_sentence(values, field, words):
    with pytest.raises(ValidationError) as e:
        scores_from_mapping(values)
    assert e.value.field == field and words in str(e.value)


# --- properties -------------------------------------------------------------------------


def _dimension(name: str):
    return st.integers(0, int(S.DIMENSIONS[name][1] * 100)).map(lambda n: D(n).scaleb(-2))


score_sets = st.fixed_dictionaries({name: _dimension(name) for name in S.DIMENSIONS})
basics = st.fixed_dictionaries({name: st.booleans() for name in S.BASIC_CONDITIONS})
sectors = st.sampled_from(list(S.SECTORS))
extras = st.dictionaries(st.sampled_from(["no_fraud", "no_loss"]), st.booleans())


@FAST
@given(score_sets, basics, sectors)
def test_total_is_the_sum_of_the_dimensions(dims, basic, sector):
    s = Scores(**dims, **basic)
    c = classify(s, sector=sector, table=TABLE)
    assert c.total == s.total == sum(dims.values())
    assert c.strength_class in (1, 2, 3)


@FAST
@given(score_sets, basics, extras, sectors, st.sampled_from(list(S.DIMENSIONS)), st.integers(0, 3000))
def test_raising_any_score_never_lowers_the_class(dims, basic, extra, sector, name, raise_by):
    before = classify(Scores(**dims, **basic, extra=extra), sector=sector, table=WITH_EXTRAS)
    higher = min(dims[name] + D(raise_by).scaleb(-2), S.DIMENSIONS[name][1])
    after = classify(Scores(**{**dims, name: higher}, **basic, extra=extra), sector=sector, table=WITH_EXTRAS)
    assert after.strength_class <= before.strength_class  # 1 is the best class


@FAST
@given(score_sets, basics, extras, sectors, st.sampled_from(list(S.BASIC_CONDITIONS)))
def test_meeting_a_basic_condition_never_lowers_the_class(dims, basic, extra, sector, name):
    before = classify(Scores(**dims, **{**basic, name: False}, extra=extra), sector=sector, table=WITH_EXTRAS)
    after = classify(Scores(**dims, **{**basic, name: True}, extra=extra), sector=sector, table=WITH_EXTRAS)
    assert after.strength_class <= before.strength_class


@FAST
@given(score_sets, basics, extras, sectors, st.sampled_from(["no_fraud", "no_loss"]))
def test_meeting_an_extra_condition_never_lowers_the_class(dims, basic, extra, sector, key):
    before = classify(Scores(**dims, **basic, extra={**extra, key: False}), sector=sector, table=WITH_EXTRAS)
    after = classify(Scores(**dims, **basic, extra={**extra, key: True}), sector=sector, table=WITH_EXTRAS)
    assert after.strength_class <= before.strength_class


@FAST
@given(score_sets, basics, sectors)
def test_class_follows_the_thresholds_exactly(dims, basic, sector):
    s = Scores(**dims, **basic)
    rule = TABLE.sectors[sector]
    ok = all(basic.values())
    expected = 1 if ok and s.total >= rule.class1.min_total else 2 if ok and s.total >= rule.class2.min_total else 3
    c = classify(s, sector=sector, table=TABLE)
    assert c.strength_class == expected
    assert len(c.reasons) >= 1


@FAST
@given(score_sets, basics)
def test_thai_digit_cells_read_back_the_same_scores(dims, basic):
    cells = {k: to_thai_digits(f"{v:.2f}") for k, v in dims.items()}
    cells |= {k: "ใช่" if v else "ไม่ใช่" for k, v in basic.items()}
    assert scores_from_mapping(cells) == Scores(**dims, **basic)


@FAST
@given(st.dictionaries(st.sampled_from("abcdefgh"), st.sampled_from([1, 2, 3, 4, None])),
       st.dictionaries(st.sampled_from("abcdefgh"), st.sampled_from([1, 2, 3, 4, None])))
def test_compare_lists_exactly_the_disagreeing_institutions(mine, theirs):
    computed = {k: _c(v) for k, v in mine.items()}
    diffs = compare_with_published(computed, theirs)
    expected = {k for k in mine.keys() | theirs.keys()
                if k not in mine or k not in theirs or mine[k] != theirs[k]}  # fmt: skip
    assert [d.institution_id for d in diffs] == sorted(expected)
    assert compare_with_published(computed, dict(mine)) == []
