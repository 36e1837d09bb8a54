"""Users page (admin only): list, create, change role, deactivate/reactivate, reset password.

Every change is audited by ``server.services.users``/here in the same transaction; an admin
cannot demote or deactivate themselves (a fleet must never be left without an administrator
by a slip of the mouse).
"""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select

from server import security
from server.api.deps import Ctx
from server.dashboard.auth import Viewer, check_csrf, current_viewer
from server.dashboard.routes import _back, _page
from server.models import AuditEntry, User
from server.models.people import ROLES
from server.services import audit, users

router = APIRouter(include_in_schema=False)
FormStr = Annotated[str, Form()]


def admin(viewer: Annotated[Viewer, Depends(current_viewer)]) -> Viewer:
    if viewer.role != "admin":
        raise HTTPException(403, "only an administrator may do this")
    return viewer


Admin = Annotated[Viewer, Depends(admin)]


@router.get("/users", response_class=HTMLResponse)
def users_page(request: Request, ctx: Ctx, viewer: Admin) -> HTMLResponse:
    with ctx.reading() as session:
        rows = list(session.scalars(select(User).order_by(User.active.desc(), User.username)))
        log = list(session.scalars(select(AuditEntry).where(AuditEntry.action.like("user.%"))
                                   .order_by(AuditEntry.id.desc()).limit(30)))
    return _page(request, "users.html", viewer, users=rows, roles=ROLES, log=log, min_password=users.MIN_PASSWORD)


@router.post("/users")
def create_user(request: Request, ctx: Ctx, viewer: Admin, username: FormStr, password: FormStr, role: FormStr,
                csrf: FormStr, display_name: Annotated[str, Form()] = "") -> Response:
    check_csrf(request, csrf)
    name = username.strip()
    if not name or len(name) > 64 or not all(ch.isalnum() or ch in "._-" for ch in name):
        return _back(request, "/users", "用户名只能包含字母、数字和 ._- (user name: letters, digits, ._-)")
    with ctx.transaction() as session:
        if session.scalar(select(User.id).where(User.username == name)) is not None:
            return _back(request, "/users", f"用户 {name} 已存在 (exists)")
        try:
            users.upsert_user(session, name, password, role, actor=f"user:{viewer.username}")
        except ValueError as exc:
            return _back(request, "/users", f"未创建: {exc}")
        user = session.scalar(select(User).where(User.username == name))
        assert user is not None
        user.display_name = display_name.strip()[:100]
    return _back(request, "/users", f"已创建用户 {name} (created)")


@router.post("/users/{user_id}/{action}")
def user_action(request: Request, ctx: Ctx, viewer: Admin, user_id: int, action: str, csrf: FormStr,
                role: Annotated[str, Form()] = "", password: Annotated[str, Form()] = "") -> Response:
    check_csrf(request, csrf)
    actor = f"user:{viewer.username}"
    with ctx.transaction() as session:
        user = session.get(User, user_id, with_for_update=True)
        if user is None:
            raise HTTPException(404, "no such user")
        own = user.id == viewer.id
        if action == "role":
            if role not in ROLES:
                return _back(request, "/users", "未知角色 (unknown role)")
            if own and role != "admin":
                return _back(request, "/users", "不能降低自己的权限 (you cannot demote yourself)")
            user.role = role
            audit.record(session, actor, "user.role", user.username, role=role)
            message = f"已将 {user.username} 设为 {role}"
        elif action in ("deactivate", "activate"):
            if own:
                return _back(request, "/users", "不能停用自己 (you cannot deactivate yourself)")
            user.active = action == "activate"
            audit.record(session, actor, f"user.{action}", user.username)
            message = f"已{'启用' if user.active else '停用'} {user.username}"
        elif action == "password":
            if len(password) < users.MIN_PASSWORD:
                return _back(request, "/users", f"密码至少 {users.MIN_PASSWORD} 位 (password too short)")
            user.password_hash = security.hash_password(password)
            audit.record(session, actor, "user.reset_password", user.username)
            message = f"已重置 {user.username} 的密码"
        else:
            raise HTTPException(404, "unknown action")
    return _back(request, "/users", message)
