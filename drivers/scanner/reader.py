"""The part every hand scanner driver shares: a reader thread that survives unplugging.

A scanner that is unplugged makes reads fail; the driver closes it, reports Health
``scanner_unplugged`` and reopens it every ``reconnect_s`` until it is back, so a
technician re-plugging a scanner never has to restart the kiosk. Subclasses say how to
open the device and how to read codes from it.
"""
from __future__ import annotations

import collections
import logging
import threading
from collections.abc import Callable
from typing import Any

from drivers.background import BackgroundWorker
from drivers.health import Health
from drivers.scanner.codes import ScannedCode

log = logging.getLogger(__name__)


class ScannerGone(Exception):
    """The device disappeared or cannot be opened; the reader will retry.

    ``reason`` is the Health key: ``scanner_unplugged``, or ``scanner_busy`` when another
    process holds the device.
    """

    def __init__(self, detail: str, reason: str = "scanner_unplugged") -> None:
        super().__init__(detail)
        self.reason = reason


class DeviceReader(BackgroundWorker):
    name = "scanner"

    def __init__(self, port: str, on_code: Callable[[ScannedCode], None] | None = None,
                 reconnect_s: float = 1.0) -> None:
        self.port = port
        self.on_code = on_code
        self.reconnect_s = reconnect_s
        self.reconnects = 0
        self.total = 0
        self.recent: collections.deque[ScannedCode] = collections.deque(maxlen=32)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._cond = threading.Condition()
        self._error = "not started"
        self._reason = "scanner_unplugged"

    # --- for subclasses ----------------------------------------------------------------
    def _open(self) -> Any:
        """Open the device; raise :class:`ScannerGone` when it is not there."""
        raise NotImplementedError

    def _read_from(self, device: Any) -> None:
        """Read codes (call :meth:`_emit`) until stopped; raise :class:`ScannerGone` on loss."""
        raise NotImplementedError

    def _close(self, device: Any) -> None:
        device.close()

    # --- life cycle: start(), stop() and ``with`` come from BackgroundWorker ------------
    @property
    def thread_name(self) -> str:  # type: ignore[override]
        return self.name

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    def health(self) -> Health:
        with self._cond:
            return self._health_locked()

    def wait_codes(self, total: int, timeout: float) -> list[ScannedCode]:
        """Wait until ``total`` codes were read since start; returns the recent ones."""
        with self._cond:
            self._cond.wait_for(lambda: self.total >= total, timeout)
            return list(self.recent)

    def wait_health(self, predicate: Callable[[Health], bool], timeout: float) -> Health:
        """Wait until the health satisfies ``predicate``; returns the last health seen."""
        with self._cond:
            self._cond.wait_for(lambda: predicate(self._health_locked()), timeout)
            return self._health_locked()

    def _health_locked(self) -> Health:
        return Health.fault(self._reason, self._error) if self._error else Health.ok(self.port)

    def _emit(self, code: ScannedCode) -> None:
        with self._cond:
            self.total += 1
            self.recent.append(code)
            self._cond.notify_all()
        if self.on_code is not None:
            try:
                self.on_code(code)
            except Exception:  # the kiosk's handler must not kill the reader
                log.exception("code handler failed")

    def _set_error(self, error: str, reason: str = "scanner_unplugged") -> None:
        with self._cond:
            self._error, self._reason = error, reason
            self._cond.notify_all()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                device = self._open()
            except ScannerGone as exc:
                self._set_error(str(exc), exc.reason)
                self._stop.wait(self.reconnect_s)
                continue
            self._set_error("")
            try:
                self._read_from(device)
            except ScannerGone as exc:
                log.warning("%s on %s lost: %s", self.name, self.port, exc)
                self._set_error(str(exc), exc.reason)
                self.reconnects += 1
            finally:
                try:
                    self._close(device)
                except OSError:
                    pass
            self._stop.wait(self.reconnect_s)
