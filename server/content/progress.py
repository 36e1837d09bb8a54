"""Moving a demo case forward from the dashboard (收件 -> 受理 -> 审查 -> 出证 -> 寄送), so a
demonstration can show a terminal's 办件查询 change. A real platform's cases move in that platform."""
from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy.orm import Session, selectinload
from sqlalchemy import select

from server.models import ContentCase, utcnow
from server.services import audit


class ProgressError(ValueError):
    pass


def advance(session: Session, case_no: str, actor: str, note: str = "", now: datetime | None = None) -> str:
    """Mark the next step reached; returns its code. ``ProgressError`` when the case is finished."""
    case = session.scalar(select(ContentCase).options(selectinload(ContentCase.steps))
                          .where(ContentCase.case_no == case_no))
    if case is None:
        raise LookupError(f"no case {case_no}")
    step = next((s for s in case.steps if s.at is None), None)
    if step is None:
        raise ProgressError("该办件已办结 (the case has no further step)")
    step.at = now or utcnow()
    step.note = note.strip()[:200]
    case.status = step.code
    if step.code == "posted" and not case.tracking_no:
        case.tracking_no = "11" + "".join(secrets.choice("0123456789") for _ in range(11))
    audit.record(session, actor, "content.case.advance", case_no, step=step.code)
    return step.code
