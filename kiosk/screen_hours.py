"""When the evaluator's screen is awake, dimmed or asleep, and when the staff day ends.

Pure functions of the local time, so the screens only apply the answer and the tests need
no clock. Hours may wrap past midnight (``wake_at`` later than ``sleep_at``).
"""
from __future__ import annotations

import datetime as dt
from typing import Literal

ScreenState = Literal["awake", "dim", "asleep"]


def _minutes(hhmm: str) -> int:
    hours, minutes = hhmm.split(":")
    return int(hours) * 60 + int(minutes)


def within_hours(now: dt.datetime, wake_at: str, sleep_at: str) -> bool:
    minute, start, end = now.hour * 60 + now.minute, _minutes(wake_at), _minutes(sleep_at)
    if start == end:
        return True
    return start <= minute < end if start < end else (minute >= start or minute < end)


def screen_state(now: dt.datetime, idle_s: float, wake_at: str, sleep_at: str, dim_after_s: float,
                 woken: bool = False) -> ScreenState:
    """Asleep outside the hours unless woken (touch, new case); dimmed after ``dim_after_s`` idle."""
    if not within_hours(now, wake_at, sleep_at) and not woken:
        return "asleep"
    return "dim" if idle_s >= dim_after_s else "awake"


def logout_due(signed_in_at: dt.datetime, now: dt.datetime, logout_at: str | None) -> bool:
    """True once the configured end of day has passed since the staff member signed in ("" = never)."""
    if not logout_at:
        return False
    hours, minutes = (int(p) for p in logout_at.split(":"))
    cutoff = signed_in_at.replace(hour=hours, minute=minutes, second=0, microsecond=0)
    if cutoff <= signed_in_at:
        cutoff += dt.timedelta(days=1)
    return now >= cutoff
