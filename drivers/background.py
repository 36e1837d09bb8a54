"""The life cycle of a component that works in one background thread (pollers, reporter).

Each such component sets ``self._stop = threading.Event()`` and ``self._thread = None`` in
its ``__init__`` and defines ``_run()``, which loops until ``self._stop`` is set. This mixin
gives them the same ``start()``/``stop()``/``with`` behaviour; ``_wake()`` interrupts a wait
so that stopping is prompt, ``_after_stop()`` releases what the thread used.
"""
from __future__ import annotations

import threading
from typing import Any


class BackgroundWorker:
    thread_name = "worker"
    _stop: threading.Event
    _thread: threading.Thread | None

    def _run(self) -> None:  # pragma: no cover - every subclass defines it
        raise NotImplementedError

    def start(self) -> Any:
        if self._thread is None:
            self._stop.clear()
            self._thread = threading.Thread(target=self._run, name=self.thread_name, daemon=True)
            self._thread.start()
        return self

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
        self._after_stop()

    def _wake(self) -> None:
        """End a wait early (a worker that waits on something besides ``_stop`` overrides this)."""

    def _after_stop(self) -> None:
        """Release what the thread used (ports, sessions)."""

    def __enter__(self) -> Any:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()
