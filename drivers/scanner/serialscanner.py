"""A barcode/QR scanner on a (USB-)serial port, read with pyserial.

Codes end with the configured suffix (CR/LF by default, see :mod:`lines`). Unplugging
and re-plugging is handled by :class:`DeviceReader`.
"""
from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from drivers.scanner.codes import ScannedCode
from drivers.scanner.lines import LineSplitter
from drivers.scanner.reader import DeviceReader, ScannerGone

# A serial scanner does not say which symbology it read (unless set to send an AIM prefix).
SERIAL_FORMAT = "Unknown"


class SerialScanner(DeviceReader):
    name = "serial-scanner"

    def __init__(self, port: str, baudrate: int = 9600, suffix: str = "\r\n",
                 on_code: Callable[[ScannedCode], None] | None = None, reconnect_s: float = 1.0,
                 max_bytes: int = 4096) -> None:
        super().__init__(port, on_code, reconnect_s)
        self.baudrate = baudrate
        self._splitter = LineSplitter(suffix, max_bytes)

    def _open(self) -> Any:
        import serial

        if not os.path.exists(self.port):
            raise ScannerGone(f"{self.port} does not exist (unplugged?)")
        try:
            return serial.Serial(self.port, self.baudrate, timeout=0.2, exclusive=True)
        except (serial.SerialException, OSError) as exc:
            # The port is there but cannot be opened: another program holds it.
            raise ScannerGone(f"{self.port}: {exc}", "scanner_busy") from None

    def _read_from(self, link: Any) -> None:
        import serial

        self._splitter.clear()
        while not self.stopping:
            try:
                data = link.read(256)
            except (serial.SerialException, OSError) as exc:
                raise ScannerGone(f"{self.port}: {exc}") from None
            for raw in self._splitter.feed(data) if data else self._splitter.idle():
                self._emit(ScannedCode.from_bytes(raw, SERIAL_FORMAT, "serial"))
