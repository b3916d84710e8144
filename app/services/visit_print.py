"""Printing the CPS documents: an officer's travel-plan request (PDF) and the monthly CPS
report (PDF or Excel), for the CLI and the GUI.

Every function checks permissions through the visit services it reads with, takes the
digit style from the office setting "print.thai_digits" unless told, and writes files in
one step (app.exchange.files.write_atomically): a failure never leaves half a file.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import NotFound, ValidationError
from app.exchange.files import write_atomically
from app.i18n import _, tr
from app.models import Institution, TravelPlan, User, WorkGroup
from app.rules.approval import State, short_hash
from app.rules.permissions import Action, Role, Scope, Target, scope_for
from app.services import auth, settings
from app.services import visit_views as views
from app.services import visits as svc
from app.services.context import actor_of, authorize, get_live

SUFFIXES = (".pdf", ".xlsx")


# -- looking things up the way the CLI names them ---------------------------------------------------

def officer_by_login(session: Session, user: User, login: str) -> User:
    """The user with this login (any office member the acting user may see visits of)."""
    officer = auth.local_user(session, login)
    if officer is None:
        raise NotFound(tr("ไม่พบเจ้าหน้าที่ชื่อผู้ใช้ {login}", login=login))
    authorize(session, user, Action.VISIT_VIEW, Target(officer_id=officer.id, group_id=officer.group_id))
    return officer


def _thai_digits(session: Session, thai_digits: bool | None) -> bool:
    return settings.get(session, "print.thai_digits") if thai_digits is None else thai_digits


def _director_of(session: Session, group_id: str | None) -> User | None:
    if group_id is None:
        return None
    people = session.scalars(select(User).where(User.group_id == group_id, User.active.is_(True),
                                                User.deleted_at.is_(None)).order_by(User.login))
    return next((u for u in people if Role.DIRECTOR in u.roles), None)


def _head_of_office(session: Session, office_id: str) -> User | None:
    people = session.scalars(select(User).where(User.office_id == office_id, User.active.is_(True),
                                                User.deleted_at.is_(None)).order_by(User.login))
    return next((u for u in people if Role.PROVINCIAL_HEAD in u.roles), None)


def _director_position(group: WorkGroup | None, director: User | None) -> str:
    if group is not None and group.name.startswith("กลุ่ม"):
        return f"ผู้อำนวยการ{group.name}"
    return director.position if director else ""


# -- the travel-plan request ------------------------------------------------------------------------

def travel_plan_sheet(session: Session, user: User, plan_id: str):
    """What the travel-plan request prints (app.exchange.visit_pdf.TravelPlanSheet)."""
    from app.exchange.visit_pdf import TravelApproval, TravelPlanSheet, TripLine

    plan = svc.get_travel_plan(session, user, plan_id)  # checks VISIT_VIEW
    officer = plan.officer
    group = session.get(WorkGroup, plan.group_id) if plan.group_id else None
    names = dict(session.execute(select(User.id, User.full_name)).all())
    lines = []
    for v in svc.plan_visits(session, plan):
        inst: Institution = v.institution
        prep = svc.preparation(session, user, v.id)
        lines.append(TripLine(
            day=v.planned_date, time=v.planned_time, institution=inst.name,
            district=inst.district.label if inst.district else "", method=v.method, purpose=v.purpose,
            carried=tuple(p.text_th for p in prep),
            co_officers=tuple(names.get(i, "") for i in (v.co_officer_ids or ()) if names.get(i)),
            cancelled_reason=v.cancel_reason if v.status == svc.CANCELLED else None, institution_id=inst.id,
        ))
    approval = None
    if plan.state == State.APPROVED and plan.approved_at is not None and plan.approver_user is not None:
        approver = plan.approver_user
        approval = TravelApproval(approver.full_name, approver.position, plan.approved_at,
                                  short_hash(plan.approved_hash or ""))
        signer_name = approver.full_name
        # the group's director signs as its director; anyone else (สหกรณ์จังหวัด) under their own title
        signer_position = (_director_position(group, approver) if Role.DIRECTOR in approver.roles
                           else approver.position)
    else:
        director = _director_of(session, plan.group_id)
        signer_name = director.full_name if director else ""
        signer_position = _director_position(group, director)
    office = officer.office.name if officer.office else ""
    return TravelPlanSheet(
        office_name=office, group_name=group.name if group else "", officer_name=officer.full_name,
        officer_position=officer.position, month=plan.month, lines=tuple(lines), note=plan.note,
        approver_name=signer_name, approver_position=signer_position, approval=approval,
    )


def travel_plan_pdf(session: Session, user: User, plan_id: str, out_path: str | Path, *,
                    thai_digits: bool | None = None, printed_at: datetime | None = None) -> Path:
    """Write one travel plan's request for approval as PDF (replacing out_path in one step)."""
    from app.exchange.visit_pdf import build_travel_plan_pdf

    path = _require_suffix(out_path, (".pdf",))
    sheet = travel_plan_sheet(session, user, plan_id)
    digits = _thai_digits(session, thai_digits)
    write_atomically(path, lambda target: build_travel_plan_pdf(sheet, str(target), thai_digits=digits,
                                                                 printed_at=printed_at))
    return path


def travel_plan_for(session: Session, user: User, officer_id: str, month: date) -> TravelPlan:
    """The officer's travel plan for the month, or NotFound with one sentence."""
    plan = svc.travel_plan_of(session, user, officer_id, month)
    if plan is None:
        officer = session.get(User, officer_id)
        raise NotFound(tr("{name} ยังไม่มีแผนการเดินทางเดือน{month}", name=officer.full_name if officer else "",
                          month=_month_text(month)))
    return plan


def travel_plan_pdf_bytes(session: Session, user: User, plan_id: str, *, thai_digits: bool | None = None,
                          printed_at: datetime | None = None) -> bytes:
    """The request as PDF bytes (the GUI previews or saves them)."""
    from app.exchange.visit_pdf import build_travel_plan_pdf

    out = io.BytesIO()
    build_travel_plan_pdf(travel_plan_sheet(session, user, plan_id), out,
                          thai_digits=_thai_digits(session, thai_digits), printed_at=printed_at)
    return out.getvalue()


# -- the monthly CPS report -----------------------------------------------------------------------

def _month_text(month: date) -> str:
    from app.thai import format_date

    return format_date(month, "month", thai_digits=False)


def monthly_report(session: Session, user: User, month: date, *, officer_id: str | None = None,
                   group_id: str | None = None) -> tuple[views.MonthlyReport, str, list[tuple[str, str, str]]]:
    """(the report, the scope line under its title, its signature blocks).

    Without an officer or a group, the report covers what the user may see: the office for
    those who see everything, else the user's group (or the user's own visits), so that its
    title never claims more than it counts."""
    month = month.replace(day=1)
    if not officer_id and not group_id:
        scope = scope_for(actor_of(user), Action.VISIT_VIEW)
        if scope is Scope.GROUP and user.group_id:
            group_id = user.group_id
        elif scope is Scope.OWN:
            officer_id = user.id
    officer = group = None
    if officer_id:
        officer = get_live(session, User, officer_id, _("ไม่พบเจ้าหน้าที่ที่ต้องการ"))
        authorize(session, user, Action.VISIT_VIEW, Target(officer_id=officer.id, group_id=officer.group_id))
    if group_id:
        group = get_live(session, WorkGroup, group_id, _("ไม่พบกลุ่มงาน"))
        authorize(session, user, Action.VISIT_VIEW, Target(group_id=group.id))
    report = views.monthly_report(session, user, month, officer_id=officer_id, group_id=group_id)
    if officer is not None:
        own_group = session.get(WorkGroup, officer.group_id) if officer.group_id else None
        parts = [tr("ผู้ปฏิบัติงาน {name}", name=officer.full_name)]
        if officer.position:
            parts.append(tr("ตำแหน่ง {position}", position=officer.position))
        if own_group is not None:
            parts.append(own_group.name)
        director = _director_of(session, officer.group_id)
        signers = [("ผู้รายงาน", officer.full_name, officer.position),
                   ("ผู้อำนวยการกลุ่ม", director.full_name if director else "",
                    _director_position(own_group, director))]
        return report, " ".join(parts), signers
    reporter = ("ผู้รายงาน", user.full_name, user.position)
    if group is not None:
        director = _director_of(session, group.id)
        if director is not None and director.id == user.id:
            reporter = ("ผู้รายงาน", "", "")
        return report, group.name, [reporter, ("ผู้อำนวยการกลุ่ม", director.full_name if director else "",
                                               _director_position(group, director))]
    head = _head_of_office(session, user.office_id)
    if head is not None and head.id == user.id:
        reporter = ("ผู้รายงาน", "", "")
    return report, tr("ภาพรวมทั้งสำนักงาน"), [
        reporter, ("สหกรณ์จังหวัด", head.full_name if head else "", head.position if head else "")]


def _require_suffix(out_path: str | Path, allowed: tuple[str, ...]) -> Path:
    path = Path(out_path)
    if path.suffix.lower() not in allowed:
        if allowed == (".pdf",):
            raise ValidationError(tr("ไฟล์ {name} ต้องเป็นไฟล์ .pdf กรุณาเปลี่ยนนามสกุลไฟล์", name=path.name),
                                  field="out")
        raise ValidationError(tr("บันทึกรายงานได้เฉพาะไฟล์ .pdf หรือ .xlsx กรุณาเปลี่ยนนามสกุลของไฟล์ {name}",
                                 name=path.name), field="out")
    return path


def monthly_report_file(session: Session, user: User, month: date, out_path: str | Path, *,
                        officer_id: str | None = None, group_id: str | None = None,
                        thai_digits: bool | None = None, printed_at: datetime | None = None) -> Path:
    """Write the monthly CPS report as .pdf or .xlsx (by the file's suffix) in one step."""
    path = _require_suffix(out_path, SUFFIXES)
    report, scope_line, signers = monthly_report(session, user, month, officer_id=officer_id, group_id=group_id)
    digits = _thai_digits(session, thai_digits)
    write: Callable[[Path], None]
    if path.suffix.lower() == ".pdf":
        from app.exchange.visit_pdf import build_monthly_report_pdf

        def write(target: Path) -> None:
            build_monthly_report_pdf(report, str(target), scope_line=scope_line, signers=signers,
                                     thai_digits=digits, printed_at=printed_at)
    else:
        from app.exchange.visit_xlsx import write_monthly_report

        def write(target: Path) -> None:
            write_monthly_report(report, target, scope_line=scope_line, signers=signers, thai_digits=digits)
    write_atomically(path, write)
    return path


def monthly_report_pdf_bytes(session: Session, user: User, month: date, *, officer_id: str | None = None,
                             group_id: str | None = None, thai_digits: bool | None = None,
                             printed_at: datetime | None = None) -> bytes:
    from app.exchange.visit_pdf import build_monthly_report_pdf

    report, scope_line, signers = monthly_report(session, user, month, officer_id=officer_id, group_id=group_id)
    out = io.BytesIO()
    build_monthly_report_pdf(report, out, scope_line=scope_line, signers=signers,
                             thai_digits=_thai_digits(session, thai_digits), printed_at=printed_at)
    return out.getvalue()


# -- the list, as the CLI prints it ----------------------------------------------------------------

def visit_records(session: Session, user: User, month: date, *, officer_id: str | None = None,
                  group_id: str | None = None) -> list[dict]:
    """The month's visits as plain records with stable keys (ISO dates) for `--json`."""
    rows = views.list_visits(session, user, month, officer_id=officer_id, group_id=group_id)
    logins = dict(session.execute(select(User.id, User.login)).all())
    return [{
        "id": v.id,
        "planned_date": v.planned_date.isoformat(),
        "planned_time": v.planned_time,
        "actual_date": v.actual_date.isoformat() if v.actual_date else None,
        "institution_id": v.institution_id,
        "institution": v.institution_name,
        "officer": logins.get(v.officer_id),
        "officer_name": v.officer_name,
        "method": v.method,
        "method_label": v.method_label,
        "purpose": v.purpose,
        "status": v.status,
        "report_state": v.report_state,
        "findings": v.findings,
        "advice": v.advice,
        "response": v.response,
        "next_step": v.next_step,
        "cancel_reason": v.cancel_reason,
    } for v in rows]
