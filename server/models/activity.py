"""What devices report and what they are told: events, status transitions, faults, usage, commands."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from server.models.base import Base, UTCDateTime, utcnow

FAULT_STATES = ("open", "acknowledged", "resolved")
COMMAND_STATES = ("pending", "delivered", "done", "failed")


class Event(Base):
    """Every event a device sent, once: the primary key is the device-made UUID (idempotency)."""

    __tablename__ = "events"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    device_id: Mapped[str] = mapped_column(ForeignKey("devices.id"))
    seq: Mapped[int] = mapped_column(BigInteger)
    type: Mapped[str] = mapped_column(String(40))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    __table_args__ = (Index("ix_events_device_occurred", "device_id", "occurred_at"),)


class StatusTransition(Base):
    """One online/offline flip of a device; availability per day is computed from these."""

    __tablename__ = "status_transitions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    device_id: Mapped[str] = mapped_column(ForeignKey("devices.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    online: Mapped[bool] = mapped_column(Boolean)
    reason: Mapped[str] = mapped_column(String(40))  # heartbeat | timeout


class Fault(Base):
    """A fault of a peripheral (or of the whole device, e.g. ``offline``), open → acknowledged → resolved.

    A fault that clears and comes back within the flap window is re-opened rather than
    duplicated; ``flaps`` counts how often that happened, so a loose cable shows as one fault.
    """

    __tablename__ = "faults"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    device_id: Mapped[str] = mapped_column(ForeignKey("devices.id"))
    peripheral: Mapped[str] = mapped_column(String(40))
    reason: Mapped[str] = mapped_column(String(60))
    detail: Mapped[str] = mapped_column(String(500), default="")
    source: Mapped[str] = mapped_column(String(10), default="device")  # device | server
    state: Mapped[str] = mapped_column(String(16), default="open")
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    acknowledged_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    resolved_by: Mapped[str | None] = mapped_column(String(64), nullable=True)  # user name or "device"
    resolution_note: Mapped[str] = mapped_column(Text, default="")
    flaps: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (
        Index("ix_faults_device_key", "device_id", "peripheral", "reason"),
        Index("ix_faults_state", "state"),
    )


class UsageRecord(Base):
    """One transaction on a device (a function used, its outcome, pages printed)."""

    __tablename__ = "usage_records"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[str] = mapped_column(ForeignKey("events.id"), unique=True)
    device_id: Mapped[str] = mapped_column(ForeignKey("devices.id"))
    function: Mapped[str] = mapped_column(String(40))
    outcome: Mapped[str] = mapped_column(String(20))
    pages: Mapped[int] = mapped_column(Integer, default=0)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (Index("ix_usage_device_occurred", "device_id", "occurred_at"),)


class Command(Base):
    """A remote command queued for one device; delivered in heartbeat answers until acknowledged."""

    __tablename__ = "commands"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    device_id: Mapped[str] = mapped_column(ForeignKey("devices.id"))
    kind: Mapped[str] = mapped_column(String(40))
    args: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    state: Mapped[str] = mapped_column(String(16), default="pending")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(64), default="")
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    acked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    result: Mapped[str] = mapped_column(String(500), default="")

    __table_args__ = (Index("ix_commands_device_state", "device_id", "state"),)
