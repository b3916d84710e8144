"""Review findings on the headless commands: every failure is one line on stderr, non-zero."""

from __future__ import annotations

import pytest

from tests.core.test_cli import coopdesk

ENV = {"COOPDESK_PASSWORD": "demo1234"}


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    from app.services.demo import create_demo_database

    path = tmp_path_factory.mktemp("review") / "demo.sqlite3"
    create_demo_database(path)
    return path


def _fails_with_one_line(out, *expected: str) -> None:
    assert out.returncode != 0
    assert out.stderr.count("\n") == 1, out.stderr
    for text in expected:
        assert text in out.stderr


def test_usage_errors_are_one_line(demo_db, tmp_path):
    out = coopdesk("--db", str(demo_db), "--user", "officer1", "plan", "check", env=ENV, home=tmp_path)
    _fails_with_one_line(out, "--year")
    out = coopdesk("--db", str(demo_db), "--user", "officer1", "plan", "check", "--year", "abc", env=ENV,
                   home=tmp_path)
    _fails_with_one_line(out, "abc")


@pytest.mark.parametrize("command", [("plan", "check"), ("registry", "list")])
def test_a_gregorian_year_is_refused(demo_db, tmp_path, command):
    out = coopdesk("--db", str(demo_db), "--user", "clerk", *command, "--year", "2024", "--unit", "1",
                   env=ENV, home=tmp_path) if command[0] == "plan" else \
        coopdesk("--db", str(demo_db), "--user", "clerk", *command, "--year", "2024", env=ENV, home=tmp_path)
    _fails_with_one_line(out, "2024", "พ.ศ.")


def test_a_refused_plan_import_says_why_on_stderr(demo_db, tmp_path):
    sheet = tmp_path / "p.xlsx"
    out = coopdesk("--db", str(demo_db), "--user", "officer1", "plan", "export-xlsx", "--year", "2569",
                   "--out", str(sheet), env=ENV, home=tmp_path)
    assert out.returncode == 0, out.stderr
    out = coopdesk("--db", str(demo_db), "--user", "officer1", "plan", "import-xlsx", str(sheet), env=ENV,
                   home=tmp_path)
    _fails_with_one_line(out, "อนุมัติแล้ว")
    assert "ไม่ได้นำเข้า" in out.stdout  # the report itself is still printed
