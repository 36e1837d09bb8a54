"""``kiosk sim scanner`` as a child process, for the demo and end-to-end tests.

Uses the shared :class:`SimulatorProcess` plumbing: the simulator prints ``PTY <path>``
(and ``LINK <path>``), then answers each stdin command with one line (``replug`` with the
new ``PTY <path>``). Configure ``devices.scanner.port = launcher.path``: the symlink when
``link`` is given, which stays the same across unplug/replug.
"""
from __future__ import annotations

import sys
from collections.abc import Sequence

from kiosk.stack.idcard_sim import SimulatorError, SimulatorProcess

__all__ = ["ScannerSimulatorProcess", "SimulatorError"]


class ScannerSimulatorProcess(SimulatorProcess):
    name = "scanner"

    def __init__(self, link: str | None = None, codes: Sequence[str] = (), interval_s: float = 5.0,
                 suffix: str = "\\r\\n", args: Sequence[str] = (), python: str = sys.executable,
                 env: dict[str, str] | None = None) -> None:
        extra = [a for code in codes for a in ("--code", code)]
        extra += ["--interval", str(interval_s), "--suffix", suffix] + (["--link", link] if link else [])
        super().__init__(list(args) + extra, python, env)
        self.link = link
        self.pty_path = ""

    @property
    def path(self) -> str:
        return self.link or self.pty_path

    def ready(self, line: str) -> None:
        if not line.startswith("PTY "):
            raise SimulatorError(f"kiosk sim scanner did not start (said {line!r})")
        self.pty_path = line[4:].strip()
        if self.link:
            self.read_line(15.0)  # "LINK <path>"

    def scan(self, text: str) -> None:
        self.send(f"scan {text}")

    def scan_gbk(self, text: str) -> None:
        self.send(f"scan-gbk {text}")

    def scan_hex(self, payload: bytes) -> None:
        self.send(f"scan-hex {payload.hex()}")

    def unplug(self) -> None:
        self.send("unplug")

    def replug(self) -> None:
        reply = self.send("replug")
        if reply.startswith("PTY "):
            self.pty_path = reply[4:].strip()
