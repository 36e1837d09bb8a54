"""Typed dependencies that keep the device routes short: the app context and the calling device."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, HTTPException, Request

from server import security
from server.context import AppContext
from server.services import enrolment
from server.services.group_commit import AsyncGroupCommit


def get_ctx(request: Request) -> AppContext:
    return request.app.state.ctx


Ctx = Annotated[AppContext, Depends(get_ctx)]


@dataclass(frozen=True)
class DeviceIdentity:
    """The authenticated caller; routes only ever act on this device (tokens see nothing else)."""

    id: str
    type: str


async def current_device(request: Request, ctx: Ctx) -> DeviceIdentity:
    """Check the bearer token, then the device's rate limit (429 with ``Retry-After``)."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise HTTPException(401, "missing bearer token", headers={"WWW-Authenticate": "Bearer"})
    token_hash = security.digest(token.strip())
    found = await _token_reader(ctx).submit(token_hash)
    identity = DeviceIdentity(*found) if found else None
    if identity is None:
        raise HTTPException(401, "unknown or revoked token", headers={"WWW-Authenticate": "Bearer"})
    wait = ctx.device_limiter.take(token_hash)
    if wait > 0:
        ctx.counters.add("kiosk_rate_limited_total")
        raise HTTPException(429, "too many requests from this device",
                            headers={"Retry-After": str(max(1, round(wait + 0.5)))})
    return identity


def _token_reader(ctx: AppContext) -> AsyncGroupCommit[str, tuple[str, str] | None]:
    """Token checks (by token hash) that arrive together share one read transaction and one query.

    Every heartbeat starts with a token check; a session, BEGIN, COMMIT and pool checkout each
    cost more than the indexed lookup itself. Each request still reads the database, so a
    revoked token is refused at once.
    """
    reader = getattr(ctx, "_token_reader", None)
    if reader is None:
        def read(hashes: Sequence[str]) -> list[tuple[str, str] | None]:
            with ctx.reading() as session:
                found = enrolment.devices_for_token_hashes(session, hashes)
            return [found.get(token_hash) for token_hash in hashes]

        reader = AsyncGroupCommit(read)
        ctx._token_reader = reader  # type: ignore[attr-defined]  # one per app context
    return reader


CurrentDevice = Annotated[DeviceIdentity, Depends(current_device)]


def not_modified(request: Request, etag: str) -> bool:
    """True when the device already holds this version (``If-None-Match``)."""
    sent = request.headers.get("if-none-match", "")
    return any(tag.strip() in (etag, "*", "W/" + etag) for tag in sent.split(",")) if sent else False
