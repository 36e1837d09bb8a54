"""The 差评 rectification loop: 待回访 → 已回访 → 整改中 → 已整改 → 复核.

Every bad rating opens one case assigned to the rating's department. Deadlines (computed when
read, see :func:`due_dates`): 回访 by the end of the first working day after the case opened;
整改 by the end of the N-th working day after it opened (``ratings_rectify_days``, default 5).
A case is *overdue* when its current step is past its deadline: 待回访 after the 回访 deadline,
已回访/整改中 after the 整改 deadline. 复核 records whether the rater is satisfied with the
rectification (整改满意). Each transition is allowed only to the roles in ``access`` and is
written to the audit log in the same transaction.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.models import utcnow
from server.models.ratings import Rating, RectificationCase
from server.ratings.access import Actor
from server.ratings.workdays import WorkCalendar
from server.services import audit

VISIT_DAYS = 1
OPEN_STATES = ("pending_visit", "visited", "rectifying")
# action -> (from state, to state, supervisors only)
TRANSITIONS: dict[str, tuple[str, str, bool]] = {
    "visit": ("pending_visit", "visited", False),
    "start": ("visited", "rectifying", False),
    "finish": ("rectifying", "rectified", False),
    "review": ("rectified", "reviewed", True),
}


class CaseError(Exception):
    """A transition the state does not allow (e.g. 复核 before 整改)."""


class NotAllowed(Exception):
    """The actor's role or department may not do this."""


@dataclass(frozen=True)
class Due:
    visit: datetime
    rectify: datetime


def open_case(session: Session, rating: Rating, at: datetime) -> RectificationCase:
    case = RectificationCase(rating_id=rating.id, department_code=rating.department_code, state="pending_visit",
                             opened_at=at)
    session.add(case)
    return case


def due_dates(case: RectificationCase, calendar: WorkCalendar, rectify_days: int) -> Due:
    return Due(calendar.deadline(case.opened_at, VISIT_DAYS), calendar.deadline(case.opened_at, rectify_days))


def overdue_kind(case: RectificationCase, due: Due, now: datetime) -> str | None:
    """``visit`` or ``rectify`` when the current step is late, else None."""
    if case.state == "pending_visit" and now >= due.visit:
        return "visit"
    if case.state in ("visited", "rectifying") and now >= due.rectify:
        return "rectify"
    return None


def overdue_cases(session: Session, calendar: WorkCalendar, rectify_days: int, now: datetime | None = None,
                  department_code: str | None = None) -> list[tuple[RectificationCase, str, Due]]:
    """Open cases past a deadline, oldest first; cases of ratings judged malicious are left out."""
    now = now or utcnow()
    query = (select(RectificationCase).join(Rating).where(RectificationCase.state.in_(OPEN_STATES),
                                                          Rating.excluded.is_(False))
             .order_by(RectificationCase.opened_at))
    if department_code is not None:
        query = query.where(RectificationCase.department_code == department_code)
    late = []
    for case in session.scalars(query):
        due = due_dates(case, calendar, rectify_days)
        kind = overdue_kind(case, due, now)
        if kind:
            late.append((case, kind, due))
    return late


def transition(session: Session, case_id: int, action: str, actor: Actor, note: str = "",
               satisfied: bool | None = None, now: datetime | None = None) -> RectificationCase:
    """Move a case one step; raises LookupError, NotAllowed or CaseError."""
    if action not in TRANSITIONS:
        raise CaseError(f"unknown action {action!r}")
    case = session.get(RectificationCase, case_id)
    if case is None:
        raise LookupError("no such case")
    source, target, supervisors_only = TRANSITIONS[action]
    if supervisors_only and not actor.supervises:
        raise NotAllowed("只有监督员或管理员可以复核 (only supervisors review)")
    if not actor.acts_for(case.department_code):
        raise NotAllowed("无权处理其他部门的差评 (not your department)")
    if case.state != source:
        raise CaseError(f"当前状态不允许此操作 (state is {case.state}, {action} needs {source})")
    note = note.strip()
    if not note:
        raise CaseError("请填写说明 (a note is required)")
    now = now or utcnow()
    if action == "visit":
        case.visited_at, case.visit_note = now, note
    elif action == "start":
        case.rectify_started_at, case.rectify_plan = now, note
    elif action == "finish":
        case.rectified_at, case.rectify_note = now, note
    else:
        if satisfied is None:
            raise CaseError("复核需选择群众是否满意 (satisfied or not)")
        case.reviewed_at, case.review_note, case.review_satisfied = now, note, satisfied
    case.state = target
    audit.record(session, actor.audit_name, f"rectification.{action}", f"case:{case.id}", state=target,
                 **({"satisfied": satisfied} if action == "review" else {}))
    return case


def reassign(session: Session, case_id: int, department_code: str, actor: Actor) -> RectificationCase:
    if not actor.supervises:
        raise NotAllowed("只有监督员或管理员可以改派 (only supervisors reassign)")
    case = session.get(RectificationCase, case_id)
    if case is None:
        raise LookupError("no such case")
    before = case.department_code
    case.department_code = department_code or None
    audit.record(session, actor.audit_name, "rectification.reassign", f"case:{case.id}", before=before,
                 after=case.department_code)
    return case
