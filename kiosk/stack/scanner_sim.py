"""``kiosk sim scanner`` as a child process, for the demo and end-to-end tests.

Uses the shared :class:`SimulatorProcess` plumbing: the simulator prints ``PTY <path>``
(and ``LINK <path>``), then answers each stdin command with one line (``replug`` with the
new ``PTY <path>``). Configure ``devices.scanner.port = launcher.path``: the symlink when
``link`` is given, which stays the same across unplug/replug.
"""
from __future__ import annotations

import sys
from collections.abc import Sequence

from kiosk.stack.sim_process import PtySimulatorProcess, SimulatorError

__all__ = ["ScannerSimulatorProcess", "SimulatorError"]


class ScannerSimulatorProcess(PtySimulatorProcess):
    name = "scanner"

    def __init__(self, link: str | None = None, codes: Sequence[str] = (), interval_s: float = 5.0,
                 suffix: str = "\\r\\n", args: Sequence[str] = (), python: str = sys.executable,
                 env: dict[str, str] | None = None) -> None:
        extra = [a for code in codes for a in ("--code", code)]
        extra += ["--interval", str(interval_s), "--suffix", suffix]
        super().__init__(list(args) + extra, link, python, env)

    def scan(self, text: str) -> None:
        self.send(f"scan {text}")

    def scan_gbk(self, text: str) -> None:
        self.send(f"scan-gbk {text}")

    def scan_hex(self, payload: bytes) -> None:
        self.send(f"scan-hex {payload.hex()}")
