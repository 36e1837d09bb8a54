"""Staff sign-in by staff number + PIN on the on-screen keypad (a staff card works anywhere).

Two steps on one keypad: the staff number, then the PIN (shown as dots). Wrong PINs are
counted by :class:`kiosk.staff.AttemptLimiter` and lock the pad for a minute after five.
"""
from __future__ import annotations

from pathlib import Path

from kivy.app import App
from kivy.lang import Builder
from kivy.properties import StringProperty
from kivy.uix.screenmanager import Screen

from screens.widgets.keypad import DigitKeypad  # noqa: F401  (used in the kv file)

Builder.load_file(str(Path(__file__).with_suffix(".kv")))


class EvaluatorLoginScreen(Screen):
    step = StringProperty("staff_no")  # or "pin"
    staff_no = StringProperty("")
    message = StringProperty("")

    def on_pre_enter(self, *_args) -> None:
        self.step, self.staff_no, self.message = "staff_no", "", ""
        self.ids.keypad.clear()

    def next(self) -> None:
        app = App.get_running_app()
        value = self.ids.keypad.value
        self.ids.keypad.clear()
        if self.step == "staff_no":
            if value:
                self.staff_no, self.step, self.message = value, "pin", ""
            return
        controller = app.evaluator
        locked = controller.pin_limiter.locked_for()
        if locked:
            self.message = app.tr("evaluator.ui.locked", seconds=int(locked) + 1)
            return
        member = controller.staff.by_pin(self.staff_no, value)
        if member is None:
            controller.pin_limiter.failed()
            self.step, self.staff_no = "staff_no", ""
            self.message = app.tr("evaluator.ui.wrong_pin")
            return
        controller.pin_limiter.succeeded()
        controller.login(member)
        app.show(controller.state_screen())

    def cancel(self) -> None:
        app = App.get_running_app()
        app.show(app.evaluator.state_screen())
