"""Drive the real KioskApp in-process: pump frames, tap widgets, take screenshots.

Used by the UI tests and by the screenshot gallery (``kiosk screenshots``): both need the
real app, built as ``App.run`` builds it, but stepped frame by frame from outside.
"""
from __future__ import annotations

import time
from pathlib import Path

from kivy.app import App
from kivy.base import EventLoop
from kivy.core.window import Window
from kivy.tests.common import UnitTestTouch

from screens.app import KioskApp
from screens.screenshot import save_window_png


class UiDriver:
    def __init__(self, app: KioskApp) -> None:
        self.app = app

    @classmethod
    def start(cls, config) -> "UiDriver":
        Window.size = (config.ui.width, config.ui.height)
        app = KioskApp(config)
        app._run_prepare()  # build, add the root to the window, dispatch on_start (what App.run does first)
        driver = cls(app)
        driver.pump(frames=3)
        return driver

    def stop(self) -> None:
        self.app.dispatch("on_stop")
        for child in list(Window.children):
            Window.remove_widget(child)
        App._running_app = None
        self.pump(frames=1)

    def pump(self, seconds: float = 0.0, frames: int = 2) -> None:
        """Run the event loop for at least ``frames`` frames and ``seconds`` seconds."""
        deadline = time.monotonic() + seconds
        done = 0
        while done < frames or time.monotonic() < deadline:
            EventLoop.idle()
            done += 1

    def wait_for(self, condition, timeout: float = 10.0) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if condition():
                return True
            self.pump(frames=1)
            time.sleep(0.01)
        return condition()

    @property
    def screen(self):
        return self.app.manager.current_screen

    def tap_at(self, x: float, y: float) -> None:
        touch = UnitTestTouch(x, y)
        touch.touch_down()
        touch.touch_up()
        self.pump(frames=2)

    def tap(self, widget) -> None:
        x, y = widget.to_window(*widget.center)
        self.tap_at(x, y)

    def key(self, keycode: int) -> bool:
        """Send a key as SDL would; returns True when some handler consumed it."""
        consumed = Window.dispatch("on_keyboard", keycode, 0, "", [])
        self.pump(frames=1)
        return bool(consumed)

    def screenshot(self, path: Path) -> Path:
        self.pump(frames=2)
        return save_window_png(path)

    def find(self, cls_name: str, root=None, **attrs):
        """All widgets of a class name below ``root`` whose attributes equal ``attrs``."""
        root = root or self.app.root
        return [w for w in root.walk(restrict=True) if type(w).__name__ == cls_name
                and all(getattr(w, k, None) == v for k, v in attrs.items())]

    def texts(self, root=None) -> list[str]:
        return [w.text for w in (root or self.screen).walk(restrict=True) if hasattr(w, "text") and w.text]
