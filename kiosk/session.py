"""One citizen's visit at the terminal: who they are, what they did, and its end.

Identity lives only in this object, in memory. It is wiped when the journey finishes, when
the citizen walks away (idle timeout) or on cancel: fields are dropped, the names
registered with the log filter are forgotten, and a :class:`SessionWiped` event tells the
screens to clear anything they still show.
"""
from __future__ import annotations

import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Any, Callable

from kiosk.events import EventBus, SessionStarted, SessionWiped
from kiosk.privacy import SENSITIVE, SensitiveValues, mask_id_number, mask_name


@dataclass
class Identity:
    """Who is at the terminal, as read from a card or QR; never written to disk."""

    source: str  # "idcard", "sscard", "qr"
    id_number: str
    name: str
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def id_number_masked(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def name_masked(self) -> str:
        return mask_name(self.name)

    def __repr__(self) -> str:  # never let a repr in a log show the full data
        return f"Identity(source={self.source!r}, id={self.id_number_masked}, name={self.name_masked})"

    __str__ = __repr__


class Session:
    """The current visit. Thread-safe: card readers set identity from their own threads."""

    def __init__(self, bus: EventBus, idle_timeout_s: float, clock: Callable[[], float] = time.monotonic,
                 sensitive: SensitiveValues = SENSITIVE) -> None:
        self._bus = bus
        self._clock = clock
        self._sensitive = sensitive
        self._lock = threading.RLock()
        self.idle_timeout_s = idle_timeout_s
        self.id = uuid.uuid4().hex
        self.identity: Identity | None = None
        self.data: dict[str, Any] = {}
        self.started_at = self._clock()
        self.last_activity = self.started_at
        self.active = False

    def touch(self) -> None:
        """Record user activity; the first touch after a wipe starts a new visit."""
        with self._lock:
            self.last_activity = self._clock()
            if not self.active:
                self.active = True
                self.started_at = self.last_activity
                self._bus.publish(SessionStarted(self.id))

    def set_identity(self, identity: Identity) -> None:
        with self._lock:
            self.touch()
            self.identity = identity
            self._sensitive.add(identity.name)
            self._sensitive.add(identity.id_number, identity.id_number_masked)

    def idle_for(self) -> float:
        with self._lock:
            return self._clock() - self.last_activity

    def is_idle(self) -> bool:
        with self._lock:
            return self.active and self.idle_for() >= self.idle_timeout_s

    def wipe(self, reason: str) -> None:
        """Forget everything about this visit and start a fresh, inactive one."""
        with self._lock:
            old_id = self.id
            if self.identity is not None:
                self.identity.id_number = ""
                self.identity.name = ""
                self.identity.extra.clear()
            self.identity = None
            self.data.clear()
            self._sensitive.clear()
            was_active = self.active
            self.active = False
            self.id = uuid.uuid4().hex
            self.started_at = self.last_activity = self._clock()
        if was_active:
            self._bus.publish(SessionWiped(old_id, reason))
