"""An installed CoopDesk finds all its data: every folder of data/ is shipped."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_data_folder_is_installed():
    files = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["data-files"]
    shipped = {pattern for patterns in files.values() for pattern in patterns}
    folders = sorted(p.name for p in (ROOT / "data").iterdir() if p.is_dir())
    assert [f for f in folders if f"data/{f}/*" not in shipped] == []
