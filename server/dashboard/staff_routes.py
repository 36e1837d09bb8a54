"""Staff page (admin/supervisor): list, add, edit, PIN, staff card, photo, deactivate; 差评 reasons.

Every change goes through ``server.staff.editing`` (audited there) in one transaction. The
PIN and the card UID are never shown again after they are set: the page only says whether
one is registered. Photos are re-encoded (EXIF dropped) before they are stored.
"""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select

from server.api.deps import Ctx
from server.dashboard.auth import Viewer, check_csrf, current_viewer
from server.dashboard.routes import _back, _page
from server.models import AuditEntry, Department, Site, Staff
from server.staff import editing, photos, reasons
from server.staff.directory import AUDIT_PREFIX

router = APIRouter(include_in_schema=False)
FormStr = Annotated[str, Form()]
OptStr = Annotated[str, Form()]
EDIT_ROLES = ("admin", "supervisor")


def staff_editor(viewer: Annotated[Viewer, Depends(current_viewer)]) -> Viewer:
    if viewer.role not in EDIT_ROLES:
        raise HTTPException(403, "only an administrator or supervisor may manage staff")
    return viewer


Editor = Annotated[Viewer, Depends(staff_editor)]


def _choices(session) -> dict[str, object]:  # type: ignore[no-untyped-def]
    return {"sites": list(session.scalars(select(Site).order_by(Site.name))),
            "departments": list(session.scalars(select(Department).where(Department.active.is_(True))
                                                .order_by(Department.name)))}


@router.get("/staff", response_class=HTMLResponse)
def staff_page(request: Request, ctx: Ctx, viewer: Editor, site: int | None = None) -> HTMLResponse:
    with ctx.reading() as session:
        query = select(Staff).order_by(Staff.active.desc(), Staff.staff_no)
        if site is not None:
            query = query.where(Staff.site_id == site)
        rows = list(session.scalars(query))
        log = list(session.scalars(select(AuditEntry).where(AuditEntry.action.like(AUDIT_PREFIX + "%"))
                                   .order_by(AuditEntry.id.desc()).limit(20)))
        choices = _choices(session)
    site_names = {s.id: s.name for s in choices["sites"]}  # type: ignore[attr-defined]
    dept_names = {d.code: d.name for d in choices["departments"]}  # type: ignore[attr-defined]
    return _page(request, "staff.html", viewer, staff=rows, log=log, site=site, site_names=site_names,
                 dept_names=dept_names, **choices)


def _site_id(value: str) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        raise HTTPException(400, "bad site") from None


@router.post("/staff")
def create_staff(request: Request, ctx: Ctx, viewer: Editor, staff_no: FormStr, name: FormStr, csrf: FormStr,
                 title: OptStr = "", site: OptStr = "", department: OptStr = "") -> Response:
    check_csrf(request, csrf)
    try:
        with ctx.transaction() as session:
            editing.save(session, f"user:{viewer.username}", staff_no=staff_no, name=name, title=title,
                         site_id=_site_id(site), department_code=department or None, create=True)
    except editing.StaffEditError as exc:
        return _back(request, "/staff", f"未添加: {exc}")
    return _back(request, f"/staff/{staff_no.strip()}", f"已添加工号 {staff_no.strip()} (added)")


@router.get("/staff/{staff_no}", response_class=HTMLResponse)
def staff_detail(request: Request, ctx: Ctx, viewer: Editor, staff_no: str) -> HTMLResponse:
    with ctx.reading() as session:
        row = session.get(Staff, staff_no)
        if row is None:
            raise HTTPException(404, "no such staff member")
        log = list(session.scalars(select(AuditEntry).where(AuditEntry.action.like(AUDIT_PREFIX + "%"),
                                                            AuditEntry.target == staff_no)
                                   .order_by(AuditEntry.id.desc()).limit(20)))
        return _page(request, "staff_edit.html", viewer, member=row, log=log, **_choices(session))


@router.get("/staff/{staff_no}/photo.jpg")
def staff_photo(request: Request, ctx: Ctx, viewer: Editor, staff_no: str) -> Response:
    with ctx.reading() as session:
        row = session.get(Staff, staff_no)
        if row is None or not row.photo_jpeg:
            raise HTTPException(404, "no photo")
        return Response(row.photo_jpeg, media_type="image/jpeg",
                        headers={"ETag": row.photo_etag, "Cache-Control": "private, no-cache"})


@router.post("/staff/{staff_no}/photo")
async def upload_photo(request: Request, ctx: Ctx, viewer: Editor, staff_no: str, csrf: FormStr,
                       photo: Annotated[UploadFile, File()]) -> Response:
    check_csrf(request, csrf)
    data = await photo.read(photos.MAX_UPLOAD_BYTES + 1)
    url = f"/staff/{staff_no}"
    try:
        with ctx.transaction() as session:
            editing.set_photo(session, f"user:{viewer.username}", staff_no, data)
    except editing.StaffEditError as exc:
        return _back(request, url, f"照片未保存: {exc}")
    return _back(request, url, "照片已更新 (photo saved)")


@router.post("/staff/{staff_no}/{action}")
def staff_action(request: Request, ctx: Ctx, viewer: Editor, staff_no: str, action: str, csrf: FormStr,
                 name: OptStr = "", title: OptStr = "", site: OptStr = "", department: OptStr = "",
                 pin: OptStr = "", card_uid: OptStr = "") -> Response:
    check_csrf(request, csrf)
    actor, url = f"user:{viewer.username}", f"/staff/{staff_no}"
    try:
        with ctx.transaction() as session:
            if action == "update":
                editing.save(session, actor, staff_no=staff_no, name=name, title=title, site_id=_site_id(site),
                             department_code=department or None, create=False)
                message = "已保存 (saved)"
            elif action == "pin":
                editing.set_pin(session, actor, staff_no, pin.strip())
                message = "PIN 已设置 (PIN set)" if pin.strip() else "PIN 已清除 (PIN removed)"
            elif action == "card":
                editing.set_card(session, actor, staff_no, card_uid)
                message = "工作证已登记 (card registered)" if card_uid.strip() else "工作证已注销 (card removed)"
            elif action in ("deactivate", "activate"):
                editing.set_active(session, actor, staff_no, action == "activate")
                message = "已启用 (active)" if action == "activate" else "已停用 (deactivated)"
            else:
                raise HTTPException(404, "unknown action")
    except editing.StaffEditError as exc:
        return _back(request, url, f"未保存: {exc}")
    return _back(request, url, message)


@router.get("/reasons", response_class=HTMLResponse)
def reasons_page(request: Request, ctx: Ctx, viewer: Editor) -> HTMLResponse:
    with ctx.reading() as session:
        body, etag = reasons.current(session)
    return _page(request, "reasons.html", viewer, body=body, lines=reasons.as_lines(body), etag=etag,
                 list_name=body.get("name", ""))


@router.post("/reasons")
def save_reasons(request: Request, ctx: Ctx, viewer: Editor, lines: FormStr, csrf: FormStr,
                 name: OptStr = "") -> Response:
    check_csrf(request, csrf)
    try:
        with ctx.transaction() as session:
            body = reasons.publish(session, reasons.parse_lines(lines), name, f"user:{viewer.username}")
    except reasons.ReasonsError as exc:  # show the text again: a typo must not lose the edit
        with ctx.reading() as session:
            body, etag = reasons.current(session)
        page = _page(request, "reasons.html", viewer, body=body, lines=lines, etag=etag, list_name=name,
                     error=f"未发布: {exc}")
        page.status_code = 400
        return page
    return _back(request, "/reasons", f"已发布第 {body['version']} 版，设备将在下次同步时更新 (published)")
