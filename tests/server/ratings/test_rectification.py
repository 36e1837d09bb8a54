"""The 差评 loop: every transition, who may do it, audit entries, deadlines and overdue alerts."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from server.clock import LOCAL
from server.models import AuditEntry
from server.models.ratings import RectificationCase
from server.ratings import rectification as rect
from server.ratings.access import Actor
from server.ratings.workdays import WorkCalendar
from tests.server.ratings.builders import add_rating, org

SUPERVISOR = Actor("sup", "supervisor")
RSJ = Actor("rsj1", "department", "rsj")
GAJ = Actor("gaj1", "department", "gaj")
VIEWER = Actor("v", "viewer")
TECH = Actor("t", "technician")


def _case(ctx, at: datetime | None = None) -> int:  # type: ignore[no-untyped-def]
    with ctx.transaction() as session:
        org(session)
        rating = add_rating(session, "dissatisfied", at=at)
        return rating.case.id


def test_full_loop_with_roles_and_audit(ctx) -> None:  # type: ignore[no-untyped-def]
    case_id = _case(ctx)
    steps = [("visit", RSJ, "visited"), ("start", RSJ, "rectifying"), ("finish", SUPERVISOR, "rectified")]
    for action, actor, state in steps:
        for outsider in (GAJ, VIEWER, TECH):  # another department, read-only roles
            with ctx.transaction() as session, pytest.raises(rect.NotAllowed):
                rect.transition(session, case_id, action, outsider, "说明")
        with ctx.transaction() as session:
            assert rect.transition(session, case_id, action, actor, "已电话联系").state == state
    with ctx.transaction() as session, pytest.raises(rect.NotAllowed):
        rect.transition(session, case_id, "review", RSJ, "自己复核", satisfied=True)  # departments never review
    with ctx.transaction() as session, pytest.raises(rect.CaseError):
        rect.transition(session, case_id, "review", SUPERVISOR, "未选满意度")
    with ctx.transaction() as session:
        case = rect.transition(session, case_id, "review", SUPERVISOR, "群众表示满意", satisfied=True)
        assert (case.state, case.review_satisfied) == ("reviewed", True)
    with ctx.reading() as session:
        trail = session.execute(select(AuditEntry.actor, AuditEntry.action).where(
            AuditEntry.target == f"case:{case_id}").order_by(AuditEntry.id)).all()
    assert trail == [("user:rsj1", "rectification.visit"), ("user:rsj1", "rectification.start"),
                     ("user:sup", "rectification.finish"), ("user:sup", "rectification.review")]


def test_steps_cannot_be_skipped_or_repeated_and_need_a_note(ctx) -> None:  # type: ignore[no-untyped-def]
    case_id = _case(ctx)
    for action in ("start", "finish", "review"):
        with ctx.transaction() as session, pytest.raises(rect.CaseError):
            rect.transition(session, case_id, action, SUPERVISOR, "x", satisfied=True)
    with ctx.transaction() as session, pytest.raises(rect.CaseError):
        rect.transition(session, case_id, "visit", RSJ, "   ")
    with ctx.transaction() as session:
        rect.transition(session, case_id, "visit", RSJ, "ok")
    with ctx.transaction() as session, pytest.raises(rect.CaseError):
        rect.transition(session, case_id, "visit", RSJ, "again")


def test_reassign_only_by_supervisors(ctx) -> None:  # type: ignore[no-untyped-def]
    case_id = _case(ctx)
    with ctx.transaction() as session, pytest.raises(rect.NotAllowed):
        rect.reassign(session, case_id, "gaj", RSJ)
    with ctx.transaction() as session:
        rect.reassign(session, case_id, "gaj", SUPERVISOR)
    with ctx.transaction() as session, pytest.raises(rect.NotAllowed):
        rect.transition(session, case_id, "visit", RSJ, "no longer ours")
    with ctx.transaction() as session:
        assert rect.transition(session, case_id, "visit", GAJ, "ours now").state == "visited"


def test_overdue_alerts_across_national_day_2026(ctx) -> None:  # type: ignore[no-untyped-def]
    opened = datetime(2026, 9, 30, 15, 0, tzinfo=LOCAL)  # Wednesday before the 10/1-10/7 holiday
    case_id = _case(ctx, at=opened.astimezone(timezone.utc))
    calendar = WorkCalendar()
    visit_due = datetime(2026, 10, 9, tzinfo=LOCAL)  # end of Thu 10/8
    rectify_due = datetime(2026, 10, 14, tzinfo=LOCAL)  # end of Tue 10/13 (10/10 Sat is worked)
    with ctx.reading() as session:
        case = session.get(RectificationCase, case_id)
        due = rect.due_dates(case, calendar, 5)
        assert (due.visit, due.rectify) == (visit_due, rectify_due)
        assert rect.overdue_cases(session, calendar, 5, now=visit_due - timedelta(seconds=1)) == []
        late = rect.overdue_cases(session, calendar, 5, now=visit_due)
        assert [(c.id, kind) for c, kind, _ in late] == [(case_id, "visit")]
        assert rect.overdue_cases(session, calendar, 5, now=visit_due, department_code="gaj") == []
    with ctx.transaction() as session:
        rect.transition(session, case_id, "visit", RSJ, "回访", now=visit_due + timedelta(hours=1))
    with ctx.reading() as session:
        assert rect.overdue_cases(session, calendar, 5, now=rectify_due - timedelta(seconds=1)) == []
        assert [k for _, k, _ in rect.overdue_cases(session, calendar, 5, now=rectify_due)] == ["rectify"]
        # a province with 7 working days: 10/8, 10/9, 10/10, 10/12, 10/13, 10/14, 10/15
        assert rect.due_dates(session.get(RectificationCase, case_id), calendar, 7).rectify == datetime(
            2026, 10, 16, tzinfo=LOCAL)
