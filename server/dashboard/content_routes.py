"""Dashboard pages for the content side: the service catalog (list, detail, edit as draft, publish),
cases (list, detail, advance a demo case's step) and the self-service applications received.

Everyone signed in may look at the catalog and cases (masked applicants only); administrators
and supervisors edit and publish the catalog, advance demo cases and open received applications
with their scanned PDFs (which show the applicant's papers, so no wider audience).
"""
from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from server.api.deps import Ctx
from server.content import catalog, itemform, progress
from server.content.adapter import STEPS
from server.dashboard.auth import CurrentViewer, Viewer, check_csrf, current_viewer
from server.dashboard.routes import _back, _page
from server.models import (CatalogItem, CatalogTheme, ContentApplication, ContentApplicationMaterial, ContentCase,
                           Department)

router = APIRouter(include_in_schema=False)
FormStr = Annotated[str, Form()]
EDIT_ROLES = ("admin", "supervisor")
PAGE_SIZE = 50
CHANNELS = {"window": "窗口", "terminal": "自助终端", "online": "网上办"}


def content_editor(viewer: Annotated[Viewer, Depends(current_viewer)]) -> Viewer:
    if viewer.role not in EDIT_ROLES:
        raise HTTPException(403, "only an administrator or supervisor may change content")
    return viewer


Editor = Annotated[Viewer, Depends(content_editor)]


def _state(row: CatalogItem) -> str:
    if row.draft is not None and row.draft.get("withdrawn"):
        return "withdrawing"
    if row.draft is not None:
        return "draft" if row.published is not None else "new"
    return "published" if row.published is not None else "withdrawn"


STATE_LABELS = {"published": "已发布", "draft": "有未发布修改", "new": "新事项（未发布）", "withdrawing": "待下架",
                "withdrawn": "已下架"}


def _choices(session: Any) -> dict[str, Any]:
    return {"departments": list(session.scalars(select(Department).where(Department.active.is_(True))
                                                .order_by(Department.code))),
            "themes": list(session.scalars(select(CatalogTheme).order_by(CatalogTheme.position)))}


@router.get("/content/catalog", response_class=HTMLResponse)
def catalog_page(request: Request, ctx: Ctx, viewer: CurrentViewer, q: str = "", department: str = "") -> HTMLResponse:
    with ctx.reading() as session:
        rows = list(session.scalars(select(CatalogItem).order_by(CatalogItem.basic_code)))
        names = dict(session.execute(select(Department.code, Department.name)).tuples().all())
        versions = catalog.versions(session, 8)
        pending = catalog.pending(session)
    needle = q.strip().upper()
    items = []
    for row in rows:
        item = catalog.working_copy(row) or row.published or {}
        pinyin = (row.published or {}).get("pinyin", "")
        if department and row.department_code != department:
            continue
        if needle and needle not in row.basic_code and needle not in item.get("name", "").upper() \
                and not pinyin.startswith(needle):
            continue
        items.append({"code": row.basic_code, "item": item, "state": _state(row), "pinyin": pinyin,
                      "department": names.get(row.department_code, row.department_code)})
    return _page(request, "content_catalog.html", viewer, items=items, q=q, department=department, names=names,
                 versions=versions, pending=pending, STATE_LABELS=STATE_LABELS, FUNCTIONS=catalog.FUNCTION_NAMES,
                 can_edit=viewer.role in EDIT_ROLES)


@router.post("/content/catalog/publish")
def publish(request: Request, ctx: Ctx, viewer: Editor, csrf: FormStr) -> Response:
    check_csrf(request, csrf)
    try:
        with ctx.transaction() as session:
            version = catalog.publish(session, f"user:{viewer.username}")
            label = f"已发布目录版本 {version.version}（{version.item_count} 个事项）(published)"
    except catalog.ItemError as exc:
        return _back(request, "/content/catalog", f"未发布: {exc}")
    return _back(request, "/content/catalog", label)


def _item_page(request: Request, ctx: Ctx, viewer: Viewer, code: str, *, item: dict[str, Any] | None = None,
               text: dict[str, str] | None = None, errors: list[str] | None = None, new: bool = False) -> HTMLResponse:
    with ctx.reading() as session:
        row = None if new else session.get(CatalogItem, code)
        if row is None and not new:
            raise HTTPException(404, "no such item")
        shown = item if item is not None else ((catalog.working_copy(row) or row.published) if row else None)
        shown = shown or {"functions": ["guide"], "fee": "不收费", "legal_days": 20, "promised_days": 5, "themes": []}
        context = _choices(session)
        names = {d.code: d.name for d in context["departments"]}
    response = _page(request, "content_item.html", viewer, code=code, row=row, item=shown,
                     text=text if text is not None else itemform.to_text(shown),
                     state=_state(row) if row else "new", STATE_LABELS=STATE_LABELS, names=names,
                     errors=errors or [], new=new, FUNCTIONS=catalog.FUNCTION_NAMES, KINDS=catalog.KIND_NAMES,
                     can_edit=viewer.role in EDIT_ROLES, columns={"materials": itemform.MATERIAL_COLUMNS,
                     "locations": itemform.LOCATION_COLUMNS, "form": itemform.FIELD_COLUMNS}, **context)
    if errors:
        response.status_code = 422
    return response


@router.get("/content/catalog/new", response_class=HTMLResponse)
def new_item_page(request: Request, ctx: Ctx, viewer: Editor) -> HTMLResponse:
    return _item_page(request, ctx, viewer, "", new=True)


@router.get("/content/catalog/{code}", response_class=HTMLResponse)
def item_page(request: Request, ctx: Ctx, viewer: CurrentViewer, code: str) -> HTMLResponse:
    return _item_page(request, ctx, viewer, code)


@router.post("/content/catalog/{code}")
async def save_item(request: Request, ctx: Ctx, viewer: Editor, code: str) -> Response:
    form = await request.form()
    check_csrf(request, str(form.get("csrf", "")))
    new = code == "new"
    basic_code = str(form.get("basic_code", "")).strip() if new else code
    values: dict[str, Any] = {k: str(v) for k, v in form.items() if k not in ("themes", "functions")}
    values["themes"] = [str(v) for v in form.getlist("themes")]
    values["functions"] = [str(v) for v in form.getlist("functions")]
    try:
        item = itemform.parse(values)
        with ctx.transaction() as session:
            if new and session.get(CatalogItem, basic_code) is not None:
                raise catalog.ItemError([f"basic_code: 基本编码 {basic_code} 已存在 (exists)"])
            catalog.save_draft(session, basic_code, item, f"user:{viewer.username}")
    except catalog.ItemError as exc:  # show the form again exactly as sent, with every problem named
        typed = {k: values.get(k, "") for k in ("conditions", "materials", "locations", "form")}
        return _item_page(request, ctx, viewer, basic_code, item=values, text=typed, errors=exc.problems, new=new)
    return _back(request, f"/content/catalog/{basic_code}", "已保存为草稿，发布后终端可见 (saved as draft)")


@router.post("/content/catalog/{code}/{action}")
def item_action(request: Request, ctx: Ctx, viewer: Editor, code: str, action: str, csrf: FormStr) -> Response:
    check_csrf(request, csrf)
    try:
        with ctx.transaction() as session:
            if action == "withdraw":
                catalog.withdraw(session, code, f"user:{viewer.username}")
            elif action == "discard":
                catalog.discard_draft(session, code, f"user:{viewer.username}")
            else:
                raise HTTPException(404, "unknown action")
    except LookupError:
        raise HTTPException(404, "no such item") from None
    message = "已标记下架，发布后生效 (withdrawn at next publish)" if action == "withdraw" else "已放弃草稿 (draft discarded)"
    return _back(request, f"/content/catalog/{code}", message)


@router.get("/content/cases", response_class=HTMLResponse)
def cases_page(request: Request, ctx: Ctx, viewer: CurrentViewer, status: str = "", department: str = "",
               q: str = "", page: int = 1) -> HTMLResponse:
    query = select(ContentCase)
    if status:
        query = query.where(ContentCase.status == status)
    if department:
        query = query.where(ContentCase.department_code == department)
    if q.strip():
        needle = q.strip().upper()
        query = query.where(or_(ContentCase.case_no.like(f"%{needle}%"), ContentCase.item_name.like(f"%{q.strip()}%")))
    page = max(1, page)
    with ctx.reading() as session:
        total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
        rows = list(session.scalars(query.order_by(ContentCase.submitted_at.desc(), ContentCase.case_no.desc())
                                    .offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)))
        counts = dict(session.execute(select(ContentCase.status, func.count()).group_by(ContentCase.status)).tuples().all())
        departments = _choices(session)["departments"]
    names = {d.code: d.name for d in departments}
    return _page(request, "content_cases.html", viewer, rows=rows, total=total, page=page, pages=max(1, -(-total // PAGE_SIZE)),
                 status=status, department=department, q=q, counts=counts, STEPS=STEPS, names=names,
                 departments=departments, CHANNELS=CHANNELS)


@router.get("/content/cases/{case_no}", response_class=HTMLResponse)
def case_page(request: Request, ctx: Ctx, viewer: CurrentViewer, case_no: str) -> HTMLResponse:
    with ctx.reading() as session:
        row = session.scalar(select(ContentCase).options(selectinload(ContentCase.steps))
                             .where(ContentCase.case_no == case_no))
        if row is None:
            raise HTTPException(404, "no such case")
        application = session.scalar(select(ContentApplication).options(selectinload(ContentApplication.materials))
                                     .where(ContentApplication.case_no == case_no))
        department = session.get(Department, row.department_code)
    return _page(request, "content_case.html", viewer, case=row, application=application,
                 department=department.name if department else row.department_code, CHANNELS=CHANNELS,
                 can_edit=viewer.role in EDIT_ROLES, next_step=next((s for s in row.steps if s.at is None), None))


@router.post("/content/cases/{case_no}/advance")
def advance_case(request: Request, ctx: Ctx, viewer: Editor, case_no: str, csrf: FormStr,
                 note: Annotated[str, Form()] = "") -> Response:
    check_csrf(request, csrf)
    try:
        with ctx.transaction() as session:
            code = progress.advance(session, case_no, f"user:{viewer.username}", note)
    except LookupError:
        raise HTTPException(404, "no such case") from None
    except progress.ProgressError as exc:
        return _back(request, f"/content/cases/{case_no}", str(exc))
    return _back(request, f"/content/cases/{case_no}", f"已推进到「{dict(STEPS)[code]}」(step reached)")


@router.get("/content/applications", response_class=HTMLResponse)
def applications_page(request: Request, ctx: Ctx, viewer: Editor, page: int = 1) -> HTMLResponse:
    page = max(1, page)
    with ctx.reading() as session:
        total = session.scalar(select(func.count()).select_from(ContentApplication)) or 0
        rows = list(session.scalars(select(ContentApplication).options(selectinload(ContentApplication.materials))
                                    .order_by(ContentApplication.received_at.desc(), ContentApplication.id.desc())
                                    .offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)))
        items = {r.basic_code: (catalog.published_item(session, r.basic_code) or {}).get("name", r.basic_code)
                 for r in rows}
        statuses = dict(session.execute(select(ContentCase.case_no, ContentCase.status)
                                        .where(ContentCase.case_no.in_([r.case_no for r in rows]))).tuples().all())
    return _page(request, "content_applications.html", viewer, rows=rows, items=items, statuses=statuses,
                 total=total, page=page, pages=max(1, -(-total // PAGE_SIZE)), STEP_NAMES=dict(STEPS))


@router.get("/content/applications/{application_id}/materials/{material_id}.pdf")
def material_pdf(ctx: Ctx, viewer: Editor, application_id: int, material_id: int) -> Response:
    with ctx.reading() as session:
        material = session.get(ContentApplicationMaterial, material_id)
        if material is None or material.application_id != application_id:
            raise HTTPException(404, "no such material")
        pdf, code = material.pdf, material.code
    return Response(pdf, media_type="application/pdf", headers={
        "Content-Disposition": f'inline; filename="{application_id}-{code}.pdf"', "Cache-Control": "no-store"})
