"""A black layer over the whole window: dims the evaluator when idle, blanks it when asleep.

There is no portable backlight control under X, so the screen is darkened by drawing; a
touch on the layer only wakes the screen (it is swallowed, so a sleepy tap never rates).
"""
from __future__ import annotations

from collections.abc import Callable

from kivy.graphics import Color, Rectangle
from kivy.uix.label import Label

OPACITY = {"awake": 0.0, "dim": 0.6, "asleep": 0.96}


class Dimmer(Label):
    def __init__(self, on_wake: Callable[[], None], **kwargs) -> None:
        super().__init__(**kwargs)
        self.on_wake = on_wake
        self.state = "awake"
        with self.canvas.before:
            Color(0, 0, 0, 1)
            self._rect = Rectangle(pos=self.pos, size=self.size)
        self.bind(pos=lambda *_: setattr(self._rect, "pos", self.pos),
                  size=lambda *_: setattr(self._rect, "size", self.size))

    def on_touch_down(self, touch) -> bool:
        if self.state == "awake":
            return False
        self.on_wake()
        return True


def apply_screen_state(app, state: str, on_wake: Callable[[], None], sleeping_text: str = "") -> Dimmer:
    dimmer = getattr(app, "_dimmer", None)
    if dimmer is None:
        dimmer = Dimmer(on_wake, size_hint=(1, 1), color=(0.6, 0.6, 0.6, 1))
        app.root.add_widget(dimmer)
        app._dimmer = dimmer
    dimmer.state = state
    dimmer.opacity = OPACITY[state]
    dimmer.text = app.tr("evaluator.ui.sleeping") if state == "asleep" else ""
    dimmer.font_size = app.sp(22, app.scale)
    return dimmer
