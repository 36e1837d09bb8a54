"""Serving screen: the case the window system announced, with the applicant masked (张*)."""
from __future__ import annotations

from pathlib import Path

from kivy.lang import Builder
from kivy.properties import StringProperty
from kivy.uix.screenmanager import Screen

from screens.evaluator.staffbar import StaffBar  # noqa: F401  (used in the kv file)

Builder.load_file(str(Path(__file__).with_suffix(".kv")))


class EvaluatorServingScreen(Screen):
    case_no = StringProperty("")
    item_name = StringProperty("")
    applicant = StringProperty("")  # masked on arrival by kiosk.window_api

    def show_state(self, controller) -> None:
        case = controller.service.case
        self.case_no = case.case_no if case else ""
        self.item_name = case.item_name if case else ""
        self.applicant = case.applicant_masked if case else ""
