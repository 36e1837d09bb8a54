"""The hidden gesture that opens maintenance: N quick taps in the top-left corner.

The detector never consumes a touch, so the widgets underneath work as usual; a citizen
tapping there by chance will not reach N taps in the time window, and even then only the
PIN pad opens.
"""
from __future__ import annotations

import time

from kivy.properties import NumericProperty
from kivy.uix.widget import Widget


class CornerTapDetector(Widget):
    taps_needed = NumericProperty(5)
    window_s = NumericProperty(3.0)

    __events__ = ("on_gesture",)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._taps: list[float] = []

    def on_touch_down(self, touch):
        if self.collide_point(*touch.pos):
            now = time.monotonic()
            self._taps = [t for t in self._taps if now - t <= self.window_s] + [now]
            if len(self._taps) >= self.taps_needed:
                self._taps.clear()
                self.dispatch("on_gesture")
        return False

    def on_gesture(self) -> None:
        pass
