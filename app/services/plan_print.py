"""Printing a stored action plan: the official sheet as PDF, for the CLI and the GUI."""

from __future__ import annotations

import io
from pathlib import Path

from sqlalchemy.orm import Session

from app.exchange.plan_pdf import build_plan_pdf
from app.exchange.files import write_atomically
from app.models import User
from app.services import plans


def print_pdf(session: Session, user: User, *, fiscal_year: int, unit: str | None, path: str | Path,
              thai_digits: bool = True, revision: int | None = None) -> int:
    """Print a group's plan for a fiscal year (the latest revision unless one is named)."""
    plan = plans.plan_for(session, user, fiscal_year, unit, revision)  # checks PLAN_VIEW
    return print_plan(session, user, plan.id, path, thai_digits=thai_digits)


def print_plan(session: Session, user: User, plan_id: str, path: str | Path, *, thai_digits: bool = True) -> int:
    """Write one plan revision's sheet to `path` (replaced in one step, so a half-written
    sheet never stands in its place); returns the page count. An approved revision stays
    printable while a newer draft is being prepared."""
    doc = plans.document_of(session, user, plan_id)
    pages = 0

    def write(target: Path) -> None:
        nonlocal pages
        pages = build_plan_pdf(doc, str(target), thai_digits=thai_digits)

    write_atomically(Path(path), write)
    return pages


def pdf_bytes(session: Session, user: User, plan_id: str, *, thai_digits: bool = True) -> bytes:
    """The sheet of one plan revision as PDF bytes (the GUI previews or saves them)."""
    out = io.BytesIO()
    build_plan_pdf(plans.document_of(session, user, plan_id), out, thai_digits=thai_digits)
    return out.getvalue()
