"""Listening for codes on a screen: the configured QR camera and hand scanner, one callback on the UI thread.

A screen that accepts codes (Identify, 办件查询) owns one :class:`CodeListener`: ``start()`` when it
opens, ``stop()`` when it is left. The readers (``drivers.scanner.factory``) run in their own
threads; each code is classified with :mod:`kiosk.payloads` under the rules of the device that read
it, a code read again within ``repeat_s`` (a scanner's double read, the camera and the scanner seeing
one phone) is dropped, and the :class:`kiosk.payloads.Payload` reaches ``on_payload`` through
``Clock.schedule_once``. A code that arrives after ``stop()`` is dropped: it cannot bring a previous
visitor's code onto the screen. Payloads carry tokens: nothing here logs their content.
"""
from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from kivy.clock import Clock

from kiosk.payloads import Payload, PayloadRules, classify_code

log = logging.getLogger(__name__)
PayloadHandler = Callable[[Payload], None]


class CodeListener:
    """The code readers a terminal's ``devices`` config names, started and stopped together."""

    def __init__(self, devices: Any, on_payload: PayloadHandler, repeat_s: float = 2.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.configs = {name: config for name in ("qr_camera", "scanner")
                        if (config := getattr(devices, name, None)) is not None}
        self.on_payload = on_payload
        self.repeat_s = repeat_s
        self._clock = clock
        self._lock = threading.Lock()
        self._readers: dict[str, Any] = {}
        self._last: dict[bytes, float] = {}
        self._generation = 0  # bumped by stop(): codes of an earlier start are dropped

    @property
    def available(self) -> bool:
        """Whether this terminal has any code reader at all."""
        return bool(self.configs)

    @property
    def running(self) -> bool:
        return bool(self._readers)

    def start(self) -> None:
        """Open every configured reader (again); a reader that fails to build is logged and skipped."""
        from kiosk.hardware import code_reader

        self.stop()
        with self._lock:
            generation = self._generation
            self._last.clear()
        for name, config in self.configs.items():
            rules = PayloadRules.from_config(config)
            try:
                reader = code_reader(name, config, lambda code, r=rules, g=generation: self._on_code(code, r, g))
                reader.start()
            except Exception as exc:  # a missing OpenCV or a broken port: the other ways in still work
                log.warning("code reader %s not available: %s", name, type(exc).__name__)
                continue
            self._readers[name] = reader

    def stop(self) -> None:
        """Close the readers; codes still on their way are dropped, and the codes seen are forgotten
        (an identity code is a credential: it must not outlive the visit in this object)."""
        with self._lock:
            self._generation += 1
            self._last.clear()
            readers, self._readers = self._readers, {}
        for name, reader in readers.items():
            try:
                reader.stop(timeout=2.0)
            except Exception as exc:
                log.warning("code reader %s did not stop cleanly: %s", name, type(exc).__name__)

    def forget(self) -> None:
        """Let the same code count again (after an error the citizen may show the same code once more)."""
        with self._lock:
            self._last.clear()

    # A reader's own thread calls this.
    def _on_code(self, code: Any, rules: PayloadRules, generation: int) -> None:
        now = self._clock()
        with self._lock:
            if generation != self._generation:
                return
            seen = self._last.get(code.raw)
            self._last = {raw: at for raw, at in self._last.items() if now - at < self.repeat_s}
            self._last[code.raw] = now
            if seen is not None and now - seen < self.repeat_s:
                return
        payload = classify_code(code, rules)
        Clock.schedule_once(lambda _dt: self._deliver(payload, generation), 0)

    def _deliver(self, payload: Payload, generation: int) -> None:
        if generation != self._generation:
            return  # stopped (the screen was left) while this code was on its way
        self.on_payload(payload)
