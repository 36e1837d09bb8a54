"""The out-of-service screen: shown when no citizen service can be used, gone when one recovers.

:func:`install` watches device health and the current screen: when every built service is
unusable (all greyed for a fault) and the terminal is on its home screen, this screen replaces
home, says which devices are at fault and gives the hotline from the config. While it shows, the
devices are re-checked often, and the first recovery brings home back by itself. The call-staff
button still works: it needs no device.
"""
from __future__ import annotations

from pathlib import Path

from kivy.clock import Clock
from kivy.lang import Builder
from kivy.properties import StringProperty

from kiosk import functions
from screens.base import KioskScreen
from screens.terminal.call_staff import call_staff
from screens.widgets.tile import Tile  # noqa: F401  (used in the kv file)

Builder.load_file(str(Path(__file__).with_suffix(".kv")))

SCREEN = "out_of_service"
RECHECK_S = 10.0


def is_out_of_service(app) -> bool:
    configured = functions.configured_needs(app.kiosk_config, app.built_backend)
    return functions.out_of_service(functions.TERMINAL_FUNCTIONS, configured, app.device_health)


def faulty_needs(app) -> list[str]:
    """The configured needs of the built services that are at fault now, in declaration order."""
    configured = functions.configured_needs(app.kiosk_config, app.built_backend)
    seen: list[str] = []
    for function in functions.TERMINAL_FUNCTIONS:
        if not (function.service and function.implemented):
            continue
        for need in function.needs_all + function.needs_any:
            if need in configured and need not in seen and functions.need_health(need, app.device_health).is_fault:
                seen.append(need)
    return seen


def install(app) -> None:
    """Follow health and navigation: show this screen instead of home, and leave it on recovery."""

    shown = {"by_us": False}  # only a screen this watcher put up is taken down again by it

    def check(_dt=None) -> None:
        if getattr(app, "_stopped", False) or app.lock_state.locked:
            return
        current = app.manager.current
        down = is_out_of_service(app)
        if down and current == app.home_screen_name:
            app.session.wipe("out_of_service")
            shown["by_us"] = True
            app.show(SCREEN)
        elif not down and current == SCREEN and shown["by_us"]:
            shown["by_us"] = False
            app.go_home()

    trigger = Clock.create_trigger(check)
    app.bind(device_health=trigger)
    app.manager.bind(current=trigger)
    trigger()


class OutOfServiceScreen(KioskScreen):
    faults_text = StringProperty("")

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._recheck = None
        self.app.bind(device_health=lambda *_: self.refresh(), lang=lambda *_: self.refresh())

    def on_pre_enter(self, *_args) -> None:
        self.refresh()
        self.app.say("voice.out_of_service")
        if self._recheck is None:
            self._recheck = Clock.schedule_interval(lambda _dt: self.app.refresh_device_health(), RECHECK_S)

    def on_leave(self, *_args) -> None:
        if self._recheck is not None:
            self._recheck.cancel()
            self._recheck = None

    def refresh(self) -> None:
        if not self.app_running:
            return
        app = self.app
        names = [app.tr(f"device.{need}") for need in faulty_needs(app)]
        self.faults_text = app.tr("out_of_service.faults", faults="、".join(names)) if names else ""

    def call_staff(self) -> None:
        call_staff(self.app)
