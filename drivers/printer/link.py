"""One connection to a receipt printer through python-escpos's backends, used as they are.

The backends only know ``open``/``_raw``/``_read``; this adds what print-then-commit
needs on top: asking ``DLE EOT n`` and getting exactly one status byte back, with every
socket/serial/USB exception turned into our typed errors. A ``file:`` printer has no
way back, so :attr:`can_read_status` is false and jobs to it are "sent, not verified".
"""
from __future__ import annotations

import os
import socket
from pathlib import Path
from typing import Any

from drivers.ports import PortSpec
from drivers.printer import codes
from drivers.printer.errors import PrinterDisconnected, PrinterNoResponse, PrinterUnreachable
from drivers.printer.status import QUERIES, PrinterStatus, StatusByteError, check_byte, decode_status


def make_backend(spec: PortSpec, timeout_s: float, baudrate: int = 9600) -> Any:
    """The python-escpos printer object for a parsed config address (not opened yet)."""
    # escpos caches its capability table in a *new* temp folder per process unless told where.
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "zhengwu-kiosk" / "escpos"
    cache.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("ESCPOS_CAPABILITIES_PICKLE_DIR", str(cache))
    from escpos import printer as backends

    if spec.kind == "tcp":
        return backends.Network(spec.host, spec.port, timeout=timeout_s)
    if spec.kind == "serial":
        return backends.Serial(spec.path, baudrate=baudrate, timeout=timeout_s)
    if spec.kind == "file":
        return backends.File(spec.path)
    if not backends.Usb.is_usable():
        raise PrinterUnreachable("USB printing needs pyusb (pip install pyusb) and libusb", "driver_missing")
    return backends.Usb(spec.vendor_id, spec.product_id, timeout=int(timeout_s * 1000))


class PrinterLink:
    def __init__(self, spec: PortSpec, timeout_s: float = 5.0, baudrate: int = 9600) -> None:
        self.spec = spec
        self.timeout_s = timeout_s
        self.baudrate = baudrate
        self._backend: Any = None
        self._pending = bytearray()

    @property
    def can_read_status(self) -> bool:
        return self.spec.kind != "file"

    def open(self) -> "PrinterLink":
        backend = make_backend(self.spec, self.timeout_s, self.baudrate)
        try:
            backend.open(raise_not_found=True)
        except Exception as exc:  # escpos wraps OSError in DeviceNotFoundError; pyusb/pyserial raise their own
            raise PrinterUnreachable(f"{self.spec}: {exc}".splitlines()[0]) from None
        self._backend = backend
        return self

    def close(self) -> None:
        if self._backend is not None:
            try:
                self._backend.close()
            except Exception:  # closing a broken socket or a vanished USB device: nothing left to do
                pass
            self._backend = None

    def __enter__(self) -> "PrinterLink":
        return self.open()

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def write(self, data: bytes) -> None:
        try:
            self._backend._raw(data)
        except (OSError, socket.timeout) as exc:
            raise PrinterDisconnected(f"{self.spec}: {exc}") from None
        except Exception as exc:  # pyserial/pyusb errors are not OSError subclasses
            raise PrinterDisconnected(f"{self.spec}: {type(exc).__name__}: {exc}") from None

    def _read_byte(self) -> int:
        while not self._pending:
            try:
                chunk = self._read_chunk()
            except (TimeoutError, socket.timeout):
                raise PrinterNoResponse(f"{self.spec}: no status within {self.timeout_s} s") from None
            except OSError as exc:
                raise PrinterDisconnected(f"{self.spec}: {exc}") from None
            except Exception as exc:
                raise PrinterDisconnected(f"{self.spec}: {type(exc).__name__}: {exc}") from None
            if not chunk:
                if self.spec.kind == "tcp":
                    raise PrinterDisconnected(f"{self.spec}: connection closed")
                raise PrinterNoResponse(f"{self.spec}: no status within {self.timeout_s} s")
            self._pending += bytes(chunk)
        return self._pending.pop(0)

    def _read_chunk(self) -> bytes:
        if self.spec.kind == "serial":
            # escpos's Serial._read asks for 16 bytes and so always waits out the timeout;
            # a status answer is one byte, so read what is there (at least one) from its port.
            port = self._backend.device
            return port.read(max(1, port.in_waiting))
        return self._backend._read()

    def query(self, n: int) -> int:
        """Send ``DLE EOT n`` and return the status byte, skipping bytes that are not one."""
        self.write(codes.status_request(n))
        for _ in range(16):
            byte = self._read_byte()
            try:
                return check_byte(byte)
            except StatusByteError:
                continue  # stale data from an earlier answer or ASB: read on
        raise PrinterNoResponse(f"{self.spec}: answers are not status bytes")

    def status(self) -> PrinterStatus:
        return decode_status({n: self.query(n) for n in QUERIES})
