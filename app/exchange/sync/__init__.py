"""Sync packages: the signed ".coopsync" file offices exchange on USB sticks.

Pure file format (no database): canonical JSON, Ed25519 keys and key files, and the
reproducible zip container with its verification. The export/import services build on
this API; the format itself is specified in docs/sync-format.md.
"""

from app.exchange.sync.canonical import canonical_json, count_lines, iter_jsonl, jsonl
from app.exchange.sync.container import (
    ENTRY_ORDER,
    FORMAT_VERSION,
    KINDS,
    MAX_ENTRY_BYTES,
    MAX_PACKAGE_BYTES,
    PAYLOAD_ENTRIES,
    READER_VERSION,
    SUFFIX,
    Manifest,
    Package,
    build_package,
    default_file_name,
    open_package,
    package_file_name,
    utc_timestamp,
    write_package,
)
from app.exchange.sync.errors import CODES, SyncError
from app.exchange.sync.keys import KEY_FILE_SUFFIX, KeyRing, PublicKey, SigningKey, read_key_file

__all__ = [
    "CODES", "ENTRY_ORDER", "FORMAT_VERSION", "KEY_FILE_SUFFIX", "KINDS", "MAX_ENTRY_BYTES", "MAX_PACKAGE_BYTES",
    "PAYLOAD_ENTRIES", "READER_VERSION", "SUFFIX", "KeyRing", "Manifest", "Package", "PublicKey", "SigningKey",
    "SyncError", "build_package", "canonical_json", "count_lines", "default_file_name", "iter_jsonl", "jsonl",
    "open_package", "package_file_name", "read_key_file", "utc_timestamp", "write_package",
]
