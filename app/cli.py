"""`coopdesk` / `python -m app`: no sub-command opens the GUI; sub-commands run headless.

Every failure prints one line on stderr and exits non-zero; `--json` prints a
machine-readable result on stdout. Commands that read or change office data log in as
`--user` (or COOPDESK_USER) with the password from COOPDESK_PASSWORD or a prompt.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path

from app import __version__, cli_sync

EXIT_USAGE = 2


class _Parser(argparse.ArgumentParser):
    """Usage mistakes too are one line on stderr (argparse prints the usage and the error)."""

    def error(self, message: str):
        self.exit(EXIT_USAGE, f"{self.prog}: คำสั่งไม่ถูกต้อง: {message} (ดูวิธีใช้ด้วย --help)\n")


def _be_year(text: str) -> int:
    """A fiscal year as typed: Buddhist era only, so 2024 (a CE year) never passes silently."""
    try:
        year = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"ปีงบประมาณ “{text}” ต้องเป็นตัวเลขปี พ.ศ. เช่น 2568") from None
    if not 2500 <= year <= 2700:
        raise argparse.ArgumentTypeError(f"ปีงบประมาณ {year} ต้องเป็นปี พ.ศ. เช่น 2568 (ไม่ใช่ ค.ศ.)")
    return year


def _add_json(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="print a machine-readable result on stdout")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="coopdesk",
        description="CoopDesk — งานส่งเสริมสหกรณ์ของสำนักงานสหกรณ์จังหวัด. Without a command, opens the window.",
    )
    parser.add_argument("--version", action="version", version=f"CoopDesk {__version__}")
    parser.add_argument("--db", metavar="PATH|URL", help="database file or URL (default: the user data folder; "
                        "env COOPDESK_HOME moves that folder)")
    parser.add_argument("--user", metavar="LOGIN", default=os.environ.get("COOPDESK_USER"),
                        help="log in as this user for headless commands (env COOPDESK_USER)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("demo", help="fill a new database with a realistic demo province")
    p.add_argument("--force", action="store_true", help="replace an existing database file")
    p.add_argument("--seed", type=int, default=2567, help="random seed (same seed, same data)")
    p.add_argument("--province", action="append", metavar="CODE",
                   help="DOPA province code (default 62 Kamphaeng Phet); with --central, repeat for each "
                        "province (default 62 and 64)")
    p.add_argument("--central", action="store_true",
                   help="a central-office database that has received one package from each demo province "
                        "(province databases and packages go in folders beside it)")
    p.add_argument("--institutions", type=int, default=150, metavar="N", help="institutions per province")
    _add_json(p)

    p = sub.add_parser("setup", help="first-run setup without the window (office and first admin)")
    p.add_argument("--province", required=True, help="DOPA province code, e.g. 83")
    p.add_argument("--office-code", help="office code (default: the province code)")
    p.add_argument("--office-name", help="office name (default: สำนักงานสหกรณ์จังหวัด…)")
    p.add_argument("--admin", required=True, metavar="LOGIN")
    p.add_argument("--admin-name", required=True)
    p.add_argument("--admin-position", default="")
    p.add_argument("--central", action="store_true", help="this installation is the central office")

    reg = sub.add_parser("registry", help="the registry of cooperatives and farmer groups")
    rsub = reg.add_subparsers(dest="subcommand", metavar="SUBCOMMAND", required=True)
    p = rsub.add_parser("list", help="list institutions")
    p.add_argument("--year", type=_be_year, help="fiscal year (BE) for yearly status columns")
    _add_json(p)
    p = rsub.add_parser("import-xlsx", help="import or update institutions from an Excel list")
    p.add_argument("file", type=Path)
    p.add_argument("--dry-run", action="store_true", help="check and report, change nothing")
    _add_json(p)
    p = rsub.add_parser("export-xlsx", help="write the registry to an Excel file")
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--year", type=_be_year, help="fiscal year (BE) for yearly status columns")

    plan = sub.add_parser("plan", help="the annual action plan (แผนปฏิบัติงาน)")
    psub = plan.add_subparsers(dest="subcommand", metavar="SUBCOMMAND", required=True)
    p = psub.add_parser("export-xlsx", help="write a plan in the official Excel layout")
    p.add_argument("--year", type=_be_year, required=True, help="fiscal year (BE)")
    p.add_argument("--unit", help="work group, by name or number (default: your own group)")
    p.add_argument("--revision", type=int, help="which revision (default: the latest)")
    p.add_argument("--out", type=Path, required=True)
    p = psub.add_parser("import-xlsx", help="read a plan sheet (the app's export or a hand-made official sheet)")
    p.add_argument("file", type=Path)
    p.add_argument("--year", type=_be_year, help="fiscal year (BE); default: the year the sheet states")
    p.add_argument("--unit", help="work group, by name or number (default: your own group)")
    p.add_argument("--dry-run", action="store_true", help="read and check, change nothing")
    _add_json(p)
    p = psub.add_parser("check", help="list the findings of a stored plan")
    p.add_argument("--year", type=_be_year, required=True, help="fiscal year (BE)")
    p.add_argument("--unit", help="work group, by name or number (default: your own group)")
    _add_json(p)
    p = psub.add_parser("print", help="the signed sheet as PDF (A4 landscape)")
    p.add_argument("--year", type=_be_year, required=True, help="fiscal year (BE)")
    p.add_argument("--unit", help="work group, by name or number (default: your own group)")
    p.add_argument("--revision", type=int, help="which revision (default: the latest)")
    p.add_argument("--arabic-digits", action="store_true", help="print Arabic instead of Thai digits")
    p.add_argument("--out", type=Path, required=True)

    vis = sub.add_parser("visits", help="CPS field visits (การเยี่ยมสหกรณ์): lists, reports, travel plans")
    vsub = vis.add_subparsers(dest="subcommand", metavar="SUBCOMMAND", required=True)
    month_help = "month, e.g. 2569-11, 11/2569, 2026-11 or \"พ.ย. 2569\" (a year from 2400 up is BE)"
    p = vsub.add_parser("report", help="the monthly CPS report as PDF or Excel (by the --out suffix)")
    p.add_argument("--month", required=True, help=month_help)
    p.add_argument("--officer", metavar="LOGIN", help="one officer's visits")
    p.add_argument("--group", help="one work group's visits, by name or number")
    p.add_argument("--arabic-digits", action="store_true", help="Arabic instead of the office's digit setting")
    p.add_argument("--out", type=Path, required=True, metavar="FILE.pdf|FILE.xlsx")
    p = vsub.add_parser("list", help="the month's visits you may see")
    p.add_argument("--month", required=True, help=month_help)
    p.add_argument("--officer", metavar="LOGIN", help="one officer's visits")
    p.add_argument("--group", help="one work group's visits, by name or number")
    _add_json(p)
    p = vsub.add_parser("travel-plan", help="an officer's travel-plan request for a month as PDF")
    p.add_argument("--officer", metavar="LOGIN", help="whose plan (default: --user)")
    p.add_argument("--month", required=True, help=month_help)
    p.add_argument("--arabic-digits", action="store_true", help="Arabic instead of the office's digit setting")
    p.add_argument("--out", type=Path, required=True, metavar="FILE.pdf")

    p = sub.add_parser("deadlines", help="legal and office deadlines in your scope: overdue and due soon")
    p.add_argument("--within", type=int, default=30, metavar="DAYS",
                   help="also list those due within this many days (default 30)")
    _add_json(p)

    p = sub.add_parser("kpi", help="the KPIs of a fiscal year in your scope, with the action plan's targets")
    p.add_argument("--year", type=_be_year, required=True, help="fiscal year (BE)")
    _add_json(p)

    stg = sub.add_parser("strength", help="strength classification (ระดับชั้นความเข้มแข็ง)")
    ssub = stg.add_subparsers(dest="subcommand", metavar="SUBCOMMAND", required=True)
    p = ssub.add_parser("import-xlsx", help="import the central office's classification sheet and list where "
                        "the computed class differs from the published one")
    p.add_argument("file", type=Path)
    p.add_argument("--year", type=_be_year, help="fiscal year (BE); default: the year the sheet's title states")
    p.add_argument("--dry-run", action="store_true", help="check and report, change nothing")
    _add_json(p)

    cli_sync.add_parser(sub, _add_json)

    usr = sub.add_parser("users", help="users of this office")
    usub = usr.add_subparsers(dest="subcommand", metavar="SUBCOMMAND", required=True)
    p = usub.add_parser("list", help="list users")
    _add_json(p)
    p = usub.add_parser("reset-password", help="set a new password for a user (admin)")
    p.add_argument("login")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        return _launch_gui(args.db)
    from app.errors import CoopDeskError

    try:
        return _COMMANDS[(args.command, getattr(args, "subcommand", None))](args)
    except CoopDeskError as exc:
        if getattr(args, "json", False):
            print(json.dumps({"ok": False, "error": exc.code, "message": exc.message}, ensure_ascii=False))
        print(f"coopdesk: {exc.message}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("coopdesk: ยกเลิกแล้ว", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader (e.g. `| head`) went away; that is not an error of ours.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


# -- helpers -------------------------------------------------------------------------------

GUI_ENTRY_POINT_GROUP = "coopdesk.gui"


def _launch_gui(db_target) -> int:
    """Start the window. The Qt layer registers itself as an entry point, so the domain
    package never imports it (DESIGN.md layering) yet `coopdesk` alone opens the window."""
    from importlib.metadata import entry_points

    found = entry_points(group=GUI_ENTRY_POINT_GROUP)
    if not found:
        print("coopdesk: ไม่พบส่วนหน้าจอของโปรแกรม (ติดตั้งด้วย pip install . ก่อน)", file=sys.stderr)
        return 1
    return next(iter(found)).load()(db_target)


def _open(args):
    from app.bootstrap import open_app_database

    return open_app_database(args.db)


def _read_secret(prompt: str, env: str) -> str:
    from app.errors import ValidationError

    value = os.environ.get(env)
    if value is not None:
        return value
    if not sys.stdin.isatty():
        raise ValidationError(f"ต้องระบุรหัสผ่านใน {env} เมื่อไม่ได้ใช้งานจากเทอร์มินัล")
    import getpass

    return getpass.getpass(prompt)


def _login(db, args):
    """Authenticate `--user` for a headless command; returns the User (detached, loaded)."""
    from app.errors import AuthError, ValidationError
    from app.services import auth

    if not args.user:
        raise ValidationError("ต้องระบุผู้ใช้ด้วย --user หรือ COOPDESK_USER")
    password = _read_secret(f"รหัสผ่านของ {args.user}: ", "COOPDESK_PASSWORD")
    with db.transaction() as s:
        result = auth.authenticate(s, args.user, password)
    if not result.ok:
        raise AuthError(result.message, retry_after=result.retry_after)
    return result.user


def _emit(args, payload, text_lines: Callable[[], list[str]]) -> None:
    if getattr(args, "json", False):
        print(json.dumps(payload, ensure_ascii=False, indent=1, default=str))
    else:
        for line in text_lines():
            print(line)


# -- commands ------------------------------------------------------------------------------

def cmd_demo(args) -> int:
    from app.errors import ValidationError
    from app.paths import default_db_path
    from app.services import demo

    if args.db and "://" in str(args.db):
        raise ValidationError("ฐานข้อมูลตัวอย่างสร้างเป็นไฟล์ SQLite เท่านั้น โปรดระบุ --db เป็นชื่อไฟล์")
    target = Path(args.db) if args.db else default_db_path()
    if args.central:
        return _demo_central(args, target)
    if len(args.province or ()) > 1:
        raise ValidationError("ระบุ --province ได้จังหวัดเดียว (หลายจังหวัดใช้คู่กับ --central)")
    summary = demo.create_demo_database(target, force=args.force, seed=args.seed, institutions=args.institutions,
                                        province_code=(args.province or [demo.PROVINCE_CODE])[0])
    _emit(args, summary, lambda: [
        f"สร้างฐานข้อมูลตัวอย่างแล้วที่ {target}",
        f"  สำนักงาน: {summary['office']['name']} (รหัส {summary['office']['code']})",
        f"  ปีงบประมาณ: {', '.join(str(y) for y in summary['fiscal_years'])}",
        f"  สหกรณ์: {summary['institutions']['coop']} แห่ง  กลุ่มเกษตรกร: {summary['institutions']['farmer_group']} กลุ่ม",
        "  ผู้ใช้ (รหัสผ่าน demo1234):",
        *(f"    {u['login']:<10} {u['name']} ({', '.join(u['roles'])})" for u in summary["users"]),
    ])
    return 0


def _demo_central(args, target: Path) -> int:
    from app.services import demo_central

    summary = demo_central.create_central_demo(
        target, force=args.force, seed=args.seed, institutions=args.institutions,
        provinces=args.province or demo_central.DEFAULT_PROVINCES)

    def counts(totals: dict) -> str:
        return (f"เพิ่ม {totals['inserted']} ปรับปรุง {totals['updated']} ไม่เปลี่ยน {totals['unchanged']} "
                f"ขัดแย้ง {totals['conflicted']} ปฏิเสธ {totals['rejected']}")

    def lines() -> list[str]:
        out = [f"สร้างฐานข้อมูลตัวอย่างของส่วนกลางแล้วที่ {target}",
               f"  สำนักงาน: {summary['office']['name']} (รหัส {summary['office']['code']})",
               "  ข้อมูลจากจังหวัด:"]
        for p in summary["provinces"]:
            sent, reply = p["package"], p["reply"]
            out += [
                (f"    {p['code']} {p['office']['name']}: สหกรณ์ {p['institutions']['coop']} แห่ง  "
                 f"กลุ่มเกษตรกร {p['institutions']['farmer_group']} กลุ่ม (ที่ส่วนกลาง {p['institutions_at_central']} แห่ง)"),
                f"      ฐานข้อมูลของจังหวัด: {p['path']}",
                f"      แพ็กเกจลำดับที่ {sent['seq']} {Path(sent['file']).name}: {counts(sent['import']['totals'])}",
                (f"      ส่วนกลางตอบกลับ {Path(reply['file']).name}: จังหวัดได้รับแล้ว "
                 f"(รับทราบแพ็กเกจลำดับที่ {reply['import']['acknowledged_seq']})"),
            ]
        out += [f"  นำเข้ารวม: {counts(summary['import_totals'])}",
                f"  แพ็กเกจทั้งหมดอยู่ที่ {summary['packages_dir']}",
                f"  ผู้ใช้ของส่วนกลาง (รหัสผ่าน {summary['password']}):",
                *(f"    {u['login']:<10} {u['name']} ({', '.join(u['roles'])})" for u in summary["users"]),
                f"  ฐานข้อมูลของแต่ละจังหวัดเปิดด้วย --db <ไฟล์> ผู้ใช้เหมือนตัวอย่างจังหวัด รหัสผ่าน {summary['password']}"]
        return out

    _emit(args, summary, lines)
    return 0


def cmd_setup(args) -> int:
    from app.errors import ValidationError
    from app.models import Province
    from app.services import setup

    db = _open(args)
    password = _read_secret("รหัสผ่านของผู้ดูแลระบบ: ", "COOPDESK_PASSWORD")
    with db.transaction() as s:
        province = s.get(Province, args.province)
        if province is None:
            raise ValidationError(f"ไม่พบจังหวัดรหัส {args.province}")
        setup.complete_setup(
            s, province_code=province.code,
            office_name=args.office_name or setup.default_office_name(province),
            office_code=args.office_code or province.code, admin_login=args.admin,
            admin_name=args.admin_name, admin_position=args.admin_position, password=password,
            mode="central" if args.central else "province",
        )
    print(f"ตั้งค่าสำนักงานเรียบร้อย ผู้ดูแลระบบ: {args.admin}")
    return 0


def cmd_registry_list(args) -> int:
    from dataclasses import asdict

    from app.services import registry

    db = _open(args)
    user = _login(db, args)
    with db.session() as s:
        rows = registry.list_institutions(s, user, fiscal_year=args.year)
    from app.thai import thai_sort_key

    rows.sort(key=lambda r: thai_sort_key(r.name))
    _emit(args, [asdict(r) for r in rows],
          lambda: [f"{r.reg_no}\t{r.name}\t{r.type_label}\t{r.district_name}" for r in rows])
    return 0


def cmd_registry_import(args) -> int:
    from app.services import registry_import

    db = _open(args)
    user = _login(db, args)
    report = registry_import.import_file(db, user, args.file, dry_run=args.dry_run)
    _emit(args, report.to_json(), report.text_lines)
    if not report.ok:
        print(f"coopdesk: มี {report.count('rejected')} รายการที่ไม่ผ่านและไม่ได้บันทึก โปรดแก้ไฟล์ตามรายงานแล้วนำเข้าอีกครั้ง",
              file=sys.stderr)
        return 1
    return 0


def cmd_registry_export(args) -> int:
    from app.services import registry_export

    db = _open(args)
    user = _login(db, args)
    with db.session() as s:
        count = registry_export.export_file(s, user, args.out, fiscal_year=args.year)
    print(f"บันทึก {count} รายการลงไฟล์ {args.out}")
    return 0


def cmd_users_list(args) -> int:
    from app.services import users

    db = _open(args)
    user = _login(db, args)
    with db.session() as s:
        people = users.list_users(s, user, include_inactive=True)
        payload = [
            {"login": u.login, "full_name": u.full_name, "position": u.position,
             "group": u.group.name if u.group else None, "roles": sorted(u.roles), "active": u.active}
            for u in people
        ]
    _emit(args, payload, lambda: [f"{p['login']}\t{p['full_name']}\t{','.join(p['roles'])}" for p in payload])
    return 0


def cmd_users_reset(args) -> int:
    from app.errors import NotFound
    from app.services import auth

    db = _open(args)
    admin = _login(db, args)
    new = _read_secret(f"รหัสผ่านใหม่ของ {args.login}: ", "COOPDESK_NEW_PASSWORD")
    with db.transaction() as s:
        target = auth.local_user(s, args.login)
        if target is None:
            raise NotFound(f"ไม่พบผู้ใช้ {args.login}")
        auth.reset_password(s, admin, target.id, new)
    print(f"ตั้งรหัสผ่านใหม่ให้ {args.login} แล้ว ผู้ใช้ต้องเปลี่ยนรหัสผ่านเมื่อเข้าระบบครั้งถัดไป")
    return 0


def cmd_plan_check(args) -> int:
    from app.services import plans

    db = _open(args)
    user = _login(db, args)
    with db.session() as s:
        plan = plans.plan_for(s, user, args.year, args.unit)
        findings = plans.findings_of(s, user, plan.id)
        payload = {"plan": {"id": plan.id, "group": plan.group.name, "fiscal_year": plan.fiscal_year,
                            "revision": plan.revision, "state": plan.state},
                   "findings": [{"kind": f.kind, "where": f.where, "stated": f.stated, "computed": f.computed}
                                for f in findings]}
    _emit(args, payload, lambda: [f.message() for f in findings] or ["ไม่พบข้อสังเกต ตัวเลขในแผนสอดคล้องกัน"])
    return 0


def cmd_plan_export(args) -> int:
    from app.services import plan_exchange

    db = _open(args)
    user = _login(db, args)
    with db.session() as s:
        plan_exchange.export_xlsx(s, user, fiscal_year=args.year, unit=args.unit, path=args.out,
                                  revision=args.revision)
    print(f"บันทึกแผนลงไฟล์ {args.out}")
    return 0


def cmd_plan_import(args) -> int:
    from app.services import plan_exchange

    db = _open(args)
    user = _login(db, args)
    report = plan_exchange.import_xlsx(db, user, args.file, fiscal_year=args.year, unit=args.unit,
                                       dry_run=args.dry_run)
    _emit(args, report.to_json(), report.text_lines)
    if not report.ok:
        print(f"coopdesk: ไม่ได้นำเข้าแผน: {report.message}", file=sys.stderr)
        return 1
    return 0


def cmd_plan_print(args) -> int:
    from app.services import plan_print

    db = _open(args)
    user = _login(db, args)
    with db.session() as s:
        pages = plan_print.print_pdf(s, user, fiscal_year=args.year, unit=args.unit, path=args.out,
                                     thai_digits=not args.arabic_digits, revision=args.revision)
    print(f"พิมพ์แผนลงไฟล์ {args.out} ({pages} หน้า)")
    return 0


def _visit_scope(session, user, args) -> tuple[str | None, str | None]:
    """(officer id, group id) named by --officer LOGIN and --group NAME|NUMBER, if given."""
    from app.services import plans, visit_print

    officer_id = visit_print.officer_by_login(session, user, args.officer).id if args.officer else None
    group_id = plans.resolve_group(session, user, args.group).id if args.group else None
    return officer_id, group_id


def cmd_visits_report(args) -> int:
    from app.services import visit_print
    from app.thai import format_date, parse_month

    month = parse_month(args.month)  # a typing slip fails before the password is asked
    db = _open(args)
    user = _login(db, args)
    with db.session() as s:
        officer_id, group_id = _visit_scope(s, user, args)
        path = visit_print.monthly_report_file(s, user, month, args.out, officer_id=officer_id, group_id=group_id,
                                               thai_digits=False if args.arabic_digits else None)
    print(f"บันทึกรายงานผลการปฏิบัติงานเดือน{format_date(month, 'month', thai_digits=False)} ลงไฟล์ {path}")
    return 0


def cmd_visits_list(args) -> int:
    from app.rules.approval import STATE_LABELS
    from app.services import visit_print
    from app.services.visits import VISIT_STATUSES
    from app.thai import format_date, parse_month

    month = parse_month(args.month)
    db = _open(args)
    user = _login(db, args)
    with db.session() as s:
        officer_id, group_id = _visit_scope(s, user, args)
        records = visit_print.visit_records(s, user, month, officer_id=officer_id, group_id=group_id)

    def lines() -> list[str]:
        from datetime import date

        return [
            "\t".join((format_date(date.fromisoformat(r["actual_date"] or r["planned_date"]), "short", thai_digits=False),
                       r["planned_time"] or "-", r["institution"], r["officer"] or "", r["method_label"],
                       VISIT_STATUSES.get(r["status"], r["status"]),
                       STATE_LABELS.get(r["report_state"], r["report_state"]) if r["status"] != "planned" else "-"))
            for r in records
        ] or [f"ไม่มีการเยี่ยมในเดือน{format_date(month, 'month', thai_digits=False)}"]

    _emit(args, records, lines)
    return 0


def cmd_visits_travel_plan(args) -> int:
    from app.services import visit_print
    from app.thai import parse_month

    month = parse_month(args.month)
    db = _open(args)
    user = _login(db, args)
    with db.session() as s:
        officer = visit_print.officer_by_login(s, user, args.officer) if args.officer else user
        plan = visit_print.travel_plan_for(s, user, officer.id, month)
        path = visit_print.travel_plan_pdf(s, user, plan.id, args.out,
                                           thai_digits=False if args.arabic_digits else None)
    print(f"พิมพ์แผนการเดินทางลงไฟล์ {path}")
    return 0


def cmd_deadlines(args) -> int:
    from datetime import date

    from app.services import deadline_views
    from app.thai import format_date

    db = _open(args)
    user = _login(db, args)
    with db.session() as s:
        found = deadline_views.deadlines_for(s, user, today=date.today(), within_days=args.within, only_open=True)

    def day(d) -> str:
        return format_date(d, "short", thai_digits=False)

    def when(d) -> str:
        if d.status == "overdue":
            return f"เกินกำหนด {d.days} วัน"
        return "ครบกำหนดวันนี้" if d.days == 0 else f"ครบกำหนดในอีก {d.days} วัน"

    def lines() -> list[str]:
        return [
            "\t".join((day(d.due), when(d),
                       d.institution_name, f"{d.kind_label} (ปีบัญชีสิ้นสุด {day(d.year_end)})",
                       d.officer_name or "-"))
            for d in found
        ] or [f"ไม่มีกำหนดการที่เกินกำหนดหรือครบกำหนดภายใน {args.within} วัน"]

    _emit(args, [d.as_json() for d in found], lines)
    return 0


def cmd_kpi(args) -> int:
    from app.services import kpis

    db = _open(args)
    user = _login(db, args)
    with db.session() as s:
        report = kpis.kpi_report(s, user, args.year)

    def number(value, unit) -> str:
        if value is None:
            return "-"
        return f"ร้อยละ {value}" if unit == "percent" else f"{value:f} แห่ง"

    def line(label: str, r) -> str:
        return "\t".join((label, f"เป้าหมาย {number(r.target, r.target_unit or r.unit)}",
                          f"ผล {number(r.value, r.unit)}", f"{r.numerator}/{r.denominator}"))

    def lines() -> list[str]:
        out = [f"ตัวชี้วัดปีงบประมาณ {report.fiscal_year} ({report.scope_label}, {len(report.institution_ids)} แห่ง)"]
        out += [line(r.label_th, r) for r in report.results]
        for p in report.plans:
            out.append(f"ตัวชี้วัดตามแผนปฏิบัติงานของ{p.group_name} (ฉบับที่ {p.revision})")
            out += [line(row.line.indicator, row.result) if row.result is not None
                    else f"{row.line.indicator}\tเป้าหมาย {row.line.target or '-'}\t(ไม่ได้คำนวณจากทะเบียน)"
                    for row in p.rows]
        return out

    _emit(args, report.as_json(), lines)
    return 0


def cmd_strength_import(args) -> int:
    from app.services import strength_import

    db = _open(args)
    user = _login(db, args)
    report = strength_import.import_file(db, user, args.file, fiscal_year=args.year, dry_run=args.dry_run)
    _emit(args, report.to_json(), report.text_lines)
    if report.ok:
        return 0
    print(f"coopdesk: มี {report.count('rejected')} แถวที่ไม่ผ่านและไม่ได้บันทึก โปรดแก้ไฟล์ตามรายงานแล้วนำเข้าอีกครั้ง",
          file=sys.stderr)
    return 1


_COMMANDS = {
    ("demo", None): cmd_demo,
    ("setup", None): cmd_setup,
    ("registry", "list"): cmd_registry_list,
    ("registry", "import-xlsx"): cmd_registry_import,
    ("registry", "export-xlsx"): cmd_registry_export,
    ("plan", "check"): cmd_plan_check,
    ("plan", "export-xlsx"): cmd_plan_export,
    ("plan", "import-xlsx"): cmd_plan_import,
    ("plan", "print"): cmd_plan_print,
    ("visits", "report"): cmd_visits_report,
    ("visits", "list"): cmd_visits_list,
    ("visits", "travel-plan"): cmd_visits_travel_plan,
    ("deadlines", None): cmd_deadlines,
    ("kpi", None): cmd_kpi,
    ("strength", "import-xlsx"): cmd_strength_import,
    ("users", "list"): cmd_users_list,
    ("users", "reset-password"): cmd_users_reset,
}
_COMMANDS.update(cli_sync.COMMANDS)
