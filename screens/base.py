"""The base of every screen: it keeps the App that built it.

``App.get_running_app()`` answers whichever app runs *now*; a trigger scheduled by a screen
of a stopped app (in tests, or after a restart in-process) must still reach its own app.
"""
from __future__ import annotations

from kivy.app import App
from kivy.uix.screenmanager import Screen


class KioskScreen(Screen):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.app = App.get_running_app()

    @property
    def app_running(self) -> bool:
        """False once our app has stopped: kv rules (``app.``) would then resolve to another app."""
        return self.app is App.get_running_app()
