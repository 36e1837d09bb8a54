"""The background sender: fan outbox rows out to webhooks, deliver them, retry with backoff.

Runs in every app process (like the offline sweeper). Rows are claimed with ``FOR UPDATE SKIP
LOCKED`` on PostgreSQL (SQLite has one writer anyway) and a short lease (``locked_until``), so
several replicas never send the same delivery at once, and one that died mid-send leaves a lease
that expires. HTTP happens outside any transaction: a slow receiver never holds a database lock,
and ingestion never waits for a webhook. Delivery is at-least-once; receivers deduplicate by
``id`` (generic JSON) if they care.
"""
from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import httpx
from fastapi.concurrency import run_in_threadpool
from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from server.context import AppContext
from server.models import Device, NotifyOutbox, Site, Webhook, WebhookAttempt, WebhookDelivery, utcnow
from server.notify import formats
from server.notify.outbox import AUTOMATIC
from server.settings import Settings

log = logging.getLogger(__name__)
BATCH = 200
MAX_BACKOFF_S = 3600.0


def backoff_s(settings: Settings, attempts: int) -> float:
    """Wait before attempt ``attempts + 1``: doubling from the base, at most an hour."""
    return min(settings.webhook_retry_base_s * 2 ** max(0, attempts - 1), MAX_BACKOFF_S)


def build_message(row: NotifyOutbox, device: Device, site: Site, public_url: str) -> dict[str, Any]:
    """The generic JSON document (also the source of the robots' markdown); see server/README.md."""
    message: dict[str, Any] = {
        "id": row.id, "kind": row.kind, "created_at": row.created_at.isoformat(),
        "hall": {"slug": site.slug, "name": site.name, "region_code": site.region_code},
        "device": {"id": device.id, "type": device.type, "name": device.name, "window": device.window,
                   "location": device.location},
        **row.payload,
    }
    if public_url:
        message["link"] = f"{public_url.rstrip('/')}/devices/{device.id}"
    title, lines = formats.summary(message)
    message["text"] = "\n".join(line.lstrip("> ").replace("**", "") for line in lines if not line.startswith("["))
    return message


def fan_out(session: Session, now: datetime, settings: Settings) -> int:
    """Turn due outbox rows into one delivery per matching webhook; returns the rows handled."""
    rows = list(session.scalars(
        select(NotifyOutbox).where(NotifyOutbox.state == "pending", NotifyOutbox.not_before <= now)
        .order_by(NotifyOutbox.id).limit(BATCH).with_for_update(skip_locked=True)
    ))
    if not rows:
        return 0
    hold = timedelta(seconds=settings.flap_window_s)
    hooks = list(session.scalars(select(Webhook).where(Webhook.active.is_(True))))
    devices = {d.id: d for d in session.scalars(select(Device).where(Device.id.in_({r.device_id for r in rows})))}
    sites = {s.id: s for s in session.scalars(select(Site).where(Site.id.in_({d.site_id for d in devices.values()})))}
    handled = 0
    for row in rows:
        fault = row.payload.get("fault") or {}
        if row.kind == "fault.resolved" and fault.get("resolved_by") in AUTOMATIC and row.created_at > now - hold:
            continue  # held: a flapping fault may come back and withdraw it (outbox.fault_changed)
        device = devices[row.device_id]
        row.payload = build_message(row, device, sites[device.site_id], settings.public_url)
        row.state = "fanned"
        handled += 1
        for hook in hooks:
            if hook.site_id not in (None, device.site_id) or (hook.kinds and row.kind not in hook.kinds):
                continue
            session.add(WebhookDelivery(outbox_id=row.id, webhook_id=hook.id, state="pending", attempts=0,
                                        next_attempt_at=now, created_at=now, last_error=""))
    return handled


@dataclass(frozen=True)
class Claimed:
    delivery_id: int
    attempts: int
    format: str
    url: str
    secret: str
    message: dict[str, Any]


def claim_due(session: Session, now: datetime, lease_s: float) -> list[Claimed]:
    due = list(session.scalars(
        select(WebhookDelivery).where(WebhookDelivery.state == "pending", WebhookDelivery.next_attempt_at <= now,
                                      or_(WebhookDelivery.locked_until.is_(None), WebhookDelivery.locked_until < now))
        .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id).limit(BATCH)
        .with_for_update(skip_locked=True)
        .options(selectinload(WebhookDelivery.webhook), selectinload(WebhookDelivery.outbox))
    ))
    claimed = []
    for delivery in due:
        delivery.locked_until = now + timedelta(seconds=lease_s)
        hook, row = delivery.webhook, delivery.outbox
        claimed.append(Claimed(delivery.id, delivery.attempts, hook.format, hook.url, hook.secret, row.payload))
    return claimed


def post(client: httpx.Client, job: Claimed) -> tuple[int | None, str, int]:
    """One HTTP attempt: (status or None, error text or "", duration in ms)."""
    request = formats.render(job.format, job.url, job.secret, job.message, now_ms=int(time.time() * 1000),
                             delivery_id=job.delivery_id)
    started = time.monotonic()
    try:
        answer = client.post(request.url, content=request.body, headers=request.headers)
    except httpx.HTTPError as exc:
        return None, f"{type(exc).__name__}: {exc}"[:500], int((time.monotonic() - started) * 1000)
    ok, why = formats.accepted(job.format, answer.status_code, answer.content)
    return answer.status_code, "" if ok else why[:500], int((time.monotonic() - started) * 1000)


def record(session: Session, job: Claimed, status: int | None, error: str, duration_ms: int, now: datetime,
           settings: Settings) -> str:
    """Log the attempt and move the delivery on: delivered, retried later, or given up (dead)."""
    delivery = session.get(WebhookDelivery, job.delivery_id)
    assert delivery is not None
    delivery.attempts += 1
    delivery.locked_until = None
    delivery.last_status, delivery.last_error = status, error
    session.add(WebhookAttempt(delivery_id=delivery.id, at=now, status=status, error=error, duration_ms=duration_ms))
    if not error:
        delivery.state, delivery.delivered_at = "delivered", now
    elif delivery.attempts >= settings.webhook_max_attempts:
        delivery.state = "dead"
        log.warning("webhook delivery %s given up after %d attempts: %s", delivery.id, delivery.attempts, error)
    else:
        delivery.next_attempt_at = now + timedelta(seconds=backoff_s(settings, delivery.attempts))
    return delivery.state


def run_once(ctx: AppContext, now: datetime | None = None, client: httpx.Client | None = None) -> dict[str, int]:
    """One round: fan out, then attempt every due delivery. ``now`` lets tests move the clock."""
    now = now or utcnow()
    settings = ctx.settings
    with ctx.transaction() as session:
        fanned = fan_out(session, now, settings)
    with ctx.transaction() as session:
        jobs = claim_due(session, now, lease_s=settings.webhook_timeout_s * 3)
    counts = {"fanned": fanned, "attempted": len(jobs), "delivered": 0, "failed": 0}
    if not jobs:
        return counts
    own = client is None
    http = client or httpx.Client(timeout=settings.webhook_timeout_s, follow_redirects=False, trust_env=False)
    try:
        for job in jobs:
            status, error, duration = post(http, job)
            with ctx.transaction() as session:
                record(session, job, status, error, duration, now, settings)
            counts["failed" if error else "delivered"] += 1
            ctx.counters.add("kiosk_webhook_failures_total" if error else "kiosk_webhook_deliveries_total")
    finally:
        if own:
            http.close()
    return counts


async def loop(ctx: AppContext) -> None:
    """Run ``run_once`` every ``notify_every_s``; an error is logged and the next round tries again."""
    while True:
        await asyncio.sleep(ctx.settings.notify_every_s)
        try:
            await run_in_threadpool(run_once, ctx)
        except Exception:  # noqa: BLE001 - the sender must survive a database or network hiccup
            log.exception("webhook round failed")
