"""Time conventions: stored in UTC, shown and bucketed by day in China Standard Time."""
from __future__ import annotations

from zoneinfo import ZoneInfo

LOCAL = ZoneInfo("Asia/Shanghai")
