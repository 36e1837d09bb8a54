"""Starting the UI child with its heartbeat pipe.

Kept apart from :mod:`kiosk.liveness` and light on imports on purpose: ``kiosk run`` starts
the UI with this before it imports anything else (logging, the supervisor, pydantic), so the
child's cold start overlaps the parent's own (bench/startup.py).
"""
from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Callable, Sequence
from typing import NamedTuple


class Spawned(NamedTuple):
    child: subprocess.Popen
    read_fd: int  # the supervisor's end of the heartbeat pipe
    started_at: float


def spawn_ui(command: Sequence[str], env: dict[str, str] | None = None,
             clock: Callable[[], float] = time.monotonic) -> Spawned:
    """Start ``command --heartbeat-fd N`` with the write end of a fresh pipe (non-blocking, so a
    supervisor that stopped reading can never freeze the UI)."""
    read_fd, write_fd = os.pipe()
    os.set_blocking(write_fd, False)
    try:
        child = subprocess.Popen([*command, "--heartbeat-fd", str(write_fd)], pass_fds=(write_fd,), env=env)
    finally:
        os.close(write_fd)
    return Spawned(child, read_fd, clock())
