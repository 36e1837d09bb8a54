"""Dashboard pages and form actions. Reads go through ``queries``, changes through ``services``."""
from __future__ import annotations

from typing import Annotated, Any

from fastapi import FastAPI, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy import select

from server import security
from server.api.deps import Ctx
from server.dashboard import queries
from server.dashboard.auth import (CurrentViewer, LoginRequired, Viewer, Writer, check_csrf, csrf_token,
                                   login_key, sign_in, sign_out)
from server.dashboard.templating import WEB, make_templates
from server.models import User
from server.notify.calls import open_calls
from server.reports.pages import device_extras, fleet_extras
from server.services import commands, enrolment, faults

templates = make_templates()
FormStr = Annotated[str, Form()]


def install(app: FastAPI) -> None:
    """Add the dashboard to ``app``: pages, static files, and the login redirect."""
    app.mount("/static", StaticFiles(directory=str(WEB / "static")), name="static")

    @app.exception_handler(LoginRequired)
    async def _to_login(request: Request, _exc: LoginRequired) -> Response:
        return RedirectResponse(f"/login?next={request.url.path}", status_code=303)

    for route in ROUTES:
        app.add_api_route(**route, include_in_schema=False)


def _page(request: Request, name: str, viewer: Viewer | None, **context: Any) -> HTMLResponse:
    flash = request.session.pop("flash", None)
    return templates.TemplateResponse(request, name, {"viewer": viewer, "csrf": csrf_token(request),
                                                      "flash": flash, **context})


def _back(request: Request, url: str, message: str) -> RedirectResponse:
    request.session["flash"] = message
    return RedirectResponse(url, status_code=303)


def login_page(request: Request, next: str = "/fleet") -> HTMLResponse:
    return _page(request, "login.html", None, next=next if next.startswith("/") else "/fleet")


def login(request: Request, ctx: Ctx, username: FormStr, password: FormStr, csrf: FormStr,
          next: Annotated[str, Form()] = "/fleet") -> Response:
    check_csrf(request, csrf)
    key = login_key(request, username)
    wait = ctx.login_limiter.retry_after(key)
    if wait > 0:
        response = _page(request, "login.html", None, next=next, error=f"尝试次数过多，请 {int(wait) + 1} 秒后再试 (too many attempts)")
        response.status_code = 429
        response.headers["Retry-After"] = str(int(wait) + 1)
        return response
    with ctx.reading() as session:
        user = session.scalar(select(User).where(User.username == username.strip()))
        ok = user is not None and user.active and security.verify_password(user.password_hash, password)
    if not ok or user is None:
        ctx.login_limiter.fail(key)
        ctx.counters.add("kiosk_logins_failed_total")
        response = _page(request, "login.html", None, next=next, error="用户名或密码错误 (wrong user name or password)")
        response.status_code = 401
        return response
    ctx.login_limiter.reset(key)
    sign_in(request, user)
    return RedirectResponse(next if next.startswith("/") and not next.startswith("//") else "/fleet", status_code=303)


def logout(request: Request, ctx: Ctx, csrf: FormStr) -> Response:
    check_csrf(request, csrf)
    sign_out(request, ctx)
    return RedirectResponse("/login", status_code=303)


def home(viewer: CurrentViewer) -> Response:
    return RedirectResponse("/fleet", status_code=303)


# Above this many devices the overview shows every hall's counts but tiles only for devices
# needing attention (a technician cannot scan 10,000 green tiles; the page would be ~2 MB).
ALL_TILES_UP_TO = 300


def fleet_page(request: Request, ctx: Ctx, viewer: CurrentViewer, hall: str = "") -> HTMLResponse:
    with ctx.reading() as session:
        groups = queries.fleet(session, hall or None)
        extra = fleet_extras(session, hall or None)  # staff calls, 实时可办率 (server/reports)
    total = sum(len(g.tiles) for g in groups)
    return _page(request, "fleet.html", viewer, groups=groups, hall=hall,
                 all_tiles=bool(hall) or total <= ALL_TILES_UP_TO, total=total, **extra)


def device_page(request: Request, ctx: Ctx, viewer: CurrentViewer, device_id: str) -> HTMLResponse:
    with ctx.reading() as session:
        detail = queries.device_detail(session, device_id)
        if detail is not None:
            detail.update(device_extras(session, detail["device"]))  # timeline, usage chart, 可办率
    if detail is None:
        raise HTTPException(404, "no such device")
    return _page(request, "device.html", viewer, command_kinds=commands.KINDS, **detail)


def queue_command(request: Request, ctx: Ctx, viewer: Writer, device_id: str, kind: FormStr, csrf: FormStr) -> Response:
    check_csrf(request, csrf)
    with ctx.transaction() as session:
        if queries.device_detail(session, device_id) is None:
            raise HTTPException(404, "no such device")
        try:
            commands.queue(session, device_id, kind, {}, f"user:{viewer.username}")
        except ValueError as exc:
            raise HTTPException(400, str(exc)) from None
    return _back(request, f"/devices/{device_id}", f"已下发命令 {kind} (command queued)")


def faults_page(request: Request, ctx: Ctx, viewer: CurrentViewer, show: str = "active") -> HTMLResponse:
    with ctx.reading() as session:
        rows = queries.fault_queue(session, show_all=show == "all")
        calls = open_calls(session)
    return _page(request, "faults.html", viewer, rows=rows, show=show, calls=calls)


def fault_action(request: Request, ctx: Ctx, viewer: Writer, fault_id: int, action: str, csrf: FormStr,
                 note: Annotated[str, Form()] = "") -> Response:
    check_csrf(request, csrf)
    try:
        with ctx.transaction() as session:
            if action == "ack":
                faults.acknowledge(session, fault_id, viewer.username)
            elif action == "resolve":
                faults.resolve(session, fault_id, viewer.username, note)
            else:
                raise HTTPException(404, "unknown action")
    except LookupError:
        raise HTTPException(404, "no such fault") from None
    except faults.FaultStateError as exc:
        return _back(request, "/faults", f"操作失败: {exc}")
    return _back(request, "/faults", "已确认 (acknowledged)" if action == "ack" else "已解决 (resolved)")


def codes_page(request: Request, ctx: Ctx, viewer: Writer) -> HTMLResponse:
    with ctx.transaction() as session:
        enrolment.ensure_default_site(session)
        return _page(request, "enrol_codes.html", viewer, sites=queries.sites(session),
                     codes=queries.recent_codes(session), issued=request.session.pop("issued", None))


def issue_code(request: Request, ctx: Ctx, viewer: Writer, site: FormStr, device_type: FormStr, csrf: FormStr,
               window: Annotated[str, Form()] = "", location: Annotated[str, Form()] = "") -> Response:
    check_csrf(request, csrf)
    with ctx.transaction() as session:
        try:
            issued = enrolment.issue_code(session, actor=f"user:{viewer.username}", site_slug=site or None,
                                          device_type=device_type, window=window.strip()[:20],
                                          location=location.strip()[:200], ttl_hours=ctx.settings.enrol_code_ttl_h)
        except (LookupError, ValueError) as exc:
            raise HTTPException(400, str(exc)) from None
    request.session["issued"] = {"code": issued.code, "site": issued.site_slug, "type": issued.device_type}
    return RedirectResponse("/enrol-codes", status_code=303)


ROUTES: list[dict[str, Any]] = [
    {"path": "/login", "endpoint": login_page, "methods": ["GET"], "response_class": HTMLResponse},
    {"path": "/login", "endpoint": login, "methods": ["POST"]},
    {"path": "/logout", "endpoint": logout, "methods": ["POST"]},
    {"path": "/", "endpoint": home, "methods": ["GET"]},
    {"path": "/fleet", "endpoint": fleet_page, "methods": ["GET"], "response_class": HTMLResponse},
    {"path": "/devices/{device_id}", "endpoint": device_page, "methods": ["GET"], "response_class": HTMLResponse},
    {"path": "/devices/{device_id}/commands", "endpoint": queue_command, "methods": ["POST"]},
    {"path": "/faults", "endpoint": faults_page, "methods": ["GET"], "response_class": HTMLResponse},
    {"path": "/faults/{fault_id}/{action}", "endpoint": fault_action, "methods": ["POST"]},
    {"path": "/enrol-codes", "endpoint": codes_page, "methods": ["GET"], "response_class": HTMLResponse},
    {"path": "/enrol-codes", "endpoint": issue_code, "methods": ["POST"]},
]
