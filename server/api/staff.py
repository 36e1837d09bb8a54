"""Device routes for the evaluator: staff directory and photos, and the 差评 reason list.

The staff directory and photos go only to evaluators, and only for their own site (a token
sees nothing of another hall); the reason list goes to every device, since terminals take
ratings too. All three answer ``If-None-Match`` with 304.
"""
from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request, Response
from fastapi.responses import JSONResponse

from server import wire
from server.api.deps import Ctx, CurrentDevice, DeviceIdentity, not_modified
from server.models import Device
from server.staff import directory, reasons

router = APIRouter(prefix="/api/v1", tags=["evaluator"])
ERRORS: dict[int | str, dict[str, Any]] = {
    304: {"description": "Not modified"},
    401: {"description": "Missing, unknown or revoked token"},
    403: {"description": "Not an evaluator"},
    429: {"description": "Too many requests; see Retry-After"},
}


def _schema(name: str) -> dict[int | str, dict[str, Any]]:
    return {200: {"content": {"application/json": {"schema": wire.openapi_schema(name)}}}}


def _site_of_evaluator(ctx: Ctx, device: DeviceIdentity) -> int:
    if device.type != "evaluator":
        raise HTTPException(403, "staff records are only for evaluators")
    with ctx.reading() as session:
        row = session.get(Device, device.id)
        assert row is not None
        return row.site_id


def _json(request: Request, body: dict[str, Any], etag: str) -> Response:
    headers = {"ETag": etag, "Cache-Control": "no-cache"}
    if not_modified(request, etag):
        return Response(status_code=304, headers=headers)
    return JSONResponse(body, headers=headers)


@router.get("/staff", responses={**_schema("staff.response"), **ERRORS})
def get_staff(request: Request, ctx: Ctx, device: CurrentDevice) -> Response:
    """The active staff of this evaluator's site (PIN and card hashes for offline sign-in)."""
    site_id = _site_of_evaluator(ctx, device)
    with ctx.reading() as session:
        body, etag = directory.directory(session, site_id)
    return _json(request, body, etag)


@router.get("/staff/{staff_no}/photo", responses={200: {"content": {"image/jpeg": {}}}, **ERRORS,
                                                   404: {"description": "No photo"}})
def get_staff_photo(staff_no: str, request: Request, ctx: Ctx, device: CurrentDevice) -> Response:
    """The staff member's photo (JPEG, no EXIF) for the evaluator's idle screen."""
    site_id = _site_of_evaluator(ctx, device)
    with ctx.reading() as session:
        found = directory.photo(session, site_id, staff_no)
    if found is None:
        raise HTTPException(404, "no photo for this staff number at this site")
    jpeg, etag = found
    headers = {"ETag": etag, "Cache-Control": "no-cache"}
    if not_modified(request, etag):
        return Response(status_code=304, headers=headers)
    return Response(jpeg, media_type="image/jpeg", headers=headers)


@router.get("/rating-reasons", responses={**_schema("rating_reasons"), **ERRORS})
def get_rating_reasons(request: Request, ctx: Ctx, device: CurrentDevice) -> Response:
    """The current 差评 reason list; devices install it only when it is newer than theirs."""
    with ctx.reading() as session:
        body, etag = reasons.current(session)
    return _json(request, body, etag)
