"""A case's progress as a horizontal timeline: a dot per step (filled when done, ringed when
current), the step's name and its time, and the note (tracking number) under it.

State is shown by shape and text as well as colour (done ✓, current ●, to come ○).
"""
from __future__ import annotations

from kivy.app import App
from kivy.graphics import Color, Ellipse, Line
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.label import Label
from kivy.uix.widget import Widget

from kiosk.journeys.progress import TimelineStep

MARK = {"done": "✓", "current": "●", "todo": "○"}


class Timeline(BoxLayout):
    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._app = App.get_running_app()
        self.steps: list[TimelineStep] = []
        self.bind(pos=self._draw, size=self._draw)

    def show(self, steps: list[TimelineStep]) -> None:
        app = self._app
        self.steps = list(steps)
        self.clear_widgets()
        for step in self.steps:
            when = _when(step.at, app.lang) if step.at else ""
            state_text = app.tr(f"progress.state_{step.state}")
            text = f"[b]{step.name}[/b]\n{state_text}"
            if when:
                text += "\n" + when
            if step.note:
                text += f"\n{step.note}"
            column = BoxLayout(orientation="vertical")
            column.add_widget(Widget(size_hint_y=None, height=app.dp(64)))  # room for the dots and line
            label = Label(text=text, markup=True, font_size=app.sp(19), halign="center", size_hint_y=None,
                          color=app.col("text" if step.state != "todo" else "muted_text"))
            label.bind(width=lambda w, width: setattr(w, "text_size", (width - app.dp(6), None)),
                       texture_size=lambda w, size: setattr(w, "height", size[1]))
            column.add_widget(label)
            column.add_widget(Widget())
            self.add_widget(column)
        self._draw()

    def _draw(self, *_args) -> None:
        self.canvas.before.clear()
        n = len(self.steps)
        if not n or self.width <= 0:
            return
        app = self._app
        r = app.dp(18)
        y = self.top - app.dp(36)
        width = self.width / n
        xs = [self.x + width * (i + 0.5) for i in range(n)]
        done_colour, todo_colour = app.col("tiles", index=0), (0.7, 0.72, 0.75, 1)
        with self.canvas.before:
            for i in range(n - 1):
                Color(*(done_colour if self.steps[i + 1].state == "done" else todo_colour))
                Line(points=[xs[i] + r, y, xs[i + 1] - r, y], width=app.dp(3))
            for x, step in zip(xs, self.steps):
                if step.state == "done":
                    Color(*done_colour)
                    Ellipse(pos=(x - r, y - r), size=(2 * r, 2 * r))
                    Color(1, 1, 1, 1)
                    Line(points=[x - r * 0.45, y, x - r * 0.1, y - r * 0.4, x + r * 0.5, y + r * 0.4], width=app.dp(3))
                elif step.state == "current":
                    Color(*done_colour)
                    Line(circle=(x, y, r), width=app.dp(3))
                    Ellipse(pos=(x - r * 0.5, y - r * 0.5), size=(r, r))
                else:
                    Color(*todo_colour)
                    Line(circle=(x, y, r), width=app.dp(2))


def _when(moment, language: str) -> str:
    """``11月20日`` over ``09:31``: a timeline column is narrow; the year is the case's own."""
    if language == "zh_CN":
        return f"{moment.month}月{moment.day}日\n{moment:%H:%M}"
    return f"{moment:%d %b}\n{moment:%H:%M}"
