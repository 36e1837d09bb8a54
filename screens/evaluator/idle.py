"""The evaluator's idle screen: which window this is and who serves at it.

Until a staff member signs in (staff card or PIN, built with the evaluator journeys) it
asks for a sign-in rather than showing a made-up name.
"""
from __future__ import annotations

from pathlib import Path

from kivy.app import App
from kivy.lang import Builder
from kivy.properties import BooleanProperty, StringProperty
from kivy.uix.screenmanager import Screen

Builder.load_file(str(Path(__file__).with_suffix(".kv")))


class EvaluatorIdleScreen(Screen):
    staff_name = StringProperty("")
    staff_no = StringProperty("")
    staff_line = StringProperty("")
    staff_no_line = StringProperty("")
    paused = BooleanProperty(False)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        app = App.get_running_app()
        app.bind(lang=self._refresh)
        self.bind(staff_name=self._refresh, staff_no=self._refresh)
        self._refresh()

    def _refresh(self, *_args) -> None:
        app = App.get_running_app()
        if self.staff_name:
            self.staff_line = f"{app.tr('evaluator.staff_name')}：{self.staff_name}"
            self.staff_no_line = f"{app.tr('evaluator.staff_no')}：{self.staff_no}"
        else:
            self.staff_line = app.tr("evaluator.no_staff")
            self.staff_no_line = ""
