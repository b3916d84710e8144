"""Where CoopDesk finds its shipped files and keeps the user's files."""

from __future__ import annotations

import os
import sys
from pathlib import Path

_SOURCE_ROOT = Path(__file__).resolve().parent.parent
_INSTALLED_SHARE = Path(sys.prefix) / "share" / "coopdesk"


def _shipped(name: str) -> Path:
    """A shipped folder: beside the sources in a checkout, under share/ when installed."""
    here = _SOURCE_ROOT / name
    return here if here.is_dir() else _INSTALLED_SHARE / name


def data_dir() -> Path:
    return _shipped("data")


_published: Path | None = None


def published_dir() -> Path | None:
    """Where the data files the central office published (criteria sets, rule tables) are
    kept for this database; they take precedence over the shipped ones of the same year."""
    return _published


def set_published_dir(path: Path | None) -> None:
    global _published
    _published = path


def resources_dir() -> Path:
    return _shipped("resources")


def fonts_dir() -> Path:
    return resources_dir() / "fonts"


def home_dir() -> Path:
    """The user's data folder (database, backups, logs); COOPDESK_HOME overrides it."""
    env = os.environ.get("COOPDESK_HOME")
    if env:
        path = Path(env)
    else:
        from platformdirs import user_data_dir

        path = Path(user_data_dir("CoopDesk", appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_db_path() -> Path:
    return home_dir() / "coopdesk.sqlite3"


def log_dir() -> Path:
    path = home_dir() / "logs"
    path.mkdir(parents=True, exist_ok=True)
    return path
