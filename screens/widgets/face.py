"""A rating face drawn with the Kivy canvas: no image files, sharp at any size and scale.

The mouth's curve goes from a wide smile (非常满意) to a deep frown (非常不满意); the colour
goes from green to red, and the label under each face carries the level's name, so the
choice never depends on colour alone.
"""
from __future__ import annotations

from kivy.graphics import Color, Ellipse, Line
from kivy.properties import NumericProperty, StringProperty
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.widget import Widget

FACE_COLOURS = ((0.11, 0.56, 0.24), (0.30, 0.65, 0.20), (0.93, 0.66, 0.10), (0.90, 0.42, 0.10), (0.78, 0.16, 0.16))
CURVE = (1.0, 0.6, 0.0, -0.6, -1.0)  # smile (+) to frown (-) for levels 0..4


class Face(ButtonBehavior, Widget):
    """``index`` 0 = 非常满意 … 4 = 非常不满意; ``level`` is the kiosk.rating.Level value."""

    index = NumericProperty(0)
    level = StringProperty("")

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.bind(pos=self._draw, size=self._draw, index=self._draw, state=self._draw)

    def _draw(self, *_args) -> None:
        self.canvas.clear()
        d = min(self.width, self.height)
        if d <= 0:
            return
        x0, y0 = self.center_x - d / 2, self.center_y - d / 2
        colour = FACE_COLOURS[int(self.index) % 5]
        pressed = self.state == "down"
        with self.canvas:
            Color(*colour, 0.75 if pressed else 1)
            Ellipse(pos=(x0, y0), size=(d, d))
            Color(1, 1, 1, 1)
            eye = d * 0.12
            for ex in (0.32, 0.68):
                Ellipse(pos=(x0 + d * ex - eye / 2, y0 + d * 0.6), size=(eye, eye * 1.3))
            curve = CURVE[int(self.index) % 5]
            mouth_y = y0 + d * (0.36 if curve >= 0 else 0.26)
            bend = d * 0.16 * curve
            points = []
            for i in range(21):
                t = i / 20
                points += [x0 + d * (0.27 + 0.46 * t), mouth_y - bend * 4 * t * (1 - t)]
            Line(points=points, width=max(1.5, d * 0.045), cap="round", joint="round")
