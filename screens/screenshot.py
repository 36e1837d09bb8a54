"""Saving what the window shows as a PNG, under a name we choose.

Kivy's ``Window.screenshot`` appends a counter to the file name; the demo and the docs want
a stable name that is replaced atomically, so a viewer never sees a half-written file.
"""
from __future__ import annotations

import os
from pathlib import Path

from kivy.core.window import Window
from kivy.graphics.opengl import GL_RGB, GL_UNSIGNED_BYTE, glReadPixels


def save_window_png(path: Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    width, height = Window.size
    data = glReadPixels(0, 0, width, height, GL_RGB, GL_UNSIGNED_BYTE)
    tmp = path.with_name(f".{path.stem}.tmp.png")
    Window._win.save_bytes_in_png(str(tmp), data, width, height)
    os.replace(tmp, path)
    return path
