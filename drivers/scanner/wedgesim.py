"""A simulated keyboard-wedge scanner: raw ``input_event`` structs on a pipe.

The kernel hands evdev readers ``struct input_event`` records (``timeval``, ``__u16 type``,
``__u16 code``, ``__s32 value``: ``llHHi`` on 64-bit Linux). This simulator writes exactly
those records, and its reader side parses them, so a :class:`WedgeScanner` under test goes
through the same decoding as with a real scanner; only open and grab are simulated.
``unplug()`` closes the pipe, which the reader sees like a device that vanished.
"""
from __future__ import annotations

import errno
import os
import struct
import threading
import time

from drivers.scanner.keymap import events_for

INPUT_EVENT = struct.Struct("llHHi")
EV_SYN = 0


class SimulatedWedge:
    """The scanner end: ``type_code("ABC")`` types a code and presses Enter."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._read_fd: int | None = None
        self._write_fd: int | None = None
        self.plugged = False
        self.grabs = 0
        self.opens = 0
        self.replug()

    def replug(self) -> None:
        with self._lock:
            self._read_fd, self._write_fd = os.pipe()
            self.plugged = True

    def unplug(self) -> None:
        with self._lock:
            self.plugged = False
            if self._write_fd is not None:
                os.close(self._write_fd)
                self._write_fd = None

    def type_code(self, text: str) -> None:
        records = []
        for ev_type, code, value in events_for(text):
            now = time.time()
            sec, usec = int(now), int((now % 1) * 1e6)
            records.append(INPUT_EVENT.pack(sec, usec, ev_type, code, value))
            records.append(INPUT_EVENT.pack(sec, usec, EV_SYN, 0, 0))
        with self._lock:
            if self._write_fd is None:
                raise OSError(errno.ENODEV, "simulated scanner is unplugged")
            os.write(self._write_fd, b"".join(records))

    def open(self, path: str) -> "PipeEventDevice":
        """The ``device_factory`` for :class:`WedgeScanner`."""
        with self._lock:
            if not self.plugged or self._read_fd is None:
                raise OSError(errno.ENOENT, "No such device", path)
            fd, self._read_fd = self._read_fd, None
            self.opens += 1
        return PipeEventDevice(fd, self)


class PipeEventDevice:
    """The reader end, parsing ``input_event`` records like evdev does."""

    def __init__(self, fd: int, sim: SimulatedWedge) -> None:
        self._fd = fd
        self._sim = sim
        self._pending = b""

    def fileno(self) -> int:
        return self._fd

    def grab(self) -> None:
        self._sim.grabs += 1

    def read_events(self) -> list[tuple[int, int, int]]:
        data = os.read(self._fd, 4096)
        if not data:
            raise OSError(errno.ENODEV, "No such device")
        self._pending += data
        count = len(self._pending) // INPUT_EVENT.size
        events = [INPUT_EVENT.unpack_from(self._pending, i * INPUT_EVENT.size)[2:] for i in range(count)]
        self._pending = self._pending[count * INPUT_EVENT.size:]
        return events

    def close(self) -> None:
        try:
            os.close(self._fd)
        except OSError:
            pass
