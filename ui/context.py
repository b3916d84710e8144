"""What every page needs to know about the signed-in session, in one object."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from app.db import Database
from app.models import User
from app.rules.permissions import Action, Actor, Target, allowed
from app.services import lookups, setup
from app.services.context import actor_of


class AppContext(QObject):
    """The open database, the signed-in user (detached, columns loaded) and the office.

    Pages use `can()` to enable buttons; the services check again, and they decide.
    """

    fiscal_year_changed = Signal(int)

    def __init__(self, db: Database, user: User) -> None:
        super().__init__()
        self.db = db
        self.user = user
        with db.session() as s:
            office = setup.home_office(s)
            self.office_name = office.name if office else ""
            self.province_code = office.province_code if office else None
            self.fiscal_year = lookups.working_fiscal_year(s)

    @property
    def actor(self) -> Actor:
        return actor_of(self.user)

    def can(self, action: Action, target: Target | None = None) -> bool:
        return allowed(self.actor, action, target)

    def set_fiscal_year(self, year: int) -> None:
        if year != self.fiscal_year:
            self.fiscal_year = year
            self.fiscal_year_changed.emit(year)
