"""Device routes: enrol, heartbeat, own config and the catalog."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi import APIRouter, HTTPException, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from server import wire
from server.api.body import read_json, refuse
from server.api.deps import Ctx, CurrentDevice, not_modified
from server.context import AppContext
from server.models import Device, utcnow
from server.services import content, enrolment, status
from server.services.group_commit import AsyncGroupCommit

router = APIRouter(prefix="/api/v1", tags=["devices"])
AUTH = {401: {"description": "Missing, unknown or revoked token"},
        429: {"description": "Too many requests; see Retry-After"}}


def _json_schema_response(name: str) -> dict[int | str, dict[str, Any]]:
    return {200: {"content": {"application/json": {"schema": wire.openapi_schema(name)}}}}


@router.post("/devices/enrol", openapi_extra=wire.request_body("enrol"),
             responses={**_json_schema_response("enrol.response"), 403: {"description": "Bad code"}})
async def enrol(request: Request, ctx: Ctx) -> Any:
    """Exchange a one-time enrol code for a device id and a bearer token (shown only once)."""
    body = await read_json(request, ctx.settings.max_body_bytes)
    try:
        wire.validate("enrol", body)
    except wire.WireError as exc:
        return refuse(exc)

    def work() -> enrolment.Enrolled:
        with ctx.transaction() as session:
            return enrolment.enrol(session, body["code"], name=body.get("name", ""), instance_id=body.get("instance_id", ""), retry_window_s=ctx.settings.enrol_retry_window_s)

    try:
        result = await run_in_threadpool(work)
    except enrolment.EnrolError as exc:
        raise HTTPException(403, str(exc)) from None
    return {"device_id": result.device_id, "token": result.token}


@router.post("/heartbeat", openapi_extra=wire.request_body("heartbeat"),
             responses={**_json_schema_response("heartbeat.response"), **AUTH})
async def heartbeat(request: Request, ctx: Ctx, device: CurrentDevice) -> Any:
    """Mark the device online, keep its state snapshot, answer server time and pending commands."""
    body = await read_json(request, ctx.settings.max_body_bytes)
    try:
        wire.validate("heartbeat", body)
    except wire.WireError as exc:
        return refuse(exc)

    ctx.counters.add("kiosk_heartbeats_total")
    return await _heartbeats(ctx).submit((device.id, body))


def _heartbeats(ctx: AppContext) -> AsyncGroupCommit[tuple[str, dict[str, Any]], dict[str, Any]]:
    """The app's heartbeat writer: concurrent heartbeats share one transaction (``group_commit``)."""
    writer = getattr(ctx, "_heartbeat_writer", None)
    if writer is None:
        def write(beats: Sequence[tuple[str, dict[str, Any]]]) -> list[dict[str, Any]]:
            now = utcnow()
            with ctx.transaction() as session:
                pending = status.heartbeat_many(session, beats, now)
                return [{"server_time": now.isoformat(), "heartbeat_interval_s": ctx.settings.heartbeat_interval_s,
                         "commands": [{"id": c.id, "kind": c.kind, "args": c.args} for c in commands]}
                        for commands in pending]

        writer = AsyncGroupCommit(write)
        ctx._heartbeat_writer = writer  # type: ignore[attr-defined]  # one per app context
    return writer


@router.get("/config", responses={304: {"description": "Not modified"}, **AUTH})
def get_config(request: Request, ctx: Ctx, device: CurrentDevice) -> Response:
    """This device's settings as the server sees them; use ``If-None-Match`` with the last ETag."""
    with ctx.reading() as session:
        row = session.get(Device, device.id)
        assert row is not None
        body, etag = content.device_config(row, ctx.settings)
    return _with_etag(request, body, etag)


@router.get("/catalog", responses={304: {"description": "Not modified"}, **AUTH})
def get_catalog(request: Request, ctx: Ctx, device: CurrentDevice) -> Response:
    """The service catalog (事项目录) for the terminal's screens, fetched with ETags."""
    with ctx.reading() as session:
        body, etag = content.catalog(session)
    return _with_etag(request, body, etag)


def _with_etag(request: Request, body: dict[str, Any], etag: str) -> Response:
    headers = {"ETag": etag, "Cache-Control": "no-cache"}
    if not_modified(request, etag):
        return Response(status_code=304, headers=headers)
    return JSONResponse(body, headers=headers)
