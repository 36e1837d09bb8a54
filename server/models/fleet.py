"""Where devices are and who they are: sites (halls), devices, enrol codes, device tokens."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.models.base import Base, UTCDateTime, utcnow

DEVICE_TYPES = ("terminal", "evaluator")


class Site(Base):
    """A service hall (or a town/village service point) with its 行政区划 code (up to 12 digits)."""

    __tablename__ = "sites"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    region_code: Mapped[str] = mapped_column(String(12), default="")
    address: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    devices: Mapped[list["Device"]] = relationship(back_populates="site", order_by="Device.id")


class Device(Base):
    """A terminal or evaluator; its live status is kept here so the fleet page is one query.

    ``online`` and ``last_seen_at`` change on heartbeats; the history of online/offline lives
    in ``status_transitions``, written only when ``online`` flips.
    """

    __tablename__ = "devices"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
    type: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(200), default="")
    window: Mapped[str] = mapped_column(String(20), default="")
    # The department answering for the window an evaluator stands at (ratings and 差评 go there).
    department_code: Mapped[str | None] = mapped_column(ForeignKey("departments.code"), nullable=True)
    location: Mapped[str] = mapped_column(String(200), default="")
    peripherals: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    enrolled_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    online: Mapped[bool] = mapped_column(Boolean, default=False)
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True, index=True)
    last_heartbeat: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    last_seq: Mapped[int] = mapped_column(Integer, default=0)
    retired: Mapped[bool] = mapped_column(Boolean, default=False)

    site: Mapped[Site] = relationship(back_populates="devices")


class EnrolCode(Base):
    """A one-time code a technician types on a new device; only its hash is stored."""

    __tablename__ = "enrol_codes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    hint: Mapped[str] = mapped_column(String(8))  # last characters, to tell codes apart in lists
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    device_type: Mapped[str] = mapped_column(String(16))
    window: Mapped[str] = mapped_column(String(20), default="")
    location: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(64), default="")
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    device_id: Mapped[str | None] = mapped_column(ForeignKey("devices.id"), nullable=True)

    site: Mapped[Site] = relationship()


class DeviceToken(Base):
    """A bearer token of one device, stored as a SHA-256 hash so a database leak reveals none."""

    __tablename__ = "device_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    device_id: Mapped[str] = mapped_column(ForeignKey("devices.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    device: Mapped[Device] = relationship()
