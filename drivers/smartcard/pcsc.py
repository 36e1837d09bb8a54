"""A PC/SC context that survives pcscd restarts and unplugged readers.

pyscard's high-level ``CardMonitor`` keeps one context for ever; when pcscd restarts (a
package upgrade, a crash, a USB reset) that context is dead and the monitor is silently
blind. We use the low-level ``smartcard.scard`` calls and treat "no service", "service
stopped" and "invalid handle" as the signal to release and re-establish the context on
the next call, so the next poll works again without restarting the kiosk.
"""
from __future__ import annotations

import threading
from contextlib import contextmanager
from collections.abc import Iterator

from drivers.smartcard.errors import (
    CardRemovedError,
    NoCardError,
    PcscUnavailable,
    ReaderMissing,
    SmartCardError,
)


def _scard():
    from smartcard import scard  # pyscard, imported lazily: parsing code must work without it

    return scard


def _codes(s, *names: str) -> set[int]:
    """Return codes by name, as unsigned values (pyscard gives some of them signed)."""
    return {getattr(s, n) & 0xFFFFFFFF for n in names if hasattr(s, n)}


def _dead_context_codes(s) -> set[int]:
    return _codes(s, "SCARD_E_NO_SERVICE", "SCARD_E_SERVICE_STOPPED", "SCARD_E_INVALID_HANDLE",
                  "SCARD_F_COMM_ERROR")


class PcscSession:
    """Owns one PC/SC context and rebuilds it when pcscd has gone away."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._context = None
        self.rebuilds = 0

    def _ctx(self):
        s = _scard()
        with self._lock:
            if self._context is None:
                rv, ctx = s.SCardEstablishContext(s.SCARD_SCOPE_USER)
                if rv != s.SCARD_S_SUCCESS:
                    raise PcscUnavailable(f"cannot reach pcscd: {s.SCardGetErrorMessage(rv)}")
                self._context = ctx
                self.rebuilds += 1
            return self._context

    def invalidate(self) -> None:
        """Drop the context; the next call establishes a new one."""
        s = _scard()
        with self._lock:
            ctx, self._context = self._context, None
        if ctx is not None:
            try:
                s.SCardReleaseContext(ctx)
            except Exception:  # releasing a context of a dead pcscd may fail; it is gone anyway
                pass

    def close(self) -> None:
        self.invalidate()

    def check(self, rv: int, what: str) -> None:
        """Turn a PC/SC return code into our errors (and forget a dead context)."""
        s = _scard()
        if rv == s.SCARD_S_SUCCESS:
            return
        code = rv & 0xFFFFFFFF
        message = f"{what}: {s.SCardGetErrorMessage(rv)}"
        if code in _codes(s, "SCARD_E_NO_SMARTCARD"):
            raise NoCardError(message)
        if code in _codes(s, "SCARD_W_REMOVED_CARD", "SCARD_W_RESET_CARD", "SCARD_W_UNPOWERED_CARD"):
            raise CardRemovedError(message)
        if code in _codes(s, "SCARD_E_UNKNOWN_READER", "SCARD_E_READER_UNAVAILABLE", "SCARD_E_NO_READERS_AVAILABLE"):
            raise ReaderMissing(message)
        if code in _dead_context_codes(s):
            self.invalidate()
            raise PcscUnavailable(message)
        raise SmartCardError(message)

    def readers(self) -> list[str]:
        s = _scard()
        ctx = self._ctx()
        rv, names = s.SCardListReaders(ctx, [])
        if (rv & 0xFFFFFFFF) in _codes(s, "SCARD_E_NO_READERS_AVAILABLE"):
            return []
        self.check(rv, "list readers")
        return list(names)

    def find_reader(self, wanted: str | None) -> str:
        names = self.readers()
        match = [n for n in names if wanted in n] if wanted else names
        if not match:
            raise ReaderMissing(f"no reader matching {wanted!r} (readers: {names})")
        return match[0]

    def card_present(self, reader: str) -> bool:
        """Ask pcscd for the reader's state without waiting."""
        s = _scard()
        ctx = self._ctx()
        rv, states = s.SCardGetStatusChange(ctx, 0, [(reader, s.SCARD_STATE_UNAWARE)])
        if (rv & 0xFFFFFFFF) in _codes(s, "SCARD_E_TIMEOUT"):
            rv = s.SCARD_S_SUCCESS
        self.check(rv, "reader state")
        _name, state, _atr = states[0]
        if state & (s.SCARD_STATE_UNKNOWN | s.SCARD_STATE_UNAVAILABLE):
            raise ReaderMissing(f"{reader} is gone")
        return bool(state & s.SCARD_STATE_PRESENT) and not state & s.SCARD_STATE_MUTE

    @contextmanager
    def connect(self, reader: str | None = None) -> Iterator["CardConnection"]:
        """Connect (shared) and hold a PC/SC transaction for the whole block.

        A read is a sequence of APDUs that depends on the card's selected file. Without the
        transaction another client of the same reader (``kiosk doctor``, the device-health
        probe, a second app) can select something else between two of our APDUs, and our
        READ RECORD then fails with 69 86 or reads the wrong file. pcscd makes a second
        transaction wait until this one ends.
        """
        s = _scard()
        name = self.find_reader(reader)
        ctx = self._ctx()
        rv, hcard, protocol = s.SCardConnect(ctx, name, s.SCARD_SHARE_SHARED,
                                             s.SCARD_PROTOCOL_T0 | s.SCARD_PROTOCOL_T1)
        self.check(rv, f"connect {name}")
        try:
            self.check(s.SCardBeginTransaction(hcard), f"begin transaction on {name}")
            try:
                yield CardConnection(self, hcard, protocol, name)
            finally:
                try:
                    s.SCardEndTransaction(hcard, s.SCARD_LEAVE_CARD)
                except Exception:  # the card or pcscd may already be gone
                    pass
        finally:
            try:
                s.SCardDisconnect(hcard, s.SCARD_LEAVE_CARD)
            except Exception:  # the card or pcscd may already be gone
                pass


class CardConnection:
    """One connected card: APDUs in, (data, SW) out."""

    def __init__(self, session: PcscSession, hcard, protocol: int, reader: str) -> None:
        self.session = session
        self.hcard = hcard
        self.protocol = protocol
        self.reader = reader

    def transmit(self, apdu: bytes) -> tuple[bytes, int]:
        s = _scard()
        rv, response = s.SCardTransmit(self.hcard, self.protocol, list(apdu))
        self.session.check(rv, "transmit")
        if len(response) < 2:
            raise CardRemovedError("short response (card pulled?)")
        return bytes(response[:-2]), (response[-2] << 8) | response[-1]
