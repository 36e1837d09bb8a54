"""A test double of the content backend: the 示例 records of :mod:`kiosk.journeys.sample_backend`
plus scripted refusals (``fail_next``), a call log with masked ID numbers, and a gate that holds
calls (to see the spinner). The UI tests set it as ``app._backend`` (what ``KioskApp.backend`` returns).
"""
from __future__ import annotations

import threading
from collections import defaultdict, deque

from kiosk.backend.base import Application, ApplicationReceipt, BackendError
from kiosk.journeys.sample_backend import (  # noqa: F401  (re-exported for the tests)
    CASE_NO,
    CATALOG,
    ID_NUMBER,
    OTHER_CASE_NO,
    PERSON,
    SampleBackend,
)
from kiosk.privacy import mask_id_number


class FakeContentBackend(SampleBackend):
    """Thread-safe: the screens call it from worker threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._failures: dict[str, deque[str]] = defaultdict(deque)
        self.calls: list[tuple[str, str]] = []
        self.submitted: list[Application] = []
        self.gate: threading.Event | None = None

    def fail_next(self, method: str, reason: str, times: int = 1) -> None:
        with self._lock:
            self._failures[method].extend([reason] * times)

    def _enter(self, method: str, arg: str = "") -> None:
        if self.gate is not None:
            self.gate.wait(10)
        with self._lock:
            self.calls.append((method, mask_id_number(arg) if len(arg) == 18 else arg))
            if self._failures[method]:
                raise BackendError(self._failures[method].popleft(), "scripted by the test")

    def submit(self, application: Application) -> ApplicationReceipt:
        receipt = super().submit(application)
        self.submitted.append(application)
        return receipt
