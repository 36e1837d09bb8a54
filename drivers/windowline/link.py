"""The serial transport of the window line protocol: read commands, write answers, reconnect.

One thread reads the port with a short timeout, cuts lines (CR/LF, see
:class:`drivers.scanner.lines.LineSplitter`), hands each to ``on_request`` and writes its
answer; pushed lines (``RESULT ...``) are written under the same lock so they never land in
the middle of an answer. An unplugged USB-serial adapter is reopened every ``reconnect_s``.
"""
from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from typing import Any

from drivers.background import BackgroundWorker
from drivers.health import Health
from drivers.scanner.lines import LineSplitter
from drivers.windowline.protocol import LineError, MAX_LINE, Request, encode, err, parse_line

log = logging.getLogger(__name__)

Answer = Callable[[Request], str]


class WindowLine(BackgroundWorker):
    thread_name = "window-line"

    def __init__(self, port: str, on_request: Answer, baudrate: int = 9600, reconnect_s: float = 2.0,
                 opener: Callable[[str, int], Any] | None = None) -> None:
        self.port = port
        self.on_request = on_request
        self.baudrate = baudrate
        self.reconnect_s = reconnect_s
        self._opener = opener or _open_serial
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._write_lock = threading.Lock()
        self._device: Any = None
        self._error = "not started"
        self.errors = 0  # lines answered with ERR (garbled or refused)

    def health(self) -> Health:
        if self._device is not None:
            return Health.ok()
        return Health.fault("port_missing", self._error)

    def push(self, line: str) -> bool:
        """Send an unsolicited line (a result); False when the port is not open now."""
        return self._write(line)

    def _write(self, line: str) -> bool:
        with self._write_lock:
            device = self._device
            if device is None:
                return False
            try:
                device.write(encode(line))
                device.flush()
                return True
            except OSError as exc:
                self._error = str(exc)
                return False

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                device = self._opener(self.port, self.baudrate)
            except OSError as exc:
                self._error = f"{self.port}: {exc}"
                self._stop.wait(self.reconnect_s)
                continue
            with self._write_lock:
                self._device = device
            log.info("window line open on %s", self.port)
            try:
                self._serve(device)
            except OSError as exc:
                self._error = f"{self.port}: {exc}"
                log.warning("window line lost: %s", exc)
            finally:
                with self._write_lock:
                    self._device = None
                try:
                    device.close()
                except OSError:
                    pass
            self._stop.wait(self.reconnect_s)

    def _serve(self, device: Any) -> None:
        splitter = LineSplitter("\r\n", MAX_LINE + 1)
        while not self._stop.is_set():
            data = device.read(256)
            for raw in splitter.feed(data) if data else splitter.idle():
                self._write(self.answer(raw))

    def answer(self, raw: bytes) -> str:
        """The answer line to one received line; public for tests without a port."""
        try:
            request = parse_line(raw)
        except LineError as exc:
            self.errors += 1
            return err(exc.reason)
        try:
            return self.on_request(request)
        except Exception:  # the line must keep answering whatever the evaluator does
            log.exception("window line: %s failed", request.verb)
            self.errors += 1
            return err("internal_error")

    def _after_stop(self) -> None:
        self._device = None


def _open_serial(port: str, baudrate: int) -> Any:
    import serial

    if not os.path.exists(port):
        raise OSError(f"{port} does not exist (unplugged?)")
    try:
        return serial.Serial(port, baudrate, timeout=0.2, exclusive=True)
    except serial.SerialException as exc:
        raise OSError(str(exc)) from None
