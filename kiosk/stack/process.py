"""A child process owned by the demo or a test, stopped cleanly with its whole group."""
from __future__ import annotations

import os
import signal
import subprocess
from collections.abc import Sequence
from pathlib import Path


def terminate(proc: subprocess.Popen, grace_s: float = 10.0, group: bool = False) -> int | None:
    """SIGTERM, then SIGKILL after ``grace_s``; ``group`` signals the child's whole process group."""
    if proc.poll() is not None:
        return proc.returncode

    def send(sig: int) -> None:
        try:
            if group:
                os.killpg(proc.pid, sig)
            else:
                proc.send_signal(sig)
        except ProcessLookupError:
            pass

    send(signal.SIGTERM)
    try:
        return proc.wait(grace_s)
    except subprocess.TimeoutExpired:
        send(signal.SIGKILL)
        return proc.wait()


class ManagedProcess:
    """Start a command in its own process group; ``stop()`` sends SIGTERM, then SIGKILL.

    Its own group means Ctrl-C in the demo's terminal reaches only the demo, which then
    stops the children in order (UI first, server last) instead of all dying at once.
    """

    def __init__(self, name: str, command: Sequence[str], env: dict[str, str] | None = None,
                 log_path: Path | None = None, cwd: Path | None = None) -> None:
        self.name = name
        self.command = list(command)
        self.env = env
        self.log_path = log_path
        self.cwd = cwd
        self.proc: subprocess.Popen | None = None
        self._log_file = None

    def start(self) -> "ManagedProcess":
        stdout = subprocess.DEVNULL
        if self.log_path is not None:
            self.log_path.parent.mkdir(parents=True, exist_ok=True)
            self._log_file = open(self.log_path, "ab")
            stdout = self._log_file
        self.proc = subprocess.Popen(self.command, env=self.env, cwd=self.cwd, stdout=stdout,
                                     stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
        return self

    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def stop(self, grace_s: float = 10.0) -> int | None:
        if self.proc is None:
            return None
        terminate(self.proc, grace_s, group=True)
        if self._log_file is not None:
            self._log_file.close()
            self._log_file = None
        return self.proc.returncode

    def __enter__(self) -> "ManagedProcess":
        return self.start()

    def __exit__(self, *_exc) -> None:
        self.stop()
