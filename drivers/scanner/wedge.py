"""A USB keyboard-wedge scanner read through evdev, grabbed so its keys never reach the UI.

Without the grab, every code a citizen scans would also be typed into whatever text field
Kivy has focused. ``EVIOCGRAB`` gives this process the device exclusively. A pulled cable
makes reads fail with ``ENODEV``; :class:`DeviceReader` then reopens it when it is back.

The device is reached through a small :class:`EventDevice` protocol: evdev for real
hardware, :mod:`drivers.scanner.wedgesim` (raw ``input_event`` structs on a pipe) in
tests, because containers and CI machines have no ``/dev/uinput`` to make a real one.
"""
from __future__ import annotations

import select
from collections.abc import Callable
from typing import Protocol

from drivers.scanner.codes import ScannedCode
from drivers.scanner.keymap import KeyDecoder
from drivers.scanner.reader import DeviceReader, ScannerGone

WEDGE_FORMAT = "Unknown"


class EventDevice(Protocol):
    def fileno(self) -> int: ...

    def grab(self) -> None: ...

    def read_events(self) -> list[tuple[int, int, int]]:
        """Pending ``(type, code, value)`` events; raises OSError when the device is gone."""

    def close(self) -> None: ...


class EvdevDevice:
    """A real input device through python-evdev."""

    def __init__(self, path: str) -> None:
        import evdev

        self._dev = evdev.InputDevice(path)

    def fileno(self) -> int:
        return self._dev.fd

    def grab(self) -> None:
        self._dev.grab()

    def read_events(self) -> list[tuple[int, int, int]]:
        try:
            return [(e.type, e.code, e.value) for e in self._dev.read()]
        except BlockingIOError:
            return []

    def close(self) -> None:
        try:
            self._dev.ungrab()
        except OSError:
            pass  # already gone with the device
        self._dev.close()


class WedgeScanner(DeviceReader):
    name = "wedge-scanner"

    def __init__(self, port: str, on_code: Callable[[ScannedCode], None] | None = None,
                 reconnect_s: float = 1.0, max_chars: int = 4096,
                 device_factory: Callable[[str], EventDevice] = EvdevDevice) -> None:
        super().__init__(port, on_code, reconnect_s)
        self._factory = device_factory
        self._max_chars = max_chars
        self.grabbed = False

    def _open(self) -> EventDevice:
        try:
            device = self._factory(self.port)
        except OSError as exc:
            raise ScannerGone(f"{self.port}: {exc.strerror or exc}") from None
        try:
            device.grab()
        except OSError as exc:
            device.close()
            # Another process holds it: reading it anyway would let keys reach the UI.
            raise ScannerGone(f"{self.port}: cannot grab ({exc.strerror or exc})", "scanner_busy") from None
        self.grabbed = True
        return device

    def _close(self, device: EventDevice) -> None:
        self.grabbed = False
        device.close()

    def _read_from(self, device: EventDevice) -> None:
        decoder = KeyDecoder(self._max_chars)
        while not self.stopping:
            try:
                ready, _, _ = select.select([device.fileno()], [], [], 0.2)
                events = device.read_events() if ready else []
            except (OSError, ValueError) as exc:
                raise ScannerGone(f"{self.port}: {exc}") from None
            for event in events:
                text = decoder.feed(*event)
                if text is not None:
                    self._emit(ScannedCode.from_bytes(text.encode("ascii"), WEDGE_FORMAT, "wedge"))
