"""Report a code once per sighting, not once per frame.

A QR code held in front of the camera is decoded in every frame, 10-30 times a second;
the kiosk must act on it once. A code is reported again only when it has left the view
(missing from ``gone_frames`` decoded frames in a row: one blurred frame is not leaving)
or when ``repeat_after_s`` seconds have passed since it was last reported, so a citizen
who keeps holding the phone after an error can still retry.
"""
from __future__ import annotations

import time
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")


@dataclass
class _Seen:
    reported_at: float
    missing_frames: int = 0


class SightingFilter:
    def __init__(self, key: Callable[[T], Hashable], repeat_after_s: float = 3.0, gone_frames: int = 3,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._key = key
        self.repeat_after_s = repeat_after_s
        self.gone_frames = gone_frames
        self._clock = clock
        self._in_view: dict[Hashable, _Seen] = {}

    def update(self, items: Iterable[T]) -> list[T]:
        """Feed the codes of one frame; returns those to report now."""
        now = self._clock()
        fresh: list[T] = []
        present: set[Hashable] = set()
        for item in items:
            key = self._key(item)
            if key in present:
                continue  # the same code twice in one frame (a printed sheet of copies)
            present.add(key)
            seen = self._in_view.get(key)
            if seen is None or now - seen.reported_at >= self.repeat_after_s:
                self._in_view[key] = _Seen(now)
                fresh.append(item)
            else:
                seen.missing_frames = 0
        for key in list(self._in_view):
            if key not in present:
                seen = self._in_view[key]
                seen.missing_frames += 1
                if seen.missing_frames >= self.gone_frames:
                    del self._in_view[key]
        return fresh

    def reset(self) -> None:
        """Forget everything (a new session starts: the same receipt may be scanned again)."""
        self._in_view.clear()
