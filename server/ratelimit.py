"""In-process rate limits: a token bucket per device token, a failure counter per login.

They live in each replica's memory: with N replicas a device gets at most N times its rate,
which is enough to stop a runaway device or a password-guessing script without a shared
store. The clock is injectable so tests never sleep.
"""
from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable

Clock = Callable[[], float]
MAX_KEYS = 100_000  # memory bound; the least recently used keys are dropped first


class TokenBucket:
    """``rate`` requests per second on average with bursts up to ``burst``, per key."""

    def __init__(self, rate: float, burst: int, clock: Clock = time.monotonic) -> None:
        self.rate, self.burst, self._clock = rate, float(burst), clock
        self._lock = threading.Lock()
        self._buckets: dict[str, tuple[float, float]] = {}  # key -> (tokens, last time)

    def take(self, key: str) -> float:
        """0 when the request may go ahead, otherwise the seconds to wait before retrying."""
        now = self._clock()
        with self._lock:
            tokens, last = self._buckets.pop(key, (self.burst, now))
            tokens = min(self.burst, tokens + (now - last) * self.rate)
            wait = 0.0 if tokens >= 1 else (1 - tokens) / self.rate
            self._buckets[key] = (tokens - 1 if wait == 0 else tokens, now)
            if len(self._buckets) > MAX_KEYS:
                del self._buckets[next(iter(self._buckets))]
        return wait


class FailureLimiter:
    """Block a key after ``max_failures`` failures within ``window_s`` seconds (login guessing)."""

    def __init__(self, max_failures: int, window_s: float, clock: Clock = time.monotonic) -> None:
        self.max_failures, self.window_s, self._clock = max_failures, window_s, clock
        self._lock = threading.Lock()
        self._failures: dict[str, deque[float]] = {}

    def retry_after(self, key: str) -> float:
        """0 when the key may try again, otherwise the seconds until the oldest failure expires."""
        now = self._clock()
        with self._lock:
            times = self._prune(key, now)
            if len(times) < self.max_failures:
                return 0.0
            return max(0.0, times[0] + self.window_s - now)

    def fail(self, key: str) -> None:
        now = self._clock()
        with self._lock:
            self._prune(key, now).append(now)
            if len(self._failures) > MAX_KEYS:
                del self._failures[next(iter(self._failures))]

    def reset(self, key: str) -> None:
        with self._lock:
            self._failures.pop(key, None)

    def _prune(self, key: str, now: float) -> deque[float]:
        times = self._failures.setdefault(key, deque())
        while times and times[0] <= now - self.window_s:
            times.popleft()
        return times
