"""A small typed event bus between drivers' worker threads, the core and the screens.

Publishers and subscribers agree on event *classes* (frozen dataclasses), not on string
names, so a typo is an import error rather than a silent miss. Handlers run on the
publisher's thread; the UI subscribes through a marshaller that re-posts onto its own
thread. A failing handler is logged and never stops delivery to the others or crashes a
driver thread.
"""
from __future__ import annotations

import logging
import threading
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
import time
from typing import Any, TypeVar

log = logging.getLogger(__name__)

E = TypeVar("E")
Handler = Callable[[Any], None]


@dataclass(frozen=True)
class Event:
    """Base of all events; ``at`` is wall-clock time for logs and reports."""

    at: float = field(default_factory=time.time, kw_only=True)


@dataclass(frozen=True)
class SessionStarted(Event):
    session_id: str


@dataclass(frozen=True)
class SessionWiped(Event):
    session_id: str
    reason: str  # "finished", "idle_timeout", "cancelled"


@dataclass(frozen=True)
class UserActivity(Event):
    """A touch or key on the screen; resets the idle timer."""


@dataclass(frozen=True)
class DeviceHealthChanged(Event):
    device: str
    state: str
    reason: str = ""


@dataclass(frozen=True)
class LanguageChanged(Event):
    language: str


class EventBus:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._handlers: dict[type, list[Handler]] = defaultdict(list)

    def subscribe(self, event_type: type[E], handler: Callable[[E], None]) -> Callable[[], None]:
        """Call ``handler`` for every event of ``event_type`` (or a subclass); returns an unsubscribe."""
        with self._lock:
            self._handlers[event_type].append(handler)

        def unsubscribe() -> None:
            with self._lock:
                if handler in self._handlers[event_type]:
                    self._handlers[event_type].remove(handler)

        return unsubscribe

    def publish(self, event: Event) -> int:
        """Deliver to every matching handler; returns how many ran without error."""
        with self._lock:
            targets = [h for cls in type(event).__mro__ for h in self._handlers.get(cls, ())]
        delivered = 0
        for handler in targets:
            try:
                handler(event)
                delivered += 1
            except Exception:
                log.exception("event handler %r failed on %s", handler, type(event).__name__)
        return delivered
