"""The one approval state machine: action plans, travel plans and CPS reports.

    draft ─────────── submit ──▶ submitted      (owner)
    needs_reapproval ─ submit ──▶ submitted      (owner)
    submitted ─────── approve ─▶ approved       (approver; locked)
    submitted ─────── return ──▶ returned       (approver, with a comment)
    submitted ─────── withdraw ▶ draft          (owner)
    returned ──────── reopen ──▶ draft          (owner; an edit does the same)
    approved ──────── (edit) ──▶ needs_reapproval, or a new draft revision for plans

Decisions:
- `needs_reapproval` is a state of its own rather than "draft + a flag": one column says
  everything, lists can filter on it, and nothing has to keep a flag and a state in step.
  It behaves like draft (editable, the owner submits it); the earlier approval stays in the
  item's history of ApprovalRecords. If that resubmission is withdrawn or returned, the item
  goes the ordinary way back to draft (the history still shows the earlier approval).
- What an edit of an approved item does is the workflow's data (`Workflow.approved_edit`):
  action plans keep the approved revision locked and edits go to a new revision that
  starts as draft (DESIGN: "changing an approved plan creates a new revision"); travel plans
  and CPS reports reopen in place as needs_reapproval.
- `withdraw` (submitted → draft, by the owner) is one row more than DESIGN lists: without it
  an owner who spots a typo after submitting has to ask the approver to return the item.
- Illegal transitions and refused steps raise ValidationError; editing a locked item raises
  LockedError. Who may take a step is data here (`WHO`, `Workflow.approvers`) and is checked
  by `check_actor` in the permissions.py style; services call it before `transition`.
- Every step produces an ApprovalRecord (actor, UTC time, hash of the content, comment,
  acknowledgement of findings) that the service stores as the item's history.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields, is_dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import Enum, StrEnum
from typing import Protocol

from app.errors import LockedError, PermissionDenied, ValidationError
from app.i18n import _, tr
from app.rules.permissions import Actor, Role, Scope


class State(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    RETURNED = "returned"
    NEEDS_REAPPROVAL = "needs_reapproval"


class Step(StrEnum):
    SUBMIT = "submit"
    APPROVE = "approve"
    RETURN = "return"
    REOPEN = "reopen"
    WITHDRAW = "withdraw"


class Party(StrEnum):
    OWNER = "owner"  # the person who wrote the item
    APPROVER = "approver"  # a role of Workflow.approvers, in its scope


STATE_LABELS = {
    State.DRAFT: "ร่าง",
    State.SUBMITTED: "รออนุมัติ",
    State.APPROVED: "อนุมัติแล้ว",
    State.RETURNED: "ส่งคืนให้แก้ไข",
    State.NEEDS_REAPPROVAL: "แก้ไขหลังอนุมัติ รออนุมัติใหม่",
}
STEP_LABELS = {
    Step.SUBMIT: "ส่งขออนุมัติ",
    Step.APPROVE: "อนุมัติ",
    Step.RETURN: "ส่งคืนให้แก้ไข",
    Step.REOPEN: "นำกลับมาแก้ไข",
    Step.WITHDRAW: "ถอนเรื่องกลับ",
}

# The whole machine: (from state, step) → to state. Anything not listed is illegal.
TRANSITIONS: dict[tuple[State, Step], State] = {
    (State.DRAFT, Step.SUBMIT): State.SUBMITTED,
    (State.NEEDS_REAPPROVAL, Step.SUBMIT): State.SUBMITTED,
    (State.SUBMITTED, Step.APPROVE): State.APPROVED,
    (State.SUBMITTED, Step.RETURN): State.RETURNED,
    (State.SUBMITTED, Step.WITHDRAW): State.DRAFT,
    (State.RETURNED, Step.REOPEN): State.DRAFT,
}
WHO: dict[Step, Party] = {
    Step.SUBMIT: Party.OWNER,
    Step.APPROVE: Party.APPROVER,
    Step.RETURN: Party.APPROVER,
    Step.REOPEN: Party.OWNER,
    Step.WITHDRAW: Party.OWNER,
}
# Content under review or approved must not change under the reviewer's eyes.
LOCKED_STATES = frozenset({State.SUBMITTED, State.APPROVED})


class ApprovedEdit(StrEnum):
    NEW_REVISION = "new_revision"  # the approved item stays locked; edits go to a copy
    REAPPROVE = "reapprove"  # the item itself reopens as needs_reapproval


@dataclass(frozen=True)
class Workflow:
    """One kind of approvable item and who approves it (role → scope, as in permissions.py)."""

    name: str
    label: str
    approvers: Mapping[str, Scope] = field(hash=False)
    approved_edit: ApprovedEdit
    # An approver may not approve what they wrote themselves unless the workflow allows it.
    allow_self_approval: bool = False


# The provincial officer approves any plan, a group director their own group's (issue 3:
# "approve or return … director / provincial head"); nobody approves what they wrote.
# Group directors approve travel plans and CPS reports of their group (the provincial
# officer any).
ACTION_PLAN = Workflow("action_plan", "แผนปฏิบัติงาน",
                       {Role.DIRECTOR: Scope.GROUP, Role.PROVINCIAL_HEAD: Scope.ALL}, ApprovedEdit.NEW_REVISION)
TRAVEL_PLAN = Workflow("travel_plan", "แผนการเดินทาง",
                       {Role.DIRECTOR: Scope.GROUP, Role.PROVINCIAL_HEAD: Scope.ALL}, ApprovedEdit.REAPPROVE)
CPS_REPORT = Workflow("cps_report", "รายงานการส่งเสริมสหกรณ์ (CPS)",
                      {Role.DIRECTOR: Scope.GROUP, Role.PROVINCIAL_HEAD: Scope.ALL}, ApprovedEdit.REAPPROVE)
WORKFLOWS = {w.name: w for w in (ACTION_PLAN, TRAVEL_PLAN, CPS_REPORT)}


# --- content hashes -----------------------------------------------------------------------

_HASH_RE = re.compile(r"[0-9a-f]{64}")
SHORT_HASH_LENGTH = 12


def _decimal_text(d: Decimal) -> str:
    # 13650 and 13650.00 are the same amount and must hash the same (the database gives
    # Numeric(14,2) back with two places). Done on the text: normalize() would round.
    if not d.is_finite():
        raise ValueError(f"cannot hash {d!r}")
    if d.is_zero():
        return "0"
    text = format(d, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _plain(value: object) -> object:
    if value is None or isinstance(value, (bool, int, str)):
        return value.value if isinstance(value, Enum) else value
    if isinstance(value, float):
        raise TypeError("floats are not hashed as content (use Decimal or int)")
    if isinstance(value, Decimal):
        return _decimal_text(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Enum):
        return _plain(value.value)
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, Mapping):
        if not all(isinstance(k, str) for k in value):
            raise TypeError("content mappings need str keys")
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted((_plain(v) for v in value), key=lambda v: json.dumps(v, ensure_ascii=False))
    raise TypeError(f"cannot hash {type(value).__name__} as content")


def canonical_json(data: object) -> str:
    """One text per content: sorted keys, no spaces, Decimals as exact text, dates ISO."""
    return json.dumps(_plain(data), ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                      allow_nan=False)


def content_hash(data: object) -> str:
    """sha256 (64 hex) of the canonical JSON of plain data (dicts, lists, str, int, Decimal,
    date, enums, dataclasses)."""
    return hashlib.sha256(canonical_json(data).encode("utf-8")).hexdigest()


def short_hash(full: str) -> str:
    """The first 12 hex digits, printed on sheets so a paper copy can be matched."""
    return full[:SHORT_HASH_LENGTH]


def _check_hash(value: str, name: str) -> str:
    if not isinstance(value, str) or not _HASH_RE.fullmatch(value):
        raise ValueError(f"{name} must be a 64-hex sha256, got {value!r}")
    return value


def _check_time(at: datetime) -> datetime:
    # Times are stored as UTC; a naive time here is a caller bug, not a user error.
    if not isinstance(at, datetime) or at.tzinfo is None or at.utcoffset() is None:
        raise ValueError(f"'at' must be a timezone-aware datetime, got {at!r}")
    return at


# --- records ------------------------------------------------------------------------------


class HasKind(Protocol):
    kind: str


@dataclass(frozen=True)
class Acknowledgement:
    """The submitter's explicit "I have seen these findings" for exactly this content."""

    actor_id: str
    at: datetime
    content_hash: str
    finding_count: int
    kinds: tuple[str, ...]  # distinct kinds, sorted

    def __post_init__(self) -> None:
        _check_time(self.at)
        _check_hash(self.content_hash, "content_hash")
        object.__setattr__(self, "kinds", tuple(sorted(set(self.kinds))))


def acknowledge(
    findings: Sequence[HasKind], *, actor_id: str, at: datetime, content_hash: str
) -> Acknowledgement:
    """What the UI builds when the user ticks "รับทราบข้อสังเกตแล้ว" before submitting."""
    return Acknowledgement(actor_id, at, content_hash, len(findings), tuple(f.kind for f in findings))


def _covers(ack: Acknowledgement, findings: Sequence[HasKind], content_hash: str) -> bool:
    return (ack.content_hash == content_hash and ack.finding_count == len(findings)
            and ack.kinds == tuple(sorted({f.kind for f in findings})))


@dataclass(frozen=True)
class ApprovalRecord:
    """One step in an item's history; the service stores it and sets the item's state."""

    step: Step
    from_state: State
    to_state: State
    actor_id: str
    at: datetime
    content_hash: str
    comment: str = ""
    acknowledgement: Acknowledgement | None = None

    @property
    def short_hash(self) -> str:
        return short_hash(self.content_hash)


@dataclass(frozen=True)
class EditEffect:
    """What an edit does to an item: its state afterwards, and whether the edit must go to a
    new revision (a copy in `state`) while the original stays as it is."""

    state: State
    new_revision: bool = False


# --- the machine --------------------------------------------------------------------------


def can(state: State | str, step: Step | str) -> bool:
    return (State(state), Step(step)) in TRANSITIONS


def legal_steps(state: State | str) -> tuple[Step, ...]:
    return tuple(step for (s, step) in TRANSITIONS if s == State(state))


def is_locked(state: State | str) -> bool:
    """Submitted and approved content is frozen: a service must not save an edit as is, but
    ask `after_edit` (submitted: refused; approved: a new revision or re-approval)."""
    return State(state) in LOCKED_STATES


def next_state(state: State | str, step: Step | str) -> State:
    """The state after `step`, or ValidationError saying why it cannot be taken now."""
    state, step = State(state), Step(step)
    try:
        return TRANSITIONS[state, step]
    except KeyError:
        pass
    possible = legal_steps(state)
    if possible:
        hint = tr("ขั้นตอนที่ทำได้ตอนนี้คือ{steps}", steps=", ".join(_(STEP_LABELS[s]) for s in possible))
    else:
        hint = _("รายการที่อนุมัติแล้วถูกล็อกไว้")
    raise ValidationError(
        tr("{step}ไม่ได้ เพราะรายการนี้อยู่ในสถานะ “{state}” {hint}",
           step=_(STEP_LABELS[step]), state=_(STATE_LABELS[state]), hint=hint),
        field="state",
    )


def after_edit(state: State | str, workflow: Workflow) -> EditEffect:
    """What editing an item in `state` does (called before the service saves an edit).

    draft → draft; returned → draft (editing is how the owner takes it back);
    needs_reapproval → itself; submitted → LockedError (withdraw or wait for a return);
    approved → a new draft revision (action plans) or needs_reapproval in place (others).
    """
    state = State(state)
    if state is State.SUBMITTED:
        raise LockedError(_("รายการนี้ส่งขออนุมัติแล้ว แก้ไขไม่ได้จนกว่าจะถอนเรื่องกลับหรือถูกส่งคืน"))
    if state is State.APPROVED:
        if workflow.approved_edit is ApprovedEdit.NEW_REVISION:
            return EditEffect(State.DRAFT, new_revision=True)
        return EditEffect(State.NEEDS_REAPPROVAL)
    if state is State.RETURNED:
        return EditEffect(State.DRAFT)
    return EditEffect(state)


def transition(
    state: State | str,
    step: Step | str,
    *,
    actor_id: str,
    at: datetime,
    content_hash: str,
    comment: str = "",
    reviewed_hash: str | None = None,
    findings: Sequence[HasKind] = (),
    acknowledgement: Acknowledgement | None = None,
) -> ApprovalRecord:
    """Take one step, or refuse with one Thai sentence.

    content_hash is the hash of the item's content now (as stored). Approving also needs
    reviewed_hash, the hash of what the approver was shown: if they differ someone edited
    meanwhile and the approval is refused. Returning needs a comment. Submitting with
    findings needs an acknowledgement of exactly these findings on exactly this content,
    by the submitter; it is kept in the record.
    """
    state, step = State(state), Step(step)
    _check_time(at)
    _check_hash(content_hash, "content_hash")
    if not actor_id:
        raise ValueError("actor_id is required")
    to_state = next_state(state, step)
    comment = (comment or "").strip()
    recorded_ack = None
    if step is Step.RETURN and not comment:
        raise ValidationError(_("กรุณาระบุเหตุผลหรือสิ่งที่ต้องแก้ไขก่อนส่งคืน"), field="comment")
    if step is Step.APPROVE:
        if reviewed_hash is None:
            raise ValueError("approving needs the reviewed_hash of what the approver saw")
        if _check_hash(reviewed_hash, "reviewed_hash") != content_hash:
            raise ValidationError(
                _("เนื้อหาถูกแก้ไขหลังจากที่คุณเปิดตรวจ กรุณาเปิดดูฉบับล่าสุดแล้วจึงอนุมัติ"),
                field="content_hash",
            )
    if step is Step.SUBMIT and findings:
        recorded_ack = _accepted_acknowledgement(findings, acknowledgement, actor_id, content_hash)
    return ApprovalRecord(step, state, to_state, actor_id, at, content_hash, comment, recorded_ack)


def _accepted_acknowledgement(
    findings: Sequence[HasKind], ack: Acknowledgement | None, actor_id: str, content_hash: str
) -> Acknowledgement:
    if ack is None:
        raise ValidationError(
            tr("รายการนี้มีข้อสังเกต {count} รายการ กรุณายืนยันว่ารับทราบก่อนส่งขออนุมัติ",
               count=len(findings)),
            field="acknowledgement",
        )
    if ack.actor_id != actor_id:
        raise ValidationError(_("ผู้ส่งขออนุมัติต้องเป็นผู้ยืนยันรับทราบข้อสังเกตด้วยตนเอง"),
                              field="acknowledgement")
    if not _covers(ack, findings, content_hash):
        raise ValidationError(
            _("ข้อสังเกตหรือเนื้อหาเปลี่ยนไปหลังจากที่ยืนยันรับทราบ กรุณาตรวจดูและยืนยันอีกครั้ง"),
            field="acknowledgement",
        )
    return ack


def submit(
    state: State | str,
    *,
    actor_id: str,
    at: datetime,
    content_hash: str,
    findings: Sequence[HasKind] = (),
    acknowledgement: Acknowledgement | None = None,
) -> ApprovalRecord:
    return transition(state, Step.SUBMIT, actor_id=actor_id, at=at, content_hash=content_hash,
                      findings=findings, acknowledgement=acknowledgement)


def approve(
    state: State | str,
    *,
    actor_id: str,
    at: datetime,
    reviewed_hash: str,
    current_hash: str,
    comment: str = "",
) -> ApprovalRecord:
    return transition(state, Step.APPROVE, actor_id=actor_id, at=at, content_hash=current_hash,
                      reviewed_hash=reviewed_hash, comment=comment)


def return_to_owner(state: State | str, *, actor_id: str, at: datetime, content_hash: str,
                    comment: str) -> ApprovalRecord:
    return transition(state, Step.RETURN, actor_id=actor_id, at=at, content_hash=content_hash,
                      comment=comment)


def reopen(state: State | str, *, actor_id: str, at: datetime, content_hash: str) -> ApprovalRecord:
    return transition(state, Step.REOPEN, actor_id=actor_id, at=at, content_hash=content_hash)


def withdraw(state: State | str, *, actor_id: str, at: datetime, content_hash: str) -> ApprovalRecord:
    return transition(state, Step.WITHDRAW, actor_id=actor_id, at=at, content_hash=content_hash)


# --- who may take a step ------------------------------------------------------------------


def _in_scope(scope: Scope, actor: Actor, owner_id: str, owner_group_id: str | None) -> bool:
    if scope is Scope.ALL:
        return True
    if scope is Scope.GROUP:
        return actor.group_id is not None and actor.group_id == owner_group_id
    return actor.id == owner_id


def may(actor: Actor, step: Step | str, workflow: Workflow, *, owner_id: str,
        owner_group_id: str | None = None) -> bool:
    """True if the actor may take the step on an item written by owner_id (of that group)."""
    if not actor.active:
        return False
    if WHO[Step(step)] is Party.OWNER:
        return actor.id == owner_id
    if actor.id == owner_id and not workflow.allow_self_approval:
        return False
    return any(
        role in workflow.approvers and _in_scope(workflow.approvers[role], actor, owner_id, owner_group_id)
        for role in actor.roles
    )


def check_actor(actor: Actor, step: Step | str, workflow: Workflow, *, owner_id: str,
                owner_group_id: str | None = None) -> None:
    """PermissionDenied with one Thai sentence unless `may`; services call it before transition()."""
    step = Step(step)
    if may(actor, step, workflow, owner_id=owner_id, owner_group_id=owner_group_id):
        return
    what, label = _(STEP_LABELS[step]), _(workflow.label)
    if WHO[step] is Party.OWNER:
        raise PermissionDenied(tr("เฉพาะผู้จัดทำ{item}เท่านั้นที่{step}ได้", item=label, step=what))
    if actor.id == owner_id and actor.active:
        raise PermissionDenied(
            tr("คุณ{step}{item}ที่ตนเองจัดทำไม่ได้ ต้องให้ผู้มีอำนาจอนุมัติคนอื่น", step=what, item=label)
        )
    raise PermissionDenied(tr("บัญชีของคุณไม่มีสิทธิ์{step}{item}นี้", step=what, item=label))
