"""Opening the app's database the same way for the GUI and the headless commands."""

from __future__ import annotations

from pathlib import Path

from app import i18n
from app.db import Database, open_database
from app.paths import default_db_path
from app.services import calendar, master_data, reference, settings, setup


def open_app_database(target: str | Path | None = None) -> Database:
    """Open (creating or migrating as needed), load reference data, apply local settings."""
    db = open_database(target or default_db_path())
    with db.transaction() as s:
        reference.ensure_geo(s)
        office = setup.home_office(s)
        db.office_code = office.code if office else None
        calendar.apply_to_calendar(s)
        i18n.set_language(settings.get(s, "language"))
    master_data.apply(db)
    return db
