"""The sync package container (docs/sync-format.md): build, write, open, and refuse every
damaged or forged file. Pure file format: real files in tmp_path, no database."""

from __future__ import annotations

import base64
import hashlib
import io
import os
import re
import shutil
import struct
import subprocess
import time
import warnings
import zipfile
import zlib
from collections import Counter
from datetime import date
from decimal import Decimal
from pathlib import Path

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.errors import CoopDeskError
from app.exchange.sync import (
    CODES,
    ENTRY_ORDER,
    FORMAT_VERSION,
    KeyRing,
    Manifest,
    Package,
    SigningKey,
    SyncError,
    build_package,
    canonical_json,
    iter_jsonl,
    jsonl,
    open_package,
    package_file_name,
    write_package,
)
from app.exchange.sync.container import SIGNED_PREFIX, assemble_package, unsafe_entry_name, unverified_signer
from app.exchange.sync.errors import CONTAINER_CODES, SERVICE_CODES, placeholders

ROOT = Path(__file__).resolve().parents[2]
KEY = SigningKey.from_private_bytes(hashlib.sha256(b"office 62 test key").digest())
OTHER = SigningKey.from_private_bytes(hashlib.sha256(b"office 63 test key").digest())
CENTRAL = SigningKey.from_private_bytes(hashlib.sha256(b"central test key").digest())
RING = KeyRing([("62", KEY.public), ("63", OTHER.public), ("CENTRAL", CENTRAL.public)])

FIELDS = {
    "schema_revision": "a1b2c3d4e5f6", "kind": "province_to_central",
    "package_id": "6f1c1f3e-1b1a-4c8e-9a55-2f1d7f3a9e10", "source_office": "62",
    "source_install": "0b7f6a52-3f57-4c3e-8d0f-0e3f2d1c9b8a", "target_office": "CENTRAL", "seq": 3,
    "prev_hash": "ab" * 32, "acknowledged": {"seq": 2, "package_hash": "cd" * 32, "change_seq": 41},
    "created_at": "2026-05-10T03:04:05Z",
}
RECORDS = [
    {"table": "institution", "op": "upsert", "id": "11111111-1111-4111-8111-111111111111", "rev": 4,
     "row": {"name": "สหกรณ์การเกษตรเมืองกำแพงเพชร จำกัด", "members": 1520, "capital": Decimal("1500000.00")}},
    {"table": "institution", "op": "delete", "id": "22222222-2222-4222-8222-222222222222", "rev": 2},
    {"table": "visit", "op": "upsert", "id": "33333333-3333-4333-8333-333333333333", "rev": 1,
     "row": {"findings": "งบการเงินยังไม่ปิด", "date": "2026-05-01"}},
]
EVENTS = [{"type": "approved", "entity": "visit", "id": "33333333-3333-4333-8333-333333333333", "by": "ผอ."},
          {"type": "returned", "entity": "plan", "id": "44444444-4444-4444-8444-444444444444", "note": "แก้ไข"}]
ACKS = [{"package_id": "55555555-5555-4555-8555-555555555555", "seq": 2, "result": "imported"},
        {"package_id": "66666666-6666-4666-8666-666666666666", "seq": 1, "result": "imported"}]
PAYLOADS = {"records.jsonl": jsonl(RECORDS), "events.jsonl": jsonl(EVENTS), "acks.jsonl": jsonl(ACKS)}


def sample() -> tuple[Manifest, bytes]:
    return build_package(FIELDS, PAYLOADS, KEY)


MANIFEST, DATA = sample()


def refused(data, code: str | set[str], **kw) -> SyncError:
    codes = {code} if isinstance(code, str) else code
    with pytest.raises(SyncError) as info:
        open_package(data, kw.pop("key_for", RING), **kw)
    assert info.value.code in codes, (info.value.code, info.value.details)
    return info.value


def file_info(data: bytes) -> dict:
    return {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data), "records": data.count(b"\n")}


def forge(patch: dict | None = None, *, drop: tuple[str, ...] = (), payloads: dict | None = None,
          refresh: bool = True, raw: bytes | None = None, key: SigningKey = KEY) -> bytes:
    """A package whose manifest is changed and then properly signed again (by `key`)."""
    doc = orjson.loads(MANIFEST.to_json_bytes())
    payloads = dict(PAYLOADS if payloads is None else payloads)
    if refresh:
        doc["files"] = {name: file_info(payloads.get(name, b"")) for name in ENTRY_ORDER[2:]}
    doc.update(patch or {})
    for name in drop:
        del doc[name]
    manifest_bytes = canonical_json(doc) if raw is None else raw
    return assemble_package(manifest_bytes, key.sign(SIGNED_PREFIX + manifest_bytes), payloads)


def zipfile_package(entries: list[tuple[str, bytes]], compress: int = zipfile.ZIP_STORED) -> bytes:
    buf = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # duplicate names
        with zipfile.ZipFile(buf, "w", compression=compress) as zf:
            for name, data in entries:
                zf.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), data, compress_type=compress)
    return buf.getvalue()


def real_entries() -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(DATA)) as zf:
        return [(name, zf.read(name)) for name in ENTRY_ORDER]


# -- round trip and reproducibility ---------------------------------------------------------------


def test_round_trip_through_a_file(tmp_path):
    path = write_package(tmp_path, MANIFEST, DATA)
    assert path == tmp_path / "62-000003-20260510.coopsync"
    assert path.read_bytes() == DATA
    package = open_package(path, RING, supported_schemas={"a1b2c3d4e5f6"})
    assert isinstance(package, Package)
    assert package.manifest == MANIFEST
    assert package.payloads == PAYLOADS
    assert package.file_hash == hashlib.sha256(DATA).hexdigest() and package.size == len(DATA)
    records = list(package.records())
    assert records[0]["row"]["capital"] == "1500000.00"  # Decimal travels as its exact text
    assert records[0]["row"]["name"] == "สหกรณ์การเกษตรเมืองกำแพงเพชร จำกัด"
    assert [r["id"] for r in records] == [r["id"] for r in RECORDS]
    assert list(package.events()) == EVENTS and list(package.acks()) == ACKS
    assert open_package(DATA, RING).manifest == MANIFEST  # bytes work as well as a path


def test_the_manifest_counts_what_the_payloads_hold():
    assert MANIFEST.format_version == FORMAT_VERSION and MANIFEST.key_id == KEY.public.key_id
    assert MANIFEST.tables == {"institution": 2, "visit": 1}
    assert MANIFEST.files["records.jsonl"] == file_info(PAYLOADS["records.jsonl"])
    assert MANIFEST.files["events.jsonl"]["records"] == 2 and MANIFEST.files["acks.jsonl"]["records"] == 2
    assert Manifest.from_json_bytes(MANIFEST.to_json_bytes()) == MANIFEST


def test_the_same_inputs_give_the_same_bytes():
    again = build_package(dict(FIELDS), {k: bytes(v) for k, v in PAYLOADS.items()},
                          SigningKey.from_private_bytes(KEY.private_bytes()))
    assert again[1] == DATA and again[0] == MANIFEST
    other_order = build_package(dict(reversed(FIELDS.items())), dict(reversed(PAYLOADS.items())), KEY)
    assert other_order[1] == DATA


def test_the_zip_is_plain_and_fixed():
    with zipfile.ZipFile(io.BytesIO(DATA)) as zf:
        assert zf.testzip() is None and zf.comment == b""
        infos = zf.infolist()
    assert tuple(i.filename for i in infos) == ENTRY_ORDER
    for info in infos:
        assert info.compress_type == zipfile.ZIP_STORED and info.date_time == (1980, 1, 1, 0, 0, 0)
        assert info.create_system == 3 and info.external_attr == 0o100644 << 16
        assert info.extra == b"" and info.comment == b"" and info.flag_bits == 0
    assert len(real_entries()[1][1]) == 64  # the raw Ed25519 signature


@pytest.mark.skipif(shutil.which("unzip") is None, reason="unzip not installed")
def test_a_standard_unzip_tool_accepts_the_file(tmp_path):
    path = write_package(tmp_path / "p.coopsync", MANIFEST, DATA)
    result = subprocess.run(["unzip", "-t", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_package_without_events_or_acks():
    manifest, data = build_package(dict(FIELDS, seq=1, prev_hash=None), {"records.jsonl": PAYLOADS["records.jsonl"]},
                                   KEY)
    package = open_package(data, RING)
    assert package.payloads["events.jsonl"] == b"" and package.payloads["acks.jsonl"] == b""
    assert manifest.files["acks.jsonl"] == {"sha256": hashlib.sha256(b"").hexdigest(), "bytes": 0, "records": 0}
    empty = build_package(dict(FIELDS, seq=1, prev_hash=None), {}, KEY)[1]
    assert open_package(empty, RING).manifest.tables == {}


# -- every byte counts ----------------------------------------------------------------------------


def test_every_single_byte_change_is_refused():
    assert all(len(data) > 0 for data in PAYLOADS.values())
    seen: Counter = Counter()
    accepted = []
    started = time.perf_counter()
    for position in range(len(DATA)):
        for mask in (0xFF, 0x01):
            changed = bytearray(DATA)
            changed[position] ^= mask
            try:
                result = open_package(bytes(changed), RING, supported_schemas={FIELDS["schema_revision"]})
            except SyncError as exc:
                assert exc.code in CONTAINER_CODES, (position, mask, exc.code)
                seen[exc.code] += 1
            else:
                accepted.append((position, mask, result))
    elapsed = time.perf_counter() - started
    assert accepted == []
    assert sum(seen.values()) == 2 * len(DATA)
    assert {"E_CONTAINER", "E_UNEXPECTED_ENTRY"} <= set(seen)  # zip CRCs and names catch most
    assert elapsed < 20, f"{2 * len(DATA)} verifications took {elapsed:.1f} s"


def test_every_single_byte_change_inside_an_entry_is_refused_even_with_fixed_crcs():
    """The forger's version: change one byte of an entry and write a well-formed zip around it."""
    entries = dict(real_entries())
    seen: Counter = Counter()
    accepted = []
    for name, content in entries.items():
        for position in range(len(content)):
            for mask in (0xFF, 0x01):
                changed = bytearray(content)
                changed[position] ^= mask
                parts = dict(entries, **{name: bytes(changed)})
                data = assemble_package(parts["manifest.json"], parts["manifest.sig"], parts)
                try:
                    result = open_package(data, RING, supported_schemas={FIELDS["schema_revision"]})
                except SyncError as exc:
                    assert exc.code in CONTAINER_CODES, (name, position, mask, exc.code)
                    seen[name, exc.code] += 1
                else:
                    accepted.append((name, position, mask, result))
    assert accepted == []
    codes = {code for _name, code in seen}
    assert {"E_SIGNATURE", "E_MANIFEST", "E_HASH"} <= codes
    assert {code for name, code in seen if name.endswith(".jsonl")} == {"E_HASH"}
    assert {code for name, code in seen if name == "manifest.sig"} == {"E_SIGNATURE"}


def test_a_truncated_file_is_refused():
    for length in range(0, len(DATA), 97):
        assert refused(DATA[:length], "E_CONTAINER")
    refused(DATA[:-1], "E_CONTAINER")


@pytest.mark.parametrize("tail", [b"\0", b"PK\x05\x06" + bytes(18), DATA])
def test_bytes_after_the_end_are_refused(tail):
    refused(DATA + tail, {"E_CONTAINER", "E_UNEXPECTED_ENTRY"})


@pytest.mark.parametrize("head", [b"\0", b"PK\x03\x04", DATA, b"MZ" + bytes(100)])
def test_bytes_before_the_start_are_refused(head):
    refused(head + DATA, "E_CONTAINER")


def test_the_same_entries_written_by_zipfile_are_refused():
    # Every entry is genuine and verifies; only the zip headers differ from the writer's.
    refused(zipfile_package(real_entries()), "E_CONTAINER")
    refused(zipfile_package(real_entries(), zipfile.ZIP_DEFLATED), "E_CONTAINER")


# -- entry names and sizes ------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["../x", "/etc/x", "a\\..\\b", "C:x", "records/../../x", "c:/x"])
def test_unsafe_entry_names_are_refused(name):
    entries = real_entries()
    entries.insert(2, (name, b"{}\n"))
    refused(zipfile_package(entries), "E_UNSAFE_PATH")
    entries = real_entries()
    entries[4] = (name, entries[4][1])
    refused(zipfile_package(entries), "E_UNSAFE_PATH")


def test_unsafe_entry_name_rules():
    assert not any(unsafe_entry_name(n) for n in ENTRY_ORDER)
    assert all(unsafe_entry_name(n) for n in ["", "/x", "\\x", "a/../b", "./a", "a//b/..", "D:", "x:y", "a\tb"])


def test_a_duplicate_entry_is_refused():
    entries = real_entries()
    entries.insert(3, entries[2])
    error = refused(zipfile_package(entries), "E_DUPLICATE_ENTRY")
    assert error.fmt["entry"] == "records.jsonl"


@pytest.mark.parametrize("change", ["extra", "missing", "swapped", "renamed"])
def test_unexpected_entries_are_refused(change):
    entries = real_entries()
    if change == "extra":
        entries.append(("notes.txt", b"hello"))
    elif change == "missing":
        del entries[4]
    elif change == "swapped":
        entries[2], entries[3] = entries[3], entries[2]
    else:
        entries[2] = ("Records.jsonl", entries[2][1])
    refused(zipfile_package(entries), "E_UNEXPECTED_ENTRY")


def bomb_zip(entries: list[tuple[str, bytes]], declared: dict[str, int]) -> bytes:
    """A stored zip whose central directory declares some entries (via zip64 extra) huge."""
    local, central, offset = [], [], 0
    for name, data in entries:
        raw = name.encode()
        crc = 0 if name in declared else zlib.crc32(data)
        head = struct.pack("<IHHHHHIIIHH", 0x04034B50, 45, 0, 0, 0, 33, crc, len(data), len(data), len(raw), 0)
        size, extra = len(data), b""
        if name in declared:
            size, extra = 0xFFFFFFFF, struct.pack("<HHQQ", 1, 16, declared[name], declared[name])
        central.append(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 0x031E, 45, 0, 0, 0, 33, crc, size, size,
                                   len(raw), len(extra), 0, 0, 0, 0o100644 << 16, offset) + raw + extra)
        local.append(head + raw + data)
        offset += len(head) + len(raw) + len(data)
    directory = b"".join(central)
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(directory), offset, 0)
    return b"".join(local) + directory + end


def test_a_name_hiding_a_nul_byte_is_refused():
    entries = real_entries()
    entries[2] = ("records.jsonl\x00/../../evil", entries[2][1])  # zipfile shows only "records.jsonl"
    error = refused(bomb_zip(entries, {}), "E_UNSAFE_PATH")
    assert "\x00" not in error.message and "\\x00" in error.message


def test_an_entry_declared_10_gib_is_refused_without_reading(monkeypatch):
    data = bomb_zip(real_entries(), {"records.jsonl": 10 * 1024**3})
    with zipfile.ZipFile(io.BytesIO(data)) as zf:  # the declaration is what zipfile sees
        assert zf.getinfo("records.jsonl").file_size == 10 * 1024**3

    def no_reading(*args, **kwargs):
        raise AssertionError("an entry was read")

    monkeypatch.setattr(zipfile.ZipFile, "open", no_reading)
    error = refused(data, "E_TOO_LARGE")
    assert error.fmt["entry"] == "records.jsonl"


def test_an_oversized_file_or_entry_is_refused(tmp_path):
    path = write_package(tmp_path, MANIFEST, DATA)
    refused(path, "E_TOO_LARGE", max_bytes=len(DATA) - 1)
    refused(DATA, "E_TOO_LARGE", max_bytes=len(DATA) - 1)
    assert open_package(path, RING, max_bytes=len(DATA)).size == len(DATA)
    many = jsonl({"table": "visit", "n": i} for i in range(300))
    data = build_package(FIELDS, {"records.jsonl": many}, KEY)[1]
    error = refused(data, "E_TOO_LARGE", max_entry=len(many) - 1)
    assert error.fmt["entry"] == "records.jsonl" and error.fmt["limit"] == f"{len(many) - 1:,}"
    assert open_package(data, RING, max_entry=len(many)).manifest.tables == {"visit": 300}
    with pytest.raises(SyncError) as info:
        build_package(FIELDS, PAYLOADS, KEY, max_bytes=len(DATA) - 1)
    assert info.value.code == "E_TOO_LARGE"


def test_an_unreadable_path_is_reported(tmp_path):
    refused(tmp_path / "gone.coopsync", "E_READ")
    refused(tmp_path, "E_READ")  # a folder


# -- signer and signature -------------------------------------------------------------------------


def test_an_unknown_signer_is_refused():
    error = refused(DATA, "E_UNKNOWN_SIGNER", key_for=KeyRing())
    assert error.fmt == {"source": "62", "key_id": KEY.public.key_id}
    assert "62" in error.message and KEY.public.key_id in error.message


def test_the_right_key_id_with_a_different_key_is_refused():
    refused(DATA, "E_SIGNATURE", key_for=lambda office, key_id: OTHER.public)
    # A forger signs with their own key but names the office's key id in the manifest.
    forged = forge(key=OTHER)
    assert orjson.loads(real_entries()[0][1])["key_id"] == KEY.public.key_id
    refused(forged, "E_SIGNATURE")


def signed_by(key: SigningKey) -> dict:
    """The manifest fields naming the signer."""
    return {"key_id": key.public.key_id, "signer_key": base64.b64encode(key.public.raw).decode()}


def test_a_key_registered_for_another_office_is_unknown_for_this_one():
    # Office 63 signs with its own (trusted, registered) key but claims to be office 62.
    claimed = forge(signed_by(OTHER), key=OTHER)
    refused(claimed, "E_UNKNOWN_SIGNER")
    # The same package under its true office name is fine.
    assert open_package(forge({**signed_by(OTHER), "source_office": "63"}, key=OTHER), RING)


def test_the_signer_key_must_be_the_key_named_by_its_id():
    refused(forge({"signer_key": signed_by(OTHER)["signer_key"]}), "E_MANIFEST")


def test_an_untrusted_package_shows_the_key_that_really_signed_it():
    manifest, key = unverified_signer(DATA)
    assert (manifest.source_office, key.fingerprint) == ("62", KEY.public.fingerprint)
    with pytest.raises(SyncError) as err:  # a package re-signed by someone else is not passed off
        unverified_signer(forge({"source_office": "62"}, key=OTHER))
    assert err.value.code == "E_SIGNATURE"


def test_a_bad_signature_entry_is_refused():
    manifest_bytes = MANIFEST.to_json_bytes()
    for signature in (b"", b"\0" * 63, b"\0" * 64, KEY.sign(SIGNED_PREFIX + manifest_bytes) + b"\0"):
        refused(assemble_package(manifest_bytes, signature, PAYLOADS), "E_SIGNATURE")
    without_prefix = KEY.sign(manifest_bytes)  # a signature of the same bytes made for another purpose
    refused(assemble_package(manifest_bytes, without_prefix, PAYLOADS), "E_SIGNATURE")
    assert open_package(assemble_package(manifest_bytes, KEY.sign(SIGNED_PREFIX + manifest_bytes), PAYLOADS), RING)


# -- the manifest ---------------------------------------------------------------------------------


@pytest.mark.parametrize("patch", [
    {"format_version": 2, "min_reader_version": 2},
    {"format_version": 2},
    {"format_version": 2, "min_reader_version": 2, "new_field": 1},
])
def test_a_newer_format_is_refused(patch):
    refused(forge(patch), "E_UNSUPPORTED_FORMAT")


@pytest.mark.parametrize("patch, drop", [
    ({"comment": "x"}, ()),
    ({}, ("tables",)),
    ({}, ("acknowledged",)),
    ({"seq": "3"}, ()),
    ({"seq": True}, ()),
    ({"seq": 1}, ()),  # seq 1 has no previous package
    ({"prev_hash": None}, ()),
    ({"kind": "sideways"}, ()),
    ({"package_id": "not-a-uuid"}, ()),
    ({"package_id": "6F1C1F3E-1B1A-4C8E-9A55-2F1D7F3A9E10"}, ()),
    ({"created_at": "2026-05-10 03:04:05"}, ()),
    ({"created_at": "2026-13-10T03:04:05Z"}, ()),
    ({"source_office": ""}, ()),
    ({"source_office": " 62"}, ()),
    ({"acknowledged": [1]}, ()),
    ({"acknowledged": {"x": 1.5}}, ()),
    ({"tables": {"institution": -1, "visit": 1}}, ()),
    ({"min_reader_version": 0}, ()),
    ({"files": {"records.jsonl": {}}}, ()),
])
def test_a_malformed_manifest_is_refused(patch, drop):
    refused(forge(patch, drop=drop), "E_MANIFEST")


def test_a_manifest_that_is_not_canonical_is_refused():
    canonical = MANIFEST.to_json_bytes()
    for raw in (orjson.dumps(orjson.loads(canonical), option=orjson.OPT_INDENT_2),
                canonical + b"\n", b" " + canonical,
                canonical.replace(b'{"acknowledged"', b'{"seq":3,"acknowledged"', 1)):  # duplicate key
        refused(forge(raw=raw), "E_MANIFEST")
    refused(forge(raw=b"[]"), "E_MANIFEST")
    refused(forge(raw=b"\xff"), "E_MANIFEST")


def test_a_file_that_differs_from_its_signed_hash_is_refused():
    doc = orjson.loads(MANIFEST.to_json_bytes())
    files = doc["files"]
    files["events.jsonl"] = dict(files["events.jsonl"], sha256="00" * 32)
    error = refused(forge({"files": files}), "E_HASH")
    assert error.fmt["entry"] == "events.jsonl"
    files = orjson.loads(MANIFEST.to_json_bytes())["files"]
    files["acks.jsonl"] = dict(files["acks.jsonl"], bytes=files["acks.jsonl"]["bytes"] + 1)
    refused(forge({"files": files}), "E_HASH")


def test_wrong_counts_are_refused():
    refused(forge({"tables": {"institution": 1, "visit": 2}}), "E_COUNT")
    refused(forge({"tables": {"institution": 2, "visit": 1, "plan": 0}}), "E_COUNT")
    files = orjson.loads(MANIFEST.to_json_bytes())["files"]
    files["acks.jsonl"] = dict(files["acks.jsonl"], records=3)
    error = refused(forge({"files": files}, refresh=False), "E_COUNT")
    assert error.fmt["entry"] == "acks.jsonl"


@pytest.mark.parametrize("entry, payload, line", [
    ("events.jsonl", b'{"a":1}\n{not json}\n{"b":2}\n', 2),
    ("events.jsonl", b'{"a":1}\n\n', 2),
    ("acks.jsonl", b'{"a":1}\n[1,2]\n', 2),
    ("acks.jsonl", b'{"a":1}\n{"b":2}', 2),  # no final newline
    ("records.jsonl", b'{"table":"visit"}\n{"table":"visit"}\n{"op":"upsert"}\n', 3),
    ("records.jsonl", b'{"table":""}\n', 1),
])
def test_a_bad_line_is_refused_with_its_number(entry, payload, line):
    payloads = dict(PAYLOADS, **{entry: payload})
    error = refused(forge({"tables": {"visit": 2}} if entry == "records.jsonl" else None, payloads=payloads),
                    "E_RECORD")
    assert error.fmt == {"line": line, "entry": entry}
    assert f"บรรทัดที่ {line} ของ {entry}" in error.message


def test_an_unknown_schema_revision_is_refused():
    error = refused(DATA, "E_SCHEMA", supported_schemas={"0123456789ab"})
    assert FIELDS["schema_revision"] in error.message
    assert open_package(DATA, RING, supported_schemas=[FIELDS["schema_revision"], "x"])


def test_build_refuses_programming_errors():
    with pytest.raises(ValueError, match="missing"):
        build_package({k: v for k, v in FIELDS.items() if k != "seq"}, PAYLOADS, KEY)
    with pytest.raises(ValueError, match="unexpected"):
        build_package(dict(FIELDS, key_id="0" * 16), PAYLOADS, KEY)
    with pytest.raises(ValueError, match="unknown payload"):
        build_package(FIELDS, {"notes.txt": b""}, KEY)
    with pytest.raises(ValueError, match="kind"):
        build_package(dict(FIELDS, kind="x"), PAYLOADS, KEY)
    with pytest.raises(SyncError) as info:
        build_package(FIELDS, {"records.jsonl": b'{"op":"upsert"}\n'}, KEY)
    assert info.value.code == "E_RECORD" and info.value.fmt["line"] == 1


# -- canonical JSON -------------------------------------------------------------------------------


def test_canonical_json_rules():
    assert canonical_json({"b": 1, "a": [1, {"d": None, "c": "ไทย"}]}) == \
        '{"a":[1,{"c":"ไทย","d":null}],"b":1}'.encode()
    assert canonical_json({"m": Decimal("1500.00")}) == b'{"m":"1500.00"}'
    for bad in (float("nan"), {"x": [float("inf")]}, Decimal("NaN"), {1: 2}, {"x": object()}, 2**64, {"s": {1}}):
        with pytest.raises((ValueError, TypeError)):
            canonical_json(bad)
    assert jsonl([]) == b"" and jsonl([{"a": 1}, {}]) == b'{"a":1}\n{}\n'


def test_iter_jsonl_is_lazy_and_numbers_lines():
    lines = iter_jsonl(b'{"a":1}\n{"b":2}\nnope\n', entry="events.jsonl")
    assert next(lines) == {"a": 1} and next(lines) == {"b": 2}
    with pytest.raises(SyncError) as info:
        next(lines)
    assert info.value.code == "E_RECORD" and info.value.fmt == {"line": 3, "entry": "events.jsonl"}
    assert list(iter_jsonl(b"", entry="x")) == []


scalars = (st.none() | st.booleans() | st.integers(min_value=-(2**63), max_value=2**63 - 1) | st.text(max_size=20)
           | st.floats(allow_nan=False, allow_infinity=False))
json_values = scalars | st.lists(scalars, max_size=3) | st.dictionaries(st.text(max_size=6), scalars, max_size=3)
json_lines = st.lists(st.dictionaries(st.text(max_size=10), json_values, max_size=6), max_size=8)


@settings(max_examples=60, deadline=None)
@given(json_lines)
def test_random_lines_round_trip_exactly(lines):
    data = jsonl(lines)
    assert list(iter_jsonl(data, entry="events.jsonl")) == lines
    assert jsonl(iter_jsonl(data, entry="events.jsonl")) == data


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(json_lines, st.lists(st.sampled_from(["institution", "visit", "plan_item", "ตาราง"]), max_size=8))
def test_random_payloads_round_trip_through_a_package(lines, tables):
    records = [dict(line, table=table) for line, table in zip(lines, tables)]
    payloads = {"records.jsonl": jsonl(records), "events.jsonl": jsonl(lines)}
    manifest, data = build_package(FIELDS, payloads, KEY)
    package = open_package(data, RING)
    assert list(package.records()) == records and list(package.events()) == lines
    assert manifest.tables == dict(Counter(tables[:len(records)]))


# -- writing and naming ---------------------------------------------------------------------------


def test_package_file_names():
    assert package_file_name("62", 3, date(2026, 5, 10)) == "62-000003-20260510.coopsync"
    assert package_file_name("CENTRAL", 12, date(2026, 1, 2), "62") == "CENTRAL-62-000012-20260102.coopsync"
    assert package_file_name("../a b", 1, date(2026, 1, 2)) == ".._a_b-000001-20260102.coopsync"


def test_write_package_to_a_file_or_a_folder(tmp_path):
    path = write_package(tmp_path / "chosen.coopsync", MANIFEST, DATA)
    assert path.name == "chosen.coopsync" and path.read_bytes() == DATA
    fields = dict(FIELDS, kind="central_to_province", source_office="CENTRAL", target_office="62")
    manifest, data = build_package(fields, PAYLOADS, CENTRAL)
    assert write_package(tmp_path, manifest, data).name == "CENTRAL-62-000003-20260510.coopsync"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["CENTRAL-62-000003-20260510.coopsync", "chosen.coopsync"]


def test_a_failed_write_leaves_no_half_written_package(tmp_path, monkeypatch):
    path = write_package(tmp_path, MANIFEST, DATA)

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(CoopDeskError):
        write_package(tmp_path, MANIFEST, DATA[:100])
    assert [p.name for p in tmp_path.iterdir()] == [path.name] and path.read_bytes() == DATA


# -- errors and the spec --------------------------------------------------------------------------


def test_sync_errors_carry_a_code_and_a_thai_sentence():
    error = SyncError("E_RECORD", line=7, entry="records.jsonl", details="x")
    assert isinstance(error, CoopDeskError) and error.exit_code == 2
    assert error.code == "E_RECORD" and str(error) == error.message and error.details == "x"
    assert "บรรทัดที่ 7 ของ records.jsonl" in error.message
    assert "?" in SyncError("E_FORK").message  # a missing value never hides the error
    assert SyncError("E_HASH", "ข้อความเอง").message == "ข้อความเอง"
    with pytest.raises(ValueError):
        SyncError("E_NOPE")
    thai = re.compile("[\u0e00-\u0e7f]")
    for code, sentence in CODES.items():
        assert thai.search(sentence) and "\n" not in sentence, code
    assert CONTAINER_CODES | SERVICE_CODES | {"E_READ", "E_KEY_FILE"} == set(CODES)


def test_the_spec_lists_every_code_with_its_sentence():
    spec = (ROOT / "docs" / "sync-format.md").read_text(encoding="utf-8")
    for code, sentence in CODES.items():
        assert f"`{code}`" in spec, code
        assert sentence in spec, code
        for name in placeholders(code):
            assert f"{{{name}}}" in spec
    for name in ENTRY_ORDER:
        assert f"`{name}`" in spec
    for field in Manifest.__dataclass_fields__:
        assert f"`{field}`" in spec, field
