from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.thai import fiscal_months, fiscal_quarter, fiscal_year, fiscal_year_bounds, month_from_abbr
from app.thai.dates import THAI_MONTHS_ABBR


@pytest.mark.parametrize(
    ("d", "fy"),
    [
        (date(2023, 9, 30), 2566),
        (date(2023, 10, 1), 2567),  # 1 ต.ค. 2566
        (date(2023, 12, 31), 2567),
        (date(2024, 1, 1), 2567),
        (date(2024, 9, 30), 2567),  # 30 ก.ย. 2567
        (date(2024, 10, 1), 2568),
    ],
)
def test_fiscal_year_boundaries(d, fy):
    assert fiscal_year(d) == fy


def test_fiscal_months():
    months = fiscal_months(2567)
    assert len(months) == 12
    assert months[0] == date(2023, 10, 1)
    assert months[2] == date(2023, 12, 1)
    assert months[3] == date(2024, 1, 1)
    assert months[-1] == date(2024, 9, 1)
    assert [THAI_MONTHS_ABBR[m.month] for m in months][:4] == ["ต.ค.", "พ.ย.", "ธ.ค.", "ม.ค."]
    assert [month_from_abbr(THAI_MONTHS_ABBR[m.month]) for m in months] == [m.month for m in months]


def test_fiscal_year_bounds():
    assert fiscal_year_bounds(2567) == (date(2023, 10, 1), date(2024, 9, 30))


def test_ce_year_is_refused():
    with pytest.raises(ValueError, match="2024"):
        fiscal_months(2024)
    with pytest.raises(ValueError):
        fiscal_year_bounds(2024)


@pytest.mark.parametrize(
    ("month", "quarter"),
    [(10, 1), (11, 1), (12, 1), (1, 2), (2, 2), (3, 2), (4, 3), (5, 3), (6, 3), (7, 4), (8, 4), (9, 4)],
)
def test_fiscal_quarter(month, quarter):
    assert fiscal_quarter(date(2024, month, 15)) == quarter


@given(st.integers(min_value=2450, max_value=2700))
def test_months_and_bounds_agree(fy):
    start, end = fiscal_year_bounds(fy)
    months = fiscal_months(fy)
    assert months[0] == start and months == sorted(months)
    assert all(fiscal_year(m) == fy for m in months)
    assert [fiscal_quarter(m) for m in months] == [1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4]
    assert fiscal_year(start - timedelta(days=1)) == fy - 1
    assert fiscal_year(end) == fy
    assert fiscal_year(end + timedelta(days=1)) == fy + 1
