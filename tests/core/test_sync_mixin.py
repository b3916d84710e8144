"""Every write stamps rev and change_seq; deletes leave tombstones; money stays exact."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select, text

from app.models import Institution, InstitutionYear
from app.models.base import HardDeleteRefused
from app.rules.registry import InstitutionData, YearData
from app.services import registry


def coop(reg_no="กพ 1/2530", name="สหกรณ์การเกษตรเมืองกำแพงเพชร จำกัด", **kw) -> InstitutionData:
    return InstitutionData(reg_no=reg_no, name=name, kind="coop", coop_type="agriculture",
                           district_code="6201", members=1200, **kw)


def test_insert_stamps_rev_seq_user_and_origin(db, admin):
    with db.transaction(admin.id) as s:
        inst = registry.create_institution(s, admin, coop())
    assert inst.rev == 1
    assert inst.change_seq > 0
    assert inst.updated_by == admin.id
    assert inst.origin_office == "62"
    assert inst.updated_at.tzinfo is not None
    assert len(inst.id) == 36


def test_update_bumps_rev_and_change_seq(db, admin):
    with db.transaction(admin.id) as s:
        inst = registry.create_institution(s, admin, coop())
    first_seq = inst.change_seq
    with db.transaction(admin.id) as s:
        data = registry.data_of(s.get(Institution, inst.id))
        data.members = 1300
        updated = registry.update_institution(s, admin, inst.id, data)
        assert updated.rev == 2
        assert updated.change_seq > first_seq
        assert updated.origin_office == "62"


def test_saving_unchanged_data_bumps_nothing(db, admin):
    with db.transaction(admin.id) as s:
        inst = registry.create_institution(s, admin, coop())
    with db.transaction(admin.id) as s:
        same = registry.update_institution(s, admin, inst.id, registry.data_of(s.get(Institution, inst.id)))
        assert (same.rev, same.change_seq) == (inst.rev, inst.change_seq)


def test_delete_leaves_a_tombstone_with_a_new_rev(db, admin):
    with db.transaction(admin.id) as s:
        inst = registry.create_institution(s, admin, coop())
    with db.transaction(admin.id) as s:
        registry.delete_institution(s, admin, inst.id)
    with db.session() as s:
        row = s.get(Institution, inst.id)
        assert row is not None and row.deleted_at is not None
        assert row.rev == 2 and row.change_seq > inst.change_seq
        assert registry.list_institutions(s, admin) == []


def test_hard_delete_of_a_synced_row_is_refused(db, admin):
    with db.transaction(admin.id) as s:
        inst = registry.create_institution(s, admin, coop())
    with pytest.raises(HardDeleteRefused), db.transaction(admin.id) as s:
        s.delete(s.get(Institution, inst.id))
    with db.session() as s:
        assert s.get(Institution, inst.id) is not None


def test_change_seq_is_monotonic_across_tables_and_transactions(db, admin):
    seqs = []
    for i in range(3):
        with db.transaction(admin.id) as s:
            inst = registry.create_institution(s, admin, coop(reg_no=f"กพ {i}/2540", name=f"สหกรณ์ทดสอบ {i} จำกัด"))
            year = registry.save_year(s, admin, inst.id, 2567, YearData(strength_class=2))
            seqs += [inst.change_seq, year.change_seq]
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)


def test_money_and_percent_are_exact(db, admin):
    big = Decimal("123456789012.35")
    with db.transaction(admin.id) as s:
        inst = registry.create_institution(s, admin, coop())
        registry.save_year(s, admin, inst.id, 2567, YearData(
            business_volume=big, net_profit=Decimal("-0.01"), accumulated_loss=Decimal("1.005"),
            member_participation_pct=Decimal("64.99")))
    with db.session() as s:
        y = s.scalar(select(InstitutionYear))
        assert y.business_volume == big
        assert y.net_profit == Decimal("-0.01")
        assert y.accumulated_loss == Decimal("1.01")  # round half up to satang
        assert y.member_participation_pct == Decimal("64.99")
        total = s.scalar(text("SELECT sum(business_volume) FROM institution_year"))
        assert total == int(big * 100)  # stored as satang: SQL sums stay exact


def test_text_longer_than_its_column_is_refused_by_name(db, admin):
    from app.errors import ValidationError
    from app.models import SpecialDay

    with pytest.raises(ValidationError) as err, db.transaction(admin.id) as s:
        s.add(SpecialDay(day=date(2026, 12, 1), name="ว" * 201))
    assert err.value.field == "name" and "200" in err.value.message
