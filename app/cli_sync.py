"""`coopdesk sync …`: exchanging packages with the central office from the command line.
The same services as the sync page; kept apart from app/cli.py only for size."""

from __future__ import annotations

import sys
from pathlib import Path


def add_parser(sub, add_json) -> None:
    syn = sub.add_parser("sync", help="signed sync packages between the provinces and the central office")
    ssub = syn.add_subparsers(dest="subcommand", metavar="SUBCOMMAND", required=True)
    p = ssub.add_parser("export", help="write the next package for a peer office")
    p.add_argument("--out", type=Path, required=True, metavar="DIR_OR_FILE")
    p.add_argument("--to", metavar="OFFICE", help="the peer's office code (default: the only registered peer)")
    add_json(p)
    p = ssub.add_parser("import", help="verify and import packages (each in its own transaction)")
    p.add_argument("files", type=Path, nargs="+", metavar="FILE")
    p.add_argument("--dry-run", action="store_true",
                   help="verify and report exactly as the import would; change nothing")
    add_json(p)
    p = ssub.add_parser("key", help="this office's public key file, or trust another office's")
    p.add_argument("action", choices=("export", "trust", "trust-package"))
    p.add_argument("file", type=Path, help="export: where to write; trust: the other office's .coopkey file; "
                   "trust-package: a package from an office not yet known (trust on first use)")
    p.add_argument("--yes", action="store_true", help="trust: the fingerprint was confirmed with the other office")
    p.add_argument("--replace", action="store_true", help="trust: replace a key registered before")
    add_json(p)
    p = ssub.add_parser("publish-data", help="central office: publish a criteria set or strength rule table "
                        "to every province (travels in the next packages)")
    p.add_argument("file", type=Path, help="e.g. coop-2569.json (standards) or 2569.json (strength)")
    p.add_argument("--kind", choices=("standards", "strength"), required=True)
    add_json(p)
    p = ssub.add_parser("status", help="peer offices: last package, missing ones, forks, open conflicts")
    add_json(p)
    p = ssub.add_parser("conflicts", help="open conflicts found by imports")
    add_json(p)
    p = ssub.add_parser("resolve", help="settle a conflict by keeping the winner or taking the loser")
    p.add_argument("key")
    p.add_argument("--take", choices=("winner", "loser"), required=True)
    p.add_argument("--note", default="")
    add_json(p)


def _session_user(args):
    from app.cli import _login, _open

    db = _open(args)
    return db, _login(db, args)


def cmd_export(args) -> int:
    from app.cli import _emit
    from app.services import sync_export

    db, user = _session_user(args)
    result = sync_export.export_package(db, user, args.out, to=args.to)
    m = result.manifest
    _emit(args, result.to_json(), lambda: [
        f"เขียนแพ็กเกจลำดับที่ {m.seq} ถึง {m.target_office}: {result.path}",
        *(f"  {name}\t{count}" for name, count in sorted(m.tables.items())),
        f"  เหตุการณ์อนุมัติ\t{m.files['events.jsonl']['records']}"])
    return 0


def cmd_import(args) -> int:
    import json

    from app.errors import CoopDeskError
    from app.services import sync_import

    db, user = _session_user(args)
    results, failed = [], 0
    for path in sorted(args.files, key=lambda p: p.name):  # <office>-<seq>-… sorts in sequence order
        try:
            report = sync_import.import_package(db, user, path, dry_run=args.dry_run)
        except CoopDeskError as exc:
            failed += 1
            results.append({"ok": False, "file": str(path), "error": exc.code, "message": exc.message})
            print(f"coopdesk: {path.name}: {exc.message} ({exc.code})", file=sys.stderr)
            continue
        results.append(report.to_json())
        if not args.json:
            print("\n".join(report.text_lines()))
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=1))
    return 2 if failed else 0


def cmd_key(args) -> int:
    from app.cli import _emit
    from app.errors import ValidationError
    from app.exchange.files import write_atomically
    from app.exchange.sync.keys import read_key_file
    from app.services import sync_keys

    db, user = _session_user(args)
    if args.action == "export":
        with db.transaction(user.id) as s:
            _name, data = sync_keys.own_key_file(s, user)
            fingerprint = sync_keys.identity(s).key.public.fingerprint
        write_atomically(args.file, lambda tmp: tmp.write_bytes(data))
        _emit(args, {"ok": True, "file": str(args.file), "fingerprint": fingerprint},
              lambda: [f"เขียนกุญแจสาธารณะแล้ว: {args.file}", f"ลายนิ้วมือกุญแจ: {fingerprint}"])
        return 0
    if args.action == "trust-package":
        office, key = sync_keys.package_signer(args.file)
        if not args.yes:
            raise ValidationError(f"แพ็กเกจนี้ลงนามโดยกุญแจของสำนักงาน {office} ลายนิ้วมือ {key.fingerprint} "
                                  "โปรดยืนยันกับสำนักงานนั้นทางโทรศัพท์ แล้วสั่งอีกครั้งพร้อม --yes")
        with db.transaction(user.id) as s:
            sync_keys.trust_package_signer(s, user, args.file, key.fingerprint)
        _emit(args, {"ok": True, "office": office, "fingerprint": key.fingerprint},
              lambda: [f"ลงทะเบียนกุญแจของสำนักงาน {office} แล้ว ({key.fingerprint})"])
        return 0
    data = args.file.read_bytes()
    office, name, key = read_key_file(data)
    if not args.yes:
        raise ValidationError(f"ลายนิ้วมือกุญแจของสำนักงาน {office} คือ {key.fingerprint} "
                              "โปรดยืนยันกับสำนักงานนั้นทางโทรศัพท์ แล้วสั่งอีกครั้งพร้อม --yes")
    with db.transaction(user.id) as s:
        peer = sync_keys.trust_key_file(s, user, data, replace=args.replace)
        code = peer.office_code
    _emit(args, {"ok": True, "office": code, "fingerprint": key.fingerprint},
          lambda: [f"ลงทะเบียนกุญแจของสำนักงาน {code} {name} แล้ว ({key.fingerprint})"])
    return 0


def cmd_status(args) -> int:
    from dataclasses import asdict

    from app.cli import _emit
    from app.services import sync_views

    db, user = _session_user(args)
    with db.session() as s:
        states = sync_views.peer_states(s, user)
    _emit(args, [asdict(p) for p in states], lambda: [
        f"{p.office_code}\tรับล่าสุดลำดับที่ {p.last_in_seq}\tขาด {', '.join(map(str, p.missing)) or '-'}"
        f"\tแยกสาย {p.forks}\tขัดแย้งค้าง {p.open_conflicts}\tส่งล่าสุด {p.last_out_seq} (ตอบรับแล้ว {p.acked_out_seq})"
        for p in states] or ["ยังไม่ได้ลงทะเบียนสำนักงานใด"])
    return 0


def cmd_conflicts(args) -> int:
    from app.cli import _emit
    from app.services import sync_views

    db, user = _session_user(args)
    with db.session() as s:
        rows = sync_views.conflicts(s, user)
        data = [{"key": c.key, "table": c.table_name, "id": c.record_id, "kind": c.kind, "peer": c.peer_office,
                 "diff": c.diff} for c in rows]
    _emit(args, data, lambda: [f"{c['key'][:12]}\t{c['table']}\t{c['id']}\t{c['kind']}\t"
                               f"{', '.join(d[0] for d in c['diff'])}" for c in data] or ["ไม่มีข้อมูลขัดแย้งค้าง"])
    return 0


def cmd_resolve(args) -> int:
    from app.cli import _emit
    from app.errors import NotFound, ValidationError
    from app.services import sync_views

    db, user = _session_user(args)
    with db.transaction(user.id) as s:
        matches = [c.key for c in sync_views.conflicts(s, user) if c.key.startswith(args.key)]
        if not matches:
            raise NotFound("ไม่พบรายการข้อมูลขัดแย้งที่ค้างอยู่ตามรหัสที่ระบุ")
        if len(matches) > 1:
            raise ValidationError("รหัสที่ระบุตรงกับหลายรายการ โปรดระบุให้ยาวขึ้น")
        resolution = "kept_winner" if args.take == "winner" else "took_loser"
        sync_views.resolve(s, user, matches[0], resolution, args.note)
    _emit(args, {"ok": True, "key": matches[0], "resolution": resolution},
          lambda: [f"ตัดสินแล้ว: {sync_views.RESOLUTIONS[resolution]}"])
    return 0


def cmd_publish(args) -> int:
    from app.cli import _emit
    from app.services import master_data

    db, user = _session_user(args)
    with db.transaction(user.id) as s:
        row = master_data.publish(s, user, args.kind, args.file)
        name = row.name
    master_data.apply(db)
    _emit(args, {"ok": True, "kind": args.kind, "name": name},
          lambda: [f"ประกาศ{master_data.KINDS[args.kind]} {name} แล้ว จะส่งถึงสำนักงานจังหวัดในแพ็กเกจถัดไป"])
    return 0


COMMANDS = {
    ("sync", "export"): cmd_export,
    ("sync", "import"): cmd_import,
    ("sync", "key"): cmd_key,
    ("sync", "publish-data"): cmd_publish,
    ("sync", "status"): cmd_status,
    ("sync", "conflicts"): cmd_conflicts,
    ("sync", "resolve"): cmd_resolve,
}
