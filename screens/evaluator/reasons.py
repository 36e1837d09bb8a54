"""Bad-rating reasons: at least one from the current versioned list (with 其他) before submit.

There is no free-text box: the evaluator has no keyboard or IME, so 其他 is chosen as a
reason without text (the rating core accepts a text for terminals that can take one).
"""
from __future__ import annotations

from pathlib import Path

from kivy.app import App
from kivy.lang import Builder
from kivy.properties import BooleanProperty, ListProperty, StringProperty
from kivy.uix.screenmanager import Screen
from kivy.uix.togglebutton import ToggleButton

from screens.widgets.keypad import DigitKeypad  # noqa: F401  (KeypadKey, used in the kv file)

Builder.load_file(str(Path(__file__).with_suffix(".kv")))


class ReasonToggle(ToggleButton):
    code = StringProperty("")


class EvaluatorReasonsScreen(Screen):
    level = StringProperty("")
    chosen = ListProperty([])
    can_submit = BooleanProperty(False)

    def on_pre_enter(self, *_args) -> None:
        self.chosen = []
        self._build()

    def on_chosen(self, *_args) -> None:
        self.can_submit = bool(self.chosen)

    def _build(self) -> None:
        app = App.get_running_app()
        grid = self.ids.grid
        grid.clear_widgets()
        for reason in app.evaluator.reasons.reasons:
            toggle = ReasonToggle(code=reason.code, text=reason.label(app.lang))
            toggle.bind(state=self._toggled)
            grid.add_widget(toggle)

    def _toggled(self, toggle: ReasonToggle, state: str) -> None:
        chosen = [c for c in self.chosen if c != toggle.code]
        self.chosen = chosen + [toggle.code] if state == "down" else chosen

    def toggle(self, code: str) -> ReasonToggle | None:
        return next((w for w in self.ids.grid.children if w.code == code), None)

    def submit(self) -> None:
        App.get_running_app().evaluator.submit(self.level, tuple(self.chosen))

    def back(self) -> None:
        App.get_running_app().show("evaluator_rating")
