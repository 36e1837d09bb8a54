"""A virtual X display for machines with no screen (CI, a headless demo host)."""
from __future__ import annotations

import os
import select
import shutil
import subprocess

from kiosk.stack.process import terminate


class XvfbError(RuntimeError):
    pass


class Xvfb:
    """Start ``Xvfb`` on a free display number; ``display`` is ``":N"`` once started.

    ``-displayfd`` makes Xvfb choose a free number itself and write it to a pipe when it is
    ready to accept clients, so there is no guessing and no race with a second run.
    """

    def __init__(self, width: int = 1280, height: int = 800, depth: int = 24) -> None:
        self.size = f"{width}x{height}x{depth}"
        self.display = ""
        self.proc: subprocess.Popen | None = None

    def start(self, timeout_s: float = 15.0) -> "Xvfb":
        if shutil.which("Xvfb") is None:
            raise XvfbError("Xvfb not found: apt-get install xvfb")
        read_fd, write_fd = os.pipe()
        try:
            self.proc = subprocess.Popen(
                ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", self.size, "-ac", "+extension", "GLX",
                 "-nolisten", "tcp", "-noreset"],
                pass_fds=(write_fd,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        finally:
            os.close(write_fd)
        try:
            ready, _, _ = select.select([read_fd], [], [], timeout_s)
            number = os.read(read_fd, 64).decode().strip() if ready else ""
        finally:
            os.close(read_fd)
        if not number.isdigit():
            self.stop()
            raise XvfbError("Xvfb did not start")
        self.display = f":{number}"
        return self

    def env(self, base: dict[str, str] | None = None) -> dict[str, str]:
        env = dict(os.environ if base is None else base)
        env["DISPLAY"] = self.display
        return env

    def stop(self) -> None:
        if self.proc is not None:
            terminate(self.proc, grace_s=5)
        self.proc = None

    def __enter__(self) -> "Xvfb":
        return self.start()

    def __exit__(self, *_exc) -> None:
        self.stop()
