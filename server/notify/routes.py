"""Dashboard actions of this package: staff calls (acknowledge/resolve) and webhooks (admin only)."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, Response

from server.api.deps import Ctx
from server.dashboard import queries
from server.dashboard.auth import Writer, check_csrf
from server.dashboard.routes import _back, _page, templates
from server.dashboard.users_routes import Admin
from server.models.notify import NOTIFY_KINDS, WEBHOOK_FORMATS
from server.notify import calls, webhooks

router = APIRouter(include_in_schema=False)
templates.env.globals.setdefault("CALL_REASONS", calls.REASONS)  # for calls_panel.html
FormStr = Annotated[str, Form()]


def _return_to(request: Request) -> str:
    """Back to the page the button was on (fleet or faults), never to another site."""
    target = request.headers.get("referer", "")
    path = "/" + target.split("/", 3)[3] if target.count("/") >= 3 else "/faults"
    return path if path.startswith(("/fleet", "/faults", "/devices/")) else "/faults"


@router.post("/calls/{call_id}/{action}")
def call_action(request: Request, ctx: Ctx, viewer: Writer, call_id: int, action: str, csrf: FormStr,
                note: Annotated[str, Form()] = "") -> Response:
    check_csrf(request, csrf)
    try:
        with ctx.transaction() as session:
            if action == "ack":
                calls.acknowledge(session, call_id, viewer.username)
            elif action == "resolve":
                calls.resolve(session, call_id, viewer.username, note)
            else:
                raise HTTPException(404, "unknown action")
    except LookupError:
        raise HTTPException(404, "no such call") from None
    except calls.CallStateError as exc:
        return _back(request, _return_to(request), f"操作失败: {exc}")
    return _back(request, _return_to(request), "已响应呼叫 (on the way)" if action == "ack" else "呼叫已处理 (done)")


@router.get("/webhooks", response_class=HTMLResponse)
def webhooks_page(request: Request, ctx: Ctx, viewer: Admin) -> HTMLResponse:
    with ctx.reading() as session:
        rows = webhooks.overview(session)
        attempts = webhooks.recent_attempts(session)
        halls = queries.sites(session)
    return _page(request, "webhooks.html", viewer, hooks=rows, attempts=attempts, halls=halls,
                 formats=WEBHOOK_FORMATS, kinds=NOTIFY_KINDS, FORMAT_LABELS=webhooks.FORMAT_LABELS,
                 KIND_LABELS=webhooks.KIND_LABELS)


@router.post("/webhooks")
async def create_webhook(request: Request, ctx: Ctx, viewer: Admin) -> Response:
    form = await request.form()
    check_csrf(request, str(form.get("csrf", "")))
    try:
        with ctx.transaction() as session:
            webhooks.create(session, name=str(form.get("name", "")), url=str(form.get("url", "")),
                            fmt=str(form.get("format", "generic")), secret=str(form.get("secret", "")),
                            site_slug=str(form.get("site", "")), kinds=[str(k) for k in form.getlist("kinds")],
                            actor=f"user:{viewer.username}")
    except webhooks.WebhookError as exc:
        return _back(request, "/webhooks", f"未保存: {exc}")
    return _back(request, "/webhooks", "已添加通知地址 (webhook added)")


@router.post("/webhooks/{hook_id}/{action}")
def webhook_action(request: Request, ctx: Ctx, viewer: Admin, hook_id: int, action: str, csrf: FormStr) -> Response:
    check_csrf(request, csrf)
    if action not in ("enable", "disable"):
        raise HTTPException(404, "unknown action")
    try:
        with ctx.transaction() as session:
            webhooks.set_active(session, hook_id, action == "enable", f"user:{viewer.username}")
    except LookupError:
        raise HTTPException(404, "no such webhook") from None
    return _back(request, "/webhooks", "已启用 (enabled)" if action == "enable" else "已停用 (disabled)")
