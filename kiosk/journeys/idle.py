"""When the terminal asks "还需要更多时间吗？" and when it wipes the session.

The session's idle timeout (``[ui] idle_timeout_s``) is when everything is wiped; the
countdown dialog opens ``countdown_s`` before that. 长者模式 slows everything down by
``elderly_factor`` (older citizens read and move more slowly).
"""
from __future__ import annotations

from dataclasses import dataclass

ELDERLY_FACTOR = 1.5


@dataclass(frozen=True)
class IdlePolicy:
    timeout_s: float
    countdown_s: float = 20.0
    elderly_factor: float = ELDERLY_FACTOR

    def timeout(self, elderly: bool) -> float:
        return self.timeout_s * (self.elderly_factor if elderly else 1.0)

    def countdown(self, elderly: bool) -> float:
        """Never more than half the timeout, so a short timeout still has a quiet period."""
        total = self.timeout(elderly)
        return min(self.countdown_s * (self.elderly_factor if elderly else 1.0), total / 2)

    def state(self, idle_for: float, elderly: bool) -> tuple[str, int]:
        """``("active", 0)``, ``("warning", seconds_left)`` or ``("expired", 0)``."""
        total = self.timeout(elderly)
        left = total - idle_for
        if left <= 0:
            return "expired", 0
        if left <= self.countdown(elderly):
            return "warning", int(left + 0.999)
        return "active", 0
