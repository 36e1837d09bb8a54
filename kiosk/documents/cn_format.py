"""Dates, times and durations written the way a Chinese reader expects them on paper."""
from __future__ import annotations

from datetime import date, datetime

WEEKDAYS = "一二三四五六日"


def cn_date(value: date) -> str:
    """``2026年11月23日`` (no zero padding, as on official documents)."""
    return f"{value.year}年{value.month}月{value.day}日"


def cn_datetime(value: datetime) -> str:
    """``2026年11月23日 14:05``: 24-hour clock, minutes padded."""
    return f"{cn_date(value)} {value.hour:02d}:{value.minute:02d}"


def cn_weekday(value: date) -> str:
    return "星期" + WEEKDAYS[value.weekday()]


def working_days(days: int) -> str:
    """``5个工作日``: promised processing time of a service item."""
    return f"{days}个工作日" if days > 0 else "即办"
