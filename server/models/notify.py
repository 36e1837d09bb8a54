"""Citizens' calls for staff, webhook notifications (configuration, outbox, deliveries, attempts), and
enrolment claims (what makes a retried enrolment safe).

Notifications are written to ``notify_outbox`` in the same transaction as the change they
announce (a fault opening, a call for staff), so a crash can neither announce a change that
was rolled back nor lose one that was committed; a background sender fans each outbox row out
to the matching webhooks and delivers it with retries (``webhook_deliveries``), logging every
HTTP attempt (``webhook_attempts``).
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.models.activity import Fault
from server.models.base import Base, UTCDateTime, utcnow

WEBHOOK_FORMATS = ("generic", "wecom", "dingtalk")
NOTIFY_KINDS = ("fault.opened", "fault.reopened", "fault.acknowledged", "fault.resolved",
                "call.opened", "call.acknowledged", "call.resolved")
OUTBOX_STATES = ("pending", "fanned", "cancelled")
DELIVERY_STATES = ("pending", "delivered", "dead")


class StaffCall(Base):
    """A citizen pressed 呼叫工作人员 on a terminal: open → acknowledged (by whom) → resolved."""

    __tablename__ = "staff_calls"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[str] = mapped_column(ForeignKey("events.id"), unique=True)
    device_id: Mapped[str] = mapped_column(ForeignKey("devices.id"))
    reason: Mapped[str] = mapped_column(String(40), default="help")
    state: Mapped[str] = mapped_column(String(16), default="open")
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    acknowledged_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    resolved_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    resolution_note: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (Index("ix_staff_calls_state", "state"), Index("ix_staff_calls_device", "device_id"))


class Webhook(Base):
    """A receiver of notifications: for one hall (``site_id``) or, when it is NULL, for every hall."""

    __tablename__ = "webhooks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    url: Mapped[str] = mapped_column(String(500))
    format: Mapped[str] = mapped_column(String(16), default="generic")
    secret: Mapped[str] = mapped_column(String(200), default="")  # DingTalk 加签 secret (SEC...)
    site_id: Mapped[int | None] = mapped_column(ForeignKey("sites.id"), nullable=True, index=True)
    kinds: Mapped[list[str]] = mapped_column(JSON, default=list)  # empty: every kind
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(64), default="")


class NotifyOutbox(Base):
    """One change to announce, written in the transaction of the change (exactly when it commits)."""

    __tablename__ = "notify_outbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    device_id: Mapped[str] = mapped_column(ForeignKey("devices.id"))
    fault_id: Mapped[int | None] = mapped_column(ForeignKey("faults.id"), nullable=True)
    call_id: Mapped[int | None] = mapped_column(ForeignKey("staff_calls.id"), nullable=True)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # A fault resolved by the device is held for the flap window: when it comes back meanwhile,
    # both the "resolved" and the "re-opened" message are dropped (a loose cable stays quiet).
    not_before: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    state: Mapped[str] = mapped_column(String(16), default="pending")

    fault: Mapped[Fault | None] = relationship()
    call: Mapped[StaffCall | None] = relationship()

    __table_args__ = (Index("ix_notify_outbox_state", "state", "not_before"),
                      Index("ix_notify_outbox_fault", "fault_id"))


class WebhookDelivery(Base):
    """One outbox row to one webhook: retried with backoff until delivered or given up (``dead``)."""

    __tablename__ = "webhook_deliveries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    outbox_id: Mapped[int] = mapped_column(ForeignKey("notify_outbox.id"))
    webhook_id: Mapped[int] = mapped_column(ForeignKey("webhooks.id"), index=True)
    state: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    last_status: Mapped[int | None] = mapped_column(Integer, nullable=True)
    last_error: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    outbox: Mapped[NotifyOutbox] = relationship()
    webhook: Mapped[Webhook] = relationship()

    __table_args__ = (Index("ix_webhook_deliveries_due", "state", "next_attempt_at"),)


class WebhookAttempt(Base):
    """The delivery log: every HTTP attempt with its answer (status code or network error)."""

    __tablename__ = "webhook_attempts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    delivery_id: Mapped[int] = mapped_column(ForeignKey("webhook_deliveries.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    status: Mapped[int | None] = mapped_column(Integer, nullable=True)
    error: Mapped[str] = mapped_column(String(500), default="")
    duration_ms: Mapped[int] = mapped_column(Integer, default=0)


class EnrolClaim(Base):
    """Which client instance consumed an enrol code, so its retry (the answer was lost) is answered
    again instead of refused. ``nonce_hash`` is the SHA-256 of the device's random instance id."""

    __tablename__ = "enrol_claims"

    code_id: Mapped[int] = mapped_column(ForeignKey("enrol_codes.id"), primary_key=True)
    nonce_hash: Mapped[str] = mapped_column(String(64))
    device_id: Mapped[str] = mapped_column(ForeignKey("devices.id"))
    claimed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    retries: Mapped[int] = mapped_column(Integer, default=0)
