"""The staff strip at the bottom of the idle and serving screens: who serves, and staff actions.

The evaluator faces the applicant, so the staff actions (invite a rating, pause, sign in/out)
are small buttons in this strip rather than a separate staff screen.
"""
from __future__ import annotations

from pathlib import Path

from kivy.lang import Builder
from kivy.properties import BooleanProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout

Builder.load_file(str(Path(__file__).with_suffix(".kv")))


class StaffBar(BoxLayout):
    signed_in = BooleanProperty(False)
    paused = BooleanProperty(False)
    line = StringProperty("")

    def show_state(self, controller) -> None:
        service = controller.service
        self.signed_in = service.staff is not None
        self.paused = service.paused
        staff = service.staff
        self.line = f"{staff.name}  {staff.staff_no}" if staff else ""
