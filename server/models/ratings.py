"""好差评 tables: ratings, rejected rating events, rectification cases, malicious-rating claims,
admin-entered calendar days, rating-QR windows, department membership of users, push log.

A rating's level is stored as the enum :class:`RatingLevel` (its wire name); national or
provincial codes exist only in the export (``server.ratings.export``). ``rated_on`` is the
local (Beijing) date of the rating, stored so that statistics group by day in plain SQL on
both SQLite and PostgreSQL. ``version`` goes up whenever a pushed field changes; the push job
sends a record while ``pushed_version < version``, so each state of a record is sent once.
"""
from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import (JSON, Boolean, Date, Enum, ForeignKey, Index, Integer, LargeBinary, String, Text)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.models.base import Base, UTCDateTime, utcnow


class RatingLevel(str, enum.Enum):
    """The five GB/T 39046 levels, best first; 不满意 and 非常不满意 are 差评."""

    VERY_SATISFIED = "very_satisfied"
    SATISFIED = "satisfied"
    BASICALLY_SATISFIED = "basically_satisfied"
    DISSATISFIED = "dissatisfied"
    VERY_DISSATISFIED = "very_dissatisfied"

    @property
    def is_bad(self) -> bool:
        return self in (RatingLevel.DISSATISFIED, RatingLevel.VERY_DISSATISFIED)


LEVEL_TYPE = Enum(RatingLevel, name="rating_level", native_enum=False, length=24,
                  values_callable=lambda e: [m.value for m in e], validate_strings=True)


class Rating(Base):
    """One 好差评 record (rated or 未评) from an evaluator, a terminal or the rating-QR page."""

    __tablename__ = "ratings"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)  # the record id made where it was rated
    event_id: Mapped[str | None] = mapped_column(ForeignKey("events.id"), unique=True, nullable=True)
    device_id: Mapped[str | None] = mapped_column(ForeignKey("devices.id"), nullable=True)
    site_id: Mapped[int | None] = mapped_column(ForeignKey("sites.id"), nullable=True)
    department_code: Mapped[str | None] = mapped_column(ForeignKey("departments.code"), nullable=True)
    outcome: Mapped[str] = mapped_column(String(12))  # rated | not_rated
    level: Mapped[RatingLevel | None] = mapped_column(LEVEL_TYPE, nullable=True)
    bad: Mapped[bool] = mapped_column(Boolean, default=False)
    reasons: Mapped[list[str]] = mapped_column(JSON, default=list)
    reason_list_version: Mapped[int | None] = mapped_column(Integer, nullable=True)
    text: Mapped[str] = mapped_column(Text, default="")
    rated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    rated_on: Mapped[date] = mapped_column(Date)  # local date, for grouping by day
    rating_count: Mapped[int] = mapped_column(Integer, default=1)
    case_no: Mapped[str] = mapped_column(String(64), default="")
    consultation: Mapped[bool] = mapped_column(Boolean, default=False)
    item_name: Mapped[str] = mapped_column(String(100), default="")
    item_basic_code: Mapped[str] = mapped_column(String(10), default="")
    item_impl_code: Mapped[str] = mapped_column(String(24), default="")
    channel: Mapped[str] = mapped_column(String(16))
    region_code: Mapped[str] = mapped_column(String(12), default="")
    window: Mapped[str] = mapped_column(String(20), default="")
    staff_no: Mapped[str] = mapped_column(String(32), default="")
    trigger: Mapped[str] = mapped_column(String(20), default="")
    contact_phone: Mapped[str] = mapped_column(String(20), default="")  # left on the QR page; never logged
    excluded: Mapped[bool] = mapped_column(Boolean, default=False)  # an upheld malicious claim
    version: Mapped[int] = mapped_column(Integer, default=1)
    pushed_version: Mapped[int] = mapped_column(Integer, default=0)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    case: Mapped["RectificationCase | None"] = relationship(back_populates="rating", uselist=False)

    __table_args__ = (
        Index("ix_ratings_rated_on", "rated_on"),
        Index("ix_ratings_case_no", "case_no"),
        Index("ix_ratings_push", "pushed_version", "version"),
    )


class RatingReject(Base):
    """A ``rating`` event whose payload could not be read: the event is kept, the rating is not made."""

    __tablename__ = "rating_rejects"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[str] = mapped_column(ForeignKey("events.id"), unique=True)
    device_id: Mapped[str] = mapped_column(ForeignKey("devices.id"))
    error: Mapped[str] = mapped_column(String(300))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class RectificationCase(Base):
    """The 差评 loop of one bad rating: 待回访 → 已回访 → 整改中 → 已整改 → 复核.

    Deadlines are not stored: they follow from ``opened_at``, the working-day calendar and the
    ``ratings_rectify_days`` setting when read (``server.ratings.rectification.due_dates``), so
    holidays an administrator enters later, or a changed provincial rule, apply to open cases.
    """

    __tablename__ = "rectification_cases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    rating_id: Mapped[str] = mapped_column(ForeignKey("ratings.id"), unique=True)
    department_code: Mapped[str | None] = mapped_column(ForeignKey("departments.code"), nullable=True)
    state: Mapped[str] = mapped_column(String(16), default="pending_visit")
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime)
    visited_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    visit_note: Mapped[str] = mapped_column(Text, default="")
    rectify_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    rectify_plan: Mapped[str] = mapped_column(Text, default="")
    rectified_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    rectify_note: Mapped[str] = mapped_column(Text, default="")
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    review_satisfied: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    review_note: Mapped[str] = mapped_column(Text, default="")

    rating: Mapped[Rating] = relationship(back_populates="case")

    __table_args__ = (Index("ix_rectification_cases_state", "state"),)


class MaliciousClaim(Base):
    """A claim that a bad rating is malicious (恶意差评), with evidence, decided by a supervisor."""

    __tablename__ = "malicious_claims"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    rating_id: Mapped[str] = mapped_column(ForeignKey("ratings.id"), index=True)
    claimed_by: Mapped[str] = mapped_column(String(64))
    claimed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    evidence_text: Mapped[str] = mapped_column(Text)
    evidence_file: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    evidence_filename: Mapped[str] = mapped_column(String(120), default="")
    evidence_type: Mapped[str] = mapped_column(String(80), default="")
    state: Mapped[str] = mapped_column(String(12), default="pending")  # pending | upheld | rejected
    decided_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    decision_note: Mapped[str] = mapped_column(Text, default="")


class CalendarDay(Base):
    """An admin-entered day that overrides the built-in holiday calendar (a year it does not know yet)."""

    __tablename__ = "calendar_days"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    workday: Mapped[bool] = mapped_column(Boolean)  # False: 节假日; True: 调休上班
    note: Mapped[str] = mapped_column(String(100), default="")
    created_by: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class RatingWindow(Base):
    """A window rated through the public QR page ``/rate/<token>`` (no evaluator there)."""

    __tablename__ = "rating_windows"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token: Mapped[str] = mapped_column(String(40), unique=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    window: Mapped[str] = mapped_column(String(20))
    department_code: Mapped[str | None] = mapped_column(ForeignKey("departments.code"), nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class DepartmentMember(Base):
    """Which department a dashboard user of role ``department`` works for (scopes what they may do)."""

    __tablename__ = "department_members"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    department_code: Mapped[str] = mapped_column(ForeignKey("departments.code"))


class PushLog(Base):
    """One run of the push to the provincial 好差评 system: what was sent, the answer, the attempts."""

    __tablename__ = "rating_push_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    endpoint: Mapped[str] = mapped_column(String(300))
    profile: Mapped[str] = mapped_column(String(20))
    records: Mapped[int] = mapped_column(Integer, default=0)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(12))  # ok | failed
    http_status: Mapped[int | None] = mapped_column(Integer, nullable=True)
    answer: Mapped[str] = mapped_column(Text, default="")
    sent: Mapped[Any] = mapped_column(JSON, default=dict)
