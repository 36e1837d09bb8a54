"""A simulated serial line: a raw pseudo-terminal, and a stable path that points at it.

Every serial simulator (SAM reader, hand scanner, window line, receipt printer) needs the same
two steps: a pty whose line discipline is off (a serial line carries bytes: no echo, no CR/LF
translation), and, when asked, a fixed path such as ``/tmp/sam`` re-pointed atomically at the
new pty after each replug, so the config never changes while the device "moves".
"""
from __future__ import annotations

import os
import tty


def open_raw_pty(raw_master: bool = False) -> tuple[int, int, str]:
    """``(master_fd, slave_fd, slave_path)`` of a new pty in raw mode (the master too when asked)."""
    master, slave = os.openpty()
    tty.setraw(slave)
    if raw_master:
        tty.setraw(master)
    return master, slave, os.ttyname(slave)


def point_link(link: str, target: str) -> None:
    """Make ``link`` a symlink to ``target``, replacing any old one atomically."""
    tmp = f"{link}.tmp{os.getpid()}"
    if os.path.lexists(tmp):
        os.unlink(tmp)
    os.symlink(target, tmp)
    os.replace(tmp, link)
