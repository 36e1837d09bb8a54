"""Administrator settings of the 好差评 side: holiday days for years the calendar does not know,
and which department a ``department`` user works for."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select

from server.api.deps import Ctx
from server.dashboard.auth import check_csrf
from server.dashboard.ratings.common import RatingUser, rating_user
from server.dashboard.routes import _back, _page
from server.models import Department, User
from server.models.ratings import CalendarDay, DepartmentMember
from server.ratings import workdays
from server.services import audit

router = APIRouter(include_in_schema=False)
FormStr = Annotated[str, Form()]


def admin(user: Annotated[RatingUser, Depends(rating_user)]) -> RatingUser:
    if user.viewer.role != "admin":
        raise HTTPException(403, "只有管理员可以操作 (administrators only)")
    return user


Admin = Annotated[RatingUser, Depends(admin)]


@router.get("/ratings/settings", response_class=HTMLResponse)
def settings_page(request: Request, ctx: Ctx, user: Admin) -> HTMLResponse:
    with ctx.reading() as session:
        days = list(session.scalars(select(CalendarDay).order_by(CalendarDay.day.desc()).limit(400)))
        members = dict(session.execute(select(DepartmentMember.user_id, DepartmentMember.department_code)).all())
        people = list(session.scalars(select(User).where(User.role == "department").order_by(User.username)))
        departments = list(session.scalars(select(Department).order_by(Department.code)))
    return _page(request, "ratings_settings.html", user.viewer, days=days, members=members, people=people,
                 departments=departments, builtin_last=workdays.builtin_years()[1], nav="settings")


@router.post("/ratings/holidays")
def add_holidays(request: Request, ctx: Ctx, user: Admin, days: FormStr, csrf: FormStr) -> Response:
    check_csrf(request, csrf)
    try:
        parsed = workdays.parse_days(days)
    except ValueError as exc:
        return _back(request, "/ratings/settings", f"未保存: {exc}")
    with ctx.transaction() as session:
        count = workdays.save_days(session, parsed, user.actor.audit_name)
    return _back(request, "/ratings/settings", f"已保存 {count} 天")


@router.post("/ratings/members")
def set_member(request: Request, ctx: Ctx, user: Admin, user_id: Annotated[int, Form()], department: FormStr,
               csrf: FormStr) -> Response:
    check_csrf(request, csrf)
    with ctx.transaction() as session:
        target = session.get(User, user_id)
        if target is None or target.role != "department" or session.get(Department, department) is None:
            return _back(request, "/ratings/settings", "未保存: 用户或部门不存在 (no such user or department)")
        row = session.get(DepartmentMember, user_id)
        if row is None:
            session.add(DepartmentMember(user_id=user_id, department_code=department))
        else:
            row.department_code = department
        audit.record(session, user.actor.audit_name, "department_member.set", target.username, department=department)
    return _back(request, "/ratings/settings", f"已将 {target.username} 设为 {department} 部门人员")
