"""Retention: housekeeping rows the server may forget, and when.

A fleet of thousands of devices raising and clearing faults fills the notification tables
(one outbox row per change, one delivery per webhook, one attempt per HTTP try) without end;
the log of signed-out dashboard sessions only matters until the session would have expired;
an enrol claim only until the device could still be retrying its lost answer.

What is purged here is finished bookkeeping, never a record people report on: events,
ratings, faults, usage, audit entries and status transitions are kept. A notification is
forgotten only when it is old *and* every delivery of it is final (delivered or dead), so a
delivery still being retried keeps its whole chain.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, exists, select
from sqlalchemy.orm import Session

from server.models.notify import EnrolClaim, NotifyOutbox, WebhookAttempt, WebhookDelivery
from server.models.people import SignedOutSession

log = logging.getLogger(__name__)

FINAL_DELIVERY_STATES = ("delivered", "dead")
FINAL_OUTBOX_STATES = ("fanned", "cancelled")


@dataclass(frozen=True)
class RetentionPolicy:
    notify_keep_days: int = 90  # 0 keeps notifications for ever
    enrol_claim_keep_days: int = 30

    @classmethod
    def from_settings(cls, settings: object) -> "RetentionPolicy":
        return cls(getattr(settings, "notify_keep_days", cls.notify_keep_days),
                   getattr(settings, "enrol_claim_keep_days", cls.enrol_claim_keep_days))


def purge(session: Session, now: datetime, policy: RetentionPolicy) -> dict[str, int]:
    """Delete what ``policy`` allows; returns rows deleted per table (in the caller's transaction)."""
    deleted: dict[str, int] = {}
    if policy.notify_keep_days > 0:
        deleted.update(_purge_notifications(session, now - timedelta(days=policy.notify_keep_days)))
    if policy.enrol_claim_keep_days > 0:
        cutoff = now - timedelta(days=policy.enrol_claim_keep_days)
        deleted["enrol_claims"] = session.execute(delete(EnrolClaim).where(EnrolClaim.claimed_at < cutoff)).rowcount
    deleted["signed_out_sessions"] = session.execute(
        delete(SignedOutSession).where(SignedOutSession.expires_at < now)).rowcount
    return {table: count for table, count in deleted.items() if count}


def _purge_notifications(session: Session, cutoff: datetime) -> dict[str, int]:
    unfinished = exists().where(WebhookDelivery.outbox_id == NotifyOutbox.id,
                                WebhookDelivery.state.not_in(FINAL_DELIVERY_STATES))
    old_outbox = select(NotifyOutbox.id).where(NotifyOutbox.created_at < cutoff,
                                               NotifyOutbox.state.in_(FINAL_OUTBOX_STATES), ~unfinished)
    ids = list(session.scalars(old_outbox))
    if not ids:
        return {}
    counts = {"webhook_attempts": 0, "webhook_deliveries": 0, "notify_outbox": 0}
    for start in range(0, len(ids), 500):  # bounded IN lists, for SQLite's variable limit
        chunk = ids[start:start + 500]
        deliveries = select(WebhookDelivery.id).where(WebhookDelivery.outbox_id.in_(chunk))
        counts["webhook_attempts"] += session.execute(
            delete(WebhookAttempt).where(WebhookAttempt.delivery_id.in_(deliveries))).rowcount
        counts["webhook_deliveries"] += session.execute(
            delete(WebhookDelivery).where(WebhookDelivery.outbox_id.in_(chunk))).rowcount
        counts["notify_outbox"] += session.execute(delete(NotifyOutbox).where(NotifyOutbox.id.in_(chunk))).rowcount
    return counts
