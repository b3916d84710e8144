"""English is a setting: the catalog parses and covers every string of ui/."""

from __future__ import annotations

import ast
import string
from pathlib import Path

from babel.messages.pofile import read_po

from app import i18n
from app.rules.permissions import ROLE_LABELS
from app.rules.registry import COOP_TYPES, KINDS, STANDARDS_RESULTS, STATUSES, standards_label, type_label
from app.services import calendar
from app.services.registry_import import STATUS_LABELS
from ui.institution_editor import NOT_SET_TEXT
from ui.main_window import PAGES, MainWindow

ROOT = Path(__file__).resolve().parents[2]


def data_labels() -> set[str]:
    """The domain's Thai labels that ui/ passes through _() when it shows them."""
    labels = {*KINDS.values(), *COOP_TYPES.values(), *STATUSES.values(), *ROLE_LABELS.values(),
              *calendar.KINDS.values(), *STATUS_LABELS.values(), NOT_SET_TEXT}
    labels |= {type_label("coop", code) for code in COOP_TYPES}
    labels |= {standards_label(kind, result) for kind in KINDS for result in STANDARDS_RESULTS}
    return labels


def ui_message_ids() -> set[str]:
    """Literal first arguments of _() and tr() in ui/, the page titles and the data labels."""
    found = {p.title for p in PAGES} | {p.coming for p in PAGES if p.coming} | data_labels()
    for path in (ROOT / "ui").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("_", "tr")
                    and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
                found.add(node.args[0].value)
    return found


def test_the_english_catalog_parses_and_covers_the_ui():
    catalog = {}
    for path in i18n.catalog_files("en"):
        with path.open("rb") as fh:
            catalog.update((m.id, m.string) for m in read_po(fh, locale="en") if m.id)
    missing = sorted(m for m in ui_message_ids() if not catalog.get(m))
    assert missing == []
    for msgid, text in catalog.items():  # a placeholder lost in translation breaks tr()
        assert set(_placeholders(msgid)) == set(_placeholders(text)), msgid


def _placeholders(text: str) -> list[str]:
    return [name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name]


def test_english_setting_translates_the_main_window(qtbot, db, admin):
    from ui.context import AppContext

    i18n.set_language("en")  # the conftest puts Thai back afterwards
    window = MainWindow(AppContext(db, admin))
    qtbot.addWidget(window)
    sidebar = [window.sidebar.item(i).text() for i in range(window.sidebar.count())]
    assert sidebar[:3] == ["Home", "Registry", "Action plan"] and sidebar[-1] == "Settings"
    assert window.fiscal_label.text().startswith("Fiscal year 25")  # Arabic digits in English
    assert window.user_label.text().endswith("(Administrator)")
    assert window.menuBar().actions()[0].text() == "System"

