"""The app factory: ``create_app(settings)`` builds one stateless server instance.

Nothing happens at import time; the engine, limiters and the background sweeper belong to the
app built here, so tests and the benchmark can run several apps in one process.
"""
from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from fastapi import FastAPI
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import PlainTextResponse
from sqlalchemy import text
from starlette.middleware.sessions import SessionMiddleware

from server import metrics
from server.http_guards import HttpGuards
from server.api import devices, events
from server.api import content as content_api
from server.dashboard import content_routes
from server.api import staff as staff_api
from server.context import AppContext
from server.dashboard import reports_routes, users_routes
from server.dashboard import staff_routes
from server.dashboard import routes as dashboard
from server.dashboard.ratings import router as ratings_router
from server.notify import routes as notify_routes
from server.models import utcnow
from server.notify import sender as notify_sender
from server import retention
from server.services import status
from server.settings import Settings

log = logging.getLogger(__name__)
VERSION = "0.1.0"


def create_app(settings: Settings, context: AppContext | None = None) -> FastAPI:
    ctx = context or AppContext.build(settings)

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        task = asyncio.create_task(_sweeper(ctx)) if settings.sweep_every_s > 0 else None
        sender = asyncio.create_task(notify_sender.loop(ctx)) if settings.notify_every_s > 0 else None
        try:
            yield
        finally:
            if sender is not None:
                sender.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await sender
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            if context is None:
                ctx.engine.dispose()

    app = FastAPI(
        title="政务服务终端管理平台 / Kiosk management server", version=VERSION, lifespan=lifespan,
        description="Device API (/api/v1) and dashboard. The wire format is defined by the JSON Schemas in server/schemas/.",
    )
    app.state.ctx = ctx
    app.add_middleware(SessionMiddleware, secret_key=settings.secret_key, session_cookie="kiosk_session",
                       max_age=settings.session_max_age_s, same_site="lax", https_only=settings.secure_cookies)
    app.add_middleware(HttpGuards)  # security headers, dashboard form size limit
    app.include_router(devices.router)
    app.include_router(events.router)
    app.include_router(staff_api.router)
    app.include_router(content_api.router)
    app.include_router(content_routes.router)
    dashboard.install(app)
    for router in (reports_routes.router, users_routes.router, notify_routes.router, staff_routes.router):
        app.include_router(router)
    app.include_router(ratings_router)

    @app.get("/healthz", tags=["ops"])
    def healthz() -> dict[str, str]:
        """Liveness and database reachability, for load balancers."""
        with ctx.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return {"status": "ok", "version": VERSION}

    @app.get("/metrics", tags=["ops"], response_class=PlainTextResponse)
    def get_metrics() -> PlainTextResponse:
        """Prometheus text exposition format."""
        with ctx.reading() as session:
            body = metrics.render(ctx.counters, session)
        return PlainTextResponse(body, media_type="text/plain; version=0.0.4")

    return app


def sweep_once(ctx: AppContext) -> list[str]:
    """Mark silent devices offline now; used by the background task, the CLI and tests."""
    with ctx.transaction() as session:
        return status.sweep(session, utcnow(), ctx.settings.offline_after_s, ctx.settings.flap_window_s)


def purge_once(ctx: AppContext) -> dict[str, int]:
    """Forget finished bookkeeping the retention policy allows (server/retention.py)."""
    with ctx.transaction() as session:
        return retention.purge(session, utcnow(), retention.RetentionPolicy.from_settings(ctx.settings))


async def _sweeper(ctx: AppContext) -> None:
    """Run ``sweep_once`` periodically, and ``purge_once`` every ``purge_every_s``; an error is
    logged and the next round tries again."""
    loop = asyncio.get_running_loop()
    next_purge = loop.time() + ctx.settings.sweep_every_s  # not at start: replicas start together
    while True:
        await asyncio.sleep(ctx.settings.sweep_every_s)
        try:
            flipped = await run_in_threadpool(sweep_once, ctx)
            if flipped:
                log.info("marked %d device(s) offline", len(flipped))
        except Exception:  # noqa: BLE001 - the sweeper must survive a database hiccup
            log.exception("offline sweep failed")
        if ctx.settings.purge_every_s > 0 and loop.time() >= next_purge:
            next_purge = loop.time() + ctx.settings.purge_every_s
            try:
                purged = await run_in_threadpool(purge_once, ctx)
                if purged:
                    log.info("retention purge: %s", ", ".join(f"{n} {t}" for t, n in sorted(purged.items())))
            except Exception:  # noqa: BLE001
                log.exception("retention purge failed")
