"""`coopdesk registry import-xlsx / export-xlsx` as a clerk runs them: a separate process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.exchange.conftest import PASSWORD, db_state
from tests.exchange.sheets import MESSY_REJECTED, messy_list, simple_list

ROOT = Path(__file__).resolve().parents[2]


def coopdesk(office, *args: str, home: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("COOPDESK_")}
    env.update(COOPDESK_PASSWORD=PASSWORD, COOPDESK_HOME=str(home))
    return subprocess.run([sys.executable, "-m", "app", "--db", str(office.path), "--user", "clerk", *args],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_dry_run_prints_json_and_fails_when_rows_are_rejected(office, tmp_path):
    before = db_state(office.db)
    out = coopdesk(office, "registry", "import-xlsx", str(messy_list(tmp_path / "list.xlsx")), "--json", "--dry-run",
                   home=tmp_path)
    assert out.returncode == 1, out.stderr
    report = json.loads(out.stdout)
    assert report["ok"] is False and report["dry_run"] is True
    assert out.stderr.count("\n") == 1 and "5 รายการ" in out.stderr  # a failing command says why, once
    assert report["counts"] == {"inserted": 3, "updated": 0, "unchanged": 0, "rejected": 5, "rows": 8}
    assert {r["row"]: r["reason"] for r in report["rows"] if r["status"] == "rejected"} == MESSY_REJECTED
    after = db_state(office.db)
    assert {k: v for k, v in after.items() if k != "audit"} == {k: v for k, v in before.items() if k != "audit"}
    assert after["audit"] == before["audit"] + 1  # the login, nothing from the import


def test_import_then_export_then_reimport(office, tmp_path):
    good = simple_list(tmp_path / "good.xlsx", [["1/2530", "สหกรณ์บริการคลองลาน จำกัด", "บริการ", "คลองลาน", "๑,๒๐๐"]])
    out = coopdesk(office, "registry", "import-xlsx", str(good), home=tmp_path)
    assert out.returncode == 0, out.stderr
    assert "เพิ่มใหม่ 1 ปรับปรุง 0 ไม่เปลี่ยนแปลง 0 ไม่ผ่าน 0" in out.stdout
    exported = tmp_path / "ทะเบียน.xlsx"
    out = coopdesk(office, "registry", "export-xlsx", "--out", str(exported), home=tmp_path)
    assert out.returncode == 0 and exported.exists(), out.stderr
    out = coopdesk(office, "registry", "import-xlsx", str(exported), "--json", home=tmp_path)
    assert out.returncode == 0 and json.loads(out.stdout)["counts"]["unchanged"] == 1


def test_a_bad_file_exits_non_zero_with_one_line(office, tmp_path):
    bad = tmp_path / "list.xlsx"
    bad.write_bytes(b"\x00garbage" * 100)
    out = coopdesk(office, "registry", "import-xlsx", str(bad), home=tmp_path)
    assert out.returncode == 2 and out.stdout == ""
    assert out.stderr.count("\n") == 1 and "list.xlsx" in out.stderr and "ไม่ใช่ไฟล์ Excel" in out.stderr
