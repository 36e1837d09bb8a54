"""Retry pacing for the reporter: exponential backoff with jitter, and ``Retry-After``.

A hall full of terminals comes back online at the same moment after a network outage; if
they all retried on the same schedule they would hit the server in waves. Jitter spreads
them out; the cap keeps a device from going silent for long after the server returns.
Times are durations on the monotonic clock, so a wall-clock jump cannot stall retries.
"""
from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime

MAX_RETRY_AFTER_S = 3600.0
"""A server asking for more than an hour is treated as asking for an hour."""


class Backoff:
    """Delays ``base * 2**n`` capped at ``cap``, each scaled by a random factor in [0.5, 1)."""

    def __init__(self, base_s: float = 1.0, cap_s: float = 300.0, rng: Callable[[], float] = random.random) -> None:
        if base_s <= 0 or cap_s < base_s:
            raise ValueError("need 0 < base_s <= cap_s")
        self.base_s = base_s
        self.cap_s = cap_s
        self._rng = rng
        self.failures = 0

    def next_delay(self) -> float:
        """The wait before the next attempt after one more failure."""
        ceiling = min(self.cap_s, self.base_s * (2 ** min(self.failures, 62)))
        self.failures += 1
        return ceiling * (0.5 + self._rng() / 2)

    def reset(self) -> None:
        self.failures = 0


def parse_retry_after(value: str | None, now: float) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or HTTP-date).

    ``now`` is the device's wall time, used only for the HTTP-date form. Returns ``None``
    for a missing or unparseable header (the caller then uses its own backoff); the result
    is clamped to ``[0, MAX_RETRY_AFTER_S]``.
    """
    if value is None:
        return None
    text = value.strip()
    if not text:
        return None
    if text.isascii() and text.isdigit():
        return min(float(int(text)), MAX_RETRY_AFTER_S)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    try:
        delta = when.timestamp() - now
    except (OverflowError, OSError, ValueError):
        return None
    return min(max(delta, 0.0), MAX_RETRY_AFTER_S)


def parse_iso_epoch(value: object) -> float | None:
    """An ISO-8601 time from the server (``2026-11-23T09:00:00Z``) as epoch seconds, or ``None``."""
    if not isinstance(value, str) or not value:
        return None
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return when.timestamp()
