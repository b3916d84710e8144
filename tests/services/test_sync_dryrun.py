"""A dry run of a sync import reports exactly what the real import then does, and changes
nothing: over random edit histories on both sides (institutions, yearly rows, visits, edits,
deletions and additions on either side, exchanges in between), every import is first run dry
(summary kept, database content compared before and after), then for real (same summary).
"""

from __future__ import annotations

import tempfile
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from app.models.base import tombstone
from app.models.registry import Institution, InstitutionYear
from app.models.visits import Visit
from app.services import sync_import
from tests.services.sync_env import Office, SyncPair, add_bulk, copy_pair, dump, make_pair

SIDES = ("province", "central")
TEXTS = ("ก", "ข้อมูลใหม่", "แก้ไข", "")


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """A province and the central office in step: a few institutions with yearly rows and
    visits, exchanged both ways."""
    folder = tmp_path_factory.mktemp("dryrun")
    pair = make_pair(folder)
    add_bulk(pair.province, institutions=5, visits=8, months=2)
    with pair.province.db.transaction(pair.province.user.id) as s:
        for k, inst in enumerate(s.scalars(select(Institution).order_by(Institution.reg_no))):
            s.add(InstitutionYear(institution_id=inst.id, fiscal_year=2567, strength_class=k % 4 + 1,
                                  net_profit=Decimal("1000.50") * k))
    assert pair.send(pair.province, pair.central).status == "imported"
    assert pair.send(pair.central, pair.province).status == "imported"
    yield pair
    pair.close()


def _nth(s, model, k: int):
    rows = list(s.scalars(select(model).order_by(model.id)))
    return rows[k % len(rows)] if rows else None


def _apply(office: Office, op: tuple) -> None:
    kind, k, value = op[0], op[1], op[2]
    with office.db.transaction(office.user.id) as s:
        if kind == "inst_edit":
            inst = _nth(s, Institution, k)
            inst.notes, inst.phone = value, f"0{k}"
        elif kind == "inst_delete":
            tombstone(_nth(s, Institution, k))
        elif kind == "inst_add":  # the same k on both sides: the same registration number
            reg_no = f"NEW-{k % 3}"
            if s.scalar(select(Institution.id).where(Institution.reg_no == reg_no)) is None:
                s.add(Institution(reg_no=reg_no, name=f"สหกรณ์ใหม่ {value}", kind="coop"))
        elif kind == "year_set":
            inst = _nth(s, Institution, k)
            fiscal_year = 2567 + k % 2
            year = s.scalar(select(InstitutionYear).where(InstitutionYear.institution_id == inst.id,
                                                          InstitutionYear.fiscal_year == fiscal_year))
            if year is None:
                year = InstitutionYear(institution_id=inst.id, fiscal_year=fiscal_year)
                s.add(year)
            year.strength_class = k % 4 + 1
            year.net_profit = Decimal(len(value) * 1000 + k) / 100
        elif kind == "year_delete":
            year = _nth(s, InstitutionYear, k)
            if year is not None:
                tombstone(year)
        elif kind == "visit_edit":
            visit = _nth(s, Visit, k)
            visit.findings, visit.attendees_members = value, k
        elif kind == "visit_delete":
            tombstone(_nth(s, Visit, k))


def _exchange(pair: SyncPair, src: Office, dst: Office) -> sync_import.ImportReport:
    """Export src -> dst; import dry (nothing may change), then for real (the same summary)."""
    path = pair.export(src, dst).path
    before = dump(dst.db, None, skip_volatile=False)
    dry = sync_import.import_package(dst.db, dst.user, path, dry_run=True)
    assert dry.status == "dry_run"
    assert dump(dst.db, None, skip_volatile=False) == before, "the dry run changed the database"
    real = sync_import.import_package(dst.db, dst.user, path)
    assert real.status == "imported"
    assert sync_import.canonical_summary(dry) == sync_import.canonical_summary(real)
    return real


EDIT = st.tuples(st.sampled_from(("inst_edit", "inst_delete", "inst_add", "year_set", "year_delete", "visit_edit",
                                  "visit_delete")), st.integers(0, 7), st.sampled_from(TEXTS))
STEP = st.one_of(st.tuples(st.sampled_from(SIDES), EDIT), st.tuples(st.just("send"), st.sampled_from(SIDES)))


#: Both sides edit the same institution (a conflict), edit and delete the same visit (edit
#: against deletion), add an institution with the same registration number (a duplicate,
#: rejected) and yearly rows; then more of it after an exchange.
CONFLICTS = [("province", ("inst_edit", 1, "ก")), ("central", ("inst_edit", 1, "แก้ไข")),
             ("province", ("visit_edit", 2, "ก")), ("central", ("visit_delete", 2, "")),
             ("province", ("inst_add", 0, "ก")), ("central", ("inst_add", 0, "แก้ไข")),
             ("province", ("year_set", 1, "ก")), ("central", ("year_set", 1, "แก้ไข")),
             ("send", "central"), ("province", ("inst_delete", 3, "")), ("central", ("inst_edit", 3, "ก")),
             ("central", ("year_delete", 0, "")), ("province", ("year_set", 0, "แก้ไข"))]


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(history=st.lists(STEP, min_size=1, max_size=12))
@example(history=CONFLICTS)
def test_a_dry_run_reports_what_the_import_does_and_changes_nothing(template, history):
    with tempfile.TemporaryDirectory() as tmp:
        pair = copy_pair(template, Path(tmp))
        reports = []
        try:
            for who, what in history:
                if who == "send":
                    src = getattr(pair, what)
                    reports.append(_exchange(pair, src, pair.other(src)))
                else:
                    _apply(getattr(pair, who), what)
            # Then everything travels: both ways, and once more to settle the acknowledgements.
            reports.append(_exchange(pair, pair.province, pair.central))
            reports.append(_exchange(pair, pair.central, pair.province))
            reports.append(_exchange(pair, pair.province, pair.central))
        finally:
            pair.close()
    if history == CONFLICTS:  # the explicit example reaches conflicts and rejections
        assert sum(r.totals()["conflicted"] for r in reports) >= 2
        assert sum(r.totals()["rejected"] for r in reports) >= 1
