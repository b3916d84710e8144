"""This installation's signing key and the offices whose keys we trust.

The private key and the installation id are kept in app_setting under "sync.*" (internal
values, not user settings: the settings registry never shows or exports them). The key is
created the first time it is needed — on first-run setup, or the first export.

A peer's key is trusted either from its ".coopkey" file or, on first use, from the key a
package carries; either way the person confirms the fingerprint (read aloud over the
phone), and the choice is recorded with who made it.
"""

from __future__ import annotations

import base64
import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import ValidationError
from app.exchange.sync.container import unverified_signer
from app.exchange.sync.keys import PublicKey, SigningKey, read_key_file
from app.i18n import _, tr
from app.models import AppSetting, Office, SyncPeer, User
from app.rules.permissions import Action
from app.services import audit, setup
from app.services.context import authorize

_KEY = "sync.signing_key"
_INSTALL = "sync.install_id"


@dataclass(frozen=True)
class Identity:
    office_code: str
    office_name: str
    office_kind: str  # province | central
    install_id: str
    key: SigningKey


def _stored(session: Session, name: str) -> str | None:
    row = session.get(AppSetting, name)
    return row.value if row else None


def identity(session: Session) -> Identity:
    """This office's sync identity, creating the key pair on first use."""
    office = setup.home_office(session)
    if office is None:
        raise ValidationError(tr("ยังไม่ได้ตั้งค่าสำนักงาน จึงยังรับส่งข้อมูลไม่ได้"))
    raw, install = _stored(session, _KEY), _stored(session, _INSTALL)
    if raw is None:
        key = SigningKey.generate()
        session.add(AppSetting(key=_KEY, value=base64.b64encode(key.private_bytes()).decode()))
    else:
        key = SigningKey.from_private_bytes(base64.b64decode(raw))
    if install is None:
        install = str(uuid.uuid4())
        session.add(AppSetting(key=_INSTALL, value=install))
    return Identity(office.code, office.name, office.kind, install, key)


def own_key_file(session: Session, user: User) -> tuple[str, bytes]:
    """(suggested file name, bytes) of this office's public key file."""
    authorize(session, user, Action.SYNC_EXCHANGE)
    me = identity(session)
    return f"{me.office_code}.coopkey", me.key.public.to_file_bytes(me.office_code, me.office_name)


def peer_key(peer: SyncPeer) -> PublicKey:
    return PublicKey(base64.b64decode(peer.public_key))


def key_for(session: Session):
    """The key lookup open_package needs: the registered key of an office, if its id matches."""
    peers = {p.office_code: p for p in session.scalars(select(SyncPeer))}

    def lookup(office_code: str, key_id: str) -> PublicKey | None:
        peer = peers.get(office_code)
        return peer_key(peer) if peer is not None and peer.key_id == key_id else None

    return lookup


def _trust(session: Session, user: User, office_code: str, office_name: str, key: PublicKey, how: str,
           *, replace: bool) -> SyncPeer:
    authorize(session, user, Action.SYNC_TRUST)
    me = identity(session)
    if office_code == me.office_code:
        raise ValidationError(tr("กุญแจนี้เป็นของสำนักงานนี้เอง ไม่ต้องลงทะเบียน"))
    peer = session.get(SyncPeer, office_code)
    if peer is not None and peer.key_id != key.key_id and not replace:
        raise ValidationError(tr("สำนักงาน {office} มีกุญแจที่ลงทะเบียนไว้แล้ว (ลายนิ้วมือ {old}) "
                                 "ต้องยืนยันการเปลี่ยนกุญแจก่อน", office=office_code, old=peer.fingerprint))
    before = None if peer is None else audit.snapshot(peer)
    if peer is None:
        office = session.scalar(select(Office).where(Office.code == office_code))
        # A province trusts the central office; the central office trusts provinces.
        kind = "province" if me.office_kind == "central" else "central"
        peer = SyncPeer(office_code=office_code, kind=office.kind if office else kind)
        session.add(peer)
    peer.office_name = office_name or peer.office_name or office_code
    peer.key_id, peer.fingerprint = key.key_id, key.fingerprint
    peer.public_key = base64.b64encode(key.raw).decode()
    peer.trusted_how, peer.trusted_by = how, user.id
    session.flush()
    audit.record(session, user, "sync.trust", "sync_peer", None, before, audit.snapshot(peer))
    return peer


def trust_key_file(session: Session, user: User, data: bytes, *, replace: bool = False) -> SyncPeer:
    """Register a peer office's key from its ".coopkey" file (after the fingerprint check)."""
    office_code, office_name, key = read_key_file(data)
    return _trust(session, user, office_code, office_name, key, "key_file", replace=replace)


def trust_on_first_use(session: Session, user: User, office_code: str, key: PublicKey) -> SyncPeer:
    """Register the key a package from an unknown office carries, after the person compared
    its fingerprint with the sending office. An office that already has a key is refused
    here: a changed key is only accepted from a key file with replace=True."""
    if session.get(SyncPeer, office_code) is not None:
        raise ValidationError(tr("สำนักงาน {office} ลงทะเบียนกุญแจไว้แล้ว", office=office_code))
    return _trust(session, user, office_code, "", key, "first_use", replace=False)


def package_signer(path) -> tuple[str, PublicKey]:
    """(office code, key) of the key that signed a package, checked against the package's own
    signature only — for showing the fingerprint before trusting it on first use."""
    manifest, key = unverified_signer(path)
    return manifest.source_office, key


def trust_package_signer(session: Session, user: User, path, fingerprint: str) -> SyncPeer:
    """Trust on first use: register the key that signed the package, given the fingerprint
    the person confirmed with the sending office (it must be this key's)."""
    office_code, key = package_signer(path)
    if " ".join(fingerprint.upper().split()) != key.fingerprint:
        raise ValidationError(_("ลายนิ้วมือกุญแจที่ยืนยันไม่ตรงกับกุญแจที่ลงนามแพ็กเกจนี้"), field="fingerprint")
    return trust_on_first_use(session, user, office_code, key)


def peers(session: Session, user: User) -> list[SyncPeer]:
    authorize(session, user, Action.SYNC_EXCHANGE)
    return list(session.scalars(select(SyncPeer).order_by(SyncPeer.office_code)))
