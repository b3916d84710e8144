"""The annual action plan as the rules see it: rows, outline, totals, findings, fingerprint.

Pure (no database, no Qt, no I/O). The pieces:
- model.py       PlanSheet, PlanActivity, MonthCell, StatedCell, RawCell (frozen values)
- outline.py     activity numbers (๒.๓.๑ → (2, 3, 1)) and the parent/child tree
- totals.py      row, month, quarter, year totals and section subtotals (the rollup rule
                 is written there: every row's own cells count once, nothing rolls up
                 implicitly)
- findings.py    validate() → Finding list (six kinds)
- fingerprint.py content_fingerprint() for approvals and printed sheets
"""

from app.rules.plan.findings import (
    BUDGET_TOTAL_MISMATCH,
    DEFAULT_TARGET_UNITS,
    FINDING_KINDS,
    KIND_LABELS,
    MONTH_TOTAL_MISMATCH,
    NEGATIVE_VALUE,
    ROW_TOTAL_MISMATCH,
    TARGET_MISMATCH,
    UNPARSED_CELL,
    Finding,
    finding_summary,
    validate,
)
from app.rules.plan.fingerprint import (
    canonical_content,
    content_fingerprint,
    short_fingerprint,
)
from app.rules.plan.model import (
    BAHT,
    COLUMNS,
    EMPTY_MONTHS,
    MONTHS,
    QUARTERS,
    TARGET,
    TOTAL,
    WORK,
    MonthCell,
    PlanActivity,
    PlanSheet,
    RawCell,
    StatedCell,
)
from app.rules.plan.outline import (
    Outline,
    activity_number_parts,
    build_outline,
    children_of,
    depth_of,
    descendants_of,
    is_leaf,
    leaves,
    level_of,
    parent_of,
    roots,
    split_numbered_title,
)
from app.rules.plan.totals import (
    ZERO,
    Total,
    add_up,
    month_totals,
    quarter_of,
    quarter_totals,
    row_totals,
    subtotal,
    subtotal_months,
    year_total,
)

__all__ = [
    "BAHT", "BUDGET_TOTAL_MISMATCH", "COLUMNS", "DEFAULT_TARGET_UNITS", "EMPTY_MONTHS", "FINDING_KINDS",
    "KIND_LABELS", "MONTHS", "MONTH_TOTAL_MISMATCH", "NEGATIVE_VALUE", "QUARTERS", "ROW_TOTAL_MISMATCH",
    "TARGET", "TARGET_MISMATCH", "TOTAL", "UNPARSED_CELL", "WORK", "ZERO",
    "Finding", "MonthCell", "Outline", "PlanActivity", "PlanSheet", "RawCell", "StatedCell", "Total",
    "activity_number_parts", "add_up", "build_outline", "canonical_content", "children_of",
    "content_fingerprint", "depth_of", "descendants_of", "finding_summary", "is_leaf", "leaves",
    "level_of", "month_totals", "parent_of", "quarter_of", "quarter_totals", "roots", "row_totals",
    "short_fingerprint", "split_numbered_title", "subtotal", "subtotal_months", "validate", "year_total",
]  # fmt: skip
