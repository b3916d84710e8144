"""Ed25519 signing keys of an office and the ".coopkey" file that carries a public key.

Each installation signs its packages with its own private key. The public key travels to
the other side as a small JSON file; the receiving user confirms it by reading the
fingerprint aloud over the phone with the sending office before trusting it. The key file
itself is not signed: the fingerprint check is what binds the key to the office.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections.abc import Iterable

import orjson
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from app.exchange.sync.canonical import canonical_json
from app.exchange.sync.errors import SyncError

KEY_FILE_FORMAT = "coopdesk-public-key-1"
KEY_FILE_SUFFIX = ".coopkey"
KEY_FILE_FIELDS = frozenset({"format", "office", "name", "key_id", "public_key", "fingerprint"})
MAX_KEY_FILE_BYTES = 64 * 1024
SIGNATURE_BYTES = 64


class PublicKey:
    """An Ed25519 public key with its id (for manifests) and fingerprint (for people)."""

    __slots__ = ("_key", "fingerprint", "key_id", "raw")

    def __init__(self, raw: bytes):
        raw = bytes(raw)
        if len(raw) != 32:
            raise ValueError("an Ed25519 public key is 32 bytes")
        self._key = Ed25519PublicKey.from_public_bytes(raw)
        self.raw = raw
        digest = hashlib.sha256(raw).hexdigest()
        self.key_id = digest[:16]
        self.fingerprint = " ".join(digest[i:i + 4].upper() for i in range(0, 32, 4))

    def verify(self, signature: bytes, data: bytes) -> None:
        """Raise SyncError("E_SIGNATURE") unless signature is this key's signature of data."""
        if len(signature) != SIGNATURE_BYTES:
            raise SyncError("E_SIGNATURE", details=f"signature is {len(signature)} bytes, not {SIGNATURE_BYTES}")
        try:
            self._key.verify(bytes(signature), bytes(data))
        except InvalidSignature:
            raise SyncError("E_SIGNATURE", details=f"signature does not verify with key {self.key_id}") from None

    def to_file_bytes(self, office_code: str, office_name: str = "") -> bytes:
        """The ".coopkey" file: canonical JSON of format, office, name, key_id, public_key, fingerprint."""
        if not isinstance(office_code, str) or not office_code.strip():
            raise ValueError("office_code is required")
        doc = {
            "format": KEY_FILE_FORMAT, "office": office_code, "name": office_name, "key_id": self.key_id,
            "public_key": base64.b64encode(self.raw).decode("ascii"), "fingerprint": self.fingerprint,
        }
        return canonical_json(doc) + b"\n"

    @staticmethod
    def from_file_bytes(data: bytes) -> tuple[str, PublicKey]:
        """(office_code, key) from a ".coopkey" file; anything malformed -> SyncError("E_KEY_FILE")."""
        office, _name, key = read_key_file(data)
        return office, key

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PublicKey) and other.raw == self.raw

    def __hash__(self) -> int:
        return hash(self.raw)

    def __repr__(self) -> str:
        return f"PublicKey(key_id={self.key_id!r})"


def read_key_file(data: bytes) -> tuple[str, str, PublicKey]:
    """(office_code, office_name, key) from a ".coopkey" file (from_file_bytes plus the name)."""
    def bad(why: str) -> SyncError:
        return SyncError("E_KEY_FILE", details=why)

    if len(data) > MAX_KEY_FILE_BYTES:
        raise bad("the key file is too large")
    try:
        doc = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise bad(f"not JSON: {exc}") from None
    if not isinstance(doc, dict):
        raise bad("not a JSON object")
    if set(doc) != KEY_FILE_FIELDS:
        raise bad(f"fields {sorted(doc)} are not {sorted(KEY_FILE_FIELDS)}")
    if any(not isinstance(doc[f], str) for f in KEY_FILE_FIELDS):
        raise bad("every field is a string")
    if doc["format"] != KEY_FILE_FORMAT:
        raise bad(f"format {doc['format']!r} is not {KEY_FILE_FORMAT!r}")
    if not doc["office"].strip():
        raise bad("the office code is empty")
    try:
        raw = base64.b64decode(doc["public_key"], validate=True)
        key = PublicKey(raw)
    except (binascii.Error, ValueError) as exc:
        raise bad(f"public_key: {exc}") from None
    if base64.b64encode(raw).decode("ascii") != doc["public_key"]:
        raise bad("public_key is not in canonical base64")
    if doc["key_id"] != key.key_id:
        raise bad(f"key_id {doc['key_id']!r} does not belong to the key ({key.key_id})")
    if doc["fingerprint"] != key.fingerprint:
        raise bad("the fingerprint does not belong to the key")
    return doc["office"], doc["name"], key


class SigningKey:
    """An office's Ed25519 private key. Keep private_bytes() secret; share `public`."""

    __slots__ = ("_key", "public")

    def __init__(self, key: Ed25519PrivateKey):
        self._key = key
        raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        self.public = PublicKey(raw)

    @classmethod
    def generate(cls) -> SigningKey:
        return cls(Ed25519PrivateKey.generate())

    @classmethod
    def from_private_bytes(cls, raw: bytes) -> SigningKey:
        if len(raw) != 32:
            raise ValueError("an Ed25519 private key is 32 bytes")
        return cls(Ed25519PrivateKey.from_private_bytes(bytes(raw)))

    def private_bytes(self) -> bytes:
        return self._key.private_bytes(
            serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
        )

    def sign(self, data: bytes) -> bytes:
        return self._key.sign(bytes(data))

    def __repr__(self) -> str:  # never shows the private key
        return f"SigningKey(key_id={self.public.key_id!r})"


class KeyRing:
    """Trusted public keys per office; an instance is a ready `key_for` for open_package.

    A key is found only under the office it was registered for: a key registered for
    office B is unknown when a package claims to come from office A (E_UNKNOWN_SIGNER).
    """

    def __init__(self, entries: Iterable[tuple[str, PublicKey]] = ()):
        self._keys: dict[tuple[str, str], PublicKey] = {}
        for office, key in entries:
            self.add(office, key)

    def add(self, office_code: str, key: PublicKey) -> None:
        self._keys[(office_code, key.key_id)] = key

    def remove(self, office_code: str, key_id: str) -> None:
        self._keys.pop((office_code, key_id), None)

    def __call__(self, office_code: str, key_id: str) -> PublicKey | None:
        return self._keys.get((office_code, key_id))

    def __len__(self) -> int:
        return len(self._keys)
