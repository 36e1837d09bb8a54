"""One of several panels a screen switches between (``mode``): hidden panels take no touches.

A hidden panel is kept (sized to nothing and transparent) so its widgets and ids persist,
but its children may still overflow it; ``active = False`` stops touches from reaching
them, so an invisible button can never be pressed nor swallow a touch meant for another.
"""
from __future__ import annotations

from kivy.properties import BooleanProperty
from kivy.uix.boxlayout import BoxLayout


class Page(BoxLayout):
    active = BooleanProperty(True)

    def on_touch_down(self, touch):
        return super().on_touch_down(touch) if self.active else False

    def on_touch_move(self, touch):
        return super().on_touch_move(touch) if self.active else False

    def on_touch_up(self, touch):
        return super().on_touch_up(touch) if self.active else False
