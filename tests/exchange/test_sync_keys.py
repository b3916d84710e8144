"""Office signing keys and the ".coopkey" public key file (docs/sync-format.md §5)."""

from __future__ import annotations

import base64
import hashlib
import re

import orjson
import pytest

from app.exchange.sync import KeyRing, PublicKey, SigningKey, SyncError, canonical_json, read_key_file

KEY = SigningKey.from_private_bytes(hashlib.sha256(b"office 62 test key").digest())
OTHER = SigningKey.from_private_bytes(hashlib.sha256(b"office 63 test key").digest())
OFFICE_NAME = "สำนักงานสหกรณ์จังหวัดกำแพงเพชร"


def key_file_error(data: bytes) -> SyncError:
    with pytest.raises(SyncError) as info:
        PublicKey.from_file_bytes(data)
    assert info.value.code == "E_KEY_FILE", info.value.details
    return info.value


def test_sign_and_verify():
    signature = KEY.sign(b"hello")
    assert len(signature) == 64
    KEY.public.verify(signature, b"hello")
    for signature, data in ((signature, b"hellO"), (OTHER.sign(b"hello"), b"hello"), (signature[:63], b"hello"),
                            (b"", b"hello")):
        with pytest.raises(SyncError) as info:
            KEY.public.verify(signature, data)
        assert info.value.code == "E_SIGNATURE"


def test_a_fresh_key_and_its_private_bytes():
    key = SigningKey.generate()
    raw = key.private_bytes()
    assert len(raw) == 32
    again = SigningKey.from_private_bytes(raw)
    assert again.public == key.public and again.sign(b"x") == key.sign(b"x")  # Ed25519 is deterministic
    assert key.public != SigningKey.generate().public
    assert raw.hex() not in repr(key) and key.public.key_id in repr(key)
    with pytest.raises(ValueError):
        SigningKey.from_private_bytes(raw[:31])
    with pytest.raises(ValueError):
        PublicKey(b"\0" * 31)


def test_key_id_and_fingerprint():
    public = KEY.public
    digest = hashlib.sha256(public.raw).hexdigest()
    assert len(public.raw) == 32
    assert public.key_id == digest[:16] and re.fullmatch(r"[0-9a-f]{16}", public.key_id)
    assert re.fullmatch(r"([0-9A-F]{4} ){7}[0-9A-F]{4}", public.fingerprint)
    assert public.fingerprint.replace(" ", "") == digest[:32].upper()
    assert public.fingerprint.replace(" ", "").startswith(public.key_id.upper())
    assert PublicKey(public.raw) == public and hash(PublicKey(public.raw)) == hash(public)
    assert OTHER.public.key_id != public.key_id


def test_key_file_round_trip():
    data = KEY.public.to_file_bytes("62", OFFICE_NAME)
    assert data.endswith(b"\n") and data[:-1] == canonical_json(orjson.loads(data))
    doc = orjson.loads(data)
    assert doc == {"format": "coopdesk-public-key-1", "office": "62", "name": OFFICE_NAME,
                   "key_id": KEY.public.key_id, "public_key": base64.b64encode(KEY.public.raw).decode(),
                   "fingerprint": KEY.public.fingerprint}
    office, key = PublicKey.from_file_bytes(data)
    assert office == "62" and key == KEY.public
    assert read_key_file(data) == ("62", OFFICE_NAME, KEY.public)
    assert PublicKey.from_file_bytes(KEY.public.to_file_bytes("CENTRAL")) == ("CENTRAL", KEY.public)
    assert PublicKey.from_file_bytes(orjson.dumps(doc, option=orjson.OPT_INDENT_2)) == ("62", KEY.public)
    with pytest.raises(ValueError):
        KEY.public.to_file_bytes(" ")


def tampered(**changes) -> bytes:
    doc = orjson.loads(KEY.public.to_file_bytes("62", OFFICE_NAME))
    doc.update(changes)
    return orjson.dumps({k: v for k, v in doc.items() if v is not None})


@pytest.mark.parametrize("data", [
    tampered(public_key=base64.b64encode(OTHER.public.raw).decode()),  # swapped key, old id
    tampered(key_id=OTHER.public.key_id),
    tampered(fingerprint=OTHER.public.fingerprint),
    tampered(public_key=base64.b64encode(KEY.public.raw[:31]).decode()),
    tampered(public_key="not base64!"),
    tampered(public_key=base64.b64encode(KEY.public.raw).decode().rstrip("=")),
    tampered(format="coopdesk-public-key-2"),
    tampered(office=""),
    tampered(office=62),
    tampered(name=None),
    tampered(extra="x"),
    b"", b"not json", b"[]", b"{}", b" " * 70_000,
])
def test_a_malformed_or_tampered_key_file_is_refused(data):
    key_file_error(data)


def test_no_single_byte_change_of_a_key_file_yields_another_key():
    data = KEY.public.to_file_bytes("62", OFFICE_NAME)
    doc = orjson.loads(data)
    guarded = set()  # byte positions of the key, its id and its fingerprint
    for field in ("public_key", "key_id", "fingerprint"):
        start = data.index(f'"{field}":"{doc[field]}"'.encode())
        guarded.update(range(start, start + len(field) + len(doc[field]) + 5))
    for position in range(len(data)):
        for mask in (0xFF, 0x01):
            changed = bytearray(data)
            changed[position] ^= mask
            try:
                office, name, key = read_key_file(bytes(changed))
            except SyncError as exc:
                assert exc.code == "E_KEY_FILE"
            else:  # only the office code or name text can change; the phone check covers them
                assert key == KEY.public and position not in guarded, position
                assert (office, name) != ("62", OFFICE_NAME) or position == len(data) - 1


def test_key_ring_looks_keys_up_by_office_and_id():
    ring = KeyRing([("62", KEY.public)])
    ring.add("63", OTHER.public)
    assert ring("62", KEY.public.key_id) == KEY.public
    assert ring("63", KEY.public.key_id) is None  # registered for another office only
    assert ring("62", OTHER.public.key_id) is None
    assert len(ring) == 2
    ring.remove("62", KEY.public.key_id)
    assert ring("62", KEY.public.key_id) is None and len(ring) == 1
