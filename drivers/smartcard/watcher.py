"""Our own PC/SC polling loop (instead of pyscard's ``CardMonitor``).

Each poll asks pcscd for the reader's state without blocking. A card that appears is read
once (social-security identity or staff UID, whatever ``read`` does); its removal is
reported; a failure of pcscd invalidates the context, which the next poll rebuilds, and an
unplugged reader is waited for. Health follows: ``pcscd_unreachable`` / ``reader_missing``
faults, then ``ok`` again by itself.
"""
from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Generic, TypeVar

from drivers.background import BackgroundWorker
from drivers.health import Health
from drivers.smartcard.errors import (
    CardDataError,
    CardRemovedError,
    NoCardError,
    PcscUnavailable,
    ReaderMissing,
    SmartCardError,
    StatusWordError,
)
from drivers.smartcard.pcsc import CardConnection, PcscSession

log = logging.getLogger(__name__)
T = TypeVar("T")


class CardWatcher(BackgroundWorker, Generic[T]):
    thread_name = "pcsc-watcher"

    def __init__(
        self,
        read: Callable[[CardConnection], T],
        on_card: Callable[[T], None],
        reader: str = "",
        on_removed: Callable[[], None] | None = None,
        on_error: Callable[[SmartCardError], None] | None = None,
        on_health: Callable[[Health], None] | None = None,
        poll_interval_s: float = 0.3,
        session: PcscSession | None = None,
    ) -> None:
        self.read = read
        self.reader = reader
        self._on_card = on_card
        self._on_removed = on_removed or (lambda: None)
        self._on_error = on_error or (lambda exc: None)
        self._on_health = on_health or (lambda h: None)
        self.poll_interval_s = poll_interval_s
        self.session = session or PcscSession()
        self.card_present = False
        self._health = Health.degraded("starting")
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def health(self) -> Health:
        return self._health

    def _after_stop(self) -> None:
        self.session.close()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.poll_once()
            except Exception as exc:  # the thread must outlive any bug below it
                log.error("PC/SC watcher: unexpected %s", type(exc).__name__)
                self.session.invalidate()
                self._set_health(Health.fault("driver_error", type(exc).__name__))
            self._stop.wait(self.poll_interval_s)

    def poll_once(self) -> None:
        """One look at the reader; public so tests can step the loop deterministically."""
        try:
            name = self.session.find_reader(self.reader)
            present = self.session.card_present(name)
        except PcscUnavailable as exc:
            self.session.invalidate()
            self._gone(Health.fault("pcscd_unreachable", str(exc)))
            return
        except ReaderMissing as exc:
            self._gone(Health.fault("reader_missing", str(exc)))
            return
        except SmartCardError as exc:
            self._set_health(Health.degraded("pcsc_error", str(exc)))
            return
        self._set_health(Health.ok(name))
        if not present:
            if self.card_present:
                self.card_present = False
                self._on_removed()
            return
        if not self.card_present:
            self._read(name)

    def _read(self, name: str) -> None:
        try:
            with self.session.connect(name) as conn:
                result = self.read(conn)
        except (NoCardError, CardRemovedError):
            return  # pulled before or during the read: nothing to report, poll again
        except (CardDataError, StatusWordError) as exc:
            self.card_present = True  # a wrong card stays wrong: report it once
            self._on_error(exc)
            return
        except PcscUnavailable as exc:
            self.session.invalidate()
            self._gone(Health.fault("pcscd_unreachable", str(exc)))
            return
        except SmartCardError as exc:
            self._on_error(exc)
            return
        self.card_present = True
        self._on_card(result)

    def _gone(self, health: Health) -> None:
        self._set_health(health)
        if self.card_present:
            self.card_present = False
            self._on_removed()

    def _set_health(self, health: Health) -> None:
        changed = (health.state, health.reason) != (self._health.state, self._health.reason)
        self._health = health
        if changed:
            log.info("PC/SC reader health: %s %s", health.state.value, health.reason)
            self._on_health(health)


def sscard_watcher(on_identity: Callable, reader: str = "", **kwargs) -> "CardWatcher":
    """Watch a contact reader for social-security cards; ``on_identity`` gets an Identity."""
    from drivers.smartcard.sscard import read_sscard

    return CardWatcher(read_sscard, on_identity, reader=reader, **kwargs)


def staffcard_watcher(on_uid: Callable[[str], None], reader: str = "", **kwargs) -> "CardWatcher":
    """Watch a contactless reader for staff cards; ``on_uid`` gets the UID as hex."""
    from drivers.smartcard.sscard import read_uid

    return CardWatcher(read_uid, on_uid, reader=reader, **kwargs)
