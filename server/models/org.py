"""The organisation behind the windows: departments (部门) and window staff (窗口工作人员).

Shared by the 好差评 side (ratings are counted per department and staff member, bad ratings
are assigned to a department), the content side (every service item belongs to a department)
and the evaluators (which show the staff member serving at the window).
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from server.models.base import Base, UTCDateTime, utcnow


class Department(Base):
    """A department answering for service items and windows (e.g. ``rsj`` 人力资源和社会保障局)."""

    __tablename__ = "departments"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(200), default="")
    region_code: Mapped[str] = mapped_column(String(12), default="")  # 行政区划
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Staff(Base):
    """A window staff member, shown on the evaluator (name, number, photo) and counted in statistics.

    ``pin_hash`` is for the PIN login on an evaluator, in the device's own PBKDF2 format because
    evaluators verify it offline (see ``server/staff/credentials.py``); ``card_uid_hash`` is the
    SHA-256 of the staff card's UID, so a database leak does not give usable card numbers.
    """

    __tablename__ = "staff"

    staff_no: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(50))
    department_code: Mapped[str | None] = mapped_column(ForeignKey("departments.code"), nullable=True,
                                                        index=True)
    site_id: Mapped[int | None] = mapped_column(ForeignKey("sites.id"), nullable=True, index=True)
    title: Mapped[str] = mapped_column(String(50), default="")  # e.g. 综合窗口受理员
    pin_hash: Mapped[str] = mapped_column(String(200), default="")
    card_uid_hash: Mapped[str] = mapped_column(String(64), default="", index=True)
    photo_jpeg: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    photo_etag: Mapped[str] = mapped_column(String(80), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
