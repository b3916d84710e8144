"""Sync bookkeeping, local to each database (never itself synced): the offices we exchange
packages with and their keys, every package sent or received, and the conflicts found;
and the master data files the central office publishes (synced).

The signing key of this installation lives in app_setting (app/services/sync_keys.py)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, SyncMixin
from app.models.types import UTCDateTime, utcnow


class SyncPeer(Base):
    """An office whose packages we accept (and to which we send), with its public key."""

    __tablename__ = "sync_peer"
    office_code: Mapped[str] = mapped_column(String(16), primary_key=True)
    office_name: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    kind: Mapped[str] = mapped_column(String(16), nullable=False, default="province")  # province | central
    key_id: Mapped[str] = mapped_column(String(32), nullable=False)
    public_key: Mapped[str] = mapped_column(String(64), nullable=False)  # base64 of the raw Ed25519 key
    fingerprint: Mapped[str] = mapped_column(String(64), nullable=False)
    trusted_how: Mapped[str] = mapped_column(String(16), nullable=False)  # key_file | first_use
    trusted_by: Mapped[str | None] = mapped_column(String(36))
    trusted_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
    # Packages from the peer: the highest sequence number imported and that file's hash.
    last_in_seq: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    last_in_hash: Mapped[str | None] = mapped_column(String(64))
    # Packages to the peer: the last one written, and the last one the peer acknowledged
    # (with the highest change_seq of ours it covered: later exports start after it).
    last_out_seq: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    last_out_hash: Mapped[str | None] = mapped_column(String(64))
    acked_out_seq: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    acked_change_seq: Mapped[int] = mapped_column(Integer, nullable=False, default=0)


class SyncPackage(Base):
    """One package written or imported, with what it did."""

    __tablename__ = "sync_package"
    __table_args__ = (UniqueConstraint("direction", "peer_office", "seq"),)
    package_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    direction: Mapped[str] = mapped_column(String(4), nullable=False)  # in | out
    peer_office: Mapped[str] = mapped_column(String(16), nullable=False, index=True)
    seq: Mapped[int] = mapped_column(Integer, nullable=False)
    file_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    prev_hash: Mapped[str | None] = mapped_column(String(64))
    file_name: Mapped[str] = mapped_column(String(255), nullable=False, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    done_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
    done_by: Mapped[str | None] = mapped_column(String(36))
    max_change_seq: Mapped[int] = mapped_column(Integer, nullable=False, default=0)  # out: ours it covers
    summary: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)


class SyncConflict(Base):
    """Two versions of one record changed on both sides since their common base (or a record
    whose natural key is taken by another row). The winner is applied; the loser is kept
    here whole, with a field-level diff, until a person resolves it."""

    __tablename__ = "sync_conflict"
    # Deterministic: the same conflict has the same key on every machine.
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    table_name: Mapped[str] = mapped_column(String(64), nullable=False)
    record_id: Mapped[str] = mapped_column(String(36), nullable=False, index=True)
    kind: Mapped[str] = mapped_column(String(16), nullable=False)  # concurrent | edit_delete | duplicate | missing_ref | invalid
    winner: Mapped[dict] = mapped_column(JSON, nullable=False)  # the record line that won
    loser: Mapped[dict] = mapped_column(JSON, nullable=False)  # the record line that lost
    local_won: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)  # which side is ours
    diff: Mapped[list] = mapped_column(JSON, nullable=False)  # [[field, winner value, loser value], ...]
    peer_office: Mapped[str] = mapped_column(String(16), nullable=False)
    package_id: Mapped[str | None] = mapped_column(String(36))
    detected_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    resolved_by: Mapped[str | None] = mapped_column(String(36))
    resolution: Mapped[str | None] = mapped_column(String(16))  # kept_winner | took_loser
    note: Mapped[str] = mapped_column(Text, nullable=False, default="")


class MasterFile(SyncMixin, Base):
    """A data file the central office publishes to every province — a standards criteria
    set or a strength rule table of a year (data/standards, data/strength) — so a new
    year's announcement reaches the offices in the next package."""

    __tablename__ = "master_file"
    __table_args__ = (UniqueConstraint("kind", "name"),)
    kind: Mapped[str] = mapped_column(String(16), nullable=False)  # standards | strength
    name: Mapped[str] = mapped_column(String(64), nullable=False)  # e.g. coop-2569.json, 2569.json
    content: Mapped[str] = mapped_column(Text, nullable=False)
