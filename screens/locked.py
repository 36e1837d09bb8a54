"""The out-of-service screen shown while a technician has locked the device remotely."""
from __future__ import annotations

from pathlib import Path

from kivy.lang import Builder
from kivy.properties import StringProperty

from screens.base import KioskScreen

Builder.load_file(str(Path(__file__).with_suffix(".kv")))


class LockedScreen(KioskScreen):
    message = StringProperty("")

    def on_pre_enter(self, *_args) -> None:
        self.message = self.app.lock_state.message
