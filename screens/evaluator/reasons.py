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

from screens.widgets.keypad import DigitKeypad  # noqa: F401  (KeypadKey, used in the kv file)
from screens.widgets.rating import ReasonGrid, ReasonToggle  # noqa: F401  (the shared component)

Builder.load_file(str(Path(__file__).with_suffix(".kv")))


class EvaluatorReasonsScreen(Screen):
    level = StringProperty("")
    chosen = ListProperty([])
    can_submit = BooleanProperty(False)

    def on_pre_enter(self, *_args) -> None:
        app = App.get_running_app()
        self.ids.grid.show(app.evaluator.reasons, app.lang)

    def on_chosen(self, *_args) -> None:
        self.can_submit = bool(self.chosen)

    def toggle(self, code: str) -> ReasonToggle | None:
        return self.ids.grid.toggle(code)

    def submit(self) -> None:
        App.get_running_app().evaluator.submit(self.level, tuple(self.chosen))

    def back(self) -> None:
        App.get_running_app().show("evaluator_rating")
