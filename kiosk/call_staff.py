"""呼叫工作人员 (call staff): a citizen asks for help; the hall's staff see it on the dashboard at once.

One press queues a ``call_staff`` event (``{"reason": "help"}``, docs/CONTENT_API.md) in the outbox,
which delivers it even after a network cut. Presses within ``interval_s`` of the last accepted one
are not sent again: an anxious citizen tapping five times must not page the hall five times.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

EVENT_TYPE = "call_staff"
PAYLOAD: dict[str, Any] = {"reason": "help"}


class StaffCaller:
    def __init__(self, record: Callable[[str, dict[str, Any]], Any], interval_s: float = 60.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.record = record
        self.interval_s = interval_s
        self.clock = clock
        self._last: float | None = None

    def press(self) -> bool:
        """Queue the call; ``False`` when a call went out less than ``interval_s`` ago (not sent again).

        Raises what ``record`` raises (``OutboxFull``): the caller tells the citizen to ask at a window.
        """
        now = self.clock()
        if self._last is not None and now - self._last < self.interval_s:
            return False
        self.record(EVENT_TYPE, dict(PAYLOAD))
        self._last = now
        return True
