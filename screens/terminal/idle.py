"""The idle countdown on every journey screen, and 长者模式's slower timeout.

The app wipes the session when ``session.idle_timeout_s`` has passed without a touch (see
``KioskApp._tick``); this watcher keeps that timeout in step with the mode (×1.5 for older
citizens) and, in the last seconds, asks whether more time is needed. Home has nothing to
lose, so it gets no dialog.
"""
from __future__ import annotations

from kivy.clock import Clock

from kiosk.events import SessionWiped
from kiosk.journeys.idle import IdlePolicy
from screens.widgets.countdown import CountdownDialog

CHECK_S = 0.5
QUIET_SCREENS = ("home", "locked", "out_of_service", "maintenance", "maintenance_pin")


class IdleWatcher:
    def __init__(self, app, policy: IdlePolicy) -> None:
        self.app = app
        self.policy = policy
        self.dialog: CountdownDialog | None = None
        self._elderly = False  # the mode the session's timeout was last scaled for

    def check(self, *_args) -> None:
        app = self.app
        session = app.session
        if app.elderly != self._elderly:  # scale the session's own timeout (others may set it too)
            factor = self.policy.elderly_factor
            session.idle_timeout_s = session.idle_timeout_s * factor if app.elderly else session.idle_timeout_s / factor
            self._elderly = app.elderly
        base = session.idle_timeout_s / (self.policy.elderly_factor if app.elderly else 1.0)
        self.policy = IdlePolicy(base, self.policy.countdown_s, self.policy.elderly_factor)
        quiet = not session.active or app.manager.current in QUIET_SCREENS
        state, seconds = ("active", 0) if quiet else self.policy.state(session.idle_for(), app.elderly)
        if state == "warning":
            self._warn(seconds)
        else:
            self._close()

    def _warn(self, seconds: int) -> None:
        if self.dialog is None:
            self.dialog = CountdownDialog()
            self.dialog.bind(on_more=lambda *_: self.more_time(), on_end=lambda *_: self.end())
            self.dialog.open(animation=False)
            self.app.say("voice.idle_warning")  # silent outside 长者模式
        self.dialog.seconds = seconds

    def _close(self) -> None:
        if self.dialog is not None:
            self.dialog.dismiss(animation=False)
            self.dialog = None

    def more_time(self) -> None:
        self.app.session.touch()
        self._close()

    def session_wiped(self, _event) -> None:
        """Close the countdown in the frame that shows home, not at the next ``check``."""
        Clock.schedule_once(lambda _dt: self._close(), 0)

    def end(self) -> None:
        self._close()
        self.app.finish_session("ended_by_citizen")


def install(app) -> IdleWatcher:
    from screens.terminal.flow import idle_policy

    watcher = IdleWatcher(app, idle_policy(app))
    app._idle_watcher = watcher
    app._schedule(watcher.check, CHECK_S)
    app.bus.subscribe(SessionWiped, watcher.session_wiped)
    return watcher
