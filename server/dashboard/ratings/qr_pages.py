"""Rating-QR windows on the dashboard (list, add, print the codes) and the public page ``/rate/<token>``.

The public page needs no sign-in; it carries the session CSRF token like every form, answers
in Chinese, and never shows a traceback. The QR code encodes ``ratings_public_url`` (when set,
e.g. the hall's public address) or the address the dashboard was reached by.
"""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup
from sqlalchemy import select

from server.api.deps import Ctx
from server.dashboard.auth import check_csrf, csrf_token
from server.dashboard.ratings.common import CurrentRatingUser, Supervisor
from server.dashboard.routes import _back, _page, templates
from server.models import Department, Site
from server.models.ratings import RatingWindow
from server.ratings import qr
from server.ratelimit import TokenBucket
from server.ratings.levels import LEVEL_LABELS, reason_labels

router = APIRouter(include_in_schema=False)
FormStr = Annotated[str, Form()]
# The public page is the one write endpoint without sign-in: a phone may submit a burst of 10,
# then one rating per 30 s (a hall's shared Wi-Fi address gets the same allowance per replica).
SUBMIT_RATE_PER_S, SUBMIT_BURST = 1 / 30, 10


def _limiter(request: Request) -> TokenBucket:
    """One bucket per app (kept on ``app.state``, like the app's other limiters, not a module global)."""
    state = request.app.state
    if getattr(state, "rate_page_limiter", None) is None:
        state.rate_page_limiter = TokenBucket(SUBMIT_RATE_PER_S, SUBMIT_BURST)
    return state.rate_page_limiter


def _public_url(request: Request, ctx: Ctx, token: str) -> str:
    base = ctx.settings.ratings_public_url.rstrip("/") or str(request.base_url).rstrip("/")
    return f"{base}/rate/{token}"


def _svg(url: str) -> Markup:
    """The QR code as inline SVG: qrcode draws only paths from the URL's bits, no text of ours."""
    # B704: the markup is qrcode's own path data; the URL is encoded as modules, never as text.
    return Markup(qr.qr_svg(url))  # nosec B704


@router.get("/ratings/windows", response_class=HTMLResponse)
def windows_page(request: Request, ctx: Ctx, user: CurrentRatingUser) -> HTMLResponse:
    with ctx.reading() as session:
        windows = list(session.scalars(select(RatingWindow).order_by(RatingWindow.site_id, RatingWindow.window)))
        sites = {s.id: s for s in session.scalars(select(Site))}
        departments = {d.code: d for d in session.scalars(select(Department).order_by(Department.code))}
    cards = [(w, sites.get(w.site_id), departments.get(w.department_code or ""), _public_url(request, ctx, w.token),
              _svg(_public_url(request, ctx, w.token))) for w in windows]
    return _page(request, "ratings_windows.html", user.viewer, cards=cards, sites=list(sites.values()),
                 departments=list(departments.values()), can_edit=user.actor.supervises, nav="windows")


@router.post("/ratings/windows")
def add_window(request: Request, ctx: Ctx, user: Supervisor, site: FormStr, window: FormStr, csrf: FormStr,
               department: Annotated[str, Form()] = "") -> Response:
    check_csrf(request, csrf)
    try:
        with ctx.transaction() as session:
            qr.create_window(session, int(site), window, department or None, user.actor.audit_name)
    except ValueError as exc:
        return _back(request, "/ratings/windows", f"未添加: {exc}")
    return _back(request, "/ratings/windows", f"已添加 {window} 号窗口的评价码")


@router.get("/ratings/windows/{window_id}/qr.{fmt}")
def window_qr(request: Request, ctx: Ctx, user: CurrentRatingUser, window_id: int, fmt: str) -> Response:
    with ctx.reading() as session:
        row = session.get(RatingWindow, window_id)
    if row is None or fmt not in ("png", "svg"):
        raise HTTPException(404, "没有这个窗口评价码")
    url = _public_url(request, ctx, row.token)
    if fmt == "png":
        return Response(qr.qr_png(url), media_type="image/png")
    return Response(qr.qr_svg(url), media_type="image/svg+xml")


def _rate_page(request: Request, window: RatingWindow, site: Site | None, **context: object) -> HTMLResponse:
    return templates.TemplateResponse(request, "rate_form.html", {
        "window": window, "site": site, "csrf": csrf_token(request), "levels": list(LEVEL_LABELS.items()),
        "reasons": reason_labels(), **context})


@router.get("/rate/{token}", response_class=HTMLResponse)
def rate_form(request: Request, ctx: Ctx, token: str) -> HTMLResponse:
    with ctx.reading() as session:
        window = qr.window_for(session, token)
        site = session.get(Site, window.site_id) if window else None
    if window is None:
        return templates.TemplateResponse(request, "rate_done.html", {"error": "评价码无效或已停用"}, status_code=404)
    return _rate_page(request, window, site, form={})


@router.post("/rate/{token}", response_class=HTMLResponse)
async def rate_submit(request: Request, ctx: Ctx, token: str) -> HTMLResponse:
    data = await request.form()
    check_csrf(request, str(data.get("csrf", "")))
    wait = _limiter(request).take(request.client.host if request.client else "?")
    if wait > 0:
        return templates.TemplateResponse(request, "rate_done.html", {"error": "提交过于频繁，请稍后再试"},
                                          status_code=429, headers={"Retry-After": str(int(wait) + 1)})
    form = qr.QrForm(case_no=str(data.get("case_no", ""))[:80], level=str(data.get("level", "")),
                     reasons=[str(r) for r in data.getlist("reasons")][:16], text=str(data.get("text", ""))[:600],
                     phone=str(data.get("phone", ""))[:30])
    with ctx.transaction() as session:
        window = qr.window_for(session, token)
        if window is None:
            return templates.TemplateResponse(request, "rate_done.html", {"error": "评价码无效或已停用"},
                                              status_code=404)
        site = session.get(Site, window.site_id)
        try:
            qr.submit(session, window, form)
        except qr.RateRefused as exc:
            response = _rate_page(request, window, site, form=form, error=str(exc))
            response.status_code = 409 if "已经评价" in str(exc) else 422
            return response
    return templates.TemplateResponse(request, "rate_done.html", {"site": site, "window": window, "error": ""})
