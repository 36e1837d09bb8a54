"""Terminal routes of the content API (docs/CONTENT_API.md): cases, certificates, applications.

``GET /catalog`` lives with the other ETag documents in ``devices.py``. Every route here needs a
terminal's token (an evaluator gets 403 ``terminal_only``), answers refusals as
``{"detail": "<reason key>"}`` and hands the work to the configured :class:`CaseSource`. ID numbers
arrive only in POST bodies; nothing here logs a body, and validation errors never echo one.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from server import wire
from server.api.body import read_json
from server.api.deps import Ctx, CurrentDevice, DeviceIdentity
from server.content import catalog, intake
from server.content.adapter import CaseSource, Refusal, Submission, open_source
from server.content.people import valid_id_number
from server.models import Department, utcnow

router = APIRouter(prefix="/api/v1", tags=["content"])
T = TypeVar("T")


def terminal(device: CurrentDevice) -> DeviceIdentity:
    """Cases and certificates are for the citizen at a terminal, never for a window evaluator."""
    if device.type != "terminal":
        raise HTTPException(403, "terminal_only")
    return device


Terminal = Annotated[DeviceIdentity, Depends(terminal)]


def _answers(name: str, *refusals: int) -> dict[int | str, dict[str, Any]]:
    error = {"content": {"application/json": {"schema": wire.openapi_schema("content.error.response")}}}
    codes: dict[int | str, dict[str, Any]] = {
        200: {"content": {"application/json": {"schema": wire.openapi_schema(name)}}},
        401: {"description": "Missing, unknown or revoked token"},
        403: {"description": "terminal_only: an evaluator's token", **error},
        429: {"description": "Too many requests; see Retry-After"},
    }
    for status in refusals:
        codes[status] = {"description": "A refusal with its reason key", **error}
    return codes


def _refused(refusal: Refusal) -> JSONResponse:
    return JSONResponse({"detail": refusal.reason, **refusal.extra}, status_code=refusal.status)


async def _body(request: Request, ctx: Any, schema: str) -> dict[str, Any]:
    body = await read_json(request, ctx.settings.max_body_bytes)
    try:
        wire.validate(schema, body)
    except wire.WireError:
        raise Refusal(422, "bad_request") from None  # the reasons would repeat what was sent (an ID number)
    return body


async def _with_source(ctx: Any, work: Callable[[CaseSource], T], *, writes: bool = False) -> T:
    """Run ``work`` with a source in a thread; look-ups take no write lock (SQLite ``BEGIN IMMEDIATE``)."""
    def run() -> T:
        with (ctx.transaction() if writes else ctx.reading()) as session:
            return work(open_source(session, ctx.settings))
    return await run_in_threadpool(run)


def _id_number(body: dict[str, Any]) -> str:
    if not valid_id_number(body["id_number"]):
        raise Refusal(422, "bad_id_number")
    return body["id_number"].strip().upper()


@router.post("/cases/query", openapi_extra=wire.request_body("content.case_query"),
             responses=_answers("content.case.response", 404, 422))
async def query_case(request: Request, ctx: Ctx, device: Terminal) -> Any:
    """A case (办件) and its progress by case number."""
    try:
        body = await _body(request, ctx, "content.case_query")
        case = await _with_source(ctx, lambda source: source.case_by_number(body["case_no"]))
        if case is None:
            raise Refusal(404, "case_not_found")
    except Refusal as refusal:
        return _refused(refusal)
    return {"case": case.wire()}


@router.post("/cases/mine", openapi_extra=wire.request_body("content.person"),
             responses=_answers("content.cases.response", 422))
async def my_cases(request: Request, ctx: Ctx, device: Terminal) -> Any:
    """The cases of the person whose ID number is sent, newest first."""
    try:
        id_number = _id_number(await _body(request, ctx, "content.person"))
        cases = await _with_source(ctx, lambda source: source.cases_of(id_number))
    except Refusal as refusal:
        return _refused(refusal)
    return {"cases": [case.wire() for case in cases]}


@router.post("/certificates/mine", openapi_extra=wire.request_body("content.person"),
             responses=_answers("content.certificates.response", 422))
async def my_certificates(request: Request, ctx: Ctx, device: Terminal) -> Any:
    """Certificates the person may print at the terminal."""
    try:
        id_number = _id_number(await _body(request, ctx, "content.person"))
        found = await _with_source(ctx, lambda source: source.certificates_of(id_number))
    except Refusal as refusal:
        return _refused(refusal)
    return {"certificates": [summary.wire() for summary in found]}


@router.post("/certificates/document", openapi_extra=wire.request_body("content.certificate_document"),
             responses=_answers("content.certificate.response", 404, 422))
async def certificate_document(request: Request, ctx: Ctx, device: Terminal) -> Any:
    """One certificate's content for the terminal's renderer (404 when it is not this person's)."""
    try:
        body = await _body(request, ctx, "content.certificate_document")
        id_number = _id_number(body)
        document = await _with_source(ctx, lambda source: source.certificate_document(id_number, body["certificate_id"]))
        if document is None:
            raise Refusal(404, "certificate_not_found")
    except Refusal as refusal:
        return _refused(refusal)
    return document.wire()


@router.post("/identity/verify", openapi_extra=wire.request_body("content.identity_code"),
             responses=_answers("content.identity.response", 404, 410, 422, 501))
async def verify_identity_code(request: Request, ctx: Ctx, device: Terminal) -> Any:
    """Whose identity code (电子证照 / 政务 App 身份码) a scanned token is; the terminal trusts only this answer."""
    try:
        body = await _body(request, ctx, "content.identity_code")
        identity = await _with_source(ctx, lambda source: source.verify_identity_code(body["token"]))
    except Refusal as refusal:
        return _refused(refusal)
    return identity.wire()


APPLICATION_BODY = {"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
    "type": "object", "required": ["application"],
    "properties": {"application": {**wire.openapi_schema("content.application"),
                                   "description": "JSON part (contentMediaType application/json)"}},
    "additionalProperties": {"type": "string", "format": "binary",
                             "description": "material.<code>: the scanned material as one PDF"}}}}}}


@router.post("/applications", status_code=201, openapi_extra=APPLICATION_BODY,
             responses={**_answers("content.receipt.response", 400, 404, 413, 415, 422),
                        201: {"content": {"application/json": {"schema": wire.openapi_schema("content.receipt.response")}}}})
async def submit_application(request: Request, ctx: Ctx, device: Terminal) -> Any:
    """A self-service application (自助申报) with its scanned materials; opens a case with 收件 done."""
    try:
        raw = await intake.read_application(request, ctx.settings.max_application_bytes)

        def work(source: CaseSource) -> Any:
            item = catalog.published_item(source.session, raw.basic_code)
            form, materials = intake.check(raw, item)
            assert item is not None
            department = source.session.get(Department, item["department"])
            submission = Submission(item=item, department_name=department.name if department else "",
                                    id_number=raw.id_number.strip().upper(), name=raw.name, form=form,
                                    materials=materials, device_id=device.id, received_at=utcnow())
            return source.submit(submission)

        receipt = await _with_source(ctx, work, writes=True)
    except Refusal as refusal:
        return _refused(refusal)
    return JSONResponse(receipt.wire(), status_code=201)
