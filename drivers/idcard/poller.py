"""The background thread that watches the ID-card reader.

It reads a card once when it is placed, does not read it again while it stays, reports its
removal, and keeps going through everything a kiosk meets in a year: the USB-serial adapter
unplugged and plugged back (health turns ``fault`` then ``ok``), a SAM that fails its
self-test, garbled frames. Results go out through callbacks so the session layer (in
``kiosk``) decides what an identity means; this thread only knows the device.

Removal: readers answer "card found" for as long as the card stays in the field; two
"no card" answers in a row mean it was taken away (one can be a glitch). Firmware that
stops answering for a card after it has been read looks like a removal, which is harmless:
the card is not read again until it answers "found" anew.
"""
from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from drivers.background import BackgroundWorker
from drivers.health import Health
from drivers.idcard.errors import (
    CardDataError,
    IdCardError,
    NoCardError,
    ProtocolError,
    ReaderUnavailable,
    SamSelfTestError,
    StatusError,
)
from drivers.idcard.identity import Identity
from drivers.idcard.reader import SamReader

log = logging.getLogger(__name__)

REMOVAL_MISSES = 2


class IdCardPoller(BackgroundWorker):
    thread_name = "idcard-poller"

    def __init__(
        self,
        open_reader: Callable[[], SamReader],
        on_identity: Callable[[Identity], None],
        on_removed: Callable[[], None] | None = None,
        on_error: Callable[[IdCardError], None] | None = None,
        on_health: Callable[[Health], None] | None = None,
        poll_interval_s: float = 0.3,
    ) -> None:
        self._open_reader = open_reader
        self._on_identity = on_identity
        self._on_removed = on_removed or (lambda: None)
        self._on_error = on_error or (lambda exc: None)
        self._on_health = on_health or (lambda h: None)
        self.poll_interval_s = poll_interval_s
        self._reader: SamReader | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._health = Health.degraded("starting")
        self.card_present = False
        self._misses = 0
        self.polls = 0

    # --- life cycle --------------------------------------------------------------------
    def _after_stop(self) -> None:
        if self._reader is not None:
            self._reader.close()
            self._reader = None

    @property
    def health(self) -> Health:
        return self._health

    # --- the loop ----------------------------------------------------------------------
    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.poll_once()
            except Exception as exc:  # the thread must outlive any bug below it
                log.error("ID card poller: unexpected %s", type(exc).__name__)
                self._drop_reader()
                self._set_health(Health.fault("driver_error", type(exc).__name__))
            self.polls += 1
            self._stop.wait(self.poll_interval_s)

    def poll_once(self) -> None:
        """One look at the reader; public so tests can drive the loop step by step."""
        reader = self._ensure_reader()
        if reader is None:
            return
        try:
            present = reader.find_card()
        except ReaderUnavailable as exc:
            self._lost(exc)
            return
        except SamSelfTestError as exc:
            self._set_health(Health.fault("sam_self_test", str(exc)))
            return
        except (ProtocolError, StatusError) as exc:
            self._set_health(Health.degraded("protocol_errors", str(exc)))
            return
        self._set_health(Health.ok(reader.link.port))
        if not present:
            self._misses += 1
            if self.card_present and self._misses >= REMOVAL_MISSES:
                self.card_present = False
                self._on_removed()
            return
        self._misses = 0
        if self.card_present:
            return  # the same card is still there: read it once only
        self._read(reader)

    def _read(self, reader: SamReader) -> None:
        try:
            identity = reader.read_identity()
        except NoCardError:
            return  # pulled away before it could be read
        except ReaderUnavailable as exc:
            self._lost(exc)
            return
        except CardDataError as exc:
            self.card_present = True  # a bad card stays bad: do not read it in a loop
            self._on_error(exc)
            return
        except IdCardError as exc:
            self._on_error(exc)  # read failed: try again at the next poll
            return
        self.card_present = True
        self._on_identity(identity)

    def _ensure_reader(self) -> SamReader | None:
        if self._reader is not None:
            return self._reader
        try:
            self._reader = self._open_reader()
        except ReaderUnavailable as exc:
            self._set_health(Health.fault("port_missing", str(exc)))
            return None
        except SamSelfTestError as exc:
            self._set_health(Health.fault("sam_self_test", str(exc)))
            return None
        except IdCardError as exc:
            self._set_health(Health.fault("no_answer", str(exc)))
            return None
        return self._reader

    def _lost(self, exc: Exception) -> None:
        self._drop_reader()
        self._set_health(Health.fault("port_missing", str(exc)))
        if self.card_present:
            self.card_present = False
            self._on_removed()

    def _drop_reader(self) -> None:
        if self._reader is not None:
            self._reader.close()
            self._reader = None

    def _set_health(self, health: Health) -> None:
        changed = (health.state, health.reason) != (self._health.state, self._health.reason)
        self._health = health
        if changed:
            log.info("ID card reader health: %s %s", health.state.value, health.reason)
            self._on_health(health)


def poller_for_port(
    port: str,
    on_identity: Callable[[Identity], None],
    *,
    baudrate: int = 115200,
    fallback_baudrate: int | None = 9600,
    timeout_s: float = 1.0,
    retries: int = 2,
    photo_decoder_path: str | None = None,
    poll_interval_s: float = 0.05,
    **callbacks: Callable,
) -> IdCardPoller:
    """A poller wired from plain settings (the kiosk passes its ``IdCardReaderConfig`` fields).

    The photo decoder is loaded once here; without one the poller runs without photos.
    """
    from drivers.idcard.photo import load_decoder

    decoder, _note = load_decoder(photo_decoder_path)

    def open_reader() -> SamReader:
        return SamReader.open(port, baudrate, fallback_baudrate, timeout_s, retries, photo_decoder=decoder)

    return IdCardPoller(open_reader, on_identity, poll_interval_s=poll_interval_s, **callbacks)
