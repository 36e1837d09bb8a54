"""Kivy settings that must be in place before ``kivy.core.window`` is imported.

Kivy reads its window configuration once, when the window module is first imported, so
the entry point calls :func:`configure_kivy` with the device config before anything else
from Kivy is loaded.
"""
from __future__ import annotations

import os
from pathlib import Path

from kiosk.config import KioskConfig


def configure_kivy(config: KioskConfig) -> None:
    kivy_home = Path(config.paths.data_dir) / "kivy"
    kivy_home.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("KIVY_HOME", str(kivy_home.resolve()))
    os.environ.setdefault("KIVY_NO_ARGS", "1")
    os.environ.setdefault("KIVY_NO_FILELOG", "1")
    os.environ.setdefault("KIVY_LOG_MODE", "PYTHON")  # our masked log handlers, and stderr left alone

    from kivy.config import Config

    ui = config.ui
    Config.set("kivy", "exit_on_escape", "0")  # Esc never leaves a public kiosk
    Config.set("kivy", "pause_on_minimize", "0")
    Config.set("kivy", "window_icon", "")
    Config.set("input", "mouse", "mouse,disable_multitouch")  # no red multitouch dots on right-click
    Config.set("graphics", "width", str(ui.width))
    Config.set("graphics", "height", str(ui.height))
    Config.set("graphics", "fullscreen", "auto" if ui.fullscreen else "0")
    Config.set("graphics", "borderless", "1" if ui.borderless else "0")
    Config.set("graphics", "show_cursor", "1" if ui.show_cursor else "0")
    Config.set("graphics", "resizable", "0")
    if ui.left is not None and ui.top is not None:
        Config.set("graphics", "position", "custom")
        Config.set("graphics", "left", str(ui.left))
        Config.set("graphics", "top", str(ui.top))
