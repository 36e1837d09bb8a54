"""Simulators as child processes (``kiosk sim NAME``), for the demo and end-to-end tests.

A simulator prints one ready line (``PTY <path>`` for serial devices) and then takes
control lines on stdin (``place zhang``, ``remove``, ``unplug``, ``scan TEXT`` ...),
answering each with one line. :class:`SimulatorProcess` is that plumbing;
:class:`PtySimulatorProcess` adds the serial devices' path: with ``link`` set, the path stays
the same across unplug/replug (a symlink to the current pty), and that path is what a config
file should name.
"""
from __future__ import annotations

import os
import queue
import subprocess
import sys
import threading
from collections.abc import Sequence


class SimulatorError(RuntimeError):
    pass


class SimulatorProcess:
    """``python -m kiosk.cli sim NAME ARGS`` with a line-based control channel."""

    name = ""

    def __init__(self, args: Sequence[str] = (), python: str = sys.executable,
                 env: dict[str, str] | None = None) -> None:
        self.args = list(args)
        self.python = python
        self.env = env
        self.proc: subprocess.Popen[str] | None = None
        self._lines: queue.Queue[str] = queue.Queue()

    def command(self) -> list[str]:
        return [self.python, "-m", "kiosk.cli", "sim", self.name] + self.args

    def ready(self, line: str) -> None:
        """Check the simulator's first line; raise :class:`SimulatorError` if it is wrong."""

    def start(self, timeout_s: float = 15.0):
        env = dict(os.environ if self.env is None else self.env)
        env.setdefault("PYTHONUNBUFFERED", "1")
        self.proc = subprocess.Popen(self.command(), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL, text=True, encoding="utf-8", env=env,
                                     start_new_session=True)
        # A reader thread, because select() cannot see lines already in the pipe's buffer.
        threading.Thread(target=self._pump, args=(self.proc.stdout,), daemon=True).start()
        try:
            self.ready(self.read_line(timeout_s))
        except SimulatorError:
            self.stop()
            raise
        return self

    def send(self, line: str, timeout_s: float = 5.0) -> str:
        """Send one control line and return the simulator's one-line answer."""
        if self.proc is None or self.proc.stdin is None:
            raise SimulatorError("simulator not running")
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()
        reply = self.read_line(timeout_s)
        if reply.startswith("ERR"):
            raise SimulatorError(reply)
        return reply

    def _pump(self, stream) -> None:
        for line in stream:
            self._lines.put(line.strip())
        self._lines.put("")

    def read_line(self, timeout_s: float) -> str:
        try:
            return self._lines.get(timeout=timeout_s)
        except queue.Empty:
            raise SimulatorError(f"no answer from kiosk sim {self.name}") from None

    def stop(self) -> None:
        proc, self.proc = self.proc, None
        if proc is None:
            return
        if proc.poll() is None:
            try:
                assert proc.stdin is not None
                proc.stdin.write("quit\n")
                proc.stdin.flush()
                proc.wait(5)
            except (OSError, subprocess.TimeoutExpired, AssertionError):
                proc.kill()
                proc.wait()
        if proc.stdin is not None:
            try:
                proc.stdin.close()
            except OSError:
                pass

    def __enter__(self):
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()


class PtySimulatorProcess(SimulatorProcess):
    """A simulator of a serial device: its first line is ``PTY <path>`` (then ``LINK <path>``)."""

    def __init__(self, args: Sequence[str] = (), link: str | None = None, python: str = sys.executable,
                 env: dict[str, str] | None = None) -> None:
        super().__init__(list(args) + (["--link", link] if link else []), python, env)
        self.link = link
        self.pty_path = ""

    @property
    def path(self) -> str:
        """The path to configure as the device's port."""
        return self.link or self.pty_path

    def ready(self, line: str) -> None:
        if not line.startswith("PTY "):
            raise SimulatorError(f"kiosk sim {self.name} did not start (said {line!r})")
        self.pty_path = line[4:].strip()
        if self.link:
            self.read_line(15.0)  # "LINK <path>"

    def unplug(self) -> None:
        """The USB-serial adapter is pulled: the pty goes away (the link dangles)."""
        self.send("unplug")

    def replug(self) -> None:
        """Plugged in again: a new pty, the same link path."""
        reply = self.send("replug")
        if reply.startswith("PTY "):
            self.pty_path = reply[4:].strip()
