"""How far the device's clock is from the server's, and noticing when it jumps.

Terminals in towns and villages often have a wrong clock (a dead RTC battery, no NTP
through the hall's firewall). Events keep the device time they happened at (that is the
fact the device knows), and the reporter tells the server its current estimate of
``server_time - device_time`` so the server can correct them. A wall-clock step (NTP
catching up, someone setting the date) makes old estimates worthless, so a jump clears them.
"""
from __future__ import annotations

import statistics
import threading
import time
from collections import deque
from collections.abc import Callable

JUMP_THRESHOLD_S = 5.0
"""Wall and monotonic clocks drifting apart by more than this between two looks is a jump."""


class SkewEstimator:
    """Median of the last few ``server - device`` samples, each taken at the request midpoint."""

    def __init__(self, samples: int = 5, wall: Callable[[], float] = time.time,
                 mono: Callable[[], float] = time.monotonic) -> None:
        self._samples: deque[float] = deque(maxlen=samples)
        self._wall = wall
        self._mono = mono
        self._lock = threading.Lock()
        self._anchor = (wall(), mono())
        self.jumps = 0

    def observe(self, server_epoch: float, sent_wall: float, received_wall: float) -> None:
        """One reply: the server said ``server_epoch`` somewhere between sending and receiving."""
        if received_wall < sent_wall:  # the clock jumped during the request: sample is useless
            return
        with self._lock:
            self._samples.append(server_epoch - (sent_wall + received_wall) / 2)

    @property
    def offset_s(self) -> float | None:
        """Estimated ``server_time - device_time`` in seconds, ``None`` before the first reply."""
        with self._lock:
            return statistics.median(self._samples) if self._samples else None

    def check_jump(self) -> float | None:
        """The size of a wall-clock step since the last call (and forget old samples), or ``None``."""
        wall, mono = self._wall(), self._mono()
        with self._lock:
            last_wall, last_mono = self._anchor
            self._anchor = (wall, mono)
            step = (wall - last_wall) - (mono - last_mono)
            if abs(step) <= JUMP_THRESHOLD_S:
                return None
            self._samples.clear()
            self.jumps += 1
            return step
