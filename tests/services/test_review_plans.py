"""Review findings on plans: a Gregorian year must not slip in as a fiscal year."""

from __future__ import annotations

import pytest

from app.errors import ValidationError
from app.services import plans, users

from tests.services.test_plans import team  # noqa: F401  (fixture)


def test_a_gregorian_fiscal_year_is_refused(db, team):  # noqa: F811
    officer = team["officer"]
    with pytest.raises(ValidationError, match="พ.ศ."), db.transaction(officer.id) as s:
        plans.create_plan(s, officer, group_id=users.list_groups(s)[0].id, fiscal_year=2024)
    with db.session() as s:
        assert plans.list_plans(s, officer) == []
