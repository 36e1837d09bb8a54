"""Working days in China: weekends, public holidays and 调休 make-up working days.

The built-in calendar is the ``chinese_calendar`` package (the State Council's yearly notice,
which it ships up to the newest year announced). Days an administrator entered
(:class:`~server.models.ratings.CalendarDay`) override it: that is how a year the package does
not know yet (or a local holiday) is added without waiting for a release. For a year neither
knows, Monday-Friday are working days and :meth:`WorkCalendar.unknown_years` names the year so
the dashboard can warn that deadlines there ignore holidays.

A deadline of *N working days* ends at 24:00 (local time) of the N-th working day after the
day the clock started: the starting day itself does not count, as in "自受理之日起N个工作日".
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime, time, timedelta, timezone
from functools import cache

import chinese_calendar
from sqlalchemy import select
from sqlalchemy.orm import Session

from server.clock import LOCAL
from server.models.ratings import CalendarDay


@cache
def builtin_years() -> tuple[int, int]:
    years = {d.year for d in chinese_calendar.holidays}
    return min(years), max(years)


class WorkCalendar:
    def __init__(self, overrides: Mapping[date, bool] | None = None) -> None:
        self.overrides = dict(overrides or {})

    @staticmethod
    def builtin_knows(year: int) -> bool:
        first, last = builtin_years()
        return first <= year <= last

    def is_workday(self, day: date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        if self.builtin_knows(day.year):
            return bool(chinese_calendar.is_workday(day))
        return day.weekday() < 5

    def add_working_days(self, start: date, n: int) -> date:
        """The N-th working day after ``start`` (``start`` not counted); n >= 1."""
        if n < 1:
            raise ValueError("n must be at least 1")
        day, left = start, n
        while left:
            day += timedelta(days=1)
            if self.is_workday(day):
                left -= 1
        return day

    def deadline(self, opened_at: datetime, n: int) -> datetime:
        """24:00 local time of the N-th working day after the local date of ``opened_at``, in UTC."""
        last = self.add_working_days(opened_at.astimezone(LOCAL).date(), n)
        return datetime.combine(last + timedelta(days=1), time(0), tzinfo=LOCAL).astimezone(timezone.utc)

    def unknown_years(self, years: Iterable[int]) -> list[int]:
        """Years neither the package nor an administrator has holidays for."""
        entered = {d.year for d in self.overrides}
        return sorted(y for y in set(years) if not self.builtin_knows(y) and y not in entered)


def load(session: Session) -> WorkCalendar:
    """The calendar with the administrator's days from the database."""
    rows = session.execute(select(CalendarDay.day, CalendarDay.workday)).all()
    return WorkCalendar({day: workday for day, workday in rows})


def parse_days(text: str) -> list[tuple[date, bool, str]]:
    """Lines ``2027-02-06 休 春节`` / ``2027-02-14 班 春节调休`` (also ``holiday``/``workday``).

    Raises ValueError naming the line; blank lines and ``#`` comments are skipped.
    """
    kinds = {"休": False, "holiday": False, "班": True, "workday": True}
    days: list[tuple[date, bool, str]] = []
    for number, line in enumerate(text.splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split(None, 2)
        if len(parts) < 2 or parts[1] not in kinds:
            raise ValueError(f"第 {number} 行: 格式应为 “YYYY-MM-DD 休|班 [说明]” (line {number}: DATE holiday|workday [note])")
        try:
            day = date.fromisoformat(parts[0])
        except ValueError:
            raise ValueError(f"第 {number} 行: 日期无效 {parts[0]!r} (line {number}: bad date)") from None
        days.append((day, kinds[parts[1]], parts[2][:100] if len(parts) > 2 else ""))
    return days


def save_days(session: Session, days: list[tuple[date, bool, str]], actor: str) -> int:
    """Insert or replace administrator days; audited. Returns how many were written."""
    from server.services import audit

    for day, workday, note in days:
        row = session.get(CalendarDay, day)
        if row is None:
            session.add(CalendarDay(day=day, workday=workday, note=note, created_by=actor))
        else:
            row.workday, row.note, row.created_by = workday, note, actor
    if days:
        audit.record(session, actor, "calendar.days", f"{min(d for d, _, _ in days)}..{max(d for d, _, _ in days)}",
                     days=len(days), holidays=sum(1 for _, w, _ in days if not w))
    return len(days)
