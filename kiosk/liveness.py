"""The supervisor that keeps the UI alive: ``kiosk run`` is the parent of the Kivy process.

The UI writes one byte to a pipe on every tick of its own main loop (once a second). When
no byte arrives for ``stall_timeout_s`` the UI is frozen - a deadlock, a GL hang, a
stopped process - and is killed and started again; so is a UI whose memory passes
``max_rss_mb`` (a slow leak over months). Every restart is logged with its reason. A crash
is restarted with exponential back-off so a broken install does not spin the CPU; a UI that
asks for a restart (exit code 3, from the maintenance screen) is started again at once.
"""
from __future__ import annotations

import logging
import os
import select
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from kiosk.exit_codes import EXIT_CONFIG_ERROR, EXIT_RESTART
from kiosk.ui_process import Spawned, spawn_ui

log = logging.getLogger(__name__)

STARTUP_GRACE_FACTOR = 2  # the first tick may take longer: Kivy, GL and fonts load


@dataclass(frozen=True)
class Limits:
    stall_timeout_s: float = 30.0
    max_rss_mb: int = 1024
    restart_backoff_s: float = 2.0
    max_backoff_s: float = 60.0


@dataclass(frozen=True)
class ChildEnd:
    """How one run of the child ended, as the supervisor saw it."""

    reason: str  # "exited", "stalled", "memory", "stopped"
    returncode: int | None
    detail: str = ""


def rss_mb(pid: int) -> float | None:
    """Resident memory of a process in MB, from /proc (no psutil needed in the parent)."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


class Supervisor:
    """Run ``command`` (with ``--heartbeat-fd N`` appended) and keep it alive."""

    def __init__(self, command: Sequence[str], limits: Limits, env: dict[str, str] | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.command = list(command)
        self.limits = limits
        self.env = env
        self.clock = clock
        self.restarts = 0
        self.ends: list[ChildEnd] = []
        self._stop = threading.Event()

    def stop(self) -> None:
        """Ask the loop to end: the child gets SIGTERM and the supervisor returns."""
        self._stop.set()

    def install_signal_handlers(self) -> None:
        for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(sig, lambda *_: self.stop())

    def run(self, max_runs: int | None = None, first: "Spawned | None" = None) -> int:
        """Supervise until stopped (or ``max_runs`` children have ended); returns the last exit code.

        ``first`` is a child already started with :meth:`spawn` (``kiosk run`` starts the UI
        before validating the config itself, so both happen at once on two cores).
        """
        backoff = self.limits.restart_backoff_s
        runs = 0
        last_code = 0
        while not self._stop.is_set():
            started = self.clock()
            end = self.watch(first or self.spawn())
            first = None
            self.ends.append(end)
            runs += 1
            last_code = end.returncode if end.returncode is not None else 1
            if end.reason == "stopped":
                return 0  # asked to stop (SIGTERM, Ctrl-C): that is a clean end, however the UI went
            if max_runs is not None and runs >= max_runs:
                break
            if end.reason == "exited" and end.returncode == 0:
                log.info("UI exited normally; not restarting")
                break
            if end.reason == "exited" and end.returncode == EXIT_CONFIG_ERROR:
                log.error("UI refused its config; not restarting")
                break
            self.restarts += 1
            if end.reason == "exited" and end.returncode == EXIT_RESTART:
                log.info("UI asked to be restarted")
                backoff = self.limits.restart_backoff_s
                continue
            ran_for = self.clock() - started
            if ran_for > 10 * self.limits.stall_timeout_s:
                backoff = self.limits.restart_backoff_s  # it ran well for a while: start over gently
            log.warning("restarting the UI in %.1f s (%s)", backoff, end.detail or end.reason)
            if self._stop.wait(backoff):
                break
            backoff = min(backoff * 2, self.limits.max_backoff_s)
        return last_code

    def spawn(self) -> "Spawned":
        """Start the child with the write end of a fresh heartbeat pipe."""
        return spawn_ui(self.command, self.env, self.clock)

    def watch(self, spawned: "Spawned") -> ChildEnd:
        """Watch one child until it ends or must be ended; closes its pipe."""
        log.info("UI started (pid %d)", spawned.child.pid)
        try:
            return self._watch(spawned.child, spawned.read_fd, spawned.started_at)
        finally:
            os.close(spawned.read_fd)

    def _watch(self, child: subprocess.Popen, read_fd: int, started_at: float) -> ChildEnd:
        limits = self.limits
        last_beat = started_at
        grace = limits.stall_timeout_s * STARTUP_GRACE_FACTOR
        beats = 0
        pipe_open = True
        while True:
            if self._stop.is_set():
                code = self._terminate(child)
                return ChildEnd("stopped", code, "supervisor stopped")
            if pipe_open:
                ready, _, _ = select.select([read_fd], [], [], 0.25)
                if ready:
                    data = os.read(read_fd, 4096)
                    if data:
                        beats += len(data)
                        last_beat = self.clock()
                    else:
                        pipe_open = False  # the child closed its end: it is exiting
            else:
                time.sleep(0.05)
            code = child.poll()
            if code is not None:
                detail = f"exit code {code}" if code >= 0 else f"killed by signal {-code}"
                if code not in (0, EXIT_RESTART):
                    log.error("UI ended unexpectedly: %s", detail)
                return ChildEnd("exited", code, detail)
            allowed = limits.stall_timeout_s if beats else grace
            silent_for = self.clock() - last_beat
            if silent_for > allowed:
                log.error("UI stalled: no heartbeat for %.1f s (limit %.1f s); killing pid %d",
                          silent_for, allowed, child.pid)
                self._terminate(child, kill_at_once=True)
                return ChildEnd("stalled", child.returncode, f"no heartbeat for {silent_for:.1f} s")
            memory = rss_mb(child.pid)
            if memory is not None and memory > limits.max_rss_mb:
                log.error("UI memory %.0f MB is over the limit of %d MB; restarting pid %d",
                          memory, limits.max_rss_mb, child.pid)
                self._terminate(child)
                return ChildEnd("memory", child.returncode, f"memory {memory:.0f} MB > {limits.max_rss_mb} MB")

    @staticmethod
    def _terminate(child: subprocess.Popen, kill_at_once: bool = False, grace_s: float = 5.0) -> int | None:
        """SIGTERM then SIGKILL; a frozen (possibly SIGSTOPped) child is killed outright."""
        if child.poll() is not None:
            return child.returncode
        if kill_at_once:
            child.kill()
        else:
            child.terminate()
            try:
                return child.wait(grace_s)
            except subprocess.TimeoutExpired:
                child.kill()
        return child.wait()
