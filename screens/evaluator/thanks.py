"""Thank-you screen: shown only after the rating is in the outbox; returns by itself."""
from __future__ import annotations

from pathlib import Path

from kivy.app import App
from kivy.clock import Clock
from kivy.lang import Builder
from kivy.properties import BooleanProperty
from kivy.uix.screenmanager import Screen

Builder.load_file(str(Path(__file__).with_suffix(".kv")))


class EvaluatorThanksScreen(Screen):
    bad = BooleanProperty(False)

    def on_pre_enter(self, *_args) -> None:
        app = App.get_running_app()
        record = app.evaluator.last_record
        self.bad = bool(record and record.level and record.level.is_bad)
        self._back = Clock.schedule_once(lambda _dt: app.evaluator.after_thanks(), app.evaluator.settings.thanks_s)

    def on_leave(self, *_args) -> None:
        self._back.cancel()
