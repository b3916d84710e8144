"""The one approval state machine: every transition, who may take it, and the records."""

from __future__ import annotations

import itertools
from dataclasses import FrozenInstanceError
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from app.errors import LockedError, PermissionDenied, ValidationError
from app.rules import approval
from app.rules.approval import (
    ACTION_PLAN,
    CPS_REPORT,
    TRAVEL_PLAN,
    WORKFLOWS,
    Acknowledgement,
    ApprovalRecord,
    EditEffect,
    State,
    Step,
    acknowledge,
    after_edit,
    can,
    check_actor,
    is_locked,
    legal_steps,
    may,
    next_state,
    transition,
)
from app.rules.permissions import Actor, Role
from app.rules.plan import PlanSheet, content_fingerprint, validate
from tests.rules.helpers import months, row

AT = datetime(2023, 10, 2, 3, 30, tzinfo=UTC)
H1, H2 = "a" * 64, "b" * 64
D, S, A, R, N = State.DRAFT, State.SUBMITTED, State.APPROVED, State.RETURNED, State.NEEDS_REAPPROVAL

# The machine, written out independently of approval.TRANSITIONS.
EXPECTED = {
    (D, Step.SUBMIT): S,
    (N, Step.SUBMIT): S,
    (S, Step.APPROVE): A,
    (S, Step.RETURN): R,
    (S, Step.WITHDRAW): D,
    (R, Step.REOPEN): D,
}
ALL_PAIRS = list(itertools.product(State, Step))


def step_kwargs(step: Step) -> dict:
    """The least each step needs to be legal when the state allows it."""
    kw: dict = {"actor_id": "u1", "at": AT, "content_hash": H1}
    if step is Step.RETURN:
        kw["comment"] = "ขอให้แก้งบเดือน ม.ค."
    if step is Step.APPROVE:
        kw["reviewed_hash"] = H1
    return kw


@pytest.mark.parametrize(("state", "step"), [p for p in ALL_PAIRS if p in EXPECTED])
def test_legal_transitions(state, step):
    assert can(state, step) and next_state(state, step) is EXPECTED[state, step]
    record = transition(state, step, **step_kwargs(step))
    assert (record.step, record.from_state, record.to_state) == (step, state, EXPECTED[state, step])
    assert (record.actor_id, record.at, record.content_hash) == ("u1", AT, H1)


@pytest.mark.parametrize(("state", "step"), [p for p in ALL_PAIRS if p not in EXPECTED])
def test_illegal_transitions_are_refused_in_thai(state, step):
    assert not can(state, step)
    with pytest.raises(ValidationError) as err:
        transition(state, step, **step_kwargs(step))
    assert "ไม่ได้" in str(err.value) and approval.STATE_LABELS[state] in str(err.value)


def test_the_table_has_nothing_else():
    assert approval.TRANSITIONS == EXPECTED
    assert legal_steps(S) == (Step.APPROVE, Step.RETURN, Step.WITHDRAW)
    assert legal_steps(A) == ()


def test_states_accept_their_stored_strings():
    assert next_state("draft", "submit") is S
    with pytest.raises(ValueError):
        next_state("archived", "submit")


@pytest.mark.parametrize("state", list(State))
def test_locked_states(state):
    assert is_locked(state) == (state in (S, A))


@pytest.mark.parametrize(
    ("state", "workflow", "expected"),
    [
        (D, ACTION_PLAN, EditEffect(D)),
        (R, ACTION_PLAN, EditEffect(D)),
        (N, TRAVEL_PLAN, EditEffect(N)),
        (A, ACTION_PLAN, EditEffect(D, new_revision=True)),  # approved revision stays locked
        (A, TRAVEL_PLAN, EditEffect(N)),
        (A, CPS_REPORT, EditEffect(N)),
    ],
)
def test_after_edit(state, workflow, expected):
    assert after_edit(state, workflow) == expected


@pytest.mark.parametrize("workflow", list(WORKFLOWS.values()))
def test_editing_a_submitted_item_is_locked(workflow):
    with pytest.raises(LockedError) as err:
        after_edit(S, workflow)
    assert "แก้ไขไม่ได้" in str(err.value)


@pytest.mark.parametrize("comment", ["", "   ", "\n"])
def test_return_needs_a_comment(comment):
    with pytest.raises(ValidationError) as err:
        approval.return_to_owner(S, actor_id="boss", at=AT, content_hash=H1, comment=comment)
    assert err.value.field == "comment" and "เหตุผล" in str(err.value)


def test_return_records_the_comment():
    record = approval.return_to_owner(S, actor_id="boss", at=AT, content_hash=H1, comment="  งบ ม.ค. ไม่ตรง ")
    assert record.to_state is R and record.comment == "งบ ม.ค. ไม่ตรง"


def test_approve_with_a_stale_hash_is_refused():
    with pytest.raises(ValidationError) as err:
        approval.approve(S, actor_id="boss", at=AT, reviewed_hash=H1, current_hash=H2)
    assert err.value.field == "content_hash" and "แก้ไข" in str(err.value)


def test_approve_records_who_when_and_what():
    record = approval.approve(S, actor_id="boss", at=AT, reviewed_hash=H2, current_hash=H2, comment="เห็นชอบ")
    assert record == ApprovalRecord(Step.APPROVE, S, A, "boss", AT, H2, "เห็นชอบ")
    assert record.short_hash == "b" * 12
    with pytest.raises(FrozenInstanceError):
        record.actor_id = "someone"  # type: ignore[misc]


def test_approve_without_reviewed_hash_is_a_caller_bug():
    with pytest.raises(ValueError):
        transition(S, Step.APPROVE, actor_id="boss", at=AT, content_hash=H1)


@pytest.mark.parametrize(
    "kw",
    [
        {"at": datetime(2023, 10, 2, 3, 30)},  # naive: the database column would refuse it later
        {"content_hash": "abc"},
        {"content_hash": "A" * 64},
        {"actor_id": ""},
    ],
)
def test_malformed_calls_are_value_errors(kw):
    with pytest.raises(ValueError):
        transition(D, Step.SUBMIT, **(step_kwargs(Step.SUBMIT) | kw))


# --- findings and their acknowledgement -----------------------------------------------------


def plan_with_findings() -> PlanSheet:
    return PlanSheet((row("r1", "(๑)", "ประชุมผู้ส่งเสริมสหกรณ์", target_quantity=8, unit="ครั้ง",
                          stated_total_baht=Decimal(13650), months=months({"พ.ย.": (7, "๑๒,๒๕๐")})),))


def test_submit_with_findings_needs_an_acknowledgement():
    sheet = plan_with_findings()
    findings = validate(sheet)
    assert len(findings) == 2
    with pytest.raises(ValidationError) as err:
        approval.submit(D, actor_id="u1", at=AT, content_hash=content_fingerprint(sheet), findings=findings)
    assert err.value.field == "acknowledgement" and "2" in str(err.value)


def test_acknowledgement_is_recorded():
    sheet = plan_with_findings()
    findings, fp = validate(sheet), content_fingerprint(sheet)
    ack = acknowledge(findings, actor_id="u1", at=AT - timedelta(minutes=1), content_hash=fp)
    record = approval.submit(D, actor_id="u1", at=AT, content_hash=fp, findings=findings, acknowledgement=ack)
    assert record.to_state is S and record.acknowledgement == ack
    assert (ack.finding_count, ack.kinds) == (2, ("row_total_mismatch", "target_mismatch"))


def test_without_findings_no_acknowledgement_is_needed_or_kept():
    fp = H1
    ack = Acknowledgement("u1", AT, fp, 1, ("negative_value",))  # stale from an earlier check
    assert approval.submit(D, actor_id="u1", at=AT, content_hash=fp).acknowledgement is None
    assert approval.submit(D, actor_id="u1", at=AT, content_hash=fp, acknowledgement=ack).acknowledgement is None


@pytest.mark.parametrize(
    "stale",
    [
        {"actor_id": "someone-else"},
        {"content_hash": H2},  # acknowledged before the last edit
        {"finding_count": 1},
        {"kinds": ("row_total_mismatch",)},
    ],
)
def test_acknowledgement_must_match_these_findings_by_this_submitter(stale):
    sheet = plan_with_findings()
    findings, fp = validate(sheet), content_fingerprint(sheet)
    fields = {"actor_id": "u1", "at": AT, "content_hash": fp, "finding_count": 2,
              "kinds": ("target_mismatch", "row_total_mismatch")} | stale
    with pytest.raises(ValidationError) as err:
        approval.submit(D, actor_id="u1", at=AT, content_hash=fp, findings=findings,
                        acknowledgement=Acknowledgement(**fields))
    assert err.value.field == "acknowledgement"


# --- who may take a step ----------------------------------------------------------------------


def actor(uid, *roles, group="g1", active=True):
    return Actor(id=uid, login=uid, roles=frozenset(roles), group_id=group, active=active)


OWNER = actor("owner", Role.OFFICER)
DIRECTOR = actor("dir", Role.DIRECTOR)
OTHER_DIRECTOR = actor("dir2", Role.DIRECTOR, group="g2")
HEAD = actor("head", Role.PROVINCIAL_HEAD, group=None)
CLERK = actor("clerk", Role.CLERK)
ADMIN = actor("admin", Role.ADMIN)
OWNER_STEPS = (Step.SUBMIT, Step.REOPEN, Step.WITHDRAW)
APPROVER_STEPS = (Step.APPROVE, Step.RETURN)

# (workflow, actor) → may approve/return an item of OWNER in group g1
APPROVERS = {
    (ACTION_PLAN, DIRECTOR): True,  # their own group's plan (issue 3)
    (ACTION_PLAN, OTHER_DIRECTOR): False,
    (ACTION_PLAN, HEAD): True,
    (TRAVEL_PLAN, DIRECTOR): True,
    (TRAVEL_PLAN, OTHER_DIRECTOR): False,
    (TRAVEL_PLAN, HEAD): True,
    (CPS_REPORT, DIRECTOR): True,
    (CPS_REPORT, OTHER_DIRECTOR): False,
    (CPS_REPORT, HEAD): True,
}


@pytest.mark.parametrize("workflow", list(WORKFLOWS.values()), ids=lambda w: w.name)
@pytest.mark.parametrize("who", [OWNER, DIRECTOR, OTHER_DIRECTOR, HEAD, CLERK, ADMIN], ids=lambda a: a.id)
@pytest.mark.parametrize("step", list(Step))
def test_who_may_take_each_step(workflow, who, step):
    expected = (who is OWNER) if step in OWNER_STEPS else APPROVERS.get((workflow, who), False)
    assert may(who, step, workflow, owner_id="owner", owner_group_id="g1") is expected
    if expected:
        check_actor(who, step, workflow, owner_id="owner", owner_group_id="g1")
    else:
        with pytest.raises(PermissionDenied):
            check_actor(who, step, workflow, owner_id="owner", owner_group_id="g1")


def test_no_one_approves_their_own_item():
    boss = actor("dir", Role.DIRECTOR)
    assert not may(boss, Step.APPROVE, TRAVEL_PLAN, owner_id="dir", owner_group_id="g1")
    with pytest.raises(PermissionDenied) as err:
        check_actor(boss, Step.APPROVE, TRAVEL_PLAN, owner_id="dir", owner_group_id="g1")
    assert "ตนเอง" in str(err.value)


def test_inactive_accounts_take_no_step():
    gone = actor("owner", Role.PROVINCIAL_HEAD, active=False)
    assert not any(may(gone, s, w, owner_id="owner") for s in Step for w in WORKFLOWS.values())


# --- whole journeys ---------------------------------------------------------------------------


def test_plan_journey_return_fix_approve_then_revise():
    sheet = plan_with_findings()
    fp = content_fingerprint(sheet)
    findings = validate(sheet)
    history = [approval.submit(D, actor_id="owner", at=AT, content_hash=fp, findings=findings,
                               acknowledgement=acknowledge(findings, actor_id="owner", at=AT, content_hash=fp))]
    history.append(approval.return_to_owner(history[-1].to_state, actor_id="head", at=AT, content_hash=fp,
                                            comment="งบรวมไม่ตรงกับรายเดือน"))
    history.append(approval.reopen(history[-1].to_state, actor_id="owner", at=AT, content_hash=fp))
    assert after_edit(history[-1].to_state, ACTION_PLAN) == EditEffect(D)
    fixed = PlanSheet((row("r1", "(๑)", target_quantity=7, unit="ครั้ง", stated_total_baht=Decimal(12250),
                           months=months({"พ.ย.": (7, "๑๒,๒๕๐")})),))
    assert validate(fixed) == []
    fp2 = content_fingerprint(fixed)
    history.append(approval.submit(history[-1].to_state, actor_id="owner", at=AT, content_hash=fp2))
    history.append(approval.approve(history[-1].to_state, actor_id="head", at=AT, reviewed_hash=fp2,
                                    current_hash=fp2))
    assert [r.to_state for r in history] == [S, R, D, S, A]
    assert is_locked(history[-1].to_state)
    assert after_edit(A, ACTION_PLAN) == EditEffect(D, new_revision=True)


def test_report_journey_edit_after_approval_needs_reapproval():
    record = approval.approve(S, actor_id="dir", at=AT, reviewed_hash=H1, current_hash=H1)
    effect = after_edit(record.to_state, CPS_REPORT)
    assert effect == EditEffect(N)
    again = approval.submit(effect.state, actor_id="owner", at=AT, content_hash=H2)
    assert approval.approve(again.to_state, actor_id="dir", at=AT, reviewed_hash=H2, current_hash=H2).to_state is A


def test_withdraw_lets_the_owner_fix_a_typo():
    record = approval.withdraw(S, actor_id="owner", at=AT, content_hash=H1)
    assert record.to_state is D and not is_locked(D)
