"""差评整改 queue and detail, transitions, reassignment; 恶意差评 claims and their review."""
from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select

from server.api.deps import Ctx
from server.dashboard.auth import check_csrf
from server.dashboard.ratings.common import CurrentRatingUser
from server.dashboard.routes import _back, _page
from server.models import AuditEntry, Department, Site, Staff, utcnow
from server.models.ratings import MaliciousClaim, Rating, RectificationCase
from server.ratings import claims, rectification, workdays
from server.ratings.access import DEPARTMENT_ROLE

router = APIRouter(include_in_schema=False)
FormStr = Annotated[str, Form()]
SHOWS = {"open": "未办结", "overdue": "已超期", "all": "全部"}


@router.get("/ratings/cases", response_class=HTMLResponse)
def queue_page(request: Request, ctx: Ctx, user: CurrentRatingUser, show: str = "open") -> HTMLResponse:
    days = ctx.settings.ratings_rectify_days
    now = utcnow()
    with ctx.reading() as session:
        calendar = workdays.load(session)
        query = select(RectificationCase, Rating).join(Rating).order_by(RectificationCase.opened_at.desc()).limit(500)
        if show != "all":
            query = query.where(RectificationCase.state.in_(rectification.OPEN_STATES), Rating.excluded.is_(False))
        if user.actor.role == "department":
            query = query.where(RectificationCase.department_code == user.actor.department_code)
        rows = []
        for case, rating in session.execute(query):
            due = rectification.due_dates(case, calendar, days)
            late = rectification.overdue_kind(case, due, now)
            if show != "overdue" or late:
                rows.append((case, rating, due, late))
        departments = dict(session.execute(select(Department.code, Department.name)).all())
    return _page(request, "ratings_cases.html", user.viewer, rows=rows, show=show, shows=SHOWS,
                 departments=departments, rectify_days=days, nav="cases")


@router.get("/ratings/cases/{case_id}", response_class=HTMLResponse)
def case_page(request: Request, ctx: Ctx, user: CurrentRatingUser, case_id: int) -> HTMLResponse:
    with ctx.reading() as session:
        case = session.get(RectificationCase, case_id)
        if case is None or (user.actor.role == DEPARTMENT_ROLE and not user.actor.acts_for(case.department_code)):
            # a department user sees its own department's cases only, as in the queue
            raise HTTPException(404, "没有这个整改单 (no such case)")
        rating = case.rating
        due = rectification.due_dates(case, workdays.load(session), ctx.settings.ratings_rectify_days)
        site = session.get(Site, rating.site_id) if rating.site_id else None
        staff = session.get(Staff, rating.staff_no) if rating.staff_no else None
        departments = list(session.scalars(select(Department).order_by(Department.code)))
        claim_rows = list(session.scalars(select(MaliciousClaim).where(MaliciousClaim.rating_id == rating.id)
                                          .order_by(MaliciousClaim.id)))
        trail = list(session.scalars(select(AuditEntry).where(AuditEntry.target.in_(
            [f"case:{case.id}", f"rating:{rating.id}"])).order_by(AuditEntry.id)))
    return _page(request, "ratings_case.html", user.viewer, case=case, rating=rating, due=due, site=site,
                 staff=staff, departments=departments, claims=claim_rows, trail=trail, actor=user.actor,
                 late=rectification.overdue_kind(case, due, utcnow()), nav="cases",
                 show_contact=user.actor.sees_contact(case.department_code))


@router.post("/ratings/cases/{case_id}/reassign")
def reassign(request: Request, ctx: Ctx, user: CurrentRatingUser, case_id: int, department: FormStr,
             csrf: FormStr) -> Response:
    check_csrf(request, csrf)
    try:
        with ctx.transaction() as session:
            if session.get(Department, department) is None:
                return _back(request, f"/ratings/cases/{case_id}", "部门不存在 (no such department)")
            rectification.reassign(session, case_id, department, user.actor)
    except LookupError:
        raise HTTPException(404, "没有这个整改单 (no such case)") from None
    except rectification.NotAllowed as exc:
        raise HTTPException(403, str(exc)) from None
    return _back(request, f"/ratings/cases/{case_id}", "已改派 (reassigned)")


@router.post("/ratings/cases/{case_id}/{action}")
def transition(request: Request, ctx: Ctx, user: CurrentRatingUser, case_id: int, action: str, csrf: FormStr,
               note: Annotated[str, Form()] = "", satisfied: Annotated[str, Form()] = "") -> Response:
    check_csrf(request, csrf)
    answer = {"yes": True, "no": False}.get(satisfied)
    try:
        with ctx.transaction() as session:
            case = rectification.transition(session, case_id, action, user.actor, note, satisfied=answer)
            state = case.state
    except LookupError:
        raise HTTPException(404, "没有这个整改单 (no such case)") from None
    except rectification.NotAllowed as exc:
        raise HTTPException(403, str(exc)) from None
    except rectification.CaseError as exc:
        return _back(request, f"/ratings/cases/{case_id}", f"未保存: {exc}")
    from server.ratings.levels import STATE_LABELS

    return _back(request, f"/ratings/cases/{case_id}", f"已保存，当前状态：{STATE_LABELS[state]}")


@router.post("/ratings/{rating_id}/claim")
async def claim(request: Request, ctx: Ctx, user: CurrentRatingUser, rating_id: str, csrf: FormStr,
                evidence: FormStr, back: Annotated[str, Form()] = "/ratings/claims",
                file: Annotated[UploadFile | None, File()] = None) -> Response:
    check_csrf(request, csrf)
    back = back if back.startswith("/ratings") else "/ratings/claims"
    data = b""
    if file is not None and file.filename:
        data = await file.read(claims.MAX_EVIDENCE_BYTES + 1)
    try:
        with ctx.transaction() as session:
            claims.claim(session, rating_id, user.actor, evidence, file=data or None,
                         filename=file.filename if file and data else "",
                         content_type=(file.content_type or "") if file and data else "")
    except LookupError:
        raise HTTPException(404, "没有这条评价 (no such rating)") from None
    except rectification.NotAllowed as exc:
        raise HTTPException(403, str(exc)) from None
    except claims.ClaimError as exc:
        return _back(request, back, f"未提交: {exc}")
    return _back(request, back, "已提交恶意差评申诉，等待监督员审核 (claim submitted)")


@router.get("/ratings/claims", response_class=HTMLResponse)
def claims_page(request: Request, ctx: Ctx, user: CurrentRatingUser, show: str = "pending") -> HTMLResponse:
    with ctx.reading() as session:
        query = select(MaliciousClaim, Rating).join(Rating, Rating.id == MaliciousClaim.rating_id)
        if show == "pending":
            query = query.where(MaliciousClaim.state == "pending")
        if user.actor.role == "department":
            query = query.where(Rating.department_code == user.actor.department_code)
        rows = list(session.execute(query.order_by(MaliciousClaim.id.desc()).limit(300)))
        case_ids = dict(session.execute(select(RectificationCase.rating_id, RectificationCase.id)).all())
    return _page(request, "ratings_claims.html", user.viewer, rows=rows, show=show, actor=user.actor,
                 case_ids=case_ids, nav="claims")


@router.post("/ratings/claims/{claim_id}/decide")
def decide(request: Request, ctx: Ctx, user: CurrentRatingUser, claim_id: int, csrf: FormStr, decision: FormStr,
           note: Annotated[str, Form()] = "") -> Response:
    check_csrf(request, csrf)
    try:
        with ctx.transaction() as session:
            row = claims.decide(session, claim_id, user.actor, decision == "uphold", note)
            state = row.state
    except LookupError:
        raise HTTPException(404, "没有这个申诉 (no such claim)") from None
    except rectification.NotAllowed as exc:
        raise HTTPException(403, str(exc)) from None
    except claims.ClaimError as exc:
        return _back(request, "/ratings/claims", f"未保存: {exc}")
    message = "已认定为恶意差评，该评价不再计入统计" if state == "upheld" else "已驳回申诉"
    return _back(request, "/ratings/claims", message)


@router.get("/ratings/claims/{claim_id}/evidence")
def evidence(ctx: Ctx, user: CurrentRatingUser, claim_id: int) -> Response:
    with ctx.reading() as session:
        row = session.get(MaliciousClaim, claim_id)
        rating = session.get(Rating, row.rating_id) if row else None
        if row is None or rating is None or not row.evidence_file:
            raise HTTPException(404, "没有证据文件 (no evidence file)")
        if not user.actor.acts_for(rating.department_code):
            raise HTTPException(403, "无权查看 (not allowed)")
        name = row.evidence_filename or "evidence"
        return Response(row.evidence_file, media_type=row.evidence_type or "application/octet-stream", headers={
            "Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}",
            "X-Content-Type-Options": "nosniff"})
