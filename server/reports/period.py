"""Report periods in local (Beijing) days, and SQL that buckets UTC timestamps by local day/hour.

China has no daylight saving time, but the SQL still asks each database for the Asia/Shanghai
wall clock (PostgreSQL) or adds the fixed +8 h offset (SQLite, which has no time zones).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func
from sqlalchemy.orm import Session

from server.clock import LOCAL
from server.models import utcnow

CHOICES = (7, 30, 90)


@dataclass(frozen=True)
class Period:
    first: date  # local calendar days, both included
    last: date

    @classmethod
    def last_days(cls, days: int, today: date | None = None) -> "Period":
        today = today or utcnow().astimezone(LOCAL).date()
        return cls(today - timedelta(days=days - 1), today)

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    @property
    def start(self) -> datetime:
        return datetime.combine(self.first, time.min, tzinfo=LOCAL)

    @property
    def end(self) -> datetime:
        return datetime.combine(self.last + timedelta(days=1), time.min, tzinfo=LOCAL)

    def dates(self) -> list[date]:
        return [self.first + timedelta(days=n) for n in range(self.days)]

    def label(self) -> str:
        return f"{self.first:%Y年%m月%d日} 至 {self.last:%Y年%m月%d日}"


def parse_days(value: Any, default: int = 30) -> int:
    try:
        days = int(value)
    except (TypeError, ValueError):
        return default
    return days if days in CHOICES else default


def local_day(session: Session, column: Any) -> Any:
    """``YYYY-MM-DD`` of the local day of a timestamp column."""
    if session.get_bind().dialect.name == "postgresql":
        return func.to_char(func.timezone("Asia/Shanghai", column), "YYYY-MM-DD")
    return func.strftime("%Y-%m-%d", column, "+8 hours")


def local_hour(session: Session, column: Any) -> Any:
    """``HH`` (00-23) of the local hour of a timestamp column."""
    if session.get_bind().dialect.name == "postgresql":
        return func.to_char(func.timezone("Asia/Shanghai", column), "HH24")
    return func.strftime("%H", column, "+8 hours")
