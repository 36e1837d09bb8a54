"""One request/response exchange with the SAM module over a serial port.

Why a class of its own: the serial line is where real-world trouble lives (an unplugged
USB adapter, a reader left at 9600 baud, a half frame after a card was pulled, a flipped
bit). This layer turns all of it into the typed errors of :mod:`drivers.idcard.errors`,
counts garbled frames and retries them a bounded number of times, and never lets a
``serial`` or ``OSError`` exception escape.
"""
from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from drivers.idcard.errors import (
    FrameTimeout,
    ProtocolError,
    ReaderChecksumError,
    ReaderLengthError,
    ReaderUnavailable,
    StatusError,
)
from drivers.idcard.protocol import (
    Command,
    FrameDecoder,
    Response,
    encode_command,
    wire_seconds,
)

log = logging.getLogger(__name__)

# Largest response each command can bring, for the wire-time part of its deadline.
_MAX_RESPONSE = {
    Command.READ_TEXT_PHOTO: 1295,
    Command.READ_WITH_FINGERPRINT: 2321,
    Command.READ_ADDITIONAL_ADDRESS: 81,
}
_DEFAULT_MAX_RESPONSE = 64
# Status codes that mean "the reader got our command garbled": sending it again is right.
_RETRYABLE_STATUS = (ReaderChecksumError, ReaderLengthError)


@dataclass
class LinkStats:
    """Counters a technician (and the bench) can look at; no card data in here."""

    exchanges: int = 0
    garbled_frames: int = 0
    timeouts: int = 0
    retries: int = 0
    skipped_bytes: int = 0
    reopens: int = 0


def _default_serial_factory(port: str, baudrate: int) -> Any:
    import serial  # pyserial, imported lazily so that parsing code works without it

    return serial.Serial(port, baudrate=baudrate, bytesize=8, parity="N", stopbits=1, timeout=0.05,
                         exclusive=True)


class SerialLink:
    """A SAM reader on one serial port, at 115200 8N1 with a fallback speed."""

    def __init__(
        self,
        port: str,
        baudrate: int = 115200,
        fallback_baudrate: int | None = 9600,
        timeout_s: float = 1.0,
        retries: int = 2,
        serial_factory: Callable[[str, int], Any] = _default_serial_factory,
    ) -> None:
        self.port = port
        self.baudrate = baudrate
        self.fallback_baudrate = fallback_baudrate
        self.timeout_s = timeout_s
        self.retries = retries
        self.stats = LinkStats()
        self._factory = serial_factory
        self._serial: Any = None
        self._decoder = FrameDecoder()
        self._opened_before = False

    # --- port life cycle ---------------------------------------------------------------
    @property
    def is_open(self) -> bool:
        return self._serial is not None

    def open(self) -> None:
        """Open the port; raise :class:`ReaderUnavailable` if it is missing or busy."""
        if self._serial is not None:
            return
        try:
            self._serial = self._factory(self.port, self.baudrate)
        except Exception as exc:  # SerialException, FileNotFoundError, PermissionError
            raise ReaderUnavailable(f"{self.port}: {_reason(exc)}") from None
        if self._opened_before:
            self.stats.reopens += 1
        self._opened_before = True
        self._decoder.clear()

    def close(self) -> None:
        ser, self._serial = self._serial, None
        if ser is not None:
            try:
                ser.close()
            except Exception:  # closing a vanished device may fail; it is gone either way
                pass

    def set_baudrate(self, baudrate: int) -> None:
        self.baudrate = baudrate
        if self._serial is not None:
            try:
                self._serial.baudrate = baudrate
            except Exception as exc:
                self.close()
                raise ReaderUnavailable(f"{self.port}: {_reason(exc)}") from None

    def __enter__(self) -> "SerialLink":
        self.open()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- exchanges ---------------------------------------------------------------------
    def transact(self, command: Command, data: bytes = b"", retries: int | None = None) -> Response:
        """Send one command and return its checked response.

        Garbled or missing answers (and the reader's own "your frame was garbled" status)
        are counted and the command is sent again, at most ``retries`` more times; the last
        failure is raised. A SAM status error (no card, self-test failed ...) is raised at
        once: repeating the command would not change it.
        """
        attempts = 1 + (self.retries if retries is None else retries)
        last: Exception | None = None
        for attempt in range(attempts):
            if attempt:
                self.stats.retries += 1
            try:
                return self._exchange_once(command, data).check(command)
            except ProtocolError as exc:
                last = exc
                if isinstance(exc, FrameTimeout):
                    self.stats.timeouts += 1
                else:
                    self.stats.garbled_frames += 1
                log.debug("SAM %s: %s (attempt %d/%d)", command.name, exc, attempt + 1, attempts)
            except _RETRYABLE_STATUS as exc:
                last = exc
                log.debug("SAM %s: %s (attempt %d/%d)", command.name, exc, attempt + 1, attempts)
        assert last is not None
        raise last

    def _exchange_once(self, command: Command, data: bytes) -> Response:
        if self._serial is None:
            self.open()
        ser = self._serial
        self.stats.exchanges += 1
        frame = encode_command(command, data)
        max_bytes = _MAX_RESPONSE.get(command, _DEFAULT_MAX_RESPONSE)
        deadline = time.monotonic() + self.timeout_s + wire_seconds(len(frame) + max_bytes, self.baudrate)
        try:
            ser.reset_input_buffer()
            self._decoder.clear()
            ser.write(frame)
            ser.flush()
            while True:
                body = self._decoder.next_body()
                if body is not None:
                    return Response.from_body(body)
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise FrameTimeout(f"no complete answer to {command.name} within the deadline")
                ser.timeout = min(remaining, 0.2)
                chunk = ser.read(max(self._decoder.needed(), 1))
                if chunk:
                    self._decoder.feed(chunk)
        except ProtocolError:
            self.stats.skipped_bytes = self._decoder.skipped_bytes
            raise
        except Exception as exc:  # SerialException / OSError: the device went away
            self.close()
            raise ReaderUnavailable(f"{self.port}: {_reason(exc)}") from None

    def negotiate_baudrate(self, probe: Callable[[], object]) -> int:
        """Run ``probe`` at the configured speed, then at the fallback speed.

        Readers ship at 115200 but some are set to 9600; a silent or garbled line at one
        speed is the sign to try the other. Returns the speed that answered.
        """
        speeds = [self.baudrate]
        if self.fallback_baudrate is not None and self.fallback_baudrate != self.baudrate:
            speeds.append(self.fallback_baudrate)
        last: Exception | None = None
        for speed in speeds:
            self.set_baudrate(speed)
            try:
                probe()
                return speed
            except StatusError:
                return speed  # a well-formed refusal still proves the line speed is right
            except ProtocolError as exc:
                last = exc
        self.set_baudrate(speeds[0])
        assert last is not None
        raise last


def _reason(exc: BaseException) -> str:
    text = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
    return text.splitlines()[0]
