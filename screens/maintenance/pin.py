"""The maintenance PIN pad, reached by the hidden corner gesture.

Five wrong PINs lock the pad for a minute: the terminal stands in a public hall and a
curious visitor must not be able to try PINs at leisure.
"""
from __future__ import annotations

import logging
import time
from pathlib import Path

from kivy.lang import Builder
from kivy.properties import StringProperty
from screens.base import KioskScreen

from kiosk.pin import verify_pin
from screens.widgets.keypad import DigitKeypad  # noqa: F401  (used in the kv file)

Builder.load_file(str(Path(__file__).with_suffix(".kv")))
log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
LOCKOUT_S = 60


class PinScreen(KioskScreen):
    message = StringProperty("")

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._failures = 0
        self._locked_until = 0.0

    def on_pre_enter(self, *_args) -> None:
        self.ids.keypad.clear()
        self.message = ""

    def submit(self) -> None:
        app = self.app
        now = time.monotonic()
        if now < self._locked_until:
            self.message = app.tr("maintenance.locked_out", seconds=int(self._locked_until - now) + 1)
            return
        pin = self.ids.keypad.value
        self.ids.keypad.clear()
        if verify_pin(pin, app.kiosk_config.maintenance.pin_hash):
            self._failures = 0
            log.info("maintenance opened")
            app.show("maintenance")
            return
        self._failures += 1
        log.warning("wrong maintenance PIN (%d in a row)", self._failures)
        if self._failures >= MAX_ATTEMPTS:
            self._failures = 0
            self._locked_until = now + LOCKOUT_S
            self.message = app.tr("maintenance.locked_out", seconds=LOCKOUT_S)
        else:
            self.message = app.tr("maintenance.wrong_pin")

    def cancel(self) -> None:
        self.app.go_home()
