"""The base of every terminal journey screen: backend calls off the UI thread, busy and error states.

Every content-backend call blocks (HTTP), so :meth:`JourneyScreen.run` runs it in a worker
thread and brings the result back with ``Clock.schedule_once``; meanwhile ``busy`` shows a
spinner. A :class:`kiosk.backend.base.BackendError` becomes a translated message with a retry
button; anything else is logged and shown as a generic message: never a traceback or a
frozen screen. An answer that arrives after the citizen left (or the session was wiped) is
dropped, so it cannot bring personal data back onto a screen.
"""
from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kivy.clock import Clock
from kivy.lang import Builder
from kivy.properties import BooleanProperty, ObjectProperty, StringProperty
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.togglebutton import ToggleButton

from kiosk.backend.base import BackendError
from kiosk.i18n import DEFAULT_LANGUAGE, catalog
from kiosk.journeys.printing import PrintError
from screens.base import KioskScreen
from screens.widgets.keypad import DigitKeypad  # noqa: F401  (KeypadKey, used in the kv files)
from screens.widgets.page import Page  # noqa: F401  (used in the kv files)

log = logging.getLogger(__name__)


class GroupButton(ToggleButton):
    """A department, life event or mode choice; ``chosen`` drives the look."""

    code = StringProperty("")
    chosen = BooleanProperty(False)


class ItemButton(ButtonBehavior, BoxLayout):
    """A result row: a title, a detail line, and the record it stands for."""

    text = StringProperty("")
    detail = StringProperty("")
    code = StringProperty("")
    record = ObjectProperty(None, allownone=True)


Builder.load_file(str(Path(__file__).with_suffix(".kv")))


def error_text(app, reason: str) -> str:
    """``journey.error.<reason>`` when there is such a message, else the generic one."""
    key = f"journey.error.{reason}"
    return app.tr(key if key in catalog(DEFAULT_LANGUAGE) else "journey.error.generic")


def say(app, key: str) -> None:
    """Speak a step's prompt (长者模式 only); older apps without voice simply stay silent."""
    speak = getattr(app, "say", None)
    if speak is not None:
        speak(key)


class JourneyScreen(KioskScreen):
    """``busy`` while a backend call runs; ``error`` holds the message of the last failure."""

    busy = BooleanProperty(False)
    error = StringProperty("")
    voice_key = ""  # spoken when the screen opens

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._call: object | None = None
        self._retry: Callable[[], None] | None = None
        self.app.bind(on_stop=lambda *_: self.stop_work())

    def stop_work(self) -> None:
        """The app stops: end threads, timers and animations this screen started."""
        self._call = None

    def on_pre_enter(self, *_args) -> None:
        self.error = ""
        if self.voice_key:
            say(self.app, self.voice_key)

    def on_leave(self, *_args) -> None:
        """Forget the pending call and everything shown: the next visitor sees nothing of this one."""
        self._call = None
        self._retry = None
        self.busy = False
        self.error = ""
        self.clear()

    def clear(self) -> None:
        """Drop the data this screen shows; subclasses with personal data override it."""

    def run(self, work: Callable[[], Any], done: Callable[[Any], None], fail: Callable[[str], None] | None = None) -> None:
        """Call ``work()`` in a worker thread; ``done(result)`` or an error message back on the UI thread."""
        call = object()
        self._call = call
        self._retry = lambda: self.run(work, done, fail)
        self.busy = True
        self.error = ""

        def worker() -> None:
            result, reason = None, ""
            try:
                result = work()
            except (BackendError, PrintError) as exc:
                reason = exc.reason
                log.info("journey step refused: %s", exc.reason)
            except Exception:
                log.exception("journey step failed")
                reason = "generic"
            Clock.schedule_once(lambda _dt: self._finish(call, result, reason, done, fail), 0)

        threading.Thread(target=worker, name=f"journey-{self.name}", daemon=True).start()

    def _finish(self, call: object, result: Any, reason: str, done: Callable[[Any], None],
                fail: Callable[[str], None] | None) -> None:
        if call is not self._call or not self.app_running:
            return  # the citizen left, or the session was wiped: drop the late answer
        self.busy = False
        if reason:
            self.error = error_text(self.app, reason)
            if fail is not None:
                fail(reason)
            return
        done(result)

    def retry(self) -> None:
        if self._retry is not None:
            self._retry()

    def home(self) -> None:
        """Leave the journey without a transaction: nothing to rate, the session ends."""
        self.app.finish_session("cancelled")

    def finish(self, journey: str, case_no: str = "", item_name: str = "") -> None:
        """The journey is done: ask for a rating (which ends the session)."""
        from screens.terminal.flow import ask_rating

        ask_rating(self.app, journey, case_no, item_name)
