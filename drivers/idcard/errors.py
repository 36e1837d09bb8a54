"""Typed errors of the SAM ID-card reader.

Callers (the polling thread, the CLI, the session) react to *kinds* of failure: a missing
card is normal, a garbled frame is retried, a SAM self-test failure is a hardware fault.
Every SAM status byte (SW3) therefore has its own exception class, and no message ever
contains card data, so an exception may be logged as it is.
"""
from __future__ import annotations


class IdCardError(Exception):
    """Base of everything this driver raises."""


# --- transport and framing -------------------------------------------------------------
class ReaderUnavailable(IdCardError):
    """The serial port is missing, busy or went away (USB unplugged)."""


class ProtocolError(IdCardError):
    """Bytes on the wire that are not a valid frame; the exchange may be retried."""


class ChecksumError(ProtocolError):
    """The XOR check byte does not match length..data."""


class FrameLengthError(ProtocolError):
    """The length field is impossible (too short for SW1-SW3 + check, or too long)."""


class FrameTimeout(ProtocolError):
    """No complete frame arrived in time (silent reader or a frame cut off)."""


class UnexpectedResponse(ProtocolError):
    """A well-formed frame whose content does not fit the command that was sent."""


# --- SAM status codes (SW3) ------------------------------------------------------------
class StatusError(IdCardError):
    """The SAM answered with a status other than the expected success code."""

    code: int = -1
    text: str = "unknown SAM status"

    def __init__(self, code: int | None = None) -> None:
        if code is not None:
            self.code = code
        super().__init__(f"SAM status 0x{self.code:02X}: {self.text}")


class NoCardError(StatusError):
    code, text = 0x80, "no card on the reader"


class SelectFailedError(StatusError):
    code, text = 0x81, "select card failed"


class ReadFailedError(StatusError):
    code, text = 0x41, "read card failed (card moved?)"


class ReaderChecksumError(StatusError):
    code, text = 0x10, "reader received a command with a bad checksum"


class ReaderLengthError(StatusError):
    code, text = 0x11, "reader received a command with a bad length"


class BadCommandError(StatusError):
    code, text = 0x21, "command not understood by the reader"


class UnauthorizedError(StatusError):
    code, text = 0x23, "operation not authorised"


class UnrecognisedError(StatusError):
    code, text = 0x24, "unrecognised error"


class CardAuthError(StatusError):
    code, text = 0x31, "card failed to authenticate the SAM"


class SamAuthError(StatusError):
    code, text = 0x32, "SAM failed to authenticate the card"


class InfoVerifyError(StatusError):
    code, text = 0x33, "card information verification failed"


class UnknownCardTypeError(StatusError):
    code, text = 0x40, "card type not recognised"


class RandomNumberError(StatusError):
    code, text = 0x47, "could not get a random number from the card"


class SamSelfTestError(StatusError):
    code, text = 0x60, "SAM self-test failed"


class SamNotAuthorisedError(StatusError):
    code, text = 0x66, "SAM not authorised"


class NoContentError(StatusError):
    code, text = 0x91, "no content (e.g. no additional address)"


STATUS_ERRORS: dict[int, type[StatusError]] = {
    cls.code: cls
    for cls in (
        NoCardError, SelectFailedError, ReadFailedError, ReaderChecksumError, ReaderLengthError,
        BadCommandError, UnauthorizedError, UnrecognisedError, CardAuthError, SamAuthError,
        InfoVerifyError, UnknownCardTypeError, RandomNumberError, SamSelfTestError,
        SamNotAuthorisedError, NoContentError,
    )
}


def status_error(code: int) -> StatusError:
    """The exception for a SAM status byte; unknown codes still get a typed error."""
    cls = STATUS_ERRORS.get(code)
    return cls() if cls is not None else StatusError(code)


# --- card content ----------------------------------------------------------------------
class CardDataError(IdCardError):
    """The card was read but its text does not make sense (unknown layout, bad date)."""


class InvalidIdNumber(CardDataError):
    """An ID number that fails GB 11643 (length, birth date or check digit).

    ``reason`` is a stable key (``length``, ``format``, ``birth_date``, ``check_digit``)
    and the message never repeats the number itself.
    """

    def __init__(self, reason: str, detail: str) -> None:
        self.reason = reason
        super().__init__(f"invalid ID number ({reason}): {detail}")
