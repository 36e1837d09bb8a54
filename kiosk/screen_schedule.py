"""The terminal's screen hours, set remotely (``set_schedule``) and kept across restarts.

A terminal in a bank or a post office closes with its host at night; a dark screen then
saves the panel and does not invite use. The schedule is a small file in the data
directory; without one the screen is always on (a 24-hour terminal).
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from kiosk.atomic_file import clean_stale_temps, write_json_atomic
from kiosk.screen_hours import within_hours

SCHEDULE_FILE = "screen_schedule.json"


@dataclass(frozen=True)
class ScreenSchedule:
    on: str  # "HH:MM", local time
    off: str
    days: tuple[int, ...] = (1, 2, 3, 4, 5, 6, 7)  # ISO weekdays, 1 = Monday

    def is_on(self, now: dt.datetime) -> bool:
        return now.isoweekday() in self.days and within_hours(now, self.on, self.off)


class ScheduleStore:
    def __init__(self, data_dir: str | Path) -> None:
        self.path = Path(data_dir) / SCHEDULE_FILE
        clean_stale_temps(self.path.parent, SCHEDULE_FILE, legacy=("screen_schedule.tmp",))

    def load(self) -> ScreenSchedule | None:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            return ScreenSchedule(str(data["on"]), str(data["off"]), tuple(int(d) for d in data["days"]))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def save(self, schedule: ScreenSchedule) -> None:
        write_json_atomic(self.path, {"on": schedule.on, "off": schedule.off, "days": list(schedule.days)})
