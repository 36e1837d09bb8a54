"""``POST /api/v1/events``: batched, idempotent ingestion (see ``server.services.ingest``)."""
from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool

from server import wire
from server.api.body import read_json, refuse
from server.api.deps import Ctx, CurrentDevice
from server.services import ingest

router = APIRouter(prefix="/api/v1", tags=["events"])


@router.post(
    "/events",
    openapi_extra=wire.request_body("events"),
    responses={
        200: {"content": {"application/json": {"schema": wire.openapi_schema("events.response")}}},
        401: {"description": "Missing, unknown or revoked token"},
        413: {"description": "Body (or decompressed body) too large"},
        422: {"description": "A malformed event; the whole batch is refused and nothing is stored"},
        429: {"description": "Too many requests; see Retry-After"},
    },
)
async def post_events(request: Request, ctx: Ctx, device: CurrentDevice) -> Any:
    """Store a batch of events; answers which ids were new and which the server already had."""
    body = await read_json(request, ctx.settings.max_body_bytes)
    try:
        events = ingest.parse_batch(body, ctx.settings.max_batch_events)
    except wire.WireError as exc:
        ctx.counters.add("kiosk_event_batches_rejected_total")
        return refuse(exc)

    def work() -> ingest.BatchResult:
        with ctx.transaction() as session:
            return ingest.ingest(session, device.id, events, flap_window_s=ctx.settings.flap_window_s)

    result = await run_in_threadpool(work)
    ctx.counters.add("kiosk_events_accepted_total", len(result.accepted))
    ctx.counters.add("kiosk_events_duplicate_total", len(result.duplicates))
    return {"accepted": result.accepted, "duplicates": result.duplicates}
