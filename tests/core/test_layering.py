"""The house plan's layering contract (DESIGN.md): the domain never depends on Qt, and the
pure layers (rules, thai) depend on neither Qt nor SQLAlchemy."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def imported_modules(folder: Path):
    for path in sorted(folder.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    yield path, alias.name
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                yield path, node.module


def offenders(folder: Path, forbidden: tuple[str, ...]) -> list[str]:
    return [
        f"{path.relative_to(ROOT)} imports {name}"
        for path, name in imported_modules(folder)
        if name.split(".")[0] in forbidden
    ]


def test_app_never_imports_qt_or_ui():
    assert offenders(ROOT / "app", ("PySide6", "shiboken6", "ui")) == []


def test_rules_and_thai_import_neither_sqlalchemy_nor_qt():
    for layer in ("rules", "thai"):
        assert offenders(ROOT / "app" / layer, ("sqlalchemy", "alembic", "PySide6", "shiboken6", "ui")) == []


def test_importing_every_app_module_loads_no_qt():
    code = (
        "import pkgutil, importlib, sys, app\n"
        "for m in pkgutil.walk_packages(app.__path__, 'app.'):\n"
        "    if m.name not in ('app.__main__',) and '.migrations.' not in m.name:\n"
        "        importlib.import_module(m.name)\n"
        "bad = [n for n in sys.modules if n.startswith(('PySide6', 'shiboken6'))]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)


def test_pure_layers_import_without_sqlalchemy():
    code = (
        "import sys, app.thai, app.rules.permissions, app.rules.registry\n"
        "assert 'sqlalchemy' not in sys.modules and 'PySide6' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)
