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

Native memory is the other half. Images, textures and PDF pages are allocated and freed in
blocks of megabytes. glibc serves a big block with its own mapping at first, but each one
freed raises its threshold for the next, until such blocks come from the heap and leave it
fragmented: over 1,000 scripted journeys the resident size grew by 44 MB (34 MB with trims
alone) while Python's own allocations did not grow. The threshold is fixed at 128 KB and the
free pages are handed back (``malloc_trim``) after each of the collections above; a 1,000-journey
run then grew 2 MB, though 2 runs in 5 still took a one-time step of 23-26 MB in the main heap
early on (bench/ui.py, figures in the README).
"""
from __future__ import annotations

import ctypes
import gc
import time
from collections.abc import Callable
from functools import cache

# The third threshold counts middle-generation collections between full ones (10 by default).
DEFERRED_FULL = 100


class IdleCollector:
    """Owns the interpreter's GC thresholds while installed (one app at a time).

    Installing also fixes the C allocator's mmap threshold (``keep_big_blocks_out_of_the_heap``)
    for the rest of the process: glibc offers no way to read the old value back, and its
    dynamic one is what the kiosk must not have.
    """

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
            keep_big_blocks_out_of_the_heap()
        return self

    def uninstall(self) -> None:
        if self._saved is not None:
            gc.set_threshold(*self._saved)
            self._saved = None

    def collect(self) -> float:
        """A full collection now; returns its pause in seconds."""
        started = time.perf_counter()
        gc.collect()
        release_free_memory()
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


M_MMAP_THRESHOLD = -3  # mallopt parameter numbers from glibc's malloc.h
MMAP_THRESHOLD_BYTES = 128 * 1024  # glibc's initial value, which it otherwise raises as big blocks are freed


@cache
def _libc() -> ctypes.CDLL | None:
    """The C library when it is glibc (``malloc_trim`` and ``mallopt`` are its own), else None.

    ``CDLL(None)`` is the running process's own symbols, libc among them: no library search
    (``ctypes.util.find_library`` runs ``ldconfig``, a subprocess, during the app's start).
    """
    try:
        libc = ctypes.CDLL(None)
    except OSError:
        return None
    if not hasattr(libc, "malloc_trim") or not hasattr(libc, "mallopt"):
        return None
    libc.malloc_trim.argtypes, libc.malloc_trim.restype = [ctypes.c_size_t], ctypes.c_int
    libc.mallopt.argtypes, libc.mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
    return libc


def release_free_memory() -> bool:
    """Return the C allocator's free memory to the system; False where that cannot be done."""
    libc = _libc()
    if libc is None:
        return False
    libc.malloc_trim(0)
    return True


def keep_big_blocks_out_of_the_heap(threshold: int = MMAP_THRESHOLD_BYTES) -> bool:
    """Serve every allocation of ``threshold`` bytes or more with its own mapping, returned on free.

    glibc starts at 128 KB but raises the threshold to the size of each big block freed (up to
    32 MB), after which image and texture buffers come from the heap and leave it fragmented;
    a fixed threshold stops that. False where the C library is not glibc.
    """
    libc = _libc()
    return libc is not None and libc.mallopt(M_MMAP_THRESHOLD, threshold) == 1
