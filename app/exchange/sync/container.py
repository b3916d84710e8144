"""The sync package file: a signed, reproducible zip of five entries (docs/sync-format.md).

`build_package` makes the bytes, `write_package` puts them on disk without ever leaving a
half-written file, `open_package` verifies everything before it returns anything. The zip
is written byte for byte by `write_zip` (not by zipfile, whose output differs between
Python versions), and `open_package` rebuilds the zip from the verified entries and
compares it with the input: a single changed byte anywhere in the file is refused.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import io
import os
import re
import struct
import uuid
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass
from dataclasses import fields as dataclass_fields
from datetime import UTC, date, datetime
from pathlib import Path

import orjson

from app.exchange.sync.canonical import canonical_json, count_lines, iter_jsonl
from app.exchange.sync.errors import SyncError
from app.exchange.sync.keys import SIGNATURE_BYTES, PublicKey, SigningKey
from app.i18n import _
from app.thai import THAI_TIME

FORMAT_VERSION = 1
READER_VERSION = 1
SUFFIX = ".coopsync"
ENTRY_ORDER = ("manifest.json", "manifest.sig", "records.jsonl", "events.jsonl", "acks.jsonl")
PAYLOAD_ENTRIES = ENTRY_ORDER[2:]
KINDS = ("province_to_central", "central_to_province")
#: The signature covers this prefix followed by the manifest bytes (domain separation, so a
#: signature made for anything else can never pass as a package signature).
SIGNED_PREFIX = b"CoopDesk sync manifest v1\x00"

# Verifying and applying a package takes about five times its size in memory (measured:
# 1.05 GB for a 194 MB package of 100k visits), so the limit stays well inside an office PC.
MAX_PACKAGE_BYTES = 512 * 1024**2
MAX_ENTRY_BYTES = 512 * 1024**2
MAX_MANIFEST_BYTES = 1024**2
_ZIP_LIMIT = 0xFFFFFFFF  # no zip64: every size and offset fits 32 bits
_READ_CHUNK = 1024**2

# Reproducible zip constants (docs/sync-format.md §6).
_VERSION_NEEDED = 20  # 2.0
_VERSION_MADE_BY = (3 << 8) | 20  # Unix, 2.0
_DOS_TIME = 0  # 00:00:00
_DOS_DATE = (0 << 9) | (1 << 5) | 1  # 1980-01-01
_EXTERNAL_ATTR = 0o100644 << 16  # regular file, rw-r--r--
_LOCAL = struct.Struct("<IHHHHHIIIHH")
_CENTRAL = struct.Struct("<IHHHHHHIIIHHHHHII")
_END = struct.Struct("<IHHHHIIH")
_LOCAL_SIG, _CENTRAL_SIG, _END_SIG = 0x04034B50, 0x02014B50, 0x06054B50


# --------------------------------------------------------------------------------------------
# Manifest


_HEX = frozenset("0123456789abcdef")
_CREATED_AT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z")
_FILE_FIELDS = frozenset({"sha256", "bytes", "records"})
_MAX_TEXT = 64


@dataclass(frozen=True)
class Manifest:
    """What the package holds and who made it; every field is required in the JSON."""

    format_version: int
    min_reader_version: int
    schema_revision: str
    kind: str
    package_id: str
    source_office: str
    source_install: str
    key_id: str
    signer_key: str  # base64 of the raw public key: lets a receiver trust it on first use
    target_office: str
    seq: int
    prev_hash: str | None
    acknowledged: dict
    created_at: str
    files: dict[str, dict]
    tables: dict[str, int]

    def to_dict(self) -> dict:
        return {f.name: getattr(self, f.name) for f in dataclass_fields(self)}

    def to_json_bytes(self) -> bytes:
        return canonical_json(self.to_dict())

    @property
    def created_date(self) -> date:
        """The UTC date of created_at (used in the file name)."""
        return date.fromisoformat(self.created_at[:10])

    @classmethod
    def from_json_bytes(cls, data: bytes) -> Manifest:
        """Strict: unknown or missing fields and wrong types -> E_MANIFEST; a manifest whose
        version fields say it is newer than this reader -> E_UNSUPPORTED_FORMAT (checked before
        the fields, since a newer format may have fields this reader does not know)."""
        try:
            doc = orjson.loads(data)
        except orjson.JSONDecodeError as exc:
            raise SyncError("E_MANIFEST", details=f"manifest.json is not JSON: {exc}") from None
        if not isinstance(doc, dict):
            raise SyncError("E_MANIFEST", details="manifest.json is not a JSON object")
        _check_versions(doc)
        problem = manifest_problem(doc)
        if problem:
            raise SyncError("E_MANIFEST", details=problem)
        return cls(**doc)


MANIFEST_FIELDS = tuple(f.name for f in dataclass_fields(Manifest))


def _check_versions(doc: dict) -> None:
    fv, mr = doc.get("format_version"), doc.get("min_reader_version")
    if _is_int(fv) and _is_int(mr) and (fv > FORMAT_VERSION or mr > READER_VERSION):
        raise SyncError("E_UNSUPPORTED_FORMAT",
                        details=f"format_version {fv}, min_reader_version {mr}; this reader: {READER_VERSION}")


def _is_int(v: object, low: int | None = None) -> bool:
    return type(v) is int and (low is None or v >= low)


def _is_hex(v: object, length: int) -> bool:
    return type(v) is str and len(v) == length and _HEX.issuperset(v)


def _is_text(v: object) -> bool:
    """A code or name: 1..64 printable characters, no surrounding spaces."""
    return type(v) is str and 0 < len(v) <= _MAX_TEXT and v.isprintable() and v == v.strip()


def _has_float(obj: object) -> bool:
    stack = [obj]
    while stack:
        v = stack.pop()
        if type(v) is float:
            return True
        if type(v) is dict:
            stack.extend(v.values())
        elif type(v) is list:
            stack.extend(v)
    return False


def manifest_problem(doc: dict) -> str | None:
    """Why doc is not a valid manifest (English, for the log), or None."""
    keys = set(doc)
    if keys != set(MANIFEST_FIELDS):
        missing, extra = sorted(set(MANIFEST_FIELDS) - keys), sorted(keys - set(MANIFEST_FIELDS))
        return f"manifest fields differ: missing {missing}, unknown {extra}"
    checks = {
        "format_version": _is_int(doc["format_version"], 1),
        "min_reader_version": _is_int(doc["min_reader_version"], 1)
        and _is_int(doc["format_version"]) and doc["min_reader_version"] <= doc["format_version"],
        "schema_revision": _is_text(doc["schema_revision"]),
        "kind": doc["kind"] in KINDS,
        "package_id": _is_uuid(doc["package_id"]),
        "source_office": _is_text(doc["source_office"]),
        "source_install": _is_text(doc["source_install"]),
        "key_id": _is_hex(doc["key_id"], 16),
        "signer_key": _key_matches(doc["signer_key"], doc["key_id"]),
        "target_office": _is_text(doc["target_office"]),
        "seq": _is_int(doc["seq"], 1),
        "prev_hash": (doc["prev_hash"] is None and doc["seq"] == 1)
        or (_is_hex(doc["prev_hash"], 64) and _is_int(doc["seq"], 2)),
        "acknowledged": type(doc["acknowledged"]) is dict and not _has_float(doc["acknowledged"]),
        "created_at": _is_created_at(doc["created_at"]),
        "files": _files_ok(doc["files"]),
        "tables": type(doc["tables"]) is dict
        and all(_is_text(k) and _is_int(v, 0) for k, v in doc["tables"].items()),
    }
    wrong = [name for name, ok in checks.items() if not ok]
    return f"manifest fields malformed: {wrong}" if wrong else None


def _key_matches(encoded: object, key_id: object) -> bool:
    """signer_key is canonical base64 of a 32-byte key whose id is key_id."""
    if type(encoded) is not str or len(encoded) != 44:
        return False
    try:
        raw = base64.b64decode(encoded, validate=True)
    except binascii.Error:
        return False
    canonical = base64.b64encode(raw).decode() == encoded
    return len(raw) == 32 and canonical and hashlib.sha256(raw).hexdigest()[:16] == key_id


def _is_uuid(v: object) -> bool:
    if type(v) is not str:
        return False
    try:
        return str(uuid.UUID(v)) == v
    except ValueError:
        return False


def _is_created_at(v: object) -> bool:
    if type(v) is not str or not _CREATED_AT.fullmatch(v):
        return False
    try:
        datetime.fromisoformat(v)
    except ValueError:
        return False
    return True


def _files_ok(files: object) -> bool:
    if type(files) is not dict or set(files) != set(PAYLOAD_ENTRIES):
        return False
    for info in files.values():
        if type(info) is not dict or set(info) != _FILE_FIELDS:
            return False
        if not (_is_hex(info["sha256"], 64) and _is_int(info["bytes"], 0) and _is_int(info["records"], 0)):
            return False
    return True


def utc_timestamp(moment: datetime | None = None) -> str:
    """created_at text: ISO 8601 UTC to the second with "Z" (now when moment is None)."""
    moment = (moment or datetime.now(UTC)).astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


# --------------------------------------------------------------------------------------------
# The zip, byte for byte


def write_zip(entries: Sequence[tuple[str, bytes]]) -> bytes:
    """A reproducible zip: stored entries in the given order, fixed 1980-01-01 00:00 times,
    Unix 0644 attributes, no extra fields, no comments, no data descriptors, no zip64."""
    parts: list[bytes] = []
    central: list[bytes] = []
    offset = 0
    for name, data in entries:
        raw_name = name.encode("ascii")
        crc = zlib.crc32(data)
        size = len(data)
        if size >= _ZIP_LIMIT:
            raise ValueError(f"{name} is too large for a package")
        header = _LOCAL.pack(_LOCAL_SIG, _VERSION_NEEDED, 0, 0, _DOS_TIME, _DOS_DATE, crc, size, size,
                             len(raw_name), 0)
        central.append(_CENTRAL.pack(_CENTRAL_SIG, _VERSION_MADE_BY, _VERSION_NEEDED, 0, 0, _DOS_TIME, _DOS_DATE,
                                     crc, size, size, len(raw_name), 0, 0, 0, 0, _EXTERNAL_ATTR, offset) + raw_name)
        parts += (header, raw_name, data)
        offset += len(header) + len(raw_name) + size
        if offset >= _ZIP_LIMIT:
            raise ValueError("the package is too large")
    directory = b"".join(central)
    end = _END.pack(_END_SIG, 0, 0, len(entries), len(entries), len(directory), offset, 0)
    parts += (directory, end)
    return b"".join(parts)


def assemble_package(manifest_bytes: bytes, signature: bytes, payloads: dict[str, bytes]) -> bytes:
    """The package zip of already made parts (build_package uses it; tests forge with it)."""
    entries = [("manifest.json", manifest_bytes), ("manifest.sig", signature)]
    entries += [(name, payloads.get(name, b"")) for name in PAYLOAD_ENTRIES]
    return write_zip(entries)


# --------------------------------------------------------------------------------------------
# Building and writing


def _table_counts(data: bytes) -> Counter:
    counts: Counter = Counter()
    for line_no, line in enumerate(iter_jsonl(data, entry="records.jsonl"), 1):
        table = line.get("table")
        if not _is_text(table):
            raise SyncError("E_RECORD", line=line_no, entry="records.jsonl",
                            details='the line has no "table" text field')
        counts[table] += 1
    return counts


def _file_info(name: str, data: bytes) -> dict:
    return {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data), "records": count_lines(data, entry=name)}


def build_package(fields: dict, payloads: dict[str, bytes], key: SigningKey, *,
                  max_bytes: int = MAX_PACKAGE_BYTES) -> tuple[Manifest, bytes]:
    """Sign and zip a package. `fields` holds every manifest field except files, tables, key_id,
    format_version and min_reader_version (filled here); `payloads` maps payload entry names to
    JSON-lines bytes (a missing one is empty). The same inputs give the same bytes anywhere.

    Programming errors (fields missing or malformed) raise ValueError; a payload line that is
    not a JSON object raises SyncError("E_RECORD"); a package over max_bytes E_TOO_LARGE."""
    unknown = set(payloads) - set(PAYLOAD_ENTRIES)
    if unknown:
        raise ValueError(f"unknown payload entries {sorted(unknown)}")
    filled = {"files", "tables", "key_id", "signer_key", "format_version", "min_reader_version"}
    given = set(fields)
    if given != set(MANIFEST_FIELDS) - filled:
        raise ValueError(f"manifest fields: missing {sorted(set(MANIFEST_FIELDS) - filled - given)}, "
                         f"unexpected {sorted(given - (set(MANIFEST_FIELDS) - filled))}")
    data = {name: bytes(payloads.get(name, b"")) for name in PAYLOAD_ENTRIES}
    for name in ("events.jsonl", "acks.jsonl"):
        for _line in iter_jsonl(data[name], entry=name):
            pass
    tables = _table_counts(data["records.jsonl"])
    doc = dict(fields, format_version=FORMAT_VERSION, min_reader_version=READER_VERSION, key_id=key.public.key_id,
               signer_key=base64.b64encode(key.public.raw).decode(),
               files={name: _file_info(name, data[name]) for name in PAYLOAD_ENTRIES},
               tables={table: tables[table] for table in sorted(tables)})
    problem = manifest_problem(doc)
    if problem:
        raise ValueError(problem)
    manifest = Manifest(**doc)
    manifest_bytes = manifest.to_json_bytes()
    signature = key.sign(SIGNED_PREFIX + manifest_bytes)
    total = 22 + sum(76 + 2 * len(name) for name in ENTRY_ORDER) + len(manifest_bytes) + len(signature)
    total += sum(len(d) for d in data.values())
    if total > max_bytes:
        raise SyncError("E_TOO_LARGE", entry=_("แพ็กเกจ"), limit=f"{max_bytes:,}",
                        details=f"the package would be {total} bytes")
    return manifest, assemble_package(manifest_bytes, signature, data)


_UNSAFE_IN_NAME = re.compile(r"[^A-Za-z0-9_.-]")


def package_file_name(source_office: str, seq: int, created: date, target_office: str | None = None) -> str:
    """"<office>-<seq:06d>-<yyyymmdd>.coopsync"; with target_office (packages from the central
    office, which sends to many offices): "<office>-<target>-<seq:06d>-<yyyymmdd>.coopsync".
    Characters other than ASCII letters, digits, "_", "." and "-" in codes become "_"."""
    parts = [_UNSAFE_IN_NAME.sub("_", source_office)]
    if target_office is not None:
        parts.append(_UNSAFE_IN_NAME.sub("_", target_office))
    parts += [f"{seq:06d}", created.strftime("%Y%m%d")]
    return "-".join(parts) + SUFFIX


def default_file_name(manifest: Manifest) -> str:
    """The name write_package gives a package written into a folder; the date is the day in
    Thailand, as the people handling the stick see it (created_at itself is UTC)."""
    target = manifest.target_office if manifest.kind == "central_to_province" else None
    day = datetime.fromisoformat(manifest.created_at).astimezone(THAI_TIME).date()
    return package_file_name(manifest.source_office, manifest.seq, day, target)


def write_package(target: Path, manifest: Manifest, data: bytes) -> Path:
    """Write data to target (a folder: the file is named by default_file_name; else the file
    path). A temp file in the same folder is written, fsynced and moved into place, so a
    failure never leaves a half-written package. Returns the path written."""
    from app.exchange.files import write_atomically

    target = Path(target)
    path = target / default_file_name(manifest) if target.is_dir() else target
    write_atomically(path, lambda tmp: tmp.write_bytes(data))
    _fsync_folder(path.parent)
    return path


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX; Windows has no folder handles for this)."""
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


# --------------------------------------------------------------------------------------------
# Opening


@dataclass(frozen=True)
class Package:
    """A verified package: every check of open_package passed."""

    manifest: Manifest
    signature: bytes
    payloads: dict[str, bytes]
    file_hash: str
    size: int

    def lines(self, entry: str) -> Iterator[dict]:
        """The parsed lines of a payload entry (records.jsonl, events.jsonl or acks.jsonl)."""
        return iter_jsonl(self.payloads[entry], entry=entry)

    def records(self) -> Iterator[dict]:
        return self.lines("records.jsonl")

    def events(self) -> Iterator[dict]:
        return self.lines("events.jsonl")

    def acks(self) -> Iterator[dict]:
        return self.lines("acks.jsonl")


KeyFor = Callable[[str, str], PublicKey | None]
_DRIVE = re.compile(r"[A-Za-z]:")


def _shown(name: str) -> str:
    """An entry name safe to show in a sentence (escaped, at most 60 characters)."""
    text = name.encode("unicode_escape").decode("ascii")
    return text if len(text) <= 60 else text[:57] + "..."


def unsafe_entry_name(name: str) -> bool:
    """Absolute, parent-relative, backslash, drive-letter, colon or control-character names."""
    return (not name or name.startswith("/") or "\\" in name or ":" in name or _DRIVE.match(name) is not None
            or any(ord(c) < 32 or ord(c) == 127 for c in name)
            or any(part in ("..", ".") for part in name.split("/")))


def _read_input(source: bytes | bytearray | memoryview | str | os.PathLike, max_bytes: int) -> bytes:
    whole = _("แพ็กเกจ")
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
        if len(data) > max_bytes:
            raise SyncError("E_TOO_LARGE", entry=whole, limit=f"{max_bytes:,}", details=f"{len(data)} bytes")
        return data
    path = Path(source)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise SyncError("E_TOO_LARGE", entry=whole, limit=f"{max_bytes:,}", details=f"{path}: {size} bytes")
        with path.open("rb") as fh:
            data = fh.read(max_bytes + 1)
    except OSError as exc:
        raise SyncError("E_READ", details=f"{path}: {exc}") from exc
    if len(data) > max_bytes:  # grew while we looked
        raise SyncError("E_TOO_LARGE", entry=whole, limit=f"{max_bytes:,}", details=f"{path}: over {max_bytes} bytes")
    return data


def _read_entry(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    chunks = []
    total = 0
    with zf.open(info) as fh:
        while True:
            chunk = fh.read(min(_READ_CHUNK, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:
                raise SyncError("E_TOO_LARGE", entry=_shown(info.filename), limit=f"{limit:,}",
                                details=f"{info.filename}: more than {limit} bytes")
    return b"".join(chunks)


def _read_entries(data: bytes, max_entry: int) -> dict[str, bytes]:
    """Zip structure, entry names, sizes, then contents (steps 2-5 of the verification order)."""
    if len(data) < _END.size or not data.startswith(b"PK\x03\x04"):
        raise SyncError("E_CONTAINER", details="not a zip file (no local header at the start)")
    if data[-_END.size:-_END.size + 4] != b"PK\x05\x06" or data[-2:] != b"\x00\x00":
        raise SyncError("E_CONTAINER", details="no end-of-directory record at the end (truncated or extended)")
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except Exception as exc:  # noqa: BLE001 - zipfile raises many types on hostile input
        raise SyncError("E_CONTAINER", details=f"zip: {exc!r}") from None
    with zf:
        names = [info.filename for info in infos]
        for info in infos:
            if unsafe_entry_name(info.filename) or unsafe_entry_name(info.orig_filename):
                raise SyncError("E_UNSAFE_PATH", entry=_shown(info.orig_filename),
                                details=f"unsafe entry name {info.orig_filename!r}")
        seen: set[str] = set()
        for name in names:
            if name in seen:
                raise SyncError("E_DUPLICATE_ENTRY", entry=_shown(name), details=f"entry {name!r} twice")
            seen.add(name)
        if tuple(names) != ENTRY_ORDER:
            wrong = next((n for n, want in zip(names, ENTRY_ORDER) if n != want), None)
            wrong = wrong or (names[len(ENTRY_ORDER)] if len(names) > len(ENTRY_ORDER) else ENTRY_ORDER[len(names)])
            raise SyncError("E_UNEXPECTED_ENTRY", entry=_shown(wrong), details=f"entries {names!r}")
        limits = {name: min(max_entry, MAX_MANIFEST_BYTES) for name in ENTRY_ORDER[:2]}
        for info in infos:
            limit = limits.get(info.filename, max_entry)
            if info.file_size > limit or info.compress_size > limit:
                raise SyncError("E_TOO_LARGE", entry=_shown(info.filename), limit=f"{limit:,}",
                                details=f"{info.filename} declares {info.file_size} bytes "
                                        f"({info.compress_size} stored)")
        for info in infos:
            if info.compress_type != zipfile.ZIP_STORED or info.flag_bits & 0x1:
                raise SyncError("E_CONTAINER", details=f"{info.filename}: compressed or encrypted entry")
        try:
            return {info.filename: _read_entry(zf, info, limits.get(info.filename, max_entry)) for info in infos}
        except SyncError:
            raise
        except Exception as exc:  # noqa: BLE001 - bad CRC, bad local header, short data ...
            raise SyncError("E_CONTAINER", details=f"zip entry: {exc!r}") from None


def open_package(source: bytes | bytearray | memoryview | str | os.PathLike, key_for: KeyFor, *,
                 max_bytes: int = MAX_PACKAGE_BYTES, max_entry: int = MAX_ENTRY_BYTES,
                 supported_schemas: Collection[str] | None = None) -> Package:
    """Verify a package file (a path or its bytes) and return it; SyncError on any doubt.

    `key_for(source_office, key_id)` returns the trusted key registered for that office
    with that id, or None (E_UNKNOWN_SIGNER). The order of checks is docs/sync-format.md §7.
    """
    data = _read_input(source, max_bytes)  # 1. size
    entries = _read_entries(data, max_entry)  # 2-5. structure, names, sizes, contents
    manifest_bytes, signature = entries["manifest.json"], entries["manifest.sig"]
    manifest = Manifest.from_json_bytes(manifest_bytes)  # 6. versions, then fields
    key = key_for(manifest.source_office, manifest.key_id)  # 7. signer
    if key is None:
        raise SyncError("E_UNKNOWN_SIGNER", source=manifest.source_office, key_id=manifest.key_id,
                        details=f"no key {manifest.key_id} registered for office {manifest.source_office}")
    if key.key_id != manifest.key_id:
        raise SyncError("E_SIGNATURE", details=f"key_for returned key {key.key_id}, manifest names {manifest.key_id}")
    if len(signature) != SIGNATURE_BYTES:
        raise SyncError("E_SIGNATURE", details=f"manifest.sig is {len(signature)} bytes")
    key.verify(signature, SIGNED_PREFIX + manifest_bytes)  # 8. signature
    if manifest.to_json_bytes() != manifest_bytes:  # 9. canonical manifest
        raise SyncError("E_MANIFEST", details="manifest.json is not canonical JSON")
    payloads = {name: entries[name] for name in PAYLOAD_ENTRIES}
    for name, payload in payloads.items():  # 10. hashes
        info = manifest.files[name]
        if len(payload) != info["bytes"] or hashlib.sha256(payload).hexdigest() != info["sha256"]:
            raise SyncError("E_HASH", entry=name, details=f"{name}: sha256 or size differs from the manifest")
    for name, payload in payloads.items():  # 11. lines and counts
        lines = count_lines(payload, entry=name)
        if name == "records.jsonl":
            tables = _table_counts(payload)
            if dict(tables) != manifest.tables:
                raise SyncError("E_COUNT", entry=name, details=f"tables {dict(tables)} != manifest {manifest.tables}")
        else:
            for _line in iter_jsonl(payload, entry=name):
                pass
        if lines != manifest.files[name]["records"]:
            raise SyncError("E_COUNT", entry=name, details=f"{name}: {lines} lines, manifest says "
                                                             f"{manifest.files[name]['records']}")
    if supported_schemas is not None and manifest.schema_revision not in supported_schemas:  # 12. schema
        raise SyncError("E_SCHEMA", revision=manifest.schema_revision,
                        details=f"schema {manifest.schema_revision!r} not in {sorted(supported_schemas)}")
    if assemble_package(manifest_bytes, signature, payloads) != data:  # 13. byte-for-byte rebuild
        raise SyncError("E_CONTAINER", details="the file differs from the rebuilt package (altered zip structure)")
    return Package(manifest=manifest, signature=signature, payloads=payloads,
                   file_hash=hashlib.sha256(data).hexdigest(), size=len(data))


def unverified_signer(source: bytes | bytearray | memoryview | str | os.PathLike, *,
                      max_bytes: int = MAX_PACKAGE_BYTES) -> tuple[Manifest, PublicKey]:
    """The manifest and the key that signed it, for a package whose sender is not trusted yet.
    The signature is checked with the package's own key: this proves the file is intact and
    made by the holder of that key, not who that is — a person confirms the fingerprint with
    the sending office (trust on first use) before the key is registered."""
    entries = _read_entries(_read_input(source, max_bytes), MAX_ENTRY_BYTES)
    manifest = Manifest.from_json_bytes(entries["manifest.json"])
    key = PublicKey(base64.b64decode(manifest.signer_key))
    key.verify(entries["manifest.sig"], SIGNED_PREFIX + entries["manifest.json"])
    return manifest, key
