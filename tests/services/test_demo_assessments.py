"""The demo's standards and strength assessments: every yearly result has its detail, the
detail gives the result again under the rules, the central office's class differs for a
few, some reports are late, the rates rise year on year, and the same seed on the same day
gives the same assessments. Figures are recomputed here from the stored rows, not read
from the demo's own summary."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from decimal import Decimal
from itertools import pairwise

import pytest
from sqlalchemy import select

from app.bootstrap import open_app_database
from app.models import (
    Institution,
    InstitutionYear,
    StandardsAssessment,
    StrengthAssessment,
    User,
)
from app.rules import standards, strength
from app.rules import targets as target_rules
from app.rules.visits import AGM_DEADLINE_DAYS, year_end_in
from app.services import assessments, demo, kpis
from app.services.demo_assessments import MIN_TREND_ROWS, RECENT_DAYS
from app.thai import default_calendar, fiscal_year_bounds

SEED = 2567
TODAY = date(2026, 11, 23)  # FY 2570 has just begun: its years have no results yet
LATE_IN_YEAR = date(2027, 8, 20)  # FY 2570 well on: all three years have results
STOPPED = ("suspended", "dissolving")


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo_assessments") / "demo.sqlite3"
    summary = demo.create_demo_database(path, seed=SEED, today=TODAY)
    db = open_app_database(path)
    yield db, summary
    db.dispose()


@pytest.fixture(scope="module")
def late(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo_assessments_late") / "demo.sqlite3"
    summary = demo.create_demo_database(path, seed=SEED, today=LATE_IN_YEAR)
    db = open_app_database(path)
    yield db, summary
    db.dispose()


def _rows(s):
    """(institution, yearly row, standards assessment, strength assessment) of every yearly row."""
    std = {(a.institution_id, a.fiscal_year): a for a in s.scalars(select(StandardsAssessment))}
    strg = {(a.institution_id, a.fiscal_year): a for a in s.scalars(select(StrengthAssessment))}
    out = []
    for y, inst in s.execute(select(InstitutionYear, Institution).join(Institution)):
        out.append((inst, y, std.pop((inst.id, y.fiscal_year), None), strg.pop((inst.id, y.fiscal_year), None)))
    assert not std and not strg  # no assessment without its yearly row
    return out


def _year_end(inst: Institution, fy: int) -> date:
    start, _ = fiscal_year_bounds(fy)
    month = inst.acct_year_end_month
    return year_end_in(start.year + (month < 10), (month, inst.acct_year_end_day))


def test_the_summary_counts_what_was_written(made):
    db, summary = made
    a = summary["assessments"]
    with db.session() as s:
        rows = _rows(s)
    std = Counter(x.result for _i, _y, x, _z in rows if x is not None)
    assert a["standards"] == {k: std[k] for k in ("pass", "fail", "not_assessed")}
    assert sum(a["reports"].values()) <= sum(std.values())
    classes = Counter("out_of_scope" if z.out_of_scope else str(z.computed_class) for *_r, z in rows if z)
    assert a["strength"] == {k: classes[k] for k in ("1", "2", "3", "4", "out_of_scope")}
    assert set(a["by_year"]) == {str(fy) for fy in demo.covered_years(TODAY)}


def test_every_yearly_result_has_an_assessment_that_gives_it_again(made):
    db, _ = made
    with db.session() as s:
        for inst, y, a, _z in _rows(s):
            if y.standards_result is None:
                assert a is None
                continue
            assert a is not None, (inst.name, y.fiscal_year)
            criteria = standards.load_criteria_set(inst.kind, y.fiscal_year)
            outcome = standards.evaluate(assessments.assessment_of(a), criteria)
            assert outcome.result == a.result == y.standards_result
            assert a.assessed_by == inst.officer_id and a.assessed_on <= TODAY
            if a.assessed:
                assert [x["code"] for x in a.answers] == list(criteria.codes)
            if a.result == "fail":  # at least one criterion not met, and said why in Thai
                unmet = [x for x in a.answers if not x["met"]]
                assert unmet and all(x["note"] for x in unmet)
                assert all(any("\u0e00" <= ch <= "\u0e7f" for ch in x["note"]) for x in unmet)
            if a.result == "pass":
                assert all(x["met"] and not x["note"] for x in a.answers)


def test_not_assessed_for_the_reason_the_status_and_age_give(made):
    db, _ = made
    reasons = Counter()
    with db.session() as s:
        for inst, y, a, _z in _rows(s):
            if a is None or a.assessed:
                continue
            reasons[a.not_assessed_reason] += 1
            if inst.status == "dissolving":
                assert a.not_assessed_reason == standards.DISSOLVING
            elif inst.status == "suspended":
                assert a.not_assessed_reason == standards.NOT_OPERATING
            else:
                assert inst.status == "not_started" and y.out_of_scope
                young = _year_end(inst, y.fiscal_year) < inst.registered_on + timedelta(days=365)
                assert a.not_assessed_reason == (standards.TOO_YOUNG if young else standards.NOT_OPERATING)
    assert reasons[standards.DISSOLVING] and reasons[standards.NOT_OPERATING] and reasons[standards.TOO_YOUNG]


def test_what_failed_agrees_with_the_yearly_figures(made):
    db, _ = made
    with db.session() as s:
        rows = _rows(s)
        previous = {(i.id, y.fiscal_year): y for i, y, _a, _z in rows}
        for inst, y, a, _z in rows:
            if a is None or not a.assessed:
                continue
            unmet = {x["code"] for x in a.answers if not x["met"]}
            coop = inst.kind == "coop"
            prev = previous.get((inst.id, y.fiscal_year - 1))
            if y.accounts_closed_date is None:  # books never closed
                assert {"3"} <= unmet if coop else {"1", "4", "5"} <= unmet
                continue
            loss = y.net_profit < 0 or (coop and prev is not None and prev.net_profit is not None
                                        and prev.net_profit < 0)
            if loss:  # a loss (this year, or last year for a cooperative) is never explained away
                assert ("1" if coop else "5") in unmet
            late_agm = (y.agm_date - _year_end(inst, y.fiscal_year)).days > AGM_DEADLINE_DAYS
            if late_agm:
                assert "4" in unmet
            if a.result == "pass":
                assert not loss and not late_agm


def test_stored_scores_give_the_stored_class(made):
    db, _ = made
    totals = set()
    worked_then = 0  # years of a now-stopped institution classified by their scores
    with db.session() as s:
        head = s.scalar(select(User).where(User.login == "head"))
        for inst, y, _a, z in _rows(s):
            if z is None:
                # Every class has its detail (the demo's years all have a rule table);
                # only rows whose class is not known yet go without.
                assert y.strength_class is None and not y.out_of_scope
                continue
            scores = assessments.scores_of(z)
            status = assessments.status_in_year(s, head, inst.id, y.fiscal_year, today=TODAY)
            found = strength.classify(scores, sector=strength.sector_of(inst.kind, inst.coop_type),
                                      table=strength.table_for_year(y.fiscal_year), status=status)
            assert found.strength_class == z.computed_class
            if inst.status in STOPPED and z.computed_class in (1, 2, 3):
                assert status == "operating" and y.standards_result in ("pass", "fail")
                worked_then += 1
            assert (y.strength_class, y.out_of_scope) == (
                (None, True) if z.out_of_scope else (z.published_class or z.computed_class, False))
            if z.out_of_scope:
                assert z.out_of_scope_reason and inst.status == "not_started"
            elif z.computed_class == 4:
                assert inst.status in STOPPED and scores.total is None
            else:
                for name, (_label, mx) in strength.DIMENSIONS.items():
                    assert Decimal(0) <= scores.dimension(name) <= mx
                closed = y.accounts_closed_date is not None
                assert (scores.accounts_closed, scores.agm_held, scores.statements_presented) == (
                    closed, y.agm_date is not None, y.agm_date is not None)
                totals.add(scores.total)
    assert len(totals) > 100  # varied, not a handful of canned score sets
    assert worked_then > 0


def test_no_class_is_left_without_its_detail(made):
    """The years before a now-stopped institution stopped are saved normally (they used to
    be kept without detail, the service classifying them with today's status)."""
    _db, summary = made
    assert summary["assessments"]["strength_without_detail"] == 0


def test_the_central_office_published_another_class_for_a_few(made):
    db, summary = made
    with db.session() as s:
        head = s.scalar(select(User).where(User.login == "head"))
        differs = {fy: [d for d in assessments.strength_differences(s, head, fy) if d.kind == strength.DIFFERS]
                   for fy in demo.covered_years(TODAY)}
    everyone = {d.institution_id for ds in differs.values() for d in ds}
    assert 2 <= len(everyone) <= 4 and summary["assessments"]["published_differs"] == len(everyone)
    assert 2 <= max(len(ds) for ds in differs.values()) <= 4
    assert all(abs(d.computed - d.published) == 1 for ds in differs.values() for d in ds)


def test_reported_within_two_working_days_mostly_late_for_some(made):
    db, _ = made
    calendar = default_calendar()
    states = Counter()
    with db.session() as s:
        for _inst, y, a, _z in _rows(s):
            if a is None or not a.assessed or y.agm_date is None:
                continue
            assert y.agm_date <= a.assessed_on <= y.agm_date + timedelta(days=2)
            due = standards.standards_due(y.agm_date, calendar)
            if a.reported_on is None:
                states["not_yet"] += 1
                assert due >= TODAY - timedelta(days=RECENT_DAYS)  # only recent meetings
                continue
            assert a.assessed_on <= a.reported_on <= TODAY
            late = a.reported_on > due
            states["late" if late else "on_time"] += 1
            if late:
                assert a.reported_on <= due + timedelta(days=14)  # a few working days
    assert states["on_time"] > 5 * states["late"] > 0
    assert 0 < states["not_yet"] <= 10


def _rates(db, fiscal_years):
    """Pass % and class 1+2 % per kind and year, from the yearly rows as the KPIs count them."""
    out = {}
    with db.session() as s:
        rows = s.execute(select(Institution.kind, InstitutionYear.fiscal_year, InstitutionYear.standards_result,
                                InstitutionYear.strength_class).join(Institution)).all()
    for kinds in (("coop",), ("farmer_group",), ("coop", "farmer_group")):
        for fy in fiscal_years:
            these = [r for r in rows if r.fiscal_year == fy and r.kind in kinds]
            assessed = [r for r in these if r.standards_result in ("pass", "fail")]
            classified = [r for r in these if r.strength_class in (1, 2, 3)]
            if len(assessed) < MIN_TREND_ROWS * len(kinds):
                continue
            out.setdefault(kinds, []).append((
                fy,
                100 * sum(r.standards_result == "pass" for r in assessed) / len(assessed),
                100 * sum(r.strength_class in (1, 2) for r in classified) / len(classified),
            ))
    return out


def _rising(series):
    return all(b[1] > a[1] and b[2] > a[2] for a, b in pairwise(series))


def test_pass_rate_and_class_1_2_share_rise_year_on_year(made):
    db, _ = made
    rates = _rates(db, demo.covered_years(TODAY))
    for kinds, series in rates.items():
        assert [fy for fy, *_r in series] == [2568, 2569], kinds  # 2570's meetings are still ahead
        assert _rising(series), (kinds, series)
        assert all(b[1] - a[1] < 10 for a, b in pairwise(series))  # a little


def test_the_rise_holds_over_three_years_later_in_the_year(late):
    db, _ = late
    rates = _rates(db, demo.covered_years(LATE_IN_YEAR))
    for kinds, series in rates.items():
        assert [fy for fy, *_r in series] == [2568, 2569, 2570], kinds
        assert _rising(series), (kinds, series)


def test_the_seed_001_rule_finds_targets(made):
    db, _ = made
    with db.session() as s:
        head = s.scalar(select(User).where(User.login == "head"))
        found = target_rules.select(kpis.year_facts(s, head, 2569))
    assert found


def _content(path):
    db = open_app_database(path)
    with db.session() as s:
        reg = {i.id: i.reg_no for i in s.scalars(select(Institution))}
        std = sorted((reg[a.institution_id], a.fiscal_year, a.result, a.not_assessed_reason, a.reason_note,
                      str(a.answers), a.assessed_on, a.reported_on) for a in s.scalars(select(StandardsAssessment)))
        strg = sorted((reg[z.institution_id], z.fiscal_year, z.member_service, z.business, z.organisation,
                       z.administration, z.accounts_closed, z.agm_held, z.statements_presented, z.out_of_scope,
                       z.out_of_scope_reason, z.computed_class, z.published_class, z.source)
                      for z in s.scalars(select(StrengthAssessment)))
        years = sorted((reg[y.institution_id], y.fiscal_year, y.standards_result, y.strength_class, y.out_of_scope)
                       for y in s.scalars(select(InstitutionYear)))
    db.dispose()
    return std, strg, years


def test_the_same_seed_and_day_give_the_same_assessments(made, tmp_path):
    db, summary = made
    again = tmp_path / "again.sqlite3"
    assert demo.create_demo_database(again, seed=SEED, today=TODAY)["assessments"] == summary["assessments"]
    assert _content(again) == _content(db.path)
