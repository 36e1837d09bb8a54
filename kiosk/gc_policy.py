"""Full garbage collections at moments when nobody is waiting for the screen.

A full (generation 2) collection walks every object the UI process holds: 110,000 just after
start, 270,000 once every screen has been built, 50-160 ms each (bench/ui.py, timed with
``gc.callbacks``). Left to the interpreter's counters it runs in the middle of whatever is
allocating, which on a kiosk is a citizen's tap and the screen it opens. So the UI starts
full collections itself when nobody waits: just after a visit ends and the home screen is
drawn, and every ``every_s`` while nobody touches the screen. The interpreter still starts
one on its own, but after ``DEFERRED_FULL`` young collections instead of 10: citizens who
follow each other without a pause never let the idle moments come, and a journey leaves
megabytes of cyclic garbage (widgets, images) that must not wait for the night.
"""
from __future__ import annotations

import gc
import time
from collections.abc import Callable

# The third threshold counts middle-generation collections between full ones (10 by default).
DEFERRED_FULL = 100


class IdleCollector:
    """Owns the interpreter's GC thresholds while installed (one app at a time)."""

    def __init__(self, every_s: float = 60.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.every_s = every_s
        self.clock = clock
        self.last_run = clock()
        self.last_pause_s = 0.0
        self.runs = 0
        self._saved: tuple[int, int, int] | None = None

    def install(self) -> "IdleCollector":
        if self._saved is None:
            self._saved = gc.get_threshold()
            young, middle, _full = self._saved
            gc.set_threshold(young, middle, DEFERRED_FULL)
        return self

    def uninstall(self) -> None:
        if self._saved is not None:
            gc.set_threshold(*self._saved)
            self._saved = None

    def collect(self) -> float:
        """A full collection now; returns its pause in seconds."""
        started = time.perf_counter()
        gc.collect()
        self.last_pause_s = time.perf_counter() - started
        self.last_run = self.clock()
        self.runs += 1
        return self.last_pause_s

    def collect_if_due(self, idle: bool) -> bool:
        """Collect when the screen is idle and the last collection is ``every_s`` old."""
        if idle and self.clock() - self.last_run >= self.every_s:
            self.collect()
            return True
        return False
