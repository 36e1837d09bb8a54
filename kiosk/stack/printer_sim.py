"""Launcher for the virtual receipt printer (``kiosk sim printer``), for the demo and the tests.

It runs the simulator as a child process (its own process group, like every launcher),
waits until it prints ``READY``, and then knows the print address to put in a terminal
config (``printer.port = launcher.port``), the control port to inject faults with, and the
folder where each job's PNG lands.
"""
from __future__ import annotations

import json
import socket
import sys
import tempfile
import time
from pathlib import Path

from kiosk.stack.process import ManagedProcess


class VirtualPrinterError(RuntimeError):
    pass


def sim_main(argv: list[str]) -> int:
    """``kiosk sim printer``: the driver's simulator with the kiosk's CJK font for its PNGs."""
    from drivers.printer.virtual.server import main

    if "--font" not in argv:
        from kiosk.fonts import FontNotFound, find_cjk_font

        try:
            font = find_cjk_font()
            argv = [*argv, "--font", str(font.path), "--font-index", str(font.face_index)]
        except FontNotFound as exc:
            print(f"WARNING {exc}; PNGs will show boxes for Chinese", flush=True)
    return main(argv)


class VirtualPrinterLauncher:
    """``with VirtualPrinterLauncher(out_dir) as vp: ... vp.port ... vp.control("paper-out")``."""

    def __init__(self, out_dir: Path | None = None, port: int = 0, paper_width_mm: int = 80,
                 pty: bool = False, extra_args: list[str] | None = None) -> None:
        self.out_dir = Path(out_dir) if out_dir else Path(tempfile.mkdtemp(prefix="virtual-printer-"))
        self.requested_port = port
        self.paper_width_mm = paper_width_mm
        self.pty = pty
        self.extra_args = extra_args or []
        self.port = ""  # "127.0.0.1:NNNN" once started: the value for printer.port in a config
        self.pty_path = ""
        self.control_address: tuple[str, int] = ("", 0)
        self._process: ManagedProcess | None = None

    @property
    def pid(self) -> int:
        """The simulator's process id (SIGUSR1 = paper out, SIGUSR2 = new roll)."""
        return self._process.proc.pid if self._process and self._process.proc else 0

    @property
    def log_path(self) -> Path:
        return self.out_dir / "virtual-printer.log"

    def start(self, timeout_s: float = 20.0) -> "VirtualPrinterLauncher":
        self.out_dir.mkdir(parents=True, exist_ok=True)
        self.log_path.unlink(missing_ok=True)
        command = [sys.executable, "-m", "kiosk.cli", "sim", "printer", "--port", str(self.requested_port),
                   "--out", str(self.out_dir), "--paper-width", str(self.paper_width_mm), *self.extra_args]
        if self.pty:
            command.append("--pty")
        self._process = ManagedProcess("virtual-printer", command, log_path=self.log_path).start()
        self._wait_ready(timeout_s)
        return self

    def _wait_ready(self, timeout_s: float) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            lines = self.log_path.read_text(encoding="utf-8", errors="replace").splitlines() \
                if self.log_path.exists() else []
            fields = dict(line.split(" ", 1) for line in lines if " " in line)
            if "READY" in lines:
                self.port = fields["LISTEN"]
                host, _, cport = fields["CONTROL"].rpartition(":")
                self.control_address = (host, int(cport))
                self.pty_path = fields.get("PTY", "")
                return
            if self._process is None or not self._process.running():
                break
            time.sleep(0.05)
        self.stop()
        tail = self.log_path.read_text(errors="replace")[-500:] if self.log_path.exists() else ""
        raise VirtualPrinterError(f"virtual printer did not start: {tail}")

    def control(self, command: str) -> dict:
        """Send one control command (``cover open``, ``paper-out``, ``clear``...) and return its answer."""
        with socket.create_connection(self.control_address, timeout=5) as sock:
            sock.sendall(command.encode("utf-8") + b"\n")
            with sock.makefile("r", encoding="utf-8") as stream:
                answer = json.loads(stream.readline())
        if not answer.get("ok"):
            raise VirtualPrinterError(answer.get("error", "control command failed"))
        return answer

    def jobs(self) -> list[dict]:
        """Every job printed so far (text, QR payloads, PNG path), oldest first."""
        return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(self.out_dir.glob("job-*.json"))]

    def wait_for_jobs(self, count: int, timeout_s: float = 10.0) -> list[dict]:
        """Jobs once there are ``count``: a printer without a cutter ends a job only when the
        connection closes, which the simulator sees a moment after the client returns."""
        deadline = time.monotonic() + timeout_s
        while len(jobs := self.jobs()) < count:
            if time.monotonic() > deadline:
                raise VirtualPrinterError(f"{len(jobs)} jobs after {timeout_s} s, expected {count}")
            time.sleep(0.05)
        return jobs

    def stop(self) -> None:
        if self._process is not None:
            self._process.stop(grace_s=5)
            self._process = None

    def __enter__(self) -> "VirtualPrinterLauncher":
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()
