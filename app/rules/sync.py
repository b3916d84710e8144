"""Version rules for applying a synced record: what to do with an incoming version of a row,
given the local one. Pure; every machine decides the same way from the same two versions.

Each row carries `rev` (+1 per local change) and `base`: the rev it last had in common with
the peer (set when a version is received from the peer, or when the peer acknowledges a
package that carried ours). So "changed here since we last agreed" is `rev > base`.

- No local row: insert.
- Same content: unchanged.
- Local not changed since the common base, or the incoming version was made on top of the
  local one (incoming.base >= local.rev): a fast-forward, unless it is older than what we
  have: then stale — ours stays, and the importer keeps theirs as a conflict for a person
  when it is not one already known (the histories went apart, e.g. a restored backup).
- Both changed since the base: a conflict. The winner is deterministic (CouchDB's lesson):
  an edit beats a deletion (no data disappears by accident), then the higher rev, then the
  later change time, then the larger content digest. The loser is kept, never dropped.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from enum import Enum


@dataclass(frozen=True)
class Version:
    rev: int
    base: int
    deleted: bool
    at: str  # ISO UTC time of the change: compares correctly as text
    digest: str  # sha256 of the canonical data


class Outcome(Enum):
    INSERT = "insert"
    UPDATE = "update"
    UNCHANGED = "unchanged"
    STALE = "stale"  # an older version than ours: nothing to do
    KEEP_LOCAL = "keep_local"  # conflict, the local version wins
    TAKE_INCOMING = "take_incoming"  # conflict, the incoming version wins

    @property
    def conflict(self) -> bool:
        return self in (Outcome.KEEP_LOCAL, Outcome.TAKE_INCOMING)


def _rank(v: Version) -> tuple:
    return (not v.deleted, v.rev, v.at, v.digest)


def incoming_wins(local: Version, incoming: Version) -> bool:
    """The deterministic winner of two conflicting versions (symmetric: swapping the
    arguments swaps the answer unless they are the same version)."""
    return _rank(incoming) > _rank(local)


def decide(local: Version | None, incoming: Version) -> Outcome:
    if local is None:
        return Outcome.INSERT
    if local.digest == incoming.digest:
        return Outcome.UNCHANGED
    changed_here = local.rev > local.base
    if not changed_here or incoming.base >= local.rev:
        if incoming.rev > local.rev or incoming.base >= local.rev:
            return Outcome.UPDATE
        return Outcome.STALE
    if incoming.rev <= local.base:
        return Outcome.STALE  # a version of theirs we had already seen, replayed
    return Outcome.TAKE_INCOMING if incoming_wins(local, incoming) else Outcome.KEEP_LOCAL


def conflict_kind(a: Version, b: Version) -> str:
    return "edit_delete" if a.deleted != b.deleted else "concurrent"


def conflict_key(table: str, record_id: str, a: Version, b: Version) -> str:
    """The same conflict gets the same key on every machine, whichever side detected it, and
    whatever revs the two contents carry by then (a re-stamped winner is the same conflict)."""
    low, high = sorted((a.digest, b.digest))
    return hashlib.sha256(f"{table}\x1f{record_id}\x1f{low}\x1f{high}".encode()).hexdigest()


def field_diff(winner: dict, loser: dict) -> list[list]:
    """[[field, winner value, loser value], ...] for the fields that differ, by name."""
    return [[k, winner.get(k), loser.get(k)] for k in sorted(set(winner) | set(loser))
            if winner.get(k) != loser.get(k)]
