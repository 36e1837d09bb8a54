"""GB/T 39046 export (JSON/CSV per province profile) and the push to the provincial system with its log."""
from __future__ import annotations

import json
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import func, select

from server.api.deps import Ctx
from server.dashboard.auth import check_csrf
from server.dashboard.ratings.common import CurrentRatingUser, Supervisor, parse_filters
from server.dashboard.routes import _back, _page
from server.models.ratings import PushLog, Rating
from server.ratings import export, push

router = APIRouter(include_in_schema=False)


@router.get("/ratings/export", response_class=HTMLResponse)
def export_page(request: Request, ctx: Ctx, user: CurrentRatingUser, start: str = "", end: str = "") -> HTMLResponse:
    filters = parse_filters(start, end)
    with ctx.reading() as session:
        logs = list(session.scalars(select(PushLog).order_by(PushLog.id.desc()).limit(50)))
        due = session.scalar(select(func.count()).select_from(Rating).where(
            Rating.outcome == "rated", Rating.pushed_version < Rating.version)) or 0
    return _page(request, "ratings_export.html", user.viewer, filters=filters, profiles=export.PROFILES, logs=logs,
                 due=due, push_url=ctx.settings.ratings_push_url, push_profile=ctx.settings.ratings_push_profile,
                 can_push=user.actor.supervises, nav="export")


@router.get("/ratings/export.{fmt}")
def download(ctx: Ctx, user: CurrentRatingUser, fmt: str, start: str = "", end: str = "",
             profile: str = "national") -> Response:
    if fmt not in ("json", "csv"):
        raise HTTPException(404, "格式只能是 json 或 csv")
    filters = parse_filters(start, end)
    try:
        prof = export.profile(profile)
    except ValueError as exc:
        raise HTTPException(400, str(exc)) from None
    with ctx.reading() as session:
        rows = export.records(session, export.select_range(session, filters.start, filters.end), prof)
    name = f"好差评_{prof.name}_{filters.start:%Y%m%d}-{filters.end:%Y%m%d}.{fmt}"
    headers = {"Content-Disposition": f"attachment; filename=\"ratings.{fmt}\"; filename*=UTF-8''{quote(name)}"}
    if fmt == "csv":
        return Response(export.to_csv(rows), media_type="text/csv; charset=utf-8", headers=headers)
    body = {"profile": prof.name, "start": str(filters.start), "end": str(filters.end), "records": rows}
    return Response(json.dumps(body, ensure_ascii=False, indent=1), media_type="application/json", headers=headers)


@router.post("/ratings/push")
async def push_now(request: Request, ctx: Ctx, user: Supervisor, csrf: Annotated[str, Form()]) -> Response:
    check_csrf(request, csrf)
    try:
        logs = await run_in_threadpool(push.run, ctx, user.actor.audit_name)
    except ValueError as exc:
        return _back(request, "/ratings/export", f"未推送: {exc}")
    if not logs:
        return _back(request, "/ratings/export", "没有需要推送的新记录 (nothing new)")
    sent = sum(log.records for log in logs if log.status == "ok")
    failed = [log for log in logs if log.status != "ok"]
    message = f"已推送 {sent} 条" + (f"；一批失败（{failed[0].http_status or '无法连接'}），下次重试" if failed else "")
    return _back(request, "/ratings/export", message)


@router.get("/ratings/push/{log_id}", response_class=HTMLResponse)
def push_detail(ctx: Ctx, user: CurrentRatingUser, log_id: int) -> Response:
    with ctx.reading() as session:
        log = session.get(PushLog, log_id)
        if log is None:
            raise HTTPException(404, "没有这条推送记录")
        return Response(json.dumps({"sent": log.sent, "answer": log.answer, "attempts": log.attempts,
                                    "http_status": log.http_status}, ensure_ascii=False, indent=1),
                        media_type="application/json")
