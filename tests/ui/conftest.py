"""UI test fixtures: offscreen Qt, message boxes recorded instead of shown, and checks that
no test leaves a worker thread or an unexpected error dialog behind."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before anything imports Qt

import ui  # noqa: E402,F401 - applies the PySide6/Python 3.11 None refcount workaround first

from dataclasses import dataclass, field  # noqa: E402

import pytest  # noqa: E402

from app import i18n  # noqa: E402
from ui import messages, ops  # noqa: E402


@pytest.fixture(scope="session", autouse=True)
def coopdesk_home(tmp_path_factory):
    """Logs and crash reports of the whole run go to a temporary data folder."""
    home = tmp_path_factory.mktemp("coopdesk-home")
    old = os.environ.get("COOPDESK_HOME")
    os.environ["COOPDESK_HOME"] = str(home)
    yield home
    if old is None:
        del os.environ["COOPDESK_HOME"]
    else:
        os.environ["COOPDESK_HOME"] = old


@dataclass
class Dialogs:
    """Message boxes the code under test asked for. `answer` is what confirm() returns."""

    warnings: list[str] = field(default_factory=list)
    infos: list[str] = field(default_factory=list)
    questions: list[str] = field(default_factory=list)
    answer: bool = True

    def take_warnings(self) -> list[str]:
        taken, self.warnings = self.warnings, []
        return taken


@pytest.fixture(autouse=True)
def dialogs(monkeypatch):
    """Record message boxes instead of blocking on them; fail on an error nobody expected."""
    seen = Dialogs()
    monkeypatch.setattr(messages, "warn", lambda parent, text: seen.warnings.append(text))
    monkeypatch.setattr(messages, "inform", lambda parent, text: seen.infos.append(text))

    def confirm(parent, text, ok_text):
        seen.questions.append(text)
        return seen.answer

    monkeypatch.setattr(messages, "confirm", confirm)
    yield seen
    assert seen.warnings == [], f"unexpected error dialogs: {seen.warnings}"


@pytest.fixture(autouse=True)
def no_leftover_work(qtbot):
    """Every test ends with its worker threads finished and delivered, in Thai."""
    yield
    ops.cancel_all_and_wait()
    qtbot.waitUntil(lambda: not ops.running(), timeout=5000)
    i18n.set_language("th")


@pytest.fixture
def ctx(db, admin, qtbot):
    from ui.context import AppContext

    return AppContext(db, admin)
