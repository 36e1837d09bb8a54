"""UUID version 7 (RFC 9562): unique event ids that sort by creation time.

Python 3.11's ``uuid`` module has no ``uuid7``. Event ids must be unique across devices
(the server deduplicates by id) and should sort roughly by time so that the server's index
stays append-friendly. Layout (RFC 9562 section 5.7)::

    unix_ts_ms (48) | ver=7 (4) | rand_a (12) | var=0b10 (2) | rand_b (62)

``rand_a`` is used as a counter seeded at a random value in its lower half (RFC 9562
section 6.2, method 1), so ids made in the same millisecond still increase; if the wall
clock steps backwards (an NTP correction, a technician setting the date) the generator
keeps using the last timestamp rather than going back, so ids from one process never
decrease. Uniqueness across processes and devices comes from the 62 random bits.
"""
from __future__ import annotations

import secrets
import threading
import time
import uuid
from collections.abc import Callable

_MAX_COUNTER = 0xFFF


class Uuid7Generator:
    """Thread-safe, per-process monotonic UUIDv7 source.

    ``clock_ms`` is injectable so tests can make the clock stand still or jump.
    """

    def __init__(self, clock_ms: Callable[[], int] | None = None) -> None:
        self._clock_ms = clock_ms or (lambda: time.time_ns() // 1_000_000)
        self._lock = threading.Lock()
        self._last_ms = -1
        self._counter = 0

    def __call__(self) -> uuid.UUID:
        with self._lock:
            now = self._clock_ms()
            if now > self._last_ms:
                self._last_ms = now
                self._counter = secrets.randbits(11)  # lower half: room to count up
            else:
                self._counter += 1
                if self._counter > _MAX_COUNTER:
                    # Counter exhausted within one millisecond: borrow the next one (RFC 9562 6.2).
                    self._last_ms += 1
                    self._counter = secrets.randbits(11)
            return build_uuid7(self._last_ms, self._counter, secrets.randbits(62))


def build_uuid7(unix_ms: int, rand_a: int, rand_b: int) -> uuid.UUID:
    """Assemble the 128 bits; exposed so the layout is testable on its own."""
    if not 0 <= unix_ms < 1 << 48:
        raise ValueError("timestamp out of range for UUIDv7")
    value = (unix_ms << 80) | (0x7 << 76) | ((rand_a & 0xFFF) << 64) | (0b10 << 62) | (rand_b & ((1 << 62) - 1))
    return uuid.UUID(int=value)


def uuid7_unix_ms(value: uuid.UUID | str) -> int:
    """The creation time (ms since the epoch) stored in a UUIDv7."""
    u = value if isinstance(value, uuid.UUID) else uuid.UUID(value)
    if u.version != 7:
        raise ValueError(f"not a version 7 UUID: {u}")
    return u.int >> 80


uuid7: Callable[[], uuid.UUID] = Uuid7Generator()
"""The process-wide generator: ``uuid7()`` returns a new id."""
